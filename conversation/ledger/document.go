package ledger

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// Schema is the version of the JSON document Write... and ReadDocument
// speak. A new kind of data (bookings, a lexicon, rules) is a new
// top-level section; a change to an existing one raises the version.
const Schema = 1

// The JSON document is one object:
//
//	{"schema": 1,
//	 "shop": {"name", "lang", "time_zone", "digest_time", "lapsed_days",
//	          "digest_limit", "code", "created_at", "settings": {key: value}},
//	 "items": [{"name", "aliases": […]}],
//	 "customers": [{"name", "aliases", "birthday": "MM-DD",
//	                "usual_weekday": "monday"…, "created_at",
//	                "facts": [{"kind", "value", "created_at"}],
//	                "visits": [{"date", "items": [{"name", "qty"}], "amount",
//	                            "note", "context": […], "key"}]}]}
//
// Times are RFC 3339 in UTC, dates YYYY-MM-DD, amounts in the currency's
// minor unit; empty fields are left out. "key" is a visit's import key
// (see storage), kept so that importing the same ledger again after a
// restore adds nothing.

type docShop struct {
	Name        string            `json:"name"`
	Lang        string            `json:"lang"`
	TimeZone    string            `json:"time_zone"`
	DigestTime  string            `json:"digest_time"`
	LapsedDays  int               `json:"lapsed_days"`
	DigestLimit int               `json:"digest_limit"`
	Code        string            `json:"code,omitempty"`
	CreatedAt   string            `json:"created_at,omitempty"`
	Settings    map[string]string `json:"settings,omitempty"`
}

type docItem struct {
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
}

type docCustomer struct {
	Name         string     `json:"name"`
	Aliases      []string   `json:"aliases,omitempty"`
	Birthday     string     `json:"birthday,omitempty"`
	UsualWeekday string     `json:"usual_weekday,omitempty"`
	CreatedAt    string     `json:"created_at,omitempty"`
	Facts        []docFact  `json:"facts,omitempty"`
	Visits       []docVisit `json:"visits,omitempty"`
}

type docFact struct {
	Kind      string `json:"kind"`
	Value     string `json:"value"`
	CreatedAt string `json:"created_at,omitempty"`
}

type docVisit struct {
	Date    string    `json:"date"`
	Items   []docLine `json:"items,omitempty"`
	Amount  int64     `json:"amount,omitempty"`
	Note    string    `json:"note,omitempty"`
	Context []string  `json:"context,omitempty"`
	Key     int64     `json:"key,omitempty"`
}

type docLine struct {
	Name string `json:"name"`
	Qty  int    `json:"qty"`
}

var weekdays = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

func docTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func parseDocTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

// DocWriter writes the JSON document, customer by customer: one line for
// the shop, one per item and one per customer.
type DocWriter struct {
	w *bufio.Writer
	n int
}

