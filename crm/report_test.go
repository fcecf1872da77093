package crm

import (
	"slices"
	"testing"
	"time"
)

// TestWeekReportFromAGeneratedLedger builds a ledger whose exposures and
// visits are known one by one, and checks every figure exactly.
func TestWeekReportFromAGeneratedLedger(t *testing.T) {
	week := Week{2026, 47} // Mon 16 … Sun 22 November
	mon := week.Monday()
	in := ReportInput{Week: week, LapsedDays: 60, FollowupDays: 7}
	type want struct{ exposed, exposedFollowed, held, heldFollowed int }
	wants := map[string]*want{"due": {}, "lapsed": {}, SourceHello: {}}
	var daily, prevDaily [7]int
	visits, prevVisits, customers, prevCustomers, newOnes, cameBack := 0, 0, 0, 0, 0, 0
	for i := 1; i <= 300; i++ {
		cv := CustomerVisits{ID: int64(i), Name: "C"}
		add := func(d Date) {
			if n := len(cv.Days); n > 0 && !cv.Days[n-1].Before(d) {
				return
			}
			cv.Days = append(cv.Days, d)
			cv.Amounts = append(cv.Amounts, 0)
		}
		kind := []string{"due", "lapsed", SourceHello}[i%3]
		track := TrackDigest
		if kind == SourceHello {
			track = TrackMessage
		}
		// One exposure in 1 … 19 November; those after the 15th are not
		// counted yet (their window has not closed by Sunday).
		ex := Exposure{ID: int64(i), CustomerID: int64(i), Day: NewDate(2026, time.November, 1+i%19), Track: track,
			Kind: kind, HeldOut: i%4 == 0}
		// A visit i%10 days after it (never for i%7 == 0), and history.
		first := NewDate(2026, time.January, 1+i%50)
		if i%11 == 0 {
			first = NewDate(2026, time.August, 1) // lapsed by the exposure
		}
		add(first)
		followed := false
		if i%7 != 0 {
			add(ex.Day.AddDays(i % 10))
			followed = i%10 <= 7
		}
		if i%13 == 0 { // a newcomer this week, no exposure
			cv.Days, cv.Amounts = nil, nil
			add(mon.AddDays(i % 7))
		} else if !ex.Day.After(in.Week.Sunday().AddDays(-7)) {
			w := wants[kind]
			if ex.HeldOut {
				w.held++
				if followed {
					w.heldFollowed++
				}
			} else {
				w.exposed++
				if followed {
					w.exposedFollowed++
				}
			}
		}
		if i%13 != 0 {
			in.Exposures = append(in.Exposures, ex)
		}
		// The figures of the weeks, from the visit days.
		inWeek, inPrev := false, false
		for k, d := range cv.Days {
			switch {
			case week.Contains(d):
				daily[d.DaysSince(mon)]++
				visits++
				if !inWeek {
					inWeek = true
					if k == 0 {
						newOnes++
					} else if d.DaysSince(cv.Days[k-1]) >= 60 {
						cameBack++
					}
				}
			case week.Prev().Contains(d):
				prevDaily[d.DaysSince(mon.AddDays(-7))]++
				prevVisits++
				inPrev = true
			}
		}
		if inWeek {
			customers++
		}
		if inPrev {
			prevCustomers++
		}
		in.Customers = append(in.Customers, cv)
	}
	// An erased customer's exposures, settled: they count as they were.
	in.Exposures = append(in.Exposures,
		Exposure{ID: 1001, Day: NewDate(2026, time.November, 2), Track: TrackDigest, Kind: "due", Settled: true, Followed: true},
		Exposure{ID: 1002, Day: NewDate(2026, time.November, 3), Track: TrackDigest, Kind: "due", Settled: true, HeldOut: true})
	wants["due"].exposed++
	wants["due"].exposedFollowed++
	wants["due"].held++

	rep := BuildWeekReport(in)
	if rep.FollowupUpTo != NewDate(2026, time.November, 15) {
		t.Errorf("follow-up up to %v", rep.FollowupUpTo)
	}
	if rep.Visits != visits || rep.PrevVisits != prevVisits || rep.Customers != customers || rep.PrevCustomers != prevCustomers ||
		rep.New != newOnes || rep.CameBack != cameBack || rep.Daily != daily || rep.PrevDaily != prevDaily {
		t.Errorf("got visits %d/%d customers %d/%d new %d back %d daily %v/%v\nwant %d/%d %d/%d %d %d %v/%v",
			rep.Visits, rep.PrevVisits, rep.Customers, rep.PrevCustomers, rep.New, rep.CameBack, rep.Daily, rep.PrevDaily,
			visits, prevVisits, customers, prevCustomers, newOnes, cameBack, daily, prevDaily)
	}
	if newOnes == 0 || cameBack == 0 {
		t.Fatalf("the ledger has no newcomers (%d) or returns (%d)", newOnes, cameBack)
	}
	var kinds []string
	for _, c := range rep.Followup {
		kinds = append(kinds, c.Kind)
		w := wants[c.Kind]
		if c.Exposed != w.exposed || c.ExposedFollowed != w.exposedFollowed || c.HeldOut != w.held || c.HeldOutFollowed != w.heldFollowed {
			t.Errorf("%s: got %d/%d vs %d/%d, want %d/%d vs %d/%d", c.Kind, c.ExposedFollowed, c.Exposed, c.HeldOutFollowed, c.HeldOut,
				w.exposedFollowed, w.exposed, w.heldFollowed, w.held)
		}
		if c.Exposed > 0 && c.HeldOut > 0 && !near(c.Uplift, c.ExposedRate()-c.HeldOutRate(), 1e-12) {
			t.Errorf("%s: uplift %v", c.Kind, c.Uplift)
		}
	}
	if !slices.Equal(kinds, []string{"due", "lapsed", SourceHello}) {
		t.Errorf("kinds %v", kinds)
	}
	total := 0
	for _, n := range rep.Groups {
		total += n
	}
	if total != len(in.Customers) {
		t.Errorf("groups hold %d of %d customers: %v", total, len(in.Customers), rep.Groups)
	}
	// Pooling a report with itself doubles every count.
	pool := PoolReports(week, []WeekReport{rep, rep})
	if pool.Visits != 2*rep.Visits || pool.Followup[0].Exposed != 2*rep.Followup[0].Exposed || pool.Groups[GroupNew] != 2*rep.Groups[GroupNew] {
		t.Errorf("pooled %+v", pool)
	}
}

