package ledger

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

// shopData is a shop with every kind of data a document carries.
func shopData() (crm.ShopData, []crm.CustomerData) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	shop := crm.ShopData{Shop: crm.Shop{Name: "빵집", Lang: "ko", TimeZone: "Asia/Seoul", DigestTime: "08:30", LapsedDays: 60,
		DigestLimit: 7, Code: "abcd1234", Currency: "KRW", CreatedAt: at}, Settings: map[string]string{"outbox.quiet": "21:00-08:00"},
		Items:      []crm.ItemData{{Name: "크루아상", Aliases: []string{"크로와상"}}, {Name: "라떼"}},
		Lexicon:    map[string]string{"포장": crm.LexMemo, "소금빵": crm.LexItem, "그냥": crm.LexIgnore},
		LastDigest: crm.NewDate(2026, 11, 26),
		Rules: []crm.RuleData{
			{Name: "예약 전날", Kind: "rule:예약 전날", State: crm.RuleActive, Template: "stay_before",
				Trigger: crm.Trigger{Kind: crm.TriggerBooking, Days: -1, Anchor: crm.AnchorStart},
				Action:  crm.Action{Kind: crm.ActionMessage, Text: "{이름}님, 내일 뵈어요", Purpose: crm.PurposeReminders},
				SendAt:  "10:00", Source: "stay_before", NextRun: at.Add(time.Hour), CreatedAt: at, UpdatedAt: at},
			{Name: "신간", Kind: "rule:신간", State: crm.RulePaused, Trigger: crm.Trigger{Kind: crm.TriggerAnnouncement},
				Action: crm.Action{Kind: crm.ActionAsk, Text: "어떠세요?", Purpose: crm.PurposeOffers, Topic: "취향"},
				SendAt: "11:00", Source: "신간 나오면 물어보기", CreatedAt: at, UpdatedAt: at},
		},
		Announcements: []crm.AnnouncementData{{Text: "oat latte", Day: crm.NewDate(2026, 11, 12), CreatedAt: at}},
	}
	custs := []crm.CustomerData{
		{Name: "김민지", Aliases: []string{"민지"}, Birthday: crm.MonthDay{Month: 3, Day: 14}, UsualWeekday: time.Thursday,
			UsualTime: "07:30", CreatedAt: at, Greeted: crm.NewDate(2026, 11, 20), LapsedShown: crm.NewDate(2026, 10, 1),
			Facts: []crm.FactData{{Kind: crm.FactAllergy, Value: "딸기", CreatedAt: at}},
			Visits: []crm.VisitData{{Date: crm.NewDate(2026, 11, 20), Items: []crm.ItemQty{{Name: "크루아상", Qty: 2}}, Amount: 4500,
				Note: "<포장> & \"빨대\"", Context: []string{"morning"}, Key: -42},
				{Date: crm.NewDate(2026, 11, 21), Amount: 450, Currency: "USD"}},
			Bookings: []crm.BookingData{{Date: crm.NewDate(2026, 12, 20), End: crm.NewDate(2026, 12, 22), Time: "15:00",
				What: "숙박", Amount: 300000, CreatedAt: at}, {Date: crm.NewDate(2026, 12, 24), What: "cake", Amount: 3000,
				Currency: "USD", CreatedAt: at}},
			Fired: []crm.FiringData{{Rule: "rule:예약 전날", Occasion: "booking:#1", Day: crm.NewDate(2026, 12, 19),
				Action: crm.ActionMessage, TextHash: "0123456789abcdef"}, {Rule: "rule:신간", Occasion: "news:#1",
				Day: crm.NewDate(2026, 11, 13), Action: crm.ActionAsk, HeldOut: true, Topic: "취향", AnsweredAt: at}}},
		{Name: "Lee", UsualWeekday: crm.NoWeekday, CreatedAt: at},
	}
	return shop, custs
}

