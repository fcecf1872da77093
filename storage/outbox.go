package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dangol/dangol/crm"
)

// settingIn reads a shop setting inside a transaction ("" when unset).
func settingIn(ctx context.Context, q querier, shopID int64, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM shop_settings WHERE shop_id = ? AND key = ?`, shopID, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// outboxRequest gathers, inside tx, what the outbox rules need about one
// customer at now. linked is false when the customer never joined by chat.
func outboxRequest(ctx context.Context, tx *sql.Tx, shopID, customerID int64, p crm.Purpose, now time.Time) (crm.OutboxRequest, crm.CustomerLink, error) {
	r := crm.OutboxRequest{Now: now, Purpose: p}
	var tz string
	if err := tx.QueryRowContext(ctx, `SELECT time_zone FROM shops WHERE id = ?`, shopID).Scan(&tz); err != nil {
		return r, crm.CustomerLink{}, errors.Join(crm.ErrNotFound, err)
	}
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE shop_id = ? AND id = ?`, shopID, customerID).Scan(&exists); err != nil {
		return r, crm.CustomerLink{}, err
	}
	if exists == 0 {
		return r, crm.CustomerLink{}, fmt.Errorf("customer %d: %w", customerID, crm.ErrNotFound)
	}
	link, err := customerLink(ctx, tx, shopID, customerID)
	switch {
	case errors.Is(err, crm.ErrNotFound):
	case err != nil:
		return r, link, err
	default:
		r.Linked, r.Status, r.Lang, r.LastInbound = true, link.Status, link.Lang, link.LastInbound
	}
	evs, err := consentEvents(ctx, tx, shopID, customerID)
	if err != nil {
		return r, link, err
	}
	r.Consent = crm.ConsentAt(evs, now)
	capSetting, err := settingIn(ctx, tx, shopID, crm.SettingOutboxCap)
	if err != nil {
		return r, link, err
	}
	quiet, err := settingIn(ctx, tx, shopID, crm.SettingQuietHours)
	if err != nil {
		return r, link, err
	}
	r.Policy = crm.PolicyFromSettings(capSetting, quiet, link.Quiet, crm.Shop{TimeZone: tz}.Location())
	// Deliveries that may count toward the cap: sent, or still on their
	// way, within the longest window a shop can set.
	rows, err := tx.QueryContext(ctx, `SELECT coalesce(sent_at, due_at) FROM outbox
		WHERE shop_id = ? AND customer_id = ? AND recipient = 'customer' AND purpose IN ('reminders', 'offers', 'birthday')
			AND status IN ('queued', 'sending', 'sent') AND coalesce(sent_at, due_at) > ?`,
		shopID, customerID, formatTime(now.AddDate(0, 0, -91)))
	if err != nil {
		return r, link, err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return r, link, err
		}
		t, err := parseTime(s)
		if err != nil {
			return r, link, err
		}
		r.Deliveries = append(r.Deliveries, t)
	}
	return r, link, rows.Err()
}

