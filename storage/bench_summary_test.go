package storage

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

// benchDigest computes a shop's digest of day as the morning push does:
// the customers and their visit summaries, the rules, and the favourites
// of the first limit entries (all when limit is 0).
func benchDigest(ctx context.Context, db *DB, shopID int64, day crm.Date, limit int) ([]crm.DigestEntry, error) {
	hist, err := db.Summaries(ctx, shopID)
	if err != nil {
		return nil, err
	}
	entries := crm.Digest(day, hist, crm.DefaultDigestRules())
	shown := entries
	if limit > 0 && len(shown) > limit {
		shown = shown[:limit]
	}
	// As Engine.AddFavorites: a few hundred customers at a time.
	for start := 0; start < len(shown); start += 500 {
		part := shown[start:min(start+500, len(shown))]
		ids := make([]int64, len(part))
		for i, e := range part {
			ids[i] = e.Customer.ID
		}
		items, err := db.VisitItems(ctx, shopID, ids)
		if err != nil {
			return nil, err
		}
		crm.AddFavorites(day, part, items)
	}
	return entries, nil
}

// bareScan reads every visit's customer and date of the shop, and nothing
// else: the floor any digest that reads visit rows stands on.
func bareScan(ctx context.Context, db *DB, shopID int64) (int, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT customer_id, date FROM visits WHERE shop_id = ?`, shopID)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	var cid int64
	var date sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&cid, &date); err != nil {
			return 0, err
		}
		n++
	}
	return n, rows.Err()
}

// BenchmarkBareScan reads the customer and date of each of 500,000 visits
// of a shop of 10,000 customers.
func BenchmarkBareScan(b *testing.B) {
	db := benchOpen(b, benchShop(b, 10_000, 500_000))
	ctx := context.Background()
	for b.Loop() {
		if n, err := bareScan(ctx, db, 1); err != nil || n != 500_000 {
			b.Fatal(n, err)
		}
	}
}

// BenchmarkHistoryDigest computes the digest of a shop of 10,000
// customers and 500,000 visits (1.5 items a visit): limit=7 cuts it to the
// shop's default limit before the favourites are read, as the push does;
// limit=0 reads the favourites of every entry, as `dangol digest --limit
// 0`. Each op is timed beside a bare scan of the same visits (customer and
// date of each, bareScan), run alternately in the same run: x-bare is the
// ratio of the two. peak-MB is how far the heap grew during one op
// (sampled).
func BenchmarkHistoryDigest(b *testing.B) {
	path := benchShop(b, 10_000, 500_000)
	for _, limit := range []int{crm.DefaultDigestLimit, 0} {
		b.Run(fmt.Sprintf("limit=%d", limit), func(b *testing.B) {
			db := benchOpen(b, path)
			ctx := context.Background()
			var entries int
			var bare, dig, bareCPU, digCPU time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				t, c := time.Now(), cpuTime()
				if n, err := bareScan(ctx, db, 1); err != nil || n != 500_000 {
					b.Fatal(n, err)
				}
				bare, bareCPU = bare+time.Since(t), bareCPU+cpuTime()-c
				b.StartTimer()
				t, c = time.Now(), cpuTime()
				d, err := benchDigest(ctx, db, 1, benchDay, limit)
				dig, digCPU = dig+time.Since(t), digCPU+cpuTime()-c
				if err != nil {
					b.Fatal(err)
				}
				entries = len(d)
			}
			b.StopTimer()
			peak := peakHeap(func() {
				if _, err := benchDigest(ctx, db, 1, benchDay, limit); err != nil {
					b.Fatal(err)
				}
			})
			b.ReportMetric(float64(dig)/float64(bare), "x-bare")
			b.ReportMetric(float64(digCPU)/float64(bareCPU), "x-bare-cpu")
			b.ReportMetric(float64(bare.Milliseconds())/float64(b.N), "bare-ms")
			b.ReportMetric(float64(digCPU.Microseconds())/1e3/float64(b.N), "cpu-ms")
			b.ReportMetric(float64(peak)/1e6, "peak-MB")
			b.ReportMetric(float64(entries), "entries")
		})
	}
}

// BenchmarkDigestGrowth computes the digest (limit 7) of shops of 10,000
// customers with more and more visits: it should grow with the customers,
// not the visits. x-50k is the time of each op against the shop with
// 50,000 visits, run alternately in the same run.
func BenchmarkDigestGrowth(b *testing.B) {
	ctx := context.Background()
	base := benchOpen(b, benchShop(b, 10_000, 50_000))
	for _, visits := range []int{10_000, 50_000, 100_000, 500_000} {
		b.Run(fmt.Sprintf("visits=%d", visits), func(b *testing.B) {
			db := benchOpen(b, benchShop(b, 10_000, visits))
			var this, ref, thisCPU, refCPU time.Duration
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				t, c := time.Now(), cpuTime()
				if _, err := benchDigest(ctx, base, 1, benchDay, crm.DefaultDigestLimit); err != nil {
					b.Fatal(err)
				}
				ref, refCPU = ref+time.Since(t), refCPU+cpuTime()-c
				b.StartTimer()
				t, c = time.Now(), cpuTime()
				if _, err := benchDigest(ctx, db, 1, benchDay, crm.DefaultDigestLimit); err != nil {
					b.Fatal(err)
				}
				this, thisCPU = this+time.Since(t), thisCPU+cpuTime()-c
			}
			b.ReportMetric(float64(this)/float64(ref), "x-50k")
			b.ReportMetric(float64(thisCPU)/float64(refCPU), "x-50k-cpu")
			b.ReportMetric(float64(thisCPU.Microseconds())/1e3/float64(b.N), "cpu-ms")
		})
	}
}

// peakHeap runs f and returns how far the heap grew while it ran, sampled.
func peakHeap(f func()) uint64 {
	runtime.GC()
	base := heapBytes()
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			peak = max(peak, heapBytes())
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Microsecond):
			}
		}
	})
	f()
	close(stop)
	wg.Wait()
	peak = max(peak, heapBytes())
	return peak - min(base, peak)
}

// heapBytes returns the bytes of heap objects, live or not yet swept,
// without stopping the world.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
