package storage

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

// kimNote is a first note about a new customer: a visit with two items, an
// allergy and a birthday.
func kimNote(shopID int64) crm.NoteInput {
	c := blank()
	c.NewName = "Kim Minji"
	c.Visit = &crm.VisitInput{Date: crm.NewDate(2025, 3, 6), Amount: 8500,
		Items:   []crm.ItemQty{{Name: "Croissant", Qty: 2}, {Name: "latte", Qty: 1}},
		Context: []string{"takeout", " morning "}}
	c.Facts = []crm.FactInput{{Kind: crm.FactAllergy, Value: "walnuts"}}
	c.Birthday = crm.MonthDay{Month: time.March, Day: 14}
	return noteIn(shopID, "owner", "Kim Minji, 2 croissants and a latte, takeout, allergic to walnuts, bday 3/14", c)
}

func effectKinds(n crm.Note) []crm.EffectKind {
	var out []crm.EffectKind
	for _, e := range n.Effects {
		out = append(out, e.Kind)
	}
	return out
}

func TestRecordNoteNewCustomer(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	in := kimNote(s.ID)
	n := record(t, db, in)

	wantKinds := []crm.EffectKind{crm.EffectCustomerCreated, crm.EffectItemCreated, crm.EffectItemCreated,
		crm.EffectVisitAdded, crm.EffectFactAdded, crm.EffectBirthdaySet}
	if got := effectKinds(n); !slices.Equal(got, wantKinds) {
		t.Fatalf("effects = %v, want %v", got, wantKinds)
	}
	if n.ID == 0 || n.Text != in.Text || !n.CreatedAt.Equal(t0()) || n.ShopID != s.ID {
		t.Fatalf("note = %+v", n)
	}
	custID := n.Effects[0].CustomerID
	for _, e := range n.Effects {
		if e.CustomerID != custID {
			t.Errorf("effect %+v: customer %d, want %d", e, e.CustomerID, custID)
		}
	}
	if bd := n.Effects[5]; bd.Old != "" || bd.New != "03-14" {
		t.Errorf("birthday effect = %+v", bd)
	}

	c, err := db.Customer(ctx, s.ID, custID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Kim Minji" || c.Birthday != (crm.MonthDay{Month: time.March, Day: 14}) ||
		c.UsualWeekday != crm.NoWeekday || c.Consent != crm.ConsentNone || !c.CreatedAt.Equal(t0()) || c.ShopID != s.ID {
		t.Fatalf("Customer = %+v", c)
	}

	visits, err := db.Visits(ctx, s.ID, custID)
	if err != nil {
		t.Fatal(err)
	}
	if len(visits) != 1 {
		t.Fatalf("Visits = %+v", visits)
	}
	v := visits[0]
	if v.ID != n.Effects[3].RefID || v.NoteID != n.ID || v.Date != crm.NewDate(2025, 3, 6) || v.Amount != 8500 ||
		!slices.Equal(v.Context, []string{"takeout", "morning"}) {
		t.Fatalf("visit = %+v", v)
	}
	wantItems := []crm.LineItem{
		{ItemID: n.Effects[1].RefID, Name: "Croissant", Qty: 2},
		{ItemID: n.Effects[2].RefID, Name: "latte", Qty: 1},
	}
	if !reflect.DeepEqual(v.Items, wantItems) {
		t.Fatalf("items = %+v, want %+v", v.Items, wantItems)
	}

	facts, err := db.Facts(ctx, s.ID, custID)
	if err != nil {
		t.Fatal(err)
	}
	if len(facts) != 1 || facts[0].Kind != crm.FactAllergy || facts[0].Value != "walnuts" ||
		facts[0].NoteID != n.ID || facts[0].ID != n.Effects[4].RefID || !facts[0].CreatedAt.Equal(t0()) {
		t.Fatalf("Facts = %+v", facts)
	}

	last, err := db.LastNote(ctx, s.ID, "console", "owner")
	if err != nil || last.ID != n.ID || !reflect.DeepEqual(last.Effects, n.Effects) {
		t.Fatalf("LastNote = %+v, %v", last, err)
	}
}

func TestItemAliasResolvesToSameItem(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	first := record(t, db, kimNote(s.ID))
	custID := first.Effects[0].CustomerID
	croissant := first.Effects[1].RefID

	// An alias note needs no customer.
	a := blank()
	a.Alias = &crm.AliasInput{Alias: "크루아상", Item: "croissant"}
	an := record(t, db, noteIn(s.ID, "owner", "/alias 크루아상 croissant", a))
	if len(an.Effects) != 1 || an.Effects[0].Kind != crm.EffectAliasAdded || an.Effects[0].RefID != croissant ||
		an.Effects[0].New != "크루아상" {
		t.Fatalf("alias effects = %+v", an.Effects)
	}

	c := blank()
	c.CustomerID = custID
	c.Visit = &crm.VisitInput{Date: crm.NewDate(2025, 3, 7),
		Items: []crm.ItemQty{{Name: "크루아상", Qty: 1}, {Name: "CROISSANT", Qty: 2}, {Name: "LATTE", Qty: 1}}}
	n := record(t, db, noteIn(s.ID, "owner", "김민지 크루아상 하나", c))
	if got := effectKinds(n); !slices.Equal(got, []crm.EffectKind{crm.EffectVisitAdded}) {
		t.Fatalf("effects = %v: the alias or a differently cased name made a new item", got)
	}
	visits, err := db.Visits(ctx, s.ID, custID)
	if err != nil || len(visits) != 2 {
		t.Fatalf("Visits = %+v, %v", visits, err)
	}
	// Newest first; lines for the same item merged.
	want := []crm.LineItem{{ItemID: croissant, Name: "Croissant", Qty: 3}, {ItemID: first.Effects[2].RefID, Name: "latte", Qty: 1}}
	if visits[0].ID != n.Effects[0].RefID || !reflect.DeepEqual(visits[0].Items, want) {
		t.Fatalf("newest visit = %+v, want items %+v", visits[0], want)
	}

	_, items, err := db.Names(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(items, []string{"Croissant", "latte", "크루아상"}) {
		t.Fatalf("item names = %q", items)
	}

	// An alias that already names another item is refused.
	bad := blank()
	bad.Alias = &crm.AliasInput{Alias: "Latte", Item: "croissant"}
	_, err = db.RecordNote(ctx, noteIn(s.ID, "owner", "/alias Latte croissant", bad))
	wantErr(t, err, crm.ErrInvalidInput)
}

func TestUndoNewCustomerNote(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	before := counts(t, db)
	n := record(t, db, kimNote(s.ID))
	custID := n.Effects[0].CustomerID

	u, err := db.UndoNote(ctx, s.ID, n.ID, "console", "owner", t0().Add(time.Minute), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !u.UndoneAt.Equal(t0().Add(time.Minute)) || !reflect.DeepEqual(u.Effects, n.Effects) {
		t.Fatalf("UndoNote = %+v", u)
	}
	_, err = db.Customer(ctx, s.ID, custID)
	wantErr(t, err, crm.ErrNotFound)
	// Everything but the note itself, its effects and the id counters is
	// back as before.
	after := counts(t, db)
	delete(after, "notes")
	delete(after, "note_effects")
	delete(after, "sqlite_sequence")
	sameCounts(t, after, before)
	customers, items, _ := db.Names(ctx, s.ID)
	if len(customers) != 0 || len(items) != 0 {
		t.Fatalf("after undo: names %q, items %q", customers, items)
	}
	_, err = db.LastNote(ctx, s.ID, "console", "owner")
	wantErr(t, err, crm.ErrNotFound)

	_, err = db.UndoNote(ctx, s.ID, n.ID, "console", "owner", t0(), nil)
	wantErr(t, err, crm.ErrAlreadyDone)
	_, err = db.UndoNote(ctx, s.ID, n.ID+100, "console", "owner", t0(), nil)
	wantErr(t, err, crm.ErrNotFound)
}

func TestUndoKeepsWhatOthersUse(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	n1 := record(t, db, kimNote(s.ID))
	custID := n1.Effects[0].CustomerID

	// Staff notes another visit of the same customer with the croissant.
	c := blank()
	c.CustomerID = custID
	c.Visit = &crm.VisitInput{Date: crm.NewDate(2025, 3, 8), Items: []crm.ItemQty{{Name: "croissant", Qty: 1}}}
	c.Facts = []crm.FactInput{{Kind: crm.FactLike, Value: "window seat"}}
	n2 := record(t, db, noteIn(s.ID, "staff", "kim croissant", c))

	if _, err := db.UndoNote(ctx, s.ID, n1.ID, "console", "owner", t0(), nil); err != nil {
		t.Fatal(err)
	}
	cust, err := db.Customer(ctx, s.ID, custID)
	if err != nil {
		t.Fatalf("customer used by another note was deleted: %v", err)
	}
	if !cust.Birthday.IsZero() {
		t.Errorf("birthday = %v after undo, want unknown", cust.Birthday)
	}
	visits, _ := db.Visits(ctx, s.ID, custID)
	if len(visits) != 1 || visits[0].NoteID != n2.ID {
		t.Fatalf("visits after undo = %+v", visits)
	}
	facts, _ := db.Facts(ctx, s.ID, custID)
	if len(facts) != 1 || facts[0].Value != "window seat" {
		t.Fatalf("facts after undo = %+v", facts)
	}
	// The croissant is still used; the latte only by the undone note.
	_, items, _ := db.Names(ctx, s.ID)
	if !slices.Equal(items, []string{"Croissant"}) {
		t.Fatalf("items after undo = %q", items)
	}
}

func TestUndoRestoresFields(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	n1 := record(t, db, kimNote(s.ID))
	custID := n1.Effects[0].CustomerID

	c := blank()
	c.CustomerID = custID
	c.Birthday = crm.MonthDay{Month: time.April, Day: 2}
	c.UsualWeekday = time.Friday
	c.Rename = "Minji"
	n2 := record(t, db, noteIn(s.ID, "owner", "Kim Minji is Minji, bday 4/2, comes Fridays", c))
	want := []crm.Effect{
		{Kind: crm.EffectBirthdaySet, CustomerID: custID, RefID: custID, Old: "03-14", New: "04-02"},
		{Kind: crm.EffectWeekdaySet, CustomerID: custID, RefID: custID, Old: "-1", New: "5"},
		{Kind: crm.EffectRenamed, CustomerID: custID, RefID: custID, Old: "Kim Minji", New: "Minji"},
	}
	if !reflect.DeepEqual(n2.Effects, want) {
		t.Fatalf("effects = %+v, want %+v", n2.Effects, want)
	}
	// Another member changes the weekday afterwards: undo must leave it.
	c3 := blank()
	c3.CustomerID = custID
	c3.UsualWeekday = time.Monday
	record(t, db, noteIn(s.ID, "staff", "Minji comes Mondays", c3))

	if _, err := db.UndoNote(ctx, s.ID, n2.ID, "console", "owner", t0(), nil); err != nil {
		t.Fatal(err)
	}
	cust, _ := db.Customer(ctx, s.ID, custID)
	if cust.Name != "Kim Minji" || cust.Birthday != (crm.MonthDay{Month: time.March, Day: 14}) || cust.UsualWeekday != time.Monday {
		t.Fatalf("after undo: %+v", cust)
	}
}

func TestUndoRules(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	n1 := record(t, db, kimNote(s.ID))
	custID := n1.Effects[0].CustomerID

	_, err := db.UndoNote(ctx, s.ID, n1.ID, "console", "staff", t0(), nil)
	wantErr(t, err, crm.ErrNotUndoable)
	_, err = db.UndoNote(ctx, s.ID, n1.ID, "telegram", "owner", t0(), nil)
	wantErr(t, err, crm.ErrNotUndoable)

	// The owner writes UndoWindow more notes: the first falls out of the
	// window, the second is the oldest still in it.
	var notes []crm.Note
	for i := range crm.UndoWindow {
		c := blank()
		c.CustomerID = custID
		c.Facts = []crm.FactInput{{Kind: crm.FactNote, Value: fmt.Sprintf("note %d", i)}}
		notes = append(notes, record(t, db, noteIn(s.ID, "owner", "note", c)))
	}
	// Someone else's notes do not push the owner's out.
	c := blank()
	c.CustomerID = custID
	c.Facts = []crm.FactInput{{Kind: crm.FactNote, Value: "staff"}}
	record(t, db, noteIn(s.ID, "staff", "staff note", c))

	_, err = db.UndoNote(ctx, s.ID, n1.ID, "console", "owner", t0(), nil)
	wantErr(t, err, crm.ErrNotUndoable)
	if _, err := db.UndoNote(ctx, s.ID, notes[0].ID, "console", "owner", t0(), nil); err != nil {
		t.Fatalf("undo of the oldest note in the window: %v", err)
	}
	if _, err := db.UndoNote(ctx, s.ID, notes[len(notes)-1].ID, "console", "owner", t0(), nil); err != nil {
		t.Fatal(err)
	}
	last, err := db.LastNote(ctx, s.ID, "console", "owner")
	if err != nil || last.ID != notes[len(notes)-2].ID {
		t.Fatalf("LastNote = %d, %v, want %d", last.ID, err, notes[len(notes)-2].ID)
	}
}

func TestFailingNoteWritesNothing(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	other := newShop(t, db, "Cafe")
	n := record(t, db, kimNote(s.ID))
	custID := n.Effects[0].CustomerID
	if err := db.SetCursor(ctx, crm.Cursor{Name: "telegram", Value: 7}); err != nil {
		t.Fatal(err)
	}
	before := counts(t, db)

	withCursor := func(in crm.NoteInput) crm.NoteInput {
		in.Cursor = &crm.Cursor{Name: "telegram", Value: 8}
		return in
	}
	visit := func(items ...crm.ItemQty) *crm.VisitInput {
		return &crm.VisitInput{Date: crm.NewDate(2025, 3, 9), Items: items}
	}
	cases := []struct {
		name   string
		change func() crm.Change
		want   error
	}{
		{"qty below one", func() crm.Change {
			c := blank()
			c.NewName = "Lee"
			c.Visit = visit(crm.ItemQty{Name: "bagel", Qty: 1}, crm.ItemQty{Name: "scone", Qty: 0})
			return c
		}, crm.ErrInvalidInput},
		{"unknown customer", func() crm.Change {
			c := blank()
			c.CustomerID = custID + 100
			c.Visit = visit(crm.ItemQty{Name: "bagel", Qty: 1})
			return c
		}, crm.ErrNotFound},
		{"empty change, no customer", blank, crm.ErrInvalidInput},
		{"empty change", func() crm.Change {
			c := blank()
			c.CustomerID = custID
			return c
		}, crm.ErrInvalidInput},
		{"visit with no customer", func() crm.Change {
			c := blank()
			c.Visit = visit(crm.ItemQty{Name: "bagel", Qty: 1})
			return c
		}, crm.ErrInvalidInput},
		{"long name", func() crm.Change {
			c := blank()
			c.NewName = strings.Repeat("김", 101)
			c.Facts = []crm.FactInput{{Kind: crm.FactLike, Value: "tea"}}
			return c
		}, crm.ErrInvalidInput},
		{"no such date", func() crm.Change {
			c := blank()
			c.CustomerID = custID
			c.Visit = &crm.VisitInput{Date: crm.Date{Year: 2025, Month: 2, Day: 30}}
			return c
		}, crm.ErrInvalidInput},
		{"weekday out of range", func() crm.Change {
			c := blank()
			c.CustomerID = custID
			c.UsualWeekday = 7
			return c
		}, crm.ErrInvalidInput},
		{"bad fact kind", func() crm.Change {
			c := blank()
			c.CustomerID = custID
			c.Facts = []crm.FactInput{{Kind: "shoe size", Value: "42"}}
			return c
		}, crm.ErrInvalidInput},
		// Fails in the database, after the note, a customer and an item
		// were written in the transaction.
		{"alias conflict after writes", func() crm.Change {
			c := blank()
			c.NewName = "Park"
			c.Visit = visit(crm.ItemQty{Name: "bagel", Qty: 1})
			c.Alias = &crm.AliasInput{Alias: "latte", Item: "scone"}
			return c
		}, crm.ErrInvalidInput},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.RecordNote(ctx, withCursor(noteIn(s.ID, "owner", tc.name, tc.change())))
			wantErr(t, err, tc.want)
			sameCounts(t, counts(t, db), before)
			if v, _ := db.Cursor(ctx, "telegram"); v != 7 {
				t.Errorf("cursor = %d after a failed note, want 7", v)
			}
		})
	}

	// A customer of another shop violates the shops' foreign keys.
	c := blank()
	c.CustomerID = custID
	c.Facts = []crm.FactInput{{Kind: crm.FactLike, Value: "tea"}}
	_, err := db.RecordNote(ctx, withCursor(noteIn(other.ID, "owner", "cross-shop", c)))
	wantErr(t, err, crm.ErrNotFound)
	// A shop that does not exist.
	c = blank()
	c.NewName = "Choi"
	_, err = db.RecordNote(ctx, withCursor(noteIn(999, "owner", "no shop", c)))
	wantErr(t, err, crm.ErrNotFound)
	sameCounts(t, counts(t, db), before)
	if v, _ := db.Cursor(ctx, "telegram"); v != 7 {
		t.Errorf("cursor = %d after failed notes, want 7", v)
	}
}

func TestCursorStoredWithNote(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	in := kimNote(s.ID)
	in.Cursor = &crm.Cursor{Name: "telegram", Value: 1234}
	record(t, db, in)
	if v, err := db.Cursor(ctx, "telegram"); err != nil || v != 1234 {
		t.Fatalf("Cursor = %d, %v, want 1234", v, err)
	}
}

func TestRecordNoteSkipsWhatIsKnown(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	n1 := record(t, db, kimNote(s.ID))
	custID := n1.Effects[0].CustomerID

	c := blank()
	c.CustomerID = custID
	c.Facts = []crm.FactInput{{Kind: crm.FactAllergy, Value: "Walnuts "}, {Kind: crm.FactLike, Value: "walnuts"},
		{Kind: crm.FactLike, Value: "WALNUTS"}}
	c.Birthday = crm.MonthDay{Month: time.March, Day: 14}
	n := record(t, db, noteIn(s.ID, "owner", "kim allergic to walnuts, likes walnuts", c))
	if len(n.Effects) != 1 || n.Effects[0].Kind != crm.EffectFactAdded || n.Effects[0].Old != "like" {
		t.Fatalf("effects = %+v, want one like", n.Effects)
	}
	facts, _ := db.Facts(ctx, s.ID, custID)
	if len(facts) != 2 || facts[0].Kind != crm.FactAllergy || facts[1].Kind != crm.FactLike {
		t.Fatalf("Facts = %+v", facts)
	}
}

func TestNoteIDsNotReused(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	n := record(t, db, kimNote(s.ID))
	if err := db.ForgetCustomer(ctx, s.ID, n.Effects[0].CustomerID, t0()); err != nil {
		t.Fatal(err)
	}
	n2 := record(t, db, kimNote(s.ID))
	if n2.ID == n.ID || n2.Effects[0].CustomerID == n.Effects[0].CustomerID {
		t.Fatalf("ids reused: note %d→%d, customer %d→%d", n.ID, n2.ID, n.Effects[0].CustomerID, n2.Effects[0].CustomerID)
	}
	// A stale undo button for the forgotten note does nothing.
	_, err := db.UndoNote(ctx, s.ID, n.ID, "console", "owner", t0(), nil)
	wantErr(t, err, crm.ErrNotFound)
}

func TestConcurrentNotes(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	const writers, each = 6, 8
	errs := make(chan error, writers*each)
	for w := range writers {
		go func() {
			for i := range each {
				c := blank()
				c.NewName = fmt.Sprintf("Customer %d-%d", w, i)
				// Every writer creates the same new item at once.
				c.Visit = &crm.VisitInput{Date: crm.NewDate(2025, 3, 6), Items: []crm.ItemQty{{Name: "Scone", Qty: 1}}}
				in := noteIn(s.ID, fmt.Sprint("author", w), "note", c)
				in.Cursor = &crm.Cursor{Name: "telegram", Value: int64(w*100 + i)}
				_, err := db.RecordNote(ctx, in)
				errs <- err
			}
		}()
	}
	for range writers * each {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	n := counts(t, db)
	if n["notes"] != writers*each || n["visits"] != writers*each || n["items"] != 1 {
		t.Fatalf("rows after concurrent notes: %v", n)
	}
}
