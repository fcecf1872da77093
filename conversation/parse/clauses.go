package parse

import (
	"strings"

	"github.com/dangol/dangol/crm"
)

// custMark is a customer name found in the text.
type custMark struct {
	tok   int
	name  string
	group int
}

// dateHit is a day phrase found in the text: tokens [from, to).
type dateHit struct {
	from, to int
	e        dateExpr
	end      int // index of the last day of a stay ("12/20–12/22"), -1
}

// ctags is what a clause's tokens say besides items and facts.
type ctags struct {
	date      int // s.dates index of the clause's day phrase, -1
	inherited bool
	visit     bool // a past visit verb: came in, 샀어요
	habit     bool // a present habit verb: comes, 와요
	strong    bool // a booking word: 예약, booking
	weak      bool // pickup, 주문, order
	weakAhead bool // a weak booking word that is no past verb: 픽업, 찾으러, pickup
	timeTok   int  // the first clock time, -1
	usualWd   bool
	daily     bool // 매일, every morning, usually
	cond      bool // 비 오는 날엔: a conditional habit
	cancel    bool // cancelled, 취소: no booking
	debt      bool // owes, 외상: the amount is not paid
	unitPrice bool // "@ $2.50", "$2.50 each": the amount is per item
	each, too bool
	nights    int // 2박, 3 nights
	amount    Money
	content   bool // anything at all besides the name
}

// assemble builds the clauses from the tagged tokens.
func (s *state) assemble() {
	ngroups := 1
	if s.ncusts > 0 {
		ngroups = s.custs[s.ncusts-1].group + 1
	}
	var starts [len(s.custs) + 2]int
	for g := 1; g < ngroups; g++ {
		for k := 0; k < s.ncusts; k++ {
			if s.custs[k].group == g {
				starts[g] = s.custs[k].tok
				break
			}
		}
	}
	starts[ngroups] = len(s.toks)
	s.prepareCorrection()
	noteDate := -1
	for k := 0; k < s.ndates; k++ {
		if !s.dates[k].e.usual {
			noteDate = k
			break
		}
	}
	groups := make([]Clause, 0, ngroups)
	var tags [len(s.custs) + 1]ctags
	for g := 0; g < ngroups; g++ {
		a, b := starts[g], starts[g+1]
		c := Clause{UsualWeekday: crm.NoWeekday}
		s.cl = &c
		tg := s.clauseTags(a, b)
		if tg.date < 0 && noteDate >= 0 && (tg.content || g > 0) {
			tg.date, tg.inherited = noteDate, true
		}
		s.clVisitVerb = tg.visit
		s.collectFacts(a, b)
		s.markKnownItems(a, b)
		s.items(a, b)
		s.clauseFacts(&c, a, b)
		s.decide(&c, &tg, a, b)
		c.Note = s.note(a, b)
		groups = append(groups, c)
		tags[g] = tg
	}
	s.applyCorrection(groups)
	if s.res.Intent == IntentCorrection {
		return
	}
	if len(groups) == 1 && s.ncusts <= 1 {
		if s.ncusts == 1 {
			groups[0].Customer = s.custs[0].name
		}
		s.clauses = groups
		return
	}
	// Expand groups into one clause per customer.
	var out []Clause
	for g := range groups {
		var members [len(s.custs)]string
		n := 0
		for k := 0; k < s.ncusts; k++ {
			if s.custs[k].group == g && n < len(members) {
				members[n] = s.custs[k].name
				n++
			}
		}
		c := groups[g]
		switch {
		case n == 0:
			out = append(out, c)
		case g > 0 && emptyClause(c) && len(out) > 0:
			// "Kim latte, Lee too": the same again; "Kim latte, Lee": with them.
			prev := out[len(out)-1]
			for _, m := range members[:n] {
				x := cloneClause(prev)
				x.Customer = m
				if !tags[g].too {
					x.Items, x.Amount, x.Usual = nil, Money{}, false
				}
				out = append(out, x)
			}
		default:
			out = append(out, s.share(c, members[:n], tags[g].each)...)
		}
	}
	if len(out) > 1 && out[0].Customer == "" && emptyClause(out[0]) {
		out = out[1:]
	}
	s.clauses = out
}

