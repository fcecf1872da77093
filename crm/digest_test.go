package crm

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Seoul without relying on the host's zoneinfo
)

// digestDay is a Thursday.
var digestDay = NewDate(2026, time.November, 26)

// daysAgo returns visit days at the given offsets before day, with no items.
func daysAgo(day Date, offsets ...int) []VisitDay {
	out := make([]VisitDay, len(offsets))
	for i, o := range offsets {
		out[i] = VisitDay{Date: day.AddDays(-o)}
	}
	return out
}

// paced returns visits whose last one is since days before day and whose
// gaps, oldest first, are gaps.
func paced(day Date, since int, gaps ...int) []VisitDay {
	offsets := []int{since}
	o := since
	for i := len(gaps) - 1; i >= 0; i-- {
		o += gaps[i]
		offsets = append(offsets, o)
	}
	return daysAgo(day, offsets...)
}

func customer(id int64, name string) Customer {
	return Customer{ID: id, ShopID: 1, Name: name, UsualWeekday: NoWeekday}
}

// reasonOf returns the reason with code on the only entry of entries.
func reasonOf(t *testing.T, entries []DigestEntry, code ReasonCode) (Reason, bool) {
	t.Helper()
	if len(entries) > 1 {
		t.Fatalf("want at most one entry, got %d", len(entries))
	}
	if len(entries) == 0 {
		return Reason{}, false
	}
	for _, r := range entries[0].Reasons {
		if r.Code == code {
			return r, true
		}
	}
	return Reason{}, false
}

func codes(e DigestEntry) []ReasonCode {
	out := make([]ReasonCode, len(e.Reasons))
	for i, r := range e.Reasons {
		out[i] = r.Code
	}
	return out
}

func TestDayNumberMatchesTime(t *testing.T) {
	start := time.Date(1899, time.December, 25, 0, 0, 0, 0, time.UTC)
	epoch := time.Date(1970, time.January, 1, 0, 0, 0, 0, time.UTC)
	for i := range 200 * 366 {
		tm := start.AddDate(0, 0, i)
		d := DateOf(tm, time.UTC)
		want := int(tm.Sub(epoch).Hours() / 24)
		if got := dayNumber(d); got != want {
			t.Fatalf("dayNumber(%v) = %d, want %d", d, got, want)
		}
		if got := weekdayOf(dayNumber(d)); got != d.Weekday() {
			t.Fatalf("weekdayOf(%v) = %v, want %v", d, got, d.Weekday())
		}
	}
}

func TestDigestUsualWeekday(t *testing.T) {
	d := digestDay
	tests := []struct {
		name   string
		visits []VisitDay
		want   bool
	}{
		{"3 of 6 in window", daysAgo(d, 7, 14, 21, 1, 2, 3), true},
		{"3 of 7 in window", daysAgo(d, 7, 14, 21, 1, 2, 3, 4), false},
		{"2 of 2", daysAgo(d, 7, 14), false},
		{"D-56 counted", daysAgo(d, 7, 14, 56), true},
		{"D-63 not counted", daysAgo(d, 7, 14, 63), false},
		{"D-57 not counted", daysAgo(d, 7, 14, 21, 1, 2, 3, 57), true},
		{"D-57 and D-56", daysAgo(d, 7, 56, 57, 1, 2, 3, 14), true},
		{"8 of 8", daysAgo(d, 7, 14, 21, 28, 35, 42, 49, 56), true},
		{"other weekday", daysAgo(d, 6, 13, 20, 27), false},
		{"today not counted", append(daysAgo(d, 7, 14), VisitDay{Date: d}), false},
		{"future not counted", append(daysAgo(d, 7, 14), VisitDay{Date: d.AddDays(7)}), false},
		{"two records one day count once", daysAgo(d, 7, 14, 21, 1, 1, 2, 2, 3), true},
		{"old regular, weekday only outside window", daysAgo(d, 63, 70, 77, 84), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := History{Customer: customer(1, "Mina"), Visits: tt.visits}
			got := Digest(d, []History{h}, DefaultDigestRules())
			r, ok := reasonOf(t, got, ReasonUsualWeekday)
			if ok != tt.want {
				t.Fatalf("usual_weekday = %v, want %v (entries %+v)", ok, tt.want, got)
			}
			if ok && r.Weekday != time.Thursday {
				t.Errorf("Weekday = %v, want Thursday", r.Weekday)
			}
		})
	}
}

func TestDigestUsualItems(t *testing.T) {
	d := digestDay
	visits := []VisitDay{
		{Date: d.AddDays(-7), Items: []string{"croissant", "latte"}},
		{Date: d.AddDays(-14), Items: []string{"Croissant"}},
		{Date: d.AddDays(-21), Items: []string{"croissant", "scone"}},
		{Date: d.AddDays(-28), Items: []string{"latte"}},
		// Other weekdays and days outside the window do not count.
		{Date: d.AddDays(-2), Items: []string{"bagel"}},
		{Date: d.AddDays(-3), Items: []string{"bagel"}},
		{Date: d.AddDays(-63), Items: []string{"bagel"}},
		{Date: d.AddDays(-70), Items: []string{"bagel"}},
		{Date: d, Items: []string{"bagel", "bagel"}},
	}
	got := Digest(d, []History{{Customer: customer(1, "Mina"), Visits: visits}}, DefaultDigestRules())
	r, ok := reasonOf(t, got, ReasonUsualWeekday)
	if !ok {
		t.Fatalf("no usual_weekday: %+v", got)
	}
	if want := []string{"croissant", "latte"}; !reflect.DeepEqual(r.Items, want) {
		t.Errorf("Items = %q, want %q", r.Items, want)
	}
	if want := []string{"bagel", "croissant", "latte"}; !reflect.DeepEqual(got[0].Favorites, want) {
		t.Errorf("Favorites = %q, want %q", got[0].Favorites, want)
	}

	// Weekday visits without items fall back to the overall favourites.
	visits = []VisitDay{
		{Date: d.AddDays(-7)}, {Date: d.AddDays(-14)}, {Date: d.AddDays(-21)},
		{Date: d.AddDays(-100), Items: []string{"scone"}},
		{Date: d.AddDays(-101), Items: []string{"scone", "tea"}},
		{Date: d.AddDays(-102), Items: []string{"milk", "tea", "scone"}},
	}
	got = Digest(d, []History{{Customer: customer(1, "Mina"), Visits: visits}}, DefaultDigestRules())
	r, ok = reasonOf(t, got, ReasonUsualWeekday)
	if !ok {
		t.Fatalf("no usual_weekday: %+v", got)
	}
	if want := []string{"scone", "tea"}; !reflect.DeepEqual(r.Items, want) {
		t.Errorf("fallback Items = %q, want %q", r.Items, want)
	}
	if want := []string{"scone", "tea", "milk"}; !reflect.DeepEqual(got[0].Favorites, want) {
		t.Errorf("Favorites = %q, want %q", got[0].Favorites, want)
	}
}

