package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// writer runs the database's write transactions one at a time, from a
// queue on the Go side (SQLite has one writer anyway; waiting in Go is
// cheaper and fairer than retrying its lock), and commits together what
// arrives together: while one transaction is being written and synced,
// the next ones queue up, and the first of them to get the turn writes
// them all in one transaction, each in a savepoint of its own, so that
// each is still all or nothing. Each caller hears back only after the
// commit, fsync included, so a write that returned nil survives a power
// cut, as before; many writes then share one sync.
type writer struct {
	db   *sql.DB
	turn chan struct{} // held by whoever is writing

	mu    sync.Mutex
	queue []*writeJob
}

// maxGroup is the most writes one transaction takes.
const maxGroup = 64

type writeJob struct {
	ctx   context.Context
	fn    func(tx *sql.Tx) error
	err   error
	taken bool          // a transaction took it (under writer.mu)
	done  chan struct{} // closed once it is committed or has failed
}

// call runs the job's fn in tx. A panic in it is the job's error: it runs
// in whichever caller's goroutine writes the group, and the others' writes
// must not go with it.
func (j *writeJob) call(tx *sql.Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("write panicked: %v", r)
		}
	}()
	return j.fn(tx)
}

func newWriter(db *sql.DB) *writer {
	return &writer{db: db, turn: make(chan struct{}, 1)}
}

// run runs fn in a write transaction, possibly shared with other writes
// that queued meanwhile, and returns when that transaction committed (nil)
// or fn's changes were undone (fn's error, or the transaction's). fn must
// not start another write.
func (w *writer) run(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	j := &writeJob{ctx: ctx, fn: fn, done: make(chan struct{})}
	w.mu.Lock()
	w.queue = append(w.queue, j)
	w.mu.Unlock()
	for {
		select {
		case <-j.done:
			return j.err
		case w.turn <- struct{}{}:
			func() {
				defer func() { <-w.turn }()
				w.writeQueued()
			}()
		case <-ctx.Done():
			w.mu.Lock()
			if !j.taken {
				w.queue = slices.DeleteFunc(w.queue, func(q *writeJob) bool { return q == j })
				w.mu.Unlock()
				return ctx.Err()
			}
			w.mu.Unlock()
			// A transaction has it: its outcome is the answer.
			<-j.done
			return j.err
		}
	}
}

// exclusive runs fn while no other write of this process runs: for a
// write on a connection of its own, such as a large import.
func (w *writer) exclusive(ctx context.Context, fn func() error) error {
	select {
	case w.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-w.turn }()
	return fn()
}

// writeQueued writes the queued jobs, up to maxGroup, in one transaction.
// The caller holds the turn.
func (w *writer) writeQueued() {
	w.mu.Lock()
	n := min(len(w.queue), maxGroup)
	jobs := slices.Clone(w.queue[:n])
	w.queue = slices.Delete(w.queue, 0, n)
	for _, j := range jobs {
		j.taken = true
	}
	w.mu.Unlock()
	if len(jobs) == 0 {
		return
	}
	defer func() {
		for _, j := range jobs {
			close(j.done)
		}
	}()
	if len(jobs) == 1 {
		// Alone: no savepoint needed.
		jobs[0].err = runTx(jobs[0].ctx, w.db, jobs[0].call)
		return
	}
	fail := func(err error) {
		for _, j := range jobs {
			if j.err == nil {
				j.err = err
			}
		}
	}
	// The transaction is not any one caller's: one giving up must not end
	// the others'.
	tx, err := w.db.BeginTx(context.Background(), nil)
	if err != nil {
		fail(temporary(err))
		return
	}
	for _, j := range jobs {
		if j.err = j.ctx.Err(); j.err != nil {
			continue
		}
		if _, err := tx.Exec(`SAVEPOINT write`); err != nil {
			tx.Rollback()
			fail(temporary(fmt.Errorf("savepoint: %w", err)))
			return
		}
		if j.err = temporary(j.call(tx)); j.err != nil {
			// Undo this one alone; when even that fails, SQLite undid the
			// whole transaction (a full disk, an interrupted statement):
			// every write of the group fails.
			_, err1 := tx.Exec(`ROLLBACK TO write`)
			_, err2 := tx.Exec(`RELEASE write`)
			if err := errors.Join(err1, err2); err != nil {
				tx.Rollback()
				fail(temporary(fmt.Errorf("transaction lost: %w", errors.Join(j.err, err))))
				return
			}
			continue
		}
		if _, err := tx.Exec(`RELEASE write`); err != nil {
			tx.Rollback()
			fail(temporary(fmt.Errorf("transaction lost: %w", err)))
			return
		}
	}
	if err := tx.Commit(); err != nil {
		fail(temporary(err))
	}
}
