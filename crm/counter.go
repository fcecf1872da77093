package crm

import "context"

// CounterStore answers counts that questions at the counter ask.
type CounterStore interface {
	// CountVisits returns the visits in from … to (both included; a
	// customer's visits on one day count once) and how many customers
	// they were.
	CountVisits(ctx context.Context, shopID int64, from, to Date) (visits, customers int, err error)
}
