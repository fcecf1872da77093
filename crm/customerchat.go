package crm

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"time"
)

// Purpose is what a message to a customer is for. The first three are
// what a customer consents to, each on its own; the others are service
// messages that need no consent of their own but never reach a customer
// who has withdrawn from everything (see Permits).
type Purpose string

// Message purposes.
const (
	PurposeReminders Purpose = "reminders" // "we have your usual ready", "see you Thursday"
	PurposeOffers    Purpose = "offers"    // advertising
	PurposeBirthday  Purpose = "birthday"  // a birthday message
	// PurposeReply is the shop's answer to something the customer wrote
	// within ReplyWindow: a service message that needs no consent purpose
	// of its own and does not count toward the cap, but never reaches a
	// customer who stopped everything, and waits out quiet hours.
	PurposeReply Purpose = "reply"
	// PurposeConsent asks the customer to renew their consent.
	PurposeConsent Purpose = "consent"
)

// ConsentPurposes are the purposes a customer consents to, in the order
// they are shown.
var ConsentPurposes = []Purpose{PurposeReminders, PurposeOffers, PurposeBirthday}

// IsConsentPurpose reports whether p is one a customer consents to.
func IsConsentPurpose(p Purpose) bool {
	return p == PurposeReminders || p == PurposeOffers || p == PurposeBirthday
}

// Consent rules.
const (
	// ConsentRenewYears is how old a customer's latest grant may get
	// before they are asked to renew it.
	ConsentRenewYears = 2
	// RenewalAnswerDays is how long a renewal question waits for an
	// answer before the consent lapses.
	RenewalAnswerDays = 30
	// ReplyWindow is how long after a customer wrote the shop may answer
	// them (PurposeReply).
	ReplyWindow = 24 * time.Hour
)

// ConsentEvent is one line of a customer's consent ledger: a purpose
// granted or withdrawn, when, through which channel ("telegram",
// "console", "renewal" when a renewal lapsed) and which version of the
// notice text the customer was shown. The ledger is append-only.
type ConsentEvent struct {
	ID         int64
	ShopID     int64
	CustomerID int64
	Purpose    Purpose
	Granted    bool
	At         time.Time
	Channel    string
	Notice     string
}

// ConsentState is what a customer has agreed to: the latest ledger event
// of each purpose.
type ConsentState map[Purpose]ConsentEvent

// ConsentAt folds a ledger (any order) into the state in force now. The
// ledger's order decides, not its timestamps: of two events of a purpose,
// the one recorded later (the larger ID) wins, even when the clock stepped
// back in between and its time reads earlier, or later than at. A
// withdrawal stored "in the future" by a clock that was ahead still stops
// the next message. at is kept for callers that say when they ask.
func ConsentAt(events []ConsentEvent, at time.Time) ConsentState {
	return LatestConsent(events)
}

// LatestConsent folds a whole ledger: the last recorded event of each
// purpose, by ledger sequence (ID). Events without an ID (not stored yet)
// count in the order given, after stored ones.
func LatestConsent(events []ConsentEvent) ConsentState {
	st := ConsentState{}
	for _, ev := range events {
		if cur, ok := st[ev.Purpose]; ok && ev.ID != 0 && (cur.ID == 0 || cur.ID > ev.ID) {
			continue
		}
		st[ev.Purpose] = ev
	}
	return st
}

// ChoicesBeforeStop returns the purposes the customer had granted before
// everything was last withdrawn (by STOP, or a lapsed renewal), for START
// to restore. Events recorded together (same time, channel and notice) are
// one change. ok is false when nothing was ever granted before such a
// withdrawal, or nothing is withdrawn now.
func ChoicesBeforeStop(events []ConsentEvent) (granted []Purpose, ok bool) {
	evs := append([]ConsentEvent(nil), events...)
	slices.SortStableFunc(evs, func(a, b ConsentEvent) int { return cmp.Compare(a.ID, b.ID) })
	st := ConsentState{}
	var lastActive ConsentState
	for i, ev := range evs {
		st[ev.Purpose] = ev
		next := i + 1
		if next < len(evs) && evs[next].At.Equal(ev.At) && evs[next].Channel == ev.Channel && evs[next].Notice == ev.Notice {
			continue // the same change goes on
		}
		if st.Any() {
			lastActive = maps.Clone(st)
		}
	}
	if st.Any() || lastActive == nil {
		return nil, false
	}
	for _, p := range ConsentPurposes {
		if lastActive.Granted(p) {
			granted = append(granted, p)
		}
	}
	return granted, true
}

