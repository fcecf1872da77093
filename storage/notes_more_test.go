package storage

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

func undo(t *testing.T, db *DB, shopID, noteID int64) {
	t.Helper()
	if _, err := db.UndoNote(context.Background(), shopID, noteID, "console", "owner", t0(), nil); err != nil {
		t.Fatalf("UndoNote: %v", err)
	}
}

func TestNoteAboutSeveralCustomers(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	kim := record(t, db, kimNote(s.ID)).Effects[0].CustomerID
	before := counts(t, db)

	day := crm.NewDate(2025, 3, 6)
	tom := blank()
	tom.CustomerID = kim
	tom.Visit = &crm.VisitInput{Date: day, Items: []crm.ItemQty{{Name: "croissant", Qty: 2}}}
	sarah := blank()
	sarah.NewName = "Sarah"
	sarah.Visit = &crm.VisitInput{Date: day, Amount: 350, Currency: "gbp", Items: []crm.ItemQty{{Name: "scone", Qty: 1}}}
	in := noteIn(s.ID, "owner", "Kim 2 croissants, Sarah 1 scone £3.50", tom)
	in.More = []crm.Change{sarah}
	n := record(t, db, in)
	var customers = map[int64]bool{}
	visits := 0
	for _, e := range n.Effects {
		customers[e.CustomerID] = true
		if e.Kind == crm.EffectVisitAdded {
			visits++
		}
	}
	if len(customers) != 2 || visits != 2 {
		t.Fatalf("effects %+v: %d customers, %d visits", n.Effects, len(customers), visits)
	}
	found, err := db.FindCustomers(ctx, s.ID, "Sarah")
	if err != nil || len(found) != 1 {
		t.Fatalf("Sarah: %v %v", found, err)
	}
	vs, err := db.Visits(ctx, s.ID, found[0].ID)
	if err != nil || len(vs) != 1 || vs[0].Amount != 350 || vs[0].Currency != "GBP" || vs[0].NoteID != n.ID {
		t.Fatalf("Sarah's visits = %+v, %v", vs, err)
	}
	undo(t, db, s.ID, n.ID)
	after := counts(t, db)
	after["notes"], after["note_effects"] = before["notes"], before["note_effects"]
	sameCounts(t, after, before)

	// A further change without a customer is refused, and nothing is kept.
	in.More = []crm.Change{{UsualWeekday: crm.NoWeekday, Facts: []crm.FactInput{{Kind: crm.FactNote, Value: "x"}}}}
	_, err = db.RecordNote(ctx, in)
	wantErr(t, err, crm.ErrInvalidInput)
}

func TestRemoveFactAndUndo(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	first := record(t, db, kimNote(s.ID))
	kim := first.Effects[0].CustomerID
	facts, _ := db.Facts(ctx, s.ID, kim)

	rm := blank()
	rm.CustomerID = kim
	rm.RemoveFacts = []crm.FactInput{{Kind: crm.FactAllergy, Value: "WALNUTS"}}
	n := record(t, db, noteIn(s.ID, "owner", "Kim not allergic to walnuts", rm))
	if len(n.Effects) != 1 || n.Effects[0].Kind != crm.EffectFactRemoved || n.Effects[0].RefID != facts[0].ID {
		t.Fatalf("effects = %+v", n.Effects)
	}
	if got, _ := db.Facts(ctx, s.ID, kim); len(got) != 0 {
		t.Fatalf("facts after removal = %+v", got)
	}
	// Removing what is not there changes nothing.
	_, err := db.RecordNote(ctx, noteIn(s.ID, "owner", "again", rm))
	wantErr(t, err, crm.ErrNotFound)

	undo(t, db, s.ID, n.ID)
	got, _ := db.Facts(ctx, s.ID, kim)
	if !reflect.DeepEqual(got, facts) {
		t.Fatalf("facts after undo = %+v, want %+v", got, facts)
	}

	// Removed again, and its id taken by a new fact meanwhile: undo puts
	// it back under a new id, and undoing the note that added it still
	// removes it.
	n = record(t, db, noteIn(s.ID, "owner", "Kim not allergic to walnuts", rm))
	other := blank()
	other.CustomerID = kim
	other.Facts = []crm.FactInput{{Kind: crm.FactLike, Value: "scones"}}
	record(t, db, noteIn(s.ID, "staff", "Kim likes scones", other))
	if got, _ := db.Facts(ctx, s.ID, kim); len(got) != 1 || got[0].ID != facts[0].ID {
		t.Skipf("the fact id was not reused (%+v); nothing to test", got)
	}
	undo(t, db, s.ID, n.ID)
	got, _ = db.Facts(ctx, s.ID, kim)
	if len(got) != 2 || got[1].Value != "walnuts" || got[1].NoteID != first.ID || !got[1].CreatedAt.Equal(facts[0].CreatedAt) {
		t.Fatalf("facts = %+v", got)
	}
	undo(t, db, s.ID, first.ID)
	if got, _ := db.Facts(ctx, s.ID, kim); len(got) != 1 || got[0].Value != "scones" {
		t.Fatalf("facts after undoing the first note = %+v", got)
	}
}

