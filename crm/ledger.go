package crm

import (
	"context"
	"time"
)

// LedgerRow is one visit of an owner's ledger, as imported from or
// exported to a spreadsheet.
type LedgerRow struct {
	Line     int // line in the file it came from (1 is the header); 0 when not from a file
	Date     Date
	Customer string
	Items    []ItemQty
	Amount   int64
	Note     string
	Birthday MonthDay // zero when the row does not say
}

// ImportResult says what an import added.
type ImportResult struct {
	Customers int // new customers
	Visits    int // new visits
	Skipped   int // rows imported before, left alone
}

// LedgerStore imports and exports ledgers.
type LedgerStore interface {
	// Import adds the rows' customers and visits in one transaction. A row
	// imported before (same shop, same content, same occurrence in its
	// file) is skipped, so importing a file twice adds nothing.
	Import(ctx context.Context, shopID int64, rows []LedgerRow, at time.Time) (ImportResult, error)
	// Ledger returns every visit of the shop as ledger rows, oldest first,
	// each carrying its customer's birthday.
	Ledger(ctx context.Context, shopID int64) ([]LedgerRow, error)
}

// DigestStore keeps what the digest needs and what it showed.
type DigestStore interface {
	// History returns every customer of the shop with their visit days
	// and items, allergies, likes, latest free note, the last pushed
	// digest that showed them as lapsed, and when they were last greeted.
	History(ctx context.Context, shopID int64) ([]History, error)
	// RecordDigest stores what the pushed digest of day showed, once:
	// false (and nothing written) when that day's digest was pushed
	// before.
	RecordDigest(ctx context.Context, shopID int64, day Date, shown []DigestEntry, at time.Time) (bool, error)
	// DigestPushed reports whether the digest of day was pushed.
	DigestPushed(ctx context.Context, shopID int64, day Date) (bool, error)
	// MarkGreeted records that the owner greeted the customer on day.
	MarkGreeted(ctx context.Context, shopID, customerID int64, day Date) error
}