func TestDigestDue(t *testing.T) {
	d := digestDay
	tests := []struct {
		name    string
		visits  []VisitDay
		rules   DigestRules
		want    bool
		gap     float64
		since   int
		lapsed  bool
		noEntry bool
	}{
		{name: "d = g", visits: paced(d, 10, 10, 10, 10), want: true, gap: 10, since: 10},
		{name: "d = g-1", visits: paced(d, 9, 10, 10, 10), noEntry: true},
		{name: "d = 3g-1", visits: paced(d, 29, 10, 10, 10), want: true, gap: 10, since: 29},
		{name: "d = 3g", visits: paced(d, 30, 10, 10, 10), noEntry: true},
		{name: "median of odd gaps", visits: paced(d, 9, 2, 9, 40), want: true, gap: 9, since: 9},
		{name: "even gaps: d just above 8.5", visits: paced(d, 9, 7, 8, 9, 20), want: true, gap: 8.5, since: 9},
		{name: "even gaps: d just below 8.5", visits: paced(d, 8, 7, 8, 9, 20), noEntry: true},
		{name: "even gaps: d just below 3g = 25.5", visits: paced(d, 25, 7, 8, 9, 20), want: true, gap: 8.5, since: 25},
		{name: "even gaps: d just above 3g = 25.5", visits: paced(d, 26, 9, 20, 7, 8), noEntry: true},
		{name: "only 3 visits", visits: paced(d, 12, 10, 10), noEntry: true},
		{name: "3 distinct days, one doubled", visits: append(paced(d, 12, 10, 10), VisitDay{Date: d.AddDays(-12)}), noEntry: true},
		{name: "4 distinct days, duplicates ignored", visits: append(paced(d, 12, 10, 10, 10), VisitDay{Date: d.AddDays(-12)}, VisitDay{Date: d.AddDays(-22)}), want: true, gap: 10, since: 12},
		{name: "d = 59, large g", visits: paced(d, 59, 30, 30, 30), want: true, gap: 30, since: 59},
		{name: "d = 60, large g: lapsed", visits: paced(d, 60, 30, 30, 30), lapsed: true},
		{name: "lower LapsedDays: lapsed wins", visits: paced(d, 45, 20, 20, 20), rules: DigestRules{LapsedDays: 30}, lapsed: true},
		{name: "higher LapsedDays: d = 59 due", visits: paced(d, 59, 30, 30, 30), rules: DigestRules{LapsedDays: 90}, want: true, gap: 30, since: 59},
		{name: "higher LapsedDays: d = 60 neither", visits: paced(d, 60, 30, 30, 30), rules: DigestRules{LapsedDays: 90}, noEntry: true},
		{name: "visits today ignored", visits: append(paced(d, 10, 10, 10, 10), VisitDay{Date: d}), want: true, gap: 10, since: 10},
		{name: "visits after D ignored", visits: append(paced(d, 10, 10, 10, 10), VisitDay{Date: d.AddDays(3)}), want: true, gap: 10, since: 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules := tt.rules
			if rules == (DigestRules{}) {
				rules = DefaultDigestRules()
			}
			visits := slices.Clone(tt.visits)
			h := History{Customer: customer(1, "Joon"), Visits: visits}
			got := Digest(d, []History{h}, rules)
			if tt.noEntry {
				if len(got) != 0 {
					t.Fatalf("want no entry, got %+v", got)
				}
				return
			}
			r, ok := reasonOf(t, got, ReasonDue)
			if ok != tt.want {
				t.Fatalf("due = %v, want %v (entries %+v)", ok, tt.want, got)
			}
			if ok && (r.Gap != tt.gap || r.DaysSince != tt.since) {
				t.Errorf("due Gap, DaysSince = %v, %d; want %v, %d", r.Gap, r.DaysSince, tt.gap, tt.since)
			}
			if _, ok := reasonOf(t, got, ReasonLapsed); ok != tt.lapsed {
				t.Errorf("lapsed = %v, want %v", ok, tt.lapsed)
			}
		})
	}
}

