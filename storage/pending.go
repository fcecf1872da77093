package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/dangol/dangol/crm"
)

// SavePending keeps a note that waits for the owner's answer and returns
// it with its id.
func (db *DB) SavePending(ctx context.Context, p crm.Pending) (crm.Pending, error) {
	if p.Platform == "" || p.AuthorID == "" {
		return crm.Pending{}, fmt.Errorf("storage: save pending: empty platform or author: %w", crm.ErrInvalidInput)
	}
	at := formatTime(p.CreatedAt)
	res, err := db.exec(ctx, `INSERT INTO pending (shop_id, platform, author_id, text, payload, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, p.ShopID, p.Platform, p.AuthorID, p.Text, p.Payload, at)
	if err != nil {
		return crm.Pending{}, fmt.Errorf("storage: save pending: %w", constraint(err))
	}
	if p.ID, err = res.LastInsertId(); err != nil {
		return crm.Pending{}, fmt.Errorf("storage: save pending: %w", err)
	}
	if p.CreatedAt, err = parseTime(at); err != nil {
		return crm.Pending{}, fmt.Errorf("storage: save pending: %w", err)
	}
	return p, nil
}

// TakePending deletes a pending note and returns it, in one statement, so
// that of two concurrent takes only one gets it; the other, and any later
// take, returns crm.ErrNotFound.
func (db *DB) TakePending(ctx context.Context, shopID, id int64) (crm.Pending, error) {
	return db.takePending(ctx, shopID, id, "", "")
}

// takePending deletes and returns a pending note, of the given author only
// when platform is not empty.
func (db *DB) takePending(ctx context.Context, shopID, id int64, platform, authorID string) (crm.Pending, error) {
	p := crm.Pending{ID: id, ShopID: shopID}
	var at string
	err := db.db.QueryRowContext(ctx, `DELETE FROM pending WHERE shop_id = ?1 AND id = ?2
		AND (?3 = '' OR (platform = ?3 AND author_id = ?4))
		RETURNING platform, author_id, text, payload, created_at`, shopID, id, platform, authorID).
		Scan(&p.Platform, &p.AuthorID, &p.Text, &p.Payload, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return crm.Pending{}, fmt.Errorf("storage: take pending %d: %w", id, crm.ErrNotFound)
	}
	if err != nil {
		return crm.Pending{}, fmt.Errorf("storage: take pending %d: %w", id, err)
	}
	if p.CreatedAt, err = parseTime(at); err != nil {
		return crm.Pending{}, fmt.Errorf("storage: take pending %d: %w", id, err)
	}
	return p, nil
}

// Cursor returns the value of the named cursor, 0 when it was never set.
func (db *DB) Cursor(ctx context.Context, name string) (int64, error) {
	var v int64
	err := db.db.QueryRowContext(ctx, `SELECT value FROM cursors WHERE name = ?`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("storage: cursor %q: %w", name, err)
	}
	return v, nil
}

// SetCursor stores the value of the named cursor, with its reply when it
// carries one (in one transaction).
func (db *DB) SetCursor(ctx context.Context, c crm.Cursor) error {
	var err error
	if c.Reply != nil {
		err = db.inTx(ctx, func(tx *sql.Tx) error { return setCursor(ctx, tx, c, crm.Note{}) })
	} else {
		err = setCursor(ctx, db.db, c, crm.Note{})
	}
	if err != nil {
		return fmt.Errorf("storage: %w", temporary(err))
	}
	return nil
}

// execer is what both *sql.DB and *sql.Tx offer for writing.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// setCursor stores c and, when it carries a reply draft, the update's
// answer rendered for n (the note the transaction recorded or undid).
func setCursor(ctx context.Context, e execer, c crm.Cursor, n crm.Note) error {
	if c.Name == "" {
		return fmt.Errorf("set cursor: empty name: %w", crm.ErrInvalidInput)
	}
	if _, err := e.ExecContext(ctx, `INSERT INTO cursors (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`, c.Name, c.Value); err != nil {
		return fmt.Errorf("set cursor %q: %w", c.Name, err)
	}
	if c.Reply == nil || c.Reply.Render == nil {
		return nil
	}
	payload, err := c.Reply.Render(n)
	if err != nil {
		return fmt.Errorf("render reply: %w", err)
	}
	if payload == nil {
		return nil
	}
	if _, err := e.ExecContext(ctx, `INSERT INTO unsent_replies (stream, update_id, route, payload, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (stream, update_id) DO UPDATE
		SET route = excluded.route, payload = excluded.payload, created_at = excluded.created_at`,
		c.Name, c.Value, c.Reply.Route, payload, formatTime(time.Time{})); err != nil {
		return fmt.Errorf("store reply: %w", err)
	}
	return nil
}
