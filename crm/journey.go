package crm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Journeys: If-Then rules an owner writes ("a new member with no visit in
// 14 days → one care message at 10:00"), and which customers each rule
// matches on a day. A rule's message goes through the one outbox like any
// other (consent for its purpose, caps, quiet hours, the offer label) and
// is an automated exposure of its kind, subject to the holdout.

// TriggerKind names what makes a rule fire for a customer.
type TriggerKind string

// Trigger kinds. Each says what its Trigger fields mean and what one
// occasion is: a rule fires at most once per customer and occasion.
const (
	// Days after the first visit, with no visit since (a new member who
	// did not come back): fires from day Days to Days+6 after it, once.
	TriggerAfterFirst TriggerKind = "after_first"
	// Days or more since the last visit: once per lapse, that is per
	// last visit.
	TriggerNoVisit TriggerKind = "no_visit"
	// Days from a booking (negative: before), counted from its first day
	// (Anchor start) or its last (Anchor end, the checkout day of a stay):
	// fires from that day for up to three days, and never on or after the
	// first day for a message before it. Once per booking.
	TriggerBooking TriggerKind = "booking"
	// The customer's own rhythm runs out: due by the digest's rule, or
	// within Ahead days of it (6: "due this week"). Once per last visit.
	TriggerDue TriggerKind = "due"
	// Today is the customer's usual weekday (the owner's word, or three
	// of their visits on it in the last eight weeks, at least half of
	// them), or they have a usual time of day and no usual day (they come
	// daily). Weekday, when set, limits the rule to that day. Once a day.
	TriggerWeekday TriggerKind = "usual_weekday"
	// Days before the birthday (0 on the day): once a year.
	TriggerBirthday TriggerKind = "birthday"
	// The day's rain probability is at least Rain percent: every customer
	// who came and is not lapsed, once a day.
	TriggerRain TriggerKind = "rain"
	// An owner's announcement ("/new oat latte") names one of the
	// customer's likes: once per announcement, within a week of it.
	TriggerAnnouncement TriggerKind = "announcement"
	// The customer's own cycle of a service ran out: the median gap between
	// their visits with the service (that of their latest visit, or Item),
	// 90 days when fewer than two such visits tell; once per last visit
	// with the service, until three cycles have passed.
	TriggerCycle TriggerKind = "service_cycle"
)

// Booking anchors.
const (
	AnchorStart = "start" // the booking's day, the first day of a stay
	AnchorEnd   = "end"   // the last day of a stay (checkout)
)

// Journey constants.
const (
	afterFirstWindow  = 7  // after_first fires within a week of its day
	bookingGraceDays  = 2  // a booking rule catches up this many days late
	announcementDays  = 7  // an announcement is news for a week
	defaultCycleDays  = 90 // a service cycle nobody can tell yet
	cycleTailDays     = 30 // a cycle reminder is due at least this long
	usualDailyMaxDays = 14 // "comes daily" holds while they came this recently
	// RuleRepeatDays: the same message (the same rule, or the same text) at
	// most once in this many days to one customer.
	RuleRepeatDays = 7
	// MaxRuleText is the longest message, question or staff line of a
	// rule, in runes (the outbox's own limit leaves room for the offer
	// label).
	MaxRuleText = 500
	// Rules' daily cap: messages per customer per day across all rules.
	DefaultRulesDailyCap = 1
	MaxRulesDailyCap     = 2
	// QuestionOpenDays is how long a rule's question waits for an answer.
	QuestionOpenDays = 7
	// MaxAnswer is the longest answer kept, in runes.
	MaxAnswer = 200
)

// Shop settings of journeys.
const (
	SettingRulesDailyCap   = "rules.daily_cap"  // 1 or 2
	SettingWeatherLocation = "weather.location" // "37.5665,126.9780"
	// SettingWeatherFailing is the day the owner was told the forecast
	// could not be fetched; cleared when a fetch works again.
	SettingWeatherFailing = "weather.failing"
)

// Trigger is the "If" of a rule: a kind and the conditions every match
// must meet. Fields a kind does not use are zero.
type Trigger struct {
	Kind   TriggerKind `json:"kind"`
	Days   int         `json:"days,omitempty"`   // after_first, no_visit, booking (offset), birthday (days before)
	Anchor string      `json:"anchor,omitempty"` // booking: AnchorStart or AnchorEnd
	Ahead  int         `json:"ahead,omitempty"`  // due: also due within this many days
	// Weekday limits usual_weekday to one day: 1 Monday … 7 Sunday, 0 any.
	Weekday int `json:"weekday,omitempty"`
	// Item: only customers who buy it (usual_weekday: on that day), or
	// the service of a service_cycle.
	Item string `json:"item,omitempty"`
	// Before: only customers whose usual time of day is before it ("08:00").
	Before string `json:"before,omitempty"`
	// Rain: only on days whose rain probability is at least this percent.
	Rain int `json:"rain,omitempty"`
}

// ActionKind names what a rule does.
type ActionKind string

// Action kinds.
const (
	ActionMessage ActionKind = "message" // a message to the customer, through the outbox
	ActionStaff   ActionKind = "staff"   // a line for the staff in the day's digest
	ActionAsk     ActionKind = "ask"     // a one-line question; the answer is kept as a fact
)

// Action is the "Then" of a rule. Text may hold placeholders ({이름},
// {name} …), filled for each customer.
type Action struct {
	Kind    ActionKind `json:"kind"`
	Text    string     `json:"text"`
	Purpose Purpose    `json:"purpose,omitempty"` // message, ask: reminders, offers or birthday
	// Topic is what an answer is about, kept with it ("다음 여행 취향").
	Topic string `json:"topic,omitempty"`
}

// RuleState is where a rule is in its life.
type RuleState string

// Rule states.
const (
	RuleDraft  RuleState = "draft"  // being written; one per member
	RuleActive RuleState = "active" // runs every day
	RulePaused RuleState = "paused"
)

// Rule is one of a shop's journeys.
type Rule struct {
	ID       int64
	ShopID   int64
	State    RuleState
	Name     string
	Kind     string // its exposure kind, "rule:" and its name when first saved
	Template string // the template it came from, "" when written in words
	Trigger  Trigger
	Action   Action
	// SendAt is when its messages go, "HH:MM" in the shop's time zone;
	// "" for staff lines, which go with the digest.
	SendAt string
	Source string // what the owner wrote, or the template's name
	// Author is the "platform:user" writing a draft; Editing is set while
	// their next message amends it.
	Author  string
	Editing bool
	// Replaces, on a draft, is the saved rule it edits (0 for a new one).
	Replaces  int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Occasion says how often a rule may fire for one customer, for people:
// "once", "every booking", "every year" …
func (t Trigger) Occasion() string {
	switch t.Kind {
	case TriggerAfterFirst:
		return "once"
	case TriggerNoVisit, TriggerDue, TriggerCycle:
		return "episode"
	case TriggerBooking:
		return "booking"
	case TriggerBirthday:
		return "year"
	case TriggerAnnouncement:
		return "announcement"
	}
	return "day"
}

// Announcement is news the owner posted ("/신간 한강 — 『작별하지 않는다』"),
// matched against customers' likes.
type Announcement struct {
	ID        int64
	ShopID    int64
	Text      string
	Day       Date // shop-local day it was posted
	CreatedAt time.Time
}

// JourneyMatch is one customer a rule matches on a day, with what its
// placeholders need.
type JourneyMatch struct {
	CustomerID   int64
	Name         string
	Occasion     string
	Booking      *Booking      // booking rules
	Announcement *Announcement // announcement rules
	Like         string        // announcement rules: the like it names
	Service      string        // service_cycle: the service
	UsualTime    string        // their usual time of day, if known
}

// JourneyDay is what a day's matching knows beyond the customers.
type JourneyDay struct {
	Day        Date
	LapsedDays int // the shop's setting
	// RainKnown is false when there is no forecast (weather off, no
	// location, or the fetch failed): rules with a rain condition match
	// nobody.
	RainKnown     bool
	Rain          int       // percent
	Bookings      []Booking // bookings around the day (any order)
	Announcements []Announcement
}

// JourneyBook is a shop's customers prepared for matching rules on one day:
// each customer's visit days before the day are sorted once, however many
// rules look at them.
type JourneyBook struct {
	day    Date
	today  int
	lapsed int
	people []journeyPerson
	byID   map[int64]int
}

type journeyPerson struct {
	h         *History
	usualTime string
	days      []int32 // distinct visit days before today, oldest first
	g2        int     // twice the median gap; 0 with fewer than two days
}

// NewJourneyBook prepares hist (as History returns it; not modified, and
// kept) for matching on day. usualTimes holds customers' usual times of
// day by id.
func NewJourneyBook(day Date, hist []History, usualTimes map[int64]string, lapsedDays int) *JourneyBook {
	if lapsedDays <= 0 {
		lapsedDays = DefaultLapsedDays
	}
	b := &JourneyBook{day: day, today: dayNumber(day), lapsed: lapsedDays,
		people: make([]journeyPerson, len(hist)), byID: make(map[int64]int, len(hist))}
	var scratch []int
	for i := range hist {
		h := &hist[i]
		p := journeyPerson{h: h, usualTime: usualTimes[h.Customer.ID]}
		days := make([]int32, 0, len(h.Visits))
		for _, v := range h.Visits {
			if v.Date.IsZero() {
				continue
			}
			if n := dayNumber(v.Date); n < b.today {
				days = append(days, int32(n))
			}
		}
		slices.Sort(days)
		p.days = slices.Compact(days)
		if len(p.days) >= 2 {
			scratch = scratch[:0]
			for k := 1; k < len(p.days); k++ {
				scratch = append(scratch, int(p.days[k]-p.days[k-1]))
			}
			p.g2 = median2(scratch)
		}
		b.people[i] = p
		b.byID[h.Customer.ID] = i
	}
	return b
}

// median2 returns twice the median of a (reordered); a must not be empty.
func median2(a []int) int {
	m := len(a)
	upper := nth(a, m/2)
	if m%2 == 0 {
		return slices.Max(a[:m/2]) + upper
	}
	return 2 * upper
}

// Day returns the day the book is for.
func (b *JourneyBook) Day() Date { return b.day }

// Customer returns a customer of the book.
func (b *JourneyBook) Customer(id int64) (*History, bool) {
	i, ok := b.byID[id]
	if !ok {
		return nil, false
	}
	return b.people[i].h, true
}

// Match returns the customers r matches on the book's day, in the order of
// the history, one per customer and occasion.
func (b *JourneyBook) Match(r Rule, jd JourneyDay) []JourneyMatch {
	t := r.Trigger
	if t.Rain > 0 && (!jd.RainKnown || jd.Rain < t.Rain) {
		return nil
	}
	if t.Kind == TriggerRain && !jd.RainKnown {
		return nil
	}
	if t.Kind == TriggerBooking {
		return b.matchBookings(t, jd)
	}
	var out []JourneyMatch
	for i := range b.people {
		p := &b.people[i]
		if !b.conditions(p, t) {
			continue
		}
		m := JourneyMatch{CustomerID: p.h.Customer.ID, Name: p.h.Customer.Name, UsualTime: p.usualTime}
		switch t.Kind {
		case TriggerAnnouncement:
			for _, a := range jd.Announcements {
				if a.Day.After(b.day) || b.day.DaysSince(a.Day) >= announcementDays {
					continue
				}
				for _, like := range p.h.Likes {
					if LikeMatches(like, a.Text) {
						m := m
						a := a
						m.Occasion, m.Announcement, m.Like = "news:"+strconv.FormatInt(a.ID, 10), &a, like
						out = append(out, m)
						break
					}
				}
			}
			continue
		default:
			occ, service, ok := b.fires(p, t)
			if !ok {
				continue
			}
			m.Occasion, m.Service = occ, service
		}
		out = append(out, m)
	}
	return out
}

// conditions checks a rule's per-customer conditions that hold whatever
// the trigger: a usual time before Before, and Item bought (for triggers
// that do not read Item themselves).
func (b *JourneyBook) conditions(p *journeyPerson, t Trigger) bool {
	if t.Before != "" && (p.usualTime == "" || p.usualTime >= t.Before) {
		return false
	}
	if t.Item != "" && t.Kind != TriggerWeekday && t.Kind != TriggerCycle && !bought(p.h, t.Item, 0, 0) {
		return false
	}
	return true
}

// fires applies a day-based trigger to one customer.
func (b *JourneyBook) fires(p *journeyPerson, t Trigger) (occasion, service string, ok bool) {
	today := b.today
	n := len(p.days)
	since := 0
	if n > 0 {
		since = today - int(p.days[n-1])
	}
	lapseAt, dueLimit := b.lapsed, dueMaxDays
	if n >= dueMinVisits {
		lapseAt, dueLimit = lapseLimits(b.lapsed, p.g2)
	}
	lastDate := func() string { return dateOfNumber(int(p.days[n-1])).String() }
	switch t.Kind {
	case TriggerAfterFirst:
		if n == 1 && since >= t.Days && since < t.Days+afterFirstWindow {
			return "first:" + lastDate(), "", true
		}
	case TriggerNoVisit:
		if n > 0 && since >= max(t.Days, 1) {
			return "lapse:" + lastDate(), "", true
		}
	case TriggerDue:
		if n >= dueMinVisits && since < lapseAt && since < dueLimit &&
			p.g2 <= 2*(since+max(t.Ahead, 0)) && 2*since < 3*p.g2 {
			return "due:" + lastDate(), "", true
		}
	case TriggerWeekday:
		wd := weekdayOf(today)
		if t.Weekday != 0 && isoWeekday(wd) != t.Weekday {
			return "", "", false
		}
		if !b.usualToday(p, wd, since, lapseAt) {
			return "", "", false
		}
		if t.Item != "" && !b.usualItem(p, t.Item, wd) {
			return "", "", false
		}
		return "day:" + b.day.String(), "", true
	case TriggerBirthday:
		md := p.h.Customer.Birthday
		if md.IsZero() || !md.Valid() {
			return "", "", false
		}
		on := md.In(b.day.Year)
		if dayNumber(on) < today {
			on = md.In(b.day.Year + 1)
		}
		if in := dayNumber(on) - today; in <= max(t.Days, 0) {
			return "birthday:" + strconv.Itoa(on.Year), "", true
		}
	case TriggerRain:
		if n > 0 && since < lapseAt {
			return "rain:" + b.day.String(), "", true
		}
	case TriggerCycle:
		return b.cycle(p, t.Item)
	}
	return "", "", false
}

// usualToday reports whether a customer is expected on the book's day,
// whose weekday is wd.
func (b *JourneyBook) usualToday(p *journeyPerson, wd time.Weekday, since, lapseAt int) bool {
	c := p.h.Customer
	if c.UsualWeekday == wd {
		return true
	}
	if c.UsualWeekday == NoWeekday && p.usualTime != "" && len(p.days) > 0 && since <= usualDailyMaxDays && since < lapseAt {
		return true // "comes every morning at 7"
	}
	total, on := 0, 0
	for k := len(p.days) - 1; k >= 0 && int(p.days[k]) >= b.today-usualWindowDays; k-- {
		total++
		if (b.today-int(p.days[k]))%7 == 0 {
			on++
		}
	}
	return on >= usualMinVisits && 2*on >= total
}

// usualItem reports whether a customer buys item on their usual day: on at
// least half of their visits on weekday wd in the last eight weeks, or,
// with no such visits (the day is the owner's word), among the three items
// they buy most.
func (b *JourneyBook) usualItem(p *journeyPerson, item string, wd time.Weekday) bool {
	from := b.today - usualWindowDays
	onDays, with := map[int]bool{}, map[int]bool{}
	for _, v := range p.h.Visits {
		if v.Date.IsZero() {
			continue
		}
		n := dayNumber(v.Date)
		if n < from || n >= b.today || weekdayOf(n) != wd {
			continue
		}
		onDays[n] = true
		if containsFold(v.Items, item) {
			with[n] = true
		}
	}
	if len(onDays) > 0 {
		return 2*len(with) >= len(onDays) && len(with) > 0
	}
	return slices.ContainsFunc(topItems(p.h, b.today, 3), func(s string) bool { return strings.EqualFold(s, item) })
}

// cycle applies the service-cycle trigger.
func (b *JourneyBook) cycle(p *journeyPerson, service string) (string, string, bool) {
	h := p.h
	// The service: the given one, else the first item of the latest visit
	// with items.
	if service == "" {
		latest := -1
		for _, v := range h.Visits {
			if v.Date.IsZero() || len(v.Items) == 0 {
				continue
			}
			if n := dayNumber(v.Date); n < b.today && n > latest {
				latest, service = n, v.Items[0]
			}
		}
		if service == "" {
			return "", "", false
		}
	}
	var days []int
	for _, v := range h.Visits {
		if v.Date.IsZero() || !containsFold(v.Items, service) {
			continue
		}
		if n := dayNumber(v.Date); n < b.today {
			days = append(days, n)
		}
	}
	if len(days) == 0 {
		return "", "", false
	}
	slices.Sort(days)
	days = slices.Compact(days)
	cycle2 := 2 * defaultCycleDays
	if len(days) >= 2 {
		gaps := make([]int, 0, len(days)-1)
		for k := 1; k < len(days); k++ {
			gaps = append(gaps, days[k]-days[k-1])
		}
		cycle2 = median2(gaps)
	}
	last := days[len(days)-1]
	since2 := 2 * (b.today - last)
	if since2 >= cycle2 && since2 < max(3*cycle2, cycle2+2*cycleTailDays) {
		for _, v := range h.Visits { // the spelling of the latest visit
			if dayNumber(v.Date) == last {
				for _, it := range v.Items {
					if strings.EqualFold(it, service) {
						service = it
					}
				}
			}
		}
		return "cycle:" + strings.ToLower(service) + ":" + dateOfNumber(last).String(), service, true
	}
	return "", "", false
}

// matchBookings applies a booking trigger to the day's bookings.
func (b *JourneyBook) matchBookings(t Trigger, jd JourneyDay) []JourneyMatch {
	var out []JourneyMatch
	for _, bk := range jd.Bookings {
		i, ok := b.byID[bk.CustomerID]
		if !ok {
			continue
		}
		p := &b.people[i]
		if !b.conditions(p, t) {
			continue
		}
		anchor := bk.Date
		if t.Anchor == AnchorEnd {
			anchor = bk.LastDay()
		}
		target := dayNumber(anchor) + t.Days
		if b.today < target || b.today > target+bookingGraceDays {
			continue
		}
		if t.Anchor != AnchorEnd && t.Days < 0 && b.today >= dayNumber(bk.Date) {
			continue
		}
		bk := bk
		out = append(out, JourneyMatch{CustomerID: bk.CustomerID, Name: p.h.Customer.Name, UsualTime: p.usualTime,
			Occasion: "booking:" + strconv.FormatInt(bk.ID, 10), Booking: &bk})
	}
	return out
}

// BookingWindow returns the days a booking's first day may fall on for
// rules rs to match one of its bookings on day (stays are assumed to last
// at most 60 days): the range to read bookings for.
func BookingWindow(day Date, rs []Rule) (from, to Date, ok bool) {
	for _, r := range rs {
		if r.Trigger.Kind != TriggerBooking {
			continue
		}
		// today ∈ [anchor+Days, anchor+Days+grace] ⇔ anchor ∈ [today−Days−grace, today−Days].
		lo, hi := day.AddDays(-r.Trigger.Days-bookingGraceDays), day.AddDays(-r.Trigger.Days)
		if r.Trigger.Anchor == AnchorEnd {
			lo = lo.AddDays(-60)
		}
		if !ok || lo.Before(from) {
			from = lo
		}
		if !ok || hi.After(to) {
			to = hi
		}
		ok = true
	}
	return from, to, ok
}

// bought reports whether the customer bought item on a visit day in
// [from, to) (day numbers; 0, 0 for ever).
func bought(h *History, item string, from, to int) bool {
	for _, v := range h.Visits {
		if !containsFold(v.Items, item) || v.Date.IsZero() {
			continue
		}
		if from == 0 && to == 0 {
			return true
		}
		if n := dayNumber(v.Date); n >= from && n < to {
			return true
		}
	}
	return false
}

// topItems returns the n items bought on the most visit days before today.
func topItems(h *History, today, n int) []string {
	var t itemTally
	vis := make([]VisitDay, 0, len(h.Visits))
	for _, v := range h.Visits {
		if !v.Date.IsZero() && dayNumber(v.Date) < today {
			vis = append(vis, v)
		}
	}
	slices.SortFunc(vis, func(a, b VisitDay) int { return dayNumber(a.Date) - dayNumber(b.Date) })
	for _, v := range vis {
		t.add(dayNumber(v.Date), v.Items)
	}
	return t.top(min(n, favoritesMax))
}

func containsFold(items []string, item string) bool {
	for _, it := range items {
		if strings.EqualFold(it, item) {
			return true
		}
	}
	return false
}

// isoWeekday numbers a weekday 1 (Monday) … 7 (Sunday).
func isoWeekday(wd time.Weekday) int {
	if wd == time.Sunday {
		return 7
	}
	return int(wd)
}

// ISOWeekday numbers a weekday 1 (Monday) … 7 (Sunday), as Trigger.Weekday
// does.
func ISOWeekday(wd time.Weekday) int { return isoWeekday(wd) }

// dateOfNumber is the inverse of dayNumber.
func dateOfNumber(n int) Date {
	return DateOf(time.Unix(int64(n)*86400, 0).UTC(), time.UTC)
}

// likeStopWords are words of a like that say what kind of thing it is
// rather than which ("한강 작가", "oat milk drinks"): they alone never match.
var likeStopWords = map[string]bool{
	"작가": true, "작가님": true, "책": true, "소설": true, "신간": true, "시리즈": true, "메뉴": true, "음료": true,
	"author": true, "books": true, "book": true, "novels": true, "novel": true, "new": true, "the": true, "and": true,
	"drinks": true, "drink": true, "series": true, "of": true, "by": true,
}

// LikeMatches reports whether an announcement names a like: the whole
// like appears in it, or one of the like's telling words (two or more
// letters of Hangul or three of Latin script) is a word of it, a Korean
// particle after it allowed ("한강의 신간" names 한강; "oat latte" names a
// like "oat milk"). Case does not matter.
func LikeMatches(like, text string) bool {
	like, text = strings.ToLower(strings.TrimSpace(like)), strings.ToLower(text)
	if like == "" {
		return false
	}
	words := likeWords(text)
	if !slices.ContainsFunc(likeWords(like), func(w string) bool { return !likeStopWords[w] }) {
		return false // "작가", "books": says what kind, not which
	}
	if strings.Contains(text, like) && (len(likeWords(like)) > 1 || hasWord(words, like)) {
		return true
	}
	for _, w := range likeWords(like) {
		if likeStopWords[w] || !telling(w) {
			continue
		}
		if hasWord(words, w) {
			return true
		}
	}
	return false
}

// hasWord reports whether w is one of words, or a word of Hangul that is
// w and a particle.
func hasWord(words []string, w string) bool {
	for _, x := range words {
		if x == w {
			return true
		}
		if rest, ok := strings.CutPrefix(x, w); ok && isParticle(rest) {
			return true
		}
	}
	return false
}

// koParticles are particles a name may carry in an announcement.
var koParticles = map[string]bool{"의": true, "이": true, "가": true, "은": true, "는": true, "을": true, "를": true,
	"과": true, "와": true, "도": true, "님": true, "님의": true, "작가": true, "작가의": true, "표": true}

func isParticle(s string) bool { return koParticles[s] }

func telling(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	n := utf8.RuneCountInString(w)
	if unicode.Is(unicode.Hangul, r) {
		return n >= 2
	}
	return n >= 3
}

// likeWords splits text into lower-case words of letters and digits.
func likeWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// SkipReason says why a rule's message does not go to a customer today.
type SkipReason string

// Skip reasons (the dry run's "why").
const (
	SkipNoConsent   SkipReason = "no_consent"   // not linked, not agreed to the purpose, or unreachable
	SkipCap         SkipReason = "cap"          // the rules' daily cap, or the outbox's cap
	SkipQuietHours  SkipReason = "quiet_hours"  // the send time is in the shop's or the customer's quiet hours
	SkipAlreadySent SkipReason = "already_sent" // fired for this occasion, or the same message within a week
	SkipHoldout     SkipReason = "holdout"      // the holdout keeps it back
)

// RuleFiring is one time a rule fired for a customer: a message queued,
// or held out, on an occasion.
type RuleFiring struct {
	ID         int64
	ShopID     int64
	RuleID     int64
	CustomerID int64
	Occasion   string
	Day        Date // shop-local
	Action     ActionKind
	TextHash   string // TextHash of the text sent
	OutboxID   int64  // 0 when held out
	HeldOut    bool
	Topic      string    // ask: what the answer is about
	AnsweredAt time.Time // ask: zero while unanswered
}

// TextHash identifies a message text without keeping it.
func TextHash(text string) string {
	sum := sha256.Sum256([]byte(strings.Join(strings.Fields(text), " ")))
	return hex.EncodeToString(sum[:8])
}

// Reach is what the rules know in advance about messaging one customer;
// the outbox decides again, for good, when the message is queued.
type Reach struct {
	Linked     bool
	Status     LinkStatus
	Lang       string
	Quiet      string       // their own quiet hours
	Consent    ConsentState // now
	Deliveries []time.Time  // deliveries counting toward the outbox's cap
}

// RuleLedger is what fired lately across a shop's rules, kept up to date
// while a day's rules run (or are dry-run) one after another, so that the
// limits hold across rules.
type RuleLedger struct {
	day      Date
	dailyCap int
	fired    map[ruleOccasion]bool
	recent   map[int64][]RuleFiring // by customer: within RuleRepeatDays before the day, and the day's own
}

type ruleOccasion struct {
	rule, customer int64
	occasion       string
}

// NewRuleLedger starts a ledger for day from the shop's firings within
// RuleRepeatDays before it (and on it); see MarkFired for older ones.
func NewRuleLedger(day Date, dailyCap int, recent []RuleFiring) *RuleLedger {
	if dailyCap < 1 || dailyCap > MaxRulesDailyCap {
		dailyCap = DefaultRulesDailyCap
	}
	l := &RuleLedger{day: day, dailyCap: dailyCap, fired: map[ruleOccasion]bool{}, recent: map[int64][]RuleFiring{}}
	for _, f := range recent {
		l.Add(f)
	}
	return l
}

// Add records a firing in the ledger.
func (l *RuleLedger) Add(f RuleFiring) {
	l.fired[ruleOccasion{f.RuleID, f.CustomerID, f.Occasion}] = true
	if !f.Day.After(l.day) && l.day.DaysSince(f.Day) < RuleRepeatDays {
		l.recent[f.CustomerID] = append(l.recent[f.CustomerID], f)
	}
}

// MarkFired records occasions fired on any day (a rule's history), for
// Fired and Check, without counting them toward the day's limits.
func (l *RuleLedger) MarkFired(fs []RuleFiring) {
	for _, f := range fs {
		l.fired[ruleOccasion{f.RuleID, f.CustomerID, f.Occasion}] = true
	}
}

// Fired reports whether rule fired for the customer on the occasion.
func (l *RuleLedger) Fired(ruleID, customerID int64, occasion string) bool {
	return l.fired[ruleOccasion{ruleID, customerID, occasion}]
}

// Check applies the rules' own limits to one message of rule r to a
// customer: fired for this occasion, or the same rule or text within
// RuleRepeatDays → already_sent; the daily cap across rules reached →
// cap. Held-out firings count like sent ones, so that held-out customers
// get no more of other rules than the rest. "" means it may go on to the
// outbox's rules.
func (l *RuleLedger) Check(ruleID, customerID int64, occasion, textHash string) SkipReason {
	if l.Fired(ruleID, customerID, occasion) {
		return SkipAlreadySent
	}
	today := 0
	for _, f := range l.recent[customerID] {
		if f.RuleID == ruleID || f.TextHash == textHash {
			return SkipAlreadySent
		}
		if f.Day == l.day && f.Action != ActionStaff {
			today++
		}
	}
	if today >= l.dailyCap {
		return SkipCap
	}
	return ""
}

// ReachSkip applies the outbox's rules to a customer in advance, in its
// order: consent (linked, agreed to p, reachable), then the cap, then
// quiet hours at the send instant at (a rule's message is never held
// over: it would say "today" tomorrow). "" when nothing stops it.
func ReachSkip(r Reach, p Purpose, at time.Time, pol OutboxPolicy) SkipReason {
	if !r.Linked || !Permits(r.Consent, p) || r.Status == LinkUnreachable {
		return SkipNoConsent
	}
	if CountsTowardCap(p) {
		if _, capped := capReached(at, r.Deliveries, pol); capped {
			return SkipCap
		}
	}
	if pol.InQuiet(at) {
		return SkipQuietHours
	}
	return ""
}

// ParseRulesDailyCap reads the rules' daily cap setting: "" is the
// default.
func ParseRulesDailyCap(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DefaultRulesDailyCap, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxRulesDailyCap {
		return 0, ErrInvalidInput
	}
	return n, nil
}

// NextRun returns the first instant after `after` at which a rule sending
// at sendAt ("HH:MM", shop-local in loc) is due: sendAt on the day of
// after, if still ahead, else on the next day.
func NextRun(sendAt string, loc *time.Location, after time.Time) (time.Time, bool) {
	m, err := parseClock(sendAt)
	if err != nil || sendAt == "" {
		return time.Time{}, false
	}
	lt := after.In(loc)
	at := time.Date(lt.Year(), lt.Month(), lt.Day(), m/60, m%60, 0, 0, loc)
	if !at.After(after) {
		d := DateOf(after, loc).AddDays(1)
		at = time.Date(d.Year, d.Month, d.Day, m/60, m%60, 0, 0, loc)
	}
	return at, true
}

// SendInstant returns when a rule sending at sendAt goes on day (shop-local
// in loc).
func SendInstant(sendAt string, day Date, loc *time.Location) time.Time {
	m, err := parseClock(sendAt)
	if err != nil {
		m = 10 * 60
	}
	return time.Date(day.Year, day.Month, day.Day, m/60, m%60, 0, 0, loc)
}

// ParseClock reads "HH:MM" (or "H") into minutes after midnight.
func ParseClock(s string) (int, error) { return parseClock(s) }

// JourneyStore keeps rules, what they did, announcements and forecasts.
type JourneyStore interface {
	// SaveRule inserts r (ID 0) or updates the shop's rule r.ID, and
	// returns it as stored. Saving a rule active sets when it next runs
	// (after `at`); a draft replaces the author's earlier draft. Saving
	// one active for the first time fixes its exposure kind.
	SaveRule(ctx context.Context, r Rule, at time.Time) (Rule, error)
	// Rule returns one rule of the shop; ErrNotFound when there is none.
	Rule(ctx context.Context, shopID, id int64) (Rule, error)
	// Rules returns the shop's saved rules (active and paused), oldest
	// first.
	Rules(ctx context.Context, shopID int64) ([]Rule, error)
	// RuleDraft returns the author's draft; ErrNotFound when none.
	RuleDraft(ctx context.Context, shopID int64, author string) (Rule, error)
	// DeleteRule deletes a rule with its firings and runs (its exposures
	// stay).
	DeleteRule(ctx context.Context, shopID, id int64) error
	// DueRules returns the active rules, of every shop, whose next run is
	// at or before now, by shop. Cheap: it reads only those.
	DueRules(ctx context.Context, now time.Time) ([]Rule, error)
	// RescheduleRule sets when an active rule runs next, without running
	// it.
	RescheduleRule(ctx context.Context, shopID, id int64, next time.Time) error
	// StartRuleRun records that the rule runs for day, and when it runs
	// next; false when it already ran for that day (nothing changes
	// then but the next run).
	StartRuleRun(ctx context.Context, shopID, ruleID int64, day Date, next time.Time, at time.Time) (bool, error)
	// RuleFirings returns the shop's firings on from or later.
	RuleFirings(ctx context.Context, shopID int64, from Date) ([]RuleFiring, error)
	// FiredOccasions returns the firings of one rule for the given
	// customers, any day.
	FiredOccasions(ctx context.Context, shopID, ruleID int64, customerIDs []int64) ([]RuleFiring, error)
	// AddAnnouncement keeps an owner's announcement.
	AddAnnouncement(ctx context.Context, a Announcement) (Announcement, error)
	// Announcements returns the shop's announcements posted on from or
	// later, oldest first.
	Announcements(ctx context.Context, shopID int64, from Date) ([]Announcement, error)
	// OpenQuestion returns the customer's latest question of a rule that
	// was delivered within QuestionOpenDays before now and not answered;
	// ErrNotFound when none.
	OpenQuestion(ctx context.Context, shopID, customerID int64, now time.Time) (RuleFiring, error)
	// AnswerQuestion keeps an answer as a note fact of the customer
	// ("topic: answer", belonging to no note) and closes the question, in
	// one transaction; ErrAlreadyDone when it was answered meanwhile.
	AnswerQuestion(ctx context.Context, shopID, firingID int64, value string, at time.Time) (Fact, error)
	// WeatherDay returns the forecast kept for the shop's day; ok is false
	// when none was fetched.
	WeatherDay(ctx context.Context, shopID int64, day Date) (w WeatherDay, ok bool, err error)
	// SetWeatherDay keeps a day's forecast, or that fetching it failed.
	SetWeatherDay(ctx context.Context, w WeatherDay) error
	// UsualTimes returns the usual times of day of the shop's customers
	// who have one, by customer id.
	UsualTimes(ctx context.Context, shopID int64) (map[int64]string, error)
	// Reaches returns, for every customer of the shop who joined by chat,
	// their link, consent and deliveries counting toward the cap within
	// the 91 days before now.
	Reaches(ctx context.Context, shopID int64, now time.Time) (map[int64]Reach, error)
}
