package storage

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

// customerIDs returns the shop's customers by name.
func customerIDs(t testing.TB, db *DB, shopID int64) map[string]int64 {
	t.Helper()
	rows, err := db.db.Query(`SELECT name, id FROM customers WHERE shop_id = ?`, shopID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var n string
		var id int64
		rows.Scan(&n, &id)
		out[n] = id
	}
	return out
}

// report computes the shop's weekly report straight from storage.
func report(t testing.TB, db *DB, shopID int64, week crm.Week, fdays int) crm.WeekReport {
	t.Helper()
	ctx := context.Background()
	cvs, err := db.ReportVisits(ctx, shopID, week.Sunday())
	if err != nil {
		t.Fatal(err)
	}
	exps, err := db.Exposures(ctx, shopID, week.Sunday())
	if err != nil {
		t.Fatal(err)
	}
	return crm.BuildWeekReport(crm.ReportInput{Week: week, LapsedDays: 60, FollowupDays: fdays, Customers: cvs, Exposures: exps})
}

// TestErasureKeepsTheReportsCounts records exposures of every track, with
// ties and boundaries, for a generated ledger; erases every customer (by
// forget, by their own request, by retention); and checks that the
// follow-up counts stay exactly as they were (the trigger's SQL agrees
// with crm.FollowUps) while no exposure keeps a customer or a draw.
func TestErasureKeepsTheReportsCounts(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	if err := db.SetShopSetting(ctx, s.ID, crm.SettingFollowupDays, "5"); err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	start := crm.NewDate(2026, time.September, 1)
	var rows []crm.LedgerRow
	for i := range 60 {
		for range 2 + rnd.IntN(12) {
			rows = append(rows, crm.LedgerRow{Date: start.AddDays(rnd.IntN(80)), Customer: fmt.Sprintf("C%02d", i),
				Items: []crm.ItemQty{{Name: "bagel", Qty: 1}}, Amount: 1000})
		}
	}
	if _, err := db.Import(ctx, s.ID, rows, t0()); err != nil {
		t.Fatal(err)
	}
	ids := customerIDs(t, db, s.ID)
	var exps []crm.Exposure
	tracks := []crm.ExposureTrack{crm.TrackDigest, crm.TrackMessage, crm.TrackGreeted}
	for name, id := range ids {
		_ = name
		for range 1 + rnd.IntN(6) {
			tr := tracks[rnd.IntN(3)]
			kind := map[crm.ExposureTrack]string{crm.TrackDigest: "due", crm.TrackMessage: crm.SourceHello, crm.TrackGreeted: crm.KindGreeted}[tr]
			exps = append(exps, crm.Exposure{ShopID: s.ID, CustomerID: id, Day: start.AddDays(rnd.IntN(80)), Track: tr,
				Kind: kind, HeldOut: rnd.IntN(4) == 0, Draw: rnd.Float64()})
		}
	}
	if err := db.RecordExposures(ctx, exps); err != nil {
		t.Fatal(err)
	}
	week := crm.WeekOf(start.AddDays(90))
	before := report(t, db, s.ID, week, 5)
	total := 0
	for _, c := range before.Followup {
		total += c.ExposedFollowed + c.HeldOutFollowed
	}
	if len(before.Followup) != 3 || total == 0 {
		t.Fatalf("before: %+v", before.Followup)
	}

	// Erase everyone, three ways.
	k := 0
	for _, id := range ids {
		var err error
		switch k % 3 {
		case 0:
			err = db.ForgetCustomer(ctx, s.ID, id, t0())
		case 1:
			err = db.EraseCustomer(ctx, s.ID, id, crm.ErasureByCustomer, t0())
		}
		if err != nil {
			t.Fatal(err)
		}
		k++
	}
	if n, err := db.ExpireCustomers(ctx, s.ID, crm.NewDate(2030, 1, 1), time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), t0()); err != nil || n == 0 {
		t.Fatalf("expired %d, %v", n, err)
	}
	after := report(t, db, s.ID, week, 5)
	if !slices.Equal(after.Followup, before.Followup) {
		t.Fatalf("follow-up changed by erasure:\nbefore %+v\nafter  %+v", before.Followup, after.Followup)
	}
	var left int
	if err := db.db.QueryRow(`SELECT count(*) FROM exposures WHERE customer_id IS NOT NULL OR draw IS NOT NULL OR followed IS NULL`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("%d exposures keep a customer, a draw or no outcome (%v)", left, err)
	}
}

