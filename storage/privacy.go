package storage

// Removing one thing kept about a customer, everywhere it is kept: the
// fact or field, and its value in the note that recorded it (the note's
// kept text and its effect rows). Undo of the note's other effects keeps
// working: reversing a fact that is gone, or a field set back to nothing,
// changes nothing.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/dangol/dangol/crm"
)

// Fact returns one fact of the shop.
func (db *DB) Fact(ctx context.Context, shopID, factID int64) (crm.Fact, error) {
	f, err := fact(ctx, db.db, shopID, factID)
	if err != nil {
		return f, fmt.Errorf("storage: fact %d: %w", factID, err)
	}
	return f, nil
}

func fact(ctx context.Context, q querier, shopID, factID int64) (crm.Fact, error) {
	f := crm.Fact{ID: factID}
	var kind, created string
	err := q.QueryRowContext(ctx, `SELECT customer_id, coalesce(note_id, 0), kind, value, created_at FROM facts
		WHERE shop_id = ? AND id = ?`, shopID, factID).Scan(&f.CustomerID, &f.NoteID, &kind, &f.Value, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return f, crm.ErrNotFound
	}
	if err != nil {
		return f, err
	}
	f.Kind = crm.FactKind(kind)
	f.CreatedAt, err = parseTime(created)
	return f, err
}

// replaceFold replaces every occurrence of old in s, ignoring case, with
// repl; ok is false when there was none.
func replaceFold(s, old, repl string) (string, bool) {
	if old == "" {
		return s, false
	}
	ls, lo := strings.ToLower(s), strings.ToLower(old)
	if len(ls) != len(s) || len(lo) != len(old) {
		// Case folding changed lengths: only exact matches are safe.
		return strings.ReplaceAll(s, old, repl), strings.Contains(s, old)
	}
	var b strings.Builder
	found := false
	for {
		i := strings.Index(ls, lo)
		if i < 0 {
			break
		}
		found = true
		b.WriteString(s[:i])
		b.WriteString(repl)
		s, ls = s[i+len(old):], ls[i+len(lo):]
	}
	b.WriteString(s)
	return b.String(), found
}

// redactNote takes value out of the kept text of note noteID and returns
// the text before and after. When the value is not written out in it, or
// the note did nothing but record this one thing about the customer, the
// whole text goes.
func redactNote(ctx context.Context, tx *sql.Tx, shopID, noteID int64, value string) (before, after string, err error) {
	if noteID == 0 {
		return "", "", nil
	}
	if err := tx.QueryRowContext(ctx, `SELECT text FROM notes WHERE shop_id = ? AND id = ?`, shopID, noteID).
		Scan(&before); err != nil {
		return "", "", err
	}
	var others int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM note_effects WHERE shop_id = ? AND note_id = ?
		AND kind NOT IN ('customer_created', 'fact_added', 'birthday_set', 'weekday_set')`, shopID, noteID).
		Scan(&others); err != nil {
		return "", "", err
	}
	after, found := replaceFold(before, value, crm.Redacted)
	if !found || others == 0 || strings.IndexFunc(strings.ReplaceAll(after, crm.Redacted, ""), unicode.IsLetter) < 0 {
		after = crm.Redacted
	}
	if _, err := tx.ExecContext(ctx, `UPDATE notes SET text = ? WHERE shop_id = ? AND id = ?`, after, shopID, noteID); err != nil {
		return "", "", err
	}
	return before, after, nil
}

// removeFact deletes a fact and its value from the note that recorded it.
func removeFact(ctx context.Context, tx *sql.Tx, shopID int64, f crm.Fact) (before, after string, err error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM facts WHERE shop_id = ? AND id = ?`, shopID, f.ID); err != nil {
		return "", "", err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE note_effects SET new = ? WHERE shop_id = ? AND kind = 'fact_added' AND ref_id = ?`,
		crm.Redacted, shopID, f.ID); err != nil {
		return "", "", err
	}
	return redactNote(ctx, tx, shopID, f.NoteID, f.Value)
}

// DeleteFact erases one fact of the customer, and its value in the note
// that recorded it, in one transaction.
func (db *DB) DeleteFact(ctx context.Context, shopID, customerID, factID int64) (crm.Fact, error) {
	var f crm.Fact
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if f, err = fact(ctx, tx, shopID, factID); err != nil {
			return err
		}
		if f.CustomerID != customerID {
			return fmt.Errorf("another customer's fact: %w", crm.ErrNotFound)
		}
		_, _, err = removeFact(ctx, tx, shopID, f)
		return err
	})
	if err != nil {
		return crm.Fact{}, fmt.Errorf("storage: delete fact %d: %w", factID, err)
	}
	return f, nil
}

// ClearCustomerField erases the customer's birthday or usual weekday, the
// values the notes that set it kept, and those notes' texts (a date is
// seldom written the way it is stored, so the text goes whole).
func (db *DB) ClearCustomerField(ctx context.Context, shopID, customerID int64, field string) error {
	var set, kind, none string
	switch field {
	case crm.FieldBirthday:
		set, kind, none = `birthday = ''`, string(crm.EffectBirthdaySet), ""
	case crm.FieldWeekday:
		set, kind, none = `usual_weekday = -1`, string(crm.EffectWeekdaySet), "-1"
	default:
		return fmt.Errorf("storage: clear field %q: %w", field, crm.ErrInvalidInput)
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE customers SET `+set+` WHERE shop_id = ? AND id = ?`, shopID, customerID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, crm.ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notes SET text = ?1 WHERE shop_id = ?2 AND id IN
			(SELECT note_id FROM note_effects WHERE shop_id = ?2 AND customer_id = ?3 AND kind = ?4)`,
			crm.Redacted, shopID, customerID, kind); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE note_effects SET old = ?1, new = ?1
			WHERE shop_id = ?2 AND customer_id = ?3 AND kind = ?4`, none, shopID, customerID, kind)
		return err
	})
	if err != nil {
		return fmt.Errorf("storage: clear %s of customer %d: %w", field, customerID, err)
	}
	return nil
}

