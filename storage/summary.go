package storage

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dangol/dangol/crm"
)

// Visit summaries (migration _speed): one row per customer with visits,
// kept in step with the visits by triggers, so that every path that writes
// visits — notes, undo, corrections, imports, merges, erasure, retention,
// restores — keeps them without knowing about them.

var _ crm.SummaryStore = (*DB)(nil)

// dayEpoch is the day number (days since 0001-01-01) a summary stores for
// 1970-01-01, crm.DayNumber's zero.
const dayEpoch = 719162

// summaryRows is the SQL of every customer's summary as the visits say,
// by shop and customer: each day's four bytes as the triggers write them.
const summaryRows = `SELECT shop_id, customer_id, count(*), min(date), max(date),
	CAST(group_concat((SELECT unhex(printf('%02X%02X%02X%02X', 128 + (n >> 21), (n >> 14) & 127, (n >> 7) & 127, n & 127))
		FROM (SELECT coalesce(unixepoch(date) / 86400 + 719162, 0) AS n)), x'' ORDER BY date) AS BLOB)
	FROM visits GROUP BY shop_id, customer_id`

// summaryBytes appends a day as a summary stores it (see the migration).
func summaryBytes(b []byte, d crm.Date) []byte {
	n := crm.DayNumber(d) + dayEpoch
	return append(b, 0x80|byte(n>>21&0x7F), byte(n>>14&0x7F), byte(n>>7&0x7F), byte(n&0x7F))
}

// decodeDays appends the distinct days of a summary's blob, as crm day
// numbers in ascending order, to out. ok is false when b is not a list
// of days.
func decodeDays(out []int32, b []byte) ([]int32, bool) {
	if len(b)%4 != 0 {
		return out, false
	}
	start := len(out)
	out = slices.Grow(out, len(b)/4)[:start+len(b)/4]
	days := out[start:]
	sorted := true
	prev := int32(-1 << 31)
	for i := range days {
		b0, b1, b2, b3 := b[4*i], b[4*i+1], b[4*i+2], b[4*i+3]
		if b0&0x80 == 0 || (b1|b2|b3)&0x80 != 0 {
			return out[:start], false
		}
		n := int32(b0&0x7F)<<21 | int32(b1)<<14 | int32(b2)<<7 | int32(b3) - dayEpoch
		sorted = sorted && prev <= n
		days[i], prev = n, n
	}
	if !sorted {
		slices.Sort(days)
	}
	// Several visits of one day are one visit day.
	return out[:start+len(slices.Compact(days))], true
}

// Summaries returns every customer of the shop, oldest first, with what
// the digest needs: their distinct visit days (from their summary, not
// their visits), allergies and likes, their latest free note, the day of
// the last recorded digest that showed them as lapsed and the last day
// they were marked greeted. Customers carry their id, shop, name,
// birthday, usual weekday and consent, not their aliases or creation time.
// Allergies, likes and notes are shared strings: callers must not modify
// them.
func (db *DB) Summaries(ctx context.Context, shopID int64) ([]crm.History, error) {
	h, err := db.summaries(ctx, shopID)
	if err != nil {
		return nil, fmt.Errorf("storage: summaries: %w", err)
	}
	return h, nil
}

func (db *DB) summaries(ctx context.Context, shopID int64) ([]crm.History, error) {
	// Three reads side by side on their own connections: the customers,
	// their summaries, and their facts and digest marks.
	var (
		wg          sync.WaitGroup
		sums        []daysOf
		facts       []factRow
		marks       []markRow
		sErr, fErr  error
		hist        []crm.History
		customerErr error
	)
	wg.Go(func() { sums, sErr = readSummaries(ctx, db.db, shopID) })
	wg.Go(func() {
		if facts, fErr = readFacts(ctx, db.db, shopID); fErr == nil {
			marks, fErr = readMarks(ctx, db.db, shopID)
		}
	})
	hist, customerErr = summaryCustomers(ctx, db.db, shopID)
	wg.Wait()
	if err := errors.Join(customerErr, sErr, fErr); err != nil {
		return nil, err
	}
	// The summaries come in customer id order, as hist.
	at := 0
	for _, s := range sums {
		for at < len(hist) && hist[at].Customer.ID < s.customer {
			at++
		}
		if at == len(hist) {
			break
		}
		if hist[at].Customer.ID == s.customer {
			hist[at].Days = s.days
		}
	}
	addFacts(hist, facts)
	addMarks(hist, marks)
	return hist, nil
}

