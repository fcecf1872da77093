package telegram

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dangol/dangol/conversation"
)

// maxMessage is the longest text the adapter sends in one message, in
// UTF-16 code units (Telegram's measure; its limit is 4,096).
const maxMessage = 4000

// target is where the replies to one update go.
type target struct {
	chatID   int64
	threadID int // forum topic, in supergroups
	replyTo  int // the message answered, quoted in groups
	// editID is the message whose button was pressed; a Reply with Edit
	// replaces it. 0 when there is none.
	editID int
}

// inlineKeyboard is Telegram's InlineKeyboardMarkup with callback buttons
// only (go-telegram/bot's button type always sends an empty copy_text).
type inlineKeyboard struct {
	InlineKeyboard [][]inlineButton `json:"inline_keyboard"`
}

type inlineButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

// deliver shows replies in t: the first reply with Edit replaces the
// pressed message, everything else is sent. It returns the callback data
// now on the edited message (nil when nothing was edited, empty when its
// keyboard is gone), and whether some part could not be delivered for a
// passing reason (lost: worth sending again later). Errors are collected;
// a chat that cannot receive messages stops the delivery.
func (b *Bot) deliver(ctx context.Context, t target, replies []conversation.Reply) (edited []string, lost bool, err error) {
	var errs []error
	note := func(err error) {
		errs = append(errs, err)
		if c := classOf(err); c == transient || c == rateLimited {
			lost = true
		}
	}
	editID := t.editID
	for _, r := range replies {
		parts := splitText(r.Text, maxMessage)
		kb, dropped := layout(r.Buttons)
		for _, d := range dropped {
			errs = append(errs, fmt.Errorf("telegram: button %q left out: callback data must be 1–%d bytes", d, maxCallbackData))
		}
		for i, text := range parts {
			var markup *inlineKeyboard
			if i == len(parts)-1 {
				markup = kb
			}
			if r.Edit && i == 0 && editID != 0 {
				id := editID
				editID = 0
				ok, err := b.edit(ctx, t.chatID, id, text, markup)
				if ok {
					edited = callbackData(markup)
					if err != nil {
						note(err)
					}
					continue
				}
				if err != nil && classOf(err) == unreachable {
					return edited, false, errors.Join(append(errs, err)...)
				}
				// The message cannot be edited (too old, deleted): send
				// the reply as a new message instead.
			}
			if err := b.send(ctx, t, text, markup); err != nil {
				if classOf(err) == unreachable {
					return edited, false, errors.Join(append(errs, err)...)
				}
				note(err)
			}
		}
		if err := b.sendFiles(ctx, t, r); err != nil {
			if classOf(err) == unreachable {
				return edited, false, errors.Join(append(errs, err)...)
			}
			note(err)
		}
	}
	return edited, lost, errors.Join(errs...)
}

func classOf(err error) errClass {
	c, _ := classify(err)
	return c
}

func (b *Bot) send(ctx context.Context, t target, text string, markup *inlineKeyboard) error {
	p := &bot.SendMessageParams{ChatID: t.chatID, Text: text, MessageThreadID: t.threadID}
	if t.replyTo != 0 {
		p.ReplyParameters = &models.ReplyParameters{MessageID: t.replyTo, AllowSendingWithoutReply: true}
	}
	if markup != nil {
		p.ReplyMarkup = markup
	}
	err := b.retry(ctx, func(ctx context.Context) error {
		_, err := b.api.SendMessage(ctx, p)
		return err
	})
	if err != nil {
		return b.wrapChatErr("sendMessage", t.chatID, err)
	}
	b.reachable(t.chatID)
	return nil
}

// edit replaces the text and keyboard of message id; no markup removes the
// keyboard. ok reports whether the message now shows text (also when
// Telegram says it already did).
func (b *Bot) edit(ctx context.Context, chatID int64, id int, text string, markup *inlineKeyboard) (ok bool, err error) {
	p := &bot.EditMessageTextParams{ChatID: chatID, MessageID: id, Text: text}
	if markup != nil {
		p.ReplyMarkup = markup
	}
	err = b.retry(ctx, func(ctx context.Context) error {
		_, err := b.api.EditMessageText(ctx, p)
		return err
	})
	switch {
	case err == nil:
		b.reachable(chatID)
		return true, nil
	case strings.Contains(err.Error(), "message is not modified"):
		return true, nil
	}
	return false, b.wrapChatErr("editMessageText", chatID, err)
}

// wrapChatErr names the call and marks errors that mean the chat cannot
// receive messages.
func (b *Bot) wrapChatErr(method string, chatID int64, err error) error {
	if classOf(err) == unreachable {
		return &chatError{method: method, chatID: chatID, err: err}
	}
	return fmt.Errorf("telegram: %s to chat %d: %w", method, chatID, err)
}

