package conversation

import (
	"context"
	"fmt"
	"strings"

	"github.com/dangol/dangol/crm"
)

// lookup shows the card of the customer called name.
func (e *Engine) lookup(ctx context.Context, s *session, name string) ([]Reply, error) {
	c, replies, err := e.one(ctx, s, name, "card:")
	if c == nil {
		return replies, err
	}
	return e.card(ctx, s, *c, false)
}

// card shows what is known about one customer.
func (e *Engine) card(ctx context.Context, s *session, c crm.Customer, edit bool) ([]Reply, error) {
	visits, err := e.store.Visits(ctx, s.shop.ID, c.ID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: card visits: %w", err))
	}
	facts, err := e.store.Facts(ctx, s.shop.ID, c.ID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: card facts: %w", err))
	}
	bookings, err := e.store.CustomerBookings(ctx, s.shop.ID, c.ID, s.today())
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: card bookings: %w", err))
	}
	text := e.renderCard(s.lang, s.shop, crm.BuildCard(c, visits, facts))
	if len(bookings) > 0 {
		list := make([]string, 0, min(len(bookings), maxCardBookings))
		for _, b := range bookings[:min(len(bookings), maxCardBookings)] {
			t := e.bookingWhen(s.lang, b)
			if b.What != "" {
				t += " " + b.What
			}
			list = append(list, t)
		}
		text += "\n" + e.cat.T(s.lang, "card.bookings", map[string]any{"List": strings.Join(list, " · ")})
	}
	return []Reply{{Text: text, Edit: edit, Buttons: e.factButtons(s, c, facts)}}, nil
}

// maxCardBookings is how many upcoming bookings a card lists.
const maxCardBookings = 3

func (e *Engine) renderCard(l string, shop crm.Shop, card crm.Card) string {
	var b strings.Builder
	head := map[string]any{"Name": card.Customer.Name, "Visits": card.VisitCount}
	if card.VisitCount == 0 {
		b.WriteString(e.cat.T(l, "card.head_new", head))
	} else {
		head["Last"] = e.shortDate(l, card.LastVisit)
		b.WriteString(e.cat.N(l, "card.head", card.VisitCount, head))
	}
	line := func(key string, data map[string]any) {
		b.WriteString("\n")
		b.WriteString(e.cat.T(l, key, data))
	}
	if len(card.Recent) > 0 {
		recent := make([]string, len(card.Recent))
		for i, v := range card.Recent {
			recent[i] = e.shortDate(l, v.Date)
			if len(v.Items) > 0 {
				items := make([]string, len(v.Items))
				for j, it := range v.Items {
					items[j] = e.cat.T(l, "confirm.item", map[string]any{"Name": it.Name, "Qty": it.Qty})
				}
				recent[i] += " " + strings.Join(items, ", ")
			}
			if v.Amount > 0 {
				recent[i] += " (" + e.money(l, v.Amount, orShop(v.Currency, shop)) + ")"
			}
		}
		line("card.recent", map[string]any{"Visits": strings.Join(recent, " · ")})
	}
	if len(card.Favorites) > 0 {
		names := make([]string, len(card.Favorites))
		for i, f := range card.Favorites {
			names[i] = f.Name
		}
		line("card.favorites", map[string]any{"Items": strings.Join(names, ", ")})
	}
	if card.UsualWeekday != crm.NoWeekday {
		key := "card.weekday"
		if card.WeekdayInferred {
			key = "card.weekday_inferred"
		}
		line(key, map[string]any{"Day": e.weekday(l, card.UsualWeekday)})
	}
	if t := card.Customer.UsualTime; t != "" {
		line("card.usual_time", map[string]any{"Time": t})
	}
	if len(card.Allergies) > 0 {
		line("card.allergies", map[string]any{"What": strings.Join(card.Allergies, ", ")})
	}
	if len(card.Likes) > 0 {
		line("card.likes", map[string]any{"What": strings.Join(card.Likes, ", ")})
	}
	if len(card.Dislikes) > 0 {
		line("card.dislikes", map[string]any{"What": strings.Join(card.Dislikes, ", ")})
	}
	if !card.Customer.Birthday.IsZero() {
		line("card.birthday", map[string]any{"Date": e.monthDay(l, card.Customer.Birthday)})
	}
	line("card.consent."+string(card.Customer.Consent), nil)
	for _, n := range card.Notes {
		line("card.note", map[string]any{"What": n})
	}
	return b.String()
}
