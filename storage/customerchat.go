package storage

// The customer side (migration 0005): customer_links ties a messenger
// user to a shop's customer; consent_ledger is append-only (a trigger
// refuses updates) and goes only with its customer; join_declines keeps
// nothing but that someone said no; drafts hold what a member is about to
// send. Everything that concerns a customer cascades from their customers
// row, so an erasure leaves only the anonymous erasures line.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// nullTime stores t, or NULL for the zero time.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Join makes a person who agreed to the shop's notice its customer: the
// customer, the link and a granted event per consent purpose, in one
// transaction. Any earlier decline is forgotten.
func (db *DB) Join(ctx context.Context, in crm.JoinInput) (crm.Customer, error) {
	name, err := cleanName("customer name", in.Name)
	if err != nil {
		return crm.Customer{}, fmt.Errorf("storage: join: %w", err)
	}
	if in.Platform == "" || in.UserID == "" || in.Channel == "" || in.Notice == "" {
		return crm.Customer{}, fmt.Errorf("storage: join: missing platform, user, channel or notice: %w", crm.ErrInvalidInput)
	}
	at := formatTime(in.At)
	c := crm.Customer{ShopID: in.ShopID, Name: name, UsualWeekday: crm.NoWeekday, Consent: crm.ConsentGranted}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM customer_links
			WHERE shop_id = ? AND platform = ? AND user_id = ?`, in.ShopID, in.Platform, in.UserID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return crm.ErrAlreadyDone
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO customers (shop_id, name, consent, created_at) VALUES (?, ?, 'granted', ?)`,
			in.ShopID, name, at)
		if err != nil {
			return constraint(err)
		}
		if c.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO customer_links
			(shop_id, customer_id, platform, user_id, lang, awaiting_name, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)`,
			in.ShopID, c.ID, in.Platform, in.UserID, in.Lang, at); err != nil {
			return constraint(err)
		}
		for _, p := range crm.ConsentPurposes {
			if err := insertConsent(ctx, tx, crm.ConsentEvent{ShopID: in.ShopID, CustomerID: c.ID, Purpose: p,
				Granted: true, At: in.At, Channel: in.Channel, Notice: in.Notice}); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM join_declines WHERE shop_id = ? AND platform = ? AND user_id = ?`,
			in.ShopID, in.Platform, in.UserID)
		return err
	})
	if err != nil {
		return crm.Customer{}, fmt.Errorf("storage: join: %w", err)
	}
	if c.CreatedAt, err = parseTime(at); err != nil {
		return crm.Customer{}, fmt.Errorf("storage: join: %w", err)
	}
	return c, nil
}