// emptyClause reports a clause that says nothing besides its customer.
func emptyClause(c Clause) bool {
	return len(c.Items) == 0 && c.Date.IsZero() && len(c.Allergies)+len(c.Likes)+len(c.Dislikes)+len(c.Remove) == 0 &&
		c.Birthday.IsZero() && c.BirthYear == 0 && c.Booking == nil && !c.Usual && c.Note == "" &&
		c.UsualWeekday == crm.NoWeekday && c.UsualTime == "" && c.Amount.IsZero() && len(c.Context) == 0
}

func cloneClause(c Clause) Clause {
	x := c
	x.Items = nil
	for _, it := range c.Items {
		it.Mods = append([]string(nil), it.Mods...)
		x.Items = append(x.Items, it)
	}
	x.Allergies = append([]string(nil), c.Allergies...)
	x.Likes = append([]string(nil), c.Likes...)
	x.Dislikes = append([]string(nil), c.Dislikes...)
	x.Remove = append([]FactRef(nil), c.Remove...)
	x.Context = append([]string(nil), c.Context...)
	if c.Booking != nil {
		b := *c.Booking
		x.Booking = &b
	}
	return x
}

// share gives a group's clause to each of its customers. With "each" or
// "씩" everyone gets every item; otherwise a shared total is split evenly
// when it divides by the number of customers, and what does not divide
// stays with the first customer, as does the amount paid.
func (s *state) share(c Clause, members []string, each bool) []Clause {
	out := make([]Clause, 0, len(members))
	n := len(members)
	for k, m := range members {
		x := cloneClause(c)
		x.Customer = m
		if n > 1 && !each {
			x.Items = x.Items[:0]
			for _, it := range c.Items {
				switch {
				case it.Qty%n == 0:
					it.Qty /= n
				case k > 0:
					continue
				}
				it.Mods = append([]string(nil), it.Mods...)
				x.Items = append(x.Items, it)
			}
			if len(x.Items) == 0 {
				x.Items = nil
			}
			if k > 0 {
				x.Amount = Money{}
				if x.Booking != nil {
					x.Booking.Amount = Money{}
				}
			}
		}
		out = append(out, x)
	}
	return out
}

// clauseTags reads the tags of [a, b).
func (s *state) clauseTags(a, b int) ctags {
	tg := ctags{date: -1, timeTok: -1}
	for i := a; i < b; i++ {
		t := &s.toks[i]
		if t.sep != 0 {
			continue
		}
		if t.role != rName && t.role != rIgnore && t.role != rCorr && t.role != rLookup {
			tg.content = true
		}
		switch t.role {
		case rDate:
			if t.head && tg.date < 0 {
				tg.date = t.aux
			}
		case rUsual:
			if t.head {
				tg.usualWd = true
			}
		case rTime:
			if t.head && tg.timeTok < 0 {
				tg.timeTok = i
			}
		case rBooking:
			if t.head {
				if t.aux == 1 {
					tg.strong = true
				} else {
					tg.weak = true
					if !t.visit {
						tg.weakAhead = true
					}
				}
				if t.visit {
					tg.visit = true
				}
				if t.num > 0 {
					tg.nights = int(t.num)
				}
			}
		case rFiller:
			tg.visit = tg.visit || t.visit
			tg.habit = tg.habit || t.habit
		case rAmount:
			if t.head && tg.amount.IsZero() {
				tg.amount = Money{Minor: t.num, Currency: t.val}
				if s.atSignBefore(t.start) || s.lowLoose(i+1) == "each" || s.lowLoose(i+1) == "ea" {
					tg.unitPrice = true
				}
			}
		}
		if cancelWords[t.low] {
			tg.cancel = true
			if t.role == rNone {
				t.role = rFree
			}
		}
		if debtWords[t.low] {
			tg.debt = true
			if t.role == rNone {
				t.role = rFree
			}
		}
		w := t.low
		switch t.role {
		case rName, rDate, rAmount, rTime:
			if t.role == rName && t.hangul && strings.HasSuffix(t.raw, "도") {
				if _, cls := stripKo(t.raw, true); cls != 0 {
					tg.too = true
				}
			}
			continue
		case rQty:
			if strings.HasSuffix(w, "씩") || strings.HasSuffix(w, "씩이요") {
				tg.each = true
			}
			continue
		}
		if t.hangul {
			if koDaily[w] {
				tg.daily = true
			}
			if koEach[w] {
				tg.each = true
			}
			switch lastRune(w) {
			case '엔', '는', '다', '면':
				if koCondWords[w] {
					tg.cond = true
				}
				for _, tail := range koCondTails {
					if strings.HasSuffix(w, tail) && len(w) > len(tail) {
						tg.cond = true
					}
				}
			}
			continue
		}
		if enDaily[w] {
			tg.daily = true
		}
		if enEach[w] {
			tg.each = true
		}
		if enToo[w] {
			tg.too = true
		}
	}
	return tg
}

