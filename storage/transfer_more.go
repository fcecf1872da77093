package storage

// The parts of a whole-shop export beyond the catalog, customers, facts
// and visits: the lexicon, saved rules, announcements, bookings, the
// occasions rules fired for, and the digest's memory (the last digest
// pushed, who it last showed as lapsed, who was last greeted). ExportShop
// and RestoreShop (transfer.go) call these inside their snapshot and
// transaction.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// exportShopMore adds the shop-wide parts to data and returns the
// announcements' places by id, for the occasions of firings.
func exportShopMore(ctx context.Context, conn *sql.Conn, shopID int64, data *crm.ShopData) (map[int64]int, error) {
	var last string
	if err := conn.QueryRowContext(ctx, `SELECT coalesce(max(day), '') FROM digest_runs WHERE shop_id = ?`,
		shopID).Scan(&last); err != nil {
		return nil, err
	}
	if last != "" {
		d, ok := parseDay(last)
		if !ok {
			return nil, fmt.Errorf("digest run: bad day %q", last)
		}
		data.LastDigest = d
	}
	data.Lexicon = map[string]string{}
	if err := each(ctx, conn, `SELECT word, role FROM lexicon WHERE shop_id = ? ORDER BY word`, []any{shopID},
		func(r *sql.Rows) error {
			var w, role string
			if err := r.Scan(&w, &role); err != nil {
				return err
			}
			data.Lexicon[w] = role
			return nil
		}); err != nil {
		return nil, err
	}
	rs, err := rules(ctx, conn, `WHERE shop_id = ? AND state IN ('active', 'paused') ORDER BY id`, shopID)
	if err != nil {
		return nil, err
	}
	next := map[int64]time.Time{}
	if err := each(ctx, conn, `SELECT id, next_run FROM rules WHERE shop_id = ? AND next_run IS NOT NULL`, []any{shopID},
		func(r *sql.Rows) error {
			var id int64
			var at string
			if err := r.Scan(&id, &at); err != nil {
				return err
			}
			t, err := parseTime(at)
			next[id] = t
			return err
		}); err != nil {
		return nil, err
	}
	for _, r := range rs {
		data.Rules = append(data.Rules, crm.RuleData{Name: r.Name, Kind: r.Kind, State: r.State, Template: r.Template,
			Trigger: r.Trigger, Action: r.Action, SendAt: r.SendAt, Source: r.Source, NextRun: next[r.ID],
			CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt})
	}
	news := map[int64]int{}
	if err := each(ctx, conn, `SELECT id, text, day, created_at FROM announcements WHERE shop_id = ? ORDER BY id`, []any{shopID},
		func(r *sql.Rows) error {
			var id int64
			var a crm.AnnouncementData
			var day, at string
			if err := r.Scan(&id, &a.Text, &day, &at); err != nil {
				return err
			}
			var ok bool
			if a.Day, ok = parseDay(day); !ok {
				return fmt.Errorf("announcement %d: bad day %q", id, day)
			}
			var err error
			if a.CreatedAt, err = parseTime(at); err != nil {
				return err
			}
			data.Announcements = append(data.Announcements, a)
			news[id] = len(data.Announcements)
			return nil
		}); err != nil {
		return nil, err
	}
	return news, nil
}

// customerMore reads, customer by customer, their bookings and the
// occasions rules fired for.
type customerMore struct {
	bookings, firings *stream
	news              map[int64]int
}

type bookingRow struct {
	id int64
	b  crm.BookingData
}

type firingRow struct {
	f crm.FiringData
}

func newCustomerMore(ctx context.Context, conn *sql.Conn, shopID int64, news map[int64]int) (*customerMore, error) {
	bookings, err := newStream(ctx, conn, `SELECT customer_id, id, date, end_date, time, what, amount, currency, created_at
		FROM bookings WHERE shop_id = ? ORDER BY customer_id, id`, shopID, func(r *sql.Rows) (int64, any, error) {
		var cid int64
		var row bookingRow
		var date, end, at string
		if err := r.Scan(&cid, &row.id, &date, &end, &row.b.Time, &row.b.What, &row.b.Amount, &row.b.Currency, &at); err != nil {
			return 0, nil, err
		}
		var ok bool
		if row.b.Date, ok = parseDay(date); !ok {
			return 0, nil, fmt.Errorf("booking %d: bad date %q", row.id, date)
		}
		if end != "" {
			if row.b.End, ok = parseDay(end); !ok {
				return 0, nil, fmt.Errorf("booking %d: bad end date %q", row.id, end)
			}
		}
		var err error
		row.b.CreatedAt, err = parseTime(at)
		return cid, row, err
	})
	if err != nil {
		return nil, err
	}
	firings, err := newStream(ctx, conn, `SELECT f.customer_id, r.kind, f.occasion, f.day, f.action, f.text_hash, f.held_out,
			f.topic, coalesce(f.answered_at, '')
		FROM rule_firings f JOIN rules r ON r.shop_id = f.shop_id AND r.id = f.rule_id
		WHERE f.shop_id = ? AND r.state IN ('active', 'paused') ORDER BY f.customer_id, f.id`, shopID,
		func(r *sql.Rows) (int64, any, error) {
			var cid int64
			var row firingRow
			var day, action, answered string
			var held int
			if err := r.Scan(&cid, &row.f.Rule, &row.f.Occasion, &day, &action, &row.f.TextHash, &held, &row.f.Topic,
				&answered); err != nil {
				return 0, nil, err
			}
			var ok bool
			if row.f.Day, ok = parseDay(day); !ok {
				return 0, nil, fmt.Errorf("firing: bad day %q", day)
			}
			row.f.Action, row.f.HeldOut = crm.ActionKind(action), held == 1
			var err error
			row.f.AnsweredAt, err = parseTime(answered)
			return cid, row, err
		})
	if err != nil {
		bookings.close()
		return nil, err
	}
	return &customerMore{bookings: bookings, firings: firings, news: news}, nil
}

