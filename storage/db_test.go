package storage

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dangol/dangol/crm"
)

func userVersion(t *testing.T, db *sql.DB) int {
	t.Helper()
	var v int
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMigrationsAreNumbered(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || ms[0].name != "0001_init.sql" {
		t.Fatalf("migrations = %v", ms)
	}
}

func TestOpenMigrateReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dangol.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := migrations()
	if v := userVersion(t, db.db); v != len(ms) {
		t.Fatalf("user_version = %d, want %d", v, len(ms))
	}
	s := newShop(t, db, "Bakery")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	if v := userVersion(t, db.db); v != len(ms) {
		t.Fatalf("user_version after reopen = %d, want %d", v, len(ms))
	}
	got, err := db.Shop(ctx, s.ID)
	if err != nil || got.Name != "Bakery" {
		t.Fatalf("Shop after reopen = %+v, %v", got, err)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dangol.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := migrations()
	if _, err := db.db.Exec(`PRAGMA user_version = 999`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	_, err = Open(ctx, path)
	if !errors.Is(err, crm.ErrSchemaNewer) {
		t.Fatalf("Open newer database: %v, want ErrSchemaNewer", err)
	}
	if !strings.Contains(err.Error(), "written by a newer Dangol") {
		t.Errorf("error %q does not say the database was written by a newer Dangol", err)
	}
	// Refusing must not touch the file.
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if v := userVersion(t, raw); v != 999 {
		t.Fatalf("user_version = %d after refused open, want 999 (latest known %d)", v, len(ms))
	}
}

func TestPragmasOnPooledConnections(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	// Hold several connections at once so the pool must open new ones.
	var conns []*sql.Conn
	for range 4 {
		c, err := db.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	for i, c := range conns {
		var fk, sync, busy, secure int
		var journal string
		for _, p := range []struct {
			pragma string
			dst    any
		}{
			{"foreign_keys", &fk}, {"synchronous", &sync}, {"busy_timeout", &busy},
			{"secure_delete", &secure}, {"journal_mode", &journal},
		} {
			if err := c.QueryRowContext(ctx, "PRAGMA "+p.pragma).Scan(p.dst); err != nil {
				t.Fatalf("conn %d: PRAGMA %s: %v", i, p.pragma, err)
			}
		}
		if fk != 1 || sync != 2 || busy != 5000 || secure != 1 || journal != "wal" {
			t.Errorf("conn %d: foreign_keys=%d synchronous=%d busy_timeout=%d secure_delete=%d journal_mode=%s",
				i, fk, sync, busy, secure, journal)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}

func TestOpenOddPath(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "shop?x=1#y%20.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	newShop(t, db, "Bakery")
	db.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at %q: %v", path, err)
	}
}

func TestOpenRejectsMemory(t *testing.T) {
	_, err := Open(context.Background(), ":memory:")
	wantErr(t, err, crm.ErrInvalidInput)
}
