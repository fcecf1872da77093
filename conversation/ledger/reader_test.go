package ledger

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/korean"

	"github.com/dangol/dangol/crm"
)

func readAll(t *testing.T, data []byte, opt Options) ([]Row, []Problem, *Reader) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(data), opt)
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	var rows []Row
	var problems []Problem
	for {
		row, p, err := r.Next()
		if errors.Is(err, io.EOF) {
			return rows, problems, r
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		if p != nil {
			problems = append(problems, *p)
			continue
		}
		rows = append(rows, row)
	}
}

func cp949(t *testing.T, s string) []byte {
	t.Helper()
	b, err := korean.EUCKR.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func utf16LE(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = append(b, 0xFF, 0xFE)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func utf16BE(s string) []byte {
	b := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}

// Korean Excel's "CSV (쉼표로 분리)" is CP949; its "Unicode text" is
// UTF-16 with a byte-order mark, tab separated. Both read like UTF-8.
func TestEncodings(t *testing.T) {
	text := "날짜,고객,품목,금액,메모\r\n2026-11-20,김민지,\"크루아상 2개, 라떼\",\"4,500원\",똠방각하 창가 자리\r\n"
	want := []Row{{Line: 2, Date: crm.NewDate(2026, 11, 20), Customer: "김민지",
		Items: []crm.ItemQty{{Name: "크루아상", Qty: 2}, {Name: "라떼", Qty: 1}}, Amount: 4500, Note: "똠방각하 창가 자리"}}
	tabbed := "날짜\t고객\t품목\t금액\t메모\r\n2026-11-20\t김민지\t크루아상 2개, 라떼\t4,500원\t똠방각하 창가 자리\r\n"
	for name, c := range map[string]struct {
		data []byte
		enc  string
	}{
		"utf-8":            {[]byte(text), "UTF-8"},
		"utf-8 bom":        {append([]byte("\ufeff"), text...), "UTF-8"},
		"cp949":            {cp949(t, text), "CP949"},
		"utf-16le tabs":    {utf16LE(tabbed, true), "UTF-16LE"},
		"utf-16be tabs":    {utf16BE(tabbed), "UTF-16BE"},
		"utf-16le, no bom": {utf16LE(tabbed, false), "UTF-16LE"},
	} {
		rows, problems, r := readAll(t, c.data, Options{Currency: "KRW"})
		if !reflect.DeepEqual(rows, want) || len(problems) != 0 || r.Encoding() != c.enc {
			t.Errorf("%s: rows %+v, problems %+v, encoding %s", name, rows, problems, r.Encoding())
		}
	}
}

func TestUnreadableFiles(t *testing.T) {
	for name, data := range map[string][]byte{
		"xlsx":   []byte("PK\x03\x04\x14\x00\x06\x00 workbook"),
		"xls":    {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1},
		"binary": bytes.Repeat([]byte{0x00, 0xFF, 0x10, 0x80, 0xC3}, 200),
	} {
		if _, err := NewReader(bytes.NewReader(data), Options{}); !errors.Is(err, ErrUnreadable) {
			t.Errorf("%s: err = %v, want ErrUnreadable", name, err)
		}
	}
	for _, in := range []string{"", "\n\n", "2026-11-24,Kim,croissant\n", "foo,bar\n1,2\n"} {
		if _, err := NewReader(strings.NewReader(in), Options{}); !errors.Is(err, ErrHeader) {
			t.Errorf("%q: err = %v, want ErrHeader", in, err)
		}
	}
}

// One bad row never stops the file: each is a problem by line, and every
// cell is cleaned like chat input.
func TestBadRowsAreListed(t *testing.T) {
	long := strings.Repeat("🥐", 200)
	in := "date,customer,items,note\n" +
		"2026-11-20,Kim,latte,ok\n" + // 2
		"2026-11-20," + long + ",latte,\n" + // 3: 200-emoji name
		"2026-11-20,\"Lee \"the\" baker\",bagel,\n" + // 4: a quote inside a quoted cell
		"2026-11-20,Park,\"scone,\n" + // 5: a stray quote, never closed
		"2026-11-21,Choi,tea,\n" + // 6
		"2026-11-21,Jung\u202e\u200b\xff,tea,\u2066note\u2069\n" + // 7: bidi controls, invalid UTF-8
		"2026-11-21,Han," + strings.Repeat("x", 70<<10) + ",\n" + // 8: a line over 64 KB
		"2026-11-21,Yoon,\"multi\nline\",\n" + // 9-10: a quoted cell over two lines
		"2026-11-22,Seo,cake,\n" // 11
	rows, problems, _ := readAll(t, []byte(in), Options{Today: crm.NewDate(2026, 11, 26)})
	var names []string
	for _, r := range rows {
		names = append(names, r.Customer+"@"+string(rune('0'+r.Line%10)))
	}
	if want := []string{"Kim@2", "Lee \"the\" baker@4", "Choi@6", "Jung@7", "Yoon@9", "Seo@1"}; !reflect.DeepEqual(names, want) {
		t.Errorf("rows %q, want %q", names, want)
	}
	if rows[3].Note != "note" {
		t.Errorf("note %q", rows[3].Note)
	}
	if rows[4].Items[0].Name != "multi line" {
		t.Errorf("multi-line items %+v", rows[4].Items)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.Code+"@"+string(rune('0'+p.Line)))
	}
	if want := []string{"bad_name@3", "bad_quote@5", "too_long@8"}; !reflect.DeepEqual(got, want) {
		t.Errorf("problems %q, want %q", got, want)
	}
	if p := problems[0]; !strings.HasSuffix(p.Value, "…") || len([]rune(p.Value)) > 41 {
		t.Errorf("problem value not shortened: %q", p.Value)
	}
}

// Dates before 1900 and after tomorrow are refused by line; US dates
// read month first in English shops.
func TestDates(t *testing.T) {
	in := "date,customer\n" +
		"0001-01-01,A\n" + "1899-12-31,B\n" + "1900-01-01,C\n" + "2026-11-27,D\n" + "2026-11-28,E\n" +
		"11/20/2026,F\n" + "11/20/26,G\n" + "2026년 11월 20일,H\n" + "2026-11-20 14:30,I\n" + "2026. 11. 20.,J\n" +
		"46346,K\n" + "13/20/2026,L\n"
	rows, problems, _ := readAll(t, []byte(in), Options{Today: crm.NewDate(2026, 11, 26), USDates: true})
	got := map[string]string{}
	for _, r := range rows {
		got[r.Customer] = r.Date.String()
	}
	want := map[string]string{"C": "1900-01-01", "D": "2026-11-27", "F": "2026-11-20", "G": "2026-11-20",
		"H": "2026-11-20", "I": "2026-11-20", "J": "2026-11-20", "K": "2026-11-20"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("dates %v, want %v", got, want)
	}
	var codes []string
	for _, p := range problems {
		codes = append(codes, p.Code)
	}
	if want := []string{ProblemDateRange, ProblemDateRange, ProblemDateRange, ProblemBadDate}; !reflect.DeepEqual(codes, want) {
		t.Errorf("problems %v, want %v", problems, want)
	}
	// A Korean shop reads 20/11/2026 day first, and 11/20/2026 not at all.
	rows, problems, _ = readAll(t, []byte("date,customer\n20/11/2026,A\n11/20/2026,B\n"), Options{})
	if len(rows) != 1 || rows[0].Date != crm.NewDate(2026, 11, 20) || len(problems) != 1 || problems[0].Line != 3 {
		t.Errorf("day first: %+v %+v", rows, problems)
	}
}

func TestAmounts(t *testing.T) {
	for _, c := range []struct {
		in, currency string
		want         int64
		ok           bool
	}{
		{"$4.50", "USD", 450, true},
		{"4.50", "USD", 450, true},
		{"4", "USD", 400, true},
		{"US$ 1,234.5", "USD", 123450, true},
		{"4.50 USD", "USD", 450, true},
		{"₩4,500", "KRW", 4500, true},
		{"4,500원", "KRW", 4500, true},
		{"4500.00", "KRW", 4500, true},
		{"KRW 4500", "KRW", 4500, true},
		{"", "KRW", 0, true},
		{"-", "USD", 0, true},
		{"$4.50", "KRW", 0, false},
		{"4,500원", "USD", 0, false},
		{"4.505", "USD", 0, false},
		{"4500.5", "KRW", 0, false},
		{"-3", "KRW", 0, false},
		{"abc", "USD", 0, false},
	} {
		got, err := ParseAmount(c.in, c.currency)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseAmount(%q, %s) = %d, %v", c.in, c.currency, got, err)
		}
	}
	if got := FormatAmount(450, "USD"); got != "4.50" {
		t.Errorf("FormatAmount = %q", got)
	}
	if got := FormatAmount(5, "USD"); got != "0.05" {
		t.Errorf("FormatAmount = %q", got)
	}
}

