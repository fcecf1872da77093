package conversation_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/locales"

	_ "github.com/mattn/go-sqlite3"
)

// links returns the shops a Telegram user is a customer of.
func (c *chat) links(user string) []crm.CustomerLink {
	c.t.Helper()
	ls, err := c.db.CustomerLinks(c.ctx, "telegram", user)
	if err != nil {
		c.t.Fatal(err)
	}
	return ls
}

// TestForgedJoinButtonsGrantNothing: Agree and No thanks work only as the
// join notice of a valid shop code made them, for the person it was shown
// to, and for a week.
func TestForgedJoinButtonsGrantNothing(t *testing.T) {
	c := newChat(t, "ko")
	reopen := c.cat.T("ko", "customer.join.reopen", nil)
	// Shop ids count 1, 2, …: the old button data, forged.
	for _, forged := range []string{
		fmt.Sprintf("c:agree:%d:ko", c.shop.ID),
		fmt.Sprintf("c:agree:%d:en", c.shop.ID),
		fmt.Sprintf("c:decline:%d", c.shop.ID),
		fmt.Sprintf("c:agree:%d:ko:1:AAAAAAAAAAAAAAAAAAAAAA", c.shop.ID),
	} {
		if r := c.pressAs("666", "ko", forged); r[0].Text != reopen {
			t.Errorf("%s: %+v", forged, r)
		}
	}
	if ls := c.links("666"); len(ls) != 0 {
		t.Fatalf("a forged press joined: %+v", ls)
	}
	// A real notice's button, pressed by someone else, or for another
	// shop, or tampered with, fails too.
	notice := c.as("501", "ko", "/start "+c.shop.Code)
	agree := action(t, notice, "c:agree:")
	other, err := c.db.CreateShop(c.ctx, crm.Shop{Name: "Other", Lang: "ko", CreatedAt: c.now})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(agree, ":")
	elsewhere := strings.Join(append([]string{"c", "agree", strconv.FormatInt(other.ID, 10)}, parts[3:]...), ":")
	english := strings.Join(append([]string{"c", "agree", parts[2], "en"}, parts[4:]...), ":")
	for _, p := range []struct{ user, action string }{{"666", agree}, {"501", elsewhere}, {"501", english}} {
		if r := c.pressAs(p.user, "ko", p.action); r[0].Text != reopen {
			t.Errorf("%s pressing %s: %+v", p.user, p.action, r)
		}
	}
	if ls := c.links("666"); len(ls) != 0 {
		t.Fatalf("someone else's button joined: %+v", ls)
	}
	// A week later the notice's buttons have lapsed.
	saved := c.now
	c.now = c.now.Add(8 * 24 * time.Hour)
	if r := c.pressAs("501", "ko", agree); r[0].Text != reopen {
		t.Fatalf("a week-old button: %+v", r)
	}
	c.now = saved
	// The real press joins.
	if r := c.pressAs("501", "ko", agree); !strings.Contains(r[0].Text, "동의하셨어요") || len(c.links("501")) != 1 {
		t.Fatalf("agree: %+v", r)
	}
}

