package storage

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

// addCustomer records a note creating a customer and returns their id.
func addCustomer(t testing.TB, db *DB, shopID int64, name string) int64 {
	t.Helper()
	c := blank()
	c.NewName = name
	c.Facts = []crm.FactInput{{Kind: crm.FactNote, Value: "regular"}}
	return record(t, db, noteIn(shopID, "owner", name+" regular", c)).Effects[0].CustomerID
}

func names(cs []crm.Customer) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func TestFindCustomers(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	for _, n := range []string{"김민지", "Kim Minji", "Minji Kim", "민지", "남궁민수", "박민지아", "kim", "Kimberly", "Lee"} {
		addCustomer(t, db, s.ID, n)
	}
	// Customer aliases have no writer yet; set one directly.
	leeID := addCustomer(t, db, s.ID, "Lee Sora")
	if _, err := db.db.Exec(`INSERT INTO customer_aliases (shop_id, customer_id, alias) VALUES (?, ?, 'Kim')`,
		s.ID, leeID); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"민지", []string{"민지", "김민지"}},
		{"  minji ", []string{"Kim Minji", "Minji Kim"}},
		{"KIM", []string{"kim", "Lee Sora", "Kim Minji", "Minji Kim"}},
		{"kim  minji", []string{"Kim Minji"}},
		{"김민지", []string{"김민지"}},
		{"민수", []string{"남궁민수"}},
		{"궁민수", []string{"남궁민수"}},
		{"민지아", []string{"박민지아"}},
		{"Kimb", nil},
		{"im", nil},
		{"", nil},
		{"   ", nil},
		{"%", nil},
		{"Nobody", nil},
	} {
		got, err := db.FindCustomers(ctx, s.ID, tc.query)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(names(got), tc.want) {
			t.Errorf("FindCustomers(%q) = %q, want %q", tc.query, names(got), tc.want)
		}
	}
	got, _ := db.FindCustomers(ctx, s.ID, "Kim")
	if i := slices.IndexFunc(got, func(c crm.Customer) bool { return c.ID == leeID }); i < 0 ||
		!slices.Equal(got[i].Aliases, []string{"Kim"}) {
		t.Errorf("aliases not returned: %+v", got)
	}
}

func TestFindCustomersAtMostTen(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	for i := range 12 {
		addCustomer(t, db, s.ID, fmt.Sprintf("Kim %c", 'A'+i))
	}
	exact := addCustomer(t, db, s.ID, "Kim")
	got, err := db.FindCustomers(ctx, s.ID, "kim")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 10 || got[0].ID != exact {
		t.Fatalf("FindCustomers = %q", names(got))
	}
}

