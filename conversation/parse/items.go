package parse

import (
	"slices"
	"strings"
)

// --- Items ---

// items reads the words left in [a, b) into the clause's items.
func (s *state) items(a, b int) {
	s.markMods(a, b)
	s.nweak, s.nmodRuns = 0, 0
	s.nitemPos = 0
	for i := a; i < b; {
		if !s.itemish(i) {
			i++
			continue
		}
		j := i
		for j < b && s.itemish(j) {
			j++
		}
		s.segment(i, j, false)
		i = j
	}
	s.settleWeak()
	// Items come out in the order written, whatever was settled first.
	items := s.cl.Items
	if s.nitemPos == len(items) {
		for i := 1; i < len(items); i++ {
			for j := i; j > 0 && s.itemPos[j] < s.itemPos[j-1]; j-- {
				items[j], items[j-1] = items[j-1], items[j]
				s.itemPos[j], s.itemPos[j-1] = s.itemPos[j-1], s.itemPos[j]
			}
		}
	}
	// Modifiers alone go with the item written before them (or else the
	// first one after them); with no item at all they name one: "Kim decaf".
	for m := 0; m < s.nmodRuns; m++ {
		r := s.modRuns[m]
		target := -1
		if s.nitemPos == len(s.cl.Items) {
			for k := 0; k < s.nitemPos; k++ {
				if s.itemPos[k] < r.a || target < 0 {
					target = k
				}
			}
		} else if len(s.cl.Items) > 0 {
			target = len(s.cl.Items) - 1
		}
		if target < 0 {
			s.segment(r.a, r.b, true)
			continue
		}
		it := &s.cl.Items[target]
		for k := r.a; k < r.b; k++ {
			if t := &s.toks[k]; t.role == rMod && t.head {
				it.Mods = appendMod(it.Mods, t.val)
			}
		}
	}
	s.nmodRuns = 0
}

func (s *state) itemish(i int) bool {
	t := &s.toks[i]
	return t.sep == 0 && (t.role == rNone || t.role == rQty || t.role == rKnownItem || t.role == rMod)
}

// markMods marks the modifiers among [a, b): "iced", "oat milk", "샷추가",
// "따뜻한", "샷 추가", "2호".
func (s *state) markMods(a, b int) {
	for k := a; k < b; k++ {
		t := s.word(k)
		if t == nil {
			continue
		}
		n := 0
		if t.hangul {
			stem, _ := stripKo(t.low, false)
			switch {
			case t.low == "샷" && k+1 < b && s.toks[k+1].role == rQty && s.lowLoose(k+2) == "추가":
				n = 3 // 샷 하나 추가
			case koModPairFirst[t.low] && koModPairs[[2]string{t.low, s.lowLoose(k + 1)}]:
				n = 2
			case koModSecond[s.lowLoose(k+1)] && k > a && s.toks[k-1].role != rName:
				n = 2 // 딸기 빼고, 치즈 듬뿍
			case koMods[t.low] || koMods[stem]:
				n = 1
			case t.digit:
				if v, tail, ok := koNumUnit(t.low, koSizeCounter); ok && v < 100 && (tail == "" || koQtyTails[tail]) {
					n = 1
				} else if _, tail, ok := koNumUnit(t.low, "개입"); ok && tail == "" {
					n = 1
				}
			}
		} else if t.digit && weightUnit(t.low) {
			n = 1 // 200g, 1kg, 500ml
		} else if t.latin {
			for _, p := range enModPhrases[t.low] {
				if s.matchWords(k, p) {
					n = len(p)
					break
				}
			}
			if n == 0 && enMods[t.low] {
				if nx := s.lowAt(k + 1); !enModCompounds[t.low+" "+nx] && !enModCompounds[t.low+" "+singular(nx)] {
					n = 1
				}
			}
		}
		if n == 0 || k+n > b {
			continue
		}
		s.mark(k, k+n, rMod)
		t.head, t.val = true, strings.ToLower(strings.TrimSpace(s.text[t.start:s.toks[k+n-1].end]))
		t.val = strings.TrimPrefix(strings.TrimPrefix(t.val, "with "), "an ")
		if t.hangul {
			t.val = strings.TrimSpace(s.text[t.start:s.toks[k+n-1].end])
		}
		k += n - 1
	}
}

// lowLoose returns the lower-case text of the word at i whether or not a
// filler pass took it, or "".
func (s *state) lowLoose(i int) string {
	if i < 0 || i >= len(s.toks) || s.toks[i].sep != 0 {
		return ""
	}
	if r := s.toks[i].role; r != rNone && r != rFiller {
		return ""
	}
	return s.toks[i].low
}

