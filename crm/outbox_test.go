package crm

import (
	"strings"
	"testing"
	"time"
)

var seoul = time.FixedZone("KST", 9*3600)

// at is a Seoul wall-clock instant on 2026-11-26 (a Thursday), or the day
// after for day 1.
func at(day, hour, min, sec int) time.Time {
	return time.Date(2026, 11, 26+day, hour, min, sec, 0, seoul)
}

func grantedAll(when time.Time) ConsentState {
	st := ConsentState{}
	for i, p := range ConsentPurposes {
		st[p] = ConsentEvent{ID: int64(i + 1), Purpose: p, Granted: true, At: when}
	}
	return st
}

func defaultPolicy() OutboxPolicy { return PolicyFromSettings("", "", "", seoul) }

func request(now time.Time, p Purpose) OutboxRequest {
	return OutboxRequest{Now: now, Purpose: p, Lang: LangEnglish, Text: "Hello", Linked: true, Status: LinkActive,
		Consent: grantedAll(now.AddDate(0, -1, 0)), Policy: defaultPolicy(), StopLine: "Reply STOP to stop."}
}

func TestQuietHoursBoundaries(t *testing.T) {
	tests := []struct {
		name    string
		now     time.Time
		verdict Verdict
		due     time.Time
	}{
		{"20:59 goes", at(0, 20, 59, 59), VerdictSend, at(0, 20, 59, 59)},
		{"21:00 is held until 08:00", at(0, 21, 0, 0), VerdictHold, at(1, 8, 0, 0)},
		{"midnight is held until 08:00 the same day", at(1, 0, 0, 0), VerdictHold, at(1, 8, 0, 0)},
		{"07:59 is held until 08:00", at(1, 7, 59, 59), VerdictHold, at(1, 8, 0, 0)},
		{"08:00 goes", at(1, 8, 0, 0), VerdictSend, at(1, 8, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := DecideOutbox(request(tt.now, PurposeReminders))
			if d.Verdict != tt.verdict || !d.DueAt.Equal(tt.due) {
				t.Fatalf("got %s due %v, want %s due %v", d.Verdict, d.DueAt, tt.verdict, tt.due)
			}
		})
	}
}

func TestQuietHoursAreShopLocal(t *testing.T) {
	// 12:30 UTC is 21:30 in Seoul.
	now := time.Date(2026, 11, 26, 12, 30, 0, 0, time.UTC)
	d := DecideOutbox(request(now, PurposeReminders))
	if d.Verdict != VerdictHold || !d.DueAt.Equal(at(1, 8, 0, 0)) {
		t.Fatalf("got %s due %v", d.Verdict, d.DueAt)
	}
}

func TestCustomerQuietHoursAddToTheShops(t *testing.T) {
	r := request(at(1, 8, 30, 0), PurposeReminders)
	r.Policy = PolicyFromSettings("", "", "22:00-09:00", seoul)
	d := DecideOutbox(r)
	if d.Verdict != VerdictHold || !d.DueAt.Equal(at(1, 9, 0, 0)) {
		t.Fatalf("got %s due %v, want held until 09:00", d.Verdict, d.DueAt)
	}
	// Overlapping windows are stepped over together.
	r.Now = at(0, 21, 30, 0)
	if d := DecideOutbox(r); !d.DueAt.Equal(at(1, 9, 0, 0)) {
		t.Fatalf("21:30 held until %v, want 09:00", d.DueAt)
	}
	// A window of no length is none.
	if (QuietHours{From: 600, To: 600}).Contains(at(0, 10, 0, 0)) {
		t.Fatal("empty window contains 10:00")
	}
}

