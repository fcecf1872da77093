package conversation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	"github.com/dangol/dangol/conversation/parse"
	"github.com/dangol/dangol/crm"
)

// A note goes through a plan: one clause per customer it names. Each
// clause's customer is resolved in turn (asking "which Kim?" or "김민지? /
// new customer 김민치" when unsure, one question at a time, the plan
// waiting as a pending note); then "the usual" is filled in, a removal of
// facts is confirmed with one tap, and the whole note is recorded in one
// transaction and confirmed in one message.

// plan is a note on its way to being recorded.
type plan struct {
	Clauses []planClause `json:"clauses"`
	// Unknown are words the parser could not place, shown with the
	// confirmation.
	Unknown []string `json:"unknown,omitempty"`
	// Ask is the clause whose customer the pending question is about.
	Ask int `json:"ask,omitempty"`
	// Removal is true once the owner confirmed the removal of facts.
	Removal bool `json:"removal,omitempty"`
	// Retried is true once a new name turned out to be taken by several
	// customers and was asked about again.
	Retried bool `json:"retried,omitempty"`
	// Skipped are customers the note names but says nothing about that
	// Dangol understood; the confirmation says so.
	Skipped []string `json:"skipped,omitempty"`

	// Name and Change are the shape of a pending note written before
	// notes could name several customers.
	Name   string      `json:"name,omitempty"`
	Change *crm.Change `json:"change,omitempty"`
}

// planClause is what a note says about one customer.
type planClause struct {
	Name     string     `json:"name"`   // as written
	Shown    string     `json:"shown"`  // the customer's name once resolved
	Change   crm.Change `json:"change"` // CustomerID or NewName set once resolved
	Resolved bool       `json:"resolved"`
	Usual    bool       `json:"usual,omitempty"`  // fill in their usual order
	Filled   bool       `json:"filled,omitempty"` // their usual order is in
	// Missing are facts to remove that the customer did not have, Kept
	// those the owner chose to keep.
	Missing []crm.FactInput `json:"missing,omitempty"`
	Kept    []crm.FactInput `json:"kept,omitempty"`
}

// clausesOf returns the customers' readings of a note: r.Clauses, or one
// clause made of the first customer's fields when the parser filled only
// those.
func clausesOf(r parse.Result) []parse.Clause {
	if len(r.Clauses) > 0 {
		return r.Clauses
	}
	return []parse.Clause{{Customer: r.Customer, Items: r.Items, Date: r.Date, UsualWeekday: r.UsualWeekday,
		Allergies: r.Allergies, Likes: r.Likes, Dislikes: r.Dislikes, Birthday: r.Birthday, BirthYear: r.BirthYear,
		Context: r.Context, Amount: r.Amount, Note: r.Note}}
}

