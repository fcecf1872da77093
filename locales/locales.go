// Package locales holds every sentence Dangol says to people, in English and
// Korean, as embedded go-i18n catalogs (CLDR plurals: English one/other,
// Korean other). Both catalogs have exactly the same keys; a test checks it.
// Korean templates may attach particles with the josa function so that
// 이/가, 을/를, 은/는, 과/와, 으로/로 agree with the word before them.
package locales

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"text/template"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	i18ntemplate "github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"
)

// Each language's catalog is en.json or ko.json plus any number of
// feature files named like report.en.json; a key lives in exactly one file.
//
//go:embed *.json
var files embed.FS

// Supported returns the language codes Dangol speaks, the default first.
func Supported() []string { return []string{"ko", "en"} }

// Catalog renders localized messages. It is safe for concurrent use.
type Catalog struct {
	localizers map[string]*i18n.Localizer
	keys       map[string][]string
	raw        map[string]map[string]string // lang → id → "other" template
	funcs      template.FuncMap
	parser     *cachingParser
}

// cachingParser is go-i18n's text parser with the catalog's functions,
// saying its parsed templates may be kept: the functions never change, so
// each message is parsed once rather than on every use.
type cachingParser struct{ i18ntemplate.TextParser }

func (p *cachingParser) Cacheable() bool { return true }

// New loads the embedded catalogs.
func New() (*Catalog, error) {
	b := i18n.NewBundle(language.Korean)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &Catalog{
		localizers: map[string]*i18n.Localizer{},
		keys:       map[string][]string{},
		raw:        map[string]map[string]string{},
		funcs:      template.FuncMap{"josa": Josa},
	}
	c.parser = &cachingParser{i18ntemplate.TextParser{Funcs: c.funcs}}
	entries, err := files.ReadDir(".")
	if err != nil {
		return nil, fmt.Errorf("locales: list catalogs: %w", err)
	}
	for _, lang := range Supported() {
		c.raw[lang] = map[string]string{}
		for _, e := range entries {
			name := e.Name()
			if name != lang+".json" && !strings.HasSuffix(name, "."+lang+".json") {
				continue
			}
			data, err := files.ReadFile(name)
			if err != nil {
				return nil, fmt.Errorf("locales: read %s: %w", name, err)
			}
			mf, err := b.ParseMessageFileBytes(data, name)
			if err != nil {
				return nil, fmt.Errorf("locales: parse %s: %w", name, err)
			}
			for _, m := range mf.Messages {
				if _, dup := c.raw[lang][m.ID]; dup {
					return nil, fmt.Errorf("locales: %s: key %q is defined twice", name, m.ID)
				}
				c.keys[lang] = append(c.keys[lang], m.ID)
				c.raw[lang][m.ID] = m.Other
			}
		}
		sort.Strings(c.keys[lang])
		c.localizers[lang] = i18n.NewLocalizer(b, lang)
	}
	return c, nil
}

// Lang returns lang if Dangol speaks it, else the closest supported language
// ("ko-KR" → "ko"), else Korean.
func Lang(lang string) string {
	lang = strings.ToLower(lang)
	for _, l := range Supported() {
		if lang == l || strings.HasPrefix(lang, l+"-") || strings.HasPrefix(lang, l+"_") {
			return l
		}
	}
	return Supported()[0]
}

// Keys returns the message ids of one catalog, sorted.
func (c *Catalog) Keys(lang string) []string { return c.keys[lang] }

// T renders message id in lang with data (a map or struct; may be nil). A
// missing message renders as its id, so a gap shows instead of crashing.
func (c *Catalog) T(lang, id string, data any) string {
	return c.render(lang, id, data, nil)
}

// N renders message id in lang choosing the plural form for count; the
// template sees count as .Count when data is nil or a map.
func (c *Catalog) N(lang, id string, count int, data map[string]any) string {
	if data == nil {
		data = map[string]any{}
	}
	if _, ok := data["Count"]; !ok {
		data["Count"] = count
	}
	return c.render(lang, id, data, count)
}

func (c *Catalog) render(lang, id string, data any, count any) string {
	l, ok := c.localizers[Lang(lang)]
	if !ok {
		return id
	}
	s, err := l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count, TemplateParser: c.parser})
	if err != nil || s == "" {
		return id
	}
	return s
}

// Josa attaches a Korean particle to word, choosing the form by the final
// consonant (받침) of its last syllable. pair is written "이/가", "을/를",
// "은/는", "과/와", "으로/로" or "이랑/랑": the first form follows a final
// consonant. For words that do not end in Hangul, the ending is guessed from
// how it is read (Kim → 이, Lee → 가; 3 → 이, 2 → 가).
func Josa(word, pair string) string {
	withC, withoutC, ok := strings.Cut(pair, "/")
	if !ok {
		return word + pair
	}
	final, known := finalConsonant(word)
	if !known {
		return word + withC + "(" + withoutC + ")"
	}
	// 으로/로: a final ㄹ takes 로.
	if withC == "으로" && final == 8 {
		return word + withoutC
	}
	if final != 0 {
		return word + withC
	}
	return word + withoutC
}

// finalConsonant returns the index of the final consonant of word's last
// sound (0 = none, 8 = ㄹ) and whether it could tell.
func finalConsonant(word string) (int, bool) {
	word = strings.TrimRight(word, " )]\"'.!?’”")
	if word == "" {
		return 0, false
	}
	r := []rune(word)
	last := r[len(r)-1]
	switch {
	case last >= 0xAC00 && last <= 0xD7A3:
		return int(last-0xAC00) % 28, true
	case last >= '0' && last <= '9':
		// 영 일 이 삼 사 오 육 칠 팔 구
		return [10]int{21, 8, 0, 16, 0, 0, 1, 8, 8, 0}[last-'0'], true
	case last >= 'a' && last <= 'z' || last >= 'A' && last <= 'Z':
		switch strings.ToLower(string(last)) {
		case "l":
			return 8, true
		case "b", "c", "d", "g", "k", "m", "n", "p", "t":
			return 1, true
		default:
			return 0, true
		}
	}
	return 0, false
}
