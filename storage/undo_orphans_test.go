package storage

import (
	"context"
	"testing"

	"github.com/dangol/dangol/crm"
)

// Undoing every note about a new customer, in any order, leaves no
// customer behind; a customer with something left stays.
func TestUndoAllNotesLeavesNoCustomer(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	shop := newShop(t, db, "A")
	visit := blank()
	visit.NewName = "박서준"
	visit.Visit = &crm.VisitInput{Date: crm.NewDate(2026, 11, 26), Items: []crm.ItemQty{{Name: "소금빵", Qty: 2}}}
	first, err := db.RecordNote(ctx, noteIn(shop.ID, "owner", "박서준 소금빵 2개", visit))
	if err != nil {
		t.Fatal(err)
	}
	id := first.Effects[0].CustomerID
	allergy := blank()
	allergy.CustomerID = id
	allergy.Facts = []crm.FactInput{{Kind: crm.FactAllergy, Value: "딸기"}}
	second, err := db.RecordNote(ctx, noteIn(shop.ID, "owner", "박서준 딸기 알레르기", allergy))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.UndoNote(ctx, shop.ID, first.ID, "console", "owner", t0(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Customer(ctx, shop.ID, id); err != nil {
		t.Fatalf("customer gone while the allergy note stands: %v", err)
	}
	if _, err := db.UndoNote(ctx, shop.ID, second.ID, "console", "owner", t0(), nil); err != nil {
		t.Fatal(err)
	}
	if c, err := db.Customer(ctx, shop.ID, id); err == nil {
		t.Fatalf("customer left after undoing every note: %+v", c)
	}
}
