package crm

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// ReasonCode names why a customer is worth a word in the morning digest.
// The codes are stable: text templates and stored state refer to them.
type ReasonCode string

// Digest reason codes.
const (
	// ReasonUsualWeekday: the customer usually comes on the digest's weekday.
	ReasonUsualWeekday ReasonCode = "usual_weekday"
	// ReasonDue: the customer comes at a regular pace and is due back.
	ReasonDue ReasonCode = "due"
	// ReasonLapsed: the customer has not been in for a long while.
	ReasonLapsed ReasonCode = "lapsed"
	// ReasonBirthday: the customer's birthday is today or within the week.
	ReasonBirthday ReasonCode = "birthday"
	// ReasonFirstVisit: the customer came once, within the last week.
	ReasonFirstVisit ReasonCode = "first_visit"
)

// Digest rule constants. Day counts are whole calendar days in the shop's
// time zone.
const (
	usualWindowDays    = 56 // usual_weekday looks at D−56 … D−1
	usualMinVisits     = 3  // visits on the weekday within the window
	usualMaxItems      = 2  // usual items named in the reason
	dueMinVisits       = 4  // visit days needed before a pace is trusted
	dueMaxDays         = 60 // due only while the last visit is this recent (median gap ≤ longRhythmDays)
	longRhythmDays     = 30 // a median gap above this moves the lapse point (see LapsePoint)
	birthdayAheadDays  = 6  // birthdays within D … D+6
	firstVisitMaxDays  = 7  // first_visit when the only visit was D−1 … D−7
	favoritesMax       = 3  // favourites on an entry
	suppressLapsedDays = 30 // default DigestRules.SuppressLapsedDays
	greetedDays        = 7  // default DigestRules.GreetedDays
)

// Reason is one reason a customer is in the digest. Only the fields its Code
// names are set.
type Reason struct {
	Code      ReasonCode
	Weekday   time.Weekday // usual_weekday: the digest's weekday
	Items     []string     // usual_weekday: what they usually buy that day, at most 2
	Gap       float64      // due: median gap between visit days, in days (may be x.5)
	DaysSince int          // due, lapsed, first_visit: days since the last visit
	On        Date         // birthday: the day it falls on this time
	InDays    int          // birthday: days until it (0 = today)
}

// History is one customer's past as the digest needs it. Visits may come in
// any order, may hold several records for one day, and may include days on
// or after the digest date, which are ignored, as are zero dates. Digest
// does not modify it; entries share its Allergies and Likes slices.
//
// A shop's history read from its visit summaries (SummaryStore.Summaries)
// has Days instead of Visits: the rules need only the days, and the items
// are read afterwards for the entries shown (AddFavorites).
type History struct {
	Customer Customer
	Visits   []VisitDay
	// Days are the customer's distinct visit days as day numbers
	// (DayNumber), ascending; read only when Visits is nil.
	Days      []int32
	Allergies []string
	Likes     []string
	Note      string // the latest free note, if any
	// LapsedShown is the date of the last pushed digest that showed the
	// customer as lapsed; zero when never.
	LapsedShown Date
	// Greeted is the date the owner marked the customer greeted; zero when
	// never.
	Greeted Date
}

// VisitDay is one visit's day and the names of the items bought, compact for
// large shops.
type VisitDay struct {
	Date  Date
	Items []string
}

// DigestRules are a shop's digest settings. A zero or negative field means
// its default (see DefaultDigestRules).
type DigestRules struct {
	// LapsedDays is how many days without a visit make a customer lapsed.
	LapsedDays int
	// SuppressLapsedDays is how long after a pushed digest showed a
	// customer as lapsed they are not shown as lapsed again, unless they
	// visit in between.
	SuppressLapsedDays int
	// GreetedDays is how long a customer the owner marked greeted is left
	// out of the digest.
	GreetedDays int
}

// DefaultDigestRules returns the rules of a shop that changed nothing.
func DefaultDigestRules() DigestRules {
	return DigestRules{
		LapsedDays:         DefaultLapsedDays,
		SuppressLapsedDays: suppressLapsedDays,
		GreetedDays:        greetedDays,
	}
}

