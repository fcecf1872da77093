package conversation_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
)

// loopShop gives the chat's shop 40 customers who joined by chat and come
// on today's weekday, so each is in today's digest as usual_weekday, and
// turns the holdout to 50%. It returns them by id, and which the holdout
// keeps back today.
func loopShop(t *testing.T, c *chat) (map[int64]string, map[int64]bool) {
	t.Helper()
	ctx := c.ctx
	if err := c.db.SetShopSetting(ctx, c.shop.ID, crm.SettingHoldout, "50"); err != nil {
		t.Fatal(err)
	}
	c.shop.DigestLimit = 100
	if err := c.db.UpdateShop(ctx, c.shop); err != nil {
		t.Fatal(err)
	}
	today := c.shop.Today(c.now)
	names := map[int64]string{}
	for i := range 40 {
		name := fmt.Sprintf("손님%02d", i+1)
		cust, err := c.db.Join(ctx, crm.JoinInput{ShopID: c.shop.ID, Platform: "telegram", UserID: strconv.Itoa(5000 + i),
			Name: name, Lang: "ko", Channel: "telegram", Notice: "join/v1/ko", At: c.now.AddDate(0, -3, 0)})
		if err != nil {
			t.Fatal(err)
		}
		for w := 1; w <= 8; w++ {
			if _, err := c.db.RecordNote(ctx, crm.NoteInput{ShopID: c.shop.ID, Platform: "console", AuthorID: "owner",
				Text: name + " 방문", At: c.now.AddDate(0, -2, 0), Change: crm.Change{CustomerID: cust.ID, UsualWeekday: crm.NoWeekday,
					Visit: &crm.VisitInput{Date: today.AddDays(-7 * w)}}}); err != nil {
				t.Fatal(err)
			}
		}
		names[cust.ID] = name
	}
	seed, err := c.db.HoldoutSeed(ctx, c.shop.ID)
	if err != nil {
		t.Fatal(err)
	}
	h := crm.Holdout{Percent: 50, Seed: seed}
	held := map[int64]bool{}
	for id := range names {
		if h.Decide(id, string(crm.ReasonUsualWeekday), today).HeldOut {
			held[id] = true
		}
	}
	if len(held) == 0 || len(held) == len(names) {
		t.Fatalf("%d of %d held out: the sweep needs both", len(held), len(names))
	}
	return names, held
}

// checkReply fails when a reply names, or has a button for, a held-out
// customer; it returns how many customers it showed.
func checkReply(t *testing.T, where string, r conversation.Reply, names map[int64]string, held map[int64]bool) int {
	t.Helper()
	shown := 0
	for id, name := range names {
		in := strings.Contains(r.Text, name)
		if held[id] && in {
			t.Errorf("%s: held-out %s shown", where, name)
		}
		if !held[id] && in {
			shown++
		}
		for _, b := range r.Buttons {
			if strings.HasSuffix(b.Action, ":"+strconv.FormatInt(id, 10)) && held[id] {
				t.Errorf("%s: button %q for held-out %s", where, b.Action, name)
			}
		}
	}
	return shown
}

