package ruletext

import (
	"testing"

	"github.com/dangol/dangol/crm"
)

var shopItems = []string{"크루아상", "크로와상", "소금빵", "아아", "커트", "펌", "염색", "croissant", "salt bread", "latte", "haircut"}

// TestRead: a class of phrasings per trigger, in both languages; each
// names the kind, its numbers, the action, the send time and the text.
func TestRead(t *testing.T) {
	type want struct {
		kind    crm.TriggerKind
		days    int
		anchor  string
		ahead   int
		weekday int
		item    string
		before  string
		rain    int
		action  crm.ActionKind
		purpose crm.Purpose
		sendAt  string
		text    string
	}
	msg := crm.ActionMessage
	for _, tt := range []struct {
		in   string
		want want
	}{
		// New members who did not come back.
		{"첫 방문 후 14일 동안 방문 없으면 10시에 ‘무리하지 말고 20분 스트레칭부터 해 보세요’", want{kind: crm.TriggerAfterFirst, days: 14, action: msg, sendAt: "10:00", text: "무리하지 말고 20분 스트레칭부터 해 보세요"}},
		{"신규 회원이 2주 동안 안 오면 '천천히 시작해요'", want{kind: crm.TriggerAfterFirst, days: 14, action: msg, text: "천천히 시작해요"}},
		{"처음 온 손님이 열흘... 아니 10일 안 오면 오전 9시 반에 “잘 지내시죠?”", want{kind: crm.TriggerAfterFirst, days: 10, action: msg, sendAt: "09:30", text: "잘 지내시죠?"}},
		{"New member, no visit for 14 days after the first visit: 'Take it easy — 20 minutes of stretching'", want{kind: crm.TriggerAfterFirst, days: 14, action: msg, text: "Take it easy — 20 minutes of stretching"}},
		{"14 days after their first visit, if they haven't come back, send \"We miss you!\" at 10am", want{kind: crm.TriggerAfterFirst, days: 14, action: msg, sendAt: "10:00", text: "We miss you!"}},
		// Away for a while.
		{"60일 동안 안 온 손님에게 ‘오랜만이에요! 다음에 오시면 작은 선물 드릴게요’", want{kind: crm.TriggerNoVisit, days: 60, action: msg, purpose: crm.PurposeOffers, text: "오랜만이에요! 다음에 오시면 작은 선물 드릴게요"}},
		{"두 달 넘게 발길이 끊긴 손님 → 반가운 안부 인사", want{kind: crm.TriggerNoVisit, days: 60, action: msg, text: "반가운 안부 인사"}},
		{"If someone hasn't been in for 60 days, send 'Long time no see! A small welcome is waiting.' at 11:00", want{kind: crm.TriggerNoVisit, days: 60, action: msg, sendAt: "11:00", text: "Long time no see! A small welcome is waiting."}},
		{"no visit in 3 months: 'We'd love to see you again'", want{kind: crm.TriggerNoVisit, days: 90, action: msg, text: "We'd love to see you again"}},
		// Bookings and stays.
		{"예약 3일 전에 ‘오시는 길과 주차 안내예요’ 보내줘", want{kind: crm.TriggerBooking, days: -3, anchor: crm.AnchorStart, action: msg, text: "오시는 길과 주차 안내예요"}},
		{"숙박 D-3 오전 10시 ‘지도 링크: …’", want{kind: crm.TriggerBooking, days: -3, anchor: crm.AnchorStart, action: msg, sendAt: "10:00", text: "지도 링크: …"}},
		{"체크아웃 날 11시에 ‘머물러 주셔서 고마워요’", want{kind: crm.TriggerBooking, days: 0, anchor: crm.AnchorEnd, action: msg, sendAt: "11:00", text: "머물러 주셔서 고마워요"}},
		{"숙박 90일 후 ‘다음 여행은 어디로 가고 싶으세요?’ 물어보기", want{kind: crm.TriggerBooking, days: 90, anchor: crm.AnchorEnd, action: crm.ActionAsk, text: "다음 여행은 어디로 가고 싶으세요?"}},
		{"D+90 설문 ‘다음 여행 취향을 한 줄로 알려 주세요’", want{kind: crm.TriggerBooking, days: 90, anchor: crm.AnchorStart, action: crm.ActionAsk, text: "다음 여행 취향을 한 줄로 알려 주세요"}},
		{"3 days before a booking send 'Here is the map and parking'", want{kind: crm.TriggerBooking, days: -3, anchor: crm.AnchorStart, action: msg, text: "Here is the map and parking"}},
		{"on checkout day at 11am: 'Thank you for staying with us'", want{kind: crm.TriggerBooking, days: 0, anchor: crm.AnchorEnd, action: msg, sendAt: "11:00", text: "Thank you for staying with us"}},
		{"90 days after a stay ask 'Where would you like to go next?'", want{kind: crm.TriggerBooking, days: 90, anchor: crm.AnchorEnd, action: crm.ActionAsk, text: "Where would you like to go next?"}},
		{"the day before a reservation: 'See you tomorrow!'", want{kind: crm.TriggerBooking, days: -1, anchor: crm.AnchorStart, action: msg, text: "See you tomorrow!"}},
		{"예약 당일 9시 ‘오늘 기다리고 있을게요’", want{kind: crm.TriggerBooking, days: 0, anchor: crm.AnchorStart, action: msg, sendAt: "09:00", text: "오늘 기다리고 있을게요"}},
		// Birthdays.
		{"생일에 ‘생일 축하드려요!’", want{kind: crm.TriggerBirthday, action: msg, purpose: crm.PurposeBirthday, text: "생일 축하드려요!"}},
		{"생일 3일 전에 ‘생일 주간 쿠폰을 드려요’", want{kind: crm.TriggerBirthday, days: 3, action: msg, purpose: crm.PurposeOffers, text: "생일 주간 쿠폰을 드려요"}},
		{"on their birthday at 9:00 send 'Happy birthday, {name}!'", want{kind: crm.TriggerBirthday, action: msg, purpose: crm.PurposeBirthday, sendAt: "09:00", text: "Happy birthday, {name}!"}},
		// Rain.
		{"비 올 확률 60% 이상이면 단골에게 ‘우산 비치해 뒀어요 — 편하게 들르세요’", want{kind: crm.TriggerDue, ahead: 6, rain: 60, action: msg, text: "우산 비치해 뒀어요 — 편하게 들르세요"}},
		{"강수확률 70% 넘는 날 9시에 ‘비 오는 날엔 따뜻한 라떼 어떠세요’", want{kind: crm.TriggerRain, rain: 70, action: msg, sendAt: "09:00", text: "비 오는 날엔 따뜻한 라떼 어떠세요"}},
		{"on rainy days (rain 60% or more) tell regulars who are due 'Umbrellas by the door — drop in'", want{kind: crm.TriggerDue, ahead: 6, rain: 60, action: msg, text: "Umbrellas by the door — drop in"}},
		// Own rhythm.
		{"올 때가 된 손님에게 ‘요즘 어떠세요?’", want{kind: crm.TriggerDue, action: msg, text: "요즘 어떠세요?"}},
		{"when a customer is due by their own rhythm: 'Your usual is ready'", want{kind: crm.TriggerDue, action: msg, text: "Your usual is ready"}},
		// Usual weekday, item, early birds, staff.
		{"목요일 크루아상 단골에게 10시에 ‘막 구운 크루아상이 10시에 나와요’", want{kind: crm.TriggerWeekday, weekday: 4, item: "크루아상", action: msg, sendAt: "10:00", text: "막 구운 크루아상이 10시에 나와요"}},
		{"크루아상 단골이 오는 요일 아침 9시 ‘갓 나온 크루아상 있어요’", want{kind: crm.TriggerWeekday, item: "크루아상", action: msg, sendAt: "09:00", text: "갓 나온 크루아상 있어요"}},
		{"Croissant regulars on their usual day at 10:00: 'Fresh croissants at 10!'", want{kind: crm.TriggerWeekday, item: "croissant", action: msg, sendAt: "10:00", text: "Fresh croissants at 10!"}},
		{"아침 8시 전에 오는 단골 → 직원에게 ‘타월 준비’", want{kind: crm.TriggerWeekday, before: "08:00", action: crm.ActionStaff, text: "타월 준비"}},
		{"regulars who come before 8am: remind staff 'towel ready'", want{kind: crm.TriggerWeekday, before: "08:00", action: crm.ActionStaff, text: "towel ready"}},
		{"오는 날 다이제스트에 ‘늘 {늘 먹던 거}’", want{kind: crm.TriggerWeekday, action: crm.ActionStaff, text: "늘 {늘 먹던 거}"}},
		// Announcements, cycles.
		{"신간이 나오면 좋아하는 작가 손님에게 ‘{좋아하는 것} 새 책이 나왔어요: {소식}’", want{kind: crm.TriggerAnnouncement, action: msg, text: "{좋아하는 것} 새 책이 나왔어요: {소식}"}},
		{"When I announce a new release, tell customers who like it: '{likes} — {news}'", want{kind: crm.TriggerAnnouncement, action: msg, text: "{likes} — {news}"}},
		{"시술 주기가 지나면 ‘{지난 시술} 하신 지 꽤 됐어요’", want{kind: crm.TriggerCycle, action: msg, text: "{지난 시술} 하신 지 꽤 됐어요"}},
		{"when their own service cycle runs out: 'Time for your next {last_service}?'", want{kind: crm.TriggerCycle, action: msg, text: "Time for your next {last_service}?"}},
		{"체크인 하루 전 오후 3시 ‘내일 뵐게요’", want{kind: crm.TriggerBooking, days: -1, anchor: crm.AnchorStart, action: msg, sendAt: "15:00", text: "내일 뵐게요"}},
		{"예약 전날 '내일 뵙겠습니다'", want{kind: crm.TriggerBooking, days: -1, anchor: crm.AnchorStart, action: msg, text: "내일 뵙겠습니다"}},
		{"퇴실 다음 날 ‘잘 들어가셨어요?’", want{kind: crm.TriggerBooking, days: 1, anchor: crm.AnchorEnd, action: msg, text: "잘 들어가셨어요?"}},
		{"send 'Safe travels!' the day after checkout", want{kind: crm.TriggerBooking, days: 1, anchor: crm.AnchorEnd, action: msg, text: "Safe travels!"}},
		{"숙박 끝나고 3개월 뒤에 ‘다음 여행은 어디로?’ 설문", want{kind: crm.TriggerBooking, days: 90, anchor: crm.AnchorEnd, action: crm.ActionAsk, text: "다음 여행은 어디로?"}},
		{"D-1 '내일 뵙겠습니다'", want{kind: crm.TriggerBooking, days: -1, anchor: crm.AnchorStart, action: msg, text: "내일 뵙겠습니다"}},
		{"처음 온 지 2주 지나도 안 오는 회원한테 ‘잘 지내세요?’ 보내줘", want{kind: crm.TriggerAfterFirst, days: 14, action: msg, text: "잘 지내세요?"}},
		{"석 달 동안 발길 끊긴 단골에게 “다시 뵙고 싶어요”", want{kind: crm.TriggerNoVisit, days: 90, action: msg, text: "다시 뵙고 싶어요"}},
		{"customers who haven't visited in a month get 'We miss you' at 2pm", want{kind: crm.TriggerNoVisit, days: 30, action: msg, sendAt: "14:00", text: "We miss you"}},
		{"생일 일주일 전에 ‘생일 쿠폰 드려요’", want{kind: crm.TriggerBirthday, days: 7, action: msg, purpose: crm.PurposeOffers, text: "생일 쿠폰 드려요"}},
		{"a week before their birthday send 'Birthday treat on us'", want{kind: crm.TriggerBirthday, days: 7, action: msg, purpose: crm.PurposeBirthday, text: "Birthday treat on us"}},
		{"비 오는 날 아침 8시 ‘우산 빌려 드려요’", want{kind: crm.TriggerRain, rain: 60, action: msg, sendAt: "08:00", text: "우산 빌려 드려요"}},
		{"if it's going to rain (70%), send due regulars 'Umbrellas at the door'", want{kind: crm.TriggerDue, ahead: 6, rain: 70, action: msg, text: "Umbrellas at the door"}},
		{"평소 화요일에 오는 소금빵 단골에게 ‘소금빵 나왔어요’", want{kind: crm.TriggerWeekday, weekday: 2, item: "소금빵", action: msg, text: "소금빵 나왔어요"}},
		{"Saturday salt bread regulars at 8:30am: 'Salt bread is out'", want{kind: crm.TriggerWeekday, weekday: 6, item: "salt bread", action: msg, sendAt: "08:30", text: "Salt bread is out"}},
		{"매주 오는 손님 중 아침 7시 전에 오는 분 → 직원 ‘타월 챙기기’", want{kind: crm.TriggerWeekday, before: "07:00", action: crm.ActionStaff, text: "타월 챙기기"}},
		{"새 메뉴 나오면 좋아하는 사람한테 ‘{소식} 나왔어요’", want{kind: crm.TriggerAnnouncement, action: msg, text: "{소식} 나왔어요"}},
		{"머리 할 때 된 손님에게 ‘{지난 시술} 하러 오세요’", want{kind: crm.TriggerCycle, action: msg, text: "{지난 시술} 하러 오세요"}},
		{"when their haircut cycle is up: 'Time for a trim?'", want{kind: crm.TriggerCycle, item: "haircut", action: msg, text: "Time for a trim?"}},
		// Text without quotes, after a colon; a clock's colon is not one.
		{"생일 10:00: 생일 축하해요", want{kind: crm.TriggerBirthday, action: msg, purpose: crm.PurposeBirthday, sendAt: "10:00", text: "생일 축하해요"}},
		{"at 7:30 pm, 30 days without a visit → We miss you", want{kind: crm.TriggerNoVisit, days: 30, action: msg, sendAt: "19:30", text: "We miss you"}},
		// An apostrophe is not a quote.
		{"if they don't come for 45 days send 'Hi there'", want{kind: crm.TriggerNoVisit, days: 45, action: msg, text: "Hi there"}},
	} {
		t.Run(tt.in, func(t *testing.T) {
			got := Read(tt.in, Options{Items: shopItems})
			r := got.Rule
			w := tt.want
			if r.Trigger.Kind != w.kind || r.Trigger.Days != w.days || r.Trigger.Anchor != w.anchor || r.Trigger.Ahead != w.ahead ||
				r.Trigger.Weekday != w.weekday || r.Trigger.Item != w.item || r.Trigger.Before != w.before || r.Trigger.Rain != w.rain {
				t.Errorf("trigger %+v, want %+v", r.Trigger, w)
			}
			if r.Action.Kind != w.action || r.Action.Purpose != w.purpose || r.Action.Text != w.text {
				t.Errorf("action %+v, want %s %q %q", r.Action, w.action, w.purpose, w.text)
			}
			if r.SendAt != w.sendAt {
				t.Errorf("send at %q, want %q", r.SendAt, w.sendAt)
			}
			if !got.Found.Trigger {
				t.Error("no trigger found")
			}
		})
	}
}

// TestReadParts: an edit names only some parts.
func TestReadParts(t *testing.T) {
	for _, tt := range []struct {
		in                               string
		trigger, text, time, item, found bool
	}{
		{"9시 반", false, false, true, false, true},
		{"at 9am", false, false, true, false, true},
		{"‘새 문구예요’", false, true, false, false, true},
		{"소금빵", false, false, false, true, true},
		{"음", false, false, false, false, false},
		{"", false, false, false, false, false},
	} {
		got := Read(tt.in, Options{Items: shopItems})
		f := got.Found
		if f.Trigger != tt.trigger || f.Text != tt.text || f.Time != tt.time || f.Item != tt.item || f.Any() != tt.found {
			t.Errorf("%q: found %+v", tt.in, f)
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, s := range []string{"첫 방문 후 14일 ‘x’", "'", "‘", "D-", "10:", "d+9999999", "예약 3일 전 \"a", "비 101%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := Read(s, Options{Items: shopItems})
		if r.Rule.Trigger.Days > maxDays || r.Rule.Trigger.Days < -maxDays || r.Rule.Trigger.Rain > 100 {
			t.Fatalf("%q: %+v", s, r.Rule.Trigger)
		}
	})
}
