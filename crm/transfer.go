package crm

import (
	"context"
	"time"
)

// ShopData is a shop's own part of a whole-shop export: its name,
// language, time zone, digest settings and public code, its other settings
// by key, and its item catalog with aliases.
type ShopData struct {
	Shop     Shop
	Settings map[string]string
	Items    []ItemData
}

// ItemData is a catalog item with its aliases.
type ItemData struct {
	Name    string
	Aliases []string
}

// CustomerData is one customer in a whole-shop export, with everything
// kept about them.
type CustomerData struct {
	Name         string
	Aliases      []string
	Birthday     MonthDay
	UsualWeekday time.Weekday // NoWeekday when unknown
	CreatedAt    time.Time
	Facts        []FactData
	Visits       []VisitData // oldest first
}

// FactData is one fact about a customer.
type FactData struct {
	Kind      FactKind
	Value     string
	CreatedAt time.Time
}

// VisitData is one visit of a customer.
type VisitData struct {
	Date    Date
	Items   []ItemQty // catalog names, in the order noted
	Amount  int64
	Note    string
	Context []string
	// Key is the import key of a visit imported from a ledger (0 for one
	// from a note), so importing the same ledger again adds nothing.
	Key int64
}

// TransferStore exports a shop whole and restores it elsewhere.
type TransferStore interface {
	// ExportShop hands the shop's data to shop, then each customer, in
	// the order they were created, to customer.
	ExportShop(ctx context.Context, shopID int64, shop func(ShopData) error, customer func(CustomerData) error) error
	// RestoreShop fills a shop that has no customers and no items yet
	// with data and the customers next returns (ok false when there are
	// no more), in one transaction; it returns how many customers it
	// added. A shop that has customers or items gives ErrInvalidInput.
	RestoreShop(ctx context.Context, shopID int64, data ShopData, next func() (CustomerData, bool, error)) (int, error)
}

// RetentionStore tells how many customers retention would erase.
type RetentionStore interface {
	// CountExpiring returns how many of the shop's customers
	// ExpireCustomers would erase with the same cutoffs, and how many
	// customers the shop has.
	CountExpiring(ctx context.Context, shopID int64, cutoffDay Date, cutoff time.Time) (expiring, total int, err error)
}
