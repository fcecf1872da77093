package ledger

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/dangol/dangol/crm"
)

func TestReadExcelKorean(t *testing.T) {
	in := "\ufeff날짜;고객;품목;금액;메모;생일\r\n" +
		"2026.11.24;김민지;크루아상 2개, 라떼;\"7,500\";포장;03-14\r\n" +
		"2026/11/25;박서준;라떼2잔;;;\r\n" +
		";이도윤;바게트;;;\r\n" +
		"2026-11-26;;바게트;;;\r\n" +
		"2026-02-30;정하은;바게트;;;\r\n" +
		"\r\n" +
		"2026-11-26;한지민;;;;1990-05-03\r\n"
	rows, problems, err := Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{
		{Line: 2, Date: crm.NewDate(2026, 11, 24), Customer: "김민지", Items: []crm.ItemQty{{Name: "크루아상", Qty: 2}, {Name: "라떼", Qty: 1}}, Amount: 7500, Note: "포장", Birthday: crm.MonthDay{Month: 3, Day: 14}},
		{Line: 3, Date: crm.NewDate(2026, 11, 25), Customer: "박서준", Items: []crm.ItemQty{{Name: "라떼", Qty: 2}}},
		{Line: 8, Date: crm.NewDate(2026, 11, 26), Customer: "한지민", Birthday: crm.MonthDay{Month: 5, Day: 3}},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows:\n got %+v\nwant %+v", rows, want)
	}
	wantP := []Problem{{Line: 4, Code: ProblemBadDate}, {Line: 5, Code: ProblemNoCustomer}, {Line: 6, Code: ProblemBadDate, Value: "2026-02-30"}}
	if !reflect.DeepEqual(problems, wantP) {
		t.Errorf("problems:\n got %+v\nwant %+v", problems, wantP)
	}
}

func TestReadEnglishAnyOrder(t *testing.T) {
	in := "Items,Customer,Date\ncroissant x2; latte ×3,Kim,2026-11-24\n\"bagel *2, espresso\",Jun,2026-11-25\n"
	rows, problems, err := Read(strings.NewReader(in))
	if err != nil || len(problems) != 0 {
		t.Fatal(err, problems)
	}
	if got := FormatItems(rows[0].Items); got != "croissant x2; latte x3" {
		t.Errorf("items 0 = %q", got)
	}
	if got := FormatItems(rows[1].Items); got != "bagel x2; espresso" {
		t.Errorf("items 1 = %q", got)
	}
}

func TestHeaderRequired(t *testing.T) {
	for _, in := range []string{"", "2026-11-24,Kim,croissant\n", "foo,bar\n1,2\n"} {
		if _, _, err := Read(strings.NewReader(in)); err != ErrHeader {
			t.Errorf("%q: err = %v, want ErrHeader", in, err)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	rows := []Row{
		{Date: crm.NewDate(2026, 11, 24), Customer: "김민지", Items: []crm.ItemQty{{Name: "크루아상", Qty: 2}, {Name: "라떼", Qty: 1}}, Amount: 7500, Note: "포장, 아이랑", Birthday: crm.MonthDay{Month: 2, Day: 29}},
		{Date: crm.NewDate(2025, 1, 2), Customer: "Kim \"KJ\" Jisoo", Items: []crm.ItemQty{{Name: "cinnamon roll", Qty: 12}}},
		{Date: crm.NewDate(2025, 1, 3), Customer: "Lee"},
	}
	var buf bytes.Buffer
	if err := Write(&buf, rows); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\ufeffdate,customer,items,amount,note,birthday\r\n")) {
		t.Fatalf("header: %q", buf.String()[:60])
	}
	got, problems, err := Read(&buf)
	if err != nil || len(problems) != 0 {
		t.Fatal(err, problems)
	}
	for i := range got {
		got[i].Line = 0
	}
	if !reflect.DeepEqual(got, rows) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, rows)
	}
}

func TestParseItems(t *testing.T) {
	tests := map[string]string{
		"":               "",
		"croissant":      "croissant",
		"croissant x2":   "croissant x2",
		"크루아상 2개, 라떼 3잔": "크루아상 x2; 라떼 x3",
		"라떼2잔":           "라떼 x2",
		"2 bagels":       "bagels x2",
		"salt bread ×4":  "salt bread x4",
		"7up":            "7up",
	}
	for in, want := range tests {
		items, err := ParseItems(in)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if got := FormatItems(items); got != want {
			t.Errorf("ParseItems(%q) = %q, want %q", in, got, want)
		}
	}
	for _, bad := range []string{"croissant x0", "x2"} {
		if _, err := ParseItems(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