// encode is json.Marshal without HTML escaping.
func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("ledger: write document: %w", err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// NewDocWriter starts a document with the shop's own part.
func NewDocWriter(w io.Writer, d crm.ShopData) (*DocWriter, error) {
	bw := bufio.NewWriter(w)
	s := d.Shop
	shop := docShop{Name: s.Name, Lang: s.Lang, TimeZone: s.TimeZone, DigestTime: s.DigestTime, LapsedDays: s.LapsedDays,
		DigestLimit: s.DigestLimit, Code: s.Code, CreatedAt: docTime(s.CreatedAt), Settings: d.Settings}
	if len(shop.Settings) == 0 {
		shop.Settings = nil
	}
	b, err := encode(shop)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(bw, "{\"schema\": %d,\n\"shop\": %s,\n\"items\": [", Schema, b)
	for i, it := range d.Items {
		b, err := encode(docItem{Name: it.Name, Aliases: it.Aliases})
		if err != nil {
			return nil, err
		}
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n  ")
		bw.Write(b)
	}
	bw.WriteString("],\n\"customers\": [")
	return &DocWriter{w: bw}, nil
}

// Customer writes one customer.
func (d *DocWriter) Customer(c crm.CustomerData) error {
	dc := docCustomer{Name: c.Name, Aliases: c.Aliases, Birthday: c.Birthday.String(), CreatedAt: docTime(c.CreatedAt)}
	if c.UsualWeekday >= time.Sunday && c.UsualWeekday <= time.Saturday {
		dc.UsualWeekday = weekdays[c.UsualWeekday]
	}
	for _, f := range c.Facts {
		dc.Facts = append(dc.Facts, docFact{Kind: string(f.Kind), Value: f.Value, CreatedAt: docTime(f.CreatedAt)})
	}
	for _, v := range c.Visits {
		dv := docVisit{Date: v.Date.String(), Amount: v.Amount, Note: v.Note, Context: v.Context, Key: v.Key}
		for _, it := range v.Items {
			dv.Items = append(dv.Items, docLine{Name: it.Name, Qty: it.Qty})
		}
		dc.Visits = append(dc.Visits, dv)
	}
	b, err := encode(dc)
	if err != nil {
		return err
	}
	if d.n > 0 {
		d.w.WriteString(",")
	}
	d.n++
	d.w.WriteString("\n  ")
	d.w.Write(b)
	return nil
}

// Close ends the document and flushes it.
func (d *DocWriter) Close() error {
	d.w.WriteString("\n]}\n")
	if err := d.w.Flush(); err != nil {
		return fmt.Errorf("ledger: write document: %w", err)
	}
	return nil
}

// ErrDocument means a JSON document cannot be read: not Dangol's, from a
// newer Dangol, or damaged.
var ErrDocument = errors.New("ledger: not a Dangol export")

// DocReader reads a JSON document, customer by customer.
type DocReader struct {
	dec  *json.Decoder
	open bool // inside the customers array
	done bool
}

// ReadDocument reads the document up to its customers: its schema, the
// shop's own part and the item catalog. The sections must come in that
// order, as DocWriter writes them; an unknown section is refused rather
// than dropped.
func ReadDocument(r io.Reader) (*DocReader, crm.ShopData, error) {
	var data crm.ShopData
	bad := func(format string, args ...any) (*DocReader, crm.ShopData, error) {
		return nil, data, fmt.Errorf("%w: %s", ErrDocument, fmt.Sprintf(format, args...))
	}
	dec := json.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return bad("not a JSON object")
	}
	schema := 0
	d := &DocReader{dec: dec}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return bad("%v", err)
		}
		key, _ := t.(string)
		switch key {
		case "schema":
			if err := dec.Decode(&schema); err != nil {
				return bad("schema: %v", err)
			}
			if schema < 1 {
				return bad("schema %d", schema)
			}
			if schema > Schema {
				return bad("schema %d is from a newer Dangol (this one reads up to %d)", schema, Schema)
			}
		case "shop":
			var s docShop
			if err := dec.Decode(&s); err != nil {
				return bad("shop: %v", err)
			}
			created, err := parseDocTime(s.CreatedAt)
			if err != nil {
				return bad("shop created_at: %v", err)
			}
			data.Shop = crm.Shop{Name: s.Name, Lang: s.Lang, TimeZone: s.TimeZone, DigestTime: s.DigestTime,
				LapsedDays: s.LapsedDays, DigestLimit: s.DigestLimit, Code: s.Code, CreatedAt: created}
			data.Settings = s.Settings
		case "items":
			var items []docItem
			if err := dec.Decode(&items); err != nil {
				return bad("items: %v", err)
			}
			for _, it := range items {
				data.Items = append(data.Items, crm.ItemData{Name: it.Name, Aliases: it.Aliases})
			}
		case "customers":
			if schema == 0 {
				return bad("no schema before the customers")
			}
			if t, err := dec.Token(); err != nil || t != json.Delim('[') {
				return bad("customers is not a list")
			}
			d.open = true
			return d, data, nil
		default:
			return bad("unknown section %q (from a newer Dangol?)", key)
		}
	}
	if schema == 0 {
		return bad("no schema")
	}
	d.done = true
	return d, data, nil
}

// Next returns the next customer; ok is false after the last.
func (d *DocReader) Next() (c crm.CustomerData, ok bool, err error) {
	if d.done {
		return c, false, nil
	}
	if !d.dec.More() {
		if _, err := d.dec.Token(); err != nil { // ]
			return c, false, fmt.Errorf("%w: %v", ErrDocument, err)
		}
		if d.dec.More() {
			t, _ := d.dec.Token()
			return c, false, fmt.Errorf("%w: unknown section %v after the customers", ErrDocument, t)
		}
		d.done = true
		return c, false, nil
	}
	var dc docCustomer
	if err := d.dec.Decode(&dc); err != nil {
		return c, false, fmt.Errorf("%w: customer: %v", ErrDocument, err)
	}
	c = crm.CustomerData{Name: dc.Name, Aliases: dc.Aliases, UsualWeekday: crm.NoWeekday}
	if dc.Birthday != "" {
		if c.Birthday, err = crm.ParseMonthDay(dc.Birthday); err != nil {
			return c, false, fmt.Errorf("%w: customer %q: birthday %q", ErrDocument, dc.Name, dc.Birthday)
		}
	}
	if dc.UsualWeekday != "" {
		i := -1
		for j, w := range weekdays {
			if strings.EqualFold(w, dc.UsualWeekday) {
				i = j
			}
		}
		if i < 0 {
			return c, false, fmt.Errorf("%w: customer %q: weekday %q", ErrDocument, dc.Name, dc.UsualWeekday)
		}
		c.UsualWeekday = time.Weekday(i)
	}
	if c.CreatedAt, err = parseDocTime(dc.CreatedAt); err != nil {
		return c, false, fmt.Errorf("%w: customer %q: %v", ErrDocument, dc.Name, err)
	}
	for _, f := range dc.Facts {
		at, err := parseDocTime(f.CreatedAt)
		if err != nil {
			return c, false, fmt.Errorf("%w: customer %q: %v", ErrDocument, dc.Name, err)
		}
		c.Facts = append(c.Facts, crm.FactData{Kind: crm.FactKind(f.Kind), Value: f.Value, CreatedAt: at})
	}
	for _, v := range dc.Visits {
		date, err := crm.ParseDate(v.Date)
		if err != nil {
			return c, false, fmt.Errorf("%w: customer %q: visit date %q", ErrDocument, dc.Name, v.Date)
		}
		cv := crm.VisitData{Date: date, Amount: v.Amount, Note: v.Note, Context: v.Context, Key: v.Key}
		for _, l := range v.Items {
			cv.Items = append(cv.Items, crm.ItemQty{Name: l.Name, Qty: l.Qty})
		}
		c.Visits = append(c.Visits, cv)
	}
	return c, true, nil
}
