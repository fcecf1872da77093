package crm

import (
	"context"
	"time"
)

// Change is everything one owner note asks to change about one customer.
// Applying a Change is all-or-nothing.
type Change struct {
	// CustomerID names an existing customer; when 0, a new customer called
	// NewName is created.
	CustomerID int64
	NewName    string
	// NewUnlessExists, with NewName, says the name was looked up and
	// nobody was found: when the shop has a customer of that name by the
	// time the change is written (another note about the same new name
	// at the same moment), the change is about them rather than a second
	// customer of the name; with several, it fails with ErrAmbiguous so
	// that the owner is asked. Without it (the owner chose "new customer"),
	// a customer is always created.
	NewUnlessExists bool

	Visit        *VisitInput  // nil when the note records no visit
	Facts        []FactInput  // allergies, likes, dislikes, free notes
	Birthday     MonthDay     // zero: unchanged
	UsualWeekday time.Weekday // NoWeekday: unchanged
	UsualTime    string       // usual time of day "HH:MM"; "": unchanged
	Rename       string       // "": unchanged
	Alias        *AliasInput  // an item alias the owner confirmed
	MergeItem    *MergeInput  // a new item the owner said is an existing one
	// RemoveFacts are facts of the customer to delete, matched by kind and
	// value (ignoring case); one the customer does not have is an
	// ErrNotFound.
	RemoveFacts []FactInput
	Booking     *BookingInput  // something the customer booked
	Correct     *CorrectInput  // a correction of one of the customer's visits
	Lexicon     []LexiconInput // words the shop taught; need no customer
}

// IsEmpty reports whether c would change nothing.
func (c Change) IsEmpty() bool {
	return c.Visit == nil && len(c.Facts) == 0 && c.Birthday.IsZero() &&
		c.UsualWeekday == NoWeekday && c.UsualTime == "" && c.Rename == "" && c.Alias == nil &&
		c.MergeItem == nil && len(c.RemoveFacts) == 0 && c.Booking == nil && c.Correct == nil &&
		len(c.Lexicon) == 0
}

// VisitInput is a visit to record.
type VisitInput struct {
	Date     Date
	Amount   int64  // in the smallest unit of Currency
	Currency string // ISO 4217; "" for the shop's currency
	Items    []ItemQty
	Context  []string
}

// CorrectInput mends a visit a recent note recorded: the quantity of one
// of its items, its day, or both.
type CorrectInput struct {
	VisitID int64
	Item    string // the item (catalog name or alias) whose quantity changes
	Qty     int    // the new quantity; 0: unchanged
	Date    Date   // the new day; zero: unchanged
}

// ItemQty is an item name as the owner wrote it (or as the catalog knows it)
// with a quantity of at least 1.
type ItemQty struct {
	Name string
	Qty  int
}

// FactInput is a fact to record.
type FactInput struct {
	Kind  FactKind
	Value string
}

// AliasInput makes Alias another name for the shop's item Item.
type AliasInput struct {
	Alias string
	Item  string
}

// MergeInput makes From, a catalog item that note NoteID created, an alias
// of the existing item Into: the item's visit lines move onto Into (adding
// up quantities where a visit has both) and the item itself goes.
type MergeInput struct {
	NoteID int64
	From   string
	Into   string
}

// NoteInput is one message from an owner or staff member and the change it
// asks for. Text is kept verbatim.
type NoteInput struct {
	ShopID   int64
	Platform string
	AuthorID string
	Text     string
	At       time.Time
	Change   Change
	// More are the changes for the other customers the same note names
	// ("Tom 2 croissants, Sarah 1 latte"): the note, with every change,
	// is one transaction and one undo. Each needs a customer.
	More []Change
	// Cursor, when set, is stored in the same transaction as the note, so a
	// messenger update is never recorded twice or lost.
	Cursor *Cursor
}

// Cursor is a named position in an inbound stream, such as the last handled
// Telegram update id.
type Cursor struct {
	Name  string
	Value int64
	// Reply, when set, is stored with the cursor in the same transaction
	// as the update's unsent answer.
	Reply *ReplyDraft
}

// Pending is a note waiting for the owner's answer, such as which of two
// customers called Kim was meant. Payload is opaque to storage.
type Pending struct {
	ID        int64
	ShopID    int64
	Platform  string
	AuthorID  string
	Text      string
	Payload   []byte
	CreatedAt time.Time
}

// ShopStore keeps shops and their members.
type ShopStore interface {
	CreateShop(ctx context.Context, s Shop) (Shop, error)
	Shop(ctx context.Context, id int64) (Shop, error)
	ShopByCode(ctx context.Context, code string) (Shop, error)
	Shops(ctx context.Context) ([]Shop, error)
	UpdateShop(ctx context.Context, s Shop) error
	AddMember(ctx context.Context, m Member) error
	RemoveMember(ctx context.Context, shopID int64, platform, userID string) error
	// Memberships returns every shop membership of one messenger user.
	Memberships(ctx context.Context, platform, userID string) ([]Member, error)
	Members(ctx context.Context, shopID int64) ([]Member, error)
}

// CustomerStore reads customers and what is known about them.
type CustomerStore interface {
	Customer(ctx context.Context, shopID, id int64) (Customer, error)
	// FindCustomers returns the shop's customers whose name, alias or given
	// name matches name, case-insensitively, best matches first.
	FindCustomers(ctx context.Context, shopID int64, name string) ([]Customer, error)
	// Names returns the shop's customer names and aliases, and item names
	// and aliases, for the note parser.
	Names(ctx context.Context, shopID int64) (customers, items []string, err error)
	Visits(ctx context.Context, shopID, customerID int64) ([]Visit, error)
	Facts(ctx context.Context, shopID, customerID int64) ([]Fact, error)
	// ForgetCustomer deletes the customer, their visits and facts, and the
	// notes that named them; only an anonymous line that an erasure
	// happened is kept.
	ForgetCustomer(ctx context.Context, shopID, customerID int64, at time.Time) error
}

// NoteStore records notes and reverses them.
type NoteStore interface {
	// RecordNote applies the note's change and keeps the note with its
	// effects, all in one transaction.
	RecordNote(ctx context.Context, in NoteInput) (Note, error)
	// UndoNote reverses one note's effects. Only the note's author may undo
	// it, and only while it is among their latest notes; a second undo
	// returns ErrAlreadyDone. A cursor, when given, is stored in the same
	// transaction.
	UndoNote(ctx context.Context, shopID, noteID int64, platform, authorID string, at time.Time, cursor *Cursor) (Note, error)
	// Note returns one note of the shop with its effects.
	Note(ctx context.Context, shopID, noteID int64) (Note, error)
	// LastNote returns the author's latest note still in effect.
	LastNote(ctx context.Context, shopID int64, platform, authorID string) (Note, error)
	SavePending(ctx context.Context, p Pending) (Pending, error)
	// TakePending returns and deletes a pending note; ErrNotFound when it
	// was already taken.
	TakePending(ctx context.Context, shopID, id int64) (Pending, error)
	Cursor(ctx context.Context, name string) (int64, error)
	SetCursor(ctx context.Context, c Cursor) error
}

// Store is all of Dangol's storage.
type Store interface {
	ShopStore
	CustomerStore
	NoteStore
	AccessStore
	LedgerStore
	DigestStore
	SettingStore
	CustomerChatStore
	OutboxStore
	LoopStore
	GuardStore
	PrivacyStore
	BookingStore
	LexiconStore
	CounterStore
	JourneyStore
	IOStore
	SummaryStore
	ShopNamesStore
}

// UndoWindow is how many of an author's latest notes can still be undone.
const UndoWindow = 20
