package storage

import (
	"context"
	"fmt"

	"github.com/dangol/dangol/crm"
)

// addBooking records a booking of the note's customer.
func (w *noteWriter) addBooking(b crm.BookingInput, at string) error {
	end := ""
	if !b.End.IsZero() {
		end = b.End.String()
	}
	id, err := w.insert(`INSERT INTO bookings (shop_id, customer_id, note_id, date, end_date, time, what, amount, currency, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, w.shopID, w.customerID, w.noteID, b.Date.String(), end, b.Time,
		b.What, b.Amount, b.Currency, at)
	if err != nil {
		return fmt.Errorf("insert booking: %w", err)
	}
	w.effect(crm.EffectBookingAdded, id, "", b.Date.String())
	return nil
}

const bookingColumns = `b.id, b.customer_id, c.name, coalesce(b.note_id, 0), b.date, b.end_date, b.time, b.what,
	b.amount, b.currency, b.created_at`

// Bookings returns the shop's bookings whose days overlap from … to, by
// day, then time (none first), then the order they were noted.
func (db *DB) Bookings(ctx context.Context, shopID int64, from, to crm.Date) ([]crm.Booking, error) {
	bs, err := db.bookings(ctx, shopID, `b.date <= ?2 AND max(b.date, b.end_date) >= ?3`, to.String(), from.String())
	if err != nil {
		return nil, fmt.Errorf("storage: bookings: %w", err)
	}
	return bs, nil
}

// CustomerBookings returns one customer's bookings lasting until from or
// later, in the order of Bookings.
func (db *DB) CustomerBookings(ctx context.Context, shopID, customerID int64, from crm.Date) ([]crm.Booking, error) {
	bs, err := db.bookings(ctx, shopID, `b.customer_id = ?2 AND max(b.date, b.end_date) >= ?3`, customerID, from.String())
	if err != nil {
		return nil, fmt.Errorf("storage: bookings of customer %d: %w", customerID, err)
	}
	return bs, nil
}

// bookings reads the shop's bookings matching where, whose parameters
// start at ?2 (?1 is the shop).
func (db *DB) bookings(ctx context.Context, shopID int64, where string, args ...any) ([]crm.Booking, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+bookingColumns+` FROM bookings b
		JOIN customers c ON c.shop_id = b.shop_id AND c.id = b.customer_id
		WHERE b.shop_id = ?1 AND `+where+` ORDER BY b.date, b.time, b.id`, append([]any{shopID}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.Booking
	for rows.Next() {
		b := crm.Booking{ShopID: shopID}
		var date, end, created string
		if err := rows.Scan(&b.ID, &b.CustomerID, &b.Customer, &b.NoteID, &date, &end, &b.Time, &b.What,
			&b.Amount, &b.Currency, &created); err != nil {
			return nil, err
		}
		if b.Date, err = crm.ParseDate(date); err != nil {
			return nil, err
		}
		if end != "" {
			if b.End, err = crm.ParseDate(end); err != nil {
				return nil, err
			}
		}
		if b.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}