func insertConsent(ctx context.Context, e execer, ev crm.ConsentEvent) error {
	_, err := e.ExecContext(ctx, `INSERT INTO consent_ledger (shop_id, customer_id, purpose, granted, at, channel, notice)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, ev.ShopID, ev.CustomerID, string(ev.Purpose), boolInt(ev.Granted),
		formatTime(ev.At), ev.Channel, ev.Notice)
	if err != nil {
		return fmt.Errorf("record consent: %w", constraint(err))
	}
	return nil
}

// RecordDecline keeps that the user declined the shop's notice, and
// nothing else about them.
func (db *DB) RecordDecline(ctx context.Context, shopID int64, platform, userID string, at time.Time) error {
	_, err := db.exec(ctx, `INSERT INTO join_declines (shop_id, platform, user_id, at) VALUES (?, ?, ?, ?)
		ON CONFLICT DO UPDATE SET at = excluded.at`, shopID, platform, userID, formatTime(at))
	if err != nil {
		return fmt.Errorf("storage: record decline: %w", constraint(err))
	}
	return nil
}

const linkColumns = `shop_id, customer_id, platform, user_id, lang, status, awaiting_name, quiet,
	coalesce(renewal_asked, ''), coalesce(last_inbound, ''), created_at`

func scanLink(row interface{ Scan(...any) error }) (crm.CustomerLink, error) {
	var l crm.CustomerLink
	var status, renewal, inbound, created string
	var awaiting int
	if err := row.Scan(&l.ShopID, &l.CustomerID, &l.Platform, &l.UserID, &l.Lang, &status, &awaiting, &l.Quiet,
		&renewal, &inbound, &created); err != nil {
		return l, err
	}
	l.Status, l.AwaitingName = crm.LinkStatus(status), awaiting == 1
	var err error
	if l.RenewalAsked, err = parseTime(renewal); err != nil {
		return l, err
	}
	if l.LastInbound, err = parseTime(inbound); err != nil {
		return l, err
	}
	l.CreatedAt, err = parseTime(created)
	return l, err
}

func links(ctx context.Context, q querier, query string, args ...any) ([]crm.CustomerLink, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+linkColumns+` FROM customer_links `+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.CustomerLink
	for rows.Next() {
		l, err := scanLink(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// CustomerLinks returns every shop link of one messenger user, newest
// first.
func (db *DB) CustomerLinks(ctx context.Context, platform, userID string) ([]crm.CustomerLink, error) {
	ls, err := links(ctx, db.db, `WHERE platform = ? AND user_id = ? ORDER BY created_at DESC, shop_id DESC`, platform, userID)
	if err != nil {
		return nil, fmt.Errorf("storage: customer links: %w", err)
	}
	return ls, nil
}

// CustomerLink returns the link of one customer.
func (db *DB) CustomerLink(ctx context.Context, shopID, customerID int64) (crm.CustomerLink, error) {
	l, err := customerLink(ctx, db.db, shopID, customerID)
	if err != nil {
		return l, fmt.Errorf("storage: customer link %d: %w", customerID, err)
	}
	return l, nil
}

func customerLink(ctx context.Context, q querier, shopID, customerID int64) (crm.CustomerLink, error) {
	l, err := scanLink(q.QueryRowContext(ctx, `SELECT `+linkColumns+` FROM customer_links
		WHERE shop_id = ? AND customer_id = ?`, shopID, customerID))
	if errors.Is(err, sql.ErrNoRows) {
		return l, crm.ErrNotFound
	}
	return l, err
}

// UpdateLink stores a link's language, name question, quiet hours and
// latest inbound message, and marks it active again.
func (db *DB) UpdateLink(ctx context.Context, l crm.CustomerLink) error {
	if l.Quiet != "" {
		if _, err := crm.ParseQuietHours(l.Quiet); err != nil {
			return fmt.Errorf("storage: update link: %w", err)
		}
	}
	res, err := db.exec(ctx, `UPDATE customer_links SET lang = ?, awaiting_name = ?, quiet = ?,
		last_inbound = coalesce(?, last_inbound), status = 'active'
		WHERE shop_id = ? AND customer_id = ?`,
		l.Lang, boolInt(l.AwaitingName), l.Quiet, nullTime(l.LastInbound), l.ShopID, l.CustomerID)
	if err != nil {
		return fmt.Errorf("storage: update link: %w", constraint(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("storage: update link: %w", err)
	} else if n == 0 {
		return fmt.Errorf("storage: update link: %w", crm.ErrNotFound)
	}
	return nil
}

// SetCustomerName gives a customer who joined by chat the name they chose,
// and ends the name question, in one transaction.
func (db *DB) SetCustomerName(ctx context.Context, shopID, customerID int64, name string) error {
	name, err := cleanName("customer name", name)
	if err != nil {
		return fmt.Errorf("storage: set customer name: %w", err)
	}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE customers SET name = ? WHERE shop_id = ? AND id = ?`, name, shopID, customerID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, crm.ErrNotFound)
		}
		_, err = tx.ExecContext(ctx, `UPDATE customer_links SET awaiting_name = 0 WHERE shop_id = ? AND customer_id = ?`,
			shopID, customerID)
		return err
	})
	if err != nil {
		return fmt.Errorf("storage: set customer name: %w", err)
	}
	return nil
}

