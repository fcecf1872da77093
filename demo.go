package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/dangol/dangol/bot/console"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/storage"
)

// demoPerson is one customer of the demo bakery and their habits.
type demoPerson struct {
	name     string
	pattern  string // weekly, periodic, lapsed, occasional, new
	weekday  time.Weekday
	every    int   // days between visits, for periodic
	favs     []int // indexes into the item list
	allergy  bool
	likes    bool
	birthday crm.MonthDay
}

// seedDemo creates the demo bakery with six months of realistic visits up
// to today, so a newcomer sees meaningful answers at once. The data is the
// same on every run (a fixed random seed), dated relative to now.
func seedDemo(ctx context.Context, db *storage.DB, cfg Config, now time.Time) (crm.Shop, error) {
	name, items := "햇살 베이커리", []string{"크루아상", "소금빵", "바게트", "식빵", "단팥빵", "아메리카노", "라떼", "베이글", "에그타르트", "스콘", "치아바타", "크림빵"}
	allergens := []string{"호두", "땅콩", "우유", "딸기"}
	if cfg.Lang == crm.LangEnglish {
		name, items = "Sunny Bakery", []string{"croissant", "salt bread", "baguette", "milk bread", "red bean bun", "americano", "latte", "bagel", "egg tart", "scone", "ciabatta", "cream bun"}
		allergens = []string{"walnut", "peanut", "milk", "strawberry"}
	}
	shop, err := db.CreateShop(ctx, crm.Shop{Name: name, Lang: cfg.Lang, TimeZone: cfg.TimeZone, CreatedAt: now})
	if err != nil {
		return crm.Shop{}, fmt.Errorf("demo: %w", err)
	}
	if err := db.AddMember(ctx, crm.Member{ShopID: shop.ID, Platform: console.Platform, UserID: consoleOwner,
		Name: "owner", Role: crm.RoleOwner, CreatedAt: now}); err != nil {
		return crm.Shop{}, fmt.Errorf("demo: %w", err)
	}
	rng := rand.New(rand.NewPCG(2026, 11))
	today := shop.Today(now)
	var rows []crm.LedgerRow
	type personFacts struct {
		name   string
		change crm.Change
	}
	var facts []personFacts
	for i, p := range demoPeople(rng, today) {
		rows = append(rows, demoVisits(rng, today, p, items)...)
		ch := crm.Change{UsualWeekday: crm.NoWeekday}
		if p.allergy {
			ch.Facts = append(ch.Facts, crm.FactInput{Kind: crm.FactAllergy, Value: allergens[i%len(allergens)]})
		}
		if p.likes {
			ch.Facts = append(ch.Facts, crm.FactInput{Kind: crm.FactLike, Value: items[p.favs[1]]})
		}
		if len(ch.Facts) > 0 {
			facts = append(facts, personFacts{p.name, ch})
		}
	}
	if _, err := db.Import(ctx, shop.ID, rows, now); err != nil {
		return crm.Shop{}, fmt.Errorf("demo: %w", err)
	}
	for _, pf := range facts {
		cs, err := db.FindCustomers(ctx, shop.ID, pf.name)
		if err != nil || len(cs) == 0 {
			return crm.Shop{}, fmt.Errorf("demo: facts for %s: %w", pf.name, err)
		}
		pf.change.CustomerID = cs[0].ID
		if _, err := db.RecordNote(ctx, crm.NoteInput{ShopID: shop.ID, Platform: "demo", AuthorID: "demo",
			Text: pf.name + " (demo)", At: now, Change: pf.change}); err != nil {
			return crm.Shop{}, fmt.Errorf("demo: %w", err)
		}
	}
	if err := demoDigests(ctx, db, shop, today, now); err != nil {
		return crm.Shop{}, fmt.Errorf("demo: %w", err)
	}
	if err := demoJoined(ctx, db, shop, now); err != nil {
		return crm.Shop{}, fmt.Errorf("demo: %w", err)
	}
	return shop, nil
}

// demoJoined links a few demo customers to console chats (users 2001 …),
// as if they had joined by the QR code and agreed, so rules (/rules) have
// someone to message: a lapsed one, one with a pace and a weekly regular.
func demoJoined(ctx context.Context, db *storage.DB, shop crm.Shop, now time.Time) error {
	lang := shop.Lang
	for i, name := range []string{"이수민", "강하린", "권태윤"} {
		cs, err := db.FindCustomers(ctx, shop.ID, name)
		if err != nil || len(cs) == 0 {
			return fmt.Errorf("joined %s: %w", name, err)
		}
		j, err := db.Join(ctx, crm.JoinInput{ShopID: shop.ID, Platform: console.Platform, UserID: fmt.Sprint(2001 + i),
			Name: name, Lang: lang, Channel: console.Platform, Notice: "join/v2/" + lang, At: now.AddDate(0, -1, 0)})
		if err != nil {
			return fmt.Errorf("joined %s: %w", name, err)
		}
		if err := db.MergeCustomer(ctx, shop.ID, j.ID, cs[0].ID); err != nil {
			return fmt.Errorf("joined %s: %w", name, err)
		}
	}
	return nil
}

