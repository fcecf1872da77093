package conversation

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dangol/dangol/conversation/ledger"
	"github.com/dangol/dangol/crm"
)

// File is a document sent in the chat.
type File struct {
	Name string
	Data []byte
	// Reader, when set instead of Data, streams the document; Size is its
	// length in bytes when known. The adapter closes it after Handle.
	Reader io.Reader `json:"-"`
	Size   int64     `json:"-"`
}

// size is the file's length, -1 when unknown.
func (f *File) size() int64 {
	switch {
	case f.Reader == nil:
		return int64(len(f.Data))
	case f.Size > 0:
		return f.Size
	}
	return -1
}

func (f *File) open() io.Reader {
	if f.Reader != nil {
		return f.Reader
	}
	return bytes.NewReader(f.Data)
}

// MaxFile is the largest ledger file read from a chat, in bytes.
const MaxFile = 20 << 20

// inlineImport is the largest ledger file imported while the chat waits;
// larger ones are imported in the background, the owner told how it goes.
const inlineImport = 256 << 10

// Import tuning: how long a batch that failed for a passing reason is
// retried before the import gives up for now, how often a background
// import reports progress, and how many problems an import keeps to list.
const (
	importRetryFor   = 2 * time.Minute
	importProgress   = 20 * time.Second
	importProblems   = 20
	importFirstRetry = 200 * time.Millisecond
	// skipBatch is how many rows a resumed import counts at a time.
	skipBatch = 4096
)

// Currency returns the ISO 4217 code of the shop's amounts: its own, or
// the default for its language and zone when it has none yet.
func Currency(shop crm.Shop) string {
	if c, ok := crm.NormalCurrency(shop.Currency); ok {
		return c
	}
	return crm.ShopCurrency(shop.Lang, shop.TimeZone)
}

// ledgerOptions is how the shop's ledgers are read at now.
func ledgerOptions(shop crm.Shop, now time.Time) ledger.Options {
	return ledger.Options{Today: shop.Today(now), USDates: shop.Lang == crm.LangEnglish, Currency: Currency(shop)}
}

// ImportState is how far an import got: what it read and added, and the
// first problems, by line. A background import keeps it with each batch.
type ImportState struct {
	Line         int              `json:"line"` // physical lines of the file done
	Rows         int              `json:"rows"`
	Customers    int              `json:"customers"`
	Visits       int              `json:"visits"`
	Skipped      int              `json:"skipped"`
	Problems     []ledger.Problem `json:"problems,omitempty"`
	ProblemCount int              `json:"problem_count"`
	Encoding     string           `json:"encoding,omitempty"`
	// Batches and MaxHold say how the import shared the database: its
	// transactions and the longest time one held the write lock.
	Batches int           `json:"batches"`
	MaxHold time.Duration `json:"max_hold"`
	// SlowBatches counts the batches that held the lock over
	// SlowBatch (a busy machine can stretch any transaction).
	SlowBatches int `json:"slow_batches,omitempty"`
}

// SlowBatch is how long an import batch may hold the write lock without
// being counted as slow: as long as others may have to wait for it.
const SlowBatch = 200 * time.Millisecond

func (st *ImportState) problem(p ledger.Problem) {
	st.ProblemCount++
	if len(st.Problems) < importProblems {
		st.Problems = append(st.Problems, p)
	}
}

// errUnreadable wraps the reasons a ledger cannot be read at all.
type errUnreadable struct{ err error }

func (e errUnreadable) Error() string { return e.err.Error() }
func (e errUnreadable) Unwrap() error { return e.err }

// ImportLedger reads a CSV ledger and imports its good rows into shop,
// streaming, in batches that each hold the write lock briefly. The text
// says what was added and lists the rows left out, by line, in the shop's
// language. A file that cannot be read at all gives that answer and an
// error wrapping ledger.ErrHeader or ledger.ErrUnreadable.
func (e *Engine) ImportLedger(ctx context.Context, shop crm.Shop, r io.Reader) (string, ImportState, error) {
	var st ImportState
	err := e.importStream(ctx, shop, r, &st, nil, nil)
	var unreadable errUnreadable
	switch {
	case errors.As(err, &unreadable):
		return e.unreadableText(shop.Lang, err), st, unreadable.err
	case err != nil:
		return e.cat.T(shop.Lang, "error.not_saved", nil), st, fmt.Errorf("conversation: import: %w", err)
	}
	return e.importSummary(shop.Lang, st), st, nil
}

