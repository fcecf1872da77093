package storage

import (
	"bytes"
	"context"
	"testing"

	"github.com/dangol/dangol/crm"
)

func TestPending(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	p, err := db.SavePending(ctx, crm.Pending{ShopID: s.ID, Platform: "telegram", AuthorID: "1",
		Text: "Kim, croissant", Payload: []byte(`{"x":1}`), CreatedAt: t0()})
	if err != nil {
		t.Fatal(err)
	}
	if p.ID == 0 || !p.CreatedAt.Equal(t0()) {
		t.Fatalf("SavePending = %+v", p)
	}
	got, err := db.TakePending(ctx, s.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != p.Text || !bytes.Equal(got.Payload, p.Payload) || got.AuthorID != "1" ||
		got.Platform != "telegram" || !got.CreatedAt.Equal(t0()) {
		t.Fatalf("TakePending = %+v, want %+v", got, p)
	}
	_, err = db.TakePending(ctx, s.ID, p.ID)
	wantErr(t, err, crm.ErrNotFound)

	// A taken pending note's id is not given to the next one, so a stale
	// button cannot pick it.
	p2, err := db.SavePending(ctx, crm.Pending{ShopID: s.ID, Platform: "telegram", AuthorID: "1", Text: "Lee"})
	if err != nil {
		t.Fatal(err)
	}
	if p2.ID == p.ID {
		t.Fatalf("pending id %d reused", p.ID)
	}
	_, err = db.SavePending(ctx, crm.Pending{ShopID: 999, Platform: "telegram", AuthorID: "1"})
	wantErr(t, err, crm.ErrNotFound)
}

func TestCursor(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	if v, err := db.Cursor(ctx, "telegram"); err != nil || v != 0 {
		t.Fatalf("Cursor of a new name = %d, %v", v, err)
	}
	for _, v := range []int64{41, 42} {
		if err := db.SetCursor(ctx, crm.Cursor{Name: "telegram", Value: v}); err != nil {
			t.Fatal(err)
		}
		if got, err := db.Cursor(ctx, "telegram"); err != nil || got != v {
			t.Fatalf("Cursor = %d, %v, want %d", got, err, v)
		}
	}
	wantErr(t, db.SetCursor(ctx, crm.Cursor{}), crm.ErrInvalidInput)
}
