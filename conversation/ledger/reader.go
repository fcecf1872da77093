package ledger

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/dangol/dangol/crm"
)

// Limits of what one row may hold.
const (
	// MaxName is the longest customer name kept, in characters (as
	// storage keeps it).
	MaxName = 100
	// maxNote is the longest note kept, in characters.
	maxNote = 1000
	// maxLine is the longest physical line read, in bytes; a longer one
	// is a problem, skipped without being held in memory.
	maxLine = 64 << 10
	// maxRecordLines is how many lines one quoted cell may span before
	// its opening quote is taken for a stray one.
	maxRecordLines = 20
	// sniffSize is how much of the file decides its encoding.
	sniffSize = 64 << 10
)

// Options say what the shop expects of a ledger.
type Options struct {
	// Today is the shop's day: a date after the day after it is refused.
	// Zero: no upper limit. Dates before 1900 are always refused.
	Today crm.Date
	// USDates reads 11/20/2026 month first (English shops); otherwise a
	// date not starting with its year is read day first.
	USDates bool
	// Currency is the ISO 4217 code of amounts, kept in its minor unit;
	// "" means KRW.
	Currency string
}

// Reader reads a ledger row by row.
type Reader struct {
	opt      Options
	src      *bufio.Reader
	sep      byte
	line     int           // physical lines read
	pending  []pendingLine // lines read ahead that are to be read again
	idx      map[string]int
	encoding string
	rec      []string
}

// Read parses a whole ledger with default options. Rows that cannot be
// read are returned as problems; the error is only for a file that cannot
// be read at all.
func Read(r io.Reader) ([]Row, []Problem, error) {
	lr, err := NewReader(r, Options{})
	if err != nil {
		return nil, nil, err
	}
	var rows []Row
	var problems []Problem
	for {
		row, p, err := lr.Next()
		if errors.Is(err, io.EOF) {
			return rows, problems, nil
		}
		if err != nil {
			return nil, nil, err
		}
		if p != nil {
			problems = append(problems, *p)
			continue
		}
		rows = append(rows, row)
	}
}

// NewReader detects the encoding and separator and reads the header row.
// It fails with ErrUnreadable for a file that is not text, ErrHeader when
// the first row does not name at least the date and customer columns.
func NewReader(r io.Reader, opt Options) (*Reader, error) {
	if opt.Currency == "" {
		opt.Currency = "KRW"
	}
	src, enc, err := decode(r)
	if err != nil {
		return nil, err
	}
	lr := &Reader{opt: opt, src: src, encoding: enc}
	var first []byte
	for {
		line, tooLong, err := lr.readLine()
		if errors.Is(err, io.EOF) && line == nil {
			return nil, ErrHeader
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("ledger: read: %w", err)
		}
		if tooLong {
			return nil, ErrHeader
		}
		if len(bytes.TrimSpace(line)) > 0 {
			first = line
			break
		}
	}
	lr.sep = separator(first)
	lr.pending = append(lr.pending, pendingLine{data: first})
	lr.line--
	header, _, prob, err := lr.record()
	if err != nil || prob != "" {
		return nil, ErrHeader
	}
	lr.idx = map[string]int{}
	for i, h := range header {
		if c := column(crm.CleanText(h)); c != "" {
			if _, dup := lr.idx[c]; !dup {
				lr.idx[c] = i
			}
		}
	}
	if _, ok := lr.idx["customer"]; !ok {
		return nil, ErrHeader
	}
	if _, ok := lr.idx["date"]; !ok {
		return nil, ErrHeader
	}
	return lr, nil
}

// Encoding names the encoding the file was read in: "UTF-8", "UTF-16LE",
// "UTF-16BE" or "CP949".
func (r *Reader) Encoding() string { return r.encoding }

// Line is the number of physical lines read so far.
func (r *Reader) Line() int { return r.line }

// Next returns the next row, or the problem that keeps it out (row is then
// zero), or io.EOF after the last row. Other errors mean the rest of the
// file cannot be read.
func (r *Reader) Next() (Row, *Problem, error) {
	for {
		rec, line, prob, err := r.record()
		if err != nil {
			return Row{}, nil, err
		}
		if prob != "" {
			return Row{}, &Problem{Line: line, Code: prob}, nil
		}
		if blank(rec) {
			continue
		}
		row, p := r.row(rec, line)
		return row, p, nil
	}
}

