package conversation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/dangol/dangol/crm"
)

// Scheduler pushes each shop's morning digest at the shop's digest time in
// its time zone, and catches up once when Dangol was down at that time:
// a day's digest goes out at most once, on that day. Each tick also runs
// the journeys' rules whose send time has come (Engine.RunDueRules), on
// the same terms.
//
// It ticks once a minute. A tick looks at every shop, but does work only
// for those whose time has come and whose day's digest it has not seen
// done: it remembers, per shop and job, the last day the job was done
// (pushed, or found pushed), so the ticks after the digest time cost a
// look at the clock per shop. What it has not seen done it asks the
// database about before computing anything. (The rules keep their next
// run in the database: one query finds those due.)
type Scheduler struct {
	engine  *Engine
	senders map[string]Sender
	log     *slog.Logger

	now func() time.Time // the engine's clock

	ticks chan struct{} // one tick at a time
	mu    sync.Mutex
	done  map[dailyJob]crm.Date     // the last day each job was done
	zones map[string]*time.Location // time zones by name, loaded once
}

// dailyJob is a job the scheduler does once a day for a shop.
type dailyJob struct {
	shop int64
	job  string
}

// Daily jobs.
const jobDigest = "digest"

// schedulerWorkers is how many shops a tick works on at once: enough to
// keep the processor busy while another shop waits for the disk, few
// enough that the database's connections are not all taken.
const schedulerWorkers = 4

// NewScheduler returns a scheduler that pushes through senders, keyed by
// platform ("telegram", "slack", "console").
func NewScheduler(engine *Engine, senders map[string]Sender, log *slog.Logger) *Scheduler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Scheduler{engine: engine, senders: senders, log: log, now: engine.now,
		done: map[dailyJob]crm.Date{}, zones: map[string]*time.Location{}, ticks: make(chan struct{}, 1)}
}

// DoneToday reports whether the scheduler has seen the shop's daily job
// done on day; MarkDone records that it was. A job's own record in the
// database is the authority: these spare asking it again on every tick.
func (s *Scheduler) DoneToday(shopID int64, job string, day crm.Date) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.done[dailyJob{shopID, job}] == day
}

// MarkDone records that the shop's daily job was done on day.
func (s *Scheduler) MarkDone(shopID int64, job string, day crm.Date) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.done[dailyJob{shopID, job}] = day
}

// location returns the shop's time zone, loaded once per zone.
func (s *Scheduler) location(shop crm.Shop) *time.Location {
	s.mu.Lock()
	defer s.mu.Unlock()
	loc, ok := s.zones[shop.TimeZone]
	if !ok {
		loc = shop.Location()
		s.zones[shop.TimeZone] = loc
	}
	return loc
}

// Tick pushes the digest of every shop whose digest time has passed today
// (in its time zone) and whose digest has not gone out today, a few shops
// at a time. It is what the minute's tick runs, and what a test with a
// fake clock calls. Ticks do not overlap: a tick that comes while one runs
// waits for it.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) error {
	select {
	case s.ticks <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.ticks }()
	shops, err := s.engine.store.Shops(ctx)
	if err != nil {
		return fmt.Errorf("conversation: schedule: %w", err)
	}
	var todo []crm.Shop
	for _, shop := range shops {
		local := now.In(s.location(shop))
		day := crm.Date{Year: local.Year(), Month: local.Month(), Day: local.Day()}
		if !due(shop, local) || s.DoneToday(shop.ID, jobDigest, day) {
			continue
		}
		todo = append(todo, shop)
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		next = make(chan crm.Shop)
	)
	for range min(schedulerWorkers, len(todo)) {
		wg.Go(func() {
			for shop := range next {
				if err := s.tickShop(ctx, shop, now); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	for _, shop := range todo {
		if ctx.Err() != nil {
			break
		}
		next <- shop
	}
	close(next)
	wg.Wait()
	// Journeys: only the rules whose time has come are read.
	if err := s.engine.RunDueRules(ctx, now); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// tickShop pushes the shop's digest of the day of now unless it went out
// already, which it asks first.
func (s *Scheduler) tickShop(ctx context.Context, shop crm.Shop, now time.Time) error {
	day := crm.DateOf(now, s.location(shop))
	pushed, err := s.engine.store.DigestPushed(ctx, shop.ID, day)
	if err != nil {
		return fmt.Errorf("conversation: schedule: %w", err)
	}
	if pushed {
		s.MarkDone(shop.ID, jobDigest, day)
		return nil
	}
	// Not pushed, and not marked done: a shop nobody can receive it in yet
	// is asked again on the next tick.
	pushed, err = s.engine.PushDigest(ctx, shop, day, s.senders)
	if pushed {
		s.MarkDone(shop.ID, jobDigest, day)
		s.log.Info("digest pushed", "shop", shop.ID, "day", day.String())
	}
	return err
}

// due reports whether shop's digest time has come on its day of local (a
// time in the shop's zone).
func due(shop crm.Shop, local time.Time) bool {
	at, err := time.Parse("15:04", shop.DigestTime)
	if err != nil {
		at, _ = time.Parse("15:04", crm.DefaultDigestTime)
	}
	return local.Hour()*60+local.Minute() >= at.Hour()*60+at.Minute()
}

// Run ticks at the start of every minute (and once at start, which
// catches up a digest missed while Dangol was down) until ctx is
// cancelled.
func (s *Scheduler) Run(ctx context.Context) error {
	c := cron.New()
	tick := func() {
		if err := s.Tick(ctx, s.now()); err != nil {
			s.log.Error("digest", "err", err)
		}
	}
	tick()
	if _, err := c.AddFunc("* * * * *", tick); err != nil {
		return fmt.Errorf("conversation: schedule: %w", err)
	}
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}
