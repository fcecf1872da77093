package storage

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dangol/dangol/crm"
)

// parseDay reads a stored YYYY-MM-DD date without going through time.
func parseDay[T ~[]byte | ~string](b T) (crm.Date, bool) {
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return crm.Date{}, false
	}
	n := 0
	for i := range len(b) {
		c := b[i]
		if i == 4 || i == 7 {
			continue
		}
		if c < '0' || c > '9' {
			return crm.Date{}, false
		}
		n = n*10 + int(c-'0')
	}
	// n is YYYYMMDD.
	return crm.Date{Year: n / 10000, Month: time.Month(n / 100 % 100), Day: n % 100}, true
}

// RecordDigest stores, once per shop and day, that the digest of day was
// pushed and whom it showed with which reason codes. It returns false, and
// writes nothing, when that day's digest was recorded before. Entries whose
// customer is not (or no longer) the shop's are left out.
func (db *DB) RecordDigest(ctx context.Context, shopID int64, day crm.Date, shown []crm.DigestEntry, at time.Time) (bool, error) {
	if !validDate(day) {
		return false, fmt.Errorf("storage: record digest: day %d-%d-%d: %w", day.Year, day.Month, day.Day, crm.ErrInvalidInput)
	}
	first := false
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		first, err = recordDigestTx(ctx, tx, shopID, day, shown, at)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("storage: record digest %s: %w", day, constraint(err))
	}
	return first, nil
}

// recordDigestTx is RecordDigest inside tx.
func recordDigestTx(ctx context.Context, tx *sql.Tx, shopID int64, day crm.Date, shown []crm.DigestEntry, at time.Time) (bool, error) {
	d := day.String()
	r, err := tx.ExecContext(ctx, `INSERT INTO digest_runs (shop_id, day, pushed_at) VALUES (?, ?, ?)
		ON CONFLICT DO NOTHING`, shopID, d, formatTime(at))
	if err != nil {
		return false, fmt.Errorf("insert run: %w", err)
	}
	if n, err := r.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	if len(shown) == 0 {
		return true, nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO digest_shown (shop_id, day, customer_id, codes)
		SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM customers WHERE shop_id = ?1 AND id = ?3)
		ON CONFLICT DO NOTHING`)
	if err != nil {
		return false, fmt.Errorf("prepare shown: %w", err)
	}
	defer stmt.Close()
	var codes strings.Builder
	for _, e := range shown {
		codes.Reset()
		for i, r := range e.Reasons {
			if i > 0 {
				codes.WriteByte(',')
			}
			codes.WriteString(string(r.Code))
		}
		if _, err := stmt.ExecContext(ctx, shopID, d, e.Customer.ID, codes.String()); err != nil {
			return false, fmt.Errorf("insert shown: %w", err)
		}
	}
	return true, nil
}

// DigestPushed reports whether the shop's digest of day was recorded.
func (db *DB) DigestPushed(ctx context.Context, shopID int64, day crm.Date) (bool, error) {
	var pushed bool
	err := db.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM digest_runs WHERE shop_id = ? AND day = ?)`,
		shopID, day.String()).Scan(&pushed)
	if err != nil {
		return false, fmt.Errorf("storage: digest pushed %s: %w", day, err)
	}
	return pushed, nil
}

