// Package storage is the SQLite implementation of crm's storage interfaces
// (crm.Store): shops and members, customers, the item catalog, visits,
// facts, bookings, the shop's lexicon, raw notes with their effects,
// pending notes and stream cursors, the journeys' rules and firings, in one
// database file.
//
// Durability: the database runs in WAL mode with synchronous=FULL, so once a
// write method such as RecordNote has returned nil, its transaction has been
// fsynced and survives a crash or power cut. Each write method is one
// transaction to its caller: it is applied entirely or not at all. Writes
// queue in the process, one writer at a time; those that queue together
// share one commit, each in a savepoint of its own, and each returns only
// after that commit. Foreign keys are enforced on every connection but a
// large import's own (Import checks what it refers to), and every row but a
// stream cursor belongs to a shop; all queries filter by shop id, so one
// shop never sees
// another's data.
//
// A note may be about several customers (crm.NoteInput.More): it is still
// one transaction, one row of notes and one undo, and each effect names
// the customer it is about. Effects carry, besides their kind and that
// customer:
//
//   - customer_created, item_created, visit_added, fact_added and
//     booking_added: the id of the row they created in RefID (and its name,
//     date or value in New; a fact's kind in Old). Undo deletes the row (a
//     customer or item only when nothing else refers to it).
//   - alias_added: the item in RefID, its name in Old, the alias in New.
//     Undo deletes the alias.
//   - birthday_set (MM-DD), weekday_set (0–6, -1 unknown), usual_time_set
//     (HH:MM, "" unknown) and renamed: the customer in RefID, the previous
//     and new value in Old and New. Undo puts Old back where the field
//     still holds New.
//   - line_moved, alias_moved, item_deleted: an item merged into another
//     (see crm.EffectLineMoved); undo moves everything back.
//   - fact_removed: the fact's id in RefID, "kind:noteID:createdAt" in Old,
//     the value in New. Undo puts the fact back as it was, under its old id
//     when that is free, else under a new one that the effect of the note
//     that had added it then follows.
//   - line_qty_set (a correction): the visit in RefID, "itemID:qty" before
//     and after in Old and New; visit_date_set: the visit in RefID, the
//     dates in Old and New. Undo restores where the value is still the
//     corrected one.
//   - lexicon_set: RefID 0, "role:word" before ("" role for a new word) and
//     after in Old and New. Undo restores the role or forgets the word.
//
// Setting a field to the value it has, or adding a fact the customer
// already has, is no effect.
//
// Answers: a messenger update's answer can be stored with what the update
// did (crm.Cursor.Reply) until the adapter has delivered it. Delivered
// answers are first logged in a small file next to the database (its path
// with "-sent"), which needs no write lock, and forgotten from the database
// in batches.
//
// Erasure: ForgetCustomer deletes a customer, everything recorded about
// them (bookings included) and the raw notes that named them. What such a
// note recorded about other customers stays theirs, belonging to no note
// (it can no longer be undone). Deleted content is overwritten
// (secure_delete) and the write-ahead log is truncated afterwards where
// possible, so the name does not linger in the file.
//
// The schema is created and upgraded by numbered, append-only migrations
// embedded in the binary; Open refuses a database written by a newer
// Dangol.
package storage

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/dangol/dangol/crm"
)

// DB is a Dangol database. It is safe for concurrent use. Its writes go
// one at a time through a queue, and writes that queue up together are
// committed together (see writer).
type DB struct {
	db *sql.DB
	w  *writer
	nc nameCache
	// light is one connection that commits without waiting for the disk
	// (synchronous=NORMAL): what it writes survives a crash of the process,
	// not necessarily of the machine. It forgets delivered answers.
	light *sql.DB
	// sent logs delivered answers until they are forgotten (replies.go).
	sent sentLog
}

