package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// Import adds the rows' customers and visits to the shop in one
// transaction.
//
// A row's customer is the shop's customer of that name, ignoring ASCII case
// (the oldest when several share it), or a new one. A customer's birthday
// is set from the last of their rows that carries one, replacing the one
// on file. Items are the catalog items of that name or alias, ignoring
// ASCII case; unknown names become catalog items. Lines of one row naming
// the same item are merged.
//
// Each row is one visit with an import key made of its content and how
// many identical rows came before it in rows, so that two identical rows
// are two visits while importing the same rows again adds nothing: such
// rows are counted as Skipped. A customer created for rows that were all
// skipped (someone renamed since the first import) is not kept. Imported
// visits belong to no note.
//
// The whole import is checked before anything is written; a row that
// cannot be stored (no customer name, no date, a negative amount or
// quantity, an impossible birthday) fails it with crm.ErrInvalidInput.
// BeginImport imports in batches instead, and leaves such rows out.
func (db *DB) Import(ctx context.Context, shopID int64, rows []crm.LedgerRow, at time.Time) (crm.ImportResult, error) {
	if shopID <= 0 {
		return crm.ImportResult{}, fmt.Errorf("storage: import: shop %d: %w", shopID, crm.ErrInvalidInput)
	}
	imp, _, err := prepareImport(rows, false)
	if err != nil {
		return crm.ImportResult{}, fmt.Errorf("storage: import: %w", err)
	}
	if len(imp.rows) == 0 {
		return crm.ImportResult{}, nil
	}
	seen := make(map[[sha256.Size]byte]uint64, len(imp.rows))
	imp.assignKeys(func(sums [][sha256.Size]byte) []uint64 {
		occ := make([]uint64, len(sums))
		for i, s := range sums {
			occ[i] = seen[s]
			seen[s]++
		}
		return occ
	})
	var res crm.ImportResult
	err = db.inUncheckedBulkTx(ctx, func(tx *sql.Tx) error {
		// Foreign keys are not checked on this connection:
		// the shop is, and every id written is one read or made here.
		var ok bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM shops WHERE id = ?)`, shopID).Scan(&ok); err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("shop %d: %w", shopID, crm.ErrNotFound)
		}
		var err error
		res, err = imp.write(ctx, tx, shopID, formatTime(at))
		return err
	})
	if err != nil {
		return crm.ImportResult{}, fmt.Errorf("storage: import: %w", constraint(err))
	}
	return res, nil
}

// An import writes visits, and visit lines, in statements of up to
// visitBatch and lineBatch rows (6 and 3 parameters a row, under SQLite's
// limit of 32766; powers of 4, see chunk); names are looked up nameBatch at
// a time.
const (
	visitBatch = 4096
	lineBatch  = 4096
	nameBatch  = 500
)

// importer is an import checked and cleaned, with its customers and items
// named once each, ready to be written.
type importer struct {
	custByKey map[string]int32 // folded name → index in custs
	custByRaw map[string]int32 // name as written → index in custs
	custs     []importCustomer
	itemByKey map[string]int32 // folded name → index in items
	itemByRaw map[string]int32 // name as written → index in items
	items     []importItem
	rows      []importRow
	lines     []importLine // every row's lines, row after row
}

type importCustomer struct {
	name, key string
	birthday  crm.MonthDay // from the file's last row that has one
	id        int64        // 0 until found or created
	had       string       // birthday on file before the import (MM-DD)
	created   bool
	visits    int // visits added
}

type importItem struct {
	name, key string
	id        int64
}

type importRow struct {
	line     int
	cust     int32
	date     string
	amount   int64
	note     string
	sum      [sha256.Size]byte // its content
	key      int64             // its import key
	from, to int32             // its lines: importer.lines[from:to]
}

type importLine struct {
	item int32 // index in importer.items
	qty  int64
}

// rowName names a row in errors: its line in the file, or its position.
func rowName(i int, r *crm.LedgerRow) string {
	if r.Line > 0 {
		return "line " + strconv.Itoa(r.Line)
	}
	return "row " + strconv.Itoa(i+1)
}

// validDate reports whether d is a real day that formats as YYYY-MM-DD.
func validDate(d crm.Date) bool {
	return d.Year >= 1 && d.Year <= 9999 && crm.NewDate(d.Year, d.Month, d.Day) == d
}

// prepareImport checks and cleans rows, names their customers and items
// and computes the content of each, without touching the database. A row
// that cannot be stored fails the whole import, or, when lenient, is left
// out and returned as a problem ("invalid").
func prepareImport(rows []crm.LedgerRow, lenient bool) (*importer, []crm.RowProblem, error) {
	imp := &importer{
		custByKey: make(map[string]int32),
		custByRaw: make(map[string]int32),
		itemByKey: make(map[string]int32),
		itemByRaw: make(map[string]int32),
		rows:      make([]importRow, 0, len(rows)),
		lines:     make([]importLine, 0, len(rows)*2),
	}
	var problems []crm.RowProblem
	dates := make(map[crm.Date]string)
	var buf []byte
	var sorted []importLine
	for i := range rows {
		r := &rows[i]
		from := len(imp.lines)
		row, err := imp.prepareRow(r, dates, from)
		if err != nil {
			if !lenient {
				return nil, nil, fmt.Errorf("%s: %w", rowName(i, r), err)
			}
			imp.lines = imp.lines[:from]
			problems = append(problems, crm.RowProblem{Line: r.Line, Code: "invalid", Value: r.Customer})
			continue
		}
		// The content: fields length-prefixed so that no two rows encode
		// alike, items in name order so that their order does not matter.
		sorted = append(sorted[:0], imp.lines[from:]...)
		if len(sorted) > 1 {
			slices.SortFunc(sorted, func(a, b importLine) int {
				return strings.Compare(imp.items[a.item].key, imp.items[b.item].key)
			})
		}
		buf = appendField(buf[:0], row.date)
		buf = appendField(buf, imp.custs[row.cust].key)
		buf = binary.AppendUvarint(buf, uint64(len(sorted)))
		for _, l := range sorted {
			buf = appendField(buf, imp.items[l.item].key)
			buf = binary.AppendUvarint(buf, uint64(l.qty))
		}
		buf = binary.AppendUvarint(buf, uint64(row.amount))
		buf = appendField(buf, row.note)
		row.sum = sha256.Sum256(buf)
		row.to = int32(len(imp.lines))
		imp.rows = append(imp.rows, row)
		if !r.Birthday.IsZero() {
			imp.custs[row.cust].birthday = r.Birthday
		}
	}
	return imp, problems, nil
}

// prepareRow checks one row and adds its customer, items and lines.
func (imp *importer) prepareRow(r *crm.LedgerRow, dates map[crm.Date]string, from int) (importRow, error) {
	cust, err := imp.customer(r.Customer)
	if err != nil {
		return importRow{}, err
	}
	date, ok := dates[r.Date]
	if !ok {
		if !validDate(r.Date) {
			return importRow{}, fmt.Errorf("date %d-%d-%d: %w", r.Date.Year, r.Date.Month, r.Date.Day, crm.ErrInvalidInput)
		}
		date = r.Date.String()
		dates[r.Date] = date
	}
	if r.Amount < 0 {
		return importRow{}, fmt.Errorf("negative amount: %w", crm.ErrInvalidInput)
	}
	if !r.Birthday.IsZero() && !r.Birthday.Valid() {
		return importRow{}, fmt.Errorf("birthday %d-%d: %w", r.Birthday.Month, r.Birthday.Day, crm.ErrInvalidInput)
	}
items:
	for _, it := range r.Items {
		if it.Qty < 1 {
			return importRow{}, fmt.Errorf("item %q: quantity %d: %w", it.Name, it.Qty, crm.ErrInvalidInput)
		}
		item, err := imp.item(it.Name)
		if err != nil {
			return importRow{}, err
		}
		for j := from; j < len(imp.lines); j++ {
			if imp.lines[j].item == item {
				imp.lines[j].qty += int64(it.Qty)
				continue items
			}
		}
		imp.lines = append(imp.lines, importLine{item: item, qty: int64(it.Qty)})
	}
	return importRow{line: r.Line, cust: cust, date: date, amount: r.Amount, note: strings.TrimSpace(r.Note),
		from: int32(from)}, nil
}

// assignKeys gives every row its import key: its content and the number
// of identical rows before it (which occurrences tells, for the rows'
// contents in order), hashed, the first 8 bytes as an integer (an index
// of integers is far smaller and quicker to keep than one of hex text).
// The content encodes itself unambiguously, so the number can simply
// follow it.
func (imp *importer) assignKeys(occurrences func(sums [][sha256.Size]byte) []uint64) {
	sums := make([][sha256.Size]byte, len(imp.rows))
	for i := range imp.rows {
		sums[i] = imp.rows[i].sum
	}
	occ := occurrences(sums)
	var buf []byte
	for i := range imp.rows {
		buf = binary.AppendUvarint(append(buf[:0], imp.rows[i].sum[:]...), occ[i])
		ksum := sha256.Sum256(buf)
		imp.rows[i].key = int64(binary.BigEndian.Uint64(ksum[:8]))
	}
}

// customer returns the import's customer called name, adding it when new.
func (imp *importer) customer(name string) (int32, error) {
	if i, ok := imp.custByRaw[name]; ok {
		return i, nil
	}
	clean, err := cleanName("customer name", name)
	if err != nil {
		return 0, err
	}
	key := foldKey(clean)
	i, ok := imp.custByKey[key]
	if !ok {
		i = int32(len(imp.custs))
		imp.custByKey[key] = i
		imp.custs = append(imp.custs, importCustomer{name: clean, key: key})
	}
	imp.custByRaw[name] = i
	return i, nil
}

// item returns the import's item called name, adding it when new.
func (imp *importer) item(name string) (int32, error) {
	if i, ok := imp.itemByRaw[name]; ok {
		return i, nil
	}
	clean, err := cleanName("item name", name)
	if err != nil {
		return 0, err
	}
	key := foldKey(clean)
	i, ok := imp.itemByKey[key]
	if !ok {
		i = int32(len(imp.items))
		imp.itemByKey[key] = i
		imp.items = append(imp.items, importItem{name: clean, key: key})
	}
	imp.itemByRaw[name] = i
	return i, nil
}

func appendField(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// inBulkTx runs fn in a write transaction, like inTx, on a connection of
// its own set up for writing many rows: a page cache large enough for the
// index pages a big import touches (64 MiB instead of 2), and statement
// journals in memory, since a multi-row statement copies every page it
// changes aside in case it has to be undone alone. The connection is
// closed afterwards rather than returned to the pool, so that neither its
// settings, its cache nor its large statements linger.
func (db *DB) inBulkTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return db.bulkTx(ctx, true, fn)
}

// inUncheckedBulkTx is inBulkTx without foreign key checks (a lookup for
// every reference of every row): fn must write only references to rows
// it read or made in the same transaction, and check any other itself.
// (`dangol doctor` checks every reference.)
func (db *DB) inUncheckedBulkTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return db.bulkTx(ctx, false, fn)
}

func (db *DB) bulkTx(ctx context.Context, checked bool, fn func(tx *sql.Tx) error) error {
	return db.w.exclusive(ctx, func() error {
		conn, err := db.db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		// Returning ErrBadConn from Raw makes database/sql close the
		// connection.
		defer conn.Raw(func(any) error { return driver.ErrBadConn })
		pragmas := []string{`PRAGMA cache_size = -65536`, `PRAGMA temp_store = MEMORY`}
		if !checked {
			pragmas = append(pragmas, `PRAGMA foreign_keys = OFF`)
		}
		for _, pragma := range pragmas {
			if _, err := conn.ExecContext(ctx, pragma); err != nil {
				return err
			}
		}
		return runTx(ctx, conn, fn)
	})
}

// visitsInsert returns an INSERT of n visits with given ids that skips
// those imported before and returns the ids of those it added. Its
// parameters are the shop, the time, then id, customer, date, amount,
// note and import key of each visit.
func visitsInsert(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO visits (id, shop_id, customer_id, date, amount, note, import_key, created_at) VALUES `)
	for j := range n {
		if j > 0 {
			b.WriteString(", ")
		}
		p := 3 + 6*j
		fmt.Fprintf(&b, "(?%d, ?1, ?%d, ?%d, ?%d, ?%d, ?%d, ?2)", p, p+1, p+2, p+3, p+4, p+5)
	}
	b.WriteString(` ON CONFLICT (shop_id, import_key) WHERE import_key IS NOT NULL DO NOTHING RETURNING id`)
	return b.String()
}

