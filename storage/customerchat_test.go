package storage

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

// noon is 12:00 in Seoul on t0's day, outside the default quiet hours.
func noon() time.Time { return time.Date(2025, 3, 6, 12, 0, 0, 0, time.FixedZone("KST", 9*3600)) }

func join(t testing.TB, db *DB, shopID int64, user, name string, at time.Time) crm.Customer {
	t.Helper()
	c, err := db.Join(context.Background(), crm.JoinInput{ShopID: shopID, Platform: "telegram", UserID: user, Name: name,
		Lang: "en", Channel: "telegram", Notice: "join/v1/en", At: at})
	if err != nil {
		t.Fatalf("Join: %v", err)
	}
	return c
}

func queue(t testing.TB, db *DB, shopID, customerID int64, p crm.Purpose, text string, at time.Time) (crm.OutboxMessage, crm.Decision) {
	t.Helper()
	m, d, err := db.QueueMessage(context.Background(), crm.OutboxInput{ShopID: shopID, CustomerID: customerID, Purpose: p,
		Text: text, RequestedBy: "telegram:1", At: at, StopLines: map[string]string{"en": "Reply STOP to stop."}})
	if err != nil {
		t.Fatalf("QueueMessage: %v", err)
	}
	return m, d
}

func TestJoinGrantsEveryPurposeOnce(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	c := join(t, db, s.ID, "42", "Minji", noon())
	if c.Consent != crm.ConsentGranted {
		t.Fatalf("consent %s", c.Consent)
	}
	evs, err := db.ConsentEvents(ctx, s.ID, c.ID)
	if err != nil || len(evs) != 3 {
		t.Fatalf("ledger %+v, %v", evs, err)
	}
	for _, ev := range evs {
		if !ev.Granted || ev.Channel != "telegram" || ev.Notice != "join/v1/en" || !ev.At.Equal(noon()) {
			t.Fatalf("event %+v", ev)
		}
	}
	ls, err := db.CustomerLinks(ctx, "telegram", "42")
	if err != nil || len(ls) != 1 || !ls[0].AwaitingName || ls[0].CustomerID != c.ID || ls[0].Status != crm.LinkActive {
		t.Fatalf("links %+v, %v", ls, err)
	}
	_, err = db.Join(ctx, crm.JoinInput{ShopID: s.ID, Platform: "telegram", UserID: "42", Name: "Again",
		Channel: "telegram", Notice: "join/v1/en", At: noon()})
	wantErr(t, err, crm.ErrAlreadyDone)
	if err := db.SetCustomerName(ctx, s.ID, c.ID, "  Kim   Minji "); err != nil {
		t.Fatal(err)
	}
	got, _ := db.Customer(ctx, s.ID, c.ID)
	l, _ := db.CustomerLink(ctx, s.ID, c.ID)
	if got.Name != "Kim Minji" || l.AwaitingName {
		t.Fatalf("name %q, awaiting %v", got.Name, l.AwaitingName)
	}
}

func TestConsentLedgerIsAppendOnly(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	c := join(t, db, s.ID, "42", "Minji", noon())
	if _, err := db.db.ExecContext(ctx, `UPDATE consent_ledger SET granted = 0`); err == nil ||
		!strings.Contains(err.Error(), "append-only") {
		t.Fatalf("update of the ledger: %v", err)
	}
	stop := crm.ConsentChange{ShopID: s.ID, CustomerID: c.ID, Channel: "telegram", Notice: "stop/v1",
		Set: map[crm.Purpose]bool{crm.PurposeReminders: false, crm.PurposeOffers: false, crm.PurposeBirthday: false},
		At:  noon().Add(time.Hour)}
	st, err := db.ChangeConsent(ctx, stop)
	if err != nil || st.Any() || st.Summary() != crm.ConsentWithdrawn {
		t.Fatalf("stop: %+v %v", st, err)
	}
	// Stopping twice records nothing more.
	stop.At = stop.At.Add(time.Minute)
	if _, err := db.ChangeConsent(ctx, stop); err != nil {
		t.Fatal(err)
	}
	evs, _ := db.ConsentEvents(ctx, s.ID, c.ID)
	if len(evs) != 6 {
		t.Fatalf("%d events, want 6", len(evs))
	}
	got, _ := db.Customer(ctx, s.ID, c.ID)
	if got.Consent != crm.ConsentWithdrawn {
		t.Fatalf("summary %s", got.Consent)
	}
	// A fresh grant appends even where nothing changes.
	st, err = db.ChangeConsent(ctx, crm.ConsentChange{ShopID: s.ID, CustomerID: c.ID, Channel: "console", Notice: "start/v1",
		Set: map[crm.Purpose]bool{crm.PurposeReminders: true}, Fresh: true, At: noon().Add(2 * time.Hour)})
	if err != nil || !st.Granted(crm.PurposeReminders) || st.Granted(crm.PurposeOffers) {
		t.Fatalf("start: %+v %v", st, err)
	}
	evs, _ = db.ConsentEvents(ctx, s.ID, c.ID)
	if len(evs) != 7 || evs[0].Granted != true || evs[6].Channel != "console" {
		t.Fatalf("ledger %+v", evs)
	}
	_, err = db.ChangeConsent(ctx, crm.ConsentChange{ShopID: s.ID, CustomerID: c.ID, Channel: "x", Notice: "y",
		Set: map[crm.Purpose]bool{crm.PurposeReply: true}, At: noon()})
	wantErr(t, err, crm.ErrInvalidInput)
	_, err = db.ChangeConsent(ctx, crm.ConsentChange{ShopID: s.ID, CustomerID: 999, Channel: "x", Notice: "y", At: noon()})
	wantErr(t, err, crm.ErrNotFound)
}

