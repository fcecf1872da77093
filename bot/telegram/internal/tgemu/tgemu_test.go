package tgemu_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dangol/dangol/bot/telegram/internal/tgemu"
)

// seen collects the updates the bot handler received.
type seen struct {
	mu      sync.Mutex
	updates []*models.Update
	errs    []error
	notify  chan struct{}
}

func newSeen() *seen { return &seen{notify: make(chan struct{}, 1)} }

func (s *seen) add(u *models.Update, err error) {
	s.mu.Lock()
	s.updates = append(s.updates, u)
	if err != nil {
		s.errs = append(s.errs, err)
	}
	s.mu.Unlock()
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

// wait returns the received updates once ok accepts them.
func (s *seen) wait(t *testing.T, what string, ok func([]*models.Update) bool) []*models.Update {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		s.mu.Lock()
		ups := append([]*models.Update(nil), s.updates...)
		s.mu.Unlock()
		if ok(ups) {
			return ups
		}
		select {
		case <-s.notify:
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			t.Fatalf("timed out waiting for %s; got %d updates", what, len(ups))
		}
	}
}

func (s *seen) errors() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]error(nil), s.errs...)
}

func withText(text string) func([]*models.Update) []*models.Update {
	return func(ups []*models.Update) []*models.Update {
		var out []*models.Update
		for _, u := range ups {
			if u.Message != nil && u.Message.Text == text {
				out = append(out, u)
			}
		}
		return out
	}
}