// changeFrom turns one customer's reading into a change (the customer is
// chosen later). Nothing the parser read is dropped: context and an amount
// that belong to no visit or booking are kept in the memo.
func (e *Engine) changeFrom(s *session, c parse.Clause) crm.Change {
	ch := crm.Change{UsualWeekday: c.UsualWeekday, Birthday: c.Birthday, UsualTime: c.UsualTime}
	if ch.UsualWeekday < 0 || ch.UsualWeekday > 6 {
		ch.UsualWeekday = crm.NoWeekday
	}
	date := c.Date
	if date.IsZero() && c.Usual {
		date = s.today()
	}
	var memo []string
	amountUsed := c.Amount.IsZero()
	if !date.IsZero() {
		v := &crm.VisitInput{Date: date, Context: append([]string(nil), c.Context...)}
		if !c.Amount.IsZero() {
			v.Amount, v.Currency = c.Amount.Minor, moneyCurrency(c.Amount, s.shop)
			amountUsed = true
		}
		for _, it := range c.Items {
			v.Items = append(v.Items, crm.ItemQty{Name: it.Name, Qty: max(it.Qty, 1)})
			if len(it.Mods) > 0 {
				v.Context = append(v.Context, it.Name+": "+strings.Join(it.Mods, ", "))
			}
		}
		ch.Visit = v
	} else {
		for _, x := range c.Context {
			if !strings.Contains(c.Note, x) {
				memo = append(memo, x)
			}
		}
	}
	if b := c.Booking; b != nil {
		bi := &crm.BookingInput{Date: b.Date, End: b.End, Time: b.Time, What: b.What}
		if bi.What == "" && date.IsZero() && len(c.Items) > 0 {
			// Items with no visit are what was booked.
			items := make([]crm.ItemQty, len(c.Items))
			for i, it := range c.Items {
				items[i] = crm.ItemQty{Name: it.Name, Qty: max(it.Qty, 1)}
			}
			bi.What = e.itemList(s.lang, items)
		}
		if bi.Date.IsZero() {
			bi.Date = s.today()
		}
		amount := b.Amount
		if amount.IsZero() && !amountUsed {
			amount, amountUsed = c.Amount, true
		}
		if !amount.IsZero() {
			bi.Amount, bi.Currency = amount.Minor, moneyCurrency(amount, s.shop)
		}
		ch.Booking = bi
	}
	if !amountUsed {
		memo = append(memo, e.money(s.lang, c.Amount.Minor, moneyCurrency(c.Amount, s.shop)))
	}
	for _, a := range c.Allergies {
		ch.Facts = append(ch.Facts, crm.FactInput{Kind: crm.FactAllergy, Value: a})
	}
	for _, l := range c.Likes {
		ch.Facts = append(ch.Facts, crm.FactInput{Kind: crm.FactLike, Value: l})
	}
	for _, d := range c.Dislikes {
		ch.Facts = append(ch.Facts, crm.FactInput{Kind: crm.FactDislike, Value: d})
	}
	if c.BirthYear != 0 {
		// Dangol keeps no birth year; the remark stays in the memo.
		memo = append(memo, e.cat.T(s.lang, "memo.birth_year", map[string]any{"Year": c.BirthYear}))
	}
	if c.Note != "" {
		memo = append([]string{c.Note}, memo...)
	}
	if len(memo) > 0 {
		ch.Facts = append(ch.Facts, crm.FactInput{Kind: crm.FactNote, Value: strings.Join(memo, ", ")})
	}
	for _, f := range c.Remove {
		ch.RemoveFacts = append(ch.RemoveFacts, crm.FactInput{Kind: f.Kind, Value: f.Value})
	}
	return ch
}

// moneyCurrency is the currency of an amount the parser read: its own, or
// the shop's when it named none.
func moneyCurrency(m parse.Money, shop crm.Shop) string {
	if c, ok := crm.NormalCurrency(m.Currency); ok {
		return c
	}
	return shop.Currency
}

// note records an understood note, or asks what it needs to know first.
func (e *Engine) note(ctx context.Context, s *session, text string, r parse.Result) ([]Reply, error) {
	var p plan
	for _, c := range clausesOf(r) {
		if strings.TrimSpace(c.Customer) == "" {
			continue
		}
		if len(c.Items) > 0 && c.Date.IsZero() && c.Booking == nil && !c.Usual {
			// The parser found what was bought but not the day ("며칠 전",
			// "a few days ago"): nothing is saved on a guessed day.
			return one(e.cat.T(s.lang, "note.which_day", map[string]any{
				"Name": strings.TrimSpace(c.Customer), "Phrase": strings.Join(r.Unknown, ", ")})), nil
		}
		ch := e.changeFrom(s, c)
		if ch.IsEmpty() && !c.Usual {
			p.Skipped = append(p.Skipped, strings.TrimSpace(c.Customer))
			continue
		}
		p.Clauses = append(p.Clauses, planClause{Name: strings.TrimSpace(c.Customer), Change: ch, Usual: c.Usual})
	}
	if len(p.Clauses) == 0 {
		return one(e.cat.T(s.lang, "note.hint", nil)), nil
	}
	p.Unknown = r.Unknown
	return e.proceed(ctx, s, text, &p, false)
}

