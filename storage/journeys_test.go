package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

func TestRulesStore(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	shop := newShop(t, db, "Salon") // Asia/Seoul
	seoul := shop.Location()
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, seoul)
	r := crm.Rule{ShopID: shop.ID, State: crm.RuleDraft, Name: "welcome", Author: "console:owner",
		Trigger: crm.Trigger{Kind: crm.TriggerNoVisit, Days: 60}, Action: crm.Action{Kind: crm.ActionMessage, Text: "hi", Purpose: crm.PurposeReminders},
		SendAt: "10:00"}
	draft, err := db.SaveRule(ctx, r, at)
	if err != nil {
		t.Fatal(err)
	}
	// A second draft of the author replaces the first; drafts are not
	// listed and never due.
	r.Name = "welcome 2"
	draft2, err := db.SaveRule(ctx, r, at)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Rule(ctx, shop.ID, draft.ID); !errors.Is(err, crm.ErrNotFound) {
		t.Errorf("first draft still there: %v", err)
	}
	if got, err := db.RuleDraft(ctx, shop.ID, "console:owner"); err != nil || got.ID != draft2.ID || got.Trigger != r.Trigger || got.Action != r.Action {
		t.Errorf("draft %+v, %v", got, err)
	}
	if rs, _ := db.Rules(ctx, shop.ID); len(rs) != 0 {
		t.Errorf("drafts listed: %+v", rs)
	}
	// Saved active at 09:00: due at 10:00 today, not before.
	draft2.State = crm.RuleActive
	saved, err := db.SaveRule(ctx, draft2, at)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Kind != "rule:welcome 2" || saved.Author != "" {
		t.Errorf("saved %+v", saved)
	}
	if due, _ := db.DueRules(ctx, at.Add(59*time.Minute)); len(due) != 0 {
		t.Errorf("due at 09:59: %+v", due)
	}
	due, err := db.DueRules(ctx, at.Add(time.Hour))
	if err != nil || len(due) != 1 || due[0].ID != saved.ID {
		t.Fatalf("due at 10:00: %+v, %v", due, err)
	}
	day := shop.Today(at)
	next := at.Add(25 * time.Hour)
	if first, err := db.StartRuleRun(ctx, shop.ID, saved.ID, day, next, at.Add(time.Hour)); err != nil || !first {
		t.Fatalf("first run: %v %v", first, err)
	}
	if first, _ := db.StartRuleRun(ctx, shop.ID, saved.ID, day, next, at.Add(2*time.Hour)); first {
		t.Error("ran twice on one day")
	}
	if due, _ := db.DueRules(ctx, at.Add(3*time.Hour)); len(due) != 0 {
		t.Errorf("due again the same day: %+v", due)
	}
	// A second rule of the same name gets a kind of its own; deleting a
	// rule frees nothing of the first's.
	other := saved
	other.ID, other.Kind = 0, ""
	other2, err := db.SaveRule(ctx, other, at)
	if err != nil || other2.Kind != "rule:welcome 2 2" {
		t.Errorf("second kind %q, %v", other2.Kind, err)
	}
	if err := db.DeleteRule(ctx, shop.ID, other2.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteRule(ctx, shop.ID, other2.ID); !errors.Is(err, crm.ErrNotFound) {
		t.Errorf("deleted twice: %v", err)
	}
	// Another shop sees none of it.
	shop2 := newShop(t, db, "Other")
	if _, err := db.Rule(ctx, shop2.ID, saved.ID); !errors.Is(err, crm.ErrNotFound) {
		t.Errorf("another shop's rule: %v", err)
	}
	if err := db.DeleteRule(ctx, shop2.ID, saved.ID); !errors.Is(err, crm.ErrNotFound) {
		t.Errorf("another shop deleted it: %v", err)
	}
}

