package conversation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dangol/dangol/crm"
)

// confirmRemoval asks, with one tap, before a note removes facts ("김민지
// 딸기 알레르기 아님"). Facts the customer does not have are left out of
// the note and said so. asked is true when the replies are a question or
// the whole answer.
func (e *Engine) confirmRemoval(ctx context.Context, s *session, text string, p *plan, edit bool) ([]Reply, bool, error) {
	if p.Removal {
		return nil, false, nil
	}
	var asks []string
	for i := range p.Clauses {
		c := &p.Clauses[i]
		if len(c.Change.RemoveFacts) == 0 {
			continue
		}
		var have []crm.Fact
		if c.Change.CustomerID != 0 {
			var err error
			if have, err = e.store.Facts(ctx, s.shop.ID, c.Change.CustomerID); err != nil {
				r, err := e.fail(s.lang, fmt.Errorf("conversation: facts: %w", err))
				return r, true, err
			}
		}
		var keep []crm.FactInput
		for _, f := range c.Change.RemoveFacts {
			found := false
			for _, h := range have {
				if h.Kind == f.Kind && strings.EqualFold(h.Value, f.Value) {
					found = true
					break
				}
			}
			if !found {
				c.Missing = append(c.Missing, f)
				continue
			}
			keep = append(keep, f)
			asks = append(asks, e.cat.T(s.lang, "remove.what", map[string]any{"Name": c.Shown,
				"Kind": e.factKind(s.lang, f.Kind), "What": f.Value}))
		}
		c.Change.RemoveFacts = keep
	}
	if len(asks) == 0 {
		if p.empty() {
			return []Reply{{Text: strings.Join(e.removalLines(s, p), "\n"), Edit: edit}}, true, nil
		}
		return nil, false, nil
	}
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
	id := strconv.FormatInt(pend.ID, 10)
	q := e.cat.T(s.lang, "remove.ask", map[string]any{"What": strings.Join(asks, ", ")})
	if others := e.removalLines(s, p); len(others) > 0 {
		q += "\n" + strings.Join(others, "\n")
	}
	return []Reply{{Text: q, Edit: edit, Buttons: []Button{
		{Label: e.cat.T(s.lang, "button.remove_fact", nil), Action: "rmok:" + id},
		{Label: e.cat.T(s.lang, "button.keep_fact", nil), Action: "rmkeep:" + id},
	}}}, true, nil
}

// empty reports whether the plan would change nothing.
func (p *plan) empty() bool {
	for _, c := range p.Clauses {
		if !c.Change.IsEmpty() {
			return false
		}
	}
	return true
}

// removalLines says which removals the note left out: facts the customer
// did not have, and those the owner chose to keep.
func (e *Engine) removalLines(s *session, p *plan) []string {
	var out []string
	for _, c := range p.Clauses {
		for _, f := range c.Missing {
			out = append(out, e.cat.T(s.lang, "remove.missing", map[string]any{"Name": c.Shown,
				"Kind": e.factKind(s.lang, f.Kind), "What": f.Value}))
		}
		for _, f := range c.Kept {
			out = append(out, e.cat.T(s.lang, "remove.kept", map[string]any{"Name": c.Shown,
				"Kind": e.factKind(s.lang, f.Kind), "What": f.Value}))
		}
	}
	return out
}

// removeAnswer answers the removal question: "rmok:<pending>" removes,
// "rmkeep:<pending>" keeps the facts; the rest of the note is recorded
// either way.
func (e *Engine) removeAnswer(ctx context.Context, s *session, arg string, remove bool) ([]Reply, error) {
	p, text, replies, ok, err := e.takePlan(ctx, s, arg)
	if !ok {
		return replies, err
	}
	if !remove {
		for i := range p.Clauses {
			c := &p.Clauses[i]
			c.Kept = append(c.Kept, c.Change.RemoveFacts...)
			c.Change.RemoveFacts = nil
		}
	}
	p.Removal = true
	if p.empty() {
		lines := e.removalLines(s, &p)
		if len(lines) == 0 {
			lines = []string{e.cat.T(s.lang, "action.cancelled", nil)}
		}
		return []Reply{{Text: strings.Join(lines, "\n"), Edit: true}}, nil
	}
	return e.proceed(ctx, s, text, &p, true)
}