func (e *Engine) unreadableText(lang string, err error) string {
	if errors.Is(err, ledger.ErrHeader) {
		return e.cat.T(lang, "import.no_header", nil)
	}
	return e.cat.T(lang, "import.unreadable", nil)
}

// importStream reads a ledger from r into shop, batch by batch, adding to
// st. A resumed import (st.Line > 0) skips the rows of the lines done. With
// a job, every batch stores the job's progress in its transaction, and
// report is called now and then with the progress.
func (e *Engine) importStream(ctx context.Context, shop crm.Shop, r io.Reader, st *ImportState, job *crm.ImportJob, report func(*ImportState)) error {
	lr, err := ledger.NewReader(r, ledgerOptions(shop, e.now()))
	if errors.Is(err, ledger.ErrHeader) || errors.Is(err, ledger.ErrUnreadable) {
		return errUnreadable{err}
	}
	if err != nil {
		return fmt.Errorf("%w: %w", crm.ErrTemporary, err)
	}
	st.Encoding = lr.Encoding()
	run, err := e.store.BeginImport(ctx, shop.ID, e.now())
	if err != nil {
		return err
	}
	defer run.Close()
	done := st.Line
	var rows, skip []crm.LedgerRow
	lastReport := time.Now()
	flush := func() error {
		if len(skip) > 0 {
			if err := retryImport(ctx, func() error { return run.Skip(ctx, skip) }); err != nil {
				return err
			}
			skip = skip[:0]
		}
		line := lr.Line()
		next := *st
		next.Line = line
		var progress *crm.ImportProgress
		if job != nil {
			progress = &crm.ImportProgress{JobID: job.ID, State: func(b crm.ImportBatch) ([]byte, error) {
				s := next
				s.add(b)
				return json.Marshal(s)
			}}
		}
		var b crm.ImportBatch
		if err := retryImport(ctx, func() error {
			var err error
			b, err = run.Add(ctx, rows, progress)
			return err
		}); err != nil {
			return err
		}
		*st = next
		st.add(b)
		st.MaxHold = max(st.MaxHold, b.Held)
		if b.Held > SlowBatch {
			st.SlowBatches++
		}
		rows = rows[:0]
		if report != nil && time.Since(lastReport) >= importProgress {
			lastReport = time.Now()
			report(st)
		}
		return nil
	}
	for {
		row, p, err := lr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%w: read ledger: %w", crm.ErrTemporary, err)
		}
		line := row.Line
		if p != nil {
			line = p.Line
		}
		if line <= done {
			if p == nil {
				skip = append(skip, row)
			}
			if len(skip) >= skipBatch {
				if err := retryImport(ctx, func() error { return run.Skip(ctx, skip) }); err != nil {
					return err
				}
				skip = skip[:0]
			}
			continue
		}
		if p != nil {
			st.problem(*p)
			continue
		}
		st.Rows++
		rows = append(rows, row)
		if len(rows) >= run.BatchSize() {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(rows) > 0 || len(skip) > 0 {
		return flush()
	}
	st.Line = lr.Line()
	return nil
}

// add counts one batch into the state.
func (st *ImportState) add(b crm.ImportBatch) {
	st.Customers += b.Customers
	st.Visits += b.Visits
	st.Skipped += b.Skipped
	st.Batches++
	for _, p := range b.Refused {
		st.problem(ledger.Problem{Line: p.Line, Code: "invalid", Value: p.Value})
	}
}

// retryImport calls write until it succeeds, fails for good, or has
// failed for a passing reason for importRetryFor.
func retryImport(ctx context.Context, write func() error) error {
	wait := importFirstRetry
	deadline := time.Now().Add(importRetryFor)
	for {
		err := write()
		if err == nil || !IsTemporary(err) || time.Now().After(deadline) {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		wait = min(2*wait, 10*time.Second)
	}
}

func (e *Engine) importSummary(lang string, st ImportState) string {
	var b strings.Builder
	b.WriteString(e.cat.T(lang, "import.done", map[string]any{"Customers": st.Customers, "Visits": st.Visits}))
	if st.Skipped > 0 {
		b.WriteString("\n" + e.cat.N(lang, "import.skipped", st.Skipped, nil))
	}
	if st.ProblemCount > 0 {
		b.WriteString("\n" + e.cat.N(lang, "import.problems", st.ProblemCount, nil))
		for _, p := range st.Problems {
			b.WriteString("\n" + e.cat.T(lang, "import.problem."+p.Code, map[string]any{"Line": p.Line, "Value": p.Value}))
		}
		if more := st.ProblemCount - len(st.Problems); more > 0 {
			b.WriteString("\n" + e.cat.N(lang, "import.problems_more", more, nil))
		}
	}
	return b.String()
}

// file answers a document sent in the chat: a CSV ledger is imported
// (owner only), a small one at once, a larger one in the background.
func (e *Engine) file(ctx context.Context, s *session, f *File) ([]Reply, error) {
	if !s.isOwner() {
		return e.ownerOnly(s), nil
	}
	name := strings.ToLower(f.Name)
	size := f.size()
	if !strings.HasSuffix(name, ".csv") && !strings.HasSuffix(name, ".tsv") && !strings.HasSuffix(name, ".txt") ||
		size > MaxFile {
		return one(e.cat.T(s.lang, "import.not_csv", nil)), nil
	}
	if size >= 0 && size <= inlineImport {
		text, _, err := e.ImportLedger(ctx, s.shop, f.open())
		if errors.Is(err, ledger.ErrHeader) || errors.Is(err, ledger.ErrUnreadable) {
			err = nil // answered: the file cannot be read
		}
		return one(text), err
	}
	path, err := e.spool(f)
	if errors.Is(err, errFileTooBig) {
		return one(e.cat.T(s.lang, "import.not_csv", nil)), nil
	}
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("%w: conversation: spool %q: %w", crm.ErrTemporary, f.Name, err))
	}
	queued := one(e.cat.T(s.lang, "import.queued", map[string]any{"Name": f.Name}))
	cursor := s.takeCursor()
	_, err = e.store.QueueImport(ctx, crm.ImportJob{ShopID: s.shop.ID, Platform: s.msg.Platform, UserID: s.msg.UserID,
		Name: f.Name, Path: path, CreatedAt: s.now}, e.withReplies(s, cursor, func(crm.Note) []Reply { return queued }))
	if err != nil {
		s.cursor = cursor
		os.Remove(path)
		return e.fail(s.lang, fmt.Errorf("conversation: queue import: %w", err))
	}
	e.wakeImports()
	return queued, nil
}

