package conversation

// Memos the shop had better not keep. The consent notice tells customers
// that short memos are kept; a memo with a phone number, an e-mail or home
// address, or a health detail (allergies aside) is more than a greeting
// needs. The note's confirmation says so once, with "don't keep" for each
// such memo; removing it takes its value out of the note's kept text too,
// and can be taken back for crm.DropValidity.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dangol/dangol/crm"
)

// maxMemoWarnings is how many "don't keep" buttons one confirmation shows.
const maxMemoWarnings = 2

// memoWarning returns, for the facts note n added, one line warning that
// some look like a phone number, address, e-mail or health detail, and a
// "don't keep" button for each; "" and nil when none does.
func (e *Engine) memoWarning(s *session, n crm.Note) (string, []Button) {
	var kinds []string
	var buttons []Button
	for _, ef := range n.Effects {
		if ef.Kind != crm.EffectFactAdded || crm.FactKind(ef.Old) == crm.FactAllergy {
			continue
		}
		kind := e.memos.Kind(ef.New)
		if kind == "" || len(buttons) == maxMemoWarnings {
			continue
		}
		kinds = append(kinds, e.cat.T(s.lang, "memo.kind."+kind, nil))
		buttons = append(buttons, Button{Label: e.cat.T(s.lang, "button.dont_keep", map[string]any{"What": short(ef.New, 16)}),
			Action: "mdrop:" + strconv.FormatInt(ef.RefID, 10)})
	}
	if len(buttons) == 0 {
		return "", nil
	}
	return e.cat.T(s.lang, "memo.warning", map[string]any{"Kinds": strings.Join(kinds, ", ")}), buttons
}

// dropMemo answers "don't keep": the memo goes, from the card and from the
// note's kept text. The note's author or the owner may press it.
func (e *Engine) dropMemo(ctx context.Context, s *session, arg string) ([]Reply, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return e.stale(s), nil
	}
	f, err := e.store.Fact(ctx, s.shop.ID, id)
	if errors.Is(err, crm.ErrNotFound) {
		return one(e.cat.T(s.lang, "memo.gone", nil)), nil
	}
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: drop memo: %w", err))
	}
	if !s.isOwner() {
		n, err := e.store.Note(ctx, s.shop.ID, f.NoteID)
		if err != nil || n.Platform != s.msg.Platform || n.AuthorID != s.msg.UserID {
			return e.ownerOnly(s), nil
		}
	}
	d, err := e.store.DropFact(ctx, s.shop.ID, id, s.msg.Platform+":"+s.msg.UserID, s.now)
	if errors.Is(err, crm.ErrNotFound) {
		return one(e.cat.T(s.lang, "memo.gone", nil)), nil
	}
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: drop memo: %w", err))
	}
	return one(e.cat.T(s.lang, "memo.dropped", map[string]any{"What": d.Fact.Value}),
		Button{Label: e.cat.T(s.lang, "button.keep_memo", nil), Action: "mkeep:" + strconv.FormatInt(d.ID, 10)}), nil
}

// keepMemo takes a "don't keep" back, for the member who pressed it.
func (e *Engine) keepMemo(ctx context.Context, s *session, arg string) ([]Reply, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return e.stale(s), nil
	}
	f, err := e.store.RestoreFact(ctx, s.shop.ID, id, s.msg.Platform+":"+s.msg.UserID, s.now)
	if errors.Is(err, crm.ErrNotFound) {
		return []Reply{{Text: e.cat.T(s.lang, "memo.keep_too_late", nil), Edit: true}}, nil
	}
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: keep memo: %w", err))
	}
	return []Reply{{Text: e.cat.T(s.lang, "memo.kept", map[string]any{"What": f.Value}), Edit: true}}, nil
}
