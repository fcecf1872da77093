package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

// benchDay is the day the generated ledgers end and the digest is for.
var benchDay = crm.NewDate(2026, time.November, 26)

// benchItems are the generated ledgers' item names; two differ only in
// case, as owners type them.
var benchItems = []string{
	"croissant", "latte", "americano", "bagel", "scone", "baguette",
	"sourdough", "cake", "Croissant", "muffin", "tea", "cookie",
	"pain au chocolat", "cheesecake", "milk bread", "red bean bun",
	"espresso", "flat white", "madeleine", "financier",
}

// benchLedger generates a ledger of about visits rows over customers
// customers in the two years before benchDay, oldest first, as an owner's
// spreadsheet would hold it: weekly regulars, customers who come at a
// pace, some who stopped coming and random visitors, one or two items a
// visit, an amount, now and then a note, and birthdays.
func benchLedger(customers, visits int) []crm.LedgerRow {
	rnd := rand.New(rand.NewPCG(20261126, 11))
	const span = 730
	rows := make([]crm.LedgerRow, 0, visits)
	left := visits
	for i := range customers {
		n := left / (customers - i)
		left -= n
		name := fmt.Sprintf("Customer %05d", i+1)
		var birthday crm.MonthDay
		if rnd.IntN(3) > 0 {
			birthday = crm.MonthDay{Month: time.Month(1 + rnd.IntN(12)), Day: 1 + rnd.IntN(28)}
		}
		offsets := make([]int, 0, n)
		switch i % 10 {
		case 0, 1, 2: // weekly on one weekday, sometimes skipping a week
			o := 1 + rnd.IntN(7)
			for len(offsets) < n {
				if rnd.IntN(5) > 0 {
					offsets = append(offsets, o)
				}
				o += 7
			}
		case 3, 4, 5: // at a pace, recently
			p := 3 + rnd.IntN(12)
			o := 1 + rnd.IntN(2*p)
			for len(offsets) < n {
				offsets = append(offsets, o)
				o += max(1, p+rnd.IntN(5)-2)
			}
		case 6, 7: // at a pace, then stopped coming
			p := 3 + rnd.IntN(10)
			o := 40 + rnd.IntN(250)
			for len(offsets) < n {
				offsets = append(offsets, o)
				o += max(1, p+rnd.IntN(5)-2)
			}
		default: // random days, some repeated
			for len(offsets) < n {
				offsets = append(offsets, 1+rnd.IntN(span))
			}
		}
		for k, o := range offsets {
			r := crm.LedgerRow{Date: benchDay.AddDays(-o), Customer: name, Amount: int64(1000 * (2 + rnd.IntN(20)))}
			// One or two items, 1.5 on average (a little less once an
			// item named twice is merged).
			for range 1 + rnd.IntN(2) {
				r.Items = append(r.Items, crm.ItemQty{Name: benchItems[rnd.IntN(len(benchItems))], Qty: 1 + rnd.IntN(2)})
			}
			if rnd.IntN(10) == 0 {
				r.Note = "takeout"
			}
			if k == len(offsets)-1 {
				r.Birthday = birthday
			}
			rows = append(rows, r)
		}
	}
	slices.SortStableFunc(rows, func(a, b crm.LedgerRow) int { return benchDay.DaysSince(b.Date) - benchDay.DaysSince(a.Date) })
	return rows
}

// BenchmarkImport100k imports a 100,000-row ledger of about 3,000
// customers into an empty shop: check, hash, resolve, write, commit.
func BenchmarkImport100k(b *testing.B) {
	rows := benchLedger(3000, 100_000)
	ctx := context.Background()
	b.ReportAllocs()
	b.StopTimer()
	for range b.N {
		db, _ := openTest(b)
		s := newShop(b, db, "Bakery")
		b.StartTimer()
		res, err := db.Import(ctx, s.ID, rows, t0())
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if res.Visits != len(rows) || res.Customers != 3000 {
			b.Fatalf("import = %+v", res)
		}
		db.Close()
	}
}

// bareImport is what the bare benchmark writes: the rows Import writes for
// benchLedger, with every id known in advance.
type bareImport struct {
	customers []string
	items     []string
	visits    []bareVisit
}