var errFileTooBig = errors.New("conversation: file over the size limit")

// spool copies a sent file to the spool folder, on disk before it returns.
func (e *Engine) spool(f *File) (string, error) {
	if err := os.MkdirAll(e.spoolDir, 0o700); err != nil {
		return "", err
	}
	var rnd [6]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return "", err
	}
	path := filepath.Join(e.spoolDir, fmt.Sprintf("import-%d-%s.csv", time.Now().UnixNano(), hex.EncodeToString(rnd[:])))
	tmp := path + ".part"
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	n, err := io.Copy(out, io.LimitReader(f.open(), MaxFile+1))
	if err == nil && n > MaxFile {
		err = errFileTooBig
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	if d, err := os.Open(e.spoolDir); err == nil {
		d.Sync()
		d.Close()
	}
	return path, nil
}

func (e *Engine) wakeImports() {
	select {
	case e.importWake <- struct{}{}:
	default:
	}
}

// Imports runs the background imports of ledger files sent in the chat,
// one at a time, oldest first. Each batch of rows is one short
// transaction that also records how far the import got, so an import cut
// short (a crash, a restart) goes on where it stopped when Imports runs
// again. The owner who sent the file hears, through the outbox, that it
// goes on and what it added in the end.
type Imports struct {
	engine *Engine
	log    *slog.Logger
}

