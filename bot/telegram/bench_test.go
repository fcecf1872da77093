package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/locales"
)

// encodingAPI encodes each request the way go-telegram/bot does (a
// multipart form, reply_markup as JSON) and answers at once.
type encodingAPI struct {
	buf bytes.Buffer
}

func (a *encodingAPI) encode(fields map[string]string, markup any) error {
	a.buf.Reset()
	w := multipart.NewWriter(&a.buf)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			return err
		}
	}
	if markup != nil {
		data, err := json.Marshal(markup)
		if err != nil {
			return err
		}
		if err := w.WriteField("reply_markup", string(data)); err != nil {
			return err
		}
	}
	return w.Close()
}

func (a *encodingAPI) SendMessage(_ context.Context, p *bot.SendMessageParams) (*models.Message, error) {
	err := a.encode(map[string]string{"chat_id": strconv.FormatInt(p.ChatID.(int64), 10), "text": p.Text}, p.ReplyMarkup)
	return &models.Message{ID: 1}, err
}

func (a *encodingAPI) EditMessageText(_ context.Context, p *bot.EditMessageTextParams) (*models.Message, error) {
	err := a.encode(map[string]string{"chat_id": strconv.FormatInt(p.ChatID.(int64), 10),
		"message_id": strconv.Itoa(p.MessageID), "text": p.Text}, p.ReplyMarkup)
	return &models.Message{ID: p.MessageID}, err
}

func (a *encodingAPI) AnswerCallbackQuery(_ context.Context, p *bot.AnswerCallbackQueryParams) (bool, error) {
	return true, a.encode(map[string]string{"callback_query_id": p.CallbackQueryID}, nil)
}

// confirmHandler answers every message with one confirmation and an Undo
// button, without storage.
type confirmHandler struct{ cat *locales.Catalog }

func (h confirmHandler) Handle(context.Context, conversation.Message) ([]conversation.Reply, error) {
	return []conversation.Reply{{Text: "✓ 김민지 — 크루아상 2 (11/26 목)",
		Buttons: []conversation.Button{{Label: "되돌리기", Action: "undo:12345"}}}}, nil
}
func (h confirmHandler) Commands(string) []conversation.Button { return nil }
func (h confirmHandler) Catalog() *locales.Catalog             { return h.cat }

// A text update as Telegram sends it.
const benchUpdate = `{"update_id":815000001,"message":{"message_id":4211,"from":{"id":1001,"is_bot":false,` +
	`"first_name":"민지","last_name":"김","username":"minji_bakery","language_code":"ko"},` +
	`"chat":{"id":1001,"first_name":"민지","last_name":"김","username":"minji_bakery","type":"private"},` +
	`"date":1795654800,"text":"김민지 크루아상 2개 목요일"}}`

// BenchmarkUpdateOverhead is the adapter's own cost per update: decode the
// update, turn it into a conversation.Message, call a Handler that needs
// no storage, and encode the sendMessage request with its keyboard. No
// network.
func BenchmarkUpdateOverhead(b *testing.B) {
	cat := newCatalog(b)
	api := &encodingAPI{}
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	tick := func() time.Time { now = now.Add(time.Second); return now } // no flood
	bt := newUnitBot(b, confirmHandler{cat: cat}, api, tick, nil)
	data := []byte(benchUpdate)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		clear(bt.cursors) // the same update, handled afresh
		u, err := decodeUpdate(data)
		if err != nil {
			b.Fatal(err)
		}
		if bt.process(ctx, u) {
			b.Fatal("update not handled")
		}
	}
	if !bytes.Contains(api.buf.Bytes(), []byte(`"callback_data":"undo:12345"`)) {
		b.Fatalf("request not encoded: %s", api.buf.Bytes())
	}
}

// BenchmarkEmulatorRoundTrip sends a note through the Telegram emulator
// and waits for the confirmation, with the real engine and SQLite; it
// reports the median. Run it with -benchtime 200x.
func BenchmarkEmulatorRoundTrip(b *testing.B) {
	s := newStack(b, "en")
	var c clock
	c.set(thursday)
	s.clock = c.now
	s.start()
	s.claim(owner)
	var took []time.Duration
	for b.Loop() {
		c.advance(time.Second) // a person's pace: no flood control
		n := len(s.messages(owner.ID))
		start := time.Now()
		s.e.SendMessage(b, owner, owner.ID, "Kim Minji, croissant")
		for {
			msgs := s.messages(owner.ID)
			if len(msgs) > n {
				took = append(took, time.Since(start))
				break
			}
			if time.Since(start) > wait {
				b.Fatal("no confirmation")
			}
			time.Sleep(200 * time.Microsecond)
		}
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2])/float64(time.Millisecond), "ms/median")
	b.ReportMetric(float64(took[len(took)*9/10])/float64(time.Millisecond), "ms/p90")
}
