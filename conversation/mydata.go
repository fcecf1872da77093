package conversation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// MyData is everything a shop keeps about one customer, as the customer
// receives it ("my data" / "내 정보").
type MyData struct {
	Shop            string          `json:"shop"`
	Name            string          `json:"name"`
	Aliases         []string        `json:"aliases"`
	Birthday        string          `json:"birthday,omitempty"` // MM-DD
	UsualWeekday    string          `json:"usual_weekday,omitempty"`
	UsualTime       string          `json:"usual_time,omitempty"` // HH:MM
	Visits          []MyVisit       `json:"visits"`
	Bookings        []MyBooking     `json:"bookings"`
	Facts           []MyFact        `json:"facts"`
	Consent         []MyConsent     `json:"consent"`
	Messages        []MyMessage     `json:"messages"`
	Chat            MyChat          `json:"chat"`
	RetentionMonths int             `json:"retention_months"`
	CreatedAt       time.Time       `json:"created_at"`
	Purposes        map[string]bool `json:"receives"`
}

// MyVisit is one visit in MyData.
type MyVisit struct {
	Date     string   `json:"date"`
	Items    []string `json:"items"`
	Amount   int64    `json:"amount,omitempty"`   // in the smallest unit of Currency
	Currency string   `json:"currency,omitempty"` // ISO 4217
	Context  []string `json:"context,omitempty"`
	Note     string   `json:"note,omitempty"`
}

// MyBooking is one booking in MyData.
type MyBooking struct {
	Date     string `json:"date"`
	End      string `json:"end,omitempty"`
	Time     string `json:"time,omitempty"`
	What     string `json:"what,omitempty"`
	Amount   int64  `json:"amount,omitempty"`
	Currency string `json:"currency,omitempty"`
}

// MyFact is one noted fact in MyData.
type MyFact struct {
	ID    int64     `json:"id"`
	Kind  string    `json:"kind"`
	Value string    `json:"value"`
	At    time.Time `json:"at"`
}

// MyConsent is one line of the consent ledger in MyData.
type MyConsent struct {
	Purpose string    `json:"purpose"`
	Granted bool      `json:"granted"`
	At      time.Time `json:"at"`
	Channel string    `json:"channel"`
	Notice  string    `json:"notice"`
}

// MyMessage is one message to the customer, or notice about them, in
// MyData.
type MyMessage struct {
	To      string    `json:"to"` // "customer" or "member" (a notice to the shop)
	Purpose string    `json:"purpose,omitempty"`
	Status  string    `json:"status"`
	Reason  string    `json:"reason,omitempty"`
	Text    string    `json:"text,omitempty"`
	At      time.Time `json:"at"`
	SentAt  time.Time `json:"sent_at,omitzero"`
}

// MyChat is the customer's chat link in MyData.
type MyChat struct {
	Platform    string    `json:"platform"`
	UserID      string    `json:"user_id"`
	Lang        string    `json:"lang"`
	Joined      time.Time `json:"joined"`
	QuietHours  string    `json:"quiet_hours,omitempty"`
	LastWritten time.Time `json:"last_written,omitzero"`
}

