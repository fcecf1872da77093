package main

import (
	"encoding/json"
	"strings"
	"testing"
)

const parseNow = "2026-11-26T10:00:00+09:00"

// TestParseContractKeys: new keys appear only when set, so an old note's
// line is byte-identical; several customers add "customers".
func TestParseContractKeys(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"김도현님 어제 라떼 세 잔", `{"intent":"note","customer":"김도현","items":[{"name":"라떼","qty":3}],"date":"2026-11-25","usual_weekday":"","allergies":[],"likes":[],"birthday":"","note":""}`},
		{"Tom 2 croissants, Sarah 1 latte", `{"intent":"note","customer":"Tom","items":[{"name":"croissant","qty":2}],"date":"2026-11-26","usual_weekday":"","allergies":[],"likes":[],"birthday":"","note":"","customers":[{"customer":"Tom","items":[{"name":"croissant","qty":2}],"date":"2026-11-26","usual_weekday":"","allergies":[],"likes":[],"birthday":"","note":""},{"customer":"Sarah","items":[{"name":"latte","qty":1}],"date":"2026-11-26","usual_weekday":"","allergies":[],"likes":[],"birthday":"","note":""}]}`},
		{"다음주 화요일 박서준 케이크 예약 2호 3만원", `{"intent":"note","customer":"박서준","items":[{"name":"케이크","qty":1,"mods":["2호"]}],"date":"2026-12-01","usual_weekday":"","allergies":[],"likes":[],"birthday":"","note":"","booking":{"date":"2026-12-01","what":"케이크 2호","amount":{"minor":30000,"currency":"KRW"}}}`},
		{"김민지 딸기 알레르기 아님", `{"intent":"note","customer":"김민지","items":[],"date":"","usual_weekday":"","allergies":[],"likes":[],"birthday":"","note":"","remove":[{"kind":"allergy","value":"딸기"}]}`},
		{"oh wait 3", `{"intent":"correction","customer":"","items":[],"date":"","usual_weekday":"","allergies":[],"likes":[],"birthday":"","note":"","correction":{"qty":3}}`},
		{"오늘 생일인 사람?", `{"intent":"question","customer":"","items":[],"date":"","usual_weekday":"","allergies":[],"likes":[],"birthday":"","note":"","question":{"kind":"birthdays","from":"2026-11-26","to":"2026-11-26"}}`},
		{"김민지 체크아웃", `{"intent":"note","customer":"김민지","items":[],"date":"","usual_weekday":"","allergies":[],"likes":[],"birthday":"","note":"체크아웃","unknown":["체크아웃"]}`},
	} {
		out, _, err := runCLI(t, "", "parse", "--now", parseNow, c.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(out); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

func TestParseExplainAndCurrency(t *testing.T) {
	out, _, err := runCLI(t, "", "parse", "--now", parseNow, "--explain", "Kim paid 12.50, 2 lattes")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Amount struct {
			Minor    int64
			Currency string
		}
		Spans []struct {
			Start, End int
			Text, Role string
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	roles := map[string]string{}
	for _, sp := range got.Spans {
		roles[sp.Text] = sp.Role
	}
	if roles["Kim"] != "name" || roles["12.50"] != "amount" || roles["lattes"] != "item" || roles["2"] != "qty" {
		t.Errorf("spans %+v", got.Spans)
	}
	if got.Amount.Minor != 1250 || got.Amount.Currency != "USD" {
		t.Errorf("amount %+v", got.Amount)
	}
	out, _, err = runCLI(t, "", "parse", "--now", parseNow, "--currency", "gbp", "Kim paid 12.50")
	if err != nil || !strings.Contains(out, `"amount":{"minor":1250,"currency":"GBP"}`) || strings.Contains(out, "spans") {
		t.Errorf("--currency gbp: %v %s", err, out)
	}
	if _, _, err := runCLI(t, "", "parse", "--currency", "pounds", "Kim"); err == nil {
		t.Error("--currency pounds: no error")
	}
}