func TestCorrectVisit(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	first := record(t, db, kimNote(s.ID))
	kim := first.Effects[0].CustomerID
	visit := first.Effects[3].RefID

	fix := blank()
	fix.CustomerID = kim
	fix.Correct = &crm.CorrectInput{VisitID: visit, Item: "croissant", Qty: 3, Date: crm.NewDate(2025, 3, 5)}
	n := record(t, db, noteIn(s.ID, "owner", "oh wait 3, yesterday", fix))
	if kinds := effectKinds(n); !reflect.DeepEqual(kinds, []crm.EffectKind{crm.EffectLineQtySet, crm.EffectVisitDateSet}) {
		t.Fatalf("effects = %v", kinds)
	}
	vs, _ := db.Visits(ctx, s.ID, kim)
	if vs[0].Date != crm.NewDate(2025, 3, 5) || vs[0].Items[0].Qty != 3 || vs[0].Items[1].Qty != 1 {
		t.Fatalf("visit = %+v", vs[0])
	}
	undo(t, db, s.ID, n.ID)
	vs, _ = db.Visits(ctx, s.ID, kim)
	if vs[0].Date != crm.NewDate(2025, 3, 6) || vs[0].Items[0].Qty != 2 {
		t.Fatalf("visit after undo = %+v", vs[0])
	}

	for name, k := range map[string]crm.CorrectInput{
		"item not on the visit": {VisitID: visit, Item: "bagel", Qty: 3},
		"unknown visit":         {VisitID: visit + 100, Qty: 0, Date: crm.NewDate(2025, 3, 5)},
	} {
		fix.Correct = &k
		before := counts(t, db)
		_, err := db.RecordNote(ctx, noteIn(s.ID, "owner", name, fix))
		wantErr(t, err, crm.ErrNotFound)
		sameCounts(t, counts(t, db), before)
	}
	fix.Correct = &crm.CorrectInput{VisitID: visit}
	_, err := db.RecordNote(ctx, noteIn(s.ID, "owner", "nothing", fix))
	wantErr(t, err, crm.ErrInvalidInput)
}