// daysOf is one customer's distinct visit days.
type daysOf struct {
	customer int64
	days     []int32
}

// readSummaries returns the shop's summaries by customer id.
func readSummaries(ctx context.Context, q querier, shopID int64) ([]daysOf, error) {
	rows, err := q.QueryContext(ctx, `SELECT customer_id, days FROM visit_summaries WHERE shop_id = ? ORDER BY customer_id`, shopID)
	if err != nil {
		return nil, fmt.Errorf("summaries: %w", err)
	}
	defer rows.Close()
	var sums []daysOf
	// Days go into blocks of a fixed size rather than one growing slice,
	// so that a large shop's are not copied again and again.
	const block = 1 << 16
	var days []int32
	var b sql.RawBytes
	for rows.Next() {
		var cid int64
		if err := rows.Scan(&cid, &b); err != nil {
			return nil, fmt.Errorf("summaries: %w", err)
		}
		if n := len(b) / 4; cap(days)-len(days) < n {
			days = make([]int32, 0, max(block, n))
		}
		from := len(days)
		var ok bool
		if days, ok = decodeDays(days, b); !ok {
			return nil, fmt.Errorf("summary of customer %d: bad days", cid)
		}
		sums = append(sums, daysOf{cid, days[from:len(days):len(days)]})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("summaries: %w", err)
	}
	return sums, nil
}

// summaryCustomers returns the shop's customers by id: id, name,
// birthday, usual weekday and consent. SQLite writes them all into one
// text, "id,birthday,weekday,consent,bytes:name" for each customer, which
// costs a fraction of a row per customer.
func summaryCustomers(ctx context.Context, q querier, shopID int64) ([]crm.History, error) {
	var all string
	// In the order of the index by shop and id; checked below.
	if err := q.QueryRowContext(ctx, `SELECT coalesce(group_concat(concat(id, ',', birthday, ',', usual_weekday, ',',
		consent, ',', octet_length(name), ':', name), ''), '')
		FROM customers WHERE shop_id = ?`, shopID).Scan(&all); err != nil {
		return nil, fmt.Errorf("customers: %w", err)
	}
	hist := make([]crm.History, 0, strings.Count(all, ":"))
	birthdays := make(map[string]crm.MonthDay)
	bad := func() ([]crm.History, error) {
		return nil, fmt.Errorf("customers: cannot read %.40q", all)
	}
	field := func() (string, bool) {
		i := strings.IndexByte(all, ',')
		if i < 0 {
			return "", false
		}
		f := all[:i]
		all = all[i+1:]
		return f, true
	}
	for all != "" {
		id, ok1 := field()
		birthday, ok2 := field()
		weekday, ok3 := field()
		consent, ok4 := field()
		colon := strings.IndexByte(all, ':')
		if !ok1 || !ok2 || !ok3 || !ok4 || colon < 0 {
			return bad()
		}
		cid, err1 := strconv.ParseInt(id, 10, 64)
		wd, err2 := strconv.Atoi(weekday)
		n, err3 := strconv.Atoi(all[:colon])
		if err1 != nil || err2 != nil || err3 != nil || n < 0 || colon+1+n > len(all) {
			return bad()
		}
		c := crm.Customer{ID: cid, ShopID: shopID, Name: all[colon+1 : colon+1+n], UsualWeekday: time.Weekday(wd)}
		all = all[colon+1+n:]
		switch crm.Consent(consent) {
		case crm.ConsentNone:
			c.Consent = crm.ConsentNone
		case crm.ConsentGranted:
			c.Consent = crm.ConsentGranted
		case crm.ConsentWithdrawn:
			c.Consent = crm.ConsentWithdrawn
		default:
			c.Consent = crm.Consent(strings.Clone(consent))
		}
		if birthday != "" {
			md, ok := birthdays[birthday]
			if !ok {
				var err error
				if md, err = crm.ParseMonthDay(birthday); err != nil {
					return nil, fmt.Errorf("customer %d: %w", cid, err)
				}
				birthdays[birthday] = md
			}
			c.Birthday = md
		}
		hist = append(hist, crm.History{Customer: c})
	}
	if !slices.IsSortedFunc(hist, func(a, b crm.History) int { return cmp.Compare(a.Customer.ID, b.Customer.ID) }) {
		slices.SortFunc(hist, func(a, b crm.History) int { return cmp.Compare(a.Customer.ID, b.Customer.ID) })
	}
	return hist, nil
}

