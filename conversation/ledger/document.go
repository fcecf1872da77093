package ledger

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// Schema is the version of the JSON document DocWriter writes; ReadDocument
// reads it and every earlier one. Version 2 added the shop's currency and
// last digest, the lexicon, rules and announcements, and each customer's
// usual time, bookings, fired occasions and digest marks, and each visit's
// currency: fields inside objects that version 1 already had, which a
// version-1 reader would have dropped unseen, hence a new number (a
// version-1 reader refuses a version-2 document). Any addition raises it
// again; a reader refuses a version, section or field it does not know
// rather than drop data.
const Schema = 2

// The JSON document is one object:
//
//	{"schema": 2,
//	 "shop": {"name", "lang", "time_zone", "digest_time", "lapsed_days",
//	          "digest_limit", "code", "currency", "created_at",
//	          "last_digest": "YYYY-MM-DD", "settings": {key: value}},
//	 "items": [{"name", "aliases": […]}],
//	 "lexicon": {word: "item" | "memo" | "ignore"},
//	 "rules": [{"name", "kind", "state": "active" | "paused", "template",
//	            "trigger": {…}, "action": {…}, "send_at", "source",
//	            "next_run", "created_at", "updated_at"}],
//	 "announcements": [{"text", "day", "created_at"}],
//	 "customers": [{"name", "aliases", "birthday": "MM-DD",
//	                "usual_weekday": "monday"…, "usual_time": "HH:MM",
//	                "created_at", "last_greeted", "last_shown_lapsed",
//	                "facts": [{"kind", "value", "created_at"}],
//	                "visits": [{"date", "items": [{"name", "qty"}], "amount",
//	                            "currency", "note", "context": […], "key"}],
//	                "bookings": [{"date", "end", "time", "what", "amount",
//	                              "currency", "created_at"}],
//	                "fired": [{"rule", "occasion", "day", "action",
//	                           "text_hash", "held_out", "topic",
//	                           "answered_at"}]}]}
//
// Times are RFC 3339 in UTC, dates YYYY-MM-DD, amounts in the currency's
// minor unit (a visit's or booking's "currency" is there only when it was
// noted in a currency other than the shop's); empty fields are left out. "key" is a visit's import key (see
// storage), kept so that importing the same ledger again after a restore
// adds nothing. A rule's "trigger" and "action" are crm.Trigger and
// crm.Action. A firing names its rule by the rule's "kind", and a booking
// or an announcement by its place ("booking:#2", "news:#1"; see
// crm.ExportOccasion). The sections come in this order, one line for the
// shop, the lexicon, and each item, rule, announcement and customer, so
// that the same shop always gives the same bytes.

type docShop struct {
	Name        string            `json:"name"`
	Lang        string            `json:"lang"`
	TimeZone    string            `json:"time_zone"`
	DigestTime  string            `json:"digest_time"`
	LapsedDays  int               `json:"lapsed_days"`
	DigestLimit int               `json:"digest_limit"`
	Code        string            `json:"code,omitempty"`
	Currency    string            `json:"currency,omitempty"`
	CreatedAt   string            `json:"created_at,omitempty"`
	LastDigest  string            `json:"last_digest,omitempty"`
	Settings    map[string]string `json:"settings,omitempty"`
}

type docItem struct {
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
}

type docRule struct {
	Name      string      `json:"name"`
	Kind      string      `json:"kind"`
	State     string      `json:"state"`
	Template  string      `json:"template,omitempty"`
	Trigger   crm.Trigger `json:"trigger"`
	Action    crm.Action  `json:"action"`
	SendAt    string      `json:"send_at,omitempty"`
	Source    string      `json:"source,omitempty"`
	NextRun   string      `json:"next_run,omitempty"`
	CreatedAt string      `json:"created_at,omitempty"`
	UpdatedAt string      `json:"updated_at,omitempty"`
}

type docAnnouncement struct {
	Text      string `json:"text"`
	Day       string `json:"day"`
	CreatedAt string `json:"created_at,omitempty"`
}

type docCustomer struct {
	Name            string       `json:"name"`
	Aliases         []string     `json:"aliases,omitempty"`
	Birthday        string       `json:"birthday,omitempty"`
	UsualWeekday    string       `json:"usual_weekday,omitempty"`
	UsualTime       string       `json:"usual_time,omitempty"`
	CreatedAt       string       `json:"created_at,omitempty"`
	LastGreeted     string       `json:"last_greeted,omitempty"`
	LastShownLapsed string       `json:"last_shown_lapsed,omitempty"`
	Facts           []docFact    `json:"facts,omitempty"`
	Visits          []docVisit   `json:"visits,omitempty"`
	Bookings        []docBooking `json:"bookings,omitempty"`
	Fired           []docFiring  `json:"fired,omitempty"`
}