// TestHeldOutEntriesAreNeverShownOrSent sweeps every path a digest entry
// or an automated message takes to the owner or a customer.
func TestHeldOutEntriesAreNeverShownOrSent(t *testing.T) {
	c := newChat(t, "ko")
	names, held := loopShop(t, c)
	ctx := c.ctx
	today := c.shop.Today(c.now)

	// On demand, cut to the limit or all.
	for _, cmd := range []string{"/digest", "/digest all", "오늘"} {
		r := c.say("owner", cmd)
		if n := checkReply(t, cmd, r[0], names, held); n != len(names)-len(held) {
			t.Errorf("%s showed %d of %d", cmd, n, len(names)-len(held))
		}
	}
	// Pushed.
	owner := &recorder{}
	pushed, err := c.engine.PushDigest(ctx, c.shop, today, map[string]conversation.Sender{"console": owner})
	if err != nil || !pushed || len(owner.sent) == 0 {
		t.Fatalf("push: %v %v (%d sent)", pushed, err, len(owner.sent))
	}
	for _, d := range owner.sent {
		checkReply(t, "pushed digest", d.reply, names, held)
	}
	exps, err := c.db.Exposures(ctx, c.shop.ID, today)
	if err != nil {
		t.Fatal(err)
	}
	heldExp := 0
	for _, e := range exps {
		if e.Track != crm.TrackDigest || e.Day != today || e.HeldOut != held[e.CustomerID] || e.Kind != string(crm.ReasonUsualWeekday) {
			t.Errorf("exposure %+v", e)
		}
		if e.HeldOut {
			heldExp++
		}
	}
	if len(exps) != len(names) || heldExp != len(held) {
		t.Errorf("%d exposures, %d held out; want %d, %d", len(exps), heldExp, len(names), len(held))
	}

	// "Send hello" for a held-out customer, from a stale button: refused,
	// nothing drafted or queued.
	for id := range held {
		r := c.press("owner", "hello:"+strconv.FormatInt(id, 10))
		if !strings.Contains(r[0].Text, "비교군") || len(r[0].Buttons) != 0 {
			t.Errorf("hello for held-out %s: %q", names[id], r[0].Text)
		}
		if ms, _ := c.db.OutboxFor(ctx, c.shop.ID, id); len(ms) != 0 {
			t.Errorf("queued for held-out %s: %+v", names[id], ms)
		}
	}
	// A shown customer's hello goes, and becomes an exposure when sent.
	var shownID int64
	for id := range names {
		if !held[id] {
			shownID = id
			break
		}
	}
	r := c.press("owner", "hello:"+strconv.FormatInt(shownID, 10))
	if len(r[0].Buttons) == 0 || !strings.HasPrefix(r[0].Buttons[0].Action, "hsend:") {
		t.Fatalf("hello draft: %+v", r)
	}
	c.press("owner", r[0].Buttons[0].Action)
	c.deliver()

	// Automated messages: a held-out draw is never queued, the rest go.
	h := crm.Holdout{Percent: 50}
	h.Seed, _ = c.db.HoldoutSeed(ctx, c.shop.ID)
	heldAuto := 0
	for id, name := range names {
		d, err := c.engine.SendAutomated(ctx, c.shop, id, "rule:thanks", crm.PurposeReminders, name+"님, 고마워요", nil)
		if err != nil {
			t.Fatal(err)
		}
		want := h.Decide(id, "rule:thanks", today).HeldOut
		ms, _ := c.db.OutboxFor(ctx, c.shop.ID, id)
		queued := slices.ContainsFunc(ms, func(m crm.OutboxMessage) bool { return strings.Contains(m.Text, "고마워요") })
		switch {
		case id == shownID && d.Verdict == crm.VerdictBlock && d.Reason == crm.BlockCap:
			// The hello above used this customer's weekly message.
		case want && (d.Verdict != crm.VerdictHeldOut || queued):
			t.Errorf("%s: held-out automated message %s, queued %v", name, d.Verdict, queued)
		case !want && (d.Verdict == crm.VerdictHeldOut || !queued):
			t.Errorf("%s: automated message %s, queued %v", name, d.Verdict, queued)
		}
		if want {
			heldAuto++
		}
	}
	if heldAuto == 0 {
		t.Fatal("no automated message held out")
	}
	if _, err := c.engine.SendAutomated(ctx, c.shop, shownID, "send", crm.PurposeReminders, "x", nil); err == nil {
		t.Error("a person's kind was sent as automated")
	}
	c.deliver()
	exps, _ = c.db.Exposures(ctx, c.shop.ID, today)
	kinds := map[string]int{}
	for _, e := range exps {
		if e.Track == crm.TrackMessage {
			kinds[e.Kind]++
			if e.Kind == "rule:thanks" && e.HeldOut != h.Decide(e.CustomerID, "rule:thanks", today).HeldOut {
				t.Errorf("automated exposure %+v", e)
			}
		}
	}
	if kinds[crm.SourceHello] != 1 || kinds["rule:thanks"] != len(names)-1 {
		t.Errorf("message exposures %v", kinds)
	}

	// Asked again the same day, the draw is the same.
	checkReply(t, "/digest all again", c.say("owner", "/digest all")[0], names, held)
}

