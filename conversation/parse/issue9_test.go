package parse

import "github.com/dangol/dangol/crm"

// Cases for issue 9 (one reading, several customers, negations, money,
// bookings, corrections, counter questions, unknown words). The reference
// day is Thursday 2026-11-26, 10:00 in Seoul, unless a case says otherwise.

const today = "2026-11-26"

func bk(date, time, what string) *wantBooking {
	return &wantBooking{date: date, time: time, what: what}
}

func rm(kind crm.FactKind, v string) FactRef { return FactRef{Kind: kind, Value: v} }

func rms(refs ...FactRef) []FactRef { return refs }

// visit is a note about one customer's visit today with these items.
func visit(customer string, list ...Item) want {
	return note(customer, want{items: list, date: today})
}

// clause is one customer's part of a note with several.
func clause(customer string, w want) want {
	w.customer = customer
	return w
}

// several builds a note about several customers; the flat fields are the
// first customer's.
func several(list ...want) want {
	w := list[0]
	w.intent = IntentNote
	w.customers = list
	return w
}

func corr(c Correction) want {
	return want{intent: IntentCorrection, customer: c.Customer, correction: &c}
}

func ask(kind QuestionKind, from, to string) want {
	return want{intent: IntentQuestion, question: &wantQuestion{kind: kind, from: from, to: to}}
}

