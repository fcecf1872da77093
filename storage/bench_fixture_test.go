package storage

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/dangol/dangol/crm"
)

// Large benchmark shops are built once per run, into files of a temporary
// directory that TestMain removes, and shared by the benchmarks of the
// run. Plain tests never build them.
var fixtures struct {
	sync.Mutex
	dir   string
	paths map[string]string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixtures.dir != "" {
		os.RemoveAll(fixtures.dir)
	}
	os.Exit(code)
}

// benchShop returns the path of a database holding one shop (id 1) with
// benchLedger(customers, visits) imported, some allergies and notes, and
// six pushed digests of the last two months, each showing 30 customers
// and marking 5 greeted, as a shop in use has. Benchmarks that write must
// work on a copy (benchCopy).
func benchShop(b *testing.B, customers, visits int) string {
	b.Helper()
	fixtures.Lock()
	defer fixtures.Unlock()
	key := fmt.Sprintf("shop-%d-%d", customers, visits)
	if p, ok := fixtures.paths[key]; ok {
		return p
	}
	if fixtures.dir == "" {
		dir, err := os.MkdirTemp("", "dangol-bench-")
		if err != nil {
			b.Fatal(err)
		}
		fixtures.dir, fixtures.paths = dir, map[string]string{}
	}
	path := filepath.Join(fixtures.dir, key+".db")
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	s, err := db.CreateShop(ctx, crm.Shop{Name: "Bakery"})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.Import(ctx, s.ID, benchLedger(customers, visits), t0()); err != nil {
		b.Fatal(err)
	}
	if _, err := db.db.ExecContext(ctx, `INSERT INTO facts (shop_id, customer_id, kind, value, created_at)
		SELECT shop_id, id, 'allergy', 'nuts', '' FROM customers WHERE shop_id = ?1 AND id % 7 = 0
		UNION ALL SELECT shop_id, id, 'note', 'likes the window seat', '' FROM customers WHERE shop_id = ?1 AND id % 5 = 0`,
		s.ID); err != nil {
		b.Fatal(err)
	}
	for d := 60; d > 0; d -= 10 {
		day := benchDay.AddDays(-d)
		hist, err := db.Summaries(ctx, s.ID)
		if err != nil {
			b.Fatal(err)
		}
		shown := crm.Digest(day, hist, crm.DefaultDigestRules())
		if _, err := db.RecordDigest(ctx, s.ID, day, shown[:min(len(shown), 30)], t0()); err != nil {
			b.Fatal(err)
		}
		for _, e := range shown[:min(len(shown), 5)] {
			if err := db.MarkGreeted(ctx, s.ID, e.Customer.ID, day); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, err := db.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	fixtures.paths[key] = path
	return path
}

// benchCopy copies a fixture database into the benchmark's own directory.
func benchCopy(b *testing.B, path string) string {
	b.Helper()
	to := filepath.Join(b.TempDir(), filepath.Base(path))
	in, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
	return to
}

// benchOpen opens a fixture (or a copy) for a benchmark.
func benchOpen(b *testing.B, path string) *DB {
	b.Helper()
	db, err := Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}
