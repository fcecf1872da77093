package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

// benchLedgerCSV is a ledger of rows rows over customers customers as an
// owner's spreadsheet holds it, oldest first: date, customer, one or two
// items with quantities, an amount, now and then a note.
type benchLedgerCSV struct {
	csv       []byte
	customers []string
	items     []string
	visits    []benchVisit
}

type benchVisit struct {
	customer     int
	date, note   string
	amount       int64
	items, qties []int
}

func newBenchLedgerCSV(rows, customers int) benchLedgerCSV {
	rnd := rand.New(rand.NewPCG(100, 26))
	l := benchLedgerCSV{items: []string{"크루아상", "라떼", "아메리카노", "베이글", "스콘", "바게트", "사워도우",
		"케이크", "머핀", "홍차", "쿠키", "뺑오쇼콜라", "치즈케이크", "우유식빵", "단팥빵", "에스프레소", "플랫화이트",
		"마들렌", "휘낭시에", "소금빵"}}
	family := []string{"김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"}
	syl := []string{"민", "지", "서", "준", "도", "윤", "하", "은", "수", "연", "현", "우", "예", "진", "유", "재", "나", "영"}
	for i := range customers {
		name := family[i%10] + syl[i/10%18] + syl[i/180%18]
		if i >= 3240 {
			name += syl[i/3240%18]
		}
		l.customers = append(l.customers, name)
	}
	end := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	var b bytes.Buffer
	b.WriteString("날짜,고객,품목,금액,메모\n")
	for k := range rows {
		v := benchVisit{customer: rnd.IntN(customers), amount: int64(1000 * (2 + rnd.IntN(20))),
			date: end.AddDate(0, 0, -730+730*k/rows).Format(time.DateOnly)}
		var items []string
		for range 1 + rnd.IntN(2) {
			it, q := rnd.IntN(len(l.items)), 1+rnd.IntN(2)
			if len(v.items) == 1 && v.items[0] == it {
				continue
			}
			v.items, v.qties = append(v.items, it), append(v.qties, q)
			items = append(items, fmt.Sprintf("%s %d개", l.items[it], q))
		}
		if rnd.IntN(10) == 0 {
			v.note = "포장"
		}
		l.visits = append(l.visits, v)
		fmt.Fprintf(&b, "%s,%s,\"%s\",%d,%s\n", v.date, l.customers[v.customer], strings.Join(items, ", "), v.amount, v.note)
	}
	l.csv = b.Bytes()
	return l
}

// bareInsert writes the ledger's customers, items, visits and lines into
// tables without a single index (but the row id) or constraint, with
// every id known in advance, prepared statements, one transaction, in a
// new database file with the settings Dangol uses (WAL, synchronous=FULL):
// the floor an import is measured against.
func bareInsert(path string, l benchLedgerCSV) error {
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=FULL&_txlock=immediate")
	if err != nil {
		return err
	}
	defer db.Close()
	for _, q := range []string{
		`CREATE TABLE customers (id INTEGER PRIMARY KEY, shop_id INTEGER, name TEXT, created_at TEXT)`,
		`CREATE TABLE items (id INTEGER PRIMARY KEY, shop_id INTEGER, name TEXT)`,
		`CREATE TABLE visits (id INTEGER PRIMARY KEY, shop_id INTEGER, customer_id INTEGER, date TEXT, amount INTEGER,
			note TEXT, import_key INTEGER, created_at TEXT)`,
		`CREATE TABLE visit_items (shop_id INTEGER, visit_id INTEGER, item_id INTEGER, qty INTEGER)`,
	} {
		if _, err := db.Exec(q); err != nil {
			return err
		}
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	at := "2026-11-26T10:00:00.000000000Z"
	stmt := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var s *sql.Stmt
		s, err = tx.Prepare(q)
		return s
	}
	cust := stmt(`INSERT INTO customers (id, shop_id, name, created_at) VALUES (?, 1, ?, ?)`)
	item := stmt(`INSERT INTO items (id, shop_id, name) VALUES (?, 1, ?)`)
	visit := stmt(`INSERT INTO visits (id, shop_id, customer_id, date, amount, note, import_key, created_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?)`)
	line := stmt(`INSERT INTO visit_items (shop_id, visit_id, item_id, qty) VALUES (1, ?, ?, ?)`)
	if err != nil {
		return err
	}
	for i, name := range l.customers {
		if _, err := cust.Exec(i+1, name, at); err != nil {
			return err
		}
	}
	for i, name := range l.items {
		if _, err := item.Exec(i+1, name); err != nil {
			return err
		}
	}
	for i, v := range l.visits {
		if _, err := visit.Exec(i+1, v.customer+1, v.date, v.amount, v.note, int64(i)*7919, at); err != nil {
			return err
		}
		for j, it := range v.items {
			if _, err := line.Exec(i+1, it+1, v.qties[j]); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

// BenchmarkImportCSV100k runs `dangol import` of a 100,000-row CSV ledger
// (3,000 customers, 1.5 items a row) into a new database file: reading
// and checking the file, opening the database, the import, its summaries.
// Each op is timed beside bareInsert of the same rows into a new file, run
// alternately in the same run: x-bare is the ratio.
func BenchmarkImportCSV100k(b *testing.B) {
	l := newBenchLedgerCSV(100_000, 3000)
	dir := b.TempDir()
	csv := filepath.Join(dir, "ledger.csv")
	if err := os.WriteFile(csv, l.csv, 0o600); err != nil {
		b.Fatal(err)
	}
	getenv := func(string) string { return "" }
	var bare, imp time.Duration
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		t := time.Now()
		if err := bareInsert(filepath.Join(dir, fmt.Sprintf("bare%d.db", i)), l); err != nil {
			b.Fatal(err)
		}
		bare += time.Since(t)
		b.StartTimer()
		t = time.Now()
		var out, errOut bytes.Buffer
		if err := run(context.Background(), []string{"import", "--db", filepath.Join(dir, fmt.Sprintf("shop%d.db", i)), csv},
			getenv, strings.NewReader(""), &out, &errOut); err != nil {
			b.Fatalf("import: %v\n%s%s", err, out.String(), errOut.String())
		}
		imp += time.Since(t)
		if !strings.Contains(out.String(), "방문 100000건") {
			b.Fatalf("import: %s", out.String())
		}
	}
	b.ReportMetric(float64(imp)/float64(bare), "x-bare")
	b.ReportMetric(float64(bare.Milliseconds())/float64(b.N), "bare-ms")
}