func TestDeclineKeepsOnlyTheDecline(t *testing.T) {
	db, _ := openTest(t)
	s := newShop(t, db, "Bakery")
	before := counts(t, db)
	if err := db.RecordDecline(context.Background(), s.ID, "telegram", "77", noon()); err != nil {
		t.Fatal(err)
	}
	after := counts(t, db)
	before["join_declines"]++
	sameCounts(t, after, before)
	// Joining later forgets the decline.
	join(t, db, s.ID, "77", "Eve", noon())
	if counts(t, db)["join_declines"] != 0 {
		t.Fatal("decline kept after joining")
	}
}

func TestOutboxQueueClaimSend(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	c := join(t, db, s.ID, "42", "Minji", noon())
	m, d := queue(t, db, s.ID, c.ID, crm.PurposeOffers, "Croissants 2 for 1", noon())
	if d.Verdict != crm.VerdictSend || m.Status != crm.OutboxQueued || m.Text != "Croissants 2 for 1\nReply STOP to stop." {
		t.Fatalf("queued %+v %+v", m, d)
	}
	// The cap blocks a second message within the week, and keeps no text.
	m2, d2 := queue(t, db, s.ID, c.ID, crm.PurposeReminders, "See you Thursday", noon().Add(time.Hour))
	if d2.Reason != crm.BlockCap || m2.Status != crm.OutboxBlocked || m2.Text != "" {
		t.Fatalf("second %+v %+v", m2, d2)
	}
	got, ok, cancelled, err := db.ClaimOutbox(ctx, noon(), noon().Add(-time.Minute))
	if err != nil || !ok || cancelled != nil || got.ID != m.ID || got.Status != crm.OutboxSending || got.Attempts != 1 {
		t.Fatalf("claim %+v %v %v %v", got, ok, cancelled, err)
	}
	// Nothing else is due; a claim in flight is not taken twice.
	if _, ok, _, _ := db.ClaimOutbox(ctx, noon(), noon().Add(-time.Minute)); ok {
		t.Fatal("claimed twice")
	}
	if err := db.MarkSent(ctx, m.ID, noon()); err != nil {
		t.Fatal(err)
	}
	wantErr(t, db.MarkSent(ctx, m.ID, noon()), crm.ErrNotFound)
	// Exactly a week later the cap frees up.
	_, d3 := queue(t, db, s.ID, c.ID, crm.PurposeReminders, "Hi", noon().Add(7*24*time.Hour))
	if d3.Verdict != crm.VerdictSend {
		t.Fatalf("a week later: %+v", d3)
	}
}

