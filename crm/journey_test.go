package crm

import (
	"slices"
	"testing"
	"time"
)

// book makes a journey book of one customer with visits at the given
// offsets before day.
func bookOf(day Date, c Customer, usualTime string, offsets ...int) *JourneyBook {
	h := History{Customer: c, Visits: daysAgo(day, offsets...)}
	return NewJourneyBook(day, []History{h}, map[int64]string{c.ID: usualTime}, 0)
}

func matchOne(t *testing.T, b *JourneyBook, tr Trigger, jd JourneyDay) (JourneyMatch, bool) {
	t.Helper()
	jd.Day = b.Day()
	ms := b.Match(Rule{Trigger: tr}, jd)
	if len(ms) > 1 {
		t.Fatalf("%d matches: %+v", len(ms), ms)
	}
	if len(ms) == 0 {
		return JourneyMatch{}, false
	}
	return ms[0], true
}

func TestMatchAfterFirstAndNoVisit(t *testing.T) {
	d := digestDay
	c := customer(1, "Mina")
	for _, tt := range []struct {
		offsets []int
		tr      Trigger
		want    bool
		occ     string
	}{
		{[]int{13}, Trigger{Kind: TriggerAfterFirst, Days: 14}, false, ""},
		{[]int{14}, Trigger{Kind: TriggerAfterFirst, Days: 14}, true, "first:2026-11-12"},
		{[]int{20}, Trigger{Kind: TriggerAfterFirst, Days: 14}, true, "first:2026-11-06"},
		{[]int{21}, Trigger{Kind: TriggerAfterFirst, Days: 14}, false, ""}, // a week to catch up, no more
		{[]int{14, 10}, Trigger{Kind: TriggerAfterFirst, Days: 14}, false, ""},
		{[]int{0, 14}, Trigger{Kind: TriggerAfterFirst, Days: 14}, true, "first:2026-11-12"}, // today's visit is not seen yet
		{[]int{59}, Trigger{Kind: TriggerNoVisit, Days: 60}, false, ""},
		{[]int{60, 100}, Trigger{Kind: TriggerNoVisit, Days: 60}, true, "lapse:2026-09-27"},
		{[]int{400}, Trigger{Kind: TriggerNoVisit, Days: 60}, true, "lapse:2025-10-22"},
		{nil, Trigger{Kind: TriggerNoVisit, Days: 60}, false, ""},
	} {
		m, ok := matchOne(t, bookOf(d, c, "", tt.offsets...), tt.tr, JourneyDay{})
		if ok != tt.want || m.Occasion != tt.occ {
			t.Errorf("%v %+v: %v %q, want %v %q", tt.offsets, tt.tr, ok, m.Occasion, tt.want, tt.occ)
		}
	}
}

func TestMatchDue(t *testing.T) {
	d := digestDay
	c := customer(1, "Joon")
	for _, tt := range []struct {
		visits []VisitDay
		ahead  int
		want   bool
	}{
		{paced(d, 9, 10, 10, 10), 0, false},
		{paced(d, 10, 10, 10, 10), 0, true},
		{paced(d, 4, 10, 10, 10), 6, true}, // due within the week
		{paced(d, 3, 10, 10, 10), 6, false},
		{paced(d, 29, 10, 10, 10), 6, true},
		{paced(d, 30, 10, 10, 10), 6, false}, // 3g
		{paced(d, 89, 45, 45, 45), 0, true},  // a long rhythm: due until 2g
		{paced(d, 90, 45, 45, 45), 0, false},
		{paced(d, 12, 10, 10), 0, false}, // 3 visits
	} {
		h := History{Customer: c, Visits: tt.visits}
		b := NewJourneyBook(d, []History{h}, nil, 0)
		if _, ok := matchOne(t, b, Trigger{Kind: TriggerDue, Ahead: tt.ahead}, JourneyDay{}); ok != tt.want {
			t.Errorf("%+v ahead %d: %v, want %v", tt.visits, tt.ahead, ok, tt.want)
		}
	}
}

