package conversation_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/locales"
	"github.com/dangol/dangol/storage"
)

// BenchmarkDryRun10k dry-runs six rules (the templates that message
// customers, by trigger) on a shop of 10,000 customers and 500,000 visits
// of which 2,000 joined by chat: one read of the history, matching, the
// limits and the holdout, nothing written.
func BenchmarkDryRun10k(b *testing.B) {
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(b.TempDir(), "big.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	day := crm.NewDate(2026, time.November, 26)
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.FixedZone("KST", 9*3600))
	shop, err := db.CreateShop(ctx, crm.Shop{Name: "Big", Lang: "ko", CreatedAt: now.AddDate(-2, 0, 0)})
	if err != nil {
		b.Fatal(err)
	}
	const customers, visits, joined = 10_000, 500_000, 2_000
	for i := range joined {
		if _, err := db.Join(ctx, crm.JoinInput{ShopID: shop.ID, Platform: "telegram", UserID: strconv.Itoa(i),
			Name: benchName(i), Lang: "ko", Channel: "telegram", Notice: "join/v2/ko", At: now.AddDate(-2, 0, 0)}); err != nil {
			b.Fatal(err)
		}
	}
	rnd := rand.New(rand.NewPCG(11, 26))
	items := []string{"크루아상", "소금빵", "바게트", "라떼", "아메리카노", "커트", "펌"}
	rows := make([]crm.LedgerRow, 0, visits)
	for i := range customers {
		pace := 3 + rnd.IntN(60)
		o := 1 + rnd.IntN(120)
		for range visits / customers {
			rows = append(rows, crm.LedgerRow{Date: day.AddDays(-o), Customer: benchName(i),
				Items: []crm.ItemQty{{Name: items[rnd.IntN(len(items))], Qty: 1}}})
			o += max(1, pace+rnd.IntN(7)-3)
		}
	}
	if _, err := db.Import(ctx, shop.ID, rows, now); err != nil {
		b.Fatal(err)
	}
	cat, err := locales.New()
	if err != nil {
		b.Fatal(err)
	}
	e, err := conversation.New(conversation.Config{Store: db, Catalog: cat, Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	for i, tr := range []crm.Trigger{
		{Kind: crm.TriggerNoVisit, Days: 60},
		{Kind: crm.TriggerAfterFirst, Days: 14},
		{Kind: crm.TriggerDue, Ahead: 6},
		{Kind: crm.TriggerWeekday, Item: "크루아상"},
		{Kind: crm.TriggerBirthday},
		{Kind: crm.TriggerCycle},
	} {
		if _, err := db.SaveRule(ctx, crm.Rule{ShopID: shop.ID, State: crm.RuleActive, Name: fmt.Sprintf("rule %d", i), SendAt: "10:00",
			Trigger: tr, Action: crm.Action{Kind: crm.ActionMessage, Text: "{이름}님, 안녕하세요", Purpose: crm.PurposeReminders}}, now); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	var sent, skipped int
	for range b.N {
		outs, err := e.DryRun(ctx, shop, day, nil)
		if err != nil {
			b.Fatal(err)
		}
		sent, skipped = 0, 0
		for _, o := range outs {
			sent += len(o.Sent)
			skipped += len(o.Skipped)
		}
	}
	b.ReportMetric(float64(sent), "would_send")
	b.ReportMetric(float64(skipped), "skipped")
}

func benchName(i int) string { return fmt.Sprintf("손님%05d", i) }
