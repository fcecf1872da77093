// Package ledger reads and writes the owner's visit ledger as CSV, the way
// Excel saves it: UTF-8 with or without a byte-order mark, comma or
// semicolon separated, a header row in English or Korean, one row per
// visit. What Write produces, Read reads back without loss.
package ledger

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/dangol/dangol/crm"
)

// Row is one visit of the ledger.
type Row = crm.LedgerRow

// Problem codes for rows that cannot be imported.
const (
	ProblemNoCustomer  = "no_customer"
	ProblemBadDate     = "bad_date"
	ProblemBadAmount   = "bad_amount"
	ProblemBadBirthday = "bad_birthday"
	ProblemBadItems    = "bad_items"
)

// Problem is a row that was left out, and why.
type Problem struct {
	Line  int
	Code  string // one of the Problem constants
	Value string // the offending cell
}

// ErrHeader means the file has no usable header row.
var ErrHeader = errors.New("ledger: the first row must name the columns (date, customer, items …)")

// columns maps every accepted header to its column.
func column(h string) string {
	switch strings.ToLower(strings.TrimSpace(h)) {
	case "date", "날짜", "일자", "방문일":
		return "date"
	case "customer", "name", "고객", "이름", "고객명":
		return "customer"
	case "items", "item", "품목", "구매품목", "상품":
		return "items"
	case "amount", "금액", "결제금액":
		return "amount"
	case "note", "notes", "메모", "비고":
		return "note"
	case "birthday", "생일":
		return "birthday"
	}
	return ""
}

// Read parses a ledger. Rows that cannot be read are returned as problems;
// the error is only for a file that cannot be read at all.
func Read(r io.Reader) ([]Row, []Problem, error) {
	br := bufio.NewReaderSize(r, 64*1024)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	first, err := br.Peek(4096)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, nil, fmt.Errorf("ledger: read: %w", err)
	}
	head, _, _ := bytes.Cut(first, []byte("\n"))
	cr := csv.NewReader(br)
	if bytes.Count(head, []byte(";")) > bytes.Count(head, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, nil, ErrHeader
	}
	idx := map[string]int{}
	for i, h := range header {
		if c := column(h); c != "" {
			if _, dup := idx[c]; !dup {
				idx[c] = i
			}
		}
	}
	if _, ok := idx["customer"]; !ok {
		return nil, nil, ErrHeader
	}
	if _, ok := idx["date"]; !ok {
		return nil, nil, ErrHeader
	}
	cell := func(rec []string, c string) string {
		if i, ok := idx[c]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var rows []Row
	var problems []Problem
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				problems = append(problems, Problem{Line: pe.StartLine, Code: ProblemBadItems})
				continue
			}
			return nil, nil, fmt.Errorf("ledger: read: %w", err)
		}
		if blank(rec) {
			continue
		}
		row := Row{Line: line, Customer: cell(rec, "customer"), Note: cell(rec, "note")}
		if row.Customer == "" {
			problems = append(problems, Problem{Line: line, Code: ProblemNoCustomer})
			continue
		}
		if row.Date, err = ParseDate(cell(rec, "date")); err != nil {
			problems = append(problems, Problem{Line: line, Code: ProblemBadDate, Value: cell(rec, "date")})
			continue
		}
		if row.Amount, err = parseAmount(cell(rec, "amount")); err != nil {
			problems = append(problems, Problem{Line: line, Code: ProblemBadAmount, Value: cell(rec, "amount")})
			continue
		}
		if b := cell(rec, "birthday"); b != "" {
			if row.Birthday, err = parseBirthday(b); err != nil {
				problems = append(problems, Problem{Line: line, Code: ProblemBadBirthday, Value: b})
				continue
			}
		}
		if row.Items, err = ParseItems(cell(rec, "items")); err != nil {
			problems = append(problems, Problem{Line: line, Code: ProblemBadItems, Value: cell(rec, "items")})
			continue
		}
		rows = append(rows, row)
	}
	return rows, problems, nil
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// ParseDate reads YYYY-MM-DD, YYYY.MM.DD or YYYY/MM/DD (one-digit months
// and days too, and a trailing dot as in 2026.11.24.).
func ParseDate(s string) (crm.Date, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	f := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '.' || r == '/' || r == ' ' })
	if len(f) != 3 || len(f[0]) != 4 {
		return crm.Date{}, fmt.Errorf("ledger: date %q: %w", s, crm.ErrInvalidInput)
	}
	y, err1 := strconv.Atoi(f[0])
	m, err2 := strconv.Atoi(f[1])
	d, err3 := strconv.Atoi(f[2])
	if err1 != nil || err2 != nil || err3 != nil || m < 1 || m > 12 || d < 1 || d > 31 {
		return crm.Date{}, fmt.Errorf("ledger: date %q: %w", s, crm.ErrInvalidInput)
	}
	date := crm.NewDate(y, time.Month(m), d)
	if date.Day != d {
		return crm.Date{}, fmt.Errorf("ledger: date %q: no such day: %w", s, crm.ErrInvalidInput)
	}
	return date, nil
}

