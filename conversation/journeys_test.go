package conversation_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
)

// journey is a chat fixture for rules: customers who joined by chat, a
// scheduler ticking on the fake clock, and what each customer received
// with the shop-local time it went.
type journey struct {
	*chat
	sched *conversation.Scheduler
	got   map[string][]received // by Telegram user
	seen  map[string]int        // deliveries already sorted into got
	rain  *fakeWeather
}

type received struct {
	At   string // "2026-11-12 10:00"
	Text string
}

// fakeWeather is a forecast that answers from a table, or fails.
type fakeWeather struct {
	mu    sync.Mutex
	rain  map[crm.Date]int
	fail  map[crm.Date]bool
	calls int
}

func (f *fakeWeather) RainChance(_ context.Context, _ crm.GeoPoint, day crm.Date, _ *time.Location) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.fail[day] {
		return 0, errors.New("forecast service down")
	}
	v, ok := f.rain[day]
	if !ok {
		return 0, fmt.Errorf("no value: %w", crm.ErrNoForecast)
	}
	return v, nil
}

func (f *fakeWeather) Name() string { return "fake" }

func newJourney(t *testing.T, lang string) *journey {
	t.Helper()
	c := newChat(t, lang)
	j := &journey{chat: c, got: map[string][]received{}, seen: map[string]int{},
		rain: &fakeWeather{rain: map[crm.Date]int{}, fail: map[crm.Date]bool{}}}
	// The engine again, with the fake forecast; the chat's outbox and
	// scheduler run on it.
	var err error
	j.engine, err = conversation.New(conversation.Config{Store: c.db, Catalog: c.cat, Now: func() time.Time { return c.now },
		Weather: j.rain})
	if err != nil {
		t.Fatal(err)
	}
	c.out = conversation.NewOutbox(j.engine, map[string]conversation.Sender{"telegram": c.tg, "console": c.con}, nil)
	j.sched = conversation.NewScheduler(j.engine, map[string]conversation.Sender{"console": c.con}, nil)
	// A generous outbox cap: the rules' own limits are what these tests
	// look at (the cap tests set their own).
	j.setting(crm.SettingOutboxCap, "10/1")
	return j
}

func (j *journey) setting(key, value string) {
	j.t.Helper()
	if err := j.db.SetShopSetting(j.ctx, j.shop.ID, key, value); err != nil {
		j.t.Fatal(err)
	}
}