// ConsentEvents returns a customer's consent ledger, oldest first.
func (db *DB) ConsentEvents(ctx context.Context, shopID, customerID int64) ([]crm.ConsentEvent, error) {
	evs, err := consentEvents(ctx, db.db, shopID, customerID)
	if err != nil {
		return nil, fmt.Errorf("storage: consent of customer %d: %w", customerID, err)
	}
	return evs, nil
}

func consentEvents(ctx context.Context, q querier, shopID, customerID int64) ([]crm.ConsentEvent, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, purpose, granted, at, channel, notice FROM consent_ledger
		WHERE shop_id = ? AND customer_id = ? ORDER BY id`, shopID, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.ConsentEvent
	for rows.Next() {
		ev := crm.ConsentEvent{ShopID: shopID, CustomerID: customerID}
		var purpose, at string
		var granted int
		if err := rows.Scan(&ev.ID, &purpose, &granted, &at, &ev.Channel, &ev.Notice); err != nil {
			return nil, err
		}
		ev.Purpose, ev.Granted = crm.Purpose(purpose), granted == 1
		if ev.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

// ChangeConsent appends the events c asks for, keeps the customer's
// summary and closes any open renewal question, in one transaction.
// Messages still queued are checked again when they fall due
// (ClaimOutbox), so one the new state does not permit never goes, and the
// member who asked for it hears why.
func (db *DB) ChangeConsent(ctx context.Context, c crm.ConsentChange) (crm.ConsentState, error) {
	if c.Channel == "" || c.Notice == "" {
		return nil, fmt.Errorf("storage: change consent: missing channel or notice: %w", crm.ErrInvalidInput)
	}
	for p := range c.Set {
		if !crm.IsConsentPurpose(p) {
			return nil, fmt.Errorf("storage: change consent: purpose %q: %w", p, crm.ErrInvalidInput)
		}
	}
	var st crm.ConsentState
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		st, err = changeConsent(ctx, tx, c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("storage: change consent: %w", err)
	}
	return st, nil
}

func changeConsent(ctx context.Context, tx *sql.Tx, c crm.ConsentChange) (crm.ConsentState, error) {
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE shop_id = ? AND id = ?`,
		c.ShopID, c.CustomerID).Scan(&exists); err != nil {
		return nil, err
	}
	if exists == 0 {
		return nil, fmt.Errorf("customer %d: %w", c.CustomerID, crm.ErrNotFound)
	}
	evs, err := consentEvents(ctx, tx, c.ShopID, c.CustomerID)
	if err != nil {
		return nil, err
	}
	before := crm.ConsentAt(evs, c.At)
	for _, p := range crm.ConsentPurposes {
		want, ok := c.Set[p]
		if !ok {
			continue
		}
		if before.Granted(p) == want && !c.Fresh && (want || before[p].ID != 0) {
			continue
		}
		ev := crm.ConsentEvent{ShopID: c.ShopID, CustomerID: c.CustomerID, Purpose: p, Granted: want,
			At: c.At, Channel: c.Channel, Notice: c.Notice}
		if err := insertConsent(ctx, tx, ev); err != nil {
			return nil, err
		}
	}
	if evs, err = consentEvents(ctx, tx, c.ShopID, c.CustomerID); err != nil {
		return nil, err
	}
	after := crm.ConsentAt(evs, c.At)
	if _, err := tx.ExecContext(ctx, `UPDATE customers SET consent = ? WHERE shop_id = ? AND id = ?`,
		string(after.Summary()), c.ShopID, c.CustomerID); err != nil {
		return nil, err
	}
	// Any consent change answers an open renewal question.
	if _, err := tx.ExecContext(ctx, `UPDATE customer_links SET renewal_asked = NULL WHERE shop_id = ? AND customer_id = ?`,
		c.ShopID, c.CustomerID); err != nil {
		return nil, err
	}
	return after, nil
}

