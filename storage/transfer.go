package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/dangol/dangol/crm"
)

var _ crm.TransferStore = (*DB)(nil)

// ExportShop hands the shop's data, then each customer in the order they
// were created, to the callbacks. Everything is read from one snapshot of
// the database, without holding up writers.
func (db *DB) ExportShop(ctx context.Context, shopID int64, shopFn func(crm.ShopData) error, custFn func(crm.CustomerData) error) error {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("storage: export: %w", err)
	}
	defer conn.Close()
	// A read transaction on its own connection: one snapshot, no write lock.
	if _, err := conn.ExecContext(ctx, `BEGIN DEFERRED`); err != nil {
		return fmt.Errorf("storage: export: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
	if err := exportShop(ctx, conn, shopID, shopFn, custFn); err != nil {
		return fmt.Errorf("storage: export: %w", err)
	}
	return nil
}

func exportShop(ctx context.Context, conn *sql.Conn, shopID int64, shopFn func(crm.ShopData) error, custFn func(crm.CustomerData) error) error {
	var data crm.ShopData
	s := &data.Shop
	var created string
	err := conn.QueryRowContext(ctx, `SELECT id, name, lang, time_zone, digest_time, lapsed_days, digest_limit, code, currency,
		created_at FROM shops WHERE id = ?`, shopID).Scan(&s.ID, &s.Name, &s.Lang, &s.TimeZone, &s.DigestTime, &s.LapsedDays,
		&s.DigestLimit, &s.Code, &s.Currency, &created)
	if err == sql.ErrNoRows {
		return fmt.Errorf("shop %d: %w", shopID, crm.ErrNotFound)
	}
	if err != nil {
		return err
	}
	if s.CreatedAt, err = parseTime(created); err != nil {
		return err
	}
	if s.Currency == "" {
		s.Currency = crm.ShopCurrency(s.Lang, s.TimeZone)
	}
	data.Settings = map[string]string{}
	if err := each(ctx, conn, `SELECT key, value FROM shop_settings WHERE shop_id = ? ORDER BY key`, []any{shopID},
		func(r *sql.Rows) error {
			var k, v string
			if err := r.Scan(&k, &v); err != nil {
				return err
			}
			data.Settings[k] = v
			return nil
		}); err != nil {
		return err
	}
	itemAt := map[int64]int{}
	if err := each(ctx, conn, `SELECT id, name FROM items WHERE shop_id = ? ORDER BY id`, []any{shopID}, func(r *sql.Rows) error {
		var id int64
		var name string
		if err := r.Scan(&id, &name); err != nil {
			return err
		}
		itemAt[id] = len(data.Items)
		data.Items = append(data.Items, crm.ItemData{Name: name})
		return nil
	}); err != nil {
		return err
	}
	if err := each(ctx, conn, `SELECT item_id, alias FROM item_aliases WHERE shop_id = ? ORDER BY item_id, alias`, []any{shopID},
		func(r *sql.Rows) error {
			var id int64
			var alias string
			if err := r.Scan(&id, &alias); err != nil {
				return err
			}
			if i, ok := itemAt[id]; ok {
				data.Items[i].Aliases = append(data.Items[i].Aliases, alias)
			}
			return nil
		}); err != nil {
		return err
	}
	news, err := exportShopMore(ctx, conn, shopID, &data)
	if err != nil {
		return err
	}
	if err := shopFn(data); err != nil {
		return err
	}

	// Customers with their aliases, facts, visits, bookings and firings:
	// streams in customer order, merged.
	aliases, err := newStream(ctx, conn, `SELECT customer_id, alias FROM customer_aliases WHERE shop_id = ?
		ORDER BY customer_id, alias`, shopID, func(r *sql.Rows) (int64, any, error) {
		var cid int64
		var a string
		err := r.Scan(&cid, &a)
		return cid, a, err
	})
	if err != nil {
		return err
	}
	defer aliases.close()
	facts, err := newStream(ctx, conn, `SELECT customer_id, kind, value, created_at FROM facts WHERE shop_id = ?
		ORDER BY customer_id, id`, shopID, func(r *sql.Rows) (int64, any, error) {
		var cid int64
		var f crm.FactData
		var kind, at string
		if err := r.Scan(&cid, &kind, &f.Value, &at); err != nil {
			return 0, nil, err
		}
		f.Kind = crm.FactKind(kind)
		var err error
		f.CreatedAt, err = parseTime(at)
		return cid, f, err
	})
	if err != nil {
		return err
	}
	defer facts.close()
	type visitLine struct {
		id   int64
		v    crm.VisitData
		item *crm.ItemQty
	}
	visits, err := newStream(ctx, conn, `SELECT v.customer_id, v.id, v.date, v.amount, v.currency, v.note, v.context,
			coalesce(v.import_key, 0), i.name, vi.qty
		FROM visits v
		LEFT JOIN visit_items vi ON vi.shop_id = v.shop_id AND vi.visit_id = v.id
		LEFT JOIN items i ON i.shop_id = vi.shop_id AND i.id = vi.item_id
		WHERE v.shop_id = ? ORDER BY v.customer_id, v.date, v.id, vi.rowid`, shopID, func(r *sql.Rows) (int64, any, error) {
		var cid int64
		var l visitLine
		var date, ctxJSON string
		var iname sql.NullString
		var qty sql.NullInt64
		if err := r.Scan(&cid, &l.id, &date, &l.v.Amount, &l.v.Currency, &l.v.Note, &ctxJSON, &l.v.Key, &iname, &qty); err != nil {
			return 0, nil, err
		}
		d, ok := parseDay([]byte(date))
		if !ok {
			return 0, nil, fmt.Errorf("visit %d: bad date %q", l.id, date)
		}
		l.v.Date = d
		if ctxJSON != "" && ctxJSON != "[]" {
			if err := json.Unmarshal([]byte(ctxJSON), &l.v.Context); err != nil {
				return 0, nil, fmt.Errorf("visit %d context: %w", l.id, err)
			}
		}
		if qty.Valid {
			l.item = &crm.ItemQty{Name: iname.String, Qty: int(qty.Int64)}
		}
		return cid, l, nil
	})
	if err != nil {
		return err
	}
	defer visits.close()
	more, err := newCustomerMore(ctx, conn, shopID, news)
	if err != nil {
		return err
	}
	defer more.close()
	custs, err := conn.QueryContext(ctx, `SELECT c.id, c.name, c.birthday, c.usual_weekday, c.usual_time, c.created_at,
			coalesce((SELECT max(g.day) FROM greetings g WHERE g.shop_id = c.shop_id AND g.customer_id = c.id), ''),
			coalesce((SELECT max(d.day) FROM digest_shown d WHERE d.shop_id = c.shop_id AND d.customer_id = c.id
				AND ',' || d.codes || ',' LIKE '%,`+string(crm.ReasonLapsed)+`,%'), '')
		FROM customers c WHERE c.shop_id = ? ORDER BY c.id`, shopID)
	if err != nil {
		return err
	}
	defer custs.Close()
	for custs.Next() {
		var id, weekday int64
		var c crm.CustomerData
		var birthday, at, greeted, lapsed string
		if err := custs.Scan(&id, &c.Name, &birthday, &weekday, &c.UsualTime, &at, &greeted, &lapsed); err != nil {
			return err
		}
		for _, m := range []struct {
			day string
			to  *crm.Date
		}{{greeted, &c.Greeted}, {lapsed, &c.LapsedShown}} {
			if m.day == "" {
				continue
			}
			var ok bool
			if *m.to, ok = parseDay(m.day); !ok {
				return fmt.Errorf("customer %d: bad day %q", id, m.day)
			}
		}
		c.UsualWeekday = time.Weekday(weekday)
		if birthday != "" {
			if c.Birthday, err = crm.ParseMonthDay(birthday); err != nil {
				return err
			}
		}
		if c.CreatedAt, err = parseTime(at); err != nil {
			return err
		}
		if err := aliases.take(id, func(v any) { c.Aliases = append(c.Aliases, v.(string)) }); err != nil {
			return err
		}
		if err := facts.take(id, func(v any) { c.Facts = append(c.Facts, v.(crm.FactData)) }); err != nil {
			return err
		}
		last := int64(-1)
		if err := visits.take(id, func(v any) {
			l := v.(visitLine)
			if l.id != last {
				c.Visits = append(c.Visits, l.v)
				last = l.id
			}
			if l.item != nil {
				cv := &c.Visits[len(c.Visits)-1]
				cv.Items = append(cv.Items, *l.item)
			}
		}); err != nil {
			return err
		}
		if err := more.take(id, &c); err != nil {
			return err
		}
		if err := custFn(c); err != nil {
			return err
		}
	}
	return custs.Err()
}

// each runs query and calls fn for every row.
func each(ctx context.Context, q querier, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// stream is a query whose rows come in customer order, read customer by
// customer: scan reads a row into its customer id and a value.
type stream struct {
	rows *sql.Rows
	scan func(*sql.Rows) (int64, any, error)
	ok   bool  // a row is current
	cid  int64 // its customer
	val  any
}

func newStream(ctx context.Context, q querier, query string, shopID int64, scan func(*sql.Rows) (int64, any, error)) (*stream, error) {
	rows, err := q.QueryContext(ctx, query, shopID)
	if err != nil {
		return nil, err
	}
	s := &stream{rows: rows, scan: scan}
	return s, s.advance()
}

func (s *stream) advance() error {
	if s.ok = s.rows.Next(); !s.ok {
		return s.rows.Err()
	}
	var err error
	s.cid, s.val, err = s.scan(s.rows)
	return err
}

// take hands the values of customer cid's rows to fn, skipping rows of
// customers before it.
func (s *stream) take(cid int64, fn func(any)) error {
	for s.ok && s.cid < cid {
		if err := s.advance(); err != nil {
			return err
		}
	}
	for s.ok && s.cid == cid {
		fn(s.val)
		if err := s.advance(); err != nil {
			return err
		}
	}
	return nil
}

func (s *stream) close() { s.rows.Close() }

// RestoreShop fills an empty shop with exported data in one transaction:
// its fields, currency, creation time and public code (unless another shop
// has it), settings, item catalog, lexicon, rules (active ones keep their
// next run), announcements and the digest's memory, and customers with
// their aliases, facts, visits, bookings, firings and digest marks (see
// transfer_more.go). Facts, visits and bookings belong to no note; visits
// keep their import keys.
func (db *DB) RestoreShop(ctx context.Context, shopID int64, data crm.ShopData, next func() (crm.CustomerData, bool, error)) (int, error) {
	shop, err := normalShop(data.Shop)
	if err != nil {
		return 0, fmt.Errorf("storage: restore: %w", err)
	}
	n := 0
	now := formatTime(time.Time{})
	err = db.inBulkTx(ctx, func(tx *sql.Tx) error {
		var used int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM customers WHERE shop_id = ?1)
			+ (SELECT count(*) FROM items WHERE shop_id = ?1)
			+ (SELECT count(*) FROM rules WHERE shop_id = ?1 AND state != 'draft')
			+ (SELECT count(*) FROM announcements WHERE shop_id = ?1)
			+ (SELECT count(*) FROM lexicon WHERE shop_id = ?1)`, shopID).Scan(&used); err != nil {
			return err
		}
		if used > 0 {
			return fmt.Errorf("shop %d already has customers, items or rules: %w", shopID, crm.ErrInvalidInput)
		}
		res, err := tx.ExecContext(ctx, `UPDATE shops SET name = ?, lang = ?, time_zone = ?, digest_time = ?,
			lapsed_days = ?, digest_limit = ?, currency = ? WHERE id = ?`, shop.Name, shop.Lang, shop.TimeZone, shop.DigestTime,
			shop.LapsedDays, shop.DigestLimit, shop.Currency, shopID)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return fmt.Errorf("shop %d: %w", shopID, crm.ErrNotFound)
		}
		if !data.Shop.CreatedAt.IsZero() {
			if _, err := tx.ExecContext(ctx, `UPDATE shops SET created_at = ? WHERE id = ?`,
				formatTime(data.Shop.CreatedAt), shopID); err != nil {
				return err
			}
		}
		if shop.Code != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE shops SET code = ?1 WHERE id = ?2
				AND NOT EXISTS (SELECT 1 FROM shops WHERE code = ?1 AND id <> ?2)`, shop.Code, shopID); err != nil {
				return err
			}
		}
		for k, v := range data.Settings {
			if _, err := tx.ExecContext(ctx, `INSERT INTO shop_settings (shop_id, key, value) VALUES (?, ?, ?)
				ON CONFLICT (shop_id, key) DO UPDATE SET value = excluded.value`, shopID, k, v); err != nil {
				return err
			}
		}
		items := map[string]int64{}
		addItem := func(name string) (int64, error) {
			clean, err := cleanName("item name", name)
			if err != nil {
				return 0, err
			}
			if id, ok := items[foldKey(clean)]; ok {
				return id, nil
			}
			r, err := tx.ExecContext(ctx, `INSERT INTO items (shop_id, name) VALUES (?, ?)`, shopID, clean)
			if err != nil {
				return 0, err
			}
			id, err := r.LastInsertId()
			items[foldKey(clean)] = id
			return id, err
		}
		for _, it := range data.Items {
			id, err := addItem(it.Name)
			if err != nil {
				return err
			}
			for _, a := range it.Aliases {
				clean, err := cleanName("alias", a)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO item_aliases (shop_id, item_id, alias) VALUES (?, ?, ?)`,
					shopID, id, clean); err != nil {
					return err
				}
				items[foldKey(clean)] = id
			}
		}
		refs, err := restoreShopMore(ctx, tx, shop, shopID, data, now)
		if err != nil {
			return err
		}
		for {
			c, ok, err := next()
			if err != nil {
				return err
			}
			if !ok {
				return nil
			}
			if err := restoreCustomer(ctx, tx, shopID, c, addItem, refs); err != nil {
				return fmt.Errorf("customer %d (%q): %w", n+1, c.Name, err)
			}
			n++
		}
	})
	if err != nil {
		return 0, fmt.Errorf("storage: restore: %w", constraint(err))
	}
	return n, nil
}

func restoreCustomer(ctx context.Context, tx *sql.Tx, shopID int64, c crm.CustomerData, item func(string) (int64, error), refs *restoreRefs) error {
	now := refs.now
	name, err := cleanName("customer name", c.Name)
	if err != nil {
		return err
	}
	if !c.Birthday.IsZero() && !c.Birthday.Valid() {
		return fmt.Errorf("birthday: %w", crm.ErrInvalidInput)
	}
	if c.UsualWeekday < crm.NoWeekday || c.UsualWeekday > time.Saturday {
		return fmt.Errorf("usual weekday %d: %w", c.UsualWeekday, crm.ErrInvalidInput)
	}
	usualTime := c.UsualTime
	if usualTime != "" {
		if usualTime, err = checkClock(usualTime); err != nil {
			return err
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO customers (shop_id, name, birthday, usual_weekday, usual_time, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, shopID, name, c.Birthday.String(), int64(c.UsualWeekday), usualTime, formatTime(c.CreatedAt))
	if err != nil {
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	for _, a := range c.Aliases {
		clean, err := cleanName("alias", a)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO customer_aliases (shop_id, customer_id, alias) VALUES (?, ?, ?)`,
			shopID, id, clean); err != nil {
			return err
		}
	}
	for _, f := range c.Facts {
		switch f.Kind {
		case crm.FactAllergy, crm.FactLike, crm.FactDislike, crm.FactNote:
		default:
			return fmt.Errorf("fact kind %q: %w", f.Kind, crm.ErrInvalidInput)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO facts (shop_id, customer_id, kind, value, created_at) VALUES (?, ?, ?, ?, ?)`,
			shopID, id, string(f.Kind), f.Value, formatTime(f.CreatedAt)); err != nil {
			return err
		}
	}
	for _, v := range c.Visits {
		if !validDate(v.Date) || v.Amount < 0 {
			return fmt.Errorf("visit on %v: %w", v.Date, crm.ErrInvalidInput)
		}
		ctxs := v.Context
		if ctxs == nil {
			ctxs = []string{}
		}
		cj, err := json.Marshal(ctxs)
		if err != nil {
			return err
		}
		var key any
		if v.Key != 0 {
			key = v.Key
		}
		cur, err := checkCurrency(v.Currency)
		if err != nil {
			return err
		}
		r, err := tx.ExecContext(ctx, `INSERT INTO visits (shop_id, customer_id, date, amount, currency, note, context, import_key, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, shopID, id, v.Date.String(), v.Amount, cur, v.Note, string(cj), key, now)
		if err != nil {
			return err
		}
		vid, err := r.LastInsertId()
		if err != nil {
			return err
		}
		qty := map[int64]int64{}
		var order []int64
		for _, it := range v.Items {
			if it.Qty < 1 {
				return fmt.Errorf("item %q: quantity %d: %w", it.Name, it.Qty, crm.ErrInvalidInput)
			}
			iid, err := item(it.Name)
			if err != nil {
				return err
			}
			if _, ok := qty[iid]; !ok {
				order = append(order, iid)
			}
			qty[iid] += int64(it.Qty)
		}
		for _, iid := range order {
			if _, err := tx.ExecContext(ctx, `INSERT INTO visit_items (shop_id, visit_id, item_id, qty) VALUES (?, ?, ?, ?)`,
				shopID, vid, iid, qty[iid]); err != nil {
				return err
			}
		}
	}
	return restoreCustomerMore(ctx, tx, shopID, id, c, refs)
}
