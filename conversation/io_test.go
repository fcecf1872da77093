package conversation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/korean"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/locales"
	"github.com/dangol/dangol/storage"
)

func (f *fixture) sendFile(user, name string, data []byte) ([]conversation.Reply, error) {
	return f.engine.Handle(f.ctx, conversation.Message{Platform: "console", UserID: user,
		File: &conversation.File{Name: name, Data: data}})
}

// A ledger sent in the chat (Korean Excel's CP949 here) is imported but
// for its bad rows, which are listed by line; no bad row rejects the file.
func TestImportInChatListsBadRows(t *testing.T) {
	f := newFixture(t, "ko")
	csv := "날짜,고객,품목,금액\r\n" +
		"2026-11-20,김민지,크루아상 2개,\"4,500원\"\r\n" + // 2
		"2026-11-20," + strings.Repeat("빵", 120) + ",라떼,\r\n" + // 3: a name over 100 characters
		"0001-01-01,박서준,바게트,\r\n" + // 4: year 1
		"2026-11-28,이도윤,바게트,\r\n" + // 5: after tomorrow
		"2026-11-21,\"정하은,바게트,\r\n" + // 6: a stray quote
		"2026-11-21,한지민,라떼,$4.50\r\n" + // 7: dollars in a won shop
		"2026-11-27,최유나,라떼,5000\r\n" // 8: tomorrow is fine
	data, err := korean.EUCKR.NewEncoder().Bytes([]byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.sendFile("owner", "장부.csv", data)
	if err != nil {
		t.Fatal(err)
	}
	text := r[0].Text
	for _, want := range []string{"새 고객 2명, 방문 2건", "5줄은 빠졌어요", "3번째 줄: 고객 이름이 너무 길어요",
		"4번째 줄: 1900년 이전이거나 내일 이후의 날짜예요 — “0001-01-01”", "5번째 줄: 1900년 이전이거나 내일 이후의 날짜예요 — “2026-11-28”", "6번째 줄: 닫히지 않은 따옴표", "7번째 줄: 금액을 읽을 수 없어요"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
	if _, vs, _ := f.customer("김민지"); len(vs) != 1 || vs[0].Amount != 4500 {
		t.Fatalf("김민지 visits %+v", vs)
	}
	f.customer("최유나")
	f.noCustomer("박서준")
	// A workbook is no CSV; it changes nothing.
	r, err = f.sendFile("owner", "장부.csv", []byte("PK\x03\x04 workbook"))
	if err != nil || r[0].Text != f.engine.Catalog().T("ko", "import.unreadable", nil) {
		t.Fatalf("workbook: %+v %v", r, err)
	}
}

// A large ledger goes to the background; an import cut short goes on
// where it stopped and adds every row once; the owner hears the final
// count once.
func TestBackgroundImportResumes(t *testing.T) {
	c := newChat(t, "en")
	var csv bytes.Buffer
	csv.WriteString("date,customer,items,amount\n")
	const rows = 20000
	for i := range rows {
		fmt.Fprintf(&csv, "2026-%02d-%02d,Guest %d,croissant x2; latte,4.50\n", 1+i%10, 1+i%28, i%500)
		if i%97 == 0 {
			csv.WriteString("2026-13-01,Nobody,latte,\n") // a bad row now and then
		}
	}
	r, err := c.sendFile("owner", "big.csv", csv.Bytes())
	if err != nil || r[0].Text != c.cat.T("en", "import.queued", map[string]any{"Name": "big.csv"}) {
		t.Fatalf("answer %+v %v", r, err)
	}
	jobs, _ := c.db.OpenImports(c.ctx)
	if len(jobs) != 1 {
		t.Fatalf("jobs %+v", jobs)
	}
	// A crash part way: stop once some batches are in.
	ctx, cancel := context.WithCancel(c.ctx)
	go func() {
		for ctx.Err() == nil {
			if js, _ := c.db.OpenImports(c.ctx); len(js) == 1 && len(js[0].State) > 0 {
				var st conversation.ImportState
				json.Unmarshal(js[0].State, &st)
				if st.Line > 6000 { // more than one batch of rows to count again
					cancel()
				}
			}
			time.Sleep(time.Millisecond)
		}
	}()
	im := conversation.NewImports(c.engine, nil)
	if err := im.RunPending(ctx); err == nil {
		t.Skip("the import finished before it could be cut short")
	}
	cancel()
	if jobs, _ := c.db.OpenImports(c.ctx); len(jobs) != 1 {
		t.Fatalf("the job is not open after a crash: %+v", jobs)
	}
	if err := im.RunPending(c.ctx); err != nil {
		t.Fatal(err)
	}
	if jobs, _ := c.db.OpenImports(c.ctx); len(jobs) != 0 {
		t.Fatalf("open jobs %+v", jobs)
	}
	c.deliver()
	want := c.cat.T("en", "import.done", map[string]any{"Customers": 500, "Visits": rows})
	var finals int
	for _, m := range c.con.to("owner") {
		if strings.HasPrefix(m.Text, want) {
			finals++
			if !strings.Contains(m.Text, "207 rows were left out") {
				t.Errorf("summary %q", m.Text)
			}
		}
	}
	if finals != 1 {
		t.Fatalf("%d final notices: %+v", finals, c.con.to("owner"))
	}
	ledger, err := c.db.Ledger(c.ctx, c.shop.ID)
	if err != nil || len(ledger) != rows {
		t.Fatalf("%d visits, want %d (%v)", len(ledger), rows, err)
	}
}

// More than a tenth of the customers past retention at once waits for the
// owner's word; a few go without asking.
func TestRetentionSafeguard(t *testing.T) {
	c := newChat(t, "en")
	visit := func(name string, d crm.Date) {
		if _, err := c.db.RecordNote(c.ctx, crm.NoteInput{ShopID: c.shop.ID, Platform: "console", AuthorID: "owner",
			Text: name, At: c.now, Change: crm.Change{NewName: name, UsualWeekday: crm.NoWeekday, Visit: &crm.VisitInput{Date: d}}}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 15 {
		visit(fmt.Sprint("Regular ", i), c.shop.Today(c.now))
	}
	for i := range 5 {
		visit(fmt.Sprint("Gone ", i), crm.NewDate(2023, 1, 1)) // 5 of 20: a quarter
	}
	res, err := c.engine.RunCustomerJobs(c.ctx, c.shop, c.now)
	if err != nil || res.Expired != 0 || res.Held != 5 {
		t.Fatalf("jobs %+v %v", res, err)
	}
	c.customer("Gone 0")
	c.deliver()
	got := c.con.to("owner")
	if len(got) != 1 || !strings.Contains(got[0].Text, "5 customers of 20 (25%)") {
		t.Fatalf("owner told %+v", got)
	}
	if len(c.con.to("staff")) != 0 {
		t.Fatal("staff asked")
	}
	// Asked once a week, not daily.
	c.now = c.now.Add(24 * time.Hour)
	if res, _ := c.engine.RunCustomerJobs(c.ctx, c.shop, c.now); res.Held != 5 {
		t.Fatalf("next day %+v", res)
	}
	c.deliver()
	if n := len(c.con.to("owner")); n != 1 {
		t.Fatalf("asked %d times", n)
	}
	if r := c.press("staff", action(t, got, "retention:erase:")); r[0].Text != c.cat.T("en", "access.owner_only", nil) {
		t.Fatalf("staff pressed: %+v", r)
	}
	r := c.press("owner", action(t, got, "retention:erase:"))
	if r[0].Text != c.cat.N("en", "retention.erased", 5, nil) {
		t.Fatalf("erase: %+v", r)
	}
	c.noCustomer("Gone 3")
	c.customer("Regular 3")

	// One of fifteen: erased without asking.
	visit("Old", crm.NewDate(2023, 1, 1))
	if res, _ := c.engine.RunCustomerJobs(c.ctx, c.shop, c.now); res.Expired != 1 || res.Held != 0 {
		t.Fatalf("a few: %+v", res)
	}
}

// The stored replies: a note's confirmation, with its Undo button, is
// stored with the note when the adapter gives a route; so is any other
// answer with its cursor.
func TestRepliesStoredWithNote(t *testing.T) {
	f := newFixture(t, "en")
	msg := func(text string, id int64) conversation.Message {
		return conversation.Message{Platform: "console", UserID: "owner", Text: text, Route: "chat 7",
			Cursor: &crm.Cursor{Name: "test:7", Value: id}}
	}
	r, err := f.engine.Handle(f.ctx, msg("Kim Minji, croissant", 1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.engine.Handle(f.ctx, msg("/help", 2)); err != nil {
		t.Fatal(err)
	}
	unsent, err := f.db.UnsentReplies(f.ctx, "test:")
	if err != nil || len(unsent) != 2 {
		t.Fatalf("unsent %+v %v", unsent, err)
	}
	stored, err := conversation.DecodeReplies(unsent[0].Payload)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(stored) != fmt.Sprint(r) || unsent[0].Route != "chat 7" || !strings.HasPrefix(stored[0].Buttons[0].Action, "undo:") {
		t.Fatalf("stored %+v, answered %+v", stored, r)
	}
	// Without a route nothing is stored.
	if _, err := f.engine.Handle(f.ctx, conversation.Message{Platform: "console", UserID: "owner", Text: "Lee, latte",
		Cursor: &crm.Cursor{Name: "test:7", Value: 3}}); err != nil {
		t.Fatal(err)
	}
	if unsent, _ := f.db.UnsentReplies(f.ctx, "test:"); len(unsent) != 2 {
		t.Fatalf("unsent %+v", unsent)
	}
}

// The whole shop travels as JSON: export, import into an empty database,
// export again gives the same document.
func TestExportJSONRoundTrip(t *testing.T) {
	f := newFixture(t, "ko")
	for _, note := range []string{"김민지님 크루아상 2개", "김민지 딸기 알레르기", "김민지 생일 3월 14일", "김민지 매주 목요일 방문",
		"박서준 시나몬롤 좋아함", "이도윤 건포도 싫어함", "최하나 창가 자리 좋아해요", "/별칭 크로와상 = 크루아상"} {
		f.say("owner", note)
	}
	f.say("owner", "/설정 보관 36")
	if _, err := f.sendFile("owner", "장부.csv", []byte("날짜,고객,품목,금액,메모\n2026-10-01,정하은,라떼,5000,\"창가\n자리\"\n")); err != nil {
		t.Fatal(err)
	}
	var first bytes.Buffer
	if err := f.engine.ExportJSON(f.ctx, f.shop, &first); err != nil {
		t.Fatal(err)
	}
	doc := first.String()
	for _, want := range []string{`"schema": 2`, `"lang":"ko"`, `"customers.retention_months":"36"`, `"birthday":"03-14"`,
		`"usual_weekday":"thursday"`, `"kind":"allergy","value":"딸기"`, `"aliases":["크로와상"]`, `"name":"박서준"`} {
		if !strings.Contains(doc, want) {
			t.Errorf("export lacks %s:\n%s", want, doc)
		}
	}
	db2, err := storage.Open(f.ctx, t.TempDir()+"/copy.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	shop2, err := db2.CreateShop(f.ctx, crm.Shop{Name: "새 가게"})
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := locales.New()
	e2, _ := conversation.New(conversation.Config{Store: db2, Catalog: cat})
	n, err := e2.ImportJSON(f.ctx, shop2, strings.NewReader(doc))
	if err != nil || n != 5 {
		t.Fatalf("import %d, %v", n, err)
	}
	shop2, _ = db2.Shop(f.ctx, shop2.ID)
	var second bytes.Buffer
	if err := e2.ExportJSON(f.ctx, shop2, &second); err != nil {
		t.Fatal(err)
	}
	if second.String() != doc {
		t.Fatalf("the round trip differs:\n%s\n---\n%s", doc, second.String())
	}
	// Into a shop with data: refused, nothing changed.
	if _, err := e2.ImportJSON(f.ctx, shop2, strings.NewReader(doc)); err == nil || !strings.Contains(err.Error(), "already has") {
		t.Fatalf("second import: %v", err)
	}
}
