package storage

import (
	"bytes"
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/dangol/dangol/conversation/ledger"
	"github.com/dangol/dangol/crm"
)

func items(kv ...any) []crm.ItemQty {
	var out []crm.ItemQty
	for i := 0; i < len(kv); i += 2 {
		out = append(out, crm.ItemQty{Name: kv[i].(string), Qty: kv[i+1].(int)})
	}
	return out
}

func day(m time.Month, d int) crm.Date { return crm.NewDate(2025, m, d) }

// sampleLedger is a small ledger: two customers, one of them twice on the
// same day with the same purchase.
func sampleLedger() []crm.LedgerRow {
	return []crm.LedgerRow{
		{Line: 2, Date: day(3, 1), Customer: "Kim Minji", Items: items("croissant", 2, "latte", 1), Amount: 8500, Note: "takeout"},
		{Line: 3, Date: day(3, 1), Customer: "Lee Jun", Items: items("bagel", 1)},
		{Line: 4, Date: day(3, 8), Customer: "kim minji", Items: items("Croissant", 1), Amount: 3000,
			Birthday: crm.MonthDay{Month: time.May, Day: 1}},
		{Line: 5, Date: day(3, 8), Customer: "Lee Jun", Items: items("bagel", 1)},
		{Line: 6, Date: day(3, 8), Customer: "Lee Jun", Items: items("bagel", 1)},
	}
}

func importRows(t testing.TB, db *DB, shopID int64, rows []crm.LedgerRow) crm.ImportResult {
	t.Helper()
	res, err := db.Import(context.Background(), shopID, rows, t0())
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return res
}

// customerNamed returns the id of the shop's only customer called name.
func customerNamed(t testing.TB, db *DB, shopID int64, name string) int64 {
	t.Helper()
	var ids []int64
	rows, err := db.db.Query(`SELECT id FROM customers WHERE shop_id = ? AND name = ? COLLATE BINARY`, shopID, name)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	if len(ids) != 1 {
		t.Fatalf("customers called %q: %v", name, ids)
	}
	return ids[0]
}

func lineItems(v crm.Visit) []crm.ItemQty {
	var out []crm.ItemQty
	for _, li := range v.Items {
		out = append(out, crm.ItemQty{Name: li.Name, Qty: li.Qty})
	}
	return out
}

func TestImport(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")

	res := importRows(t, db, s.ID, sampleLedger())
	if want := (crm.ImportResult{Customers: 2, Visits: 5}); res != want {
		t.Fatalf("Import = %+v, want %+v", res, want)
	}
	kim := customerNamed(t, db, s.ID, "Kim Minji")
	c, err := db.Customer(ctx, s.ID, kim)
	if err != nil {
		t.Fatal(err)
	}
	if c.Birthday != (crm.MonthDay{Month: time.May, Day: 1}) {
		t.Errorf("Kim's birthday = %v, want 05-01 from her later row", c.Birthday)
	}
	vs, err := db.Visits(ctx, s.ID, kim)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 {
		t.Fatalf("Kim's visits = %+v", vs)
	}
	// Newest first; the first row's item spelling names the catalog item.
	if vs[0].Date != day(3, 8) || vs[0].Amount != 3000 || vs[0].Note != "" ||
		!reflect.DeepEqual(lineItems(vs[0]), items("croissant", 1)) {
		t.Errorf("Kim's second visit = %+v", vs[0])
	}
	if vs[1].Date != day(3, 1) || vs[1].Amount != 8500 || vs[1].Note != "takeout" || vs[1].NoteID != 0 ||
		!reflect.DeepEqual(lineItems(vs[1]), items("croissant", 2, "latte", 1)) {
		t.Errorf("Kim's first visit = %+v", vs[1])
	}
	// Two identical rows are two visits.
	lee := customerNamed(t, db, s.ID, "Lee Jun")
	if vs, _ := db.Visits(ctx, s.ID, lee); len(vs) != 3 {
		t.Errorf("Lee's visits = %+v, want 3", vs)
	}
	n := counts(t, db)
	if n["notes"] != 0 || n["note_effects"] != 0 || n["items"] != 3 || n["visit_items"] != 6 {
		t.Errorf("rows after import: %v", n)
	}

	// The connection Import set up for itself is not back in the pool.
	for range 3 {
		var cache, temp int
		if err := db.db.QueryRow(`PRAGMA cache_size`).Scan(&cache); err != nil {
			t.Fatal(err)
		}
		if err := db.db.QueryRow(`PRAGMA temp_store`).Scan(&temp); err != nil {
			t.Fatal(err)
		}
		if cache != -2000 || temp != 0 {
			t.Errorf("a pooled connection has cache_size %d, temp_store %d after Import", cache, temp)
		}
	}

	// The same file again adds nothing.
	res = importRows(t, db, s.ID, sampleLedger())
	if want := (crm.ImportResult{Skipped: 5}); res != want {
		t.Fatalf("second Import = %+v, want %+v", res, want)
	}
	sameCounts(t, counts(t, db), n)

	// A file with a third identical row adds only that one.
	rows := append(sampleLedger(), crm.LedgerRow{Date: day(3, 8), Customer: "Lee Jun", Items: items("bagel", 1)})
	res = importRows(t, db, s.ID, rows)
	if want := (crm.ImportResult{Visits: 1, Skipped: 5}); res != want {
		t.Fatalf("Import with a third identical row = %+v, want %+v", res, want)
	}
	// Neither item order nor spacing nor case makes a row new.
	res = importRows(t, db, s.ID, []crm.LedgerRow{{Date: day(3, 1), Customer: " KIM  minji ",
		Items: items("Latte", 1, "CROISSANT", 1, "croissant", 1), Amount: 8500, Note: " takeout "}})
	if want := (crm.ImportResult{Skipped: 1}); res != want {
		t.Fatalf("Import of a reordered row = %+v, want %+v", res, want)
	}
}