// proceed takes a plan as far as it can go: it asks the next question,
// or records the note.
func (e *Engine) proceed(ctx context.Context, s *session, text string, p *plan, edit bool) ([]Reply, error) {
	for i := range p.Clauses {
		if p.Clauses[i].Resolved {
			continue
		}
		replies, asked, err := e.resolve(ctx, s, text, p, i, edit)
		if asked || err != nil {
			return replies, err
		}
	}
	mergeSameNew(p)
	for i := range p.Clauses {
		c := &p.Clauses[i]
		if !c.Usual || c.Filled {
			continue
		}
		var visits []crm.Visit
		if c.Change.CustomerID != 0 {
			var err error
			if visits, err = e.store.Visits(ctx, s.shop.ID, c.Change.CustomerID); err != nil {
				return e.fail(s.lang, fmt.Errorf("conversation: usual order: %w", err))
			}
		}
		usual := crm.UsualOrder(visits)
		if len(usual) == 0 {
			return []Reply{{Text: e.cat.T(s.lang, "usual.unknown", map[string]any{"Name": c.Shown}), Edit: edit}}, nil
		}
		if c.Change.Visit == nil {
			c.Change.Visit = &crm.VisitInput{Date: s.today()}
		}
		c.Change.Visit.Items = append(c.Change.Visit.Items, usual...)
		c.Filled = true
	}
	if replies, asked, err := e.confirmRemoval(ctx, s, text, p, edit); asked || err != nil {
		return replies, err
	}
	return e.recordPlan(ctx, s, text, p, edit)
}

// resolve finds the customer of clause i. When it cannot tell, it saves
// the plan and asks (asked is true).
func (e *Engine) resolve(ctx context.Context, s *session, text string, p *plan, i int, edit bool) ([]Reply, bool, error) {
	c := &p.Clauses[i]
	cands, err := e.store.FindCustomers(ctx, s.shop.ID, c.Name)
	if err != nil {
		r, err := e.fail(s.lang, fmt.Errorf("conversation: find customer: %w", err))
		return r, true, err
	}
	if exact := exactMatches(cands, c.Name); len(exact) == 1 {
		cands = exact
	}
	key, data := "note.which", map[string]any{"Name": c.Name}
	switch len(cands) {
	case 0:
		names, _, err := e.store.Names(ctx, s.shop.ID)
		if err != nil {
			r, err := e.fail(s.lang, fmt.Errorf("conversation: names: %w", err))
			return r, true, err
		}
		like, ok := crm.ClosestCustomerName(c.Name, names)
		if !ok {
			// Nobody of that name: a new customer, unless another note
			// adds them first (crm.Change.NewUnlessExists).
			c.Change.NewName, c.Change.NewUnlessExists, c.Shown, c.Resolved = c.Name, true, c.Name, true
			return nil, false, nil
		}
		if cands, err = e.store.FindCustomers(ctx, s.shop.ID, like); err != nil || len(cands) == 0 {
			c.Change.NewName, c.Change.NewUnlessExists, c.Shown, c.Resolved = c.Name, true, c.Name, true
			return nil, false, nil
		}
		key, data["Like"] = "note.typo", like
	case 1:
		c.Change.CustomerID, c.Shown, c.Resolved = cands[0].ID, cands[0].Name, true
		return nil, false, nil
	}
	p.Ask = i
	payload, err := json.Marshal(p)
	if err != nil {
		r, err := e.fail(s.lang, fmt.Errorf("conversation: pending: %w", err))
		return r, true, err
	}
	pend, err := e.store.SavePending(ctx, crm.Pending{ShopID: s.shop.ID, Platform: s.msg.Platform,
		AuthorID: s.msg.UserID, Text: text, Payload: payload, CreatedAt: s.now})
	if err != nil {
		r, err := e.fail(s.lang, fmt.Errorf("conversation: pending: %w", err))
		return r, true, err
	}
	prefix := "pick:" + strconv.FormatInt(pend.ID, 10) + ":"
	var buttons []Button
	for _, cand := range cands {
		buttons = append(buttons, Button{Label: e.customerLabel(ctx, s, cand), Action: prefix + strconv.FormatInt(cand.ID, 10)})
	}
	buttons = append(buttons, Button{Label: e.cat.T(s.lang, "button.new_customer", map[string]any{"Name": c.Name}), Action: prefix + "new"})
	q := e.cat.T(s.lang, key, data)
	if key == "note.which" {
		q = e.cat.N(s.lang, key, len(cands), data)
	}
	if len(p.Clauses) > 1 {
		q = e.cat.T(s.lang, "note.about", map[string]any{"Text": text}) + "\n" + q
	}
	return []Reply{{Text: q, Buttons: buttons, Edit: edit}}, true, nil
}