func TestMatchUsualWeekday(t *testing.T) {
	d := digestDay // a Thursday
	thursdays := []VisitDay{{Date: d.AddDays(-7), Items: []string{"croissant", "latte"}}, {Date: d.AddDays(-14), Items: []string{"Croissant"}},
		{Date: d.AddDays(-21), Items: []string{"bagel"}}, {Date: d.AddDays(-28), Items: []string{"croissant"}}}
	c := customer(1, "Ray")
	b := NewJourneyBook(d, []History{{Customer: c, Visits: thursdays}}, nil, 0)
	if m, ok := matchOne(t, b, Trigger{Kind: TriggerWeekday}, JourneyDay{}); !ok || m.Occasion != "day:2026-11-26" {
		t.Errorf("Thursday regular: %v %+v", ok, m)
	}
	if _, ok := matchOne(t, b, Trigger{Kind: TriggerWeekday, Item: "croissant"}, JourneyDay{}); !ok {
		t.Error("croissant on 3 of 4 Thursdays")
	}
	if _, ok := matchOne(t, b, Trigger{Kind: TriggerWeekday, Item: "bagel"}, JourneyDay{}); ok {
		t.Error("bagel on 1 of 4 Thursdays")
	}
	if _, ok := matchOne(t, b, Trigger{Kind: TriggerWeekday, Weekday: 5}, JourneyDay{}); ok {
		t.Error("a Friday rule on Thursday")
	}
	if _, ok := matchOne(t, b, Trigger{Kind: TriggerWeekday, Weekday: 4}, JourneyDay{}); !ok {
		t.Error("a Thursday rule")
	}
	// The owner's word, and a usual time with no day (daily).
	owner := customer(2, "Sue")
	owner.UsualWeekday = time.Thursday
	if _, ok := matchOne(t, NewJourneyBook(d, []History{{Customer: owner}}, nil, 0), Trigger{Kind: TriggerWeekday}, JourneyDay{}); !ok {
		t.Error("the owner said Thursdays")
	}
	daily := customer(3, "Early")
	b = NewJourneyBook(d, []History{{Customer: daily, Visits: daysAgo(d, 2)}}, map[int64]string{3: "06:30"}, 0)
	m, ok := matchOne(t, b, Trigger{Kind: TriggerWeekday, Before: "08:00"}, JourneyDay{})
	if !ok || m.UsualTime != "06:30" {
		t.Errorf("daily at 06:30: %v %+v", ok, m)
	}
	if _, ok := matchOne(t, b, Trigger{Kind: TriggerWeekday, Before: "06:30"}, JourneyDay{}); ok {
		t.Error("06:30 is not before 06:30")
	}
	b = NewJourneyBook(d, []History{{Customer: daily, Visits: daysAgo(d, 15)}}, map[int64]string{3: "06:30"}, 0)
	if _, ok := matchOne(t, b, Trigger{Kind: TriggerWeekday}, JourneyDay{}); ok {
		t.Error("a daily customer not seen for 15 days is not expected")
	}
}

func TestMatchBirthdayRainBookings(t *testing.T) {
	d := digestDay
	c := customer(1, "Ha")
	c.Birthday = MonthDay{time.November, 28}
	b := NewJourneyBook(d, []History{{Customer: c, Visits: daysAgo(d, 3)}}, nil, 0)
	if _, ok := matchOne(t, b, Trigger{Kind: TriggerBirthday}, JourneyDay{}); ok {
		t.Error("birthday in two days matched on the day rule")
	}
	if m, ok := matchOne(t, b, Trigger{Kind: TriggerBirthday, Days: 3}, JourneyDay{}); !ok || m.Occasion != "birthday:2026" {
		t.Errorf("3 days before: %v %+v", ok, m)
	}
	// New Year's Day birthday seen from 30 December: next year's.
	c.Birthday = MonthDay{time.January, 1}
	b = NewJourneyBook(NewDate(2026, 12, 30), []History{{Customer: c}}, nil, 0)
	if m, ok := matchOne(t, b, Trigger{Kind: TriggerBirthday, Days: 3}, JourneyDay{}); !ok || m.Occasion != "birthday:2027" {
		t.Errorf("across the year: %v %+v", ok, m)
	}
	// Rain: a condition that needs a forecast.
	b = NewJourneyBook(d, []History{{Customer: customer(1, "Ha"), Visits: daysAgo(d, 3)}}, nil, 0)
	for _, tt := range []struct {
		jd   JourneyDay
		want bool
	}{{JourneyDay{}, false}, {JourneyDay{RainKnown: true, Rain: 59}, false}, {JourneyDay{RainKnown: true, Rain: 60}, true}} {
		if _, ok := matchOne(t, b, Trigger{Kind: TriggerRain, Rain: 60}, tt.jd); ok != tt.want {
			t.Errorf("rain %+v: %v", tt.jd, ok)
		}
	}
	// Bookings: three days before the first day, never on or after it; the
	// checkout day; 90 days after checkout, with two days to catch up.
	stay := Booking{ID: 7, CustomerID: 1, Date: d.AddDays(3), End: d.AddDays(5)}
	jd := JourneyDay{Bookings: []Booking{stay}}
	for _, tt := range []struct {
		day  Date
		tr   Trigger
		want bool
	}{
		{d, Trigger{Kind: TriggerBooking, Days: -3, Anchor: AnchorStart}, true},
		{d.AddDays(-1), Trigger{Kind: TriggerBooking, Days: -3, Anchor: AnchorStart}, false},
		{d.AddDays(2), Trigger{Kind: TriggerBooking, Days: -3, Anchor: AnchorStart}, true},
		{d.AddDays(3), Trigger{Kind: TriggerBooking, Days: -3, Anchor: AnchorStart}, false},
		{d.AddDays(5), Trigger{Kind: TriggerBooking, Anchor: AnchorEnd}, true},
		{d.AddDays(4), Trigger{Kind: TriggerBooking, Anchor: AnchorEnd}, false},
		{d.AddDays(95), Trigger{Kind: TriggerBooking, Days: 90, Anchor: AnchorEnd}, true},
		{d.AddDays(97), Trigger{Kind: TriggerBooking, Days: 90, Anchor: AnchorEnd}, true},
		{d.AddDays(98), Trigger{Kind: TriggerBooking, Days: 90, Anchor: AnchorEnd}, false},
	} {
		b := NewJourneyBook(tt.day, []History{{Customer: customer(1, "Ha")}}, nil, 0)
		m, ok := matchOne(t, b, tt.tr, jd)
		if ok != tt.want || ok && (m.Occasion != "booking:7" || m.Booking.ID != 7) {
			t.Errorf("%v %+v: %v %+v", tt.day, tt.tr, ok, m)
		}
		from, to, _ := BookingWindow(tt.day, []Rule{{Trigger: tt.tr}})
		if tt.want && (stay.LastDay().Before(from) || stay.Date.After(to)) {
			t.Errorf("%v %+v: the window %v … %v misses the stay", tt.day, tt.tr, from, to)
		}
	}
}