// purgeDrops deletes drops made before before.
func purgeDrops(ctx context.Context, e execer, before time.Time) error {
	_, err := e.ExecContext(ctx, `DELETE FROM fact_drops WHERE at < ?`, formatTime(before))
	return err
}

// PurgeDrops deletes every drop made before before.
func (db *DB) PurgeDrops(ctx context.Context, before time.Time) error {
	if err := purgeDrops(ctx, db.db, before); err != nil {
		return fmt.Errorf("storage: purge drops: %w", err)
	}
	return nil
}

// DropFact removes a fact as DeleteFact does and keeps what it removed
// for crm.DropValidity, in one transaction that also purges older drops.
func (db *DB) DropFact(ctx context.Context, shopID, factID int64, by string, at time.Time) (crm.FactDrop, error) {
	d := crm.FactDrop{ShopID: shopID, By: by, At: at}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := purgeDrops(ctx, tx, at.Add(-crm.DropValidity)); err != nil {
			return err
		}
		var err error
		if d.Fact, err = fact(ctx, tx, shopID, factID); err != nil {
			return err
		}
		d.CustomerID = d.Fact.CustomerID
		before, after, err := removeFact(ctx, tx, shopID, d.Fact)
		if err != nil {
			return err
		}
		var note any
		if d.Fact.NoteID != 0 {
			note = d.Fact.NoteID
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO fact_drops (shop_id, customer_id, fact_id, note_id, kind, value, fact_at,
			note_text, redacted, by_member, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			shopID, d.CustomerID, d.Fact.ID, note, string(d.Fact.Kind), d.Fact.Value, formatTime(d.Fact.CreatedAt),
			before, after, by, formatTime(at))
		if err != nil {
			return err
		}
		d.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return crm.FactDrop{}, fmt.Errorf("storage: drop fact %d: %w", factID, err)
	}
	return d, nil
}

// RestoreFact brings a drop back: the fact (under a new id, which the
// note's effect then names), its value in the effect, and the note's text
// when nothing else changed it meanwhile. The drop goes.
func (db *DB) RestoreFact(ctx context.Context, shopID, dropID int64, by string, at time.Time) (crm.Fact, error) {
	var f crm.Fact
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var kind, factAt, before, after, dropped string
		var noteID sql.NullInt64
		var oldID int64
		err := tx.QueryRowContext(ctx, `SELECT customer_id, fact_id, note_id, kind, value, fact_at, note_text, redacted, at
			FROM fact_drops WHERE shop_id = ? AND id = ? AND by_member = ?`, shopID, dropID, by).
			Scan(&f.CustomerID, &oldID, &noteID, &kind, &f.Value, &factAt, &before, &after, &dropped)
		if errors.Is(err, sql.ErrNoRows) {
			return crm.ErrNotFound
		}
		if err != nil {
			return err
		}
		when, err := parseTime(dropped)
		if err != nil {
			return err
		}
		if at.Sub(when) > crm.DropValidity {
			return fmt.Errorf("drop %d is too old: %w", dropID, crm.ErrNotFound)
		}
		if noteID.Valid {
			var undone sql.NullString
			if err := tx.QueryRowContext(ctx, `SELECT undone_at FROM notes WHERE shop_id = ? AND id = ?`, shopID, noteID.Int64).
				Scan(&undone); err != nil || undone.Valid {
				return errors.Join(err, fmt.Errorf("note %d is undone: %w", noteID.Int64, crm.ErrNotFound))
			}
		}
		f.Kind, f.NoteID = crm.FactKind(kind), noteID.Int64
		if f.CreatedAt, err = parseTime(factAt); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO facts (shop_id, customer_id, note_id, kind, value, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, shopID, f.CustomerID, nullID(noteID), kind, f.Value, factAt)
		if err != nil {
			return constraint(err)
		}
		if f.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if noteID.Valid {
			if _, err := tx.ExecContext(ctx, `UPDATE note_effects SET ref_id = ?, new = ?
				WHERE shop_id = ? AND note_id = ? AND kind = 'fact_added' AND ref_id = ?`,
				f.ID, f.Value, shopID, noteID.Int64, oldID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE notes SET text = ? WHERE shop_id = ? AND id = ? AND text = ?`,
				before, shopID, noteID.Int64, after); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM fact_drops WHERE shop_id = ? AND id = ?`, shopID, dropID)
		return err
	})
	if err != nil {
		return crm.Fact{}, fmt.Errorf("storage: restore fact: %w", err)
	}
	return f, nil
}

func nullID(n sql.NullInt64) any {
	if n.Valid {
		return n.Int64
	}
	return nil
}
