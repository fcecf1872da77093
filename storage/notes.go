package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dangol/dangol/crm"
)

// noteInput is a crm.NoteInput that has been checked and cleaned.
type noteInput struct {
	crm.NoteInput
	at      string
	changes []changeInput // Change, then More
}

// changeInput is one customer's checked change.
type changeInput struct {
	crm.Change
	items   []crm.ItemQty // visit items with clean names
	context string        // visit context as a JSON array
}

// maxWhat is the longest booking description kept, in runes.
const maxWhat = 200

// checkNote validates in before anything is written and cleans its names.
func checkNote(in crm.NoteInput) (noteInput, error) {
	p := noteInput{NoteInput: in, at: formatTime(in.At)}
	if in.ShopID <= 0 || in.Platform == "" || in.AuthorID == "" {
		return p, fmt.Errorf("missing shop, platform or author: %w", crm.ErrInvalidInput)
	}
	if in.Cursor != nil && in.Cursor.Name == "" {
		return p, fmt.Errorf("cursor without a name: %w", crm.ErrInvalidInput)
	}
	all := append([]crm.Change{in.Change}, in.More...)
	for i, c := range all {
		ci, err := checkChange(c, i > 0)
		if err != nil {
			if len(all) > 1 {
				return p, fmt.Errorf("change %d: %w", i, err)
			}
			return p, err
		}
		p.changes = append(p.changes, ci)
	}
	return p, nil
}

// checkChange validates one customer's change; more says it is one of a
// note's further changes, which must name a customer.
func checkChange(ch crm.Change, more bool) (changeInput, error) {
	p := changeInput{Change: ch}
	c := &p.Change
	if c.CustomerID < 0 {
		return p, fmt.Errorf("customer id %d: %w", c.CustomerID, crm.ErrInvalidInput)
	}
	var err error
	if c.CustomerID == 0 && c.NewName != "" {
		if c.NewName, err = cleanName("customer name", c.NewName); err != nil {
			return p, err
		}
	}
	noCustomer := c.CustomerID == 0 && c.NewName == ""
	if noCustomer && (c.IsEmpty() || more) {
		return p, fmt.Errorf("empty change and no customer: %w", crm.ErrInvalidInput)
	}
	if c.CustomerID != 0 && c.IsEmpty() {
		return p, fmt.Errorf("empty change: %w", crm.ErrInvalidInput)
	}
	// Only an item alias or a word can be noted without a customer.
	if noCustomer && (c.Visit != nil || len(c.Facts) > 0 || !c.Birthday.IsZero() ||
		c.UsualWeekday != crm.NoWeekday || c.UsualTime != "" || c.Rename != "" ||
		len(c.RemoveFacts) > 0 || c.Booking != nil || c.Correct != nil) {
		return p, fmt.Errorf("change about no customer: %w", crm.ErrInvalidInput)
	}
	if v := c.Visit; v != nil {
		if err := checkDate("visit date", v.Date); err != nil {
			return p, err
		}
		if v.Amount < 0 {
			return p, fmt.Errorf("negative amount: %w", crm.ErrInvalidInput)
		}
		if v.Currency, err = checkCurrency(v.Currency); err != nil {
			return p, err
		}
		p.items = make([]crm.ItemQty, len(v.Items))
		for i, it := range v.Items {
			if it.Qty < 1 {
				return p, fmt.Errorf("item %q: quantity %d: %w", it.Name, it.Qty, crm.ErrInvalidInput)
			}
			name, err := cleanName("item name", it.Name)
			if err != nil {
				return p, err
			}
			p.items[i] = crm.ItemQty{Name: name, Qty: it.Qty}
		}
		ctxs := make([]string, 0, len(v.Context))
		for _, s := range v.Context {
			if s = strings.TrimSpace(s); s != "" {
				ctxs = append(ctxs, s)
			}
		}
		b, err := json.Marshal(ctxs)
		if err != nil {
			return p, fmt.Errorf("visit context: %w", err)
		}
		p.context = string(b)
	}
	if c.Facts, err = checkFacts(c.Facts); err != nil {
		return p, err
	}
	if c.RemoveFacts, err = checkFacts(c.RemoveFacts); err != nil {
		return p, err
	}
	if !c.Birthday.IsZero() && !c.Birthday.Valid() {
		return p, fmt.Errorf("birthday %d-%d: %w", c.Birthday.Month, c.Birthday.Day, crm.ErrInvalidInput)
	}
	if c.UsualWeekday != crm.NoWeekday && (c.UsualWeekday < time.Sunday || c.UsualWeekday > time.Saturday) {
		return p, fmt.Errorf("weekday %d: %w", c.UsualWeekday, crm.ErrInvalidInput)
	}
	if c.UsualTime != "" {
		if c.UsualTime, err = checkClock(c.UsualTime); err != nil {
			return p, err
		}
	}
	if c.Rename != "" {
		if c.Rename, err = cleanName("new name", c.Rename); err != nil {
			return p, err
		}
	}
	if a := c.Alias; a != nil {
		alias, err := cleanName("alias", a.Alias)
		if err != nil {
			return p, err
		}
		item, err := cleanName("item name", a.Item)
		if err != nil {
			return p, err
		}
		if foldKey(alias) == foldKey(item) {
			return p, fmt.Errorf("alias %q is the item's own name: %w", alias, crm.ErrInvalidInput)
		}
		c.Alias = &crm.AliasInput{Alias: alias, Item: item}
	}
	if m := c.MergeItem; m != nil {
		if c.Alias != nil || c.CustomerID != 0 || c.NewName != "" || more {
			return p, fmt.Errorf("item merge with other changes: %w", crm.ErrInvalidInput)
		}
		if m.NoteID <= 0 {
			return p, fmt.Errorf("item merge without a note: %w", crm.ErrInvalidInput)
		}
		from, err := cleanName("item name", m.From)
		if err != nil {
			return p, err
		}
		into, err := cleanName("item name", m.Into)
		if err != nil {
			return p, err
		}
		if foldKey(from) == foldKey(into) {
			return p, fmt.Errorf("item %q merged into itself: %w", from, crm.ErrInvalidInput)
		}
		c.MergeItem = &crm.MergeInput{NoteID: m.NoteID, From: from, Into: into}
	}
	if b := c.Booking; b != nil {
		nb := *b
		if err := checkDate("booking date", nb.Date); err != nil {
			return p, err
		}
		if !nb.End.IsZero() {
			if err := checkDate("booking end", nb.End); err != nil {
				return p, err
			}
			if nb.End.Before(nb.Date) {
				return p, fmt.Errorf("booking ends before it starts: %w", crm.ErrInvalidInput)
			}
			if nb.End == nb.Date {
				nb.End = crm.Date{}
			}
		}
		if nb.Time != "" {
			if nb.Time, err = checkClock(nb.Time); err != nil {
				return p, err
			}
		}
		nb.What = strings.Join(strings.Fields(nb.What), " ")
		if utf8.RuneCountInString(nb.What) > maxWhat {
			return p, fmt.Errorf("booking longer than %d characters: %w", maxWhat, crm.ErrInvalidInput)
		}
		if nb.Amount < 0 {
			return p, fmt.Errorf("negative amount: %w", crm.ErrInvalidInput)
		}
		if nb.Currency, err = checkCurrency(nb.Currency); err != nil {
			return p, err
		}
		c.Booking = &nb
	}
	if k := c.Correct; k != nil {
		nk := *k
		if c.CustomerID == 0 || nk.VisitID <= 0 {
			return p, fmt.Errorf("correction without a visit of a known customer: %w", crm.ErrInvalidInput)
		}
		if nk.Qty < 0 || nk.Qty > 0 && strings.TrimSpace(nk.Item) == "" || nk.Qty == 0 && nk.Date.IsZero() {
			return p, fmt.Errorf("correction of nothing: %w", crm.ErrInvalidInput)
		}
		if nk.Qty > 0 {
			if nk.Item, err = cleanName("item name", nk.Item); err != nil {
				return p, err
			}
		}
		if !nk.Date.IsZero() {
			if err := checkDate("visit date", nk.Date); err != nil {
				return p, err
			}
		}
		c.Correct = &nk
	}
	lex := make([]crm.LexiconInput, 0, len(c.Lexicon))
	for _, l := range c.Lexicon {
		w, err := cleanName("word", strings.ToLower(l.Word))
		if err != nil {
			return p, err
		}
		if !crm.ValidLexRole(l.Role) {
			return p, fmt.Errorf("word role %q: %w", l.Role, crm.ErrInvalidInput)
		}
		lex = append(lex, crm.LexiconInput{Word: w, Role: l.Role})
	}
	c.Lexicon = lex
	return p, nil
}