// QueueMessage decides a message to a customer by crm.DecideOutbox, with
// everything the rules look at read in the transaction that writes the
// outcome: a queued message (due now, or when the quiet hours end) or a
// blocked one, kept without its text. The notices are written in the same
// transaction.
func (db *DB) QueueMessage(ctx context.Context, in crm.OutboxInput, notices ...crm.Notice) (crm.OutboxMessage, crm.Decision, error) {
	if !crm.IsConsentPurpose(in.Purpose) && in.Purpose != crm.PurposeReply && in.Purpose != crm.PurposeConsent {
		return crm.OutboxMessage{}, crm.Decision{}, fmt.Errorf("storage: queue message: purpose %q: %w", in.Purpose, crm.ErrInvalidInput)
	}
	if in.Firing != nil {
		f := *in.Firing
		f.ShopID, f.CustomerID = in.ShopID, in.CustomerID
		in.Firing = &f
	}
	var m crm.OutboxMessage
	var d crm.Decision
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		r, link, err := outboxRequest(ctx, tx, in.ShopID, in.CustomerID, in.Purpose, in.At)
		if err != nil {
			return err
		}
		r.Text, r.StopLine, r.SkipQuiet = in.Text, in.StopLines[r.Lang], in.SkipQuiet
		d = crm.DecideOutbox(r)
		if d.Verdict != crm.VerdictBlock && in.Holdout != nil && in.Holdout.HeldOut {
			return holdOut(ctx, tx, in, &d)
		}
		m = crm.OutboxMessage{ShopID: in.ShopID, CustomerID: in.CustomerID, To: crm.ToCustomer,
			Platform: link.Platform, UserID: link.UserID, Purpose: in.Purpose, Text: d.Text, Buttons: in.Buttons,
			Status: crm.OutboxQueued, RequestedBy: in.RequestedBy, CreatedAt: in.At, DueAt: d.DueAt}
		if d.Verdict == crm.VerdictBlock {
			m.Status, m.Reason, m.Text, m.Buttons, m.DueAt = crm.OutboxBlocked, d.Reason, "", nil, in.At
			if !r.Linked {
				m.Platform, m.UserID = "-", "-"
			}
		}
		if m.ID, err = insertOutbox(ctx, tx, m); err != nil {
			return err
		}
		if err := setOutboxSource(ctx, tx, m.ID, in.Source, in.Holdout); err != nil {
			return err
		}
		if in.Firing != nil && d.Verdict != crm.VerdictBlock {
			if err := insertFiring(ctx, tx, in.Firing, m.ID, false); err != nil {
				return err
			}
		}
		if in.AskRenewal && r.Linked {
			if _, err := tx.ExecContext(ctx, `UPDATE customer_links SET renewal_asked = ? WHERE shop_id = ? AND customer_id = ?`,
				formatTime(in.At), in.ShopID, in.CustomerID); err != nil {
				return err
			}
		}
		for _, n := range notices {
			if _, err := insertOutbox(ctx, tx, noticeMessage(n)); err != nil {
				return err
			}
		}
		if in.Cursor != nil {
			return setCursor(ctx, tx, *in.Cursor, crm.Note{})
		}
		return nil
	})
	if err != nil {
		return crm.OutboxMessage{}, crm.Decision{}, fmt.Errorf("storage: queue message: %w", err)
	}
	return m, d, nil
}

func noticeMessage(n crm.Notice) crm.OutboxMessage {
	return crm.OutboxMessage{ShopID: n.ShopID, CustomerID: n.CustomerID, To: crm.ToMember, Platform: n.Platform,
		UserID: n.UserID, Text: n.Text, Buttons: n.Buttons, Status: crm.OutboxQueued, CreatedAt: n.At, DueAt: n.At}
}

