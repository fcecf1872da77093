package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

var _ crm.LoopStore = (*DB)(nil)

// insertExposure writes one exposure inside tx.
func insertExposure(ctx context.Context, tx *sql.Tx, e crm.Exposure) error {
	if !validDate(e.Day) {
		return fmt.Errorf("exposure day %v: %w", e.Day, crm.ErrInvalidInput)
	}
	var customer, draw any
	if e.CustomerID != 0 {
		customer = e.CustomerID
	}
	if e.Draw >= 0 && e.CustomerID != 0 {
		draw = e.Draw
	}
	var followed any
	if e.Settled {
		followed = e.Followed
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO exposures (shop_id, customer_id, day, track, kind, codes, purpose, held_out, draw, followed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ShopID, customer, e.Day.String(), string(e.Track), e.Kind, e.Codes,
		string(e.Purpose), e.HeldOut, draw, followed)
	if err != nil {
		return fmt.Errorf("insert exposure: %w", constraint(err))
	}
	return nil
}

// RecordDigestRun stores, once per shop and day, that the digest of day was
// pushed, whom it showed (as RecordDigest does) and its exposures, shown
// and held out, in one transaction. It returns false, and writes nothing,
// when that day's digest was recorded before. Exposures of customers who
// are not (or no longer) the shop's are left out.
func (db *DB) RecordDigestRun(ctx context.Context, shopID int64, day crm.Date, shown []crm.DigestEntry, exposures []crm.Exposure, at time.Time) (bool, error) {
	if !validDate(day) {
		return false, fmt.Errorf("storage: record digest: day %d-%d-%d: %w", day.Year, day.Month, day.Day, crm.ErrInvalidInput)
	}
	first := false
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if first, err = recordDigestTx(ctx, tx, shopID, day, shown, at); err != nil || !first {
			return err
		}
		for _, e := range exposures {
			var exists bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM customers WHERE shop_id = ? AND id = ?)`,
				shopID, e.CustomerID).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				continue
			}
			e.ShopID, e.Day = shopID, day
			if err := insertExposure(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("storage: record digest %s: %w", day, err)
	}
	return first, nil
}

// RecordExposures writes exposures in one transaction.
func (db *DB) RecordExposures(ctx context.Context, exposures []crm.Exposure) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		for _, e := range exposures {
			if err := insertExposure(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("storage: record exposures: %w", err)
	}
	return nil
}

// shopDay returns the shop-local day of at, inside tx.
func shopDay(ctx context.Context, q querier, shopID int64, at time.Time) (crm.Date, error) {
	var tz string
	if err := q.QueryRowContext(ctx, `SELECT time_zone FROM shops WHERE id = ?`, shopID).Scan(&tz); err != nil {
		return crm.Date{}, errors.Join(crm.ErrNotFound, err)
	}
	return crm.Shop{TimeZone: tz}.Today(at), nil
}

// Exposures returns the shop's exposures on or before upTo, oldest first.
// Those of erased customers come settled, without a customer.
func (db *DB) Exposures(ctx context.Context, shopID int64, upTo crm.Date) ([]crm.Exposure, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, coalesce(customer_id, 0), day, track, kind, codes, purpose, held_out,
		coalesce(draw, -1), followed FROM exposures WHERE shop_id = ? AND day <= ? ORDER BY day, id`, shopID, upTo.String())
	if err != nil {
		return nil, fmt.Errorf("storage: exposures: %w", err)
	}
	defer rows.Close()
	var out []crm.Exposure
	for rows.Next() {
		e := crm.Exposure{ShopID: shopID}
		var day, track, purpose string
		var followed sql.NullBool
		if err := rows.Scan(&e.ID, &e.CustomerID, &day, &track, &e.Kind, &e.Codes, &purpose, &e.HeldOut, &e.Draw, &followed); err != nil {
			return nil, fmt.Errorf("storage: exposures: %w", err)
		}
		d, ok := parseDay(day)
		if !ok {
			return nil, fmt.Errorf("storage: exposures: bad day %q", day)
		}
		e.Day, e.Track, e.Purpose = d, crm.ExposureTrack(track), crm.Purpose(purpose)
		e.Settled, e.Followed = followed.Valid, followed.Bool
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: exposures: %w", err)
	}
	return out, nil
}