func (r DigestRules) withDefaults() DigestRules {
	def := DefaultDigestRules()
	if r.LapsedDays <= 0 {
		r.LapsedDays = def.LapsedDays
	}
	if r.SuppressLapsedDays <= 0 {
		r.SuppressLapsedDays = def.SuppressLapsedDays
	}
	if r.GreetedDays <= 0 {
		r.GreetedDays = def.GreetedDays
	}
	return r
}

// DigestEntry is one customer in the digest with what helps greet them.
type DigestEntry struct {
	Customer   Customer
	Reasons    []Reason // best first; never empty
	VisitCount int      // distinct visit days before the digest date
	LastVisit  Date     // zero when they never came
	Favorites  []string // at most 3, bought on the most visit days first
	Allergies  []string
	Likes      []string
	Note       string
}

// Digest returns every customer worth a word on day d (the shop-local
// morning of d, so visits on d or later are ignored), ranked best first.
// The caller cuts the list to the shop's limit.
//
// Rules (visits are distinct visit days before d):
//
//   - usual_weekday: at least 3 visits on d's weekday in d−56 … d−1, making
//     up at least half of that window's visits.
//   - due: at least 4 visits; with g the median gap between consecutive
//     visits and s the days since the last one, g ≤ s < 3g and s < 60 —
//     or, for a long rhythm (g > 30), s < L, the customer's lapse point.
//   - lapsed: the last visit was L or more days ago, where L is LapsedDays,
//     or for a customer with at least 4 visits and a long rhythm (g > 30)
//     max(LapsedDays, 2g) (see LapsePoint): a client who comes every 90
//     days is due from day 90 and lapsed from day 180, not lapsed at 60. A
//     lapsed customer is never due or first_visit, even while the lapsed
//     reason itself is suppressed.
//   - birthday: the birthday falls on d … d+6 (29 February falls on
//     28 February in other years).
//   - first_visit: exactly one visit, 1 to 7 days ago.
//
// Kindness: the lapsed reason is dropped when a pushed digest showed it less
// than SuppressLapsedDays ago and the customer has not visited since (a
// visit on that digest's own day counts as since); a customer marked
// greeted less than GreetedDays ago is left out entirely.
//
// Ranking: entries are ordered by the class of their best reason:
//
//  0. birthday today, usual_weekday
//  1. due
//  2. first_visit
//  3. birthday later this week
//  4. lapsed
//
// then, for later birthdays, the nearest first, then by visit count (more
// first), then by name, then by customer id.
// A newcomer ranks after due regulars, whose pace says they are likely in
// today, but before later birthdays and lapsed customers: a second visit
// is what makes a newcomer a regular, and the week after the first is when
// it happens. Within an entry, reasons follow the same order, a birthday
// today before usual_weekday.
func Digest(d Date, hist []History, rules DigestRules) []DigestEntry {
	rules = rules.withDefaults()
	e := digester{
		today: dayNumber(d),
		year:  d.Year,
		rules: rules,
		days:  newDayTable(d.Year-dayTableYears, d.Year+1),
	}
	// Usually about half the customers are worth a word: room for that
	// many at once, and for their reasons in one slice.
	out := make([]DigestEntry, 0, len(hist)/2+16)
	e.reasons = make([]Reason, 0, len(hist)/2+16)
	for i := range hist {
		if entry, ok := e.entry(&hist[i]); ok {
			out = append(out, entry)
		}
	}
	rank(out)
	return out
}

// rank sorts entries best first. It sorts small keys and then moves each
// entry once, rather than swapping whole entries while sorting.
func rank(out []DigestEntry) {
	keys := make([]rankKey, len(out))
	for i := range out {
		keys[i] = rankKey{class: reasonClass(out[i].Reasons[0]), visits: out[i].VisitCount, at: i}
		if keys[i].class == 3 {
			keys[i].soon = out[i].Reasons[0].InDays
		}
	}
	slices.SortFunc(keys, func(a, b rankKey) int {
		if c := cmp.Compare(a.class, b.class); c != 0 {
			return c
		}
		if c := cmp.Compare(a.soon, b.soon); c != 0 {
			return c
		}
		if c := cmp.Compare(b.visits, a.visits); c != 0 {
			return c
		}
		ca, cb := &out[a.at].Customer, &out[b.at].Customer
		if c := strings.Compare(ca.Name, cb.Name); c != 0 {
			return c
		}
		return cmp.Compare(ca.ID, cb.ID)
	})
	// Apply the permutation in place, cycle by cycle: position i takes the
	// entry at keys[i].at.
	for i := range keys {
		if keys[i].at == i {
			continue
		}
		held := out[i]
		j := i
		for {
			k := keys[j].at
			keys[j].at = j
			if k == i {
				out[j] = held
				break
			}
			out[j] = out[k]
			j = k
		}
	}
}