// mergeSameNew folds clauses that would create the same new customer
// twice into the first of them.
func mergeSameNew(p *plan) {
	out := p.Clauses[:0]
	seen := map[string]int{}
	for _, c := range p.Clauses {
		if c.Change.CustomerID == 0 && c.Change.NewName != "" {
			k := strings.ToLower(c.Change.NewName)
			if j, ok := seen[k]; ok {
				mergeChange(&out[j].Change, c.Change)
				out[j].Usual = out[j].Usual || c.Usual
				continue
			}
			seen[k] = len(out)
		}
		out = append(out, c)
	}
	p.Clauses = out
}

// mergeChange adds b to a, keeping what a already says.
func mergeChange(a *crm.Change, b crm.Change) {
	if b.Visit != nil {
		if a.Visit == nil {
			a.Visit = b.Visit
		} else {
			a.Visit.Items = append(a.Visit.Items, b.Visit.Items...)
			a.Visit.Context = append(a.Visit.Context, b.Visit.Context...)
			if a.Visit.Amount == 0 {
				a.Visit.Amount, a.Visit.Currency = b.Visit.Amount, b.Visit.Currency
			}
		}
	}
	a.Facts = append(a.Facts, b.Facts...)
	a.RemoveFacts = append(a.RemoveFacts, b.RemoveFacts...)
	if a.Birthday.IsZero() {
		a.Birthday = b.Birthday
	}
	if a.UsualWeekday == crm.NoWeekday {
		a.UsualWeekday = b.UsualWeekday
	}
	if a.UsualTime == "" {
		a.UsualTime = b.UsualTime
	}
	if a.Booking == nil {
		a.Booking = b.Booking
	}
}

// customerLabel names a customer on a choice button, with their last visit
// so two people called Kim can be told apart.
func (e *Engine) customerLabel(ctx context.Context, s *session, c crm.Customer) string {
	visits, err := e.store.Visits(ctx, s.shop.ID, c.ID)
	if err != nil || len(visits) == 0 {
		return c.Name
	}
	return e.cat.T(s.lang, "customer.label", map[string]any{"Name": c.Name, "Last": e.shortDate(s.lang, visits[0].Date)})
}

// takePlan takes the author's pending plan pid; ok is false (and replies
// say so) when it is gone.
func (e *Engine) takePlan(ctx context.Context, s *session, pid string) (plan, string, []Reply, bool, error) {
	stale := []Reply{{Text: e.cat.T(s.lang, "action.stale", nil), Edit: true}}
	id, err := strconv.ParseInt(pid, 10, 64)
	if err != nil {
		return plan{}, "", stale, false, nil
	}
	pend, err := e.store.TakeOwnPending(ctx, s.shop.ID, id, s.msg.Platform, s.msg.UserID)
	if errors.Is(err, crm.ErrNotFound) {
		return plan{}, "", stale, false, nil
	}
	if err != nil {
		r, err := e.fail(s.lang, fmt.Errorf("conversation: take pending: %w", err))
		return plan{}, "", r, false, err
	}
	var p plan
	if err := json.Unmarshal(pend.Payload, &p); err != nil {
		r, err := e.fail(s.lang, fmt.Errorf("conversation: pending payload: %w", err))
		return plan{}, "", r, false, err
	}
	if len(p.Clauses) == 0 && p.Change != nil {
		p.Clauses = []planClause{{Name: p.Name, Change: *p.Change}}
		p.Name, p.Change = "", nil
	}
	if p.Ask < 0 || p.Ask >= len(p.Clauses) {
		return plan{}, "", stale, false, nil
	}
	return p, pend.Text, nil, true, nil
}