func TestOutboxHoldsThroughQuietHoursAndRechecksConsent(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	c := join(t, db, s.ID, "42", "Minji", noon())
	evening := time.Date(2025, 3, 6, 21, 30, 0, 0, s.Location())
	morning := time.Date(2025, 3, 7, 8, 0, 0, 0, s.Location())
	m, d := queue(t, db, s.ID, c.ID, crm.PurposeReminders, "Hello", evening)
	if d.Verdict != crm.VerdictHold || !m.DueAt.Equal(morning) {
		t.Fatalf("evening: %+v %+v", m, d)
	}
	if _, ok, _, _ := db.ClaimOutbox(ctx, morning.Add(-time.Second), time.Time{}); ok {
		t.Fatal("claimed before morning")
	}
	// The customer stops at 07:59:59: when the message falls due it is
	// cancelled, not sent, and returned so the sender can say why.
	if _, err := db.ChangeConsent(ctx, crm.ConsentChange{ShopID: s.ID, CustomerID: c.ID, Channel: "telegram", Notice: "stop/v1",
		Set: map[crm.Purpose]bool{crm.PurposeReminders: false}, At: morning.Add(-time.Second)}); err != nil {
		t.Fatal(err)
	}
	_, ok, cancelled, err := db.ClaimOutbox(ctx, morning, time.Time{})
	if err != nil || ok || cancelled == nil || cancelled.ID != m.ID || cancelled.Reason != crm.BlockNoConsent {
		t.Fatalf("claim after stop: ok %v cancelled %+v err %v", ok, cancelled, err)
	}
	ms, _ := db.OutboxFor(ctx, s.ID, c.ID)
	if len(ms) != 1 || ms[0].Status != crm.OutboxCancelled {
		t.Fatalf("after stop: %+v", ms)
	}
	// A message due at a quiet time (a retry drifting into the evening)
	// is moved to the morning at the claim.
	c3 := join(t, db, s.ID, "44", "Ana", noon())
	m3, _ := queue(t, db, s.ID, c3.ID, crm.PurposeReminders, "Hi", noon())
	if _, ok, _, _ := db.ClaimOutbox(ctx, evening, time.Time{}); ok {
		t.Fatal("claimed in quiet hours")
	}
	ms, _ = db.OutboxFor(ctx, s.ID, c3.ID)
	if !ms[0].DueAt.Equal(morning) || ms[0].ID != m3.ID || ms[0].Status != crm.OutboxQueued {
		t.Fatalf("moved to %+v", ms[0])
	}
}

func TestOutboxStaleClaimRetryAndUnreachable(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	c := join(t, db, s.ID, "42", "Minji", noon())
	m, _ := queue(t, db, s.ID, c.ID, crm.PurposeReminders, "Hello", noon())
	if _, ok, _, _ := db.ClaimOutbox(ctx, noon(), noon().Add(-time.Minute)); !ok {
		t.Fatal("no claim")
	}
	// A process died while sending: after the lease the message is
	// claimed again.
	later := noon().Add(5 * time.Minute)
	got, ok, _, err := db.ClaimOutbox(ctx, later, later.Add(-2*time.Minute))
	if err != nil || !ok || got.ID != m.ID || got.Attempts != 2 {
		t.Fatalf("reclaim %+v %v %v", got, ok, err)
	}
	if err := db.MarkRetry(ctx, m.ID, later.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, ok, _, _ := db.ClaimOutbox(ctx, later, later); ok {
		t.Fatal("claimed before the retry time")
	}
	if _, ok, _, _ := db.ClaimOutbox(ctx, later.Add(time.Minute), later); !ok {
		t.Fatal("no claim at the retry time")
	}
	if err := db.MarkFailed(ctx, m.ID, true, later); err != nil {
		t.Fatal(err)
	}
	l, _ := db.CustomerLink(ctx, s.ID, c.ID)
	if l.Status != crm.LinkUnreachable {
		t.Fatalf("link %s", l.Status)
	}
	_, d := queue(t, db, s.ID, c.ID, crm.PurposeReminders, "Hello?", later.Add(8*24*time.Hour))
	if d.Reason != crm.BlockUnreachable {
		t.Fatalf("after unreachable: %+v", d)
	}
	// Writing to the shop makes them reachable again.
	l.LastInbound = later.Add(9 * 24 * time.Hour)
	if err := db.UpdateLink(ctx, l); err != nil {
		t.Fatal(err)
	}
	if l, _ = db.CustomerLink(ctx, s.ID, c.ID); l.Status != crm.LinkActive {
		t.Fatalf("link %s", l.Status)
	}
}

func TestOutboxNeedsALinkedCustomer(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	id := addCustomer(t, db, s.ID, "김민지")
	m, d := queue(t, db, s.ID, id, crm.PurposeReminders, "Hi", noon())
	if d.Reason != crm.BlockNotLinked || m.Status != crm.OutboxBlocked {
		t.Fatalf("%+v %+v", m, d)
	}
	_, _, err := db.QueueMessage(ctx, crm.OutboxInput{ShopID: s.ID, CustomerID: 999, Purpose: crm.PurposeReminders, At: noon()})
	wantErr(t, err, crm.ErrNotFound)
	_, _, err = db.QueueMessage(ctx, crm.OutboxInput{ShopID: s.ID, CustomerID: id, Purpose: "spam", At: noon()})
	wantErr(t, err, crm.ErrInvalidInput)
}

func TestMergeCustomerMovesTheJoin(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	old := addCustomer(t, db, s.ID, "Kim Minji")
	c := join(t, db, s.ID, "42", "Minji", noon())
	if err := db.MergeCustomer(ctx, s.ID, c.ID, old); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Customer(ctx, s.ID, c.ID); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("joined record still there: %v", err)
	}
	got, _ := db.Customer(ctx, s.ID, old)
	if got.Consent != crm.ConsentGranted || len(got.Aliases) != 1 || got.Aliases[0] != "Minji" {
		t.Fatalf("merged %+v", got)
	}
	evs, _ := db.ConsentEvents(ctx, s.ID, old)
	if len(evs) != 3 || !evs[0].At.Equal(noon()) || evs[0].Notice != "join/v1/en" {
		t.Fatalf("ledger %+v", evs)
	}
	ls, _ := db.CustomerLinks(ctx, "telegram", "42")
	if len(ls) != 1 || ls[0].CustomerID != old {
		t.Fatalf("links %+v", ls)
	}
	// A record can hold one link only.
	c2 := join(t, db, s.ID, "43", "Other Minji", noon())
	wantErr(t, db.MergeCustomer(ctx, s.ID, c2.ID, old), crm.ErrInvalidInput)
	wantErr(t, db.MergeCustomer(ctx, s.ID, c2.ID, c2.ID), crm.ErrInvalidInput)
}