// TestLinkingAJoinerNeedsTheOwnerAndAnOfferedCard: a stranger who joins
// under a real customer's name reads nothing of theirs unless the owner,
// warned that the name is self-chosen, links them; forged link presses do
// nothing.
func TestLinkingAJoinerNeedsTheOwnerAndAnOfferedCard(t *testing.T) {
	c := newChat(t, "ko")
	c.say("owner", "김민지 딸기 알레르기")
	c.say("owner", "김민지 생일 3월 14일")
	c.say("owner", "박서준 소금빵")
	minji, _, _ := c.customer("김민지")
	seojun, _, _ := c.customer("박서준")
	stranger := c.join(c.shop, "666", "ko", "김민지")
	c.deliver()
	owner := c.con.to("owner")
	note := owner[len(owner)-1]
	if !strings.Contains(note.Text, "“김민지”님") || !strings.Contains(note.Text, "이름은 손님이 직접 입력했어요 — 본인인지 확인해 주세요") {
		t.Fatalf("owner notice %q", note.Text)
	}
	// What the stranger sees of themselves: nothing of 김민지's.
	if r := c.as("666", "ko", "내 정보"); strings.Contains(r[0].Text, "딸기") || strings.Contains(r[0].Text, "3월 14일") {
		t.Fatalf("stranger sees %q", r[0].Text)
	}
	stale := c.cat.T("ko", "action.stale", nil)
	for _, p := range []struct{ user, action, want string }{
		// Staff may not link, even the offered pair.
		{"staff", fmt.Sprintf("jlink:%d:%d", stranger.ID, minji.ID), c.cat.T("ko", "access.owner_only", nil)},
		{"staff", fmt.Sprintf("jnew:%d", stranger.ID), c.cat.T("ko", "access.owner_only", nil)},
		// A card the notice did not offer.
		{"owner", fmt.Sprintf("jlink:%d:%d", stranger.ID, seojun.ID), stale},
		// Two cards of which neither joined by chat.
		{"owner", fmt.Sprintf("jlink:%d:%d", seojun.ID, minji.ID), stale},
		{"owner", fmt.Sprintf("jnew:%d", seojun.ID), stale},
	} {
		if r := c.press(p.user, p.action); r[0].Text != p.want {
			t.Errorf("%s %s: %+v", p.user, p.action, r)
		}
	}
	if _, err := c.db.Customer(c.ctx, c.shop.ID, seojun.ID); err != nil {
		t.Fatalf("박서준 was merged away: %v", err)
	}
	if r := c.as("666", "ko", "내 정보"); strings.Contains(r[0].Text, "딸기") || strings.Contains(r[0].Text, "소금빵") {
		t.Fatalf("after forged links the stranger sees %q", r[0].Text)
	}
	// The owner's own, warned press links them.
	if r := c.press("owner", action(t, []conversation.Reply{note}, "jlink:")); !strings.Contains(r[0].Text, "연결했어요") {
		t.Fatalf("link: %+v", r)
	}
}

// TestButtonPressesCheckThePresser presses every kind of button as
// someone who may not: each is refused and changes nothing.
func TestButtonPressesCheckThePresser(t *testing.T) {
	c := newChat(t, "en")
	ana := c.join(c.shop, "1001", "en", "Ana")
	c.join(c.shop, "1002", "en", "Bo")
	c.deliver()
	c.say("owner", "Ana croissant")
	r := c.say("owner", "Ana note: phone 010-1234-5678")
	undo := action(t, r, "undo:")
	drop := action(t, r, "mdrop:")
	_, _, facts := c.customer("Ana")
	other, err := c.db.CreateShop(c.ctx, crm.Shop{Name: "Other", Lang: "en", CreatedAt: c.now})
	if err != nil {
		t.Fatal(err)
	}
	c.db.AddMember(c.ctx, crm.Member{ShopID: other.ID, Platform: "console", UserID: "florist", Role: crm.RoleOwner})
	before := len(facts)
	id := strconv.FormatInt(ana.ID, 10)
	intro := c.cat.T("en", "stranger.intro", nil)
	ownerOnly := c.cat.T("en", "access.owner_only", nil)
	stale := c.cat.T("en", "action.stale", nil)
	for _, p := range []struct {
		platform, user, action string
		want                   []string // any of these answers
	}{
		// A stranger pressing the shop's buttons is a stranger.
		{"telegram", "666", "forget:" + id, []string{intro}},
		{"telegram", "666", "card:" + id, []string{intro}},
		{"telegram", "666", "hello:" + id, []string{intro}},
		{"telegram", "666", undo, []string{intro}},
		{"telegram", "666", drop, []string{intro}},
		// A customer pressing the shop's buttons too.
		{"telegram", "1002", "forget:" + id, []string{intro}},
		// Staff: owner's buttons, another's note.
		{"console", "staff", "forget:" + id, []string{ownerOnly}},
		{"console", "staff", "forgetask:" + id, []string{ownerOnly}},
		{"console", "staff", "unstaff:console:owner", []string{ownerOnly}},
		{"console", "staff", drop, []string{ownerOnly}},
		{"console", "staff", undo, []string{c.cat.T("en", "undo.not_allowed", map[string]any{"Text": ""})}},
		// Another shop's owner, with this shop's ids.
		{"console", "florist", "forget:" + id, []string{stale}},
		{"console", "florist", "card:" + id, []string{stale}},
		{"console", "florist", drop, []string{c.cat.T("en", "memo.gone", nil)}},
		// Bo, with Ana's customer buttons, or for a shop they never joined.
		{"telegram", "1002", fmt.Sprintf("c:dfact:%d:%d", c.shop.ID, facts[0].ID), []string{stale}},
		{"telegram", "1002", fmt.Sprintf("c:del:%d", other.ID), []string{stale}},
		{"telegram", "1002", fmt.Sprintf("c:data:%d", other.ID), []string{stale}},
		{"telegram", "1002", fmt.Sprintf("c:to:%d:1", c.shop.ID), []string{stale}},
		{"telegram", "1002", fmt.Sprintf("c:tog:%d:reply", c.shop.ID), []string{stale}},
		// A renewal nobody asked for.
		{"telegram", "1002", fmt.Sprintf("c:renew:%d", c.shop.ID), []string{stale}},
	} {
		r, err := c.engine.Handle(c.ctx, conversation.Message{Platform: p.platform, UserID: p.user, Lang: "en", Action: p.action})
		if err != nil || len(r) == 0 {
			t.Fatalf("%s %s: %v", p.user, p.action, err)
		}
		ok := false
		for _, w := range p.want {
			ok = ok || r[0].Text == w || strings.HasPrefix(r[0].Text, strings.TrimSuffix(w, "“”"))
		}
		if !ok {
			t.Errorf("%s pressing %s: %q", p.user, p.action, r[0].Text)
		}
	}
	if _, err := c.db.Customer(c.ctx, c.shop.ID, ana.ID); err != nil {
		t.Fatalf("Ana is gone: %v", err)
	}
	if _, _, fs := c.customer("Ana"); len(fs) != before {
		t.Fatalf("Ana's facts %d, want %d", len(fs), before)
	}
	if ms, _ := c.db.Members(c.ctx, c.shop.ID); len(ms) != 2 {
		t.Fatalf("members %+v", ms)
	}
}