// TestDigestLongRhythms: a customer with 4 or more visits and a median gap
// g over 30 days is due from g and lapsed from L = max(lapsed setting, 2g);
// the boundaries d = g−1, g, L−1, L for g = 45 and 90.
func TestDigestLongRhythms(t *testing.T) {
	d := digestDay
	type want int
	const (
		none want = iota
		due
		lapsed
	)
	tests := []struct {
		name   string
		visits []VisitDay
		rules  DigestRules
		want   want
	}{
		{"g 45, d = g−1", paced(d, 44, 45, 45, 45), DigestRules{}, none},
		{"g 45, d = g", paced(d, 45, 45, 45, 45), DigestRules{}, due},
		{"g 45, d = 60 (the shop's lapse point) still due", paced(d, 60, 45, 45, 45), DigestRules{}, due},
		{"g 45, d = L−1 = 89", paced(d, 89, 45, 45, 45), DigestRules{}, due},
		{"g 45, d = L = 90", paced(d, 90, 45, 45, 45), DigestRules{}, lapsed},
		{"g 90, d = g−1", paced(d, 89, 90, 90, 90), DigestRules{}, none},
		{"g 90, d = g", paced(d, 90, 90, 90, 90), DigestRules{}, due},
		{"g 90, d = L−1 = 179", paced(d, 179, 90, 90, 90), DigestRules{}, due},
		{"g 90, d = L = 180", paced(d, 180, 90, 90, 90), DigestRules{}, lapsed},
		{"g 90, uneven gaps, median 90", paced(d, 120, 80, 90, 100), DigestRules{}, due},
		// The shop's setting wins when it is later than 2g.
		{"g 45, lapsed 120: d = 119 due", paced(d, 119, 45, 45, 45), DigestRules{LapsedDays: 120}, due},
		{"g 45, lapsed 120: d = 120 lapsed", paced(d, 120, 45, 45, 45), DigestRules{LapsedDays: 120}, lapsed},
		{"g 45, lapsed 120: d = 135 = 3g lapsed", paced(d, 135, 45, 45, 45), DigestRules{LapsedDays: 120}, lapsed},
		// Fewer than 4 visits keep the shop's setting.
		{"3 visits, gaps 90: d = 59", paced(d, 59, 90, 90), DigestRules{}, none},
		{"3 visits, gaps 90: d = 60 lapsed", paced(d, 60, 90, 90), DigestRules{}, lapsed},
		// Nothing changes for g ≤ 30.
		{"g 30, d = 59 due", paced(d, 59, 30, 30, 30), DigestRules{}, due},
		{"g 30, d = 60 lapsed", paced(d, 60, 30, 30, 30), DigestRules{}, lapsed},
		{"g 31, d = 60 due", paced(d, 60, 31, 31, 31), DigestRules{}, due},
		{"g 31, d = 62 lapsed", paced(d, 62, 31, 31, 31), DigestRules{}, lapsed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Digest(d, []History{{Customer: customer(1, "Hana"), Visits: tt.visits}}, tt.rules)
			_, isDue := reasonOf(t, got, ReasonDue)
			_, isLapsed := reasonOf(t, got, ReasonLapsed)
			var have want
			switch {
			case isDue && isLapsed:
				t.Fatalf("both due and lapsed: %+v", got)
			case isDue:
				have = due
			case isLapsed:
				have = lapsed
			}
			if have != tt.want {
				t.Fatalf("got %d (0 none, 1 due, 2 lapsed), want %d: %+v", have, tt.want, got)
			}
		})
	}
	for _, tt := range []struct{ lapsed, visits, g2, want int }{
		{60, 4, 60, 60}, {60, 4, 90, 90}, {60, 4, 120, 120}, {60, 4, 180, 180}, {60, 3, 180, 60}, {120, 4, 90, 120}, {0, 5, 200, 200}, {90, 4, 60, 90},
	} {
		if got := LapsePoint(tt.lapsed, tt.visits, tt.g2); got != tt.want {
			t.Errorf("LapsePoint(%d, %d, %d) = %d, want %d", tt.lapsed, tt.visits, tt.g2, got, tt.want)
		}
	}
}

func TestDigestLapsed(t *testing.T) {
	d := digestDay
	tests := []struct {
		name  string
		since int
		rules DigestRules
		want  bool
	}{
		{"default, 59 days", 59, DefaultDigestRules(), false},
		{"default, 60 days", 60, DefaultDigestRules(), true},
		{"zero rules mean default, 59", 59, DigestRules{}, false},
		{"zero rules mean default, 60", 60, DigestRules{}, true},
		{"90, 59 days", 59, DigestRules{LapsedDays: 90}, false},
		{"90, 60 days", 60, DigestRules{LapsedDays: 90}, false},
		{"90, 89 days", 89, DigestRules{LapsedDays: 90}, false},
		{"90, 90 days", 90, DigestRules{LapsedDays: 90}, true},
		{"90, 400 days", 400, DigestRules{LapsedDays: 90}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := History{Customer: customer(1, "Sora"), Visits: daysAgo(d, tt.since, tt.since+30)}
			got := Digest(d, []History{h}, tt.rules)
			r, ok := reasonOf(t, got, ReasonLapsed)
			if ok != tt.want {
				t.Fatalf("lapsed = %v, want %v (entries %+v)", ok, tt.want, got)
			}
			if ok && r.DaysSince != tt.since {
				t.Errorf("DaysSince = %d, want %d", r.DaysSince, tt.since)
			}
		})
	}
	// Someone who never came is not lapsed.
	if got := Digest(d, []History{{Customer: customer(1, "Sora")}}, DefaultDigestRules()); len(got) != 0 {
		t.Errorf("no visits: got %+v", got)
	}
}

