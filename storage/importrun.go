package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// Batch sizing of a streaming import: the batches aim at holding the
// write lock for importTarget (a quarter of the 200 ms others may wait at
// most, leaving room for a slow moment), and take between minImportBatch
// and maxImportBatch rows.
const (
	importTarget     = 50 * time.Millisecond
	firstImportBatch = 250
	minImportBatch   = 100
	maxImportBatch   = 20000
)

// importRun is a streaming import (crm.ImportRun). It works on a
// connection of its own. It counts the rows it has seen by the first 8
// bytes of their content hash, in memory up to seenMax contents and then
// in the connection's temporary table import_seen: memory stays bounded
// whatever the size of the file. The temporary database lives in a file
// and never takes the main database's write lock. The connection commits
// without waiting for the disk (an import cut short by a power cut is
// completed by running it again) and folds each batch into the database
// file itself, outside the write lock, rather than leave that to the next
// note.
type importRun struct {
	db     *DB
	conn   *sql.Conn
	shopID int64
	at     string
	size   int
	// seen holds the contents (first 8 bytes of their hash) the run has
	// seen, up to seenMax of them; dups how many times more than once.
	// Once seen is full (spilled), further contents are counted in the
	// temporary table.
	seen    map[int64]struct{}
	dups    map[int64]uint32
	seenMax int
	spilled bool
}

// seenMax bounds the contents an import counts in memory (a megabyte or
// two); a larger file counts the rest on disk, which costs it little.
const seenMax = 1 << 16

var _ crm.ImportJobStore = (*DB)(nil)

// BeginImport starts a streaming import into the shop; see crm.ImportRun.
// Rows that cannot be stored are left out and returned by Add, by line.
func (db *DB) BeginImport(ctx context.Context, shopID int64, at time.Time) (crm.ImportRun, error) {
	if shopID <= 0 {
		return nil, fmt.Errorf("storage: begin import: shop %d: %w", shopID, crm.ErrInvalidInput)
	}
	if _, err := db.Shop(ctx, shopID); err != nil {
		return nil, fmt.Errorf("storage: begin import: %w", err)
	}
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("storage: begin import: %w", temporary(err))
	}
	for _, q := range []string{
		`PRAGMA cache_size = -8192`,
		`PRAGMA temp_store = FILE`,
		`PRAGMA synchronous = NORMAL`,
		`PRAGMA wal_autocheckpoint = 0`,
		`PRAGMA temp.cache_size = -4096`,
		`CREATE TEMP TABLE IF NOT EXISTS import_seen (h INTEGER PRIMARY KEY, n INTEGER NOT NULL) STRICT`,
		`DELETE FROM temp.import_seen`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			discard(conn)
			return nil, fmt.Errorf("storage: begin import: %w", temporary(err))
		}
	}
	return &importRun{db: db, conn: conn, shopID: shopID, at: formatTime(at), size: firstImportBatch,
		seen: map[int64]struct{}{}, dups: map[int64]uint32{}, seenMax: seenMax}, nil
}

// discard closes conn instead of returning it to the pool, so that its
// settings and temporary table do not linger.
func discard(conn *sql.Conn) {
	// Returning ErrBadConn from Raw makes database/sql close the
	// connection.
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	_ = conn.Close()
}

// Close ends the run and drops its connection.
func (r *importRun) Close() error {
	if r.conn == nil {
		return nil
	}
	discard(r.conn)
	r.conn = nil
	return nil
}

// BatchSize is how many rows the next Add should take.
func (r *importRun) BatchSize() int { return r.size }

// Skip counts rows handled by an earlier run of the same import.
func (r *importRun) Skip(ctx context.Context, rows []crm.LedgerRow) error {
	imp, _, err := prepareImport(rows, true)
	if err != nil {
		return fmt.Errorf("storage: import: %w", err)
	}
	_, counts, err := r.occurrences(ctx, imp)
	if err != nil {
		return fmt.Errorf("storage: import: %w", temporary(err))
	}
	if err := r.storeCounts(ctx, counts); err != nil {
		return fmt.Errorf("storage: import: %w", temporary(err))
	}
	return nil
}

