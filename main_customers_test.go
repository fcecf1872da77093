package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dangol/dangol/storage"
)

// The console plays the owner and a customer: /as switches who types,
// and what the outbox delivers to the customer is printed as "→ id: text".
func TestConsolePlaysTheCustomer(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	now := "2026-11-26T10:00:00+09:00"
	if _, _, err := runCLI(t, "/help\n", "--db", db, "--now", now); err != nil {
		t.Fatal(err)
	}
	st, err := storage.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	shops, err := st.Shops(context.Background())
	st.Close()
	if err != nil || len(shops) != 1 {
		t.Fatalf("shops %+v %v", shops, err)
	}
	code := shops[0].Code
	script := strings.Join([]string{
		"김민지 크루아상 11/24",
		"/qr",
		"/as customer 1001",
		"/start " + code,
		"1",  // agree
		"민지", // the name the shop knows
		"/as owner",
		"1", // the same person as 김민지
		"/보내기 김민지 내일 크루아상 나와요",
		"/as customer 1001",
		"수신거부",
		"/as owner",
		"/보내기 김민지 또 안녕하세요",
	}, "\n") + "\n"
	var out, errOut bytes.Buffer
	getenv := func(k string) string {
		if k == "DANGOL_BOT_NAME" {
			return "DangolBot"
		}
		return ""
	}
	if err := run(context.Background(), []string{"--db", db, "--now", now}, getenv, strings.NewReader(script), &out, &errOut); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	got := out.String()
	poster := filepath.Join(dir, "dangol-qr-"+code+".png")
	for _, want := range []string{
		"https://t.me/DangolBot?start=" + code,
		poster,
		"입력하는 사람: 손님 1001\n",
		"동의하시겠어요?\n[1] 동의해요  [2] 괜찮아요\n",
		"반가워요, 민지님!",
		"[1] 김민지님과 같은 분  [2] 새 손님\n",
		"✓ 민지님을 김민지님 카드에 연결했어요.\n",
		"✓ 김민지님께 보냈어요.\n→ 1001: 내일 크루아상 나와요\n",
		"수신거부 처리했어요.",
		"보내지 않았어요: 김민지님이 이런 메시지(방문 알림) 수신에 동의하지 않았어요.\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Count(got, "→ 1001:") != 1 {
		t.Errorf("deliveries to the customer:\n%s", got)
	}
	if fi, err := os.Stat(poster); err != nil || fi.Size() == 0 {
		t.Errorf("poster file: %v", err)
	}
}