func TestDigestBirthday(t *testing.T) {
	tests := []struct {
		name     string
		day      Date
		birthday MonthDay
		want     bool
		on       Date
		in       int
	}{
		{"today", digestDay, MonthDay{time.November, 26}, true, digestDay, 0},
		{"D+1", digestDay, MonthDay{time.November, 27}, true, NewDate(2026, time.November, 27), 1},
		{"D+6", digestDay, MonthDay{time.December, 2}, true, NewDate(2026, time.December, 2), 6},
		{"D+7", digestDay, MonthDay{time.December, 3}, false, Date{}, 0},
		{"D-1", digestDay, MonthDay{time.November, 25}, false, Date{}, 0},
		{"unknown", digestDay, MonthDay{}, false, Date{}, 0},
		{"invalid", digestDay, MonthDay{time.November, 31}, false, Date{}, 0},
		{"29 Feb, non-leap year", NewDate(2027, time.February, 25), MonthDay{time.February, 29}, true, NewDate(2027, time.February, 28), 3},
		{"29 Feb, non-leap year, on the 28th", NewDate(2027, time.February, 28), MonthDay{time.February, 29}, true, NewDate(2027, time.February, 28), 0},
		{"29 Feb, non-leap year, 1 March", NewDate(2027, time.March, 1), MonthDay{time.February, 29}, false, Date{}, 0},
		{"29 Feb, leap year", NewDate(2028, time.February, 25), MonthDay{time.February, 29}, true, NewDate(2028, time.February, 29), 4},
		{"29 Feb, leap year, on the 29th", NewDate(2028, time.February, 29), MonthDay{time.February, 29}, true, NewDate(2028, time.February, 29), 0},
		{"28 Feb, leap year, day after", NewDate(2028, time.February, 29), MonthDay{time.February, 28}, false, Date{}, 0},
		{"year boundary", NewDate(2026, time.December, 28), MonthDay{time.January, 2}, true, NewDate(2027, time.January, 2), 5},
		{"year boundary, 1 Jan from 31 Dec", NewDate(2026, time.December, 31), MonthDay{time.January, 1}, true, NewDate(2027, time.January, 1), 1},
		{"year boundary, D+7", NewDate(2026, time.December, 28), MonthDay{time.January, 4}, false, Date{}, 0},
		{"year boundary, D-1", NewDate(2026, time.December, 28), MonthDay{time.December, 27}, false, Date{}, 0},
		{"year boundary, today 31 Dec", NewDate(2026, time.December, 31), MonthDay{time.December, 31}, true, NewDate(2026, time.December, 31), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := customer(1, "Hana")
			c.Birthday = tt.birthday
			got := Digest(tt.day, []History{{Customer: c}}, DefaultDigestRules())
			r, ok := reasonOf(t, got, ReasonBirthday)
			if ok != tt.want {
				t.Fatalf("birthday = %v, want %v (entries %+v)", ok, tt.want, got)
			}
			if ok && (r.On != tt.on || r.InDays != tt.in) {
				t.Errorf("On, InDays = %v, %d; want %v, %d", r.On, r.InDays, tt.on, tt.in)
			}
			if ok && (got[0].VisitCount != 0 || !got[0].LastVisit.IsZero() || got[0].Favorites != nil) {
				t.Errorf("customer without visits: %+v", got[0])
			}
		})
	}
}

func TestDigestFirstVisit(t *testing.T) {
	d := digestDay
	tests := []struct {
		name   string
		visits []VisitDay
		want   bool
		since  int
	}{
		{"D-1", daysAgo(d, 1), true, 1},
		{"D-7", daysAgo(d, 7), true, 7},
		{"D-8", daysAgo(d, 8), false, 0},
		{"two visits", daysAgo(d, 1, 3), false, 0},
		{"two records, one day", daysAgo(d, 3, 3), true, 3},
		{"only today", daysAgo(d, 0), false, 0},
		{"a visit today does not count", daysAgo(d, 3, 0), true, 3},
		{"a visit after D does not count", daysAgo(d, 3, -2), true, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Digest(d, []History{{Customer: customer(1, "Eun"), Visits: tt.visits}}, DefaultDigestRules())
			r, ok := reasonOf(t, got, ReasonFirstVisit)
			if ok != tt.want {
				t.Fatalf("first_visit = %v, want %v (entries %+v)", ok, tt.want, got)
			}
			if ok && (r.DaysSince != tt.since || got[0].VisitCount != 1) {
				t.Errorf("DaysSince, VisitCount = %d, %d; want %d, 1", r.DaysSince, got[0].VisitCount, tt.since)
			}
		})
	}
	// A tiny LapsedDays makes a week-old newcomer lapsed, not first_visit.
	got := Digest(d, []History{{Customer: customer(1, "Eun"), Visits: daysAgo(d, 5)}}, DigestRules{LapsedDays: 3})
	if len(got) != 1 || !reflect.DeepEqual(codes(got[0]), []ReasonCode{ReasonLapsed}) {
		t.Errorf("lapsed newcomer: got %+v", got)
	}
}

func TestDigestIgnoresTodayAndLater(t *testing.T) {
	d := digestDay
	h := History{
		Customer: customer(1, "Min"),
		Visits: []VisitDay{
			{Date: d.AddDays(2), Items: []string{"cake"}},
			{Date: d, Items: []string{"cake"}},
			{Date: d.AddDays(-60), Items: []string{"bread"}},
		},
	}
	got := Digest(d, []History{h}, DefaultDigestRules())
	if len(got) != 1 {
		t.Fatalf("got %+v", got)
	}
	e := got[0]
	if !reflect.DeepEqual(codes(e), []ReasonCode{ReasonLapsed}) || e.Reasons[0].DaysSince != 60 {
		t.Errorf("Reasons = %+v, want lapsed 60 days", e.Reasons)
	}
	if e.VisitCount != 1 || e.LastVisit != d.AddDays(-60) {
		t.Errorf("VisitCount, LastVisit = %d, %v", e.VisitCount, e.LastVisit)
	}
	if !reflect.DeepEqual(e.Favorites, []string{"bread"}) {
		t.Errorf("Favorites = %q, want bread only", e.Favorites)
	}
}

