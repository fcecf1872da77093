package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(string) string { return "" }
	err := run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestConsoleFromPipe(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shop.db")
	in := "김민지님 크루아상 하나\n1\n김민지 라떼 두 잔\n김민지?\n"
	out, errOut, err := runCLI(t, in, "--db", db, "--now", "2026-11-26T10:00:00+09:00")
	if err != nil {
		t.Fatalf("run: %v\n%s", err, errOut)
	}
	for _, want := range []string{
		"✓ 김민지 — 크루아상 1 (11/26 목) · 새 고객\n[1] 되돌리기\n",
		"↩ 되돌렸어요: “김민지님 크루아상 하나”\n",
		"✓ 김민지 — 라떼 2 (11/26 목) · 새 고객\n",
		"김민지 · 방문 1회 · 최근 11/26 목\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The database keeps what was said: a second run sees the customer.
	out, _, err = runCLI(t, "김민지?\n", "--db", db, "--now", "2026-11-27T10:00:00+09:00")
	if err != nil || !strings.Contains(out, "김민지 · 방문 1회") {
		t.Fatalf("second run: %v\n%s", err, out)
	}
}

func TestDemoAnswers(t *testing.T) {
	out, errOut, err := runCLI(t, "김민지?\nEmma Kim?\n", "demo", "--now", "2026-11-26T10:00:00+09:00")
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "김민지 · 방문") || !strings.Contains(out, "Emma Kim · 방문") {
		t.Fatalf("demo cards missing:\n%s", out)
	}
}

func TestParseContract(t *testing.T) {
	out, _, err := runCLI(t, "", "parse", "--now", "2026-11-26T10:00:00+09:00", "Jun bought 3 bagels and an espresso yesterday")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"intent":"note","customer":"Jun","items":[{"name":"bagel","qty":3},{"name":"espresso","qty":1}],"date":"2026-11-25","usual_weekday":"","allergies":[],"likes":[],"birthday":"","note":""}` + "\n"
	if out != want {
		t.Fatalf("parse:\n got %s\nwant %s", out, want)
	}
	// Without TEXT: one JSON object per stdin line, in order.
	out, _, err = runCLI(t, "hello\n정유진 매주 토요일 방문\nHana allergic to walnuts\n", "parse", "--now", "2026-11-26T10:00:00+09:00")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 lines, got %q", out)
	}
	var got []map[string]any
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		got = append(got, m)
	}
	if got[0]["intent"] == "note" || got[1]["usual_weekday"] != "saturday" || got[1]["date"] != "" ||
		got[2]["allergies"].([]any)[0] != "walnut" {
		t.Fatalf("parse lines: %v", got)
	}
}

func TestUsageErrors(t *testing.T) {
	if _, _, err := runCLI(t, "", "nosuch"); err != errUsage {
		t.Errorf("unknown command: %v", err)
	}
	if _, _, err := runCLI(t, "", "--lang", "fr"); err == nil {
		t.Errorf("--lang fr accepted")
	}
	if _, _, err := runCLI(t, "", "--now", "yesterday"); err == nil {
		t.Errorf("--now yesterday accepted")
	}
}

func TestMessengerConfigErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shop.db")
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	tests := []struct {
		name string
		env  func(string) string
		args []string
		want string
	}{
		{"slack bot token prefix", env("SLACK_APP_TOKEN", "xapp-1", "SLACK_BOT_TOKEN", "nope"), nil, "SLACK_BOT_TOKEN"},
		{"slack app token missing", env("SLACK_BOT_TOKEN", "xoxb-1"), nil, "SLACK_APP_TOKEN"},
		{"telegram token format", env("TELEGRAM_BOT_TOKEN", "not-a-token"), nil, "telegram"},
		{"webhook without secret", env("TELEGRAM_BOT_TOKEN", "1:abc"), []string{"--telegram-webhook", "https://example.org/hook"}, "TELEGRAM_WEBHOOK_SECRET"},
		{"demo with a messenger", env("TELEGRAM_BOT_TOKEN", "1:abc"), []string{"demo"}, "console only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append([]string{}, tt.args...)
			if len(args) == 0 || args[0] != "demo" {
				args = append(args, "--db", db)
			}
			err := run(context.Background(), args, tt.env, strings.NewReader(""), &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}