func TestBookings(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Guesthouse")
	kim := record(t, db, kimNote(s.ID)).Effects[0].CustomerID
	day := func(d int) crm.Date { return crm.NewDate(2025, 3, d) }
	book := func(text string, b crm.BookingInput) crm.Note {
		c := blank()
		c.CustomerID = kim
		c.Booking = &b
		return record(t, db, noteIn(s.ID, "owner", text, c))
	}
	cake := book("Kim cake pickup 3pm on the 10th", crm.BookingInput{Date: day(10), Time: "3:00", What: " cake  pickup ", Amount: 30000})
	stay := book("Kim 8th-11th stay", crm.BookingInput{Date: day(8), End: day(11), What: "stay"})
	book("Kim on the 12th", crm.BookingInput{Date: day(12)})
	if cake.Effects[0].Kind != crm.EffectBookingAdded {
		t.Fatalf("effects = %+v", cake.Effects)
	}
	got, err := db.Bookings(ctx, s.ID, day(10), day(10))
	if err != nil || len(got) != 2 {
		t.Fatalf("Bookings(10th) = %+v, %v", got, err)
	}
	if got[0].What != "stay" || got[1].Time != "03:00" || got[1].What != "cake pickup" || got[1].Amount != 30000 ||
		got[1].Customer != "Kim Minji" || got[1].NoteID != cake.ID || got[0].LastDay() != day(11) {
		t.Errorf("bookings = %+v", got)
	}
	if got, _ := db.Bookings(ctx, s.ID, day(1), day(7)); len(got) != 0 {
		t.Errorf("bookings before = %+v", got)
	}
	if got, _ := db.CustomerBookings(ctx, s.ID, kim, day(11)); len(got) != 2 {
		t.Errorf("from the 11th = %+v", got)
	}
	undo(t, db, s.ID, stay.ID)
	if got, _ := db.Bookings(ctx, s.ID, day(1), day(31)); len(got) != 2 {
		t.Errorf("after undo = %+v", got)
	}
	bad := blank()
	bad.CustomerID = kim
	bad.Booking = &crm.BookingInput{Date: day(10), End: day(9)}
	_, err = db.RecordNote(ctx, noteIn(s.ID, "owner", "bad", bad))
	wantErr(t, err, crm.ErrInvalidInput)
	bad.Booking = &crm.BookingInput{Date: day(10), Time: "25:00"}
	_, err = db.RecordNote(ctx, noteIn(s.ID, "owner", "bad", bad))
	wantErr(t, err, crm.ErrInvalidInput)

	if err := db.ForgetCustomer(ctx, s.ID, kim, t0()); err != nil {
		t.Fatal(err)
	}
	if n := counts(t, db)["bookings"]; n != 0 {
		t.Errorf("%d bookings after forgetting their customer", n)
	}
}

func TestLexiconAndUsualTime(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	teach := func(word, role string) crm.Note {
		c := blank()
		c.Lexicon = []crm.LexiconInput{{Word: word, Role: role}}
		return record(t, db, noteIn(s.ID, "owner", "teach", c))
	}
	a := teach("체크아웃", crm.LexMemo)
	b := teach("Oat", crm.LexItem)
	c := teach("oat", crm.LexIgnore)
	if lex, _ := db.Lexicon(ctx, s.ID); !reflect.DeepEqual(lex, map[string]string{"체크아웃": "memo", "oat": "ignore"}) {
		t.Fatalf("lexicon = %v", lex)
	}
	if c.Effects[0].Old != "item:oat" || c.Effects[0].New != "ignore:oat" || c.Effects[0].CustomerID != 0 {
		t.Errorf("effect = %+v", c.Effects[0])
	}
	undo(t, db, s.ID, c.ID)
	undo(t, db, s.ID, a.ID)
	if lex, _ := db.Lexicon(ctx, s.ID); !reflect.DeepEqual(lex, map[string]string{"oat": "item"}) {
		t.Fatalf("lexicon after undo = %v", lex)
	}
	undo(t, db, s.ID, b.ID)
	bad := blank()
	bad.Lexicon = []crm.LexiconInput{{Word: "x", Role: "customer"}}
	_, err := db.RecordNote(ctx, noteIn(s.ID, "owner", "bad", bad))
	wantErr(t, err, crm.ErrInvalidInput)

	kim := record(t, db, kimNote(s.ID)).Effects[0].CustomerID
	u := blank()
	u.CustomerID = kim
	u.UsualTime = "7:00"
	n := record(t, db, noteIn(s.ID, "owner", "Kim comes at 7 every morning", u))
	if cust, _ := db.Customer(ctx, s.ID, kim); cust.UsualTime != "07:00" {
		t.Fatalf("usual time = %q", cust.UsualTime)
	}
	undo(t, db, s.ID, n.ID)
	if cust, _ := db.Customer(ctx, s.ID, kim); cust.UsualTime != "" {
		t.Fatalf("usual time after undo = %q", cust.UsualTime)
	}
}

