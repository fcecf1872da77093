package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// Writes that queue while another is written go in one transaction, each
// all or nothing: one that fails leaves the others' changes, and its own
// are gone.
func TestWritesQueuedTogetherCommitTogether(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	s := newShop(t, db, "Bakery")
	hold := make(chan struct{})
	held := make(chan struct{})
	go db.w.exclusive(ctx, func() error { close(held); <-hold; return nil })
	<-held

	const n = 10
	boom := errors.New("boom")
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = db.inTx(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO shop_settings (shop_id, key, value) VALUES (?, ?, 'x')`,
					s.ID, fmt.Sprintf("k%d", i)); err != nil {
					return err
				}
				if i == 3 {
					return boom
				}
				if i == 5 {
					// A constraint error mid-way: the statement fails alone.
					_, err := tx.ExecContext(ctx, `INSERT INTO shop_settings (shop_id, key, value) VALUES (?, 'k5', 'y')`, s.ID)
					return err
				}
				return nil
			})
		})
	}
	// Let them all queue, then let them through.
	for {
		db.w.mu.Lock()
		queued := len(db.w.queue)
		db.w.mu.Unlock()
		if queued == n {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(hold)
	wg.Wait()
	for i, err := range errs {
		switch i {
		case 3:
			if !errors.Is(err, boom) {
				t.Errorf("write 3: %v, want boom", err)
			}
		case 5:
			if !isUnique(err) {
				t.Errorf("write 5: %v, want a unique constraint", err)
			}
		default:
			if err != nil {
				t.Errorf("write %d: %v", i, err)
			}
		}
	}
	keys, err := stringsOf(ctx, db.db, `SELECT key FROM shop_settings WHERE shop_id = ? AND key GLOB 'k*' ORDER BY key`, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(keys) != "[k0 k1 k2 k4 k6 k7 k8 k9]" {
		t.Fatalf("written: %v", keys)
	}
}

// A write whose caller gives up while it waits is not written.
func TestQueuedWriteCancelled(t *testing.T) {
	db, _ := openTest(t)
	s := newShop(t, db, "Bakery")
	hold := make(chan struct{})
	held := make(chan struct{})
	go db.w.exclusive(context.Background(), func() error { close(held); <-hold; return nil })
	<-held
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		done <- db.inTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO shop_settings (shop_id, key, value) VALUES (?, 'late', 'x')`, s.ID)
			return err
		})
	}()
	time.Sleep(10 * time.Millisecond)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled write: %v", err)
	}
	close(hold)
	if v, err := db.ShopSetting(context.Background(), s.ID, "late"); err != nil || v != "" {
		t.Fatalf("cancelled write was written: %q %v", v, err)
	}
}

// A write that panics fails alone; the writes committed with it stand, and
// the next writes go on.
func TestWritePanicFailsAlone(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	s := newShop(t, db, "Bakery")
	hold := make(chan struct{})
	held := make(chan struct{})
	go db.w.exclusive(ctx, func() error { close(held); <-hold; return nil })
	<-held
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Go(func() {
			errs[i] = db.inTx(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO shop_settings (shop_id, key, value) VALUES (?, ?, 'x')`,
					s.ID, fmt.Sprintf("p%d", i)); err != nil {
					return err
				}
				if i == 1 {
					panic("boom")
				}
				return nil
			})
		})
	}
	for {
		db.w.mu.Lock()
		queued := len(db.w.queue)
		db.w.mu.Unlock()
		if queued == 3 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(hold)
	wg.Wait()
	if errs[0] != nil || errs[2] != nil || errs[1] == nil {
		t.Fatalf("errors %v", errs)
	}
	if err := db.SetShopSetting(ctx, s.ID, "after", "y"); err != nil {
		t.Fatal(err)
	}
	keys, _ := stringsOf(ctx, db.db, `SELECT key FROM shop_settings WHERE shop_id = ? AND key IN ('p0', 'p1', 'p2', 'after') ORDER BY key`, s.ID)
	if fmt.Sprint(keys) != "[after p0 p2]" {
		t.Fatalf("written: %v", keys)
	}
}
