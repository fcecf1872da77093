package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/dangol/dangol/crm"
)

// catalogState lists the shop's items, aliases and visit lines, with ids, in
// a stable order.
func catalogState(t *testing.T, db *DB, shopID int64) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT 'item ' || id || ' ' || name FROM items WHERE shop_id = ?1`,
		`SELECT 'alias ' || alias || ' -> ' || item_id FROM item_aliases WHERE shop_id = ?1`,
		`SELECT 'line ' || visit_id || ' ' || item_id || ' x' || qty FROM visit_items WHERE shop_id = ?1`,
	} {
		rows, err := stringsOf(context.Background(), db.db, q+` ORDER BY 1`, shopID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rows...)
	}
	return out
}

// visitLines returns one customer's latest visit as "name xqty" lines.
func visitLines(t *testing.T, db *DB, shopID, customerID int64) []string {
	t.Helper()
	vs, err := db.Visits(context.Background(), shopID, customerID)
	if err != nil || len(vs) == 0 {
		t.Fatalf("visits: %v (%d)", err, len(vs))
	}
	var out []string
	for _, it := range vs[0].Items {
		out = append(out, fmt.Sprintf("%s x%d", it.Name, it.Qty))
	}
	slices.Sort(out)
	return out
}

func visitNote(shopID int64, author, customer string, items ...crm.ItemQty) crm.NoteInput {
	c := blank()
	c.NewName = customer
	c.Visit = &crm.VisitInput{Date: crm.NewDate(2025, 3, 6), Items: items}
	return noteIn(shopID, author, customer, c)
}

func mergeNote(shopID int64, author string, noteID int64, from, into string) crm.NoteInput {
	c := blank()
	c.MergeItem = &crm.MergeInput{NoteID: noteID, From: from, Into: into}
	return noteIn(shopID, author, "/alias "+from+" = "+into, c)
}

func TestMergeItemAndUndo(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	record(t, db, visitNote(s.ID, "owner", "Kim", crm.ItemQty{Name: "크루아상", Qty: 2}))
	lee := record(t, db, visitNote(s.ID, "owner", "Lee",
		crm.ItemQty{Name: "크로와상", Qty: 1}, crm.ItemQty{Name: "크루아상", Qty: 2}))
	park := record(t, db, visitNote(s.ID, "owner", "Park", crm.ItemQty{Name: "크로와상", Qty: 4}))
	// Another name the new item already has.
	record(t, db, noteIn(s.ID, "owner", "/alias 크로아상 = 크로와상", func() crm.Change {
		c := blank()
		c.Alias = &crm.AliasInput{Alias: "크로아상", Item: "크로와상"}
		return c
	}()))
	before := catalogState(t, db, s.ID)

	m := record(t, db, mergeNote(s.ID, "owner", lee.ID, "크로와상", "크루아상"))
	want := []crm.EffectKind{crm.EffectLineMoved, crm.EffectLineMoved, crm.EffectAliasMoved,
		crm.EffectItemDeleted, crm.EffectAliasAdded}
	if got := effectKinds(m); !slices.Equal(got, want) {
		t.Fatalf("effects = %v, want %v", got, want)
	}
	if got := visitLines(t, db, s.ID, lee.Effects[0].CustomerID); !slices.Equal(got, []string{"크루아상 x3"}) {
		t.Errorf("Lee's lines = %v", got)
	}
	if got := visitLines(t, db, s.ID, park.Effects[0].CustomerID); !slices.Equal(got, []string{"크루아상 x4"}) {
		t.Errorf("Park's lines = %v", got)
	}
	_, items, err := db.Names(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(items, []string{"크로아상", "크로와상", "크루아상"}) {
		t.Errorf("item names = %v", items)
	}
	var kinds int
	if err := db.db.QueryRow(`SELECT count(*) FROM items WHERE shop_id = ?`, s.ID).Scan(&kinds); err != nil || kinds != 1 {
		t.Errorf("items = %d (%v), want 1", kinds, err)
	}
	// "크로와상" now means the existing item.
	n := record(t, db, visitNote(s.ID, "owner", "Choi", crm.ItemQty{Name: "크로와상", Qty: 1}))
	if got := effectKinds(n); slices.Contains(got, crm.EffectItemCreated) {
		t.Errorf("a merged name created an item again: %v", got)
	}
	if _, err := db.UndoNote(ctx, s.ID, n.ID, "console", "owner", t0(), nil); err != nil {
		t.Fatal(err)
	}

	// A second press does nothing.
	_, err = db.RecordNote(ctx, mergeNote(s.ID, "owner", lee.ID, "크로와상", "크루아상"))
	wantErr(t, err, crm.ErrAlreadyDone)

	if _, err := db.UndoNote(ctx, s.ID, m.ID, "console", "owner", t0(), nil); err != nil {
		t.Fatalf("undo merge: %v", err)
	}
	if got := catalogState(t, db, s.ID); !slices.Equal(got, before) {
		t.Errorf("after undo:\n%v\nwant\n%v", got, before)
	}

	// Once undone, the merge can be made again.
	record(t, db, mergeNote(s.ID, "owner", lee.ID, "크로와상", "크루아상"))
}

func TestMergeItemUndoAfterItsIDWasTaken(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	kim := record(t, db, visitNote(s.ID, "owner", "Kim", crm.ItemQty{Name: "croissant", Qty: 2}))
	lee := record(t, db, visitNote(s.ID, "owner", "Lee",
		crm.ItemQty{Name: "croissants", Qty: 1}, crm.ItemQty{Name: "croissant", Qty: 1}))
	m := record(t, db, mergeNote(s.ID, "owner", lee.ID, "croissants", "croissant"))
	// The next new item gets the merged item's id.
	record(t, db, visitNote(s.ID, "owner", "Park", crm.ItemQty{Name: "latte", Qty: 1}))

	if _, err := db.UndoNote(ctx, s.ID, m.ID, "console", "owner", t0(), nil); err != nil {
		t.Fatalf("undo merge: %v", err)
	}
	if got := visitLines(t, db, s.ID, lee.Effects[0].CustomerID); !slices.Equal(got, []string{"croissant x1", "croissants x1"}) {
		t.Errorf("Lee's lines = %v", got)
	}
	if got := visitLines(t, db, s.ID, kim.Effects[0].CustomerID); !slices.Equal(got, []string{"croissant x2"}) {
		t.Errorf("Kim's lines = %v", got)
	}
	_, items, err := db.Names(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(items, []string{"croissant", "croissants", "latte"}) {
		t.Errorf("item names = %v", items)
	}
}

func TestMergeItemRefused(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	record(t, db, visitNote(s.ID, "owner", "Kim", crm.ItemQty{Name: "croissant", Qty: 2}))
	lee := record(t, db, visitNote(s.ID, "owner", "Lee", crm.ItemQty{Name: "croissants", Qty: 1}))
	for _, tt := range []struct {
		name string
		in   crm.NoteInput
		want error
	}{
		{"another member", mergeNote(s.ID, "staff", lee.ID, "croissants", "croissant"), crm.ErrInvalidInput},
		{"unknown target", mergeNote(s.ID, "owner", lee.ID, "croissants", "bagel"), crm.ErrNotFound},
		{"not created by the note", mergeNote(s.ID, "owner", lee.ID, "croissant", "croissants"), crm.ErrInvalidInput},
		{"into itself", mergeNote(s.ID, "owner", lee.ID, "croissants", "Croissants"), crm.ErrInvalidInput},
		{"unknown note", mergeNote(s.ID, "owner", lee.ID+100, "croissants", "croissant"), crm.ErrNotFound},
	} {
		_, err := db.RecordNote(ctx, tt.in)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: error = %v, want %v", tt.name, err, tt.want)
		}
	}

	// After the note is undone its item is gone: nothing to merge.
	if _, err := db.UndoNote(ctx, s.ID, lee.ID, "console", "owner", t0(), nil); err != nil {
		t.Fatal(err)
	}
	_, err := db.RecordNote(ctx, mergeNote(s.ID, "owner", lee.ID, "croissants", "croissant"))
	wantErr(t, err, crm.ErrNotFound)
}

func TestMergeItemThenUndoBoth(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	record(t, db, visitNote(s.ID, "owner", "Kim", crm.ItemQty{Name: "라테", Qty: 1}))
	before := catalogState(t, db, s.ID)
	lee := record(t, db, visitNote(s.ID, "owner", "Lee", crm.ItemQty{Name: "라떼", Qty: 1}))
	m := record(t, db, mergeNote(s.ID, "owner", lee.ID, "라떼", "라테"))
	// The visit goes first, then the merge: the catalog is as it was.
	if _, err := db.UndoNote(ctx, s.ID, lee.ID, "console", "owner", t0(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UndoNote(ctx, s.ID, m.ID, "console", "owner", t0(), nil); err != nil {
		t.Fatalf("undo merge: %v", err)
	}
	if got := catalogState(t, db, s.ID); !slices.Equal(got, before) {
		t.Errorf("after both undone:\n%v\nwant\n%v", got, before)
	}
}