// A USD ledger written by WriteCurrency reads back the same.
func TestWriteCurrencyRoundTrip(t *testing.T) {
	rows := []Row{{Date: crm.NewDate(2026, 11, 20), Customer: "Kim", Items: []crm.ItemQty{{Name: "latte", Qty: 2}}, Amount: 905}}
	var buf bytes.Buffer
	if err := WriteCurrency(&buf, rows, "USD"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), ",9.05,") {
		t.Fatalf("written %q", buf.String())
	}
	back, problems, _ := readAll(t, buf.Bytes(), Options{Currency: "USD"})
	back[0].Line = 0
	if len(problems) != 0 || !reflect.DeepEqual(back, rows) {
		t.Fatalf("read back %+v %+v", back, problems)
	}
}

// The reader keeps nothing but the current row: a large file streams.
func TestLargeFileStreams(t *testing.T) {
	const n = 200_000
	pr, pw := io.Pipe()
	go func() {
		pw.Write([]byte("date,customer,items\n"))
		line := []byte("2026-11-20,Kim Minji,croissant x2; latte\n")
		for range n {
			pw.Write(line)
		}
		pw.Close()
	}()
	r, err := NewReader(pr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for {
		_, p, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil || p != nil {
			t.Fatal(err, p)
		}
		count++
	}
	if count != n || r.Line() != n+1 {
		t.Fatalf("%d rows, %d lines", count, r.Line())
	}
}