// Granted reports whether purpose p is currently granted.
func (st ConsentState) Granted(p Purpose) bool { return st[p].Granted }

// Any reports whether any consent purpose is granted.
func (st ConsentState) Any() bool {
	for _, p := range ConsentPurposes {
		if st.Granted(p) {
			return true
		}
	}
	return false
}

// Summary is the overall state a customer card shows: granted while any
// purpose is, withdrawn once every purpose ever decided is withdrawn, none
// when the customer was never asked.
func (st ConsentState) Summary() Consent {
	switch {
	case st.Any():
		return ConsentGranted
	case len(st) > 0:
		return ConsentWithdrawn
	}
	return ConsentNone
}

// LatestGrant returns the time of the most recent grant among the purposes
// still granted; zero when none is.
func (st ConsentState) LatestGrant() time.Time {
	var t time.Time
	for _, p := range ConsentPurposes {
		if ev := st[p]; ev.Granted && ev.At.After(t) {
			t = ev.At
		}
	}
	return t
}

// LinkStatus says whether a linked customer can receive messages.
type LinkStatus string

// Link statuses.
const (
	LinkActive      LinkStatus = "active"
	LinkUnreachable LinkStatus = "unreachable" // blocked the bot, or the chat is gone
)

// CustomerLink ties a messenger user to a shop's customer record: the
// person who joined through the shop's link. A user has at most one link
// per shop and may have links to several shops.
type CustomerLink struct {
	ShopID     int64
	CustomerID int64
	Platform   string
	UserID     string
	Lang       string
	Status     LinkStatus
	// AwaitingName is true between Agree and the customer saying what the
	// shop should call them.
	AwaitingName bool
	// Quiet is the customer's own quiet hours ("22:00-09:00"), kept on top
	// of the shop's; "" for none.
	Quiet string
	// RenewalAsked is when the customer was asked to renew their consent;
	// zero when no question is open.
	RenewalAsked time.Time
	// LastInbound is when the customer last wrote to the shop.
	LastInbound time.Time
	CreatedAt   time.Time
}

// JoinInput is a person agreeing to the shop's notice: a new customer,
// linked to them, with every consent purpose granted.
type JoinInput struct {
	ShopID   int64
	Platform string
	UserID   string
	Name     string // a provisional name; the customer is asked for theirs next
	Lang     string
	Channel  string
	Notice   string // version of the notice text shown
	At       time.Time
}

// ConsentChange appends ledger events for one customer and updates the
// summary the card shows, in one transaction. Purposes whose state would
// not change get no event unless Fresh is set (a fresh record of an
// existing grant, as when a customer renews). Any open renewal question
// is closed (answered, or lapsed). Messages still waiting in the outbox
// are not touched: the outbox checks consent again before each delivery.
type ConsentChange struct {
	ShopID     int64
	CustomerID int64
	Set        map[Purpose]bool
	Fresh      bool
	Channel    string
	Notice     string
	At         time.Time
}

// Erasure reasons kept in the anonymous erasure log.
const (
	ErasureByOwner     = "customer"         // the owner's /forget
	ErasureByCustomer  = "customer_request" // the customer's own request
	ErasureByRetention = "retention"        // past the retention period
)

// ErasureCount is how many erasures of one kind happened after a given
// erasure log id, and the latest id among them.
type ErasureCount struct {
	What   string
	Count  int
	LastID int64
}