// demoDigests replays the eight weeks of morning digests before today, with
// the shop's holdout, and marks some shown customers greeted, so the
// weekly report (/report) has exposures to count.
func demoDigests(ctx context.Context, db *storage.DB, shop crm.Shop, today crm.Date, now time.Time) error {
	seed, err := db.HoldoutSeed(ctx, shop.ID)
	if err != nil {
		return err
	}
	h := crm.Holdout{Percent: crm.DefaultHoldoutPercent, Seed: seed}
	for day := today.AddDays(-56); day.Before(today); day = day.AddDays(1) {
		hist, err := db.History(ctx, shop.ID)
		if err != nil {
			return err
		}
		past, err := db.DigestDecisions(ctx, shop.ID, day)
		if err != nil {
			return err
		}
		rules := crm.DigestRules{LapsedDays: shop.LapsedDays}
		marked := map[int64]bool{}
		for _, en := range crm.Digest(day, hist, rules) {
			marked[en.Customer.ID] = true
		}
		for i := range hist {
			hist[i].Greeted = crm.Date{}
		}
		entries := crm.Digest(day, hist, rules)
		past.Resting = map[int64]bool{}
		for _, en := range entries {
			past.Resting[en.Customer.ID] = !marked[en.Customer.ID]
		}
		shown, exps := crm.ApplyHoldout(day, entries, shop.DigestLimit, h, past, 0)
		shown = shown[:min(len(shown), shop.DigestLimit)]
		if _, err := db.RecordDigestRun(ctx, shop.ID, day, shown, exps, now); err != nil {
			return err
		}
		for i, en := range shown {
			if (i+day.Day)%4 == 0 {
				if err := db.MarkGreeted(ctx, shop.ID, en.Customer.ID, day); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func demoPeople(rng *rand.Rand, today crm.Date) []demoPerson {
	korean := []string{"김민지", "박서준", "이도윤", "최하나", "정하은", "한지민", "이수민", "김도현", "정유진", "박지훈",
		"윤서연", "장민호", "임수아", "오지우", "강하린", "조은우", "신예린", "배준서", "송다은", "홍시우",
		"문채원", "권태윤", "황보라", "안재현"}
	english := []string{"Emma Kim", "Liam Park", "Olivia Lee", "Noah Choi", "Ava Jung", "Lucas Han", "Mia Yoon",
		"Ethan Jang", "Sophia Lim", "James Oh", "Chloe Kang", "Daniel Cho", "Grace Shin", "Ryan Bae",
		"Hannah Song", "Sam Hong", "Julia Moon", "Max Kwon"}
	names := append(korean, english...)
	patterns := []string{"weekly", "weekly", "periodic", "periodic", "occasional", "occasional", "lapsed", "weekly", "periodic", "new"}
	people := make([]demoPerson, len(names))
	for i, n := range names {
		p := demoPerson{name: n, pattern: patterns[i%len(patterns)], weekday: time.Weekday(rng.IntN(7)), every: 6 + rng.IntN(10)}
		if i%7 == 0 {
			p.weekday = today.Weekday() // a few regulars of today's weekday
		}
		p.favs = []int{rng.IntN(12), rng.IntN(12)}
		p.allergy = i%9 == 2
		p.likes = i%5 == 3
		switch i % 6 {
		case 1:
			d := today.AddDays(i % 7) // this week
			p.birthday = crm.MonthDay{Month: d.Month, Day: d.Day}
		case 4:
			p.birthday = crm.MonthDay{Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)}
		}
		people[i] = p
	}
	return people
}

// demoVisits makes one person's visits over the last six months as ledger
// rows; the first row carries their birthday.
func demoVisits(rng *rand.Rand, today crm.Date, p demoPerson, items []string) []crm.LedgerRow {
	var days []crm.Date
	start := today.AddDays(-182)
	switch p.pattern {
	case "weekly":
		for d := start; d.Before(today); d = d.AddDays(1) {
			if d.Weekday() == p.weekday && rng.IntN(10) < 7 {
				days = append(days, d)
			}
		}
	case "periodic":
		for d := start.AddDays(rng.IntN(p.every)); d.Before(today); d = d.AddDays(p.every + rng.IntN(3) - 1) {
			days = append(days, d)
		}
	case "lapsed":
		last := today.AddDays(-(62 + rng.IntN(40)))
		for d := start; d.Before(last); d = d.AddDays(5 + rng.IntN(10)) {
			days = append(days, d)
		}
	case "occasional":
		for d := start.AddDays(rng.IntN(20)); d.Before(today); d = d.AddDays(15 + rng.IntN(25)) {
			days = append(days, d)
		}
	case "new":
		days = append(days, today.AddDays(-(1 + rng.IntN(6))))
	}
	rows := make([]crm.LedgerRow, 0, len(days))
	for _, d := range days {
		lines := []crm.ItemQty{{Name: items[p.favs[0]], Qty: 1 + rng.IntN(2)}}
		if rng.IntN(3) == 0 && p.favs[1] != p.favs[0] {
			lines = append(lines, crm.ItemQty{Name: items[p.favs[1]], Qty: 1})
		}
		rows = append(rows, crm.LedgerRow{Date: d, Customer: p.name, Items: lines, Amount: int64(3500 * len(lines))})
	}
	if len(rows) > 0 {
		rows[0].Birthday = p.birthday
	}
	return rows
}