func parseBirthday(s string) (crm.MonthDay, error) {
	if len(s) >= 8 && strings.Count(s, "-")+strings.Count(s, ".")+strings.Count(s, "/") == 2 {
		d, err := ParseDate(s)
		if err != nil {
			return crm.MonthDay{}, err
		}
		return crm.MonthDay{Month: d.Month, Day: d.Day}, nil
	}
	return crm.ParseMonthDay(strings.NewReplacer("/", "-", ".", "-").Replace(s))
}

func parseAmount(s string) (int64, error) {
	s = strings.Map(func(r rune) rune {
		if r == ',' || r == '₩' || r == '$' || r == '원' || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	if s == "" {
		return 0, nil
	}
	if whole, frac, ok := strings.Cut(s, "."); ok && strings.Trim(frac, "0") == "" {
		s = whole
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("ledger: amount %q: %w", s, crm.ErrInvalidInput)
	}
	return n, nil
}

// counters are the Korean counting words accepted after a quantity.
const counters = "개잔병봉판장컵팩통권"

// ParseItems reads "croissant x2; latte" or "크루아상 2개, 라떼": items
// separated by ; or , with a quantity written x2, ×2, *2, 2개, 2잔 … (1 when
// none).
func ParseItems(s string) ([]crm.ItemQty, error) {
	var out []crm.ItemQty
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == '、' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, qty := splitQty(part)
		if name == "" || qty < 1 || qty > 9999 {
			return nil, fmt.Errorf("ledger: item %q: %w", part, crm.ErrInvalidInput)
		}
		out = append(out, crm.ItemQty{Name: name, Qty: qty})
	}
	return out, nil
}

// splitQty separates "croissant x2", "croissant ×2", "라떼 2잔", "라떼2잔",
// "2 croissant" into a name and a quantity.
func splitQty(s string) (string, int) {
	f := strings.Fields(s)
	last := f[len(f)-1]
	if len(f) > 1 {
		if n, ok := qtyWord(last); ok {
			return strings.Join(f[:len(f)-1], " "), n
		}
		if n, err := strconv.Atoi(f[0]); err == nil {
			return strings.Join(f[1:], " "), n
		}
	}
	// Quantity glued to the name: "라떼2잔", "croissantx2".
	r := []rune(s)
	end := len(r)
	if end > 0 && strings.ContainsRune(counters, r[end-1]) {
		end--
	}
	start := end
	for start > 0 && r[start-1] >= '0' && r[start-1] <= '9' {
		start--
	}
	if start < end && start > 0 {
		n, _ := strconv.Atoi(string(r[start:end]))
		name := strings.TrimRight(string(r[:start]), " x×*X")
		if end < len(r) || strings.ContainsAny(string(r[start-1]), "x×*X") {
			return strings.TrimSpace(name), n
		}
	}
	return s, 1
}

// qtyWord reads "x2", "×2", "*2", "2개", "2잔", "2".
func qtyWord(w string) (int, bool) {
	w = strings.TrimLeft(w, "x×*X")
	w = strings.TrimRightFunc(w, func(r rune) bool { return strings.ContainsRune(counters, r) })
	n, err := strconv.Atoi(w)
	return n, err == nil
}

// Write writes rows as an Excel-friendly CSV: UTF-8 with a byte-order mark,
// comma separated, CRLF line ends.
func Write(w io.Writer, rows []Row) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	header := []string{"date", "customer", "items", "amount", "note", "birthday"}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("ledger: write: %w", err)
	}
	rec := make([]string, len(header))
	for _, r := range rows {
		rec[0] = r.Date.String()
		rec[1] = r.Customer
		rec[2] = FormatItems(r.Items)
		rec[3] = ""
		if r.Amount != 0 {
			rec[3] = strconv.FormatInt(r.Amount, 10)
		}
		rec[4] = r.Note
		rec[5] = r.Birthday.String()
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("ledger: write: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("ledger: write: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("ledger: write: %w", err)
	}
	return nil
}

// FormatItems writes items as "croissant x2; latte".
func FormatItems(items []crm.ItemQty) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = it.Name
		if it.Qty != 1 {
			parts[i] += " x" + strconv.Itoa(it.Qty)
		}
	}
	return strings.Join(parts, "; ")
}
