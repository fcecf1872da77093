package parse

import "strings"

// maxPrecheck is the most words a greeting, thanks, help or digest message
// may have; longer messages are read as notes.
const maxPrecheck = 10

// precheck recognises whole-message intents: help, thanks, greeting and
// digest. It returns "" for anything else.
func (s *state) precheck() Intent {
	var buf [maxPrecheck]string
	words := buf[:0]
	for i := range s.toks {
		t := &s.toks[i]
		if t.sep != 0 {
			continue
		}
		if len(words) == maxPrecheck {
			return ""
		}
		words = append(words, t.low)
	}
	switch {
	case isHelp(words):
		return IntentHelp
	case allIn(words, thanksCore, thanksExtra):
		return IntentThanks
	case isGreeting(words):
		return IntentGreeting
	case isDigest(words, s.question):
		return IntentDigest
	}
	return ""
}

// allIn reports whether every word is in core or extra and at least one is
// in core.
func allIn(words []string, core, extra map[string]bool) bool {
	seen := false
	for _, w := range words {
		switch {
		case core[w]:
			seen = true
		case extra[w]:
		default:
			return false
		}
	}
	return seen
}

func isGreeting(words []string) bool {
	if allIn(words, greetCore, greetExtra) {
		return true
	}
	if len(words) == 2 && (words[0] == "good" || words[0] == "좋은") {
		switch words[1] {
		case "morning", "afternoon", "evening", "day", "아침", "아침이에요", "아침입니다", "하루":
			return true
		}
	}
	return false
}

func isHelp(words []string) bool {
	if len(words) == 0 {
		return false
	}
	w0 := words[0]
	if helpCore[w0] && len(words) <= 3 {
		return true
	}
	if len(words) >= 2 {
		switch w0 {
		case "how":
			switch words[1] {
			case "do", "can", "to", "does", "should", "would", "shall", "dose":
				return true
			}
		case "what":
			if len(words) >= 3 && words[1] == "can" && (words[2] == "you" || words[2] == "u" || words[2] == "i") {
				return true
			}
		}
	}
	if w0 == "어떻게" || w0 == "사용법" {
		return true
	}
	for _, w := range words {
		if helpKo[w] {
			return true
		}
	}
	return false
}

// isDigest recognises "who should I greet today?", "who's coming today",
// "today", "오늘 누구 와?", "오늘", "오늘 누구 인사해?".
func isDigest(words []string, question bool) bool {
	var who, today, coming, greet, list, onlyToday, people bool
	onlyToday = true
	for _, w := range words {
		who = who || digestWho[w] || strings.HasPrefix(w, "누구")
		today = today || digestToday[w]
		coming = coming || digestComing[w]
		greet = greet || digestGreet[w] || strings.HasPrefix(w, "인사")
		list = list || digestList[w]
		people = people || digestPeople[w]
		onlyToday = onlyToday && (digestOnly[w] || w == "누구" || w == "who")
	}
	switch {
	case onlyToday && (today || list):
		return true
	case who && (today || coming || greet):
		return true
	case list && (today || question || len(words) <= 2):
		return true
	case greet && (today || question):
		return true
	case today && coming && people:
		return true
	}
	return false
}

// passLookup marks lookup words: "who is Kim", "tell me about Kim",
// "김민지 정보", "김민지 누구", "Kim info".
func (s *state) passLookup() {
	first := s.firstWord()
	if first < 0 {
		return
	}
	for _, seq := range enLookupLead {
		if s.matchWords(first, seq) {
			s.mark(first, first+len(seq), rLookup)
			s.lookup = true
			break
		}
	}
	last := -1
	for i := len(s.toks) - 1; i >= 0; i-- {
		if s.toks[i].sep == 0 {
			last = i
			break
		}
	}
	if last > first {
		t := &s.toks[last]
		if koLookupTail[t.low] || enLookupTail[t.low] {
			t.role = rLookup
			s.lookup = true
		}
	}
}

// passGreeting drops a greeting or thanks that opens a note: "Hi! Kim …".
func (s *state) passGreeting() {
	for i := range s.toks {
		t := &s.toks[i]
		if t.sep != 0 {
			continue
		}
		if greetCore[t.low] || thanksCore[t.low] {
			t.role = rFiller
			continue
		}
		return
	}
}
