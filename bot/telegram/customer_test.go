package telegram

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/dangol/dangol/bot/telegram/internal/tgemu"
	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
)

// customer is a Telegram user who joins the shop from its link.
var customer = tgemu.User{ID: 3001, FirstName: "Minji", LanguageCode: "ko"}

// withButton returns the newest message in chat with a button whose data
// starts with prefix, waiting for it.
func (s *stack) withButton(chat int64, prefix string) (tgemu.Message, string) {
	s.t.Helper()
	var found tgemu.Message
	var data string
	s.e.WaitBotMessagesFunc(s.t, chat, wait, func(ms []tgemu.Message) bool {
		for i := len(ms) - 1; i >= 0; i-- {
			for _, d := range buttonData(ms[i]) {
				if strings.HasPrefix(d, prefix) {
					found, data = ms[i], d
					return true
				}
			}
		}
		return false
	}, "a button "+prefix)
	return found, data
}

// press presses a button and waits until the bot has handled it and
// shown its answer.
func (s *stack) press(u tgemu.User, m tgemu.Message, data string) {
	s.t.Helper()
	s.e.PressButton(s.t, u, u.ID, m.ID, data)
	s.waitHandled(s.e.LastUpdateID(s.t))
}

// last returns the newest message in chat.
func (s *stack) last(chat int64) tgemu.Message {
	s.t.Helper()
	ms := s.messages(chat)
	if len(ms) == 0 {
		s.t.Fatalf("no messages in chat %d", chat)
	}
	return ms[len(ms)-1]
}

// The whole customer journey through the Bot API emulator: join from the
// link, agree, the owner links them to their card, a hello goes out, STOP,
// a second hello is refused with the reason, my data, delete — and nothing
// is left but the anonymous erasure line.
func TestCustomerJourney(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	b := s.start()
	s.claim(owner)
	outbox := conversation.NewOutbox(s.engine, map[string]conversation.Sender{Platform: b}, testLogger(t))
	deliver := func() {
		t.Helper()
		if err := outbox.DeliverDue(s.ctx); err != nil {
			t.Fatalf("DeliverDue: %v", err)
		}
	}
	s.send(owner, "Kim Minji croissant 11/24")

	// The counter poster's QR code is the join link.
	s.send(owner, "/qr")
	poster := s.e.WaitBotMessagesFunc(t, owner.ID, wait, func(ms []tgemu.Message) bool {
		return len(ms[len(ms)-1].Photo) > 0
	}, "the poster")
	img, err := png.Decode(bytes.NewReader(poster[len(poster)-1].Photo))
	if err != nil {
		t.Fatal(err)
	}
	bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
	link := "https://t.me/" + b.Username() + "?start=" + s.shop.Code
	if err != nil || res.GetText() != link {
		t.Fatalf("poster decodes to %v (%v), want %s", res, err, link)
	}
	if caption := poster[len(poster)-2].Text; !strings.Contains(caption, link) {
		t.Fatalf("poster text %q", caption)
	}

	// Opening the link: the notice, in the customer's language.
	notice := s.send(customer, "/start "+s.shop.Code)
	if !strings.Contains(notice.Text, "보관 기간: 마지막 방문 후 24개월") || !strings.Contains(notice.Text, "수신거부") {
		t.Fatalf("notice %q", notice.Text)
	}
	if ms, _ := s.db.CustomerLinks(s.ctx, Platform, "3001"); len(ms) != 0 {
		t.Fatalf("stored before agreeing: %+v", ms)
	}
	s.press(customer, notice, buttonData(notice)[0])
	if m := s.messages(customer.ID)[0]; !m.Edited || !strings.Contains(m.Text, "동의하셨어요") || m.Buttons != nil {
		t.Fatalf("notice after agree %+v", m)
	}
	ask, name := s.withButton(customer.ID, "c:name:")
	s.press(customer, ask, name)
	if got := s.last(customer.ID); !strings.Contains(got.Text, "반가워요, Minji님!") {
		t.Fatalf("welcome %q", got.Text)
	}

	// The owner links Minji to the Kim Minji they know.
	deliver()
	joined, jlink := s.withButton(owner.ID, "jlink:")
	if !strings.Contains(joined.Text, "“Minji” joined through the shop's link") || !strings.Contains(joined.Text, "typed by the person themselves") {
		t.Fatalf("owner notice %q", joined.Text)
	}
	s.press(owner, joined, jlink)
	cs, _ := s.db.FindCustomers(s.ctx, s.shop.ID, "Kim Minji")
	if len(cs) != 1 || cs[0].Consent != crm.ConsentGranted {
		t.Fatalf("customers %+v", cs)
	}
	minji := cs[0]

	// Send hello from the digest.
	digest := s.send(owner, "/digest")
	hello := fmt.Sprintf("hello:%d", minji.ID)
	if !strings.Contains(strings.Join(buttonData(digest), " "), hello) {
		t.Fatalf("digest buttons %v", buttonData(digest))
	}
	s.press(owner, digest, hello)
	draft, send := s.withButton(owner.ID, "hsend:")
	if !strings.Contains(draft.Text, "Kim Minji님, 안녕하세요!") || !strings.Contains(draft.Text, "croissant") {
		t.Fatalf("draft %q", draft.Text)
	}
	s.press(owner, draft, send)
	if got := s.last(owner.ID); got.Text != s.cat.T("en", "outbox.sent", map[string]any{"Name": "Kim Minji"}) {
		t.Fatalf("after send %q", got.Text)
	}
	deliver()
	greeting := s.last(customer.ID)
	if !strings.HasPrefix(greeting.Text, "Kim Minji님, 안녕하세요! Test bakery예요.") {
		t.Fatalf("customer got %q", greeting.Text)
	}

	// STOP, then a second hello is refused with the reason.
	stop := s.send(customer, "수신거부")
	if !strings.Contains(stop.Text, "다시 받기") {
		t.Fatalf("stop %q", stop.Text)
	}
	s.press(owner, digest, hello)
	refused := s.cat.T("en", "outbox.blocked.no_consent", map[string]any{"Name": "Kim Minji",
		"Purpose": s.cat.T("en", "purpose.reminders", nil)})
	if got := s.last(owner.ID); got.Text != refused {
		t.Fatalf("second hello %q, want %q", got.Text, refused)
	}
	n := len(s.messages(customer.ID))
	deliver()
	if len(s.messages(customer.ID)) != n {
		t.Fatal("a message reached the customer after STOP")
	}

	// My data: readable, and a JSON file.
	s.send(customer, "내 정보")
	msgs := s.e.WaitBotMessagesFunc(t, customer.ID, wait, func(ms []tgemu.Message) bool {
		return len(ms[len(ms)-1].Document) > 0
	}, "the data file")
	file := msgs[len(msgs)-1]
	var data conversation.MyData
	if err := json.Unmarshal(file.Document, &data); err != nil || data.Name != "Kim Minji" || len(data.Visits) != 1 ||
		len(data.Consent) != 6 || !strings.HasSuffix(file.DocumentName, ".json") {
		t.Fatalf("data file %s: %+v (%v)", file.DocumentName, data, err)
	}

	// Delete, after one confirmation.
	confirm := s.send(customer, "내 정보 삭제")
	s.press(customer, confirm, buttonData(confirm)[0])
	if got := s.last(customer.ID); !strings.Contains(got.Text, "익명 기록만 남아요") {
		t.Fatalf("delete %q", got.Text)
	}
	if cs, _ := s.db.FindCustomers(s.ctx, s.shop.ID, "Kim Minji"); len(cs) != 0 {
		t.Fatalf("customer left: %+v", cs)
	}
	if ls, _ := s.db.CustomerLinks(s.ctx, Platform, "3001"); len(ls) != 0 {
		t.Fatalf("links left: %+v", ls)
	}
	if evs, _ := s.db.ConsentEvents(s.ctx, s.shop.ID, minji.ID); len(evs) != 0 {
		t.Fatalf("ledger left: %+v", evs)
	}
	if ms, _ := s.db.OutboxFor(s.ctx, s.shop.ID, minji.ID); len(ms) != 0 {
		t.Fatalf("outbox left: %+v", ms)
	}
	if _, err := s.db.LastNote(s.ctx, s.shop.ID, Platform, "1001"); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("the note naming her is left: %v", err)
	}
	er, err := s.db.Erasures(s.ctx, s.shop.ID, 0)
	if err != nil || len(er) != 1 || er[0].What != crm.ErasureByCustomer || er[0].Count != 1 {
		t.Fatalf("erasure log %+v %v", er, err)
	}
	// The digest says so, without the name.
	if got := s.send(owner, "/digest"); !strings.Contains(got.Text, "1 customer asked to be forgotten") ||
		strings.Contains(got.Text, "Minji") {
		t.Fatalf("digest %q", got.Text)
	}
}

