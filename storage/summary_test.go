package storage

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

// digestBoth computes the digest of day from the full history and from the
// summaries (with the favourites of every entry added), which must agree.
func digestBoth(t *testing.T, db *DB, shopID int64, day crm.Date) []crm.DigestEntry {
	t.Helper()
	ctx := context.Background()
	hist, err := db.History(ctx, shopID)
	if err != nil {
		t.Fatal(err)
	}
	want := crm.Digest(day, hist, crm.DefaultDigestRules())
	sums, err := db.Summaries(ctx, shopID)
	if err != nil {
		t.Fatal(err)
	}
	got := crm.Digest(day, sums, crm.DefaultDigestRules())
	ids := make([]int64, len(got))
	for i, e := range got {
		ids[i] = e.Customer.ID
	}
	items, err := db.VisitItems(ctx, shopID, ids)
	if err != nil {
		t.Fatal(err)
	}
	crm.AddFavorites(day, got, items)
	if len(got) != len(want) {
		t.Fatalf("%s: %d entries from summaries, %d from visits", day, len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("%s: entry %d from summaries\n%+v\nfrom visits\n%+v", day, i, got[i], want[i])
		}
	}
	return got
}

func TestSummariesGiveTheSameDigest(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	s := newShop(t, db, "Bakery")
	if _, err := db.Import(ctx, s.ID, benchLedger(300, 12_000), t0()); err != nil {
		t.Fatal(err)
	}
	// Notes add visits out of order, two on one day, and one ahead.
	cs, err := db.FindCustomers(ctx, s.ID, "Customer 00007")
	if err != nil || len(cs) != 1 {
		t.Fatal(cs, err)
	}
	for _, d := range []crm.Date{benchDay.AddDays(-400), benchDay.AddDays(-3), benchDay.AddDays(-3), benchDay.AddDays(5)} {
		c := blank()
		c.CustomerID = cs[0].ID
		c.Visit = &crm.VisitInput{Date: d, Items: []crm.ItemQty{{Name: "scone", Qty: 1}}}
		record(t, db, noteIn(s.ID, "owner", "visit", c))
	}
	n := 0
	for _, day := range []crm.Date{benchDay, benchDay.AddDays(-1), benchDay.AddDays(-30), benchDay.AddDays(-200), benchDay.AddDays(3)} {
		n += len(digestBoth(t, db, s.ID, day))
	}
	if n < 100 {
		t.Fatalf("only %d entries: the ledger tests little", n)
	}
}