// MergeCustomer makes into the record of the person who joined as from.
// The consent ledger is copied (times, channels and notices kept; the
// original rows go with from), the link, visits, facts, note effects,
// outbox and drafts move, from's name becomes an alias of into, and from
// is deleted, all in one transaction.
func (db *DB) MergeCustomer(ctx context.Context, shopID, from, into int64) error {
	if from == into {
		return fmt.Errorf("storage: merge customer: same customer: %w", crm.ErrInvalidInput)
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var fromName, intoName string
		if err := tx.QueryRowContext(ctx, `SELECT name FROM customers WHERE shop_id = ? AND id = ?`, shopID, from).Scan(&fromName); err != nil {
			return errors.Join(crm.ErrNotFound, err)
		}
		if err := tx.QueryRowContext(ctx, `SELECT name FROM customers WHERE shop_id = ? AND id = ?`, shopID, into).Scan(&intoName); err != nil {
			return errors.Join(crm.ErrNotFound, err)
		}
		var linked int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM customer_links WHERE shop_id = ? AND customer_id = ?`,
			shopID, into).Scan(&linked); err != nil {
			return err
		}
		if linked > 0 {
			return fmt.Errorf("customer %d is already linked: %w", into, crm.ErrInvalidInput)
		}
		steps := []string{
			`INSERT INTO consent_ledger (shop_id, customer_id, purpose, granted, at, channel, notice)
				SELECT shop_id, ?3, purpose, granted, at, channel, notice FROM consent_ledger
				WHERE shop_id = ?1 AND customer_id = ?2 ORDER BY id`,
			`UPDATE customer_links SET customer_id = ?3 WHERE shop_id = ?1 AND customer_id = ?2`,
			`UPDATE visits SET customer_id = ?3 WHERE shop_id = ?1 AND customer_id = ?2`,
			`UPDATE facts SET customer_id = ?3 WHERE shop_id = ?1 AND customer_id = ?2`,
			`UPDATE note_effects SET customer_id = ?3 WHERE shop_id = ?1 AND customer_id = ?2`,
			`UPDATE outbox SET customer_id = ?3 WHERE shop_id = ?1 AND customer_id = ?2`,
			`UPDATE drafts SET customer_id = ?3 WHERE shop_id = ?1 AND customer_id = ?2`,
			`UPDATE exposures SET customer_id = ?3 WHERE shop_id = ?1 AND customer_id = ?2`,
			`INSERT OR IGNORE INTO customer_aliases (shop_id, customer_id, alias)
				SELECT shop_id, ?3, alias FROM customer_aliases WHERE shop_id = ?1 AND customer_id = ?2`,
			`DELETE FROM customers WHERE shop_id = ?1 AND id = ?2`,
		}
		for _, q := range steps {
			if _, err := tx.ExecContext(ctx, q, shopID, from, into); err != nil {
				return fmt.Errorf("merge: %w", constraint(err))
			}
		}
		if !strings.EqualFold(fromName, intoName) {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO customer_aliases (shop_id, customer_id, alias) VALUES (?, ?, ?)`,
				shopID, into, fromName); err != nil {
				return err
			}
		}
		evs, err := consentEvents(ctx, tx, shopID, into)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE customers SET consent = ? WHERE shop_id = ? AND id = ?`,
			string(crm.LatestConsent(evs).Summary()), shopID, into)
		return err
	})
	if err != nil {
		return fmt.Errorf("storage: merge customer %d into %d: %w", from, into, err)
	}
	return nil
}

// EraseCustomer erases a customer as ForgetCustomer does, and with them
// their link, consent ledger, outbox, drafts, what they wrote that still
// waits for a choice, and any decline of theirs; the anonymous erasure
// line records why.
func (db *DB) EraseCustomer(ctx context.Context, shopID, customerID int64, why string, at time.Time) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error { return eraseTx(ctx, tx, shopID, customerID, why, at) })
	if err != nil {
		return fmt.Errorf("storage: erase customer %d: %w", customerID, err)
	}
	// As in ForgetCustomer: best effort, so the name does not linger in
	// the write-ahead log.
	_, _ = db.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return nil
}

func eraseTx(ctx context.Context, tx *sql.Tx, shopID, customerID int64, why string, at time.Time) error {
	if why == "" {
		return fmt.Errorf("erasure without a reason: %w", crm.ErrInvalidInput)
	}
	// What the person left outside the customer's rows: pending choices
	// and a decline, found through their link.
	if _, err := tx.ExecContext(ctx, `DELETE FROM pending WHERE shop_id = ?1 AND EXISTS (SELECT 1 FROM customer_links l
		WHERE l.shop_id = ?1 AND l.customer_id = ?2 AND l.platform = pending.platform AND l.user_id = pending.author_id)`,
		shopID, customerID); err != nil {
		return fmt.Errorf("delete pending: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM join_declines WHERE shop_id = ?1 AND EXISTS (SELECT 1 FROM customer_links l
		WHERE l.shop_id = ?1 AND l.customer_id = ?2 AND l.platform = join_declines.platform AND l.user_id = join_declines.user_id)`,
		shopID, customerID); err != nil {
		return fmt.Errorf("delete decline: %w", err)
	}
	// Every name they were known by, to find what named them without
	// pointing at them: notes undone (whose customer an undo already
	// removed), and choices still waiting.
	names, err := stringsOf(ctx, tx, `SELECT name FROM customers WHERE shop_id = ?1 AND id = ?2
		UNION SELECT alias FROM customer_aliases WHERE shop_id = ?1 AND customer_id = ?2
		UNION SELECT new FROM note_effects WHERE shop_id = ?1 AND customer_id = ?2 AND kind IN ('customer_created', 'renamed')
		UNION SELECT old FROM note_effects WHERE shop_id = ?1 AND customer_id = ?2 AND kind = 'renamed'`, shopID, customerID)
	if err != nil {
		return fmt.Errorf("names: %w", err)
	}
	// The customer first (cascading to everything that refers to them),
	// then the notes that named them.
	res, err := tx.ExecContext(ctx, `DELETE FROM customers WHERE shop_id = ? AND id = ?`, shopID, customerID)
	if err != nil {
		return fmt.Errorf("delete customer: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("customer %d: %w", customerID, crm.ErrNotFound)
	}
	if err := detachNotes(ctx, tx, shopID, customerID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM notes WHERE shop_id = ?1 AND id IN
		(SELECT note_id FROM note_effects WHERE shop_id = ?1 AND customer_id = ?2)`, shopID, customerID); err != nil {
		return fmt.Errorf("delete notes: %w", err)
	}
	if err := eraseNamed(ctx, tx, shopID, names); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO erasures (shop_id, at, what) VALUES (?, ?, ?)`,
		shopID, formatTime(at), why); err != nil {
		return fmt.Errorf("record erasure: %w", err)
	}
	return nil
}

