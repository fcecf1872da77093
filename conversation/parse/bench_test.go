package parse

import (
	"testing"
	"time"
)

var benchKorean = []string{
	"김민지님 바게트 2개",
	"이수민 소금빵 2개 화요일",
	"김도현님 어제 라떼 세 잔",
	"박지훈 새우 알레르기",
	"최하나 생일 9월 9일",
	"정유진 매주 토요일 방문",
	"한지민님은 라떼랑 크루아상 하나, 포장",
	"박서준 고객님 아메리카노 2잔 오후 3시 9,000원",
	"김민지 아이랑 매장 식사 케이크 두 조각",
	"박서준 다음 주 이사 감",
}

var benchEnglish = []string{
	"Kim, croissant, Thursday",
	"Jun bought 3 bagels and an espresso yesterday",
	"Hana allergic to walnuts",
	"Mina birthday Oct 9",
	"Ray comes every Saturday",
	"Yuri loves cinnamon rolls",
	"Mrs. Lee came in with her daughter, 2 lattes to go, $12",
	"Kim moved to Busan",
	"Tom 2 cinnamon rolls and a flat white at 7am",
	"Sara last Friday half a dozen croissants",
}

// benchMixed are notes of the kinds issue 9 added: several customers,
// removals, corrections, bookings, money, counter questions.
var benchMixed = []string{
	"Tom 2 croissants, Sarah 1 latte",
	"김민지랑 박서준 크림빵 하나씩",
	"김민지 딸기 알레르기 아님",
	"Kim 2 croissants, oh wait 3",
	"다음주 화요일 박서준 케이크 예약 2호 3만원",
	"Bob cake pickup 3pm tomorrow",
	"Chris bought coffee for £3.50",
	"오늘 생일인 사람?",
	"김민지 크루아상 지난달 20일",
	"Kim croissant the 20th of October",
}

func benchParse(b *testing.B, notes []string) {
	loc := time.FixedZone("KST", 9*3600)
	opt := Options{Now: time.Date(2026, 11, 26, 10, 0, 0, 0, loc), Loc: loc}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		Parse(notes[i%len(notes)], opt)
	}
}

func BenchmarkParseKorean(b *testing.B) { benchParse(b, benchKorean) }

func BenchmarkParseEnglish(b *testing.B) { benchParse(b, benchEnglish) }

func BenchmarkParseMixed(b *testing.B) { benchParse(b, benchMixed) }