func TestSendAndOfferAreExposuresOfTheirOwn(t *testing.T) {
	c := newChat(t, "ko")
	names, held := loopShop(t, c)
	var id int64
	for i := range held {
		id = i
		break
	}
	// The owner's own words are never held back: /send to a customer the
	// digest holds out goes, and counts as a "send" exposure.
	r := c.say("owner", "/보내기 "+names[id]+" 내일 뵈어요")
	if !strings.Contains(r[0].Text, names[id]) {
		t.Fatalf("send: %q", r[0].Text)
	}
	c.deliver()
	exps, _ := c.db.Exposures(c.ctx, c.shop.ID, c.shop.Today(c.now))
	if len(exps) != 1 || exps[0].Kind != crm.SourceSend || exps[0].CustomerID != id || exps[0].HeldOut {
		t.Fatalf("exposures %+v", exps)
	}
}

func TestReportCommand(t *testing.T) {
	c := newChat(t, "ko")
	loopShop(t, c)
	ctx := c.ctx
	today := c.shop.Today(c.now)
	// Last week's digests, pushed day by day.
	for d := 14; d >= 1; d-- {
		if _, err := c.engine.PushDigest(ctx, c.shop, today.AddDays(-d), map[string]conversation.Sender{"console": &recorder{}}); err != nil {
			t.Fatal(err)
		}
	}
	r := c.say("owner", "/리포트")
	week := crm.WeekOf(today).Prev()
	if !strings.Contains(r[0].Text, week.String()) || !strings.Contains(r[0].Text, "단골 요일") || r[0].Photo == nil {
		t.Fatalf("report: %q (photo %v)", r[0].Text, r[0].Photo != nil)
	}
	img, err := png.Decode(bytes.NewReader(r[0].Photo.Data))
	if err != nil || img.Bounds().Dx() != 900 || img.Bounds().Dy() != 1000 {
		t.Fatalf("chart: %v %v", err, img)
	}
	for _, tt := range []struct{ in, want string }{
		{"/report " + week.Prev().String(), week.Prev().String()},
		{"/주간 2026-W99", "이렇게 써 주세요"},
		{"/report 2099-W01", "아직 오지 않았어요"},
		{"/report " + crm.WeekOf(today).String(), "진행 중"},
	} {
		if got := c.say("owner", tt.in)[0].Text; !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q", tt.in, got)
		}
	}
	// Staff may read it too; in English the words are English.
	if got := c.say("staff", "/report")[0].Text; !strings.Contains(got, week.String()) {
		t.Errorf("staff: %q", got)
	}
}

func TestMondayDigestCarriesLastWeeksReport(t *testing.T) {
	c := newChat(t, "en")
	loopShop(t, c)
	today := c.shop.Today(c.now) // a Thursday
	monday := today.AddDays(4)
	for d := today.AddDays(-10); d.Before(monday); d = d.AddDays(1) {
		owner := &recorder{}
		if _, err := c.engine.PushDigest(c.ctx, c.shop, d, map[string]conversation.Sender{"console": owner}); err != nil {
			t.Fatal(err)
		}
		// Owner and staff: one message each, two on a Monday.
		if want := map[bool]int{false: 2, true: 4}[d.Weekday() == time.Monday]; len(owner.sent) != want {
			t.Fatalf("%v: %d messages, want %d", d, len(owner.sent), want)
		}
	}
	owner := &recorder{}
	if _, err := c.engine.PushDigest(c.ctx, c.shop, monday, map[string]conversation.Sender{"console": owner}); err != nil {
		t.Fatal(err)
	}
	if len(owner.sent) != 4 || !strings.Contains(owner.sent[2].reply.Text, "Weekly report "+crm.WeekOf(today).String()) ||
		owner.sent[2].reply.Photo == nil || owner.sent[2].reply.Text == "" {
		t.Fatalf("monday: %+v", owner.sent)
	}
}

func TestLoopSettings(t *testing.T) {
	f := newFixture(t, "en")
	for _, tt := range []struct{ in, want string }{
		{"/settings holdout 20", "20%"},
		{"/settings holdout 0", "Holdout off"},
		{"/settings holdout 60", "0–50%"},
		{"/settings followup 10", "10 days"},
		{"/settings followup 0", "1–60 days"},
		{"/settings", "holdout: 0%"},
	} {
		if got := f.say("owner", tt.in)[0].Text; !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q", tt.in, got)
		}
	}
	if got := f.say("staff", "/settings holdout 10")[0].Text; strings.Contains(got, "10%") {
		t.Errorf("staff changed the holdout: %q", got)
	}
	if v, _ := f.db.ShopSetting(context.Background(), f.shop.ID, crm.SettingFollowupDays); v != "10" {
		t.Errorf("follow-up setting %q", v)
	}
}
