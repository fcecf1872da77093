package storage

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

// t0 returns the fixed instant the tests write notes at.
func t0() time.Time { return time.Date(2025, 3, 6, 9, 30, 0, 0, time.UTC) }

func openTest(t testing.TB) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "dangol.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, ok := t.(*testing.T); ok {
		// Whatever a test wrote, the visit summaries agree with the
		// visits at its end.
		t.Cleanup(func() { mustAgree(t, path) })
	}
	return db, path
}

// mustAgree fails the test when a visit summary differs from what
// the visits say.
func mustAgree(t testing.TB, path string) {
	t.Helper()
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Errorf("Open: %v", err)
		return
	}
	defer db.Close()
	ps, err := db.CheckSummaries(context.Background())
	if err != nil {
		t.Errorf("CheckSummaries: %v", err)
		return
	}
	for _, p := range ps {
		t.Errorf("visit summary: %s", p)
	}
	if bad, err := db.CheckReferences(context.Background()); err != nil || len(bad) > 0 {
		t.Errorf("rows refer to rows that are not there: %v, %v", bad, err)
	}
}

func newShop(t testing.TB, db *DB, name string) crm.Shop {
	t.Helper()
	s, err := db.CreateShop(context.Background(), crm.Shop{Name: name})
	if err != nil {
		t.Fatalf("CreateShop: %v", err)
	}
	return s
}

// blank is a change that changes nothing yet.
func blank() crm.Change { return crm.Change{UsualWeekday: crm.NoWeekday} }

func noteIn(shopID int64, author, text string, c crm.Change) crm.NoteInput {
	return crm.NoteInput{ShopID: shopID, Platform: "console", AuthorID: author, Text: text, At: t0(), Change: c}
}

func record(t testing.TB, db *DB, in crm.NoteInput) crm.Note {
	t.Helper()
	n, err := db.RecordNote(context.Background(), in)
	if err != nil {
		t.Fatalf("RecordNote(%q): %v", in.Text, err)
	}
	return n
}

func wantErr(t testing.TB, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

// counts returns the number of rows of every table.
func counts(t testing.TB, db *DB) map[string]int {
	t.Helper()
	ctx := context.Background()
	out := make(map[string]int)
	for _, table := range tables(t, db) {
		var n int
		if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM "`+table+`"`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

func tables(t testing.TB, db *DB) []string {
	t.Helper()
	rows, err := db.db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func sameCounts(t testing.TB, got, want map[string]int) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("table %s: %d rows, want %d", k, got[k], v)
		}
	}
}
