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
type Scheduler struct {
	engine  *Engine
	senders map[string]Sender
	log     *slog.Logger

	mu    sync.Mutex
	cron  *cron.Cron
	specs map[int64]string // shop → cron spec in force
	ids   map[int64]cron.EntryID
}

// NewScheduler returns a scheduler that pushes through senders, keyed by
// platform ("telegram", "slack", "console").
func NewScheduler(engine *Engine, senders map[string]Sender, log *slog.Logger) *Scheduler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Scheduler{engine: engine, senders: senders, log: log,
		specs: map[int64]string{}, ids: map[int64]cron.EntryID{}}
}

// Tick pushes the digest of every shop whose digest time has passed today
// (in its time zone) and whose digest has not gone out today. It is what
// the cron entries run, and what a test with a fake clock calls.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) error {
	shops, err := s.engine.store.Shops(ctx)
	if err != nil {
		return fmt.Errorf("conversation: schedule: %w", err)
	}
	var errs []error
	for _, shop := range shops {
		if err := s.tickShop(ctx, shop, now); err != nil {
			errs = append(errs, err)
		}
	}
	// Journeys: only the rules whose time has come are read.
	if err := s.engine.RunDueRules(ctx, now); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (s *Scheduler) tickShop(ctx context.Context, shop crm.Shop, now time.Time) error {
	if !due(shop, now) {
		return nil
	}
	day := shop.Today(now)
	pushed, err := s.engine.PushDigest(ctx, shop, day, s.senders)
	if pushed {
		s.log.Info("digest pushed", "shop", shop.ID, "day", day.String())
	}
	return err
}

// due reports whether shop's digest time has come on the shop-local day of
// now.
func due(shop crm.Shop, now time.Time) bool {
	at, err := time.Parse("15:04", shop.DigestTime)
	if err != nil {
		at, _ = time.Parse("15:04", crm.DefaultDigestTime)
	}
	local := now.In(shop.Location())
	return local.Hour()*60+local.Minute() >= at.Hour()*60+at.Minute()
}

// cronSpec is the cron line that fires at shop's digest time in its zone.
func cronSpec(shop crm.Shop) string {
	at, err := time.Parse("15:04", shop.DigestTime)
	if err != nil {
		at, _ = time.Parse("15:04", crm.DefaultDigestTime)
	}
	return fmt.Sprintf("CRON_TZ=%s %d %d * * *", shop.Location().String(), at.Minute(), at.Hour())
}

// Run schedules every shop's digest and keeps the schedule in step with
// the shops' settings (checked each minute, which also catches up a
// digest missed while Dangol was down) until ctx is cancelled.
func (s *Scheduler) Run(ctx context.Context) error {
	c := cron.New()
	s.mu.Lock()
	s.cron = c
	s.mu.Unlock()
	tick := func() {
		if err := s.Tick(ctx, s.engine.now()); err != nil {
			s.log.Error("digest", "err", err)
		}
	}
	if err := s.reload(ctx); err != nil {
		return err
	}
	tick() // catch up at start
	if _, err := c.AddFunc("@every 1m", func() {
		if err := s.reload(ctx); err != nil {
			s.log.Error("digest schedule", "err", err)
		}
		tick()
	}); err != nil {
		return fmt.Errorf("conversation: schedule: %w", err)
	}
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}

// reload brings the cron entries in line with the shops' digest times.
func (s *Scheduler) reload(ctx context.Context) error {
	shops, err := s.engine.store.Shops(ctx)
	if err != nil {
		return fmt.Errorf("conversation: schedule: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, shop := range shops {
		spec := cronSpec(shop)
		if s.specs[shop.ID] == spec {
			continue
		}
		if id, ok := s.ids[shop.ID]; ok {
			s.cron.Remove(id)
		}
		shopID := shop.ID
		id, err := s.cron.AddFunc(spec, func() {
			// Read the shop again: its language or limit may have changed.
			sh, err := s.engine.store.Shop(ctx, shopID)
			if err == nil {
				err = s.tickShop(ctx, sh, s.engine.now())
			}
			if err != nil {
				s.log.Error("digest", "shop", shopID, "err", err)
			}
		})
		if err != nil {
			return fmt.Errorf("conversation: schedule shop %d: %w", shop.ID, err)
		}
		s.specs[shop.ID], s.ids[shop.ID] = spec, id
	}
	return nil
}