func TestCapBoundaries(t *testing.T) {
	now := at(0, 12, 0, 0)
	week := 7 * 24 * time.Hour
	tests := []struct {
		name       string
		deliveries []time.Time
		purpose    Purpose
		want       Verdict
	}{
		{"nothing sent", nil, PurposeReminders, VerdictSend},
		{"sent exactly 7 days ago", []time.Time{now.Add(-week)}, PurposeReminders, VerdictSend},
		{"sent 7 days minus 1 s ago", []time.Time{now.Add(-week + time.Second)}, PurposeReminders, VerdictBlock},
		{"one waiting for tomorrow morning", []time.Time{at(1, 8, 0, 0)}, PurposeOffers, VerdictBlock},
		{"replies are not capped", []time.Time{now.Add(-time.Hour)}, PurposeReply, VerdictSend},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := request(now, tt.purpose)
			r.Deliveries = tt.deliveries
			r.LastInbound = now.Add(-time.Hour)
			d := DecideOutbox(r)
			if d.Verdict != tt.want {
				t.Fatalf("got %s (%s), want %s", d.Verdict, d.Reason, tt.want)
			}
			if d.Verdict == VerdictBlock && (d.Reason != BlockCap || !d.CapUntil.Equal(tt.deliveries[0].Add(week))) {
				t.Fatalf("blocked %s until %v", d.Reason, d.CapUntil)
			}
		})
	}
	// A shop allowing 2 in 3 days.
	r := request(now, PurposeReminders)
	r.Policy = PolicyFromSettings("2/3", "", "", seoul)
	r.Deliveries = []time.Time{now.Add(-time.Hour)}
	if d := DecideOutbox(r); d.Verdict != VerdictSend {
		t.Fatalf("second of 2: %s", d.Verdict)
	}
	r.Deliveries = append(r.Deliveries, now.Add(-2*time.Hour))
	if d := DecideOutbox(r); d.Reason != BlockCap {
		t.Fatalf("third of 2: %s %s", d.Verdict, d.Reason)
	}
}

func TestConsentBoundaries(t *testing.T) {
	now := at(0, 12, 0, 0)
	ledger := []ConsentEvent{
		{ID: 1, Purpose: PurposeReminders, Granted: true, At: now.AddDate(-1, 0, 0)},
		{ID: 2, Purpose: PurposeReminders, Granted: false, At: now.Add(-time.Second)},
		{ID: 3, Purpose: PurposeOffers, Granted: true, At: now.AddDate(-1, 0, 0)},
		{ID: 4, Purpose: PurposeOffers, Granted: false, At: now.Add(time.Second)},
	}
	tests := []struct {
		name    string
		purpose Purpose
		consent ConsentState
		linked  bool
		status  LinkStatus
		want    BlockReason
	}{
		{"withdrawn 1 s before", PurposeReminders, ConsentAt(ledger, now), true, LinkActive, BlockNoConsent},
		{"withdrawn at a time after now (a clock that was ahead) still stops", PurposeOffers, ConsentAt(ledger, now), true, LinkActive, BlockNoConsent},
		{"never asked", PurposeBirthday, ConsentAt(ledger, now), true, LinkActive, BlockNoConsent},
		{"not linked", PurposeReminders, grantedAll(now), false, LinkActive, BlockNotLinked},
		{"unreachable", PurposeReminders, grantedAll(now), true, LinkUnreachable, BlockUnreachable},
		{"granted", PurposeBirthday, grantedAll(now), true, LinkActive, ""},
		{"a consent question needs something granted", PurposeConsent, ConsentAt(ledger[:2], now), true, LinkActive, BlockNoConsent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := request(now, tt.purpose)
			r.Consent, r.Linked, r.Status = tt.consent, tt.linked, tt.status
			d := DecideOutbox(r)
			if d.Reason != tt.want || (tt.want == "") != (d.Verdict == VerdictSend) {
				t.Fatalf("got %s %q, want reason %q", d.Verdict, d.Reason, tt.want)
			}
		})
	}
}

func TestReplyWindow(t *testing.T) {
	now := at(0, 12, 0, 0)
	for _, tt := range []struct {
		wrote time.Time
		want  Verdict
	}{
		{time.Time{}, VerdictBlock},
		{now.Add(-ReplyWindow), VerdictBlock},
		{now.Add(-ReplyWindow + time.Second), VerdictSend},
	} {
		r := request(now, PurposeReply)
		r.LastInbound = tt.wrote
		if d := DecideOutbox(r); d.Verdict != tt.want {
			t.Errorf("wrote %v: got %s %s, want %s", tt.wrote, d.Verdict, d.Reason, tt.want)
		}
	}
}

func TestRuleOrder(t *testing.T) {
	// Consent comes before the cap, the cap before quiet hours.
	r := request(at(0, 22, 0, 0), PurposeOffers)
	r.Deliveries = []time.Time{at(0, 10, 0, 0)}
	r.Consent = ConsentState{}
	if d := DecideOutbox(r); d.Reason != BlockNoConsent {
		t.Fatalf("got %s, want no consent first", d.Reason)
	}
	r.Consent = grantedAll(at(-30, 0, 0, 0))
	if d := DecideOutbox(r); d.Reason != BlockCap {
		t.Fatalf("got %s, want the cap before quiet hours", d.Reason)
	}
}