// One person, customer of two shops on the same bot.
func TestCustomerOfTwoShops(t *testing.T) {
	t.Parallel()
	s := newStack(t, "en")
	s.start()
	other, err := s.db.CreateShop(s.ctx, crm.Shop{Name: "Flower shop", Lang: "en", CreatedAt: thursday})
	if err != nil {
		t.Fatal(err)
	}
	person := tgemu.User{ID: 3002, FirstName: "Sam", LanguageCode: "en"}
	for _, shop := range []crm.Shop{s.shop, other} {
		notice := s.send(person, "/start "+shop.Code)
		if !strings.Contains(notice.Text, shop.Name) {
			t.Fatalf("notice %q", notice.Text)
		}
		s.press(person, notice, buttonData(notice)[0])
		ask, name := s.withButton(person.ID, fmt.Sprintf("c:name:%d", shop.ID))
		s.press(person, ask, name)
	}
	ls, _ := s.db.CustomerLinks(s.ctx, Platform, "3002")
	if len(ls) != 2 || ls[0].CustomerID == ls[1].CustomerID {
		t.Fatalf("links %+v", ls)
	}
	which := s.send(person, "settings")
	if which.Text != s.cat.T("en", "customer.which_shop", nil) || len(buttonData(which)) != 2 {
		t.Fatalf("which shop %+v", which)
	}
	s.press(person, which, fmt.Sprintf("c:settings:%d", other.ID))
	if got := s.last(person.ID); !strings.HasPrefix(got.Text, "Messages from Flower shop") {
		t.Fatalf("settings %q", got.Text)
	}
}

// A chat that blocked the bot is unreachable to the outbox too, which then
// marks the customer unreachable.
func TestUnreachableReachesTheOutbox(t *testing.T) {
	err := (&Bot{}).wrapChatErr("sendMessage", 42, fmt.Errorf("%w, Forbidden: bot was blocked by the user", bot.ErrorForbidden))
	if !errors.Is(err, ErrUnreachable) || !errors.Is(err, conversation.ErrUnreachable) {
		t.Fatalf("%v is not unreachable", err)
	}
}