// row reads one record's cells.
func (r *Reader) row(rec []string, line int) (Row, *Problem) {
	cell := func(c string) string {
		if i, ok := r.idx[c]; ok && i < len(rec) {
			return crm.CleanText(rec[i])
		}
		return ""
	}
	problem := func(code, value string) (Row, *Problem) {
		return Row{}, &Problem{Line: line, Code: code, Value: shorten(value)}
	}
	row := Row{Line: line, Customer: cell("customer")}
	if i, ok := r.idx["note"]; ok && i < len(rec) {
		row.Note = crm.CleanLines(rec[i])
	}
	if row.Customer == "" {
		return problem(ProblemNoCustomer, "")
	}
	if utf8.RuneCountInString(row.Customer) > MaxName {
		return problem(ProblemBadName, row.Customer)
	}
	if utf8.RuneCountInString(row.Note) > maxNote {
		return problem(ProblemTooLong, row.Note)
	}
	date := cell("date")
	d, err := parseDate(date, r.opt.USDates)
	if err != nil {
		return problem(ProblemBadDate, date)
	}
	if checkRange(d, r.opt.Today) != nil {
		return problem(ProblemDateRange, date)
	}
	row.Date = d
	amount := cell("amount")
	if row.Amount, err = ParseAmount(amount, r.opt.Currency); err != nil {
		return problem(ProblemBadAmount, amount)
	}
	if b := cell("birthday"); b != "" {
		if row.Birthday, err = parseBirthday(b); err != nil {
			return problem(ProblemBadBirthday, b)
		}
	}
	items := cell("items")
	if row.Items, err = ParseItems(items); err != nil {
		return problem(ProblemBadItems, items)
	}
	for _, it := range row.Items {
		if utf8.RuneCountInString(it.Name) > MaxName {
			return problem(ProblemBadItems, it.Name)
		}
	}
	return row, nil
}

// shorten keeps a problem's value readable in a chat line.
func shorten(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max]) + "…"
}

// decode returns the file as UTF-8, and the name of the encoding it was in.
func decode(r io.Reader) (*bufio.Reader, string, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(4)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", fmt.Errorf("ledger: read: %w", err)
	}
	utf16 := func(e unicode.Endianness, name string) (*bufio.Reader, string, error) {
		dec := unicode.UTF16(e, unicode.ExpectBOM).NewDecoder()
		return bufio.NewReaderSize(transform.NewReader(br, dec), sniffSize), name, nil
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		return br, "UTF-8", nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return utf16(unicode.LittleEndian, "UTF-16LE")
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return utf16(unicode.BigEndian, "UTF-16BE")
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, "", fmt.Errorf("%w: it is an Excel workbook, not CSV", ErrUnreadable)
	}
	sample, err := br.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", fmt.Errorf("ledger: read: %w", err)
	}
	if zeros := bytes.Count(sample, []byte{0}); zeros > 0 {
		// UTF-16 without a byte-order mark: ASCII has a zero byte after
		// (little endian) or before (big endian) each character.
		odd := 0
		for i := 1; i < len(sample); i += 2 {
			if sample[i] == 0 {
				odd++
			}
		}
		if zeros*10 >= len(sample)/2 && (odd*10 >= zeros*9 || odd*10 <= zeros) {
			e := unicode.LittleEndian
			name := "UTF-16LE"
			if odd*10 <= zeros {
				e, name = unicode.BigEndian, "UTF-16BE"
			}
			dec := unicode.UTF16(e, unicode.IgnoreBOM).NewDecoder()
			return bufio.NewReaderSize(transform.NewReader(br, dec), sniffSize), name, nil
		}
		return nil, "", fmt.Errorf("%w: binary data", ErrUnreadable)
	}
	if looksUTF8(sample) {
		return br, "UTF-8", nil
	}
	// Not UTF-8: Korean Windows' code page 949 (a superset of EUC-KR),
	// unless that makes no sense of it either.
	decoded, _, _ := transform.Bytes(korean.EUCKR.NewDecoder(), sample)
	if bad := strings.Count(string(decoded), "\ufffd"); bad*50 > utf8.RuneCount(decoded)+1 {
		return nil, "", fmt.Errorf("%w: unknown text encoding", ErrUnreadable)
	}
	return bufio.NewReaderSize(transform.NewReader(br, korean.EUCKR.NewDecoder()), sniffSize), "CP949", nil
}

