package conversation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/locales"
)

// delivery is one message a Sender was given.
type delivery struct {
	user  string
	reply conversation.Reply
}

// recorder is a Sender that records what it is given; fail makes it
// refuse some users.
type recorder struct {
	mu    sync.Mutex
	sent  []delivery
	fail  map[string]error
	check func(user string, r conversation.Reply)
}

func (r *recorder) Send(_ context.Context, user string, reply conversation.Reply) error {
	r.mu.Lock()
	check, err := r.check, r.fail[user]
	r.mu.Unlock()
	if err != nil {
		return err
	}
	if check != nil {
		check(user, reply)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, delivery{user, reply})
	return nil
}

// to returns what user was sent, in order.
func (r *recorder) to(user string) []conversation.Reply {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []conversation.Reply
	for _, d := range r.sent {
		if d.user == user {
			out = append(out, d.reply)
		}
	}
	return out
}

// chat is a fixture with customers on "telegram" and the outbox.
type chat struct {
	*fixture
	cat *locales.Catalog
	tg  *recorder // customers (and no member)
	con *recorder // the console owner and staff
	out *conversation.Outbox
}

func newChat(t *testing.T, lang string) *chat {
	f := newFixture(t, lang)
	cat, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	c := &chat{fixture: f, cat: cat, tg: &recorder{}, con: &recorder{}}
	c.out = conversation.NewOutbox(f.engine, map[string]conversation.Sender{"telegram": c.tg, "console": c.con}, nil)
	return c
}

// as sends text from a Telegram user (a customer).
func (c *chat) as(user, lang, text string) []conversation.Reply {
	c.t.Helper()
	r, err := c.engine.Handle(c.ctx, conversation.Message{Platform: "telegram", UserID: user, UserName: "Minji", Lang: lang, Text: text})
	if err != nil {
		c.t.Fatalf("%s %q: %v", user, text, err)
	}
	return r
}

func (c *chat) pressAs(user, lang, action string) []conversation.Reply {
	c.t.Helper()
	r, err := c.engine.Handle(c.ctx, conversation.Message{Platform: "telegram", UserID: user, UserName: "Minji", Lang: lang, Action: action})
	if err != nil {
		c.t.Fatalf("%s press %q: %v", user, action, err)
	}
	return r
}

func (c *chat) deliver() {
	c.t.Helper()
	if err := c.out.DeliverDue(c.ctx); err != nil {
		c.t.Fatalf("DeliverDue: %v", err)
	}
}

// action returns the action of the button whose action starts with
// prefix.
func action(t *testing.T, rs []conversation.Reply, prefix string) string {
	t.Helper()
	for _, r := range rs {
		for _, b := range r.Buttons {
			if strings.HasPrefix(b.Action, prefix) {
				return b.Action
			}
		}
	}
	t.Fatalf("no button %q in %+v", prefix, rs)
	return ""
}

func hasButton(rs []conversation.Reply, prefix string) bool {
	for _, r := range rs {
		for _, b := range r.Buttons {
			if strings.HasPrefix(b.Action, prefix) {
				return true
			}
		}
	}
	return false
}

// join takes user through the join link, Agree and their name.
func (c *chat) join(shop crm.Shop, user, lang, name string) crm.Customer {
	c.t.Helper()
	r := c.as(user, lang, "/start "+shop.Code)
	r = c.pressAs(user, lang, action(c.t, r, "c:agree:"))
	if len(r) != 2 || !r[0].Edit {
		c.t.Fatalf("agree replies %+v", r)
	}
	c.as(user, lang, name)
	ls, err := c.db.CustomerLinks(c.ctx, "telegram", user)
	if err != nil {
		c.t.Fatal(err)
	}
	for _, l := range ls {
		if l.ShopID == shop.ID {
			cu, err := c.db.Customer(c.ctx, shop.ID, l.CustomerID)
			if err != nil {
				c.t.Fatal(err)
			}
			return cu
		}
	}
	c.t.Fatalf("%s did not join", user)
	return crm.Customer{}
}

func (c *chat) rows() map[string]int {
	c.t.Helper()
	out := map[string]int{}
	cs, _ := c.db.FindCustomers(c.ctx, c.shop.ID, "")
	out["customers"] = len(cs)
	return out
}

