package storage

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// maxFound is the most customers FindCustomers returns.
const maxFound = 10

// customerColumns selects a customers row aliased c, with its aliases as a
// JSON array.
const customerColumns = `c.id, c.name, c.birthday, c.usual_weekday, c.usual_time, c.consent, c.created_at,
	(SELECT json_group_array(a.alias) FROM customer_aliases a
		WHERE a.shop_id = c.shop_id AND a.customer_id = c.id)`

func scanCustomer(row interface{ Scan(...any) error }, shopID int64) (crm.Customer, error) {
	c := crm.Customer{ShopID: shopID}
	var birthday, consent, created, aliases string
	var weekday int
	if err := row.Scan(&c.ID, &c.Name, &birthday, &weekday, &c.UsualTime, &consent, &created, &aliases); err != nil {
		return crm.Customer{}, err
	}
	var err error
	if birthday != "" {
		if c.Birthday, err = crm.ParseMonthDay(birthday); err != nil {
			return crm.Customer{}, err
		}
	}
	c.UsualWeekday = time.Weekday(weekday)
	c.Consent = crm.Consent(consent)
	if c.CreatedAt, err = parseTime(created); err != nil {
		return crm.Customer{}, err
	}
	if aliases != "[]" {
		if err := json.Unmarshal([]byte(aliases), &c.Aliases); err != nil {
			return crm.Customer{}, fmt.Errorf("aliases: %w", err)
		}
	}
	return c, nil
}

// Customer returns one of the shop's customers.
func (db *DB) Customer(ctx context.Context, shopID, id int64) (crm.Customer, error) {
	c, err := scanCustomer(db.db.QueryRowContext(ctx, `SELECT `+customerColumns+` FROM customers c
		WHERE c.shop_id = ? AND c.id = ?`, shopID, id), shopID)
	if errors.Is(err, sql.ErrNoRows) {
		return crm.Customer{}, fmt.Errorf("storage: customer %d: %w", id, crm.ErrNotFound)
	}
	if err != nil {
		return crm.Customer{}, fmt.Errorf("storage: customer %d: %w", id, err)
	}
	return c, nil
}

// FindCustomers returns up to 10 of the shop's customers that name may
// mean, best first: those whose full name is name, then those with name as
// an alias, then those for whom name is a given name (민지 for 김민지, Minji
// or Kim for Kim Minji); ties in the order the customers were added.
// Matching ignores surrounding space and ASCII case. An empty name finds
// no one. The names are looked up in the shop's names in memory, not
// searched for among its customers.
func (db *DB) FindCustomers(ctx context.Context, shopID int64, name string) ([]crm.Customer, error) {
	q := strings.Join(strings.Fields(name), " ")
	if q == "" {
		return nil, nil
	}
	names, err := db.names(ctx, shopID)
	if errors.Is(err, crm.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("storage: find customers: %w", err)
	}
	key := foldKey(q)
	refs := names.byKey[key]
	if len(refs) == 0 {
		return nil, nil
	}
	refs = refs[:min(len(refs), maxFound)]
	args := make([]any, 0, 1+len(refs))
	args = append(args, shopID)
	for _, r := range refs {
		args = append(args, r.id)
	}
	rows, err := db.db.QueryContext(ctx, `SELECT `+customerColumns+` FROM customers c
		WHERE c.shop_id = ? AND c.id IN (`+placeholders(len(refs))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("storage: find customers: %w", err)
	}
	defer rows.Close()
	type ranked struct {
		c    crm.Customer
		rank int
	}
	var found []ranked
	for rows.Next() {
		c, err := scanCustomer(rows, shopID)
		if err != nil {
			return nil, fmt.Errorf("storage: find customers: %w", err)
		}
		// Checked again: a name may have changed since it was read.
		if r := matchRank(c, key); r >= 0 {
			found = append(found, ranked{c, r})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: find customers: %w", err)
	}
	slices.SortFunc(found, func(a, b ranked) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		return cmp.Compare(a.c.ID, b.c.ID)
	})
	out := make([]crm.Customer, len(found))
	for i, f := range found {
		out[i] = f.c
	}
	return out, nil
}

// matchRank says how well key (folded) names c: 0 full name, 1 alias,
// 2 given name, -1 not at all.
func matchRank(c crm.Customer, key string) int {
	if foldKey(c.Name) == key {
		return 0
	}
	for _, a := range c.Aliases {
		if foldKey(a) == key {
			return 1
		}
	}
	for _, g := range givenNames(c.Name) {
		if foldKey(g) == key {
			return 2
		}
	}
	return -1
}

