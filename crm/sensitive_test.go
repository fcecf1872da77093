package crm

import "testing"

func TestSensitiveKind(t *testing.T) {
	screen := NewMemoScreen()
	for memo, want := range map[string]string{
		// Phone numbers.
		"전화번호 010-1234-5678":    SensitivePhone,
		"010 9876 5432로 연락":     SensitivePhone,
		"01012345678":           SensitivePhone,
		"02-312-4567 가게 번호":     SensitivePhone,
		"+82 10 1234 5678":      SensitivePhone,
		"call 555-0142 ext 12":  SensitivePhone,
		"mobile 415 555 0199":   SensitivePhone,
		"phone: (415) 555-0199": SensitivePhone,
		// E-mail.
		"kim@example.com":              SensitiveEmail,
		"email: minji.kim@naver.com 로": SensitiveEmail,
		// Addresses.
		"서울시 마포구 연남동 123-4":        SensitiveAddress,
		"연남로 12 2층":                SensitiveAddress,
		"101동 1203호":               SensitiveAddress,
		"망원동 412-7 살아요":            SensitiveAddress,
		"주소는 회사 근처":                SensitiveAddress,
		"lives at 12 Baker Street": SensitiveAddress,
		"221B Baker St":            SensitiveAddress,
		"apt 4, Elm Road":          SensitiveAddress,
		// Health, allergies aside.
		"임신 중이라 디카페인":             SensitiveHealth,
		"당뇨 있어서 설탕 빼기":            SensitiveHealth,
		"다리 수술하고 깁스":              SensitiveHealth,
		"우울증 치료 중":                SensitiveHealth,
		"남편이 입원했음":                SensitiveHealth,
		"pregnant, no caffeine":   SensitiveHealth,
		"diabetic":                SensitiveHealth,
		"recovering from surgery": SensitiveHealth,
		"has the flu":             SensitiveHealth,
		// Nothing a greeting would not use.
		"창가 자리 좋아함":                           "",
		"사이 안 좋음":                             "",
		"주로 2개 삼":                             "",
		"커피로 2잔":                              "",
		"운동 3회 하고 옴":                          "",
		"아프리카 원두 좋아함":                         "",
		"딸기 알레르기":                             "",
		"우유 대신 두유":                            "",
		"likes the window seat":               "",
		"fluffy pancakes":                     "",
		"comes with 2 kids":                   "",
		"birthday 2026-03-14":                 "",
		"prefers a phone call":                "",
		"orders 12 croissants for the office": "",
		"":                                    "",
	} {
		if got := screen.Kind(memo); got != want {
			t.Errorf("Kind(%q) = %q, want %q", memo, got, want)
		}
	}
}