var codeShape = regexp.MustCompile(`[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}`)

// TestCodesAreLongAndGuessesLimited: codes are three groups of four
// unambiguous symbols; wrong codes lock the sender out after a few, and
// everyone after many, and the owner hears of it.
func TestCodesAreLongAndGuessesLimited(t *testing.T) {
	c := newChat(t, "en")
	inv := c.say("owner", "/invite")
	code := codeShape.FindString(inv[0].Text)
	if code == "" {
		t.Fatalf("invite %q", inv[0].Text)
	}
	locked := func(r []conversation.Reply) bool {
		return strings.HasPrefix(r[0].Text, "Too many wrong codes")
	}
	bad := c.cat.T("en", "claim.bad_code", nil)
	// Five wrong codes are answered; the sixth try waits, right or not.
	for i := range crm.CodeFreeFailures {
		if r := c.as("7001", "en", "/join 2222-2222-222"+strconv.Itoa(i)); r[0].Text != bad {
			t.Fatalf("wrong code %d: %+v", i, r)
		}
	}
	c.as("7001", "en", "/start zzzz-zzzz-zzz9") // a sixth: shop codes count too
	if r := c.as("7001", "en", "/join "+code); !locked(r) {
		t.Fatalf("locked person tried the real code: %+v", r)
	}
	if r := c.as("7001", "en", "/start "+c.shop.Code); !locked(r) {
		t.Fatalf("locked person opened the join link: %+v", r)
	}
	if ms, _ := c.db.Memberships(c.ctx, "telegram", "7001"); len(ms) != 0 {
		t.Fatalf("joined while locked: %+v", ms)
	}
	// After the wait the code works, typed loosely.
	c.now = c.now.Add(crm.CodeBackoff)
	loose := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	if r := c.as("7001", "en", "/join "+loose); !strings.Contains(r[0].Text, "Welcome to") {
		t.Fatalf("code after the wait: %+v", r)
	}
	// Many people, one wrong code each: everyone waits, and the owner is
	// told once.
	for i := range crm.CodeGlobalBurst {
		c.as("8"+strconv.Itoa(i), "en", "/claim 3333-3333-333"+strconv.Itoa(i%10))
	}
	c.deliver()
	alert := 0
	for _, m := range c.con.to("owner") {
		if strings.Contains(m.Text, "Many wrong join or invitation codes") {
			alert++
		}
	}
	if alert != 1 || len(c.con.to("staff")) != 0 {
		t.Fatalf("owner alerts %d, staff %+v", alert, c.con.to("staff"))
	}
	code2 := codeShape.FindString(c.say("owner", "/invite")[0].Text)
	if r := c.as("9999", "en", "/join "+code2); !locked(r) {
		t.Fatalf("a fresh person's invitation during the pause: %+v", r)
	}
	// The join link is public: customers still join during the pause.
	if r := c.as("9998", "en", "/start "+c.shop.Code); !hasButton(r, "c:agree:") {
		t.Fatalf("a customer's join link during the pause: %+v", r)
	}
}