// eraseNamed deletes what names one of names without pointing at a
// customer who still exists: undone notes (their effects go with them),
// the owner's choices still waiting (which of two called Kim?), and
// notices to members about no customer. Names are matched anywhere in the
// text, ignoring ASCII case.
func eraseNamed(ctx context.Context, tx *sql.Tx, shopID int64, names []string) error {
	for _, name := range names {
		if strings.TrimSpace(name) == "" {
			continue
		}
		undone := `SELECT id FROM notes WHERE shop_id = ?1 AND undone_at IS NOT NULL AND (instr(lower(text), lower(?2)) > 0
			OR id IN (SELECT note_id FROM note_effects WHERE shop_id = ?1
				AND (instr(lower(new), lower(?2)) > 0 OR instr(lower(old), lower(?2)) > 0)))`
		for _, q := range []string{
			// A customer an undone note created may have stayed (another
			// note still refers to them); only the note goes.
			`UPDATE customers SET created_by_note = NULL WHERE shop_id = ?1 AND created_by_note IN (` + undone + `)`,
			`DELETE FROM notes WHERE shop_id = ?1 AND id IN (` + undone + `)`,
			`DELETE FROM pending WHERE shop_id = ?1 AND (instr(lower(text), lower(?2)) > 0
				OR instr(lower(CAST(coalesce(payload, '') AS TEXT)), lower(?2)) > 0)`,
			`DELETE FROM outbox WHERE shop_id = ?1 AND recipient = 'member' AND customer_id IS NULL
				AND instr(lower(text), lower(?2)) > 0`,
		} {
			if _, err := tx.ExecContext(ctx, q, shopID, name); err != nil {
				return fmt.Errorf("erase what named them: %w", err)
			}
		}
	}
	return nil
}