func TestGoTelegramBotAgainstEmulator(t *testing.T) {
	e := tgemu.Start(t)
	if strings.HasSuffix(e.URL(), "/") {
		t.Fatalf("URL %q has a trailing slash", e.URL())
	}

	got := newSeen()
	handler := func(ctx context.Context, b *bot.Bot, u *models.Update) {
		var err error
		switch {
		case u.Message != nil && u.Message.Text == "hello":
			_, err = b.SendMessage(ctx, &bot.SendMessageParams{
				ChatID: u.Message.Chat.ID,
				Text:   "Pick one",
				ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
					{Text: "Yes", CallbackData: "pick:yes"},
					{Text: "No", CallbackData: "pick:no"},
				}}},
			})
		case u.CallbackQuery != nil && u.CallbackQuery.Data == "undo":
			// An edit without reply_markup removes the inline keyboard.
			msg := u.CallbackQuery.Message.Message
			_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: msg.Chat.ID, MessageID: msg.ID, Text: "Undone"})
		case u.CallbackQuery != nil:
			msg := u.CallbackQuery.Message.Message
			if msg == nil {
				got.add(u, fmt.Errorf("callback without an accessible message: %+v", u.CallbackQuery.Message))
				return
			}
			_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{
				ChatID:    msg.Chat.ID,
				MessageID: msg.ID,
				Text:      "You chose " + strings.TrimPrefix(u.CallbackQuery.Data, "pick:"),
				ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
					{Text: "Undo", CallbackData: "undo"},
				}}},
			})
			if err == nil {
				_, err = b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{
					CallbackQueryID: u.CallbackQuery.ID,
					Text:            "Saved",
				})
			}
		}
		got.add(u, err)
	}

	b, err := bot.New(e.Token(), bot.WithServerURL(e.URL()), bot.WithDefaultHandler(handler))
	if err != nil {
		t.Fatalf("bot.New (calls getMe): %v", err)
	}
	if b.ID() != 123456789 {
		t.Errorf("bot id from token = %d", b.ID())
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		b.Start(ctx)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("bot did not stop")
		}
	})

	alice := tgemu.User{ID: 1001, FirstName: "Alice", Username: "alice", LanguageCode: "ko"}

	t.Run("idle poll does not spin", func(t *testing.T) {
		deadline := time.Now().Add(5 * time.Second)
		for e.RequestCount(t, "getUpdates") == 0 {
			if time.Now().After(deadline) {
				t.Fatal("bot never polled")
			}
			time.Sleep(10 * time.Millisecond)
		}
		before := e.RequestCount(t, "getUpdates")
		time.Sleep(2 * time.Second)
		if n := e.RequestCount(t, "getUpdates") - before; n >= 10 {
			t.Fatalf("%d getUpdates requests in 2s of idleness; long polling is not held", n)
		}
	})

	var pick tgemu.Message
	t.Run("message, inline keyboard, button press, edit", func(t *testing.T) {
		e.SendMessage(t, alice, alice.ID, "hello")
		ups := got.wait(t, "hello", func(ups []*models.Update) bool { return len(withText("hello")(ups)) == 1 })
		in := withText("hello")(ups)[0].Message
		if in.From == nil || in.From.ID != alice.ID || in.From.LanguageCode != "ko" || in.From.Username != "alice" {
			t.Errorf("sender = %+v", in.From)
		}
		if in.Chat.ID != alice.ID || in.Chat.Type != models.ChatTypePrivate {
			t.Errorf("chat = %+v", in.Chat)
		}
		if len(in.Entities) != 0 {
			t.Errorf("plain message has entities %+v", in.Entities)
		}

		msgs := e.WaitBotMessages(t, alice.ID, 1, 5*time.Second)
		pick = msgs[0]
		if pick.Text != "Pick one" || pick.Edited {
			t.Fatalf("reply = %+v", pick)
		}
		want := [][]tgemu.Button{{{Text: "Yes", Data: "pick:yes"}, {Text: "No", Data: "pick:no"}}}
		if !sameButtons(pick.Buttons, want) {
			t.Fatalf("buttons = %+v, want %+v", pick.Buttons, want)
		}

		e.PressButton(t, alice, alice.ID, pick.ID, "pick:yes")
		msgs = e.WaitBotMessagesFunc(t, alice.ID, 5*time.Second, func(ms []tgemu.Message) bool {
			return len(ms) > 0 && ms[0].Edited
		}, "the edit")
		if len(msgs) != 1 {
			t.Fatalf("edit sent a new message: %+v", msgs)
		}
		edited := msgs[0]
		if edited.ID != pick.ID || edited.Text != "You chose yes" {
			t.Fatalf("edited = %+v", edited)
		}
		if !sameButtons(edited.Buttons, [][]tgemu.Button{{{Text: "Undo", Data: "undo"}}}) {
			t.Fatalf("buttons after edit = %+v", edited.Buttons)
		}
		ups = got.wait(t, "callback", func(ups []*models.Update) bool {
			for _, u := range ups {
				if u.CallbackQuery != nil {
					return true
				}
			}
			return false
		})
		for _, u := range ups {
			if cq := u.CallbackQuery; cq != nil {
				if cq.Data != "pick:yes" || cq.From.ID != alice.ID || cq.Message.Message.ID != pick.ID {
					t.Errorf("callback = %+v", cq)
				}
			}
		}
		answers := waitCalls(t, e, "answerCallbackQuery", 1)
		if answers[0].Params["text"] != "Saved" {
			t.Errorf("answerCallbackQuery params = %v", answers[0].Params)
		}

		e.PressButton(t, alice, alice.ID, pick.ID, "undo")
		msgs = e.WaitBotMessagesFunc(t, alice.ID, 5*time.Second, func(ms []tgemu.Message) bool {
			return len(ms) == 1 && ms[0].Text == "Undone"
		}, "the second edit")
		if msgs[0].Buttons != nil || msgs[0].EditCount != 2 {
			t.Fatalf("after an edit without reply_markup = %+v", msgs[0])
		}
	})

	t.Run("command carries a bot_command entity", func(t *testing.T) {
		e.SendCommand(t, alice, alice.ID, "/start promo42")
		ups := got.wait(t, "command", func(ups []*models.Update) bool {
			return len(withText("/start promo42")(ups)) == 1
		})
		m := withText("/start promo42")(ups)[0].Message
		if len(m.Entities) != 1 || m.Entities[0].Type != models.MessageEntityTypeBotCommand ||
			m.Entities[0].Offset != 0 || m.Entities[0].Length != len("/start") {
			t.Fatalf("entities = %+v", m.Entities)
		}
	})

	t.Run("setMyCommands is recorded", func(t *testing.T) {
		ok, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{
			Commands:     []models.BotCommand{{Command: "start", Description: "시작"}, {Command: "help", Description: "도움말"}},
			Scope:        &models.BotCommandScopeAllPrivateChats{},
			LanguageCode: "ko",
		})
		if err != nil || !ok {
			t.Fatalf("SetMyCommands = %v, %v", ok, err)
		}
		sets := e.Commands(t)
		if len(sets) != 1 {
			t.Fatalf("command sets = %+v", sets)
		}
		s := sets[0]
		if s.LanguageCode != "ko" || s.Scope.Type != "all_private_chats" || len(s.Commands) != 2 ||
			s.Commands[0] != (tgemu.Command{Command: "start", Description: "시작"}) {
			t.Fatalf("command set = %+v", s)
		}
	})

	t.Run("sendDocument and sendPhoto are recorded", func(t *testing.T) {
		doc := []byte("id,name\n1,커피\n\x00\x01binary")
		m, err := b.SendDocument(ctx, &bot.SendDocumentParams{
			ChatID:   alice.ID,
			Document: &models.InputFileUpload{Filename: "orders.csv", Data: bytes.NewReader(doc)},
			Caption:  "Today's orders",
		})
		if err != nil {
			t.Fatalf("SendDocument: %v", err)
		}
		if m.Document == nil || m.Document.FileName != "orders.csv" || m.Caption != "Today's orders" || m.Chat.ID != alice.ID {
			t.Fatalf("SendDocument result = %+v", m)
		}
		photo := []byte("\x89PNG\r\n\x1a\nfake")
		if _, err := b.SendPhoto(ctx, &bot.SendPhotoParams{
			ChatID: alice.ID,
			Photo:  &models.InputFileUpload{Filename: "menu.png", Data: bytes.NewReader(photo)},
		}); err != nil {
			t.Fatalf("SendPhoto: %v", err)
		}
		msgs := e.BotMessages(t, alice.ID)
		if len(msgs) != 3 {
			t.Fatalf("bot messages = %+v", msgs)
		}
		d, p := msgs[1], msgs[2]
		if d.ID != m.ID || !bytes.Equal(d.Document, doc) || d.DocumentName != "orders.csv" || d.Caption != "Today's orders" {
			t.Errorf("document message = %+v", d)
		}
		if !bytes.Equal(p.Photo, photo) {
			t.Errorf("photo message = %+v", p)
		}

		if ok, err := b.DeleteMessage(ctx, &bot.DeleteMessageParams{ChatID: alice.ID, MessageID: p.ID}); err != nil || !ok {
			t.Fatalf("DeleteMessage = %v, %v", ok, err)
		}
		if n := len(e.BotMessages(t, alice.ID)); n != 2 {
			t.Errorf("%d bot messages after deleting one, want 2", n)
		}
	})

	t.Run("redelivered update arrives again with the same id", func(t *testing.T) {
		e.SendMessage(t, alice, alice.ID, "ping")
		ups := got.wait(t, "ping", func(ups []*models.Update) bool { return len(withText("ping")(ups)) == 1 })
		first := withText("ping")(ups)[0]
		if id := e.LastUpdateID(t); id != first.ID {
			t.Fatalf("LastUpdateID = %d, handler saw %d", id, first.ID)
		}
		e.Redeliver(t, first.ID)
		ups = got.wait(t, "redelivered ping", func(ups []*models.Update) bool { return len(withText("ping")(ups)) == 2 })
		pings := withText("ping")(ups)
		if pings[1].ID != first.ID || pings[1].Message.ID != first.Message.ID {
			t.Fatalf("redelivered update %d/message %d, want %d/%d", pings[1].ID, pings[1].Message.ID, first.ID, first.Message.ID)
		}
	})

	if errs := got.errors(); len(errs) > 0 {
		t.Fatalf("handler errors: %v", errs)
	}
}

func waitCalls(t *testing.T, e *tgemu.Emulator, method string, n int) []tgemu.Call {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		calls := e.Calls(t, method)
		if len(calls) >= n {
			return calls
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %d %s calls; got %d", n, method, len(calls))
		}
		time.Sleep(15 * time.Millisecond)
	}
}

func sameButtons(a, b [][]tgemu.Button) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}
