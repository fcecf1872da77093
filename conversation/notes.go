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

// changeFrom turns what the parser understood into a change for one
// customer (the customer itself is chosen later).
func changeFrom(r parse.Result) crm.Change {
	c := crm.Change{UsualWeekday: r.UsualWeekday, Birthday: r.Birthday}
	if !r.Date.IsZero() {
		v := &crm.VisitInput{Date: r.Date, Amount: r.Amount.Minor, Context: r.Context}
		for _, it := range r.Items {
			v.Items = append(v.Items, crm.ItemQty{Name: it.Name, Qty: it.Qty})
		}
		c.Visit = v
	}
	for _, a := range r.Allergies {
		c.Facts = append(c.Facts, crm.FactInput{Kind: crm.FactAllergy, Value: a})
	}
	for _, l := range r.Likes {
		c.Facts = append(c.Facts, crm.FactInput{Kind: crm.FactLike, Value: l})
	}
	for _, d := range r.Dislikes {
		c.Facts = append(c.Facts, crm.FactInput{Kind: crm.FactDislike, Value: d})
	}
	if r.Note != "" {
		c.Facts = append(c.Facts, crm.FactInput{Kind: crm.FactNote, Value: r.Note})
	}
	return c
}

// pendingNote is what waits while the owner picks which customer was meant.
type pendingNote struct {
	Name   string     `json:"name"`
	Change crm.Change `json:"change"`
}

// note records an understood note, or asks which customer was meant.
func (e *Engine) note(ctx context.Context, s *session, text string, r parse.Result) ([]Reply, error) {
	change := changeFrom(r)
	if r.Customer == "" || change.IsEmpty() {
		return one(e.cat.T(s.lang, "note.hint", nil)), nil
	}
	cands, err := e.store.FindCustomers(ctx, s.shop.ID, r.Customer)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: find customer: %w", err))
	}
	if exact := exactMatches(cands, r.Customer); len(exact) == 1 {
		cands = exact
	}
	switch len(cands) {
	case 0:
		change.NewName = r.Customer
		return e.record(ctx, s, text, change, r.Customer, false)
	case 1:
		change.CustomerID = cands[0].ID
		return e.record(ctx, s, text, change, cands[0].Name, false)
	}
	payload, err := json.Marshal(pendingNote{Name: r.Customer, Change: change})
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: pending: %w", err))
	}
	p, err := e.store.SavePending(ctx, crm.Pending{ShopID: s.shop.ID, Platform: s.msg.Platform,
		AuthorID: s.msg.UserID, Text: text, Payload: payload, CreatedAt: s.now})
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: pending: %w", err))
	}
	prefix := "pick:" + strconv.FormatInt(p.ID, 10) + ":"
	var buttons []Button
	for _, c := range cands {
		buttons = append(buttons, Button{Label: e.customerLabel(ctx, s, c), Action: prefix + strconv.FormatInt(c.ID, 10)})
	}
	buttons = append(buttons, Button{Label: e.cat.T(s.lang, "button.new_customer", map[string]any{"Name": r.Customer}), Action: prefix + "new"})
	return one(e.cat.N(s.lang, "note.which", len(cands), map[string]any{"Name": r.Customer}), buttons...), nil
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

// pick records a pending note for the customer the owner chose.
func (e *Engine) pick(ctx context.Context, s *session, arg string) ([]Reply, error) {
	pid, choice, _ := strings.Cut(arg, ":")
	id, err := strconv.ParseInt(pid, 10, 64)
	if err != nil {
		return []Reply{{Text: e.cat.T(s.lang, "action.stale", nil), Edit: true}}, nil
	}
	p, err := e.store.TakeOwnPending(ctx, s.shop.ID, id, s.msg.Platform, s.msg.UserID)
	if errors.Is(err, crm.ErrNotFound) {
		return []Reply{{Text: e.cat.T(s.lang, "action.stale", nil), Edit: true}}, nil
	}
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: take pending: %w", err))
	}
	var pn pendingNote
	if err := json.Unmarshal(p.Payload, &pn); err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: pending payload: %w", err))
	}
	name := pn.Name
	if choice == "new" {
		pn.Change.NewName = pn.Name
	} else {
		c, err := e.customerByID(ctx, s, choice)
		if err != nil {
			return []Reply{{Text: e.cat.T(s.lang, "action.stale", nil), Edit: true}}, nil
		}
		pn.Change.CustomerID, name = c.ID, c.Name
	}
	return e.record(ctx, s, p.Text, pn.Change, name, true)
}

// record stores a note in one transaction and confirms it in one line.
// The confirmation with its Undo button is stored with the note
// (Message.Route); the "same item?" questions, asked after the commit, are
// not (a confirmation sent after a crash goes without them).
func (e *Engine) record(ctx context.Context, s *session, text string, change crm.Change, name string, edit bool) ([]Reply, error) {
	if change.Rename != "" {
		name = change.Rename
	}
	line := e.confirmation(s, name, change, change.CustomerID == 0)
	confirm := func(n crm.Note) []Reply {
		return []Reply{{Text: line, Buttons: []Button{e.undoButton(s, n.ID)}, Edit: edit}}
	}
	cursor := s.takeCursor()
	n, err := e.store.RecordNote(ctx, crm.NoteInput{ShopID: s.shop.ID, Platform: s.msg.Platform,
		AuthorID: s.msg.UserID, Text: text, At: s.now, Change: change, Cursor: e.withReplies(s, cursor, confirm)})
	if err != nil {
		s.cursor = cursor // nothing was saved, the cursor included
		if errors.Is(err, crm.ErrInvalidInput) {
			return one(e.cat.T(s.lang, "note.invalid", nil)), nil
		}
		return e.fail(s.lang, fmt.Errorf("conversation: record note: %w", err))
	}
	r := confirm(n)
	r[0].Buttons = append(r[0].Buttons, e.mergeButtons(ctx, s, n)...)
	return r, nil
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

// confirmation is the one line that says what a note saved.
func (e *Engine) confirmation(s *session, name string, c crm.Change, isNew bool) string {
	l := s.lang
	var parts []string
	if v := c.Visit; v != nil {
		data := map[string]any{"Date": e.shortDate(l, v.Date)}
		if len(v.Items) == 0 {
			parts = append(parts, e.cat.T(l, "confirm.visit", data))
		} else {
			items := make([]string, len(v.Items))
			for i, it := range v.Items {
				items[i] = e.cat.T(l, "confirm.item", map[string]any{"Name": it.Name, "Qty": it.Qty})
			}
			data["Items"] = strings.Join(items, ", ")
			parts = append(parts, e.cat.T(l, "confirm.items", data))
		}
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
	if !c.Birthday.IsZero() {
		parts = append(parts, e.cat.T(l, "confirm.birthday", map[string]any{"Date": e.monthDay(l, c.Birthday)}))
	}
	if c.UsualWeekday != crm.NoWeekday {
		parts = append(parts, e.cat.T(l, "confirm.weekday", map[string]any{"Day": e.weekday(l, c.UsualWeekday)}))
	}
	if c.Rename != "" {
		parts = append(parts, e.cat.T(l, "confirm.renamed", nil))
	}
	line := e.cat.T(l, "confirm.line", map[string]any{"Name": name, "What": strings.Join(parts, " · ")})
	if isNew {
		line += " · " + e.cat.T(l, "confirm.new", nil)
	}
	return line
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
