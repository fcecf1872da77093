package storage

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

// TestForgetFindsUndoneNotesAndChoices: erasing a customer also erases
// the notes that named them but no longer point at them (undone, their
// customer removed by the undo, even under a name they had before a
// rename) and the owner's choices still waiting that name them.
func TestForgetFindsUndoneNotesAndChoices(t *testing.T) {
	db, path := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	undo := func(n crm.Note) {
		t.Helper()
		if _, err := db.UndoNote(ctx, s.ID, n.ID, "console", "owner", t0(), nil); err != nil {
			t.Fatal(err)
		}
	}
	// A first note about Zelda, undone: the undo removed the customer it
	// created, the note and its effects stay.
	c := blank()
	c.NewName = "Zelda Quux"
	c.Visit = &crm.VisitInput{Date: crm.NewDate(2025, 3, 6), Items: []crm.ItemQty{{Name: "Croissant", Qty: 1}}}
	undo(record(t, db, noteIn(s.ID, "owner", "Zelda Quux croissant", c)))
	// She is noted again under an old name, once more undone, then for
	// good, and renamed.
	c = blank()
	c.NewName = "Zed Olde"
	c.Facts = []crm.FactInput{{Kind: crm.FactLike, Value: "tea"}}
	undo(record(t, db, noteIn(s.ID, "owner", "Zed Olde likes tea", c)))
	zed := record(t, db, noteIn(s.ID, "owner", "Zed Olde likes tea", c)).Effects[0].CustomerID
	c = blank()
	c.CustomerID, c.Rename = zed, "Zelda Quux"
	record(t, db, noteIn(s.ID, "owner", "/rename Zed Olde = Zelda Quux", c))
	// A choice waiting for the owner names her too.
	if _, err := db.SavePending(ctx, crm.Pending{ShopID: s.ID, Platform: "console", AuthorID: "owner",
		Text: "Zelda scone", Payload: []byte(`{"name":"Zelda Quux"}`), CreatedAt: t0()}); err != nil {
		t.Fatal(err)
	}
	// Someone else, with a note undone and a choice waiting, stays.
	kim := record(t, db, kimNote(s.ID))
	undo(record(t, db, noteIn(s.ID, "owner", "Kim Minji latte", func() crm.Change {
		c := blank()
		c.CustomerID = kim.Effects[0].CustomerID
		c.Facts = []crm.FactInput{{Kind: crm.FactLike, Value: "latte"}}
		return c
	}())))
	if _, err := db.SavePending(ctx, crm.Pending{ShopID: s.ID, Platform: "console", AuthorID: "owner",
		Text: "Kim bagel", CreatedAt: t0()}); err != nil {
		t.Fatal(err)
	}
	before := counts(t, db)

	if err := db.ForgetCustomer(ctx, s.ID, zed, t0().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, needle := range []string{"Zelda", "Quux", "Zed Olde"} {
		if hits := findText(t, db, needle); len(hits) > 0 {
			t.Errorf("%q still in %v", needle, hits)
		}
	}
	after := counts(t, db)
	if after["notes"] != 2 || after["pending"] != 1 || before["pending"] != 2 {
		t.Fatalf("notes %d, pending %d (before %v)", after["notes"], after["pending"], before)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, needle := range []string{"Zelda", "Quux", "Zed Olde"} {
			if bytes.Contains(b, []byte(needle)) {
				t.Errorf("%s still holds %q", f, needle)
			}
		}
	}
}

func TestDeleteFactTakesItOutOfTheNote(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	c := blank()
	c.NewName = "Hana"
	c.Visit = &crm.VisitInput{Date: crm.NewDate(2025, 3, 6), Items: []crm.ItemQty{{Name: "Croissant", Qty: 1}}}
	c.Facts = []crm.FactInput{{Kind: crm.FactNote, Value: "phone 010-1234-5678"}, {Kind: crm.FactAllergy, Value: "walnut"}}
	c.Birthday = crm.MonthDay{Month: time.May, Day: 1}
	n := record(t, db, noteIn(s.ID, "owner", "Hana croissant, phone 010-1234-5678, walnut allergy, bday 5/1", c))
	hana := n.Effects[0].CustomerID
	facts, _ := db.Facts(ctx, s.ID, hana)
	var memo crm.Fact
	for _, f := range facts {
		if f.Kind == crm.FactNote {
			memo = f
		}
	}
	// Someone else's fact is not theirs to delete.
	other := addCustomer(t, db, s.ID, "Jun")
	if _, err := db.DeleteFact(ctx, s.ID, other, memo.ID); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("deleted through another customer: %v", err)
	}
	if _, err := db.DeleteFact(ctx, s.ID, hana, memo.ID); err != nil {
		t.Fatal(err)
	}
	if hits := findText(t, db, "010-1234"); len(hits) > 0 {
		t.Fatalf("the number is still in %v", hits)
	}
	got, _ := db.Note(ctx, s.ID, n.ID)
	if got.Text != "Hana croissant, "+crm.Redacted+", walnut allergy, bday 5/1" {
		t.Fatalf("note text %q", got.Text)
	}
	// The birthday goes with the note texts that set it.
	if err := db.ClearCustomerField(ctx, s.ID, hana, crm.FieldBirthday); err != nil {
		t.Fatal(err)
	}
	cu, _ := db.Customer(ctx, s.ID, hana)
	got, _ = db.Note(ctx, s.ID, n.ID)
	if !cu.Birthday.IsZero() || strings.Contains(got.Text, "5/1") || len(findText(t, db, "05-01")) > 0 {
		t.Fatalf("birthday %v, note %q, hits %v", cu.Birthday, got.Text, findText(t, db, "05-01"))
	}
	// The note still undoes what is left of it.
	if _, err := db.UndoNote(ctx, s.ID, n.ID, "console", "owner", t0(), nil); err != nil {
		t.Fatal(err)
	}
	if fs, _ := db.Facts(ctx, s.ID, hana); len(fs) != 0 {
		t.Fatalf("facts after undo: %+v", fs)
	}
}