// atSignBefore reports an "@" just before byte offset p: "@ $2.50".
func (s *state) atSignBefore(p int) bool {
	for p > 0 {
		p--
		switch s.text[p] {
		case ' ', '\t':
			continue
		case '@':
			return true
		}
		return false
	}
	return false
}

// clauseFacts reads birthdays, usual weekdays, the usual order and
// context from [a, b).
func (s *state) clauseFacts(c *Clause, a, b int) {
	for i := a; i < b; i++ {
		t := &s.toks[i]
		if t.sep != 0 || !t.head {
			if t.role == rUsualOrder {
				c.Usual = true
			}
			continue
		}
		switch t.role {
		case rBirthday:
			md, y := birthdayOf(t)
			if !md.IsZero() && c.Birthday.IsZero() {
				c.Birthday = md
			}
			if y != 0 && c.BirthYear == 0 {
				c.BirthYear = y
			}
		case rUsual:
			if c.UsualWeekday == crm.NoWeekday {
				c.UsualWeekday = weekdayOf(t.aux)
			}
		case rUsualOrder:
			c.Usual = true
		case rContext:
			addContext(c, t.val)
		case rDate:
			if h := &s.dates[t.aux]; h.e.ctx != "" {
				addContext(c, h.e.ctx)
			}
		}
	}
}

func addContext(c *Clause, v string) {
	if v == "" {
		return
	}
	for _, x := range c.Context {
		if x == v {
			return
		}
	}
	c.Context = append(c.Context, v)
}