func (m *customerMore) close() {
	m.bookings.close()
	m.firings.close()
}

// take adds customer id's bookings and firings to c, naming the bookings
// and announcements of occasions by their places.
func (m *customerMore) take(id int64, c *crm.CustomerData) error {
	places := map[int64]int{}
	if err := m.bookings.take(id, func(v any) {
		row := v.(bookingRow)
		c.Bookings = append(c.Bookings, row.b)
		places[row.id] = len(c.Bookings)
	}); err != nil {
		return err
	}
	booking := func(id int64) (int, bool) { n, ok := places[id]; return n, ok }
	news := func(id int64) (int, bool) { n, ok := m.news[id]; return n, ok }
	return m.firings.take(id, func(v any) {
		f := v.(firingRow).f
		f.Occasion = crm.ExportOccasion(f.Occasion, booking, news)
		c.Fired = append(c.Fired, f)
	})
}

// restoreRefs names what the restored customers' firings refer to: rules
// by kind and announcements by place.
type restoreRefs struct {
	rules map[string]int64
	news  []int64
	now   string // the restore's time, for rows that need one and have none
}

// restoreShopMore restores the shop-wide parts of data into shop (as
// normalShop returned it).
func restoreShopMore(ctx context.Context, tx *sql.Tx, shop crm.Shop, shopID int64, data crm.ShopData, now string) (*restoreRefs, error) {
	refs := &restoreRefs{rules: map[string]int64{}, now: now}
	if !data.LastDigest.IsZero() {
		if err := restoreDigestRun(ctx, tx, shopID, data.LastDigest, now); err != nil {
			return nil, err
		}
	}
	for w, role := range data.Lexicon {
		word, err := cleanName("word", strings.ToLower(w))
		if err != nil {
			return nil, err
		}
		if !crm.ValidLexRole(role) {
			return nil, fmt.Errorf("word %q: role %q: %w", w, role, crm.ErrInvalidInput)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO lexicon (shop_id, word, role) VALUES (?, ?, ?)`, shopID, word, role); err != nil {
			return nil, fmt.Errorf("word %q: %w", w, constraint(err))
		}
	}
	for i, r := range data.Rules {
		id, err := restoreRule(ctx, tx, shop, shopID, r, refs, now)
		if err != nil {
			return nil, fmt.Errorf("rule %d (%q): %w", i+1, r.Name, err)
		}
		refs.rules[r.Kind] = id
	}
	for i, a := range data.Announcements {
		if strings.TrimSpace(a.Text) == "" || !validDate(a.Day) {
			return nil, fmt.Errorf("announcement %d: %w", i+1, crm.ErrInvalidInput)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO announcements (shop_id, text, day, created_at) VALUES (?, ?, ?, ?)`,
			shopID, a.Text, a.Day.String(), timeOr(a.CreatedAt, now))
		if err != nil {
			return nil, err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return nil, err
		}
		refs.news = append(refs.news, id)
	}
	return refs, nil
}

