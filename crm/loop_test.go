package crm

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"
)

func near(a, b, eps float64) bool { return math.Abs(a-b) <= eps }

const z95 = 1.959963984540054

// Newcombe (1998), "Interval estimation for the difference between
// independent proportions: comparison of eleven methods", Statistics in
// Medicine 17:873–890, table II, method 10 (score, no continuity
// correction).
func TestNewcombePublishedValues(t *testing.T) {
	for _, tt := range []struct {
		x1, n1, x2, n2 int
		lo, hi         float64
	}{
		{56, 70, 48, 80, 0.0524, 0.3339},
		{9, 10, 3, 10, 0.1705, 0.8090},
		{5, 56, 0, 29, -0.0381, 0.1926},
		{0, 10, 0, 20, -0.1611, 0.2775},
		{0, 10, 0, 10, -0.2775, 0.2775},
		{10, 10, 0, 20, 0.6791, 1.0000},
		{10, 10, 0, 10, 0.6075, 1.0000},
	} {
		_, lo, hi := NewcombeDiff(tt.x1, tt.n1, tt.x2, tt.n2, z95)
		if !near(lo, tt.lo, 0.00005) || !near(hi, tt.hi, 0.00005) {
			t.Errorf("%d/%d − %d/%d: %.4f … %.4f, want %.4f … %.4f", tt.x1, tt.n1, tt.x2, tt.n2, lo, hi, tt.lo, tt.hi)
		}
	}
	// At 90% the interval of the first example is narrower, inside the
	// 95% one, around the same difference.
	d, lo, hi := NewcombeDiff(56, 70, 48, 80, Z90)
	if !near(d, 0.2, 1e-12) || !near(lo, 0.0766, 0.00005) || !near(hi, 0.3136, 0.00005) {
		t.Errorf("90%%: %.4f (%.4f … %.4f)", d, lo, hi)
	}
}

// The Wilson bounds are the roots of |p̂ − π| = z·√(π(1−π)/n): checked at
// 90% for many counts, independently of how Wilson computes them.
func TestWilsonSolvesTheScoreEquation(t *testing.T) {
	for n := 1; n <= 60; n++ {
		for x := 0; x <= n; x++ {
			lo, hi := Wilson(x, n, Z90)
			p := float64(x) / float64(n)
			for _, pi := range []float64{lo, hi} {
				if pi <= 0 || pi >= 1 {
					continue
				}
				if got := math.Abs(p-pi) - Z90*math.Sqrt(pi*(1-pi)/float64(n)); !near(got, 0, 1e-9) {
					t.Fatalf("Wilson(%d, %d): bound %v misses by %g", x, n, pi, got)
				}
			}
			if lo > p || hi < p || lo < 0 || hi > 1 {
				t.Fatalf("Wilson(%d, %d) = %v … %v", x, n, lo, hi)
			}
		}
	}
}

func TestCompareSaysTooEarlyUntilTheIntervalLeavesZero(t *testing.T) {
	for _, tt := range []struct {
		c    Comparison
		want Finding
	}{
		{Comparison{Exposed: 9, ExposedFollowed: 6, HeldOut: 1, HeldOutFollowed: 0}, FindingTooEarly},
		{Comparison{Exposed: 20, ExposedFollowed: 10, HeldOut: 2, HeldOutFollowed: 0}, FindingTooEarly},
		{Comparison{Exposed: 0, HeldOut: 5, HeldOutFollowed: 1}, FindingTooEarly},
		{Comparison{Exposed: 5, ExposedFollowed: 5}, FindingTooEarly},
		{Comparison{Exposed: 900, ExposedFollowed: 450, HeldOut: 100, HeldOutFollowed: 30}, FindingHelps},
		{Comparison{Exposed: 900, ExposedFollowed: 200, HeldOut: 100, HeldOutFollowed: 40}, FindingHurts},
	} {
		got := tt.c.Compare()
		if got.Finding != tt.want {
			t.Errorf("%+v: %s, want %s", got, got.Finding, tt.want)
		}
		if got.Finding == FindingTooEarly && (got.Low > 0 || got.High < 0) {
			t.Errorf("too early with an interval off zero: %+v", got)
		}
	}
	c := Comparison{Exposed: 900, ExposedFollowed: 450, HeldOut: 100, HeldOutFollowed: 30}.Compare()
	n, lo, hi := c.ExtraVisits()
	if n != 180 || lo <= 0 || hi <= n || lo >= n {
		t.Errorf("extra visits %d (%d–%d)", n, lo, hi)
	}
}

