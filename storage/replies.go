package storage

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/dangol/dangol/crm"
)

var _ crm.ReplyStore = (*DB)(nil)

// UnsentReplies returns the unsent answers of the streams whose name
// starts with prefix, oldest first.
func (db *DB) UnsentReplies(ctx context.Context, prefix string) ([]crm.UnsentReply, error) {
	if err := db.forgetSent(ctx); err != nil {
		return nil, fmt.Errorf("storage: unsent replies: %w", err)
	}
	rows, err := db.db.QueryContext(ctx, `SELECT stream, update_id, route, payload, created_at FROM unsent_replies
		WHERE substr(stream, 1, length(?1)) = ?1 ORDER BY created_at, update_id`, prefix)
	if err != nil {
		return nil, fmt.Errorf("storage: unsent replies: %w", err)
	}
	defer rows.Close()
	var out []crm.UnsentReply
	for rows.Next() {
		var r crm.UnsentReply
		var at string
		if err := rows.Scan(&r.Stream, &r.Update, &r.Route, &r.Payload, &at); err != nil {
			return nil, fmt.Errorf("storage: unsent replies: %w", err)
		}
		if r.CreatedAt, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("storage: unsent replies: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: unsent replies: %w", err)
	}
	return out, nil
}

// sentLogBatch is how many delivered answers are logged before the log is
// applied to the database.
const sentLogBatch = 64

// sentLog records delivered answers in a file next to the database (the
// database path with "-sent"), one "stream<TAB>update" line each. A line
// is one append: once written it survives a crash of the process, without
// waiting for SQLite's write lock, which an import may be holding — so
// the moment between an answer's delivery and its record is a system call,
// not a lock wait. The lines are applied to unsent_replies in batches, and
// before unsent answers are read; a line applied twice does no harm. The
// log belongs to the process that delivers answers: another process on
// the same database (dangol import, say) leaves it alone.
type sentLog struct {
	mu    sync.Mutex // guards f, n and used
	apply sync.Mutex // one application at a time
	path  string
	f     *os.File
	n     int  // lines appended since the log was last applied
	used  bool // this process wrote to the log
}

// MarkReplySent records that an answer was delivered: it is not sent
// again. After a power cut (not a crash of the process) it may be.
func (db *DB) MarkReplySent(ctx context.Context, stream string, update int64) error {
	if strings.ContainsAny(stream, "\t\n") {
		return fmt.Errorf("storage: mark reply sent: stream %q: %w", stream, crm.ErrInvalidInput)
	}
	n, err := db.sent.add(stream + "\t" + strconv.FormatInt(update, 10) + "\n")
	if err != nil {
		return fmt.Errorf("storage: mark reply sent: %w", temporary(err))
	}
	if n >= sentLogBatch {
		if err := db.forgetSent(ctx); err != nil {
			return fmt.Errorf("storage: mark reply sent: %w", err)
		}
	}
	return nil
}

func (l *sentLog) add(line string) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return 0, err
		}
		l.f = f
	}
	if _, err := l.f.WriteString(line); err != nil {
		return 0, err
	}
	l.n++
	l.used = true
	return l.n, nil
}

// inUse reports whether this process wrote to the log.
func (l *sentLog) inUse() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.used
}

// take moves the log aside (to path ".apply", appended to what an
// interrupted application left there) for applying, and starts a new one.
func (l *sentLog) take() (string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f != nil {
		l.f.Close()
		l.f = nil
	}
	l.n = 0
	aside := l.path + ".apply"
	data, err := os.ReadFile(l.path)
	if errors.Is(err, fs.ErrNotExist) {
		return aside, nil
	}
	if err != nil {
		return "", err
	}
	f, err := os.OpenFile(aside, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	return aside, os.Remove(l.path)
}

func (l *sentLog) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f != nil {
		l.f.Close()
		l.f = nil
	}
}

// forgetSent applies the log of delivered answers to unsent_replies.
func (db *DB) forgetSent(ctx context.Context) error {
	db.sent.apply.Lock()
	defer db.sent.apply.Unlock()
	aside, err := db.sent.take()
	if err != nil {
		return err
	}
	f, err := os.Open(aside)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	type key struct {
		stream string
		update int64
	}
	var keys []key
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		stream, u, ok := strings.Cut(sc.Text(), "\t")
		update, err := strconv.ParseInt(u, 10, 64)
		if ok && err == nil {
			keys = append(keys, key{stream, update})
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	// Its turn among the process's writes (writer), then the write lock.
	err = db.w.exclusive(ctx, func() error {
		tx, err := db.light.BeginTx(ctx, nil)
		if err != nil {
			return temporary(err)
		}
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `DELETE FROM unsent_replies WHERE stream = ? AND update_id = ?`, k.stream, k.update); err != nil {
				tx.Rollback()
				return temporary(err)
			}
		}
		return temporary(tx.Commit())
	})
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(aside)
}
