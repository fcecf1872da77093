package conversation_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/locales"
	"github.com/dangol/dangol/storage"
)

var (
	benchFamily = []string{"김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황", "안", "송", "류", "홍"}
	benchSyl    = []string{"민", "지", "서", "준", "도", "윤", "하", "은", "수", "연", "현", "우", "예", "진", "유", "재", "나", "영", "태", "희", "소", "아", "시", "주", "원", "승", "혜", "동", "경", "보"}
)

// koName is the i-th of 18,000 distinct Korean names of three
// syllables.
func koName(i int) string {
	j := i / len(benchFamily)
	return benchFamily[i%len(benchFamily)] + benchSyl[j%len(benchSyl)] + benchSyl[j/len(benchSyl)%len(benchSyl)]
}

// noteShops returns a database of shops shops (ids 1 …), each with an
// owner on the console (owner1, owner2 …) and customers customers with Korean names and
// five visits each (croissants, lattes, baguettes), built once per run.
func noteShops(b *testing.B, shops, customers int) string {
	b.Helper()
	benchFixtures.Lock()
	defer benchFixtures.Unlock()
	key := fmt.Sprintf("notes-%d-%d", shops, customers)
	if p, ok := benchFixtures.paths[key]; ok {
		return p
	}
	path := filepath.Join(benchDir(b), key+".db")
	ctx := context.Background()
	db, err := storage.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	items := []string{"크루아상", "라떼", "바게트"}
	for range shops {
		shop, err := db.CreateShop(ctx, crm.Shop{Name: "Bakery", Lang: "ko", CreatedAt: thursday})
		if err != nil {
			b.Fatal(err)
		}
		if err := db.AddMember(ctx, crm.Member{ShopID: shop.ID, Platform: "console",
			UserID: fmt.Sprintf("owner%d", shop.ID), Role: crm.RoleOwner}); err != nil {
			b.Fatal(err)
		}
		var rows []crm.LedgerRow
		for i := range customers {
			for k := range 5 {
				rows = append(rows, crm.LedgerRow{Date: crm.NewDate(2026, 10, 1+6*k+i%6), Customer: koName(i),
					Items: []crm.ItemQty{{Name: items[(i+k)%3], Qty: 1 + k%2}}})
			}
		}
		if _, err := db.Import(ctx, shop.ID, rows, thursday); err != nil {
			b.Fatal(err)
		}
	}
	benchFixtures.paths[key] = path
	return path
}

// benchEngine opens a copy of a fixture database with an engine on it.
func benchEngine(b *testing.B, fixture string) *conversation.Engine {
	b.Helper()
	to := filepath.Join(b.TempDir(), "copy.db")
	in, err := os.Open(fixture)
	if err != nil {
		b.Fatal(err)
	}
	out, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	in.Close()
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	db, err := storage.Open(ctx, to)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	cat, err := locales.New()
	if err != nil {
		b.Fatal(err)
	}
	e, err := conversation.New(conversation.Config{Store: db, Catalog: cat, Now: func() time.Time { return thursday }})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// note sends one note about the i-th customer to the engine as the owner
// of shop 1
// and fails unless it was recorded.
func note(b *testing.B, e *conversation.Engine, i int) {
	r, err := e.Handle(context.Background(), conversation.Message{Platform: "console", UserID: "owner1",
		Text: koName(i) + " 크루아상 2개"})
	if err != nil || len(r) == 0 || len(r[0].Buttons) == 0 {
		b.Fatalf("note: %v %+v", err, r)
	}
}

// quantile returns the q-quantile of ds (sorted in place).
func quantile(ds []time.Duration, q float64) time.Duration {
	slices.Sort(ds)
	return ds[min(len(ds)-1, int(q*float64(len(ds))))]
}

// BenchmarkNoteShopSize sends a typical note ("김민지 크루아상 2개": an
// existing customer's visit) through the engine — read, resolve, record
// (WAL, synchronous=FULL, a real file), confirm — in a shop of 10,000
// customers, alternately with the same in a shop of 300: p50 and p99 are
// the big shop's, x-300 its p50 against the small shop's in the same run.
func BenchmarkNoteShopSize(b *testing.B) {
	small := benchEngine(b, noteShops(b, 1, 300))
	big := benchEngine(b, noteShops(b, 1, 10_000))
	// Each shop's names are read once before the first note.
	note(b, small, 0)
	note(b, big, 0)
	var ds, refs []time.Duration
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		t := time.Now()
		note(b, small, i*7%300)
		refs = append(refs, time.Since(t))
		b.StartTimer()
		t = time.Now()
		note(b, big, i*7919%10_000)
		ds = append(ds, time.Since(t))
	}
	b.StopTimer()
	p50, p99, ref := quantile(ds, 0.5), quantile(ds, 0.99), quantile(refs, 0.5)
	b.ReportMetric(float64(p50.Microseconds())/1e3, "p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1e3, "p99-ms")
	b.ReportMetric(float64(ref.Microseconds())/1e3, "p50-300-ms")
	b.ReportMetric(float64(p50)/float64(ref), "x-300")
}

// BenchmarkNotesConcurrent has writers owners, each in a shop of their own
// (of 300 customers, one database, one process), send notes as fast as the
// answers come: notes/s over all of them, and the p50 and p99 of a note's
// time from sending to its confirmation.
func BenchmarkNotesConcurrent(b *testing.B) {
	for _, writers := range []int{1, 8} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			e := benchEngine(b, noteShops(b, 8, 300))
			ctx := context.Background()
			var mu sync.Mutex
			var ds []time.Duration
			var wg sync.WaitGroup
			per := max(1, b.N/writers)
			b.ResetTimer()
			start := time.Now()
			for w := range writers {
				wg.Go(func() {
					local := make([]time.Duration, 0, per)
					for i := range per {
						t := time.Now()
						r, err := e.Handle(ctx, conversation.Message{Platform: "console", UserID: fmt.Sprintf("owner%d", w+1),
							Text: koName((i*7+w)%300) + " 크루아상 2개"})
						if err != nil || len(r) == 0 || len(r[0].Buttons) == 0 {
							b.Errorf("note: %v %+v", err, r)
							return
						}
						local = append(local, time.Since(t))
					}
					mu.Lock()
					ds = append(ds, local...)
					mu.Unlock()
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			if len(ds) == 0 {
				return
			}
			b.ReportMetric(float64(len(ds))/elapsed.Seconds(), "notes/s")
			b.ReportMetric(float64(quantile(ds, 0.5).Microseconds())/1e3, "p50-ms")
			b.ReportMetric(float64(quantile(ds, 0.99).Microseconds())/1e3, "p99-ms")
		})
	}
}
