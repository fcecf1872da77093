package parse

import (
	"strings"
	"time"
)

// Korean day phrases.

// koRelDays are days named relative to today.
var koRelDays = map[string]int{
	"오늘": 0, "금일": 0, "당일": 0, "어제": -1, "어저께": -1, "그저께": -2, "그제": -2, "엊그제": -2,
	"엊그저께": -2, "그끄저께": -3, "그끄제": -3, "내일": 1, "낼": 1, "모레": 2, "내일모레": 2, "낼모레": 2,
	"글피": 3,
}

// koRelOrder lists koRelDays keys, longest first.
var koRelOrder = []string{
	"그끄저께", "엊그저께", "내일모레", "어저께", "그저께", "엊그제", "그끄제", "낼모레", "오늘", "금일", "당일",
	"어제", "그제", "내일", "모레", "글피", "낼",
}

// koRelTails may follow 어제: 어제는, 어제도.
var koRelTails = map[string]bool{
	"": true, "은": true, "는": true, "도": true, "에": true, "의": true, "엔": true, "에는": true, "까지": true,
	"부터": true, "중": true, "중에": true, "중으로": true, "쯤": true, "날": true, "이": true, "가": true,
	"랑": true, "이랑": true, "하고": true, "와": true, "과": true,
}

// koCountWords are counts of days written as words.
var koCountWords = map[string]int{
	"하루": 1, "이틀": 2, "사흘": 3, "나흘": 4, "닷새": 5, "엿새": 6, "이레": 7, "여드레": 8, "아흐레": 9,
	"열흘": 10, "보름": 15, "일주일": 7,
}

var koCountOrder = []string{"여드레", "아흐레", "일주일", "하루", "이틀", "사흘", "나흘", "닷새", "엿새", "이레", "열흘", "보름"}

// koBack and koAhead follow a count: 3일 전, 2주 뒤, 1주일 안에.
var koBack = map[string]bool{"전": true, "전에": true, "이전": true, "이전에": true, "앞": true, "전쯤": true, "전쯤에": true, "전에도": true, "전엔": true}
var koAhead = map[string]bool{
	"후": true, "뒤": true, "후에": true, "뒤에": true, "이후": true, "이후에": true, "있다가": true, "지나서": true,
	"안에": true, "안": true, "내": true, "내에": true, "이내": true, "이내에": true, "안으로": true, "내로": true,
	"내로요": true, "후쯤": true, "뒤쯤": true,
}

// koRelDay reads 오늘, 어제는, 내일모레, 어젯밤, 오늘아침.
func koRelDay(w string) (dateExpr, bool) {
	if w == "어젯밤" || w == "어젯저녁" {
		return dateExpr{kind: dkOffset, off: -1, ctx: strings.TrimPrefix(w, "어젯")}, true
	}
	if w == "오늘밤" || w == "낼밤" {
		return dateExpr{kind: dkOffset, off: koRelDays[strings.TrimSuffix(w, "밤")], ctx: "밤"}, true
	}
	for _, rel := range koRelOrder {
		if strings.HasPrefix(w, rel) {
			off := koRelDays[rel]
			rest := w[len(rel):]
			if koRelTails[rest] {
				return dateExpr{kind: dkOffset, off: off}, true
			}
			if r2, _ := stripKo(rest, false); koTimes[r2] {
				return dateExpr{kind: dkOffset, off: off, ctx: r2}, true
			}
			return dateExpr{}, false
		}
	}
	return dateExpr{}, false
}

// koCountUnit reads a count with its unit from w: 3일, 3주, 3주일, 한달,
// 두 달 (the numeral alone when the unit is the next word), 일주일, 이틀.
// days or months says the unit; rest is what follows in w.
func koCountUnit(w string) (n, days, months int, rest string, ok bool) {
	for _, cw := range koCountOrder {
		if strings.HasPrefix(w, cw) {
			return koCountWords[cw], 1, 0, w[len(cw):], true
		}
	}
	v, r, _, _, ok := koNumeral(w)
	if !ok || v <= 0 || v > 400 {
		return 0, 0, 0, "", false
	}
	days, months, rest, ok = koUnit(r)
	return v, days, months, rest, ok
}

// koUnit reads a unit of time at the start of w.
func koUnit(w string) (days, months int, rest string, ok bool) {
	switch {
	case strings.HasPrefix(w, "주일"):
		return 7, 0, w[len("주일"):], true
	case strings.HasPrefix(w, "주"):
		return 7, 0, w[len("주"):], true
	case strings.HasPrefix(w, "개월"):
		return 0, 1, w[len("개월"):], true
	case strings.HasPrefix(w, "달"):
		return 0, 1, w[len("달"):], true
	case strings.HasPrefix(w, "년"):
		return 0, 12, w[len("년"):], true
	case strings.HasPrefix(w, "해"):
		return 0, 12, w[len("해"):], true
	case strings.HasPrefix(w, "일"):
		return 1, 0, w[len("일"):], true
	}
	return 0, 0, "", false
}