// pick answers a "which customer?" button and carries the note on.
func (e *Engine) pick(ctx context.Context, s *session, arg string) ([]Reply, error) {
	pid, choice, _ := strings.Cut(arg, ":")
	p, text, replies, ok, err := e.takePlan(ctx, s, pid)
	if !ok {
		return replies, err
	}
	c := &p.Clauses[p.Ask]
	if choice == "new" {
		c.Change.NewName, c.Change.NewUnlessExists, c.Shown = c.Name, false, c.Name
	} else {
		cust, err := e.customerByID(ctx, s, choice)
		if err != nil {
			return []Reply{{Text: e.cat.T(s.lang, "action.stale", nil), Edit: true}}, nil
		}
		c.Change.CustomerID, c.Shown = cust.ID, cust.Name
	}
	c.Resolved = true
	return e.proceed(ctx, s, text, &p, true)
}

// recordPlan stores a resolved note in one transaction and confirms it in
// one message. The confirmation with its buttons is stored with the note
// (Message.Route); the "same item?" questions, asked after the commit, are
// not (a confirmation sent after a crash goes without them).
func (e *Engine) recordPlan(ctx context.Context, s *session, text string, p *plan, edit bool) ([]Reply, error) {
	var changes []crm.Change
	var kept []planClause
	for _, c := range p.Clauses {
		if c.Change.IsEmpty() {
			continue // a removal that was left out, say
		}
		changes = append(changes, c.Change)
		kept = append(kept, c)
	}
	if len(changes) == 0 {
		lines := e.removalLines(s, p)
		if len(lines) == 0 {
			lines = []string{e.cat.T(s.lang, "note.hint", nil)}
		}
		return []Reply{{Text: strings.Join(lines, "\n"), Edit: edit}}, nil
	}
	confirm := func(n crm.Note) []Reply {
		// A customer is new when the note created them: one of the same
		// new name may have come first (crm.Change.NewUnlessExists).
		created := map[string]bool{}
		for _, ef := range n.Effects {
			if ef.Kind == crm.EffectCustomerCreated {
				created[strings.ToLower(ef.New)] = true
			}
		}
		lines := make([]string, 0, len(kept)+2)
		for _, c := range kept {
			isNew := c.Change.CustomerID == 0 && created[strings.ToLower(strings.Join(strings.Fields(c.Change.NewName), " "))]
			lines = append(lines, e.confirmation(s, c.Shown, c.Change, isNew, c.Usual))
		}
		lines = append(lines, e.removalLines(s, p)...)
		for _, name := range p.Skipped {
			lines = append(lines, e.cat.T(s.lang, "note.nothing_for", map[string]any{"Name": name}))
		}
		buttons := []Button{e.undoButton(s, n.ID)}
		if warn, drop := e.memoWarning(s, n); warn != "" {
			lines = append(lines, warn)
			buttons = append(buttons, drop...)
		}
		if line, more := e.unknownWords(s, p.Unknown); line != "" {
			lines = append(lines, line)
			buttons = append(buttons, more...)
		}
		return []Reply{{Text: strings.Join(lines, "\n"), Buttons: buttons, Edit: edit}}
	}
	cursor := s.takeCursor()
	n, err := e.store.RecordNote(ctx, crm.NoteInput{ShopID: s.shop.ID, Platform: s.msg.Platform,
		AuthorID: s.msg.UserID, Text: text, At: s.now, Change: changes[0], More: changes[1:],
		Cursor: e.withReplies(s, cursor, confirm)})
	if err != nil {
		s.cursor = cursor // nothing was saved, the cursor included
		switch {
		case errors.Is(err, crm.ErrAmbiguous) && !p.Retried:
			// A name taken for new is now several customers' (notes
			// about it at the same moment): ask whom it means.
			p.Retried = true
			for i := range p.Clauses {
				if c := &p.Clauses[i]; c.Change.CustomerID == 0 && c.Change.NewUnlessExists {
					c.Change.NewName, c.Change.NewUnlessExists, c.Resolved = "", false, false
				}
			}
			return e.proceed(ctx, s, text, p, edit)
		case errors.Is(err, crm.ErrInvalidInput):
			return []Reply{{Text: e.cat.T(s.lang, "note.invalid", nil), Edit: edit}}, nil
		case errors.Is(err, crm.ErrNotFound):
			return []Reply{{Text: e.cat.T(s.lang, "action.stale", nil), Edit: edit}}, nil
		}
		return e.fail(s.lang, fmt.Errorf("conversation: record note: %w", err))
	}
	r := confirm(n)
	r[0].Buttons = append(r[0].Buttons[:1:1], append(e.mergeButtons(ctx, s, n), r[0].Buttons[1:]...)...)
	return r, nil
}