func TestDigestLapsedSuppression(t *testing.T) {
	d := digestDay
	tests := []struct {
		name   string
		visits []VisitDay
		shown  int // days before d; -1 never
		rules  DigestRules
		want   bool
	}{
		{"never shown", daysAgo(d, 70), -1, DigestRules{}, true},
		{"shown today already", daysAgo(d, 70), 0, DigestRules{}, false},
		{"shown 1 day ago", daysAgo(d, 70), 1, DigestRules{}, false},
		{"shown 29 days ago", daysAgo(d, 70), 29, DigestRules{}, false},
		{"shown 30 days ago", daysAgo(d, 70), 30, DigestRules{}, true},
		{"shown 40 days ago", daysAgo(d, 70), 40, DigestRules{}, true},
		{"custom period, 44", daysAgo(d, 70), 44, DigestRules{SuppressLapsedDays: 45}, false},
		{"custom period, 45", daysAgo(d, 70), 45, DigestRules{SuppressLapsedDays: 45}, true},
		// LapsedDays 20 lets a customer lapse again within 30 days.
		{"visited after shown, lapsed again", daysAgo(d, 21, 90), 25, DigestRules{LapsedDays: 20}, true},
		// The digest that day was computed before the visit.
		{"visited on the day shown", daysAgo(d, 25, 90), 25, DigestRules{LapsedDays: 20}, true},
		{"no visit since shown", daysAgo(d, 26, 90), 25, DigestRules{LapsedDays: 20}, false},
		{"visited after shown, default", daysAgo(d, 60, 200), 65, DigestRules{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := History{Customer: customer(1, "Bora"), Visits: tt.visits}
			if tt.shown >= 0 {
				h.LapsedShown = d.AddDays(-tt.shown)
			}
			got := Digest(d, []History{h}, tt.rules)
			if _, ok := reasonOf(t, got, ReasonLapsed); ok != tt.want {
				t.Fatalf("lapsed = %v, want %v (entries %+v)", ok, tt.want, got)
			}
			if !tt.want && len(got) != 0 {
				t.Errorf("suppressed lapsed customer still listed: %+v", got)
			}
		})
	}

	// Suppression drops only the lapsed reason; a birthday still shows.
	c := customer(1, "Bora")
	c.Birthday = MonthDay{d.Month, d.Day}
	h := History{Customer: c, Visits: daysAgo(d, 70), LapsedShown: d.AddDays(-10)}
	got := Digest(d, []History{h}, DefaultDigestRules())
	if len(got) != 1 || !reflect.DeepEqual(codes(got[0]), []ReasonCode{ReasonBirthday}) {
		t.Errorf("suppressed lapsed with birthday: got %+v", got)
	}
	// A lapsed customer whose lapsed reason is suppressed is not due either.
	h = History{Customer: customer(2, "Yuna"), Visits: paced(d, 45, 20, 20, 20), LapsedShown: d.AddDays(-10)}
	if got := Digest(d, []History{h}, DigestRules{LapsedDays: 30}); len(got) != 0 {
		t.Errorf("suppressed lapsed shown as due: %+v", got)
	}
}

func TestDigestGreeted(t *testing.T) {
	d := digestDay
	c := customer(1, "Jiho")
	c.Birthday = MonthDay{d.Month, d.Day}
	tests := []struct {
		name    string
		greeted Date
		want    bool
	}{
		{"never", Date{}, true},
		{"today", d, false},
		{"6 days ago", d.AddDays(-6), false},
		{"7 days ago", d.AddDays(-7), true},
		{"a year ago", d.AddDays(-365), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := History{Customer: c, Visits: daysAgo(d, 7, 14, 21, 70), Greeted: tt.greeted}
			got := Digest(d, []History{h}, DefaultDigestRules())
			if (len(got) == 1) != tt.want {
				t.Fatalf("listed = %v, want %v (entries %+v)", len(got) == 1, tt.want, got)
			}
		})
	}
	got := Digest(d, []History{{Customer: c, Greeted: d.AddDays(-3)}}, DigestRules{GreetedDays: 2})
	if len(got) != 1 {
		t.Errorf("GreetedDays 2, greeted 3 days ago: got %+v", got)
	}
}

func TestDigestRanking(t *testing.T) {
	d := digestDay
	withBirthday := func(c Customer, md MonthDay) Customer { c.Birthday = md; return c }
	today := MonthDay{d.Month, d.Day}
	inThree := MonthDay{time.November, 29}
	hist := []History{
		{Customer: customer(1, "Lapsed Few"), Visits: daysAgo(d, 80, 90)},
		{Customer: customer(2, "Lapsed Many"), Visits: daysAgo(d, 80, 90, 100)},
		{Customer: withBirthday(customer(3, "Later Birthday"), inThree)},
		{Customer: customer(4, "Newcomer"), Visits: daysAgo(d, 2)},
		{Customer: customer(5, "Due B"), Visits: paced(d, 10, 10, 10, 10)},
		{Customer: customer(6, "Due A"), Visits: paced(d, 10, 10, 10, 10)},
		{Customer: customer(7, "Due Many"), Visits: paced(d, 10, 10, 10, 10, 10)},
		{Customer: withBirthday(customer(8, "Birthday Today"), today)},
		{Customer: customer(9, "Thursday Regular"), Visits: daysAgo(d, 7, 14, 21, 28)},
		{Customer: customer(10, "Due A"), Visits: paced(d, 10, 10, 10, 10)},
		{Customer: customer(11, "Nobody"), Visits: daysAgo(d, 30)},
		// Due with a birthday later this week: due is the best reason.
		{Customer: withBirthday(customer(12, "Due Birthday Later"), inThree), Visits: paced(d, 12, 12, 12, 12)},
		// Lapsed with a birthday later this week: ranks with the birthdays.
		{Customer: withBirthday(customer(13, "Lapsed Birthday"), inThree), Visits: daysAgo(d, 200)},
	}
	got := Digest(d, hist, DefaultDigestRules())
	var names []string
	for _, e := range got {
		names = append(names, e.Customer.Name)
	}
	want := []string{
		"Thursday Regular", // class 0, 4 visits
		"Birthday Today",   // class 0, 0 visits
		"Due Many",         // class 1, 5 visits
		"Due A",            // class 1, 4 visits, id 6
		"Due A",            // id 10
		"Due B",
		"Due Birthday Later",
		"Newcomer",        // class 2
		"Lapsed Birthday", // class 3, 1 visit
		"Later Birthday",  // class 3, 0 visits
		"Lapsed Many",     // class 4
		"Lapsed Few",
	}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("order\n got %q\nwant %q", names, want)
	}
	if got[3].Customer.ID != 6 || got[4].Customer.ID != 10 {
		t.Errorf("same name tie not broken by id: %d, %d", got[3].Customer.ID, got[4].Customer.ID)
	}
	if want := []ReasonCode{ReasonDue, ReasonBirthday}; !reflect.DeepEqual(codes(got[6]), want) {
		t.Errorf("due with later birthday: reasons %v, want %v", codes(got[6]), want)
	}
	if want := []ReasonCode{ReasonBirthday, ReasonLapsed}; !reflect.DeepEqual(codes(got[8]), want) {
		t.Errorf("lapsed with later birthday: reasons %v, want %v", codes(got[8]), want)
	}
}

