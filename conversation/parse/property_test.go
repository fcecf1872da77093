package parse

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// reading is what must not change when the shop knows more words: the
// facts, visits and bookings of every clause.
func reading(r Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s|", r.Intent)
	cls := r.Clauses
	if len(cls) == 0 {
		cls = []Clause{r.flat()}
	}
	for _, c := range cls {
		var words []string
		for _, it := range c.Items {
			words = append(words, strings.Fields(it.Name)...)
			words = append(words, it.Mods...)
		}
		slices.Sort(words)
		fmt.Fprintf(&b, "[%s date=%s items=%v usual=%v allergies=%v likes=%v dislikes=%v remove=%v birthday=%s/%d wd=%d ut=%s",
			c.Customer, c.Date, words, c.Usual, c.Allergies, c.Likes, c.Dislikes, c.Remove, c.Birthday, c.BirthYear,
			c.UsualWeekday, c.UsualTime)
		if bk := c.Booking; bk != nil {
			fmt.Fprintf(&b, " booking=%s..%s@%s", bk.Date, bk.End, bk.Time)
		}
		b.WriteString("]")
	}
	if r.Correction != nil {
		fmt.Fprintf(&b, " correction=%+v", *r.Correction)
	}
	if r.Question != nil {
		fmt.Fprintf(&b, " question=%+v", *r.Question)
	}
	return b.String()
}

// factsOf is the facts of every clause.
func factsOf(r Result) string {
	var b strings.Builder
	for _, c := range r.Clauses {
		fmt.Fprintf(&b, "[%s %v %v %v %v %s]", c.Customer, c.Allergies, c.Likes, c.Dislikes, c.Remove, c.Birthday)
	}
	return b.String()
}

// wordsOf returns the words of a text as the owner typed them.
func wordsOf(text string) []string {
	var out []string
	for _, t := range tokenize(sanitize(text), nil) {
		if t.sep == 0 {
			out = append(out, t.raw)
		}
	}
	return out
}

// TestOneReading: the same note read with and without every one of its
// words known to the shop as an item and as a customer gives the same
// facts, visits and bookings. A word the shop knows as both gives no
// hint, so the reading is the grammar's alone.
func TestOneReading(t *testing.T) {
	for _, c := range allCases() {
		now := c.now
		if now.IsZero() {
			now = thu
		}
		base := Options{Now: now, Loc: seoul, Names: c.names, Items: c.items, Lexicon: c.lex}
		plain := Parse(c.in, base)
		// The case's own known names keep identifying their customer
		// (a known name may legitimately find "dana" or "김민지크루아상").
		var words []string
		for _, w := range wordsOf(c.in) {
			if !isPartOfName(w, c.names) && !isPartOfName(w, c.items) {
				words = append(words, w)
			}
		}
		known := base
		known.Names = append(append([]string{}, c.names...), words...)
		known.Items = append(append([]string{}, c.items...), words...)
		if got, want := reading(Parse(c.in, known)), reading(plain); got != want {
			t.Errorf("%q with every word known:\n got %s\nwant %s", c.in, got, want)
		}
		// Known as items only (the customers' names aside), the facts stay
		// facts: "우유 알레르기".
		if plain.Intent == IntentNote {
			items := base
			items.Items = append([]string{}, c.items...)
			for _, w := range words {
				if !isCustomerWord(w, plain) {
					items.Items = append(items.Items, w)
				}
			}
			if got, want := factsOf(Parse(c.in, items)), factsOf(plain); got != want {
				t.Errorf("%q with every word an item: facts\n got %s\nwant %s", c.in, got, want)
			}
		}
	}
}

// TestNoWordBothItemAndFact: a word is an item or a fact value, not both
// (unless the note says it twice).
func TestNoWordBothItemAndFact(t *testing.T) {
	for _, c := range allCases() {
		for _, known := range []bool{false, true} {
			opt := Options{Now: thu, Loc: seoul, Names: c.names, Items: c.items, Lexicon: c.lex}
			if known {
				opt.Items = append(append([]string{}, c.items...), wordsOf(c.in)...)
			}
			r := Parse(c.in, opt)
			low := strings.ToLower(c.in)
			for _, cl := range r.Clauses {
				facts := append(append(append([]string{}, cl.Allergies...), cl.Likes...), cl.Dislikes...)
				for _, rmv := range cl.Remove {
					facts = append(facts, rmv.Value)
				}
				for _, it := range cl.Items {
					for _, f := range facts {
						if strings.EqualFold(it.Name, f) && strings.Count(low, strings.ToLower(f)) < 2 {
							t.Errorf("%q (known %v): %q is both an item and a fact", c.in, known, f)
						}
					}
				}
			}
		}
	}
}