func TestHoldoutShareAndStability(t *testing.T) {
	day := NewDate(2026, time.November, 18)
	for _, pct := range []int{10, 25, 50} {
		h := Holdout{Percent: pct, Seed: "0123456789abcdef"}
		held := 0
		const draws = 10_000
		for i := range draws {
			// Different customers, kinds and weeks.
			d := h.Decide(int64(1000+i), []string{"due", "lapsed", "rule:x"}[i%3], day.AddDays(7*(i%5)))
			if d.HeldOut {
				held++
			}
			if d.Draw < 0 || d.Draw >= 1 || d.HeldOut != (d.Draw < float64(pct)/100) {
				t.Fatalf("draw %+v", d)
			}
		}
		share := 100 * float64(held) / draws
		if math.Abs(share-float64(pct)) > 1.5 {
			t.Errorf("%d%%: held out %.2f%%", pct, share)
		}
	}
	h := Holdout{Percent: 10, Seed: "seed"}
	// The same week draws the same, every day of it; another week, kind,
	// customer or seed draws anew.
	a := h.Draw(7, "due", NewDate(2026, time.November, 16)) // Monday of W47
	for d := range 7 {
		if b := h.Draw(7, "due", NewDate(2026, time.November, 16+d)); b != a {
			t.Fatalf("day %d of the week draws %v, not %v", d, b, a)
		}
	}
	for _, b := range []float64{h.Draw(7, "due", NewDate(2026, time.November, 23)), h.Draw(7, "lapsed", NewDate(2026, time.November, 16)),
		h.Draw(8, "due", NewDate(2026, time.November, 16)), Holdout{Percent: 10, Seed: "other"}.Draw(7, "due", NewDate(2026, time.November, 16))} {
		if b == a {
			t.Errorf("a different draw came out the same: %v", b)
		}
	}
	if (Holdout{Percent: 0, Seed: "s"}).Decide(1, "due", day).HeldOut {
		t.Error("0% held something out")
	}
	over := Holdout{Percent: 90, Seed: "s"}
	n := 0
	for i := range 1000 {
		if over.Decide(int64(i), "due", day).HeldOut {
			n++
		}
	}
	if n > 560 {
		t.Errorf("holdout over the maximum held out %d of 1000", n)
	}
}

