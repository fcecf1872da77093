package crm

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// benchShop builds a large shop: customers with visits records in total,
// spread over the two years before day, with a deterministic mix of weekly
// regulars, periodic customers, lapsed ones and random visitors.
func benchShop(day Date, customers, visits int) []History {
	rnd := rand.New(rand.NewPCG(20261126, 7))
	items := []string{
		"croissant", "latte", "americano", "bagel", "scone", "baguette",
		"sourdough", "cake", "Croissant", "muffin", "tea", "cookie",
		"pain au chocolat", "cheesecake", "milk bread", "red bean bun",
		"espresso", "flat white", "madeleine", "financier",
	}
	const span = 730 // days of history
	hist := make([]History, customers)
	left := visits
	for i := range hist {
		n := left / (customers - i) // spread the total evenly
		left -= n
		c := Customer{
			ID:           int64(i + 1),
			ShopID:       1,
			Name:         fmt.Sprintf("customer %05d", rnd.IntN(customers)),
			UsualWeekday: NoWeekday,
		}
		if rnd.IntN(3) > 0 {
			c.Birthday = MonthDay{time.Month(1 + rnd.IntN(12)), 1 + rnd.IntN(28)}
		}
		offsets := make([]int, 0, n)
		switch i % 10 {
		case 0, 1, 2: // weekly on one weekday, sometimes skipping a week
			o := 1 + rnd.IntN(7)
			for len(offsets) < n {
				if rnd.IntN(5) > 0 {
					offsets = append(offsets, o)
				}
				o += 7
			}
		case 3, 4, 5: // periodic with jitter, recent
			p := 3 + rnd.IntN(12)
			o := 1 + rnd.IntN(2*p)
			for len(offsets) < n {
				offsets = append(offsets, o)
				o += max(1, p+rnd.IntN(5)-2)
			}
		case 6, 7: // periodic, then stopped coming
			p := 3 + rnd.IntN(10)
			o := 40 + rnd.IntN(250)
			for len(offsets) < n {
				offsets = append(offsets, o)
				o += max(1, p+rnd.IntN(5)-2)
			}
		default: // random days, some repeated, some on or after day
			for len(offsets) < n {
				offsets = append(offsets, rnd.IntN(span)-2)
			}
		}
		vs := make([]VisitDay, n)
		for k, o := range offsets {
			vs[k] = VisitDay{Date: day.AddDays(-o)}
			m := 1 + rnd.IntN(3)
			vs[k].Items = make([]string, m)
			for j := range m {
				vs[k].Items[j] = items[rnd.IntN(len(items))]
			}
		}
		switch rnd.IntN(4) {
		case 0: // oldest first, as storage returns them
			slices.Reverse(vs)
		case 1: // shuffled
			rnd.Shuffle(len(vs), func(a, b int) { vs[a], vs[b] = vs[b], vs[a] })
		}
		hist[i] = History{Customer: c, Visits: vs, Allergies: []string{"nuts"}, Note: "likes the window seat"}
		if rnd.IntN(10) == 0 {
			hist[i].LapsedShown = day.AddDays(-rnd.IntN(60))
		}
		if rnd.IntN(20) == 0 {
			hist[i].Greeted = day.AddDays(-rnd.IntN(14))
		}
	}
	return hist
}

func BenchmarkDigestRules(b *testing.B) {
	day := NewDate(2026, time.November, 26)
	hist := benchShop(day, 10_000, 500_000)
	total := 0
	for _, h := range hist {
		total += len(h.Visits)
	}
	if total != 500_000 {
		b.Fatalf("built %d visits", total)
	}
	rules := DefaultDigestRules()
	var entries int
	b.ReportAllocs()
	for b.Loop() {
		entries = len(Digest(day, hist, rules))
	}
	b.ReportMetric(float64(entries), "entries")
}