func TestShopCurrency(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s, err := db.CreateShop(ctx, crm.Shop{Name: "Corner", Lang: "en", TimeZone: "Europe/London"})
	if err != nil || s.Currency != "GBP" {
		t.Fatalf("shop = %+v, %v", s, err)
	}
	s.Currency = "usd"
	if err := db.UpdateShop(ctx, s); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Shop(ctx, s.ID); got.Currency != "USD" {
		t.Errorf("currency = %q", got.Currency)
	}
	s.Currency = "XXQ"
	wantErr(t, db.UpdateShop(ctx, s), crm.ErrInvalidInput)
}

func TestEraseCustomerOfSharedNote(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	day := crm.NewDate(2025, 3, 6)
	a, b := blank(), blank()
	a.NewName, b.NewName = "Tom", "Sarah"
	a.Visit = &crm.VisitInput{Date: day, Items: []crm.ItemQty{{Name: "croissant", Qty: 2}}}
	b.Visit = &crm.VisitInput{Date: day, Items: []crm.ItemQty{{Name: "latte", Qty: 1}}}
	b.Facts = []crm.FactInput{{Kind: crm.FactLike, Value: "oat milk"}}
	in := noteIn(s.ID, "owner", "Tom 2 croissants, Sarah 1 latte, loves oat milk", a)
	in.More = []crm.Change{b}
	n := record(t, db, in)
	tom := n.Effects[0].CustomerID
	if err := db.ForgetCustomer(ctx, s.ID, tom, t0()); err != nil {
		t.Fatal(err)
	}
	found, _ := db.FindCustomers(ctx, s.ID, "Sarah")
	if len(found) != 1 {
		t.Fatal("Sarah went with Tom")
	}
	vs, _ := db.Visits(ctx, s.ID, found[0].ID)
	fs, _ := db.Facts(ctx, s.ID, found[0].ID)
	if len(vs) != 1 || vs[0].NoteID != 0 || len(fs) != 1 {
		t.Fatalf("Sarah's visits %+v, facts %+v", vs, fs)
	}
	if _, err := db.Note(ctx, s.ID, n.ID); err == nil {
		t.Error("the note naming Tom is still there")
	}
	if v, c, err := db.CountVisits(ctx, s.ID, day, day); err != nil || v != 1 || c != 1 {
		t.Errorf("CountVisits = %d, %d, %v", v, c, err)
	}
}

func TestCountVisits(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	kim := record(t, db, kimNote(s.ID)).Effects[0].CustomerID
	for _, d := range []int{6, 7, 9} {
		c := blank()
		c.CustomerID = kim
		c.Visit = &crm.VisitInput{Date: crm.NewDate(2025, 3, d)}
		record(t, db, noteIn(s.ID, "owner", "visit", c))
	}
	other := blank()
	other.NewName = "Lee"
	other.Visit = &crm.VisitInput{Date: crm.NewDate(2025, 3, 7)}
	record(t, db, noteIn(s.ID, "owner", "Lee came", other))
	v, c, err := db.CountVisits(ctx, s.ID, crm.NewDate(2025, 3, 6), crm.NewDate(2025, 3, 8))
	if err != nil || v != 3 || c != 2 {
		t.Errorf("CountVisits = %d visits, %d customers, %v; want 3, 2", v, c, err)
	}
}

