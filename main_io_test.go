package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/korean"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/storage"
)

// Korean Excel's "CSV (쉼표로 분리)" is CP949: it imports; a file that
// cannot be read at all exits non-zero with a clear message.
func TestImportEncodingsAndUnreadable(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	csv := filepath.Join(dir, "장부.csv")
	data, _ := korean.EUCKR.NewEncoder().Bytes([]byte("날짜,고객,품목,금액\r\n2026-11-20,김민지,크루아상 2개,\"4,500\"\r\n"))
	if err := os.WriteFile(csv, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runCLI(t, "", "import", "--db", db, csv)
	if err != nil || !strings.Contains(out, "새 고객 1명, 방문 1건") || !strings.Contains(errOut, "CP949") {
		t.Fatalf("import: %v\n%s\n%s", err, out, errOut)
	}
	for name, content := range map[string][]byte{
		"book.csv":  []byte("PK\x03\x04\x14\x00 an Excel workbook"),
		"plain.csv": []byte("just some text\nwithout columns\n"),
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, content, 0o600)
		_, errOut, err := runCLI(t, "", "import", "--db", db, p)
		if err == nil || !strings.Contains(errOut, "파일을 읽지 못했어요") {
			t.Errorf("%s: err %v, stderr %q", name, err, errOut)
		}
	}
	if _, _, err := runCLI(t, "", "import", "--db", db, filepath.Join(dir, "missing.csv")); err == nil {
		t.Error("a missing file imported")
	}
}

