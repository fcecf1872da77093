package conversation

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dangol/dangol/conversation/parse"
	"github.com/dangol/dangol/crm"
)

// CorrectionWindow is how long after a note "oh wait, 3" or "아니 어제"
// still mends it.
const CorrectionWindow = 10 * time.Minute

// correction mends the author's latest note still in effect, when it is
// recent and recorded a visit: the quantity of the item named (or of its
// only or last item), or the day of its visits. The correction is a note of its
// own, so Undo puts the old values back. Anything else gets a kind answer
// and changes nothing.
func (e *Engine) correction(ctx context.Context, s *session, text string, r parse.Result) ([]Reply, error) {
	k := r.Correction
	if k == nil || k.Qty <= 0 && k.Date.IsZero() {
		return one(e.cat.T(s.lang, "correct.how", nil)), nil
	}
	nothing := one(e.cat.T(s.lang, "correct.nothing", map[string]any{"Minutes": int(CorrectionWindow / time.Minute)}))
	n, err := e.store.LastNote(ctx, s.shop.ID, s.msg.Platform, s.msg.UserID)
	if errors.Is(err, crm.ErrNotFound) {
		return nothing, nil
	}
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: last note: %w", err))
	}
	if age := s.now.Sub(n.CreatedAt); age > CorrectionWindow || age < -time.Minute {
		return nothing, nil
	}
	// The visits the note recorded or corrected, in its order.
	type target struct{ visit, customer int64 }
	var targets []target
	for _, ef := range n.Effects {
		switch ef.Kind {
		case crm.EffectVisitAdded, crm.EffectLineQtySet, crm.EffectVisitDateSet:
			t := target{ef.RefID, ef.CustomerID}
			if len(targets) == 0 || targets[len(targets)-1] != t {
				targets = append(targets, t)
			}
		}
	}
	// The note's visits still there, newest last.
	var visits []crm.Visit
	for _, t := range targets {
		v, ok, err := e.visitByID(ctx, s, t.customer, t.visit)
		if err != nil {
			return e.fail(s.lang, fmt.Errorf("conversation: correction: %w", err))
		}
		if ok {
			visits = append(visits, v)
		}
	}
	// The visit whose quantity changes: the one with the item named, else
	// the last; its only or last line when no item is named.
	var visit crm.Visit
	var line *crm.LineItem
	for i := len(visits) - 1; i >= 0; i-- {
		v := visits[i]
		if k.Item == "" {
			visit = v
			if len(v.Items) > 0 {
				line = &v.Items[len(v.Items)-1]
			}
			break
		}
		if li := lineNamed(v.Items, k.Item); li != nil {
			visit, line = v, li
			break
		}
	}
	if visit.ID == 0 {
		if k.Item != "" && len(visits) > 0 {
			return one(e.cat.T(s.lang, "correct.no_item", map[string]any{"Item": k.Item})), nil
		}
		return nothing, nil
	}
	type mend struct {
		visit crm.Visit
		fix   crm.CorrectInput
		parts []string
	}
	mends := []mend{{visit: visit, fix: crm.CorrectInput{VisitID: visit.ID}}}
	if k.Qty > 0 {
		if line == nil {
			return nothing, nil
		}
		if line.Qty != k.Qty {
			mends[0].fix.Item, mends[0].fix.Qty = line.Name, k.Qty
			mends[0].parts = append(mends[0].parts, e.cat.T(s.lang, "correct.qty",
				map[string]any{"Item": line.Name, "Old": line.Qty, "New": k.Qty}))
		}
	}
	// A new day moves every visit of the note: a note about several
	// customers was one visit of them all.
	if !k.Date.IsZero() {
		for _, v := range visits {
			if v.Date == k.Date {
				continue
			}
			i := 0
			if v.ID != visit.ID {
				mends = append(mends, mend{visit: v, fix: crm.CorrectInput{VisitID: v.ID}})
				i = len(mends) - 1
			}
			mends[i].fix.Date = k.Date
			mends[i].parts = append(mends[i].parts, e.cat.T(s.lang, "correct.date", map[string]any{
				"Old": e.shortDate(s.lang, v.Date), "New": e.shortDate(s.lang, k.Date)}))
		}
	}
	var changes []crm.Change
	var lines []string
	for _, m := range mends {
		if len(m.parts) == 0 {
			continue
		}
		c, err := e.store.Customer(ctx, s.shop.ID, m.visit.CustomerID)
		if err != nil {
			return e.fail(s.lang, fmt.Errorf("conversation: correction: %w", err))
		}
		fix := m.fix
		changes = append(changes, crm.Change{CustomerID: c.ID, UsualWeekday: crm.NoWeekday, Correct: &fix})
		lines = append(lines, e.cat.T(s.lang, "correct.done", map[string]any{"Name": c.Name, "What": strings.Join(m.parts, " · ")}))
	}
	if len(changes) == 0 {
		return one(e.cat.T(s.lang, "correct.same", nil)), nil
	}
	cursor := s.takeCursor()
	n, err = e.store.RecordNote(ctx, crm.NoteInput{ShopID: s.shop.ID, Platform: s.msg.Platform,
		AuthorID: s.msg.UserID, Text: text, At: s.now, Cursor: cursor, Change: changes[0], More: changes[1:]})
	if err != nil {
		s.cursor = cursor
		if errors.Is(err, crm.ErrNotFound) || errors.Is(err, crm.ErrInvalidInput) {
			return nothing, nil
		}
		return e.fail(s.lang, fmt.Errorf("conversation: correction: %w", err))
	}
	return one(strings.Join(lines, "\n"), e.undoButton(s, n.ID)), nil
}

// visitByID finds one visit of a customer; ok is false when it is gone.
func (e *Engine) visitByID(ctx context.Context, s *session, customerID, visitID int64) (crm.Visit, bool, error) {
	vs, err := e.store.Visits(ctx, s.shop.ID, customerID)
	if err != nil {
		return crm.Visit{}, false, err
	}
	for _, v := range vs {
		if v.ID == visitID {
			return v, true, nil
		}
	}
	return crm.Visit{}, false, nil
}

// lineNamed finds the line of an item as the owner named it: the same
// name ignoring case, or one that looks like it (croissants, 크로와상).
func lineNamed(items []crm.LineItem, name string) *crm.LineItem {
	for i := range items {
		if strings.EqualFold(items[i].Name, name) {
			return &items[i]
		}
	}
	for i := range items {
		if crm.SimilarItemNames(items[i].Name, name) {
			return &items[i]
		}
	}
	return nil
}