// record stores a note about one customer in one transaction and confirms
// it in one line.
func (e *Engine) record(ctx context.Context, s *session, text string, change crm.Change, name string, edit bool) ([]Reply, error) {
	return e.recordPlan(ctx, s, text, &plan{Clauses: []planClause{{Name: name, Shown: name, Change: change, Resolved: true}}}, edit)
}

// maxMergeButtons is how many "same item?" questions one confirmation asks.
const maxMergeButtons = 2

// mergeButtons asks, for the catalog items a note created that look like
// items the shop already has, whether they are the same item. Pressing one
// sends "merge:<note>:<effect>:<hash of the existing name>", which stays
// far below Telegram's 64 bytes whatever the names.
func (e *Engine) mergeButtons(ctx context.Context, s *session, n crm.Note) []Button {
	var created []int
	for i, ef := range n.Effects {
		if ef.Kind == crm.EffectItemCreated {
			created = append(created, i)
		}
	}
	if len(created) == 0 {
		return nil
	}
	_, items, err := e.store.Names(ctx, s.shop.ID)
	if err != nil {
		// The note is saved; only the question is left out.
		e.log.Error("item names", "shop", s.shop.ID, "err", err)
		return nil
	}
	catalog := make([]string, 0, len(items))
	for _, it := range items {
		if !slices.ContainsFunc(created, func(i int) bool { return strings.EqualFold(n.Effects[i].New, it) }) {
			catalog = append(catalog, it)
		}
	}
	var buttons []Button
	for _, i := range created {
		from := n.Effects[i].New
		into, ok := crm.ClosestItemName(from, catalog)
		if !ok {
			continue
		}
		buttons = append(buttons, Button{
			Label:  e.cat.T(s.lang, "button.merge", map[string]any{"From": from, "Into": into}),
			Action: "merge:" + strconv.FormatInt(n.ID, 10) + ":" + strconv.Itoa(i) + ":" + nameHash(into)})
		if len(buttons) == maxMergeButtons {
			break
		}
	}
	return buttons
}

// nameHash is a short checksum of an item name, ignoring case, so that a
// merge button acts on the item it named even when the catalog has changed.
func nameHash(name string) string {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(name)))
	return strconv.FormatUint(uint64(h.Sum32()), 36)
}

// merge answers a "same item?" button: the item the note created becomes
// an alias of the existing one, recorded as a note of its own that can be
// undone. Only the note's author may answer; a second press changes
// nothing.
func (e *Engine) merge(ctx context.Context, s *session, arg string) ([]Reply, error) {
	stale := []Reply{{Text: e.cat.T(s.lang, "action.stale", nil)}}
	parts := strings.Split(arg, ":")
	if len(parts) != 3 {
		return stale, nil
	}
	noteID, err1 := strconv.ParseInt(parts[0], 10, 64)
	idx, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return stale, nil
	}
	n, err := e.store.Note(ctx, s.shop.ID, noteID)
	if errors.Is(err, crm.ErrNotFound) {
		return stale, nil
	}
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: merge: %w", err))
	}
	if n.Platform != s.msg.Platform || n.AuthorID != s.msg.UserID {
		return one(e.cat.T(s.lang, "merge.not_allowed", nil)), nil
	}
	if idx < 0 || idx >= len(n.Effects) || n.Effects[idx].Kind != crm.EffectItemCreated || !n.UndoneAt.IsZero() {
		return stale, nil
	}
	from := n.Effects[idx].New
	_, items, err := e.store.Names(ctx, s.shop.ID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: merge: %w", err))
	}
	into := ""
	for _, it := range items {
		if !strings.EqualFold(it, from) && nameHash(it) == parts[2] && crm.SimilarItemNames(from, it) {
			into = it
			break
		}
	}
	if into == "" {
		return stale, nil
	}
	data := map[string]any{"From": from, "Into": into}
	done := func(m crm.Note) []Reply { return one(e.cat.T(s.lang, "merge.done", data), e.undoButton(s, m.ID)) }
	cursor := s.takeCursor()
	m, err := e.store.RecordNote(ctx, crm.NoteInput{ShopID: s.shop.ID, Platform: s.msg.Platform,
		AuthorID: s.msg.UserID, Text: "/alias " + from + " = " + into, At: s.now, Cursor: e.withReplies(s, cursor, done),
		Change: crm.Change{UsualWeekday: crm.NoWeekday, MergeItem: &crm.MergeInput{NoteID: n.ID, From: from, Into: into}}})
	if err != nil {
		s.cursor = cursor // nothing was saved, the cursor included
	}
	switch {
	case errors.Is(err, crm.ErrAlreadyDone):
		return one(e.cat.T(s.lang, "merge.already", data)), nil
	case errors.Is(err, crm.ErrNotFound), errors.Is(err, crm.ErrInvalidInput):
		return stale, nil
	case err != nil:
		return e.fail(s.lang, fmt.Errorf("conversation: merge: %w", err))
	}
	return done(m), nil
}