// export --format json, import FILE.json into an empty database, export
// again: the same document. The visits CSV stays for Excel.
func TestJSONExportImportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	in := "Kim Minji, croissant\nKim Minji allergic to walnuts\nMina birthday Oct 9\nRay comes every Saturday\n"
	if _, errOut, err := runCLI(t, in, "--db", db, "--lang", "en", "--now", "2026-11-26T10:00:00+09:00"); err != nil {
		t.Fatalf("notes: %v %s", err, errOut)
	}
	doc, _, err := runCLI(t, "", "export", "--db", db, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"name":"Mina","birthday":"10-09"`, `"name":"Ray","usual_weekday":"saturday"`, `"value":"walnut"`, `"lang":"en"`} {
		if !strings.Contains(doc, want) {
			t.Errorf("export lacks %s:\n%s", want, doc)
		}
	}
	file := filepath.Join(dir, "shop.json")
	os.WriteFile(file, []byte(doc), 0o600)
	copyDB := filepath.Join(dir, "copy.db")
	if out, errOut, err := runCLI(t, "", "import", "--db", copyDB, file); err != nil || !strings.Contains(out, "restored 3 customers") {
		t.Fatalf("import json: %v\n%s%s", err, out, errOut)
	}
	if again, _, _ := runCLI(t, "", "export", "--db", copyDB, "--format", "json"); again != doc {
		t.Fatalf("round trip differs:\n%s\n---\n%s", doc, again)
	}
	if _, errOut, err := runCLI(t, "", "import", "--db", copyDB, file); err == nil || !strings.Contains(errOut+err.Error(), "already has") {
		t.Fatalf("a second restore: %v", err)
	}
	csv, _, _ := runCLI(t, "", "export", "--db", db)
	if !strings.HasPrefix(csv, "\ufeffdate,customer,items,amount,note,birthday\r\n") {
		t.Fatalf("csv %q", csv)
	}
	if _, _, err := runCLI(t, "", "export", "--db", db, "--format", "xml"); err == nil {
		t.Fatal("--format xml accepted")
	}
}

// backup while the database is in use, then restore into a new file.
func TestBackupRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	if _, _, err := runCLI(t, "김민지님 크루아상 하나\n", "--db", db); err != nil {
		t.Fatal(err)
	}
	open, err := storage.Open(context.Background(), db) // Dangol still running
	if err != nil {
		t.Fatal(err)
	}
	defer open.Close()
	backup := filepath.Join(dir, "backup.db")
	if out, errOut, err := runCLI(t, "", "backup", "--db", db, "--to", backup); err != nil {
		t.Fatalf("backup: %v %s %s", err, out, errOut)
	}
	restored := filepath.Join(dir, "restored.db")
	if _, errOut, err := runCLI(t, "", "restore", "--from", backup, "--db", restored); err != nil {
		t.Fatalf("restore: %v %s", err, errOut)
	}
	a, _, _ := runCLI(t, "", "export", "--db", db, "--format", "json")
	b, _, _ := runCLI(t, "", "export", "--db", restored, "--format", "json")
	if a != b || !strings.Contains(b, "김민지") {
		t.Fatalf("restored differs:\n%s\n%s", a, b)
	}
	if _, _, err := runCLI(t, "", "restore", "--from", backup, "--db", restored); err == nil {
		t.Fatal("restore over an existing database")
	}
	if _, _, err := runCLI(t, "", "backup", "--db", db); err == nil {
		t.Fatal("backup without --to")
	}
}

// Nightly backups: one a night, the newest kept.
func TestNightlyBackupRotation(t *testing.T) {
	dir := t.TempDir()
	db, err := storage.Open(context.Background(), filepath.Join(dir, "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	backups := filepath.Join(dir, "backups")
	os.MkdirAll(backups, 0o700)
	night := time.Date(2026, 11, 20, 4, 0, 0, 0, time.UTC)
	for i := range 10 {
		now := night.AddDate(0, 0, i)
		if err := nightlyBackup(context.Background(), db, backups, 3, now); err != nil {
			t.Fatal(err)
		}
		if err := nightlyBackup(context.Background(), db, backups, 3, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(backups)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "dangol-2026-11-27.db dangol-2026-11-28.db dangol-2026-11-29.db" {
		t.Fatalf("backups %v", names)
	}
	// Before 03:00 the night's backup is last night's.
	if err := nightlyBackup(context.Background(), db, backups, 3, time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(backups); len(entries) != 3 {
		t.Fatalf("a backup before 03:00 made a new one: %v", entries)
	}
}

// export --format json of a shop with every kind of data (visits in two
// currencies, a usual time, past and upcoming bookings and a stay, taught
// words, rules active and paused with what they fired, an announcement),
// import into an empty database, export again: the same bytes, and the
// same bytes every time.
func TestJSONExportImportEveryKind(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	notes := func(now, in string) {
		t.Helper()
		if _, errOut, err := runCLI(t, in, "--db", db, "--lang", "en", "--now", now); err != nil {
			t.Fatalf("notes: %v %s", err, errOut)
		}
	}
	notes("2026-11-10T12:00:00+09:00", "Ray booked a table Nov 20 7pm\n")
	notes("2026-12-01T12:00:00+09:00", "Kim Minji latte $4.50\nKim Minji latte ₩4,500\nKim Minji usually comes at 7:30am\n"+
		"Kim Minji booked a cake for Dec 24, $30\nRay stays from Dec 20 to Dec 22\n/word window memo\n/word pls ignore\n"+
		"/word scone item\n/new oat latte is back\n/greeted Kim Minji\n")
	st, err := storage.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	shops, _ := st.Shops(ctx)
	shop := shops[0]
	shop.Name = "Inn by the Sea"
	if err := st.UpdateShop(ctx, shop); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 12, 0, 0, 0, shop.Location())
	ray, _ := st.FindCustomers(ctx, shop.ID, "Ray")
	bookings, _ := st.CustomerBookings(ctx, shop.ID, ray[0].ID, crm.NewDate(2026, 1, 1))
	if len(ray) != 1 || len(bookings) != 2 || bookings[1].End != crm.NewDate(2026, 12, 22) {
		t.Fatalf("Ray %+v, bookings %+v", ray, bookings)
	}
	var rules []crm.Rule
	for _, r := range []crm.Rule{
		{State: crm.RuleActive, Name: "before the stay", SendAt: "10:00", Trigger: crm.Trigger{Kind: crm.TriggerBooking, Days: -3,
			Anchor: crm.AnchorStart}, Action: crm.Action{Kind: crm.ActionMessage, Text: "See you soon", Purpose: crm.PurposeReminders}},
		{State: crm.RulePaused, Name: "miss you", SendAt: "11:00", Trigger: crm.Trigger{Kind: crm.TriggerNoVisit, Days: 30},
			Action: crm.Action{Kind: crm.ActionAsk, Text: "How are you?", Purpose: crm.PurposeReminders, Topic: "news"}},
		{State: crm.RuleActive, Name: "rainy", Trigger: crm.Trigger{Kind: crm.TriggerRain, Rain: 60},
			Action: crm.Action{Kind: crm.ActionStaff, Text: "umbrellas for {name}"}},
	} {
		r.ShopID = shop.ID
		saved, err := st.SaveRule(ctx, r, at)
		if err != nil {
			t.Fatal(err)
		}
		rules = append(rules, saved)
	}
	// Ray joined by chat, and the stay's message went.
	joined, err := st.Join(ctx, crm.JoinInput{ShopID: shop.ID, Platform: "telegram", UserID: "9", Name: "Ray R", Lang: "en",
		Channel: "telegram", Notice: "join/v2/en", At: at})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.MergeCustomer(ctx, shop.ID, joined.ID, ray[0].ID); err != nil {
		t.Fatal(err)
	}
	firing := crm.RuleFiring{RuleID: rules[0].ID, Occasion: "booking:" + strconv.FormatInt(bookings[1].ID, 10),
		Day: crm.NewDate(2026, 12, 17), Action: crm.ActionMessage, TextHash: crm.TextHash("See you soon")}
	if _, d, err := st.QueueMessage(ctx, crm.OutboxInput{ShopID: shop.ID, CustomerID: ray[0].ID, Purpose: crm.PurposeReminders,
		Text: "See you soon", At: at, Source: rules[0].Kind, Firing: &firing, SkipQuiet: true}); err != nil || d.Verdict == crm.VerdictBlock {
		t.Fatalf("queue %+v %v", d, err)
	}
	st.Close()

	doc, errOut, err := runCLI(t, "", "export", "--db", db, "--format", "json")
	if err != nil {
		t.Fatalf("export: %v %s", err, errOut)
	}
	for _, want := range []string{`"schema": 2,`, `"currency":"KRW"`, `"amount":450,"currency":"USD"`, `"amount":4500`,
		`"usual_time":"07:30"`, `"date":"2026-11-20","time":"19:00","what":"table"`, `"date":"2026-12-20","end":"2026-12-22"`,
		`"what":"cake","amount":3000,"currency":"USD"`, `"lexicon": {"pls":"ignore","scone":"item","window":"memo"}`,
		`"state":"paused"`, `"text":"oat latte is back"`, `"occasion":"booking:#2"`, `"last_greeted":"2026-12-01"`,
		`"aliases":["Ray R"]`} {
		if !strings.Contains(doc, want) {
			t.Errorf("export lacks %s:\n%s", want, doc)
		}
	}
	for range 3 {
		if again, _, _ := runCLI(t, "", "export", "--db", db, "--format", "json"); again != doc {
			t.Fatalf("a second export differs:\n%s\n---\n%s", doc, again)
		}
	}
	file := filepath.Join(dir, "shop.json")
	os.WriteFile(file, []byte(doc), 0o600)
	copyDB := filepath.Join(dir, "copy.db")
	if out, errOut, err := runCLI(t, "", "import", "--db", copyDB, file); err != nil || out != "restored 2 customers into \"Inn by the Sea\"\n" {
		t.Fatalf("import json: %v\n%s%s", err, out, errOut)
	}
	if again, _, _ := runCLI(t, "", "export", "--db", copyDB, "--format", "json"); again != doc {
		t.Fatalf("round trip differs:\n%s\n---\n%s", doc, again)
	}
	// The copy's rules, as the rules command shows them.
	out, _, err := runCLI(t, "", "rules", "--db", copyDB, "--json")
	if err != nil || !strings.Contains(out, `"state":"paused"`) || !strings.Contains(out, `"name":"before the stay"`) {
		t.Fatalf("rules of the copy: %v %s", err, out)
	}
}
