package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/dangol/dangol/crm"
)

// setWord gives a word a role in the shop's lexicon.
func (w *noteWriter) setWord(l crm.LexiconInput) error {
	var old string
	err := w.tx.QueryRowContext(w.ctx, `SELECT role FROM lexicon WHERE shop_id = ? AND word = ?`,
		w.shopID, l.Word).Scan(&old)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read word: %w", err)
	}
	if old == l.Role {
		return nil
	}
	if _, err := w.exec(`INSERT INTO lexicon (shop_id, word, role) VALUES (?, ?, ?)
		ON CONFLICT (shop_id, word) DO UPDATE SET role = excluded.role`, w.shopID, l.Word, l.Role); err != nil {
		return fmt.Errorf("set word: %w", err)
	}
	w.effects = append(w.effects, crm.Effect{Kind: crm.EffectLexiconSet, Old: old + ":" + l.Word, New: l.Role + ":" + l.Word})
	return nil
}

// reverseWord undoes a lexicon_set effect where the word still has the
// role the note gave it.
func reverseWord(ctx context.Context, tx *sql.Tx, shopID int64, e crm.Effect) error {
	oldRole, word, ok1 := strings.Cut(e.Old, ":")
	newRole, _, ok2 := strings.Cut(e.New, ":")
	if !ok1 || !ok2 {
		return fmt.Errorf("word effect %q → %q", e.Old, e.New)
	}
	var err error
	if oldRole == "" {
		_, err = tx.ExecContext(ctx, `DELETE FROM lexicon WHERE shop_id = ? AND word = ? AND role = ?`, shopID, word, newRole)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE lexicon SET role = ? WHERE shop_id = ? AND word = ? AND role = ?`,
			oldRole, shopID, word, newRole)
	}
	return err
}

// Lexicon returns the words the shop taught Dangol and their roles, from
// the shop's names in memory (ShopNames): shared, not to be modified.
func (db *DB) Lexicon(ctx context.Context, shopID int64) (map[string]string, error) {
	n, err := db.names(ctx, shopID)
	if errors.Is(err, crm.ErrNotFound) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("storage: lexicon: %w", err)
	}
	return n.Lexicon, nil
}

// CountVisits returns the visits in from … to (a customer's visits on one
// day counting once) and how many customers made them.
func (db *DB) CountVisits(ctx context.Context, shopID int64, from, to crm.Date) (visits, customers int, err error) {
	err = db.db.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT customer_id) FROM
		(SELECT DISTINCT customer_id, date FROM visits WHERE shop_id = ? AND date BETWEEN ? AND ?)`,
		shopID, from.String(), to.String()).Scan(&visits, &customers)
	if err != nil {
		return 0, 0, fmt.Errorf("storage: count visits: %w", err)
	}
	return visits, customers, nil
}