func TestOfferLabel(t *testing.T) {
	r := request(at(0, 12, 0, 0), PurposeOffers)
	r.Lang, r.StopLine, r.Text = LangKorean, "수신거부: “수신거부”라고 보내 주세요.", "크루아상 1+1 이벤트"
	d := DecideOutbox(r)
	if !strings.HasPrefix(d.Text, "(광고) 크루아상") || !strings.HasSuffix(d.Text, "\n"+r.StopLine) {
		t.Fatalf("korean offer = %q", d.Text)
	}
	if again := LabelOffer(d.Text, LangKorean, r.StopLine); again != d.Text {
		t.Fatalf("labelled twice: %q", again)
	}
	r.Lang, r.StopLine = LangEnglish, "Reply STOP to stop."
	d = DecideOutbox(r)
	if strings.Contains(d.Text, AdPrefix) || !strings.HasSuffix(d.Text, "\nReply STOP to stop.") {
		t.Fatalf("english offer = %q", d.Text)
	}
	r.Purpose = PurposeReminders
	if d := DecideOutbox(r); d.Text != r.Text {
		t.Fatalf("a reminder was labelled: %q", d.Text)
	}
	// At delivery the text is not labelled again and the cap is not
	// applied again.
	r.Purpose, r.AtDelivery, r.Deliveries = PurposeOffers, true, []time.Time{r.Now}
	if d := DecideOutbox(r); d.Verdict != VerdictSend || d.Text != r.Text {
		t.Fatalf("at delivery: %s %q", d.Verdict, d.Text)
	}
}

func TestConsentAtAndSummary(t *testing.T) {
	t0 := at(0, 12, 0, 0)
	events := []ConsentEvent{
		{ID: 2, Purpose: PurposeOffers, Granted: false, At: t0},
		{ID: 1, Purpose: PurposeOffers, Granted: true, At: t0},
		{ID: 3, Purpose: PurposeReminders, Granted: true, At: t0.Add(-time.Hour)},
	}
	st := ConsentAt(events, t0)
	if st.Granted(PurposeOffers) || !st.Granted(PurposeReminders) || st.Summary() != ConsentGranted {
		t.Fatalf("state %+v", st)
	}
	if got := st.LatestGrant(); !got.Equal(t0.Add(-time.Hour)) {
		t.Fatalf("latest grant %v", got)
	}
	if s := ConsentAt(events[:2], t0).Summary(); s != ConsentWithdrawn {
		t.Fatalf("summary %s", s)
	}
	if s := ConsentAt(nil, t0).Summary(); s != ConsentNone {
		t.Fatalf("summary %s", s)
	}
}

func TestRenewalAndRetentionBoundaries(t *testing.T) {
	now := at(0, 12, 0, 0)
	if RenewalDue(now.AddDate(-2, 0, 0).Add(time.Second), now) || !RenewalDue(now.AddDate(-2, 0, 0), now) {
		t.Fatal("renewal is due at exactly two years")
	}
	asked := now.Add(-30 * 24 * time.Hour)
	if !RenewalLapsed(asked, now) || RenewalLapsed(asked.Add(time.Second), now) || RenewalLapsed(time.Time{}, now) {
		t.Fatal("a renewal lapses after exactly 30 days")
	}
	day, cut := RetentionCutoff(now, seoul, 24)
	if day != NewDate(2024, 11, 26) || !cut.Equal(at(0, 12, 0, 0).AddDate(-2, 0, 0)) {
		t.Fatalf("cutoff %v %v", day, cut)
	}
}

func TestParseSettings(t *testing.T) {
	for _, s := range []string{"21:00-08:00", "21-8", "22:30-09:15"} {
		if _, err := ParseQuietHours(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range []string{"", "21", "25-8", "21:60-8", "evening", "0-24", "9-9"} {
		if _, err := ParseQuietHours(s); err == nil {
			t.Errorf("%q parsed", s)
		}
	}
	if q, _ := ParseQuietHours("21-8"); q.String() != "21:00-08:00" {
		t.Errorf("String = %q", q.String())
	}
	if n, d, err := ParseCap("2/14"); err != nil || n != 2 || d != 14 {
		t.Errorf("cap 2/14 = %d %d %v", n, d, err)
	}
	for _, s := range []string{"0/7", "1/0", "x", "1/365"} {
		if _, _, err := ParseCap(s); err == nil {
			t.Errorf("cap %q parsed", s)
		}
	}
	// A day that is all quiet leaves no time to deliver.
	p := PolicyFromSettings("", "21:00-08:00", "08:00-21:00", seoul)
	if _, ok := p.NextAllowed(at(0, 12, 0, 0)); ok {
		t.Fatal("all-day quiet hours allowed a time")
	}
}
