package parse

import "strings"

// enIrregular maps plurals that the suffix rules get wrong.
var enIrregular = map[string]string{
	"loaves": "loaf", "leaves": "leaf", "halves": "half", "knives": "knife", "wives": "wife",
	"lives": "life", "shelves": "shelf", "calves": "calf", "thieves": "thief", "wolves": "wolf",
	"scarves": "scarf", "elves": "elf", "selves": "self", "sheaves": "sheaf", "hooves": "hoof",
	"children": "child", "people": "person", "men": "man", "women": "woman", "mice": "mouse",
	"teeth": "tooth", "feet": "foot", "geese": "goose", "oxen": "ox", "buses": "bus",
	"gases": "gas", "bonuses": "bonus", "viruses": "virus", "lenses": "lens", "quizzes": "quiz",
	"mousses": "mousse", "cactuses": "cactus", "octopuses": "octopus", "focuses": "focus",
	"cacti": "cactus", "menus": "menu", "emus": "emu", "gnus": "gnu", "tofus": "tofu",
	"haikus": "haiku", "gurus": "guru", "tiramisus": "tiramisu", "sudokus": "sudoku",
	"fungi": "fungus", "dice": "dice", "panini": "panini", "biscotti": "biscotti",
	"bijoux": "bijou", "gateaux": "gateau", "plateaux": "plateau", "chateaux": "chateau",
	"croissants": "croissant", "pies": "pie", "ties": "tie", "lies": "lie", "dies": "die",
	"cheeses": "cheese", "courses": "course", "horses": "horse", "houses": "house",
}

// enKeepS are words that end in s but are not plurals.
var enKeepS = map[string]bool{
	"news": true, "series": true, "species": true, "means": true, "hummus": true, "couscous": true,
	"asparagus": true, "citrus": true, "molasses": true, "swiss": true, "fries": true, "jeans": true,
	"pants": true, "scissors": true, "christmas": true, "texas": true, "paris": true, "tennis": true,
	"analysis": true, "basis": true, "crisis": true, "oasis": true, "thesis": true, "always": true,
	"perhaps": true, "yes": true, "this": true, "his": true, "its": true, "has": true, "was": true,
	"plus": true, "bonus": true, "status": true, "cactus": true, "octopus": true, "campus": true,
	"virus": true, "focus": true, "chorus": true, "walrus": true, "lotus": true, "hibiscus": true,
	"sinus": true, "fungus": true, "genius": true, "bias": true, "atlas": true, "alias": true,
	"canvas": true, "cosmos": true, "kudos": true, "chaos": true, "ethos": true, "physics": true,
	"economics": true, "politics": true, "aerobics": true, "gymnastics": true, "ethics": true,
	"headquarters": true, "crossroads": true, "barracks": true, "grits": true, "tongs": true,
	"shorts": true, "trousers": true, "leggings": true, "goggles": true, "pajamas": true,
	"pyjamas": true, "measles": true, "mumps": true, "diabetes": true, "rabies": true, "herpes": true,
	"lens": true, "gas": true, "bus": true, "iris": true, "axis": true, "chassis": true, "pancreas": true,
	"whereas": true, "thermos": true, "asbestos": true, "nutritious": true,
	"delicious": true, "famous": true, "previous": true, "various": true, "gorgeous": true,
	"gluten-free": true, "less": true, "unless": true, "lotus-biscoff": true,
	"brussels": true, "tapas": true,
	"shellfish": true, "sesame": true,
	"schnapps": true, "mascarpone": true,
}

// enIE are singulars ending in -ie whose plural is -ies.
var enIE = map[string]bool{
	"cookie": true, "brownie": true, "smoothie": true, "pie": true, "tie": true, "calorie": true,
	"veggie": true, "goodie": true, "hoagie": true, "beanie": true, "movie": true, "selfie": true,
	"auntie": true, "sweetie": true, "cutie": true, "foodie": true, "bestie": true, "hippie": true,
	"rookie": true, "zombie": true, "genie": true, "pixie": true, "birdie": true, "boogie": true,
	"bookie": true, "collie": true, "prairie": true, "rotisserie": true, "patisserie": true,
	"charcuterie": true, "lingerie": true, "brasserie": true, "boulangerie": true, "creperie": true,
	"oldie": true, "freebie": true, "newbie": true, "techie": true, "indie": true, "kiddie": true,
	"roomie": true, "magpie": true, "pinkie": true, "quickie": true, "nightie": true, "meanie": true,
	"lassie": true, "sharpie": true, "scrunchie": true, "pastie": true,
	"lie": true, "die": true, "eyrie": true, "sortie": true, "talkie": true, "walkie": true,
	"mountie": true, "budgie": true, "aussie": true, "bootie": true, "wheatie": true,
}

