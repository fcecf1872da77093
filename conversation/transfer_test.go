package conversation_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/storage"
)

// A shop with every kind of data, made the way an owner makes it: visits
// in two currencies, a usual time, past and upcoming bookings and a stay,
// words taught with each role, rules of several kinds (one paused), an
// announcement, messages the rules sent, a greeting, pushed digests.
func everyKindShop(t *testing.T) *journey {
	t.Helper()
	j := newJourney(t, "ko")
	j.at(day("2026-11-20"), "12:00")
	j.customer("3301", "지민")
	j.customer("3302", "윤서")
	j.say("owner", "지민 11/28 케이크 예약")
	j.at(day("2026-12-01"), "12:00")
	for _, note := range []string{
		"지민 라떼 4,500원", "지민 라떼 $4.50", "지민 매일 아침 7시 반", "지민 12/20–12/22 숙박",
		"윤서 12/24 케이크 예약 3만원", "윤서 oat 좋아함", "박서준 딸기 알레르기", "박서준 생일 3월 14일",
		"/단어 체크아웃 메모", "/단어 소금빵 품목", "/단어 그냥 무시",
	} {
		j.say("owner", note)
	}
	j.template("stay_before", "https://map.example/dangol", "건물 뒤 2대")
	thanks := j.template("stay_thanks")
	j.template("book_release")
	thanks.State = crm.RulePaused
	if _, err := j.db.SaveRule(j.ctx, thanks, j.now); err != nil {
		t.Fatal(err)
	}
	j.at(day("2026-12-10"), "09:00")
	j.say("owner", "/신간 oat latte")
	j.days(day("2026-12-10"), day("2026-12-17"), "08:30", "10:00", "11:00")
	j.say("owner", "/인사함 지민")
	j.at(day("2026-12-17"), "12:00")
	return j
}

