package locales

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestCatalogKeyParity(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	en, ko := c.Keys("en"), c.Keys("ko")
	if len(en) == 0 {
		t.Fatal("english catalog is empty")
	}
	for _, k := range en {
		if !slices.Contains(ko, k) {
			t.Errorf("key %q is in en but not in ko", k)
		}
	}
	for _, k := range ko {
		if !slices.Contains(en, k) {
			t.Errorf("key %q is in ko but not in en", k)
		}
	}
}

// Every message renders in both languages with the same template fields,
// without leaking template syntax or failing back to its id.
func TestCatalogRendersEveryKey(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	field := regexp.MustCompile(`\{\{[^}]*\.(\w+)[^}]*\}\}`)
	for _, k := range c.Keys("en") {
		data := map[string]any{}
		for _, lang := range Supported() {
			for _, f := range fields(field, c, lang, k) {
				data[f] = "김민지"
			}
		}
		for _, lang := range Supported() {
			got := c.N(lang, k, 2, data)
			if got == k || strings.Contains(got, "{{") || strings.Contains(got, "<no value>") {
				t.Errorf("%s/%s renders as %q", lang, k, got)
			}
		}
		enFields := fields(field, c, "en", k)
		koFields := fields(field, c, "ko", k)
		// Dates are written differently: 11/26 in Korean, 26 Nov in English.
		if !strings.HasPrefix(k, "date.") && !slices.Equal(enFields, koFields) {
			t.Errorf("%s uses fields %v in en but %v in ko", k, enFields, koFields)
		}
	}
}

func fields(re *regexp.Regexp, c *Catalog, lang, key string) []string {
	raw := c.raw[lang][key]
	var out []string
	for _, m := range re.FindAllStringSubmatch(raw, -1) {
		if m[1] != "Count" && !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return out
}

func TestPlural(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	data := func() map[string]any { return map[string]any{"Name": "Kim", "Last": "Thu 26 Nov"} }
	if got := c.N("en", "card.head", 1, data()); got != "Kim · 1 visit · Thu 26 Nov" {
		t.Errorf("en one: %q", got)
	}
	if got := c.N("en", "card.head", 3, data()); got != "Kim · 3 visits · last Thu 26 Nov" {
		t.Errorf("en other: %q", got)
	}
	if got := c.N("ko", "card.head", 1, data()); got != "Kim · 방문 1회 · 최근 Thu 26 Nov" {
		t.Errorf("ko: %q", got)
	}
}

func TestJosa(t *testing.T) {
	tests := []struct{ word, pair, want string }{
		{"김민지", "이/가", "김민지가"},
		{"박서준", "이/가", "박서준이"},
		{"크루아상", "을/를", "크루아상을"},
		{"라떼", "을/를", "라떼를"},
		{"정하은", "은/는", "정하은은"},
		{"이도윤", "과/와", "이도윤과"},
		{"빵", "으로/로", "빵으로"},
		{"케이크", "으로/로", "케이크로"},
		{"서울", "으로/로", "서울로"},
		{"Kim", "이/가", "Kim이"},
		{"Lee", "이/가", "Lee가"},
		{"Paul", "으로/로", "Paul로"},
		{"3", "을/를", "3을"},
		{"2", "을/를", "2를"},
		{"🍞", "이/가", "🍞이(가)"},
		{"", "이/가", "이(가)"},
	}
	for _, tt := range tests {
		if got := Josa(tt.word, tt.pair); got != tt.want {
			t.Errorf("Josa(%q, %q) = %q, want %q", tt.word, tt.pair, got, tt.want)
		}
	}
}

func TestTemplateJosa(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.T("ko", "customer.not_found", map[string]any{"Name": "박서준"}); !strings.HasPrefix(got, "박서준이 ") {
		t.Errorf("got %q", got)
	}
	if got := c.T("ko", "customer.not_found", map[string]any{"Name": "김민지"}); !strings.HasPrefix(got, "김민지가 ") {
		t.Errorf("got %q", got)
	}
}

func TestLang(t *testing.T) {
	for in, want := range map[string]string{"ko": "ko", "ko-KR": "ko", "en-US": "en", "EN": "en", "fr": "ko", "": "ko"} {
		if got := Lang(in); got != want {
			t.Errorf("Lang(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMissingKeyShowsID(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.T("en", "no.such.key", nil); got != "no.such.key" {
		t.Errorf("got %q", got)
	}
}