func TestDigestReasonOrderWithinEntry(t *testing.T) {
	d := digestDay
	c := customer(1, "Dahye")
	c.Birthday = MonthDay{d.Month, d.Day}
	// Thursdays every week: usual weekday and, with a 7-day pace, due.
	h := History{Customer: c, Visits: daysAgo(d, 7, 14, 21, 28, 35)}
	got := Digest(d, []History{h}, DefaultDigestRules())
	want := []ReasonCode{ReasonBirthday, ReasonUsualWeekday, ReasonDue}
	if len(got) != 1 || !reflect.DeepEqual(codes(got[0]), want) {
		t.Fatalf("got %+v, want reasons %v", got, want)
	}
	if r := got[0].Reasons[2]; r.Gap != 7 || r.DaysSince != 7 {
		t.Errorf("due = %+v", r)
	}
}

func TestDigestEntryFields(t *testing.T) {
	d := digestDay
	h := History{
		Customer: customer(1, "Seo"),
		Visits: []VisitDay{
			{Date: d.AddDays(-80), Items: []string{"tea", "scone", "tea"}},
			{Date: d.AddDays(-90), Items: []string{"Tea", "cake"}},
			{Date: d.AddDays(-90), Items: []string{"tea", "bun"}}, // same day: tea counts once
			{Date: d.AddDays(-100), Items: []string{"scone", "cake", "", "bun"}},
			{Date: d.AddDays(-110), Items: []string{"pie"}},
		},
		Allergies: []string{"nuts"},
		Likes:     []string{"window seat"},
		Note:      "brings a dog",
	}
	got := Digest(d, []History{h}, DefaultDigestRules())
	if len(got) != 1 {
		t.Fatalf("got %+v", got)
	}
	e := got[0]
	// tea: 2 days, 4 mentions; bun, cake, scone: 2 days, 2 mentions each.
	if want := []string{"tea", "bun", "cake"}; !reflect.DeepEqual(e.Favorites, want) {
		t.Errorf("Favorites = %q, want %q", e.Favorites, want)
	}
	if e.VisitCount != 4 || e.LastVisit != d.AddDays(-80) {
		t.Errorf("VisitCount, LastVisit = %d, %v", e.VisitCount, e.LastVisit)
	}
	if !reflect.DeepEqual(e.Allergies, h.Allergies) || !reflect.DeepEqual(e.Likes, h.Likes) || e.Note != h.Note {
		t.Errorf("facts not carried: %+v", e)
	}
}

// Visits may come in any order; the result must not depend on it, and the
// caller's slices are left as they were.
func TestDigestUnsortedInput(t *testing.T) {
	d := digestDay
	rnd := rand.New(rand.NewPCG(1, 2))
	base := []VisitDay{
		{Date: d.AddDays(-7), Items: []string{"croissant"}},
		{Date: d.AddDays(-14), Items: []string{"croissant", "latte"}},
		{Date: d.AddDays(-14), Items: []string{"Latte"}},
		{Date: d.AddDays(-21), Items: []string{"latte"}},
		{Date: d.AddDays(-28), Items: []string{"bagel"}},
		{Date: d.AddDays(-30)},
		{Date: d.AddDays(3), Items: []string{"cake"}},
	}
	sortedVisits := slices.Clone(base)
	slices.SortFunc(sortedVisits, func(a, b VisitDay) int { return dayNumber(a.Date) - dayNumber(b.Date) })
	want := Digest(d, []History{{Customer: customer(1, "Ara"), Visits: sortedVisits}}, DefaultDigestRules())
	if len(want) != 1 {
		t.Fatalf("got %+v", want)
	}
	for range 50 {
		visits := slices.Clone(base)
		rnd.Shuffle(len(visits), func(i, j int) { visits[i], visits[j] = visits[j], visits[i] })
		before := slices.Clone(visits)
		got := Digest(d, []History{{Customer: customer(1, "Ara"), Visits: visits}}, DefaultDigestRules())
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("order %v:\n got %+v\nwant %+v", visits, got, want)
		}
		if !reflect.DeepEqual(visits, before) {
			t.Fatalf("Digest reordered the caller's visits")
		}
	}
}

