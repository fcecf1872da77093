// Package ledger reads and writes the owner's visit ledger as CSV, the way
// Excel saves it, and the whole shop as a JSON document (document.go).
//
// Reading streams: a file of any size is read row by row in bounded
// memory. The encoding is detected: UTF-8 with or without a byte-order
// mark, UTF-16 with one (Excel's "Unicode text", tab separated) and
// CP949/EUC-KR (Korean Excel's "CSV (쉼표로 분리)"). The separator is a
// comma, a semicolon or a tab, and the header row names the columns in
// English or Korean, in any order; one row is one visit. Every cell gets
// the same cleaning as chat input (crm.CleanText). A row that cannot be
// read is a Problem, by line, and never stops the rest; only a file that
// cannot be read at all is an error. What Write produces, Read reads back
// without loss.
package ledger

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/dangol/dangol/crm"
)

// Row is one visit of the ledger.
type Row = crm.LedgerRow

// Problem codes for rows that cannot be imported.
const (
	ProblemNoCustomer  = "no_customer"
	ProblemBadDate     = "bad_date"
	ProblemDateRange   = "date_range" // before 1900 or after tomorrow
	ProblemBadAmount   = "bad_amount"
	ProblemBadBirthday = "bad_birthday"
	ProblemBadItems    = "bad_items"
	ProblemBadName     = "bad_name" // a customer name over MaxName characters
	ProblemTooLong     = "too_long" // a line or a cell over the limits
	ProblemBadQuote    = "bad_quote"
)

// Problem is a row that was left out, and why.
type Problem struct {
	Line  int
	Code  string // one of the Problem constants
	Value string // the offending cell, shortened
}

// ErrHeader means the file has no usable header row.
var ErrHeader = errors.New("ledger: the first row must name the columns (date, customer, items …)")

// ErrUnreadable means the file is not a text table at all (a workbook, a
// picture, text in an unknown encoding).
var ErrUnreadable = errors.New("ledger: not a CSV text file")

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

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
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
// comma separated, CRLF line ends, amounts as whole numbers (a currency
// without minor units, such as KRW).
func Write(w io.Writer, rows []Row) error { return WriteCurrency(w, rows, "KRW") }

// WriteCurrency is Write with amounts, kept in minor units, written in the
// major unit of currency (450 → 4.50 for USD).
func WriteCurrency(w io.Writer, rows []Row, currency string) error {
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
			rec[3] = FormatAmount(r.Amount, currency)
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