func TestSummaryFollowsEveryWrite(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	s := newShop(t, db, "Bakery")
	days := func(id int64) []crm.Date {
		t.Helper()
		sums, err := db.Summaries(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range sums {
			if h.Customer.ID == id {
				out := []crm.Date{}
				for _, n := range h.Days {
					out = append(out, crm.DayDate(int(n)))
				}
				return out
			}
		}
		t.Fatalf("customer %d not in the summaries", id)
		return nil
	}
	same := func(got []crm.Date, want ...string) {
		t.Helper()
		var g []string
		for _, d := range got {
			g = append(g, d.String())
		}
		if len(g) != len(want) || len(want) > 0 && !reflect.DeepEqual(g, want) {
			t.Fatalf("days = %v, want %v", g, want)
		}
		mustAgreeNow(t, db)
	}

	// A note adds a visit; a second one on the same day is one visit day.
	n1 := record(t, db, kimNote(s.ID))
	kim := n1.Effects[0].CustomerID
	same(days(kim), "2025-03-06")
	c := blank()
	c.CustomerID = kim
	c.Visit = &crm.VisitInput{Date: crm.NewDate(2025, 3, 6), Items: []crm.ItemQty{{Name: "tea", Qty: 1}}}
	n2 := record(t, db, noteIn(s.ID, "owner", "tea", c))
	same(days(kim), "2025-03-06")
	c.Visit = &crm.VisitInput{Date: crm.NewDate(2025, 2, 1), Items: []crm.ItemQty{{Name: "tea", Qty: 1}}}
	n3 := record(t, db, noteIn(s.ID, "owner", "tea in February", c))
	same(days(kim), "2025-02-01", "2025-03-06")

	// A correction moves the visit's day; its undo moves it back.
	var visit int64
	for _, e := range n3.Effects {
		if e.Kind == crm.EffectVisitAdded {
			visit = e.RefID
		}
	}
	fix := blank()
	fix.CustomerID = kim
	fix.Correct = &crm.CorrectInput{VisitID: visit, Date: crm.NewDate(2025, 3, 1)}
	n4 := record(t, db, noteIn(s.ID, "owner", "no, 1 March", fix))
	same(days(kim), "2025-03-01", "2025-03-06")
	if _, err := db.UndoNote(ctx, s.ID, n4.ID, "console", "owner", t0(), nil); err != nil {
		t.Fatal(err)
	}
	same(days(kim), "2025-02-01", "2025-03-06")

	// Undoing notes takes their visits out.
	for _, n := range []crm.Note{n3, n2} {
		if _, err := db.UndoNote(ctx, s.ID, n.ID, "console", "owner", t0(), nil); err != nil {
			t.Fatal(err)
		}
	}
	same(days(kim), "2025-03-06")

	// An import adds visits; a merge of customers moves them.
	if _, err := db.Import(ctx, s.ID, []crm.LedgerRow{
		{Date: crm.NewDate(2024, 12, 24), Customer: "Kim Minji"},
		{Date: crm.NewDate(2025, 1, 2), Customer: "Lee Jisoo"},
		{Date: crm.NewDate(2025, 3, 6), Customer: "Lee Jisoo"},
	}, t0()); err != nil {
		t.Fatal(err)
	}
	same(days(kim), "2024-12-24", "2025-03-06")
	lee, err := db.FindCustomers(ctx, s.ID, "Lee Jisoo")
	if err != nil || len(lee) != 1 {
		t.Fatal(lee, err)
	}
	same(days(lee[0].ID), "2025-01-02", "2025-03-06")
	if err := db.MergeCustomer(ctx, s.ID, lee[0].ID, kim); err != nil {
		t.Fatal(err)
	}
	same(days(kim), "2024-12-24", "2025-01-02", "2025-03-06")

	// Retention and erasure take the summary with the customer.
	park := record(t, db, noteIn(s.ID, "owner", "Park", func() crm.Change {
		c := blank()
		c.NewName = "Park"
		c.Visit = &crm.VisitInput{Date: crm.NewDate(2020, 5, 5)}
		return c
	}())).Effects[0].CustomerID
	same(days(park), "2020-05-05")
	if n, err := db.ExpireCustomers(ctx, s.ID, crm.NewDate(2023, 1, 1), t0(), t0()); err != nil || n != 1 {
		t.Fatalf("expired %d, %v", n, err)
	}
	mustAgreeNow(t, db)
	if err := db.ForgetCustomer(ctx, s.ID, kim, t0()); err != nil {
		t.Fatal(err)
	}
	mustAgreeNow(t, db)
	var left int
	if err := db.db.QueryRow(`SELECT count(*) FROM visit_summaries`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("%d summaries left, %v", left, err)
	}
}

// mustAgreeNow fails the test when a summary differs from the visits.
func mustAgreeNow(t *testing.T, db *DB) {
	t.Helper()
	ps, err := db.CheckSummaries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) > 0 {
		t.Fatalf("summaries: %v", ps)
	}
}