// customerRows counts the rows of every table that can hold something
// about a customer.
func customerRows(t testing.TB, db *DB) map[string]int {
	t.Helper()
	all := counts(t, db)
	out := map[string]int{}
	for _, k := range []string{"customers", "customer_aliases", "visits", "visit_items", "facts", "notes", "note_effects",
		"pending", "customer_links", "consent_ledger", "join_declines", "outbox", "drafts", "greetings"} {
		out[k] = all[k]
	}
	return out
}

func TestEraseCustomerLeavesOnlyTheAnonymousLine(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	empty := customerRows(t, db)
	c := join(t, db, s.ID, "42", "Minji", noon())
	ch := blank()
	ch.CustomerID = c.ID
	ch.Visit = &crm.VisitInput{Date: crm.NewDate(2025, 3, 6), Items: []crm.ItemQty{{Name: "croissant", Qty: 1}}}
	ch.Facts = []crm.FactInput{{Kind: crm.FactAllergy, Value: "nuts"}}
	record(t, db, noteIn(s.ID, "owner", "Minji croissant, nuts", ch))
	queue(t, db, s.ID, c.ID, crm.PurposeReminders, "Hello", noon())
	if err := db.QueueNotices(ctx, crm.Notice{ShopID: s.ID, CustomerID: c.ID, Platform: "telegram", UserID: "1",
		Text: "Minji wrote: hi", At: noon()}); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveDraft(ctx, crm.Draft{ShopID: s.ID, Platform: "telegram", UserID: "1", CustomerID: c.ID,
		Purpose: crm.PurposeReminders, Text: "Hi Minji", CreatedAt: noon()}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SavePending(ctx, crm.Pending{ShopID: s.ID, Platform: "telegram", AuthorID: "42", Text: "a question",
		CreatedAt: noon()}); err != nil {
		t.Fatal(err)
	}
	if err := db.EraseCustomer(ctx, s.ID, c.ID, crm.ErasureByCustomer, noon()); err != nil {
		t.Fatal(err)
	}
	got := customerRows(t, db)
	for k, v := range empty {
		if got[k] != v {
			t.Errorf("%s: %d rows left, want %d", k, got[k], v)
		}
	}
	er, err := db.Erasures(ctx, s.ID, 0)
	if err != nil || len(er) != 1 || er[0].What != crm.ErasureByCustomer || er[0].Count != 1 {
		t.Fatalf("erasures %+v %v", er, err)
	}
	if er, _ := db.Erasures(ctx, s.ID, er[0].LastID); len(er) != 0 {
		t.Fatalf("erasures after the last %+v", er)
	}
	wantErr(t, db.EraseCustomer(ctx, s.ID, c.ID, crm.ErasureByCustomer, noon()), crm.ErrNotFound)
}

func TestExpireCustomers(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	now := time.Date(2027, 6, 1, 12, 0, 0, 0, s.Location())
	day, cut := crm.RetentionCutoff(now, s.Location(), 24)
	visit := func(name string, d crm.Date) int64 {
		ch := blank()
		ch.NewName = name
		ch.Visit = &crm.VisitInput{Date: d}
		return record(t, db, noteIn(s.ID, "owner", name, ch)).Effects[0].CustomerID
	}
	old := visit("Old", crm.NewDate(2025, 5, 31))  // a day before the cutoff
	kept := visit("Kept", crm.NewDate(2025, 6, 1)) // on the cutoff day
	// A customer who joined long ago but wrote recently stays.
	talker := join(t, db, s.ID, "42", "Talker", time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC))
	l, _ := db.CustomerLink(ctx, s.ID, talker.ID)
	l.LastInbound = now.AddDate(-1, 0, 0)
	if err := db.UpdateLink(ctx, l); err != nil {
		t.Fatal(err)
	}
	silent := join(t, db, s.ID, "43", "Silent", time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC))
	n, err := db.ExpireCustomers(ctx, s.ID, day, cut, now)
	if err != nil || n != 2 {
		t.Fatalf("expired %d, %v", n, err)
	}
	for id, want := range map[int64]bool{old: false, kept: true, talker.ID: true, silent.ID: false} {
		_, err := db.Customer(ctx, s.ID, id)
		if (err == nil) != want {
			t.Errorf("customer %d: exists %v, want %v", id, err == nil, want)
		}
	}
	er, _ := db.Erasures(ctx, s.ID, 0)
	if len(er) != 1 || er[0].What != crm.ErasureByRetention || er[0].Count != 2 {
		t.Fatalf("erasures %+v", er)
	}
	if n, _ := db.ExpireCustomers(ctx, s.ID, day, cut, now); n != 0 {
		t.Fatalf("expired %d more", n)
	}
}

