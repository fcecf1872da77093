package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
)

// outgoing is what handling one update leaves to show: replies for a
// target, and the stored reply (stream and update) to mark sent once they
// are delivered.
type outgoing struct {
	t         target
	replies   []conversation.Reply
	update    int64  // the update, for logs
	stream    string // the cursor the replies were stored under; "" when not stored
	handleErr error  // the engine's error, logged with the delivery
	from      *models.User
}

// plain reports whether the replies are text (with buttons at most) that
// can be gathered with others into one message.
func (o *outgoing) plain() bool {
	if o.t.editID != 0 || o.t.replyTo != 0 || o.handleErr != nil || len(o.replies) != 1 {
		return false
	}
	r := o.replies[0]
	return !r.Edit && r.Photo == nil && r.Document == nil && strings.TrimSpace(r.Text) != ""
}

// result is what handling one update came to: it must be tried again
// later (transient), or it is done, with out to show (nil for nothing).
type result struct {
	transient bool
	out       *outgoing
}

// decodeUpdate reads an update as Telegram encodes it.
func decodeUpdate(data []byte) (*models.Update, error) {
	var u models.Update
	if err := json.Unmarshal(data, &u); err != nil {
		return nil, fmt.Errorf("telegram: decode update: %w", err)
	}
	return &u, nil
}

// chatOf is the chat an update belongs to: its updates are handled in
// order, one at a time.
func chatOf(u *models.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		switch {
		case q.Message.Message != nil:
			return q.Message.Message.Chat.ID
		case q.Message.InaccessibleMessage != nil:
			return q.Message.InaccessibleMessage.Chat.ID
		}
		return q.From.ID
	}
	return 0
}

// process handles one update and shows what it gives at once. It reports
// whether the update failed for a passing reason and should be tried
// again; problems are logged here.
func (b *Bot) process(ctx context.Context, u *models.Update) (transient bool) {
	r := b.handle(ctx, u)
	if r.out != nil {
		b.show(ctx, r.out)
	}
	return r.transient
}

// handle handles one update: it skips what was already handled, throttles
// strangers' floods and asks the engine, and returns what to show.
func (b *Bot) handle(ctx context.Context, u *models.Update) result {
	chat := chatOf(u)
	seen, err := b.seen(ctx, chat, u.ID)
	if err != nil {
		b.log.Warn("telegram: reading a chat's cursor failed; trying again", "update", u.ID, "err", err)
		return result{transient: true}
	}
	if seen {
		b.log.Debug("telegram: update already handled", "update", u.ID)
		if cq := u.CallbackQuery; cq != nil {
			b.answer(ctx, cq.ID, "")
		}
		return result{}
	}
	switch {
	case u.Message != nil:
		return b.message(ctx, u.ID, chat, u.Message)
	case u.CallbackQuery != nil:
		return b.press(ctx, u.ID, chat, u.CallbackQuery)
	}
	b.consumed(chat, u.ID)
	return result{}
}

// chatCursorName is the cursor of one chat's updates.
func (b *Bot) chatCursorName(chat int64) string {
	return b.cursorName + ":" + strconv.FormatInt(chat, 10)
}

// chatCursor returns the chat's latest handled update, read from the store
// the first time.
func (b *Bot) chatCursor(ctx context.Context, chat int64) (int64, error) {
	b.mu.Lock()
	c, ok := b.cursors[chat]
	b.mu.Unlock()
	if ok {
		return c, nil
	}
	v, err := b.cfg.Cursors.Cursor(ctx, b.chatCursorName(chat))
	if err != nil {
		return 0, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.cursors) >= 1<<16 {
		clear(b.cursors) // read again as needed
	}
	if cur, ok := b.cursors[chat]; !ok || v > cur {
		b.cursors[chat] = v
	}
	return b.cursors[chat], nil
}

// seen reports whether update id of chat was handled already: it is at
// most duplicateWindow below the chat's cursor (or the bot-wide cursor of
// older versions). Ids further below come after Telegram restarted its
// numbering.
func (b *Bot) seen(ctx context.Context, chat, id int64) (bool, error) {
	c, err := b.chatCursor(ctx, chat)
	if err != nil {
		return false, err
	}
	b.mu.Lock()
	legacy := b.legacy
	b.mu.Unlock()
	dup := func(c int64) bool { return c > 0 && id <= c && c-id < duplicateWindow }
	return dup(c) || dup(legacy), nil
}