func (e *Engine) undoButton(s *session, noteID int64) Button {
	return Button{Label: e.cat.T(s.lang, "button.undo", nil), Action: "undo:" + strconv.FormatInt(noteID, 10)}
}

// confirmation is the one line that says what a note saved about one
// customer; usual says the visit's items are their usual order.
func (e *Engine) confirmation(s *session, name string, c crm.Change, isNew, usual bool) string {
	l := s.lang
	var parts []string
	if v := c.Visit; v != nil {
		data := map[string]any{"Date": e.shortDate(l, v.Date)}
		key := "confirm.visit"
		mods, rest := splitMods(v.Items, v.Context)
		if len(v.Items) > 0 {
			items := make([]string, len(v.Items))
			for i, it := range v.Items {
				items[i] = e.cat.T(l, "confirm.item", map[string]any{"Name": it.Name, "Qty": it.Qty})
				if m := mods[strings.ToLower(it.Name)]; m != "" {
					items[i] += " (" + m + ")"
				}
			}
			data["Items"] = strings.Join(items, ", ")
			key = "confirm.items"
			if usual {
				key = "confirm.usual"
			}
		}
		part := e.cat.T(l, key, data)
		if v.Amount > 0 {
			part += " · " + e.money(l, v.Amount, v.Currency)
		}
		if len(rest) > 0 {
			part += " · " + strings.Join(rest, ", ")
		}
		parts = append(parts, part)
	}
	if b := c.Booking; b != nil {
		parts = append(parts, e.bookingText(s, crm.Booking{Date: b.Date, End: b.End, Time: b.Time, What: b.What,
			Amount: b.Amount, Currency: b.Currency}))
	}
	var allergies []string
	for _, f := range c.Facts {
		switch f.Kind {
		case crm.FactAllergy:
			allergies = append(allergies, f.Value)
		case crm.FactLike:
			parts = append(parts, e.cat.T(l, "confirm.like", map[string]any{"What": f.Value}))
		case crm.FactDislike:
			parts = append(parts, e.cat.T(l, "confirm.dislike", map[string]any{"What": f.Value}))
		case crm.FactNote:
			parts = append(parts, e.cat.T(l, "confirm.note", map[string]any{"What": f.Value}))
		}
	}
	if len(allergies) > 0 {
		parts = append(parts, e.cat.T(l, "confirm.allergy", map[string]any{"What": strings.Join(allergies, ", ")}))
	}
	for _, f := range c.RemoveFacts {
		parts = append(parts, e.cat.T(l, "confirm.removed", map[string]any{"Kind": e.factKind(l, f.Kind), "What": f.Value}))
	}
	if !c.Birthday.IsZero() {
		parts = append(parts, e.cat.T(l, "confirm.birthday", map[string]any{"Date": e.monthDay(l, c.Birthday)}))
	}
	if c.UsualWeekday != crm.NoWeekday {
		parts = append(parts, e.cat.T(l, "confirm.weekday", map[string]any{"Day": e.weekday(l, c.UsualWeekday)}))
	}
	if c.UsualTime != "" {
		parts = append(parts, e.cat.T(l, "confirm.usual_time", map[string]any{"Time": c.UsualTime}))
	}
	if c.Rename != "" {
		parts = append(parts, e.cat.T(l, "confirm.renamed", nil))
		name = c.Rename
	}
	line := e.cat.T(l, "confirm.line", map[string]any{"Name": name, "What": strings.Join(parts, " · ")})
	if isNew {
		line += " · " + e.cat.T(l, "confirm.new", nil)
	}
	if cur := otherCurrency(s.shop, c); cur != "" {
		line += " · " + e.cat.T(l, "confirm.other_currency", map[string]any{"Currency": cur, "Shop": s.shop.Currency})
	}
	return line
}