type factRow struct {
	customer int64
	kind     crm.FactKind
	value    string
}

// readFacts returns the shop's allergies, likes and notes by customer,
// oldest first, their values shared strings.
func readFacts(ctx context.Context, q querier, shopID int64) ([]factRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT customer_id, kind, value FROM facts
		WHERE shop_id = ? AND kind IN ('allergy', 'like', 'note') ORDER BY customer_id, id`, shopID)
	if err != nil {
		return nil, fmt.Errorf("facts: %w", err)
	}
	defer rows.Close()
	values := make(map[string]string) // many customers have the same allergy
	var out []factRow
	var kind, value sql.RawBytes
	for rows.Next() {
		var cid int64
		if err := rows.Scan(&cid, &kind, &value); err != nil {
			return nil, fmt.Errorf("facts: %w", err)
		}
		v, ok := values[string(value)]
		if !ok {
			v = string(value)
			values[v] = v
		}
		out = append(out, factRow{cid, crm.FactKind(kind), v})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("facts: %w", err)
	}
	return out, nil
}

// addFacts gives the customers of hist (by id) their facts.
func addFacts(hist []crm.History, facts []factRow) {
	for _, f := range facts {
		i := customerAt(hist, f.customer)
		if i < 0 {
			continue
		}
		h := &hist[i]
		switch f.kind {
		case crm.FactAllergy:
			h.Allergies = append(h.Allergies, f.value)
		case crm.FactLike:
			h.Likes = append(h.Likes, f.value)
		case crm.FactNote:
			h.Note = f.value
		}
	}
}

type markRow struct {
	customer int64
	greeted  bool
	day      crm.Date
}

// readMarks returns the last digest that showed each customer as lapsed
// and the last day they were greeted.
func readMarks(ctx context.Context, q querier, shopID int64) ([]markRow, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT customer_id, 0, max(day) FROM digest_shown
			WHERE shop_id = ?1 AND ',' || codes || ',' LIKE '%,`+string(crm.ReasonLapsed)+`,%'
			GROUP BY customer_id
		UNION ALL
		SELECT customer_id, 1, max(day) FROM greetings WHERE shop_id = ?1 GROUP BY customer_id`, shopID)
	if err != nil {
		return nil, fmt.Errorf("digest marks: %w", err)
	}
	defer rows.Close()
	var out []markRow
	var day sql.RawBytes
	for rows.Next() {
		var m markRow
		if err := rows.Scan(&m.customer, &m.greeted, &day); err != nil {
			return nil, fmt.Errorf("digest marks: %w", err)
		}
		var ok bool
		if m.day, ok = parseDay(day); !ok {
			return nil, fmt.Errorf("digest marks: bad day %q", day)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("digest marks: %w", err)
	}
	return out, nil
}

// addMarks gives the customers of hist (by id) their digest marks.
func addMarks(hist []crm.History, marks []markRow) {
	for _, m := range marks {
		i := customerAt(hist, m.customer)
		if i < 0 {
			continue
		}
		if m.greeted {
			hist[i].Greeted = m.day
		} else {
			hist[i].LapsedShown = m.day
		}
	}
}