// decide makes the clause a visit, a booking or a remark.
func (s *state) decide(c *Clause, tg *ctags, a, b int) {
	hasItems := len(c.Items) > 0 || c.Usual
	hasFacts := len(c.Allergies)+len(c.Likes)+len(c.Dislikes)+len(c.Remove) > 0 || !c.Birthday.IsZero() || c.BirthYear != 0
	timeText := ""
	timeMin := -1
	if tg.timeTok >= 0 {
		t := &s.toks[tg.timeTok]
		timeMin, timeText = int(t.num), t.val
	}
	habit := tg.usualWd || tg.daily && (tg.habit || tg.visit && tg.date < 0 || tg.usualWd || timeMin >= 0 && !tg.strong) || tg.cond
	// A usual time of day: "매일 아침 7시에 와요", "매주 목요일 오전 7시".
	if timeMin >= 0 && (tg.usualWd || tg.daily) && !tg.strong && !hasItems {
		c.UsualTime = hhmm(timeMin)
		timeMin, timeText = -1, ""
		for i := a; i < b; i++ {
			t := &s.toks[i]
			switch {
			case enDaily[t.low] || koDaily[t.low]:
				t.role = rUsual
			case t.role == rFiller && t.habit:
				t.habit = false
			case t.role == rContext && t.head && (enHalf[t.val] != 0 || koHalf[t.val] != 0):
				// "every morning at 7": the morning is part of the usual time.
				t.role = rUsual
				for k, v := range c.Context {
					if v == t.val {
						c.Context = append(c.Context[:k], c.Context[k+1:]...)
						break
					}
				}
			}
		}
	}
	var e dateExpr
	var d crm.Date
	dated, vague := false, false
	if tg.date >= 0 {
		h := &s.dates[tg.date]
		e = h.e
		p := prefNearest
		switch {
		case tg.strong || tg.weakAhead || tg.weak && !tg.visit || e.forward && !tg.visit:
			p = prefFuture
		case tg.visit || e.kind == dkWeekday:
			p = prefPast
		}
		if e.kind == dkVague {
			vague = true
		} else if dd, ok := e.resolve(s.today, p); ok {
			d, dated = dd, true
		}
	}
	future := dated && d.After(s.today) || vague && !e.past && e.kind == dkVague
	past := dated && d.Before(s.today)
	if tg.debt && !tg.amount.IsZero() {
		// "Kim owes $5": owed, not paid; the remark keeps it.
		for i := a; i < b; i++ {
			if t := &s.toks[i]; t.role == rAmount {
				t.role = rFree
			}
		}
		tg.amount = Money{}
	}
	if tg.unitPrice && len(c.Items) == 1 {
		tg.amount.Minor *= int64(c.Items[0].Qty) // "3 croissants @ $2.50"
	}
	booking := false
	switch {
	case tg.cancel:
		s.freeBooking(a, b)
		tg.strong, tg.weak = false, false
	case habit && !tg.strong:
	case tg.strong && !past:
		booking = true
	case future && (hasItems || tg.weak || timeMin >= 0 || tg.nights > 0):
		booking = true
	case tg.weak && timeMin >= 0 && (!dated || d == s.today && timeMin >= s.nowMin):
		booking = true
	}
	if booking && vague {
		// "다음주 케이크 예약": the day is not known; say so and keep the
		// whole remark.
		s.addUnknownDate(tg.date)
		s.markDate(tg, rFree)
		for i := a; i < b; i++ {
			switch t := &s.toks[i]; t.role {
			case rItem, rKnownItem, rMod, rBooking, rTime, rAmount:
				t.role = rFree
			case rQty:
				if t.used {
					t.role = rFree
				}
			}
		}
		c.Items, c.Usual = nil, false
		return
	}
	if booking {
		bk := &Booking{Date: s.today, Amount: tg.amount}
		if dated {
			bk.Date = d
		} else if timeMin >= 0 && timeMin < s.nowMin {
			bk.Date = s.today.AddDays(1) // the time has passed: tomorrow
		}
		if timeMin >= 0 {
			bk.Time = hhmm(timeMin)
		}
		if tg.date >= 0 && s.dates[tg.date].end >= 0 {
			if end, ok := s.dates[s.dates[tg.date].end].e.resolve(bk.Date, prefFuture); ok && end.After(bk.Date) {
				bk.End = end
			}
		} else if tg.nights > 0 {
			bk.End = bk.Date.AddDays(tg.nights)
		}
		bk.What = s.bookingWhat(a, b)
		if bk.What == "" && len(c.Items) == 0 {
			// "아이 생일 파티 예약 다음 주 토요일": the remark is what is booked.
			if note := s.note(a, b); note != "" && !s.hasUnknown(a, b) {
				bk.What = note
				for i := a; i < b; i++ {
					if t := &s.toks[i]; t.role == rFree {
						t.role = rItem
					}
				}
			}
		}
		c.Booking = bk
		for k := 0; k < len(c.Context); k++ {
			if enHalf[c.Context[k]] != 0 || koHalf[c.Context[k]] != 0 {
				c.Context = append(c.Context[:k], c.Context[k+1:]...) // the booking's time says it
				k--
			}
		}
		for i := a; i < b; i++ {
			if t := &s.toks[i]; t.role == rFree && enFutureAux[t.low] {
				t.role = rIgnore // "will", "gonna": the booking says it
			}
		}
		return
	}
	if timeText != "" {
		addContext(c, timeText)
	}
	// A second day the clause cannot use stays in the remark: "어제랑 오늘".
	if tg.date >= 0 && !tg.inherited {
		for i := a; i < b; i++ {
			if t := &s.toks[i]; t.role == rDate && t.head && t.aux != tg.date && s.dates[tg.date].end != t.aux {
				h := &s.dates[t.aux]
				s.mark(h.from, h.to, rFree)
			}
		}
	}
	visit := hasItems || !tg.amount.IsZero()
	if !visit && tg.visit && !tg.cond && (dated || !habit && !future) {
		visit = true
	}
	if !visit && dated && !hasFacts && !s.hasFree(a, b) && !habit {
		visit = true
	}
	if tg.cond || habit && !hasItems && !dated {
		s.freeVisitVerbs(a, b)
	}
	if !visit {
		if tg.date >= 0 && !tg.inherited {
			s.markDate(tg, rFree)
		}
		if s.hasFree(a, b) || timeText != "" || len(c.Context) > 0 && (habit || hasFacts) {
			// A remark keeps its verbs, times and circumstances: "요즘 자주
			// 오심", "매일 출근길에 들름", "체크아웃 11시".
			for i := a; i < b; i++ {
				t := &s.toks[i]
				switch {
				case t.role == rFiller && (t.visit || t.habit), t.role == rContext, t.role == rTime:
					t.role = rFree
				}
			}
			c.Context = nil
		}
		if tg.strong || tg.weak {
			s.freeBooking(a, b)
		}
		return
	}
	switch {
	case vague:
		// "Kim 2 lattes last week": the visit day is not known.
		s.addUnknownDate(tg.date)
		s.markDate(tg, rFree)
	case dated && !future:
		c.Date = d
	case dated:
		// A day ahead with nothing to book: a remark.
		s.markDate(tg, rFree)
		if hasItems {
			c.Date = s.today
		}
	default:
		c.Date = s.today
	}
	if !c.Date.IsZero() {
		c.Amount = tg.amount
	}
}