// Names returns the shop's customer names and aliases, and its item names
// and aliases, each list sorted and without case-insensitive duplicates.
// They come from the shop's names in memory (ShopNames) and are shared:
// callers must not modify them.
func (db *DB) Names(ctx context.Context, shopID int64) (customers, items []string, err error) {
	n, err := db.names(ctx, shopID)
	if errors.Is(err, crm.ErrNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("storage: names: %w", err)
	}
	return n.Customers, n.Items, nil
}

// Visits returns a customer's visits, newest first, with their line items
// in the order they were noted.
func (db *DB) Visits(ctx context.Context, shopID, customerID int64) ([]crm.Visit, error) {
	vs, err := db.visits(ctx, shopID, customerID)
	if err != nil {
		return nil, fmt.Errorf("storage: visits of customer %d: %w", customerID, err)
	}
	return vs, nil
}

func (db *DB) visits(ctx context.Context, shopID, customerID int64) ([]crm.Visit, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, coalesce(note_id, 0), date, amount, currency, note, context FROM visits
		WHERE shop_id = ? AND customer_id = ? ORDER BY date DESC, id DESC`, shopID, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.Visit
	byID := make(map[int64]int)
	for rows.Next() {
		v := crm.Visit{ShopID: shopID, CustomerID: customerID}
		var date, context string
		if err := rows.Scan(&v.ID, &v.NoteID, &date, &v.Amount, &v.Currency, &v.Note, &context); err != nil {
			return nil, err
		}
		if v.Date, err = crm.ParseDate(date); err != nil {
			return nil, err
		}
		if context != "[]" {
			if err := json.Unmarshal([]byte(context), &v.Context); err != nil {
				return nil, fmt.Errorf("visit %d context: %w", v.ID, err)
			}
		}
		byID[v.ID] = len(out)
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	lines, err := db.db.QueryContext(ctx, `SELECT vi.visit_id, vi.item_id, i.name, vi.qty
		FROM visits v
		JOIN visit_items vi ON vi.shop_id = v.shop_id AND vi.visit_id = v.id
		JOIN items i ON i.shop_id = vi.shop_id AND i.id = vi.item_id
		WHERE v.shop_id = ? AND v.customer_id = ?
		ORDER BY vi.rowid`, shopID, customerID)
	if err != nil {
		return nil, err
	}
	defer lines.Close()
	for lines.Next() {
		var visitID int64
		var li crm.LineItem
		if err := lines.Scan(&visitID, &li.ItemID, &li.Name, &li.Qty); err != nil {
			return nil, err
		}
		if i, ok := byID[visitID]; ok {
			out[i].Items = append(out[i].Items, li)
		}
	}
	return out, lines.Err()
}

// Facts returns what is noted about a customer, oldest first.
func (db *DB) Facts(ctx context.Context, shopID, customerID int64) ([]crm.Fact, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, coalesce(note_id, 0), kind, value, created_at FROM facts
		WHERE shop_id = ? AND customer_id = ? ORDER BY id`, shopID, customerID)
	if err != nil {
		return nil, fmt.Errorf("storage: facts of customer %d: %w", customerID, err)
	}
	defer rows.Close()
	var out []crm.Fact
	for rows.Next() {
		f := crm.Fact{CustomerID: customerID}
		var kind, created string
		if err := rows.Scan(&f.ID, &f.NoteID, &kind, &f.Value, &created); err != nil {
			return nil, fmt.Errorf("storage: facts of customer %d: %w", customerID, err)
		}
		f.Kind = crm.FactKind(kind)
		if f.CreatedAt, err = parseTime(created); err != nil {
			return nil, fmt.Errorf("storage: facts of customer %d: %w", customerID, err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: facts of customer %d: %w", customerID, err)
	}
	return out, nil
}

// ForgetCustomer erases a customer in one transaction: the customer, their
// aliases, visits and facts, and every note that had an effect on them
// (undone or not), since those texts name them. Catalog items stay. One
// erasures row records that an erasure happened, with no detail of whom.
// Deleted content is overwritten in the file, and the write-ahead log is
// then truncated so that no copy of the old pages remains; that last step
// is best effort and waits for concurrent readers to finish.
func (db *DB) ForgetCustomer(ctx context.Context, shopID, customerID int64, at time.Time) error {
	if err := db.EraseCustomer(ctx, shopID, customerID, "customer", at); err != nil {
		return fmt.Errorf("storage: forget customer %d: %w", customerID, err)
	}
	return nil
}
