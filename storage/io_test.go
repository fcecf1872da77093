package storage

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

// addRows imports rows with a streaming run in batches of size, and
// returns what it did.
func addRows(t testing.TB, db *DB, shopID int64, rows []crm.LedgerRow, size int) (crm.ImportResult, []crm.RowProblem) {
	t.Helper()
	ctx := context.Background()
	run, err := db.BeginImport(ctx, shopID, t0())
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	var res crm.ImportResult
	var refused []crm.RowProblem
	for start := 0; start < len(rows); start += size {
		b, err := run.Add(ctx, rows[start:min(start+size, len(rows))], nil)
		if err != nil {
			t.Fatal(err)
		}
		res.Customers += b.Customers
		res.Visits += b.Visits
		res.Skipped += b.Skipped
		refused = append(refused, b.Refused...)
	}
	return res, refused
}

// A streaming import in batches gives each row the import key the
// one-transaction import gives it: either adds nothing after the other.
func TestImportRunKeysMatchImport(t *testing.T) {
	rows := sampleLedger()
	for i := range 40 {
		rows = append(rows, crm.LedgerRow{Line: 10 + i, Date: day(4, 1+i%20), Customer: fmt.Sprint("Guest ", i%7),
			Items: items("latte", 1+i%3)})
	}
	db, _ := openTest(t)
	a := newShop(t, db, "A")
	res, refused := addRows(t, db, a.ID, rows, 3)
	if res.Visits != len(rows) || len(refused) != 0 {
		t.Fatalf("streamed %+v, refused %+v", res, refused)
	}
	if again := importRows(t, db, a.ID, rows); again.Visits != 0 || again.Skipped != len(rows) {
		t.Fatalf("Import after the streamed one: %+v", again)
	}
	b := newShop(t, db, "B")
	importRows(t, db, b.ID, rows)
	if again, _ := addRows(t, db, b.ID, rows, 5); again.Visits != 0 || again.Skipped != len(rows) {
		t.Fatalf("streamed after Import: %+v", again)
	}
	la, _ := db.Ledger(context.Background(), a.ID)
	lb, _ := db.Ledger(context.Background(), b.ID)
	if !reflect.DeepEqual(la, lb) {
		t.Fatal("the two imports differ")
	}
}

// Past the contents it counts in memory, a run counts on disk: the keys
// stay the same.
func TestImportRunSpills(t *testing.T) {
	var rows []crm.LedgerRow
	for i := range 60 {
		rows = append(rows, crm.LedgerRow{Line: i + 2, Date: day(4, 1+i%5), Customer: fmt.Sprint("Guest ", i%4), Items: items("latte", 1)})
	}
	db, _ := openTest(t)
	a := newShop(t, db, "A")
	ctx := context.Background()
	run, err := db.BeginImport(ctx, a.ID, t0())
	if err != nil {
		t.Fatal(err)
	}
	run.(*importRun).seenMax = 3
	for start := 0; start < len(rows); start += 7 {
		if _, err := run.Add(ctx, rows[start:min(start+7, len(rows))], nil); err != nil {
			t.Fatal(err)
		}
	}
	if !run.(*importRun).spilled {
		t.Fatal("did not spill")
	}
	run.Close()
	b := newShop(t, db, "B")
	if res := importRows(t, db, b.ID, rows); res.Visits != len(rows) {
		t.Fatalf("Import %+v", res)
	}
	la, _ := db.Ledger(ctx, a.ID)
	lb, _ := db.Ledger(ctx, b.ID)
	if !reflect.DeepEqual(la, lb) {
		t.Fatal("spilled import differs")
	}
	if res := importRows(t, db, a.ID, rows); res.Visits != 0 {
		t.Fatalf("again: %+v", res)
	}
}

