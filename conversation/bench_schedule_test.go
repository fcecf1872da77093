package conversation_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/locales"
	"github.com/dangol/dangol/storage"
)

// Large benchmark databases are built once per run into a temporary
// directory that TestMain removes; plain tests never build them.
var benchFixtures struct {
	sync.Mutex
	dir   string
	paths map[string]string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchFixtures.dir != "" {
		os.RemoveAll(benchFixtures.dir)
	}
	os.Exit(code)
}

// benchDir returns the run's directory for benchmark databases.
func benchDir(b *testing.B) string {
	b.Helper()
	if benchFixtures.dir == "" {
		dir, err := os.MkdirTemp("", "dangol-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchFixtures.dir, benchFixtures.paths = dir, map[string]string{}
	}
	return benchFixtures.dir
}

// schedulerShops returns a database of shops shops in Seoul, all with the
// digest at 08:30 and an owner on Telegram, each with 30 customers of 20
// visits (one item each) over the months before 2026-11-26 — weekly
// regulars, customers at a pace, some who stopped coming — and birthdays.
// It is written with plain SQL, in one transaction, for speed.
func schedulerShops(b *testing.B, shops int) string {
	b.Helper()
	benchFixtures.Lock()
	defer benchFixtures.Unlock()
	key := fmt.Sprintf("shops-%d", shops)
	if p, ok := benchFixtures.paths[key]; ok {
		return p
	}
	path := filepath.Join(benchDir(b), key+".db")
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	db.Close()
	raw, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=1&_journal_mode=WAL&_synchronous=OFF")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	tx, err := raw.Begin()
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{
		`PRAGMA cache_size = -262144`,
		`INSERT INTO shops (id, name, lang, time_zone, digest_time, lapsed_days, digest_limit, code, created_at)
			WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
			SELECT i, 'Shop ' || i, 'ko', 'Asia/Seoul', '08:30', 60, 7, 'S' || i, '2026-01-01T00:00:00.000000000Z' FROM n`,
		`INSERT INTO members (shop_id, platform, user_id, name, role, created_at)
			SELECT id, 'telegram', 'owner' || id, '', 'owner', '2026-01-01T00:00:00.000000000Z' FROM shops`,
		`INSERT INTO items (id, shop_id, name)
			WITH RECURSIVE n(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM n WHERE j < 2)
			SELECT (s.id - 1) * 3 + j + 1, s.id, CASE j WHEN 0 THEN '크루아상' WHEN 1 THEN '라떼' ELSE '바게트' END
			FROM shops s, n ORDER BY s.id, j`,
		`INSERT INTO customers (id, shop_id, name, birthday, created_at)
			WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 30)
			SELECT (s.id - 1) * 30 + k, s.id, '손님' || k,
				CASE WHEN k % 3 = 0 THEN printf('%02d-%02d', 1 + (s.id + k) % 12, 1 + (s.id * 7 + k) % 28) ELSE '' END,
				'2026-01-01T00:00:00.000000000Z'
			FROM shops s, n ORDER BY s.id, k`,
		// Weekly regulars, customers at a pace of 3 to 12 days, and some
		// who stopped coming two to four months ago.
		`INSERT INTO visits (id, shop_id, customer_id, date, created_at)
			WITH RECURSIVE n(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM n WHERE j < 19)
			SELECT (c.id - 1) * 20 + j + 1, c.shop_id, c.id,
				date('2026-11-26', '-' || CASE c.id % 4
					WHEN 0 THEN 7 * (19 - j) + 1 + c.id % 7
					WHEN 3 THEN 60 + c.id % 60 + (3 + c.id % 10) * (19 - j)
					ELSE 1 + c.id % 5 + (3 + c.id % 10) * (19 - j) END || ' days'),
				'2026-01-01T00:00:00.000000000Z'
			FROM customers c, n ORDER BY c.id, j`,
		`INSERT INTO visit_items (shop_id, visit_id, item_id, qty)
			SELECT shop_id, id, (shop_id - 1) * 3 + 1 + id % 3, 1 + id % 2 FROM visits ORDER BY id`,
	} {
		if _, err := tx.Exec(q, shops); err != nil {
			b.Fatalf("%v\n%s", err, q)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if _, err := raw.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	benchFixtures.paths[key] = path
	return path
}

// countingSender counts what it is given to deliver.
type countingSender struct{ n atomic.Int64 }

func (c *countingSender) Send(context.Context, string, conversation.Reply) error {
	c.n.Add(1)
	return nil
}

// BenchmarkSchedulerTick runs the scheduler over 10,000 shops of 30
// customers and 20 visits each, all with their digest at 08:30 in Seoul
// (the worst case: every shop due in the same minute).
//
//   - first: the tick at 08:30 of a new day (not a Monday, so no weekly
//     report): every shop's digest computed, recorded and pushed;
//     s-to-last is when the last one went, from the start of the tick.
//   - second: a tick a minute later, the same day: nothing to do.
//   - restart: the first tick of a new scheduler (Dangol restarted) on a
//     day whose digests went out: each shop's record looked up once.
func BenchmarkSchedulerTick(b *testing.B) {
	const shops = 10_000
	ctx := context.Background()
	db, err := storage.Open(ctx, schedulerShops(b, shops))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	cat, err := locales.New()
	if err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	now := time.Date(2026, 11, 26, 8, 30, 0, 0, time.FixedZone("KST", 9*3600))
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	set := func(t time.Time) {
		mu.Lock()
		now = t
		mu.Unlock()
	}
	engine, err := conversation.New(conversation.Config{Store: db, Catalog: cat, Now: clock})
	if err != nil {
		b.Fatal(err)
	}
	out := &countingSender{}
	sched := conversation.NewScheduler(engine, map[string]conversation.Sender{"telegram": out}, nil)
	day := 0 // days after the 26th, skipping Mondays
	nextDay := func() time.Time {
		for {
			day++
			t := time.Date(2026, 11, 26+day, 8, 30, 0, 0, now.Location())
			if t.Weekday() != time.Monday {
				return t
			}
		}
	}
	tick := func(t time.Time) {
		set(t)
		if err := sched.Tick(ctx, t); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("first", func(b *testing.B) {
		for range b.N {
			t := nextDay()
			before := out.n.Load()
			start := time.Now()
			tick(t)
			b.ReportMetric(time.Since(start).Seconds(), "s-to-last")
			if n := out.n.Load() - before; n != shops {
				b.Fatalf("%d digests pushed, want %d", n, shops)
			}
		}
		b.ReportMetric(shops, "pushed")
	})
	b.Run("second", func(b *testing.B) {
		t := nextDay()
		tick(t)
		before := out.n.Load()
		b.ResetTimer()
		for i := range b.N {
			tick(t.Add(time.Duration(1+i) * time.Minute))
		}
		b.StopTimer()
		if n := out.n.Load() - before; n != 0 {
			b.Fatalf("%d digests pushed again", n)
		}
	})
	b.Run("restart", func(b *testing.B) {
		t := nextDay()
		tick(t)
		before := out.n.Load()
		b.ResetTimer()
		for range b.N {
			fresh := conversation.NewScheduler(engine, map[string]conversation.Sender{"telegram": out}, nil)
			set(t.Add(time.Minute))
			if err := fresh.Tick(ctx, t.Add(time.Minute)); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		if n := out.n.Load() - before; n != 0 {
			b.Fatalf("%d digests pushed again", n)
		}
	})
}
