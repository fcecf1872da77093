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

func TestDocumentRoundTrip(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	shop := crm.ShopData{Shop: crm.Shop{Name: "빵집", Lang: "ko", TimeZone: "Asia/Seoul", DigestTime: "08:30", LapsedDays: 60,
		DigestLimit: 7, Code: "abcd1234", CreatedAt: at}, Settings: map[string]string{"outbox.quiet": "21:00-08:00"},
		Items: []crm.ItemData{{Name: "크루아상", Aliases: []string{"크로와상"}}, {Name: "라떼"}}}
	custs := []crm.CustomerData{
		{Name: "김민지", Aliases: []string{"민지"}, Birthday: crm.MonthDay{Month: 3, Day: 14}, UsualWeekday: time.Thursday, CreatedAt: at,
			Facts: []crm.FactData{{Kind: crm.FactAllergy, Value: "딸기", CreatedAt: at}},
			Visits: []crm.VisitData{{Date: crm.NewDate(2026, 11, 20), Items: []crm.ItemQty{{Name: "크루아상", Qty: 2}}, Amount: 4500,
				Note: "<포장> & \"빨대\"", Context: []string{"morning"}, Key: -42}}},
		{Name: "Lee", UsualWeekday: crm.NoWeekday, CreatedAt: at},
	}
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
	if !strings.HasPrefix(buf.String(), "{\"schema\": 1,\n") || !strings.Contains(buf.String(), "<포장> & ") {
		t.Fatalf("document:\n%s", buf.String())
	}
	r, data, err := ReadDocument(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(data, shop) {
		t.Errorf("shop %+v\nwant %+v", data, shop)
	}
	var got []crm.CustomerData
	for {
		c, ok, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		got = append(got, c)
	}
	if !reflect.DeepEqual(got, custs) {
		t.Errorf("customers %+v\nwant %+v", got, custs)
	}
}

func TestDocumentRefused(t *testing.T) {
	for name, in := range map[string]string{
		"not json":        "date,customer\n",
		"no schema":       `{"shop": {}, "customers": []}`,
		"newer schema":    `{"schema": 2, "customers": []}`,
		"unknown section": `{"schema": 1, "bookings": [], "customers": []}`,
		"after customers": `{"schema": 1, "customers": [], "bookings": []}`,
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
