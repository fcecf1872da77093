package crm

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A whole-shop export carries what the owner built and would miss after a
// move: the shop with its settings and currency, the item catalog, the
// words it taught Dangol, its saved rules and announcements, and every
// customer with their facts, visits, bookings and the occasions rules
// already fired for. Nothing in it names a row by its id: rules are named
// by their kind (unique in a shop), bookings and announcements by their
// place in the export (see ExportOccasion), so a restore gives every row a
// new id. What belongs to messenger accounts (members, customers' chat
// links and consent, the outbox, drafts) and what is the history of
// messages and runs (notes, exposures, rule runs, the erasure log) stays
// out: a backup of the database keeps it.

// ShopData is a shop's own part of a whole-shop export: its name,
// language, time zone, digest settings, currency and public code, its other
// settings by key, its item catalog with aliases, its lexicon, rules and
// announcements.
type ShopData struct {
	Shop     Shop
	Settings map[string]string
	Items    []ItemData
	// Lexicon holds the words the shop taught Dangol (lower-cased) with
	// their roles: LexItem, LexMemo or LexIgnore.
	Lexicon map[string]string
	// Rules are the saved rules (active and paused), oldest first; drafts
	// belong to the member writing them and stay out.
	Rules []RuleData
	// Announcements are the owner's news, oldest first.
	Announcements []AnnouncementData
	// LastDigest is the latest day whose digest was pushed (zero when
	// none), so that a shop restored on the day of a push does not push
	// it again.
	LastDigest Date
}

// ItemData is a catalog item with its aliases.
type ItemData struct {
	Name    string
	Aliases []string
}

// RuleData is one saved rule.
type RuleData struct {
	Name     string
	Kind     string // its exposure kind, "rule:…": unique in the shop, it names the rule in FiringData
	State    RuleState
	Template string
	Trigger  Trigger
	Action   Action
	SendAt   string
	Source   string
	// NextRun is when an active rule with a send time runs next (zero for
	// any other). Kept as it was, so a run missed while the shop moved
	// runs late, as one missed while Dangol was down does; zero on an
	// active rule with a send time means its first send time after
	// UpdatedAt.
	NextRun   time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// AnnouncementData is one of the owner's announcements.
type AnnouncementData struct {
	Text      string
	Day       Date
	CreatedAt time.Time
}

// CustomerData is one customer in a whole-shop export, with everything
// kept about them.
type CustomerData struct {
	Name         string
	Aliases      []string
	Birthday     MonthDay
	UsualWeekday time.Weekday // NoWeekday when unknown
	UsualTime    string       // "HH:MM"; "" when unknown
	CreatedAt    time.Time
	Facts        []FactData
	Visits       []VisitData   // oldest first
	Bookings     []BookingData // in the order they were noted
	// Fired are the occasions the shop's rules fired for the customer, in
	// the order they fired: a restored shop does not send a message again
	// for an occasion it was sent (or held out) for.
	Fired []FiringData
	// Greeted is the last day the owner marked the customer greeted, and
	// LapsedShown the day of the last pushed digest that showed them as
	// lapsed; zero when never. The digest leaves them out, or quiet, for a
	// while after.
	Greeted     Date
	LapsedShown Date
}

// FactData is one fact about a customer.
type FactData struct {
	Kind      FactKind
	Value     string
	CreatedAt time.Time
}

// VisitData is one visit of a customer.
type VisitData struct {
	Date     Date
	Items    []ItemQty // catalog names, in the order noted
	Amount   int64
	Currency string // ISO 4217 code of Amount; "" for the shop's currency
	Note     string
	Context  []string
	// Key is the import key of a visit imported from a ledger (0 for one
	// from a note), so importing the same ledger again adds nothing.
	Key int64
}

// BookingData is one booking of a customer.
type BookingData struct {
	Date      Date
	End       Date   // the last day of a stay; zero for one day
	Time      string // "HH:MM"; "" when none was given
	What      string
	Amount    int64
	Currency  string // ISO 4217; "" for the shop's currency
	CreatedAt time.Time
}

// FiringData is one time a rule fired for a customer (a message queued or
// held out, or a question asked). Rule is the rule's kind; Occasion is as
// ExportOccasion writes it. Which outbox message it queued stays out, with
// the outbox.
type FiringData struct {
	Rule       string
	Occasion   string
	Day        Date
	Action     ActionKind
	TextHash   string
	HeldOut    bool
	Topic      string
	AnsweredAt time.Time // zero while unanswered
}

// Occasions that name a booking or an announcement by id. In an export
// they name it by its place instead: "booking:#2" is the customer's second
// booking in CustomerData.Bookings, "news:#1" the first of
// ShopData.Announcements. One whose booking or announcement is gone (its
// note undone) becomes "booking:gone:ID": it never matches again, but
// still counts toward the rules' repeat and daily limits.
const (
	occasionBooking = "booking:"
	occasionNews    = "news:"
	occasionPlace   = "#"
	occasionGone    = "gone:"
)

// ExportOccasion returns occasion as an export writes it: a booking or
// announcement id becomes its place (from 1) as booking and news report it,
// or "gone:ID" when they do not know it. Other occasions stay as they are.
func ExportOccasion(occasion string, booking, news func(id int64) (place int, ok bool)) string {
	for _, k := range []struct {
		prefix string
		place  func(int64) (int, bool)
	}{{occasionBooking, booking}, {occasionNews, news}} {
		rest, ok := strings.CutPrefix(occasion, k.prefix)
		if !ok {
			continue
		}
		id, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			return occasion
		}
		if n, ok := k.place(id); ok {
			return k.prefix + occasionPlace + strconv.Itoa(n)
		}
		return k.prefix + occasionGone + rest
	}
	return occasion
}