// myData shows the customer everything the shop keeps about them, readable
// and as a JSON file.
func (e *Engine) myData(ctx context.Context, s *session, l crm.CustomerLink) ([]Reply, error) {
	d, card, err := e.collectMyData(ctx, s.shop, l)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: my data: %w", err))
	}
	lang := s.lang
	lines := []string{e.cat.T(lang, "customer.data.head", map[string]any{"Shop": s.shop.Name, "Name": d.Name})}
	add := func(key string, data map[string]any) { lines = append(lines, e.cat.T(lang, key, data)) }
	if len(d.Aliases) > 0 {
		add("customer.data.aliases", map[string]any{"Names": strings.Join(d.Aliases, ", ")})
	}
	if !card.Customer.Birthday.IsZero() {
		add("card.birthday", map[string]any{"Date": e.monthDay(lang, card.Customer.Birthday)})
	}
	if card.UsualWeekday != crm.NoWeekday {
		add("card.weekday", map[string]any{"Day": e.weekday(lang, card.UsualWeekday)})
	}
	if d.UsualTime != "" {
		add("card.usual_time", map[string]any{"Time": d.UsualTime})
	}
	if len(card.Favorites) > 0 {
		names := make([]string, len(card.Favorites))
		for i, f := range card.Favorites {
			names[i] = f.Name
		}
		add("card.favorites", map[string]any{"Items": strings.Join(names, ", ")})
	}
	if len(d.Visits) > 0 {
		vs := make([]string, 0, len(d.Visits))
		for _, v := range d.Visits {
			date, _ := crm.ParseDate(v.Date)
			line := e.shortDate(lang, date)
			if len(v.Items) > 0 {
				line += " " + strings.Join(v.Items, ", ")
			}
			if v.Amount > 0 {
				line += " (" + e.money(lang, v.Amount, orShop(v.Currency, s.shop)) + ")"
			}
			vs = append(vs, line)
		}
		lines = append(lines, e.cat.N(lang, "customer.data.visits", len(d.Visits), map[string]any{"Visits": strings.Join(vs, " · ")}))
	}
	if len(d.Bookings) > 0 {
		list := make([]string, 0, len(d.Bookings))
		for _, b := range d.Bookings {
			date, _ := crm.ParseDate(b.Date)
			end, _ := crm.ParseDate(b.End)
			t := e.bookingWhen(lang, crm.Booking{Date: date, End: end, Time: b.Time})
			if b.What != "" {
				t += " " + b.What
			}
			list = append(list, t)
		}
		add("card.bookings", map[string]any{"List": strings.Join(list, " · ")})
	}
	for _, f := range []struct {
		key  string
		what []string
	}{{"card.allergies", card.Allergies}, {"card.likes", card.Likes}, {"card.dislikes", card.Dislikes}} {
		if len(f.what) > 0 {
			add(f.key, map[string]any{"What": strings.Join(f.what, ", ")})
		}
	}
	for _, n := range card.Notes {
		add("card.note", map[string]any{"What": n})
	}
	var receives []string
	for _, p := range crm.ConsentPurposes {
		state := "customer.settings.off"
		if d.Purposes[string(p)] {
			state = "customer.settings.on"
		}
		receives = append(receives, e.cat.T(lang, "customer.settings.line", map[string]any{
			"Purpose": e.cat.T(lang, "purpose."+string(p), nil), "State": e.cat.T(lang, state, nil)}))
	}
	add("customer.data.receives", map[string]any{"What": strings.Join(receives, " · ")})
	if n := len(d.Consent); n > 0 {
		last := d.Consent[n-1]
		lines = append(lines, e.cat.N(lang, "customer.data.ledger", n, map[string]any{
			"Date": e.shortDate(lang, crm.DateOf(last.At, s.shop.Location())), "Channel": last.Channel}))
	}
	sent := 0
	for _, m := range d.Messages {
		if m.To == crm.ToCustomer && m.Status == string(crm.OutboxSent) {
			sent++
		}
	}
	lines = append(lines, e.cat.N(lang, "customer.data.messages", sent, nil))
	add("customer.data.retention", map[string]any{"Months": d.RetentionMonths})
	add("customer.data.file", nil)
	buttons := e.forgetButtons(s, card, d.Facts)
	if len(buttons) > 0 {
		add("customer.data.delete_hint", nil)
	}
	body, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: my data: %w", err))
	}
	return []Reply{{Text: strings.Join(lines, "\n"), Buttons: buttons,
		Document: &File{Name: "my-data-" + s.shop.Code + ".json", Data: body}}}, nil
}

// maxForgetButtons bounds the delete buttons under "my data".
const maxForgetButtons = 24

// forgetButtons offers the customer to delete any single thing noted
// about them: each fact, the birthday and the usual day.
func (e *Engine) forgetButtons(s *session, card crm.Card, fs []MyFact) []Button {
	var out []Button
	add := func(what, arg string) {
		if len(out) < maxForgetButtons {
			out = append(out, Button{Label: e.cat.T(s.lang, "button.forget_fact", map[string]any{"What": short(what, 24)}),
				Action: fmt.Sprintf("c:dfact:%d:%s", s.shop.ID, arg)})
		}
	}
	for _, f := range fs {
		add(e.cat.T(s.lang, "fact.kind."+f.Kind, map[string]any{"What": f.Value}), strconv.FormatInt(f.ID, 10))
	}
	if !card.Customer.Birthday.IsZero() {
		add(e.cat.T(s.lang, "card.birthday", map[string]any{"Date": e.monthDay(s.lang, card.Customer.Birthday)}), crm.FieldBirthday)
	}
	if card.UsualWeekday != crm.NoWeekday && card.Customer.UsualWeekday != crm.NoWeekday {
		add(e.cat.T(s.lang, "card.weekday", map[string]any{"Day": e.weekday(s.lang, card.UsualWeekday)}), crm.FieldWeekday)
	}
	return out
}