// The caller turns the push instant into the shop's day; late evening UTC is
// already the next morning in Seoul.
func TestDigestShopTimeZone(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, time.November, 25, 23, 30, 0, 0, time.UTC)
	d := DateOf(now, loc)
	if want := NewDate(2026, time.November, 26); d != want {
		t.Fatalf("DateOf = %v, want %v", d, want)
	}
	if d.Weekday() != time.Thursday {
		t.Fatalf("%v is a %v", d, d.Weekday())
	}
	h := History{
		Customer: customer(1, "Kim"),
		Visits: []VisitDay{
			{Date: NewDate(2026, time.November, 19), Items: []string{"croissant"}},
			{Date: NewDate(2026, time.November, 12), Items: []string{"croissant"}},
			{Date: NewDate(2026, time.November, 5), Items: []string{"croissant", "latte"}},
		},
	}
	got := Digest(d, []History{h}, DefaultDigestRules())
	r, ok := reasonOf(t, got, ReasonUsualWeekday)
	if !ok || r.Weekday != time.Thursday || !reflect.DeepEqual(r.Items, []string{"croissant", "latte"}) {
		t.Fatalf("got %+v", got)
	}
	// The UTC day, a Wednesday, has no reason for this customer.
	if got := Digest(DateOf(now, time.UTC), []History{h}, DefaultDigestRules()); len(got) != 0 {
		t.Errorf("UTC day: got %+v", got)
	}
}

func TestDefaultDigestRules(t *testing.T) {
	want := DigestRules{LapsedDays: 60, SuppressLapsedDays: 30, GreetedDays: 7}
	if got := DefaultDigestRules(); got != want {
		t.Errorf("DefaultDigestRules() = %+v, want %+v", got, want)
	}
	if got := Digest(digestDay, nil, DigestRules{}); len(got) != 0 {
		t.Errorf("no customers: %+v", got)
	}
}

func TestNth(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		n := 1 + rnd.IntN(40)
		a := make([]int, n)
		for i := range a {
			a[i] = 1 + rnd.IntN(1+rnd.IntN(30))
		}
		switch rnd.IntN(3) {
		case 0:
			slices.Sort(a)
		case 1:
			slices.Sort(a)
			slices.Reverse(a)
		}
		want := slices.Sorted(slices.Values(a))
		k := rnd.IntN(n)
		b := slices.Clone(a)
		if got := nth(b, k); got != want[k] {
			t.Fatalf("nth(%v, %d) = %d, want %d", a, k, got, want[k])
		}
		if slices.Max(b[:k+1]) != want[k] || slices.Min(b[k:]) != want[k] {
			t.Fatalf("nth(%v, %d) left %v unpartitioned", a, k, b)
		}
	}
}

// referenceDigest is a plain reading of the rules, slow and obvious, to
// check Digest against on random shops.
func referenceDigest(d Date, hist []History, rules DigestRules) map[int64]DigestEntry {
	rules = rules.withDefaults()
	out := map[int64]DigestEntry{}
	for _, h := range hist {
		if !h.Greeted.IsZero() && d.DaysSince(h.Greeted) < rules.GreetedDays {
			continue
		}
		seen := map[Date]bool{}
		var days []Date
		var past []VisitDay
		for _, v := range h.Visits {
			if v.Date.IsZero() || !v.Date.Before(d) {
				continue
			}
			past = append(past, v)
			if !seen[v.Date] {
				seen[v.Date] = true
				days = append(days, v.Date)
			}
		}
		slices.SortFunc(days, func(a, b Date) int { return a.DaysSince(b) })
		e := DigestEntry{Customer: h.Customer, VisitCount: len(days), Allergies: h.Allergies, Likes: h.Likes, Note: h.Note}
		since := 0
		if len(days) > 0 {
			e.LastVisit = days[len(days)-1]
			since = d.DaysSince(e.LastVisit)
			e.Favorites = referenceTop(past, 3)
		}
		var bday *Reason
		if md := h.Customer.Birthday; md.Valid() {
			for i := 0; i <= 6; i++ {
				day := d.AddDays(i)
				if md.In(day.Year) == day {
					bday = &Reason{Code: ReasonBirthday, On: day, InDays: i}
					break
				}
			}
		}
		if bday != nil && bday.InDays == 0 {
			e.Reasons = append(e.Reasons, *bday)
		}
		total, on := 0, 0
		var onVisits []VisitDay
		for _, day := range days {
			if n := d.DaysSince(day); n >= 1 && n <= 56 {
				total++
				if day.Weekday() == d.Weekday() {
					on++
				}
			}
		}
		for _, v := range past {
			if n := d.DaysSince(v.Date); n <= 56 && v.Date.Weekday() == d.Weekday() {
				onVisits = append(onVisits, v)
			}
		}
		if on >= 3 && 2*on >= total {
			items := referenceTop(onVisits, 2)
			if len(items) == 0 {
				items = e.Favorites[:min(2, len(e.Favorites))]
			}
			e.Reasons = append(e.Reasons, Reason{Code: ReasonUsualWeekday, Weekday: d.Weekday(), Items: items})
		}
		// The lapse point: the shop's, or for 4+ visits with a median gap
		// over 30 days, max(shop's, 2g); due then runs up to it.
		var g float64
		if len(days) >= 4 {
			var gaps []float64
			for i := 1; i < len(days); i++ {
				gaps = append(gaps, float64(days[i].DaysSince(days[i-1])))
			}
			slices.Sort(gaps)
			g = gaps[len(gaps)/2]
			if len(gaps)%2 == 0 {
				g = (gaps[len(gaps)/2-1] + g) / 2
			}
		}
		lapseAt, dueLimit := float64(rules.LapsedDays), 60.0
		if g > 30 {
			lapseAt = max(lapseAt, 2*g)
			dueLimit = lapseAt
		}
		lapsed := len(days) > 0 && float64(since) >= lapseAt
		if !lapsed && len(days) >= 4 && float64(since) < dueLimit {
			if g <= float64(since) && float64(since) < 3*g {
				e.Reasons = append(e.Reasons, Reason{Code: ReasonDue, Gap: g, DaysSince: since})
			}
		}
		if !lapsed && len(days) == 1 && since >= 1 && since <= 7 {
			e.Reasons = append(e.Reasons, Reason{Code: ReasonFirstVisit, DaysSince: since})
		}
		if bday != nil && bday.InDays > 0 {
			e.Reasons = append(e.Reasons, *bday)
		}
		if lapsed {
			shown := h.LapsedShown
			if shown.IsZero() || !e.LastVisit.Before(shown) || d.DaysSince(shown) >= rules.SuppressLapsedDays {
				e.Reasons = append(e.Reasons, Reason{Code: ReasonLapsed, DaysSince: since})
			}
		}
		if len(e.Reasons) > 0 {
			out[h.Customer.ID] = e
		}
	}
	return out
}