// Erasures counts the shop's erasures logged after id after, by kind.
func (db *DB) Erasures(ctx context.Context, shopID, after int64) ([]crm.ErasureCount, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT what, count(*), max(id) FROM erasures
		WHERE shop_id = ? AND id > ? GROUP BY what ORDER BY what`, shopID, after)
	if err != nil {
		return nil, fmt.Errorf("storage: erasures: %w", err)
	}
	defer rows.Close()
	var out []crm.ErasureCount
	for rows.Next() {
		var c crm.ErasureCount
		if err := rows.Scan(&c.What, &c.Count, &c.LastID); err != nil {
			return nil, fmt.Errorf("storage: erasures: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: erasures: %w", err)
	}
	return out, nil
}

// expiringWhere selects the customers c past the retention period; its
// parameters are the shop, the cutoff day and the cutoff instant.
const expiringWhere = `c.shop_id = ?1
	AND (c.created_at < ?3 OR EXISTS (SELECT 1 FROM visits v WHERE v.shop_id = ?1 AND v.customer_id = c.id))
	AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.shop_id = ?1 AND v.customer_id = c.id AND v.date >= ?2)
	AND NOT EXISTS (SELECT 1 FROM greetings g WHERE g.shop_id = ?1 AND g.customer_id = c.id AND g.day >= ?2)
	AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.shop_id = ?1 AND b.customer_id = c.id
		AND (max(b.date, b.end_date) >= ?2 OR b.created_at >= ?3))
	AND NOT EXISTS (SELECT 1 FROM customer_links l WHERE l.shop_id = ?1 AND l.customer_id = c.id
		AND (l.last_inbound >= ?3 OR l.created_at >= ?3))
	AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.shop_id = ?1 AND o.customer_id = c.id
		AND o.recipient = 'customer' AND o.sent_at >= ?3)`

// ExpireCustomers erases, in one transaction, every customer of the shop
// past the retention period: no visit, greeting or booked day on or after
// cutoffDay, no message from or to them, no booking made and no joining at
// or after cutoff, and, for a customer who never visited, created before
// cutoff. (A customer imported
// from an old ledger goes with their last visit, not with the import.)
func (db *DB) ExpireCustomers(ctx context.Context, shopID int64, cutoffDay crm.Date, cutoff, at time.Time) (int, error) {
	n := 0
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT c.id FROM customers c WHERE `+expiringWhere+`
			ORDER BY c.id`, shopID, cutoffDay.String(), formatTime(cutoff))
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			if err := eraseTx(ctx, tx, shopID, id, crm.ErasureByRetention, at); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("storage: expire customers: %w", err)
	}
	if n > 0 {
		_, _ = db.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	return n, nil
}