// weightUnit reports an amount of stuff: 200g, 1kg, 500ml, 1l, 2lb.
func weightUnit(w string) bool {
	k := 0
	for k < len(w) && (isDigitASCII(rune(w[k])) || w[k] == '.') {
		k++
	}
	switch w[k:] {
	case "g", "kg", "ml", "l", "lb", "lbs", "oz", "그램", "키로", "킬로":
		return k > 0
	}
	return false
}

// phrase is an item being built: words [from, to), a quantity and mods.
type phrase struct {
	from, to int
	qty      int
	hasQty   bool
	suffix   bool // the quantity follows the words
	known    string
	mods     [4]string
	nmods    int
}

func (p *phrase) addMod(m string) {
	if p.nmods < len(p.mods) {
		p.mods[p.nmods] = m
		p.nmods++
	}
}

func (p *phrase) hasHead() bool { return p.from >= 0 || p.known != "" }

// weakRun is a run of plain words without a quantity, settled last.
type weakRun struct{ a, b int }

// segment reads the run [a, b) of words, quantities and modifiers. A run
// with a quantity or a known item is an item list. A run without one is an
// item when it has at most three words and no marker (verb, function
// word) and looks like an item or sits among items (see settleWeak);
// otherwise free text. Inside an item list, English markers start free
// text up to the next quantity; a Korean marker makes the words before it
// free text (the verb closes a Korean clause).
func (s *state) segment(a, b int, force bool) {
	words, strong, marker, mods, dets := 0, false, false, 0, 0
	for k := a; k < b; k++ {
		t := &s.toks[k]
		if t.role == rNone && !t.hangul && enDeterminers[t.low] {
			dets++
		}
		switch t.role {
		case rQty:
			// "a cake for her mom": an article opening the run counts.
			if t.qk != qArticle && t.qk != qNone || t.qk == qArticle && k == a {
				strong = true
			}
		case rKnownItem:
			strong = true
		case rMod:
			if t.head {
				mods++
			}
		case rNone:
			words++
			if s.markerIn(k, a) || !isItemWord(t) {
				marker = true
			}
		}
	}
	if !strong && (marker || words > 3 || words > 0 && dets == words) {
		for k := a; k < b; k++ {
			s.toks[k].role = rFree
		}
		return
	}
	if !strong && words == 0 && !force {
		// Modifiers alone: "flat white, oat milk" → the item before,
		// once every item is known.
		if s.nmodRuns < len(s.modRuns) {
			s.modRuns[s.nmodRuns] = weakRun{a, b}
			s.nmodRuns++
			return
		}
	}
	if !strong && !force && words > 0 {
		if s.nweak < len(s.weak) {
			s.weak[s.nweak] = weakRun{a, b}
			s.nweak++
			return
		}
	}
	var cur phrase
	cur.from = -1
	free := false
	for k := a; k < b; k++ {
		t := &s.toks[k]
		s.lastTok = k
		switch t.role {
		case rMod:
			if !t.head {
				continue
			}
			free = false
			switch {
			case cur.hasHead() || s.headAhead(k+1, b):
				cur.addMod(t.val)
			case s.lastItem() != nil:
				last := s.lastItem()
				last.Mods = appendMod(last.Mods, t.val)
			default:
				cur.addMod(t.val)
			}
		case rQty:
			if t.qk == qNone {
				continue
			}
			if free && t.qk == qArticle {
				t.role = rFree
				continue
			}
			free = false
			if s.suffixQty(k, b, &cur) {
				cur.qty, cur.hasQty, cur.suffix = t.qty, true, true
				s.flush(&cur)
				continue
			}
			if t.val == "번" {
				t.role = rIgnore
				continue
			}
			s.flush(&cur)
			cur.qty, cur.hasQty = t.qty, true
		case rKnownItem:
			if t.cont {
				continue
			}
			free = false
			if cur.hasHead() {
				s.flush(&cur)
			}
			cur.known = t.val
			cur.from = k
			cur.to = k + 1
			for cur.to < b && s.toks[cur.to].role == rKnownItem && s.toks[cur.to].cont {
				cur.to++
			}
			if s.toks[cur.to-1].link {
				s.flush(&cur)
			}
		case rNone:
			if s.markerIn(k, a) || !isItemWord(t) {
				if t.hangul && koBuyVerb(t.low) && cur.from >= 0 {
					// "라떼 마시고 감": what they drank is an item.
					s.flush(&cur)
					t.role, t.visit = rFiller, true
					s.clVisitVerb = true
					continue
				}
				if t.hangul {
					// The verb closes a Korean clause: the words before it
					// are part of the remark.
					if cur.from >= 0 {
						for x := cur.from; x < cur.to; x++ {
							s.toks[x].role = rFree
						}
						cur = phrase{from: -1}
					}
					t.role = rFree
					continue
				}
				s.flush(&cur)
				free = true
			}
			if free {
				t.role = rFree
				continue
			}
			if cur.known != "" {
				s.flush(&cur)
			}
			if cur.from < 0 {
				cur.from = k
			}
			cur.to = k + 1
			if t.hangul {
				if _, cls := stripKo(t.raw, false); cls&pcAnd != 0 {
					s.flush(&cur)
				}
			}
		}
	}
	s.flush(&cur)
	// Quantities left without a noun are free text ("Kim 2").
	for k := a; k < b; k++ {
		if t := &s.toks[k]; t.role == rQty && t.qk != qNone && !t.used {
			t.role = rFree
			for j := k + 1; j < b && s.toks[j].role == rQty && s.toks[j].qk == qNone; j++ {
				s.toks[j].role = rFree
			}
		}
	}
}

