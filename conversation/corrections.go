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
// only or last item), or the visit's day. The correction is a note of its
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
	var visit crm.Visit
	var line *crm.LineItem
	for i := len(targets) - 1; i >= 0; i-- {
		v, ok, err := e.visitByID(ctx, s, targets[i].customer, targets[i].visit)
		if err != nil {
			return e.fail(s.lang, fmt.Errorf("conversation: correction: %w", err))
		}
		if !ok {
			continue
		}
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
		if k.Item != "" && len(targets) > 0 {
			return one(e.cat.T(s.lang, "correct.no_item", map[string]any{"Item": k.Item})), nil
		}
		return nothing, nil
	}
	fix := crm.CorrectInput{VisitID: visit.ID}
	var parts []string
	if k.Qty > 0 {
		if line == nil {
			return nothing, nil
		}
		if line.Qty != k.Qty {
			fix.Item, fix.Qty = line.Name, k.Qty
			parts = append(parts, e.cat.T(s.lang, "correct.qty", map[string]any{"Item": line.Name, "Old": line.Qty, "New": k.Qty}))
		}
	}
	if !k.Date.IsZero() && k.Date != visit.Date {
		fix.Date = k.Date
		parts = append(parts, e.cat.T(s.lang, "correct.date", map[string]any{
			"Old": e.shortDate(s.lang, visit.Date), "New": e.shortDate(s.lang, k.Date)}))
	}
	if len(parts) == 0 {
		return one(e.cat.T(s.lang, "correct.same", nil)), nil
	}
	c, err := e.store.Customer(ctx, s.shop.ID, visit.CustomerID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: correction: %w", err))
	}
	cursor := s.takeCursor()
	m, err := e.store.RecordNote(ctx, crm.NoteInput{ShopID: s.shop.ID, Platform: s.msg.Platform,
		AuthorID: s.msg.UserID, Text: text, At: s.now, Cursor: cursor,
		Change: crm.Change{CustomerID: c.ID, UsualWeekday: crm.NoWeekday, Correct: &fix}})
	if err != nil {
		s.cursor = cursor
		if errors.Is(err, crm.ErrNotFound) || errors.Is(err, crm.ErrInvalidInput) {
			return nothing, nil
		}
		return e.fail(s.lang, fmt.Errorf("conversation: correction: %w", err))
	}
	return one(e.cat.T(s.lang, "correct.done", map[string]any{"Name": c.Name, "What": strings.Join(parts, " · ")}),
		e.undoButton(s, m.ID)), nil
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