func TestNames(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	record(t, db, kimNote(s.ID))
	addCustomer(t, db, s.ID, "이수진")
	addCustomer(t, db, s.ID, "kim minji") // the same name in other case: listed once
	customers, items, err := db.Names(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(customers, []string{"Kim Minji", "이수진"}) || !slices.Equal(items, []string{"Croissant", "latte"}) {
		t.Fatalf("Names = %q, %q", customers, items)
	}
}

func TestVisitsNewestFirst(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	id := addCustomer(t, db, s.ID, "Kim")
	for _, d := range []crm.Date{crm.NewDate(2025, 3, 2), crm.NewDate(2025, 3, 9), crm.NewDate(2025, 3, 5)} {
		c := blank()
		c.CustomerID = id
		c.Visit = &crm.VisitInput{Date: d}
		record(t, db, noteIn(s.ID, "owner", "kim "+d.String(), c))
	}
	vs, err := db.Visits(ctx, s.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	var dates []string
	for _, v := range vs {
		dates = append(dates, v.Date.String())
		if v.Items != nil || v.Context != nil {
			t.Errorf("visit without items: %+v", v)
		}
	}
	if !slices.Equal(dates, []string{"2025-03-09", "2025-03-05", "2025-03-02"}) {
		t.Fatalf("visit dates = %q", dates)
	}
}

// textColumns returns every column of every table, to search for a name.
func findText(t *testing.T, db *DB, needle string) []string {
	t.Helper()
	var hits []string
	for _, table := range tables(t, db) {
		rows, err := db.db.Query(`SELECT name FROM pragma_table_info(?)`, table)
		if err != nil {
			t.Fatal(err)
		}
		var cols []string
		for rows.Next() {
			var c string
			rows.Scan(&c)
			cols = append(cols, c)
		}
		rows.Close()
		for _, col := range cols {
			var n int
			q := fmt.Sprintf(`SELECT count(*) FROM "%s" WHERE instr(lower(CAST("%s" AS TEXT)), lower(?)) > 0`, table, col)
			if err := db.db.QueryRow(q, needle).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				hits = append(hits, table+"."+col)
			}
		}
	}
	return hits
}

func TestForgetCustomer(t *testing.T) {
	db, path := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")

	// Zelda is created with a visit, renamed, has a note undone, and her
	// name appears in a note's text, a fact and an alias.
	c := blank()
	c.NewName = "Zelda Quux"
	c.Visit = &crm.VisitInput{Date: crm.NewDate(2025, 3, 6), Items: []crm.ItemQty{{Name: "Croissant", Qty: 1}},
		Context: []string{"with Zelda's kids"}}
	c.Facts = []crm.FactInput{{Kind: crm.FactNote, Value: "Quux family"}}
	n1 := record(t, db, noteIn(s.ID, "owner", "Zelda Quux croissant", c))
	zelda := n1.Effects[0].CustomerID
	c = blank()
	c.CustomerID = zelda
	c.Rename = "Zelda Q."
	c.Birthday = crm.MonthDay{Month: time.May, Day: 1}
	record(t, db, noteIn(s.ID, "owner", "Zelda Quux is Zelda Q., bday 5/1", c))
	c = blank()
	c.CustomerID = zelda
	c.Facts = []crm.FactInput{{Kind: crm.FactLike, Value: "zelda's tea"}}
	n3 := record(t, db, noteIn(s.ID, "staff", "zelda likes tea", c))
	if _, err := db.UndoNote(ctx, s.ID, n3.ID, "console", "staff", t0(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.Exec(`INSERT INTO customer_aliases (shop_id, customer_id, alias) VALUES (?, ?, 'Zee Quux')`,
		s.ID, zelda); err != nil {
		t.Fatal(err)
	}

	// Another customer, who must stay.
	kim := record(t, db, kimNote(s.ID))
	kimID := kim.Effects[0].CustomerID

	if hits := findText(t, db, "Quux"); len(hits) == 0 {
		t.Fatal("test setup: name not found before forgetting")
	}
	if err := db.ForgetCustomer(ctx, s.ID, zelda, t0().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	_, err := db.Customer(ctx, s.ID, zelda)
	wantErr(t, err, crm.ErrNotFound)
	wantErr(t, db.ForgetCustomer(ctx, s.ID, zelda, t0()), crm.ErrNotFound)
	for _, needle := range []string{"Zelda", "Quux", "Zee"} {
		if hits := findText(t, db, needle); len(hits) > 0 {
			t.Errorf("%q still in %v", needle, hits)
		}
	}
	var erasures int
	var what, at string
	if err := db.db.QueryRow(`SELECT count(*), max(what), max(at) FROM erasures WHERE shop_id = ?`, s.ID).
		Scan(&erasures, &what, &at); err != nil {
		t.Fatal(err)
	}
	if erasures != 1 || what != "customer" || at != formatTime(t0().Add(time.Hour)) {
		t.Fatalf("erasures: %d rows, what %q at %q", erasures, what, at)
	}
	n := counts(t, db)
	if n["notes"] != 1 || n["visits"] != 1 || n["facts"] != 1 || n["customers"] != 1 || n["customer_aliases"] != 0 {
		t.Fatalf("rows left: %v", n)
	}
	// Kim, and the catalog, are untouched.
	if vs, _ := db.Visits(ctx, s.ID, kimID); len(vs) != 1 || len(vs[0].Items) != 2 {
		t.Fatalf("Kim's visits = %+v", vs)
	}
	if _, err := db.UndoNote(ctx, s.ID, kim.ID, "console", "owner", t0(), nil); err != nil {
		t.Fatalf("undo Kim's note after forgetting Zelda: %v", err)
	}

	// Nor is the name left in the file's free space or log.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, needle := range []string{"Zelda", "Quux", "zelda"} {
			if bytes.Contains(b, []byte(needle)) {
				t.Errorf("%s still holds %q", f, needle)
			}
		}
	}
}

func TestForgetCustomerTruncatesLogWhileOpen(t *testing.T) {
	db, path := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	id := addCustomer(t, db, s.ID, "Yrsa Vex")
	if err := db.ForgetCustomer(ctx, s.ID, id, t0()); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("Yrsa")) {
			t.Errorf("%s still holds the name while the database is open", f)
		}
	}
}

