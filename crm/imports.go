package crm

import (
	"context"
	"time"
)

// Import job statuses.
const (
	ImportQueued  = "queued"
	ImportRunning = "running"
	ImportDone    = "done"
	ImportFailed  = "failed"
)

// ImportJob is a ledger file an owner sent in the chat, imported in the
// background. The engine keeps its progress in State (opaque to storage),
// written in the same transaction as each batch of rows, so an import cut
// short resumes where it stopped.
type ImportJob struct {
	ID        int64
	ShopID    int64
	Platform  string
	UserID    string // who sent the file; told how it goes
	Name      string // the file's name as sent
	Path      string // the spooled copy being read
	Status    string // ImportQueued, ImportRunning, ImportDone or ImportFailed
	State     []byte
	CreatedAt time.Time
}

// RowProblem is a ledger row that was left out, and why: Code is a
// problem code of conversation/ledger, or "invalid" for a row storage
// refused.
type RowProblem struct {
	Line  int
	Code  string
	Value string
}

// ImportBatch is what one ImportRun.Add did.
type ImportBatch struct {
	ImportResult
	Refused []RowProblem // rows storage could not keep, by line
	// Held is how long the batch's transaction held the write lock.
	Held time.Duration
}

// ImportProgress stores a job's new State with a batch: State is called
// inside the batch's transaction, once its rows are written, with what
// they did.
type ImportProgress struct {
	JobID int64
	State func(ImportBatch) ([]byte, error)
}

// ImportRun imports one ledger in batches: each Add is one transaction,
// short enough not to hold others up, and the import keys of the rows
// (their content and how many identical rows came before them in the same
// run) make a run that repeats an earlier one, whole or in part, add
// nothing twice. It is not safe for concurrent use.
type ImportRun interface {
	// Add stores rows in one transaction, with progress when given.
	Add(ctx context.Context, rows []LedgerRow, progress *ImportProgress) (ImportBatch, error)
	// Skip counts rows a previous run already handled, so that the rows
	// after them get the same keys as then; nothing is written.
	Skip(ctx context.Context, rows []LedgerRow) error
	// BatchSize is how many rows the next Add should take to hold the
	// write lock for about the target time, judged by the batches so far.
	BatchSize() int
	// Close ends the run.
	Close() error
}

// ImportJobStore keeps background imports.
type ImportJobStore interface {
	// BeginImport starts a streaming import into the shop; at is the
	// creation time of what it adds.
	BeginImport(ctx context.Context, shopID int64, at time.Time) (ImportRun, error)
	// QueueImport records a new job, queued, with the cursor (and its
	// reply) in the same transaction.
	QueueImport(ctx context.Context, job ImportJob, cursor *Cursor) (ImportJob, error)
	// OpenImports returns the jobs not finished, oldest first.
	OpenImports(ctx context.Context) ([]ImportJob, error)
	// StartImport marks a job running.
	StartImport(ctx context.Context, id int64) error
	// FinishImport marks a job done or failed with its final state and
	// queues the notices in the same transaction.
	FinishImport(ctx context.Context, id int64, status string, state []byte, notices ...Notice) error
}