// checkFacts trims fact values and checks their kinds.
func checkFacts(in []crm.FactInput) ([]crm.FactInput, error) {
	facts := make([]crm.FactInput, 0, len(in))
	for _, f := range in {
		switch f.Kind {
		case crm.FactAllergy, crm.FactLike, crm.FactDislike, crm.FactNote:
		default:
			return nil, fmt.Errorf("fact kind %q: %w", f.Kind, crm.ErrInvalidInput)
		}
		f.Value = strings.TrimSpace(f.Value)
		if f.Value == "" {
			return nil, fmt.Errorf("empty %s fact: %w", f.Kind, crm.ErrInvalidInput)
		}
		facts = append(facts, f)
	}
	return facts, nil
}

// checkDate checks that d is a real day.
func checkDate(what string, d crm.Date) error {
	if d.IsZero() {
		return fmt.Errorf("no %s: %w", what, crm.ErrInvalidInput)
	}
	if d.Year < 1 || d.Year > 9999 || crm.NewDate(d.Year, d.Month, d.Day) != d {
		return fmt.Errorf("%s %d-%d-%d: %w", what, d.Year, d.Month, d.Day, crm.ErrInvalidInput)
	}
	return nil
}

// checkClock reads a time of day written H:MM or HH:MM and returns it as
// HH:MM.
func checkClock(s string) (string, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return "", fmt.Errorf("time of day %q: %w", s, crm.ErrInvalidInput)
	}
	return t.Format("15:04"), nil
}

// checkCurrency returns an ISO 4217 code in upper case; "" stays "".
func checkCurrency(code string) (string, error) {
	if code == "" {
		return "", nil
	}
	c, ok := crm.NormalCurrency(code)
	if !ok {
		return "", fmt.Errorf("currency %q: %w", code, crm.ErrInvalidInput)
	}
	return c, nil
}

// RecordNote applies the note's changes and keeps the note, verbatim, with
// the effects it had, in one transaction; the cursor, when set, is stored
// in the same transaction. Unknown item names become catalog items. Facts
// that the customer already has (same kind and value, ignoring case) and
// fields set to the value they already have are not recorded again; a like
// replaces a dislike of the same thing, and the other way round. A
// fact to remove that the customer does not have, or a correction of a
// visit or line that is not there, fails with crm.ErrNotFound and changes
// nothing.
func (db *DB) RecordNote(ctx context.Context, in crm.NoteInput) (crm.Note, error) {
	p, err := checkNote(in)
	if err != nil {
		return crm.Note{}, fmt.Errorf("storage: record note: %w", err)
	}
	var n crm.Note
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		w := noteWriter{ctx: ctx, tx: tx, shopID: p.ShopID}
		var err error
		n, err = w.record(&p)
		return err
	})
	if err != nil {
		return crm.Note{}, fmt.Errorf("storage: record note: %w", constraint(err))
	}
	return n, nil
}