// maxFactButtons is how many facts a card offers to remove.
const maxFactButtons = 8

// factButtons offer removing each of a customer's facts from their card.
func (e *Engine) factButtons(s *session, c crm.Customer, facts []crm.Fact) []Button {
	var out []Button
	for _, f := range facts {
		if len(out) == maxFactButtons {
			break
		}
		out = append(out, Button{
			Label:  e.cat.T(s.lang, "button.remove_one", map[string]any{"Kind": e.factKind(s.lang, f.Kind), "What": short(f.Value, 24)}),
			Action: "rmfact:" + strconv.FormatInt(c.ID, 10) + ":" + strconv.FormatInt(f.ID, 10)})
	}
	return out
}

// short cuts s to n runes with an ellipsis.
func short(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// factOf finds fact "<customer>:<fact>" of the shop.
func (e *Engine) factOf(ctx context.Context, s *session, arg string) (crm.Customer, crm.Fact, error) {
	cs, fs, _ := strings.Cut(arg, ":")
	c, err := e.customerByID(ctx, s, cs)
	if err != nil {
		return crm.Customer{}, crm.Fact{}, err
	}
	id, err := strconv.ParseInt(fs, 10, 64)
	if err != nil {
		return crm.Customer{}, crm.Fact{}, fmt.Errorf("conversation: fact id %q: %w", fs, crm.ErrInvalidInput)
	}
	facts, err := e.store.Facts(ctx, s.shop.ID, c.ID)
	if err != nil {
		return crm.Customer{}, crm.Fact{}, err
	}
	for _, f := range facts {
		if f.ID == id {
			return c, f, nil
		}
	}
	return crm.Customer{}, crm.Fact{}, fmt.Errorf("conversation: fact %d: %w", id, crm.ErrNotFound)
}

// removeFactAsk answers a card's remove button with a one-tap question.
func (e *Engine) removeFactAsk(ctx context.Context, s *session, arg string) ([]Reply, error) {
	c, f, err := e.factOf(ctx, s, arg)
	if errors.Is(err, crm.ErrNotFound) || errors.Is(err, crm.ErrInvalidInput) {
		return one(e.cat.T(s.lang, "action.stale", nil)), nil
	}
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: remove fact: %w", err))
	}
	what := e.cat.T(s.lang, "remove.what", map[string]any{"Name": c.Name, "Kind": e.factKind(s.lang, f.Kind), "What": f.Value})
	return one(e.cat.T(s.lang, "remove.ask", map[string]any{"What": what}),
		Button{Label: e.cat.T(s.lang, "button.remove_fact", nil), Action: "rmfactok:" + arg},
		Button{Label: e.cat.T(s.lang, "button.keep_fact", nil), Action: "cancel"}), nil
}

// removeFact removes one fact from a card, as an undoable note.
func (e *Engine) removeFact(ctx context.Context, s *session, arg string) ([]Reply, error) {
	c, f, err := e.factOf(ctx, s, arg)
	if errors.Is(err, crm.ErrNotFound) || errors.Is(err, crm.ErrInvalidInput) {
		return []Reply{{Text: e.cat.T(s.lang, "action.stale", nil), Edit: true}}, nil
	}
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: remove fact: %w", err))
	}
	text := e.cat.T(s.lang, "remove.note_text", map[string]any{"Name": c.Name, "Kind": e.factKind(s.lang, f.Kind), "What": f.Value})
	return e.record(ctx, s, text, crm.Change{CustomerID: c.ID, UsualWeekday: crm.NoWeekday,
		RemoveFacts: []crm.FactInput{{Kind: f.Kind, Value: f.Value}}}, c.Name, true)
}