// koCount reads "3일 전", "3주전", "3주이전", "한 달 전", "일주일 뒤",
// "1주일안에", "2주 후에".
func (s *state) koCount(i int) (dateExpr, int) {
	w := s.lowAt(i)
	n, days, months, rest, ok := koCountUnit(w)
	used := 1
	if !ok {
		// 한 달 전, 두 달 뒤: numeral and unit apart.
		v, r, _, _, okN := koNumeral(w)
		if !okN || r != "" || v <= 0 || v > 400 {
			return dateExpr{}, 0
		}
		d2, m2, rest2, okU := koUnit(s.lowAt(i + 1))
		if !okU {
			return dateExpr{}, 0
		}
		n, days, months, rest, used = v, d2, m2, rest2, 2
	}
	sign := 0
	switch {
	case koBack[rest]:
		sign = -1
	case koAhead[rest]:
		sign = 1
	case rest == "" || rest == "쯤" || rest == "정도":
		nx := s.lowAt(i + used)
		if koBack[nx] {
			sign = -1
		} else if koAhead[nx] {
			sign = 1
		}
		if sign != 0 {
			used++
		}
	}
	if sign == 0 {
		return dateExpr{}, 0
	}
	return countExpr(n, days, months, sign), used
}

// koWeekRel reads a week reference at the start of w: 지난주 (-1),
// 지지난주 (-2), 이번주 (0), 다음주 (+1), 다다음주 (+2), and the words
// 지난, 저번, 이번, 다음, 오는 (weekOK: followed by 주 or a weekday).
func koWeekRel(w string) (week int, rest string, bare, coming, ok bool) {
	for _, p := range koWeekPrefixes {
		if strings.HasPrefix(w, p.s) {
			return p.week, w[len(p.s):], false, false, true
		}
	}
	switch w {
	case "지난", "저번", "전번":
		return -1, "", true, false, true
	case "이번", "요번":
		return 0, "", true, false, true
	case "다음", "담", "돌아오는":
		return 1, "", true, false, true
	case "오는":
		return 0, "", true, true, true
	}
	return 0, "", false, false, false
}

type koWeekPrefix struct {
	s    string
	week int
}

var koWeekPrefixes = []koWeekPrefix{
	{"지지난주", -2}, {"저저번주", -2}, {"지지난 주", -2}, {"다다음주", 2}, {"다담주", 2},
	{"지난주", -1}, {"저번주", -1}, {"전주", -1}, {"이번주", 0}, {"요번주", 0}, {"금주", 0},
	{"다음주", 1}, {"담주", 1}, {"차주", 1}, {"익주", 1},
}

// koMonthRel reads 지난달, 이번 달, 다음달, 다다음달 at i: the month offset
// and the tokens used.
func (s *state) koMonthRel(i int) (off, used int, ok bool) {
	w := s.lowAt(i)
	if v, ok := koMonthRels[w]; ok {
		return v, 1, true
	}
	switch w {
	case "지난", "저번", "전번":
		off = -1
	case "이번", "요번":
		off = 0
	case "다음", "담":
		off = 1
	default:
		return 0, 0, false
	}
	if nx := s.lowAt(i + 1); nx == "달" || nx == "달에" || nx == "달은" {
		return off, 2, true
	}
	return 0, 0, false
}

var koMonthRels = map[string]int{
	"지난달": -1, "저번달": -1, "전달": -1, "지지난달": -2, "저저번달": -2, "이번달": 0, "요번달": 0, "금월": 0,
	"이달": 0, "다음달": 1, "담달": 1, "내달": 1, "다다음달": 2, "지난달에": -1, "이번달에": 0, "다음달에": 1,
}

var koYearRels = map[string]int{
	"작년": -1, "지난해": -1, "전년": -1, "재작년": -2, "올해": 0, "금년": 0, "올": 0, "내년": 1, "다음해": 1,
	"작년에": -1, "올해에": 0, "내년에": 1,
}

// koOrdinal reads 첫째, 두번째, 마지막 at the start of w.
func koOrdinal(w string) (nth int, rest string, ok bool) {
	for _, o := range koOrdinals {
		if strings.HasPrefix(w, o.s) {
			return o.n, w[len(o.s):], true
		}
	}
	return 0, "", false
}

type koOrd struct {
	s string
	n int
}

