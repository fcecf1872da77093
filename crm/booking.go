package crm

import (
	"context"
	"time"
)

// Booking is something a customer arranged for a later (or the same) day:
// a pickup, a table, a cake, a stay. Messages before and after a stay build
// on it.
type Booking struct {
	ID         int64
	ShopID     int64
	CustomerID int64
	Customer   string // the customer's name when the booking was read
	NoteID     int64  // the note that recorded it
	Date       Date   // the day booked (the first night of a stay)
	End        Date   // the last day of a stay; zero for one day
	Time       string // "15:00" in the shop's time zone; "" when none was given
	What       string // "케이크 2호", "cake pickup"; "" when only the booking was noted
	Amount     int64  // in the smallest unit of Currency; 0 when unknown
	Currency   string // ISO 4217; "" for the shop's currency
	CreatedAt  time.Time
}

// LastDay returns the last day the booking covers.
func (b Booking) LastDay() Date {
	if b.End.IsZero() {
		return b.Date
	}
	return b.End
}

// BookingInput is a booking to record with a note.
type BookingInput struct {
	Date     Date
	End      Date   // zero for one day; else on or after Date
	Time     string // "HH:MM" or ""
	What     string
	Amount   int64
	Currency string
}

// BookingStore reads bookings. They are written by notes (Change.Booking),
// removed by undoing the note and erased with their customer.
type BookingStore interface {
	// Bookings returns the shop's bookings whose days overlap from … to
	// (both included), by day, then time (bookings without a time first),
	// then the order they were noted.
	Bookings(ctx context.Context, shopID int64, from, to Date) ([]Booking, error)
	// CustomerBookings returns one customer's bookings that last until
	// from or later, in the same order.
	CustomerBookings(ctx context.Context, shopID, customerID int64, from Date) ([]Booking, error)
}