// VisitItems returns the visits of the given customers of the shop (day
// and item names, oldest first; several visits of one day stay apart).
// Customers who are not the shop's, or have no visits, are not in the map.
func (db *DB) VisitItems(ctx context.Context, shopID int64, customerIDs []int64) (map[int64][]crm.VisitDay, error) {
	out := make(map[int64][]crm.VisitDay, len(customerIDs))
	if len(customerIDs) == 0 {
		return out, nil
	}
	// The shop's item names by id, shared by the visits.
	rows, err := db.db.QueryContext(ctx, `SELECT id, name FROM items WHERE shop_id = ?`, shopID)
	if err != nil {
		return nil, fmt.Errorf("storage: visit items: %w", err)
	}
	items := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("storage: visit items: %w", err)
		}
		items[id] = name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: visit items: %w", err)
	}
	// One row per customer: "date,item,item;date;…", in the order of the
	// index of visits by customer and day (a row per visit costs far more
	// to move than its text).
	args := make([]any, 0, 1+nameChunk)
	for start := 0; start < len(customerIDs); start += nameChunk {
		part := customerIDs[start:min(start+nameChunk, len(customerIDs))]
		args = append(args[:0], shopID)
		for _, id := range part {
			args = append(args, id)
		}
		rows, err := db.db.QueryContext(ctx, `SELECT v.customer_id, group_concat(v.date || coalesce((SELECT ',' || group_concat(vi.item_id)
				FROM visit_items vi WHERE vi.shop_id = v.shop_id AND vi.visit_id = v.id), ''), ';')
			FROM visits v INDEXED BY visits_customer WHERE v.shop_id = ? AND v.customer_id IN (`+placeholders(len(part))+`)
			GROUP BY v.customer_id`, args...)
		if err != nil {
			return nil, fmt.Errorf("storage: visit items: %w", err)
		}
		var all sql.RawBytes
		for rows.Next() {
			var cid int64
			if err := rows.Scan(&cid, &all); err != nil {
				rows.Close()
				return nil, fmt.Errorf("storage: visit items: %w", err)
			}
			vs, err := readVisitDays(all, items)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("storage: visit items of customer %d: %w", cid, err)
			}
			out[cid] = vs
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("storage: visit items: %w", err)
		}
	}
	return out, nil
}

// readVisitDays reads "date,item,item;date;…" (item ids) into visits.
func readVisitDays(b []byte, items map[int64]string) ([]crm.VisitDay, error) {
	vs := make([]crm.VisitDay, 0, bytes.Count(b, []byte{';'})+1)
	for len(b) > 0 {
		end := bytes.IndexByte(b, ';')
		if end < 0 {
			end = len(b)
		}
		v := b[:end]
		b = b[min(end+1, len(b)):]
		if len(v) < 10 {
			return nil, fmt.Errorf("bad visit %q", v)
		}
		d, ok := parseDay(v[:10])
		if !ok {
			return nil, fmt.Errorf("bad date %q", v[:10])
		}
		vd := crm.VisitDay{Date: d}
		for v = v[10:]; len(v) > 0; {
			if v[0] != ',' {
				return nil, fmt.Errorf("bad items %q", v)
			}
			v = v[1:]
			k := 0
			var id int64
			for ; k < len(v) && v[k] != ','; k++ {
				if v[k] < '0' || v[k] > '9' {
					return nil, fmt.Errorf("bad item %q", v)
				}
				id = id*10 + int64(v[k]-'0')
			}
			v = v[k:]
			if name, ok := items[id]; ok {
				vd.Items = append(vd.Items, name)
			}
		}
		vs = append(vs, vd)
	}
	// They come in the index's order, by day; should SQLite choose
	// another, they are put in order here.
	if !slices.IsSortedFunc(vs, func(a, b crm.VisitDay) int { return crm.DayNumber(a.Date) - crm.DayNumber(b.Date) }) {
		slices.SortStableFunc(vs, func(a, b crm.VisitDay) int { return crm.DayNumber(a.Date) - crm.DayNumber(b.Date) })
	}
	return vs, nil
}

// nameChunk is how many values one IN (…) list of a query takes.
const nameChunk = 500

// placeholders returns "?, ?, …" with n question marks.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// SummaryProblem is a customer whose stored visit summary is not what
// their visits say.
type SummaryProblem struct {
	ShopID     int64
	CustomerID int64
	What       string // what differs, for a person to read
}

// String describes the problem on one line.
func (p SummaryProblem) String() string {
	return "shop " + strconv.FormatInt(p.ShopID, 10) + ", customer " + strconv.FormatInt(p.CustomerID, 10) + ": " + p.What
}

// CheckSummaries recomputes every customer's visit summary from their
// visits and returns the customers whose stored summary differs (none
// when all is well), in shop and customer order.
func (db *DB) CheckSummaries(ctx context.Context) ([]SummaryProblem, error) {
	ps, err := checkSummaries(ctx, db.db)
	if err != nil {
		return nil, fmt.Errorf("storage: check summaries: %w", err)
	}
	return ps, nil
}

type summaryRow struct {
	shop, customer int64
	visits         int64
	first, last    string
	days           []byte
}