type rankKey struct {
	class  int
	soon   int // later birthdays: days until it
	visits int
	at     int // index in the unsorted entries
}

// digester holds scratch space reused across customers so a large shop
// costs little more than its result.
type digester struct {
	today int
	year  int
	rules DigestRules
	days  dayTable
	vis   []visitRef // one customer's visits before today, by day (from Visits)
	dd    []int32    // their distinct days
	gaps  []int      // the gaps between those days, once computed
	// reasons holds the entries' reasons (keep).
	reasons []Reason
	tally   itemTally
}

// visitRef is a visit record's day number and its index in History.Visits,
// packed so that visits sort by day as plain integers.
type visitRef int64

func makeVisitRef(day, idx int) visitRef { return visitRef(int64(day)<<32 | int64(uint32(idx))) }

func (v visitRef) day() int { return int(v >> 32) }
func (v visitRef) idx() int { return int(uint32(v)) }

// entry applies the rules to one customer.
func (e *digester) entry(h *History) (DigestEntry, bool) {
	today := e.today
	if !h.Greeted.IsZero() && today-e.days.number(h.Greeted) < e.rules.GreetedDays {
		return DigestEntry{}, false
	}

	// The distinct visit days before today, oldest first: the summary's
	// days as they are, or those of the visits (kept in e.vis, which the
	// favourites read) sorted and made distinct.
	var days []int32
	if h.Visits == nil {
		k := len(h.Days)
		for k > 0 && int(h.Days[k-1]) >= today {
			k--
		}
		days = h.Days[:k]
	} else {
		// Visits the caller passed in order (either way) are not sorted.
		vis := e.vis[:0]
		up, down := true, true
		for j := range h.Visits {
			date := h.Visits[j].Date
			if date.IsZero() {
				continue
			}
			n := e.days.number(date)
			if n >= today {
				continue
			}
			if k := len(vis); k > 0 {
				prev := vis[k-1].day()
				up = up && prev <= n
				down = down && prev >= n
			}
			vis = append(vis, makeVisitRef(n, j))
		}
		switch {
		case up:
		case down:
			slices.Reverse(vis)
		default:
			slices.Sort(vis)
		}
		e.vis = vis
		days = e.dd[:0]
		for k, v := range vis {
			if k == 0 || v.day() != vis[k-1].day() {
				days = append(days, int32(v.day()))
			}
		}
		e.dd = days
	}
	e.gaps = e.gaps[:0]
	count, last := len(days), 0
	if count > 0 {
		last = int(days[count-1])
	}
	since := today - last

	var buf [5]Reason
	reasons := buf[:0]
	// A birthday today leads; one later this week goes after first_visit.
	birthday, hasBirthday := e.birthday(h.Customer.Birthday)
	if hasBirthday && birthday.InDays == 0 {
		reasons = append(reasons, birthday)
	}

	if count >= usualMinVisits {
		total, onDay := 0, 0
		for k := count - 1; k >= 0 && int(days[k]) >= today-usualWindowDays; k-- {
			total++
			if (today-int(days[k]))%7 == 0 {
				onDay++
			}
		}
		if onDay >= usualMinVisits && 2*onDay >= total {
			reasons = append(reasons, Reason{Code: ReasonUsualWeekday, Weekday: weekdayOf(today)})
		}
	}

	// A long rhythm moves the lapse point; it matters only once the last
	// visit is as old as the shop's lapse point or the usual due limit.
	lapseAt, dueLimit := e.rules.LapsedDays, dueMaxDays
	if count >= dueMinVisits && since >= min(lapseAt, dueMaxDays) {
		lapseAt, dueLimit = lapseLimits(e.rules.LapsedDays, e.medianGap2(days))
	}
	lapsed := count > 0 && since >= lapseAt

	if !lapsed && count >= dueMinVisits && since < dueLimit {
		if g2, ok := e.due(days, since); ok {
			reasons = append(reasons, Reason{Code: ReasonDue, Gap: float64(g2) / 2, DaysSince: since})
		}
	}

	if !lapsed && count == 1 && since >= 1 && since <= firstVisitMaxDays {
		reasons = append(reasons, Reason{Code: ReasonFirstVisit, DaysSince: since})
	}

	if hasBirthday && birthday.InDays > 0 {
		reasons = append(reasons, birthday)
	}

	if lapsed && !e.lapsedSuppressed(h.LapsedShown, last) {
		reasons = append(reasons, Reason{Code: ReasonLapsed, DaysSince: since})
	}

	if len(reasons) == 0 {
		return DigestEntry{}, false
	}

	entry := DigestEntry{
		Customer:   h.Customer,
		Reasons:    e.keep(reasons),
		VisitCount: count,
		Allergies:  h.Allergies,
		Likes:      h.Likes,
		Note:       h.Note,
	}
	if count > 0 {
		if h.Visits == nil {
			entry.LastVisit = DayDate(last)
		} else {
			entry.LastVisit = h.Visits[e.vis[len(e.vis)-1].idx()].Date
		}
	}
	if h.Visits != nil {
		e.addFavorites(&entry, h)
	}
	return entry, true
}