// TestOwnerCodeStaysUntilUsedOrExpired: a restart prints the same setup
// code; a week later a new one, and the old one is refused.
func TestOwnerCodeStaysUntilUsedOrExpired(t *testing.T) {
	c := newChat(t, "en")
	code, until, ok, err := c.engine.OwnerCode(c.ctx, c.shop)
	if err != nil || !ok || !codeShape.MatchString(code) || !until.Equal(c.now.Add(crm.OwnerCodeValidity)) {
		t.Fatalf("owner code %q until %v: %v %v", code, until, ok, err)
	}
	cat, _ := locales.New()
	restarted, err := conversation.New(conversation.Config{Store: c.db, Catalog: cat, Now: func() time.Time { return c.now }})
	if err != nil {
		t.Fatal(err)
	}
	if again, _, _, _ := restarted.OwnerCode(c.ctx, c.shop); again != code {
		t.Fatalf("after a restart %q, before %q", again, code)
	}
	c.now = until
	next, _, ok, _ := restarted.OwnerCode(c.ctx, c.shop)
	if !ok || next == code {
		t.Fatalf("after a week: %q", next)
	}
	if r := c.as("7001", "en", "/claim "+code); r[0].Text != c.cat.T("en", "claim.bad_code", nil) {
		t.Fatalf("expired code: %+v", r)
	}
	if r := c.as("7001", "en", "/claim "+next); !strings.Contains(r[0].Text, "owner") {
		t.Fatalf("new code: %+v", r)
	}
	if _, _, ok, _ := restarted.OwnerCode(c.ctx, c.shop); ok {
		t.Fatal("a setup code after the shop was claimed")
	}
}

// TestSensitiveMemoWarnsWithDontKeep: a memo that looks like a phone
// number, e-mail, address or health detail is confirmed with one warning
// line and a "don't keep" button that removes it everywhere, undoably.
func TestSensitiveMemoWarnsWithDontKeep(t *testing.T) {
	c := newChat(t, "ko")
	r := c.say("owner", "김민지 전화번호 010-1234-5678")
	if !strings.Contains(r[0].Text, "전화번호처럼 보여요") || strings.Count(r[0].Text, "⚠") != 1 {
		t.Fatalf("confirmation %q", r[0].Text)
	}
	drop := action(t, r, "mdrop:")
	undo := action(t, r, "undo:")
	// A plain memo, and an allergy, bring no warning.
	for _, note := range []string{"김민지 메모: 창가 자리 좋아함", "김민지 딸기 알레르기"} {
		if r := c.say("owner", note); hasButton(r, "mdrop:") || strings.Contains(r[0].Text, "⚠ 이 메모") {
			t.Fatalf("%s: %+v", note, r)
		}
	}
	r = c.press("owner", drop)
	if !strings.Contains(r[0].Text, "보관하지 않아요") {
		t.Fatalf("drop: %+v", r)
	}
	keep := action(t, r, "mkeep:")
	minji, _, facts := c.customer("김민지")
	for _, f := range facts {
		if strings.Contains(f.Value, "010") {
			t.Fatalf("the number is still a fact: %+v", facts)
		}
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(undo, "undo:"), 10, 64)
	n, _ := c.db.Note(c.ctx, c.shop.ID, id)
	if strings.Contains(n.Text, "010") {
		t.Fatalf("the number is still in the note %q", n.Text)
	}
	// Taken back, it is as it was.
	if r := c.press("owner", keep); !strings.Contains(r[0].Text, "다시 보관해요") {
		t.Fatalf("keep: %+v", r)
	}
	if n, _ := c.db.Note(c.ctx, c.shop.ID, id); n.Text != "김민지 전화번호 010-1234-5678" {
		t.Fatalf("note after keep %q", n.Text)
	}
	_, _, facts = c.customer("김민지")
	if !strings.Contains(fmt.Sprint(facts), "010-1234-5678") {
		t.Fatalf("facts after keep %+v", facts)
	}
	_ = minji
	// English: a health detail, a phone number.
	e := newChat(t, "en")
	for note, kind := range map[string]string{
		"Jun, note: recovering from surgery":   "a health detail",
		"Mia, note: call her on 010-1234-5678": "a phone number",
	} {
		r = e.say("owner", note)
		if !strings.Contains(r[0].Text, "looks like "+kind) || !hasButton(r, "mdrop:") {
			t.Fatalf("%s: %+v", note, r)
		}
	}
}

