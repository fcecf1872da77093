package conversation

import (
	"context"
	"strings"

	"github.com/dangol/dangol/crm"
)

// bookingWhen writes a booking's days and time: "11/27 금 15:00", "12/20 일–12/22 화".
func (e *Engine) bookingWhen(l string, b crm.Booking) string {
	w := e.shortDate(l, b.Date)
	if !b.End.IsZero() && b.End != b.Date {
		w += "–" + e.shortDate(l, b.End)
	}
	if b.Time != "" {
		w += " " + b.Time
	}
	return w
}

// bookingText is a booking in a confirmation: "📅 예약 11/27 금 15:00 —
// 케이크 픽업 · 30,000원".
func (e *Engine) bookingText(s *session, b crm.Booking) string {
	t := e.cat.T(s.lang, "booking.text", map[string]any{"When": e.bookingWhen(s.lang, b), "What": b.What})
	if b.Amount > 0 {
		t += " · " + e.money(s.lang, b.Amount, orShop(b.Currency, s.shop))
	}
	return t
}

// orShop is currency, or the shop's when it is "".
func orShop(currency string, shop crm.Shop) string {
	if currency == "" {
		return shop.Currency
	}
	return currency
}

// bookingLine is one booking in a list: "11/27 금 15:00 권태윤 — 케이크 픽업".
func (e *Engine) bookingLine(l string, shop crm.Shop, b crm.Booking) string {
	t := e.cat.T(l, "booking.line", map[string]any{"When": e.bookingWhen(l, b), "Name": b.Customer, "What": b.What})
	if b.Amount > 0 {
		t += " · " + e.money(l, b.Amount, orShop(b.Currency, shop))
	}
	return t
}

// WithBookings puts the day's bookings under a digest's title (the
// digest of that morning): "오늘 15:00 예약: 권태윤 — 케이크 픽업". When
// the bookings cannot be read, the digest stays as it was.
func (e *Engine) WithBookings(ctx context.Context, shop crm.Shop, day crm.Date, r Reply) Reply {
	bs, err := e.store.Bookings(ctx, shop.ID, day, day)
	if err != nil {
		e.log.Error("digest bookings", "shop", shop.ID, "err", err)
		return r
	}
	if len(bs) == 0 {
		return r
	}
	lines := make([]string, len(bs))
	for i, b := range bs {
		key := "digest.booking"
		if b.Date != day {
			key = "digest.booking_stay"
		}
		lines[i] = e.cat.T(shop.Lang, key, map[string]any{"Time": b.Time, "Name": b.Customer, "What": b.What,
			"End": e.shortDate(shop.Lang, b.LastDay())})
	}
	title, rest, _ := strings.Cut(r.Text, "\n")
	r.Text = title + "\n" + strings.Join(lines, "\n")
	if rest != "" {
		r.Text += "\n" + rest
	}
	return r
}