func TestImportExistingCustomersAndCatalog(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	kimNoteIn := kimNote(s.ID) // Kim Minji, bday 03-14; Croissant and latte
	kim := record(t, db, kimNoteIn).Effects[0].CustomerID
	lee1 := addCustomer(t, db, s.ID, "Lee")
	lee2 := addCustomer(t, db, s.ID, "lee")
	park := addCustomer(t, db, s.ID, "Park")
	c := blank()
	c.CustomerID = park
	c.Birthday = crm.MonthDay{Month: time.July, Day: 7}
	record(t, db, noteIn(s.ID, "owner", "Park bday 7/7", c))
	a := blank()
	a.Alias = &crm.AliasInput{Alias: "크루아상", Item: "croissant"}
	record(t, db, noteIn(s.ID, "owner", "크루아상 is croissant", a))
	before := counts(t, db)

	res := importRows(t, db, s.ID, []crm.LedgerRow{
		{Date: day(4, 1), Customer: "KIM MINJI", Items: items("croissant", 1, "크루아상", 2, "LATTE", 1),
			Birthday: crm.MonthDay{Month: time.April, Day: 2}},
		{Date: day(4, 1), Customer: "LEE", Items: items("Bagel", 1)},
		{Date: day(4, 2), Customer: "park", Items: items("bagel", 2)},
	})
	if want := (crm.ImportResult{Visits: 3}); res != want {
		t.Fatalf("Import = %+v, want %+v", res, want)
	}
	// The alias and the name are one item, merged; the file's birthday wins.
	vs, _ := db.Visits(ctx, s.ID, kim)
	if len(vs) != 2 || vs[0].Date != day(4, 1) || !reflect.DeepEqual(lineItems(vs[0]), items("Croissant", 3, "latte", 1)) {
		t.Fatalf("Kim's visits = %+v", vs)
	}
	if c, _ := db.Customer(ctx, s.ID, kim); c.Birthday != (crm.MonthDay{Month: time.April, Day: 2}) {
		t.Errorf("Kim's birthday = %v, want the file's 04-02", c.Birthday)
	}
	// A row without a birthday leaves one alone.
	if c, _ := db.Customer(ctx, s.ID, park); c.Birthday != (crm.MonthDay{Month: time.July, Day: 7}) {
		t.Errorf("Park's birthday = %v, want 07-07 kept", c.Birthday)
	}
	// Of two customers of the name, the oldest.
	if vs, _ := db.Visits(ctx, s.ID, lee1); len(vs) != 1 {
		t.Errorf("first Lee's visits = %+v", vs)
	}
	if vs, _ := db.Visits(ctx, s.ID, lee2); len(vs) != 0 {
		t.Errorf("second lee's visits = %+v", vs)
	}
	// Bagel is created once, under its first spelling.
	after := counts(t, db)
	if after["items"] != before["items"]+1 || after["customers"] != before["customers"] {
		t.Errorf("rows before %v, after %v", before, after)
	}
	if vs, _ := db.Visits(ctx, s.ID, park); len(vs) != 1 || vs[0].Items[0].Name != "Bagel" {
		t.Errorf("Park's visits = %+v", vs)
	}
}