// datePhrases are day phrases of our own, past and ahead.
var datePhrases = map[string][]string{
	"en": {
		"yesterday", "today", "on Monday", "last Friday", "this past Tuesday", "Sunday last week",
		"the day before yesterday", "3 days ago", "a week ago", "two weeks ago", "a fortnight ago",
		"four months ago", "a year ago", "2 Saturdays ago", "on the 21st", "the 3rd", "Nov 20",
		"November 20th", "20 November", "the 20th of November", "20th of last month", "on 11/20",
		"11.20", "2026-11-20", "11/20/2026", "Oct 31st, 2025", "Tuesday the 24th", "last night",
		"this morning", "tomorrow", "the day after tomorrow", "next Tuesday", "Tuesday next week",
		"Friday after next", "in 3 days", "in two weeks", "a week from today", "next month's 5th",
		"the first Monday of next month", "the last Friday of this month", "Christmas Eve",
		"Dec 24", "on 12/24", "3 Fridays from now", "this coming Saturday",
	},
	"ko": {
		"어제", "오늘", "그저께", "그끄저께", "엊그제", "월요일", "지난주 금요일", "저번주 화요일", "지난 토요일",
		"지지난주 수요일", "이번주 월요일", "3일 전", "일주일 전", "2주 전", "한 달 전", "세 달 전", "이틀 전",
		"지난달 20일", "지난달 말일", "이번 달 3일", "11월 20일", "11/20", "11.20", "2026년 11월 20일",
		"2026-11-20", "작년 12월 24일", "10월 첫째 월요일", "지난달 마지막 금요일", "21일", "어젯밤",
		"내일", "모레", "글피", "다음주 화요일", "다다음주 월요일", "3일 뒤", "일주일 후", "2주 뒤",
		"다음달 5일", "12월 24일", "12/24", "이번주 토요일", "오는 금요일", "내일모레",
	},
}

// TestDateWordsNeverItems: a day phrase in a note names the note's day
// and never becomes an item or a quantity.
func TestDateWordsNeverItems(t *testing.T) {
	tpl := map[string][2]string{"en": {"Kim croissant %s", "%s Kim croissant"}, "ko": {"김민지 크루아상 1개 %s", "%s 김민지 크루아상"}}
	item := map[string]string{"en": "croissant", "ko": "크루아상"}
	for lang, list := range datePhrases {
		for _, p := range list {
			for _, f := range tpl[lang] {
				text := fmt.Sprintf(f, p)
				r := Parse(text, Options{Now: thu, Loc: seoul})
				c := r.Contract()
				if r.Intent != IntentNote || len(r.Items) != 1 || r.Items[0].Name != item[lang] || r.Items[0].Qty != 1 {
					t.Errorf("%q: intent %s, items %+v", text, r.Intent, r.Items)
				}
				if c.Date == "" || r.Note != "" || len(r.Unknown) > 0 {
					t.Errorf("%q: date %q, note %q, unknown %v", text, c.Date, r.Note, r.Unknown)
				}
			}
		}
	}
}

// TestBookingDaysAhead: a booking word reads an open day as the next one.
func TestBookingDaysAhead(t *testing.T) {
	for _, c := range []struct{ in, date string }{
		{"Kim cake pickup Thursday", "2026-11-26"}, {"Kim cake pickup Wednesday", "2026-12-02"},
		{"김민지 케이크 수요일 픽업", "2026-12-02"}, {"김민지 11월 20일 예약", "2027-11-20"},
		{"Kim booking Nov 20", "2027-11-20"}, {"김민지 24일 예약", "2026-12-24"},
		{"Kim latte Wednesday", "2026-11-25"},
	} {
		if got := Parse(c.in, Options{Now: thu, Loc: seoul}).Contract().Date; got != c.date {
			t.Errorf("%q: date %s, want %s", c.in, got, c.date)
		}
	}
}

// isPartOfName reports a word of one of the names (particles aside).
func isPartOfName(w string, names []string) bool {
	w = strings.TrimSuffix(w, "'s")
	stem, _ := stripKo(w, true)
	for _, n := range names {
		for _, p := range strings.Fields(n) {
			if strings.EqualFold(p, w) || strings.EqualFold(p, stem) || strings.HasPrefix(w, p) && len(p) >= 6 {
				return true
			}
		}
	}
	return false
}

// isCustomerWord reports a word of a customer's name in the reading.
func isCustomerWord(w string, r Result) bool {
	var names []string
	for _, c := range r.Clauses {
		names = append(names, c.Customer)
	}
	return isPartOfName(w, names)
}
