// Package crm is Dangol's domain: shops and their members, customers, visits,
// the item catalog, facts, bookings, the words a shop taught Dangol, the raw
// notes owners write and the effects those notes had, and the journeys
// (If-Then rules) owners write with what they fired. It holds types, pure rules and the storage interfaces the rest of
// Dangol depends on; it does no I/O and imports nothing else of Dangol.
package crm

import (
	"errors"
	"time"
)

// Errors that storage implementations return, wrapped, so callers can test
// them with errors.Is.
var (
	ErrNotFound     = errors.New("not found")
	ErrNotUndoable  = errors.New("not undoable")
	ErrAlreadyDone  = errors.New("already done")
	ErrSchemaNewer  = errors.New("database is from a newer version of dangol")
	ErrInvalidInput = errors.New("invalid input")
	// ErrAmbiguous: a name given as new now names several customers.
	ErrAmbiguous = errors.New("ambiguous name")
)

// Languages a shop can speak.
const (
	LangKorean  = "ko"
	LangEnglish = "en"
)

// Defaults for a new shop.
const (
	DefaultTimeZone    = "Asia/Seoul"
	DefaultDigestTime  = "08:30"
	DefaultLapsedDays  = 60
	DefaultDigestLimit = 7
	DefaultRetention   = 24 // months after the last visit
)

// Shop is one business using Dangol. Every other record belongs to a shop.
type Shop struct {
	ID          int64
	Name        string
	Lang        string // LangKorean or LangEnglish
	TimeZone    string // IANA name, e.g. Asia/Seoul
	DigestTime  string // HH:MM in the shop's time zone
	LapsedDays  int    // days without a visit after which a customer is lapsed
	DigestLimit int    // entries shown in the digest before "+N more"
	Code        string // public code used in join links
	// Currency is the ISO 4217 code amounts are noted in (KRW, GBP …);
	// see DefaultCurrency.
	Currency  string
	CreatedAt time.Time
}

// Location returns the shop's time zone, or Asia/Seoul when it is unknown.
func (s Shop) Location() *time.Location {
	if loc, err := time.LoadLocation(s.TimeZone); err == nil && s.TimeZone != "" {
		return loc
	}
	if loc, err := time.LoadLocation(DefaultTimeZone); err == nil {
		return loc
	}
	return time.FixedZone("KST", 9*60*60)
}

// Today returns the calendar day that now falls on in the shop's time zone.
func (s Shop) Today(now time.Time) Date { return DateOf(now, s.Location()) }

// Role is what a member may do in a shop.
type Role string

// Member roles.
const (
	RoleOwner Role = "owner"
	RoleStaff Role = "staff"
)

// Member is a person who works the counter, identified by a messenger
// platform ("console", "telegram", "slack") and that platform's user id.
type Member struct {
	ShopID    int64
	Platform  string
	UserID    string
	Name      string
	Role      Role
	CreatedAt time.Time
}

// Consent is a customer's overall messaging consent state.
type Consent string

// Consent states.
const (
	ConsentNone      Consent = "none"
	ConsentGranted   Consent = "granted"
	ConsentWithdrawn Consent = "withdrawn"
)

// Customer is a shop's customer. Only what helps a greeting is kept.
type Customer struct {
	ID           int64
	ShopID       int64
	Name         string
	Aliases      []string
	Birthday     MonthDay
	UsualWeekday time.Weekday // NoWeekday when the owner never said
	UsualTime    string       // usual time of day, "07:00"; "" when the owner never said
	Consent      Consent
	CreatedAt    time.Time
}

// LineItem is one item of a visit, with its quantity.
type LineItem struct {
	ItemID int64
	Name   string
	Qty    int
}

// Visit is one customer's visit on one day.
type Visit struct {
	ID         int64
	ShopID     int64
	CustomerID int64
	NoteID     int64 // the note that recorded it; 0 when imported
	Date       Date
	Amount     int64  // in the smallest unit of Currency; 0 when unknown
	Currency   string // ISO 4217 code of Amount; "" for the shop's currency
	Note       string // the ledger's note for this visit, if imported with one
	Items      []LineItem
	Context    []string // takeout, morning, with kids …
}

// FactKind says what a fact is about.
type FactKind string

