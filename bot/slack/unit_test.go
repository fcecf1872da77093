package slack

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/dangol/dangol/conversation"
)

func TestAsCommand(t *testing.T) {
	cases := map[string]string{
		"undo":                                "/undo",
		"Undo":                                "/Undo",
		"취소":                                  "/취소",
		"undo that please":                    "undo that please", // takes nothing: a note
		"claim 1234-5678":                     "/claim 1234-5678",
		"join 1234 5678":                      "/join 1234 5678",
		"join":                                "/join",
		"join Kim for coffee":                 "join Kim for coffee",
		"등록 김민지":                              "등록 김민지",
		"customer Kim":                        "/customer Kim",
		"digest":                              "/digest",
		"digest all":                          "/digest all",
		"오늘":                                  "/오늘",
		"오늘 김민지 크루아상":                         "오늘 김민지 크루아상", // today, Kim Minji, croissant: a note
		"settings digest-channel #counter":    "/settings digest-channel #counter",
		"settings digest-channel <#C1|c>":     "/settings digest-channel <#C1|c>",
		"Kim, croissant, Thursday":            "Kim, croissant, Thursday",
		"staff":                               "/staff",
		"staff, latte":                        "staff, latte",
		"invite":                              "/invite",
		"/undo":                               "/undo",
		"  help  ":                            "/help",
		"":                                    "",
		"customer, 2 croissants on Tuesday":   "customer, 2 croissants on Tuesday",
		"greeted Kim":                         "/greeted Kim",
		"lang ko":                             "/lang ko",
		"alias croissants = croissant":        "/alias croissants = croissant",
		"rename Kim = Kim Minji":              "/rename Kim = Kim Minji",
		"forget Kim":                          "/forget Kim",
		"today":                               "today", // the engine knows it as a word
		"Kim?":                                "Kim?",
		"helpful Hana, latte":                 "helpful Hana, latte",
		"starting today Kim comes on Mondays": "starting today Kim comes on Mondays",
		"send 김민지 내일 크루아상 나와요": "/send 김민지 내일 크루아상 나와요",
		"보내기 김민지 안녕하세요":        "/보내기 김민지 안녕하세요",
		"qr":                   "/qr",
		"qr code please":       "qr code please",
	}
	for in, want := range cases {
		if got := asCommand(in); got != want {
			t.Errorf("asCommand(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAsSlashCommand(t *testing.T) {
	cases := map[string]string{
		"":                           "/help",
		"undo":                       "/undo",
		"undo that":                  "/undo that",
		"Kim, croissant":             "Kim, croissant",
		"오늘 김민지 크루아상":                "/오늘 김민지 크루아상",
		"claim 1234-5678":            "/claim 1234-5678",
		"/settings digest 8:" + "30": "/settings digest 8:30",
	}
	for in, want := range cases {
		if got := asSlashCommand(in); got != want {
			t.Errorf("asSlashCommand(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUnslash(t *testing.T) {
	cases := map[string]string{
		"Send /help to start.":                        "Send help to start.",
		"+3 more: /digest all":                        "+3 more: digest all",
		"Commands: /undo · /customer NAME · /lang ko": "Commands: undo · customer NAME · lang ko",
		"/도움말 을 보내 보세요.":                              "도움말 을 보내 보세요.",
		"Use a name like Asia/Seoul.":                 "Use a name like Asia/Seoul.",
		"birthday 3/14":                               "birthday 3/14",
		"I don't know the command /frobnicate.":       "I don't know the command /frobnicate.",
		"a /helpful word":                             "a /helpful word",
		"(/undo)":                                     "(undo)",
		"//undo":                                      "//undo",
		"no slash":                                    "no slash",
	}
	for in, want := range cases {
		if got := unslash(in); got != want {
			t.Errorf("unslash(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIncoming(t *testing.T) {
	cases := map[string]string{
		"<@UBOT> Kim, croissant":                "Kim, croissant",
		"<@UBOT|dangol>   undo":                 "undo",
		"Kim &amp; Lee, 2 &lt;3 croissants":     "Kim & Lee, 2 <3 croissants",
		"hey <@UBOT2> and <@UBOT>, Kim?":        "hey <@UBOT2> and , Kim?",
		"<@UOTHER> Kim":                         "<@UOTHER> Kim",
		"settings digest-channel <#C1|counter>": "settings digest-channel <#C1|counter>",
		"  \n ":                                 "",
	}
	for in, want := range cases {
		if got := incoming(in, "UBOT"); got != want {
			t.Errorf("incoming(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestChannelNames(t *testing.T) {
	links := channelLinks("settings digest-channel <#C0COUNTER|counter> and <#C2> and <#C3|x")
	if len(links) != 1 || links["C0COUNTER"] != "#counter" {
		t.Fatalf("links = %v", links)
	}
	got := nameChannels("posted in C0COUNTER (Slack); C0COUNTERX stays", links)
	if got != "posted in #counter (Slack); C0COUNTERX stays" {
		t.Fatalf("nameChannels = %q", got)
	}
}

func TestRecent(t *testing.T) {
	r := newRecent(3, time.Minute)
	t0 := time.Unix(1000, 0)
	if r.add(t0, "envelope:a", "event:1") {
		t.Fatal("first envelope taken for a duplicate")
	}
	if !r.add(t0, "envelope:a") {
		t.Fatal("same envelope not caught")
	}
	if !r.add(t0, "envelope:b", "event:1") {
		t.Fatal("same event in a new envelope not caught")
	}
	// envelope:b was recorded too: the set holds a, 1, b.
	r.add(t0, "envelope:c") // pushes out envelope:a
	if r.add(t0, "envelope:a") {
		t.Fatal("the set kept more than its size")
	}
	later := t0.Add(2 * time.Minute)
	if r.add(later, "envelope:c") {
		t.Fatal("an expired id still counted")
	}
	if len(r.seen) != len(r.order) || len(r.order) > 3 {
		t.Fatalf("set out of step: %d keys, %d in order", len(r.seen), len(r.order))
	}
}

func TestKeyboards(t *testing.T) {
	k := newKeyboards(2)
	if k.gone("D1", "1.0", "undo:1") {
		t.Fatal("an unknown message counts as changed")
	}
	k.set("D1", "1.0", nil)
	if !k.gone("D1", "1.0", "undo:1") {
		t.Fatal("a removed button still counts")
	}
	k.set("D1", "2.0", []string{"forget:3", "cancel"})
	if k.gone("D1", "2.0", "cancel") || !k.gone("D1", "2.0", "undo:1") {
		t.Fatal("buttons of a replaced message misread")
	}
	k.set("D1", "3.0", nil) // pushes out 1.0
	if k.gone("D1", "1.0", "undo:1") {
		t.Fatal("kept more messages than its size")
	}
}

func TestLayout(t *testing.T) {
	blocks, actions := layout("✓ Kim — croissant", []conversation.Button{
		{Label: "Undo", Action: "undo:1"},
		{Label: "Delete Kim", Action: "forget:2"},
		{Label: "Same", Action: "undo:1"},
		{Label: "", Action: ""},
		{Label: strings.Repeat("x", 100), Action: strings.Repeat("a", 300)},
	})
	if len(blocks) != 2 {
		t.Fatalf("%d blocks, want a section and an actions block", len(blocks))
	}
	sec, ok := blocks[0].(*slack.SectionBlock)
	if !ok || sec.Text.Type != slack.PlainTextType || sec.Text.Text != "✓ Kim — croissant" {
		t.Fatalf("section = %+v", blocks[0])
	}
	act, ok := blocks[1].(*slack.ActionBlock)
	if !ok || len(act.Elements.ElementSet) != 4 {
		t.Fatalf("actions = %+v", blocks[1])
	}
	ids := map[string]bool{}
	for i, el := range act.Elements.ElementSet {
		b := el.(*slack.ButtonBlockElement)
		if ids[b.ActionID] || len(b.ActionID) > maxActionID || utf8.RuneCountInString(b.Text.Text) > maxButtonText {
			t.Errorf("button %d breaks Slack's limits: %+v", i, b)
		}
		ids[b.ActionID] = true
		if b.Value != actions[i] {
			t.Errorf("button %d value %q, action %q", i, b.Value, actions[i])
		}
	}
	if b := act.Elements.ElementSet[1].(*slack.ButtonBlockElement); b.Style != slack.StyleDanger {
		t.Errorf("delete button style = %q", b.Style)
	}

	// Long texts and many buttons are spread over blocks.
	var buttons []conversation.Button
	for i := range 30 {
		buttons = append(buttons, conversation.Button{Label: fmt.Sprint(i), Action: fmt.Sprintf("greeted:%d", i)})
	}
	blocks, actions = layout(strings.Repeat("line of the digest\n", 400), buttons)
	sections, rows := 0, 0
	for _, b := range blocks {
		switch b := b.(type) {
		case *slack.SectionBlock:
			sections++
			if utf8.RuneCountInString(b.Text.Text) > maxSectionText {
				t.Errorf("section of %d characters", utf8.RuneCountInString(b.Text.Text))
			}
		case *slack.ActionBlock:
			rows++
			if len(b.Elements.ElementSet) > maxPerActions {
				t.Errorf("actions block of %d buttons", len(b.Elements.ElementSet))
			}
		}
	}
	if sections != 3 || rows != 2 || len(actions) != 30 {
		t.Fatalf("%d sections, %d action rows, %d actions", sections, rows, len(actions))
	}
}

func TestSplitText(t *testing.T) {
	if got := splitText("", 10); len(got) != 0 {
		t.Fatalf("splitText of nothing = %q", got)
	}
	got := splitText("aaaa\nbbbb\ncccc", 10)
	if len(got) != 2 || got[0] != "aaaa\nbbbb" || got[1] != "cccc" {
		t.Fatalf("splitText = %q", got)
	}
	got = splitText(strings.Repeat("가", 25), 10)
	if len(got) != 3 || got[2] != strings.Repeat("가", 5) {
		t.Fatalf("splitText without line breaks = %q", got)
	}
}

func TestConnectError(t *testing.T) {
	err := connectError(errors.New("invalid_auth"))
	if !strings.Contains(err.Error(), "SLACK_APP_TOKEN") {
		t.Fatalf("connectError = %v", err)
	}
	err = connectError(slack.StatusCodeError{Code: 404, Status: "404 Not Found"})
	if !strings.Contains(err.Error(), "Socket Mode") {
		t.Fatalf("connectError(404) = %v", err)
	}
}