// RenewalDue returns the shop's links with no open renewal question whose
// consent is due for renewal at now: the latest grant of a purpose still
// granted is crm.ConsentRenewYears old.
func (db *DB) RenewalDue(ctx context.Context, shopID int64, now time.Time) ([]crm.CustomerLink, error) {
	ls, err := links(ctx, db.db, `WHERE shop_id = ? AND renewal_asked IS NULL ORDER BY customer_id`, shopID)
	if err != nil {
		return nil, fmt.Errorf("storage: renewal due: %w", err)
	}
	var out []crm.CustomerLink
	for _, l := range ls {
		evs, err := consentEvents(ctx, db.db, shopID, l.CustomerID)
		if err != nil {
			return nil, fmt.Errorf("storage: renewal due: %w", err)
		}
		if crm.RenewalDue(crm.ConsentAt(evs, now).LatestGrant(), now) {
			out = append(out, l)
		}
	}
	return out, nil
}

// RenewalLapsed returns the shop's links whose renewal question has gone
// unanswered for crm.RenewalAnswerDays at now.
func (db *DB) RenewalLapsed(ctx context.Context, shopID int64, now time.Time) ([]crm.CustomerLink, error) {
	ls, err := links(ctx, db.db, `WHERE shop_id = ? AND renewal_asked IS NOT NULL ORDER BY customer_id`, shopID)
	if err != nil {
		return nil, fmt.Errorf("storage: renewal lapsed: %w", err)
	}
	var out []crm.CustomerLink
	for _, l := range ls {
		if crm.RenewalLapsed(l.RenewalAsked, now) {
			out = append(out, l)
		}
	}
	return out, nil
}

// TakeOwnPending deletes and returns a pending note of the given author,
// in one statement; crm.ErrNotFound, deleting nothing, when there is none
// or it is another author's.
func (db *DB) TakeOwnPending(ctx context.Context, shopID, id int64, platform, authorID string) (crm.Pending, error) {
	if platform == "" || authorID == "" {
		return crm.Pending{}, fmt.Errorf("storage: take pending %d: no author: %w", id, crm.ErrInvalidInput)
	}
	return db.takePending(ctx, shopID, id, platform, authorID)
}

// SaveDraft keeps a member's draft, replacing their earlier one.
func (db *DB) SaveDraft(ctx context.Context, d crm.Draft) error {
	_, err := db.exec(ctx, `INSERT INTO drafts (shop_id, platform, user_id, customer_id, purpose, text, editing, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (shop_id, platform, user_id) DO UPDATE SET customer_id = excluded.customer_id,
			purpose = excluded.purpose, text = excluded.text, editing = excluded.editing, created_at = excluded.created_at`,
		d.ShopID, d.Platform, d.UserID, d.CustomerID, string(d.Purpose), d.Text, boolInt(d.Editing), formatTime(d.CreatedAt))
	if err != nil {
		return fmt.Errorf("storage: save draft: %w", constraint(err))
	}
	return nil
}

// Draft returns a member's draft.
func (db *DB) Draft(ctx context.Context, shopID int64, platform, userID string) (crm.Draft, error) {
	d := crm.Draft{ShopID: shopID, Platform: platform, UserID: userID}
	var purpose, created string
	var editing int
	err := db.db.QueryRowContext(ctx, `SELECT customer_id, purpose, text, editing, created_at FROM drafts
		WHERE shop_id = ? AND platform = ? AND user_id = ?`, shopID, platform, userID).
		Scan(&d.CustomerID, &purpose, &d.Text, &editing, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("storage: draft: %w", crm.ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("storage: draft: %w", err)
	}
	d.Purpose, d.Editing = crm.Purpose(purpose), editing == 1
	if d.CreatedAt, err = parseTime(created); err != nil {
		return d, fmt.Errorf("storage: draft: %w", err)
	}
	return d, nil
}

// DeleteDraft removes a member's draft, if any.
func (db *DB) DeleteDraft(ctx context.Context, shopID int64, platform, userID string) error {
	if _, err := db.exec(ctx, `DELETE FROM drafts WHERE shop_id = ? AND platform = ? AND user_id = ?`,
		shopID, platform, userID); err != nil {
		return fmt.Errorf("storage: delete draft: %w", err)
	}
	return nil
}
