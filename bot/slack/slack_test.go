package slack

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
)

func TestClaim(t *testing.T) {
	h := newHarness(t)
	setup := h.bot.SetupMessage(h.shop, h.code)
	if !strings.Contains(setup, "“claim "+h.code+"”") || !strings.Contains(setup, "@dangol") || strings.Contains(setup, "/claim") {
		t.Errorf("SetupMessage = %q", setup)
	}
	c := h.dm(ownerID, "claim "+h.code)
	if c.Method != "chat.postMessage" || c.Channel != "D"+ownerID || c.ThreadTS != "" {
		t.Fatalf("answer = %+v, want a top-level post in the owner's direct messages", c)
	}
	if !strings.Contains(c.Shown(), "owner of “Test bakery”") || !strings.Contains(c.Text, "owner of") {
		t.Fatalf("claim answer = %q", c.Shown())
	}
	if strings.Contains(c.Shown(), "/help") {
		t.Errorf("answer tells a Slack user to send /help, which Slack keeps for itself: %q", c.Shown())
	}
	members, err := h.db.Members(h.ctx, h.shop.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != 1 || members[0].Platform != Platform || members[0].UserID != ownerID ||
		members[0].Role != crm.RoleOwner || members[0].Name != "Mina Owner" {
		t.Fatalf("members = %+v", members)
	}
	// The code dies with its first use.
	c = h.dm(strangeID, "claim "+h.code)
	if !strings.Contains(c.Shown(), "not valid") {
		t.Fatalf("second claim answer = %q", c.Shown())
	}
	if ms, _ := h.db.Memberships(h.ctx, Platform, strangeID); len(ms) != 0 {
		t.Fatalf("a second claim made a member: %+v", ms)
	}
}

func TestNoteUndoButton(t *testing.T) {
	h := newHarness(t)
	h.claim()
	c := h.dm(ownerID, "Kim, croissant, Thursday")
	if !strings.Contains(c.Shown(), "Kim") || len(c.Buttons) != 1 {
		t.Fatalf("confirmation = %+v", c)
	}
	undo := c.Buttons[0]
	if !strings.HasPrefix(undo.Value, "undo:") || undo.ActionID != undo.Value || undo.Label != "Undo" {
		t.Fatalf("undo button = %+v", undo)
	}
	if cs, _ := h.db.FindCustomers(h.ctx, h.shop.ID, "Kim"); len(cs) != 1 {
		t.Fatalf("customers called Kim after the note: %+v", cs)
	}

	got := h.press(ownerID, c, undo, 1)
	u := got[0]
	if u.Method != "chat.update" || u.Channel != c.Channel || u.TS != c.TS {
		t.Fatalf("press answer = %+v, want chat.update of %s in %s", u, c.TS, c.Channel)
	}
	if !strings.Contains(u.Shown(), "Undone") || len(u.Buttons) != 0 {
		t.Fatalf("updated message = %+v, want the undo line without buttons", u)
	}
	if cs, _ := h.db.FindCustomers(h.ctx, h.shop.ID, "Kim"); len(cs) != 0 {
		t.Fatalf("Kim still there after undo: %+v", cs)
	}

	// A second press (a double click) and the same press delivered again
	// change nothing and say nothing.
	mark := len(h.fake.chat())
	env, _, _ := h.ids()
	second := pressEnvelope(env, "trig-"+env, ownerID, c.Channel, c.TS, "", undo.Value, undo.ActionID)
	h.fake.push(second)
	h.fake.push(second)
	if extra := h.settle(mark); len(extra) != 0 {
		t.Fatalf("a second press made calls: %+v", extra)
	}
	if h.fake.ackCount(env) != 2 {
		t.Fatalf("acks of the repeated press = %d, want 2", h.fake.ackCount(env))
	}
}

func TestUndoTypedWithoutSlash(t *testing.T) {
	h := newHarness(t)
	h.claim()
	h.dm(ownerID, "Lee, 2 bagels")
	c := h.dm(ownerID, "undo")
	if !strings.Contains(c.Shown(), "Undone") {
		t.Fatalf("undo answer = %q", c.Shown())
	}
	c = h.dm(ownerID, "customer Lee")
	if !strings.Contains(c.Shown(), "no customer called Lee") {
		t.Fatalf("customer answer = %q", c.Shown())
	}
}

var codeRE = regexp.MustCompile(`[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}`)

func TestStaffJoinsAndRecords(t *testing.T) {
	h := newHarness(t)
	h.claim()
	c := h.dm(ownerID, "invite")
	code := codeRE.FindString(c.Shown())
	if code == "" {
		t.Fatalf("invite answer without a code: %q", c.Shown())
	}
	if !strings.Contains(c.Shown(), "join "+code) || strings.Contains(c.Shown(), "/join") {
		t.Errorf("invite answer should say “join CODE” without a slash: %q", c.Shown())
	}
	c = h.dm(staffID, "join "+code)
	if !strings.Contains(c.Shown(), "Welcome to “Test bakery”") {
		t.Fatalf("join answer = %q", c.Shown())
	}
	c = h.dm(staffID, "Hana, latte")
	if !strings.Contains(c.Shown(), "Hana") || len(c.Buttons) != 1 {
		t.Fatalf("staff note confirmation = %+v", c)
	}
	n, err := h.db.LastNote(h.ctx, h.shop.ID, Platform, staffID)
	if err != nil || n.Text != "Hana, latte" {
		t.Fatalf("staff note = %+v, %v", n, err)
	}
	c = h.dm(ownerID, "staff")
	if !strings.Contains(c.Shown(), "Jun Staff") || len(c.Buttons) != 1 {
		t.Fatalf("staff list = %+v", c)
	}
}

func TestStrangerSeesNothing(t *testing.T) {
	h := newHarness(t)
	h.claim()
	note := h.dm(ownerID, "Kim, croissant, allergic to walnuts")
	mark := len(h.fake.chat())

	var answers []apiCall
	answers = append(answers, h.dm(strangeID, "Kim?"))
	answers = append(answers, h.dm(strangeID, "customer Kim"))
	answers = append(answers, h.dm(strangeID, "digest"))
	answers = append(answers, h.dm(strangeID, "Lee, bagel"))
	env, ev, ts := h.ids()
	answers = append(answers, h.pushAndWait(eventEnvelope(env, ev, 0, mentionEvent(counterID, strangeID, "<@"+botUser+"> Kim?", ts, "")), 1)...)
	answers = append(answers, h.press(strangeID, note, note.Buttons[0], 1)...)
	for _, a := range answers {
		if strings.Contains(a.Shown()+a.Text, "Kim") || strings.Contains(a.Shown(), "walnut") {
			t.Errorf("a stranger was shown customer data: %+v", a)
		}
		if !strings.Contains(a.Shown(), "Only the shop's owner and staff") {
			t.Errorf("stranger answer = %q, want the introduction", a.Shown())
		}
		if a.Method != "chat.postMessage" {
			t.Errorf("a stranger's press changed a message: %+v", a)
		}
	}
	if extra := h.settle(mark + len(answers)); len(extra) != 0 {
		t.Fatalf("unexpected calls: %+v", extra)
	}
	if cs, _ := h.db.FindCustomers(h.ctx, h.shop.ID, "Lee"); len(cs) != 0 {
		t.Fatalf("a stranger's note was recorded: %+v", cs)
	}
	if n, err := h.db.LastNote(h.ctx, h.shop.ID, Platform, ownerID); err != nil || n.ID == 0 {
		t.Fatalf("the owner's note was undone by a stranger's press: %v", err)
	}
	if ms, _ := h.db.Memberships(h.ctx, Platform, strangeID); len(ms) != 0 {
		t.Fatalf("the stranger became a member: %+v", ms)
	}
}

func TestRedeliveredEnvelopeHandledOnce(t *testing.T) {
	h := newHarness(t)
	h.claim()
	mark := len(h.fake.chat())
	env, ev, ts := h.ids()
	note := eventEnvelope(env, ev, 0, dmEvent(ownerID, "Kim, croissant", ts))
	h.fake.push(note)
	h.fake.push(note) // the same envelope again
	env2, _, _ := h.ids()
	h.fake.push(eventEnvelope(env2, ev, 1, dmEvent(ownerID, "Kim, croissant", ts))) // the same event in a new envelope
	got := h.settle(mark)
	if len(got) != 1 || !strings.Contains(got[0].Shown(), "Kim") {
		t.Fatalf("answers = %+v, want one confirmation", got)
	}
	if n := h.fake.ackCount(env); n != 2 {
		t.Fatalf("acks of the repeated envelope = %d, want 2", n)
	}
	if n := h.fake.ackCount(env2); n != 1 {
		t.Fatalf("acks of the retry = %d, want 1", n)
	}
	cs, err := h.db.FindCustomers(h.ctx, h.shop.ID, "Kim")
	if err != nil || len(cs) != 1 {
		t.Fatalf("customers = %+v, %v", cs, err)
	}
	visits, err := h.db.Visits(h.ctx, h.shop.ID, cs[0].ID)
	if err != nil || len(visits) != 1 {
		t.Fatalf("visits = %+v, %v; want exactly one", visits, err)
	}
}

func TestMentionAnsweredInThread(t *testing.T) {
	h := newHarness(t)
	h.claim()
	env, ev, ts := h.ids()
	c := h.pushAndWait(eventEnvelope(env, ev, 0, mentionEvent(counterID, ownerID, "<@"+botUser+"> Kim, croissant", ts, "")), 1)[0]
	if c.Channel != counterID || c.ThreadTS != ts || !strings.Contains(c.Shown(), "Kim") || len(c.Buttons) != 1 {
		t.Fatalf("answer to a mention = %+v, want the confirmation in the thread of %s", c, ts)
	}
	// In a thread, the answer stays in that thread.
	env, ev, ts2 := h.ids()
	c2 := h.pushAndWait(eventEnvelope(env, ev, 0, mentionEvent(counterID, ownerID, "<@"+botUser+"|dangol> Kim?", ts2, ts)), 1)[0]
	if c2.ThreadTS != ts || !strings.Contains(c2.Shown(), "Kim") {
		t.Fatalf("answer in a thread = %+v", c2)
	}
	// Undo under the threaded confirmation replaces it.
	u := h.press(ownerID, c, c.Buttons[0], 1)[0]
	if u.Method != "chat.update" || u.Channel != counterID || u.TS != c.TS {
		t.Fatalf("press answer = %+v", u)
	}
	// The bot's own messages and edits are ignored.
	mark := len(h.fake.chat())
	env, ev, ts3 := h.ids()
	own := dmEvent(botUser, "Kim, croissant", ts3)
	own["bot_id"] = "BBOT"
	h.fake.push(eventEnvelope(env, ev, 0, own))
	env, ev, _ = h.ids()
	h.fake.push(eventEnvelope(env, ev, 0, map[string]any{"type": "message", "subtype": "message_changed", "channel": "D" + ownerID,
		"channel_type": "im", "message": map[string]any{"user": ownerID, "text": "Lee, bagel", "ts": ts3}, "ts": ts3}))
	env, ev, ts4 := h.ids()
	h.fake.push(eventEnvelope(env, ev, 0, map[string]any{"type": "message", "channel": counterID, "channel_type": "channel",
		"user": ownerID, "text": "Lee, bagel (no mention)", "ts": ts4}))
	// An event slack-go cannot read is acknowledged all the same, so
	// Slack does not send it again.
	env, ev, _ = h.ids()
	h.fake.push(eventEnvelope(env, ev, 0, map[string]any{"type": "dangol_unknown_event"}))
	if extra := h.settle(mark); len(extra) != 0 {
		t.Fatalf("ignored messages were answered: %+v", extra)
	}
	if cs, _ := h.db.FindCustomers(h.ctx, h.shop.ID, "Lee"); len(cs) != 0 {
		t.Fatalf("an ignored message was recorded: %+v", cs)
	}
}

func TestDigestToChosenChannel(t *testing.T) {
	h := newHarness(t)
	h.claim()
	invite := h.dm(ownerID, "invite")
	h.dm(staffID, "join "+codeRE.FindString(invite.Shown()))
	h.dm(ownerID, "Kim, croissant")

	c := h.dm(ownerID, "settings digest-channel <#"+counterID+"|counter>")
	if !strings.Contains(c.Shown(), "#counter") {
		t.Fatalf("settings answer = %q, want the channel named", c.Shown())
	}
	if v, _ := h.db.ShopSetting(h.ctx, h.shop.ID, crm.SettingSlackDigestChannel); v != counterID {
		t.Fatalf("stored digest channel = %q", v)
	}

	mark := len(h.fake.chat())
	day := h.shop.Today(h.now).AddDays(1)
	pushed, err := h.engine.PushDigest(h.ctx, h.shop, day, map[string]conversation.Sender{Platform: h.bot})
	if err != nil || !pushed {
		t.Fatalf("PushDigest = %v, %v", pushed, err)
	}
	got := h.fake.chat()[mark:]
	if len(got) != 1 || got[0].Channel != counterID || got[0].ThreadTS != "" {
		t.Fatalf("digest posts = %+v, want one post in %s", got, counterID)
	}
	d := got[0]
	if !strings.Contains(d.Shown(), "Whom to greet today") || !strings.Contains(d.Shown(), "Kim") || len(d.Buttons) != 1 ||
		!strings.HasPrefix(d.Buttons[0].Value, "greeted:") {
		t.Fatalf("digest = %+v", d)
	}
	// Staff press "greeted" in the channel: the answer goes to the
	// digest's thread.
	a := h.press(staffID, d, d.Buttons[0], 1)[0]
	if a.Method != "chat.postMessage" || a.Channel != counterID || a.ThreadTS != d.TS || !strings.Contains(a.Shown(), "greeted") {
		t.Fatalf("answer to greeted = %+v", a)
	}

	// A channel typed by name is looked up.
	h.dm(ownerID, "settings digest-channel #counter")
	mark = len(h.fake.chat())
	if _, err := h.engine.PushDigest(h.ctx, h.shop, day.AddDays(1), map[string]conversation.Sender{Platform: h.bot}); err != nil {
		t.Fatal(err)
	}
	got = h.fake.chat()[mark:]
	if len(got) != 1 || got[0].Channel != counterID {
		t.Fatalf("digest posts = %+v, want one post in %s", got, counterID)
	}

	// Back to direct messages: each member gets it.
	h.dm(ownerID, "settings digest-channel dm")
	mark = len(h.fake.chat())
	if _, err := h.engine.PushDigest(h.ctx, h.shop, day.AddDays(2), map[string]conversation.Sender{Platform: h.bot}); err != nil {
		t.Fatal(err)
	}
	var channels []string
	for _, c := range h.fake.chat()[mark:] {
		channels = append(channels, c.Channel)
	}
	slices.Sort(channels)
	if !slices.Equal(channels, []string{"D" + ownerID, "D" + staffID}) {
		t.Fatalf("digest went to %v, want each member's direct messages", channels)
	}
}

func TestDigestChannelNotJoined(t *testing.T) {
	h := newHarness(t)
	h.claim()
	if err := h.db.SetShopSetting(h.ctx, h.shop.ID, crm.SettingSlackDigestChannel, counterID); err != nil {
		t.Fatal(err)
	}
	h.fake.mu.Lock()
	h.fake.postError[counterID] = "not_in_channel"
	h.fake.mu.Unlock()
	mark := len(h.fake.chat())
	if err := h.bot.SendShop(h.ctx, h.shop, []crm.Member{{Platform: Platform, UserID: ownerID}}, conversation.Reply{Text: "digest"}); err != nil {
		t.Fatal(err)
	}
	got := h.fake.chat()[mark:]
	if len(got) != 1 || got[0].Channel != counterID || len(h.fake.joined) != 1 {
		t.Fatalf("posts = %+v, joined = %v; want the channel joined and posted to", got, h.fake.joined)
	}

	// A channel that cannot be posted to: the members get it directly,
	// and the error says so.
	h.fake.mu.Lock()
	h.fake.postError[counterID] = "channel_not_found"
	h.fake.mu.Unlock()
	mark = len(h.fake.chat())
	err := h.bot.SendShop(h.ctx, h.shop, []crm.Member{{Platform: Platform, UserID: ownerID}}, conversation.Reply{Text: "digest"})
	if err == nil || !strings.Contains(err.Error(), "channel_not_found") || !strings.Contains(err.Error(), "directly instead") {
		t.Fatalf("SendShop error = %v", err)
	}
	got = h.fake.chat()[mark:]
	if len(got) != 1 || got[0].Channel != "D"+ownerID {
		t.Fatalf("posts = %+v, want the owner's direct messages", got)
	}
}

func TestSlashCommand(t *testing.T) {
	h := newHarness(t)
	h.claim()
	h.dm(ownerID, "Kim, croissant")
	env, _, _ := h.ids()
	c := h.pushAndWait(slashEnvelope(env, "trig-"+env, ownerID, counterID, "customer Kim"), 1)[0]
	if c.Channel != "D"+ownerID || !strings.Contains(c.Shown(), "Kim") {
		t.Fatalf("answer to /dangol = %+v, want Kim's card in the owner's direct messages", c)
	}
	env, _, _ = h.ids()
	c = h.pushAndWait(slashEnvelope(env, "trig-"+env, ownerID, counterID, "Lee, bagel"), 1)[0]
	if !strings.Contains(c.Shown(), "Lee") || len(c.Buttons) != 1 {
		t.Fatalf("note by /dangol = %+v", c)
	}
}

func TestStartupErrors(t *testing.T) {
	ctx := t.Context()
	h := newHarness(t) // for a handler and a settings store
	cases := []struct{ app, bot, want string }{
		{"xoxb-1", "xoxb-2", "SLACK_APP_TOKEN"},
		{"", "xoxb-2", "SLACK_APP_TOKEN"},
		{"xapp-1", "xapp-2", "SLACK_BOT_TOKEN"},
		{"xapp-1", "xoxp-2", "SLACK_BOT_TOKEN"},
		{"xoxb-2", "xapp-1", "swapped"},
	}
	for _, c := range cases {
		_, err := New(ctx, Config{AppToken: c.app, BotToken: c.bot, APIURL: h.fake.apiURL(), Handler: h.engine, Settings: h.db})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "slack: ") {
			t.Errorf("New(%q, %q) error = %v, want one naming %s", c.app, c.bot, err, c.want)
		}
		if err != nil && (strings.Contains(err.Error(), c.app+"\"") || strings.Contains(err.Error(), "xoxb-2")) {
			t.Errorf("error shows a token: %v", err)
		}
	}

	bad := newFakeSlack(t)
	bad.authError = "invalid_auth"
	_, err := New(ctx, Config{AppToken: "xapp-1", BotToken: "xoxb-2", APIURL: bad.apiURL(), Handler: h.engine, Settings: h.db})
	if err == nil || !strings.Contains(err.Error(), "SLACK_BOT_TOKEN") || !strings.Contains(err.Error(), "invalid_auth") {
		t.Fatalf("New with a rejected bot token: %v", err)
	}

	// A rejected app token fails Run, once, naming the variable.
	bad.authError = ""
	bad.openError = "invalid_auth"
	b, err := New(ctx, Config{AppToken: "xapp-1", BotToken: "xoxb-2", APIURL: bad.apiURL(), Handler: h.engine, Settings: h.db, PingInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithTimeout(ctx, waitFor)
	defer cancel()
	err = b.Run(runCtx)
	if err == nil || !strings.Contains(err.Error(), "SLACK_APP_TOKEN") || runCtx.Err() != nil {
		t.Fatalf("Run with a rejected app token = %v", err)
	}
}

func TestFileWithoutText(t *testing.T) {
	h := newHarness(t)
	h.claim()
	env, ev, ts := h.ids()
	file := dmEvent(ownerID, "", ts)
	file["subtype"] = "file_share"
	file["files"] = []map[string]any{{"id": "F1", "name": "ledger.csv"}}
	c := h.pushAndWait(eventEnvelope(env, ev, 0, file), 1)[0]
	if c.Channel != "D"+ownerID || !strings.Contains(c.Shown(), "only read text") {
		t.Fatalf("answer to a file = %+v", c)
	}
}