func TestCheckSummariesFindsAndRepairs(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	s := newShop(t, db, "Bakery")
	if _, err := db.Import(ctx, s.ID, benchLedger(20, 200), t0()); err != nil {
		t.Fatal(err)
	}
	mustAgreeNow(t, db)
	for _, q := range []string{
		`UPDATE visit_summaries SET visits = visits + 1 WHERE customer_id = 1`,
		`UPDATE visit_summaries SET last_date = '2000-01-01' WHERE customer_id = 2`,
		`UPDATE visit_summaries SET days = CAST(substr(days, 5) || substr(days, 1, 4) AS BLOB) WHERE customer_id = 3`, // same days, moved: fine
		`UPDATE visit_summaries SET days = CAST(days || substr(days, 1, 4) AS BLOB) WHERE customer_id = 4`,
		`DELETE FROM visit_summaries WHERE customer_id = 5`,
	} {
		if _, err := db.db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	ps, err := db.CheckSummaries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, p := range ps {
		got = append(got, p.CustomerID)
	}
	if !reflect.DeepEqual(got, []int64{1, 2, 4, 5}) {
		t.Fatalf("problems %v", ps)
	}
	n, err := db.RepairSummaries(ctx)
	if err != nil || n != 20 {
		t.Fatalf("repaired %d, %v", n, err)
	}
	mustAgreeNow(t, db)
}

// TestMigrationBackfillsSummaries opens a database written before the
// summaries were kept: its visits get one.
func TestMigrationBackfillsSummaries(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	old, err := sql.Open("sqlite3", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	v := 0
	for _, m := range ms {
		if strings.HasSuffix(m.name, "_speed.sql") {
			break
		}
		if _, err := old.Exec(m.sql); err != nil {
			t.Fatal(m.name, err)
		}
		v = m.version
	}
	if _, err := old.Exec(`PRAGMA user_version = ` + strconv.Itoa(v)); err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(`INSERT INTO shops (id, name, time_zone, digest_time, lapsed_days, digest_limit, code, created_at)
		VALUES (1, 'Bakery', 'Asia/Seoul', '08:30', 60, 7, 'c', '')`); err != nil {
		t.Fatal(err)
	}
	for i, d := range []string{"2025-03-06", "2001-01-01", "2025-03-06", "9999-12-31", "0001-01-01"} {
		if i < 3 {
			if _, err := old.Exec(`INSERT OR IGNORE INTO customers (id, shop_id, name, created_at) VALUES (?, 1, ?, '')`, i+1, "C"+strconv.Itoa(i)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := old.Exec(`INSERT INTO visits (shop_id, customer_id, date, created_at) VALUES (1, ?, ?, '')`, 1+i%3, d); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustAgreeNow(t, db)
	sums, err := db.Summaries(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64][]string{}
	for _, h := range sums {
		for _, n := range h.Days {
			got[h.Customer.ID] = append(got[h.Customer.ID], crm.DayDate(int(n)).String())
		}
	}
	want := map[int64][]string{1: {"2025-03-06", "9999-12-31"}, 2: {"0001-01-01", "2001-01-01"}, 3: {"2025-03-06"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("days %v, want %v", got, want)
	}
}

func TestDayNumbers(t *testing.T) {
	for d := crm.NewDate(1, 1, 1); d.Year < 10000; d = d.AddDays(1 + d.Year*3%97) {
		if got := crm.DayDate(crm.DayNumber(d)); got != d {
			t.Fatalf("DayDate(DayNumber(%s)) = %s", d, got)
		}
	}
	if n := crm.DayNumber(crm.NewDate(1970, time.January, 1)); n != 0 {
		t.Fatalf("1970-01-01 is day %d", n)
	}
}

// A large import keeps the summaries itself (the trigger paused for its
// shop): imported again, or with more rows, or into a shop with visits
// from notes, they still agree, and the trigger is on again afterwards.
func TestLargeImportKeepsSummaries(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	s := newShop(t, db, "Bakery")
	other := newShop(t, db, "Café")
	record(t, db, kimNote(s.ID))
	rows := benchLedger(50, 3000)
	for _, rs := range [][]crm.LedgerRow{rows[:2000], rows[:2000], rows, append(rows, crm.LedgerRow{Date: benchDay, Customer: "Kim Minji"})} {
		if _, err := db.Import(ctx, s.ID, rs, t0()); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Import(ctx, other.ID, rs[:10], t0()); err != nil {
			t.Fatal(err)
		}
		mustAgreeNow(t, db)
	}
	var paused int
	if err := db.db.QueryRow(`SELECT count(*) FROM visit_summaries_paused`).Scan(&paused); err != nil || paused != 0 {
		t.Fatalf("%d shops paused, %v", paused, err)
	}
	c := blank()
	c.NewName = "Lee"
	c.Visit = &crm.VisitInput{Date: benchDay}
	record(t, db, noteIn(s.ID, "owner", "Lee", c))
	mustAgreeNow(t, db)
	digestBoth(t, db, s.ID, benchDay)
}

func TestDecodeDays(t *testing.T) {
	var b []byte
	for _, d := range []crm.Date{crm.NewDate(2025, 3, 6), crm.NewDate(2025, 1, 1), crm.NewDate(2025, 3, 6), crm.NewDate(1, 1, 1)} {
		b = summaryBytes(b, d)
	}
	got, ok := decodeDays([]int32{7}, b)
	want := []int32{7, int32(crm.DayNumber(crm.NewDate(1, 1, 1))), int32(crm.DayNumber(crm.NewDate(2025, 1, 1))),
		int32(crm.DayNumber(crm.NewDate(2025, 3, 6)))}
	if !ok || !reflect.DeepEqual(got, want) {
		t.Fatalf("decodeDays = %v %v, want %v", got, ok, want)
	}
	for _, bad := range [][]byte{{0x80, 1, 2}, {0x00, 1, 2, 3}, {0x80, 0x81, 2, 3}} {
		if got, ok := decodeDays([]int32{7}, bad); ok || len(got) != 1 {
			t.Fatalf("decodeDays(%x) = %v %v", bad, got, ok)
		}
	}
}

// A streamed import keeps the summaries in every batch, small ones (the
// trigger) and large ones (the import itself), run again and resumed; the
// digest from the summaries is the one from the visits.
func TestStreamedImportKeepsSummaries(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	s := newShop(t, db, "Bakery")
	record(t, db, kimNote(s.ID))
	rows := benchLedger(300, 6000)
	for _, size := range []int{250, 2500, 6000} {
		addRows(t, db, s.ID, rows[:len(rows)*size/6000], size)
		mustAgreeNow(t, db)
	}
	addRows(t, db, s.ID, rows, 1500) // all imported before
	mustAgreeNow(t, db)
	var paused int
	if err := db.db.QueryRow(`SELECT count(*) FROM visit_summaries_paused`).Scan(&paused); err != nil || paused != 0 {
		t.Fatalf("%d shops paused, %v", paused, err)
	}
	digestBoth(t, db, s.ID, benchDay)

	// A batch that fails leaves the summaries as they were.
	run, err := db.BeginImport(ctx, s.ID, t0())
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := run.Add(cctx, benchLedger(400, 1200), nil); err == nil {
		t.Fatal("a batch went in after its context ended")
	}
	mustAgreeNow(t, db)
}

// A shop restored from its JSON export has the summaries of its visits.
func TestRestoreKeepsSummaries(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	a := newShop(t, db, "A")
	importRows(t, db, a.ID, benchLedger(120, 3000))
	record(t, db, kimNote(a.ID))
	var d crm.ShopData
	var cs []crm.CustomerData
	if err := db.ExportShop(ctx, a.ID, func(x crm.ShopData) error { d = x; return nil },
		func(c crm.CustomerData) error { cs = append(cs, c); return nil }); err != nil {
		t.Fatal(err)
	}
	db2, _ := openTest(t)
	b := newShop(t, db2, "B")
	i := 0
	n, err := db2.RestoreShop(ctx, b.ID, d, func() (crm.CustomerData, bool, error) {
		if i == len(cs) {
			return crm.CustomerData{}, false, nil
		}
		i++
		return cs[i-1], true, nil
	})
	if err != nil || n != len(cs) {
		t.Fatalf("restore %d, %v", n, err)
	}
	mustAgreeNow(t, db2)
	for _, day := range []crm.Date{benchDay, benchDay.AddDays(-40)} {
		want := digestBoth(t, db, a.ID, day)
		got := digestBoth(t, db2, b.ID, day)
		if len(got) != len(want) {
			t.Fatalf("%s: %d entries after the restore, %d before", day, len(got), len(want))
		}
		for k := range want {
			if got[k].Customer.Name != want[k].Customer.Name || got[k].VisitCount != want[k].VisitCount ||
				!reflect.DeepEqual(got[k].Reasons, want[k].Reasons) || !reflect.DeepEqual(got[k].Favorites, want[k].Favorites) {
				t.Fatalf("%s: entry %d after the restore %+v, before %+v", day, k, got[k], want[k])
			}
		}
	}
}
