package crm

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Week is an ISO 8601 week: Monday to Sunday, week 1 holding the year's
// first Thursday.
type Week struct {
	Year int
	Week int
}

// WeekOf returns the ISO week day falls in.
func WeekOf(d Date) Week {
	y, w := d.utc().ISOWeek()
	return Week{y, w}
}

// ParseWeek reads "2026-W47" (also "2026W47", any case).
func ParseWeek(s string) (Week, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	y, w, ok := strings.Cut(t, "W")
	y = strings.TrimSuffix(y, "-")
	if !ok || len(y) != 4 || len(w) < 1 || len(w) > 2 {
		return Week{}, fmt.Errorf("week %q: want YYYY-Www: %w", s, ErrInvalidInput)
	}
	yy, err1 := strconv.Atoi(y)
	ww, err2 := strconv.Atoi(w)
	if err1 != nil || err2 != nil || yy < 1 || ww < 1 || ww > weeksIn(yy) {
		return Week{}, fmt.Errorf("week %q: no such week: %w", s, ErrInvalidInput)
	}
	return Week{yy, ww}, nil
}

// weeksIn returns how many ISO weeks year y has (52 or 53): the week of
// 28 December.
func weeksIn(y int) int {
	_, w := time.Date(y, time.December, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
	return w
}

// Monday returns the first day of w.
func (w Week) Monday() Date {
	jan4 := Date{w.Year, time.January, 4}
	back := (int(jan4.Weekday()) + 6) % 7 // days since Monday
	return jan4.AddDays(-back + 7*(w.Week-1))
}

// Sunday returns the last day of w.
func (w Week) Sunday() Date { return w.Monday().AddDays(6) }

// Prev returns the week before w.
func (w Week) Prev() Week { return WeekOf(w.Monday().AddDays(-7)) }

// String writes w as "2026-W47".
func (w Week) String() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Week) }

// Contains reports whether d falls in w.
func (w Week) Contains(d Date) bool { return WeekOf(d) == w }

// Group is a people group of the weekly report, RFM-style from recency,
// frequency and amount.
type Group string

// Groups. Every customer with a visit is in exactly one.
const (
	GroupRegulars   Group = "regulars"   // 단골
	GroupNew        Group = "new"        // 새 손님
	GroupSlipping   Group = "slipping"   // 뜸해진 손님: past their own rhythm
	GroupLapsed     Group = "lapsed"     // 오래 안 온 손님
	GroupOccasional Group = "occasional" // 가끔 오는 손님: none of the above
)

// groupOrder is the order reports show the groups in.
var groupOrder = []Group{GroupRegulars, GroupNew, GroupSlipping, GroupLapsed, GroupOccasional}

// ReportAmountDays is how many days of amounts before a week's Sunday the
// weekly report looks at: the 90-day window of that Sunday and of the one
// before.
const ReportAmountDays = 7 + groupWindowDays

// Group rule constants; see GroupOf.
const (
	groupNewDays         = 28 // first visit within the last 28 days
	groupWindowDays      = 90 // frequency and amount window
	groupRegularVisits   = 4  // visit days in the window that make a regular
	groupSpendVisits     = 2  // … or this many with a top spend
	groupSlipMinVisits   = 3  // visit days before a rhythm is trusted
	groupSlipMinDays     = 7  // never slipping before a week's absence
	groupRhythmGaps      = 10 // the rhythm is the median of the latest gaps
	groupSpendPercentile = 90 // top spend: at or above this percentile …
	groupSpendMinPeople  = 10 // … of at least this many customers with amounts
)

// GroupRules are what a customer's group depends on besides their visits.
type GroupRules struct {
	LapsedDays int // days without a visit that make a customer lapsed; 0: DefaultLapsedDays
	// SpendTop is the spend over 90 days at or above which a customer
	// with 2 visit days in those 90 days is a regular; 0 when amounts are
	// not used (see SpendThreshold).
	SpendTop int64
}

// CustomerVisits is one customer's visits as the report needs them:
// distinct visit days, oldest first, with the amount spent on each.
type CustomerVisits struct {
	ID      int64
	Name    string
	Days    []Date
	Amounts []int64 // by day; 0 when unknown
}

