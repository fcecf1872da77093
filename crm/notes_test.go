package crm

import (
	"reflect"
	"testing"
)

func TestSimilarCustomerName(t *testing.T) {
	for _, c := range []struct {
		typed, known string
		want         bool
	}{
		{"김민치", "김민지", true},
		{"김만지", "김민지", true},
		{"민치", "김민지", true}, // the given name, misspelt
		{"김민지", "김민지", false},
		{"박서준", "김민지", false},
		{"김민", "김민지", false},
		{"Sarha", "Sarah", true},
		{"Sarah", "Sarah Lee", false}, // the given name itself is no typo
		{"Sarha", "Sarah Lee", true},
		{"Tim", "Tom", false}, // too short to tell
		{"Jonathon", "Jonathan", true},
		{"Kim", "김민지", false},
		{"Chrsitina", "Christina", true},
		{"Bob", "Rob", false},
	} {
		if got := SimilarCustomerName(c.typed, c.known); got != c.want {
			t.Errorf("SimilarCustomerName(%q, %q) = %v, want %v", c.typed, c.known, got, c.want)
		}
	}
	if got, ok := ClosestCustomerName("김민치", []string{"박서준", "김민지", "김민수"}); !ok || got != "김민지" {
		t.Errorf("closest = %q %v", got, ok)
	}
	if _, ok := ClosestCustomerName("이도윤", []string{"박서준", "김민지"}); ok {
		t.Error("a new name was taken for a typo")
	}
}

func TestUsualOrder(t *testing.T) {
	v := func(id int64, day int, items ...LineItem) Visit {
		return Visit{ID: id, Date: NewDate(2026, 11, day), Items: items}
	}
	li := func(name string, qty int) LineItem { return LineItem{Name: name, Qty: qty} }
	if got := UsualOrder(nil); got != nil {
		t.Errorf("no visits: %v", got)
	}
	if got := UsualOrder([]Visit{{ID: 1, Date: NewDate(2026, 11, 1)}}); got != nil {
		t.Errorf("visits without items: %v", got)
	}
	got := UsualOrder([]Visit{
		v(1, 1, li("라떼", 1), li("크루아상", 2)),
		v(2, 8, li("라떼", 1), li("크루아상", 2)),
		v(3, 15, li("라떼", 2), li("스콘", 1)),
		v(4, 22, li("라떼", 1)),
	})
	want := []ItemQty{{"라떼", 1}, {"크루아상", 2}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("usual = %v, want %v", got, want)
	}
	// No item on half the visits: the one bought most.
	got = UsualOrder([]Visit{
		v(1, 1, li("a", 1)), v(2, 2, li("b", 1)), v(3, 3, li("c", 3)), v(4, 4, li("b", 2)), v(5, 5, li("d", 1)),
	})
	if !reflect.DeepEqual(got, []ItemQty{{"b", 2}}) {
		t.Errorf("usual = %v", got)
	}
}

func TestCurrency(t *testing.T) {
	for _, c := range []struct{ lang, tz, want string }{
		{"ko", "Asia/Seoul", "KRW"},
		{"en", "Asia/Seoul", "KRW"},
		{"en", "Europe/London", "GBP"},
		{"en", "Europe/Paris", "EUR"},
		{"en", "America/New_York", "USD"},
		{"en", "America/Toronto", "CAD"},
		{"ko", "Mars/Base", "KRW"},
		{"en", "Etc/UTC", "USD"},
	} {
		if got := ShopCurrency(c.lang, c.tz); got != c.want {
			t.Errorf("ShopCurrency(%s, %s) = %s, want %s", c.lang, c.tz, got, c.want)
		}
	}
	if CurrencyDigits("KRW") != 0 || CurrencyDigits("gbp") != 2 || CurrencyDigits("KWD") != 3 {
		t.Error("digits")
	}
	if c, ok := NormalCurrency(" gbp "); !ok || c != "GBP" {
		t.Errorf("NormalCurrency = %q %v", c, ok)
	}
	if _, ok := NormalCurrency("GBR"); ok {
		t.Error("GBR accepted")
	}
}