func checkSummaries(ctx context.Context, q querier) ([]SummaryProblem, error) {
	var (
		want, have []summaryRow
		wg         sync.WaitGroup
		werr, herr error
	)
	read := func(query string, out *[]summaryRow) error {
		rows, err := q.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r summaryRow
			if err := rows.Scan(&r.shop, &r.customer, &r.visits, &r.first, &r.last, &r.days); err != nil {
				return err
			}
			*out = append(*out, r)
		}
		return rows.Err()
	}
	wg.Go(func() { werr = read(summaryRows+` ORDER BY shop_id, customer_id`, &want) })
	herr = read(`SELECT shop_id, customer_id, visits, first_date, last_date, days FROM visit_summaries
		ORDER BY shop_id, customer_id`, &have)
	wg.Wait()
	if err := errors.Join(werr, herr); err != nil {
		return nil, err
	}
	var out []SummaryProblem
	i, j := 0, 0
	for i < len(want) || j < len(have) {
		switch {
		case j == len(have) || i < len(want) && (want[i].shop < have[j].shop ||
			want[i].shop == have[j].shop && want[i].customer < have[j].customer):
			out = append(out, SummaryProblem{want[i].shop, want[i].customer,
				fmt.Sprintf("%d visits and no summary", want[i].visits)})
			i++
		case i == len(want) || want[i].shop != have[j].shop || want[i].customer != have[j].customer:
			out = append(out, SummaryProblem{have[j].shop, have[j].customer,
				fmt.Sprintf("a summary of %d visits and no visits", have[j].visits)})
			j++
		default:
			w, h := want[i], have[j]
			var what []string
			if w.visits != h.visits {
				what = append(what, fmt.Sprintf("%d visits, the summary says %d", w.visits, h.visits))
			}
			if w.first != h.first || w.last != h.last {
				what = append(what, fmt.Sprintf("visits %s … %s, the summary says %s … %s", w.first, w.last, h.first, h.last))
			}
			if !sameDays(w.days, h.days) {
				what = append(what, "the summary's days are not the visits' days")
			}
			if len(what) > 0 {
				out = append(out, SummaryProblem{w.shop, w.customer, strings.Join(what, "; ")})
			}
			i++
			j++
		}
	}
	return out, nil
}

// sameDays reports whether two summary blobs hold the same days, in any
// order.
func sameDays(want, have []byte) bool {
	if len(want) != len(have) {
		return false
	}
	if bytes.Equal(want, have) {
		return true
	}
	chunks := func(b []byte) []uint32 {
		out := make([]uint32, 0, len(b)/4)
		for k := 0; k+4 <= len(b); k += 4 {
			out = append(out, uint32(b[k])<<24|uint32(b[k+1])<<16|uint32(b[k+2])<<8|uint32(b[k+3]))
		}
		slices.Sort(out)
		return out
	}
	return len(want)%4 == 0 && slices.Equal(chunks(want), chunks(have))
}

// RepairSummaries rebuilds every visit summary from the visits, in one
// transaction, and returns how many customers have one.
func (db *DB) RepairSummaries(ctx context.Context) (int, error) {
	var n int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM visit_summaries`); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO visit_summaries (shop_id, customer_id, visits, first_date, last_date, days) `+summaryRows)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("storage: repair summaries: %w", err)
	}
	return int(n), nil
}

// QuickCheck runs SQLite's quick integrity check of the database file.
func (db *DB) QuickCheck(ctx context.Context) error {
	msgs, err := stringsOf(ctx, db.db, `PRAGMA quick_check`)
	if err != nil {
		return fmt.Errorf("storage: quick check: %w", err)
	}
	if len(msgs) == 1 && msgs[0] == "ok" {
		return nil
	}
	return fmt.Errorf("storage: quick check: %s", strings.Join(msgs, "; "))
}

// CheckReferences returns, by table, how many rows refer to a row that is
// not there (SQLite's foreign key check of the whole file); none when all
// is well.
func (db *DB) CheckReferences(ctx context.Context) (map[string]int, error) {
	rows, err := db.db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return nil, fmt.Errorf("storage: check references: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return nil, fmt.Errorf("storage: check references: %w", err)
		}
		out[table]++
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: check references: %w", err)
	}
	return out, nil
}