// splitMods tells apart, in a visit's context, the words that say how an
// item was made ("라떼: 따뜻한, 샷추가", by lower-cased item name) from the
// rest (takeout, with kids …).
func splitMods(items []crm.ItemQty, context []string) (map[string]string, []string) {
	mods := map[string]string{}
	var rest []string
	for _, c := range context {
		name, m, ok := strings.Cut(c, ": ")
		if ok && slices.ContainsFunc(items, func(it crm.ItemQty) bool { return it.Name == name }) {
			mods[strings.ToLower(name)] = m
			continue
		}
		rest = append(rest, c)
	}
	return mods, rest
}

// otherCurrency returns the currency of an amount in c that is not the
// shop's, or "".
func otherCurrency(shop crm.Shop, c crm.Change) string {
	if v := c.Visit; v != nil && v.Amount > 0 && v.Currency != "" && v.Currency != shop.Currency {
		return v.Currency
	}
	if b := c.Booking; b != nil && b.Amount > 0 && b.Currency != "" && b.Currency != shop.Currency {
		return b.Currency
	}
	return ""
}

// itemList writes items as "크루아상 2, 라떼 1" / "croissant ×2, latte ×1".
func (e *Engine) itemList(l string, items []crm.ItemQty) string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = e.cat.T(l, "confirm.item", map[string]any{"Name": it.Name, "Qty": it.Qty})
	}
	return strings.Join(out, ", ")
}

// factKind names a kind of fact: "알레르기", "allergy".
func (e *Engine) factKind(l string, k crm.FactKind) string {
	return e.cat.T(l, "fact."+string(k), nil)
}

// undoLast undoes the author's latest note.
func (e *Engine) undoLast(ctx context.Context, s *session) ([]Reply, error) {
	n, err := e.store.LastNote(ctx, s.shop.ID, s.msg.Platform, s.msg.UserID)
	if errors.Is(err, crm.ErrNotFound) {
		return one(e.cat.T(s.lang, "undo.nothing", nil)), nil
	}
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: last note: %w", err))
	}
	return e.undo(ctx, s, n.ID, false)
}

// undo reverses one note; edit says whether the answer replaces the
// confirmation whose Undo button was pressed.
func (e *Engine) undo(ctx context.Context, s *session, noteID int64, edit bool) ([]Reply, error) {
	// The cursor goes with the undo: a redelivered "/undo" must not undo
	// the note before it as well. So does its answer.
	undone := func(n crm.Note) []Reply {
		return []Reply{{Text: e.cat.T(s.lang, "undo.done", map[string]any{"Text": n.Text}), Edit: edit}}
	}
	n, err := e.store.UndoNote(ctx, s.shop.ID, noteID, s.msg.Platform, s.msg.UserID, s.now, e.withReplies(s, s.cursor, undone))
	if err == nil {
		s.takeCursor()
	}
	key := "undo.done"
	switch {
	case errors.Is(err, crm.ErrAlreadyDone):
		key = "undo.already"
	case errors.Is(err, crm.ErrNotUndoable), errors.Is(err, crm.ErrNotFound):
		key = "undo.not_allowed"
	case err != nil:
		return e.fail(s.lang, fmt.Errorf("conversation: undo: %w", err))
	}
	if edit && key != "undo.done" {
		// The confirmation stays as it was; the answer comes on its own.
		edit = false
	}
	return []Reply{{Text: e.cat.T(s.lang, key, map[string]any{"Text": n.Text}), Edit: edit}}, nil
}