// markDate gives the tokens of the clause's own day phrase role r.
func (s *state) markDate(tg *ctags, r role) {
	if tg.date < 0 || tg.inherited {
		return
	}
	h := &s.dates[tg.date]
	s.mark(h.from, h.to, r)
	if h.end >= 0 {
		e := &s.dates[h.end]
		s.mark(h.to, e.to, r)
	}
}

// addUnknownDate lists a day phrase that could not give a day.
func (s *state) addUnknownDate(k int) {
	if k < 0 || s.nunknown == len(s.unknown) {
		return
	}
	h := &s.dates[k]
	s.unknown[s.nunknown] = [2]int{h.from, h.to}
	s.nunknown++
}

// freeVisitVerbs keeps the verbs of a habit in the remark: "걸어서 옴".
func (s *state) freeVisitVerbs(a, b int) {
	for i := a; i < b; i++ {
		if t := &s.toks[i]; t.role == rFiller && (t.visit || t.habit) && s.hasFree(a, b) {
			t.role = rFree
		}
	}
}

// freeBooking keeps booking words that booked nothing in the remark.
func (s *state) freeBooking(a, b int) {
	for i := a; i < b; i++ {
		if t := &s.toks[i]; t.role == rBooking {
			if t.visit {
				t.role = rFiller
				continue
			}
			t.role = rFree
		}
	}
}

// hasUnknown reports unknown words in [a, b).
func (s *state) hasUnknown(a, b int) bool {
	for i := a; i < b; i++ {
		if s.toks[i].unknown {
			return true
		}
	}
	return false
}

// hasFree reports free text in [a, b).
func (s *state) hasFree(a, b int) bool {
	for i := a; i < b; i++ {
		if r := s.toks[i].role; r == rFree || r == rMemo {
			return true
		}
	}
	return false
}

// bookingWhat is what a booking is for, as written: the item words,
// quantities, modifiers and specific booking words ("케이크 2호", "cake
// pickup"); generic words (예약, booking) are left out.
func (s *state) bookingWhat(a, b int) string {
	var sb strings.Builder
	for i := a; i < b; i++ {
		t := &s.toks[i]
		if t.sep != 0 {
			continue
		}
		switch t.role {
		case rItem, rKnownItem, rMod:
		case rQty:
			if !t.used || t.qk == qArticle {
				continue
			}
		case rBooking:
			if t.generic {
				continue
			}
		default:
			continue
		}
		if t.role == rFree && t.unknown {
			continue
		}
		if sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		w := t.raw
		if t.hangul && t.role != rQty {
			w, _ = stripKo(w, false)
		}
		sb.WriteString(w)
	}
	return sb.String()
}

// note joins the free-text tokens of [a, b). Runs separated only by
// commas or "and" are kept together with the text between them.
func (s *state) note(a, b int) string {
	var sb strings.Builder
	free := func(r role) bool { return r == rFree || r == rMemo }
	for i := a; i < b; {
		if !free(s.toks[i].role) {
			i++
			continue
		}
		j := i
		last := i
		for k := i + 1; k < b; k++ {
			t := &s.toks[k]
			if free(t.role) {
				last = k
				continue
			}
			if t.sep == ',' || t.sep == 0 && t.role == rFiller {
				continue
			}
			break
		}
		i = last + 1
		if s.functionWordsOnly(j, last+1) {
			continue // a stray "is" or "the" says nothing
		}
		if sb.Len() > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(strings.TrimSpace(s.text[s.toks[j].start:s.toks[last].end]))
	}
	return sb.String()
}

// functionWordsOnly reports a lone English function word in [a, b).
func (s *state) functionWordsOnly(a, b int) bool {
	words := 0
	for k := a; k < b; k++ {
		t := &s.toks[k]
		if t.sep != 0 {
			continue
		}
		words++
		if !enStray[t.low] {
			return false
		}
	}
	return words == 1
}

// enFutureAux only say that a booking lies ahead.
var enFutureAux = map[string]bool{"will": true, "gonna": true, "shall": true, "'ll": true}