type docFact struct {
	Kind      string `json:"kind"`
	Value     string `json:"value"`
	CreatedAt string `json:"created_at,omitempty"`
}

type docVisit struct {
	Date     string    `json:"date"`
	Items    []docLine `json:"items,omitempty"`
	Amount   int64     `json:"amount,omitempty"`
	Currency string    `json:"currency,omitempty"`
	Note     string    `json:"note,omitempty"`
	Context  []string  `json:"context,omitempty"`
	Key      int64     `json:"key,omitempty"`
}

type docLine struct {
	Name string `json:"name"`
	Qty  int    `json:"qty"`
}

type docBooking struct {
	Date      string `json:"date"`
	End       string `json:"end,omitempty"`
	Time      string `json:"time,omitempty"`
	What      string `json:"what,omitempty"`
	Amount    int64  `json:"amount,omitempty"`
	Currency  string `json:"currency,omitempty"`
	CreatedAt string `json:"created_at,omitempty"`
}

type docFiring struct {
	Rule       string `json:"rule"`
	Occasion   string `json:"occasion"`
	Day        string `json:"day"`
	Action     string `json:"action"`
	TextHash   string `json:"text_hash,omitempty"`
	HeldOut    bool   `json:"held_out,omitempty"`
	Topic      string `json:"topic,omitempty"`
	AnsweredAt string `json:"answered_at,omitempty"`
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
// the shop, the lexicon and each item, rule, announcement and customer.
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

func docDate(d crm.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// writeList writes a list section, one element a line.
func writeList[T any](w *bufio.Writer, name string, list []T, doc func(T) any) error {
	fmt.Fprintf(w, ",\n%q: [", name)
	for i, x := range list {
		b, err := encode(doc(x))
		if err != nil {
			return err
		}
		if i > 0 {
			w.WriteString(",")
		}
		w.WriteString("\n  ")
		w.Write(b)
	}
	w.WriteString("]")
	return nil
}

// NewDocWriter starts a document with the shop's own part.
func NewDocWriter(w io.Writer, d crm.ShopData) (*DocWriter, error) {
	bw := bufio.NewWriter(w)
	s := d.Shop
	shop := docShop{Name: s.Name, Lang: s.Lang, TimeZone: s.TimeZone, DigestTime: s.DigestTime, LapsedDays: s.LapsedDays,
		DigestLimit: s.DigestLimit, Code: s.Code, Currency: s.Currency, CreatedAt: docTime(s.CreatedAt),
		LastDigest: docDate(d.LastDigest), Settings: d.Settings}
	if len(shop.Settings) == 0 {
		shop.Settings = nil
	}
	b, err := encode(shop)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(bw, "{\"schema\": %d,\n\"shop\": %s", Schema, b)
	if err := writeList(bw, "items", d.Items, func(it crm.ItemData) any {
		return docItem{Name: it.Name, Aliases: it.Aliases}
	}); err != nil {
		return nil, err
	}
	lex := d.Lexicon
	if lex == nil {
		lex = map[string]string{}
	}
	if b, err = encode(lex); err != nil { // keys sorted
		return nil, err
	}
	fmt.Fprintf(bw, ",\n\"lexicon\": %s", b)
	if err := writeList(bw, "rules", d.Rules, func(r crm.RuleData) any {
		return docRule{Name: r.Name, Kind: r.Kind, State: string(r.State), Template: r.Template, Trigger: r.Trigger,
			Action: r.Action, SendAt: r.SendAt, Source: r.Source, NextRun: docTime(r.NextRun),
			CreatedAt: docTime(r.CreatedAt), UpdatedAt: docTime(r.UpdatedAt)}
	}); err != nil {
		return nil, err
	}
	if err := writeList(bw, "announcements", d.Announcements, func(a crm.AnnouncementData) any {
		return docAnnouncement{Text: a.Text, Day: docDate(a.Day), CreatedAt: docTime(a.CreatedAt)}
	}); err != nil {
		return nil, err
	}
	bw.WriteString(",\n\"customers\": [")
	return &DocWriter{w: bw}, nil
}

// Customer writes one customer.
func (d *DocWriter) Customer(c crm.CustomerData) error {
	dc := docCustomer{Name: c.Name, Aliases: c.Aliases, Birthday: c.Birthday.String(), UsualTime: c.UsualTime,
		CreatedAt: docTime(c.CreatedAt), LastGreeted: docDate(c.Greeted), LastShownLapsed: docDate(c.LapsedShown)}
	if c.UsualWeekday >= time.Sunday && c.UsualWeekday <= time.Saturday {
		dc.UsualWeekday = weekdays[c.UsualWeekday]
	}
	for _, f := range c.Facts {
		dc.Facts = append(dc.Facts, docFact{Kind: string(f.Kind), Value: f.Value, CreatedAt: docTime(f.CreatedAt)})
	}
	for _, v := range c.Visits {
		dv := docVisit{Date: v.Date.String(), Amount: v.Amount, Currency: v.Currency, Note: v.Note, Context: v.Context, Key: v.Key}
		for _, it := range v.Items {
			dv.Items = append(dv.Items, docLine{Name: it.Name, Qty: it.Qty})
		}
		dc.Visits = append(dc.Visits, dv)
	}
	for _, b := range c.Bookings {
		dc.Bookings = append(dc.Bookings, docBooking{Date: b.Date.String(), End: docDate(b.End), Time: b.Time, What: b.What,
			Amount: b.Amount, Currency: b.Currency, CreatedAt: docTime(b.CreatedAt)})
	}
	for _, f := range c.Fired {
		dc.Fired = append(dc.Fired, docFiring{Rule: f.Rule, Occasion: f.Occasion, Day: f.Day.String(), Action: string(f.Action),
			TextHash: f.TextHash, HeldOut: f.HeldOut, Topic: f.Topic, AnsweredAt: docTime(f.AnsweredAt)})
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
	dec    *json.Decoder
	open   bool // inside the customers array
	done   bool
	schema int
}

// ReadDocument reads the document up to its customers: its schema (1 or
// 2), the shop's own part, the item catalog, the lexicon, rules and
// announcements. The schema comes first and the customers last, as
// DocWriter writes them; a section or field the document's schema does
// not have is refused rather than dropped.
func ReadDocument(r io.Reader) (*DocReader, crm.ShopData, error) {
	var data crm.ShopData
	bad := func(format string, args ...any) (*DocReader, crm.ShopData, error) {
		return nil, data, fmt.Errorf("%w: %s", ErrDocument, fmt.Sprintf(format, args...))
	}
	dec := json.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	dec.DisallowUnknownFields()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return bad("not a JSON object")
	}
	schema := 0
	d := &DocReader{dec: dec}
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return bad("%v", err)
		}
		key, _ := t.(string)
		if seen[key] {
			return bad("two %q sections", key)
		}
		seen[key] = true
		if key != "schema" && schema == 0 {
			return bad("no schema before %q", key)
		}
		if schema == 1 && v2Sections[key] {
			return bad("unknown section %q in a schema 1 document", key)
		}
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
			if schema == 1 && (s.Currency != "" || s.LastDigest != "") {
				return bad("shop: a field of schema 2 in a schema 1 document")
			}
			created, err := parseDocTime(s.CreatedAt)
			if err != nil {
				return bad("shop created_at: %v", err)
			}
			if data.LastDigest, err = parseDocDate(s.LastDigest); err != nil {
				return bad("shop last_digest: %v", err)
			}
			data.Shop = crm.Shop{Name: s.Name, Lang: s.Lang, TimeZone: s.TimeZone, DigestTime: s.DigestTime,
				LapsedDays: s.LapsedDays, DigestLimit: s.DigestLimit, Code: s.Code, Currency: s.Currency, CreatedAt: created}
			data.Settings = s.Settings
		case "items":
			var items []docItem
			if err := dec.Decode(&items); err != nil {
				return bad("items: %v", err)
			}
			for _, it := range items {
				data.Items = append(data.Items, crm.ItemData{Name: it.Name, Aliases: it.Aliases})
			}
		case "lexicon":
			if err := dec.Decode(&data.Lexicon); err != nil {
				return bad("lexicon: %v", err)
			}
			if len(data.Lexicon) == 0 {
				data.Lexicon = nil
			}
		case "rules":
			var rules []docRule
			if err := dec.Decode(&rules); err != nil {
				return bad("rules: %v", err)
			}
			for _, r := range rules {
				rd := crm.RuleData{Name: r.Name, Kind: r.Kind, State: crm.RuleState(r.State), Template: r.Template,
					Trigger: r.Trigger, Action: r.Action, SendAt: r.SendAt, Source: r.Source}
				for _, t := range []struct {
					s  string
					to *time.Time
				}{{r.NextRun, &rd.NextRun}, {r.CreatedAt, &rd.CreatedAt}, {r.UpdatedAt, &rd.UpdatedAt}} {
					if *t.to, err = parseDocTime(t.s); err != nil {
						return bad("rule %q: %v", r.Name, err)
					}
				}
				data.Rules = append(data.Rules, rd)
			}
		case "announcements":
			var news []docAnnouncement
			if err := dec.Decode(&news); err != nil {
				return bad("announcements: %v", err)
			}
			for _, a := range news {
				day, err := crm.ParseDate(a.Day)
				if err != nil {
					return bad("announcement day %q", a.Day)
				}
				at, err := parseDocTime(a.CreatedAt)
				if err != nil {
					return bad("announcement: %v", err)
				}
				data.Announcements = append(data.Announcements, crm.AnnouncementData{Text: a.Text, Day: day, CreatedAt: at})
			}
		case "customers":
			if t, err := dec.Token(); err != nil || t != json.Delim('[') {
				return bad("customers is not a list")
			}
			d.open = true
			d.schema = schema
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

// v2Sections are the sections schema 2 added.
var v2Sections = map[string]bool{"lexicon": true, "rules": true, "announcements": true}

func parseDocDate(s string) (crm.Date, error) {
	if s == "" {
		return crm.Date{}, nil
	}
	return crm.ParseDate(s)
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
	bad := func(format string, args ...any) (crm.CustomerData, bool, error) {
		return c, false, fmt.Errorf("%w: customer %q: %s", ErrDocument, dc.Name, fmt.Sprintf(format, args...))
	}
	if d.schema == 1 && (dc.UsualTime != "" || dc.LastGreeted != "" || dc.LastShownLapsed != "" || len(dc.Bookings) > 0 ||
		len(dc.Fired) > 0 || slices.ContainsFunc(dc.Visits, func(v docVisit) bool { return v.Currency != "" })) {
		return bad("a field of schema 2 in a schema 1 document")
	}
	c = crm.CustomerData{Name: dc.Name, Aliases: dc.Aliases, UsualWeekday: crm.NoWeekday, UsualTime: dc.UsualTime}
	if dc.Birthday != "" {
		if c.Birthday, err = crm.ParseMonthDay(dc.Birthday); err != nil {
			return bad("birthday %q", dc.Birthday)
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
			return bad("weekday %q", dc.UsualWeekday)
		}
		c.UsualWeekday = time.Weekday(i)
	}
	if c.CreatedAt, err = parseDocTime(dc.CreatedAt); err != nil {
		return bad("%v", err)
	}
	if c.Greeted, err = parseDocDate(dc.LastGreeted); err != nil {
		return bad("last_greeted %q", dc.LastGreeted)
	}
	if c.LapsedShown, err = parseDocDate(dc.LastShownLapsed); err != nil {
		return bad("last_shown_lapsed %q", dc.LastShownLapsed)
	}
	for _, f := range dc.Facts {
		at, err := parseDocTime(f.CreatedAt)
		if err != nil {
			return bad("%v", err)
		}
		c.Facts = append(c.Facts, crm.FactData{Kind: crm.FactKind(f.Kind), Value: f.Value, CreatedAt: at})
	}
	for _, v := range dc.Visits {
		date, err := crm.ParseDate(v.Date)
		if err != nil {
			return bad("visit date %q", v.Date)
		}
		cv := crm.VisitData{Date: date, Amount: v.Amount, Currency: v.Currency, Note: v.Note, Context: v.Context, Key: v.Key}
		for _, l := range v.Items {
			cv.Items = append(cv.Items, crm.ItemQty{Name: l.Name, Qty: l.Qty})
		}
		c.Visits = append(c.Visits, cv)
	}
	for _, b := range dc.Bookings {
		date, err := crm.ParseDate(b.Date)
		if err != nil {
			return bad("booking date %q", b.Date)
		}
		end, err := parseDocDate(b.End)
		if err != nil {
			return bad("booking end %q", b.End)
		}
		at, err := parseDocTime(b.CreatedAt)
		if err != nil {
			return bad("%v", err)
		}
		c.Bookings = append(c.Bookings, crm.BookingData{Date: date, End: end, Time: b.Time, What: b.What, Amount: b.Amount,
			Currency: b.Currency, CreatedAt: at})
	}
	for _, f := range dc.Fired {
		day, err := crm.ParseDate(f.Day)
		if err != nil {
			return bad("firing day %q", f.Day)
		}
		at, err := parseDocTime(f.AnsweredAt)
		if err != nil {
			return bad("%v", err)
		}
		c.Fired = append(c.Fired, crm.FiringData{Rule: f.Rule, Occasion: f.Occasion, Day: day, Action: crm.ActionKind(f.Action),
			TextHash: f.TextHash, HeldOut: f.HeldOut, Topic: f.Topic, AnsweredAt: at})
	}
	return c, true, nil
}