// consumed moves the chat's in-memory cursor to id, once the update was
// handled (or deliberately ignored). The stored cursor moves with the
// engine's transaction. An update the engine failed on for good is not
// marked: the person was told nothing was saved, and should Telegram
// deliver it again, it is handled again.
func (b *Bot) consumed(chat, id int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if c := b.cursors[chat]; id > c || c-id >= duplicateWindow {
		b.cursors[chat] = id
	}
}

func (b *Bot) cursorFor(chat, id int64) *crm.Cursor {
	return &crm.Cursor{Name: b.chatCursorName(chat), Value: id}
}

// route is where replies to t go, as stored with them.
type route struct {
	Chat    int64 `json:"c"`
	Thread  int   `json:"t,omitempty"`
	ReplyTo int   `json:"r,omitempty"`
	Edit    int   `json:"e,omitempty"`
}

func (b *Bot) routeOf(t target) string {
	if b.replies == nil {
		return "" // nothing stores the replies: the engine need not either
	}
	data, _ := json.Marshal(route{Chat: t.chatID, Thread: t.threadID, ReplyTo: t.replyTo, Edit: t.editID})
	return string(data)
}

// notice is an answer of the adapter's own, not stored.
func notice(id int64, t target, text string) result {
	return result{out: &outgoing{t: t, update: id, replies: []conversation.Reply{{Text: text}}}}
}

// ask hands a message to the engine and turns its answer into a result.
func (b *Bot) ask(ctx context.Context, id, chat int64, t target, from *models.User, msg conversation.Message) result {
	msg.Cursor = b.cursorFor(chat, id)
	msg.Route = b.routeOf(t)
	replies, err := b.cfg.Handler.Handle(ctx, msg)
	if err != nil && conversation.IsTemporary(err) {
		b.log.Warn("telegram: handling an update failed for now; trying again", "update", id, "chat", t.chatID, "err", err)
		return result{transient: true}
	}
	out := &outgoing{t: t, replies: replies, update: id, handleErr: err, from: from}
	if err == nil {
		b.consumed(chat, id)
		if msg.Route != "" {
			out.stream = msg.Cursor.Name
		}
	}
	return result{out: out}
}

// message handles a message sent to the bot.
func (b *Bot) message(ctx context.Context, id, chat int64, m *models.Message) result {
	done := func() result {
		b.consumed(chat, id)
		return result{}
	}
	from := m.From
	if from == nil || from.IsBot {
		return done()
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
			return done()
		}
		t.replyTo = m.ID
		if m.IsTopicMessage {
			t.threadID = m.MessageThreadID
		}
	default:
		return done()
	}
	sent := time.Unix(int64(m.Date), 0)
	if m.Date == 0 {
		sent = b.cfg.Now()
	}
	if ok, r := b.allow(ctx, id, t, from, sent); !ok {
		b.consumed(chat, id)
		return r
	}
	msg := conversation.Message{Platform: Platform, UserID: strconv.FormatInt(from.ID, 10),
		UserName: displayName(from), Lang: from.LanguageCode, Text: text, Bot: b.me.Username}
	// A document in a private chat goes to the engine as a file, with its
	// caption as the text.
	if m.Chat.Type == models.ChatTypePrivate && m.Document != nil {
		file, closeFile, r, ok := b.document(ctx, id, t, from, m.Document)
		if !ok {
			b.consumed(chat, id)
			return r
		}
		defer closeFile()
		msg.File = file
	}
	if text == "" && msg.File == nil {
		if m.Chat.Type == models.ChatTypePrivate && hasMedia(m) {
			b.consumed(chat, id)
			return notice(id, t, b.cat.T(b.langFor(ctx, from), "telegram.text_only", nil))
		}
		return done()
	}
	return b.ask(ctx, id, chat, t, from, msg)
}

// press handles a pressed inline button.
func (b *Bot) press(ctx context.Context, id, chat int64, q *models.CallbackQuery) result {
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
		b.consumed(chat, id)
		return result{}
	}
	if ok, r := b.allow(ctx, id, t, &q.From, b.cfg.Now()); !ok {
		b.answer(ctx, q.ID, "")
		b.consumed(chat, id)
		return r
	}
	b.mu.Lock()
	gone := t.editID != 0 && b.keyboards.gone(t.chatID, t.editID, q.Data)
	b.mu.Unlock()
	if gone {
		// The button was already pressed and its message changed.
		b.answer(ctx, q.ID, b.cat.T(b.langFor(ctx, &q.From), "telegram.already_done", nil))
		b.consumed(chat, id)
		return result{}
	}
	msg := conversation.Message{Platform: Platform, UserID: strconv.FormatInt(q.From.ID, 10),
		UserName: displayName(&q.From), Lang: q.From.LanguageCode, Action: q.Data, Bot: b.me.Username}
	r := b.ask(ctx, id, chat, t, &q.From, msg)
	if !r.transient {
		b.answer(ctx, q.ID, "")
	}
	return r
}