// day reads "2026-11-12".
func day(s string) crm.Date {
	d, err := crm.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// at sets the clock to hh:mm shop time on d.
func (j *journey) at(d crm.Date, hhmm string) {
	m, err := crm.ParseClock(hhmm)
	if err != nil {
		j.t.Fatal(err)
	}
	j.now = time.Date(d.Year, d.Month, d.Day, m/60, m%60, 0, 0, j.shop.Location())
}

// customer joins as Telegram user with name (agreeing to every purpose)
// and has visits on days, buying items.
func (j *journey) customer(user, name string) crm.Customer {
	j.t.Helper()
	cu := j.join(j.shop, user, "ko", name)
	j.deliver()
	j.collect()
	return cu
}

// visit records a visit of customer id on d with items.
func (j *journey) visit(id int64, d crm.Date, items ...string) {
	j.t.Helper()
	in := &crm.VisitInput{Date: d}
	for _, it := range items {
		name, qty := it, 1
		if a, b, ok := strings.Cut(it, "*"); ok {
			name = a
			qty, _ = strconv.Atoi(b)
		}
		in.Items = append(in.Items, crm.ItemQty{Name: name, Qty: qty})
	}
	if _, err := j.db.RecordNote(j.ctx, crm.NoteInput{ShopID: j.shop.ID, Platform: "console", AuthorID: "owner",
		Text: "visit", At: j.now, Change: crm.Change{CustomerID: id, UsualWeekday: crm.NoWeekday, Visit: in}}); err != nil {
		j.t.Fatal(err)
	}
}

// noted records a customer known only from notes (never joined by chat).
func (j *journey) noted(name string) int64 {
	j.t.Helper()
	n, err := j.db.RecordNote(j.ctx, crm.NoteInput{ShopID: j.shop.ID, Platform: "console", AuthorID: "owner", Text: name,
		At: j.now, Change: crm.Change{NewName: name, UsualWeekday: crm.NoWeekday, Facts: []crm.FactInput{{Kind: crm.FactNote, Value: "-"}}}})
	if err != nil {
		j.t.Fatal(err)
	}
	return n.Effects[0].RefID
}

// template saves a template (filling its blanks with fills, one edit
// each) and returns the rule.
func (j *journey) template(key string, fills ...string) crm.Rule {
	j.t.Helper()
	r := j.press("owner", "rtpl:"+key)
	for _, f := range fills {
		j.press("owner", action(j.t, r, "redit:"))
		r = j.say("owner", f)
	}
	return j.save(r)
}

// save presses Save on a draft's readback and returns the saved rule.
func (j *journey) save(r []conversation.Reply) crm.Rule {
	j.t.Helper()
	saved := j.press("owner", action(j.t, r, "rsave:"))
	if !hasButton(saved, "rview:") {
		j.t.Fatalf("not saved: %+v (draft %+v)", saved, r)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(action(j.t, saved, "rview:"), "rview:"), 10, 64)
	rule, err := j.db.Rule(j.ctx, j.shop.ID, id)
	if err != nil {
		j.t.Fatal(err)
	}
	return rule
}

// tick runs the scheduler at the clock's time and delivers what is due.
func (j *journey) tick() {
	j.t.Helper()
	if err := j.sched.Tick(j.ctx, j.now); err != nil {
		j.t.Fatalf("tick at %v: %v", j.now, err)
	}
	j.deliver()
	j.collect()
}

// collect sorts new deliveries to customers into got, stamped with now.
func (j *journey) collect() {
	j.tg.mu.Lock()
	defer j.tg.mu.Unlock()
	for _, d := range j.tg.sent[j.seen["all"]:] {
		j.got[d.user] = append(j.got[d.user], received{At: j.now.In(j.shop.Location()).Format("2006-01-02 15:04"), Text: d.reply.Text})
	}
	j.seen["all"] = len(j.tg.sent)
}

// days ticks at each of times on every day from → to.
func (j *journey) days(from, to crm.Date, times ...string) {
	j.t.Helper()
	for d := from; !d.After(to); d = d.AddDays(1) {
		for _, hhmm := range times {
			j.at(d, hhmm)
			j.tick()
		}
	}
}

// expect fails unless user received exactly want (time and text, in order)
// since the last expect, and forgets what it checked.
func (j *journey) expect(user string, want ...received) {
	j.t.Helper()
	got := j.got[user]
	j.got[user] = nil
	if len(got) != len(want) {
		j.t.Fatalf("%s received %d: %+v; want %d: %+v", user, len(got), got, len(want), want)
	}
	for i := range got {
		if got[i].At != want[i].At || got[i].Text != want[i].Text {
			j.t.Errorf("%s message %d = %+v, want %+v", user, i, got[i], want[i])
		}
	}
}

// dry returns the dry run of day as JSON would have it, by rule name.
func (j *journey) dry(d crm.Date) map[string]conversation.DryRunRuleJSON {
	j.t.Helper()
	outs, err := j.engine.DryRun(j.ctx, j.shop, d, nil)
	if err != nil {
		j.t.Fatal(err)
	}
	m := map[string]conversation.DryRunRuleJSON{}
	for _, r := range conversation.DryRunOut(d, outs).Rules {
		m[r.Name] = r
	}
	return m
}

func skippedAs(r conversation.DryRunRuleJSON) map[string]string {
	out := map[string]string{}
	for _, s := range r.Skipped {
		out[s.Customer] = s.Why
	}
	return out
}

func sentTo(r conversation.DryRunRuleJSON) []string {
	var out []string
	for _, s := range r.WouldSend {
		out = append(out, s.Customer)
	}
	slices.Sort(out)
	return out
}

// TestTemplateBakery: usual-weekday regulars of an item get the bake-time
// note on their day at the rule's time, every week; other regulars, people
// who buy the item on no usual day, and people who never joined get
// nothing.
func TestTemplateBakery(t *testing.T) {
	j := newJourney(t, "ko")
	j.at(day("2026-11-01"), "12:00")
	minji := j.customer("3001", "민지")
	seojun := j.customer("3002", "서준")
	doyun := j.customer("3003", "도윤")
	hana := j.noted("하나")
	for _, d := range []string{"2026-10-15", "2026-10-22", "2026-10-29", "2026-11-05"} { // Thursdays
		j.visit(minji.ID, day(d), "크루아상*2", "라떼")
		j.visit(seojun.ID, day(d), "바게트")
		j.visit(hana, day(d), "크루아상")
	}
	for _, d := range []string{"2026-10-19", "2026-10-24", "2026-10-27", "2026-11-03"} { // no usual day
		j.visit(doyun.ID, day(d), "크루아상*3")
	}
	rule := j.template("bakery_bake")
	if rule.Trigger.Item != "크루아상" || rule.SendAt != "10:00" {
		t.Fatalf("bakery rule %+v: the shop's best seller at 10:00", rule)
	}
	// Dry run of Thursday: 민지 gets it, 하나 never joined.
	dr := j.dry(day("2026-11-12"))[rule.Name]
	if got := sentTo(dr); !slices.Equal(got, []string{"민지"}) || skippedAs(dr)["하나"] != "no_consent" || len(dr.Skipped) != 1 {
		t.Fatalf("dry run %+v", dr)
	}
	j.days(day("2026-11-09"), day("2026-11-19"), "09:59", "10:00", "18:00")
	want := "민지님, 오늘 막 구운 크루아상이 10시에 나와요!"
	j.expect("3001", received{"2026-11-12 10:00", want}, received{"2026-11-19 10:00", want})
	j.expect("3002")
	j.expect("3003")
}

// TestTemplateRainyDay: on days with rain probability ≥ 60%, regulars due
// within the week get the umbrella line (not a coupon: no offer label); a
// failed forecast skips the day and tells the owner once.
func TestTemplateRainyDay(t *testing.T) {
	j := newJourney(t, "ko")
	j.at(day("2026-11-01"), "12:00")
	weekly := j.customer("3101", "주간")  // every 7 days; last visit 11/6
	monthly := j.customer("3102", "월간") // every 30 days; last visit 10/20
	lapsed := j.customer("3103", "오래전") // last visit in August
	for _, d := range []string{"2026-10-16", "2026-10-23", "2026-10-30", "2026-11-06"} {
		j.visit(weekly.ID, day(d))
	}
	for _, d := range []string{"2026-07-22", "2026-08-21", "2026-09-20", "2026-10-20"} {
		j.visit(monthly.ID, day(d))
	}
	j.visit(lapsed.ID, day("2026-08-01"))
	j.visit(lapsed.ID, day("2026-08-05"))
	rule := j.template("rainy_day")
	// No location yet: no forecast, nobody.
	if dr := j.dry(day("2026-11-09"))[rule.Name]; len(dr.WouldSend)+len(dr.Skipped) != 0 {
		t.Fatalf("without a location: %+v", dr)
	}
	j.say("owner", "/설정 위치 37.5665,126.9780")
	j.rain.rain[day("2026-11-09")] = 70 // Monday: 주간 is due 11/13, within the week
	j.rain.rain[day("2026-11-10")] = 30
	j.rain.fail[day("2026-11-11")] = true
	j.rain.fail[day("2026-11-12")] = true
	j.rain.rain[day("2026-11-13")] = 90 // 주간 fired this lapse already; 월간 is due 11/19
	j.days(day("2026-11-09"), day("2026-11-13"), "08:00", "09:00", "12:00")
	umbrella := "비 소식이 있네요. 우산 비치해 뒀어요 — 편하게 들르세요."
	j.expect("3101", received{"2026-11-09 09:00", umbrella})
	j.expect("3102", received{"2026-11-13 09:00", umbrella})
	j.expect("3103")
	// Two failed days, one notice; the forecast is fetched once a day.
	var notices int
	for _, r := range j.con.to("owner") {
		if strings.Contains(r.Text, "날씨 예보(fake)를 가져오지 못해서") {
			notices++
		}
	}
	if notices != 1 {
		t.Errorf("%d weather notices, want 1", notices)
	}
	if j.rain.calls != 5 {
		t.Errorf("%d forecast calls for 5 days, want 5", j.rain.calls)
	}
	// A failure after a good day is told again.
	j.rain.fail[day("2026-11-14")] = true
	j.days(day("2026-11-14"), day("2026-11-14"), "09:00")
	notices = 0
	for _, r := range j.con.to("owner") {
		if strings.Contains(r.Text, "날씨 예보(fake)를 가져오지 못해서") {
			notices++
		}
	}
	if notices != 2 {
		t.Errorf("%d weather notices after a new failure, want 2", notices)
	}
}

// TestTemplatesPT: a new member who has not come back 14 days after the
// first visit gets one care message on day 14 at 10:00, never again; one
// who came back gets nothing; the early-morning regular's towel line is in
// the digest on their usual day.
func TestTemplatesPT(t *testing.T) {
	j := newJourney(t, "ko")
	j.at(day("2026-11-01"), "12:00")
	jimin := j.customer("3201", "지민") // first visit 11/2, never again
	jun := j.customer("3202", "준")    // first visit 11/2, back 11/7
	hyun := j.customer("3203", "현")   // first visit 11/3
	j.customer("3204", "한결")          // Tuesdays at 06:30
	j.visit(jimin.ID, day("2026-11-02"))
	j.visit(jun.ID, day("2026-11-02"))
	j.visit(jun.ID, day("2026-11-07"))
	j.visit(hyun.ID, day("2026-11-03"))
	j.say("owner", "한결 매주 화요일 아침 6시 반에 와요")
	late := j.noted("늦잠")
	j.say("owner", "늦잠 매주 화요일 오전 9시에 와요")
	j.visit(late, day("2026-11-03"))
	care := j.template("pt_care")
	j.template("pt_towel")
	j.days(day("2026-11-14"), day("2026-11-30"), "10:00")
	text := "{이름}님, 요즘 어떠세요? 무리하지 말고 20분 스트레칭부터 천천히 시작해 보세요. 언제든 기다릴게요."
	j.expect("3201", received{"2026-11-16 10:00", strings.ReplaceAll(text, "{이름}", "지민")})
	j.expect("3202")
	j.expect("3203", received{"2026-11-17 10:00", strings.ReplaceAll(text, "{이름}", "현")})
	// Never twice: the occasion is spent.
	if dr := j.dry(day("2026-11-18"))[care.Name]; skippedAs(dr)["지민"] != "already_sent" || len(dr.WouldSend) != 0 {
		t.Errorf("dry run after: %+v", dr)
	}
	// The towel line: Tuesday's digest (pushed at 08:30) names 새벽이 with
	// the time, not the 9 o'clock customer.
	var tuesday string
	for _, r := range j.con.to("owner") {
		if strings.Contains(r.Text, "오늘 인사할 손님 — 11/17") {
			tuesday = r.Text
		}
	}
	if !strings.Contains(tuesday, "📋 오늘 준비할 것\n06:30 한결 — 타월 준비") || strings.Contains(tuesday, "늦잠 — 타월") {
		t.Errorf("Tuesday's digest:\n%s", tuesday)
	}
	for _, r := range j.con.to("owner") {
		if strings.Contains(r.Text, "오늘 인사할 손님 — 11/18") && strings.Contains(r.Text, "타월") {
			t.Errorf("Wednesday's digest has a towel line:\n%s", r.Text)
		}
	}
}

// TestTemplatesGuesthouse: a stay noted as "지민 12/20–12/22 숙박" gets the
// map three days before at 10:00 (with the booking's days), the thank-you
// on checkout day at 11:00 and the one-line survey 90 days after; the
// answer is kept as a fact the customer sees in "my data".
func TestTemplatesGuesthouse(t *testing.T) {
	j := newJourney(t, "ko")
	j.at(day("2026-12-01"), "12:00")
	jimin := j.customer("3301", "지민")
	other := j.customer("3302", "윤서") // a one-day booking on 12/24
	j.say("owner", "지민 12/20–12/22 숙박")
	j.say("owner", "윤서 12/24 예약")
	before := j.template("stay_before", "https://map.example/dangol", "건물 뒤 2대")
	if !strings.Contains(before.Action.Text, "오시는 길: https://map.example/dangol · 주차: 건물 뒤 2대") {
		t.Fatalf("filled text %q", before.Action.Text)
	}
	j.template("stay_thanks")
	survey := j.template("stay_survey")
	_ = jimin
	_ = other
	j.days(day("2026-12-15"), day("2026-12-28"), "10:00", "11:00")
	j.expect("3301",
		received{"2026-12-17 10:00", "지민님, 12/20 일–12/22 화 예약 기다리고 있어요. 오시는 길: https://map.example/dangol · 주차: 건물 뒤 2대"},
		received{"2026-12-22 11:00", "지민님, 머물러 주셔서 고마워요. 조심히 돌아가세요!"})
	j.expect("3302",
		received{"2026-12-21 10:00", "윤서님, 12/24 목 예약 기다리고 있어요. 오시는 길: https://map.example/dangol · 주차: 건물 뒤 2대"},
		received{"2026-12-24 11:00", "윤서님, 머물러 주셔서 고마워요. 조심히 돌아가세요!"})
	// 90 days after checkout: 12/22 + 90 = 3/22.
	j.days(day("2027-03-21"), day("2027-03-22"), "11:00")
	question := "지민님, 다음 여행은 어떤 곳이 좋으세요? 한 줄로 알려 주시면 다음에 참고할게요.\n(보내 주신 답은 ‘다음 여행 취향’으로 기록해 두고, ‘내 정보’에서 보거나 지울 수 있어요.)"
	j.expect("3301", received{"2027-03-22 11:00", question})
	if survey.Action.Kind != crm.ActionAsk {
		t.Fatalf("survey %+v", survey)
	}
	r := j.as("3301", "ko", "바다 보이는 조용한 곳이요")
	if !strings.Contains(r[0].Text, "답해 주셔서 고마워요") {
		t.Fatalf("answer reply %+v", r)
	}
	_, _, facts := j.customer2("지민")
	if !slices.ContainsFunc(facts, func(f crm.Fact) bool { return f.Value == "다음 여행 취향: 바다 보이는 조용한 곳이요" }) {
		t.Fatalf("facts %+v", facts)
	}
	if data := j.as("3301", "ko", "내 정보"); !strings.Contains(data[0].Text, "다음 여행 취향: 바다 보이는 조용한 곳이요") {
		t.Errorf("my data does not show the answer: %q", data[0].Text)
	}
	// The next message is the shop's again, not an answer.
	if r := j.as("3301", "ko", "감사해요"); !strings.Contains(r[0].Text, "전해") {
		t.Errorf("a second message: %+v", r)
	}
	owner := j.deliverAndGet("owner")
	if !slices.ContainsFunc(owner, func(r conversation.Reply) bool {
		return strings.Contains(r.Text, "지민님이 답했어요 (다음 여행 취향): 바다 보이는 조용한 곳이요")
	}) {
		t.Errorf("owner not told: %+v", owner)
	}
}

// customer2 is fixture.customer, named apart from journey.customer.
func (j *journey) customer2(name string) (crm.Customer, []crm.Visit, []crm.Fact) {
	return j.fixture.customer(name)
}

// TestTemplateSalonCycle: a client's own service cycle (the median gap of
// their visits with that service) decides the day; three months when one
// visit cannot tell; the reminder names their last service.
func TestTemplateSalonCycle(t *testing.T) {
	j := newJourney(t, "ko")
	j.at(day("2026-07-01"), "12:00")
	cut := j.customer("3401", "커트손님")   // a cut every 35 days; last 10/20
	perm := j.customer("3402", "펌손님")   // one perm on 9/1
	mixed := j.customer("3403", "염색손님") // colour every 60 days, a cut in between
	for _, d := range []string{"2026-07-08", "2026-08-12", "2026-09-16", "2026-10-21"} {
		j.visit(cut.ID, day(d), "커트")
	}
	j.visit(perm.ID, day("2026-09-01"), "펌")
	for _, d := range []string{"2026-06-02", "2026-08-01", "2026-09-30"} {
		j.visit(mixed.ID, day(d), "염색")
	}
	j.visit(mixed.ID, day("2026-10-30"), "커트") // the latest visit's service is the cut
	j.at(day("2026-11-01"), "12:00")
	j.template("salon_cycle")
	j.days(day("2026-11-20"), day("2026-12-05"), "11:00")
	text := "%s님, 지난번 %s 하신 지 시간이 꽤 됐어요. 편하실 때 예약해 주세요."
	j.expect("3401", received{"2026-11-25 11:00", fmt.Sprintf(text, "커트손님", "커트")}) // 10/21 + 35
	j.expect("3402", received{"2026-11-30 11:00", fmt.Sprintf(text, "펌손님", "펌")})   // 9/1 + 90
	// Her latest service, a cut, seen once: three months from 10/30.
	j.expect("3403")
	j.days(day("2027-01-27"), day("2027-01-28"), "11:00")
	j.expect("3403", received{"2027-01-28 11:00", fmt.Sprintf(text, "염색손님", "커트")})
}

// TestTemplateBookRelease: "/신간 한강 — …" reaches the customers who like
// 한강 at the rule's next time, once, labelled as an offer; others get
// nothing; news posted after the time goes the next day.
func TestTemplateBookRelease(t *testing.T) {
	j := newJourney(t, "ko")
	j.at(day("2026-11-01"), "12:00")
	fan := j.customer("3501", "책벌레")
	oat := j.customer("3502", "라떼파")
	j.customer("3503", "무관심")
	j.say("owner", "책벌레 한강 좋아함")
	j.say("owner", "라떼파 oat 좋아함")
	_, _ = fan, oat
	rule := j.template("book_release")
	j.at(day("2026-11-10"), "09:00")
	r := j.say("owner", "/신간 한강 — 『작별하지 않는다』")
	if !strings.Contains(r[0].Text, "좋아하는 것이 맞는 손님 1명") || !strings.Contains(r[0].Text, rule.Name) {
		t.Fatalf("announcement reply %q", r[0].Text)
	}
	j.days(day("2026-11-10"), day("2026-11-11"), "11:00")
	j.expect("3501", received{"2026-11-10 11:00", "(광고) 한강의 새 책이 나왔어요: 한강 — 『작별하지 않는다』\n" +
		j.cat.T("ko", "outbox.stop_line", nil)})
	j.expect("3502")
	j.expect("3503")
	// Posted after 11:00: tomorrow.
	j.at(day("2026-11-12"), "15:00")
	j.say("owner", "/new oat latte")
	j.days(day("2026-11-12"), day("2026-11-14"), "11:00")
	j.expect("3502", received{"2026-11-13 11:00", "(광고) oat의 새 책이 나왔어요: oat latte\n" + j.cat.T("ko", "outbox.stop_line", nil)})
	j.expect("3501")
}

// TestTemplateCafeUsual: the usual order is on the staff side of the
// digest on the customer's usual day.
func TestTemplateCafeUsual(t *testing.T) {
	j := newJourney(t, "ko")
	j.at(day("2026-11-01"), "12:00")
	seojun := j.noted("박서준")
	for _, d := range []string{"2026-10-14", "2026-10-21", "2026-10-28", "2026-11-04"} { // Wednesdays
		j.visit(seojun, day(d), "아아*2")
	}
	j.template("cafe_usual")
	j.days(day("2026-11-10"), day("2026-11-11"), "09:00")
	var tue, wed string
	for _, r := range j.con.to("owner") {
		switch {
		case strings.Contains(r.Text, "— 11/10"):
			tue = r.Text
		case strings.Contains(r.Text, "— 11/11"):
			wed = r.Text
		}
	}
	if !strings.Contains(wed, "📋 오늘 준비할 것\n박서준 — 늘 아아 2") || strings.Contains(tue, "박서준 — 늘") {
		t.Errorf("Tuesday:\n%s\nWednesday:\n%s", tue, wed)
	}
	// /digest on demand shows it too.
	j.at(day("2026-11-11"), "12:00")
	if r := j.say("owner", "/오늘"); !strings.Contains(r[0].Text, "박서준 — 늘 아아 2") {
		t.Errorf("/digest %q", r[0].Text)
	}
}

// TestTemplateWelcomeBack: 60 days without a visit → one warm hello with
// the owner's welcome, once per absence; a new visit starts a new one.
func TestTemplateWelcomeBack(t *testing.T) {
	j := newJourney(t, "ko")
	j.at(day("2026-08-01"), "12:00")
	away := j.customer("3601", "오랜손님")
	j.visit(away.ID, day("2026-08-01"))
	j.visit(away.ID, day("2026-08-10"))
	rule := j.template("welcome_back", "따뜻한 쿠키 하나")
	if rule.Action.Purpose != crm.PurposeOffers {
		t.Fatalf("welcome is an offer: %+v", rule)
	}
	j.days(day("2026-10-07"), day("2026-10-12"), "11:00")
	stop := j.cat.T("ko", "outbox.stop_line", nil)
	j.expect("3601", received{"2026-10-09 11:00", "(광고) 오랜손님님, 오랜만이에요! 다음에 들르시면 따뜻한 쿠키 하나 챙겨 드릴게요.\n" + stop})
	j.visit(away.ID, day("2026-10-20"))
	j.days(day("2026-12-17"), day("2026-12-20"), "11:00")
	j.expect("3601", received{"2026-12-19 11:00", "(광고) 오랜손님님, 오랜만이에요! 다음에 들르시면 따뜻한 쿠키 하나 챙겨 드릴게요.\n" + stop})
}

// lapsedShop gives the journey n customers who joined by chat and last came
// 61 days before d (a welcome-back rule matches them all), and a 60-day
// rule at sendAt with text; it returns the customers' users by name.
func (j *journey) lapsedShop(d crm.Date, n int) map[string]string {
	j.t.Helper()
	j.at(d.AddDays(-70), "12:00")
	users := map[string]string{}
	for i := range n {
		name, user := fmt.Sprintf("손님%02d", i+1), strconv.Itoa(4000+i)
		cu := j.customer(user, name)
		j.visit(cu.ID, d.AddDays(-61))
		users[name] = user
	}
	return users
}

// rule writes a rule in words and saves it.
func (j *journey) rule(words string) crm.Rule {
	j.t.Helper()
	return j.save(j.say("owner", "/규칙 "+words))
}

// TestRulesRunOnceADay: a rule runs at its time once a day; after
// downtime it runs once, late, that day (never for the days missed); a
// second tick, a second scheduler or a restarted engine send nothing
// more, and an occasion never fires twice.
func TestRulesRunOnceADay(t *testing.T) {
	j := newJourney(t, "ko")
	d := day("2026-11-10")
	users := j.lapsedShop(d, 3)
	j.at(d.AddDays(-1), "12:00")
	rule := j.rule("60일 동안 안 온 손님에게 10시에 ‘오랜만이에요!’")
	// Down from before 10:00 until 15:00.
	j.at(d, "09:59")
	j.tick()
	j.at(d, "15:00")
	j.tick()
	j.tick()
	other := conversation.NewScheduler(j.engine, nil, nil)
	if err := other.Tick(j.ctx, j.now); err != nil {
		t.Fatal(err)
	}
	j.deliver()
	j.collect()
	for _, u := range users {
		j.expect(u, received{"2026-11-10 15:00", "오랜만이에요!"})
	}
	// A restarted engine, the next days: the occasion (this absence) is
	// spent.
	var err error
	j.engine, err = conversation.New(conversation.Config{Store: j.db, Catalog: j.cat, Now: func() time.Time { return j.now }})
	if err != nil {
		t.Fatal(err)
	}
	j.sched = conversation.NewScheduler(j.engine, map[string]conversation.Sender{"console": j.con}, nil)
	j.days(d.AddDays(1), d.AddDays(3), "10:00", "10:01")
	for _, u := range users {
		j.expect(u)
	}
	dr := j.dry(d.AddDays(4))[rule.Name]
	if len(dr.WouldSend) != 0 || len(dr.Skipped) != 3 || skippedAs(dr)["손님01"] != "already_sent" {
		t.Errorf("dry run: %+v", dr)
	}
	// Down for three whole days: the rule runs on the day it comes back,
	// once.
	cu := j.customer("4100", "새손님")
	j.visit(cu.ID, d.AddDays(-55))
	j.at(d.AddDays(9), "18:00")
	j.tick()
	j.at(d.AddDays(9), "19:00")
	j.tick()
	j.expect("4100", received{"2026-11-19 18:00", "오랜만이에요!"})
}

// TestRulesDailyCapAcrossRules: at most the shop's daily number of rule
// messages per customer across rules (held-out ones count too), the same
// message at most once a week, and the outbox's own cap still holds.
func TestRulesDailyCapAcrossRules(t *testing.T) {
	j := newJourney(t, "ko")
	d := day("2026-11-10")
	users := j.lapsedShop(d, 2)
	j.at(d.AddDays(-1), "12:00")
	first := j.rule("60일 동안 안 온 손님에게 10시에 ‘오랜만이에요!’")
	second := j.rule("50일 동안 안 온 손님에게 11시에 ‘잘 지내시죠?’")
	dr := j.dry(d)
	if sentTo(dr[first.Name]) == nil || len(dr[second.Name].WouldSend) != 0 || skippedAs(dr[second.Name])["손님01"] != "cap" {
		t.Fatalf("dry run with a daily cap of 1: %+v", dr)
	}
	j.days(d, d, "10:00", "11:00")
	for _, u := range users {
		j.expect(u, received{"2026-11-10 10:00", "오랜만이에요!"})
	}
	// The second rule's occasion is still open: it goes the next day.
	j.days(d.AddDays(1), d.AddDays(1), "10:00", "11:00")
	for _, u := range users {
		j.expect(u, received{"2026-11-11 11:00", "잘 지내시죠?"})
	}

	// A daily cap of 2: both the same day. The same text as a message
	// within the week is "already sent".
	k := newJourney(t, "ko")
	users = k.lapsedShop(d, 1)
	k.say("owner", "/설정 규칙한도 2")
	k.at(d.AddDays(-1), "12:00")
	k.rule("60일 동안 안 온 손님에게 10시에 ‘오랜만이에요!’")
	k.rule("50일 동안 안 온 손님에게 11시에 ‘잘 지내시죠?’")
	same := k.rule("40일 동안 안 온 손님에게 12시에 ‘오랜만이에요!’")
	if dr := k.dry(d)[same.Name]; skippedAs(dr)["손님01"] != "already_sent" {
		t.Errorf("the same text twice a week: %+v", dr)
	}
	k.days(d, d, "10:00", "11:00", "12:00")
	k.expect(users["손님01"], received{"2026-11-10 10:00", "오랜만이에요!"}, received{"2026-11-10 11:00", "잘 지내시죠?"})

	// The outbox's cap (1 in 7 days, the default) stops the second.
	m := newJourney(t, "ko")
	users = m.lapsedShop(d, 1)
	m.setting(crm.SettingOutboxCap, "")
	m.say("owner", "/설정 규칙한도 2")
	m.at(d.AddDays(-1), "12:00")
	m.rule("60일 동안 안 온 손님에게 10시에 ‘오랜만이에요!’")
	capped := m.rule("50일 동안 안 온 손님에게 11시에 ‘잘 지내시죠?’")
	m.days(d, d, "10:00")
	if dr := m.dry(d)[capped.Name]; skippedAs(dr)["손님01"] != "cap" {
		t.Errorf("the outbox's cap: %+v", dr)
	}
	m.days(d, d, "11:00")
	m.expect(users["손님01"], received{"2026-11-10 10:00", "오랜만이에요!"})
}

// TestRulesQuietHours: a rule's message is never held over quiet hours
// (it would say "today" tomorrow): at a quiet time nothing goes, and a
// customer's own quiet hours skip only them.
func TestRulesQuietHours(t *testing.T) {
	j := newJourney(t, "ko")
	d := day("2026-11-10")
	users := j.lapsedShop(d, 2)
	j.at(d.AddDays(-1), "12:00")
	r := j.say("owner", "/규칙 60일 동안 안 온 손님에게 밤 9시 반에 ‘늦은 인사’")
	if !strings.Contains(r[0].Text, "조용한 시간(21:00-08:00)") {
		t.Errorf("no quiet-hours note: %q", r[0].Text)
	}
	night := j.save(r)
	dr := j.dry(d)[night.Name]
	if len(dr.WouldSend) != 0 || skippedAs(dr)["손님01"] != "quiet_hours" || skippedAs(dr)["손님02"] != "quiet_hours" {
		t.Fatalf("dry run: %+v", dr)
	}
	j.days(d, d.AddDays(1), "21:30", "23:00", "08:00", "09:00")
	for _, u := range users {
		j.expect(u)
	}
	for _, id := range []int64{} {
		_ = id
	}
	// 손님02 keeps their own quiet hours until 10:00.
	k := newJourney(t, "ko")
	users = k.lapsedShop(d, 2)
	u2 := users["손님02"]
	links := k.links(u2)
	links[0].Quiet = "20:00-10:00"
	if err := k.db.UpdateLink(k.ctx, links[0]); err != nil {
		t.Fatal(err)
	}
	k.at(d.AddDays(-1), "12:00")
	morning := k.rule("60일 동안 안 온 손님에게 9시에 ‘좋은 아침’")
	if dr := k.dry(d)[morning.Name]; !slices.Equal(sentTo(dr), []string{"손님01"}) || skippedAs(dr)["손님02"] != "quiet_hours" {
		t.Fatalf("dry run: %+v", dr)
	}
	k.days(d, d, "09:00", "12:00")
	k.expect(users["손님01"], received{"2026-11-10 09:00", "좋은 아침"})
	k.expect(u2)
}

// TestRulesConsentWithdrawnBeforeDelivery: a message a rule queued is not
// delivered when the customer stops before it goes; the occasion stays
// spent, and a customer who withdrew before the run is skipped.
func TestRulesConsentWithdrawnBeforeDelivery(t *testing.T) {
	j := newJourney(t, "ko")
	d := day("2026-11-10")
	users := j.lapsedShop(d, 2)
	j.at(d.AddDays(-1), "12:00")
	rule := j.rule("60일 동안 안 온 손님에게 10시에 ‘오랜만이에요!’")
	// 손님02 stops the evening before: skipped at the run.
	j.at(d.AddDays(-1), "20:00")
	j.as(users["손님02"], "ko", "수신거부")
	if dr := j.dry(d)[rule.Name]; skippedAs(dr)["손님02"] != "no_consent" {
		t.Errorf("dry run: %+v", dr)
	}
	// The run queues 손님01's message; they stop before the outbox
	// delivers it.
	j.at(d, "10:00")
	if err := j.sched.Tick(j.ctx, j.now); err != nil {
		t.Fatal(err)
	}
	cu, _, _ := j.customer2("손님01")
	ms, _ := j.db.OutboxFor(j.ctx, j.shop.ID, cu.ID)
	if !slices.ContainsFunc(ms, func(m crm.OutboxMessage) bool { return m.Status == crm.OutboxQueued && m.Text == "오랜만이에요!" }) {
		t.Fatalf("not queued: %+v", ms)
	}
	j.as(users["손님01"], "ko", "STOP")
	j.collect()
	j.got = map[string][]received{}
	j.deliver()
	j.collect()
	for _, u := range users {
		j.expect(u)
	}
	ms, _ = j.db.OutboxFor(j.ctx, j.shop.ID, cu.ID)
	if !slices.ContainsFunc(ms, func(m crm.OutboxMessage) bool { return m.Status == crm.OutboxCancelled }) {
		t.Errorf("not cancelled: %+v", ms)
	}
	// START again: the occasion was spent, nothing comes.
	j.as(users["손님01"], "ko", "START")
	j.days(d.AddDays(1), d.AddDays(2), "10:00")
	j.collect()
	j.got = map[string][]received{}
	j.days(d.AddDays(3), d.AddDays(3), "10:00")
	j.expect(users["손님01"])
}

// TestRulesForgottenCustomer: a customer erased mid-journey (a question
// asked, an answer kept, a message queued) leaves nothing behind: no
// firing, answer, pending question or name anywhere.
func TestRulesForgottenCustomer(t *testing.T) {
	j := newJourney(t, "ko")
	j.at(day("2026-12-01"), "12:00")
	j.customer("3301", "홍길순")
	j.customer("3302", "다른손님")
	j.say("owner", "홍길순 12/20–12/22 숙박")
	j.say("owner", "다른손님 12/20–12/22 숙박")
	j.template("stay_thanks")
	survey := j.save(j.say("owner", "/규칙 숙박 1일 후 11시에 ‘좋았던 점을 한 줄로 알려 주세요’ 물어보기"))
	if survey.Action.Kind != crm.ActionAsk {
		t.Fatalf("survey %+v", survey)
	}
	j.days(day("2026-12-22"), day("2026-12-23"), "11:00")
	j.as("3301", "ko", "조식이 좋았어요") // an answer, kept
	j.got = map[string][]received{}
	// A second question, still open, and a reminder queued.
	j.save(j.say("owner", "/규칙 숙박 2일 후 12시에 ‘다시 오고 싶으세요?’ 물어보기"))
	j.at(day("2026-12-24"), "12:00")
	if err := j.sched.Tick(j.ctx, j.now); err != nil {
		t.Fatal(err)
	}
	j.deliver()
	cu, _, facts := j.customer2("홍길순")
	if !slices.ContainsFunc(facts, func(f crm.Fact) bool { return strings.Contains(f.Value, "조식이 좋았어요") }) {
		t.Fatalf("answer not kept: %+v", facts)
	}
	if fs, _ := j.db.RuleFirings(j.ctx, j.shop.ID, day("2026-12-01")); len(fs) < 4 {
		t.Fatalf("firings %+v", fs)
	}
	if _, err := j.db.OpenQuestion(j.ctx, j.shop.ID, cu.ID, j.now); err != nil {
		t.Fatalf("no open question: %v", err)
	}
	r := j.as("3301", "ko", "내 정보 삭제")
	j.pressAs("3301", "ko", action(t, r, "c:del:"))
	fs, _ := j.db.RuleFirings(j.ctx, j.shop.ID, day("2026-12-01"))
	for _, f := range fs {
		if f.CustomerID == cu.ID {
			t.Errorf("firing left: %+v", f)
		}
	}
	if len(fs) == 0 {
		t.Error("the other customer's firings went too")
	}
	if _, err := j.db.OpenQuestion(j.ctx, j.shop.ID, cu.ID, j.now); !errors.Is(err, crm.ErrNotFound) {
		t.Errorf("open question after erasure: %v", err)
	}
	// Dry runs and the rules carry on for the others.
	if _, err := j.engine.DryRun(j.ctx, j.shop, day("2026-12-24"), nil); err != nil {
		t.Fatal(err)
	}
	j.deliver()
	j.db.Close()
	assertNowhere(t, j.path, "홍길순")
	assertNowhere(t, j.path, "조식이 좋았어요")
}

// TestRulesHoldout: a rule's messages take the loop's holdout (the same
// draw per customer, kind and week): held-out customers get nothing, are
// recorded as held-out exposures of the rule's kind, and the dry run says
// "holdout" for exactly them.
func TestRulesHoldout(t *testing.T) {
	j := newJourney(t, "ko")
	d := day("2026-11-10")
	users := j.lapsedShop(d, 24)
	j.setting(crm.SettingHoldout, "50")
	j.at(d.AddDays(-1), "12:00")
	rule := j.rule("60일 동안 안 온 손님에게 10시에 ‘오랜만이에요!’")
	if rule.Kind != "rule:"+rule.Name {
		t.Fatalf("kind %q", rule.Kind)
	}
	dr := j.dry(d)[rule.Name]
	held := map[string]bool{}
	for name, why := range skippedAs(dr) {
		if why != "holdout" {
			t.Errorf("%s skipped as %s", name, why)
		}
		held[name] = true
	}
	if len(held) == 0 || len(held) == len(users) {
		t.Fatalf("%d of %d held out", len(held), len(users))
	}
	j.days(d, d, "10:00")
	for name, u := range users {
		if held[name] {
			j.expect(u)
		} else {
			j.expect(u, received{"2026-11-10 10:00", "오랜만이에요!"})
		}
	}
	exps, err := j.db.Exposures(j.ctx, j.shop.ID, d)
	if err != nil {
		t.Fatal(err)
	}
	heldExp, sentExp := 0, 0
	for _, e := range exps {
		if e.Track != crm.TrackMessage || e.Kind != rule.Kind || e.Day != d {
			continue
		}
		if e.HeldOut {
			heldExp++
		} else {
			sentExp++
		}
	}
	if heldExp != len(held) || sentExp != len(users)-len(held) {
		t.Errorf("exposures: %d held out, %d sent; want %d, %d", heldExp, sentExp, len(held), len(users)-len(held))
	}
}

// TestRuleButtonsCheckRights: rule buttons do what they say only for the
// shop's owner, for the shop's own rules, and a draft only for its author;
// forged or stale data changes nothing.
func TestRuleButtonsCheckRights(t *testing.T) {
	j := newJourney(t, "ko")
	r := j.say("owner", "/규칙 60일 동안 안 온 손님에게 ‘오랜만이에요!’")
	save := action(t, r, "rsave:")
	// Staff may look at the list but press nothing.
	for _, a := range []string{save, "rtpl:pt_care", "rnew", "rdryall", "rpause:1", "rdelok:1"} {
		if got := j.press("staff", a); !strings.Contains(got[0].Text, j.cat.T("ko", "access.owner_only", nil)) {
			t.Errorf("staff pressed %s: %+v", a, got)
		}
	}
	if got := j.say("staff", "/규칙"); len(got[0].Buttons) != 0 {
		t.Errorf("staff's list has buttons: %+v", got)
	}
	if got := j.say("staff", "/규칙 새로"); !strings.Contains(got[0].Text, j.cat.T("ko", "access.owner_only", nil)) {
		t.Errorf("staff made a rule: %+v", got)
	}
	// A stranger gets nothing of the shop's.
	if got, _ := j.engine.Handle(j.ctx, conversation.Message{Platform: "telegram", UserID: "999", Action: save}); len(got) == 0 ||
		strings.Contains(got[0].Text, "저장했어요") {
		t.Errorf("stranger: %+v", got)
	}
	// Forged ids and keys.
	for _, a := range []string{"rsave:0", "rsave:-1", "rsave:x", "rsave:999999", "rtpl:nope", "rdelok:", "rview:1e3"} {
		if got := j.press("owner", a); got[0].Text != j.cat.T("ko", "action.stale", nil) {
			t.Errorf("%s: %+v", a, got)
		}
	}
	// Another shop's owner cannot touch this shop's rule.
	other, err := j.db.CreateShop(j.ctx, crm.Shop{Name: "Other", Lang: "ko", CreatedAt: j.now})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.db.AddMember(j.ctx, crm.Member{ShopID: other.ID, Platform: "console", UserID: "other", Role: crm.RoleOwner}); err != nil {
		t.Fatal(err)
	}
	if got := j.press("other", save); got[0].Text != j.cat.T("ko", "action.stale", nil) {
		t.Errorf("another shop saved it: %+v", got)
	}
	// A second owner of this shop cannot save the first's draft.
	if err := j.db.AddMember(j.ctx, crm.Member{ShopID: j.shop.ID, Platform: "console", UserID: "owner2", Role: crm.RoleOwner}); err != nil {
		t.Fatal(err)
	}
	if got := j.press("owner2", save); got[0].Text != j.cat.T("ko", "action.stale", nil) {
		t.Errorf("another owner saved the draft: %+v", got)
	}
	if rs, _ := j.db.Rules(j.ctx, j.shop.ID); len(rs) != 0 {
		t.Fatalf("rules saved: %+v", rs)
	}
	// The author can; then pause, resume, delete (after a confirmation).
	rule := j.save(r)
	if got := j.press("owner", save); got[0].Text != j.cat.T("ko", "action.stale", nil) {
		t.Errorf("saved twice: %+v", got)
	}
	id := strconv.FormatInt(rule.ID, 10)
	j.press("owner", "rpause:"+id)
	if got, _ := j.db.Rule(j.ctx, j.shop.ID, rule.ID); got.State != crm.RulePaused {
		t.Errorf("not paused: %+v", got)
	}
	if due, _ := j.db.DueRules(j.ctx, j.now.AddDate(0, 0, 2)); len(due) != 0 {
		t.Errorf("a paused rule is due: %+v", due)
	}
	j.press("owner", "rresume:"+id)
	if due, _ := j.db.DueRules(j.ctx, j.now.AddDate(0, 0, 2)); len(due) != 1 {
		t.Errorf("a resumed rule is not due: %+v", due)
	}
	ask := j.press("owner", "rdel:"+id)
	if rs, _ := j.db.Rules(j.ctx, j.shop.ID); len(rs) != 1 {
		t.Fatal("deleted without asking")
	}
	j.press("owner", action(t, ask, "rdelok:"))
	if rs, _ := j.db.Rules(j.ctx, j.shop.ID); len(rs) != 0 {
		t.Errorf("not deleted: %+v", rs)
	}
}

// TestRuleWrittenAndEdited: a rule in words is read back part by part; an
// edit changes only what it names; a saved rule's edit replaces it when
// saved (same id and kind); by number: /rules pause 1.
func TestRuleWrittenAndEdited(t *testing.T) {
	j := newJourney(t, "ko")
	r := j.say("owner", "/규칙 첫 방문 후 14일 동안 방문 없으면 10시에 ‘무리하지 말고 20분 스트레칭…’")
	want := "언제: 첫 방문 후 14일 동안 방문 없음 · 누구에게: 동의한 손님 (방문 알림) · 무엇을: ‘무리하지 말고 20분 스트레칭…’ · 한 번만 · 보내는 시각 10:00"
	if !strings.Contains(r[0].Text, want) {
		t.Fatalf("readback:\n%s\nwant\n%s", r[0].Text, want)
	}
	j.press("owner", action(t, r, "redit:"))
	r = j.say("owner", "9시 반")
	if !strings.Contains(r[0].Text, "보내는 시각 09:30") || !strings.Contains(r[0].Text, "스트레칭") {
		t.Fatalf("time edit: %s", r[0].Text)
	}
	j.press("owner", action(t, r, "redit:"))
	r = j.say("owner", "21일")
	if !strings.Contains(r[0].Text, "첫 방문 후 21일 동안 방문 없음") {
		t.Fatalf("days edit: %s", r[0].Text)
	}
	rule := j.save(r)
	// Edit the saved rule: a draft until saved, then the same rule.
	r = j.press("owner", "redit:"+strconv.FormatInt(rule.ID, 10))
	r = j.say("owner", "‘천천히 오세요’")
	if got, _ := j.db.Rule(j.ctx, j.shop.ID, rule.ID); got.Action.Text != rule.Action.Text {
		t.Fatalf("changed before saving: %+v", got)
	}
	edited := j.save(r)
	if edited.ID != rule.ID || edited.Kind != rule.Kind || edited.Action.Text != "천천히 오세요" || edited.SendAt != "09:30" {
		t.Errorf("edited %+v, was %+v", edited, rule)
	}
	if rs, _ := j.db.Rules(j.ctx, j.shop.ID); len(rs) != 1 {
		t.Errorf("rules %+v", rs)
	}
	// Blanks, unknown placeholders and missing text are refused.
	r = j.say("owner", "/규칙 생일에 ‘{별명}님 축하해요’")
	if got := j.press("owner", action(t, r, "rsave:")); !strings.Contains(got[0].Text, "{별명}") {
		t.Errorf("an unknown placeholder saved: %+v", got)
	}
	r = j.say("owner", "/규칙 생일에")
	if !strings.Contains(r[0].Text, "보낼 문구가 없어요") {
		t.Errorf("no text: %q", r[0].Text)
	}
	if r := j.say("owner", "/규칙 아무 말이나"); !strings.Contains(r[0].Text, "알아듣지 못했어요") {
		t.Errorf("nonsense: %q", r[0].Text)
	}
	// By number.
	if r := j.say("owner", "/규칙 멈춤 1"); !strings.Contains(r[0].Text, "멈췄어요") {
		t.Errorf("pause 1: %q", r[0].Text)
	}
	if r := j.say("owner", "/규칙 멈춤 7"); !strings.Contains(r[0].Text, "1–1") {
		t.Errorf("pause 7: %q", r[0].Text)
	}
}

// TestRulesInEnglish: the same flow in an English shop, a template to a
// dry run, saved and paused.
func TestRulesInEnglish(t *testing.T) {
	j := newJourney(t, "en")
	d := day("2026-11-10")
	j.at(d.AddDays(-70), "12:00")
	cu := j.join(j.shop, "5001", "en", "Tom")
	j.deliver()
	j.collect()
	j.visit(cu.ID, d.AddDays(-61))
	j.at(d, "09:00")
	r := j.say("owner", "/rule new")
	r = j.press("owner", action(t, r, "rtpl:welcome_back"))
	if !strings.Contains(r[0].Text, "When: no visit for 60 days · To: customers who agreed (offers)") ||
		!strings.Contains(r[0].Text, "Fill these in before saving: [a small welcome]") {
		t.Fatalf("readback: %s", r[0].Text)
	}
	j.press("owner", action(t, r, "redit:"))
	r = j.say("owner", "a warm cookie")
	dry := j.press("owner", action(t, r, "rdry:"))
	if !strings.Contains(dry[0].Text, "Would send to 1: Tom") || !strings.Contains(dry[0].Text, "a warm cookie is on us") ||
		!strings.Contains(dry[0].Text, j.cat.T("en", "outbox.stop_line", nil)) {
		t.Fatalf("dry run: %s", dry[0].Text)
	}
	rule := j.save(dry)
	if r := j.say("owner", "/rules pause 1"); !strings.Contains(r[0].Text, "is paused") {
		t.Errorf("pause: %q", r[0].Text)
	}
	j.days(d, d.AddDays(1), "11:00")
	j.expect("5001")
	j.say("owner", "/rules resume 1")
	j.days(d.AddDays(2), d.AddDays(2), "11:00")
	j.expect("5001", received{"2026-11-12 11:00", "Tom, it's been a while! Next time you drop in, a warm cookie is on us.\n" +
		j.cat.T("en", "outbox.stop_line", nil)})
	_ = rule
	if r := j.say("owner", "/settings location 51.5072,-0.1276"); !strings.Contains(r[0].Text, "51.5072,-0.1276") {
		t.Errorf("location: %q", r[0].Text)
	}
	if r := j.say("owner", "/settings"); !strings.Contains(r[0].Text, "location 51.5072,-0.1276 · weather fake") {
		t.Errorf("settings: %q", r[0].Text)
	}
	if r := j.say("owner", "/settings location somewhere"); !strings.Contains(r[0].Text, "latitude,longitude") {
		t.Errorf("bad location: %q", r[0].Text)
	}
}