func TestDislikeReplacesLike(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	kim := record(t, db, kimNote(s.ID)).Effects[0].CustomerID
	note := func(kind crm.FactKind) crm.Note {
		c := blank()
		c.CustomerID = kim
		c.Facts = []crm.FactInput{{Kind: kind, Value: "Scones"}}
		return record(t, db, noteIn(s.ID, "owner", string(kind)+" scones", c))
	}
	note(crm.FactLike)
	n := note(crm.FactDislike)
	if kinds := effectKinds(n); !reflect.DeepEqual(kinds, []crm.EffectKind{crm.EffectFactRemoved, crm.EffectFactAdded}) {
		t.Fatalf("effects = %v", kinds)
	}
	kinds := func() []crm.FactKind {
		fs, _ := db.Facts(ctx, s.ID, kim)
		var out []crm.FactKind
		for _, f := range fs {
			out = append(out, f.Kind)
		}
		return out
	}
	if got := kinds(); !reflect.DeepEqual(got, []crm.FactKind{crm.FactAllergy, crm.FactDislike}) {
		t.Fatalf("facts = %v", got)
	}
	undo(t, db, s.ID, n.ID)
	if got := kinds(); !reflect.DeepEqual(got, []crm.FactKind{crm.FactAllergy, crm.FactLike}) {
		t.Fatalf("facts after undo = %v", got)
	}
}

func TestBookingKeepsCustomerPastRetention(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Guesthouse")
	now := time.Date(2027, 6, 1, 12, 0, 0, 0, s.Location())
	day, cut := crm.RetentionCutoff(now, s.Location(), 24)
	guest := func(name string, booked crm.Date) int64 {
		c := blank()
		c.NewName = name
		c.Visit = &crm.VisitInput{Date: crm.NewDate(2025, 1, 10)}
		c.Booking = &crm.BookingInput{Date: booked, What: "stay"}
		return record(t, db, noteIn(s.ID, "owner", name, c)).Effects[0].CustomerID
	}
	ahead := guest("Ahead", crm.NewDate(2027, 8, 1)) // booked long ago for this summer
	past := guest("Past", crm.NewDate(2025, 2, 1))
	if n, err := db.ExpireCustomers(ctx, s.ID, day, cut, now); err != nil || n != 1 {
		t.Fatalf("expired %d, %v", n, err)
	}
	if _, err := db.Customer(ctx, s.ID, ahead); err != nil {
		t.Errorf("the guest with a booking ahead was erased: %v", err)
	}
	if _, err := db.Customer(ctx, s.ID, past); err == nil {
		t.Error("the guest of long ago was kept")
	}
}

// Two notes about the same new name at the same moment make one customer;
// with several of the name already, the note fails as ambiguous; a
// customer the owner asked for as new is always made.
func TestSameNewNameAtOnce(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	s := newShop(t, db, "Bakery")
	newPark := func(text string, unless bool) crm.NoteInput {
		c := blank()
		c.NewName, c.NewUnlessExists = "Park Seojun", unless
		c.Visit = &crm.VisitInput{Date: crm.NewDate(2025, 3, 6), Items: []crm.ItemQty{{Name: "latte", Qty: 1}}}
		return noteIn(s.ID, "owner", text, c)
	}
	var wg sync.WaitGroup
	notes := make([]crm.Note, 6)
	for i := range notes {
		wg.Go(func() {
			var err error
			if notes[i], err = db.RecordNote(ctx, newPark(fmt.Sprintf("park %d", i), true)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	cs, err := db.FindCustomers(ctx, s.ID, "park seojun")
	if err != nil || len(cs) != 1 {
		t.Fatalf("customers %+v, %v", cs, err)
	}
	created := 0
	for _, n := range notes {
		for _, e := range n.Effects {
			if e.CustomerID != cs[0].ID {
				t.Fatalf("note %d is about customer %d", n.ID, e.CustomerID)
			}
			if e.Kind == crm.EffectCustomerCreated {
				created++
			}
		}
	}
	if vs, _ := db.Visits(ctx, s.ID, cs[0].ID); created != 1 || len(vs) != 6 {
		t.Fatalf("%d created, %d visits", created, len(vs))
	}
	// Asked for as new: a second Park Seojun.
	record(t, db, newPark("another park", false))
	if cs, _ := db.FindCustomers(ctx, s.ID, "Park Seojun"); len(cs) != 2 {
		t.Fatalf("customers %+v", cs)
	}
	_, err = db.RecordNote(ctx, newPark("which park?", true))
	wantErr(t, err, crm.ErrAmbiguous)
}
