package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/storage"
)

// keys returns a JSON object's keys, sorted.
func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// The rules command's contract: the list, and the dry run's JSON shape.
func TestRulesCommand(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shop.db")
	st, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	shop, err := st.CreateShop(ctx, crm.Shop{Name: "Inn", Lang: "ko"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetShopSetting(ctx, shop.ID, crm.SettingHoldout, "0"); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 9, 1, 12, 0, 0, 0, shop.Location())
	joined, err := st.Join(ctx, crm.JoinInput{ShopID: shop.ID, Platform: "telegram", UserID: "1", Name: "김민지", Lang: "ko",
		Channel: "telegram", Notice: "join/v2/ko", At: at})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{joined.ID} {
		if _, err := st.RecordNote(ctx, crm.NoteInput{ShopID: shop.ID, Platform: "console", AuthorID: "owner", Text: "v", At: at,
			Change: crm.Change{CustomerID: id, UsualWeekday: crm.NoWeekday, Visit: &crm.VisitInput{Date: crm.NewDate(2026, 9, 1)}}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.RecordNote(ctx, crm.NoteInput{ShopID: shop.ID, Platform: "console", AuthorID: "owner", Text: "v", At: at,
		Change: crm.Change{NewName: "박서준", UsualWeekday: crm.NoWeekday, Visit: &crm.VisitInput{Date: crm.NewDate(2026, 9, 2)}}}); err != nil {
		t.Fatal(err)
	}
	rule, err := st.SaveRule(ctx, crm.Rule{ShopID: shop.ID, State: crm.RuleActive, Name: "오랜만 인사", SendAt: "10:00",
		Trigger: crm.Trigger{Kind: crm.TriggerNoVisit, Days: 60},
		Action:  crm.Action{Kind: crm.ActionMessage, Text: "{이름}님, 오랜만이에요!", Purpose: crm.PurposeReminders}}, at)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	out, errOut, err := runCLI(t, "", "rules", "dry-run", "--db", path, "--date", "2026-11-10", "--json")
	if err != nil {
		t.Fatalf("dry-run: %v\n%s", err, errOut)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !slices.Equal(keys(got), []string{"date", "rules"}) || got["date"] != "2026-11-10" {
		t.Fatalf("top level %v", got)
	}
	rules := got["rules"].([]any)
	if len(rules) != 1 {
		t.Fatalf("rules %v", rules)
	}
	r := rules[0].(map[string]any)
	if !slices.Equal(keys(r), []string{"id", "name", "skipped", "would_send"}) || r["id"] != float64(rule.ID) || r["name"] != "오랜만 인사" {
		t.Fatalf("rule %v", r)
	}
	send := r["would_send"].([]any)
	skip := r["skipped"].([]any)
	if len(send) != 1 || len(skip) != 1 {
		t.Fatalf("would_send %v, skipped %v", send, skip)
	}
	s0, k0 := send[0].(map[string]any), skip[0].(map[string]any)
	if !slices.Equal(keys(s0), []string{"customer", "text"}) || s0["customer"] != "김민지" || s0["text"] != "김민지님, 오랜만이에요!" {
		t.Errorf("would_send %v", s0)
	}
	if !slices.Equal(keys(k0), []string{"customer", "why"}) || k0["customer"] != "박서준" || k0["why"] != "no_consent" {
		t.Errorf("skipped %v", k0)
	}
	// Flags before the subcommand, and text.
	out, errOut, err = runCLI(t, "", "rules", "--db", path, "dry-run", "--date", "2026-11-10")
	if err != nil || !strings.Contains(out, "보낼 손님 1명: 김민지") || !strings.Contains(out, "박서준 (수신 동의 없음)") {
		t.Errorf("text dry run: %v\n%s%s", err, out, errOut)
	}
	// A day the rule matches nobody: empty lists, not null.
	out, _, _ = runCLI(t, "", "rules", "dry-run", "--db", path, "--date", "2026-09-05", "--json")
	if !strings.Contains(out, `"would_send":[],"skipped":[]`) {
		t.Errorf("empty day: %s", out)
	}
	// The list.
	out, errOut, err = runCLI(t, "", "rules", "--db", path, "--json")
	var list struct {
		Rules []struct {
			ID      int64          `json:"id"`
			Name    string         `json:"name"`
			State   string         `json:"state"`
			Kind    string         `json:"kind"`
			SendAt  string         `json:"send_at"`
			Trigger map[string]any `json:"trigger"`
			Action  map[string]any `json:"action"`
		} `json:"rules"`
	}
	if err != nil || json.Unmarshal([]byte(out), &list) != nil || len(list.Rules) != 1 || list.Rules[0].State != "active" ||
		list.Rules[0].Kind != "rule:오랜만 인사" || list.Rules[0].Trigger["kind"] != "no_visit" || list.Rules[0].Action["text"] != "{이름}님, 오랜만이에요!" {
		t.Errorf("list: %v %s %s", err, out, errOut)
	}
	out, _, err = runCLI(t, "", "rules", "--db", path)
	if err != nil || !strings.Contains(out, "언제: 60일 동안 방문 없음") {
		t.Errorf("text list: %v %s", err, out)
	}
	// Bad input.
	if _, _, err := runCLI(t, "", "rules", "dry-run", "--db", path, "--date", "10/11"); err == nil {
		t.Error("a bad date")
	}
	if _, _, err := runCLI(t, "", "rules", "--db", path, "--date", "2026-11-10"); err == nil {
		t.Error("--date without dry-run")
	}
	if _, _, err := runCLI(t, "", "rules", "--db", filepath.Join(t.TempDir(), "none.db")); err == nil {
		t.Error("no database")
	}
}
