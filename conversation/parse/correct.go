package parse

// Corrections: "oh wait 3", "I meant 3", "아니 2개 말고 3개", "아니 어제",
// "sorry, 3 not 2". Inside a note about a customer ("Kim 2 croissants, oh
// wait 3") the note mends itself; a message that is only a correction
// mends the author's previous note (IntentCorrection).

// passCorrection marks correction markers. A marker counts when it opens
// the message or follows a separator or a value, and a value (a
// quantity, a day, an item or a name) follows it.
func (s *state) passCorrection() {
	s.corrAt = -1
	for i := 0; i < len(s.toks); i++ {
		t := s.word(i)
		if t == nil {
			continue
		}
		n := 0
		old := false
		if t.hangul {
			switch {
			case koCorrOld[t.low]:
				n, old = 1, true
			case koCorrLead[t.low] && s.corrPlace(i):
				n = 1
			}
		} else {
			for _, seq := range enCorrLead {
				if s.matchWords(i, seq) && s.corrPlace(i) {
					n = len(seq)
					break
				}
			}
			if n == 0 {
				switch {
				case t.low == "not" && s.valueAt(i+1) && i > 0 && s.valueAt(i-1):
					n, old = 1, true
				case t.low == "instead" && s.lowAt(i+1) == "of":
					n, old = 2, true
				case t.low == "no" && (i == s.firstWord() || s.sepAt(i-1) == ',' || s.valueAt(i-1)) && (s.sepAt(i+1) == ',' || s.valueAt(i+1)) && s.valueAfter(i+1):
					n = 1
				}
			}
		}
		if n == 0 || !old && !s.valueAfter(i+n) {
			continue
		}
		s.mark(i, i+n, rCorr)
		start := i
		if old {
			// The wrong value comes first: "2개 말고 3개".
			if j := s.valueStart(i - 1); j >= 0 {
				start = j
			}
		}
		if s.corrAt < 0 || start < s.corrAt {
			s.corrAt = start
		}
		i += n - 1
	}
}

// corrPlace reports whether a marker at i may open a correction.
func (s *state) corrPlace(i int) bool {
	j := s.firstWord()
	for j >= 0 && j < i && interjections[s.toks[j].low] {
		j++ // "아 잠깐", "oh sorry"
	}
	if i == j {
		return true
	}
	p := &s.toks[i-1]
	if p.sep != 0 {
		return true
	}
	if p.role == rQty || p.role == rDate || p.role == rItem || p.role == rKnownItem {
		return true
	}
	return p.role == rNone || p.role == rName
}

// valueAt reports a quantity, day or number at i.
func (s *state) valueAt(i int) bool {
	if i < 0 || i >= len(s.toks) {
		return false
	}
	t := &s.toks[i]
	if t.sep != 0 {
		return false
	}
	switch t.role {
	case rQty, rDate, rTime:
		return true
	}
	return t.digit
}

// valueAfter reports a value right after a marker at i (a few filler
// words may stand between): a quantity, a day, a time; in Korean also an
// item or a name ("아니 라떼 3잔", "아니 박서준").
func (s *state) valueAfter(i int) bool {
	for j := i; j < len(s.toks) && j < i+4; j++ {
		t := &s.toks[j]
		if t.sep == ';' {
			return false
		}
		if t.sep != 0 {
			continue
		}
		switch t.role {
		case rQty, rDate, rTime:
			return true
		case rName, rKnownItem:
			return t.hangul
		case rNone:
			if t.digit {
				return true
			}
			if t.hangul {
				stem, _ := stripKo(t.raw, false)
				if commonItems[stem] || koItemWord(stem) {
					return true
				}
				_, _, ok := s.strictName(j)
				return ok
			}
			switch t.low {
			case "no", "it's", "its", "it", "was", "is", "make", "that", "the", "like":
				continue
			}
			return false
		case rFiller, rCorr:
			continue
		}
		return false
	}
	return false
}

// valueStart finds where the wrong value before a "말고" starts.
func (s *state) valueStart(j int) int {
	if j < 0 {
		return -1
	}
	t := &s.toks[j]
	switch {
	case t.sep != 0:
		return -1
	case t.role == rQty:
		for j > 0 && s.toks[j].qk == qNone && s.toks[j-1].role == rQty {
			j--
		}
		return j
	case t.role == rDate:
		for j > 0 && s.toks[j-1].role == rDate {
			j--
		}
		return j
	case t.role == rNone || t.role == rName && t.head:
		return j
	}
	return -1
}