// forgetFact deletes one thing kept about the customer of link l, at
// their request: a fact by id, or their birthday or usual day.
func (e *Engine) forgetFact(ctx context.Context, s *session, l crm.CustomerLink, arg string) ([]Reply, error) {
	var what string
	switch arg {
	case crm.FieldBirthday, crm.FieldWeekday:
		if err := e.store.ClearCustomerField(ctx, l.ShopID, l.CustomerID, arg); err != nil {
			return e.fail(s.lang, fmt.Errorf("conversation: forget %s: %w", arg, err))
		}
		what = e.cat.T(s.lang, "customer.data.field."+arg, nil)
	default:
		id, err := strconv.ParseInt(arg, 10, 64)
		if err != nil {
			return e.stale(s), nil
		}
		f, err := e.store.DeleteFact(ctx, l.ShopID, l.CustomerID, id)
		if errors.Is(err, crm.ErrNotFound) {
			return e.stale(s), nil
		}
		if err != nil {
			return e.fail(s.lang, fmt.Errorf("conversation: forget fact: %w", err))
		}
		what = e.cat.T(s.lang, "fact.kind."+string(f.Kind), map[string]any{"What": f.Value})
	}
	return one(e.cat.T(s.lang, "customer.data.forgotten", map[string]any{"What": what, "Shop": s.shop.Name})), nil
}

// collectMyData gathers everything about the customer of link l.
func (e *Engine) collectMyData(ctx context.Context, shop crm.Shop, l crm.CustomerLink) (MyData, crm.Card, error) {
	c, err := e.store.Customer(ctx, shop.ID, l.CustomerID)
	if err != nil {
		return MyData{}, crm.Card{}, err
	}
	visits, err := e.store.Visits(ctx, shop.ID, c.ID)
	if err != nil {
		return MyData{}, crm.Card{}, err
	}
	facts, err := e.store.Facts(ctx, shop.ID, c.ID)
	if err != nil {
		return MyData{}, crm.Card{}, err
	}
	events, err := e.store.ConsentEvents(ctx, shop.ID, c.ID)
	if err != nil {
		return MyData{}, crm.Card{}, err
	}
	msgs, err := e.store.OutboxFor(ctx, shop.ID, c.ID)
	if err != nil {
		return MyData{}, crm.Card{}, err
	}
	bookings, err := e.store.CustomerBookings(ctx, shop.ID, c.ID, crm.Date{Year: 1, Month: 1, Day: 1})
	if err != nil {
		return MyData{}, crm.Card{}, err
	}
	card := crm.BuildCard(c, visits, facts)
	d := MyData{Shop: shop.Name, Name: c.Name, Aliases: nonNil(c.Aliases), Birthday: c.Birthday.String(),
		UsualTime: c.UsualTime, Visits: []MyVisit{}, Bookings: []MyBooking{}, Facts: []MyFact{}, Consent: []MyConsent{}, Messages: []MyMessage{},
		RetentionMonths: e.retention(ctx, shop.ID), CreatedAt: c.CreatedAt, Purposes: map[string]bool{},
		Chat: MyChat{Platform: l.Platform, UserID: l.UserID, Lang: l.Lang, Joined: l.CreatedAt, QuietHours: l.Quiet,
			LastWritten: l.LastInbound}}
	if c.UsualWeekday != crm.NoWeekday {
		d.UsualWeekday = c.UsualWeekday.String()
	}
	for _, v := range visits {
		mv := MyVisit{Date: v.Date.String(), Items: []string{}, Amount: v.Amount, Context: v.Context, Note: v.Note}
		if v.Amount > 0 {
			mv.Currency = orShop(v.Currency, shop)
		}
		for _, it := range v.Items {
			name := it.Name
			if it.Qty > 1 {
				name += " ×" + strconv.Itoa(it.Qty)
			}
			mv.Items = append(mv.Items, name)
		}
		d.Visits = append(d.Visits, mv)
	}
	for _, b := range bookings {
		mb := MyBooking{Date: b.Date.String(), End: b.End.String(), Time: b.Time, What: b.What, Amount: b.Amount}
		if b.Amount > 0 {
			mb.Currency = orShop(b.Currency, shop)
		}
		d.Bookings = append(d.Bookings, mb)
	}
	for _, f := range facts {
		d.Facts = append(d.Facts, MyFact{ID: f.ID, Kind: string(f.Kind), Value: f.Value, At: f.CreatedAt})
	}
	for _, ev := range events {
		d.Consent = append(d.Consent, MyConsent{Purpose: string(ev.Purpose), Granted: ev.Granted, At: ev.At,
			Channel: ev.Channel, Notice: ev.Notice})
	}
	st := crm.LatestConsent(events)
	for _, p := range crm.ConsentPurposes {
		d.Purposes[string(p)] = st.Granted(p)
	}
	for _, m := range msgs {
		d.Messages = append(d.Messages, MyMessage{To: m.To, Purpose: string(m.Purpose), Status: string(m.Status),
			Reason: string(m.Reason), Text: m.Text, At: m.CreatedAt, SentAt: m.SentAt})
	}
	return d, card, nil
}