// NewImports returns the background importer.
func NewImports(engine *Engine, log *slog.Logger) *Imports {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Imports{engine: engine, log: log}
}

// Run imports queued files as they come until ctx is cancelled.
func (im *Imports) Run(ctx context.Context) error {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		if err := im.RunPending(ctx); err != nil && ctx.Err() == nil {
			im.log.Error("import", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		case <-im.engine.importWake:
		}
	}
}

// RunPending runs every open import job and returns when none is left
// (or ctx ends).
func (im *Imports) RunPending(ctx context.Context) error {
	e := im.engine
	jobs, err := e.store.OpenImports(ctx)
	if err != nil {
		return fmt.Errorf("conversation: imports: %w", err)
	}
	var errs []error
	for _, job := range jobs {
		if ctx.Err() != nil {
			break
		}
		if err := im.run(ctx, job); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// run imports one job. It returns an error, leaving the job open for the
// next run, when the import failed for a passing reason.
func (im *Imports) run(ctx context.Context, job crm.ImportJob) error {
	e := im.engine
	shop, err := e.store.Shop(ctx, job.ShopID)
	if err != nil {
		return fmt.Errorf("conversation: import %d: %w", job.ID, err)
	}
	var st ImportState
	if len(job.State) > 0 {
		if err := json.Unmarshal(job.State, &st); err != nil {
			return fmt.Errorf("conversation: import %d: state: %w", job.ID, err)
		}
	}
	notice := func(text string) crm.Notice {
		return crm.Notice{ShopID: shop.ID, Platform: job.Platform, UserID: job.UserID, Text: text, At: e.now()}
	}
	finish := func(status, text string) error {
		state, _ := json.Marshal(st)
		if err := e.store.FinishImport(ctx, job.ID, status, state, notice(text)); err != nil {
			return fmt.Errorf("conversation: import %d: %w", job.ID, err)
		}
		e.wakeOutbox()
		os.Remove(job.Path)
		return nil
	}
	f, err := os.Open(job.Path)
	if errors.Is(err, os.ErrNotExist) {
		return finish(crm.ImportFailed, e.cat.T(shop.Lang, "import.lost", map[string]any{"Name": job.Name}))
	}
	if err != nil {
		return fmt.Errorf("conversation: import %d: %w", job.ID, err)
	}
	defer f.Close()
	var size int64
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	if err := e.store.StartImport(ctx, job.ID); err != nil {
		return fmt.Errorf("conversation: import %d: %w", job.ID, err)
	}
	started := time.Now()
	report := func(st *ImportState) {
		pos, _ := f.Seek(0, io.SeekCurrent)
		percent := 0
		if size > 0 {
			percent = int(min(99, pos*100/size))
		}
		text := e.cat.T(shop.Lang, "import.progress", map[string]any{"Name": job.Name, "Rows": st.Rows, "Percent": percent})
		if err := e.store.QueueNotices(ctx, notice(text)); err != nil {
			im.log.Warn("import progress", "job", job.ID, "err", err)
			return
		}
		e.wakeOutbox()
	}
	err = e.importStream(ctx, shop, f, &st, &job, report)
	var unreadable errUnreadable
	switch {
	case errors.As(err, &unreadable):
		return finish(crm.ImportFailed, e.unreadableText(shop.Lang, err))
	case err != nil && (ctx.Err() != nil || IsTemporary(err)):
		// Stopped, or failing for now: it goes on from here next time.
		return fmt.Errorf("conversation: import %d: %w", job.ID, err)
	case err != nil:
		im.log.Error("import failed", "job", job.ID, "err", err)
		return finish(crm.ImportFailed, e.cat.T(shop.Lang, "import.failed", map[string]any{"Name": job.Name, "Rows": st.Rows}))
	}
	im.log.Info("import done", "job", job.ID, "shop", shop.ID, "rows", st.Rows, "visits", st.Visits,
		"problems", st.ProblemCount, "encoding", st.Encoding, "batches", st.Batches,
		"longest_write_lock", st.MaxHold, "slow_batches", st.SlowBatches, "took", time.Since(started).Round(time.Millisecond))
	return finish(crm.ImportDone, e.importSummary(shop.Lang, st))
}
