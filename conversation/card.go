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
	return []Reply{{Text: e.renderCard(s.lang, crm.BuildCard(c, visits, facts)), Edit: edit}}, nil
}

func (e *Engine) renderCard(l string, card crm.Card) string {
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