func TestRenewalQueries(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	long := time.Date(2023, 1, 1, 12, 0, 0, 0, time.UTC)
	c := join(t, db, s.ID, "42", "Minji", long)
	join(t, db, s.ID, "43", "Jun", long.AddDate(1, 0, 0))
	now := long.AddDate(2, 0, 0)
	due, err := db.RenewalDue(ctx, s.ID, now)
	if err != nil || len(due) != 1 || due[0].CustomerID != c.ID {
		t.Fatalf("due %+v %v", due, err)
	}
	if due, _ := db.RenewalDue(ctx, s.ID, now.Add(-time.Second)); len(due) != 0 {
		t.Fatalf("due a second early: %+v", due)
	}
	// Asking is recorded with the question; a consent change closes it.
	if _, _, err := db.QueueMessage(ctx, crm.OutboxInput{ShopID: s.ID, CustomerID: c.ID, Purpose: crm.PurposeConsent,
		Text: "Keep?", At: now, AskRenewal: true}); err != nil {
		t.Fatal(err)
	}
	if due, _ := db.RenewalDue(ctx, s.ID, now); len(due) != 0 {
		t.Fatalf("asked twice: %+v", due)
	}
	lapse := now.Add(crm.RenewalAnswerDays * 24 * time.Hour)
	if lapsed, _ := db.RenewalLapsed(ctx, s.ID, lapse.Add(-time.Second)); len(lapsed) != 0 {
		t.Fatalf("lapsed early %+v", lapsed)
	}
	if lapsed, _ := db.RenewalLapsed(ctx, s.ID, lapse); len(lapsed) != 1 {
		t.Fatalf("not lapsed %+v", lapsed)
	}
	if _, err := db.ChangeConsent(ctx, crm.ConsentChange{ShopID: s.ID, CustomerID: c.ID, Channel: "telegram", Notice: "renew/v1",
		Set: map[crm.Purpose]bool{crm.PurposeReminders: true}, Fresh: true, At: now.AddDate(0, 0, 1)}); err != nil {
		t.Fatal(err)
	}
	if lapsed, _ := db.RenewalLapsed(ctx, s.ID, lapse); len(lapsed) != 0 {
		t.Fatalf("still open after renewal: %+v", lapsed)
	}
}

func TestTakeOwnPendingLeavesOthersAlone(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	p, err := db.SavePending(ctx, crm.Pending{ShopID: s.ID, Platform: "telegram", AuthorID: "42", Text: "a question", CreatedAt: noon()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.TakeOwnPending(ctx, s.ID, p.ID, "telegram", "43")
	wantErr(t, err, crm.ErrNotFound)
	got, err := db.TakeOwnPending(ctx, s.ID, p.ID, "telegram", "42")
	if err != nil || got.Text != "a question" || !got.CreatedAt.Equal(noon()) {
		t.Fatalf("take %+v %v", got, err)
	}
	_, err = db.TakeOwnPending(ctx, s.ID, p.ID, "telegram", "42")
	wantErr(t, err, crm.ErrNotFound)
}