// MarkGreeted records that the owner greeted the customer on day. Marking
// the same day twice is no error; crm.ErrNotFound means the shop has no
// such customer.
func (db *DB) MarkGreeted(ctx context.Context, shopID, customerID int64, day crm.Date) error {
	if !validDate(day) {
		return fmt.Errorf("storage: mark greeted: day %d-%d-%d: %w", day.Year, day.Month, day.Day, crm.ErrInvalidInput)
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `INSERT INTO greetings (shop_id, customer_id, day) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, shopID, customerID, day.String())
		if err != nil {
			return err
		}
		// A new mark is an exposure of its own.
		if n, err := r.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return insertExposure(ctx, tx, crm.Exposure{ShopID: shopID, CustomerID: customerID, Day: day,
			Track: crm.TrackGreeted, Kind: crm.KindGreeted, Draw: -1})
	})
	if err != nil {
		return fmt.Errorf("storage: mark greeted %d: %w", customerID, constraint(err))
	}
	return nil
}

// History returns every customer of the shop, oldest first, with what the
// digest needs: their visits (day and item names, oldest first; one record
// per visit), allergies and likes, their latest free note, the day of the
// last recorded digest that showed them as lapsed and the last day they
// were marked greeted. Customers carry their id, shop, name, birthday,
// usual weekday and consent, not their aliases or creation time.
//
// A large shop's history is read in a few aggregated queries rather than a
// row per visit, with the visits' items, and two halves of the visits, read
// side by side on separate connections. Visits with the same items share
// one Items slice, and item names, allergies and likes are shared strings:
// callers must not modify them. The queries do not share one snapshot: a
// visit recorded while History runs may come without its items.
func (db *DB) History(ctx context.Context, shopID int64) ([]crm.History, error) {
	h, err := db.history(ctx, shopID)
	if err != nil {
		return nil, fmt.Errorf("storage: history: %w", err)
	}
	return h, nil
}

func (db *DB) history(ctx context.Context, shopID int64) ([]crm.History, error) {
	var vmin, vmax sql.NullInt64
	// Two subqueries: SQLite finds a lone min or max in the index at once.
	if err := db.db.QueryRowContext(ctx, `SELECT (SELECT min(id) FROM visits WHERE shop_id = ?1),
		(SELECT max(id) FROM visits WHERE shop_id = ?1)`, shopID).Scan(&vmin, &vmax); err != nil {
		return nil, fmt.Errorf("visit ids: %w", err)
	}
	if vmax.Int64-vmin.Int64 >= math.MaxInt32 {
		return nil, fmt.Errorf("visit ids %d … %d too far apart", vmin.Int64, vmax.Int64)
	}
	var wg sync.WaitGroup
	// The items of every visit, read while the visits are.
	var items visitItems
	var itemsErr error
	if vmin.Valid {
		wg.Go(func() { itemsErr = items.read(ctx, db.db, shopID, vmin.Int64, vmax.Int64) })
	}
	hist, err := db.historyCustomers(ctx, shopID)
	if err != nil {
		wg.Wait()
		return nil, err
	}
	// The visits, in two halves of the customers read side by side: SQLite
	// spends most of History's time building their text.
	parts := [][]crm.History{hist}
	if len(hist) >= 1000 {
		parts = [][]crm.History{hist[:len(hist)/2], hist[len(hist)/2:]}
	}
	vis := make([][]int32, len(parts))
	errs := make([]error, len(parts))
	if vmin.Valid {
		each := (vmax.Int64 - vmin.Int64 + 1) / int64(len(parts))
		for i, part := range parts[1:] {
			wg.Go(func() { vis[i+1], errs[i+1] = db.historyVisits(ctx, shopID, part, vmin.Int64, each) })
		}
		vis[0], errs[0] = db.historyVisits(ctx, shopID, parts[0], vmin.Int64, each)
	}
	wg.Wait()
	if err := errors.Join(append(errs, itemsErr)...); err != nil {
		return nil, err
	}
	for i, part := range parts {
		v := vis[i]
		for j := range part {
			vs := part[j].Visits
			for k := range vs {
				vs[k].Items = items.of(v[0])
				v = v[1:]
			}
		}
	}
	if err := db.historyFacts(ctx, shopID, hist); err != nil {
		return nil, err
	}
	if err := db.historyMarks(ctx, shopID, hist); err != nil {
		return nil, err
	}
	return hist, nil
}

// historyCustomers returns the shop's customers, by id.
func (db *DB) historyCustomers(ctx context.Context, shopID int64) ([]crm.History, error) {
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE shop_id = ?`, shopID).Scan(&n); err != nil {
		return nil, fmt.Errorf("customers: %w", err)
	}
	rows, err := db.db.QueryContext(ctx, `SELECT id, name, birthday, usual_weekday, consent FROM customers
		WHERE shop_id = ? ORDER BY id`, shopID)
	if err != nil {
		return nil, fmt.Errorf("customers: %w", err)
	}
	defer rows.Close()
	hist := make([]crm.History, 0, n)
	birthdays := make(map[string]crm.MonthDay)
	var birthday, consent sql.RawBytes
	for rows.Next() {
		var id int64
		var name string
		var weekday int
		if err := rows.Scan(&id, &name, &birthday, &weekday, &consent); err != nil {
			return nil, fmt.Errorf("customers: %w", err)
		}
		c := crm.Customer{ID: id, ShopID: shopID, Name: name}
		if len(birthday) > 0 {
			md, ok := birthdays[string(birthday)]
			if !ok {
				if md, err = crm.ParseMonthDay(string(birthday)); err != nil {
					return nil, fmt.Errorf("customer %d: %w", c.ID, err)
				}
				birthdays[string(birthday)] = md
			}
			c.Birthday = md
		}
		c.UsualWeekday = time.Weekday(weekday)
		c.Consent = crm.Consent(consent)
		hist = append(hist, crm.History{Customer: c})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("customers: %w", err)
	}
	return hist, nil
}