func TestJoinNoticeAgreeNameAndLink(t *testing.T) {
	c := newChat(t, "ko")
	c.say("owner", "김민지 크루아상")
	r := c.as("501", "ko", "/start "+c.shop.Code)
	text := r[0].Text
	for _, want := range []string{"Test bakery", "이름, 최근 구매 내역(결제 금액 포함), 자주 사는 품목, 예약, 좋아하거나 싫어하는 것, 주로 오시는 요일과 시간, 알레르기, 생일", "짧은 메모", "24개월", "수신거부", "내 정보", "방문 알림, 가끔 혜택 안내, 생일 메시지"} {
		if !strings.Contains(text, want) {
			t.Errorf("notice lacks %q:\n%s", want, text)
		}
	}
	if !hasButton(r, "c:agree:") || !hasButton(r, "c:decline:") {
		t.Fatalf("buttons %+v", r[0].Buttons)
	}
	// Nothing is stored before Agree.
	if ls, _ := c.db.CustomerLinks(c.ctx, "telegram", "501"); len(ls) != 0 {
		t.Fatalf("links before agree: %+v", ls)
	}
	// An English client gets the notice in English.
	if r := c.as("502", "en-US", "/start "+c.shop.Code); !strings.Contains(r[0].Text, "What the shop keeps") {
		t.Fatalf("english notice: %q", r[0].Text)
	}
	r = c.pressAs("501", "ko", action(t, r, "c:agree:"))
	if !strings.Contains(r[0].Text, "동의하셨어요") || !strings.Contains(r[1].Text, "어떤 이름으로") ||
		r[1].Buttons[0].Label != "Minji" {
		t.Fatalf("agree: %+v", r)
	}
	// They give the name the shop knows them by.
	r = c.as("501", "ko", "민지")
	if !strings.Contains(r[0].Text, "반가워요, 민지님!") {
		t.Fatalf("name: %+v", r)
	}
	ls, _ := c.db.CustomerLinks(c.ctx, "telegram", "501")
	evs, _ := c.db.ConsentEvents(c.ctx, c.shop.ID, ls[0].CustomerID)
	if len(evs) != 3 || evs[0].Notice != "join/"+conversation.NoticeVersion+"/ko" || evs[0].Channel != "telegram" {
		t.Fatalf("ledger %+v", evs)
	}
	// The owner and staff hear of it; the owner with a button to link
	// Minji to the 김민지 they know, and a warning that the name is the
	// person's own.
	c.deliver()
	notices := c.con.to("owner")
	if len(notices) != 1 || !strings.Contains(notices[0].Text, "“민지”님이 가게 링크로 가입") ||
		!strings.Contains(notices[0].Text, "이름은 손님이 직접 입력했어요 — 본인인지 확인해 주세요") {
		t.Fatalf("owner notices %+v", notices)
	}
	if staff := c.con.to("staff"); len(staff) != 1 || len(staff[0].Buttons) != 0 {
		t.Fatalf("staff notices %+v", staff)
	}
	link := action(t, notices, "jlink:")
	r = c.press("owner", link)
	if !strings.Contains(r[0].Text, "민지님을 김민지님 카드에 연결했어요") {
		t.Fatalf("link: %+v", r)
	}
	known, _, _ := c.customer("김민지")
	if known.Consent != crm.ConsentGranted {
		t.Fatalf("linked card consent %s", known.Consent)
	}
	// Only the owner links; a second press is stale.
	if r := c.press("staff", link); r[0].Text != c.cat.T("ko", "access.owner_only", nil) {
		t.Fatalf("staff link: %+v", r)
	}
	if r := c.press("owner", link); r[0].Text != c.cat.T("ko", "action.stale", nil) {
		t.Fatalf("second link: %+v", r)
	}
}

func TestDeclineAndStopFromStrangers(t *testing.T) {
	c := newChat(t, "en")
	before := c.rows()
	// STOP as the very first thing anyone sends: nothing to stop.
	for _, w := range []string{"STOP", "stop", "unsubscribe", "수신거부", "그만", "거부"} {
		r := c.as("601", "en", w)
		if r[0].Text != c.cat.T("en", "customer.stop.nothing", nil) {
			t.Fatalf("%q: %+v", w, r)
		}
	}
	r := c.as("601", "ko", "/start "+c.shop.Code)
	r = c.pressAs("601", "ko", action(t, r, "c:decline:"))
	if !r[0].Edit || !strings.Contains(r[0].Text, "거절하셨다는 사실 말고는") {
		t.Fatalf("decline: %+v", r)
	}
	if got := c.rows(); got["customers"] != before["customers"] {
		t.Fatalf("customers after decline: %+v", got)
	}
	if ls, _ := c.db.CustomerLinks(c.ctx, "telegram", "601"); len(ls) != 0 {
		t.Fatalf("links: %+v", ls)
	}
	// Other customer words before joining point to the link.
	if r := c.as("601", "en", "my data"); r[0].Text != c.cat.T("en", "customer.not_joined", nil) {
		t.Fatalf("my data: %+v", r)
	}
	// Strangers' chatter still gets the introduction.
	if r := c.as("601", "en", "hello"); r[0].Text != c.cat.T("en", "stranger.intro", nil) {
		t.Fatalf("hello: %+v", r)
	}
}