func TestDigestRunRecordsExposuresOnce(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	c := blank()
	c.NewName = "Kim"
	n := record(t, db, noteIn(s.ID, "owner", "Kim", c))
	kim := n.Effects[0].CustomerID
	day := crm.NewDate(2026, time.November, 18)
	shown := []crm.DigestEntry{{Customer: crm.Customer{ID: kim, ShopID: s.ID}, Reasons: []crm.Reason{{Code: crm.ReasonDue}}}}
	exps := []crm.Exposure{
		{CustomerID: kim, Track: crm.TrackDigest, Kind: "due", Codes: "due", Draw: 0.7},
		{CustomerID: 999, Track: crm.TrackDigest, Kind: "lapsed", Codes: "lapsed", HeldOut: true, Draw: 0.01}, // not the shop's
	}
	first, err := db.RecordDigestRun(ctx, s.ID, day, shown, exps, t0())
	if err != nil || !first {
		t.Fatalf("first run: %v %v", first, err)
	}
	first, err = db.RecordDigestRun(ctx, s.ID, day, shown, exps, t0())
	if err != nil || first {
		t.Fatalf("second run: %v %v", first, err)
	}
	got, err := db.Exposures(ctx, s.ID, day)
	if err != nil || len(got) != 1 || got[0].CustomerID != kim || got[0].Day != day || got[0].Draw != 0.7 || got[0].Settled {
		t.Fatalf("exposures %+v, %v", got, err)
	}
	// A greeted mark is an exposure once a day.
	for range 2 {
		if err := db.MarkGreeted(ctx, s.ID, kim, day); err != nil {
			t.Fatal(err)
		}
	}
	wantErr(t, db.MarkGreeted(ctx, s.ID, 12345, day), crm.ErrNotFound)
	got, _ = db.Exposures(ctx, s.ID, day)
	if len(got) != 2 || got[1].Track != crm.TrackGreeted || got[1].Draw != -1 {
		t.Fatalf("after greeting: %+v", got)
	}
	// The lapsed decisions.
	if err := db.RecordExposures(ctx, []crm.Exposure{
		{ShopID: s.ID, CustomerID: kim, Day: day.AddDays(-40), Track: crm.TrackDigest, Kind: "birthday", Codes: "birthday,lapsed", HeldOut: true},
		{ShopID: s.ID, CustomerID: kim, Day: day.AddDays(-3), Track: crm.TrackDigest, Kind: "lapsed", Codes: "lapsed"},
		{ShopID: s.ID, CustomerID: kim, Day: day, Track: crm.TrackDigest, Kind: "lapsed", Codes: "lapsed", HeldOut: true},
	}); err != nil {
		t.Fatal(err)
	}
	past, err := db.DigestDecisions(ctx, s.ID, day)
	if err != nil || past.Lapsed[kim] != (crm.LapsedDecision{Day: day.AddDays(-3)}) || len(past.Lapsed) != 1 {
		t.Fatalf("lapsed decisions %+v, %v", past, err)
	}
	// 18 November 2026 is a Wednesday: the week's units before it are
	// none; on Thursday, Wednesday's.
	if len(past.ThisWeek) != 0 {
		t.Fatalf("this week %+v", past.ThisWeek)
	}
	past, _ = db.DigestDecisions(ctx, s.ID, day.AddDays(1))
	if !past.ThisWeek[crm.DigestUnit{CustomerID: kim, Kind: "lapsed"}] || !past.ThisWeek[crm.DigestUnit{CustomerID: kim, Kind: "due"}] ||
		len(past.ThisWeek) != 2 {
		t.Fatalf("this week %+v", past.ThisWeek)
	}
}