func day(s string) crm.Date {
	d, err := crm.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

var issueKoreanCases = []parseCase{
	// The issue's own examples, on a shop that knows the words.
	{in: "오지우 라떼 1잔 우유 1개", items: strs("우유", "라떼"), want: visit("오지우", it("라떼", 1), it("우유", 1))},
	{in: "이수민 우유 알레르기", items: strs("우유"), want: note("이수민", want{allergies: strs("우유")})},
	{in: "한지민 소금빵 좋아함", items: strs("소금빵"), want: note("한지민", want{likes: strs("소금빵")})},
	{in: "한지민 소금빵 안 좋아함", items: strs("소금빵"), want: note("한지민", want{dislikes: strs("소금빵")})},
	{in: "김민지 딸기 알레르기 아님", want: note("김민지", want{remove: rms(rm(crm.FactAllergy, "딸기"))})},
	{in: "김민지 딸기 알레르기 없음", want: note("김민지", want{remove: rms(rm(crm.FactAllergy, "딸기"))})},
	{in: "김민지 딸기 알레르기 삭제", want: note("김민지", want{remove: rms(rm(crm.FactAllergy, "딸기"))})},
	{in: "권태윤 3시 예약", want: note("권태윤", want{date: today, booking: bk(today, "15:00", "")})},
	{in: "김민지 크루아상 지난달 20일", want: note("김민지", want{items: items(it("크루아상", 1)), date: "2026-10-20"})},
	{in: "오늘 생일인 사람?", want: ask(AskBirthdays, today, today)},
	{in: "오늘 생일인 사람?", names: strs("생일인", "오늘"), want: ask(AskBirthdays, today, today)},
	{in: "김민지랑 박서준 크림빵 하나씩", want: several(
		clause("김민지", want{items: items(it("크림빵", 1)), date: today}),
		clause("박서준", want{items: items(it("크림빵", 1)), date: today}))},
	{in: "아니 2개 말고 3개", want: corr(Correction{Qty: 3})},
	{in: "아니 어제", want: corr(Correction{Date: day("2026-11-25")})},
	{in: "송다은 비 오는 날엔 걸어서 옴", want: note("송다은", want{note: "비 오는 날엔 걸어서 옴"})},
	{in: "김민지 어제 왔었어", want: note("김민지", want{date: "2026-11-25"})},
	{in: "김민지 생일 3월 14일이래요", want: note("김민지", want{birthday: "03-14"})},
	{in: "김민지 생일 0314", want: note("김민지", want{birthday: "03-14"})},
	{in: "김민지 쿠폰 10개 다 채움", want: note("김민지", want{note: "쿠폰 10개 다 채움"})},
	{in: "김민지 15000원", want: note("김민지", want{date: today, amount: 15000})},
	{in: "김민지 라떼 1만5천원", want: note("김민지", want{items: items(it("라떼", 1)), date: today, amount: 15000})},
	{in: "김민지 케이크 3만원", want: note("김민지", want{items: items(it("케이크", 1)), date: today, amount: 30000})},
	{in: "김민지 빵 12000원어치", want: note("김민지", want{items: items(it("빵", 1)), date: today, amount: 12000})},
	{in: "김민지 라떼 4,500원 카드", want: note("김민지", want{items: items(it("라떼", 1)), date: today, amount: 4500, context: strs("카드")})},
	{in: "김민지 크루아상 11.24", want: note("김민지", want{items: items(it("크루아상", 1)), date: "2026-11-24"})},
	{in: "김민지 크루아상 지지난주 금요일", want: note("김민지", want{items: items(it("크루아상", 1)), date: "2026-11-13"})},
	{in: "김민지 크루아상 3주 전", want: note("김민지", want{items: items(it("크루아상", 1)), date: "2026-11-05"})},
	{in: "김민지 크루아상 그끄저께", want: note("김민지", want{items: items(it("크루아상", 1)), date: "2026-11-23"})},
	{in: "내일 오후 2시 김민지 픽업", want: note("김민지", want{date: "2026-11-27", booking: bk("2026-11-27", "14:00", "픽업")})},
	{in: "다음주 화요일 박서준 케이크 예약 2호 3만원", want: note("박서준", want{items: items(mod(it("케이크", 1), "2호")), date: "2026-12-01",
		booking: &wantBooking{date: "2026-12-01", what: "케이크 2호", amount: 30000}})},
	{in: "김민지 크루아상 1개 다음주 화요일", want: note("김민지", want{items: items(it("크루아상", 1)), date: "2026-12-01", booking: bk("2026-12-01", "", "크루아상 1개")})},
	{in: "지민 12/20–12/22 숙박", want: note("지민", want{date: "2026-12-20", booking: &wantBooking{date: "2026-12-20", end: "2026-12-22", what: "숙박"}})},
	{in: "김민지 매일 아침 7시에 와요", want: note("김민지", want{usualTime: "07:00"})},
	{in: "김민지 매주 목요일 오전 7시", want: note("김민지", want{usual: "thursday", usualTime: "07:00"})},
	{in: "김민지 따뜻한 라떼 2잔", want: visit("김민지", mod(it("라떼", 2), "따뜻한"))},
	{in: "김민지 라떼 2잔 샷추가", want: visit("김민지", mod(it("라떼", 2), "샷추가"))},
	{in: "김민지 카드로 라떼", want: note("김민지", want{items: items(it("라떼", 1)), date: today, context: strs("카드")})},
	{in: "김민지 늘 먹던 거", want: note("김민지", want{usualOrder: true, date: today})},
	{in: "김민지 항상 먹는 걸로", want: note("김민지", want{usualOrder: true, date: today})},
	{in: "김민지크루아상2개", names: strs("김민지"), want: visit("김민지", it("크루아상", 2))},
	{in: "김 민지 크루아상", names: strs("김민지"), want: visit("김민지", it("크루아상", 1))},
	{in: "김민이 라떼", names: strs("김민"), want: visit("김민", it("라떼", 1))},
	{in: "김민이 라떼", want: visit("김민이", it("라떼", 1))},
	{in: "김민지 체크아웃", want: note("김민지", want{note: "체크아웃", unknown: strs("체크아웃")})},
	{in: "이번주 생일?", want: ask(AskBirthdays, "2026-11-23", "2026-11-29")},
	{in: "누가 오래 안 왔어?", want: ask(AskLapsed, "", "")},
	{in: "이번주 몇 명 왔어?", want: ask(AskVisits, "2026-11-23", "2026-11-29")},
	{in: "오늘 예약?", want: ask(AskBookings, today, today)},

	// Several customers.
	{in: "김민지 라떼 2잔, 박서준 케이크 1개", want: several(
		clause("김민지", want{items: items(it("라떼", 2)), date: today}),
		clause("박서준", want{items: items(it("케이크", 1)), date: today}))},
	{in: "김민지 라떼 2잔 박서준 케이크 1개", names: strs("김민지", "박서준"), want: several(
		clause("김민지", want{items: items(it("라떼", 2)), date: today}),
		clause("박서준", want{items: items(it("케이크", 1)), date: today}))},
	{in: "김민지, 박서준 라떼 2잔", want: several(
		clause("김민지", want{items: items(it("라떼", 1)), date: today}),
		clause("박서준", want{items: items(it("라떼", 1)), date: today}))},
	{in: "김민지, 박서준 라떼 2잔", names: strs("김민지", "박서준"), want: several(
		clause("김민지", want{items: items(it("라떼", 1)), date: today}),
		clause("박서준", want{items: items(it("라떼", 1)), date: today}))},
	{in: "김민지랑 박서준님 소금빵 하나씩", names: strs("김민지", "박서준"), want: several(
		clause("김민지", want{items: items(it("소금빵", 1)), date: today}),
		clause("박서준", want{items: items(it("소금빵", 1)), date: today}))},
	// A customer called 하나 (one) opening the note is the customer.
	{in: "하나 딸기 알레르기", names: strs("하나"), want: note("하나", want{allergies: strs("딸기")})},
	{in: "하나 라떼 2잔", names: strs("하나"), want: visit("하나", it("라떼", 2))},
	{in: "라떼 하나 김민지", names: strs("하나", "김민지"), want: visit("김민지", it("라떼", 1))},
	{in: "김민지하고 박서준 같이 왔어요", want: several(
		clause("김민지", want{date: today}),
		clause("박서준", want{date: today}))},
	{in: "김민지와 박서준 케이크 3개", want: several(
		clause("김민지", want{items: items(it("케이크", 3)), date: today}),
		clause("박서준", want{date: today}))},
	{in: "김민지 라떼, 박서준도", want: several(
		clause("김민지", want{items: items(it("라떼", 1)), date: today}),
		clause("박서준", want{items: items(it("라떼", 1)), date: today}))},
	{in: "어제 김민지 라떼 2잔, 박서준 케이크", want: several(
		clause("김민지", want{items: items(it("라떼", 2)), date: "2026-11-25"}),
		clause("박서준", want{items: items(it("케이크", 1)), date: "2026-11-25"}))},
	{in: "김민지 라떼 2잔, 박서준 딸기 알레르기", want: several(
		clause("김민지", want{items: items(it("라떼", 2)), date: today}),
		clause("박서준", want{allergies: strs("딸기")}))},
	{in: "김민지랑 박서준 아메리카노 한 잔씩 포장", want: several(
		clause("김민지", want{items: items(it("아메리카노", 1)), date: today, context: strs("포장")}),
		clause("박서준", want{items: items(it("아메리카노", 1)), date: today, context: strs("포장")}))},
	{in: "김민지님 라떼, 이수민님 케이크 2개", want: several(
		clause("김민지", want{items: items(it("라떼", 1)), date: today}),
		clause("이수민", want{items: items(it("케이크", 2)), date: today}))},

	// Negations and removals.
	{in: "박서준 땅콩 알러지 없어요", want: note("박서준", want{remove: rms(rm(crm.FactAllergy, "땅콩"))})},
	{in: "김민지 새우 알레르기 아니래요", want: note("김민지", want{remove: rms(rm(crm.FactAllergy, "새우"))})},
	{in: "김민지 딸기 알레르기아님", want: note("김민지", want{remove: rms(rm(crm.FactAllergy, "딸기"))})},
	{in: "김민지 딸기 알레르기 지워줘", want: note("김민지", want{remove: rms(rm(crm.FactAllergy, "딸기"))})},
	{in: "김민지 더 이상 라떼 안 좋아함", want: note("김민지", want{remove: rms(rm(crm.FactLike, "라떼"))})},
	{in: "김민지 녹차 싫어해요", want: note("김민지", want{dislikes: strs("녹차")})},
	{in: "김민지 우유 안 먹음", want: note("김민지", want{dislikes: strs("우유")})},
	{in: "김민지 딸기 알레르기 아님", items: strs("딸기"), names: strs("김민지"), want: note("김민지", want{remove: rms(rm(crm.FactAllergy, "딸기"))})},
	{in: "김민지 라떼 좋아함", items: strs("라떼"), want: note("김민지", want{likes: strs("라떼")})},
	{in: "김민지 호두 못 먹음", items: strs("호두"), want: note("김민지", want{allergies: strs("호두")})},

	// Corrections.
	{in: "김민지 라떼 3잔 아니 2잔", want: visit("김민지", it("라떼", 2))},
	{in: "김민지 크루아상 2개 말고 3개", want: visit("김민지", it("크루아상", 3))},
	{in: "아니 라떼 말고 아메리카노", want: corr(Correction{Item: "아메리카노", Was: "라떼"})},
	{in: "아니 3잔", want: corr(Correction{Qty: 3})},
	{in: "아니 라떼 3잔", want: corr(Correction{Qty: 3, Item: "라떼"})},
	{in: "아니 그저께", want: corr(Correction{Date: day("2026-11-24")})},
	{in: "정정 4개", want: corr(Correction{Qty: 4})},
	{in: "아니 박서준", want: corr(Correction{Customer: "박서준"})},

	// Not everything is a visit.
	{in: "김민지 요즘 다이어트 중", want: note("김민지", want{note: "요즘 다이어트 중"})},
	{in: "김민지 다음 달 결혼", want: note("김민지", want{note: "다음 달 결혼"})},
	{in: "김민지 비건", want: note("김민지", want{likes: strs("비건")})},
	{in: "김민지 채식주의자", want: note("김민지", want{likes: strs("채식")})},
	{in: "김민지 스탬프 10개 적립", want: note("김민지", want{note: "스탬프 10개 적립"})},
	{in: "박서준 쿠폰 사용", want: note("박서준", want{note: "쿠폰 사용"})},
	{in: "김민지 오늘 왔어요", want: note("김민지", want{date: today})},
	{in: "김민지 그저께 다녀갔어요", want: note("김민지", want{date: "2026-11-24"})},
	{in: "김민지 비 오는 날마다 옴", want: note("김민지", want{note: "비 오는 날마다 옴"})},
	{in: "김민지 생일 5월 5일", want: note("김민지", want{birthday: "05-05"})},
	{in: "김민지 생일은 12월 1일이에요", want: note("김민지", want{birthday: "12-01"})},
	{in: "김민지 생일 1225", want: note("김민지", want{birthday: "12-25"})},

	// Money.
	{in: "김민지 라떼 2잔 9천원", want: note("김민지", want{items: items(it("라떼", 2)), date: today, amount: 9000})},
	{in: "김민지 케이크 ₩35,000", want: note("김민지", want{items: items(it("케이크", 1)), date: today, amount: 35000})},
	{in: "김민지 크루아상 2개 결제 8000", want: note("김민지", want{items: items(it("크루아상", 2)), date: today, amount: 8000})},
	{in: "김민지 크루아상 2개 8000", want: note("김민지", want{items: items(it("크루아상", 2)), date: today, amount: 8000})},
	{in: "김민지 빵 만원", want: note("김민지", want{items: items(it("빵", 1)), date: today, amount: 10000})},
	{in: "김민지 현금 5천원", want: note("김민지", want{date: today, amount: 5000, context: strs("현금")})},

	// Past days.
	{in: "김민지 라떼 지난주 월요일", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-16"})},
	{in: "김민지 라떼 이번주 월요일", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-23"})},
	{in: "김민지 라떼 지난 토요일", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-21"})},
	{in: "김민지 라떼 저번주 일요일", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-22"})},
	{in: "김민지 라떼 지난주금요일", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-20"})},
	{in: "김민지 라떼 5일 전", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-21"})},
	{in: "김민지 라떼 일주일 전", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-19"})},
	{in: "김민지 라떼 한 달 전", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-10-26"})},
	{in: "김민지 라떼 두 달 전", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-09-26"})},
	{in: "김민지 라떼 2주전", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-12"})},
	{in: "김민지 라떼 10월 31일", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-10-31"})},
	{in: "김민지 라떼 2026년 10월 5일", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-10-05"})},
	{in: "김민지 라떼 작년 12월 24일", want: note("김민지", want{items: items(it("라떼", 1)), date: "2025-12-24"})},
	{in: "김민지 라떼 지난달 말일", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-10-31"})},
	{in: "김민지 라떼 이번 달 3일", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-03"})},
	{in: "김민지 라떼 11월 첫째 월요일", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-02"})},
	{in: "김민지 라떼 지난달 마지막 금요일", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-10-30"})},
	{in: "김민지 라떼 그제", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-24"})},
	{in: "김민지 라떼 어저께", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-25"})},
	{in: "김민지 라떼 24/11/20", want: note("김민지", want{items: items(it("라떼", 1)), date: "2024-11-20"})},
	{in: "김민지 라떼 2026.11.20", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-20"})},
	{in: "김민지 라떼 시월 삼일", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-10-03"})},
	{in: "김민지 라떼 21일 토요일", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-21"})},

	// Bookings and days ahead.
	{in: "김민지 케이크 내일 픽업", want: note("김민지", want{items: items(it("케이크", 1)), date: "2026-11-27", booking: bk("2026-11-27", "", "케이크 픽업")})},
	{in: "김민지 모레 3시 예약", want: note("김민지", want{date: "2026-11-28", booking: bk("2026-11-28", "15:00", "")})},
	{in: "김민지 케이크 2개 다음주 금요일", want: note("김민지", want{items: items(it("케이크", 2)), date: "2026-12-04", booking: bk("2026-12-04", "", "케이크 2개")})},
	{in: "김민지 12월 24일 케이크 예약", want: note("김민지", want{items: items(it("케이크", 1)), date: "2026-12-24", booking: bk("2026-12-24", "", "케이크")})},
	{in: "김민지 25일 케이크 예약", want: note("김민지", want{items: items(it("케이크", 1)), date: "2026-12-25", booking: bk("2026-12-25", "", "케이크")})},
	{in: "박서준 3일 뒤 픽업", want: note("박서준", want{date: "2026-11-29", booking: bk("2026-11-29", "", "픽업")})},
	{in: "박서준 일주일 뒤 케이크 예약", want: note("박서준", want{items: items(it("케이크", 1)), date: "2026-12-03", booking: bk("2026-12-03", "", "케이크")})},
	{in: "김민지 다다음주 월요일 예약", want: note("김민지", want{date: "2026-12-07", booking: bk("2026-12-07", "", "")})},
	{in: "김민지 오후 5시 30분 예약", want: note("김민지", want{date: today, booking: bk(today, "17:30", "")})},
	{in: "김민지 9시 예약", want: note("김민지", want{date: "2026-11-27", booking: bk("2026-11-27", "09:00", "")})},
	{in: "김민지 오전 11시 픽업", want: note("김민지", want{date: today, booking: bk(today, "11:00", "픽업")})},
	{in: "김민지 저녁 7시 예약 4명", want: note("김민지", want{date: today, booking: bk(today, "19:00", "")})},
	{in: "이수민 12월 20일부터 22일까지 숙박", want: note("이수민", want{date: "2026-12-20", booking: &wantBooking{date: "2026-12-20", end: "2026-12-22", what: "숙박"}})},
	{in: "이수민 12/24 체크인 2박", want: note("이수민", want{date: "2026-12-24", booking: &wantBooking{date: "2026-12-24", end: "2026-12-26", what: "체크인"}})},
	{in: "이수민 금요일 체크인", want: note("이수민", want{date: "2026-11-27", booking: bk("2026-11-27", "", "체크인")})},
	{in: "김민지 3시 방문 예정", want: note("김민지", want{date: today, booking: bk(today, "15:00", "")})},
	{in: "김민지 내일 라떼 2잔", want: note("김민지", want{items: items(it("라떼", 2)), date: "2026-11-27", booking: bk("2026-11-27", "", "라떼 2잔")})},
	{in: "박서준님 모레 케이크 1호 픽업 예약", want: note("박서준", want{items: items(mod(it("케이크", 1), "1호")), date: "2026-11-28", booking: bk("2026-11-28", "", "케이크 1호 픽업")})},
	{in: "김민지 다음 주 케이크 예약", want: note("김민지", want{note: "다음 주 케이크 예약", unknown: strs("다음 주")})},

	// Usual times and days.
	{in: "박서준 매일 오전 8시 방문", want: note("박서준", want{usualTime: "08:00"})},
	{in: "박서준 평일 아침 8시쯤 와요", want: note("박서준", want{usualTime: "08:00"})},
	{in: "매주 토요일 오후 2시 김민지", want: note("김민지", want{usual: "saturday", usualTime: "14:00"})},
	{in: "김민지 보통 저녁 7시에 옴", want: note("김민지", want{usualTime: "19:00"})},

	// Items as people say them.
	{in: "김민지 아이스 아메리카노 2잔", want: visit("김민지", mod(it("아메리카노", 2), "아이스"))},
	{in: "김민지 디카페인 라떼", want: visit("김민지", mod(it("라떼", 1), "디카페인"))},
	{in: "김민지 라떼 샷 추가", want: visit("김민지", mod(it("라떼", 1), "샷 추가"))},
	{in: "김민지 아메리카노 연하게", want: visit("김민지", mod(it("아메리카노", 1), "연하게"))},
	{in: "김민지 따뜻한 우유 1잔, 차가운 라떼 2잔", want: visit("김민지", mod(it("우유", 1), "따뜻한"), mod(it("라떼", 2), "차가운"))},
	{in: "김민지 라떼 2잔 오트밀크로", want: visit("김민지", mod(it("라떼", 2), "오트밀크로"))},
	{in: "박서준 평소처럼", want: note("박서준", want{usualOrder: true, date: today})},
	{in: "박서준 늘 마시던 걸로 포장", want: note("박서준", want{usualOrder: true, date: today, context: strs("포장")})},
	{in: "김민지 쑥빵", want: visit("김민지", it("쑥빵", 1))},
	{in: "김민지 약과", want: note("김민지", want{note: "약과", unknown: strs("약과")})},
	{in: "김민지 약과", items: strs("약과"), want: visit("김민지", it("약과", 1))},
	{in: "김민지 라떼 2잔 계좌이체", want: note("김민지", want{items: items(it("라떼", 2)), date: today, context: strs("계좌이체")})},

	// Names.
	{in: "김민지님께서 라떼", names: strs("김민지"), want: visit("김민지", it("라떼", 1))},
	{in: "김민지님라떼2잔", names: strs("김민지"), want: visit("김민지", it("라떼", 2))},
	{in: "라떼 2잔 박서준", names: strs("박서준"), want: visit("박서준", it("라떼", 2))},
	{in: "박서준 고객님 어제 케이크", want: note("박서준", want{items: items(it("케이크", 1)), date: "2026-11-25"})},

	// Counter questions.
	{in: "이번 달 생일자", want: ask(AskBirthdays, "2026-11-01", "2026-11-30")},
	{in: "내일 예약 있어?", want: ask(AskBookings, "2026-11-27", "2026-11-27")},
	{in: "지난주 몇 명 왔어?", want: ask(AskVisits, "2026-11-16", "2026-11-22")},
	{in: "요즘 안 오는 손님", want: ask(AskLapsed, "", "")},
	{in: "생일?", want: ask(AskBirthdays, today, "2026-12-02")},
	{in: "오늘 몇 명?", want: ask(AskVisits, today, today)},
	{in: "김민지 예약?", want: lookup("김민지")},
	{in: "다음주 예약 있나요?", want: ask(AskBookings, "2026-11-30", "2026-12-06")},

	// Words the shop taught (Options.Lexicon) are read as taught.
	{in: "김민지 체크아웃", lex: map[string]string{"체크아웃": LexMemo}, want: note("김민지", want{note: "체크아웃"})},
	{in: "김민지 체크아웃", lex: map[string]string{"체크아웃": LexItem}, want: visit("김민지", it("체크아웃", 1))},
	{in: "김민지 라떼 ㅎㅎ 체크아웃", lex: map[string]string{"체크아웃": LexIgnore}, want: visit("김민지", it("라떼", 1))},
	// More readings of our own.
	{in: "최유나 어제 와서 라떼 마시고 감", want: note("최유나", want{items: items(it("라떼", 1)), date: "2026-11-25"})},
	{in: "윤서연 시나몬롤 진짜 좋아하심", want: note("윤서연", want{likes: strs("시나몬롤")})},
	{in: "배수지 요즘 자주 오심", want: note("배수지", want{note: "요즘 자주 오심"})},
	{in: "차은우 커피 안 마심", want: note("차은우", want{dislikes: strs("커피")})},
	{in: "송중기 현금 결제 만 오천원", want: note("송중기", want{date: today, amount: 15000, context: strs("현금")})},
	{in: "강호동 땅콩버터 알레르기 있대요", want: note("강호동", want{allergies: strs("땅콩버터")})},
	{in: "정재훈 딸기 케이크 예약 토요일 오후 3시", want: note("정재훈", want{items: items(it("딸기 케이크", 1)), date: "2026-11-28", booking: bk("2026-11-28", "15:00", "딸기 케이크")})},
	{in: "한소희 다음달 3일 생일 케이크 예약 5만원", want: note("한소희", want{items: items(it("생일 케이크", 1)), date: "2026-12-03", booking: &wantBooking{date: "2026-12-03", what: "생일 케이크", amount: 50000}})},
	{in: "김태리 내일 아침 8시 샌드위치 3개 픽업", want: note("김태리", want{items: items(it("샌드위치", 3)), date: "2026-11-27", booking: bk("2026-11-27", "08:00", "샌드위치 3개 픽업")})},
	{in: "서지수 지난주 목요일에 왔었음", want: note("서지수", want{date: "2026-11-19"})},
	{in: "김고은 매주 금요일 저녁 6시쯤 옴", want: note("김고은", want{usual: "friday", usualTime: "18:00"})},
	{in: "이준호랑 최서윤 아메리카노 두 잔씩", want: several(
		clause("이준호", want{items: items(it("아메리카노", 2)), date: today}),
		clause("최서윤", want{items: items(it("아메리카노", 2)), date: today}))},
	{in: "이준호, 최서윤, 박도윤 라떼 3잔", want: several(
		clause("이준호", want{items: items(it("라떼", 1)), date: today}),
		clause("최서윤", want{items: items(it("라떼", 1)), date: today}),
		clause("박도윤", want{items: items(it("라떼", 1)), date: today}))},
	{in: "박지성 호두 알레르기 없어졌대요", want: note("박지성", want{remove: rms(rm(crm.FactAllergy, "호두"))})},
	{in: "아 잠깐 2개", want: corr(Correction{Qty: 2})},
	{in: "김하늘 매일 출근길에 들름", want: note("김하늘", want{note: "매일 출근길에 들름"})},
	{in: "김하늘 생일 다음주 금요일", want: note("김하늘", want{birthday: "12-04"})},
	{in: "김하늘 3만 5천원 케이크", want: note("김하늘", want{items: items(it("케이크", 1)), date: today, amount: 35000})},
	{in: "김하늘 1월 2일부터 3박 4일 숙박", want: note("김하늘", want{date: "2027-01-02", booking: &wantBooking{date: "2027-01-02", end: "2027-01-05", what: "숙박"}})},
	{in: "김하늘 바닐라라떼 시럽 빼고", want: visit("김하늘", mod(it("바닐라라떼", 1), "시럽 빼고"))},
	{in: "이번 주 예약 뭐 있어?", want: ask(AskBookings, "2026-11-23", "2026-11-29")},
	{in: "금요일 예약 있어?", want: ask(AskBookings, "2026-11-27", "2026-11-27")},
	{in: "김하늘 체크아웃 11시", want: note("김하늘", want{note: "체크아웃 11시", unknown: strs("체크아웃")})},
	{in: "김하늘 라떼 며칠 전", want: note("김하늘", want{items: items(it("라떼", 1)), note: "며칠 전", unknown: strs("며칠 전")})},
	{in: "박서준 라떼 사고 쿠키도 먹고 감", want: note("박서준", want{items: items(it("라떼", 1), it("쿠키", 1)), date: today, context: strs("먹고 감")})},
	{in: "김민지 부산으로 이사 감", want: note("김민지", want{note: "부산으로 이사 감"})},
	{in: "김민지 예약 취소", want: note("김민지", want{note: "예약 취소"})},
	{in: "김민지 외상 만원", want: note("김민지", want{note: "외상 만원"})},
	{in: "정수빈 펌 했음 8만원", want: note("정수빈", want{items: items(it("펌", 1)), date: today, amount: 80000})},
	{in: "최민호 커트 받고 감", want: visit("최민호", it("커트", 1))},
	{in: "박준형 아메리카노 샷 하나 추가", want: visit("박준형", mod(it("아메리카노", 1), "샷 하나 추가"))},
	{in: "박준형 라떼 휘핑 많이", want: visit("박준형", mod(it("라떼", 1), "휘핑 많이"))},
	{in: "박준형 원두 1kg 택배", want: note("박준형", want{items: items(mod(it("원두", 1), "1kg")), date: today, context: strs("택배")})},
	{in: "윤아름 생크림 케이크 2호 주문 토요일 찾으러 옴", want: note("윤아름", want{items: items(mod(it("생크림 케이크", 1), "2호")), date: "2026-11-28", booking: bk("2026-11-28", "", "생크림 케이크 2호")})},
	{in: "강민수 친구 3명 데려옴", want: note("강민수", want{date: today, context: strs("친구 3명")})},
	{in: "장서윤 아이 생일 파티 예약 다음 주 토요일", want: note("장서윤", want{date: "2026-12-05", booking: bk("2026-12-05", "", "아이 생일 파티")})},
	{in: "장서윤 오이 빼주세요", want: note("장서윤", want{dislikes: strs("오이")})},
	{in: "오늘 누구 왔어?", want: ask(AskVisits, today, today)},
	{in: "최근에 안 온 단골", want: ask(AskLapsed, "", "")},
	{in: "김민지 어제랑 오늘 왔음", want: note("김민지", want{date: "2026-11-25", note: "오늘"})},
	{in: "김소희 소금빵 품절이라 못 삼", want: note("김소희", want{note: "소금빵 품절이라 못 삼"})},
	{in: "김소희님 소금빵 또 사가심", want: visit("김소희", it("소금빵", 1))},
	{in: "최민호 염색 예약 토요일 11시", want: note("최민호", want{items: items(it("염색", 1)), date: "2026-11-28", booking: bk("2026-11-28", "11:00", "염색")})},
	{in: "김민지 라떼 아니 아메리카노", want: visit("김민지", it("아메리카노", 1))},
	{in: "김민지 라떼 월요일 아니 화요일", want: note("김민지", want{items: items(it("라떼", 1)), date: "2026-11-24"})},
	{in: "김민지 마카롱 6개입 1박스", want: visit("김민지", mod(it("마카롱", 1), "6개입"))},
	{in: "김민지 딸기 케이크 1개 딸기 빼고", want: visit("김민지", mod(it("딸기 케이크", 1), "딸기 빼고"))},
	{in: "민지가 라떼 2잔 사감", want: visit("민지", it("라떼", 2))},
}

var issueEnglishCases = []parseCase{
	// The issue's own examples.
	{in: "Tom 2 croissants, Sarah 1 latte", want: several(
		clause("Tom", want{items: items(it("croissant", 2)), date: today}),
		clause("Sarah", want{items: items(it("latte", 1)), date: today}))},
	{in: "Tom 2 croissants, Sarah 1 latte", names: strs("Tom", "Sarah"), items: strs("croissant", "latte"), want: several(
		clause("Tom", want{items: items(it("croissant", 2)), date: today}),
		clause("Sarah", want{items: items(it("latte", 1)), date: today}))},
	{in: "Kim 2 croissants, oh wait 3", want: visit("Kim", it("croissant", 3))},
	{in: "Alex vegan", want: note("Alex", want{likes: strs("vegan")})},
	{in: "Chris bought coffee for £3.50", want: note("Chris", want{items: items(it("coffee", 1)), date: today, amount: 350, currency: "GBP"})},
	{in: "Kim croissant on 11/24", want: note("Kim", want{items: items(it("croissant", 1)), date: "2026-11-24"})},
	{in: "Sarah and Tom, 2 croissants", names: strs("Sarah", "Tom"), want: several(
		clause("Sarah", want{items: items(it("croissant", 1)), date: today}),
		clause("Tom", want{items: items(it("croissant", 1)), date: today}))},
	{in: "Sarah and Tom, 1 croissant each", want: several(
		clause("Sarah", want{items: items(it("croissant", 1)), date: today}),
		clause("Tom", want{items: items(it("croissant", 1)), date: today}))},
	{in: "Kim and Lee came in together, 2 lattes", want: several(
		clause("Kim", want{items: items(it("latte", 1)), date: today}),
		clause("Lee", want{items: items(it("latte", 1)), date: today}))},
	{in: "Kim doesn't like olives", want: note("Kim", want{dislikes: strs("olive")})},
	{in: "Kim not allergic to walnuts", want: note("Kim", want{remove: rms(rm(crm.FactAllergy, "walnut"))})},
	{in: "Kim no longer likes olives", want: note("Kim", want{remove: rms(rm(crm.FactLike, "olive"))})},
	{in: "oh wait 3", want: corr(Correction{Qty: 3})},
	{in: "I meant 3", want: corr(Correction{Qty: 3})},
	{in: "sorry, 3 not 2", want: corr(Correction{Qty: 3})},
	{in: "Kim came in with her dog Max", want: note("Kim", want{date: today, context: strs("with her dog max")})},
	{in: "Kim came in with her dog Max", names: strs("Kim", "Max"), want: note("Kim", want{date: today, context: strs("with her dog max")})},
	{in: "Kim bday 7/21", want: note("Kim", want{birthday: "07-21"})},
	{in: "Kim stamp card full", want: note("Kim", want{note: "stamp card full"})},
	{in: "Kim latte $12", want: note("Kim", want{items: items(it("latte", 1)), date: today, amount: 1200})},
	{in: "Kim scone £3.50", want: note("Kim", want{items: items(it("scone", 1)), date: today, amount: 350, currency: "GBP"})},
	{in: "Kim tea €4", want: note("Kim", want{items: items(it("tea", 1)), date: today, amount: 400, currency: "EUR"})},
	{in: "Kim latte, paid 12.50", want: note("Kim", want{items: items(it("latte", 1)), date: today, amount: 1250})},
	{in: "Kim latte ₩4,500", want: note("Kim", want{items: items(it("latte", 1)), date: today, amount: 4500})},
	{in: "Kim croissant on Nov 24", want: note("Kim", want{items: items(it("croissant", 1)), date: "2026-11-24"})},
	{in: "Kim croissant Nov. 24th", want: note("Kim", want{items: items(it("croissant", 1)), date: "2026-11-24"})},
	{in: "Kim croissant the 20th of October", want: note("Kim", want{items: items(it("croissant", 1)), date: "2026-10-20"})},
	{in: "Kim croissant Monday last week", want: note("Kim", want{items: items(it("croissant", 1)), date: "2026-11-16"})},
	{in: "Kim croissant this past Monday", want: note("Kim", want{items: items(it("croissant", 1)), date: "2026-11-23"})},
	{in: "Kim croissant a fortnight ago", want: note("Kim", want{items: items(it("croissant", 1)), date: "2026-11-12"})},
	{in: "Kim croissant three months ago", want: note("Kim", want{items: items(it("croissant", 1)), date: "2026-08-26"})},
	{in: "Bob cake pickup 3pm tomorrow", want: note("Bob", want{items: items(it("cake", 1)), date: "2026-11-27", booking: bk("2026-11-27", "15:00", "cake pickup")})},
	{in: "Kim croissant next Friday", want: note("Kim", want{items: items(it("croissant", 1)), date: "2026-12-04", booking: bk("2026-12-04", "", "croissant")})},
	{in: "Kim flat white, oat milk", want: visit("Kim", mod(it("flat white", 1), "oat milk"))},
	{in: "Kim iced latte", want: visit("Kim", mod(it("latte", 1), "iced"))},
	{in: "Kim large latte", want: visit("Kim", mod(it("latte", 1), "large"))},
	{in: "Kim decaf", want: visit("Kim", it("decaf", 1))},
	{in: "Kim latte, paid by card", want: note("Kim", want{items: items(it("latte", 1)), date: today, context: strs("card")})},
	{in: "birthdays this week", want: ask(AskBirthdays, "2026-11-23", "2026-11-29")},
	{in: "who hasn't been in for a while?", want: ask(AskLapsed, "", "")},
	{in: "how many visits this week?", want: ask(AskVisits, "2026-11-23", "2026-11-29")},
	{in: "any bookings tomorrow?", want: ask(AskBookings, "2026-11-27", "2026-11-27")},

	// Several customers.
	{in: "Tom 2 croissants Sarah 1 latte", names: strs("Tom", "Sarah"), want: several(
		clause("Tom", want{items: items(it("croissant", 2)), date: today}),
		clause("Sarah", want{items: items(it("latte", 1)), date: today}))},
	{in: "Tom 2 croissants, Sarah 1 latte yesterday", want: several(
		clause("Tom", want{items: items(it("croissant", 2)), date: "2026-11-25"}),
		clause("Sarah", want{items: items(it("latte", 1)), date: "2026-11-25"}))},
	{in: "Kim and Lee, 3 cookies", want: several(
		clause("Kim", want{items: items(it("cookie", 3)), date: today}),
		clause("Lee", want{date: today}))},
	{in: "Kim, Lee and Park, 3 coffees", want: several(
		clause("Kim", want{items: items(it("coffee", 1)), date: today}),
		clause("Lee", want{items: items(it("coffee", 1)), date: today}),
		clause("Park", want{items: items(it("coffee", 1)), date: today}))},
	{in: "Kim latte, Lee too", want: several(
		clause("Kim", want{items: items(it("latte", 1)), date: today}),
		clause("Lee", want{items: items(it("latte", 1)), date: today}))},
	{in: "Kim 2 lattes, Lee allergic to nuts", want: several(
		clause("Kim", want{items: items(it("latte", 2)), date: today}),
		clause("Lee", want{allergies: strs("nut")}))},
	{in: "Tom 2 croissants, Earl Grey tea", want: visit("Tom", it("croissant", 2), it("earl grey tea", 1))},
	{in: "Sarah and Tom came in", want: several(clause("Sarah", want{date: today}), clause("Tom", want{date: today}))},

	// Negations, removals, corrections.
	{in: "Kim isn't allergic to nuts anymore", want: note("Kim", want{remove: rms(rm(crm.FactAllergy, "nut"))})},
	{in: "Kim doesn't like coffee anymore", want: note("Kim", want{remove: rms(rm(crm.FactLike, "coffee"))})},
	{in: "Kim remove nut allergy", want: note("Kim", want{remove: rms(rm(crm.FactAllergy, "nut"))})},
	{in: "Kim nut allergy removed", want: note("Kim", want{remove: rms(rm(crm.FactAllergy, "nut"))})},
	{in: "Kim hates raisins", items: strs("raisin"), want: note("Kim", want{dislikes: strs("raisin")})},
	{in: "Kim allergic to milk", items: strs("milk"), names: strs("Milk", "Kim"), want: note("Kim", want{allergies: strs("milk")})},
	{in: "Kim loves croissants", items: strs("croissant"), want: note("Kim", want{likes: strs("croissant")})},
	{in: "Kim 3 lattes, sorry 2", want: visit("Kim", it("latte", 2))},
	{in: "Kim 2 croissants, I meant 3", want: visit("Kim", it("croissant", 3))},
	{in: "no, yesterday", want: corr(Correction{Date: day("2026-11-25")})},
	{in: "make that 4", want: corr(Correction{Qty: 4})},
	{in: "sorry, 3 lattes not 2", want: corr(Correction{Qty: 3, Item: "latte"})},
	{in: "oops, 2 scones", want: corr(Correction{Qty: 2, Item: "scone"})},
	{in: "actually Kim likes tea", want: note("Kim", want{likes: strs("tea")})},

	// Not everything is a visit; facts and birthdays.
	{in: "Kim is vegetarian", want: note("Kim", want{likes: strs("vegetarian")})},
	{in: "Kim gluten-free", want: note("Kim", want{likes: strs("gluten-free")})},
	{in: "Kim vegan cake 2", want: visit("Kim", it("vegan cake", 2))},
	{in: "Kim's birthday is on the 3rd of May", want: note("Kim", want{birthday: "05-03"})},
	{in: "Kim born 1990-05-03", want: note("Kim", want{birthday: "05-03", birthYear: 1990})},
	{in: "Kim birthday 14/3", want: note("Kim", want{birthday: "03-14"})},
	{in: "Kim walks her dog past the shop every day", want: note("Kim", want{note: "walks her dog past the shop every day"})},
	{in: "Kim was in yesterday", want: note("Kim", want{date: "2026-11-25"})},
	{in: "Kim stopped by on Monday", want: note("Kim", want{date: "2026-11-23"})},
	{in: "Kim loyalty card 9 stamps", want: note("Kim", want{note: "loyalty card 9 stamps"})},
	{in: "Kim kouign-amann", want: note("Kim", want{note: "kouign-amann", unknown: strs("kouign-amann")})},
	{in: "Kim latte, kouign-amann", want: visit("Kim", it("latte", 1), it("kouign-amann", 1))},
	{in: "Kim kouign-amann", lex: map[string]string{"kouign-amann": LexItem}, want: visit("Kim", it("kouign-amann", 1))},
	{in: "Kim latte 2 hours", want: note("Kim", want{items: items(it("latte", 1)), date: today, note: "2 hours"})},

	// Past days.
	{in: "Kim latte 2 Saturdays ago", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-14"})},
	{in: "Kim latte the Monday before last", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-16"})},
	{in: "Kim latte a week ago Monday", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-16"})},
	{in: "Kim latte last week's Friday", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-20"})},
	{in: "Kim latte Friday of last week", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-20"})},
	{in: "Kim latte on the 21st", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-21"})},
	{in: "Kim latte 1 week ago", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-19"})},
	{in: "Kim latte 10 days ago", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-16"})},
	{in: "Kim latte a couple of days ago", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-24"})},
	{in: "Kim latte last Sat", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-21"})},
	{in: "Kim latte Oct 31st", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-10-31"})},
	{in: "Kim latte 31 October 2025", want: note("Kim", want{items: items(it("latte", 1)), date: "2025-10-31"})},
	{in: "Kim latte October 2nd, 2026", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-10-02"})},
	{in: "Kim latte 11-20", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-20"})},
	{in: "Kim latte 20/11", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-20"})},
	{in: "Kim latte 2026/11/20", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-20"})},
	{in: "Kim latte last night", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-25", context: strs("night")})},
	{in: "Kim latte the first Monday of this month", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-02"})},
	{in: "Kim latte the last Friday of last month", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-10-30"})},
	{in: "Kim latte the 20th of last month", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-10-20"})},
	{in: "Kim latte Tuesday the 24th", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-24"})},
	{in: "Kim latte right now", want: note("Kim", want{items: items(it("latte", 1)), date: today})},
	{in: "Kim latte twenty-first of November", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-21"})},
	{in: "Kim latte on 11.24", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-24"})},
	{in: "Kim latte yest", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-25"})},
	{in: "Kim latte two weeks ago", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-12"})},
	{in: "Kim latte a year ago", want: note("Kim", want{items: items(it("latte", 1)), date: "2025-11-26"})},

	// Bookings and days ahead.
	{in: "Kim 2 cakes Saturday pickup", want: note("Kim", want{items: items(it("cake", 2)), date: "2026-11-28", booking: bk("2026-11-28", "", "2 cakes pickup")})},
	{in: "Kim pickup tomorrow 10am", want: note("Kim", want{date: "2026-11-27", booking: bk("2026-11-27", "10:00", "pickup")})},
	{in: "Kim appointment Friday 2pm", want: note("Kim", want{date: "2026-11-27", booking: bk("2026-11-27", "14:00", "appointment")})},
	{in: "Kim haircut appointment next Monday at 11", want: note("Kim", want{items: items(it("haircut", 1)), date: "2026-11-30", booking: bk("2026-11-30", "11:00", "haircut appointment")})},
	{in: "Kim reservation Dec 24 6pm", want: note("Kim", want{date: "2026-12-24", booking: bk("2026-12-24", "18:00", "")})},
	{in: "Kim stay Dec 20 to Dec 22", want: note("Kim", want{date: "2026-12-20", booking: &wantBooking{date: "2026-12-20", end: "2026-12-22", what: "stay"}})},
	{in: "Kim 3 nights from Dec 20", want: note("Kim", want{date: "2026-12-20", booking: &wantBooking{date: "2026-12-20", end: "2026-12-23"}})},
	{in: "Kim cake pickup in 3 days", want: note("Kim", want{items: items(it("cake", 1)), date: "2026-11-29", booking: bk("2026-11-29", "", "cake pickup")})},
	{in: "Kim order 2 cakes for Friday", want: note("Kim", want{items: items(it("cake", 2)), date: "2026-11-27", booking: bk("2026-11-27", "", "2 cakes")})},
	{in: "Kim 3pm booking", want: note("Kim", want{date: today, booking: bk(today, "15:00", "")})},
	{in: "Kim booking at 9", want: note("Kim", want{date: "2026-11-27", booking: bk("2026-11-27", "09:00", "")})},
	{in: "Kim cake Christmas Eve", want: note("Kim", want{items: items(it("cake", 1)), date: "2026-12-24", booking: bk("2026-12-24", "", "cake")})},
	{in: "Kim latte on the 3rd", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-12-03", booking: bk("2026-12-03", "", "latte")})},
	{in: "Kim bread in two weeks", want: note("Kim", want{items: items(it("bread", 1)), date: "2026-12-10", booking: bk("2026-12-10", "", "bread")})},
	{in: "Kim scones the day after tomorrow", want: note("Kim", want{items: items(it("scone", 1)), date: "2026-11-28", booking: bk("2026-11-28", "", "scones")})},
	{in: "Kim will come in next week", want: note("Kim", want{note: "will come in next week"})},
	{in: "Kim moving next month", want: note("Kim", want{note: "moving next month"})},

	// Usual times.
	{in: "Kim comes every morning at 7", want: note("Kim", want{usualTime: "07:00"})},
	{in: "Kim usually comes around 8am", want: note("Kim", want{usualTime: "08:00"})},
	{in: "Kim every Saturday at 10am", want: note("Kim", want{usual: "saturday", usualTime: "10:00"})},

	// Items as people say them.
	{in: "Kim 2 oat lattes", want: visit("Kim", mod(it("latte", 2), "oat"))},
	{in: "Kim large iced americano", want: visit("Kim", mod(it("americano", 1), "large", "iced"))},
	{in: "Kim hot chocolate", want: visit("Kim", it("hot chocolate", 1))},
	{in: "Kim cold brew", want: visit("Kim", it("cold brew", 1))},
	{in: "Kim latte with oat milk", want: visit("Kim", mod(it("latte", 1), "oat milk"))},
	{in: "Kim americano, extra shot", want: visit("Kim", mod(it("americano", 1), "extra shot"))},
	{in: "Kim small decaf latte", want: visit("Kim", mod(it("latte", 1), "small", "decaf"))},
	{in: "Kim the usual, to go", want: note("Kim", want{usualOrder: true, date: today, context: strs("takeout")})},
	{in: "Kim same as always", want: note("Kim", want{usualOrder: true, date: today})},
	{in: "Kim her usual yesterday", want: note("Kim", want{usualOrder: true, date: "2026-11-25"})},
	{in: "Kim oat lattes x2", items: strs("oat latte"), want: visit("Kim", it("oat latte", 2))},

	// Counter questions.
	{in: "who has a birthday today?", want: ask(AskBirthdays, today, today)},
	{in: "any birthdays next week?", want: ask(AskBirthdays, "2026-11-30", "2026-12-06")},
	{in: "how many customers today?", want: ask(AskVisits, today, today)},
	{in: "who's lapsed?", want: ask(AskLapsed, "", "")},
	{in: "bookings today", want: ask(AskBookings, today, today)},
	{in: "birthdays?", want: ask(AskBirthdays, today, "2026-12-02")},
	{in: "Kim birthday?", want: lookup("Kim")},
	{in: "whose birthday is it this month?", want: ask(AskBirthdays, "2026-11-01", "2026-11-30")},
	// More readings of our own.
	{in: "jane doe allergic to soy", want: note("jane doe", want{allergies: strs("soy")})},
	{in: "Kim and her husband, 2 lattes", want: note("Kim", want{items: items(it("latte", 2)), date: today, context: strs("and her husband")})},
	{in: "Sam 1 latte Jo 1 tea", want: several(
		clause("Sam", want{items: items(it("latte", 1)), date: today}),
		clause("Jo", want{items: items(it("tea", 1)), date: today}))},
	{in: "Kim had a latte, Lee had tea", want: several(
		clause("Kim", want{items: items(it("latte", 1)), date: today}),
		clause("Lee", want{items: items(it("tea", 1)), date: today}))},
	{in: "Kim latte. Lee tea.", want: several(
		clause("Kim", want{items: items(it("latte", 1)), date: today}),
		clause("Lee", want{items: items(it("tea", 1)), date: today}))},
	{in: "Kim celiac", want: note("Kim", want{allergies: strs("celiac")})},
	{in: "Kim 40th birthday today", want: note("Kim", want{birthday: "11-26"})},
	{in: "Kim 3 croissants @ $2.50", want: note("Kim", want{items: items(it("croissant", 3)), date: today, amount: 750})},
	{in: "Kim owes $5", want: note("Kim", want{note: "owes $5"})},
	{in: "Kim table of 4 at 7pm tonight", want: note("Kim", want{date: today, booking: bk(today, "19:00", "table of 4")})},
	{in: "Kim cancelled her booking", want: note("Kim", want{note: "cancelled her booking"})},
	{in: "Paul no nut allergy", want: note("Paul", want{remove: rms(rm(crm.FactAllergy, "nut"))})},
	{in: "Paul not a fan of mint", want: note("Paul", want{dislikes: strs("mint")})},
	{in: "Ben and Jerry 2 scones each", want: several(
		clause("Ben", want{items: items(it("scone", 2)), date: today}),
		clause("Jerry", want{items: items(it("scone", 2)), date: today}))},
	{in: "Anna 1 muffin; Bea 2 scones", want: several(
		clause("Anna", want{items: items(it("muffin", 1)), date: today}),
		clause("Bea", want{items: items(it("scone", 2)), date: today}))},
	{in: "wait, 4 not 3", want: corr(Correction{Qty: 4})},
	{in: "no wait, 2 lattes", want: corr(Correction{Qty: 2, Item: "latte"})},
	{in: "actually it was yesterday", want: corr(Correction{Date: day("2026-11-25")})},
	{in: "Zoe latte a few days ago", want: note("Zoe", want{items: items(it("latte", 1)), note: "a few days ago", unknown: strs("a few days ago")})},
	{in: "Zoe cake for Saturday", want: note("Zoe", want{items: items(it("cake", 1)), date: "2026-11-28", booking: bk("2026-11-28", "", "cake")})},
	{in: "Zoe checking in Dec 5, 2 nights", want: note("Zoe", want{date: "2026-12-05", booking: &wantBooking{date: "2026-12-05", end: "2026-12-07", what: "checking in"}})},
	{in: "Zoe small oat flat white", want: visit("Zoe", mod(it("flat white", 1), "small", "oat"))},
	{in: "Lucas usually comes on Wednesdays around 8", want: note("Lucas", want{usual: "wednesday", usualTime: "08:00"})},
	{in: "Mia the usual plus a muffin", want: note("Mia", want{items: items(it("muffin", 1)), usualOrder: true, date: today})},
	{in: "Ethan ordered a birthday cake for next Friday", want: note("Ethan", want{items: items(it("birthday cake", 1)), date: "2026-12-04", booking: bk("2026-12-04", "", "birthday cake")})},
	{in: "who's got bookings on Friday?", want: ask(AskBookings, "2026-11-27", "2026-11-27")},
	{in: "Olivia birthday June 3rd", want: note("Olivia", want{birthday: "06-03"})},
	{in: "Sophia no longer allergic to dairy", want: note("Sophia", want{remove: rms(rm(crm.FactAllergy, "dairy"))})},
	{in: "Mason 3 croissants yesterday morning, paid $10.50", want: note("Mason", want{items: items(it("croissant", 3)), date: "2026-11-25", amount: 1050, context: strs("morning")})},
	{in: "who came in today?", want: ask(AskVisits, today, today)},
	{in: "Kim table for 2 tomorrow 8pm", want: note("Kim", want{date: "2026-11-27", booking: bk("2026-11-27", "20:00", "table for 2")})},
	{in: "Kim latte 2, Lee latte 1", want: several(
		clause("Kim", want{items: items(it("latte", 2)), date: today}),
		clause("Lee", want{items: items(it("latte", 1)), date: today}))},
	{in: "Kim latte 3 oh no 2", want: visit("Kim", it("latte", 2))},
	{in: "Kim latte on monday, no tuesday", want: note("Kim", want{items: items(it("latte", 1)), date: "2026-11-24"})},
	{in: "Kim 6 donuts to go, paid cash $12", want: note("Kim", want{items: items(it("donut", 6)), date: today, amount: 1200, context: strs("takeout", "cash")})},
	{in: "Kim box of 6 macarons", want: visit("Kim", it("macaron", 6))},
	{in: "Kim decaf oat latte extra hot", want: visit("Kim", mod(it("latte", 1), "decaf", "oat", "extra hot"))},
	{in: "Kim 2 lattes, Lee 1 scone yesterday", want: several(
		clause("Kim", want{items: items(it("latte", 2)), date: "2026-11-25"}),
		clause("Lee", want{items: items(it("scone", 1)), date: "2026-11-25"}))},
}