func TestHelloDraftEditSendAndCap(t *testing.T) {
	c := newChat(t, "en")
	c.now = time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("KST", 9*3600))
	// Minji came on three Thursdays: the digest shows her, and she joins.
	for _, d := range []string{"11/5", "11/12", "11/19"} {
		c.say("owner", "Kim Minji croissant "+d)
	}
	c.join(c.shop, "701", "en", "Kim Minji")
	c.press("owner", action(t, c.deliverAndGet("owner"), "jlink:"))
	r := c.say("owner", "/digest")
	hello := action(t, r, "hello:")
	r = c.press("owner", hello)
	if !strings.Contains(r[0].Text, "croissant ready") {
		t.Fatalf("draft: %+v", r)
	}
	r = c.press("owner", action(t, r, "hedit:"))
	if !strings.Contains(r[0].Text, "next message") {
		t.Fatalf("edit: %+v", r)
	}
	r = c.say("owner", "Minji, your almond croissant is back!")
	if !strings.Contains(r[0].Text, "your almond croissant is back!") {
		t.Fatalf("edited draft: %+v", r)
	}
	r = c.press("owner", action(t, r, "hsend:"))
	if r[0].Text != c.cat.T("en", "outbox.sent", map[string]any{"Name": "Kim Minji"}) || !r[0].Edit {
		t.Fatalf("send: %+v", r)
	}
	c.deliver()
	got := c.tg.to("701")
	if len(got) != 1 || got[0].Text != "Minji, your almond croissant is back!" {
		t.Fatalf("customer got %+v", got)
	}
	// A second message within the week is refused, with the reason.
	c.now = c.now.Add(6*24*time.Hour + 23*time.Hour)
	r = c.say("owner", "/send Kim Minji See you soon")
	if !strings.HasPrefix(r[0].Text, "Not sent: Kim Minji already had a message in the last 7 days") {
		t.Fatalf("capped: %+v", r)
	}
	c.deliver()
	if n := len(c.tg.to("701")); n != 1 {
		t.Fatalf("customer got %d messages", n)
	}
	// A week after it went, it may.
	c.now = c.now.Add(time.Hour)
	if r := c.say("owner", "/send Kim Minji See you soon"); r[0].Text != c.cat.T("en", "outbox.sent", map[string]any{"Name": "Kim Minji"}) {
		t.Fatalf("a week later: %+v", r)
	}
}

// deliverAndGet delivers what is due and returns what member user got.
func (c *chat) deliverAndGet(user string) []conversation.Reply {
	c.t.Helper()
	c.deliver()
	return c.con.to(user)
}

func TestQuietHoursHoldUntilMorning(t *testing.T) {
	c := newChat(t, "ko")
	c.join(c.shop, "801", "ko", "정하은")
	c.now = time.Date(2026, 11, 26, 21, 0, 0, 0, c.shop.Location())
	r := c.say("owner", "/보내기 정하은 내일 아침 소금빵 나와요")
	if !strings.Contains(r[0].Text, "조용한 시간이라 정하은님께 11/27 금 08:00에 보낼게요") {
		t.Fatalf("held: %+v", r)
	}
	c.now = time.Date(2026, 11, 27, 7, 59, 59, 0, c.shop.Location())
	c.deliver()
	if len(c.tg.to("801")) != 0 {
		t.Fatal("delivered at night")
	}
	c.now = time.Date(2026, 11, 27, 8, 0, 0, 0, c.shop.Location())
	c.deliver()
	if got := c.tg.to("801"); len(got) != 1 || got[0].Text != "내일 아침 소금빵 나와요" {
		t.Fatalf("morning: %+v", got)
	}
}

func TestStopStartAndSettings(t *testing.T) {
	c := newChat(t, "ko")
	cu := c.join(c.shop, "901", "ko", "이도윤")
	c.now = time.Date(2026, 11, 26, 22, 0, 0, 0, c.shop.Location())
	c.say("owner", "/보내기 이도윤 내일 뵈어요") // held until morning
	r := c.as("901", "ko", "수신거부")
	if !strings.Contains(r[0].Text, "Test bakery에서 메시지를 보내지 않아요") || !strings.Contains(r[0].Text, "다시 받기") {
		t.Fatalf("stop: %+v", r)
	}
	got, _ := c.db.Customer(c.ctx, c.shop.ID, cu.ID)
	if got.Consent != crm.ConsentWithdrawn {
		t.Fatalf("consent %s", got.Consent)
	}
	// The held message never goes; the owner hears why when it would have.
	c.now = time.Date(2026, 11, 27, 8, 0, 0, 0, c.shop.Location())
	c.deliver()
	if len(c.tg.to("901")) != 0 {
		t.Fatal("a message went after STOP")
	}
	last := c.con.to("owner")
	if want := c.cat.T("ko", "outbox.cancelled.no_consent", map[string]any{"Name": "이도윤"}); last[len(last)-1].Text != want {
		t.Fatalf("owner told %+v", last)
	}
	if r := c.say("owner", "/보내기 이도윤 안녕하세요"); !strings.Contains(r[0].Text, "수신에 동의하지 않았어요") {
		t.Fatalf("after stop: %+v", r)
	}
	r = c.as("901", "ko", "다시 받기")
	if !strings.Contains(r[0].Text, "다시 오신 걸 환영해요") {
		t.Fatalf("start: %+v", r)
	}
	evs, _ := c.db.ConsentEvents(c.ctx, c.shop.ID, cu.ID)
	if len(evs) != 9 || !evs[8].Granted || evs[8].Notice != "start/"+conversation.NoticeVersion+"/ko" {
		t.Fatalf("ledger %d %+v", len(evs), evs[len(evs)-1])
	}
	// Settings: offers off, then a quiet-hours preset.
	r = c.as("901", "ko", "설정")
	if !strings.Contains(r[0].Text, "혜택 안내: 받음") || !strings.Contains(r[0].Text, "21:00-08:00") {
		t.Fatalf("settings: %+v", r)
	}
	r = c.pressAs("901", "ko", action(t, r, fmt.Sprintf("c:tog:%d:offers", c.shop.ID)))
	if !r[0].Edit || !strings.Contains(r[0].Text, "혜택 안내: 안 받음") {
		t.Fatalf("toggle: %+v", r)
	}
	r = c.pressAs("901", "ko", action(t, r, "c:quiet:"))
	if !strings.Contains(r[0].Text, "21:00-08:00, 22:00-09:00") {
		t.Fatalf("quiet: %+v", r)
	}
	if r := c.say("owner", "/광고 이도윤 크루아상 1+1"); !strings.Contains(r[0].Text, "혜택 안내") {
		t.Fatalf("offer after opting out: %+v", r)
	}
}