// linesInsert returns an INSERT of n visit lines. Its parameters are the
// shop, then visit, item and quantity of each line.
func linesInsert(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO visit_items (shop_id, visit_id, item_id, qty) VALUES `)
	for j := range n {
		if j > 0 {
			b.WriteString(", ")
		}
		p := 2 + 3*j
		fmt.Fprintf(&b, "(?1, ?%d, ?%d, ?%d)", p, p+1, p+2)
	}
	return b.String()
}

// batch is a multi-row statement of an import, prepared once per number
// of rows. The numbers are powers of 4 (chunk), so that the statements of
// one batch of an import are those of the next, which the driver keeps.
type batch struct {
	ctx       context.Context
	tx        *sql.Tx
	size      int
	query     func(n int) string
	stmts     map[int]*sql.Stmt
	returning bool // the statement returns the ids it added
}

// chunk returns how many of n rows a statement takes: max, or else the
// largest power of 4 up to n.
func chunk(n, max int) int {
	if n >= max {
		return max
	}
	p := 1
	for p*4 <= n {
		p *= 4
	}
	return p
}

// errKeyClash: two rows of an import have the same import key (64 bits of
// a hash: it does not happen).
var errKeyClash = errors.New("import keys clash")

// stmt returns the statement for n rows, prepared once.
func (b *batch) stmt(n int) (*sql.Stmt, error) {
	if st, ok := b.stmts[n]; ok {
		return st, nil
	}
	st, err := b.tx.PrepareContext(b.ctx, b.query(n))
	if err != nil {
		return nil, err
	}
	if b.stmts == nil {
		b.stmts = map[int]*sql.Stmt{}
	}
	b.stmts[n] = st
	return st, nil
}

func (b *batch) close() {
	for _, st := range b.stmts {
		st.Close()
	}
}

// write stores the import in tx.
func (imp *importer) write(ctx context.Context, tx *sql.Tx, shopID int64, at string) (crm.ImportResult, error) {
	var res crm.ImportResult
	if err := imp.customers(ctx, tx, shopID, at, &res); err != nil {
		return res, err
	}
	if err := imp.catalog(ctx, tx, shopID); err != nil {
		return res, err
	}
	// The write lock is held, so the ids after the largest are free: the
	// visits take them in row order, and the ids an INSERT returns tell
	// which rows it added.
	var base int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM visits`).Scan(&base); err != nil {
		return res, fmt.Errorf("read visit ids: %w", err)
	}
	// A large import keeps its customers' visit summaries itself: one
	// write per customer instead of one per visit.
	paused := len(imp.rows) >= pauseSummaries
	if paused {
		if _, err := tx.ExecContext(ctx, `INSERT INTO visit_summaries_paused (shop_id) VALUES (?)`, shopID); err != nil {
			return res, fmt.Errorf("pause summaries: %w", err)
		}
	}
	// When the shop has no imported visit, no row can have been imported
	// before: the inserts need not say which rows they added.
	var before bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM visits WHERE shop_id = ? AND import_key IS NOT NULL)`,
		shopID).Scan(&before); err != nil {
		return res, fmt.Errorf("read import keys: %w", err)
	}
	visits := batch{ctx: ctx, tx: tx, size: visitBatch, query: visitsInsert, returning: before}
	if !before {
		visits.query = func(n int) string { return strings.TrimSuffix(visitsInsert(n), " RETURNING id") }
	}
	defer visits.close()
	lines := batch{ctx: ctx, tx: tx, size: lineBatch, query: linesInsert}
	defer lines.close()

	added := make([]bool, len(imp.rows))
	args := make([]any, 0, 2+6*visitBatch)
	largs := make([]any, 0, 1+3*lineBatch)
	largs = append(largs, shopID)
	var part []any
	flushLines := func() error {
		k := (len(largs) - 1) / 3
		for off := 0; off < k; {
			n := chunk(k-off, lineBatch)
			st, err := lines.stmt(n)
			if err != nil {
				return fmt.Errorf("prepare visit items: %w", err)
			}
			part = append(append(part[:0], shopID), largs[1+3*off:1+3*(off+n)]...)
			if _, err := st.ExecContext(ctx, part...); err != nil {
				return fmt.Errorf("insert visit items: %w", err)
			}
			off += n
		}
		largs = largs[:1]
		return nil
	}
	type catalogLine struct{ id, qty int64 }
	var merged []catalogLine

	for start := 0; start < len(imp.rows); {
		rows := imp.rows[start : start+chunk(len(imp.rows)-start, visitBatch)]
		args = append(args[:0], shopID, at)
		for j := range rows {
			r := &rows[j]
			args = append(args, base+1+int64(start+j), imp.custs[r.cust].id, r.date, r.amount, r.note, r.key)
		}
		if err := imp.insertVisits(&visits, args, len(rows), base, added, &res); err != nil {
			return res, err
		}
		for j := range rows {
			if !added[start+j] {
				continue
			}
			// Two names of the row may be one catalog item (a name and
			// its alias): merge them again by id, in the row's order.
			merged = merged[:0]
		line:
			for _, l := range imp.lines[rows[j].from:rows[j].to] {
				id := imp.items[l.item].id
				for k := range merged {
					if merged[k].id == id {
						merged[k].qty += l.qty
						continue line
					}
				}
				merged = append(merged, catalogLine{id, l.qty})
			}
			for _, l := range merged {
				largs = append(largs, base+1+int64(start+j), l.id, l.qty)
				if len(largs) == 1+3*lineBatch {
					if err := flushLines(); err != nil {
						return res, err
					}
				}
			}
		}
		start += len(rows)
	}
	if len(largs) > 1 {
		if err := flushLines(); err != nil {
			return res, err
		}
	}
	res.Skipped = len(imp.rows) - res.Visits
	if paused {
		if err := imp.summaries(ctx, tx, shopID, added); err != nil {
			return res, err
		}
	}

	// A customer created only for rows that were all imported before
	// (under a name they no longer have) is not kept.
	for i := range imp.custs {
		c := &imp.custs[i]
		if c.created && c.visits == 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM customers WHERE shop_id = ? AND id = ?`, shopID, c.id); err != nil {
				return res, fmt.Errorf("drop unused customer: %w", err)
			}
			res.Customers--
		}
	}
	return res, nil
}