// keep copies an entry's reasons into e.reasons, a slice shared by the
// entries: each gets a part that appending to cannot overrun.
func (e *digester) keep(reasons []Reason) []Reason {
	if cap(e.reasons)-len(e.reasons) < len(reasons) {
		e.reasons = make([]Reason, 0, max(64, 2*cap(e.reasons)))
	}
	start := len(e.reasons)
	e.reasons = append(e.reasons, reasons...)
	return e.reasons[start:len(e.reasons):len(e.reasons)]
}

// addFavorites sets the entry's favourites and the items of its
// usual_weekday reason from h.Visits, whose visits before today e.vis
// holds.
func (e *digester) addFavorites(entry *DigestEntry, h *History) {
	if entry.VisitCount == 0 {
		return
	}
	today := e.today
	entry.Favorites = e.favorites(h, favoritesMax, func(visitRef) bool { return true })
	for k := range entry.Reasons {
		if entry.Reasons[k].Code != ReasonUsualWeekday {
			continue
		}
		items := e.favorites(h, usualMaxItems, func(v visitRef) bool {
			return v.day() >= today-usualWindowDays && (today-v.day())%7 == 0
		})
		if len(items) == 0 {
			n := min(usualMaxItems, len(entry.Favorites))
			items = entry.Favorites[:n:n]
		}
		entry.Reasons[k].Items = items
	}
}

// gapsOf returns the gaps between consecutive days (distinct, ascending),
// computed once per customer into e.gaps (entry empties it).
func (e *digester) gapsOf(days []int32) []int {
	if len(e.gaps) == 0 {
		for k := 1; k < len(days); k++ {
			e.gaps = append(e.gaps, int(days[k]-days[k-1]))
		}
	}
	return e.gaps
}

// due reports whether, with g the median gap between consecutive distinct
// visit days, g ≤ since < 3g. It returns 2g, which stays exact when g is
// the mean of two middle gaps.
func (e *digester) due(days []int32, since int) (int, bool) {
	gaps := e.gapsOf(days)
	within, short := 0, 0 // gaps ≤ since; gaps with 3·gap ≤ since
	for _, g := range gaps {
		if g <= since {
			within++
		}
		if 3*g <= since {
			short++
		}
	}
	m := len(gaps)
	// Settle most customers without sorting: g ≤ since needs the lower
	// middle gap ≤ since, and since < 3g needs the upper middle gap > since/3.
	if m == 0 || within < (m+1)/2 || short > m/2 {
		return 0, false
	}
	g2 := median2(gaps)
	return g2, g2 <= 2*since && 2*since < 3*g2
}

// medianGap2 returns twice the median gap between consecutive distinct
// visit days (exact when the median is the mean of two middle gaps); 0
// with fewer than two days.
func (e *digester) medianGap2(days []int32) int {
	gaps := e.gapsOf(days)
	if len(gaps) == 0 {
		return 0
	}
	return median2(gaps)
}