func TestKoreanOfferIsLabelled(t *testing.T) {
	c := newChat(t, "ko")
	c.join(c.shop, "902", "ko", "박서준")
	if r := c.say("staff", "/광고 박서준 크루아상 1+1"); r[0].Text != c.cat.T("ko", "access.owner_only", nil) {
		t.Fatalf("staff offer: %+v", r)
	}
	c.say("owner", "/광고 박서준 이번 주 금요일 크루아상 1+1")
	c.deliver()
	got := c.tg.to("902")
	if len(got) != 1 || !strings.HasPrefix(got[0].Text, "(광고) 이번 주 금요일") ||
		!strings.HasSuffix(got[0].Text, c.cat.T("ko", "outbox.stop_line", nil)) {
		t.Fatalf("offer: %+v", got)
	}
}

func TestMyDataDeleteAndDigestLine(t *testing.T) {
	c := newChat(t, "en")
	cu := c.join(c.shop, "1001", "en", "Ana")
	c.deliver()
	c.say("owner", "Ana croissant, allergic to nuts")
	r := c.as("1001", "en", "my data")
	if !strings.Contains(r[0].Text, "What Test bakery keeps about you, Ana") || !strings.Contains(r[0].Text, "nut") ||
		r[0].Document == nil {
		t.Fatalf("my data: %+v", r)
	}
	var d conversation.MyData
	if err := json.Unmarshal(r[0].Document.Data, &d); err != nil {
		t.Fatal(err)
	}
	if d.Name != "Ana" || len(d.Visits) != 1 || len(d.Consent) != 3 || d.Chat.UserID != "1001" || d.RetentionMonths != 24 {
		t.Fatalf("json %+v", d)
	}
	r = c.as("1001", "en", "forget me")
	r = c.pressAs("1001", "en", action(t, r, "c:del:"))
	if !strings.Contains(r[0].Text, "no longer has any record of you") {
		t.Fatalf("delete: %+v", r)
	}
	if _, err := c.db.Customer(c.ctx, c.shop.ID, cu.ID); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("customer still there: %v", err)
	}
	if ls, _ := c.db.CustomerLinks(c.ctx, "telegram", "1001"); len(ls) != 0 {
		t.Fatalf("links: %+v", ls)
	}
	// The next pushed digest says so, without the name, once.
	senders := map[string]conversation.Sender{"console": c.con}
	c.now = c.now.Add(24 * time.Hour)
	if _, err := c.engine.PushDigest(c.ctx, c.shop, c.shop.Today(c.now), senders); err != nil {
		t.Fatal(err)
	}
	got := c.con.to("owner")
	last := got[len(got)-1].Text
	if !strings.Contains(last, "1 customer asked to be forgotten since yesterday.") || strings.Contains(last, "Ana") {
		t.Fatalf("digest: %q", last)
	}
	c.now = c.now.Add(24 * time.Hour)
	if _, err := c.engine.PushDigest(c.ctx, c.shop, c.shop.Today(c.now), senders); err != nil {
		t.Fatal(err)
	}
	got = c.con.to("owner")
	if last := got[len(got)-1].Text; strings.Contains(last, "forgotten") {
		t.Fatalf("said twice: %q", last)
	}
}