// looksUTF8 reports whether sample reads as UTF-8: no invalid bytes, or
// far more valid multi-byte characters than invalid bytes (a few stray
// bytes in a UTF-8 file are cleaned away later). A character cut at the
// end of the sample does not count.
func looksUTF8(sample []byte) bool {
	valid, invalid := 0, 0
	for i := 0; i < len(sample); {
		c := sample[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(sample[i:])
		if r == utf8.RuneError && size <= 1 {
			if len(sample)-i < utf8.UTFMax && !utf8.FullRune(sample[i:]) {
				break
			}
			invalid++
			i++
			continue
		}
		valid++
		i += size
	}
	return invalid == 0 || valid > 8*invalid
}

// separator picks the header line's separator: the most frequent of tab,
// semicolon and comma outside quotes (comma on a tie).
func separator(line []byte) byte {
	counts := map[byte]int{}
	quoted := false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	sep := byte(',')
	for _, c := range []byte{';', '\t'} {
		if counts[c] > counts[sep] {
			sep = c
		}
	}
	return sep
}

// pendingLine is a line to be read again; a line too long to keep is
// read again as too long.
type pendingLine struct {
	data    []byte
	tooLong bool
}

// readLine returns the next physical line without its line end, counting
// it. A line over maxLine bytes is skipped to its end and reported as too
// long (line nil).
func (r *Reader) readLine() (line []byte, tooLong bool, err error) {
	if n := len(r.pending); n > 0 {
		p := r.pending[0]
		r.pending = r.pending[1:]
		r.line++
		return p.data, p.tooLong, nil
	}
	var buf []byte
	for {
		chunk, err := r.src.ReadSlice('\n')
		if len(buf)+len(chunk) > maxLine {
			tooLong = true
			buf = nil
		} else if !tooLong {
			buf = append(buf, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, false, err
		}
		if err != nil && len(buf) == 0 && !tooLong {
			return nil, false, io.EOF
		}
		r.line++
		if tooLong {
			return nil, true, nil
		}
		buf = bytes.TrimSuffix(buf, []byte("\n"))
		buf = bytes.TrimSuffix(buf, []byte("\r"))
		if buf == nil {
			buf = []byte{}
		}
		return buf, false, err
	}
}

// record reads one CSV record: its fields and first line. A quoted cell
// may span lines; one whose closing quote does not come within
// maxRecordLines lines (or before the end) had a stray quote: its first
// line is reported as a problem and the lines after it are read again. A
// line over maxLine is a problem too. err is io.EOF after the last
// record.
func (r *Reader) record() (fields []string, start int, problem string, err error) {
	line, tooLong, err := r.readLine()
	if err != nil && line == nil && !tooLong {
		return nil, 0, "", err
	}
	start = r.line
	if tooLong {
		return nil, start, ProblemTooLong, nil
	}
	var spill []pendingLine // further lines of a multi-line cell
	fields = r.rec[:0]
	var cell []byte
	i := 0
	for {
		// At the start of a cell.
		cell = cell[:0]
		if i < len(line) && line[i] == '"' {
			i++
			for {
				j := bytes.IndexByte(line[i:], '"')
				if j < 0 {
					// The cell goes on on the next line.
					cell = append(cell, line[i:]...)
					cell = append(cell, '\n')
					next, long, nerr := r.readLine()
					if nerr != nil && !errors.Is(nerr, io.EOF) {
						return nil, start, "", nerr
					}
					if next == nil || long || len(spill) == maxRecordLines {
						// A stray quote: the lines after the first one
						// are read again.
						if next != nil || long {
							spill = append(spill, pendingLine{data: next, tooLong: long})
						}
						r.line -= len(spill)
						r.pending = append(spill, r.pending...)
						return nil, start, ProblemBadQuote, nil
					}
					spill = append(spill, pendingLine{data: next})
					line, i = next, 0
					continue
				}
				cell = append(cell, line[i:i+j]...)
				i += j + 1
				if i < len(line) && line[i] == '"' {
					cell = append(cell, '"') // "" is a quote
					i++
					continue
				}
				if i >= len(line) || line[i] == r.sep {
					break
				}
				// A quote inside a quoted cell, not closing it: keep it.
				cell = append(cell, '"')
			}
		}
		// The rest of the cell, unquoted (quotes in it are kept as they are).
		j := bytes.IndexByte(line[i:], r.sep)
		if j < 0 {
			cell = append(cell, line[i:]...)
			fields = append(fields, string(cell))
			break
		}
		cell = append(cell, line[i:i+j]...)
		fields = append(fields, string(cell))
		i += j + 1
	}
	r.rec = fields
	return fields, start, "", nil
}