func TestParseHoldoutAndFollowup(t *testing.T) {
	for in, want := range map[string]int{"": 10, "0": 0, "15%": 15, " 50 ": 50} {
		if got, err := ParseHoldout(in); err != nil || got != want {
			t.Errorf("ParseHoldout(%q) = %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"51", "-1", "ten", "5.5"} {
		if _, err := ParseHoldout(in); err == nil {
			t.Errorf("ParseHoldout(%q) accepted", in)
		}
	}
	for _, in := range []string{"0", "61", "x"} {
		if _, err := ParseFollowupDays(in); err == nil {
			t.Errorf("ParseFollowupDays(%q) accepted", in)
		}
	}
	if n, err := ParseFollowupDays(""); err != nil || n != 7 {
		t.Errorf("default follow-up %d, %v", n, err)
	}
}

func exp(id int64, track ExposureTrack, day Date) Exposure {
	return Exposure{ID: id, CustomerID: 1, Track: track, Kind: "due", Day: day}
}

func TestFollowUpsAtTheBoundaries(t *testing.T) {
	d0 := NewDate(2026, time.November, 2)
	day := func(n int) Date { return d0.AddDays(n) }
	for _, tt := range []struct {
		name   string
		exps   []Exposure
		visits []Date
		days   int
		want   []bool
	}{
		{"visit on the exposure day", []Exposure{exp(1, TrackDigest, day(0))}, []Date{day(0)}, 7, []bool{true}},
		{"visit on day N", []Exposure{exp(1, TrackDigest, day(0))}, []Date{day(7)}, 7, []bool{true}},
		{"visit on day N+1", []Exposure{exp(1, TrackDigest, day(0))}, []Date{day(8)}, 7, []bool{false}},
		{"visit before the exposure", []Exposure{exp(1, TrackDigest, day(5))}, []Date{day(4)}, 7, []bool{false}},
		{"two exposures before one visit: the latest", []Exposure{exp(1, TrackDigest, day(0)), exp(2, TrackDigest, day(3))},
			[]Date{day(5)}, 7, []bool{false, true}},
		{"two exposures, a visit after each", []Exposure{exp(1, TrackDigest, day(0)), exp(2, TrackDigest, day(3))},
			[]Date{day(2), day(5)}, 7, []bool{true, true}},
		{"the latest is too far back: no earlier one takes it", []Exposure{exp(1, TrackDigest, day(0)), exp(2, TrackDigest, day(1))},
			[]Date{day(9)}, 7, []bool{false, false}},
		{"same day: the later id", []Exposure{exp(2, TrackMessage, day(1)), exp(1, TrackMessage, day(1))},
			[]Date{day(1)}, 7, []bool{true, false}},
		{"one visit counts once per track", []Exposure{exp(1, TrackDigest, day(0)), exp(2, TrackMessage, day(0)), exp(3, TrackGreeted, day(1))},
			[]Date{day(2)}, 7, []bool{true, true, true}},
		{"several visits, one exposure: counted once", []Exposure{exp(1, TrackDigest, day(0))},
			[]Date{day(1), day(2), day(2), day(3)}, 7, []bool{true}},
		{"a one-day window", []Exposure{exp(1, TrackDigest, day(0)), exp(2, TrackDigest, day(10))},
			[]Date{day(1), day(12)}, 1, []bool{true, false}},
		{"no visits", []Exposure{exp(1, TrackDigest, day(0))}, nil, 7, []bool{false}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := FollowUps(tt.exps, tt.visits, tt.days); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func entry(id int64, codes ...ReasonCode) DigestEntry {
	e := DigestEntry{Customer: Customer{ID: id, ShopID: 1, Name: fmt.Sprintf("C%d", id)}, LastVisit: NewDate(2026, time.August, 1)}
	for _, c := range codes {
		e.Reasons = append(e.Reasons, Reason{Code: c})
	}
	return e
}

func TestApplyHoldoutNeverShowsAHeldOutEntry(t *testing.T) {
	day := NewDate(2026, time.November, 18)
	h := Holdout{Percent: 30, Seed: "s"}
	var entries []DigestEntry
	for i := range 200 {
		entries = append(entries, entry(int64(i+1), []ReasonCode{ReasonDue, ReasonUsualWeekday, ReasonBirthday}[i%3]))
	}
	for _, limit := range []int{0, 7, 50} {
		shown, exps := ApplyHoldout(day, entries, limit, h, PastDecisions{}, 0)
		held := map[int64]bool{}
		for _, e := range exps {
			if e.HeldOut {
				held[e.CustomerID] = true
			}
			if e.Day != day || e.Track != TrackDigest || e.Kind != e.Codes {
				t.Fatalf("exposure %+v", e)
			}
		}
		if len(held) == 0 {
			t.Fatalf("limit %d: nothing held out", limit)
		}
		for _, s := range shown {
			if h.Decide(s.Customer.ID, string(s.Reasons[0].Code), day).HeldOut {
				t.Fatalf("limit %d: held-out customer %d shown", limit, s.Customer.ID)
			}
		}
		// Exposures: every shown entry within the limit, and every held-out
		// one before it was reached.
		cut := len(shown)
		if limit > 0 {
			cut = min(cut, limit)
		}
		nShown := 0
		for _, e := range exps {
			if !e.HeldOut {
				if e.CustomerID != shown[nShown].Customer.ID {
					t.Fatalf("exposure order")
				}
				nShown++
			}
		}
		if nShown != cut {
			t.Errorf("limit %d: %d shown exposures, want %d", limit, nShown, cut)
		}
		if len(shown)+len(held) < len(entries) && limit == 0 {
			t.Errorf("entries lost")
		}
	}
}

func TestLapsedAreHeldOutAtMostOnceInARow(t *testing.T) {
	h := Holdout{Percent: 50, Seed: "s"}
	day := NewDate(2026, time.November, 18)
	// Find a customer the draw holds out as lapsed this week.
	var id int64
	for id = 1; !h.Decide(id, "lapsed", day).HeldOut; id++ {
	}
	e := entry(id, ReasonLapsed)
	shown, exps := ApplyHoldout(day, []DigestEntry{e}, 7, h, PastDecisions{}, 0)
	if len(shown) != 0 || len(exps) != 1 || !exps[0].HeldOut {
		t.Fatalf("first draw: shown %d, exposures %+v", len(shown), exps)
	}
	past := PastDecisions{Lapsed: map[int64]LapsedDecision{id: {Day: day, HeldOut: true}}}
	// The days after, they rest as a shown lapsed customer does: neither
	// shown nor drawn again.
	for _, d := range []int{1, 6, 29} {
		shown, exps := ApplyHoldout(day.AddDays(d), []DigestEntry{e}, 7, h, past, 30)
		if len(shown) != 0 || len(exps) != 0 {
			t.Fatalf("day +%d: shown %d, exposures %+v", d, len(shown), exps)
		}
	}
	// With another reason, only the lapsed reason rests.
	both := entry(id, ReasonBirthday, ReasonLapsed)
	shown, _ = ApplyHoldout(day.AddDays(3), []DigestEntry{both}, 7, Holdout{Seed: "s"}, past, 30)
	if len(shown) != 1 || len(shown[0].Reasons) != 1 || shown[0].Reasons[0].Code != ReasonBirthday {
		t.Fatalf("birthday entry %+v", shown)
	}
	// An entry is one exposure a week: shown again the next day, it is
	// not recorded again; next week it is.
	due := entry(id+1, ReasonDue)
	open := Holdout{Seed: "s"}
	_, first := ApplyHoldout(day, []DigestEntry{due}, 7, open, PastDecisions{}, 30)
	again := PastDecisions{ThisWeek: map[DigestUnit]bool{{id + 1, "due"}: true}}
	shown, second := ApplyHoldout(day.AddDays(1), []DigestEntry{due}, 7, open, again, 30)
	if len(first) != 1 || len(second) != 0 || len(shown) != 1 {
		t.Fatalf("the same week: %+v then %+v (shown %d)", first, second, len(shown))
	}
	// After the rest, a week whose draw holds them out again: shown.
	for w := 30; w < 400; w += 7 {
		next := day.AddDays(w)
		if !h.Decide(id, "lapsed", next).HeldOut {
			continue
		}
		shown, exps := ApplyHoldout(next, []DigestEntry{e}, 7, h, past, 30)
		if len(shown) != 1 || len(exps) != 1 || exps[0].HeldOut {
			t.Fatalf("second lapsed entry held out again: shown %d, %+v", len(shown), exps)
		}
		// A visit since the held-out day ends the rest at once.
		v := e
		v.LastVisit = day
		if shown, _ := ApplyHoldout(day.AddDays(2), []DigestEntry{v}, 7, Holdout{Seed: "s"}, past, 30); len(shown) != 1 {
			t.Fatal("a visit on the held-out day did not end the rest")
		}
		return
	}
	t.Fatal("no held-out week found")
}

func TestParseWeek(t *testing.T) {
	for in, want := range map[string]string{"2026-W47": "2026-11-16", "2026w47": "2026-11-16", "2020-W53": "2020-12-28", "2026-W53": "2026-12-28",
		"2026-W01": "2025-12-29", "2027-W1": "2027-01-04"} {
		w, err := ParseWeek(in)
		if err != nil || w.Monday().String() != want {
			t.Errorf("ParseWeek(%q) = %v (%v), %v", in, w, w.Monday(), err)
		}
		if WeekOf(w.Monday()) != w || WeekOf(w.Sunday()) != w || WeekOf(w.Sunday().AddDays(1)) == w {
			t.Errorf("%v: Monday/Sunday disagree", w)
		}
	}
	for _, in := range []string{"", "2026", "2026-W00", "2026-W54", "2025-W53", "26-W10", "2026-Wx"} {
		if _, err := ParseWeek(in); err == nil {
			t.Errorf("ParseWeek(%q) accepted", in)
		}
	}
	if w := (Week{2026, 1}).Prev(); w != (Week{2025, 52}) {
		t.Errorf("prev of 2026-W01 = %v", w)
	}
}

func visitsOn(d Date, offsets ...int) CustomerVisits {
	cv := CustomerVisits{ID: 1, Name: "A"}
	slices.Sort(offsets)
	for _, o := range slices.Backward(offsets) {
		cv.Days = append(cv.Days, d.AddDays(-o))
		cv.Amounts = append(cv.Amounts, 0)
	}
	return cv
}

func TestGroupsAtTheirBoundaries(t *testing.T) {
	d := NewDate(2026, time.November, 22)
	rules := GroupRules{LapsedDays: 60}
	for _, tt := range []struct {
		name    string
		offsets []int
		rules   GroupRules
		want    Group
	}{
		{"no visit", nil, rules, ""},
		{"only a visit after d", []int{-1}, rules, ""},
		{"lapsed at exactly 60 days", []int{60, 70, 80, 90, 100}, rules, GroupLapsed},
		{"59 days: not lapsed", []int{59, 200}, rules, GroupOccasional},
		{"lapsed beats new", []int{60}, GroupRules{LapsedDays: 20}, GroupLapsed},
		{"new: first visit 27 days ago", []int{27}, rules, GroupNew},
		{"first visit 28 days ago: not new", []int{28}, rules, GroupOccasional},
		{"new beats slipping", []int{20, 24, 26}, rules, GroupNew},
		{"slipping: r > 2g", []int{15, 22, 29, 36, 43}, rules, GroupSlipping},
		{"r = 2g: not yet slipping", []int{14, 21, 28, 35, 42}, rules, GroupRegulars},
		{"r > 2g but under a week", []int{6, 8, 10, 12, 100}, rules, GroupRegulars},
		{"r of a week, 2g = 4", []int{7, 9, 11, 13, 100}, rules, GroupSlipping},
		{"two visits: no rhythm yet", []int{40, 41}, rules, GroupOccasional},
		{"regular: 4 visit days in 90", []int{1, 30, 60, 89}, rules, GroupRegulars},
		{"the 90-day window ends at d−89", []int{1, 30, 60, 90}, rules, GroupOccasional},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := GroupOf(d, visitsOn(d, tt.offsets...), tt.rules); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	// Amount: two visits make a regular at or above the top-spend line.
	cv := visitsOn(d, 10, 50)
	cv.Amounts = []int64{30000, 20000}
	if g := GroupOf(d, cv, GroupRules{LapsedDays: 60, SpendTop: 50000}); g != GroupRegulars {
		t.Errorf("top spender: %q", g)
	}
	if g := GroupOf(d, cv, GroupRules{LapsedDays: 60, SpendTop: 50001}); g != GroupOccasional {
		t.Errorf("below the line: %q", g)
	}
	spends := []int64{0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000}
	if got := SpendThreshold(spends[:10]); got != 0 {
		t.Errorf("9 customers with amounts: %d", got)
	}
	if got := SpendThreshold(spends); got != 900 {
		t.Errorf("threshold %d", got)
	}
}