// prepareCorrection reads the correction region [corrAt, end) into
// s.corr and takes its tokens out of the note.
func (s *state) prepareCorrection() {
	if s.corrAt < 0 {
		return
	}
	c := &s.corr
	var itemFrom, oldItemFrom = -1, -1
	var itemTo, oldItemTo int
	for i := s.corrAt; i < len(s.toks); i++ {
		t := &s.toks[i]
		if t.sep != 0 {
			continue
		}
		old := s.oldValue(i)
		switch t.role {
		case rQty:
			if t.qk == qNone {
				break
			}
			if old {
				c.wasQty = t.qty
			} else if c.Qty == 0 {
				c.Qty = t.qty
			}
		case rDate:
			if t.head && !old && c.date < 0 {
				c.date = t.aux
			}
		case rName:
			if t.head && !old && c.Customer == "" {
				c.Customer = t.val
			}
		case rNone, rKnownItem, rMod:
			if t.latin && enMarker(t.low) {
				break
			}
			if old {
				if oldItemFrom < 0 {
					oldItemFrom = i
				}
				oldItemTo = i + 1
			} else if itemFrom < 0 || itemTo == i {
				if itemFrom < 0 {
					itemFrom = i
				}
				itemTo = i + 1
			}
		}
	}
	if itemFrom >= 0 {
		c.Item = s.phraseName(itemFrom, itemTo)
		if kn := s.toks[itemFrom].val; s.toks[itemFrom].role == rKnownItem && kn != "" && itemTo == itemFrom+1 {
			c.Item = kn
		}
		// A lone Korean name-like word with no value is a customer: "아니 박서준".
		if c.Qty == 0 && c.date < 0 && c.Customer == "" && itemTo == itemFrom+1 {
			if name, _, ok := s.strictName(itemFrom); ok && s.toks[itemFrom].hangul {
				c.Customer, c.Item = name, ""
			}
		}
	}
	if oldItemFrom >= 0 {
		c.Was = s.phraseName(oldItemFrom, oldItemTo)
	}
	c.region = true
	s.mark(s.corrAt, len(s.toks), rCorr)
}

// oldValue reports a value that the correction says was wrong: before
// "말고", after "not" or "instead of".
func (s *state) oldValue(i int) bool {
	for j := i + 1; j < len(s.toks) && j <= i+2; j++ {
		t := &s.toks[j]
		if t.sep != 0 {
			break
		}
		if koCorrOld[t.low] {
			return true
		}
		if t.role != rQty || t.qk != qNone {
			break
		}
	}
	for j := i - 1; j >= 0 && j >= i-2; j-- {
		t := &s.toks[j]
		if t.sep != 0 {
			break
		}
		if t.low == "not" || t.low == "of" && j > 0 && s.toks[j-1].low == "instead" {
			return true
		}
		if t.role != rNone && t.role != rCorr || t.low == "not" {
			break
		}
	}
	return false
}

// applyCorrection mends the note the correction is in, or turns the
// message into a correction of the previous note.
func (s *state) applyCorrection(groups []Clause) {
	if !s.corr.region {
		return
	}
	c := &s.corr
	// The group holding the correction and whether it said anything before it.
	g := 0
	for k := 0; k < s.ncusts; k++ {
		if s.custs[k].tok < s.corrAt {
			g = s.custs[k].group
		}
	}
	inNote := g < len(groups) && s.ncusts > 0 && s.custs[0].tok < s.corrAt &&
		(len(groups[g].Items) > 0 || !groups[g].Date.IsZero() || groups[g].Booking != nil)
	if !inNote {
		out := &Correction{Qty: c.Qty, Item: c.Item, Was: c.Was, Customer: c.Customer}
		if c.date >= 0 {
			if d, ok := s.dates[c.date].e.resolve(s.today, prefPast); ok {
				out.Date = d
			}
		}
		if out.Qty == 0 && out.Item == "" && out.Date.IsZero() && out.Customer == "" {
			return // nothing to mend with: read as a note
		}
		if s.ncusts > 0 && out.Customer == "" {
			out.Customer = s.custs[0].name
		}
		s.res.Intent = IntentCorrection
		s.res.Correction = out
		return
	}
	cl := &groups[g]
	if c.date >= 0 {
		if d, ok := s.dates[c.date].e.resolve(s.today, prefPast); ok {
			if cl.Booking != nil {
				cl.Booking.Date = d
			} else {
				cl.Date = d
			}
		}
	}
	if len(cl.Items) == 0 {
		return
	}
	target := len(cl.Items) - 1
	for k := range cl.Items {
		if c.Was != "" && cl.Items[k].Name == c.Was || c.Was == "" && c.Item != "" && cl.Items[k].Name == c.Item {
			target = k
		}
	}
	it := &cl.Items[target]
	if c.Item != "" && c.Item != it.Name && (c.Was != "" || c.Qty == 0) {
		it.Name = c.Item
	}
	if c.Qty > 0 {
		it.Qty = c.Qty
	}
}

// interjections may open a correction: "아 잠깐 2개".
var interjections = map[string]bool{"아": true, "앗": true, "어": true, "헉": true, "oh": true, "ah": true, "uh": true, "oops": true, "hmm": true}

// corrState is a correction being read.
type corrState struct {
	region   bool
	Qty      int
	wasQty   int
	Item     string
	Was      string
	Customer string
	date     int
}