func TestDropAndRestoreFact(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	c := blank()
	c.NewName = "Hana"
	c.Facts = []crm.FactInput{{Kind: crm.FactNote, Value: "lives at 12 Baker Street"}}
	n := record(t, db, noteIn(s.ID, "owner", "Hana lives at 12 Baker Street", c))
	id := n.Effects[1].RefID
	d, err := db.DropFact(ctx, s.ID, id, "console:owner", t0())
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Note(ctx, s.ID, n.ID); got.Text != crm.Redacted || got.Effects[1].New != crm.Redacted {
		t.Fatalf("note after drop %+v", got)
	}
	if _, err := db.RestoreFact(ctx, s.ID, d.ID, "console:staff", t0()); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("restored by someone else: %v", err)
	}
	f, err := db.RestoreFact(ctx, s.ID, d.ID, "console:owner", t0().Add(time.Minute))
	if err != nil || f.Value != "lives at 12 Baker Street" {
		t.Fatalf("restore %+v %v", f, err)
	}
	got, _ := db.Note(ctx, s.ID, n.ID)
	if got.Text != "Hana lives at 12 Baker Street" || got.Effects[1].RefID != f.ID {
		t.Fatalf("note after restore %+v", got)
	}
	// A drop older than DropValidity is purged with the next one, and
	// cannot come back.
	d, _ = db.DropFact(ctx, s.ID, f.ID, "console:owner", t0())
	c = blank()
	c.NewName = "Jun"
	c.Facts = []crm.FactInput{{Kind: crm.FactNote, Value: "jun@example.com"}}
	m := record(t, db, noteIn(s.ID, "owner", "Jun jun@example.com", c))
	if _, err := db.DropFact(ctx, s.ID, m.Effects[1].RefID, "console:owner", t0().Add(crm.DropValidity+time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RestoreFact(ctx, s.ID, d.ID, "console:owner", t0()); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("a purged drop came back: %v", err)
	}
	if hits := findText(t, db, "Baker Street"); len(hits) > 0 {
		t.Fatalf("the address is still in %v", hits)
	}
	if err := db.PurgeDrops(ctx, t0().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if hits := findText(t, db, "jun@"); len(hits) > 0 {
		t.Fatalf("the address is still in %v", hits)
	}
}