// restoreRule inserts one saved rule and returns its id. A rule without a
// kind gets one as SaveRule would give it.
func restoreRule(ctx context.Context, tx *sql.Tx, shop crm.Shop, shopID int64, r crm.RuleData, refs *restoreRefs, now string) (int64, error) {
	if strings.TrimSpace(r.Name) == "" || (r.State != crm.RuleActive && r.State != crm.RulePaused) {
		return 0, fmt.Errorf("name or state %q: %w", r.State, crm.ErrInvalidInput)
	}
	if r.SendAt != "" {
		var err error
		if r.SendAt, err = checkClock(r.SendAt); err != nil {
			return 0, err
		}
	}
	if r.Kind == "" {
		var err error
		if r.Kind, err = uniqueKind(ctx, tx, shopID, 0, crm.SourceRulePrefix+r.Name); err != nil {
			return 0, err
		}
	}
	if _, dup := refs.rules[r.Kind]; dup {
		return 0, fmt.Errorf("a second rule of kind %q: %w", r.Kind, crm.ErrInvalidInput)
	}
	trig, err := json.Marshal(r.Trigger)
	if err != nil {
		return 0, err
	}
	act, err := json.Marshal(r.Action)
	if err != nil {
		return 0, err
	}
	var next any
	if r.State == crm.RuleActive && r.SendAt != "" {
		at := r.NextRun
		if at.IsZero() {
			// As SaveRule set it when the rule was last saved.
			at, _ = crm.NextRun(r.SendAt, shop.Location(), r.UpdatedAt)
		}
		if !at.IsZero() {
			next = formatTime(at)
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO rules (shop_id, state, name, kind, template, trigger_spec, action_spec,
		send_at, source, next_run, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		shopID, string(r.State), r.Name, r.Kind, r.Template, string(trig), string(act), r.SendAt, r.Source, next,
		timeOr(r.CreatedAt, now), timeOr(r.UpdatedAt, now))
	if err != nil {
		return 0, constraint(err)
	}
	return res.LastInsertId()
}

// restoreCustomerMore restores customer id's bookings, firings and
// digest marks.
func restoreCustomerMore(ctx context.Context, tx *sql.Tx, shopID, id int64, c crm.CustomerData, refs *restoreRefs) error {
	var bookings []int64
	for i, b := range c.Bookings {
		if err := checkBooking(&b); err != nil {
			return fmt.Errorf("booking %d: %w", i+1, err)
		}
		end := ""
		if !b.End.IsZero() {
			end = b.End.String()
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO bookings (shop_id, customer_id, date, end_date, time, what, amount,
			currency, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, shopID, id, b.Date.String(), end, b.Time, b.What,
			b.Amount, b.Currency, timeOr(b.CreatedAt, refs.now))
		if err != nil {
			return fmt.Errorf("booking %d: %w", i+1, constraint(err))
		}
		bid, err := res.LastInsertId()
		if err != nil {
			return err
		}
		bookings = append(bookings, bid)
	}
	at := func(ids []int64) func(int) (int64, bool) {
		return func(n int) (int64, bool) {
			if n < 1 || n > len(ids) {
				return 0, false
			}
			return ids[n-1], true
		}
	}
	for i, f := range c.Fired {
		ruleID, ok := refs.rules[f.Rule]
		if !ok {
			return fmt.Errorf("firing %d: no rule of kind %q: %w", i+1, f.Rule, crm.ErrInvalidInput)
		}
		if (f.Action != crm.ActionMessage && f.Action != crm.ActionAsk) || !validDate(f.Day) {
			return fmt.Errorf("firing %d: action %q on %v: %w", i+1, f.Action, f.Day, crm.ErrInvalidInput)
		}
		occ, err := crm.ImportOccasion(f.Occasion, at(bookings), at(refs.news))
		if err != nil {
			return fmt.Errorf("firing %d: %w", i+1, err)
		}
		var answered any
		if !f.AnsweredAt.IsZero() {
			answered = formatTime(f.AnsweredAt)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO rule_firings (shop_id, rule_id, customer_id, occasion, day, action,
			text_hash, held_out, topic, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, shopID, ruleID, id, occ,
			f.Day.String(), string(f.Action), f.TextHash, boolInt(f.HeldOut), f.Topic, answered); err != nil {
			return fmt.Errorf("firing %d: %w", i+1, constraint(err))
		}
	}
	if !c.Greeted.IsZero() {
		if !validDate(c.Greeted) {
			return fmt.Errorf("greeted %v: %w", c.Greeted, crm.ErrInvalidInput)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO greetings (shop_id, customer_id, day) VALUES (?, ?, ?)`,
			shopID, id, c.Greeted.String()); err != nil {
			return err
		}
	}
	if !c.LapsedShown.IsZero() {
		if err := restoreDigestRun(ctx, tx, shopID, c.LapsedShown, refs.now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO digest_shown (shop_id, day, customer_id, codes) VALUES (?, ?, ?, ?)`,
			shopID, c.LapsedShown.String(), id, string(crm.ReasonLapsed)); err != nil {
			return err
		}
	}
	return nil
}

// checkBooking checks and cleans a restored booking as a note's is.
func checkBooking(b *crm.BookingData) error {
	if !validDate(b.Date) || (!b.End.IsZero() && (!validDate(b.End) || b.End.Before(b.Date))) || b.Amount < 0 {
		return fmt.Errorf("dates %v–%v, amount %d: %w", b.Date, b.End, b.Amount, crm.ErrInvalidInput)
	}
	var err error
	if b.Time != "" {
		if b.Time, err = checkClock(b.Time); err != nil {
			return err
		}
	}
	b.Currency, err = checkCurrency(b.Currency)
	return err
}

// restoreDigestRun records that the digest of day was pushed.
func restoreDigestRun(ctx context.Context, tx *sql.Tx, shopID int64, day crm.Date, now string) error {
	if !validDate(day) {
		return fmt.Errorf("digest day %v: %w", day, crm.ErrInvalidInput)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO digest_runs (shop_id, day, pushed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		shopID, day.String(), now)
	return err
}

// timeOr formats t, or returns now for a zero t.
func timeOr(t time.Time, now string) string {
	if t.IsZero() {
		return now
	}
	return formatTime(t)
}