func insertOutbox(ctx context.Context, tx *sql.Tx, m crm.OutboxMessage) (int64, error) {
	buttons := []byte("[]")
	if len(m.Buttons) > 0 {
		var err error
		if buttons, err = json.Marshal(m.Buttons); err != nil {
			return 0, err
		}
	}
	var customer any
	if m.CustomerID != 0 {
		customer = m.CustomerID
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO outbox (shop_id, customer_id, recipient, platform, user_id, purpose, text,
		buttons, status, reason, requested_by, created_at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ShopID, customer, m.To, m.Platform, m.UserID, string(m.Purpose), m.Text, string(buttons), string(m.Status),
		string(m.Reason), m.RequestedBy, formatTime(m.CreatedAt), formatTime(m.DueAt))
	if err != nil {
		return 0, fmt.Errorf("insert outbox: %w", constraint(err))
	}
	return res.LastInsertId()
}

// QueueNotices writes notices to members, due at once, in one
// transaction.
func (db *DB) QueueNotices(ctx context.Context, notices ...crm.Notice) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		for _, n := range notices {
			if _, err := insertOutbox(ctx, tx, noticeMessage(n)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("storage: queue notices: %w", err)
	}
	return nil
}

const outboxColumns = `id, shop_id, coalesce(customer_id, 0), recipient, platform, user_id, purpose, text, buttons,
	status, reason, requested_by, attempts, created_at, due_at, coalesce(claimed_at, ''), coalesce(sent_at, '')`

func scanOutbox(row interface{ Scan(...any) error }) (crm.OutboxMessage, error) {
	var m crm.OutboxMessage
	var purpose, buttons, status, reason, created, due, claimed, sent string
	if err := row.Scan(&m.ID, &m.ShopID, &m.CustomerID, &m.To, &m.Platform, &m.UserID, &purpose, &m.Text, &buttons,
		&status, &reason, &m.RequestedBy, &m.Attempts, &created, &due, &claimed, &sent); err != nil {
		return m, err
	}
	m.Purpose, m.Status, m.Reason = crm.Purpose(purpose), crm.OutboxStatus(status), crm.BlockReason(reason)
	if buttons != "[]" {
		if err := json.Unmarshal([]byte(buttons), &m.Buttons); err != nil {
			return m, fmt.Errorf("outbox %d buttons: %w", m.ID, err)
		}
	}
	var err error
	for _, f := range []struct {
		s string
		t *time.Time
	}{{created, &m.CreatedAt}, {due, &m.DueAt}, {claimed, &m.ClaimedAt}, {sent, &m.SentAt}} {
		if *f.t, err = parseTime(f.s); err != nil {
			return m, err
		}
	}
	return m, nil
}

// ClaimOutbox takes the next message due at now, in one transaction. A
// message to a customer is checked against the rules again first (consent,
// reachability and quiet hours as of now; the cap was applied when it was
// queued): one that may no longer go is cancelled and returned as
// cancelled, one that falls in quiet hours is moved to their end. A
// message left sending by a process that died (claimed before
// staleBefore) is claimed again: delivery is at least once for that
// window.
func (db *DB) ClaimOutbox(ctx context.Context, now, staleBefore time.Time) (crm.OutboxMessage, bool, *crm.OutboxMessage, error) {
	var m crm.OutboxMessage
	var claimed bool
	var cancelled *crm.OutboxMessage
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		for {
			var err error
			m, err = scanOutbox(tx.QueryRowContext(ctx, `SELECT `+outboxColumns+` FROM outbox
				WHERE (status = 'queued' AND due_at <= ?1) OR (status = 'sending' AND claimed_at < ?2)
				ORDER BY due_at, id LIMIT 1`, formatTime(now), formatTime(staleBefore)))
			if errors.Is(err, sql.ErrNoRows) {
				return nil
			}
			if err != nil {
				return err
			}
			if m.To == crm.ToCustomer {
				r, link, err := outboxRequest(ctx, tx, m.ShopID, m.CustomerID, m.Purpose, now)
				if err != nil {
					return err
				}
				r.AtDelivery, r.Text = true, m.Text
				if r.Linked && (link.Platform != m.Platform || link.UserID != m.UserID) {
					r.Linked = false
				}
				switch d := crm.DecideOutbox(r); d.Verdict {
				case crm.VerdictBlock:
					if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'cancelled', reason = ? WHERE id = ?`,
						string(d.Reason), m.ID); err != nil {
						return err
					}
					m.Status, m.Reason = crm.OutboxCancelled, d.Reason
					cancelled = &m
					return nil
				case crm.VerdictHold:
					if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'queued', due_at = ? WHERE id = ?`,
						formatTime(d.DueAt), m.ID); err != nil {
						return err
					}
					continue
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'sending', claimed_at = ?, attempts = attempts + 1
				WHERE id = ?`, formatTime(now), m.ID); err != nil {
				return err
			}
			m.Status, m.ClaimedAt = crm.OutboxSending, now
			m.Attempts++
			claimed = true
			return nil
		}
	})
	if err != nil {
		return crm.OutboxMessage{}, false, nil, fmt.Errorf("storage: claim outbox: %w", err)
	}
	return m, claimed, cancelled, nil
}

// finish moves a message that is sending on.
func (db *DB) finish(ctx context.Context, what string, query string, args ...any) error {
	res, err := db.exec(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("storage: %s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("storage: %s: %w", what, err)
	} else if n == 0 {
		return fmt.Errorf("storage: %s: not sending: %w", what, crm.ErrNotFound)
	}
	return nil
}

// MarkSent records that a claimed message was delivered, and a message
// with a source as an exposure of that kind on the shop-local day it went,
// in the same transaction.
func (db *DB) MarkSent(ctx context.Context, id int64, at time.Time) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var e crm.Exposure
		var recipient, purpose string
		var draw sql.NullFloat64
		err := tx.QueryRowContext(ctx, `UPDATE outbox SET status = 'sent', sent_at = ? WHERE id = ? AND status = 'sending'
			RETURNING shop_id, coalesce(customer_id, 0), recipient, purpose, source, draw`, formatTime(at), id).
			Scan(&e.ShopID, &e.CustomerID, &recipient, &purpose, &e.Kind, &draw)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("not sending: %w", crm.ErrNotFound)
		}
		if err != nil || recipient != crm.ToCustomer || e.Kind == "" || e.CustomerID == 0 {
			return err
		}
		if e.Day, err = shopDay(ctx, tx, e.ShopID, at); err != nil {
			return err
		}
		e.Track, e.Purpose, e.Draw = crm.TrackMessage, crm.Purpose(purpose), -1
		if draw.Valid {
			e.Draw = draw.Float64
		}
		return insertExposure(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("storage: mark sent: %w", err)
	}
	return nil
}

// holdOut records, instead of queueing it, an automated message the
// holdout kept back: a held-out exposure of its kind on the shop-local day.
func holdOut(ctx context.Context, tx *sql.Tx, in crm.OutboxInput, d *crm.Decision) error {
	day, err := shopDay(ctx, tx, in.ShopID, in.At)
	if err != nil {
		return err
	}
	d.Verdict, d.Text = crm.VerdictHeldOut, ""
	if err := insertExposure(ctx, tx, crm.Exposure{ShopID: in.ShopID, CustomerID: in.CustomerID, Day: day,
		Track: crm.TrackMessage, Kind: in.Source, Purpose: in.Purpose, HeldOut: true, Draw: in.Holdout.Draw}); err != nil {
		return err
	}
	if in.Firing != nil {
		if err := insertFiring(ctx, tx, in.Firing, 0, true); err != nil {
			return err
		}
	}
	if in.Cursor != nil {
		return setCursor(ctx, tx, *in.Cursor, crm.Note{})
	}
	return nil
}

// MarkRetry puts a claimed message back in the queue, due at retryAt.
func (db *DB) MarkRetry(ctx context.Context, id int64, retryAt time.Time) error {
	return db.finish(ctx, "mark retry", `UPDATE outbox SET status = 'queued', due_at = ? WHERE id = ? AND status = 'sending'`,
		formatTime(retryAt), id)
}

// MarkFailed gives up on a claimed message; unreachable also marks the
// customer's link unreachable, in the same transaction.
func (db *DB) MarkFailed(ctx context.Context, id int64, unreachable bool, at time.Time) error {
	reason := crm.BlockFailed
	if unreachable {
		reason = crm.BlockUnreachable
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var shopID, customerID int64
		var recipient string
		err := tx.QueryRowContext(ctx, `UPDATE outbox SET status = 'failed', reason = ?, sent_at = NULL
			WHERE id = ? AND status = 'sending' RETURNING shop_id, coalesce(customer_id, 0), recipient`, string(reason), id).
			Scan(&shopID, &customerID, &recipient)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("not sending: %w", crm.ErrNotFound)
		}
		if err != nil || !unreachable || recipient != crm.ToCustomer {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE customer_links SET status = 'unreachable' WHERE shop_id = ? AND customer_id = ?`,
			shopID, customerID)
		return err
	})
	if err != nil {
		return fmt.Errorf("storage: mark failed: %w", err)
	}
	return nil
}

// OutboxFor returns the messages to a customer and the notices about them,
// oldest first.
func (db *DB) OutboxFor(ctx context.Context, shopID, customerID int64) ([]crm.OutboxMessage, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE shop_id = ? AND customer_id = ? ORDER BY id`,
		shopID, customerID)
	if err != nil {
		return nil, fmt.Errorf("storage: outbox: %w", err)
	}
	defer rows.Close()
	var out []crm.OutboxMessage
	for rows.Next() {
		m, err := scanOutbox(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: outbox: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: outbox: %w", err)
	}
	return out, nil
}

// NextDue returns when the next queued message falls due; zero when none
// waits.
func (db *DB) NextDue(ctx context.Context) (time.Time, error) {
	var s sql.NullString
	if err := db.db.QueryRowContext(ctx, `SELECT min(due_at) FROM outbox WHERE status = 'queued'`).Scan(&s); err != nil {
		return time.Time{}, fmt.Errorf("storage: next due: %w", err)
	}
	t, err := parseTime(s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("storage: next due: %w", err)
	}
	return t, nil
}