func TestMatchCycleAndAnnouncement(t *testing.T) {
	d := digestDay
	visits := []VisitDay{{Date: d.AddDays(-105), Items: []string{"cut"}}, {Date: d.AddDays(-70), Items: []string{"cut", "wash"}},
		{Date: d.AddDays(-35), Items: []string{"Cut"}}}
	h := History{Customer: customer(1, "Bo"), Visits: visits, Likes: []string{"Han Kang", "oat milk"}}
	b := NewJourneyBook(d, []History{h}, nil, 0)
	m, ok := matchOne(t, b, Trigger{Kind: TriggerCycle}, JourneyDay{})
	if !ok || m.Service != "Cut" || m.Occasion != "cycle:cut:2026-10-22" {
		t.Errorf("cycle of 35 days on day 35: %v %+v", ok, m)
	}
	b = NewJourneyBook(d.AddDays(-1), []History{h}, nil, 0)
	if _, ok := matchOne(t, b, Trigger{Kind: TriggerCycle}, JourneyDay{}); ok {
		t.Error("day 34")
	}
	b = NewJourneyBook(d, []History{h}, nil, 0)
	if _, ok := matchOne(t, b, Trigger{Kind: TriggerCycle, Item: "wash"}, JourneyDay{}); ok {
		t.Error("wash once, 70 days ago: three months not up")
	}
	jd := JourneyDay{Announcements: []Announcement{{ID: 3, Text: "New oat latte!", Day: d.AddDays(-1)},
		{ID: 4, Text: "Han Kang — We Do Not Part", Day: d}, {ID: 5, Text: "goat cheese", Day: d},
		{ID: 6, Text: "Han Kang again", Day: d.AddDays(-7)}}}
	ms := b.Match(Rule{Trigger: Trigger{Kind: TriggerAnnouncement}}, jd)
	var occ []string
	for _, m := range ms {
		occ = append(occ, m.Occasion+"="+m.Like)
	}
	if !slices.Equal(occ, []string{"news:3=oat milk", "news:4=Han Kang"}) {
		t.Errorf("announcements %v", occ)
	}
}

func TestLikeMatches(t *testing.T) {
	for _, tt := range []struct {
		like, text string
		want       bool
	}{
		{"한강", "한강 — 『작별하지 않는다』", true},
		{"한강", "한강의 신간이 나왔어요", true},
		{"한강 작가", "한강 — 『작별하지 않는다』", true},
		{"한강", "한강공원 산책 이벤트", false},
		{"oat", "/new oat latte", true},
		{"oat milk", "new oat latte", true},
		{"oat", "goat cheese tart", false},
		{"Oat Latte", "OAT LATTE is back", true},
		{"latte", "oat latte", true},
		{"작가", "한강 작가 신간", false},
		{"", "anything", false},
		{"tea", "tea", true},
	} {
		if got := LikeMatches(tt.like, tt.text); got != tt.want {
			t.Errorf("LikeMatches(%q, %q) = %v, want %v", tt.like, tt.text, got, tt.want)
		}
	}
}

