package crm

import (
	"context"
	"errors"
	"time"
)

// ErrTemporary is wrapped by storage errors that may go away when the
// same thing is tried again later: the database was locked or busy past
// its timeout, or a read or write of the file failed. Input that can never
// be stored fails with ErrInvalidInput instead.
var ErrTemporary = errors.New("temporary failure; try again later")

// ReplyDraft asks a transaction that stores a Cursor to store, with it,
// the answer to the update the cursor names (see UnsentReply). Render is
// called inside the transaction with the note the transaction recorded or
// undid (the zero Note when none) and returns the encoded answer; nil
// stores nothing. Render must not use the store.
type ReplyDraft struct {
	Route  string
	Render func(n Note) ([]byte, error)
}

// UnsentReply is the answer to one messenger update, stored in the same
// transaction as what the update did, so that a crash between the commit
// and the answer loses neither: the adapter sends what is unsent when it
// starts, and marks each answer sent once delivered.
type UnsentReply struct {
	Stream    string // the update stream: its cursor's name
	Update    int64  // the update: the cursor's value
	Route     string // where the answer goes, in the adapter's own terms
	Payload   []byte // the answer, as the engine encoded it
	CreatedAt time.Time
}

// ReplyStore keeps answers not yet delivered.
type ReplyStore interface {
	// UnsentReplies returns the unsent answers of the streams whose name
	// starts with prefix, oldest first.
	UnsentReplies(ctx context.Context, prefix string) ([]UnsentReply, error)
	// MarkReplySent forgets a delivered answer; an unknown one is no
	// error.
	MarkReplySent(ctx context.Context, stream string, update int64) error
}

// IOStore is what the reliability and data-transfer features add to the
// store: unsent answers, background imports, whole-shop export and import,
// online backups and the retention safeguard.
type IOStore interface {
	ReplyStore
	ImportJobStore
	TransferStore
	RetentionStore
}