// Draft is a message a member is preparing for a customer, kept until they
// press Send, or replaced by their next message while Editing.
type Draft struct {
	ShopID     int64
	Platform   string
	UserID     string
	CustomerID int64
	Purpose    Purpose
	Text       string
	Editing    bool
	CreatedAt  time.Time
}

// DraftValidity is how long a draft (and an Edit waiting for its text)
// stays usable.
const DraftValidity = 30 * time.Minute

// CustomerChatStore keeps what customers who talk to the bot agreed to and
// how to reach them.
type CustomerChatStore interface {
	// Join creates the customer, their link and a granted ledger event for
	// every consent purpose, in one transaction, and forgets any earlier
	// decline. ErrAlreadyDone when the user is already linked to the shop.
	Join(ctx context.Context, in JoinInput) (Customer, error)
	// RecordDecline keeps only that the user declined the shop's notice.
	RecordDecline(ctx context.Context, shopID int64, platform, userID string, at time.Time) error
	// CustomerLinks returns every link of one messenger user, newest first.
	CustomerLinks(ctx context.Context, platform, userID string) ([]CustomerLink, error)
	// CustomerLink returns the link of one customer; ErrNotFound when the
	// customer never joined by chat.
	CustomerLink(ctx context.Context, shopID, customerID int64) (CustomerLink, error)
	// UpdateLink stores a link's Lang, AwaitingName, Quiet and LastInbound,
	// and marks it active (a person who writes can be reached).
	UpdateLink(ctx context.Context, l CustomerLink) error
	// SetCustomerName renames a customer who joined by chat and ends
	// AwaitingName.
	SetCustomerName(ctx context.Context, shopID, customerID int64, name string) error
	// ChangeConsent applies a ConsentChange and returns the new state.
	ChangeConsent(ctx context.Context, c ConsentChange) (ConsentState, error)
	// ConsentEvents returns a customer's ledger, oldest first.
	ConsentEvents(ctx context.Context, shopID, customerID int64) ([]ConsentEvent, error)
	// MergeCustomer makes into the record of the person who joined as
	// from: the link, consent ledger (copied, times kept), visits and facts
	// move to into, and from is deleted, all in one transaction.
	MergeCustomer(ctx context.Context, shopID, from, into int64) error
	// EraseCustomer is ForgetCustomer on the customer's own request or
	// by retention: the anonymous erasure line records why.
	EraseCustomer(ctx context.Context, shopID, customerID int64, why string, at time.Time) error
	// Erasures counts the shop's erasures with a log id above after, by
	// kind.
	Erasures(ctx context.Context, shopID, after int64) ([]ErasureCount, error)
	// ExpireCustomers erases, in one transaction, every customer of the
	// shop with no visit on or after cutoffDay and no creation, inbound
	// message or delivered message at or after cutoff. It returns how many.
	ExpireCustomers(ctx context.Context, shopID int64, cutoffDay Date, cutoff, at time.Time) (int, error)
	// RenewalDue returns the links not asked to renew yet whose consent is
	// due for renewal at now (see crm.RenewalDue).
	RenewalDue(ctx context.Context, shopID int64, now time.Time) ([]CustomerLink, error)
	// RenewalLapsed returns the links whose open renewal question has
	// lapsed at now (see crm.RenewalLapsed).
	RenewalLapsed(ctx context.Context, shopID int64, now time.Time) ([]CustomerLink, error)
	// TakeOwnPending is TakePending for a pending note of one author only:
	// ErrNotFound, and nothing deleted, when it is someone else's.
	TakeOwnPending(ctx context.Context, shopID, id int64, platform, authorID string) (Pending, error)
	// SaveDraft keeps a member's draft, replacing their earlier one.
	SaveDraft(ctx context.Context, d Draft) error
	// Draft returns the member's draft; ErrNotFound when there is none.
	Draft(ctx context.Context, shopID int64, platform, userID string) (Draft, error)
	// DeleteDraft removes the member's draft, if any.
	DeleteDraft(ctx context.Context, shopID int64, platform, userID string) error
}