// GroupOf returns the group of a customer as of day d (visits on d
// count), "" when they had no visit by then. With r the days since the
// last visit, f the visit days and m the amount in d−89 … d, and g the
// median of the gaps between their latest (up to 11) visit days, the first
// rule that holds decides:
//
//  1. lapsed: r ≥ LapsedDays;
//  2. new: the first visit was in d−27 … d;
//  3. slipping: at least 3 visit days, r ≥ 7 and r > 2g;
//  4. regulars: f ≥ 4, or f ≥ 2 and m ≥ SpendTop (when SpendTop > 0);
//  5. occasional.
func GroupOf(d Date, cv CustomerVisits, rules GroupRules) Group {
	days := make([]int, len(cv.Days))
	for i, v := range cv.Days {
		days[i] = dayNumber(v)
	}
	var g grouper
	return g.group(dayNumber(d), days, cv.Amounts, rules)
}

// grouper holds scratch space for grouping many customers.
type grouper struct{ gaps []int }

// group is GroupOf on day numbers.
func (g *grouper) group(today int, days []int, amounts []int64, rules GroupRules) Group {
	lapsedDays := rules.LapsedDays
	if lapsedDays <= 0 {
		lapsedDays = DefaultLapsedDays
	}
	n, _ := slices.BinarySearch(days, today+1) // visit days on or before today
	if n == 0 {
		return ""
	}
	r := today - days[n-1]
	switch {
	case r >= lapsedDays:
		return GroupLapsed
	case days[0] > today-groupNewDays:
		return GroupNew
	}
	if n >= groupSlipMinVisits && r >= groupSlipMinDays {
		gaps := g.gaps[:0]
		for k := n - 1; k > 0 && len(gaps) < groupRhythmGaps; k-- {
			gaps = append(gaps, days[k]-days[k-1])
		}
		g.gaps = gaps
		slices.Sort(gaps)
		m := len(gaps)
		twiceMedian := 2 * gaps[m/2]
		if m%2 == 0 {
			twiceMedian = gaps[m/2-1] + gaps[m/2]
		}
		if r > twiceMedian { // r > 2g
			return GroupSlipping
		}
	}
	f, spend := window(today, days[:n], amounts)
	if f >= groupRegularVisits || f >= groupSpendVisits && rules.SpendTop > 0 && spend >= rules.SpendTop {
		return GroupRegulars
	}
	return GroupOccasional
}

// window returns the visit days and the amount spent in today−89 … today,
// of days on or before today.
func window(today int, days []int, amounts []int64) (int, int64) {
	f, spend := 0, int64(0)
	for k := len(days) - 1; k >= 0 && days[k] > today-groupWindowDays; k-- {
		f++
		if k < len(amounts) {
			spend += amounts[k]
		}
	}
	return f, spend
}

// SpendThreshold returns the top-spend line of GroupRules from the 90-day
// spends of a shop's customers: the 90th percentile of those above 0, or
// 0 when fewer than 10 customers have amounts recorded.
func SpendThreshold(spends []int64) int64 {
	var pos []int64
	for _, s := range spends {
		if s > 0 {
			pos = append(pos, s)
		}
	}
	if len(pos) < groupSpendMinPeople {
		return 0
	}
	slices.Sort(pos)
	// Nearest rank.
	k := (groupSpendPercentile*len(pos) + 99) / 100
	return pos[max(k-1, 0)]
}

// Move is how many customers moved from one group to another in a week.
type Move struct {
	From, To Group
	N        int
}

// ReportInput is what the weekly report of one shop is computed from.
type ReportInput struct {
	Week         Week
	LapsedDays   int
	FollowupDays int
	// Customers holds every customer with a visit on or before the
	// week's Sunday, with those visits.
	Customers []CustomerVisits
	// Exposures holds the shop's exposures on or before the week's
	// Sunday, settled ones included.
	Exposures []Exposure
	TopItems  []ItemQty
}

// WeekReport is the weekly report of a shop (or of several, pooled).
type WeekReport struct {
	Week                     Week
	Visits, PrevVisits       int // visits (distinct customer-days) this week and the week before
	Customers, PrevCustomers int // distinct customers
	New                      int // customers whose first visit was this week
	CameBack                 int // lapsed customers who came back this week
	Groups                   map[Group]int
	Moved                    []Move   // between the week before's Sunday and this Sunday, most first
	Slipping                 []string // up to 3 slipping customers, who came most first
	Daily, PrevDaily         [7]int   // visits per day, Monday first
	// FollowupUpTo is the last exposure day counted: the week's Sunday
	// less the follow-up window, so every window counted has closed.
	FollowupUpTo Date
	Followup     []Comparison // by kind, in report order
	TopItems     []ItemQty
}