// koBuyVerb reports a Korean verb of buying or having: 마시고, 먹고,
// 사고, 시켜서, 드시고.
func koBuyVerb(w string) bool {
	for _, v := range [...]string{"마시", "마셨", "먹고", "먹었", "사고", "사서", "샀", "시키", "시켜", "시켰", "드시", "드셨", "사가", "사갔", "가져가", "가져갔", "주문하", "주문해", "주문했", "했", "하셨", "받았", "받으셨", "받고"} {
		if strings.HasPrefix(w, v) {
			return true
		}
	}
	switch w {
	case "함", "하심", "받음", "받으심", "하고감", "받고감":
		return true // "펌 했음", "커트 받음": a service
	}
	return false
}

// headAhead reports an item word after modifiers from k in [k, b).
func (s *state) headAhead(k, b int) bool {
	for ; k < b; k++ {
		switch s.toks[k].role {
		case rMod:
			continue
		case rNone, rKnownItem:
			return true
		}
		return false
	}
	return false
}

// settleWeak decides the runs of plain words: an item when it looks like
// one (a common item, a known or taught item, a food word), when the
// clause has other items or a purchase verb, or when it is one of a list;
// otherwise the words are kept in Note and listed as unknown.
func (s *state) settleWeak() {
	n := s.nweak
	s.nweak = len(s.weak) // no more deferring
	for w := 0; w < n; w++ {
		r := s.weak[w]
		if s.weakIsItem(r, n) {
			s.segment(r.a, r.b, true)
			continue
		}
		for k := r.a; k < r.b; k++ {
			t := &s.toks[k]
			t.role = rFree
			t.unknown = true
		}
		if s.nunknown < len(s.unknown) {
			s.unknown[s.nunknown] = [2]int{r.a, r.b}
			s.nunknown++
		}
	}
	s.nweak = 0
}

func (s *state) weakIsItem(r weakRun, n int) bool {
	if s.clVisitVerb || len(s.cl.Items) > 0 && s.listed(r) || n > 1 && s.listedSep(r) {
		return true
	}
	for k := r.a; k < r.b; k++ {
		t := &s.toks[k]
		if t.role == rMod {
			return true
		}
		if t.role != rNone {
			continue
		}
		if t.hangul {
			stem, cls := stripKo(t.raw, false)
			if commonItems[stem] || koItemWord(stem) || cls&pcAnd != 0 {
				return true
			}
			continue
		}
		if commonItems[t.low] || commonItems[singular(t.low)] {
			return true
		}
	}
	if enModCompounds[strings.ToLower(s.phraseName(r.a, r.b))] {
		return true // "cold brew", "hot chocolate"
	}
	return false
}

// listed reports a run that stands in a list: after or before a comma,
// "and", "랑".
func (s *state) listed(r weakRun) bool {
	if r.a > 0 {
		p := &s.toks[r.a-1]
		if p.sep == ',' || p.conj || p.link || p.role == rQty && p.link {
			return true
		}
		if p.sep == 0 && p.role == rItem && p.hangul {
			if _, cls := stripKo(p.raw, false); cls&pcAnd != 0 {
				return true
			}
		}
	}
	if r.b < len(s.toks) {
		nx := &s.toks[r.b]
		if nx.sep == ',' || nx.conj {
			return true
		}
	}
	return !s.toks[r.a].hangul && r.a > 0 && s.toks[r.a-1].role != rQty
}

// listedSep reports a run with a list separator or "and" next to it.
func (s *state) listedSep(r weakRun) bool {
	if r.a > 0 {
		if p := &s.toks[r.a-1]; p.sep == ',' || p.conj {
			return true
		}
	}
	if r.b < len(s.toks) {
		if nx := &s.toks[r.b]; nx.sep == ',' || nx.conj {
			return true
		}
	}
	for k := r.a; k < r.b; k++ {
		if t := &s.toks[k]; t.hangul {
			if _, cls := stripKo(t.raw, false); cls&pcAnd != 0 {
				return true
			}
		}
	}
	return false
}