// Fact kinds.
const (
	FactAllergy FactKind = "allergy"
	FactLike    FactKind = "like"
	FactDislike FactKind = "dislike"
	FactNote    FactKind = "note"
)

// Fact is something the owner noted about a customer.
type Fact struct {
	ID         int64
	CustomerID int64
	NoteID     int64
	Kind       FactKind
	Value      string
	CreatedAt  time.Time
}

// Item is an entry of a shop's item catalog: the name the shop uses and the
// other names owners have typed for it.
type Item struct {
	ID      int64
	ShopID  int64
	Name    string
	Aliases []string
}

// Note is a raw message an owner or staff member wrote that changed data,
// kept verbatim with what it changed.
type Note struct {
	ID        int64
	ShopID    int64
	Platform  string
	AuthorID  string
	Text      string
	CreatedAt time.Time
	UndoneAt  time.Time // zero while in effect
	Effects   []Effect
}

// EffectKind names one kind of change a note made. Each kind says what
// its Effect's RefID, Old and New hold and how undoing the note reverses
// it; field changes are reversed only where the field still holds the
// value the note set.
type EffectKind string

// Effect kinds.
const (
	// A customer was created: RefID the customer, New the name. Undo
	// deletes them when nothing else refers to them.
	EffectCustomerCreated EffectKind = "customer_created"
	// A visit was added: RefID the visit, New its date. Undo deletes it.
	EffectVisitAdded EffectKind = "visit_added"
	// A fact was added: RefID the fact, Old its kind, New its value. Undo
	// deletes it.
	EffectFactAdded EffectKind = "fact_added"
	// Birthday (MM-DD), usual weekday (0–6, -1 unknown) and usual time of
	// day (HH:MM, "" unknown) set: RefID the customer, Old and New the
	// values. Undo puts Old back.
	EffectBirthdaySet  EffectKind = "birthday_set"
	EffectWeekdaySet   EffectKind = "weekday_set"
	EffectUsualTimeSet EffectKind = "usual_time_set"
	// A catalog item was created: RefID the item, New its name. Undo
	// deletes it when no visit line or alias uses it.
	EffectItemCreated EffectKind = "item_created"
	// An item alias was added: RefID the item, Old its name, New the
	// alias. Undo deletes the alias.
	EffectAliasAdded EffectKind = "alias_added"
	// A customer was renamed: RefID the customer, Old and New the names.
	EffectRenamed EffectKind = "renamed"
	// A merge of one catalog item into another: a visit line moved
	// (RefID the visit, Old "fromItemID:qtyMoved", New "intoItemID:qtyBefore"),
	// an alias moved (RefID the item it moved to, Old the item id it had,
	// New the alias) and the merged item deleted (RefID its id, Old its name,
	// New the id of the note that created it).
	EffectLineMoved   EffectKind = "line_moved"
	EffectAliasMoved  EffectKind = "alias_moved"
	EffectItemDeleted EffectKind = "item_deleted"
	// A fact was removed: RefID the fact's id, Old
	// "kind:noteID:createdAt" (the note that had added it, 0 for none, and
	// when), New its value. Undo puts the fact back as it was, under its
	// old id when that is free.
	EffectFactRemoved EffectKind = "fact_removed"
	// A correction changed a visit line's quantity: RefID the visit, Old
	// and New "itemID:qty". Undo puts the old quantity back.
	EffectLineQtySet EffectKind = "line_qty_set"
	// A correction moved a visit to another day: RefID the visit, Old and
	// New the dates (YYYY-MM-DD). Undo moves it back.
	EffectVisitDateSet EffectKind = "visit_date_set"
	// A booking was added: RefID the booking, New its date. Undo deletes
	// it.
	EffectBookingAdded EffectKind = "booking_added"
	// The shop taught Dangol a word: RefID 0, Old "previousRole:word"
	// ("" before the colon when the word was new), New "role:word". Undo
	// restores the previous role, or forgets the word.
	EffectLexiconSet EffectKind = "lexicon_set"
)

// Effect is one change a note made, with what is needed to reverse it.
type Effect struct {
	Kind       EffectKind
	CustomerID int64
	RefID      int64  // the visit, fact or item id the effect created
	Old, New   string // previous and new value for field changes
}
