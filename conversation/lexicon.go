package conversation

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/dangol/dangol/crm"
)

// maxWordButtons is how many unknown words of one note get choice buttons;
// maxWordBytes keeps a button's data within Telegram's 64 bytes.
const (
	maxWordButtons = 2
	maxWordBytes   = 48
)

// unknownWords says which words of a note were not understood, with one
// tap per word to teach the shop's reading: an item, a memo, or a word to
// ignore.
func (e *Engine) unknownWords(s *session, words []string) (string, []Button) {
	var shown []string
	var buttons []Button
	for _, w := range words {
		w = strings.TrimSpace(w)
		if w == "" {
			continue
		}
		shown = append(shown, e.cat.T(s.lang, "unknown.word", map[string]any{"Word": w}))
		if len(buttons) < 3*maxWordButtons && len(w) <= maxWordBytes {
			for _, role := range []string{crm.LexItem, crm.LexMemo, crm.LexIgnore} {
				buttons = append(buttons, Button{
					Label:  e.cat.T(s.lang, "button.lex_"+role, map[string]any{"Word": w}),
					Action: "lex:" + role + ":" + w})
			}
		}
	}
	if len(shown) == 0 {
		return "", nil
	}
	return e.cat.T(s.lang, "unknown.line", map[string]any{"Words": strings.Join(shown, ", ")}), buttons
}

// lexRoles maps what owners type to a lexicon role.
var lexRoles = map[string]string{
	"item": crm.LexItem, "품목": crm.LexItem, "상품": crm.LexItem, "메뉴": crm.LexItem,
	"memo": crm.LexMemo, "note": crm.LexMemo, "context": crm.LexMemo, "메모": crm.LexMemo,
	"ignore": crm.LexIgnore, "무시": crm.LexIgnore, "skip": crm.LexIgnore,
}

// teach gives a word a role in the shop's lexicon, as an undoable note.
func (e *Engine) teach(ctx context.Context, s *session, word, role string) ([]Reply, error) {
	word = strings.Join(strings.Fields(strings.ToLower(word)), " ")
	if word == "" || !crm.ValidLexRole(role) {
		return one(e.cat.T(s.lang, "word.usage", nil)), nil
	}
	cursor := s.takeCursor()
	n, err := e.store.RecordNote(ctx, crm.NoteInput{ShopID: s.shop.ID, Platform: s.msg.Platform,
		AuthorID: s.msg.UserID, Text: "/word " + word + " " + role, At: s.now, Cursor: cursor,
		Change: crm.Change{UsualWeekday: crm.NoWeekday, Lexicon: []crm.LexiconInput{{Word: word, Role: role}}}})
	if err != nil {
		s.cursor = cursor
		if errors.Is(err, crm.ErrInvalidInput) {
			return one(e.cat.T(s.lang, "word.usage", nil)), nil
		}
		return e.fail(s.lang, fmt.Errorf("conversation: teach word: %w", err))
	}
	return one(e.cat.T(s.lang, "word.done."+role, map[string]any{"Word": word}), e.undoButton(s, n.ID)), nil
}

// lexPress answers a word's choice button: "lex:<role>:<word>".
func (e *Engine) lexPress(ctx context.Context, s *session, arg string) ([]Reply, error) {
	role, word, ok := strings.Cut(arg, ":")
	if !ok || !crm.ValidLexRole(role) || strings.TrimSpace(word) == "" {
		return one(e.cat.T(s.lang, "action.stale", nil)), nil
	}
	return e.teach(ctx, s, word, role)
}

// wordCommand is /word: the shop's words, or "/word 체크아웃 memo".
func (e *Engine) wordCommand(ctx context.Context, s *session, args string) ([]Reply, error) {
	f := strings.Fields(args)
	if len(f) == 0 {
		lex, err := e.store.Lexicon(ctx, s.shop.ID)
		if err != nil {
			return e.fail(s.lang, fmt.Errorf("conversation: lexicon: %w", err))
		}
		if len(lex) == 0 {
			return one(e.cat.T(s.lang, "word.none", nil)), nil
		}
		words := make([]string, 0, len(lex))
		for w := range lex {
			words = append(words, w)
		}
		sort.Strings(words)
		lines := []string{e.cat.T(s.lang, "word.list", nil)}
		for _, w := range words {
			lines = append(lines, e.cat.T(s.lang, "word.entry", map[string]any{"Word": w,
				"Role": e.cat.T(s.lang, "word.role."+lex[w], nil)}))
		}
		return one(strings.Join(lines, "\n")), nil
	}
	role, ok := lexRoles[strings.ToLower(f[len(f)-1])]
	if !ok || len(f) < 2 {
		return one(e.cat.T(s.lang, "word.usage", nil)), nil
	}
	return e.teach(ctx, s, strings.Join(f[:len(f)-1], " "), role)
}
