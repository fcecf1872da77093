package storage

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

// exported is a shop's export, gathered.
type exported struct {
	shop      crm.ShopData
	customers []crm.CustomerData
}

func exportAll(t *testing.T, db *DB, shopID int64) exported {
	t.Helper()
	var e exported
	if err := db.ExportShop(context.Background(), shopID, func(d crm.ShopData) error { e.shop = d; return nil },
		func(c crm.CustomerData) error { e.customers = append(e.customers, c); return nil }); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e exported) next() func() (crm.CustomerData, bool, error) {
	i := 0
	return func() (crm.CustomerData, bool, error) {
		if i == len(e.customers) {
			return crm.CustomerData{}, false, nil
		}
		i++
		return e.customers[i-1], true, nil
	}
}

// fullShop builds a shop with every kind of data an export carries, and
// some it must leave out, and returns it with the id of its joined
// customer.
func fullShop(t *testing.T, db *DB) (crm.Shop, int64) {
	t.Helper()
	ctx := context.Background()
	shop, err := db.CreateShop(ctx, crm.Shop{Name: "Inn by the Sea", Lang: "en", TimeZone: "Asia/Seoul", Currency: "GBP"})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 12, 0, 0, 0, shop.Location())
	note := func(text string, c crm.Change) crm.Note {
		t.Helper()
		n, err := db.RecordNote(ctx, crm.NoteInput{ShopID: shop.ID, Platform: "console", AuthorID: "owner", Text: text, At: at, Change: c})
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		return n
	}
	// A customer who joined by chat: visits in two currencies, a usual
	// time, a past and an upcoming booking and a stay.
	jimin, err := db.Join(ctx, crm.JoinInput{ShopID: shop.ID, Platform: "telegram", UserID: "7", Name: "Jimin", Lang: "en",
		Channel: "telegram", Notice: "join/v2/en", At: at.Add(-48 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	c := blank()
	c.CustomerID = jimin.ID
	c.Visit = &crm.VisitInput{Date: crm.NewDate(2026, 11, 2), Amount: 450, Items: []crm.ItemQty{{Name: "flat white", Qty: 1}}}
	c.UsualTime = "7:30"
	c.Booking = &crm.BookingInput{Date: crm.NewDate(2026, 11, 2), Time: "09:00", What: "breakfast table"}
	note("Jimin flat white £4.50, usually 7:30, table booked", c)
	c = blank()
	c.CustomerID = jimin.ID
	c.Visit = &crm.VisitInput{Date: crm.NewDate(2026, 11, 20), Amount: 1200, Currency: "usd", Context: []string{"with kids"}}
	c.Booking = &crm.BookingInput{Date: crm.NewDate(2026, 12, 20), End: crm.NewDate(2026, 12, 22), Time: "15:00",
		What: "sea room", Amount: 30000}
	note("Jimin $12, stay 20-22 Dec", c)
	c = blank()
	c.CustomerID = jimin.ID
	c.Booking = &crm.BookingInput{Date: crm.NewDate(2026, 12, 24), What: "cake", Amount: 3000, Currency: "USD"}
	note("Jimin cake on the 24th, $30", c)
	c = blank()
	c.CustomerID = jimin.ID
	c.Booking = &crm.BookingInput{Date: crm.NewDate(2026, 12, 5)}
	undone := note("Jimin booked the 5th", c)
	// A customer known only from notes, and the words the shop taught.
	c = blank()
	c.NewName = "Hana"
	c.Facts = []crm.FactInput{{Kind: crm.FactLike, Value: "oat latte"}}
	c.UsualWeekday = time.Saturday
	c.Lexicon = []crm.LexiconInput{{Word: "Scone", Role: crm.LexItem}, {Word: "window", Role: crm.LexMemo},
		{Word: "pls", Role: crm.LexIgnore}}
	hana := note("Hana likes oat latte, Saturdays", c).Effects[0].RefID

	// Rules of several kinds, active and paused, a draft, an announcement.
	save := func(r crm.Rule) crm.Rule {
		t.Helper()
		r.ShopID = shop.ID
		saved, err := db.SaveRule(ctx, r, at)
		if err != nil {
			t.Fatal(err)
		}
		return saved
	}
	before := save(crm.Rule{State: crm.RuleActive, Name: "before the stay", Template: "stay_before", SendAt: "10:00",
		Source: "stay_before", Trigger: crm.Trigger{Kind: crm.TriggerBooking, Days: -3, Anchor: crm.AnchorStart},
		Action: crm.Action{Kind: crm.ActionMessage, Text: "{name}, see you on {date}", Purpose: crm.PurposeReminders}})
	news := save(crm.Rule{State: crm.RuleActive, Name: "news they like", SendAt: "11:00", Source: "when news matches a like",
		Trigger: crm.Trigger{Kind: crm.TriggerAnnouncement},
		Action:  crm.Action{Kind: crm.ActionMessage, Text: "New: {news}", Purpose: crm.PurposeOffers}})
	lapse := save(crm.Rule{State: crm.RulePaused, Name: "miss you", SendAt: "10:30", Source: "30 days without a visit",
		Trigger: crm.Trigger{Kind: crm.TriggerNoVisit, Days: 30},
		Action:  crm.Action{Kind: crm.ActionAsk, Text: "How have you been?", Purpose: crm.PurposeReminders, Topic: "news"}})
	save(crm.Rule{State: crm.RuleActive, Name: "staff: usual order", Trigger: crm.Trigger{Kind: crm.TriggerWeekday, Item: "scone"},
		Action: crm.Action{Kind: crm.ActionStaff, Text: "{name}'s usual"}})
	save(crm.Rule{State: crm.RuleDraft, Name: "draft", Author: "console:owner", Trigger: crm.Trigger{Kind: crm.TriggerRain, Rain: 60},
		Action: crm.Action{Kind: crm.ActionMessage, Text: "Rainy!", Purpose: crm.PurposeOffers}})
	ann, err := db.AddAnnouncement(ctx, crm.Announcement{ShopID: shop.ID, Text: "oat latte is back", Day: crm.NewDate(2026, 11, 28),
		CreatedAt: at.Add(-72 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}

	// What the rules did: a message sent for the stay, one held out for
	// the news, a question answered, one for a booking since undone.
	bookings, err := db.CustomerBookings(ctx, shop.ID, jimin.ID, crm.Date{Year: 1, Month: 1, Day: 1})
	if err != nil || len(bookings) != 4 {
		t.Fatalf("bookings %+v %v", bookings, err)
	}
	stay := bookings[slices.IndexFunc(bookings, func(b crm.Booking) bool { return !b.End.IsZero() })]
	gone := bookings[slices.IndexFunc(bookings, func(b crm.Booking) bool { return b.Date == crm.NewDate(2026, 12, 5) })]
	if err := db.SetShopSetting(ctx, shop.ID, crm.SettingOutboxCap, "10/1"); err != nil {
		t.Fatal(err)
	}
	fire := func(r crm.Rule, occasion string, when time.Time, held bool) {
		t.Helper()
		f := crm.RuleFiring{RuleID: r.ID, Occasion: occasion, Day: shop.Today(when), Action: r.Action.Kind,
			TextHash: crm.TextHash(r.Action.Text + occasion), Topic: r.Action.Topic}
		in := crm.OutboxInput{ShopID: shop.ID, CustomerID: jimin.ID, Purpose: r.Action.Purpose, Text: r.Action.Text, At: when,
			Source: r.Kind, Firing: &f, SkipQuiet: true}
		if held {
			in.Holdout = &crm.HoldoutDraw{HeldOut: true, Draw: 0.01}
		}
		if _, d, err := db.QueueMessage(ctx, in); err != nil || d.Verdict == crm.VerdictBlock {
			t.Fatalf("fire %s: %+v %v", occasion, d, err)
		}
	}
	fire(before, "booking:"+itoa(stay.ID), at.Add(-time.Hour), false)
	fire(before, "booking:"+itoa(gone.ID), at.Add(-26*time.Hour), false)
	fire(news, "news:"+itoa(ann.ID), at.Add(-48*time.Hour+time.Minute), true)
	fire(lapse, "lapse:2026-10-01", at.Add(-30*24*time.Hour), false)
	fs, err := db.FiredOccasions(ctx, shop.ID, lapse.ID, []int64{jimin.ID})
	if err != nil || len(fs) != 1 {
		t.Fatalf("firings %+v %v", fs, err)
	}
	if _, err := db.db.ExecContext(ctx, `UPDATE rule_firings SET answered_at = ? WHERE id = ?`, formatTime(at.Add(-29*24*time.Hour)), fs[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UndoNote(ctx, shop.ID, undone.ID, "console", "owner", at, nil); err != nil {
		t.Fatal(err)
	}
	// The digest's memory: pushed today, Hana shown as lapsed before,
	// Jimin greeted.
	if _, err := db.RecordDigest(ctx, shop.ID, crm.NewDate(2026, 11, 25), []crm.DigestEntry{
		{Customer: crm.Customer{ID: hana}, Reasons: []crm.Reason{{Code: crm.ReasonUsualWeekday}, {Code: crm.ReasonLapsed}}},
		{Customer: crm.Customer{ID: jimin.ID}, Reasons: []crm.Reason{{Code: crm.ReasonBirthday}}}}, at); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RecordDigest(ctx, shop.ID, shop.Today(at), nil, at); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkGreeted(ctx, shop.ID, jimin.ID, crm.NewDate(2026, 11, 30)); err != nil {
		t.Fatal(err)
	}
	return shop, jimin.ID
}

// A shop with every kind of data restores whole: exporting the restored
// shop gives the same data, and what refers to other rows (firings to
// rules, bookings and announcements) refers to the restored rows.
func TestExportRestoreEveryKind(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	shop, _ := fullShop(t, db)
	first := exportAll(t, db, shop.ID)

	d, cs := first.shop, first.customers
	if d.Shop.Currency != "GBP" || len(d.Lexicon) != 3 || d.Lexicon["scone"] != crm.LexItem || len(d.Rules) != 4 ||
		d.Rules[2].State != crm.RulePaused || !d.Rules[2].NextRun.IsZero() || d.Rules[0].NextRun.IsZero() ||
		len(d.Announcements) != 1 || d.LastDigest != crm.NewDate(2026, 12, 1) || len(cs) != 2 {
		t.Fatalf("export %+v", d)
	}
	j, h := cs[0], cs[1]
	if j.UsualTime != "07:30" || len(j.Visits) != 2 || j.Visits[0].Currency != "" || j.Visits[1].Currency != "USD" ||
		len(j.Bookings) != 3 || j.Bookings[1].End != crm.NewDate(2026, 12, 22) || j.Greeted != crm.NewDate(2026, 11, 30) ||
		!j.LapsedShown.IsZero() || h.LapsedShown != crm.NewDate(2026, 11, 25) || h.UsualWeekday != time.Saturday {
		t.Fatalf("customers %+v", cs)
	}
	var occasions []string
	for _, f := range j.Fired {
		occasions = append(occasions, f.Occasion)
	}
	if len(occasions) != 4 || occasions[0] != "booking:#2" || !strings.HasPrefix(occasions[1], "booking:gone:") ||
		occasions[2] != "news:#1" || occasions[3] != "lapse:2026-10-01" {
		t.Fatalf("occasions %q", occasions)
	}

	// Into another database, whose shop and rows get other ids.
	db2, _ := openTest(t)
	other := newShop(t, db2, "Another")
	newShop(t, db2, "Another still")
	for range 3 { // the restored bookings get other ids than the first ones
		record(t, db2, noteIn(other.ID, "owner", "x", crm.Change{NewName: "X", UsualWeekday: crm.NoWeekday,
			Booking: &crm.BookingInput{Date: crm.NewDate(2026, 1, 1)}}))
	}
	target := newShop(t, db2, "Target")
	n, err := db2.RestoreShop(ctx, target.ID, d, first.next())
	if err != nil || n != 2 {
		t.Fatalf("restore %d, %v", n, err)
	}
	second := exportAll(t, db2, target.ID)
	second.shop.Shop.ID = first.shop.Shop.ID
	if !reflect.DeepEqual(second, first) {
		t.Fatalf("restored shop differs:\n%+v\n%+v", second, first)
	}

	// The restored rows, read as Dangol reads them.
	restored, _ := db2.Shop(ctx, target.ID)
	if restored.Currency != "GBP" || restored.Name != "Inn by the Sea" {
		t.Errorf("shop %+v", restored)
	}
	if lex, _ := db2.Lexicon(ctx, target.ID); !reflect.DeepEqual(lex, map[string]string{"scone": "item", "window": "memo", "pls": "ignore"}) {
		t.Errorf("lexicon %v", lex)
	}
	jimin, err := db2.FindCustomers(ctx, target.ID, "Jimin")
	if err != nil || len(jimin) != 1 || jimin[0].UsualTime != "07:30" || jimin[0].Consent != crm.ConsentNone {
		t.Fatalf("jimin %+v %v", jimin, err)
	}
	bs, _ := db2.CustomerBookings(ctx, target.ID, jimin[0].ID, crm.NewDate(2026, 12, 1))
	if len(bs) != 2 || bs[0].End != crm.NewDate(2026, 12, 22) || bs[0].Time != "15:00" || bs[1].Currency != "USD" || bs[0].NoteID != 0 {
		t.Fatalf("bookings %+v", bs)
	}
	rules, _ := db2.Rules(ctx, target.ID)
	if len(rules) != 4 || rules[0].Kind != "rule:before the stay" || rules[0].Trigger.Days != -3 {
		t.Fatalf("rules %+v", rules)
	}
	fired, _ := db2.FiredOccasions(ctx, target.ID, rules[0].ID, []int64{jimin[0].ID})
	if len(fired) != 2 || fired[0].Occasion != "booking:"+itoa(bs[0].ID) || fired[0].OutboxID != 0 ||
		fired[1].Occasion != occasions[1] {
		t.Fatalf("fired %+v (stay %d)", fired, bs[0].ID)
	}
	// The rules' ledger knows the stay's message went: it does not go again.
	ledger := crm.NewRuleLedger(crm.NewDate(2026, 12, 18), 1, nil)
	ledger.MarkFired(fired)
	if ledger.Check(rules[0].ID, jimin[0].ID, "booking:"+itoa(bs[0].ID), "") != crm.SkipAlreadySent {
		t.Error("the stay's message would go again")
	}
	news, _ := db2.Announcements(ctx, target.ID, crm.NewDate(2026, 1, 1))
	if fired, _ := db2.FiredOccasions(ctx, target.ID, rules[1].ID, []int64{jimin[0].ID}); len(fired) != 1 || len(news) != 1 ||
		fired[0].Occasion != "news:"+itoa(news[0].ID) || !fired[0].HeldOut {
		t.Fatalf("news firing %+v %+v", fired, news)
	}
	// An active rule runs when it would have; a paused one not at all.
	due, _ := db2.DueRules(ctx, d.Rules[0].NextRun)
	if len(due) != 1 || due[0].Kind != "rule:before the stay" {
		t.Errorf("due %+v", due)
	}
	if pushed, _ := db2.DigestPushed(ctx, target.ID, crm.NewDate(2026, 12, 1)); !pushed {
		t.Error("today's digest would be pushed again")
	}
	// Nothing tied to messenger accounts came along.
	if links, _ := db2.Reaches(ctx, target.ID, time.Now()); len(links) != 0 {
		t.Errorf("links %+v", links)
	}
	// Into a shop that has data: refused, whatever the data.
	if _, err := db2.RestoreShop(ctx, target.ID, d, first.next()); !errors.Is(err, crm.ErrInvalidInput) {
		t.Errorf("restored twice: %v", err)
	}
	withRule := newShop(t, db2, "Rules only")
	if _, err := db2.SaveRule(ctx, crm.Rule{ShopID: withRule.ID, State: crm.RulePaused, Name: "r",
		Trigger: crm.Trigger{Kind: crm.TriggerRain, Rain: 50}, Action: crm.Action{Kind: crm.ActionStaff, Text: "umbrellas"}},
		time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := db2.RestoreShop(ctx, withRule.ID, d, first.next()); !errors.Is(err, crm.ErrInvalidInput) {
		t.Errorf("restored into a shop with a rule: %v", err)
	}
}

// Data that could not have come from an export is refused, and nothing of
// it stays.
func TestRestoreRefusesInconsistentData(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	shop, _ := fullShop(t, db)
	good := exportAll(t, db, shop.ID)
	for name, spoil := range map[string]func(e *exported){
		"firing of no rule":   func(e *exported) { e.customers[0].Fired[0].Rule = "rule:nobody" },
		"booking by id":       func(e *exported) { e.customers[0].Fired[0].Occasion = "booking:2" },
		"booking not there":   func(e *exported) { e.customers[0].Fired[0].Occasion = "booking:#9" },
		"two rules, one kind": func(e *exported) { e.shop.Rules[1].Kind = e.shop.Rules[0].Kind },
		"a draft":             func(e *exported) { e.shop.Rules[1].State = crm.RuleDraft },
		"lexicon role":        func(e *exported) { e.shop.Lexicon["scone"] = "cake" },
		"usual time":          func(e *exported) { e.customers[0].UsualTime = "25:00" },
		"stay ends before":    func(e *exported) { e.customers[0].Bookings[1].End = crm.NewDate(2026, 12, 1) },
		"currency":            func(e *exported) { e.customers[0].Visits[1].Currency = "XYZ" },
		"firing twice":        func(e *exported) { e.customers[0].Fired[1] = e.customers[0].Fired[0] },
	} {
		e := exportAll(t, db, shop.ID)
		spoil(&e)
		db2, _ := openTest(t)
		target := newShop(t, db2, "Target")
		if _, err := db2.RestoreShop(ctx, target.ID, e.shop, e.next()); !errors.Is(err, crm.ErrInvalidInput) {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := exportAll(t, db2, target.ID); len(got.customers) != 0 || len(got.shop.Rules) != 0 || len(got.shop.Lexicon) != 0 {
			t.Errorf("%s: left %+v", name, got)
		}
		// The same database takes the good data afterwards.
		if _, err := db2.RestoreShop(ctx, target.ID, good.shop, good.next()); err != nil {
			t.Errorf("%s: then the good data: %v", name, err)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
