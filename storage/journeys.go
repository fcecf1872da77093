package storage

// Journeys: the owner's rules, the days they ran, what they fired, the
// owner's announcements and the day's forecast (crm.JourneyStore).

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

var _ crm.JourneyStore = (*DB)(nil)

const ruleColumns = `id, shop_id, state, name, kind, template, trigger_spec, action_spec, send_at, source, author, editing,
	replaces, created_at, updated_at`

func scanRule(row interface{ Scan(...any) error }) (crm.Rule, error) {
	var r crm.Rule
	var state, trig, act, created, updated string
	var editing int
	if err := row.Scan(&r.ID, &r.ShopID, &state, &r.Name, &r.Kind, &r.Template, &trig, &act, &r.SendAt, &r.Source,
		&r.Author, &editing, &r.Replaces, &created, &updated); err != nil {
		return r, err
	}
	r.State, r.Editing = crm.RuleState(state), editing == 1
	if err := json.Unmarshal([]byte(trig), &r.Trigger); err != nil {
		return r, fmt.Errorf("rule %d trigger: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(act), &r.Action); err != nil {
		return r, fmt.Errorf("rule %d action: %w", r.ID, err)
	}
	var err error
	if r.CreatedAt, err = parseTime(created); err != nil {
		return r, err
	}
	r.UpdatedAt, err = parseTime(updated)
	return r, err
}

func rules(ctx context.Context, q querier, where string, args ...any) ([]crm.Rule, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+ruleColumns+` FROM rules `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.Rule
	for rows.Next() {
		r, err := scanRule(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// nextRun is when an active rule with a send time runs next after at, in
// its shop's zone; NULL for any other.
func nextRun(ctx context.Context, q querier, r crm.Rule, at time.Time) (any, error) {
	if r.State != crm.RuleActive || r.SendAt == "" {
		return nil, nil
	}
	var tz string
	if err := q.QueryRowContext(ctx, `SELECT time_zone FROM shops WHERE id = ?`, r.ShopID).Scan(&tz); err != nil {
		return nil, fmt.Errorf("shop %d: %w", r.ShopID, errors.Join(crm.ErrNotFound, err))
	}
	loc := crm.Shop{TimeZone: tz}.Location()
	// From now on: a rule saved (or resumed) after its time today first
	// runs tomorrow. Only a run missed while Dangol was down runs late.
	start := at
	t, ok := crm.NextRun(r.SendAt, loc, start)
	if !ok {
		return nil, nil
	}
	return formatTime(t), nil
}

// SaveRule inserts or updates a rule. A draft replaces its author's
// earlier draft; a rule saved active for the first time gets its exposure
// kind, "rule:" and its name, made unique among the shop's rules.
func (db *DB) SaveRule(ctx context.Context, r crm.Rule, at time.Time) (crm.Rule, error) {
	if r.Name == "" || (r.State != crm.RuleDraft && r.State != crm.RuleActive && r.State != crm.RulePaused) {
		return r, fmt.Errorf("storage: save rule: %w", crm.ErrInvalidInput)
	}
	trig, err := json.Marshal(r.Trigger)
	if err != nil {
		return r, fmt.Errorf("storage: save rule: %w", err)
	}
	act, err := json.Marshal(r.Action)
	if err != nil {
		return r, fmt.Errorf("storage: save rule: %w", err)
	}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		if r.State != crm.RuleDraft && r.Kind == "" {
			if r.Kind, err = uniqueKind(ctx, tx, r.ShopID, r.ID, crm.SourceRulePrefix+r.Name); err != nil {
				return err
			}
		}
		next, err := nextRun(ctx, tx, r, at)
		if err != nil {
			return err
		}
		if r.State == crm.RuleDraft {
			if _, err := tx.ExecContext(ctx, `DELETE FROM rules WHERE shop_id = ? AND state = 'draft' AND author = ? AND id != ?`,
				r.ShopID, r.Author, r.ID); err != nil {
				return err
			}
		} else {
			r.Author, r.Editing, r.Replaces = "", false, 0
		}
		if r.ID == 0 {
			r.CreatedAt = at
			res, err := tx.ExecContext(ctx, `INSERT INTO rules (shop_id, state, name, kind, template, trigger_spec, action_spec,
				send_at, source, author, editing, replaces, next_run, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ShopID, string(r.State), r.Name, r.Kind, r.Template,
				string(trig), string(act), r.SendAt, r.Source, r.Author, boolInt(r.Editing), r.Replaces, next, formatTime(at),
				formatTime(at))
			if err != nil {
				return constraint(err)
			}
			r.ID, err = res.LastInsertId()
			r.UpdatedAt = at
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE rules SET state = ?, name = ?, kind = ?, template = ?, trigger_spec = ?,
			action_spec = ?, send_at = ?, source = ?, author = ?, editing = ?, replaces = ?, next_run = ?, updated_at = ?
			WHERE shop_id = ? AND id = ?`, string(r.State), r.Name, r.Kind, r.Template, string(trig), string(act), r.SendAt,
			r.Source, r.Author, boolInt(r.Editing), r.Replaces, next, formatTime(at), r.ShopID, r.ID)
		if err != nil {
			return constraint(err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, crm.ErrNotFound)
		}
		r.UpdatedAt = at
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("storage: save rule: %w", err)
	}
	return r, nil
}

// uniqueKind returns kind, or kind with " 2", " 3" … when another rule of
// the shop has it.
func uniqueKind(ctx context.Context, q querier, shopID, id int64, kind string) (string, error) {
	for n := 1; ; n++ {
		k := kind
		if n > 1 {
			k += " " + strconv.Itoa(n)
		}
		var taken bool
		if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM rules WHERE shop_id = ? AND kind = ? AND id != ?)`,
			shopID, k, id).Scan(&taken); err != nil {
			return "", err
		}
		if !taken {
			return k, nil
		}
	}
}

// Rule returns one rule of the shop.
func (db *DB) Rule(ctx context.Context, shopID, id int64) (crm.Rule, error) {
	r, err := scanRule(db.db.QueryRowContext(ctx, `SELECT `+ruleColumns+` FROM rules WHERE shop_id = ? AND id = ?`, shopID, id))
	if errors.Is(err, sql.ErrNoRows) {
		err = crm.ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("storage: rule %d: %w", id, err)
	}
	return r, nil
}

// Rules returns the shop's saved rules, oldest first.
func (db *DB) Rules(ctx context.Context, shopID int64) ([]crm.Rule, error) {
	rs, err := rules(ctx, db.db, `WHERE shop_id = ? AND state IN ('active', 'paused') ORDER BY id`, shopID)
	if err != nil {
		return nil, fmt.Errorf("storage: rules: %w", err)
	}
	return rs, nil
}

// RuleDraft returns the author's draft rule.
func (db *DB) RuleDraft(ctx context.Context, shopID int64, author string) (crm.Rule, error) {
	r, err := scanRule(db.db.QueryRowContext(ctx, `SELECT `+ruleColumns+` FROM rules
		WHERE shop_id = ? AND state = 'draft' AND author = ?`, shopID, author))
	if errors.Is(err, sql.ErrNoRows) {
		err = crm.ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("storage: rule draft: %w", err)
	}
	return r, nil
}

// DeleteRule deletes a rule, its runs and firings.
func (db *DB) DeleteRule(ctx context.Context, shopID, id int64) error {
	res, err := db.exec(ctx, `DELETE FROM rules WHERE shop_id = ? AND id = ?`, shopID, id)
	if err != nil {
		return fmt.Errorf("storage: delete rule: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("storage: delete rule %d: %w", id, errors.Join(err, crm.ErrNotFound))
	}
	return nil
}

// RescheduleRule sets when an active rule runs next, without running it
// (its shop's zone or send time moved).
func (db *DB) RescheduleRule(ctx context.Context, shopID, id int64, next time.Time) error {
	if _, err := db.exec(ctx, `UPDATE rules SET next_run = ? WHERE shop_id = ? AND id = ? AND state = 'active'`,
		formatTime(next), shopID, id); err != nil {
		return fmt.Errorf("storage: reschedule rule: %w", err)
	}
	return nil
}

// DueRules returns the active rules of every shop due at now, by shop and
// id: an index range, however many shops there are.
func (db *DB) DueRules(ctx context.Context, now time.Time) ([]crm.Rule, error) {
	rs, err := rules(ctx, db.db, `WHERE next_run IS NOT NULL AND next_run <= ? AND state = 'active' ORDER BY shop_id, id`,
		formatTime(now))
	if err != nil {
		return nil, fmt.Errorf("storage: due rules: %w", err)
	}
	return rs, nil
}

// StartRuleRun records that the rule runs for day and sets its next run,
// in one transaction; false when it ran for day before.
func (db *DB) StartRuleRun(ctx context.Context, shopID, ruleID int64, day crm.Date, next, at time.Time) (bool, error) {
	if !validDate(day) {
		return false, fmt.Errorf("storage: start rule run: %w", crm.ErrInvalidInput)
	}
	first := false
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO rule_runs (shop_id, rule_id, day, started_at) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, shopID, ruleID, day.String(), formatTime(at))
		if err != nil {
			return constraint(err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		first = n == 1
		var nx any
		if !next.IsZero() {
			nx = formatTime(next)
		}
		_, err = tx.ExecContext(ctx, `UPDATE rules SET next_run = ? WHERE shop_id = ? AND id = ? AND state = 'active'`,
			nx, shopID, ruleID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("storage: start rule run: %w", err)
	}
	return first, nil
}

const firingColumns = `id, shop_id, rule_id, customer_id, occasion, day, action, text_hash, coalesce(outbox_id, 0), held_out,
	topic, coalesce(answered_at, '')`

func scanFiring(row interface{ Scan(...any) error }) (crm.RuleFiring, error) {
	var f crm.RuleFiring
	var day, action, answered string
	var held int
	if err := row.Scan(&f.ID, &f.ShopID, &f.RuleID, &f.CustomerID, &f.Occasion, &day, &action, &f.TextHash, &f.OutboxID,
		&held, &f.Topic, &answered); err != nil {
		return f, err
	}
	f.Action, f.HeldOut = crm.ActionKind(action), held == 1
	var ok bool
	if f.Day, ok = parseDay(day); !ok {
		return f, fmt.Errorf("firing %d: day %q", f.ID, day)
	}
	var err error
	f.AnsweredAt, err = parseTime(answered)
	return f, err
}

func firings(ctx context.Context, q querier, where string, args ...any) ([]crm.RuleFiring, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+firingColumns+` FROM rule_firings `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.RuleFiring
	for rows.Next() {
		f, err := scanFiring(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// RuleFirings returns the shop's firings on from or later.
func (db *DB) RuleFirings(ctx context.Context, shopID int64, from crm.Date) ([]crm.RuleFiring, error) {
	fs, err := firings(ctx, db.db, `WHERE shop_id = ? AND day >= ? ORDER BY id`, shopID, from.String())
	if err != nil {
		return nil, fmt.Errorf("storage: rule firings: %w", err)
	}
	return fs, nil
}

// FiredOccasions returns one rule's firings for the given customers.
func (db *DB) FiredOccasions(ctx context.Context, shopID, ruleID int64, customerIDs []int64) ([]crm.RuleFiring, error) {
	if len(customerIDs) == 0 {
		return nil, nil
	}
	ids, err := json.Marshal(customerIDs)
	if err != nil {
		return nil, fmt.Errorf("storage: fired occasions: %w", err)
	}
	fs, err := firings(ctx, db.db, `WHERE shop_id = ? AND rule_id = ? AND customer_id IN (SELECT value FROM json_each(?))`,
		shopID, ruleID, string(ids))
	if err != nil {
		return nil, fmt.Errorf("storage: fired occasions: %w", err)
	}
	return fs, nil
}

// insertFiring records a rule's firing for a message just queued (id) or
// held out (0), inside the transaction that did so.
func insertFiring(ctx context.Context, tx *sql.Tx, f *crm.RuleFiring, outboxID int64, heldOut bool) error {
	var ob any
	if outboxID != 0 {
		ob = outboxID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO rule_firings (shop_id, rule_id, customer_id, occasion, day, action, text_hash,
		outbox_id, held_out, topic) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, f.ShopID, f.RuleID, f.CustomerID, f.Occasion,
		f.Day.String(), string(f.Action), f.TextHash, ob, boolInt(heldOut), f.Topic)
	if isUnique(err) {
		return fmt.Errorf("rule %d fired for customer %d on %s: %w", f.RuleID, f.CustomerID, f.Occasion, crm.ErrAlreadyDone)
	}
	if err != nil {
		return constraint(err)
	}
	f.OutboxID, f.HeldOut = outboxID, heldOut
	return nil
}

// AddAnnouncement keeps an announcement.
func (db *DB) AddAnnouncement(ctx context.Context, a crm.Announcement) (crm.Announcement, error) {
	if strings.TrimSpace(a.Text) == "" || !validDate(a.Day) {
		return a, fmt.Errorf("storage: add announcement: %w", crm.ErrInvalidInput)
	}
	res, err := db.exec(ctx, `INSERT INTO announcements (shop_id, text, day, created_at) VALUES (?, ?, ?, ?)`,
		a.ShopID, a.Text, a.Day.String(), formatTime(a.CreatedAt))
	if err == nil {
		a.ID, err = res.LastInsertId()
	}
	if err != nil {
		return a, fmt.Errorf("storage: add announcement: %w", constraint(err))
	}
	return a, nil
}

// Announcements returns the shop's announcements posted on from or later.
func (db *DB) Announcements(ctx context.Context, shopID int64, from crm.Date) ([]crm.Announcement, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, text, day, created_at FROM announcements WHERE shop_id = ? AND day >= ?
		ORDER BY id`, shopID, from.String())
	if err != nil {
		return nil, fmt.Errorf("storage: announcements: %w", err)
	}
	defer rows.Close()
	var out []crm.Announcement
	for rows.Next() {
		a := crm.Announcement{ShopID: shopID}
		var day, created string
		if err := rows.Scan(&a.ID, &a.Text, &day, &created); err != nil {
			return nil, fmt.Errorf("storage: announcements: %w", err)
		}
		a.Day, _ = parseDay(day)
		if a.CreatedAt, err = parseTime(created); err != nil {
			return nil, fmt.Errorf("storage: announcements: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: announcements: %w", err)
	}
	return out, nil
}

// OpenQuestion returns the customer's latest unanswered question from a
// rule, delivered within crm.QuestionOpenDays before now.
func (db *DB) OpenQuestion(ctx context.Context, shopID, customerID int64, now time.Time) (crm.RuleFiring, error) {
	f, err := scanFiring(db.db.QueryRowContext(ctx, `SELECT f.id, f.shop_id, f.rule_id, f.customer_id, f.occasion, f.day, f.action, f.text_hash,
		coalesce(f.outbox_id, 0), f.held_out, f.topic, coalesce(f.answered_at, '') FROM rule_firings f
		JOIN outbox o ON o.id = f.outbox_id
		WHERE f.shop_id = ? AND f.customer_id = ? AND f.action = 'ask' AND f.answered_at IS NULL
			AND o.status = 'sent' AND o.sent_at > ? AND o.sent_at <= ?
		ORDER BY o.sent_at DESC, f.id DESC LIMIT 1`, shopID, customerID,
		formatTime(now.Add(-crm.QuestionOpenDays*24*time.Hour)), formatTime(now)))
	if errors.Is(err, sql.ErrNoRows) {
		err = crm.ErrNotFound
	}
	if err != nil {
		return f, fmt.Errorf("storage: open question: %w", err)
	}
	return f, nil
}

// AnswerQuestion keeps an answer as a note fact of the customer and closes
// the question, in one transaction.
func (db *DB) AnswerQuestion(ctx context.Context, shopID, firingID int64, value string, at time.Time) (crm.Fact, error) {
	var fact crm.Fact
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var customerID int64
		err := tx.QueryRowContext(ctx, `UPDATE rule_firings SET answered_at = ? WHERE shop_id = ? AND id = ?
			AND action = 'ask' AND answered_at IS NULL RETURNING customer_id`, formatTime(at), shopID, firingID).Scan(&customerID)
		if errors.Is(err, sql.ErrNoRows) {
			return crm.ErrAlreadyDone
		}
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO facts (shop_id, customer_id, note_id, kind, value, created_at)
			VALUES (?, ?, NULL, ?, ?, ?)`, shopID, customerID, string(crm.FactNote), value, formatTime(at))
		if err != nil {
			return constraint(err)
		}
		fact = crm.Fact{CustomerID: customerID, Kind: crm.FactNote, Value: value, CreatedAt: at}
		fact.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return fact, fmt.Errorf("storage: answer question: %w", err)
	}
	return fact, nil
}

// WeatherDay returns the forecast kept for the shop's day.
func (db *DB) WeatherDay(ctx context.Context, shopID int64, day crm.Date) (crm.WeatherDay, bool, error) {
	w := crm.WeatherDay{ShopID: shopID, Day: day}
	var failed int
	var fetched string
	err := db.db.QueryRowContext(ctx, `SELECT rain, failed, fetched_at FROM weather_days WHERE shop_id = ? AND day = ?`,
		shopID, day.String()).Scan(&w.Rain, &failed, &fetched)
	if errors.Is(err, sql.ErrNoRows) {
		return w, false, nil
	}
	if err == nil {
		w.Failed = failed == 1
		w.FetchedAt, err = parseTime(fetched)
	}
	if err != nil {
		return w, false, fmt.Errorf("storage: weather day: %w", err)
	}
	return w, true, nil
}

// SetWeatherDay keeps a day's forecast (or its failure), replacing one
// kept before.
func (db *DB) SetWeatherDay(ctx context.Context, w crm.WeatherDay) error {
	if !validDate(w.Day) || w.Rain < 0 || w.Rain > 100 {
		return fmt.Errorf("storage: set weather day: %w", crm.ErrInvalidInput)
	}
	_, err := db.exec(ctx, `INSERT INTO weather_days (shop_id, day, rain, failed, fetched_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT DO UPDATE SET rain = excluded.rain, failed = excluded.failed, fetched_at = excluded.fetched_at`,
		w.ShopID, w.Day.String(), w.Rain, boolInt(w.Failed), formatTime(w.FetchedAt))
	if err != nil {
		return fmt.Errorf("storage: set weather day: %w", constraint(err))
	}
	return nil
}

// UsualTimes returns the usual times of day of the shop's customers who
// have one.
func (db *DB) UsualTimes(ctx context.Context, shopID int64) (map[int64]string, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, usual_time FROM customers WHERE shop_id = ? AND usual_time != ''`, shopID)
	if err != nil {
		return nil, fmt.Errorf("storage: usual times: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var t string
		if err := rows.Scan(&id, &t); err != nil {
			return nil, fmt.Errorf("storage: usual times: %w", err)
		}
		out[id] = t
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: usual times: %w", err)
	}
	return out, nil
}

// Reaches returns the link, consent and recent deliveries of every
// customer of the shop who joined by chat, in three queries.
func (db *DB) Reaches(ctx context.Context, shopID int64, now time.Time) (map[int64]crm.Reach, error) {
	out := map[int64]crm.Reach{}
	ls, err := links(ctx, db.db, `WHERE shop_id = ?`, shopID)
	if err != nil {
		return nil, fmt.Errorf("storage: reaches: %w", err)
	}
	for _, l := range ls {
		out[l.CustomerID] = crm.Reach{Linked: true, Status: l.Status, Lang: l.Lang, Quiet: l.Quiet, Consent: crm.ConsentState{}}
	}
	rows, err := db.db.QueryContext(ctx, `SELECT id, customer_id, purpose, granted, at, channel, notice FROM consent_ledger
		WHERE shop_id = ? ORDER BY id`, shopID)
	if err != nil {
		return nil, fmt.Errorf("storage: reaches: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		ev := crm.ConsentEvent{ShopID: shopID}
		var purpose, at string
		var granted int
		if err := rows.Scan(&ev.ID, &ev.CustomerID, &purpose, &granted, &at, &ev.Channel, &ev.Notice); err != nil {
			return nil, fmt.Errorf("storage: reaches: %w", err)
		}
		r, ok := out[ev.CustomerID]
		if !ok {
			continue
		}
		ev.Purpose, ev.Granted = crm.Purpose(purpose), granted == 1
		if ev.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("storage: reaches: %w", err)
		}
		r.Consent[ev.Purpose] = ev // by ledger order: the latest wins
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: reaches: %w", err)
	}
	drows, err := db.db.QueryContext(ctx, `SELECT customer_id, coalesce(sent_at, due_at) FROM outbox
		WHERE shop_id = ? AND recipient = 'customer' AND purpose IN ('reminders', 'offers', 'birthday')
			AND status IN ('queued', 'sending', 'sent') AND coalesce(sent_at, due_at) > ?`,
		shopID, formatTime(now.AddDate(0, 0, -91)))
	if err != nil {
		return nil, fmt.Errorf("storage: reaches: %w", err)
	}
	defer drows.Close()
	for drows.Next() {
		var id int64
		var s string
		if err := drows.Scan(&id, &s); err != nil {
			return nil, fmt.Errorf("storage: reaches: %w", err)
		}
		r, ok := out[id]
		if !ok {
			continue
		}
		t, err := parseTime(s)
		if err != nil {
			return nil, fmt.Errorf("storage: reaches: %w", err)
		}
		r.Deliveries = append(r.Deliveries, t)
		out[id] = r
	}
	if err := drows.Err(); err != nil {
		return nil, fmt.Errorf("storage: reaches: %w", err)
	}
	return out, nil
}