func TestMovesBetweenGroups(t *testing.T) {
	week := Week{2026, 47}
	sun := week.Sunday()
	in := ReportInput{Week: week, LapsedDays: 60}
	// A weekly regular who stopped 15 days ago moves to slipping; a
	// newcomer of 27 days ago (new last Sunday) becomes occasional; a
	// lapsed customer comes back this week.
	in.Customers = []CustomerVisits{
		visitsOn(sun, 15, 22, 29, 36, 43, 50),
		visitsOn(sun, 30),
		visitsOn(sun, 2, 100, 107, 114),
	}
	for i := range in.Customers {
		in.Customers[i].ID = int64(i + 1)
	}
	rep := BuildWeekReport(in)
	got := map[[2]Group]int{}
	for _, m := range rep.Moved {
		got[[2]Group{m.From, m.To}] = m.N
	}
	if got[[2]Group{GroupRegulars, GroupSlipping}] != 1 || got[[2]Group{GroupNew, GroupOccasional}] != 1 ||
		got[[2]Group{GroupLapsed, GroupOccasional}] != 1 || len(rep.Moved) != 3 {
		t.Errorf("moves %+v", rep.Moved)
	}
	if rep.CameBack != 1 || rep.Groups[GroupSlipping] != 1 || len(rep.Slipping) != 1 {
		t.Errorf("came back %d, groups %v, slipping %v", rep.CameBack, rep.Groups, rep.Slipping)
	}
}