// An import cut short and run again from the start completes it: the
// rows done are counted (Skip) and the rest added, exactly once.
func TestImportRunResumes(t *testing.T) {
	rows := sampleLedger() // Lee Jun's two identical rows test the counting
	db, _ := openTest(t)
	s := newShop(t, db, "A")
	ctx := context.Background()
	run, err := db.BeginImport(ctx, s.ID, t0())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := run.Add(ctx, rows[:4], nil); err != nil {
		t.Fatal(err)
	}
	run.Close() // a crash
	run, err = db.BeginImport(ctx, s.ID, t0())
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	if err := run.Skip(ctx, rows[:4]); err != nil {
		t.Fatal(err)
	}
	b, err := run.Add(ctx, rows[4:], nil)
	if err != nil || b.Visits != 1 || b.Skipped != 0 {
		t.Fatalf("resumed batch %+v, %v", b, err)
	}
	if n := counts(t, db)["visits"]; n != len(rows) {
		t.Fatalf("%d visits, want %d", n, len(rows))
	}
}

// A row storage cannot keep is refused by line; the rest of its batch is
// stored.
func TestImportRunRefusesRowsNotBatches(t *testing.T) {
	db, _ := openTest(t)
	s := newShop(t, db, "A")
	rows := []crm.LedgerRow{
		{Line: 2, Date: day(3, 1), Customer: "Kim", Items: items("latte", 1)},
		{Line: 3, Date: day(3, 1), Customer: strings.Repeat("🥐", 200), Items: items("latte", 1)},
		{Line: 4, Date: day(3, 1), Customer: "Lee", Items: items(strings.Repeat("x", 101), 1)},
		{Line: 5, Date: crm.Date{Year: 2025, Month: 2, Day: 30}, Customer: "Park"},
		{Line: 6, Date: day(3, 2), Customer: "Choi", Amount: -1},
		{Line: 7, Date: day(3, 2), Customer: "Jung"},
	}
	res, refused := addRows(t, db, s.ID, rows, 10)
	if res.Visits != 2 || res.Customers != 2 {
		t.Fatalf("stored %+v", res)
	}
	var lines []int
	for _, p := range refused {
		lines = append(lines, p.Line)
	}
	if !reflect.DeepEqual(lines, []int{3, 4, 5, 6}) {
		t.Fatalf("refused lines %v", lines)
	}
}

