package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
)

// processRaw handles one update as Telegram encodes it. It returns an
// error only when the update cannot be read at all.
func (b *Bot) processRaw(ctx context.Context, data []byte) error {
	var u models.Update
	if err := json.Unmarshal(data, &u); err != nil {
		// Move past an update that cannot be decoded, so it does not
		// block the ones after it.
		var id struct {
			ID int64 `json:"update_id"`
		}
		if json.Unmarshal(data, &id) == nil && id.ID != 0 {
			b.mu.Lock()
			b.consumed(id.ID)
			b.mu.Unlock()
		}
		return fmt.Errorf("telegram: decode update: %w", err)
	}
	b.process(ctx, &u)
	return nil
}

// process handles one update: it skips what was already handled, throttles
// floods, asks the engine and shows the replies. Updates are handled one
// at a time. Problems are logged here.
func (b *Bot) process(ctx context.Context, u *models.Update) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.seen(u.ID) {
		b.log.Debug("telegram: update already handled", "update", u.ID)
		if cq := u.CallbackQuery; cq != nil {
			b.answer(ctx, cq.ID, "")
		}
		return
	}
	switch {
	case u.Message != nil:
		b.message(ctx, u.ID, u.Message)
	case u.CallbackQuery != nil:
		b.press(ctx, u.ID, u.CallbackQuery)
	default:
		b.consumed(u.ID)
	}
}

// seen reports whether update id was handled already: it is at most
// duplicateWindow below the cursor. Ids further below come after Telegram
// restarted its numbering.
func (b *Bot) seen(id int64) bool {
	return id <= b.cursor && b.cursor-id < duplicateWindow
}

// consumed moves the in-memory cursor to id, once the update was handled
// (or deliberately ignored). The stored cursor moves with the engine's
// transaction. An update the engine failed on is not marked: the person
// was told nothing was saved, and should Telegram deliver it again, it is
// handled again.
func (b *Bot) consumed(id int64) {
	if id > b.cursor || b.cursor-id >= duplicateWindow {
		b.cursor = id
	}
}

func (b *Bot) cursorFor(id int64) *crm.Cursor {
	return &crm.Cursor{Name: b.cursorName, Value: id}
}

// message handles a message sent to the bot.
func (b *Bot) message(ctx context.Context, id int64, m *models.Message) {
	failed := false
	defer func() {
		if !failed {
			b.consumed(id)
		}
	}()
	from := m.From
	if from == nil || from.IsBot {
		return
	}
	t := target{chatID: m.Chat.ID}
	text := m.Text
	entities := m.Entities
	if text == "" {
		text, entities = m.Caption, m.CaptionEntities
	}
	switch m.Chat.Type {
	case models.ChatTypePrivate:
	case models.ChatTypeGroup, models.ChatTypeSupergroup:
		var ok bool
		if text, ok = b.addressed(m, text, entities); !ok {
			return
		}
		t.replyTo = m.ID
		if m.IsTopicMessage {
			t.threadID = m.MessageThreadID
		}
	default:
		return
	}
	if !b.allow(ctx, t, from) {
		return
	}
	// A document in a private chat goes to the engine as a file, with its
	// caption as the text.
	var file *conversation.File
	if m.Chat.Type == models.ChatTypePrivate && m.Document != nil {
		var ok bool
		if file, ok = b.document(ctx, id, t, from, m.Document); !ok {
			return
		}
	}
	if text == "" && file == nil {
		if m.Chat.Type == models.ChatTypePrivate && hasMedia(m) {
			b.reply(ctx, id, t, []conversation.Reply{{Text: b.cat.T(b.langFor(ctx, from), "telegram.text_only", nil)}}, nil)
		}
		return
	}
	msg := conversation.Message{Platform: Platform, UserID: strconv.FormatInt(from.ID, 10),
		UserName: displayName(from), Lang: from.LanguageCode, Text: text, File: file, Cursor: b.cursorFor(id), Bot: b.me.Username}
	replies, err := b.cfg.Handler.Handle(ctx, msg)
	failed = err != nil
	b.reply(ctx, id, t, replies, err)
}

// press handles a pressed inline button.
func (b *Bot) press(ctx context.Context, id int64, q *models.CallbackQuery) {
	failed := false
	defer func() {
		if !failed {
			b.consumed(id)
		}
	}()
	var t target
	switch {
	case q.Message.Message != nil:
		t = target{chatID: q.Message.Message.Chat.ID, editID: q.Message.Message.ID}
		if q.Message.Message.IsTopicMessage {
			t.threadID = q.Message.Message.MessageThreadID
		}
	case q.Message.InaccessibleMessage != nil:
		t = target{chatID: q.Message.InaccessibleMessage.Chat.ID}
	}
	if t.chatID == 0 || q.From.IsBot || q.Data == "" {
		// A button under an inline-mode message, or a game: nothing
		// Dangol shows.
		b.answer(ctx, q.ID, "")
		return
	}
	if !b.allow(ctx, t, &q.From) {
		b.answer(ctx, q.ID, "")
		return
	}
	if t.editID != 0 && b.keyboards.gone(t.chatID, t.editID, q.Data) {
		// The button was already pressed and its message changed.
		b.answer(ctx, q.ID, b.cat.T(b.langFor(ctx, &q.From), "telegram.already_done", nil))
		return
	}
	msg := conversation.Message{Platform: Platform, UserID: strconv.FormatInt(q.From.ID, 10),
		UserName: displayName(&q.From), Lang: q.From.LanguageCode, Action: q.Data, Cursor: b.cursorFor(id), Bot: b.me.Username}
	replies, err := b.cfg.Handler.Handle(ctx, msg)
	failed = err != nil
	b.answer(ctx, q.ID, "")
	b.reply(ctx, id, t, replies, err)
}