// lastItem returns the clause's last item, or nil.
func (s *state) lastItem() *Item {
	if len(s.cl.Items) == 0 {
		return nil
	}
	return &s.cl.Items[len(s.cl.Items)-1]
}

func appendMod(mods []string, m string) []string {
	if m == "" || slices.Contains(mods, m) {
		return mods
	}
	return append(mods, m)
}

// markerIn is isMarker for the run starting at a, where a determiner that
// opens the run or follows a quantity belongs to the item: "the lemon tart".
func (s *state) markerIn(k, a int) bool {
	t := &s.toks[k]
	if !t.hangul && enDeterminers[t.low] && (k == a || s.toks[k-1].role == rQty) {
		return false
	}
	return s.isMarker(k)
}

// isItemWord reports a word that can be part of an item name. People
// ("her son", "딸") are not items.
func isItemWord(t *token) bool {
	if t.hangul {
		if stem, _ := stripKo(t.raw, false); koRelations[stem] || koRelations[t.raw] {
			return false
		}
		return !jamoOnly(t.raw)
	}
	return t.latin && !enRelations[t.low]
}

// suffixQty decides whether the quantity at k belongs to the phrase before
// it ("소금빵 2개", "croissant x2") rather than to the words after it
// ("3 bagels").
func (s *state) suffixQty(k, b int, cur *phrase) bool {
	if !cur.hasHead() || cur.hasQty {
		return false
	}
	t := &s.toks[k]
	switch t.qk {
	case qCounted, qKoBare, qMult:
		return true
	case qBare, qWord:
		prev := &s.toks[cur.to-1]
		if prev.hangul {
			return true
		}
		// English: "croissant 2" at the end, but "latte 2 croissants".
		end := k + 1
		for end < b && s.toks[end].role == rQty && s.toks[end].qk == qNone {
			end++
		}
		return end >= b || s.toks[end].role != rNone && s.toks[end].role != rMod
	}
	return false
}

// flush turns the phrase into an item and starts a new one.
func (s *state) flush(p *phrase) {
	done := *p
	*p = phrase{from: -1}
	s.addPhrase(&done)
}

func (s *state) addPhrase(p *phrase) {
	if !p.hasHead() && p.nmods == 0 {
		return
	}
	qty := 1
	if p.hasQty && p.qty > 0 {
		qty = p.qty
	}
	name := p.known
	var mods []string
	switch {
	case name != "":
	case p.from >= 0:
		name = s.phraseName(p.from, p.to)
	default:
		// Modifiers alone name the item: "Kim decaf".
		name = strings.Join(p.mods[:p.nmods], " ")
		p.nmods = 0
	}
	for k := p.from; k >= 0 && k < p.to; k++ {
		if s.toks[k].role == rNone {
			s.toks[k].role = rItem
		}
	}
	if p.hasQty {
		s.useQty(p.from, p.to, p.suffix)
	}
	if name == "" {
		return
	}
	for _, m := range p.mods[:p.nmods] {
		mods = appendMod(mods, m)
	}
	pos := p.from
	if pos < 0 {
		pos = s.lastTok
	}
	s.addItem(name, qty, mods, pos)
}

// useQty marks the quantity tokens before (or, with suffix, after) the
// words [from, to) as used so they do not end up in the note.
func (s *state) useQty(from, to int, suffix bool) {
	if from < 0 {
		return
	}
	if !suffix {
		for k := from - 1; k >= 0 && (s.toks[k].role == rQty || s.toks[k].role == rMod); k-- {
			if s.toks[k].role == rMod {
				continue
			}
			s.toks[k].used = true
			if s.toks[k].qk != qNone {
				break
			}
		}
		return
	}
	seen := false
	for k := to; k < len(s.toks) && (s.toks[k].role == rQty || s.toks[k].role == rMod); k++ {
		if s.toks[k].role == rMod {
			continue
		}
		if seen && s.toks[k].qk != qNone {
			break
		}
		s.toks[k].used, seen = true, true
	}
}

func (s *state) addItem(name string, qty int, mods []string, pos int) {
	items := &s.cl.Items
	for i := range *items {
		it := &(*items)[i]
		if it.Name == name && slices.Equal(it.Mods, mods) {
			it.Qty += qty
			if it.Qty > 9999 {
				it.Qty = 9999
			}
			return
		}
	}
	*items = append(*items, Item{Name: name, Qty: qty, Mods: mods})
	if s.nitemPos == len(*items)-1 && s.nitemPos < len(s.itemPos) {
		s.itemPos[s.nitemPos] = pos
		s.nitemPos++
	}
}