// Add stores rows in one transaction, with the job's progress when given.
func (r *importRun) Add(ctx context.Context, rows []crm.LedgerRow, progress *crm.ImportProgress) (crm.ImportBatch, error) {
	var out crm.ImportBatch
	imp, problems, err := prepareImport(rows, true)
	if err != nil {
		return out, fmt.Errorf("storage: import: %w", err)
	}
	out.Refused = problems
	occ, counts, err := r.occurrences(ctx, imp)
	if err != nil {
		return out, fmt.Errorf("storage: import: %w", temporary(err))
	}
	imp.assignKeys(func([][sha256.Size]byte) []uint64 { return occ })

	// The batch takes its turn among the process's writes (writer), then
	// SQLite's write lock.
	var start time.Time
	err = r.db.w.exclusive(ctx, func() error {
		tx, err := r.conn.BeginTx(ctx, nil) // BEGIN IMMEDIATE: the write lock is held from here
		if err != nil {
			return err
		}
		start = time.Now()
		err = r.write(ctx, tx, imp, progress, &out)
		if err == nil {
			return tx.Commit()
		}
		tx.Rollback()
		return err
	})
	out.Held = time.Since(start)
	if err != nil {
		return crm.ImportBatch{}, fmt.Errorf("storage: import: %w", temporary(err))
	}
	if err := r.storeCounts(ctx, counts); err != nil {
		return out, fmt.Errorf("storage: import: %w", temporary(err))
	}
	// Fold the batch into the database file now, outside the write lock,
	// rather than leave it to whoever commits next (a note, made to wait).
	if _, err := r.conn.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
		return out, fmt.Errorf("storage: import: checkpoint: %w", temporary(err))
	}
	r.resize(len(rows), out.Held)
	return out, nil
}

