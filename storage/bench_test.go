package storage

import (
	"context"
	"database/sql"
	"testing"

	"github.com/dangol/dangol/crm"
)

// benchSetup opens a database with a shop, a customer and the two catalog
// items of the typical note, and returns that note: an existing customer's
// visit with two items and some context.
func benchSetup(b testing.TB) (*DB, crm.NoteInput) {
	db, _ := openTest(b)
	s := newShop(b, db, "Bakery")
	first := record(b, db, kimNote(s.ID))
	c := blank()
	c.CustomerID = first.Effects[0].CustomerID
	c.Visit = &crm.VisitInput{Date: crm.NewDate(2025, 3, 7), Amount: 8500,
		Items:   []crm.ItemQty{{Name: "croissant", Qty: 2}, {Name: "Latte", Qty: 1}},
		Context: []string{"takeout", "morning"}}
	return db, noteIn(s.ID, "owner", "Kim Minji, 2 croissants and a latte, takeout", c)
}

// BenchmarkRecordNote records a typical note: check, resolve the items,
// write the note, visit, lines and effect, commit (fsync).
func BenchmarkRecordNote(b *testing.B) {
	db, in := benchSetup(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := db.RecordNote(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareNoteTx writes the same rows as BenchmarkRecordNote in one
// transaction with the same connection settings, and nothing else: the
// floor RecordNote's overhead is measured against.
func BenchmarkBareNoteTx(b *testing.B) {
	db, in := benchSetup(b)
	ctx := context.Background()
	ids, err := db.db.QueryContext(ctx, `SELECT id FROM items WHERE shop_id = ? ORDER BY id`, in.ShopID)
	if err != nil {
		b.Fatal(err)
	}
	var items []int64
	for ids.Next() {
		var id int64
		ids.Scan(&id)
		items = append(items, id)
	}
	ids.Close()
	at := formatTime(in.At)
	date := in.Change.Visit.Date.String()
	ctxJSON := `["takeout","morning"]`
	cust := in.Change.CustomerID
	b.ReportAllocs()
	for b.Loop() {
		err := db.inTx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `INSERT INTO notes (shop_id, platform, author_id, text, created_at)
		VALUES (?, ?, ?, ?, ?)`, in.ShopID, in.Platform, in.AuthorID, in.Text, at)
			if err != nil {
				return err
			}
			noteID, _ := res.LastInsertId()
			res, err = tx.ExecContext(ctx, `INSERT INTO visits (shop_id, customer_id, note_id, date, amount, context, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, in.ShopID, cust, noteID, date, in.Change.Visit.Amount, ctxJSON, at)
			if err != nil {
				return err
			}
			visitID, _ := res.LastInsertId()
			for i, item := range items {
				if _, err := tx.ExecContext(ctx, `INSERT INTO visit_items (shop_id, visit_id, item_id, qty) VALUES (?, ?, ?, ?)`,
					in.ShopID, visitID, item, int64(in.Change.Visit.Items[i].Qty)); err != nil {
					return err
				}
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO note_effects (shop_id, note_id, seq, kind, customer_id, ref_id, old, new)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, in.ShopID, noteID, 0, string(crm.EffectVisitAdded), cust, visitID, "", date)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
