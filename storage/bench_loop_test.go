package storage

import (
	"context"
	"testing"

	"github.com/dangol/dangol/crm"
)

// BenchmarkWeekReport computes the weekly report of a shop of 10,000
// customers and 500,000 visits with a year of exposures (40 digest entries
// a day, a tenth held out, and some messages): the visits, exposures and
// top items read from SQLite, and the report's rules.
func BenchmarkWeekReport(b *testing.B) {
	ctx := context.Background()
	db, _ := openTest(b)
	s := newShop(b, db, "Bakery")
	if _, err := db.Import(ctx, s.ID, benchLedger(10_000, 500_000), t0()); err != nil {
		b.Fatal(err)
	}
	if _, err := db.db.ExecContext(ctx, `WITH RECURSIVE d(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM d WHERE n < 364)
		INSERT INTO exposures (shop_id, customer_id, day, track, kind, codes, held_out, draw)
		SELECT ?1, c.id, date(?2, '-' || d.n || ' days'),
			CASE WHEN c.id % 9 = 0 THEN 'message' ELSE 'digest' END,
			CASE WHEN c.id % 9 = 0 THEN 'hello' ELSE 'due' END, 'due', (c.id + d.n) % 10 = 0, 0.5
		FROM d JOIN customers c ON c.shop_id = ?1 AND (c.id * 7 + d.n * 13) % 250 = 0`,
		s.ID, benchDay.String()); err != nil {
		b.Fatal(err)
	}
	week := crm.WeekOf(benchDay).Prev()
	var rep crm.WeekReport
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		cvs, err := db.ReportVisits(ctx, s.ID, week.Sunday())
		if err != nil {
			b.Fatal(err)
		}
		exps, err := db.Exposures(ctx, s.ID, week.Sunday())
		if err != nil {
			b.Fatal(err)
		}
		top, err := db.TopItems(ctx, s.ID, week.Monday(), week.Sunday(), crm.TopItemsShown)
		if err != nil {
			b.Fatal(err)
		}
		rep = crm.BuildWeekReport(crm.ReportInput{Week: week, Customers: cvs, Exposures: exps, TopItems: top})
	}
	b.StopTimer()
	n := 0
	for _, c := range rep.Followup {
		n += c.Exposed + c.HeldOut
	}
	if rep.Visits == 0 || n == 0 || len(rep.TopItems) == 0 {
		b.Fatalf("report %+v", rep)
	}
	b.ReportMetric(float64(n), "exposures")
}

// BenchmarkWeekReportRules is the report's rules alone on the same shop.
func BenchmarkWeekReportRules(b *testing.B) {
	ctx := context.Background()
	db, _ := openTest(b)
	s := newShop(b, db, "Bakery")
	if _, err := db.Import(ctx, s.ID, benchLedger(10_000, 500_000), t0()); err != nil {
		b.Fatal(err)
	}
	week := crm.WeekOf(benchDay).Prev()
	cvs, err := db.ReportVisits(ctx, s.ID, week.Sunday())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		crm.BuildWeekReport(crm.ReportInput{Week: week, Customers: cvs})
	}
}