// BuildWeekReport computes the weekly report of week in.Week.
//
// Visits are distinct customer-days. Groups are as of the week's Sunday
// (GroupOf), moves between the Sunday before and this one, among
// customers who had visited by the Sunday before. A lapsed customer came
// back when their first visit of the week came LapsedDays or more after
// their visit before.
//
// Follow-up counts are cumulative: every exposure up to FollowupUpTo,
// whose follow-up window closed by the week's end, with visits attributed
// by FollowUps (or as settled when the customer was erased).
func BuildWeekReport(in ReportInput) WeekReport {
	lapsedDays := in.LapsedDays
	if lapsedDays <= 0 {
		lapsedDays = DefaultLapsedDays
	}
	fdays := in.FollowupDays
	if fdays <= 0 {
		fdays = DefaultFollowupDays
	}
	mon, sun := dayNumber(in.Week.Monday()), dayNumber(in.Week.Sunday())
	prevMon, prevSun := mon-7, mon-1
	rep := WeekReport{Week: in.Week, Groups: map[Group]int{}, TopItems: in.TopItems,
		FollowupUpTo: in.Week.Sunday().AddDays(-fdays)}
	if rep.TopItems == nil {
		rep.TopItems = []ItemQty{}
	}

	// Day numbers per customer, and the spends that set the top-spend line
	// on each Sunday.
	days := make([][]int, len(in.Customers))
	spendNow := make([]int64, 0, len(in.Customers))
	spendPrev := make([]int64, 0, len(in.Customers))
	for i, cv := range in.Customers {
		ds := make([]int, len(cv.Days))
		for j, d := range cv.Days {
			ds[j] = dayNumber(d)
		}
		days[i] = ds
		n, _ := slices.BinarySearch(ds, sun+1)
		_, s := window(sun, ds[:n], cv.Amounts)
		spendNow = append(spendNow, s)
		p, _ := slices.BinarySearch(ds, prevSun+1)
		_, s = window(prevSun, ds[:p], cv.Amounts)
		spendPrev = append(spendPrev, s)
	}
	rulesNow := GroupRules{LapsedDays: lapsedDays, SpendTop: SpendThreshold(spendNow)}
	rulesPrev := GroupRules{LapsedDays: lapsedDays, SpendTop: SpendThreshold(spendPrev)}

	type slip struct {
		name   string
		visits int
	}
	var slipping []slip
	moves := map[[2]Group]int{}
	var g grouper
	for i, cv := range in.Customers {
		ds := days[i]
		if len(ds) == 0 {
			continue
		}
		// This week and the week before.
		first := -1
		for k, d := range ds {
			switch {
			case d >= mon && d <= sun:
				rep.Daily[d-mon]++
				if first < 0 {
					first = k
				}
			case d >= prevMon && d <= prevSun:
				rep.PrevDaily[d-prevMon]++
			}
		}
		if first >= 0 {
			rep.Customers++
			if first == 0 {
				rep.New++
			} else if ds[first]-ds[first-1] >= lapsedDays {
				rep.CameBack++
			}
		}
		if k, _ := slices.BinarySearch(ds, prevMon); k < len(ds) && ds[k] <= prevSun {
			rep.PrevCustomers++
		}
		now := g.group(sun, ds, cv.Amounts, rulesNow)
		if now == "" {
			continue
		}
		rep.Groups[now]++
		if now == GroupSlipping {
			slipping = append(slipping, slip{cv.Name, len(ds)})
		}
		if before := g.group(prevSun, ds, cv.Amounts, rulesPrev); before != "" && before != now {
			moves[[2]Group{before, now}]++
		}
	}
	for _, n := range rep.Daily {
		rep.Visits += n
	}
	for _, n := range rep.PrevDaily {
		rep.PrevVisits += n
	}
	slices.SortFunc(slipping, func(a, b slip) int {
		if c := cmp.Compare(b.visits, a.visits); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	for _, s := range slipping[:min(3, len(slipping))] {
		rep.Slipping = append(rep.Slipping, s.name)
	}
	rep.Moved = sortMoves(moves)
	rep.Followup = followupCounts(in, days, fdays, dayNumber(rep.FollowupUpTo))
	return rep
}

func sortMoves(moves map[[2]Group]int) []Move {
	out := []Move{}
	for k, n := range moves {
		out = append(out, Move{From: k[0], To: k[1], N: n})
	}
	slices.SortFunc(out, func(a, b Move) int {
		if c := cmp.Compare(b.N, a.N); c != 0 {
			return c
		}
		if c := cmp.Compare(slices.Index(groupOrder, a.From), slices.Index(groupOrder, b.From)); c != 0 {
			return c
		}
		return cmp.Compare(slices.Index(groupOrder, a.To), slices.Index(groupOrder, b.To))
	})
	return out
}

// followupCounts counts exposures up to upTo by kind and group.
func followupCounts(in ReportInput, days [][]int, fdays, upTo int) []Comparison {
	at := make(map[int64]int, len(in.Customers))
	for i, cv := range in.Customers {
		at[cv.ID] = i
	}
	byCustomer := map[int64][]Exposure{}
	counts := map[string]*Comparison{}
	add := func(e Exposure, followed bool) {
		if dayNumber(e.Day) > upTo {
			return
		}
		c := counts[e.Kind]
		if c == nil {
			c = &Comparison{Kind: e.Kind}
			counts[e.Kind] = c
		}
		if e.HeldOut {
			c.HeldOut++
			if followed {
				c.HeldOutFollowed++
			}
		} else {
			c.Exposed++
			if followed {
				c.ExposedFollowed++
			}
		}
	}
	for _, e := range in.Exposures {
		if e.Settled || e.CustomerID == 0 {
			add(e, e.Settled && e.Followed)
			continue
		}
		byCustomer[e.CustomerID] = append(byCustomer[e.CustomerID], e)
	}
	for cid, exps := range byCustomer {
		var vis []int
		if i, ok := at[cid]; ok {
			vis = days[i]
		}
		fol := followUps(exps, vis, fdays)
		for k, e := range exps {
			add(e, fol[k])
		}
	}
	out := make([]Comparison, 0, len(counts))
	for _, c := range counts {
		out = append(out, c.Compare())
	}
	sortComparisons(out)
	return out
}

func sortComparisons(cs []Comparison) {
	slices.SortFunc(cs, func(a, b Comparison) int {
		if c := cmp.Compare(kindOrder(a.Kind), kindOrder(b.Kind)); c != 0 {
			return c
		}
		return strings.Compare(a.Kind, b.Kind)
	})
}

// PoolReports adds up the weekly reports of several shops for one week:
// counts are summed, follow-up counts pooled by kind (and their intervals
// computed afresh), top items merged by name (case-insensitively). The
// slipping names are left out.
func PoolReports(week Week, reps []WeekReport) WeekReport {
	out := WeekReport{Week: week, Groups: map[Group]int{}, TopItems: []ItemQty{}, Moved: []Move{}}
	moves := map[[2]Group]int{}
	follow := map[string]*Comparison{}
	items := map[string]*ItemQty{}
	for _, r := range reps {
		out.Visits += r.Visits
		out.PrevVisits += r.PrevVisits
		out.Customers += r.Customers
		out.PrevCustomers += r.PrevCustomers
		out.New += r.New
		out.CameBack += r.CameBack
		for g, n := range r.Groups {
			out.Groups[g] += n
		}
		for _, m := range r.Moved {
			moves[[2]Group{m.From, m.To}] += m.N
		}
		for d := range 7 {
			out.Daily[d] += r.Daily[d]
			out.PrevDaily[d] += r.PrevDaily[d]
		}
		if out.FollowupUpTo.IsZero() || r.FollowupUpTo.After(out.FollowupUpTo) {
			out.FollowupUpTo = r.FollowupUpTo
		}
		for _, c := range r.Followup {
			p := follow[c.Kind]
			if p == nil {
				p = &Comparison{Kind: c.Kind}
				follow[c.Kind] = p
			}
			p.Exposed += c.Exposed
			p.ExposedFollowed += c.ExposedFollowed
			p.HeldOut += c.HeldOut
			p.HeldOutFollowed += c.HeldOutFollowed
		}
		for _, it := range r.TopItems {
			k := strings.ToLower(it.Name)
			if p := items[k]; p != nil {
				p.Qty += it.Qty
			} else {
				items[k] = &ItemQty{Name: it.Name, Qty: it.Qty}
			}
		}
	}
	out.Moved = sortMoves(moves)
	for _, c := range follow {
		out.Followup = append(out.Followup, c.Compare())
	}
	sortComparisons(out.Followup)
	for _, it := range items {
		out.TopItems = append(out.TopItems, *it)
	}
	SortTopItems(out.TopItems)
	out.TopItems = out.TopItems[:min(len(out.TopItems), TopItemsShown)]
	return out
}

// TopItemsShown is how many items a report lists.
const TopItemsShown = 5

// SortTopItems orders items by quantity, most first, then by name.
func SortTopItems(items []ItemQty) {
	slices.SortFunc(items, func(a, b ItemQty) int {
		if c := cmp.Compare(b.Qty, a.Qty); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
}