var koOrdinals = []koOrd{
	{"다섯번째", 5}, {"첫번째", 1}, {"두번째", 2}, {"세번째", 3}, {"네번째", 4}, {"다섯째", 5}, {"첫째", 1},
	{"둘째", 2}, {"두째", 2}, {"셋째", 3}, {"넷째", 4}, {"마지막", -1}, {"첫", 1},
}

// koWeekdayAt reads a weekday at i or from the rest of a word.
func (s *state) koWeekdayAt(i int) (time.Weekday, bool) {
	if wd, usual, short, ok := koWeekday(s.lowAt(i)); ok && !usual && !short {
		return wd, true
	}
	return 0, false
}

// koInMonth reads what follows a month: D일 [weekday], ORD weekday,
// 마지막 날, 말일. e has the month set; it returns the tokens used from i.
func (s *state) koInMonth(i int, e *dateExpr, sinoDay bool) int {
	w := s.lowAt(i)
	if w == "" {
		return 0
	}
	if d, tail, ok := koDayWord(w, sinoDay); ok && koDateTails[tail] {
		if nx := s.lowAt(i + 1); koBack[nx] && nx != "앞" || nx == "동안" || nx == "간" {
			return 0
		}
		e.kind, e.d = dkDay, d
		if wd, ok := s.koWeekdayAt(i + 1); ok {
			e.wd, e.wdCheck = wd, true
			return 2
		}
		return 1
	}
	switch w {
	case "말", "말일", "말에", "말일에", "마지막날", "마지막날에", "그믐":
		e.kind, e.nth = dkLastDay, 1
		return 1
	}
	if nth, rest, ok := koOrdinal(w); ok {
		if rest == "날" || rest == "날에" || rest == "" && (s.lowAt(i+1) == "날" || s.lowAt(i+1) == "날에") {
			if nth != -1 {
				return 0
			}
			e.kind, e.nth = dkLastDay, 1
			if rest == "" {
				return 2
			}
			return 1
		}
		if rest != "" {
			if wd, usual, short, ok := koWeekday(rest); ok && !usual && !short {
				e.kind, e.nth, e.wd = dkNth, nth, wd
				return 1
			}
			return 0
		}
		if wd, ok := s.koWeekdayAt(i + 1); ok {
			e.kind, e.nth, e.wd = dkNth, nth, wd
			return 2
		}
	}
	return 0
}

// koDateFirst reports a syllable that may open a Korean day phrase; any
// other word is no date, which spares the readers below.
func koDateFirst(r rune) bool {
	switch r {
	case '오', '금', '당', '어', '그', '엊', '내', '낼', '모', '글', '하', '이', '사', '나', '닷', '엿', '여',
		'아', '열', '보', '일', '지', '저', '전', '요', '다', '담', '차', '익', '돌', '매', '작', '재', '올',
		'월', '화', '수', '목', '토', '한', '두', '세', '네', '삼', '육', '칠', '팔', '구', '십', '유', '시',
		'둘', '셋', '넷', '스', '서', '마', '쉰', '석', '넉', '천', '백', '며', '몇':
		return true
	}
	return false
}