// The whole shop travels as JSON with every kind of data: export, import
// into an empty database, export again gives the same bytes; and the
// restored shop does not send again what was sent for an occasion.
func TestExportJSONEveryKind(t *testing.T) {
	j := everyKindShop(t)
	j.expect("3301", received{"2026-12-17 10:00",
		"지민님, 12/20 일–12/22 화 예약 기다리고 있어요. 오시는 길: https://map.example/dangol · 주차: 건물 뒤 2대"})
	var first bytes.Buffer
	if err := j.engine.ExportJSON(j.ctx, j.shop, &first); err != nil {
		t.Fatal(err)
	}
	doc := first.String()
	for _, want := range []string{`{"schema": 2,`, `"currency":"KRW"`, `"last_digest":"2026-12-17"`,
		`"lexicon": {"그냥":"ignore","소금빵":"item","체크아웃":"memo"}`, `"state":"paused"`, `"state":"active"`,
		`"trigger":{"kind":"booking","days":-3,"anchor":"start"}`, `"text":"oat latte","day":"2026-12-10"`,
		`"usual_time":"07:30"`, `"amount":4500,`, `"amount":450,"currency":"USD"`, `"date":"2026-12-20","end":"2026-12-22"`,
		`"date":"2026-11-28","what":"케이크"`, `"what":"케이크","amount":30000`, `"occasion":"booking:#2"`,
		`"occasion":"news:#1"`, `"last_greeted":"2026-12-17"`, `"birthday":"03-14"`} {
		if !strings.Contains(doc, want) {
			t.Errorf("export lacks %s:\n%s", want, doc)
		}
	}
	for _, not := range []string{`3301`, `telegram`, `consent`, `user_id`} {
		if strings.Contains(doc, not) {
			t.Errorf("export has %s:\n%s", not, doc)
		}
	}

	// Into an empty database: the same document back.
	db2, err := storage.Open(j.ctx, t.TempDir()+"/copy.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	shop2, err := db2.CreateShop(j.ctx, crm.Shop{Name: "새 가게"})
	if err != nil {
		t.Fatal(err)
	}
	e2, err := conversation.New(conversation.Config{Store: db2, Catalog: j.cat, Now: func() time.Time { return j.now }})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := e2.ImportJSON(j.ctx, shop2, strings.NewReader(doc)); err != nil || n != 3 {
		t.Fatalf("import %d, %v", n, err)
	}
	shop2, _ = db2.Shop(j.ctx, shop2.ID)
	var second bytes.Buffer
	if err := e2.ExportJSON(j.ctx, shop2, &second); err != nil {
		t.Fatal(err)
	}
	if second.String() != doc {
		t.Fatalf("the round trip differs:\n%s\n---\n%s", doc, second.String())
	}
	if _, err := e2.ImportJSON(j.ctx, shop2, strings.NewReader(doc)); err == nil || !strings.Contains(err.Error(), "already has") {
		t.Fatalf("second import: %v", err)
	}

	// Restored beside the original, in the same database, and its
	// customers join it again: 지민's stay message went on 12/17 and does
	// not go again; 윤서's has not gone from the copy yet, and does.
	moved, err := j.db.CreateShop(j.ctx, crm.Shop{Name: "옮긴 가게"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.engine.ImportJSON(j.ctx, moved, strings.NewReader(doc)); err != nil {
		t.Fatal(err)
	}
	moved, _ = j.db.Shop(j.ctx, moved.ID)
	for user, name := range map[string]string{"3301": "지민", "3302": "윤서"} {
		joined := j.join(moved, user, "ko", name+"2")
		old, err := j.db.FindCustomers(j.ctx, moved.ID, name)
		if err != nil || len(old) == 0 || old[0].ID == joined.ID {
			t.Fatalf("%s in the copy: %+v %v", name, old, err)
		}
		if err := j.db.MergeCustomer(j.ctx, moved.ID, joined.ID, old[0].ID); err != nil {
			t.Fatal(err)
		}
	}
	j.deliver()
	j.collect()
	j.got = map[string][]received{}
	j.days(day("2026-12-18"), day("2026-12-21"), "10:00", "11:00")
	j.expect("3301")
	stay := "윤서님, 12/24 목 예약 기다리고 있어요. 오시는 길: https://map.example/dangol · 주차: 건물 뒤 2대"
	j.expect("3302", received{"2026-12-21 10:00", stay}, received{"2026-12-21 10:00", stay})
}

// A document from the first JSON export (schema 1, before currencies,
// bookings and rules travelled) still imports.
func TestImportJSONSchema1(t *testing.T) {
	f := newFixture(t, "en")
	doc := `{"schema": 1,
"shop": {"name":"Bakery","lang":"en","time_zone":"Europe/London","digest_time":"08:30","lapsed_days":60,"digest_limit":7,"code":"abcd-efgh-jkmn","created_at":"2026-01-02T03:04:05Z"},
"items": [
  {"name":"croissant"}],
"customers": [
  {"name":"Kim","usual_weekday":"thursday","created_at":"2026-01-02T03:04:05Z","visits":[{"date":"2026-11-20","items":[{"name":"croissant","qty":2}],"amount":450}]}
]}
`
	if n, err := f.engine.ImportJSON(f.ctx, f.shop, strings.NewReader(doc)); err != nil || n != 1 {
		t.Fatalf("import %d, %v", n, err)
	}
	shop, _ := f.db.Shop(f.ctx, f.shop.ID)
	if shop.Currency != "GBP" || shop.Name != "Bakery" {
		t.Errorf("shop %+v", shop)
	}
	// A newer document than this Dangol reads is refused, and changes
	// nothing.
	g := newFixture(t, "en")
	newer := strings.Replace(doc, `"schema": 1`, `"schema": 3`, 1)
	if _, err := g.engine.ImportJSON(g.ctx, g.shop, strings.NewReader(newer)); err == nil || !strings.Contains(err.Error(), "newer Dangol") {
		t.Fatalf("schema 3: %v", err)
	}
	if cs, _ := g.db.FindCustomers(g.ctx, g.shop.ID, ""); len(cs) != 0 {
		t.Errorf("customers %+v", cs)
	}
}