func TestCustomerTextGoesToTheOwnerAndReply(t *testing.T) {
	c := newChat(t, "en")
	c.join(c.shop, "1101", "en", "Jun")
	c.deliver()
	r := c.as("1101", "en", "I'm off sugar now")
	if r[0].Text != c.cat.T("en", "customer.passed_on", map[string]any{"Shop": "Test bakery"}) {
		t.Fatalf("ack: %+v", r)
	}
	got := c.deliverAndGet("owner")
	wrote := got[len(got)-1]
	if wrote.Text != "💬 Jun (customer) wrote: “I'm off sugar now”" {
		t.Fatalf("owner got %q", wrote.Text)
	}
	r = c.press("owner", action(t, []conversation.Reply{wrote}, "creply:"))
	r = c.say("owner", "Noted, thank you Jun!")
	r = c.press("owner", action(t, r, "hsend:"))
	c.deliver()
	if got := c.tg.to("1101"); len(got) != 1 || got[0].Text != "Noted, thank you Jun!" {
		t.Fatalf("customer got %+v", got)
	}
	// Replies are not capped: a second answer the same day goes too.
	c.press("owner", action(t, []conversation.Reply{wrote}, "creply:"))
	c.press("owner", action(t, c.say("owner", "One more thing"), "hsend:"))
	c.deliver()
	if got := c.tg.to("1101"); len(got) != 2 {
		t.Fatalf("customer got %+v", got)
	}
}

func TestTwoShopsOnePerson(t *testing.T) {
	c := newChat(t, "en")
	other, err := c.db.CreateShop(c.ctx, crm.Shop{Name: "Flower shop", Lang: "en", CreatedAt: c.now})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.db.AddMember(c.ctx, crm.Member{ShopID: other.ID, Platform: "console", UserID: "florist", Role: crm.RoleOwner}); err != nil {
		t.Fatal(err)
	}
	a := c.join(c.shop, "1201", "en", "Sam")
	b := c.join(other, "1201", "en", "Sam")
	c.deliver()
	if a.ShopID == b.ShopID || a.ID == b.ID {
		t.Fatalf("one record for two shops: %+v %+v", a, b)
	}
	// Which shop is "my data" about?
	r := c.as("1201", "en", "my data")
	if r[0].Text != c.cat.T("en", "customer.which_shop", nil) || len(r[0].Buttons) != 2 {
		t.Fatalf("which: %+v", r)
	}
	r = c.pressAs("1201", "en", fmt.Sprintf("c:data:%d", other.ID))
	if !strings.Contains(r[0].Text, "Flower shop") || strings.Contains(r[0].Text, "Test bakery") {
		t.Fatalf("data: %+v", r)
	}
	// A question goes to the shop they pick, and only there.
	r = c.as("1201", "en", "Do you have tulips?")
	c.pressAs("1201", "en", action(t, r, fmt.Sprintf("c:to:%d:", other.ID)))
	c.deliver()
	if got := c.con.to("florist"); !strings.Contains(got[len(got)-1].Text, "tulips") {
		t.Fatalf("florist got %+v", got)
	}
	for _, m := range c.con.to("owner") {
		if strings.Contains(m.Text, "tulips") {
			t.Fatalf("the bakery saw the florist's message: %q", m.Text)
		}
	}
	// STOP stops both.
	r = c.as("1201", "en", "STOP")
	if !strings.Contains(r[0].Text, "Test bakery") || !strings.Contains(r[0].Text, "Flower shop") {
		t.Fatalf("stop: %+v", r)
	}
	for _, cu := range []crm.Customer{a, b} {
		got, _ := c.db.Customer(c.ctx, cu.ShopID, cu.ID)
		if got.Consent != crm.ConsentWithdrawn {
			t.Fatalf("shop %d consent %s", cu.ShopID, got.Consent)
		}
	}
	// The bakery's owner cannot reach the florist's customer by id.
	if r := c.press("owner", fmt.Sprintf("hello:%d", b.ID)); r[0].Text != c.cat.T("en", "action.stale", nil) {
		t.Fatalf("cross-shop hello: %+v", r)
	}
}

func TestUnreachableCustomerIsMarked(t *testing.T) {
	c := newChat(t, "en")
	for _, d := range []string{"11/5", "11/12", "11/19"} {
		c.say("owner", "Kim Minji croissant "+d)
	}
	c.join(c.shop, "1301", "en", "Kim Minji")
	c.press("owner", action(t, c.deliverAndGet("owner"), "jlink:"))
	c.tg.fail = map[string]error{"1301": fmt.Errorf("telegram: sendMessage: %w", conversation.ErrUnreachable)}
	c.say("owner", "/send Kim Minji Hello!")
	c.deliver()
	got := c.con.to("owner")
	if want := c.cat.T("en", "outbox.unreachable", map[string]any{"Name": "Kim Minji"}); got[len(got)-1].Text != want {
		t.Fatalf("owner told %+v", got[len(got)-1])
	}
	if r := c.say("owner", "/digest"); hasButton(r, "hello:") {
		t.Fatalf("unreachable customer offered hello: %+v", r[0].Buttons)
	}
}