// historyVisits sets the visit days of the customers of hist, a run of the
// shop's customers by id, and returns the visits' ids, less vmin, in the
// same order. vspan is roughly how many visits to expect.
func (db *DB) historyVisits(ctx context.Context, shopID int64, hist []crm.History, vmin, vspan int64) ([]int32, error) {
	if len(hist) == 0 {
		return nil, nil
	}
	// One row per customer with visits: their visits' ids and dates,
	// oldest first. Dates are ten characters each and need no separator.
	rows, err := db.db.QueryContext(ctx, `SELECT customer_id, group_concat(id - ?2), group_concat(date, '')
		FROM visits WHERE shop_id = ?1 AND customer_id BETWEEN ?3 AND ?4
		GROUP BY customer_id ORDER BY customer_id`,
		shopID, vmin, hist[0].Customer.ID, hist[len(hist)-1].Customer.ID)
	if err != nil {
		return nil, fmt.Errorf("visits: %w", err)
	}
	defer rows.Close()
	vis := make([]int32, 0, min(vspan, 1<<20))
	var ids, dates string
	at := 0 // index in hist of the row's customer, or past it
	for rows.Next() {
		var cid int64
		if err := rows.Scan(&cid, &ids, &dates); err != nil {
			return nil, fmt.Errorf("visits: %w", err)
		}
		for at < len(hist) && hist[at].Customer.ID < cid {
			at++
		}
		if at == len(hist) || hist[at].Customer.ID != cid {
			continue // a customer added since
		}
		if len(dates)%10 != 0 {
			return nil, fmt.Errorf("visits of customer %d: bad dates", cid)
		}
		vs := make([]crm.VisitDay, len(dates)/10)
		for j := range vs {
			d, ok := parseDay(dates[10*j : 10*j+10])
			if !ok {
				return nil, fmt.Errorf("visits of customer %d: bad date %q", cid, dates[10*j:10*j+10])
			}
			vs[j].Date = d
			// A visit recorded since, in a reused id below vmin, is
			// written "-n": it gets no items.
			id := int32(0)
			if len(ids) > 0 && ids[0] == '-' {
				id = -1
			}
			k := 0
			for ; k < len(ids) && ids[k] != ','; k++ {
				if id >= 0 {
					id = id*10 + int32(ids[k]-'0')
				}
			}
			ids = ids[min(k+1, len(ids)):]
			vis = append(vis, id)
		}
		hist[at].Visits = vs
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("visits: %w", err)
	}
	return vis, nil
}

