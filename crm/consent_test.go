package crm

import (
	"slices"
	"testing"
	"time"
)

// TestConsentFollowsTheLedgerNotTheClock: a withdrawal recorded after a
// grant wins even when its time reads earlier (the clock stepped back) or
// later than now (it was ahead).
func TestConsentFollowsTheLedgerNotTheClock(t *testing.T) {
	now := at(0, 12, 0, 0)
	for _, withdrawnAt := range []time.Time{now.Add(time.Hour), now.Add(-time.Hour), now.AddDate(-1, 0, 0)} {
		ledger := []ConsentEvent{
			{ID: 7, Purpose: PurposeReminders, Granted: true, At: now},
			{ID: 8, Purpose: PurposeReminders, Granted: false, At: withdrawnAt},
		}
		if ConsentAt(ledger, now).Granted(PurposeReminders) {
			t.Errorf("withdrawal at %v did not stop reminders at %v", withdrawnAt, now)
		}
		slices.Reverse(ledger)
		if ConsentAt(ledger, now).Granted(PurposeReminders) {
			t.Errorf("order of the slice decided, not the ledger")
		}
	}
}

func TestChoicesBeforeStop(t *testing.T) {
	t0 := at(0, 12, 0, 0)
	ev := func(id int64, p Purpose, granted bool, when time.Time, notice string) ConsentEvent {
		return ConsentEvent{ID: id, Purpose: p, Granted: granted, At: when, Channel: "telegram", Notice: notice}
	}
	join := []ConsentEvent{
		ev(1, PurposeReminders, true, t0, "join/v2/ko"),
		ev(2, PurposeOffers, true, t0, "join/v2/ko"),
		ev(3, PurposeBirthday, true, t0, "join/v2/ko"),
	}
	// Offers off, then STOP (the clock stepped back in between).
	ledger := append(slices.Clone(join),
		ev(4, PurposeOffers, false, t0.Add(time.Hour), "settings/v2/ko"),
		ev(5, PurposeReminders, false, t0.Add(-time.Hour), "stop/v2/ko"),
		ev(6, PurposeBirthday, false, t0.Add(-time.Hour), "stop/v2/ko"))
	got, ok := ChoicesBeforeStop(ledger)
	if !ok || !slices.Equal(got, []Purpose{PurposeReminders, PurposeBirthday}) {
		t.Fatalf("before stop: %v %v", got, ok)
	}
	// Still something granted: nothing to restore.
	if _, ok := ChoicesBeforeStop(ledger[:5]); ok {
		t.Fatal("restore while reminders are off but birthday on")
	}
	// Never granted anything before.
	if _, ok := ChoicesBeforeStop([]ConsentEvent{ev(1, PurposeOffers, false, t0, "stop/v2/ko")}); ok {
		t.Fatal("restore with nothing ever granted")
	}
	// STOP, START (restored), STOP again: the latest choices count.
	ledger = append(ledger,
		ev(7, PurposeReminders, true, t0.Add(2*time.Hour), "start/v2/ko"),
		ev(8, PurposeBirthday, true, t0.Add(2*time.Hour), "start/v2/ko"),
		ev(9, PurposeBirthday, false, t0.Add(3*time.Hour), "settings/v2/ko"),
		ev(10, PurposeReminders, false, t0.Add(4*time.Hour), "stop/v2/ko"))
	if got, ok := ChoicesBeforeStop(ledger); !ok || !slices.Equal(got, []Purpose{PurposeReminders}) {
		t.Fatalf("second stop: %v %v", got, ok)
	}
}

func TestReplyIsAServiceMessage(t *testing.T) {
	now := at(0, 12, 0, 0)
	r := request(now, PurposeReply)
	r.LastInbound = now.Add(-23 * time.Hour)
	// The weekly cap is used up by a reminder: a reply still goes.
	r.Deliveries = []time.Time{now.Add(-time.Hour)}
	if d := DecideOutbox(r); d.Verdict != VerdictSend {
		t.Fatalf("reply under the cap: %s %s", d.Verdict, d.Reason)
	}
	// More than a day after they wrote, it is no longer a reply.
	r.LastInbound = now.Add(-25 * time.Hour)
	if d := DecideOutbox(r); d.Reason != BlockNoReply {
		t.Fatalf("reply after 25 h: %s %s", d.Verdict, d.Reason)
	}
	// STOP stops replies too; quiet hours hold them.
	r.LastInbound = now.Add(-time.Hour)
	r.Consent = ConsentState{PurposeReminders: {ID: 9, Purpose: PurposeReminders, Granted: false}}
	if d := DecideOutbox(r); d.Reason != BlockNoConsent {
		t.Fatalf("reply after STOP: %s %s", d.Verdict, d.Reason)
	}
	r = request(at(0, 22, 0, 0), PurposeReply)
	r.LastInbound = at(0, 21, 30, 0)
	if d := DecideOutbox(r); d.Verdict != VerdictHold {
		t.Fatalf("reply at night: %s %s", d.Verdict, d.Reason)
	}
	if CountsTowardCap(PurposeReply) {
		t.Fatal("a reply counts toward the cap")
	}
}
