package crm

import "testing"

func TestSimilarItemNames(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"크로와상", "크루아상", true}, // 로→루, 와→아: two jamo edits
		{"라떼", "라테", true},     // ㄸ→ㅌ
		{"소금빵", "식빵", false},
		{"크루 아상", "크루아상", true},
		{"아메리카노", "아이스아메리카노", false},
		{"빵", "방", false}, // one syllable: only the same name
		{"우유", "우유", true},
		{"croissants", "croissant", true},
		{"croissant", "Croissant", true},
		{"croisant", "croissant", true},
		{"crosant", "croissant", true}, // two edits, long name
		{"crsnt", "croissant", false},  // four edits
		{"pain au chocolat", "pain-au-chocolat", true},
		{"tart", "tarts", true},
		{"peach", "peaches", true},
		{"cake", "coke", true}, // four letters, one edit
		{"cake", "cook", false},
		{"tea", "pea", true},
		{"tea", "ted", true},
		{"tea", "toe", false},
		{"ab", "ac", false},
		{"latte", "lattes", true},
		{"scone", "stone", true},
		{"bagel", "baguette", false},
		{"latte", "라떼", false},
		{"", "latte", false},
		{" ", " ", false},
	}
	for _, tt := range tests {
		if got := SimilarItemNames(tt.a, tt.b); got != tt.want {
			t.Errorf("SimilarItemNames(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := SimilarItemNames(tt.b, tt.a); got != tt.want {
			t.Errorf("SimilarItemNames(%q, %q) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestClosestItemName(t *testing.T) {
	tests := []struct {
		name  string
		names []string
		want  string
		ok    bool
	}{
		{"크로와상", []string{"라떼", "크로와상", "크루아상"}, "크루아상", true},
		{"croissants", []string{"crossiant", "croissant", "latte"}, "croissant", true},
		{"소금빵", []string{"식빵", "우유"}, "", false},
		{"latte", nil, "", false},
		{"Latte", []string{"latte"}, "", false}, // its own name
	}
	for _, tt := range tests {
		got, ok := ClosestItemName(tt.name, tt.names)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ClosestItemName(%q, %q) = %q, %v, want %q, %v", tt.name, tt.names, got, ok, tt.want, tt.ok)
		}
	}
}