func TestRuleLedger(t *testing.T) {
	d := digestDay
	l := NewRuleLedger(d, 1, []RuleFiring{
		{RuleID: 1, CustomerID: 10, Occasion: "a", Day: d.AddDays(-6), TextHash: "x", Action: ActionMessage},
		{RuleID: 2, CustomerID: 11, Occasion: "b", Day: d.AddDays(-7), TextHash: "y", Action: ActionMessage},
	})
	l.MarkFired([]RuleFiring{{RuleID: 3, CustomerID: 12, Occasion: "old", Day: d.AddDays(-300)}})
	for _, tt := range []struct {
		rule, cust int64
		occ, hash  string
		want       SkipReason
	}{
		{1, 10, "a", "z", SkipAlreadySent},   // the occasion
		{1, 10, "new", "z", SkipAlreadySent}, // the same rule within a week
		{4, 10, "n", "x", SkipAlreadySent},   // the same text within a week
		{2, 11, "c", "y", ""},                // 7 days ago: a week has passed
		{3, 12, "old", "q", SkipAlreadySent},
		{3, 12, "new", "q", ""},
	} {
		if got := l.Check(tt.rule, tt.cust, tt.occ, tt.hash); got != tt.want {
			t.Errorf("Check(%d, %d, %q, %q) = %q, want %q", tt.rule, tt.cust, tt.occ, tt.hash, got, tt.want)
		}
	}
	l.Add(RuleFiring{RuleID: 5, CustomerID: 20, Occasion: "o", Day: d, TextHash: "t", Action: ActionMessage, HeldOut: true})
	if got := l.Check(6, 20, "p", "u"); got != SkipCap {
		t.Errorf("daily cap after a held-out firing: %q", got)
	}
	l2 := NewRuleLedger(d, 2, nil)
	l2.Add(RuleFiring{RuleID: 5, CustomerID: 20, Occasion: "o", Day: d, TextHash: "t", Action: ActionMessage})
	if got := l2.Check(6, 20, "p", "u"); got != "" {
		t.Errorf("a cap of 2: %q", got)
	}
}

func TestNextRunAndReach(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	// The clocks go back on 25 October 2026: 10:00 is still 10:00 local.
	at := time.Date(2026, 10, 24, 11, 0, 0, 0, london)
	next, ok := NextRun("10:00", london, at)
	if !ok || next.In(london).Format("2006-01-02 15:04 MST") != "2026-10-25 10:00 GMT" {
		t.Errorf("next %v", next.In(london))
	}
	if next, _ := NextRun("10:00", london, time.Date(2026, 10, 24, 9, 59, 0, 0, london)); next.In(london).Day() != 24 {
		t.Errorf("before the time: %v", next)
	}
	if _, ok := NextRun("", london, at); ok {
		t.Error("no time")
	}
	seoul := time.FixedZone("KST", 9*3600)
	pol := PolicyFromSettings("1/7", "", "", seoul)
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, seoul)
	granted := ConsentState{PurposeReminders: ConsentEvent{ID: 1, Purpose: PurposeReminders, Granted: true}}
	for _, tt := range []struct {
		r    Reach
		p    Purpose
		at   time.Time
		want SkipReason
	}{
		{Reach{}, PurposeReminders, now, SkipNoConsent},
		{Reach{Linked: true, Consent: granted}, PurposeOffers, now, SkipNoConsent},
		{Reach{Linked: true, Consent: granted, Status: LinkUnreachable}, PurposeReminders, now, SkipNoConsent},
		{Reach{Linked: true, Consent: granted, Deliveries: []time.Time{now.Add(-48 * time.Hour)}}, PurposeReminders, now, SkipCap},
		{Reach{Linked: true, Consent: granted}, PurposeReminders, now.Add(12 * time.Hour), SkipQuietHours},
		{Reach{Linked: true, Consent: granted}, PurposeReminders, now, ""},
	} {
		if got := ReachSkip(tt.r, tt.p, tt.at, pol); got != tt.want {
			t.Errorf("ReachSkip(%+v, %s, %v) = %q, want %q", tt.r, tt.p, tt.at, got, tt.want)
		}
	}
}