// enOE are singulars ending in -oe.
var enOE = map[string]bool{"shoe": true, "toe": true, "canoe": true, "oboe": true, "hoe": true, "foe": true, "floe": true, "doe": true, "roe": true, "sloe": true, "aloe": true, "tiptoe": true, "horseshoe": true, "mistletoe": true}

// enChe are singulars ending in -che, whose plural drops only the s.
var enChe = map[string]bool{
	"ache": true, "headache": true, "toothache": true, "stomachache": true, "backache": true,
	"earache": true, "mustache": true, "moustache": true, "panache": true, "ganache": true,
	"cache": true, "tranche": true, "avalanche": true, "quiche": true, "brioche": true, "niche": true,
	"cliche": true, "creche": true, "douche": true, "microfiche": true, "psyche": true,
	"attache": true, "pastiche": true, "cloche": true, "fiche": true, "tache": true,
}

// singular returns the singular of a lower-case English word:
// croissants → croissant, strawberries → strawberry, peaches → peach,
// loaves → loaf; glass, espresso, hummus, news and series stay.
func singular(w string) string {
	n := len(w)
	if n <= 3 || w[n-1] != 's' {
		if v, ok := enIrregular[w]; ok {
			return v
		}
		return w
	}
	if v, ok := enIrregular[w]; ok {
		return v
	}
	if enKeepS[w] || !isASCIIWord(w) {
		return w
	}
	switch {
	case strings.HasSuffix(w, "'s"):
		return w
	case strings.HasSuffix(w, "ss"):
		return w
	case strings.HasSuffix(w, "ies"):
		base := w[:n-3]
		if enIE[w[:n-1]] || n <= 4 {
			return w[:n-1]
		}
		return base + "y"
	case strings.HasSuffix(w, "ves"):
		return w[:n-1]
	case strings.HasSuffix(w, "oes"):
		if enOE[w[:n-1]] {
			return w[:n-1]
		}
		return w[:n-2]
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "xes"),
		strings.HasSuffix(w, "zzes"):
		return w[:n-2]
	case strings.HasSuffix(w, "ches"):
		if enChe[w[:n-1]] {
			return w[:n-1]
		}
		return w[:n-2]
	case strings.HasSuffix(w, "us"):
		return w
	case strings.HasSuffix(w, "sis"):
		return w
	}
	return w[:n-1]
}

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !(c >= 'a' && c <= 'z' || c == '-' || c == '\'') {
			return false
		}
	}
	return true
}

// enMarker reports an English word that makes its phrase a sentence:
// function words, verbs in -ed and -ing, adverbs in -ly, contractions.
func enMarker(w string) bool {
	if v, ok := enMarkers[w]; ok {
		return v
	}
	n := len(w)
	switch {
	case n >= 5 && strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "eed") && !enEdOK[w]:
		return true
	case n >= 6 && strings.HasSuffix(w, "ing") && !enIngOK[w]:
		return true
	case n >= 6 && strings.HasSuffix(w, "ly") && !enLyOK[w]:
		return true
	case strings.IndexByte(w, '\'') >= 0 && !strings.HasSuffix(w, "'s"):
		return true
	}
	return false
}

// atoiSmall parses a short run of ASCII digits; ok is false for anything
// else or for more than maxDigits digits.
func atoiSmall(s string, maxDigits int) (int, bool) {
	if s == "" || len(s) > maxDigits {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// enMultQty reads "x2", "×2", "*2", "2x", "2×".
func enMultQty(w string) (int, bool) {
	switch {
	case strings.HasPrefix(w, "x"):
		return atoiSmall(w[1:], 3)
	case strings.HasPrefix(w, "×"):
		return atoiSmall(w[len("×"):], 3)
	case strings.HasPrefix(w, "*"):
		return atoiSmall(w[1:], 3)
	case strings.HasSuffix(w, "x"):
		return atoiSmall(w[:len(w)-1], 3)
	case strings.HasSuffix(w, "×"):
		return atoiSmall(w[:len(w)-len("×")], 3)
	case strings.HasSuffix(w, "*"):
		return atoiSmall(w[:len(w)-1], 3)
	}
	return 0, false
}

// trimOrdinal removes "st", "nd", "rd", "th" from "24th".
func trimOrdinal(w string) string {
	n := len(w)
	if n >= 3 && isDigitASCII(rune(w[n-3])) {
		switch w[n-2:] {
		case "st", "nd", "rd", "th":
			return w[:n-2]
		}
	}
	return w
}

func trimDot(w string) string { return strings.TrimSuffix(w, ".") }
