package storage

import (
	"context"
	"testing"
	"time"
)

// BenchmarkImportStream200k imports a 200,000-row ledger the way a file
// is imported (BeginImport, batches sized by their lock time) into an
// empty shop, and reports the longest time one batch held the write lock.
func BenchmarkImportStream200k(b *testing.B) {
	rows := benchLedger(6000, 200_000)
	ctx := context.Background()
	b.ReportAllocs()
	b.StopTimer()
	var longest time.Duration
	var batches int
	for range b.N {
		db, _ := openTest(b)
		s := newShop(b, db, "Bakery")
		b.StartTimer()
		run, err := db.BeginImport(ctx, s.ID, t0())
		if err != nil {
			b.Fatal(err)
		}
		for start := 0; start < len(rows); {
			end := min(start+run.BatchSize(), len(rows))
			res, err := run.Add(ctx, rows[start:end], nil)
			if err != nil {
				b.Fatal(err)
			}
			longest = max(longest, res.Held)
			batches++
			start = end
		}
		run.Close()
		b.StopTimer()
		db.Close()
	}
	b.ReportMetric(float64(longest)/float64(time.Millisecond), "ms-lock-max")
	b.ReportMetric(float64(batches)/float64(b.N), "batches")
}