var _ crm.Store = (*DB)(nil)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Open opens the database file at path, creating it if needed, and brings
// its schema up to date. It fails with an error wrapping crm.ErrSchemaNewer
// when the file was written by a newer Dangol.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("storage: open %q: need a plain file path: %w", path, crm.ErrInvalidInput)
	}
	sqlDB, err := sql.Open("sqlite3", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	// Writes queue in Go (writer); a few connections let readers proceed
	// alongside the writer in WAL mode.
	sqlDB.SetMaxOpenConns(8)
	sqlDB.SetMaxIdleConns(8)
	db := &DB{db: sqlDB, w: newWriter(sqlDB)}
	if err := db.migrate(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	light, err := sql.Open("sqlite3", strings.Replace(dsn(path), "_synchronous=FULL", "_synchronous=NORMAL", 1))
	if err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	light.SetMaxOpenConns(1)
	db.light = light
	db.sent.path = path + "-sent"
	return db, nil
}

// Close closes the database. Pending writes have already been made durable
// by their own transactions.
func (db *DB) Close() error {
	if db.sent.inUse() {
		_ = db.forgetSent(context.Background()) // else at the next start
	}
	db.sent.close()
	lerr := db.light.Close()
	if err := errors.Join(db.db.Close(), lerr); err != nil {
		return fmt.Errorf("storage: close: %w", err)
	}
	return nil
}

// dsn returns the go-sqlite3 data source name for path. The settings are
// applied by the driver to every new connection of the pool.
func dsn(path string) string {
	// A file: URI, so that '?' or '#' in path cannot be taken for the
	// start of the parameters.
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	params := []string{
		"_foreign_keys=1",
		"_journal_mode=WAL",
		"_synchronous=FULL",
		"_busy_timeout=5000",
		"_txlock=immediate",
		"_secure_delete=on",
		"_stmt_cache_size=64",
	}
	return "file:" + r.Replace(path) + "?" + strings.Join(params, "&")
}

// migration is one numbered schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in order. Their file names
// start with their version, 1, 2, … without gaps: 0001_init.sql.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("migration %s: name must start with its number", e.Name())
		}
		b, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	// ReadDir sorts by name; zero-padded numbers sort by version.
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.name, i+1)
		}
	}
	return ms, nil
}

// migrate applies the migrations the database lacks, each in its own
// transaction that also sets PRAGMA user_version to its number.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	for {
		done, err := db.migrateOne(ctx, ms)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}

// migrateOne applies the next missing migration and reports whether the
// schema was already current. The version is read inside the write
// transaction, so two processes opening the file at once do not both
// apply a step.
func (db *DB) migrateOne(ctx context.Context, ms []migration) (done bool, err error) {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return false, fmt.Errorf("migrate: read schema version: %w", err)
	}
	latest := len(ms)
	switch {
	case v > latest:
		return false, fmt.Errorf("schema version %d: the database was written by a newer Dangol "+
			"(this one knows schema versions up to %d); upgrade Dangol to open it: %w",
			v, latest, crm.ErrSchemaNewer)
	case v == latest:
		return true, nil
	}
	m := ms[v]
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return false, fmt.Errorf("migrate %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(m.version)); err != nil {
		return false, fmt.Errorf("migrate %s: set schema version: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migrate %s: commit: %w", m.name, err)
	}
	return false, nil
}

// timeLayout is RFC 3339 with a fixed nine-digit fraction, so stored times
// sort as text in time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// formatTime renders t in UTC for storage; the zero time means now.
func formatTime(t time.Time) string {
	if t.IsZero() {
		t = time.Now()
	}
	return t.UTC().Format(timeLayout)
}

// parseTime reads a time written by formatTime. "" is the zero time.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse time %q: %w", s, err)
	}
	return t, nil
}

// inTx runs fn in a write transaction and commits it when fn returns nil.
// The transaction may be shared with other writes, fn's in a savepoint of
// its own: fn must not start another write.
func (db *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return db.w.run(ctx, fn)
}

// exec runs one write statement as a write of its own.
func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = tx.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

// runTx runs fn in a transaction begun on b (the pool or one connection)
// and commits it when fn returns nil.
func runTx(ctx context.Context, b interface {
	BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
}, fn func(tx *sql.Tx) error) error {
	tx, err := b.BeginTx(ctx, nil)
	if err != nil {
		return temporary(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return temporary(err)
	}
	return temporary(tx.Commit())
}

// temporary marks errors that may go away when the same work is tried
// again later with crm.ErrTemporary: the database was busy or locked past
// the busy timeout, the file could not be read or written, or the context
// ran out of time.
func temporary(err error) error {
	if err == nil || errors.Is(err, crm.ErrTemporary) {
		return err
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrBusy, sqlite3.ErrLocked, sqlite3.ErrIoErr, sqlite3.ErrFull, sqlite3.ErrCantOpen,
			sqlite3.ErrProtocol, sqlite3.ErrNomem:
			return fmt.Errorf("%w: %w", crm.ErrTemporary, err)
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: %w", crm.ErrTemporary, err)
	}
	return err
}

// constraint classifies a constraint violation: a foreign key error means
// something referred to does not exist (crm.ErrNotFound); other
// constraints mean the input was invalid. Other errors are returned as is.
func constraint(err error) error {
	var se sqlite3.Error
	if !errors.As(err, &se) || se.Code != sqlite3.ErrConstraint {
		return err
	}
	if se.ExtendedCode == sqlite3.ErrConstraintForeignKey {
		return fmt.Errorf("%w: %w", crm.ErrNotFound, err)
	}
	return fmt.Errorf("%w: %w", crm.ErrInvalidInput, err)
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY violation.
func isUnique(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintUnique ||
		se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}