// chatError is a delivery error to a chat that cannot receive messages.
type chatError struct {
	method string
	chatID int64
	err    error
}

func (e *chatError) Error() string {
	return fmt.Sprintf("telegram: %s to chat %d: %v", e.method, e.chatID, e.err)
}

func (e *chatError) Unwrap() []error { return []error{ErrUnreachable, e.err} }

// reachable notes that chatID received a message, so that a later
// permanent error is logged again.
func (b *Bot) reachable(chatID int64) {
	b.unreachableMu.Lock()
	delete(b.unreachable, chatID)
	b.unreachableMu.Unlock()
}

// firstUnreachable reports whether chatID's permanent error should be
// logged: the first time since it last received a message.
func (b *Bot) firstUnreachable(chatID int64) bool {
	b.unreachableMu.Lock()
	defer b.unreachableMu.Unlock()
	if b.unreachable[chatID] {
		return false
	}
	b.unreachable[chatID] = true
	return true
}

// callbackData lists the callback data of a keyboard (empty, not nil, for
// none).
func callbackData(kb *inlineKeyboard) []string {
	out := []string{}
	if kb == nil {
		return out
	}
	for _, row := range kb.InlineKeyboard {
		for _, btn := range row {
			out = append(out, btn.CallbackData)
		}
	}
	return out
}

// Keyboard layout: buttons whose labels are all at most shortLabel wide
// go in rows of up to three; otherwise one button per row.
const shortLabel = 16

// layout turns buttons into an inline keyboard (nil for none). Buttons
// whose action is not valid callback data are left out and returned.
func layout(buttons []conversation.Button) (kb *inlineKeyboard, dropped []string) {
	var btns []inlineButton
	long := false
	for _, bt := range buttons {
		label := strings.TrimSpace(bt.Label)
		if bt.Action == "" || len(bt.Action) > maxCallbackData || !utf8.ValidString(bt.Action) {
			dropped = append(dropped, bt.Action)
			continue
		}
		if label == "" {
			label = bt.Action
		}
		if width(label) > shortLabel {
			long = true
		}
		btns = append(btns, inlineButton{Text: label, CallbackData: bt.Action})
	}
	if len(btns) == 0 {
		return nil, dropped
	}
	perRow := 1
	if !long {
		perRow = 3
	}
	// Balance the rows, earlier rows taking the larger share: five
	// buttons are 3+2, four are 2+2.
	rows := ceilDiv(len(btns), perRow)
	kb = &inlineKeyboard{InlineKeyboard: make([][]inlineButton, 0, rows)}
	for i := range rows {
		kb.InlineKeyboard = append(kb.InlineKeyboard, btns[ceilDiv(i*len(btns), rows):ceilDiv((i+1)*len(btns), rows)])
	}
	return kb, dropped
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// width estimates how wide a label shows: East Asian wide characters
// count twice.
func width(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Hangul, r) || unicode.Is(unicode.Han, r) ||
			unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || r >= 0x1F000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// splitText cuts text into parts of at most limit UTF-16 code units, at a
// line break where there is one in the second half of a part, else at a
// space, else anywhere between characters. Blank text gives no parts.
func splitText(text string, limit int) []string {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	var parts []string
	for {
		if utf16Len(text) <= limit {
			return append(parts, text)
		}
		cut := cutPoint(text, limit)
		part := strings.TrimRight(text[:cut], " \n")
		if strings.TrimSpace(part) != "" {
			parts = append(parts, part)
		}
		text = strings.TrimLeft(text[cut:], "\n")
		if strings.TrimSpace(text) == "" {
			return parts
		}
	}
}

// cutPoint returns the byte offset where text's next part ends.
func cutPoint(text string, limit int) int {
	units, end := 0, 0
	lastNL, lastSpace := -1, -1
	for i, r := range text {
		n := utf16.RuneLen(r)
		if n < 0 {
			n = 1
		}
		if units+n > limit {
			break
		}
		units += n
		end = i + utf8.RuneLen(r)
		switch r {
		case '\n':
			lastNL = end
		case ' ':
			lastSpace = end
		}
	}
	half := end / 2
	switch {
	case lastNL > half:
		return lastNL
	case lastSpace > half:
		return lastSpace
	case end == 0:
		_, size := utf8.DecodeRuneInString(text)
		return size
	}
	return end
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if l := utf16.RuneLen(r); l > 0 {
			n += l
		} else {
			n++
		}
	}
	return n
}