// noteWriter applies one note inside its transaction.
type noteWriter struct {
	ctx        context.Context
	tx         *sql.Tx
	shopID     int64
	noteID     int64
	customerID int64
	effects    []crm.Effect
}

func (w *noteWriter) exec(query string, args ...any) (sql.Result, error) {
	return w.tx.ExecContext(w.ctx, query, args...)
}

func (w *noteWriter) insert(query string, args ...any) (int64, error) {
	res, err := w.tx.ExecContext(w.ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func (w *noteWriter) effect(kind crm.EffectKind, ref int64, old, new string) {
	w.effects = append(w.effects, crm.Effect{Kind: kind, CustomerID: w.customerID, RefID: ref, Old: old, New: new})
}

func (w *noteWriter) record(p *noteInput) (crm.Note, error) {
	var err error
	w.noteID, err = w.insert(`INSERT INTO notes (shop_id, platform, author_id, text, created_at)
		VALUES (?, ?, ?, ?, ?)`, p.ShopID, p.Platform, p.AuthorID, p.Text, p.at)
	if err != nil {
		return crm.Note{}, fmt.Errorf("insert note: %w", err)
	}
	for i := range p.changes {
		if err := w.apply(p, &p.changes[i]); err != nil {
			return crm.Note{}, err
		}
	}
	for i, e := range w.effects {
		if _, err := w.exec(`INSERT INTO note_effects (shop_id, note_id, seq, kind, customer_id, ref_id, old, new)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			p.ShopID, w.noteID, i, string(e.Kind), e.CustomerID, e.RefID, e.Old, e.New); err != nil {
			return crm.Note{}, fmt.Errorf("insert effect: %w", err)
		}
	}
	at, err := parseTime(p.at)
	if err != nil {
		return crm.Note{}, err
	}
	n := crm.Note{ID: w.noteID, ShopID: p.ShopID, Platform: p.Platform, AuthorID: p.AuthorID,
		Text: p.Text, CreatedAt: at, Effects: w.effects}
	if p.Cursor != nil {
		if err := setCursor(w.ctx, w.tx, *p.Cursor, n); err != nil {
			return crm.Note{}, err
		}
	}
	return n, nil
}

// apply makes one customer's change.
func (w *noteWriter) apply(p *noteInput, ci *changeInput) error {
	c := &ci.Change
	var cur struct {
		name, birthday, usualTime string
		weekday                   int64
	}
	w.customerID = 0
	switch {
	case c.CustomerID != 0:
		err := w.tx.QueryRowContext(w.ctx, `SELECT name, birthday, usual_weekday, usual_time FROM customers
			WHERE shop_id = ? AND id = ?`, p.ShopID, c.CustomerID).Scan(&cur.name, &cur.birthday, &cur.weekday, &cur.usualTime)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("customer %d: %w", c.CustomerID, crm.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("read customer %d: %w", c.CustomerID, err)
		}
		w.customerID = c.CustomerID
	case c.NewName != "" && c.NewUnlessExists:
		// Written one at a time, so what is read here is what there is.
		ids, err := int64sOf(w.ctx, w.tx, `SELECT id FROM customers WHERE shop_id = ? AND name = ? ORDER BY id LIMIT 2`,
			p.ShopID, c.NewName)
		if err != nil {
			return fmt.Errorf("look up customer: %w", err)
		}
		if len(ids) > 1 {
			return fmt.Errorf("customer %q: %w", c.NewName, crm.ErrAmbiguous)
		}
		if len(ids) == 1 {
			if err := w.tx.QueryRowContext(w.ctx, `SELECT name, birthday, usual_weekday, usual_time FROM customers
				WHERE shop_id = ? AND id = ?`, p.ShopID, ids[0]).Scan(&cur.name, &cur.birthday, &cur.weekday, &cur.usualTime); err != nil {
				return fmt.Errorf("read customer %d: %w", ids[0], err)
			}
			w.customerID = ids[0]
			break
		}
		fallthrough
	case c.NewName != "":
		var err error
		w.customerID, err = w.insert(`INSERT INTO customers (shop_id, name, created_at, created_by_note)
			VALUES (?, ?, ?, ?)`, p.ShopID, c.NewName, p.at, w.noteID)
		if err != nil {
			return fmt.Errorf("create customer: %w", err)
		}
		cur.name, cur.weekday = c.NewName, int64(crm.NoWeekday)
		w.effect(crm.EffectCustomerCreated, w.customerID, "", c.NewName)
	}

	if c.Alias != nil {
		if err := w.addAlias(c.Alias.Alias, c.Alias.Item); err != nil {
			return err
		}
	}
	if c.MergeItem != nil {
		if err := w.mergeItem(p, *c.MergeItem); err != nil {
			return err
		}
	}
	for _, l := range c.Lexicon {
		if err := w.setWord(l); err != nil {
			return err
		}
	}
	if c.Correct != nil {
		if err := w.correct(*c.Correct); err != nil {
			return err
		}
	}
	if c.Visit != nil {
		if err := w.addVisit(ci, p.at); err != nil {
			return err
		}
	}
	for _, f := range c.RemoveFacts {
		if err := w.removeFact(f); err != nil {
			return err
		}
	}
	for _, f := range c.Facts {
		if err := w.addFact(f, p.at); err != nil {
			return err
		}
	}
	if c.Booking != nil {
		if err := w.addBooking(*c.Booking, p.at); err != nil {
			return err
		}
	}
	if bd := c.Birthday.String(); bd != "" && bd != cur.birthday {
		if _, err := w.exec(`UPDATE customers SET birthday = ? WHERE shop_id = ? AND id = ?`,
			bd, p.ShopID, w.customerID); err != nil {
			return fmt.Errorf("set birthday: %w", err)
		}
		w.effect(crm.EffectBirthdaySet, w.customerID, cur.birthday, bd)
	}
	if wd := int64(c.UsualWeekday); c.UsualWeekday != crm.NoWeekday && wd != cur.weekday {
		if _, err := w.exec(`UPDATE customers SET usual_weekday = ? WHERE shop_id = ? AND id = ?`,
			wd, p.ShopID, w.customerID); err != nil {
			return fmt.Errorf("set weekday: %w", err)
		}
		w.effect(crm.EffectWeekdaySet, w.customerID, strconv.FormatInt(cur.weekday, 10), strconv.FormatInt(wd, 10))
	}
	if c.UsualTime != "" && c.UsualTime != cur.usualTime {
		if _, err := w.exec(`UPDATE customers SET usual_time = ? WHERE shop_id = ? AND id = ?`,
			c.UsualTime, p.ShopID, w.customerID); err != nil {
			return fmt.Errorf("set usual time: %w", err)
		}
		w.effect(crm.EffectUsualTimeSet, w.customerID, cur.usualTime, c.UsualTime)
	}
	if c.Rename != "" && c.Rename != cur.name {
		if _, err := w.exec(`UPDATE customers SET name = ? WHERE shop_id = ? AND id = ?`,
			c.Rename, p.ShopID, w.customerID); err != nil {
			return fmt.Errorf("rename: %w", err)
		}
		w.effect(crm.EffectRenamed, w.customerID, cur.name, c.Rename)
	}
	return nil
}

// resolveItems looks names up in the shop's catalog, by item name or alias
// and ignoring case, in one query. ids[i] is 0 when names[i] is unknown.
func (w *noteWriter) resolveItems(names []string) ([]int64, error) {
	ids := make([]int64, len(names))
	if len(names) == 0 {
		return ids, nil
	}
	var q strings.Builder
	q.WriteString("WITH q (k, n) AS (VALUES ")
	args := make([]any, 0, len(names)+1)
	args = append(args, w.shopID)
	for i, n := range names {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(")
		q.WriteString(strconv.Itoa(i))
		q.WriteString(", ?")
		q.WriteString(strconv.Itoa(i + 2))
		q.WriteString(")")
		args = append(args, n)
	}
	q.WriteString(`) SELECT k, coalesce(
		(SELECT id FROM items WHERE shop_id = ?1 AND name = q.n COLLATE NOCASE),
		(SELECT item_id FROM item_aliases WHERE shop_id = ?1 AND alias = q.n COLLATE NOCASE), 0) FROM q`)
	rows, err := w.tx.QueryContext(w.ctx, q.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("look up items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k int
		var id int64
		if err := rows.Scan(&k, &id); err != nil {
			return nil, fmt.Errorf("look up items: %w", err)
		}
		ids[k] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("look up items: %w", err)
	}
	return ids, nil
}

// createItem adds name to the shop's catalog.
func (w *noteWriter) createItem(name string) (int64, error) {
	id, err := w.insert(`INSERT INTO items (shop_id, name) VALUES (?, ?)`, w.shopID, name)
	if err != nil {
		return 0, fmt.Errorf("create item %q: %w", name, err)
	}
	w.effect(crm.EffectItemCreated, id, "", name)
	return id, nil
}

// addVisit records the note's visit, creating unknown catalog items. Lines
// naming the same item are merged.
func (w *noteWriter) addVisit(p *changeInput, at string) error {
	names := make([]string, len(p.items))
	for i, it := range p.items {
		names[i] = it.Name
	}
	ids, err := w.resolveItems(names)
	if err != nil {
		return err
	}
	type line struct{ item, qty int64 }
	lines := make([]line, 0, len(ids))
	var created map[string]int64
lines:
	for i, id := range ids {
		if id == 0 {
			key := foldKey(names[i])
			if id = created[key]; id == 0 {
				if id, err = w.createItem(names[i]); err != nil {
					return err
				}
				if created == nil {
					created = make(map[string]int64)
				}
				created[key] = id
			}
		}
		for j := range lines {
			if lines[j].item == id {
				lines[j].qty += int64(p.items[i].Qty)
				continue lines
			}
		}
		lines = append(lines, line{id, int64(p.items[i].Qty)})
	}
	v := p.Change.Visit
	date := v.Date.String()
	visitID, err := w.insert(`INSERT INTO visits (shop_id, customer_id, note_id, date, amount, currency, context, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, w.shopID, w.customerID, w.noteID, date, v.Amount, v.Currency, p.context, at)
	if err != nil {
		return fmt.Errorf("insert visit: %w", err)
	}
	for _, l := range lines {
		if _, err := w.exec(`INSERT INTO visit_items (shop_id, visit_id, item_id, qty) VALUES (?, ?, ?, ?)`,
			w.shopID, visitID, l.item, l.qty); err != nil {
			return fmt.Errorf("insert visit item: %w", err)
		}
	}
	w.effect(crm.EffectVisitAdded, visitID, "", date)
	return nil
}

// addFact records a fact unless the customer already has it.
func (w *noteWriter) addFact(f crm.FactInput, at string) error {
	var dup int
	err := w.tx.QueryRowContext(w.ctx, `SELECT count(*) FROM facts
		WHERE shop_id = ? AND customer_id = ? AND kind = ? AND value = ? COLLATE NOCASE`,
		w.shopID, w.customerID, string(f.Kind), f.Value).Scan(&dup)
	if err != nil {
		return fmt.Errorf("look up fact: %w", err)
	}
	if dup > 0 {
		return nil
	}
	// A like and a dislike of one thing contradict each other: the newer
	// one stands ("소금빵 좋아함", later "소금빵 안 좋아함").
	opposite := map[crm.FactKind]crm.FactKind{crm.FactLike: crm.FactDislike, crm.FactDislike: crm.FactLike}[f.Kind]
	if opposite != "" {
		if err := w.removeFact(crm.FactInput{Kind: opposite, Value: f.Value}); err != nil && !errors.Is(err, crm.ErrNotFound) {
			return err
		}
	}
	id, err := w.insert(`INSERT INTO facts (shop_id, customer_id, note_id, kind, value, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, w.shopID, w.customerID, w.noteID, string(f.Kind), f.Value, at)
	if err != nil {
		return fmt.Errorf("insert fact: %w", err)
	}
	w.effect(crm.EffectFactAdded, id, string(f.Kind), f.Value)
	return nil
}

// addAlias makes alias another name of the catalog item item, creating the
// item when the shop has none by that name.
func (w *noteWriter) addAlias(alias, item string) error {
	ids, err := w.resolveItems([]string{item, alias})
	if err != nil {
		return err
	}
	itemID, aliasOf := ids[0], ids[1]
	if itemID == 0 {
		if itemID, err = w.createItem(item); err != nil {
			return err
		}
	}
	switch {
	case aliasOf == itemID:
		return nil // already so
	case aliasOf != 0:
		return fmt.Errorf("alias %q already names another item: %w", alias, crm.ErrInvalidInput)
	}
	if _, err := w.exec(`INSERT INTO item_aliases (shop_id, item_id, alias) VALUES (?, ?, ?)`,
		w.shopID, itemID, alias); err != nil {
		return fmt.Errorf("insert alias: %w", err)
	}
	w.effect(crm.EffectAliasAdded, itemID, item, alias)
	return nil
}

// mergeItem makes m.From, a catalog item note m.NoteID created, an alias of
// the existing item m.Into. Every visit line of m.From moves onto m.Into,
// quantities adding up where a visit has both, its aliases move too, and
// the item is deleted; each step is an effect, so undoing the note puts
// everything back. Merging again returns crm.ErrAlreadyDone; crm.ErrNotFound
// when the note was undone or an item is gone.
func (w *noteWriter) mergeItem(p *noteInput, m crm.MergeInput) error {
	src, err := loadNote(w.ctx, w.tx, w.shopID, m.NoteID)
	if err != nil {
		return err
	}
	if src.Platform != p.Platform || src.AuthorID != p.AuthorID {
		return fmt.Errorf("note %d is another member's: %w", m.NoteID, crm.ErrInvalidInput)
	}
	var fromID int64
	for _, e := range src.Effects {
		if e.Kind == crm.EffectItemCreated && foldKey(e.New) == foldKey(m.From) {
			fromID = e.RefID
		}
	}
	if fromID == 0 {
		return fmt.Errorf("note %d created no item %q: %w", m.NoteID, m.From, crm.ErrInvalidInput)
	}
	ids, err := w.resolveItems([]string{m.From, m.Into})
	if err != nil {
		return err
	}
	switch {
	case ids[1] == 0:
		return fmt.Errorf("item %q: %w", m.Into, crm.ErrNotFound)
	case ids[0] == ids[1]:
		return fmt.Errorf("%q is %q: %w", m.From, m.Into, crm.ErrAlreadyDone)
	case !src.UndoneAt.IsZero(), ids[0] == 0:
		return fmt.Errorf("item %q of note %d: %w", m.From, m.NoteID, crm.ErrNotFound)
	case ids[0] != fromID:
		return fmt.Errorf("%q now names another item: %w", m.From, crm.ErrInvalidInput)
	}
	intoID := ids[1]
	var fromName, intoName string
	if err := w.tx.QueryRowContext(w.ctx, `SELECT (SELECT name FROM items WHERE shop_id = ?1 AND id = ?2),
		(SELECT name FROM items WHERE shop_id = ?1 AND id = ?3)`, w.shopID, fromID, intoID).Scan(&fromName, &intoName); err != nil {
		return fmt.Errorf("read items: %w", err)
	}

	type line struct{ visit, qty, before int64 }
	var lines []line
	rows, err := w.tx.QueryContext(w.ctx, `SELECT visit_id, qty, coalesce((SELECT x.qty FROM visit_items x
			WHERE x.shop_id = ?1 AND x.visit_id = v.visit_id AND x.item_id = ?3), 0)
		FROM visit_items v WHERE shop_id = ?1 AND item_id = ?2 ORDER BY visit_id`, w.shopID, fromID, intoID)
	if err != nil {
		return fmt.Errorf("read lines: %w", err)
	}
	for rows.Next() {
		var l line
		if err := rows.Scan(&l.visit, &l.qty, &l.before); err != nil {
			rows.Close()
			return fmt.Errorf("read lines: %w", err)
		}
		lines = append(lines, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read lines: %w", err)
	}
	for _, l := range lines {
		if l.before == 0 {
			_, err = w.exec(`UPDATE visit_items SET item_id = ? WHERE shop_id = ? AND visit_id = ? AND item_id = ?`,
				intoID, w.shopID, l.visit, fromID)
		} else {
			_, err = w.exec(`UPDATE visit_items SET qty = qty + ? WHERE shop_id = ? AND visit_id = ? AND item_id = ?`,
				l.qty, w.shopID, l.visit, intoID)
			if err == nil {
				_, err = w.exec(`DELETE FROM visit_items WHERE shop_id = ? AND visit_id = ? AND item_id = ?`,
					w.shopID, l.visit, fromID)
			}
		}
		if err != nil {
			return fmt.Errorf("move line: %w", err)
		}
		w.effect(crm.EffectLineMoved, l.visit, idQty(fromID, l.qty), idQty(intoID, l.before))
	}

	aliases, err := stringsOf(w.ctx, w.tx, `SELECT alias FROM item_aliases WHERE shop_id = ? AND item_id = ? ORDER BY alias`,
		w.shopID, fromID)
	if err != nil {
		return fmt.Errorf("read aliases: %w", err)
	}
	for _, a := range aliases {
		if _, err := w.exec(`UPDATE item_aliases SET item_id = ? WHERE shop_id = ? AND alias = ? COLLATE BINARY`,
			intoID, w.shopID, a); err != nil {
			return fmt.Errorf("move alias: %w", err)
		}
		w.effect(crm.EffectAliasMoved, intoID, strconv.FormatInt(fromID, 10), a)
	}

	if _, err := w.exec(`DELETE FROM items WHERE shop_id = ? AND id = ?`, w.shopID, fromID); err != nil {
		return fmt.Errorf("delete item: %w", err)
	}
	w.effect(crm.EffectItemDeleted, fromID, fromName, strconv.FormatInt(m.NoteID, 10))
	if _, err := w.exec(`INSERT INTO item_aliases (shop_id, item_id, alias) VALUES (?, ?, ?)`,
		w.shopID, intoID, fromName); err != nil {
		return fmt.Errorf("insert alias: %w", err)
	}
	w.effect(crm.EffectAliasAdded, intoID, intoName, fromName)
	return nil
}

// idQty and parseIDQty write and read "id:qty", the values of a moved line.
func idQty(id, qty int64) string {
	return strconv.FormatInt(id, 10) + ":" + strconv.FormatInt(qty, 10)
}

func parseIDQty(s string) (id, qty int64, err error) {
	a, b, _ := strings.Cut(s, ":")
	id, err1 := strconv.ParseInt(a, 10, 64)
	qty, err2 := strconv.ParseInt(b, 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, 0, fmt.Errorf("line %q: %w", s, err)
	}
	return id, qty, nil
}

// int64sOf runs a query of one integer column.
func int64sOf(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// stringsOf runs a query of one text column.
func stringsOf(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// UndoNote reverses one note's effects, newest first, in one transaction
// and marks it undone. Field changes are reversed only where the field
// still holds the value the note set; a customer or catalog item the note
// created is removed only when nothing else refers to it. Only the note's
// author may undo it, and only while it is among their crm.UndoWindow
// latest notes in the shop (crm.ErrNotUndoable); a second undo returns
// crm.ErrAlreadyDone, an unknown note crm.ErrNotFound.
func (db *DB) UndoNote(ctx context.Context, shopID, noteID int64, platform, authorID string, at time.Time, cursor *crm.Cursor) (crm.Note, error) {
	var n crm.Note
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if n, err = loadNote(ctx, tx, shopID, noteID); err != nil {
			return err
		}
		switch {
		case n.Platform != platform || n.AuthorID != authorID:
			return fmt.Errorf("note %d is another member's: %w", noteID, crm.ErrNotUndoable)
		case !n.UndoneAt.IsZero():
			return fmt.Errorf("note %d: %w", noteID, crm.ErrAlreadyDone)
		}
		var newer int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM notes
			WHERE shop_id = ? AND platform = ? AND author_id = ? AND id > ?`,
			shopID, platform, authorID, noteID).Scan(&newer); err != nil {
			return fmt.Errorf("count newer notes: %w", err)
		}
		if newer >= crm.UndoWindow {
			return fmt.Errorf("note %d is older than the author's last %d: %w", noteID, crm.UndoWindow, crm.ErrNotUndoable)
		}
		restored := map[int64]int64{}
		for i := len(n.Effects) - 1; i >= 0; i-- {
			if err := reverse(ctx, tx, shopID, noteID, n.Effects[i], restored); err != nil {
				return fmt.Errorf("undo %s: %w", n.Effects[i].Kind, err)
			}
		}
		if err := dropOrphans(ctx, tx, shopID, noteID, n.Effects); err != nil {
			return fmt.Errorf("undo: %w", err)
		}
		if err := dropUnmerged(ctx, tx, shopID, n.Effects, restored); err != nil {
			return fmt.Errorf("undo: %w", err)
		}
		undone := formatTime(at)
		if _, err := tx.ExecContext(ctx, `UPDATE notes SET undone_at = ? WHERE shop_id = ? AND id = ?`,
			undone, shopID, noteID); err != nil {
			return fmt.Errorf("mark undone: %w", err)
		}
		if n.UndoneAt, err = parseTime(undone); err != nil {
			return err
		}
		if cursor != nil {
			return setCursor(ctx, tx, *cursor, n)
		}
		return nil
	})
	if err != nil {
		return crm.Note{}, fmt.Errorf("storage: undo note %d: %w", noteID, err)
	}
	return n, nil
}

// dropOrphans deletes the customers this note touched that were created by
// a note now undone (an earlier one, or this one) and have nothing left:
// undoing every note about a new customer leaves no customer behind.
func dropOrphans(ctx context.Context, tx *sql.Tx, shopID, noteID int64, effects []crm.Effect) error {
	seen := map[int64]bool{}
	for _, e := range effects {
		if e.CustomerID == 0 || seen[e.CustomerID] {
			continue
		}
		seen[e.CustomerID] = true
		_, err := tx.ExecContext(ctx, `DELETE FROM customers WHERE shop_id = ?1 AND id = ?2
			AND EXISTS (SELECT 1 FROM note_effects e JOIN notes n ON n.shop_id = e.shop_id AND n.id = e.note_id
				WHERE e.shop_id = ?1 AND e.customer_id = ?2 AND e.kind = 'customer_created'
				AND (n.undone_at IS NOT NULL OR n.id = ?3))
			AND NOT EXISTS (SELECT 1 FROM visits WHERE shop_id = ?1 AND customer_id = ?2)
			AND NOT EXISTS (SELECT 1 FROM facts WHERE shop_id = ?1 AND customer_id = ?2)
			AND NOT EXISTS (SELECT 1 FROM bookings WHERE shop_id = ?1 AND customer_id = ?2)
			AND NOT EXISTS (SELECT 1 FROM note_effects e JOIN notes n ON n.shop_id = e.shop_id AND n.id = e.note_id
				WHERE e.shop_id = ?1 AND e.customer_id = ?2 AND e.note_id <> ?3 AND n.undone_at IS NULL)`,
			shopID, e.CustomerID, noteID)
		if err != nil {
			return fmt.Errorf("drop customer %d: %w", e.CustomerID, err)
		}
	}
	return nil
}

// dropUnmerged deletes the items that undoing a merge brought back when
// the note that created them is undone too and nothing refers to them.
func dropUnmerged(ctx context.Context, tx *sql.Tx, shopID int64, effects []crm.Effect, restored map[int64]int64) error {
	for _, e := range effects {
		if e.Kind != crm.EffectItemDeleted {
			continue
		}
		src, err := strconv.ParseInt(e.New, 10, 64)
		if err != nil {
			continue // no note to ask
		}
		id := e.RefID
		if r, ok := restored[id]; ok {
			id = r
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM items WHERE shop_id = ?1 AND id = ?2
			AND EXISTS (SELECT 1 FROM notes WHERE shop_id = ?1 AND id = ?3 AND undone_at IS NOT NULL)
			AND NOT EXISTS (SELECT 1 FROM visit_items WHERE shop_id = ?1 AND item_id = ?2)
			AND NOT EXISTS (SELECT 1 FROM item_aliases WHERE shop_id = ?1 AND item_id = ?2)`,
			shopID, id, src); err != nil {
			return fmt.Errorf("drop item %d: %w", id, err)
		}
	}
	return nil
}

// reverse undoes one effect of note noteID. A merged item that comes back
// under a new id (its old one was taken meanwhile) is noted in restored, so
// that the lines and aliases moved off it, reversed later, find it.
func reverse(ctx context.Context, tx *sql.Tx, shopID, noteID int64, e crm.Effect, restored map[int64]int64) error {
	var query string
	var args []any
	itemID := func(id int64) int64 {
		if r, ok := restored[id]; ok {
			return r
		}
		return id
	}
	switch e.Kind {
	case crm.EffectItemDeleted:
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM items WHERE id = ?`, e.RefID).Scan(&taken); err != nil {
			return err
		}
		if taken == 0 {
			_, err := tx.ExecContext(ctx, `INSERT INTO items (id, shop_id, name) VALUES (?, ?, ?)`, e.RefID, shopID, e.Old)
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO items (shop_id, name) VALUES (?, ?)`, shopID, e.Old)
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		restored[e.RefID] = id
		return err
	case crm.EffectAliasMoved:
		from, err := strconv.ParseInt(e.Old, 10, 64)
		if err != nil {
			return err
		}
		query = `UPDATE item_aliases SET item_id = ? WHERE shop_id = ? AND item_id = ? AND alias = ? COLLATE BINARY`
		args = []any{itemID(from), shopID, e.RefID, e.New}
	case crm.EffectLineMoved:
		from, moved, err1 := parseIDQty(e.Old)
		into, before, err2 := parseIDQty(e.New)
		if err := errors.Join(err1, err2); err != nil {
			return err
		}
		from = itemID(from)
		if before == 0 {
			query = `UPDATE visit_items SET item_id = ? WHERE shop_id = ? AND visit_id = ? AND item_id = ?`
			args = []any{from, shopID, e.RefID, into}
			break
		}
		// The line was added to one the visit had: split it again, when
		// the visit is still there.
		if _, err := tx.ExecContext(ctx, `UPDATE visit_items SET qty = qty - ?1
			WHERE shop_id = ?2 AND visit_id = ?3 AND item_id = ?4 AND qty > ?1`, moved, shopID, e.RefID, into); err != nil {
			return err
		}
		query = `INSERT INTO visit_items (shop_id, visit_id, item_id, qty)
			SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM visits WHERE shop_id = ?1 AND id = ?2)
			ON CONFLICT DO NOTHING`
		args = []any{shopID, e.RefID, from, moved}
	case crm.EffectRenamed:
		query = `UPDATE customers SET name = ? WHERE shop_id = ? AND id = ? AND name = ? COLLATE BINARY`
		args = []any{e.Old, shopID, e.CustomerID, e.New}
	case crm.EffectWeekdaySet:
		oldDay, err1 := strconv.Atoi(e.Old)
		newDay, err2 := strconv.Atoi(e.New)
		if err := errors.Join(err1, err2); err != nil {
			return err
		}
		query = `UPDATE customers SET usual_weekday = ? WHERE shop_id = ? AND id = ? AND usual_weekday = ?`
		args = []any{oldDay, shopID, e.CustomerID, newDay}
	case crm.EffectBirthdaySet:
		query = `UPDATE customers SET birthday = ? WHERE shop_id = ? AND id = ? AND birthday = ?`
		args = []any{e.Old, shopID, e.CustomerID, e.New}
	case crm.EffectUsualTimeSet:
		query = `UPDATE customers SET usual_time = ? WHERE shop_id = ? AND id = ? AND usual_time = ?`
		args = []any{e.Old, shopID, e.CustomerID, e.New}
	case crm.EffectFactRemoved:
		return restoreFact(ctx, tx, shopID, e)
	case crm.EffectLineQtySet:
		item, oldQty, err1 := parseIDQty(e.Old)
		_, newQty, err2 := parseIDQty(e.New)
		if err := errors.Join(err1, err2); err != nil {
			return err
		}
		query = `UPDATE visit_items SET qty = ? WHERE shop_id = ? AND visit_id = ? AND item_id = ? AND qty = ?`
		args = []any{oldQty, shopID, e.RefID, itemID(item), newQty}
	case crm.EffectVisitDateSet:
		query = `UPDATE visits SET date = ? WHERE shop_id = ? AND id = ? AND date = ?`
		args = []any{e.Old, shopID, e.RefID, e.New}
	case crm.EffectBookingAdded:
		query = `DELETE FROM bookings WHERE shop_id = ? AND id = ?`
		args = []any{shopID, e.RefID}
	case crm.EffectLexiconSet:
		return reverseWord(ctx, tx, shopID, e)
	case crm.EffectFactAdded:
		query = `DELETE FROM facts WHERE shop_id = ? AND id = ?`
		args = []any{shopID, e.RefID}
	case crm.EffectVisitAdded:
		query = `DELETE FROM visits WHERE shop_id = ? AND id = ?` // its lines cascade
		args = []any{shopID, e.RefID}
	case crm.EffectAliasAdded:
		query = `DELETE FROM item_aliases WHERE shop_id = ? AND item_id = ? AND alias = ? COLLATE BINARY`
		args = []any{shopID, e.RefID, e.New}
	case crm.EffectItemCreated:
		query = `DELETE FROM items WHERE shop_id = ?1 AND id = ?2
			AND NOT EXISTS (SELECT 1 FROM visit_items WHERE shop_id = ?1 AND item_id = ?2)
			AND NOT EXISTS (SELECT 1 FROM item_aliases WHERE shop_id = ?1 AND item_id = ?2)`
		args = []any{shopID, e.RefID}
	case crm.EffectCustomerCreated:
		// Kept when another note still refers to them: a visit or fact it
		// recorded, or a field change still in effect.
		query = `DELETE FROM customers WHERE shop_id = ?1 AND id = ?2
			AND NOT EXISTS (SELECT 1 FROM visits WHERE shop_id = ?1 AND customer_id = ?2)
			AND NOT EXISTS (SELECT 1 FROM facts WHERE shop_id = ?1 AND customer_id = ?2)
			AND NOT EXISTS (SELECT 1 FROM bookings WHERE shop_id = ?1 AND customer_id = ?2)
			AND NOT EXISTS (SELECT 1 FROM note_effects e JOIN notes n ON n.shop_id = e.shop_id AND n.id = e.note_id
				WHERE e.shop_id = ?1 AND e.customer_id = ?2 AND e.note_id <> ?3 AND n.undone_at IS NULL)`
		args = []any{shopID, e.RefID, noteID}
	default:
		return fmt.Errorf("unknown effect kind %q", e.Kind)
	}
	_, err := tx.ExecContext(ctx, query, args...)
	return err
}

// loadNote reads one note of a shop with its effects.
func loadNote(ctx context.Context, q querier, shopID, noteID int64) (crm.Note, error) {
	n := crm.Note{ID: noteID, ShopID: shopID}
	var created string
	var undone sql.NullString
	err := q.QueryRowContext(ctx, `SELECT platform, author_id, text, created_at, undone_at FROM notes
		WHERE shop_id = ? AND id = ?`, shopID, noteID).Scan(&n.Platform, &n.AuthorID, &n.Text, &created, &undone)
	if errors.Is(err, sql.ErrNoRows) {
		return crm.Note{}, fmt.Errorf("note %d: %w", noteID, crm.ErrNotFound)
	}
	if err != nil {
		return crm.Note{}, fmt.Errorf("read note %d: %w", noteID, err)
	}
	if n.CreatedAt, err = parseTime(created); err != nil {
		return crm.Note{}, err
	}
	if n.UndoneAt, err = parseTime(undone.String); err != nil {
		return crm.Note{}, err
	}
	rows, err := q.QueryContext(ctx, `SELECT kind, customer_id, ref_id, old, new FROM note_effects
		WHERE shop_id = ? AND note_id = ? ORDER BY seq`, shopID, noteID)
	if err != nil {
		return crm.Note{}, fmt.Errorf("read effects of note %d: %w", noteID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var e crm.Effect
		var kind string
		if err := rows.Scan(&kind, &e.CustomerID, &e.RefID, &e.Old, &e.New); err != nil {
			return crm.Note{}, fmt.Errorf("read effects of note %d: %w", noteID, err)
		}
		e.Kind = crm.EffectKind(kind)
		n.Effects = append(n.Effects, e)
	}
	if err := rows.Err(); err != nil {
		return crm.Note{}, fmt.Errorf("read effects of note %d: %w", noteID, err)
	}
	return n, nil
}

// querier is what both *sql.DB and *sql.Tx offer for reading.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Note returns one note of the shop with its effects; crm.ErrNotFound when
// there is none.
func (db *DB) Note(ctx context.Context, shopID, noteID int64) (crm.Note, error) {
	n, err := loadNote(ctx, db.db, shopID, noteID)
	if err != nil {
		return crm.Note{}, fmt.Errorf("storage: note: %w", err)
	}
	return n, nil
}

// LastNote returns the author's latest note in the shop that is still in
// effect, with its effects.
func (db *DB) LastNote(ctx context.Context, shopID int64, platform, authorID string) (crm.Note, error) {
	var id int64
	err := db.db.QueryRowContext(ctx, `SELECT id FROM notes
		WHERE shop_id = ? AND platform = ? AND author_id = ? AND undone_at IS NULL
		ORDER BY id DESC LIMIT 1`, shopID, platform, authorID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return crm.Note{}, fmt.Errorf("storage: last note: %w", crm.ErrNotFound)
	}
	if err != nil {
		return crm.Note{}, fmt.Errorf("storage: last note: %w", err)
	}
	n, err := loadNote(ctx, db.db, shopID, id)
	if err != nil {
		return crm.Note{}, fmt.Errorf("storage: last note: %w", err)
	}
	return n, nil
}
