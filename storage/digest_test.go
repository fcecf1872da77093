package storage

import (
	"context"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

func visitDays(vs ...any) []crm.VisitDay {
	var out []crm.VisitDay
	for i := 0; i < len(vs); i += 2 {
		out = append(out, crm.VisitDay{Date: vs[i].(crm.Date), Items: vs[i+1].([]string)})
	}
	return out
}

func entry(id int64, codes ...crm.ReasonCode) crm.DigestEntry {
	e := crm.DigestEntry{Customer: crm.Customer{ID: id}}
	for _, c := range codes {
		e.Reasons = append(e.Reasons, crm.Reason{Code: c})
	}
	return e
}

func TestHistory(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")

	if h, err := db.History(ctx, s.ID); err != nil || len(h) != 0 {
		t.Fatalf("History of an empty shop = %+v, %v", h, err)
	}

	importRows(t, db, s.ID, sampleLedger())
	kim := customerNamed(t, db, s.ID, "Kim Minji")
	lee := customerNamed(t, db, s.ID, "Lee Jun")
	c := blank()
	c.CustomerID = kim
	c.Facts = []crm.FactInput{{Kind: crm.FactAllergy, Value: "walnuts"}, {Kind: crm.FactLike, Value: "window seat"},
		{Kind: crm.FactNote, Value: "first note"}, {Kind: crm.FactDislike, Value: "cinnamon"}}
	record(t, db, noteIn(s.ID, "owner", "Kim: walnuts, window, cinnamon", c))
	c = blank()
	c.CustomerID = kim
	c.Facts = []crm.FactInput{{Kind: crm.FactNote, Value: "latest note"}, {Kind: crm.FactAllergy, Value: "milk"}}
	record(t, db, noteIn(s.ID, "owner", "Kim: milk", c))
	// A note visit of Lee's, earlier than his imported ones.
	c = blank()
	c.CustomerID = lee
	c.Visit = &crm.VisitInput{Date: day(2, 20), Items: items("scone", 1, "bagel", 2)}
	record(t, db, noteIn(s.ID, "owner", "Lee scone and 2 bagels", c))
	nobody := addCustomer(t, db, s.ID, "Nobody Yet")
	other := newShop(t, db, "Other")
	importRows(t, db, other.ID, sampleLedger())

	h, err := db.History(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 3 || h[0].Customer.ID != kim || h[1].Customer.ID != lee || h[2].Customer.ID != nobody {
		t.Fatalf("History customers = %+v", h)
	}
	want := crm.History{
		Customer: crm.Customer{ID: kim, ShopID: s.ID, Name: "Kim Minji", Birthday: crm.MonthDay{Month: time.May, Day: 1},
			UsualWeekday: crm.NoWeekday, Consent: crm.ConsentNone},
		Visits:    visitDays(day(3, 1), []string{"croissant", "latte"}, day(3, 8), []string{"croissant"}),
		Allergies: []string{"walnuts", "milk"},
		Likes:     []string{"window seat"},
		Note:      "latest note",
	}
	if !reflect.DeepEqual(h[0], want) {
		t.Errorf("Kim's history:\n got %+v\nwant %+v", h[0], want)
	}
	wantLee := visitDays(day(2, 20), []string{"bagel", "scone"}, day(3, 1), []string{"bagel"},
		day(3, 8), []string{"bagel"}, day(3, 8), []string{"bagel"})
	if !reflect.DeepEqual(h[1].Visits, wantLee) || h[1].Allergies != nil || h[1].Note != "" {
		t.Errorf("Lee's history = %+v", h[1])
	}
	if h[2].Customer.Name != "Nobody Yet" || h[2].Visits != nil || h[2].Note != "regular" {
		t.Errorf("Nobody's history = %+v", h[2])
	}
	for _, x := range h {
		if !x.LapsedShown.IsZero() || !x.Greeted.IsZero() {
			t.Errorf("%s: lapsed shown %v, greeted %v before any digest", x.Customer.Name, x.LapsedShown, x.Greeted)
		}
	}

	// Digests and greetings.
	d1, d2 := day(4, 1), day(4, 2)
	if pushed, err := db.DigestPushed(ctx, s.ID, d1); err != nil || pushed {
		t.Fatalf("DigestPushed before = %v, %v", pushed, err)
	}
	first, err := db.RecordDigest(ctx, s.ID, d1, []crm.DigestEntry{
		entry(kim, crm.ReasonBirthday, crm.ReasonLapsed), entry(lee, crm.ReasonUsualWeekday)}, t0())
	if err != nil || !first {
		t.Fatalf("RecordDigest = %v, %v", first, err)
	}
	n := counts(t, db)
	if n["digest_runs"] != 1 || n["digest_shown"] != 2 {
		t.Fatalf("rows: %v", n)
	}
	var codes string
	if err := db.db.QueryRow(`SELECT codes FROM digest_shown WHERE customer_id = ?`, kim).Scan(&codes); err != nil ||
		codes != "birthday,lapsed" {
		t.Errorf("Kim's codes = %q, %v", codes, err)
	}
	// The same day again writes nothing, whatever it shows.
	again, err := db.RecordDigest(ctx, s.ID, d1, []crm.DigestEntry{entry(lee, crm.ReasonLapsed)}, t0())
	if err != nil || again {
		t.Fatalf("second RecordDigest = %v, %v", again, err)
	}
	sameCounts(t, counts(t, db), n)
	if pushed, err := db.DigestPushed(ctx, s.ID, d1); err != nil || !pushed {
		t.Errorf("DigestPushed(d1) = %v, %v", pushed, err)
	}
	if pushed, _ := db.DigestPushed(ctx, s.ID, d2); pushed {
		t.Error("DigestPushed(d2) = true")
	}
	if pushed, _ := db.DigestPushed(ctx, other.ID, d1); pushed {
		t.Error("DigestPushed(other shop) = true")
	}
	// Another shop's digest of the same day is its own.
	if first, err := db.RecordDigest(ctx, other.ID, d1, nil, t0()); err != nil || !first {
		t.Errorf("RecordDigest(other shop) = %v, %v", first, err)
	}
	// A customer of another shop is not recorded as shown.
	if first, err := db.RecordDigest(ctx, s.ID, d2, []crm.DigestEntry{entry(kim, crm.ReasonDue),
		entry(customerNamed(t, db, other.ID, "Kim Minji"), crm.ReasonLapsed)}, t0()); err != nil || !first {
		t.Errorf("RecordDigest(d2) = %v, %v", first, err)
	}

	if err := db.MarkGreeted(ctx, s.ID, lee, d1); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkGreeted(ctx, s.ID, lee, d2); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkGreeted(ctx, s.ID, lee, d2); err != nil {
		t.Errorf("MarkGreeted twice: %v", err)
	}
	wantErr(t, db.MarkGreeted(ctx, other.ID, lee, d1), crm.ErrNotFound)
	wantErr(t, db.MarkGreeted(ctx, s.ID, lee, crm.Date{}), crm.ErrInvalidInput)
	_, err = db.RecordDigest(ctx, s.ID, crm.Date{}, nil, t0())
	wantErr(t, err, crm.ErrInvalidInput)

	h, err = db.History(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if h[0].LapsedShown != d1 || !h[0].Greeted.IsZero() {
		t.Errorf("Kim: lapsed shown %v, greeted %v; want %v and never", h[0].LapsedShown, h[0].Greeted, d1)
	}
	if !h[1].LapsedShown.IsZero() || h[1].Greeted != d2 {
		t.Errorf("Lee: lapsed shown %v, greeted %v; want never and %v", h[1].LapsedShown, h[1].Greeted, d2)
	}
	// The other shop sees none of it.
	ho, err := db.History(ctx, other.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ho {
		if !x.LapsedShown.IsZero() || !x.Greeted.IsZero() || x.Allergies != nil || len(x.Visits) > 3 {
			t.Errorf("other shop's %+v", x)
		}
	}
}

// TestHistoryMatchesVisits checks History against Visits over a generated
// shop, large enough to be read in halves, that shares the database with
// another; with items read in small windows and visits kept in a map as
// well as in a slice.
func TestHistoryMatchesVisits(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	a := newShop(t, db, "A")
	b := newShop(t, db, "B")
	rows := benchLedger(1100, 4000)
	// The shops' visits interleave: A's visit ids are not contiguous.
	for i := 0; i < len(rows); i += 500 {
		part := rows[i:min(i+500, len(rows))]
		importRows(t, db, a.ID, part)
		importRows(t, db, b.ID, part[:100])
	}
	// And a customer with no visits.
	addCustomer(t, db, a.ID, "Nobody Yet")

	// What History should say, from the ledger (a plain join): each
	// customer's visits oldest first, their items in any order.
	sorted := func(vs []crm.VisitDay) []crm.VisitDay {
		out := slices.Clone(vs)
		for i := range out {
			out[i].Items = slices.Clone(out[i].Items)
			slices.Sort(out[i].Items)
		}
		return out
	}
	l, err := db.Ledger(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(l) != len(rows) {
		t.Fatalf("ledger of %d rows, want %d", len(l), len(rows))
	}
	want := make(map[string][]crm.VisitDay)
	for _, r := range l {
		v := crm.VisitDay{Date: r.Date}
		for _, it := range r.Items {
			v.Items = append(v.Items, it.Name)
		}
		want[r.Customer] = append(want[r.Customer], v)
	}
	for k, vs := range want {
		want[k] = sorted(vs)
	}

	defer func(w, d int64) { itemsWindow, denseVisits = w, d }(itemsWindow, denseVisits)
	for _, mode := range []struct{ window, dense int64 }{{1 << 16, 1 << 22}, {37, 1 << 22}, {100, 10}} {
		itemsWindow, denseVisits = mode.window, mode.dense
		h, err := db.History(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != 1101 {
			t.Fatalf("%d customers", len(h))
		}
		for _, x := range h {
			if got := sorted(x.Visits); !reflect.DeepEqual(got, want[x.Customer.Name]) {
				t.Fatalf("window %d, dense %d: %s:\n got %v\nwant %v", mode.window, mode.dense,
					x.Customer.Name, got, want[x.Customer.Name])
			}
		}
	}
}

func TestForgetCustomerLeavesNoDigestTrace(t *testing.T) {
	db, path := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	importRows(t, db, s.ID, []crm.LedgerRow{
		{Date: day(3, 1), Customer: "Zelda Quux", Items: items("croissant", 1), Note: "Zelda's kids came too"},
		{Date: day(3, 2), Customer: "Kim", Items: items("croissant", 1)},
	})
	zelda := customerNamed(t, db, s.ID, "Zelda Quux")
	kim := customerNamed(t, db, s.ID, "Kim")
	if _, err := db.RecordDigest(ctx, s.ID, day(4, 1), []crm.DigestEntry{
		entry(zelda, crm.ReasonLapsed), entry(kim, crm.ReasonLapsed)}, t0()); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkGreeted(ctx, s.ID, zelda, day(4, 1)); err != nil {
		t.Fatal(err)
	}
	if err := db.ForgetCustomer(ctx, s.ID, zelda, t0()); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"visits", "digest_shown", "greetings"} {
		var n int
		if err := db.db.QueryRow(`SELECT count(*) FROM "`+table+`" WHERE customer_id = ?`, zelda).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s: %d rows of the forgotten customer", table, n)
		}
	}
	if hits := findText(t, db, "Zelda"); len(hits) > 0 {
		t.Errorf("Zelda still in %v", hits)
	}
	n := counts(t, db)
	if n["digest_runs"] != 1 || n["digest_shown"] != 1 || n["visits"] != 1 {
		t.Errorf("rows left: %v", n)
	}
	h, err := db.History(ctx, s.ID)
	if err != nil || len(h) != 1 || h[0].Customer.ID != kim || h[0].LapsedShown != day(4, 1) {
		t.Errorf("History after forgetting = %+v, %v", h, err)
	}
	db.Close()
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "Zelda") {
			t.Errorf("%s still holds the name", f)
		}
	}
}