// Batches hold the write lock briefly and are sized by how long they
// held it.
func TestImportRunBatches(t *testing.T) {
	db, _ := openTest(t)
	s := newShop(t, db, "A")
	ctx := context.Background()
	run, err := db.BeginImport(ctx, s.ID, t0())
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	if run.BatchSize() != firstImportBatch {
		t.Fatalf("first batch size %d", run.BatchSize())
	}
	var rows []crm.LedgerRow
	for i := range firstImportBatch {
		rows = append(rows, crm.LedgerRow{Line: i + 2, Date: day(3, 1+i%28), Customer: fmt.Sprint("Guest ", i%300), Items: items("latte", 1)})
	}
	b, err := run.Add(ctx, rows, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b.Held <= 0 || b.Held > time.Second {
		t.Fatalf("held the lock for %v", b.Held)
	}
	if run.BatchSize() == firstImportBatch {
		t.Fatal("the batch size did not follow the lock time")
	}
}

func TestUnsentReplies(t *testing.T) {
	db, _ := openTest(t)
	s := newShop(t, db, "A")
	ctx := context.Background()
	draft := func(n crm.Note) ([]byte, error) { return []byte(fmt.Sprintf("saved note %d: %s", n.ID, n.Text)), nil }
	c := blank()
	c.NewName = "Kim"
	c.Visit = &crm.VisitInput{Date: day(3, 1)}
	in := noteIn(s.ID, "owner", "Kim latte", c)
	in.Cursor = &crm.Cursor{Name: "telegram:1:7", Value: 41, Reply: &crm.ReplyDraft{Route: `{"c":7}`, Render: draft}}
	n := record(t, db, in)
	if _, err := db.UndoNote(ctx, s.ID, n.ID, "console", "owner", t0(), &crm.Cursor{Name: "telegram:1:7", Value: 42,
		Reply: &crm.ReplyDraft{Route: `{"c":7,"e":3}`, Render: draft}}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetCursor(ctx, crm.Cursor{Name: "slack:x", Value: 1, Reply: &crm.ReplyDraft{Route: "r", Render: draft}}); err != nil {
		t.Fatal(err)
	}
	got, err := db.UnsentReplies(ctx, "telegram:1:")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || string(got[0].Payload) != fmt.Sprintf("saved note %d: Kim latte", n.ID) || got[0].Update != 41 ||
		got[0].Route != `{"c":7}` || got[1].Update != 42 || got[1].Stream != "telegram:1:7" {
		t.Fatalf("unsent %+v", got)
	}
	if v, _ := db.Cursor(ctx, "telegram:1:7"); v != 42 {
		t.Fatalf("cursor %d", v)
	}
	for _, u := range got {
		if err := db.MarkReplySent(ctx, u.Stream, u.Update); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := db.UnsentReplies(ctx, "telegram:"); len(got) != 0 {
		t.Fatalf("still unsent %+v", got)
	}
	// Another process on the same database (dangol import) leaves the log
	// of delivered answers alone, also when it closes while this one goes
	// on writing to it.
	other, err := Open(ctx, dbPath(t, db))
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range []crm.Cursor{{Name: "telegram:1:8", Value: 1}, {Name: "telegram:1:8", Value: 2}} {
		c.Reply = &crm.ReplyDraft{Route: "r", Render: draft}
		if err := db.SetCursor(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkReplySent(ctx, c.Name, c.Value); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			other.Close()
		}
	}
	if got, _ := db.UnsentReplies(ctx, "telegram:"); len(got) != 0 {
		t.Fatalf("delivered answers are unsent again: %+v", got)
	}
	// A failed note stores no reply.
	bad := noteIn(s.ID, "owner", "x", blank())
	bad.Cursor = &crm.Cursor{Name: "telegram:1:7", Value: 43, Reply: &crm.ReplyDraft{Route: "r", Render: draft}}
	if _, err := db.RecordNote(ctx, bad); err == nil {
		t.Fatal("an empty note was recorded")
	}
	if got, _ := db.UnsentReplies(ctx, ""); len(got) != 1 || got[0].Stream != "slack:x" {
		t.Fatalf("unsent %+v", got)
	}
}

// A database locked by someone else past the busy timeout is a passing
// failure (crm.ErrTemporary); an invalid note is not.
func TestLockedIsTemporary(t *testing.T) {
	t.Parallel()
	db, path := openTest(t)
	s := newShop(t, db, "A")
	other, err := sql.Open("sqlite3", "file:"+path+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`UPDATE shops SET name = name`); err != nil {
		t.Fatal(err)
	}
	c := blank()
	c.NewName = "Kim"
	c.Visit = &crm.VisitInput{Date: day(3, 1)}
	_, err = db.RecordNote(context.Background(), noteIn(s.ID, "owner", "Kim", c))
	wantErr(t, err, crm.ErrTemporary)
	tx.Rollback()
	_, err = db.RecordNote(context.Background(), noteIn(s.ID, "owner", "x", blank()))
	if err == nil || temporary(err) != err {
		t.Fatalf("an invalid note: %v", err)
	}
}

// Export and restore: a shop restored from its export exports the same,
// and a restore refuses a shop that has data.
func TestExportRestore(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	a := newShop(t, db, "A")
	importRows(t, db, a.ID, sampleLedger())
	record(t, db, kimNote(a.ID))
	c := blank()
	c.NewName = "No Visits"
	c.Facts = []crm.FactInput{{Kind: crm.FactAllergy, Value: "walnuts"}, {Kind: crm.FactLike, Value: "scones"},
		{Kind: crm.FactDislike, Value: "raisins"}, {Kind: crm.FactNote, Value: "window seat"}}
	c.Birthday = crm.MonthDay{Month: 2, Day: 29}
	c.UsualWeekday = time.Saturday
	record(t, db, noteIn(a.ID, "owner", "No Visits ...", c))
	a2 := blank()
	a2.Alias = &crm.AliasInput{Alias: "croissants", Item: "croissant"}
	record(t, db, noteIn(a.ID, "owner", "/alias", a2))
	if err := db.SetShopSetting(ctx, a.ID, crm.SettingQuietHours, "22:00-07:00"); err != nil {
		t.Fatal(err)
	}

	export := func(shopID int64) (crm.ShopData, []crm.CustomerData) {
		var d crm.ShopData
		var cs []crm.CustomerData
		if err := db.ExportShop(ctx, shopID, func(x crm.ShopData) error { d = x; return nil },
			func(c crm.CustomerData) error { cs = append(cs, c); return nil }); err != nil {
			t.Fatal(err)
		}
		return d, cs
	}
	d, cs := export(a.ID)
	if len(cs) != 4 || cs[3].Name != "No Visits" || len(cs[3].Facts) != 4 || cs[3].UsualWeekday != time.Saturday ||
		d.Settings[crm.SettingQuietHours] != "22:00-07:00" || len(d.Items) == 0 {
		t.Fatalf("export %+v %+v", d, cs)
	}
	db2, _ := openTest(t)
	b := newShop(t, db2, "B")
	i := 0
	next := func() (crm.CustomerData, bool, error) {
		if i == len(cs) {
			return crm.CustomerData{}, false, nil
		}
		i++
		return cs[i-1], true, nil
	}
	n, err := db2.RestoreShop(ctx, b.ID, d, next)
	if err != nil || n != len(cs) {
		t.Fatalf("restore %d, %v", n, err)
	}
	db = db2
	d2, cs2 := export(b.ID)
	d2.Shop.ID = d.Shop.ID
	if !reflect.DeepEqual(d2, d) || !reflect.DeepEqual(cs2, cs) {
		t.Fatalf("restored shop differs:\n%+v\n%+v\n%+v\n%+v", d2, d, cs2, cs)
	}
	i = 0
	if _, err := db2.RestoreShop(ctx, b.ID, d, next); err == nil {
		t.Fatal("restored into a shop with data")
	}
}

// A backup taken while notes are written is consistent, and restores.
func TestBackupAndRestore(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "A")
	importRows(t, db, s.ID, sampleLedger())
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			c := blank()
			c.NewName = fmt.Sprint("Writer ", i)
			c.Visit = &crm.VisitInput{Date: day(3, 1)}
			if _, err := db.RecordNote(ctx, noteIn(s.ID, "owner", "w", c)); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	dir := t.TempDir()
	backup := filepath.Join(dir, "backup.db")
	time.Sleep(20 * time.Millisecond)
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()

	restored := filepath.Join(dir, "restored.db")
	if err := Restore(ctx, backup, restored); err != nil {
		t.Fatal(err)
	}
	rdb, err := Open(ctx, restored)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	n := counts(t, rdb)
	if n["visits"] < len(sampleLedger()) || n["notes"] != n["visits"]-len(sampleLedger()) {
		t.Fatalf("restored counts %v", n)
	}
	if err := Restore(ctx, backup, restored); err == nil {
		t.Fatal("restored over an existing database")
	}
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, bytes.Repeat([]byte("not a database "), 100), 0o600)
	if err := Restore(ctx, junk, filepath.Join(dir, "x.db")); err == nil {
		t.Fatal("restored a file that is no database")
	}
	if _, err := os.Stat(filepath.Join(dir, "x.db")); err == nil {
		t.Fatal("a failed restore left a file behind")
	}
}

func TestCountExpiring(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "A")
	importRows(t, db, s.ID, sampleLedger()) // Kim Minji and Lee Jun, last seen on 2025-03-08
	exp, total, err := db.CountExpiring(ctx, s.ID, crm.NewDate(2025, 3, 5), t0())
	if err != nil || exp != 0 || total != 2 {
		t.Fatalf("expiring %d of %d, %v", exp, total, err)
	}
	exp, total, _ = db.CountExpiring(ctx, s.ID, crm.NewDate(2025, 4, 1), t0().AddDate(0, 1, 0))
	n, _ := db.ExpireCustomers(ctx, s.ID, crm.NewDate(2025, 4, 1), t0().AddDate(0, 1, 0), t0())
	if exp != 2 || total != 2 || n != exp {
		t.Fatalf("expiring %d of %d, expired %d", exp, total, n)
	}
}

// dbPath is the file of a test database.
func dbPath(t testing.TB, db *DB) string {
	t.Helper()
	var file string
	if err := db.db.QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&file); err != nil {
		t.Fatal(err)
	}
	return file
}
