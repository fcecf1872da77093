package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dangol/dangol/crm"
)

// removeFact deletes the customer's facts of f's kind and value (ignoring
// case), each an effect that keeps what undo needs to put it back.
func (w *noteWriter) removeFact(f crm.FactInput) error {
	rows, err := w.tx.QueryContext(w.ctx, `SELECT id, coalesce(note_id, 0), value, created_at FROM facts
		WHERE shop_id = ? AND customer_id = ? AND kind = ? AND value = ? COLLATE NOCASE ORDER BY id`,
		w.shopID, w.customerID, string(f.Kind), f.Value)
	if err != nil {
		return fmt.Errorf("look up fact: %w", err)
	}
	type fact struct {
		id, note  int64
		value, at string
	}
	var found []fact
	for rows.Next() {
		var x fact
		if err := rows.Scan(&x.id, &x.note, &x.value, &x.at); err != nil {
			rows.Close()
			return fmt.Errorf("look up fact: %w", err)
		}
		found = append(found, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("look up fact: %w", err)
	}
	if len(found) == 0 {
		return fmt.Errorf("%s %q of customer %d: %w", f.Kind, f.Value, w.customerID, crm.ErrNotFound)
	}
	for _, x := range found {
		if _, err := w.exec(`DELETE FROM facts WHERE shop_id = ? AND id = ?`, w.shopID, x.id); err != nil {
			return fmt.Errorf("delete fact: %w", err)
		}
		w.effect(crm.EffectFactRemoved, x.id, string(f.Kind)+":"+strconv.FormatInt(x.note, 10)+":"+x.at, x.value)
	}
	return nil
}

// restoreFact undoes a fact_removed effect: the fact comes back as it was,
// under its old id when that is free; otherwise under a new one, and the
// effect of the note that had added it follows, so undoing that note still
// removes it.
func restoreFact(ctx context.Context, tx *sql.Tx, shopID int64, e crm.Effect) error {
	parts := strings.SplitN(e.Old, ":", 3)
	if len(parts) != 3 {
		return fmt.Errorf("fact effect %q", e.Old)
	}
	kind, at := parts[0], parts[2]
	noteID, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return fmt.Errorf("fact effect %q: %w", e.Old, err)
	}
	var taken int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM facts WHERE id = ?`, e.RefID).Scan(&taken); err != nil {
		return err
	}
	// The note that added it may have been erased meanwhile (with another
	// customer it named): then the fact belongs to no note.
	const note = `(SELECT id FROM notes WHERE shop_id = ?1 AND id = ?4)`
	if taken == 0 {
		_, err := tx.ExecContext(ctx, `INSERT INTO facts (id, shop_id, customer_id, note_id, kind, value, created_at)
			VALUES (?5, ?1, ?2, `+note+`, ?3, ?6, ?7)`, shopID, e.CustomerID, kind, noteID, e.RefID, e.New, at)
		return err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO facts (shop_id, customer_id, note_id, kind, value, created_at)
		VALUES (?1, ?2, `+note+`, ?3, ?5, ?6)`, shopID, e.CustomerID, kind, noteID, e.New, at)
	if err != nil {
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE note_effects SET ref_id = ? WHERE shop_id = ? AND note_id = ?
		AND kind = 'fact_added' AND ref_id = ?`, id, shopID, noteID, e.RefID)
	return err
}

// correct mends one of the customer's visits: the quantity of a line, its
// day, or both.
func (w *noteWriter) correct(k crm.CorrectInput) error {
	var date string
	err := w.tx.QueryRowContext(w.ctx, `SELECT date FROM visits WHERE shop_id = ? AND id = ? AND customer_id = ?`,
		w.shopID, k.VisitID, w.customerID).Scan(&date)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("visit %d of customer %d: %w", k.VisitID, w.customerID, crm.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("read visit: %w", err)
	}
	if k.Qty > 0 {
		ids, err := w.resolveItems([]string{k.Item})
		if err != nil {
			return err
		}
		var qty int64
		err = w.tx.QueryRowContext(w.ctx, `SELECT qty FROM visit_items WHERE shop_id = ? AND visit_id = ? AND item_id = ?`,
			w.shopID, k.VisitID, ids[0]).Scan(&qty)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("item %q on visit %d: %w", k.Item, k.VisitID, crm.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("read line: %w", err)
		}
		if qty != int64(k.Qty) {
			if _, err := w.exec(`UPDATE visit_items SET qty = ? WHERE shop_id = ? AND visit_id = ? AND item_id = ?`,
				k.Qty, w.shopID, k.VisitID, ids[0]); err != nil {
				return fmt.Errorf("set quantity: %w", err)
			}
			w.effect(crm.EffectLineQtySet, k.VisitID, idQty(ids[0], qty), idQty(ids[0], int64(k.Qty)))
		}
	}
	if d := k.Date.String(); d != "" && d != date {
		if _, err := w.exec(`UPDATE visits SET date = ? WHERE shop_id = ? AND id = ?`, d, w.shopID, k.VisitID); err != nil {
			return fmt.Errorf("set visit date: %w", err)
		}
		w.effect(crm.EffectVisitDateSet, k.VisitID, date, d)
	}
	return nil
}

// detachNotes readies the notes that named a customer for erasure: what
// such a note recorded about other customers (a note about several) stays
// theirs but belongs to no note any more, and can no longer be undone.
func detachNotes(ctx context.Context, tx *sql.Tx, shopID, customerID int64) error {
	const named = `(SELECT note_id FROM note_effects WHERE shop_id = ?1 AND customer_id = ?2)`
	for _, q := range []string{
		`UPDATE visits SET note_id = NULL WHERE shop_id = ?1 AND customer_id <> ?2 AND note_id IN ` + named,
		`UPDATE facts SET note_id = NULL WHERE shop_id = ?1 AND customer_id <> ?2 AND note_id IN ` + named,
		`UPDATE bookings SET note_id = NULL WHERE shop_id = ?1 AND customer_id <> ?2 AND note_id IN ` + named,
		`UPDATE customers SET created_by_note = NULL WHERE shop_id = ?1 AND id <> ?2 AND created_by_note IN ` + named,
	} {
		if _, err := tx.ExecContext(ctx, q, shopID, customerID); err != nil {
			return fmt.Errorf("detach notes: %w", err)
		}
	}
	return nil
}