// write writes a batch's rows and the job's progress in tx.
func (r *importRun) write(ctx context.Context, tx *sql.Tx, imp *importer, progress *crm.ImportProgress, out *crm.ImportBatch) error {
	if len(imp.rows) > 0 {
		res, err := imp.write(ctx, tx, r.shopID, r.at)
		if err != nil {
			return constraint(err)
		}
		out.ImportResult = res
	}
	if progress != nil {
		state, err := progress.State(*out)
		if err != nil {
			return fmt.Errorf("import progress: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE import_jobs SET state = ? WHERE id = ?`,
			state, progress.JobID); err != nil {
			return fmt.Errorf("import progress: %w", err)
		}
	}
	return nil
}

// resize aims the next batch at importTarget, from the pace of the last.
func (r *importRun) resize(n int, held time.Duration) {
	if n < r.size/2 || n == 0 {
		return // a short last batch says little
	}
	if held <= 0 {
		held = time.Millisecond
	}
	next := int(float64(n) * float64(importTarget) / float64(held))
	if next > r.size {
		// Grow at most halfway towards it, so one quick batch does not
		// swing it; shrink at once.
		next = (r.size + next) / 2
	}
	r.size = max(minImportBatch, min(maxImportBatch, next))
}

// occurrences returns, for the rows of imp in order, how many rows of the
// same content the run has seen before them, and the counts to store once
// they are written.
func (r *importRun) occurrences(ctx context.Context, imp *importer) ([]uint64, map[int64]uint64, error) {
	counts := make(map[int64]uint64, len(imp.rows))
	var ask []int64 // hashes only the temporary table may know
	for i := range imp.rows {
		h := int64(binary.BigEndian.Uint64(imp.rows[i].sum[:8]))
		if _, ok := counts[h]; ok {
			continue
		}
		n, known := r.seenCount(h)
		counts[h] = n
		if !known {
			ask = append(ask, h)
		}
	}
	args := make([]any, 0, nameBatch)
	for start := 0; start < len(ask); start += nameBatch {
		part := ask[start:min(start+nameBatch, len(ask))]
		args = args[:0]
		for _, h := range part {
			args = append(args, h)
		}
		rows, err := r.conn.QueryContext(ctx, `SELECT h, n FROM temp.import_seen WHERE h IN (`+
			strings.TrimSuffix(strings.Repeat("?, ", len(part)), ", ")+`)`, args...)
		if err != nil {
			return nil, nil, err
		}
		for rows.Next() {
			var h int64
			var n uint64
			if err := rows.Scan(&h, &n); err != nil {
				rows.Close()
				return nil, nil, err
			}
			counts[h] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
	}
	occ := make([]uint64, len(imp.rows))
	for i := range imp.rows {
		h := int64(binary.BigEndian.Uint64(imp.rows[i].sum[:8]))
		occ[i] = counts[h]
		counts[h]++
	}
	return occ, counts, nil
}

// seenCount returns how many rows of content h the run has seen, from
// memory; known is false when only the temporary table can tell.
func (r *importRun) seenCount(h int64) (n uint64, known bool) {
	if _, ok := r.seen[h]; ok {
		return 1 + uint64(r.dups[h]), true
	}
	return 0, !r.spilled
}

// storeCounts keeps the run's new content counts: in memory while there is
// room (r.seenMax contents), in the temporary table after.
func (r *importRun) storeCounts(ctx context.Context, counts map[int64]uint64) error {
	const per = 500
	args := make([]any, 0, 2*per)
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		q := `INSERT INTO temp.import_seen (h, n) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?), ", len(args)/2), ", ") +
			` ON CONFLICT (h) DO UPDATE SET n = excluded.n`
		_, err := r.conn.ExecContext(ctx, q, args...)
		args = args[:0]
		return err
	}
	for h, n := range counts {
		_, inMemory := r.seen[h]
		if !inMemory && !r.spilled && len(r.seen) >= r.seenMax {
			r.spilled = true
		}
		if inMemory || !r.spilled {
			r.seen[h] = struct{}{}
			if n > 1 {
				r.dups[h] = uint32(n - 1)
			}
			continue
		}
		args = append(args, h, n)
		if len(args) == 2*per {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// QueueImport records a new job, queued, with the cursor and its reply.
func (db *DB) QueueImport(ctx context.Context, job crm.ImportJob, cursor *crm.Cursor) (crm.ImportJob, error) {
	if job.ShopID <= 0 || job.Platform == "" || job.UserID == "" || job.Path == "" {
		return crm.ImportJob{}, fmt.Errorf("storage: queue import: %w", crm.ErrInvalidInput)
	}
	job.Status = crm.ImportQueued
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO import_jobs (shop_id, platform, user_id, name, path, status, state, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, job.ShopID, job.Platform, job.UserID, job.Name, job.Path, job.Status,
			job.State, formatTime(job.CreatedAt))
		if err != nil {
			return constraint(err)
		}
		if job.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if cursor != nil {
			return setCursor(ctx, tx, *cursor, crm.Note{})
		}
		return nil
	})
	if err != nil {
		return crm.ImportJob{}, fmt.Errorf("storage: queue import: %w", err)
	}
	return job, nil
}

// OpenImports returns the jobs not finished, oldest first.
func (db *DB) OpenImports(ctx context.Context) ([]crm.ImportJob, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, shop_id, platform, user_id, name, path, status, state, created_at
		FROM import_jobs WHERE status IN ('queued', 'running') ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("storage: open imports: %w", err)
	}
	defer rows.Close()
	var out []crm.ImportJob
	for rows.Next() {
		var j crm.ImportJob
		var at string
		if err := rows.Scan(&j.ID, &j.ShopID, &j.Platform, &j.UserID, &j.Name, &j.Path, &j.Status, &j.State, &at); err != nil {
			return nil, fmt.Errorf("storage: open imports: %w", err)
		}
		if j.CreatedAt, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("storage: open imports: %w", err)
		}
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: open imports: %w", err)
	}
	return out, nil
}

// StartImport marks a job running.
func (db *DB) StartImport(ctx context.Context, id int64) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE import_jobs SET status = 'running' WHERE id = ? AND status IN ('queued', 'running')`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("import job %d: %w", id, crm.ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("storage: start import: %w", err)
	}
	return nil
}

// FinishImport marks a job done or failed and queues the notices, in one
// transaction.
func (db *DB) FinishImport(ctx context.Context, id int64, status string, state []byte, notices ...crm.Notice) error {
	if status != crm.ImportDone && status != crm.ImportFailed {
		return fmt.Errorf("storage: finish import: status %q: %w", status, crm.ErrInvalidInput)
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE import_jobs SET status = ?, state = ?, finished_at = ?
			WHERE id = ? AND status IN ('queued', 'running')`, status, state, formatTime(time.Time{}), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("import job %d: %w", id, crm.ErrAlreadyDone)
		}
		for _, n := range notices {
			if _, err := insertOutbox(ctx, tx, noticeMessage(n)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("storage: finish import: %w", err)
	}
	return nil
}
