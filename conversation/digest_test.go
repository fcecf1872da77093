package conversation_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
)

// sent records what a fake messenger delivered.
type sent struct {
	mu   sync.Mutex
	msgs []string // "user: text"
}

func (s *sent) Send(_ context.Context, userID string, r conversation.Reply) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, userID+": "+r.Text)
	return nil
}

func (s *sent) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.msgs)
}

// history imports a ledger: 김민지 every Thursday for six weeks, 박서준
// last seen 70 days ago, 이도윤 with a birthday on Saturday.
func (f *fixture) history() {
	f.t.Helper()
	csv := "date,customer,items,birthday\n"
	for w := 1; w <= 6; w++ {
		csv += crm.NewDate(2026, 11, 26).AddDays(-7*w).String() + ",김민지,크루아상 x2,\n"
	}
	csv += crm.NewDate(2026, 11, 26).AddDays(-70).String() + ",박서준,라떼,\n"
	csv += "2026-10-01,이도윤,바게트,11-28\n"
	r, err := f.engine.Handle(f.ctx, conversation.Message{Platform: "console", UserID: "owner",
		File: &conversation.File{Name: "ledger.csv", Data: []byte(csv)}})
	if err != nil {
		f.t.Fatal(err)
	}
	if want := "가져왔어요: 새 고객 3명, 방문 8건."; r[0].Text != want {
		f.t.Fatalf("import = %q, want %q", r[0].Text, want)
	}
}

func TestDigestOnDemandShowsReasons(t *testing.T) {
	f := newFixture(t, "ko")
	f.history()
	text := f.say("owner", "오늘")[0].Text
	for _, want := range []string{
		"오늘 인사할 손님 — 11/26 목",
		"1. 김민지 — 보통 목요일에 와요 — 크루아상",
		"2. 이도윤 — 토요일 생일 (11/28)",
		"3. 박서준 — 70일째 방문이 없어요",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q:\n%s", want, text)
		}
	}
	// An on-demand view records nothing: it looks the same again.
	if again := f.say("owner", "/digest")[0].Text; again != text {
		t.Errorf("second view differs:\n%s\n---\n%s", text, again)
	}
}

func TestDigestImportTwiceAddsNothing(t *testing.T) {
	f := newFixture(t, "en")
	csv := "date,customer,items\n2026-11-20,Kim,croissant x2\n2026-11-21,Lee,latte\n"
	send := func() string {
		r, err := f.engine.Handle(f.ctx, conversation.Message{Platform: "console", UserID: "owner",
			File: &conversation.File{Name: "Ledger.CSV", Data: []byte(csv)}})
		if err != nil {
			t.Fatal(err)
		}
		return r[0].Text
	}
	if got := send(); got != "Imported: 2 new customers, 2 visits." {
		t.Fatalf("first import = %q", got)
	}
	if got := send(); !strings.HasPrefix(got, "Imported: 0 new customers, 0 visits.\n2 rows were imported before") {
		t.Fatalf("second import = %q", got)
	}
	// Staff may not import.
	r, _ := f.engine.Handle(f.ctx, conversation.Message{Platform: "console", UserID: "staff",
		File: &conversation.File{Name: "l.csv", Data: []byte(csv)}})
	if r[0].Text != "Only the shop's owner can do that." {
		t.Fatalf("staff import = %q", r[0].Text)
	}
}