func TestQRPosterDecodesToTheJoinLink(t *testing.T) {
	c := newChat(t, "en")
	r, err := c.engine.Handle(c.ctx, conversation.Message{Platform: "console", UserID: "owner", Text: "/qr", Bot: "DangolBot"})
	if err != nil {
		t.Fatal(err)
	}
	link := "https://t.me/DangolBot?start=" + c.shop.Code
	if r[0].Photo == nil || !strings.Contains(r[0].Text, link) {
		t.Fatalf("qr: %+v", r)
	}
	img, err := png.Decode(bytes.NewReader(r[0].Photo.Data))
	if err != nil {
		t.Fatal(err)
	}
	bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil || res.GetText() != link {
		t.Fatalf("decoded %v, %v", res, err)
	}
	if r := c.say("staff", "/qr"); r[0].Text != c.cat.T("en", "access.owner_only", nil) {
		t.Fatalf("staff qr: %+v", r)
	}
	// Without a bot name a messenger has no link to draw …
	if err := c.db.AddMember(c.ctx, crm.Member{ShopID: c.shop.ID, Platform: "slack", UserID: "U1", Role: crm.RoleOwner}); err != nil {
		t.Fatal(err)
	}
	r, err = c.engine.Handle(c.ctx, conversation.Message{Platform: "slack", UserID: "U1", Text: "/qr"})
	if err != nil || r[0].Text != c.cat.T("en", "qr.no_bot", nil) {
		t.Fatalf("no bot: %+v %v", r, err)
	}
	// … but the console shows a poster with a placeholder, the shop code
	// and how to try the customer side.
	r = c.say("owner", "/qr")
	for _, want := range []string{"https://t.me/" + conversation.PlaceholderBot + "?start=" + c.shop.Code,
		"Shop code: " + c.shop.Code, "/as customer 1001, then /start " + c.shop.Code} {
		if !strings.Contains(r[0].Text, want) || r[0].Photo == nil {
			t.Fatalf("console qr lacks %q: %+v", want, r)
		}
	}
}