// pauseSummaries is how many rows make an import keep the visit
// summaries itself rather than leave them to the trigger.
const pauseSummaries = 1000

// summaries adds the visits the import added to their customers' visit
// summaries and lets the trigger keep them again.
func (imp *importer) summaries(ctx context.Context, tx *sql.Tx, shopID int64, added []bool) error {
	type sum struct {
		visits      int64
		first, last string
		days        []byte
	}
	sums := make([]sum, len(imp.custs))
	for i := range imp.rows {
		if !added[i] {
			continue
		}
		r := &imp.rows[i]
		s := &sums[r.cust]
		d, ok := parseDay(r.date)
		if !ok {
			return fmt.Errorf("summaries: bad date %q", r.date)
		}
		if s.visits == 0 || r.date < s.first {
			s.first = r.date
		}
		if s.visits == 0 || r.date > s.last {
			s.last = r.date
		}
		s.visits++
		s.days = summaryBytes(s.days, d)
	}
	st, err := tx.PrepareContext(ctx, `INSERT INTO visit_summaries (shop_id, customer_id, visits, first_date, last_date, days)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (shop_id, customer_id) DO UPDATE SET visits = visits + excluded.visits,
			first_date = min(first_date, excluded.first_date), last_date = max(last_date, excluded.last_date),
			days = CAST(days || excluded.days AS BLOB)`)
	if err != nil {
		return fmt.Errorf("summaries: %w", err)
	}
	defer st.Close()
	for i, s := range sums {
		if s.visits == 0 {
			continue
		}
		if _, err := st.ExecContext(ctx, shopID, imp.custs[i].id, s.visits, s.first, s.last, s.days); err != nil {
			return fmt.Errorf("summaries: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM visit_summaries_paused WHERE shop_id = ?`, shopID); err != nil {
		return fmt.Errorf("resume summaries: %w", err)
	}
	return nil
}

// insertVisits runs one batch of n visits and marks the rows it added.
func (imp *importer) insertVisits(visits *batch, args []any, n int, base int64, added []bool, res *crm.ImportResult) error {
	st, err := visits.stmt(n)
	if err != nil {
		return fmt.Errorf("prepare visits: %w", err)
	}
	if !visits.returning {
		// No visit imported before: every row is added, unless two of the
		// import's keys collide, which the count would tell.
		r, err := st.ExecContext(visits.ctx, args...)
		if err != nil {
			return fmt.Errorf("insert visits: %w", err)
		}
		if k, err := r.RowsAffected(); err != nil || k != int64(n) {
			return fmt.Errorf("insert visits: %d of %d rows added: %w", k, n, errors.Join(err, errKeyClash))
		}
		first := args[2].(int64) - base - 1
		for i := first; i < first+int64(n); i++ {
			added[i] = true
			imp.custs[imp.rows[i].cust].visits++
			res.Visits++
		}
		return nil
	}
	rows, err := st.QueryContext(visits.ctx, args...)
	if err != nil {
		return fmt.Errorf("insert visits: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("insert visits: %w", err)
		}
		i := id - base - 1
		if i < 0 || i >= int64(len(imp.rows)) {
			return fmt.Errorf("insert visits: unexpected id %d", id)
		}
		added[i] = true
		imp.custs[imp.rows[i].cust].visits++
		res.Visits++
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("insert visits: %w", err)
	}
	return nil
}

// customers finds or creates every customer of the import and sets the
// birthdays the file gives.
func (imp *importer) customers(ctx context.Context, tx *sql.Tx, shopID int64, at string, res *crm.ImportResult) error {
	names := make([]string, len(imp.custs))
	for i, c := range imp.custs {
		names[i] = c.name
	}
	// Without ORDER BY, so that SQLite looks the names up in their index
	// rather than walking every customer in id order: the oldest of
	// several customers of one name is picked here.
	err := lookupNames(ctx, tx, `SELECT id, name, birthday FROM customers WHERE shop_id = ? AND name IN (%s)`,
		shopID, names, func(rows *sql.Rows, name *sql.RawBytes) error {
			var id int64
			var birthday string
			if err := rows.Scan(&id, name, &birthday); err != nil {
				return err
			}
			i, ok := imp.custByKey[foldKey(string(*name))]
			if ok && (imp.custs[i].id == 0 || id < imp.custs[i].id) {
				imp.custs[i].id, imp.custs[i].had = id, birthday
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("read customers: %w", err)
	}

	var insert, update *sql.Stmt
	defer func() {
		if insert != nil {
			insert.Close()
		}
		if update != nil {
			update.Close()
		}
	}()
	for i := range imp.custs {
		c := &imp.custs[i]
		birthday := c.birthday.String()
		switch {
		case c.id == 0:
			if insert == nil {
				if insert, err = tx.PrepareContext(ctx, `INSERT INTO customers (shop_id, name, birthday, created_at)
					VALUES (?, ?, ?, ?)`); err != nil {
					return fmt.Errorf("prepare customer: %w", err)
				}
			}
			r, err := insert.ExecContext(ctx, shopID, c.name, birthday, at)
			if err != nil {
				return fmt.Errorf("create customer: %w", err)
			}
			if c.id, err = r.LastInsertId(); err != nil {
				return err
			}
			c.created = true
			res.Customers++
		case birthday != "" && birthday != c.had:
			if update == nil {
				if update, err = tx.PrepareContext(ctx, `UPDATE customers SET birthday = ? WHERE shop_id = ? AND id = ?`); err != nil {
					return fmt.Errorf("prepare birthday: %w", err)
				}
			}
			if _, err := update.ExecContext(ctx, birthday, shopID, c.id); err != nil {
				return fmt.Errorf("set birthday: %w", err)
			}
		}
	}
	return nil
}

// catalog resolves the import's item names to the shop's catalog items, by
// name first and then by alias, creating the unknown ones.
func (imp *importer) catalog(ctx context.Context, tx *sql.Tx, shopID int64) error {
	if len(imp.items) == 0 {
		return nil
	}
	for _, q := range []string{
		`SELECT id, name FROM items WHERE shop_id = ? AND name IN (%s)`,
		`SELECT item_id, alias FROM item_aliases WHERE shop_id = ? AND alias IN (%s)`,
	} {
		var names []string
		for _, it := range imp.items {
			if it.id == 0 {
				names = append(names, it.name)
			}
		}
		err := lookupNames(ctx, tx, q, shopID, names, func(rows *sql.Rows, name *sql.RawBytes) error {
			var id int64
			if err := rows.Scan(&id, name); err != nil {
				return err
			}
			if i, ok := imp.itemByKey[foldKey(string(*name))]; ok && imp.items[i].id == 0 {
				imp.items[i].id = id
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("read catalog: %w", err)
		}
	}
	var insert *sql.Stmt
	defer func() {
		if insert != nil {
			insert.Close()
		}
	}()
	for i := range imp.items {
		it := &imp.items[i]
		if it.id != 0 {
			continue
		}
		if insert == nil {
			var err error
			if insert, err = tx.PrepareContext(ctx, `INSERT INTO items (shop_id, name) VALUES (?, ?)`); err != nil {
				return fmt.Errorf("prepare item: %w", err)
			}
		}
		r, err := insert.ExecContext(ctx, shopID, it.name)
		if err != nil {
			return fmt.Errorf("create item %q: %w", it.name, err)
		}
		if it.id, err = r.LastInsertId(); err != nil {
			return err
		}
	}
	return nil
}

// lookupNames runs query, whose %s stands for a list of placeholders, for
// names nameBatch at a time, with the shop id as its first parameter, and
// calls scan for each row (name is scratch space for a name column).
func lookupNames(ctx context.Context, tx *sql.Tx, query string, shopID int64, names []string,
	scan func(rows *sql.Rows, name *sql.RawBytes) error) error {
	var name sql.RawBytes
	args := make([]any, 0, 1+nameBatch)
	for start := 0; start < len(names); start += nameBatch {
		part := names[start:min(start+nameBatch, len(names))]
		args = append(args[:0], shopID)
		for _, n := range part {
			args = append(args, n)
		}
		rows, err := tx.QueryContext(ctx, fmt.Sprintf(query, strings.TrimSuffix(strings.Repeat("?, ", len(part)), ", ")), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows, &name); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// Ledger returns every visit of the shop as a ledger row, oldest first
// (by date, then in the order they were recorded), with the customer's
// name and birthday and the visit's items under their catalog names in the
// order they were noted. Importing the rows into an empty shop gives a shop
// with the same ledger, unless two of the shop's customers have the same
// name but for case (an import takes them for one).
func (db *DB) Ledger(ctx context.Context, shopID int64) ([]crm.LedgerRow, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT v.id, v.date, c.name, c.birthday, v.amount, v.note, i.name, vi.qty
		FROM visits v
		JOIN customers c ON c.shop_id = v.shop_id AND c.id = v.customer_id
		LEFT JOIN visit_items vi ON vi.shop_id = v.shop_id AND vi.visit_id = v.id
		LEFT JOIN items i ON i.shop_id = vi.shop_id AND i.id = vi.item_id
		WHERE v.shop_id = ?
		ORDER BY v.date, v.id, vi.rowid`, shopID)
	if err != nil {
		return nil, fmt.Errorf("storage: ledger: %w", err)
	}
	defer rows.Close()
	var out []crm.LedgerRow
	names := make(map[string]string)           // customer and item names, shared
	birthdays := make(map[string]crm.MonthDay) // MM-DD → parsed
	intern := func(b []byte) string {
		if s, ok := names[string(b)]; ok {
			return s
		}
		s := string(b)
		names[s] = s
		return s
	}
	var (
		last                    int64
		date, cust, bday, iname sql.RawBytes
		note                    string
		qty                     sql.NullInt64
	)
	for rows.Next() {
		var id, amount int64
		if err := rows.Scan(&id, &date, &cust, &bday, &amount, &note, &iname, &qty); err != nil {
			return nil, fmt.Errorf("storage: ledger: %w", err)
		}
		if len(out) == 0 || id != last {
			d, ok := parseDay(date)
			if !ok {
				return nil, fmt.Errorf("storage: ledger: visit %d: bad date %q", id, date)
			}
			md, ok := birthdays[string(bday)]
			if !ok && len(bday) > 0 {
				if md, err = crm.ParseMonthDay(string(bday)); err != nil {
					return nil, fmt.Errorf("storage: ledger: %w", err)
				}
				birthdays[string(bday)] = md
			}
			out = append(out, crm.LedgerRow{Date: d, Customer: intern(cust), Amount: amount, Note: note, Birthday: md})
			last = id
		}
		if qty.Valid {
			r := &out[len(out)-1]
			r.Items = append(r.Items, crm.ItemQty{Name: intern(iname), Qty: int(qty.Int64)})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: ledger: %w", err)
	}
	return out, nil
}