// allow applies flood control to a message sent at sent by from in t's
// chat. Only people the shop does not know are throttled; the update that
// starts a pause gets the notice.
func (b *Bot) allow(ctx context.Context, id int64, t target, from *models.User, sent time.Time) (bool, result) {
	if k, ok := b.cfg.Handler.(interface {
		Knows(ctx context.Context, platform, userID string) bool
	}); ok && k.Knows(ctx, Platform, strconv.FormatInt(from.ID, 10)) {
		return true, result{}
	}
	b.mu.Lock()
	ok, warn := b.flood.check(t.chatID, sent)
	b.mu.Unlock()
	if warn {
		b.log.Warn("telegram: a stranger's chat is flooding; pausing it", "chat", t.chatID, "window", floodWindow)
		t.editID = 0
		return false, notice(id, t, b.cat.T(b.langFor(ctx, from), "telegram.flood", nil))
	}
	return ok, result{}
}

// show delivers what one update left to show, logs the engine's error if
// any, and marks the stored reply sent unless delivery failed for a
// passing reason (it is sent again at the next start).
func (b *Bot) show(ctx context.Context, o *outgoing) {
	if o.handleErr != nil {
		b.log.Error("telegram: handling update", "update", o.update, "chat", o.t.chatID, "err", o.handleErr)
	}
	edited, lost, err := b.deliver(ctx, o.t, o.replies)
	if edited != nil {
		b.mu.Lock()
		b.keyboards.set(o.t.chatID, o.t.editID, edited)
		b.mu.Unlock()
	}
	b.logDelivery(o.update, o.t.chatID, err)
	switch {
	case o.stream == "":
	case lost:
		b.log.Warn("telegram: a stored reply could not be delivered for now; it is sent again at the next start", "update", o.update)
	default:
		b.markSent(ctx, o.stream, o.update)
	}
}

// markSent forgets a delivered reply.
func (b *Bot) markSent(ctx context.Context, stream string, update int64) {
	if b.replies == nil {
		return
	}
	if err := b.replies.MarkReplySent(context.WithoutCancel(ctx), stream, update); err != nil {
		b.log.Warn("telegram: marking a reply sent", "update", update, "err", err)
	}
}

// logDelivery logs a delivery error; a chat that cannot receive messages
// is logged once.
func (b *Bot) logDelivery(id, chat int64, err error) {
	if err == nil {
		return
	}
	if classOf(err) == unreachable {
		if b.firstUnreachable(chat) {
			b.log.Warn("telegram: chat cannot receive messages (blocked or gone); not logging it again until it can", "chat", chat, "err", err)
		}
		return
	}
	b.log.Error("telegram: delivering replies", "update", id, "chat", chat, "err", err)
}

// sendUnsent delivers the replies stored with updates that were handled
// but not answered (the process stopped in between), oldest first, and
// marks them sent.
func (b *Bot) sendUnsent(ctx context.Context) {
	if b.replies == nil {
		return
	}
	unsent, err := b.replies.UnsentReplies(ctx, b.cursorName+":")
	if err != nil {
		b.log.Error("telegram: reading unsent replies", "err", err)
		return
	}
	for _, u := range unsent {
		var rt route
		replies, derr := conversation.DecodeReplies(u.Payload)
		if err := json.Unmarshal([]byte(u.Route), &rt); err != nil || derr != nil || rt.Chat == 0 {
			b.log.Error("telegram: an unsent reply cannot be read; dropping it", "update", u.Update)
			b.markSent(ctx, u.Stream, u.Update)
			continue
		}
		t := target{chatID: rt.Chat, threadID: rt.Thread, replyTo: rt.ReplyTo, editID: rt.Edit}
		b.show(ctx, &outgoing{t: t, replies: replies, update: u.Update, stream: u.Stream})
		if ctx.Err() != nil {
			return
		}
	}
	if len(unsent) > 0 {
		b.log.Info("telegram: sent replies left unsent by the last run", "count", len(unsent))
	}
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
