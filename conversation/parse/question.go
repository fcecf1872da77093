package parse

import (
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// Counter questions: "오늘 생일인 사람?", "birthdays this week", "누가 오래
// 안 왔어?", "how many visits this week?", "오늘 예약?". Every word must
// belong to a question (a kind, a range of days, question words), so a
// note about a customer ("김민지 오늘 생일") is never read as one.

// passQuestion reads the whole message as a counter question.
func (s *state) passQuestion() *Question {
	var kind QuestionKind
	rng, hasRange := qRange{}, false
	wdSet, wdDay := false, time.Sunday
	words, qword := 0, s.question
	who, came := false, false
	for i := 0; i < len(s.toks); i++ {
		t := &s.toks[i]
		if t.sep != 0 {
			continue
		}
		words++
		w := strings.TrimSuffix(t.low, "?")
		if r, ok := qRangePairs[[2]string{w, s.lowAtAny(i + 1)}]; ok {
			rng, hasRange = r, true
			i++
			continue
		}
		if r, ok := qRangeWords[w]; ok {
			rng, hasRange = r, true
			continue
		}
		if wd, ok := questionWeekday(w); ok {
			wdSet, wdDay = true, wd
			continue
		}
		k := s.questionKind(i, w)
		switch {
		case k != "":
			if kind == "" || kind == AskVisits && k != AskVisits {
				kind = k
			}
			if w == "birthdays" || w == "bookings" || w == "reservations" || w == "pickups" || w == "appointments" || w == "bdays" {
				qword = true
			}
		case qFiller[w]:
			switch w {
			case "who", "누구", "누가", "anyone", "anybody":
				who = true
			case "came", "visited", "왔어", "왔어요", "왔나", "왔니", "왔는지", "오셨어", "오셨나":
				came = true
			}
			switch w {
			case "who", "whose", "누구", "누가", "any", "how", "몇", "what", "which", "있어", "있나", "있나요", "list", "show", "목록", "명단", "뭐", "뭐야", "언제":
				qword = true
			}
		default:
			if !s.qParticleWord(w) {
				return nil
			}
		}
	}
	if kind == "" && who && came {
		kind = AskVisits // "오늘 누구 왔어?", "who came in today?"
	}
	if kind == "" || words == 0 || !qword && !hasRange && kind != AskLapsed {
		return nil
	}
	if kind == AskLapsed {
		return &Question{Kind: AskLapsed}
	}
	q := &Question{Kind: kind, From: s.today, To: s.today}
	if !hasRange && kind == AskBirthdays {
		q.To = s.today.AddDays(6)
	}
	if hasRange {
		q.From, q.To = s.rangeDays(rng)
	}
	if wdSet {
		// "bookings on Friday": the coming Friday (the last one for visits).
		p := prefFuture
		if kind == AskVisits {
			p = prefPast
		}
		d, _ := dateExpr{kind: dkWeekday, wd: wdDay}.resolve(s.today, p)
		if hasRange && rng.kind == 1 {
			d, _ = dateExpr{kind: dkWeekday, wd: wdDay, mod: wdWeek, week: rng.off}.resolve(s.today, p)
		}
		q.From, q.To = d, d
	}
	return q
}

// questionWeekday reads a weekday in a question: Friday, 금요일, 금요일에.
func questionWeekday(w string) (time.Weekday, bool) {
	if wi, ok := enWeekdays[w]; ok && !wi.abbr {
		return wi.wd, true
	}
	if wd, usual, short, ok := koWeekday(w); ok && !usual && !short {
		return wd, true
	}
	return 0, false
}

// lowAtAny returns the lower-case text of any word at i, or "".
func (s *state) lowAtAny(i int) string {
	if i < 0 || i >= len(s.toks) || s.toks[i].sep != 0 {
		return ""
	}
	return strings.TrimSuffix(s.toks[i].low, "?")
}

// questionKind reads a word that names what is asked.
func (s *state) questionKind(i int, w string) QuestionKind {
	if qBirthdayWords[w] || strings.HasPrefix(w, "생일") && len(w) <= len("생일인사람") {
		return AskBirthdays
	}
	if qBookingWords[w] || strings.HasPrefix(w, "예약") && len(w) <= len("예약있어요") {
		return AskBookings
	}
	if qLapsedWords[w] {
		// "안" alone is lapsed only with a visit verb after it: 안 왔어.
		if w == "안" {
			nx := s.lowAtAny(i + 1)
			if !strings.HasPrefix(nx, "왔") && !strings.HasPrefix(nx, "온") && !strings.HasPrefix(nx, "오") {
				return ""
			}
		}
		if w == "while" || w == "long" {
			return AskLapsed
		}
		return AskLapsed
	}
	if qVisitWords[w] || w == "visits" {
		return AskVisits
	}
	if w == "many" || strings.HasPrefix(w, "몇") {
		return AskVisits
	}
	return ""
}

// qParticleWord reports question glue in Korean: 왔어, 있어요, 안왔어.
func (s *state) qParticleWord(w string) bool {
	for _, p := range [...]string{"왔", "있", "오", "방문", "없"} {
		if strings.HasPrefix(w, p) && len(w) <= len(p)+9 {
			return true
		}
	}
	return false
}

// rangeDays turns a question's range into days.
func (s *state) rangeDays(r qRange) (crm.Date, crm.Date) {
	t := s.today
	switch r.kind {
	case 0:
		d := t.AddDays(r.off)
		return d, d
	case 1:
		mon := t.AddDays(-((int(t.Weekday()) + 6) % 7)).AddDays(7 * r.off)
		return mon, mon.AddDays(6)
	case 2:
		y, m := monthAdd(t.Year, int(t.Month), r.off)
		return crm.Date{Year: y, Month: time.Month(m), Day: 1}, crm.Date{Year: y, Month: time.Month(m), Day: daysIn(m, y)}
	case 3:
		sat := t.AddDays((int(time.Saturday) - int(t.Weekday()) + 7) % 7)
		if t.Weekday() == time.Sunday {
			sat = t.AddDays(-1)
		}
		return sat, sat.AddDays(1)
	}
	return t, t.AddDays(r.off - 1)
}