// allow applies flood control to an update from user in t's chat; the
// update that starts a pause gets the notice.
func (b *Bot) allow(ctx context.Context, t target, from *models.User) bool {
	ok, notice := b.flood.check(t.chatID, b.cfg.Now())
	if notice {
		b.log.Warn("telegram: chat is flooding; pausing it", "chat", t.chatID, "window", floodWindow)
		t.editID = 0
		b.reply(ctx, 0, t, []conversation.Reply{{Text: b.cat.T(b.langFor(ctx, from), "telegram.flood", nil)}}, nil)
	}
	return ok
}

// reply logs the engine's error, if any, and shows its replies.
func (b *Bot) reply(ctx context.Context, id int64, t target, replies []conversation.Reply, handleErr error) {
	if handleErr != nil {
		b.log.Error("telegram: handling update", "update", id, "chat", t.chatID, "err", handleErr)
	}
	edited, err := b.deliver(ctx, t, replies)
	if edited != nil {
		b.keyboards.set(t.chatID, t.editID, edited)
	}
	if err == nil {
		return
	}
	if errors.Is(err, ErrUnreachable) {
		if b.firstUnreachable(t.chatID) {
			b.log.Warn("telegram: chat cannot receive messages (blocked or gone); not logging it again until it can", "chat", t.chatID, "err", err)
		}
		return
	}
	b.log.Error("telegram: delivering replies", "update", id, "chat", t.chatID, "err", err)
}

// answer stops the button's spinner, with a short notice when text is set.
// An old or repeated query cannot be answered any more; that is not worth
// a warning.
func (b *Bot) answer(ctx context.Context, queryID, text string) {
	err := b.retry(ctx, func(ctx context.Context) error {
		_, err := b.api.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: queryID, Text: text})
		return err
	})
	if err != nil {
		b.log.Debug("telegram: answerCallbackQuery", "err", err)
	}
}

// addressed decides whether a group message is for this bot: a command
// without a bot name or with this bot's, a mention of the bot, or a reply
// to one of the bot's messages. It returns the text without the mention.
func (b *Bot) addressed(m *models.Message, text string, entities []models.MessageEntity) (string, bool) {
	me := strings.ToLower(b.me.Username)
	units := utf16.Encode([]rune(text))
	part := func(e models.MessageEntity) string {
		if e.Offset < 0 || e.Length < 0 || e.Offset+e.Length > len(units) {
			return ""
		}
		return string(utf16.Decode(units[e.Offset : e.Offset+e.Length]))
	}
	for _, e := range entities {
		switch e.Type {
		case models.MessageEntityTypeBotCommand:
			if e.Offset != 0 {
				continue
			}
			_, name, named := strings.Cut(part(e), "@")
			if !named || strings.EqualFold(name, me) {
				return text, true
			}
			return "", false
		case models.MessageEntityTypeMention:
			if me != "" && strings.EqualFold(part(e), "@"+me) {
				cut := string(utf16.Decode(units[:e.Offset])) + string(utf16.Decode(units[e.Offset+e.Length:]))
				return strings.TrimSpace(strings.Join(strings.Fields(cut), " ")), true
			}
		case models.MessageEntityTypeTextMention:
			if e.User != nil && e.User.ID == b.me.ID {
				return text, true
			}
		}
	}
	if r := m.ReplyToMessage; r != nil && r.From != nil && r.From.ID == b.me.ID {
		return text, true
	}
	return "", false
}

// displayName is a Telegram user's name as their contacts see it.
func displayName(u *models.User) string {
	return strings.TrimSpace(u.FirstName + " " + u.LastName)
}

// hasMedia reports whether m carries something a person sent that is not
// text (a photo, a voice note, a sticker, …), as opposed to a service
// message.
func hasMedia(m *models.Message) bool {
	return len(m.Photo) > 0 || m.Sticker != nil || m.Voice != nil || m.Video != nil || m.VideoNote != nil ||
		m.Audio != nil || m.Document != nil || m.Animation != nil || m.Contact != nil || m.Location != nil ||
		m.Venue != nil || m.Poll != nil || m.Dice != nil
}

// langFor is the language of the adapter's own notices to a user: their
// shop's when they work for one and the handler can tell, else their
// Telegram client's.
func (b *Bot) langFor(ctx context.Context, from *models.User) string {
	if l, ok := b.cfg.Handler.(interface {
		LangFor(ctx context.Context, platform, userID, fallback string) string
	}); ok {
		return l.LangFor(ctx, Platform, strconv.FormatInt(from.ID, 10), from.LanguageCode)
	}
	return from.LanguageCode
}