func TestSchedulerPushesOnceAndCatchesUp(t *testing.T) {
	f := newFixture(t, "ko")
	f.history()
	out := &sent{}
	sched := conversation.NewScheduler(f.engine, map[string]conversation.Sender{"console": out}, nil)
	seoul, _ := time.LoadLocation("Asia/Seoul")
	at := func(day, hh, mm int) time.Time { return time.Date(2026, 11, day, hh, mm, 0, 0, seoul) }
	tick := func(now time.Time) {
		t.Helper()
		f.now = now
		if err := sched.Tick(f.ctx, now); err != nil {
			t.Fatal(err)
		}
	}
	tick(at(26, 8, 29))
	if out.count() != 0 {
		t.Fatalf("pushed before 08:30: %v", out.msgs)
	}
	tick(at(26, 8, 30))
	if out.count() != 2 { // the owner and the staff member
		t.Fatalf("at 08:30: %d messages, want 2: %v", out.count(), out.msgs)
	}
	tick(at(26, 8, 31))
	tick(at(26, 18, 0))
	if out.count() != 2 {
		t.Fatalf("pushed twice: %v", out.msgs)
	}
	// Down on the morning of the 27th, back at 11:00: one catch-up push.
	tick(at(27, 7, 0))
	if out.count() != 2 {
		t.Fatalf("pushed before time on the 27th")
	}
	tick(at(27, 11, 0))
	tick(at(27, 11, 1))
	if out.count() != 4 {
		t.Fatalf("catch-up: %d messages, want 4", out.count())
	}
	// The pushed digest of the 26th showed 박서준 as lapsed: the 27th's
	// leaves him out (30 days of rest).
	if last := out.msgs[3]; strings.Contains(last, "박서준") {
		t.Fatalf("lapsed shown again the next day:\n%s", last)
	}
	if first := out.msgs[0]; !strings.Contains(first, "박서준") {
		t.Fatalf("first push lacks the lapsed customer:\n%s", first)
	}
}

func TestGreetedLeavesDigestForAWeek(t *testing.T) {
	f := newFixture(t, "ko")
	f.history()
	r := f.say("owner", "오늘")
	var action string
	for _, b := range r[0].Buttons {
		if strings.Contains(b.Label, "이도윤") {
			action = b.Action
		}
	}
	if action == "" {
		t.Fatalf("no greeted button for 이도윤: %+v", r[0].Buttons)
	}
	if r := f.press("owner", action); !strings.HasPrefix(r[0].Text, "이도윤님을 인사한 것으로") {
		t.Fatalf("greeted = %q", r[0].Text)
	}
	if text := f.say("owner", "오늘")[0].Text; strings.Contains(text, "이도윤") {
		t.Fatalf("greeted customer still shown:\n%s", text)
	}
	if r := f.say("owner", "/인사함 김민지"); !strings.HasPrefix(r[0].Text, "김민지님을") {
		t.Fatalf("/인사함 = %q", r[0].Text)
	}
}

func TestSettingsDigestTime(t *testing.T) {
	f := newFixture(t, "ko")
	if r := f.say("staff", "/설정 다이제스트 07:00"); r[0].Text != "이 작업은 사장님만 할 수 있어요." {
		t.Fatalf("staff = %q", r[0].Text)
	}
	if r := f.say("owner", "/설정 다이제스트 7:05"); r[0].Text != "✓ 매일 아침 07:05에 다이제스트를 보내 드릴게요." {
		t.Fatalf("owner = %q", r[0].Text)
	}
	if r := f.say("owner", "/settings digest 25:00"); !strings.Contains(r[0].Text, "08:30") {
		t.Fatalf("bad time = %q", r[0].Text)
	}
	shop, err := f.db.Shop(f.ctx, f.shop.ID)
	if err != nil || shop.DigestTime != "07:05" {
		t.Fatalf("digest time = %q (%v)", shop.DigestTime, err)
	}
	if r := f.say("owner", "/settings tz Europe/London"); r[0].Text != "✓ 시간대를 Europe/London으로 바꿨어요." {
		t.Fatalf("tz = %q", r[0].Text)
	}
}

// A shop whose members no messenger reaches yet (before the owner claims
// it) does not use up the day's push.
func TestPushWaitsForSomeoneToReceive(t *testing.T) {
	f := newFixture(t, "ko")
	f.history()
	day := crm.NewDate(2026, 11, 26)
	out := &sent{}
	pushed, err := f.engine.PushDigest(f.ctx, f.shop, day, map[string]conversation.Sender{"telegram": out})
	if err != nil || pushed || out.count() != 0 {
		t.Fatalf("pushed to nobody: %v %v %d", pushed, err, out.count())
	}
	pushed, err = f.engine.PushDigest(f.ctx, f.shop, day, map[string]conversation.Sender{"console": out})
	if err != nil || !pushed || out.count() != 2 {
		t.Fatalf("push once someone can receive it: %v %v %d", pushed, err, out.count())
	}
}