// referenceTop ranks items by distinct days bought, then times named, then
// lower-cased name; the spelling shown is the latest day's, the least
// within that day.
func referenceTop(visits []VisitDay, n int) []string {
	type count struct {
		key, name string
		nameDay   Date
		days      map[Date]bool
		mentions  int
	}
	counts := map[string]*count{}
	for _, v := range visits {
		for _, name := range v.Items {
			if name == "" {
				continue
			}
			k := strings.ToLower(name)
			c := counts[k]
			if c == nil {
				c = &count{key: k, name: name, nameDay: v.Date, days: map[Date]bool{}}
				counts[k] = c
			}
			if v.Date.After(c.nameDay) || v.Date == c.nameDay && name < c.name {
				c.name, c.nameDay = name, v.Date
			}
			c.days[v.Date] = true
			c.mentions++
		}
	}
	var all []*count
	for _, c := range counts {
		all = append(all, c)
	}
	slices.SortFunc(all, func(a, b *count) int {
		if len(a.days) != len(b.days) {
			return len(b.days) - len(a.days)
		}
		if a.mentions != b.mentions {
			return b.mentions - a.mentions
		}
		return strings.Compare(a.key, b.key)
	})
	var out []string
	for _, c := range all[:min(n, len(all))] {
		out = append(out, c.name)
	}
	return out
}

func TestDigestMatchesReference(t *testing.T) {
	items := []string{"croissant", "Croissant", "latte", "Latte", "bagel", "scone", "tea", "cake", ""}
	seen := map[ReasonCode]int{}
	for seed := range uint64(40) {
		rnd := rand.New(rand.NewPCG(seed, 99))
		d := NewDate(2026, time.Month(1+rnd.IntN(12)), 1+rnd.IntN(28))
		rules := DigestRules{LapsedDays: []int{0, 20, 45, 60, 90}[rnd.IntN(5)], SuppressLapsedDays: rnd.IntN(40), GreetedDays: rnd.IntN(10)}
		var hist []History
		for id := range int64(300) {
			c := customer(id+1, fmt.Sprintf("c%02d", rnd.IntN(50)))
			if rnd.IntN(4) == 0 {
				c.Birthday = MonthDay{time.Month(1 + rnd.IntN(12)), 1 + rnd.IntN(29)}
			}
			h := History{Customer: c}
			n := rnd.IntN(12)
			pace, jitter := 1+rnd.IntN(30), 3
			if rnd.IntN(6) == 0 { // a long rhythm: the lapse point moves
				pace = 31 + rnd.IntN(70)
			}
			if rnd.IntN(3) == 0 { // weekly, now and then a visit on another day
				pace, jitter = 7, 0
			}
			o := rnd.IntN(90) - 3
			for range n {
				v := VisitDay{Date: d.AddDays(-o)}
				for range rnd.IntN(4) {
					v.Items = append(v.Items, items[rnd.IntN(len(items))])
				}
				h.Visits = append(h.Visits, v)
				if rnd.IntN(5) > 0 {
					o += max(0, pace+rnd.IntN(2*jitter+1)-jitter)
				} else {
					o += rnd.IntN(3)
				}
			}
			switch rnd.IntN(3) {
			case 0:
				slices.Reverse(h.Visits)
			case 1:
				rnd.Shuffle(len(h.Visits), func(i, j int) { h.Visits[i], h.Visits[j] = h.Visits[j], h.Visits[i] })
			}
			if rnd.IntN(4) == 0 {
				h.LapsedShown = d.AddDays(-rnd.IntN(120))
			}
			if rnd.IntN(8) == 0 {
				h.Greeted = d.AddDays(-rnd.IntN(12))
			}
			hist = append(hist, h)
		}
		got := Digest(d, hist, rules)
		want := referenceDigest(d, hist, rules)
		if len(got) != len(want) {
			t.Fatalf("seed %d: %d entries, want %d", seed, len(got), len(want))
		}
		for i, e := range got {
			for _, r := range e.Reasons {
				seen[r.Code]++
			}
			w, ok := want[e.Customer.ID]
			if !ok {
				t.Fatalf("seed %d: unexpected entry %+v", seed, e)
			}
			if !reflect.DeepEqual(e, w) {
				t.Fatalf("seed %d, customer %d on %v:\n got %+v\nwant %+v\nvisits %+v", seed, e.Customer.ID, d, e, w, hist[e.Customer.ID-1].Visits)
			}
			if i > 0 {
				a, b := got[i-1], e
				ca, cb := reasonClass(a.Reasons[0]), reasonClass(b.Reasons[0])
				sa, sb := 0, 0
				if ca == 3 && cb == 3 {
					sa, sb = a.Reasons[0].InDays, b.Reasons[0].InDays
				}
				if ca > cb || ca == cb && (sa > sb || sa == sb && (a.VisitCount < b.VisitCount ||
					a.VisitCount == b.VisitCount && (a.Customer.Name > b.Customer.Name ||
						a.Customer.Name == b.Customer.Name && a.Customer.ID > b.Customer.ID))) {
					t.Fatalf("seed %d: %+v ranked before %+v", seed, a, b)
				}
			}
		}
	}
	for _, c := range []ReasonCode{ReasonUsualWeekday, ReasonDue, ReasonLapsed, ReasonBirthday, ReasonFirstVisit} {
		if seen[c] < 20 {
			t.Errorf("random shops gave %s only %d times: %v", c, seen[c], seen)
		}
	}
	t.Logf("reasons checked: %v", seen)
}