// TestFiringsGoWithTheirMessage: a firing is written in the transaction
// that queues (or holds out) its message, once per occasion; a blocked
// message writes none; firings, answers and open questions go with the
// customer.
func TestFiringsGoWithTheirMessage(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	shop := newShop(t, db, "Inn")
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, shop.Location())
	cu, err := db.Join(ctx, crm.JoinInput{ShopID: shop.ID, Platform: "telegram", UserID: "7", Name: "Jimin", Lang: "ko",
		Channel: "telegram", Notice: "join/v2/ko", At: at.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetShopSetting(ctx, shop.ID, crm.SettingOutboxCap, "10/1"); err != nil {
		t.Fatal(err)
	}
	stranger := record(t, db, noteIn(shop.ID, "owner", "Hana", crm.Change{NewName: "Hana", UsualWeekday: crm.NoWeekday,
		Facts: []crm.FactInput{{Kind: crm.FactNote, Value: "x"}}})).Effects[0].RefID
	rule, err := db.SaveRule(ctx, crm.Rule{ShopID: shop.ID, State: crm.RuleActive, Name: "survey", SendAt: "10:00",
		Trigger: crm.Trigger{Kind: crm.TriggerBooking, Days: 90, Anchor: crm.AnchorEnd},
		Action:  crm.Action{Kind: crm.ActionAsk, Text: "Where next?", Purpose: crm.PurposeReminders, Topic: "next trip"}}, at)
	if err != nil {
		t.Fatal(err)
	}
	day := shop.Today(at)
	firing := crm.RuleFiring{RuleID: rule.ID, Occasion: "booking:1", Day: day, Action: crm.ActionAsk, TextHash: crm.TextHash("Where next?"), Topic: "next trip"}
	in := crm.OutboxInput{ShopID: shop.ID, CustomerID: cu.ID, Purpose: crm.PurposeReminders, Text: "Where next?", At: at,
		Source: rule.Kind, Firing: &firing, SkipQuiet: true}
	m, d, err := db.QueueMessage(ctx, in)
	if err != nil || d.Verdict != crm.VerdictSend {
		t.Fatalf("queue: %+v %v", d, err)
	}
	if _, _, err := db.QueueMessage(ctx, in); !errors.Is(err, crm.ErrAlreadyDone) {
		t.Fatalf("the same occasion again: %v", err)
	}
	if ms, _ := db.OutboxFor(ctx, shop.ID, cu.ID); len(ms) != 1 {
		t.Fatalf("outbox %+v", ms)
	}
	// A blocked message (never joined) writes no firing.
	in2 := in
	in2.CustomerID = stranger
	if _, d, err := db.QueueMessage(ctx, in2); err != nil || d.Verdict != crm.VerdictBlock {
		t.Fatalf("stranger: %+v %v", d, err)
	}
	// Quiet hours block instead of holding.
	in3 := in
	f3 := firing
	f3.Occasion = "booking:2"
	in3.Firing, in3.At = &f3, at.Add(12*time.Hour)
	if _, d, err := db.QueueMessage(ctx, in3); err != nil || d.Verdict != crm.VerdictBlock || d.Reason != crm.BlockQuiet {
		t.Fatalf("quiet: %+v %v", d, err)
	}
	fs, err := db.RuleFirings(ctx, shop.ID, day)
	if err != nil || len(fs) != 1 || fs[0].OutboxID != m.ID || fs[0].CustomerID != cu.ID || fs[0].HeldOut {
		t.Fatalf("firings %+v, %v", fs, err)
	}
	if occ, _ := db.FiredOccasions(ctx, shop.ID, rule.ID, []int64{cu.ID, stranger}); len(occ) != 1 || occ[0].Occasion != "booking:1" {
		t.Errorf("fired occasions %+v", occ)
	}
	// Not an open question until it is sent.
	if _, err := db.OpenQuestion(ctx, shop.ID, cu.ID, at); !errors.Is(err, crm.ErrNotFound) {
		t.Errorf("open before sending: %v", err)
	}
	claimed, ok, _, err := db.ClaimOutbox(ctx, at, at.Add(-time.Hour))
	if err != nil || !ok || claimed.ID != m.ID {
		t.Fatalf("claim %+v %v %v", claimed, ok, err)
	}
	if err := db.MarkSent(ctx, m.ID, at); err != nil {
		t.Fatal(err)
	}
	q, err := db.OpenQuestion(ctx, shop.ID, cu.ID, at.Add(time.Hour))
	if err != nil || q.Topic != "next trip" {
		t.Fatalf("open question %+v %v", q, err)
	}
	if _, err := db.OpenQuestion(ctx, shop.ID, cu.ID, at.AddDate(0, 0, crm.QuestionOpenDays)); !errors.Is(err, crm.ErrNotFound) {
		t.Errorf("a week later the question is closed: %v", err)
	}
	fact, err := db.AnswerQuestion(ctx, shop.ID, q.ID, "next trip: the sea", at.Add(2*time.Hour))
	if err != nil || fact.CustomerID != cu.ID || fact.Kind != crm.FactNote {
		t.Fatalf("answer %+v %v", fact, err)
	}
	if _, err := db.AnswerQuestion(ctx, shop.ID, q.ID, "again", at.Add(3*time.Hour)); !errors.Is(err, crm.ErrAlreadyDone) {
		t.Errorf("answered twice: %v", err)
	}
	if facts, _ := db.Facts(ctx, shop.ID, cu.ID); len(facts) != 1 || facts[0].Value != "next trip: the sea" {
		t.Errorf("facts %+v", facts)
	}
	// Held out: a firing without a message.
	f4 := firing
	f4.Occasion = "booking:3"
	in4 := in
	in4.Firing, in4.Holdout = &f4, &crm.HoldoutDraw{HeldOut: true, Draw: 0.01}
	if _, d, err := db.QueueMessage(ctx, in4); err != nil || d.Verdict != crm.VerdictHeldOut {
		t.Fatalf("held out: %+v %v", d, err)
	}
	fs, _ = db.RuleFirings(ctx, shop.ID, day)
	if len(fs) != 2 || !fs[1].HeldOut || fs[1].OutboxID != 0 {
		t.Fatalf("firings %+v", fs)
	}
	// Erased: every firing and the answer go; the exposures stay, anonymous.
	if err := db.EraseCustomer(ctx, shop.ID, cu.ID, crm.ErasureByCustomer, at.Add(4*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if fs, _ := db.RuleFirings(ctx, shop.ID, day); len(fs) != 0 {
		t.Errorf("firings after erasure %+v", fs)
	}
	exps, _ := db.Exposures(ctx, shop.ID, day)
	if len(exps) != 2 {
		t.Errorf("exposures %+v", exps)
	}
	for _, e := range exps {
		if e.CustomerID != 0 {
			t.Errorf("exposure names a customer: %+v", e)
		}
	}
}

func TestAnnouncementsWeatherReaches(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	shop := newShop(t, db, "Books")
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, shop.Location())
	d := shop.Today(at)
	if _, err := db.AddAnnouncement(ctx, crm.Announcement{ShopID: shop.ID, Text: " ", Day: d, CreatedAt: at}); !errors.Is(err, crm.ErrInvalidInput) {
		t.Errorf("blank announcement: %v", err)
	}
	for i, dd := range []crm.Date{d.AddDays(-8), d.AddDays(-7), d} {
		if _, err := db.AddAnnouncement(ctx, crm.Announcement{ShopID: shop.ID, Text: "news " + string(rune('a'+i)), Day: dd, CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	if as, _ := db.Announcements(ctx, shop.ID, d.AddDays(-7)); len(as) != 2 || as[0].Text != "news b" {
		t.Errorf("announcements %+v", as)
	}
	if _, ok, _ := db.WeatherDay(ctx, shop.ID, d); ok {
		t.Error("a forecast before any")
	}
	if err := db.SetWeatherDay(ctx, crm.WeatherDay{ShopID: shop.ID, Day: d, Failed: true, FetchedAt: at}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetWeatherDay(ctx, crm.WeatherDay{ShopID: shop.ID, Day: d, Rain: 70, FetchedAt: at}); err != nil {
		t.Fatal(err)
	}
	if w, ok, _ := db.WeatherDay(ctx, shop.ID, d); !ok || w.Rain != 70 || w.Failed {
		t.Errorf("weather %+v", w)
	}
	if err := db.SetWeatherDay(ctx, crm.WeatherDay{ShopID: shop.ID, Day: d, Rain: 101}); !errors.Is(err, crm.ErrInvalidInput) {
		t.Errorf("101%%: %v", err)
	}
	cu, err := db.Join(ctx, crm.JoinInput{ShopID: shop.ID, Platform: "telegram", UserID: "9", Name: "Kim", Lang: "en",
		Channel: "telegram", Notice: "join/v2/en", At: at.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ChangeConsent(ctx, crm.ConsentChange{ShopID: shop.ID, CustomerID: cu.ID, Set: map[crm.Purpose]bool{crm.PurposeOffers: false},
		Channel: "telegram", Notice: "settings/v2/en", At: at}); err != nil {
		t.Fatal(err)
	}
	rs, err := db.Reaches(ctx, shop.ID, at)
	r := rs[cu.ID]
	if err != nil || len(rs) != 1 || !r.Linked || r.Lang != "en" || !r.Consent.Granted(crm.PurposeReminders) || r.Consent.Granted(crm.PurposeOffers) {
		t.Errorf("reaches %+v, %v", rs, err)
	}
	record(t, db, noteIn(shop.ID, "owner", "Kim usually 7", crm.Change{CustomerID: cu.ID, UsualWeekday: crm.NoWeekday, UsualTime: "07:00"}))
	if ut, _ := db.UsualTimes(ctx, shop.ID); ut[cu.ID] != "07:00" || len(ut) != 1 {
		t.Errorf("usual times %v", ut)
	}
}

// BenchmarkDueRulesIdle is the scheduler's per-minute look for rules due,
// in a database of 10,000 shops with three rules each, none due: one
// indexed range, however many shops.
func BenchmarkDueRulesIdle(b *testing.B) {
	ctx := context.Background()
	db, _ := openTest(b)
	at := time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC)
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		for i := range 10_000 {
			res, err := tx.ExecContext(ctx, `INSERT INTO shops (name, lang, time_zone, digest_time, lapsed_days, digest_limit, code, created_at)
				VALUES (?, 'ko', 'Asia/Seoul', '08:30', 60, 7, ?, ?)`, fmt.Sprint("shop ", i), fmt.Sprint("CODE", i), formatTime(at))
			if err != nil {
				return err
			}
			id, _ := res.LastInsertId()
			for k := range 3 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO rules (shop_id, state, name, kind, trigger_spec, action_spec, send_at,
					next_run, created_at, updated_at) VALUES (?, 'active', ?, ?, '{"kind":"no_visit","days":60}',
					'{"kind":"message","text":"hi","purpose":"reminders"}', '10:00', ?, ?, ?)`, id, fmt.Sprint("r", k), fmt.Sprint("rule:r", k),
					formatTime(at.Add(time.Duration(1+k)*time.Hour)), formatTime(at), formatTime(at)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		rs, err := db.DueRules(ctx, at)
		if err != nil || len(rs) != 0 {
			b.Fatal(rs, err)
		}
	}
}