// TestCustomerDeletesOneFact: "my data" offers to delete each single thing
// kept, and deleting one takes it out everywhere.
func TestCustomerDeletesOneFact(t *testing.T) {
	c := newChat(t, "ko")
	cu := c.join(c.shop, "1001", "ko", "하나")
	c.deliver()
	c.say("owner", "하나 메모: 남편이랑 사이 안 좋음")
	c.say("owner", "하나 딸기 알레르기")
	c.say("owner", "하나 생일 3월 14일")
	r := c.as("1001", "ko", "내 정보")
	if !strings.Contains(r[0].Text, "사이 안 좋음") {
		t.Fatalf("my data %q", r[0].Text)
	}
	var memo, birthday string
	for _, b := range r[0].Buttons {
		switch {
		case strings.Contains(b.Label, "사이 안 좋음"):
			memo = b.Action
		case strings.Contains(b.Label, "생일"):
			birthday = b.Action
		}
	}
	if memo == "" || birthday == "" || !hasButton(r, fmt.Sprintf("c:dfact:%d:", c.shop.ID)) {
		t.Fatalf("buttons %+v", r[0].Buttons)
	}
	if r := c.pressAs("1001", "ko", memo); !strings.Contains(r[0].Text, "지웠어요") {
		t.Fatalf("delete memo: %+v", r)
	}
	if r := c.pressAs("1001", "ko", birthday); !strings.Contains(r[0].Text, "생일") {
		t.Fatalf("delete birthday: %+v", r)
	}
	r = c.as("1001", "ko", "내 정보")
	if strings.Contains(r[0].Text, "사이 안 좋음") || strings.Contains(r[0].Text, "생일:") || !strings.Contains(r[0].Text, "딸기") {
		t.Fatalf("after deleting %q", r[0].Text)
	}
	got, _ := c.db.Customer(c.ctx, c.shop.ID, cu.ID)
	if !got.Birthday.IsZero() {
		t.Fatalf("birthday %v", got.Birthday)
	}
	// Nor is it left in the owner's notes.
	n, _ := c.db.LastNote(c.ctx, c.shop.ID, "console", "owner")
	for n.ID > 0 {
		if strings.Contains(n.Text, "사이 안 좋음") || strings.Contains(n.Text, "3월 14일") {
			t.Fatalf("note %d keeps %q", n.ID, n.Text)
		}
		n, _ = c.db.Note(c.ctx, c.shop.ID, n.ID-1)
	}
}

// TestWithdrawalInTheFutureStopsTheNextMessage: the clock was ahead when
// the customer sent STOP, then stepped back; the ledger's order decides.
func TestWithdrawalInTheFutureStopsTheNextMessage(t *testing.T) {
	c := newChat(t, "ko")
	c.now = time.Date(2026, 11, 26, 12, 0, 0, 0, c.shop.Location())
	c.join(c.shop, "901", "ko", "이도윤")
	c.now = c.now.Add(2 * time.Hour) // ahead
	c.as("901", "ko", "수신거부")
	c.now = c.now.Add(-90 * time.Minute) // NTP steps it back
	if r := c.say("owner", "/보내기 이도윤 내일 뵈어요"); !strings.Contains(r[0].Text, "수신에 동의하지 않았어요") {
		t.Fatalf("send after a stop recorded in the future: %+v", r)
	}
	c.deliver()
	if got := c.tg.to("901"); len(got) != 0 {
		t.Fatalf("delivered: %+v", got)
	}
}