func TestShopsAreIsolated(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	a := newShop(t, db, "A")
	b := newShop(t, db, "B")
	n := record(t, db, kimNote(a.ID))
	kim := n.Effects[0].CustomerID
	p, err := db.SavePending(ctx, crm.Pending{ShopID: a.ID, Platform: "console", AuthorID: "owner", Text: "Kim?"})
	if err != nil {
		t.Fatal(err)
	}

	// Shop B sees nothing of shop A.
	_, err = db.Customer(ctx, b.ID, kim)
	wantErr(t, err, crm.ErrNotFound)
	if cs, err := db.FindCustomers(ctx, b.ID, "Kim Minji"); err != nil || len(cs) != 0 {
		t.Errorf("FindCustomers in B = %v, %v", cs, err)
	}
	if cs, is, err := db.Names(ctx, b.ID); err != nil || len(cs)+len(is) != 0 {
		t.Errorf("Names in B = %q %q %v", cs, is, err)
	}
	if vs, err := db.Visits(ctx, b.ID, kim); err != nil || len(vs) != 0 {
		t.Errorf("Visits in B = %v, %v", vs, err)
	}
	if fs, err := db.Facts(ctx, b.ID, kim); err != nil || len(fs) != 0 {
		t.Errorf("Facts in B = %v, %v", fs, err)
	}
	_, err = db.LastNote(ctx, b.ID, "console", "owner")
	wantErr(t, err, crm.ErrNotFound)
	_, err = db.UndoNote(ctx, b.ID, n.ID, "console", "owner", t0(), nil)
	wantErr(t, err, crm.ErrNotFound)
	wantErr(t, db.ForgetCustomer(ctx, b.ID, kim, t0()), crm.ErrNotFound)
	_, err = db.TakePending(ctx, b.ID, p.ID)
	wantErr(t, err, crm.ErrNotFound)
	c := blank()
	c.CustomerID = kim
	c.Visit = &crm.VisitInput{Date: crm.NewDate(2025, 3, 9)}
	_, err = db.RecordNote(ctx, noteIn(b.ID, "owner", "kim", c))
	wantErr(t, err, crm.ErrNotFound)

	// The same item names make B its own catalog items.
	nb := record(t, db, kimNote(b.ID))
	if nb.Effects[1].Kind != crm.EffectItemCreated || nb.Effects[1].RefID == n.Effects[1].RefID {
		t.Fatalf("shop B reused shop A's item: %+v", nb.Effects)
	}
	// And a row of B cannot point at a row of A, even written directly.
	_, err = db.db.Exec(`INSERT INTO visit_items (shop_id, visit_id, item_id, qty) VALUES (?, ?, ?, 1)`,
		b.ID, nb.Effects[3].RefID, n.Effects[2].RefID)
	if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Fatalf("cross-shop visit item: %v, want a foreign key error", err)
	}

	// A's data is intact.
	if vs, _ := db.Visits(ctx, a.ID, kim); len(vs) != 1 {
		t.Fatalf("A's visits = %+v", vs)
	}
	if _, err := db.TakePending(ctx, a.ID, p.ID); err != nil {
		t.Fatal(err)
	}
}

// findByScan is FindCustomers as it was before the shop's names were kept
// in memory: every customer whose name contains the query, or with it as
// an alias, ranked. FindCustomers must find the same.
func findByScan(t *testing.T, db *DB, shopID int64, name string) []int64 {
	t.Helper()
	q := strings.Join(strings.Fields(name), " ")
	if q == "" {
		return nil
	}
	like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q) + "%"
	rows, err := db.db.Query(`SELECT `+customerColumns+` FROM customers c
		WHERE c.shop_id = ?1 AND (c.name LIKE ?2 ESCAPE '\'
			OR EXISTS (SELECT 1 FROM customer_aliases a WHERE a.shop_id = ?1 AND a.customer_id = c.id AND a.alias = ?3))
		ORDER BY c.id`, shopID, like, q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type ranked struct {
		id   int64
		rank int
	}
	var found []ranked
	for rows.Next() {
		c, err := scanCustomer(rows, shopID)
		if err != nil {
			t.Fatal(err)
		}
		if r := matchRank(c, foldKey(q)); r >= 0 {
			found = append(found, ranked{c.ID, r})
		}
	}
	slices.SortStableFunc(found, func(a, b ranked) int { return a.rank - b.rank })
	var out []int64
	for _, f := range found[:min(len(found), maxFound)] {
		out = append(out, f.id)
	}
	return out
}

func TestFindCustomersAsByScan(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	s := newShop(t, db, "Bakery")
	other := newShop(t, db, "Café")
	names := []string{"김민지", "김민지", "이민지", "남궁민지", "남궁민수", "민지", "Kim Minji", "kim minji", "Minji Kim",
		"Park", "PARK Seojun", "Anne-Marie O'Neil", "Dr. Lee", "100% Kim", "a_b", "Jo", "Jo Jo", "조"}
	var queries []string
	for i, n := range names {
		c := blank()
		c.NewName = n
		c.Facts = []crm.FactInput{{Kind: crm.FactNote, Value: "x"}}
		cid := record(t, db, noteIn(s.ID, "owner", n, c)).Effects[0].CustomerID
		if i%4 == 0 {
			if _, err := db.db.Exec(`INSERT INTO customer_aliases (shop_id, customer_id, alias) VALUES (?, ?, ?)`,
				s.ID, cid, "Alias "+strconv.Itoa(i)); err != nil {
				t.Fatal(err)
			}
			queries = append(queries, "alias "+strconv.Itoa(i), "ALIAS "+strconv.Itoa(i))
		}
		queries = append(queries, n, strings.ToUpper(n), " "+n+" ", n[:len(n)/2])
		queries = append(queries, givenNames(n)...)
		c.NewName = n + " (other shop)"
		record(t, db, noteIn(other.ID, "owner", n, c))
	}
	queries = append(queries, "", "%", "_", "Kim", "kim", "Minji", "민", "지", "Lee", "Lee.", "O'Neil", "Jo")
	for _, q := range queries {
		got, err := db.FindCustomers(ctx, s.ID, q)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, c := range got {
			ids = append(ids, c.ID)
		}
		if want := findByScan(t, db, s.ID, q); !slices.Equal(ids, want) {
			t.Errorf("FindCustomers(%q) = %v, want %v", q, ids, want)
		}
	}
}
