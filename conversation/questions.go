package conversation

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/dangol/dangol/conversation/parse"
	"github.com/dangol/dangol/crm"
)

// maxListed is how many customers an answer names before "+N more".
const maxListed = 10

// question answers a counter question ("오늘 생일인 사람?", "who hasn't
// been in for a while?", "이번주 몇 명 왔어?", "오늘 예약?"). It records
// nothing.
func (e *Engine) question(ctx context.Context, s *session, r parse.Result) ([]Reply, error) {
	q := r.Question
	if q == nil {
		return one(e.cat.T(s.lang, "note.hint", nil)), nil
	}
	from, to := q.From, q.To
	if from.IsZero() {
		from = s.today()
	}
	if to.IsZero() || to.Before(from) {
		to = from
	}
	span := e.span(s, from, to)
	switch q.Kind {
	case parse.AskBirthdays:
		return e.askBirthdays(ctx, s, from, to, span)
	case parse.AskLapsed:
		return e.askLapsed(ctx, s)
	case parse.AskVisits:
		visits, customers, err := e.store.CountVisits(ctx, s.shop.ID, from, to)
		if err != nil {
			return e.fail(s.lang, fmt.Errorf("conversation: count visits: %w", err))
		}
		return one(e.cat.N(s.lang, "ask.visits", visits, map[string]any{"Span": span,
			"Customers": e.cat.N(s.lang, "ask.customers", customers, nil)})), nil
	case parse.AskBookings:
		bs, err := e.store.Bookings(ctx, s.shop.ID, from, to)
		if err != nil {
			return e.fail(s.lang, fmt.Errorf("conversation: bookings: %w", err))
		}
		if len(bs) == 0 {
			return one(e.cat.T(s.lang, "ask.bookings_none", map[string]any{"Span": span})), nil
		}
		lines := []string{e.cat.T(s.lang, "ask.bookings", map[string]any{"Span": span, "Count": len(bs)})}
		for _, b := range bs {
			lines = append(lines, e.bookingLine(s.lang, s.shop, b))
		}
		return one(strings.Join(lines, "\n")), nil
	}
	return one(e.cat.T(s.lang, "note.hint", nil)), nil
}

// span names the days a question is about: "오늘", "내일", "이번 주"
// (Monday to Sunday), "11/28 토", "11/23 월–11/25 수".
func (e *Engine) span(s *session, from, to crm.Date) string {
	today := s.today()
	monday := today.AddDays(-((int(today.Weekday()) + 6) % 7))
	switch {
	case from == to && from == today:
		return e.cat.T(s.lang, "span.today", nil)
	case from == to && from == today.AddDays(1):
		return e.cat.T(s.lang, "span.tomorrow", nil)
	case from == to:
		return e.shortDate(s.lang, from)
	case from == monday && to == monday.AddDays(6):
		return e.cat.T(s.lang, "span.this_week", nil)
	case from == monday.AddDays(7) && to == monday.AddDays(13):
		return e.cat.T(s.lang, "span.next_week", nil)
	case from == monday.AddDays(-7) && to == monday.AddDays(-1):
		return e.cat.T(s.lang, "span.last_week", nil)
	}
	return e.shortDate(s.lang, from) + "–" + e.shortDate(s.lang, to)
}

// askBirthdays names the customers whose birthday falls on from … to.
func (e *Engine) askBirthdays(ctx context.Context, s *session, from, to crm.Date, span string) ([]Reply, error) {
	hist, err := e.store.Summaries(ctx, s.shop.ID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: birthdays: %w", err))
	}
	type bday struct {
		name string
		on   crm.Date
	}
	var found []bday
	for _, h := range hist {
		md := h.Customer.Birthday
		if md.IsZero() {
			continue
		}
		for y := from.Year; y <= to.Year; y++ {
			if d := md.In(y); !d.Before(from) && !d.After(to) {
				found = append(found, bday{h.Customer.Name, d})
				break
			}
		}
	}
	if len(found) == 0 {
		return one(e.cat.T(s.lang, "ask.birthdays_none", map[string]any{"Span": span})), nil
	}
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].on != found[j].on {
			return found[i].on.Before(found[j].on)
		}
		return found[i].name < found[j].name
	})
	names := make([]string, 0, len(found))
	for _, b := range found[:min(len(found), maxListed)] {
		if from == to {
			names = append(names, b.name)
		} else {
			names = append(names, e.cat.T(s.lang, "ask.birthday_on", map[string]any{"Name": b.name,
				"Date": e.shortDate(s.lang, b.on)}))
		}
	}
	text := e.cat.T(s.lang, "ask.birthdays", map[string]any{"Span": span, "Names": strings.Join(names, ", ")})
	if more := len(found) - maxListed; more > 0 {
		text += " " + e.cat.N(s.lang, "ask.more", more, nil)
	}
	return one(text), nil
}

// askLapsed names the customers who have not been in for the shop's
// lapsed days or longer, regulars first.
func (e *Engine) askLapsed(ctx context.Context, s *session) ([]Reply, error) {
	hist, err := e.store.Summaries(ctx, s.shop.ID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: lapsed: %w", err))
	}
	today := crm.DayNumber(s.today())
	type gone struct {
		name         string
		days, visits int
	}
	var found []gone
	for _, h := range hist {
		// Days are distinct and ascending: those up to today count.
		n := len(h.Days)
		for n > 0 && int(h.Days[n-1]) > today {
			n--
		}
		if n == 0 {
			continue
		}
		if since := today - int(h.Days[n-1]); since >= s.shop.LapsedDays {
			found = append(found, gone{h.Customer.Name, since, n})
		}
	}
	if len(found) == 0 {
		return one(e.cat.T(s.lang, "ask.lapsed_none", map[string]any{"Days": s.shop.LapsedDays})), nil
	}
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].visits != found[j].visits {
			return found[i].visits > found[j].visits
		}
		if found[i].days != found[j].days {
			return found[i].days < found[j].days
		}
		return found[i].name < found[j].name
	})
	names := make([]string, 0, maxListed)
	for _, g := range found[:min(len(found), maxListed)] {
		names = append(names, e.cat.T(s.lang, "ask.lapsed_one", map[string]any{"Name": g.name, "Days": g.days}))
	}
	text := e.cat.T(s.lang, "ask.lapsed", map[string]any{"Days": s.shop.LapsedDays, "Names": strings.Join(names, ", ")})
	if more := len(found) - maxListed; more > 0 {
		text += " " + e.cat.N(s.lang, "ask.more", more, nil)
	}
	return one(text), nil
}