func TestMessagesBecomeExposuresWhenSent(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s, err := db.CreateShop(ctx, crm.Shop{Name: "Bakery", TimeZone: "Asia/Seoul"})
	if err != nil {
		t.Fatal(err)
	}
	c := join(t, db, s.ID, "42", "Minji", noon())
	// 23:30 UTC on 6 March is 08:30 on 7 March in Seoul.
	at := time.Date(2025, 3, 6, 23, 30, 0, 0, time.UTC)
	m, d, err := db.QueueMessage(ctx, crm.OutboxInput{ShopID: s.ID, CustomerID: c.ID, Purpose: crm.PurposeReminders, Text: "hi",
		At: at, Source: crm.SourceHello})
	if err != nil || d.Verdict != crm.VerdictSend {
		t.Fatalf("queue: %+v %v", d, err)
	}
	if got, _ := db.Exposures(ctx, s.ID, crm.NewDate(2025, 3, 31)); len(got) != 0 {
		t.Fatalf("an exposure before sending: %+v", got)
	}
	claimed, ok, _, err := db.ClaimOutbox(ctx, at, at.Add(-time.Hour))
	if err != nil || !ok || claimed.ID != m.ID {
		t.Fatalf("claim %v %v", ok, err)
	}
	if err := db.MarkSent(ctx, m.ID, at); err != nil {
		t.Fatal(err)
	}
	wantErr(t, db.MarkSent(ctx, m.ID, at), crm.ErrNotFound)
	got, _ := db.Exposures(ctx, s.ID, crm.NewDate(2025, 3, 31))
	if len(got) != 1 || got[0].Day != crm.NewDate(2025, 3, 7) || got[0].Kind != crm.SourceHello ||
		got[0].Track != crm.TrackMessage || got[0].Purpose != crm.PurposeReminders || got[0].HeldOut {
		t.Fatalf("exposures %+v", got)
	}

	// An automated message the draw holds out is not queued; one the rules
	// block is not recorded as held out.
	before := counts(t, db)["outbox"]
	_, d, err = db.QueueMessage(ctx, crm.OutboxInput{ShopID: s.ID, CustomerID: c.ID, Purpose: crm.PurposeOffers, Text: "sale",
		At: at.Add(200 * time.Hour), Source: "rule:winback", Holdout: &crm.HoldoutDraw{HeldOut: true, Draw: 0.05}})
	if err != nil || d.Verdict != crm.VerdictHeldOut {
		t.Fatalf("held out: %+v %v", d, err)
	}
	if counts(t, db)["outbox"] != before {
		t.Fatal("a held-out message was queued")
	}
	got, _ = db.Exposures(ctx, s.ID, crm.NewDate(2025, 3, 31))
	if len(got) != 2 || !got[1].HeldOut || got[1].Kind != "rule:winback" || got[1].Draw != 0.05 {
		t.Fatalf("exposures %+v", got)
	}
	stranger := blank()
	stranger.NewName = "Walk-in"
	n := record(t, db, noteIn(s.ID, "owner", "Walk-in", stranger))
	_, d, err = db.QueueMessage(ctx, crm.OutboxInput{ShopID: s.ID, CustomerID: n.Effects[0].CustomerID, Purpose: crm.PurposeOffers,
		Text: "sale", At: at, Source: "rule:winback", Holdout: &crm.HoldoutDraw{HeldOut: true, Draw: 0.05}})
	if err != nil || d.Verdict != crm.VerdictBlock {
		t.Fatalf("blocked: %+v %v", d, err)
	}
	if got, _ := db.Exposures(ctx, s.ID, crm.NewDate(2025, 3, 31)); len(got) != 2 {
		t.Fatalf("a blocked message was recorded: %+v", got)
	}
}

func TestReportVisitsAndTopItems(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	d := crm.NewDate(2026, time.November, 16)
	rows := []crm.LedgerRow{
		{Date: d.AddDays(2), Customer: "Kim", Items: []crm.ItemQty{{Name: "bagel", Qty: 2}}, Amount: 3000},
		{Date: d, Customer: "Kim", Items: []crm.ItemQty{{Name: "latte", Qty: 1}}, Amount: 4000},
		{Date: d, Customer: "Kim", Items: []crm.ItemQty{{Name: "bagel", Qty: 1}}, Amount: 500},
		{Date: d.AddDays(9), Customer: "Kim", Items: []crm.ItemQty{{Name: "cake", Qty: 9}}},
		{Date: d.AddDays(1), Customer: "Lee", Items: []crm.ItemQty{{Name: "latte", Qty: 1}, {Name: "cake", Qty: 1}}},
	}
	if _, err := db.Import(ctx, s.ID, rows, t0()); err != nil {
		t.Fatal(err)
	}
	cvs, err := db.ReportVisits(ctx, s.ID, d.AddDays(6))
	if err != nil || len(cvs) != 2 {
		t.Fatalf("%+v %v", cvs, err)
	}
	kim := cvs[0]
	if kim.Name != "Kim" || !slices.Equal(kim.Days, []crm.Date{d, d.AddDays(2)}) || !slices.Equal(kim.Amounts, []int64{4500, 3000}) {
		t.Fatalf("Kim %+v", kim)
	}
	top, err := db.TopItems(ctx, s.ID, d, d.AddDays(6), 2)
	if err != nil || !slices.Equal(top, []crm.ItemQty{{Name: "bagel", Qty: 3}, {Name: "latte", Qty: 2}}) {
		t.Fatalf("top %+v %v", top, err)
	}
}

func TestEveryShopHasItsOwnSeed(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	a, b := newShop(t, db, "A"), newShop(t, db, "B")
	sa, err1 := db.HoldoutSeed(ctx, a.ID)
	sb, err2 := db.HoldoutSeed(ctx, b.ID)
	if err1 != nil || err2 != nil || len(sa) != 32 || sa == sb {
		t.Fatalf("seeds %q %q (%v %v)", sa, sb, err1, err2)
	}
	if again, _ := db.HoldoutSeed(ctx, a.ID); again != sa {
		t.Fatal("the seed changed")
	}
	if err := db.SetShopSetting(ctx, a.ID, crm.SettingHoldoutSeed, ""); err != nil {
		t.Fatal(err)
	}
	if s, err := db.HoldoutSeed(ctx, a.ID); err != nil || len(s) != 32 {
		t.Fatalf("a missing seed was not made again: %q %v", s, err)
	}
}