func TestImportRenamedCustomer(t *testing.T) {
	db, _ := openTest(t)
	s := newShop(t, db, "Bakery")
	rows := sampleLedger()
	importRows(t, db, s.ID, rows)
	c := blank()
	c.CustomerID = customerNamed(t, db, s.ID, "Lee Jun")
	c.Rename = "Lee Junho"
	record(t, db, noteIn(s.ID, "owner", "Lee Jun is Lee Junho", c))
	before := counts(t, db)

	// Lee Jun's rows were imported before: no new Lee Jun for them.
	res := importRows(t, db, s.ID, rows)
	if want := (crm.ImportResult{Skipped: 5}); res != want {
		t.Fatalf("Import = %+v, want %+v", res, want)
	}
	sameCounts(t, counts(t, db), before)
}

func TestImportRejectsBadRows(t *testing.T) {
	db, _ := openTest(t)
	s := newShop(t, db, "Bakery")
	ok := crm.LedgerRow{Date: day(3, 1), Customer: "Kim", Items: items("latte", 1)}
	for name, mod := range map[string]func(r *crm.LedgerRow){
		"no customer":    func(r *crm.LedgerRow) { r.Customer = "  " },
		"no date":        func(r *crm.LedgerRow) { r.Date = crm.Date{} },
		"bad date":       func(r *crm.LedgerRow) { r.Date = crm.Date{Year: 2025, Month: 2, Day: 30} },
		"negative":       func(r *crm.LedgerRow) { r.Amount = -1 },
		"zero quantity":  func(r *crm.LedgerRow) { r.Items = items("latte", 0) },
		"empty item":     func(r *crm.LedgerRow) { r.Items = items(" ", 1) },
		"bad birthday":   func(r *crm.LedgerRow) { r.Birthday = crm.MonthDay{Month: 2, Day: 30} },
		"long item name": func(r *crm.LedgerRow) { r.Items = items(string(bytes.Repeat([]byte("x"), 101)), 1) },
	} {
		bad := ok
		mod(&bad)
		_, err := db.Import(context.Background(), s.ID, []crm.LedgerRow{ok, bad}, t0())
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		wantErr(t, err, crm.ErrInvalidInput)
	}
	if n := counts(t, db); n["customers"]+n["visits"]+n["items"] != 0 {
		t.Errorf("rows after failed imports: %v", n)
	}
	_, err := db.Import(context.Background(), s.ID+100, []crm.LedgerRow{ok}, t0())
	wantErr(t, err, crm.ErrNotFound)
}