func writeDoc(t *testing.T, shop crm.ShopData, custs []crm.CustomerData) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewDocWriter(&buf, shop)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range custs {
		if err := w.Customer(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readDoc(t *testing.T, doc []byte) (crm.ShopData, []crm.CustomerData) {
	t.Helper()
	r, data, err := ReadDocument(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	var got []crm.CustomerData
	for {
		c, ok, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return data, got
		}
		got = append(got, c)
	}
}

func TestDocumentRoundTrip(t *testing.T) {
	shop, custs := shopData()
	doc := writeDoc(t, shop, custs)
	for _, want := range []string{"{\"schema\": 2,\n", "<포장> & ", `"currency":"KRW"`, `"last_digest":"2026-11-26"`,
		`"lexicon": {"그냥":"ignore","소금빵":"item","포장":"memo"}`, `"occasion":"booking:#1"`, `"usual_time":"07:30"`,
		`"end":"2026-12-22"`, `"trigger":{"kind":"booking","days":-1,"anchor":"start"}`} {
		if !bytes.Contains(doc, []byte(want)) {
			t.Errorf("document lacks %s:\n%s", want, doc)
		}
	}
	data, got := readDoc(t, doc)
	if !reflect.DeepEqual(data, shop) {
		t.Errorf("shop %+v\nwant %+v", data, shop)
	}
	if !reflect.DeepEqual(got, custs) {
		t.Errorf("customers %+v\nwant %+v", got, custs)
	}
	// The same data, the same bytes.
	if again := writeDoc(t, data, got); !bytes.Equal(again, doc) {
		t.Errorf("written again:\n%s\nfirst:\n%s", again, doc)
	}
}

// A schema 1 document, as the first JSON export wrote it, is still read.
func TestDocumentSchema1(t *testing.T) {
	doc := `{"schema": 1,
"shop": {"name":"Bakery","lang":"en","time_zone":"Europe/London","digest_time":"08:30","lapsed_days":60,"digest_limit":7,"code":"abcd-efgh-jkmn","created_at":"2026-01-02T03:04:05Z","settings":{"outbox.quiet":"21:00-08:00"}},
"items": [
  {"name":"croissant","aliases":["croissants"]}],
"customers": [
  {"name":"Kim","birthday":"03-14","usual_weekday":"thursday","created_at":"2026-01-02T03:04:05Z","facts":[{"kind":"allergy","value":"walnuts","created_at":"2026-01-02T03:04:05Z"}],"visits":[{"date":"2026-11-20","items":[{"name":"croissant","qty":2}],"amount":450,"key":7}]}
]}
`
	data, custs := readDoc(t, []byte(doc))
	if data.Shop.Name != "Bakery" || data.Shop.Currency != "" || len(data.Items) != 1 || data.Rules != nil ||
		len(custs) != 1 || custs[0].Visits[0].Amount != 450 || custs[0].UsualWeekday != time.Thursday {
		t.Fatalf("read %+v %+v", data, custs)
	}
}

func TestDocumentRefused(t *testing.T) {
	for name, in := range map[string]string{
		"not json":          "date,customer\n",
		"no schema":         `{"shop": {}, "customers": []}`,
		"schema not first":  `{"shop": {}, "schema": 2, "customers": []}`,
		"newer schema":      `{"schema": 3, "customers": []}`,
		"unknown section":   `{"schema": 2, "vouchers": [], "customers": []}`,
		"after customers":   `{"schema": 2, "customers": [], "bookings": []}`,
		"twice":             `{"schema": 2, "rules": [], "rules": [], "customers": []}`,
		"v2 section in v1":  `{"schema": 1, "rules": [], "customers": []}`,
		"v2 shop in v1":     `{"schema": 1, "shop": {"name": "x", "currency": "KRW"}, "customers": []}`,
		"v2 field in v1":    `{"schema": 1, "customers": [{"name": "Kim", "usual_time": "07:00"}]}`,
		"v2 visit in v1":    `{"schema": 1, "customers": [{"name": "Kim", "visits": [{"date": "2026-01-02", "currency": "USD"}]}]}`,
		"unknown field":     `{"schema": 2, "customers": [{"name": "Kim", "loyalty_points": 40}]}`,
		"unknown rule part": `{"schema": 2, "rules": [{"name": "r", "kind": "rule:r", "state": "active", "trigger": {"kind": "rain", "snow": 1}, "action": {"kind": "message", "text": "hi"}}], "customers": []}`,
		"bad booking":       `{"schema": 2, "customers": [{"name": "Kim", "bookings": [{"date": "2026-13-01"}]}]}`,
		"bad firing day":    `{"schema": 2, "customers": [{"name": "Kim", "fired": [{"rule": "r", "occasion": "x", "day": "soon", "action": "message"}]}]}`,
	} {
		r, _, err := ReadDocument(strings.NewReader(in))
		if err == nil {
			for err == nil {
				var ok bool
				if _, ok, err = r.Next(); !ok && err == nil {
					break
				}
			}
		}
		if !errors.Is(err, ErrDocument) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}