// TestStartRestoresChoices: START gives back what the customer had chosen
// before STOP, not everything.
func TestStartRestoresChoices(t *testing.T) {
	c := newChat(t, "ko")
	cu := c.join(c.shop, "901", "ko", "이도윤")
	r := c.as("901", "ko", "설정")
	c.pressAs("901", "ko", action(t, r, fmt.Sprintf("c:tog:%d:offers", c.shop.ID)))
	c.now = c.now.Add(time.Hour)
	c.as("901", "ko", "수신거부")
	c.now = c.now.Add(time.Hour)
	r = c.as("901", "ko", "다시 받기")
	if !strings.Contains(r[0].Text, "방문 알림, 생일 메시지") || strings.Contains(r[0].Text, "혜택") {
		t.Fatalf("start: %+v", r)
	}
	evs, _ := c.db.ConsentEvents(c.ctx, c.shop.ID, cu.ID)
	st := crm.LatestConsent(evs)
	if !st.Granted(crm.PurposeReminders) || !st.Granted(crm.PurposeBirthday) || st.Granted(crm.PurposeOffers) {
		t.Fatalf("after start %+v", st)
	}
	if r := c.say("owner", "/광고 이도윤 크루아상 1+1"); !strings.Contains(r[0].Text, "혜택 안내") {
		t.Fatalf("offer after start: %+v", r)
	}
}

// TestReplyWithinADay: answering what a customer wrote is a service
// message for 24 hours: outside the weekly cap, still stopped by STOP.
func TestReplyWithinADay(t *testing.T) {
	c := newChat(t, "en")
	c.now = time.Date(2026, 11, 26, 12, 0, 0, 0, c.shop.Location())
	c.join(c.shop, "1101", "en", "Jun")
	c.deliver()
	c.say("owner", "/send Jun See you Thursday") // uses the weekly cap
	reply := func() []conversation.Reply {
		c.press("owner", fmt.Sprintf("creply:%d", mustCustomer(c, "Jun").ID))
		return c.press("owner", action(t, c.say("owner", "Thanks, Jun!"), "hsend:"))
	}
	c.as("1101", "en", "Can you keep a baguette for me?")
	c.now = c.now.Add(23 * time.Hour)
	if r := reply(); r[0].Text != c.cat.T("en", "outbox.sent", map[string]any{"Name": "Jun"}) {
		t.Fatalf("reply after 23 h: %+v", r)
	}
	c.now = c.now.Add(2 * time.Hour)
	if r := reply(); r[0].Text != c.cat.T("en", "outbox.blocked.reply_window", map[string]any{"Name": "Jun"}) {
		t.Fatalf("reply after 25 h: %+v", r)
	}
	c.as("1101", "en", "One more question")
	c.as("1101", "en", "STOP")
	if r := reply(); r[0].Text == c.cat.T("en", "outbox.sent", map[string]any{"Name": "Jun"}) {
		t.Fatalf("reply after STOP: %+v", r)
	}
}

func mustCustomer(c *chat, name string) crm.Customer {
	cu, _, _ := c.customer(name)
	return cu
}

// TestNamePromptWithoutButton: on a chat where no name button can be
// shown, the prompt does not mention one, and a number is not a name.
func TestNamePromptWithoutButton(t *testing.T) {
	for _, lang := range []string{"ko", "en"} {
		c := newChat(t, lang)
		msg := conversation.Message{Platform: "console", UserID: "1001", Lang: lang, Text: "/start " + c.shop.Code}
		r, err := c.engine.Handle(c.ctx, msg)
		if err != nil {
			t.Fatal(err)
		}
		msg.Text, msg.Action = "", action(t, r, "c:agree:")
		if r, err = c.engine.Handle(c.ctx, msg); err != nil {
			t.Fatal(err)
		}
		ask := r[len(r)-1]
		if len(ask.Buttons) != 0 || strings.Contains(ask.Text, "버튼") || strings.Contains(ask.Text, "tap") {
			t.Fatalf("%s name prompt %+v", lang, ask)
		}
		msg.Action, msg.Text = "", "1"
		r, _ = c.engine.Handle(c.ctx, msg)
		if r[0].Text != c.cat.T(lang, "customer.join.name_letters", nil) {
			t.Fatalf("%s: \"1\" as a name: %+v", lang, r)
		}
		msg.Text = "Mina 2"
		if r, _ = c.engine.Handle(c.ctx, msg); !strings.Contains(r[0].Text, "Mina 2") {
			t.Fatalf("%s: a name with a digit: %+v", lang, r)
		}
	}
}