func TestImportShopsAreIsolated(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	a := newShop(t, db, "A")
	b := newShop(t, db, "B")
	importRows(t, db, a.ID, sampleLedger())
	// B imports the same file: everything is new to B, with B's own
	// customers and items.
	res := importRows(t, db, b.ID, sampleLedger())
	if want := (crm.ImportResult{Customers: 2, Visits: 5}); res != want {
		t.Fatalf("Import into B = %+v, want %+v", res, want)
	}
	n := counts(t, db)
	if n["customers"] != 4 || n["items"] != 6 || n["visits"] != 10 {
		t.Errorf("rows: %v", n)
	}
	la, err := db.Ledger(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	lb, err := db.Ledger(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(la) != 5 || !reflect.DeepEqual(la, lb) {
		t.Errorf("ledgers differ:\nA %+v\nB %+v", la, lb)
	}
	if l, err := db.Ledger(ctx, b.ID+100); err != nil || len(l) != 0 {
		t.Errorf("Ledger of no shop = %v, %v", l, err)
	}
}

func TestLedger(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	importRows(t, db, s.ID, sampleLedger())
	record(t, db, kimNote(s.ID)) // a new Kim Minji, 2025-03-06, bday 03-14
	got, err := db.Ledger(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	bd := crm.MonthDay{Month: time.May, Day: 1}
	want := []crm.LedgerRow{
		{Date: day(3, 1), Customer: "Kim Minji", Items: items("croissant", 2, "latte", 1), Amount: 8500, Note: "takeout", Birthday: bd},
		{Date: day(3, 1), Customer: "Lee Jun", Items: items("bagel", 1)},
		{Date: day(3, 6), Customer: "Kim Minji", Items: items("croissant", 2, "latte", 1), Amount: 8500,
			Birthday: crm.MonthDay{Month: time.March, Day: 14}},
		{Date: day(3, 8), Customer: "Kim Minji", Items: items("croissant", 1), Amount: 3000, Birthday: bd},
		{Date: day(3, 8), Customer: "Lee Jun", Items: items("bagel", 1)},
		{Date: day(3, 8), Customer: "Lee Jun", Items: items("bagel", 1)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Ledger:\n got %+v\nwant %+v", got, want)
	}
}

// TestLedgerRoundTrip exports a shop's ledger as CSV and imports it into a
// new shop, whose ledger must then be the same.
func TestLedgerRoundTrip(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	a := newShop(t, db, "A")
	rows := sampleLedger()
	rows = append(rows,
		crm.LedgerRow{Date: day(2, 28), Customer: "김민지", Items: items("크루아상", 2, "라떼", 1), Amount: 7500,
			Note: "포장, \"빨대\" 없이\n다음엔 케이크", Birthday: crm.MonthDay{Month: time.February, Day: 29}},
		crm.LedgerRow{Date: day(3, 9), Customer: "Choi", Note: "just looked"},
		crm.LedgerRow{Date: day(3, 9), Customer: "Choi", Note: "just looked"},
	)
	importRows(t, db, a.ID, rows)
	// Visits from notes, in the same shop, take part too.
	c := blank()
	c.NewName = "Park Seo"
	c.Visit = &crm.VisitInput{Date: day(3, 2), Amount: 4000, Items: items("tea", 1, "scone", 3)}
	record(t, db, noteIn(a.ID, "owner", "Park Seo tea and 3 scones", c))
	c = blank()
	c.CustomerID = customerNamed(t, db, a.ID, "Lee Jun")
	c.Visit = &crm.VisitInput{Date: day(3, 8), Items: items("Bagel", 2)}
	record(t, db, noteIn(a.ID, "owner", "Lee Jun 2 bagels", c))

	exported, err := db.Ledger(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ledger.Write(&buf, exported); err != nil {
		t.Fatal(err)
	}
	read, problems, err := ledger.Read(&buf)
	if err != nil || len(problems) != 0 {
		t.Fatalf("Read: %v %+v", err, problems)
	}

	b := newShop(t, db, "B")
	res := importRows(t, db, b.ID, read)
	if want := (crm.ImportResult{Customers: 5, Visits: len(exported)}); res != want {
		t.Fatalf("Import = %+v, want %+v", res, want)
	}
	got, err := db.Ledger(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, exported) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, exported)
	}
	// And importing the export again adds nothing.
	if res := importRows(t, db, b.ID, read); res.Visits != 0 || res.Skipped != len(read) {
		t.Errorf("second Import = %+v", res)
	}
}

// An import into a shop that is not there writes nothing (its connection
// does not check references: Import checks the shop itself).
func TestImportIntoNoShop(t *testing.T) {
	db, _ := openTest(t)
	newShop(t, db, "Bakery")
	before := counts(t, db)
	_, err := db.Import(context.Background(), 99, benchLedger(5, 20), t0())
	wantErr(t, err, crm.ErrNotFound)
	sameCounts(t, counts(t, db), before)
	if bad, err := db.CheckReferences(context.Background()); err != nil || len(bad) > 0 {
		t.Fatalf("references %v, %v", bad, err)
	}
}