// lapseLimits returns, for a customer with enough visits to trust their
// pace and twice their median gap g2, the day count from which they are
// lapsed and the one below which they may be due.
func lapseLimits(lapsedDays, g2 int) (lapseAt, dueLimit int) {
	if g2 <= 2*longRhythmDays {
		return lapsedDays, dueMaxDays
	}
	l := max(lapsedDays, g2)
	return l, l
}

// LapsePoint returns after how many days without a visit a customer is
// lapsed: the shop's lapsedDays, or for a customer with at least 4 visit
// days whose median gap g (median2 = 2g) is over 30 days, max(lapsedDays,
// 2g). Nothing changes for g ≤ 30.
func LapsePoint(lapsedDays, visitDays, median2 int) int {
	if lapsedDays <= 0 {
		lapsedDays = DefaultLapsedDays
	}
	if visitDays < dueMinVisits {
		return lapsedDays
	}
	l, _ := lapseLimits(lapsedDays, median2)
	return l
}

// nth reorders a so that a[k] is its k-th smallest element (from 0), no
// element before it greater and none after it smaller, and returns a[k].
// It is Hoare's selection, linear on average.
func nth(a []int, k int) int {
	lo, hi := 0, len(a)-1
	for lo < hi {
		p := a[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for a[i] < p {
				i++
			}
			for a[j] > p {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return a[k]
		}
	}
	return a[k]
}

// favorites returns up to n items bought on the most of the visit days that
// keep accepts (from e.vis), ties broken by how often they were bought, then
// by name. Names match case-insensitively; the latest day's spelling is
// kept.
func (e *digester) favorites(h *History, n int, keep func(visitRef) bool) []string {
	t := &e.tally
	t.reset()
	for _, v := range e.vis {
		if keep(v) {
			t.add(v.day(), h.Visits[v.idx()].Items)
		}
	}
	return t.top(n)
}

// birthday reports whether md falls within today … today+6.
func (e *digester) birthday(md MonthDay) (Reason, bool) {
	if md.IsZero() || !md.Valid() {
		return Reason{}, false
	}
	on := md.In(e.year)
	if e.days.number(on) < e.today {
		on = md.In(e.year + 1)
	}
	in := e.days.number(on) - e.today
	if in > birthdayAheadDays {
		return Reason{}, false
	}
	return Reason{Code: ReasonBirthday, On: on, InDays: in}, true
}

// lapsedSuppressed reports whether a digest pushed on shown already called
// the customer lapsed recently enough, with no visit since, to keep quiet.
// A visit on the day shown itself counts as a visit since: that digest was
// computed in the morning, from the visits before it.
func (e *digester) lapsedSuppressed(shown Date, last int) bool {
	if shown.IsZero() {
		return false
	}
	s := e.days.number(shown)
	return last < s && e.today-s < e.rules.SuppressLapsedDays
}

// itemTally counts one customer's items over visit days. It lives for one
// Digest call: each spelling is lower-cased and looked up once, and a small
// cache in front of the map makes counting an item bought cheap.
type itemTally struct {
	ids       map[string]spelling // spelling → item
	byKey     map[string]int32    // lower-cased name → item
	keys      []string            // by item: lower-cased name
	spellings []string            // by spelling
	rows      []tallyRow          // by item: this customer's counts
	used      []int32             // items this customer bought
	cache     [256]cachedSpelling
}

type spelling struct {
	item int32 // index in keys and rows
	at   int32 // index in spellings
}

type cachedSpelling struct {
	name string
	spelling
}

type tallyRow struct {
	days     int32 // distinct visit days it was bought on
	mentions int32 // times it was named
	lastDay  int32
	name     int32 // spelling of the latest day (the least, within a day)
	nameDay  int32
}

func (t *itemTally) reset() {
	for _, id := range t.used {
		t.rows[id] = tallyRow{}
	}
	t.used = t.used[:0]
}

// add counts the items of one visit record on day. Records must come in day
// order so that several records of one day count that day once.
func (t *itemTally) add(day int, items []string) {
	d := int32(day)
	for _, name := range items {
		if name == "" {
			continue
		}
		sp := t.lookup(name)
		r := &t.rows[sp.item]
		switch {
		case r.mentions == 0:
			t.used = append(t.used, sp.item)
			r.name, r.nameDay, r.lastDay = sp.at, d, d-1
		case d > r.nameDay || d == r.nameDay && name < t.spellings[r.name]:
			r.name, r.nameDay = sp.at, d
		}
		r.mentions++
		if r.lastDay != d {
			r.days++
			r.lastDay = d
		}
	}
}

// lookup returns the item and spelling of a non-empty name.
func (t *itemTally) lookup(name string) spelling {
	c := &t.cache[(len(name)*131+int(name[0])*31+int(name[len(name)-1]))&(len(t.cache)-1)]
	if c.name == name {
		return c.spelling
	}
	sp, ok := t.ids[name]
	if !ok {
		sp = t.intern(name)
	}
	c.name, c.spelling = name, sp
	return sp
}

func (t *itemTally) intern(name string) spelling {
	if t.ids == nil {
		t.ids = make(map[string]spelling)
		t.byKey = make(map[string]int32)
	}
	key := strings.ToLower(name)
	id, ok := t.byKey[key]
	if !ok {
		id = int32(len(t.keys))
		t.keys = append(t.keys, key)
		t.rows = append(t.rows, tallyRow{})
		t.byKey[key] = id
	}
	sp := spelling{item: id, at: int32(len(t.spellings))}
	t.spellings = append(t.spellings, name)
	t.ids[name] = sp
	return sp
}

// better reports whether item a ranks before item b: bought on more days,
// then more often, then by name.
func (t *itemTally) better(a, b int32) bool {
	ra, rb := &t.rows[a], &t.rows[b]
	if ra.days != rb.days {
		return ra.days > rb.days
	}
	if ra.mentions != rb.mentions {
		return ra.mentions > rb.mentions
	}
	return t.keys[a] < t.keys[b]
}

// top returns the names of the n best items, best first.
func (t *itemTally) top(n int) []string {
	n = min(n, len(t.used))
	if n == 0 {
		return nil
	}
	var buf [favoritesMax]int32
	best := buf[:0]
	if n > len(buf) {
		best = make([]int32, 0, n)
	}
	for _, id := range t.used {
		if len(best) == n && !t.better(id, best[n-1]) {
			continue
		}
		if len(best) < n {
			best = append(best, id)
		} else {
			best[n-1] = id
		}
		for k := len(best) - 1; k > 0 && t.better(best[k], best[k-1]); k-- {
			best[k], best[k-1] = best[k-1], best[k]
		}
	}
	out := make([]string, n)
	for i, id := range best {
		out[i] = t.spellings[t.rows[id].name]
	}
	return out
}

// reasonClass is the ranking class of a reason; see Digest.
func reasonClass(r Reason) int {
	switch r.Code {
	case ReasonBirthday:
		if r.InDays == 0 {
			return 0
		}
		return 3
	case ReasonUsualWeekday:
		return 0
	case ReasonDue:
		return 1
	case ReasonFirstVisit:
		return 2
	default:
		return 4
	}
}

// dayTableYears is how many years before the digest's the day table covers;
// older dates are computed directly.
const dayTableYears = 40

// dayTable maps dates to day numbers through the first day of each month
// of a range of years.
type dayTable struct {
	y0    int
	first []int // dayNumber of the first of each month from January of y0
}

func newDayTable(from, to int) dayTable {
	t := dayTable{y0: from, first: make([]int, 0, 12*(to-from+1))}
	for y := from; y <= to; y++ {
		for m := time.January; m <= time.December; m++ {
			t.first = append(t.first, dayNumber(Date{y, m, 1}))
		}
	}
	return t
}

// number returns dayNumber(d).
func (t *dayTable) number(d Date) int {
	if m := int(d.Month); m >= 1 && m <= 12 {
		if i := (d.Year-t.y0)*12 + m - 1; uint(i) < uint(len(t.first)) {
			return t.first[i] + d.Day - 1
		}
	}
	return dayNumber(d)
}

// dayNumber returns the number of days from 1970-01-01 to d, by integer
// arithmetic (proleptic Gregorian calendar), far cheaper than going through
// time.Time for every visit of a large shop.
func dayNumber(d Date) int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400                      // [0, 399]
	doy := (153*((m+9)%12)+2)/5 + d.Day - 1 // day of the year starting 1 March
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// weekdayOf returns the weekday of a day number (1970-01-01 was a Thursday).
func weekdayOf(n int) time.Weekday {
	return time.Weekday(((n % 7) + 7 + int(time.Thursday)) % 7)
}