type bareVisit struct {
	customer     int64 // index in customers
	date, note   string
	amount       int64
	key          int64
	items, qties []int64 // indexes in items
}

func bareRows(rows []crm.LedgerRow) bareImport {
	var bi bareImport
	cust := map[string]int64{}
	item := map[string]int64{}
	seen := map[[sha256.Size]byte]int{}
	for _, r := range rows {
		c, ok := cust[r.Customer]
		if !ok {
			c = int64(len(bi.customers))
			cust[r.Customer] = c
			bi.customers = append(bi.customers, r.Customer)
		}
		v := bareVisit{customer: c, date: r.Date.String(), note: r.Note, amount: r.Amount}
		for _, it := range r.Items {
			k := foldKey(it.Name)
			id, ok := item[k]
			if !ok {
				id = int64(len(bi.items))
				item[k] = id
				bi.items = append(bi.items, it.Name)
			}
			if j := slices.Index(v.items, id); j >= 0 {
				v.qties[j] += int64(it.Qty)
				continue
			}
			v.items = append(v.items, id)
			v.qties = append(v.qties, int64(it.Qty))
		}
		// A key of the same shape as Import's, so the unique index costs
		// the same.
		sum := sha256.Sum256(fmt.Appendf(nil, "%s|%s|%v|%d|%s", v.date, foldKey(r.Customer), r.Items, r.Amount, r.Note))
		n := seen[sum]
		seen[sum]++
		ksum := sha256.Sum256(fmt.Appendf(sum[:], "#%d", n))
		v.key = int64(binary.BigEndian.Uint64(ksum[:8]))
		bi.visits = append(bi.visits, v)
	}
	return bi
}

// BenchmarkImportBare100k writes the rows BenchmarkImport100k writes, a
// prepared INSERT per row with every id known in advance, in one
// transaction with the same connection settings as Import (inBulkTx), and
// nothing else: the floor Import is measured against.
func BenchmarkImportBare100k(b *testing.B) {
	bi := bareRows(benchLedger(3000, 100_000))
	ctx := context.Background()
	at := formatTime(t0())
	b.ReportAllocs()
	b.StopTimer()
	for range b.N {
		db, _ := openTest(b)
		s := newShop(b, db, "Bakery")
		b.StartTimer()
		err := db.inBulkTx(ctx, func(tx *sql.Tx) error {
			cust, err := tx.PrepareContext(ctx, `INSERT INTO customers (shop_id, name, birthday, created_at) VALUES (?, ?, '', ?)`)
			if err != nil {
				return err
			}
			defer cust.Close()
			custIDs := make([]int64, len(bi.customers))
			for i, name := range bi.customers {
				r, err := cust.ExecContext(ctx, s.ID, name, at)
				if err != nil {
					return err
				}
				custIDs[i], _ = r.LastInsertId()
			}
			item, err := tx.PrepareContext(ctx, `INSERT INTO items (shop_id, name) VALUES (?, ?)`)
			if err != nil {
				return err
			}
			defer item.Close()
			itemIDs := make([]int64, len(bi.items))
			for i, name := range bi.items {
				r, err := item.ExecContext(ctx, s.ID, name)
				if err != nil {
					return err
				}
				itemIDs[i], _ = r.LastInsertId()
			}
			visit, err := tx.PrepareContext(ctx, `INSERT INTO visits (shop_id, customer_id, date, amount, note, import_key, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`)
			if err != nil {
				return err
			}
			defer visit.Close()
			line, err := tx.PrepareContext(ctx, `INSERT INTO visit_items (shop_id, visit_id, item_id, qty) VALUES (?, ?, ?, ?)`)
			if err != nil {
				return err
			}
			defer line.Close()
			for _, v := range bi.visits {
				r, err := visit.ExecContext(ctx, s.ID, custIDs[v.customer], v.date, v.amount, v.note, v.key, at)
				if err != nil {
					return err
				}
				id, _ := r.LastInsertId()
				for j, it := range v.items {
					if _, err := line.ExecContext(ctx, s.ID, id, itemIDs[it], v.qties[j]); err != nil {
						return err
					}
				}
			}
			return nil
		})
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}