// TestHelpListsEveryCommand: /help names every command an owner has.
func TestHelpListsEveryCommand(t *testing.T) {
	c := newChat(t, "en")
	help := c.say("owner", "/help")[0].Text
	for _, cmd := range c.engine.Commands("en") {
		if !strings.Contains(help, "/"+cmd.Action) {
			t.Errorf("/help lacks /%s:\n%s", cmd.Action, help)
		}
	}
	ko := newChat(t, "ko")
	help = ko.say("owner", "/도움말")[0].Text
	for _, cmd := range []string{"/취소", "/고객", "/이름변경", "/삭제", "/별칭", "/오늘", "/인사함", "/보내기", "/광고", "/qr", "/초대", "/직원", "/설정", "/언어", "/도움말"} {
		if !strings.Contains(help, cmd) {
			t.Errorf("/도움말 lacks %s:\n%s", cmd, help)
		}
	}
}

// TestForgetLeavesTheNameNowhere: /forget and "forget me" leave the name
// in no table and nowhere in the database file, including notes undone
// before (whose customer the undo removed) and choices still waiting.
func TestForgetLeavesTheNameNowhere(t *testing.T) {
	c := newChat(t, "ko")
	// The owner's /forget: 홍길동 was noted, undone, noted again; a choice
	// between two 홍길동s waits.
	r := c.say("owner", "홍길동 크루아상")
	c.press("owner", action(t, r, "undo:"))
	c.say("owner", "홍길동 딸기 알레르기")
	first, _, _ := c.customer("홍길동")
	if _, err := c.db.RecordNote(c.ctx, crm.NoteInput{ShopID: c.shop.ID, Platform: "console", AuthorID: "owner",
		Text: "홍길동 (another)", At: c.now, Change: crm.Change{NewName: "홍길동", UsualWeekday: crm.NoWeekday,
			Facts: []crm.FactInput{{Kind: crm.FactLike, Value: "tea"}}}}); err != nil {
		t.Fatal(err)
	}
	if r := c.say("owner", "홍길동 라떼"); !hasButton(r, "pick:") {
		t.Fatalf("no choice waits: %+v", r)
	}
	cs, _ := c.db.FindCustomers(c.ctx, c.shop.ID, "홍길동")
	for _, cu := range cs {
		c.press("owner", fmt.Sprintf("forget:%d", cu.ID))
	}
	if _, err := c.db.Customer(c.ctx, c.shop.ID, first.ID); err == nil {
		t.Fatal("not forgotten")
	}
	// "forget me": 이몽룡 joins; the owner had noted and undone him.
	r = c.say("owner", "이몽룡 소금빵")
	c.press("owner", action(t, r, "undo:"))
	c.join(c.shop, "1001", "ko", "이몽룡")
	c.as("1001", "ko", "오늘 빵 남았나요?") // a message to the shop
	r = c.as("1001", "ko", "내 정보 삭제")
	c.pressAs("1001", "ko", action(t, r, "c:del:"))
	c.deliver()

	c.db.Close()
	for _, name := range []string{"홍길동", "이몽룡"} {
		assertNowhere(t, c.path, name)
	}
}

// assertNowhere fails when name is in any column of any table of the
// database at path, or anywhere in its files' bytes.
func assertNowhere(t *testing.T, path, name string) {
	t.Helper()
	for _, f := range []string{path, path + "-wal", path + "-journal"} {
		b, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(name)) {
			t.Errorf("%s holds %q", filepath.Base(f), name)
		}
	}
	raw, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query(`SELECT name FROM sqlite_schema WHERE type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		tables = append(tables, s)
	}
	rows.Close()
	for _, table := range tables {
		cols, err := raw.Query(`SELECT name FROM pragma_table_info(?)`, table)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for cols.Next() {
			var s string
			cols.Scan(&s)
			names = append(names, s)
		}
		cols.Close()
		for _, col := range names {
			var n int
			q := fmt.Sprintf(`SELECT count(*) FROM "%s" WHERE instr(CAST("%s" AS TEXT), ?) > 0`, table, col)
			if err := raw.QueryRow(q, name).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				t.Errorf("%q is still in %s.%s", name, table, col)
			}
		}
	}
}