func TestRetentionAndRenewalJobs(t *testing.T) {
	c := newChat(t, "en")
	start := c.now
	old := crm.Change{NewName: "Old Timer", UsualWeekday: crm.NoWeekday, Visit: &crm.VisitInput{Date: crm.NewDate(2024, 1, 10)}}
	if _, err := c.db.RecordNote(c.ctx, crm.NoteInput{ShopID: c.shop.ID, Platform: "console", AuthorID: "owner",
		Text: "Old Timer 2024-01-10", At: start, Change: old}); err != nil {
		t.Fatal(err)
	}
	c.join(c.shop, "1401", "en", "Renee")
	c.deliver()
	// Two years after joining, Renee is asked once whether to keep
	// receiving messages.
	c.now = start.AddDate(2, 0, 0)
	// Nine regulars: Old Timer is one customer in eleven, few enough to
	// erase without asking the owner.
	for i := range 9 {
		if _, err := c.db.RecordNote(c.ctx, crm.NoteInput{ShopID: c.shop.ID, Platform: "console", AuthorID: "owner",
			Text: "regular", At: c.now, Change: crm.Change{NewName: fmt.Sprintf("Regular %c", 'A'+i), UsualWeekday: crm.NoWeekday,
				Visit: &crm.VisitInput{Date: c.shop.Today(c.now)}}}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := c.engine.RunCustomerJobs(c.ctx, c.shop, c.now)
	if err != nil || res.Asked != 1 || res.Expired != 1 {
		t.Fatalf("jobs %+v %v", res, err)
	}
	if res, _ := c.engine.RunCustomerJobs(c.ctx, c.shop, c.now); res.Asked != 0 {
		t.Fatalf("asked twice: %+v", res)
	}
	c.deliver()
	got := c.tg.to("1401")
	if len(got) != 1 || !strings.Contains(got[0].Text, "two years") || !hasButton(got, "c:renew:") {
		t.Fatalf("renewal question %+v", got)
	}
	// Without an answer in 30 days the consent lapses.
	c.now = c.now.Add(30 * 24 * time.Hour)
	res, err = c.engine.RunCustomerJobs(c.ctx, c.shop, c.now)
	if err != nil || res.Lapsed != 1 {
		t.Fatalf("lapse %+v %v", res, err)
	}
	cs, _ := c.db.FindCustomers(c.ctx, c.shop.ID, "Renee")
	if len(cs) != 1 || cs[0].Consent != crm.ConsentWithdrawn {
		t.Fatalf("after lapse %+v", cs)
	}
	evs, _ := c.db.ConsentEvents(c.ctx, c.shop.ID, cs[0].ID)
	if last := evs[len(evs)-1]; last.Granted || last.Channel != "renewal" {
		t.Fatalf("lapse event %+v", last)
	}
	// Old Timer's last visit was over 24 months ago: gone, and the digest
	// says how many.
	c.noCustomer("Old Timer")
	r := c.say("owner", "/digest")
	if !strings.Contains(r[0].Text, "1 customer record past the retention period was deleted.") {
		t.Fatalf("digest %q", r[0].Text)
	}
	// CustomerJobs runs once per shop-local day.
	if err := c.engine.CustomerJobs(c.ctx, c.now); err != nil {
		t.Fatal(err)
	}
	day, _ := c.db.ShopSetting(c.ctx, c.shop.ID, crm.SettingJobsDay)
	if day != c.shop.Today(c.now).String() {
		t.Fatalf("jobs day %q", day)
	}
}

func TestRenewalAnswerKeepsConsent(t *testing.T) {
	c := newChat(t, "ko")
	start := c.now
	c.join(c.shop, "1501", "ko", "하은")
	// A word to the shop a year later keeps her past the retention check.
	c.now = start.AddDate(1, 0, 0)
	c.as("1501", "ko", "안녕하세요")
	c.deliver()
	c.now = start.AddDate(2, 0, 1)
	if _, err := c.engine.RunCustomerJobs(c.ctx, c.shop, c.now); err != nil {
		t.Fatal(err)
	}
	c.deliver()
	got := c.tg.to("1501")
	r := c.pressAs("1501", "ko", action(t, got, "c:renew:"))
	if !strings.Contains(r[0].Text, "계속 보내 드릴게요") {
		t.Fatalf("renew: %+v", r)
	}
	c.now = c.now.Add(31 * 24 * time.Hour)
	if res, _ := c.engine.RunCustomerJobs(c.ctx, c.shop, c.now); res.Lapsed != 0 || res.Asked != 0 {
		t.Fatalf("after renewal %+v", res)
	}
}

// TestNoMessageWithoutConsent runs random sequences of everything that can
// send or change consent and checks, at each delivery to a customer, that
// the ledger grants the message's purpose at that instant.
func TestNoMessageWithoutConsent(t *testing.T) {
	total := 0
	for seed := uint64(1); seed <= 8; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			c := newChat(t, "ko")
			rng := rand.New(rand.NewPCG(seed, 42))
			users := []string{"2001", "2002", "2003"}
			names := map[string]string{"2001": "가나", "2002": "다라", "2003": "마바"}
			for _, u := range users {
				c.join(c.shop, u, "ko", names[u])
			}
			deliveries := 0
			c.tg.check = func(user string, r conversation.Reply) {
				deliveries++
				ls, err := c.db.CustomerLinks(c.ctx, "telegram", user)
				if err != nil || len(ls) != 1 {
					t.Errorf("delivery to %s without a link: %v", user, err)
					return
				}
				ms, _ := c.db.OutboxFor(c.ctx, c.shop.ID, ls[0].CustomerID)
				var sending *crm.OutboxMessage
				for i := range ms {
					if ms[i].Status == crm.OutboxSending && ms[i].To == crm.ToCustomer {
						sending = &ms[i]
					}
				}
				if sending == nil {
					t.Errorf("delivery to %s of %q with no message sending", user, r.Text)
					return
				}
				evs, _ := c.db.ConsentEvents(c.ctx, c.shop.ID, ls[0].CustomerID)
				if !crm.Permits(crm.ConsentAt(evs, c.now), sending.Purpose) {
					t.Errorf("%s got a %s message without consent: %q", user, sending.Purpose, r.Text)
				}
			}
			for step := 0; step < 100; step++ {
				u := users[rng.IntN(len(users))]
				switch rng.IntN(9) {
				case 0:
					c.as(u, "ko", "수신거부")
				case 1:
					c.as(u, "ko", "다시 받기")
				case 2:
					r := c.as(u, "ko", "설정")
					purpose := crm.ConsentPurposes[rng.IntN(3)]
					c.pressAs(u, "ko", action(t, r, fmt.Sprintf("c:tog:%d:%s", c.shop.ID, purpose)))
				case 3:
					c.say("owner", "/보내기 "+names[u]+" 안녕하세요")
				case 4:
					c.say("owner", "/광고 "+names[u]+" 1+1 행사")
				case 5:
					c.as(u, "ko", "질문 있어요")
					c.deliver()
					got := c.con.to("owner")
					for i := len(got) - 1; i >= 0; i-- {
						if hasButton(got[i:i+1], "creply:") {
							c.press("owner", action(t, got[i:i+1], "creply:"))
							break
						}
					}
					c.press("owner", action(t, c.say("owner", "답이에요"), "hsend:"))
				case 6:
					c.now = c.now.Add(time.Duration(rng.IntN(48)) * time.Hour)
				case 7:
					c.deliver()
				case 8:
					if _, err := c.engine.RunCustomerJobs(c.ctx, c.shop, c.now); err != nil {
						t.Fatal(err)
					}
				}
			}
			c.now = c.now.Add(48 * time.Hour)
			c.deliver()
			total += deliveries
		})
	}
	t.Logf("%d deliveries checked", total)
	if total < 20 {
		t.Fatalf("only %d deliveries: the sweep checks too little", total)
	}
}