func (s *state) matchDateKo(i int, t *token) (dateExpr, int) {
	w := t.low
	if !t.digit && !koDateFirst(firstRune(w)) {
		return dateExpr{}, 0
	}
	if e, ok := koRelDay(w); ok {
		return e, 1
	}
	if e, n := s.koCount(i); n > 0 {
		return e, n
	}
	// 며칠 전, 몇 주 전: a period, no day.
	if strings.HasPrefix(w, "며칠") || w == "몇" && strings.HasPrefix(s.lowAt(i+1), "주") {
		j, rest := i+1, strings.TrimPrefix(w, "며칠")
		if w == "몇" {
			rest = strings.TrimPrefix(strings.TrimPrefix(s.lowAt(i+1), "주일"), "주")
			j++
		}
		if rest == "" {
			rest = s.lowAt(j)
			j++
		}
		switch {
		case koBack[rest]:
			return dateExpr{kind: dkVague, past: true}, j - i
		case koAhead[rest]:
			return dateExpr{kind: dkVague}, j - i
		}
	}
	// 작년 3월 14일, 올해 10월.
	if yo, ok := koYearRels[w]; ok {
		e := dateExpr{y: s.today.Year + yo}
		if m, tail, ok := koMonthWord(s.lowAt(i + 1)); ok && tail == "" {
			e.m = m
			if n := s.koInMonth(i+2, &e, true); n > 0 {
				if e.kind == dkDay {
					e.kind = dkCalendar
				}
				return e, 2 + n
			}
		}
		return dateExpr{kind: dkVague, past: yo < 0}, 1
	}
	// 지난달 20일, 다음 달 첫째 월요일, 이번달 말일.
	if off, used, ok := s.koMonthRel(i); ok {
		e := dateExpr{rel: true, mOff: off}
		if n := s.koInMonth(i+used, &e, true); n > 0 {
			return e, used + n
		}
		return dateExpr{kind: dkVague, past: off < 0}, used
	}
	// 지난주 금요일, 다음 주 화요일, 매주 목요일, 오는 금요일.
	if w == "매주" || w == "매" && s.lowAt(i+1) == "주" {
		j := i + 1
		if w == "매" {
			j++
		}
		if wd, _, _, ok := koWeekday(s.lowAt(j)); ok {
			return dateExpr{kind: dkWeekday, wd: wd, usual: true}, j + 1 - i
		}
		return dateExpr{}, 0
	}
	if week, rest, bare, coming, ok := koWeekRel(w); ok {
		j := i + 1
		if bare {
			if nx := s.lowAt(j); nx == "주" || nx == "주에" || nx == "주는" || nx == "주엔" {
				j++
				bare = false
			}
		}
		var wd time.Weekday
		found := false
		if rest != "" {
			if d, _, _, ok := koWeekday(rest); ok {
				wd, found = d, true
			} else if !koRelTails[rest] {
				return dateExpr{}, 0
			}
		} else if d, usual, short, ok := koWeekday(s.lowAt(j)); ok && !usual && (!short || !bare) {
			wd, found = d, true
			j++
		}
		if found {
			if coming {
				return dateExpr{kind: dkWeekday, wd: wd, mod: wdComing}, j - i
			}
			return dateExpr{kind: dkWeekday, wd: wd, mod: wdWeek, week: week}, j - i
		}
		if bare {
			return dateExpr{}, 0
		}
		return dateExpr{kind: dkVague, past: week < 0}, j - i
	}
	// [2015년] 3월 14일 [금요일], 10월 첫째 화요일, 10월 마지막날.
	j := i
	var e dateExpr
	if y, ok := s.koYearWord(w); ok {
		e.y = y
		j++
	}
	if m, tail, ok := koMonthWord(s.lowAt(j)); ok && tail == "" {
		e.m = m
		sino := !s.toks[j].digit
		if n := s.koInMonth(j+1, &e, sino || true); n > 0 {
			if e.kind == dkDay {
				e.kind = dkCalendar
			}
			return e, j + 1 + n - i
		}
		return dateExpr{}, 0
	}
	if j > i {
		return dateExpr{}, 0
	}
	// 11/24, 2026.11.24, 12/25에.
	if t.digit {
		k := 0
		for k < len(w) && w[k] < 0x80 {
			k++
		}
		if koDateTails[w[k:]] {
			if y, m, d, ok := numDate(w[:k], true); ok {
				e := dateExpr{kind: dkCalendar, y: s.yearOf(y), m: m, d: d}
				if wd, ok := s.koWeekdayAt(i + 1); ok && e.y == 0 {
					e.wd, e.wdCheck = wd, true
					return e, 2
				}
				return e, 1
			}
		}
	}
	// 24일 [화요일]: a day of the month.
	var dm dateExpr
	if n := s.koInMonth(i, &dm, false); n > 0 && dm.kind == dkDay {
		if tail := strings.TrimLeft(w, "0123456789"); strings.HasPrefix(tail, "일생") {
			return dateExpr{}, 0
		}
		return dm, n
	}
	if wd, usual, short, ok := koWeekday(w); ok {
		if short && i > 0 {
			// "할 수 있음": 수 after a verb in ㄹ is no Wednesday.
			if p := s.toks[i-1]; p.sep == 0 && jong(lastRune(p.raw)) == jongRieul {
				return dateExpr{}, 0
			}
		}
		e := dateExpr{kind: dkWeekday, wd: wd, usual: usual}
		if s.lowAt(i+1) == "마다" {
			e.usual = true
			return e, 2
		}
		return e, 1
	}
	return dateExpr{}, 0
}

// koWeekday reads a Korean weekday word: 목요일, 목요일에, 목욜, 목, 목요일마다.
func koWeekday(w string) (wd time.Weekday, usual, short, ok bool) {
	r, sz := firstRuneSize(w)
	wd, ok = koWeekdayRunes[r]
	if !ok {
		return 0, false, false, false
	}
	rest := w[sz:]
	switch {
	case strings.HasPrefix(rest, "요일"):
		rest = rest[len("요일"):]
	case strings.HasPrefix(rest, "욜"):
		rest = rest[len("욜"):]
	case rest == "" && r != '일':
		return wd, false, true, true
	default:
		return 0, false, false, false
	}
	if !koWeekdayTails[rest] {
		return 0, false, false, false
	}
	return wd, rest == "마다", false, true
}