// ImportOccasion is the reverse of ExportOccasion: a place becomes the id
// booking or news give for it. An occasion naming a booking or an
// announcement by a bare id, or by a place that is not there, is
// ErrInvalidInput: ids do not travel.
func ImportOccasion(occasion string, booking, news func(place int) (id int64, ok bool)) (string, error) {
	if strings.TrimSpace(occasion) == "" {
		return "", fmt.Errorf("empty occasion: %w", ErrInvalidInput)
	}
	for _, k := range []struct {
		prefix string
		id     func(int) (int64, bool)
	}{{occasionBooking, booking}, {occasionNews, news}} {
		rest, ok := strings.CutPrefix(occasion, k.prefix)
		if !ok {
			continue
		}
		if gone, ok := strings.CutPrefix(rest, occasionGone); ok {
			if _, err := strconv.ParseInt(gone, 10, 64); err != nil {
				return "", fmt.Errorf("occasion %q: %w", occasion, ErrInvalidInput)
			}
			return occasion, nil
		}
		place, ok := strings.CutPrefix(rest, occasionPlace)
		n, err := strconv.Atoi(place)
		if !ok || err != nil {
			return "", fmt.Errorf("occasion %q: %w", occasion, ErrInvalidInput)
		}
		id, ok := k.id(n)
		if !ok {
			return "", fmt.Errorf("occasion %q: no such place: %w", occasion, ErrInvalidInput)
		}
		return k.prefix + strconv.FormatInt(id, 10), nil
	}
	return occasion, nil
}

// TransferStore exports a shop whole and restores it elsewhere.
type TransferStore interface {
	// ExportShop hands the shop's data to shop, then each customer, in
	// the order they were created, to customer, all read from one
	// snapshot.
	ExportShop(ctx context.Context, shopID int64, shop func(ShopData) error, customer func(CustomerData) error) error
	// RestoreShop fills a shop that has no customers, items, rules,
	// announcements or lexicon words yet with data and the customers next
	// returns (ok false when there are no more), in one transaction; it
	// returns how many customers it added. Rows get new ids; occasions
	// are mapped back with ImportOccasion. A shop that has data gives
	// ErrInvalidInput, as does data that could not have been exported (a
	// firing of a rule the data does not have, two rules of one kind …).
	RestoreShop(ctx context.Context, shopID int64, data ShopData, next func() (CustomerData, bool, error)) (int, error)
}

// RetentionStore tells how many customers retention would erase.
type RetentionStore interface {
	// CountExpiring returns how many of the shop's customers
	// ExpireCustomers would erase with the same cutoffs, and how many
	// customers the shop has.
	CountExpiring(ctx context.Context, shopID int64, cutoffDay Date, cutoff time.Time) (expiring, total int, err error)
}
