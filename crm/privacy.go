package crm

import (
	"context"
	"time"
)

// Redacted is what replaces a removed value in a note's kept text.
const Redacted = "…"

// Customer fields a customer may have removed on their own, besides facts.
const (
	FieldBirthday = "birthday"
	FieldWeekday  = "weekday"
)

// DropValidity is how long a fact the owner chose not to keep can still be
// brought back; after that nothing of it remains.
const DropValidity = 30 * time.Minute

// FactDrop is a fact a member removed right after noting it ("don't
// keep"), kept only for DropValidity so that it can be taken back.
type FactDrop struct {
	ID         int64
	ShopID     int64
	CustomerID int64
	Fact       Fact
	By         string // "platform:user" of the member who removed it
	At         time.Time
}

// PrivacyStore removes single things kept about a customer, everywhere
// they are kept: the fact or field itself, and its value in the note that
// recorded it (the note's text, where the value is written out, and its
// effect rows). What else the note did stays, and stays undoable.
type PrivacyStore interface {
	// Fact returns one fact of the shop; ErrNotFound when there is none.
	Fact(ctx context.Context, shopID, factID int64) (Fact, error)
	// DeleteFact erases one fact of the customer for good.
	DeleteFact(ctx context.Context, shopID, customerID, factID int64) (Fact, error)
	// ClearCustomerField erases the customer's birthday or usual weekday
	// (FieldBirthday, FieldWeekday) and what the notes that set it kept of
	// it.
	ClearCustomerField(ctx context.Context, shopID, customerID int64, field string) error
	// DropFact removes a fact as DeleteFact does, but keeps what it
	// removed until DropValidity has passed, so RestoreFact can bring it
	// back; drops older than that are purged in the same transaction.
	DropFact(ctx context.Context, shopID, factID int64, by string, at time.Time) (FactDrop, error)
	// RestoreFact brings back a drop made by the same member within
	// DropValidity, while the note that recorded the fact is in effect.
	// ErrNotFound when there is no such drop.
	RestoreFact(ctx context.Context, shopID, dropID int64, by string, at time.Time) (Fact, error)
	// PurgeDrops deletes every drop made before before.
	PurgeDrops(ctx context.Context, before time.Time) error
}