// visitItems is the item names of a shop's visits by visit id less the
// smallest: each visit's list is one of a few shared lists.
type visitItems struct {
	dense  []int32         // by visit: 1 + index in lists, 0 for none
	sparse map[int32]int32 // the same, when the shop's visit ids are far apart
	lists  [][]string      // distinct item lists
}

// Visit items are read in windows of itemsWindow visit ids, and kept by
// visit in a slice when the shop's visit ids span at most denseVisits.
// (Variables so that tests can make them small.)
var (
	itemsWindow int64 = 1 << 16
	denseVisits int64 = 1 << 22
)

func (v *visitItems) of(visit int32) []string {
	var l int32
	if v.dense != nil {
		if uint(visit) < uint(len(v.dense)) {
			l = v.dense[visit]
		}
	} else {
		l = v.sparse[visit]
	}
	if l == 0 {
		return nil
	}
	return v.lists[l-1]
}

func (v *visitItems) set(visit int32, l int32) {
	if v.dense != nil {
		v.dense[visit] = l + 1
	} else {
		v.sparse[visit] = l + 1
	}
}

// read reads the items of the shop's visits vmin … vmax.
func (v *visitItems) read(ctx context.Context, q *sql.DB, shopID, vmin, vmax int64) error {
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM items WHERE shop_id = ? ORDER BY id`, shopID)
	if err != nil {
		return fmt.Errorf("items: %w", err)
	}
	defer rows.Close()
	var ids []int64
	var names []string
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return fmt.Errorf("items: %w", err)
		}
		ids = append(ids, id)
		names = append(names, name)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("items: %w", err)
	}
	rows.Close()
	if len(ids) == 0 {
		return nil
	}
	imin, span := ids[0], ids[len(ids)-1]-ids[0]+1
	var byOffset map[int64]int32
	var dense []int32
	if span <= int64(4*len(ids)+1024) {
		dense = make([]int32, span)
		for i, id := range ids {
			dense[id-imin] = int32(i)
		}
	} else {
		byOffset = make(map[int64]int32, len(ids))
		for i, id := range ids {
			byOffset[id-imin] = int32(i)
		}
	}
	if vmax-vmin < denseVisits {
		v.dense = make([]int32, vmax-vmin+1)
	} else {
		v.sparse = make(map[int32]int32)
	}

	// A visit's list is looked up by its items: one or two items (most
	// visits) in tables, more by a key of three bytes per item.
	var one, two []int32 // 1 + index in lists, by item and by pair of items
	one = make([]int32, len(names))
	if len(names) <= 512 {
		two = make([]int32, len(names)*len(names))
	}
	known := make(map[string]int32) // the others: 3 bytes an item → index in lists
	var cur []int32                 // the current visit's items
	var key []byte
	visit := int64(-1)
	flush := func() {
		if visit < 0 {
			return
		}
		var slot *int32
		switch {
		case len(cur) == 1:
			slot = &one[cur[0]]
		case len(cur) == 2 && two != nil:
			slot = &two[int(cur[0])*len(names)+int(cur[1])]
		}
		if slot == nil || *slot == 0 {
			key = key[:0]
			for _, it := range cur {
				key = append(key, byte(it), byte(it>>8), byte(it>>16))
			}
			l, ok := known[string(key)]
			if !ok {
				l = int32(len(v.lists))
				list := make([]string, len(cur))
				for j, it := range cur {
					list[j] = names[it]
				}
				v.lists = append(v.lists, list)
				known[string(key)] = l
			}
			if slot != nil {
				*slot = l + 1
			} else {
				v.set(int32(visit), l)
				cur = cur[:0]
				return
			}
		}
		v.set(int32(visit), *slot-1)
		cur = cur[:0]
	}
	stmt, err := q.PrepareContext(ctx, `SELECT coalesce(group_concat((visit_id - ?2) * ?3 + (item_id - ?4)), '')
		FROM visit_items WHERE shop_id = ?1 AND visit_id BETWEEN ?5 AND ?6`)
	if err != nil {
		return fmt.Errorf("visit items: %w", err)
	}
	defer stmt.Close()
	for lo := vmin; lo <= vmax; lo += itemsWindow {
		// Each line is one number, visit × span + item (both less their
		// smallest id), in visit order: arithmetic is much cheaper for
		// SQLite than building text.
		var all string
		if err := stmt.QueryRowContext(ctx, shopID, vmin, span, imin, lo, min(lo+itemsWindow-1, vmax)).Scan(&all); err != nil {
			return fmt.Errorf("visit items: %w", err)
		}
		for len(all) > 0 {
			var n int64
			k := 0
			for k < len(all) && all[k] != ',' {
				n = n*10 + int64(all[k]-'0')
				k++
			}
			all = all[min(k+1, len(all)):]
			vis, off := n/span, n%span
			var item int32
			if dense != nil {
				item = dense[off]
			} else {
				item = byOffset[off]
			}
			if vis != visit {
				flush()
				visit = vis
			}
			cur = append(cur, item)
		}
	}
	flush()
	return nil
}

// customerAt returns the index in hist (ordered by customer id) of the
// customer id, or -1.
func customerAt(hist []crm.History, id int64) int {
	i, ok := slices.BinarySearchFunc(hist, id, func(h crm.History, id int64) int { return cmp.Compare(h.Customer.ID, id) })
	if !ok {
		return -1
	}
	return i
}

// historyFacts adds the customers' allergies, likes and latest free notes.
func (db *DB) historyFacts(ctx context.Context, shopID int64, hist []crm.History) error {
	rows, err := db.db.QueryContext(ctx, `SELECT customer_id, kind, value FROM facts
		WHERE shop_id = ? AND kind IN ('allergy', 'like', 'note') ORDER BY customer_id, id`, shopID)
	if err != nil {
		return fmt.Errorf("facts: %w", err)
	}
	defer rows.Close()
	values := make(map[string]string) // shared strings: many customers have the same allergy
	var kind, value sql.RawBytes
	for rows.Next() {
		var cid int64
		if err := rows.Scan(&cid, &kind, &value); err != nil {
			return fmt.Errorf("facts: %w", err)
		}
		i := customerAt(hist, cid)
		if i < 0 {
			continue
		}
		v, ok := values[string(value)]
		if !ok {
			v = string(value)
			values[v] = v
		}
		h := &hist[i]
		switch crm.FactKind(kind) {
		case crm.FactAllergy:
			h.Allergies = append(h.Allergies, v)
		case crm.FactLike:
			h.Likes = append(h.Likes, v)
		case crm.FactNote:
			h.Note = v
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("facts: %w", err)
	}
	return nil
}

// historyMarks adds the last digest that showed each customer as lapsed
// and the last day they were greeted.
func (db *DB) historyMarks(ctx context.Context, shopID int64, hist []crm.History) error {
	rows, err := db.db.QueryContext(ctx, `
		SELECT customer_id, 0, max(day) FROM digest_shown
			WHERE shop_id = ?1 AND ',' || codes || ',' LIKE '%,`+string(crm.ReasonLapsed)+`,%'
			GROUP BY customer_id
		UNION ALL
		SELECT customer_id, 1, max(day) FROM greetings WHERE shop_id = ?1 GROUP BY customer_id`, shopID)
	if err != nil {
		return fmt.Errorf("digest marks: %w", err)
	}
	defer rows.Close()
	var day sql.RawBytes
	for rows.Next() {
		var cid int64
		var greeted bool
		if err := rows.Scan(&cid, &greeted, &day); err != nil {
			return fmt.Errorf("digest marks: %w", err)
		}
		d, ok := parseDay(day)
		if !ok {
			return fmt.Errorf("digest marks: bad day %q", day)
		}
		i := customerAt(hist, cid)
		if i < 0 {
			continue
		}
		if greeted {
			hist[i].Greeted = d
		} else {
			hist[i].LapsedShown = d
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("digest marks: %w", err)
	}
	return nil
}