// DigestDecisions returns, per customer, the latest digest exposure
// before day whose entry had the lapsed reason, and the digest units
// recorded earlier in day's ISO week.
func (db *DB) DigestDecisions(ctx context.Context, shopID int64, day crm.Date) (crm.PastDecisions, error) {
	past := crm.PastDecisions{Lapsed: map[int64]crm.LapsedDecision{}, ThisWeek: map[crm.DigestUnit]bool{}}
	monday := crm.WeekOf(day).Monday()
	rows, err := db.db.QueryContext(ctx, `SELECT customer_id, day, kind, held_out, ',' || codes || ',' LIKE '%,`+string(crm.ReasonLapsed)+`,%'
		FROM exposures WHERE shop_id = ? AND customer_id IS NOT NULL AND track = 'digest' AND day < ?
		ORDER BY customer_id, day, id`, shopID, day.String())
	if err != nil {
		return past, fmt.Errorf("storage: digest decisions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var cid int64
		var d, kind string
		var held, lapsed bool
		if err := rows.Scan(&cid, &d, &kind, &held, &lapsed); err != nil {
			return past, fmt.Errorf("storage: digest decisions: %w", err)
		}
		date, ok := parseDay(d)
		if !ok {
			return past, fmt.Errorf("storage: digest decisions: bad day %q", d)
		}
		if lapsed {
			past.Lapsed[cid] = crm.LapsedDecision{Day: date, HeldOut: held}
		}
		if !date.Before(monday) {
			past.ThisWeek[crm.DigestUnit{CustomerID: cid, Kind: kind}] = true
		}
	}
	if err := rows.Err(); err != nil {
		return past, fmt.Errorf("storage: digest decisions: %w", err)
	}
	return past, nil
}

// ReportVisits returns every customer of the shop with a visit on or
// before upTo: their distinct visit days, oldest first, and the amount
// spent on each within the crm.ReportAmountDays before upTo (0 before).
// The days come from the visits' customer index alone, one row per
// customer (as History reads them); the amounts of that window in a second
// query.
func (db *DB) ReportVisits(ctx context.Context, shopID int64, upTo crm.Date) ([]crm.CustomerVisits, error) {
	names := map[int64]string{}
	rows, err := db.db.QueryContext(ctx, `SELECT id, name FROM customers WHERE shop_id = ?`, shopID)
	if err != nil {
		return nil, fmt.Errorf("storage: report visits: %w", err)
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("storage: report visits: %w", err)
		}
		names[id] = name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: report visits: %w", err)
	}
	rows, err = db.db.QueryContext(ctx, `SELECT customer_id, group_concat(date, '') FROM visits
		WHERE shop_id = ?1 AND date <= ?2 GROUP BY customer_id ORDER BY customer_id`, shopID, upTo.String())
	if err != nil {
		return nil, fmt.Errorf("storage: report visits: %w", err)
	}
	defer rows.Close()
	var out []crm.CustomerVisits
	var dates string
	for rows.Next() {
		var cv crm.CustomerVisits
		if err := rows.Scan(&cv.ID, &dates); err != nil {
			return nil, fmt.Errorf("storage: report visits: %w", err)
		}
		name, ok := names[cv.ID]
		if !ok || len(dates)%10 != 0 {
			continue // a customer added or erased meanwhile
		}
		cv.Name = name
		days := make([]crm.Date, 0, len(dates)/10)
		sorted := true
		for j := 0; j < len(dates); j += 10 {
			d, ok := parseDay(dates[j : j+10])
			if !ok {
				return nil, fmt.Errorf("storage: report visits of %d: bad date %q", cv.ID, dates[j:j+10])
			}
			if n := len(days); n > 0 {
				if days[n-1] == d {
					continue
				}
				sorted = sorted && days[n-1].Before(d)
			}
			days = append(days, d)
		}
		if !sorted {
			slices.SortFunc(days, compareDates)
			days = slices.Compact(days)
		}
		cv.Days, cv.Amounts = days, make([]int64, len(days))
		out = append(out, cv)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: report visits: %w", err)
	}
	rows.Close()
	// The amounts of the window, one row per customer: the customer index
	// holds the dates, so only the window's visits are read from the table.
	rows, err = db.db.QueryContext(ctx, `SELECT customer_id, group_concat(date || amount, ',') FROM visits INDEXED BY visits_customer
		WHERE shop_id = ?1 AND date BETWEEN ?2 AND ?3 AND amount > 0 GROUP BY customer_id ORDER BY customer_id`,
		shopID, upTo.AddDays(-crm.ReportAmountDays+1).String(), upTo.String())
	if err != nil {
		return nil, fmt.Errorf("storage: report amounts: %w", err)
	}
	defer rows.Close()
	at := 0
	var list string
	for rows.Next() {
		var cid int64
		if err := rows.Scan(&cid, &list); err != nil {
			return nil, fmt.Errorf("storage: report amounts: %w", err)
		}
		for at < len(out) && out[at].ID < cid {
			at++
		}
		if at == len(out) || out[at].ID != cid {
			continue
		}
		cv := &out[at]
		for _, item := range strings.Split(list, ",") {
			if len(item) <= 10 {
				continue
			}
			date, ok := parseDay(item[:10])
			amount, err := strconv.ParseInt(item[10:], 10, 64)
			if !ok || err != nil {
				return nil, fmt.Errorf("storage: report amounts of %d: bad %q", cid, item)
			}
			if k, found := slices.BinarySearchFunc(cv.Days, date, compareDates); found {
				cv.Amounts[k] += amount
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: report amounts: %w", err)
	}
	return out, nil
}

func compareDates(a, b crm.Date) int {
	switch {
	case a.Before(b):
		return -1
	case b.Before(a):
		return 1
	}
	return 0
}

// TopItems returns the n items sold most (by quantity) from … to, most
// first, then by name.
func (db *DB) TopItems(ctx context.Context, shopID int64, from, to crm.Date, n int) ([]crm.ItemQty, error) {
	// CROSS JOIN keeps SQLite to this order: the week's visits first (from
	// the visits' customer index, which holds their dates), then their
	// lines, rather than every line of the shop.
	rows, err := db.db.QueryContext(ctx, `SELECT i.name, sum(vi.qty) AS q FROM visits v
		CROSS JOIN visit_items vi ON vi.shop_id = v.shop_id AND vi.visit_id = v.id
		JOIN items i ON i.shop_id = vi.shop_id AND i.id = vi.item_id
		WHERE v.shop_id = ?1 AND v.date BETWEEN ?2 AND ?3
		GROUP BY vi.item_id ORDER BY q DESC, i.name LIMIT ?4`, shopID, from.String(), to.String(), n)
	if err != nil {
		return nil, fmt.Errorf("storage: top items: %w", err)
	}
	defer rows.Close()
	out := []crm.ItemQty{}
	for rows.Next() {
		var it crm.ItemQty
		if err := rows.Scan(&it.Name, &it.Qty); err != nil {
			return nil, fmt.Errorf("storage: top items: %w", err)
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: top items: %w", err)
	}
	return out, nil
}

// HoldoutSeed returns the shop's secret holdout seed. Every shop gets one
// when it is created; one that went missing is made again.
func (db *DB) HoldoutSeed(ctx context.Context, shopID int64) (string, error) {
	seed, err := db.ShopSetting(ctx, shopID, crm.SettingHoldoutSeed)
	if err != nil || seed != "" {
		return seed, err
	}
	if _, err := db.exec(ctx, `INSERT OR IGNORE INTO shop_settings (shop_id, key, value)
		VALUES (?, ?, lower(hex(randomblob(16))))`, shopID, crm.SettingHoldoutSeed); err != nil {
		return "", fmt.Errorf("storage: holdout seed: %w", constraint(err))
	}
	return db.ShopSetting(ctx, shopID, crm.SettingHoldoutSeed)
}

// exposureSource is the outbox's record of who or what sent a message,
// written with it.
func setOutboxSource(ctx context.Context, tx *sql.Tx, id int64, source string, draw *crm.HoldoutDraw) error {
	if source == "" && draw == nil {
		return nil
	}
	var d any
	if draw != nil {
		d = draw.Draw
	}
	_, err := tx.ExecContext(ctx, `UPDATE outbox SET source = ?, draw = ? WHERE id = ?`, strings.TrimSpace(source), d, id)
	return err
}