func TestShopCustomerSettings(t *testing.T) {
	c := newChat(t, "en")
	c.join(c.shop, "1601", "en", "Lee")
	if r := c.say("owner", "/settings"); !strings.Contains(r[0].Text, "at most 1 per customer in 7 days") ||
		!strings.Contains(r[0].Text, "never between 21:00-08:00") || !strings.Contains(r[0].Text, "kept 24 months") {
		t.Fatalf("show: %q", r[0].Text)
	}
	for _, bad := range []string{"/settings cap 0/7", "/settings cap lots", "/settings quiet late", "/settings quiet 9-9",
		"/settings retention 0", "/settings retention 500"} {
		r := c.say("owner", bad)
		if strings.HasPrefix(r[0].Text, "✓") {
			t.Errorf("%q accepted: %q", bad, r[0].Text)
		}
	}
	if r := c.say("staff", "/settings cap 3/7"); r[0].Text != c.cat.T("en", "access.owner_only", nil) {
		t.Fatalf("staff: %q", r[0].Text)
	}
	if v, _ := c.db.ShopSetting(c.ctx, c.shop.ID, crm.SettingOutboxCap); v != "" {
		t.Fatalf("bad input changed the cap to %q", v)
	}
	if r := c.say("owner", "/settings cap 2/7"); r[0].Text != "✓ At most 2 message(s) per customer in 7 days." {
		t.Fatalf("cap: %q", r[0].Text)
	}
	if r := c.say("owner", "/settings quiet 22-7"); r[0].Text != "✓ Nothing goes to customers between 22:00-07:00." {
		t.Fatalf("quiet: %q", r[0].Text)
	}
	if r := c.say("owner", "/settings retention 12"); !strings.HasPrefix(r[0].Text, "✓") {
		t.Fatalf("retention: %q", r[0].Text)
	}
	// Two messages a week, and 21:30 is no longer quiet.
	c.now = time.Date(2026, 11, 26, 21, 30, 0, 0, c.shop.Location())
	for i := range 2 {
		if r := c.say("owner", "/send Lee Hello"); r[0].Text != c.cat.T("en", "outbox.sent", map[string]any{"Name": "Lee"}) {
			t.Fatalf("message %d: %q", i+1, r[0].Text)
		}
	}
	if r := c.say("owner", "/send Lee Hello"); !strings.Contains(r[0].Text, "at most 2") {
		t.Fatalf("third: %q", r[0].Text)
	}
	r := c.as("1601", "en", "my data")
	if !strings.Contains(r[0].Text, "Kept until 12 months") {
		t.Fatalf("retention in my data: %q", r[0].Text)
	}
}

func TestSendNeedsAName(t *testing.T) {
	c := newChat(t, "en")
	c.join(c.shop, "1701", "en", "Kim Minji")
	c.say("owner", "Kim Jisoo bagel")
	for text, want := range map[string]string{
		"/send":                  c.cat.T("en", "send.usage", nil),
		"/send Kim":              c.cat.T("en", "send.usage", nil),
		"/send Nobody hi":        c.cat.T("en", "customer.not_found", map[string]any{"Name": "Nobody"}),
		"/send Kim hi":           c.cat.N("en", "customer.several", 2, map[string]any{"Name": "Kim"}),
		"/send Kim Minji hi":     c.cat.T("en", "outbox.sent", map[string]any{"Name": "Kim Minji"}),
		"/send Kim Jisoo hello!": c.cat.T("en", "outbox.blocked.not_linked", map[string]any{"Name": "Kim Jisoo"}),
	} {
		if r := c.say("owner", text); r[0].Text != want {
			t.Errorf("%q: %q, want %q", text, r[0].Text, want)
		}
	}
}

func TestCustomerCommandsTheyDoNotHave(t *testing.T) {
	c := newChat(t, "en")
	r := c.as("1801", "en", "/start "+c.shop.Code)
	c.pressAs("1801", "en", action(t, r, "c:agree:"))
	// A command is not a name, and not a message for the shop.
	if r := c.as("1801", "en", "/digest"); !strings.HasPrefix(r[0].Text, "You're signed up with Test bakery.") {
		t.Fatalf("/digest: %q", r[0].Text)
	}
	if r := c.as("1801", "en", strings.Repeat("x", 41)); r[0].Text != c.cat.T("en", "customer.join.bad_name", map[string]any{"Max": 40}) {
		t.Fatalf("long name: %q", r[0].Text)
	}
	cs, _ := c.db.CustomerLinks(c.ctx, "telegram", "1801")
	if len(cs) != 1 || !cs[0].AwaitingName {
		t.Fatalf("links %+v", cs)
	}
	c.deliver()
	if n := len(c.con.to("owner")); n != 0 {
		t.Fatalf("owner got %d messages before the name", n)
	}
}
