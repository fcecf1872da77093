package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dangol/dangol/storage"
)

// defaultBackupKeep is how many nightly backups are kept.
const defaultBackupKeep = 7

// Nightly backups are named dangol-YYYY-MM-DD.db after the day (in the
// shop's time zone) they were taken, from backupHour on.
const (
	backupPrefix = "dangol-"
	backupSuffix = ".db"
	backupHour   = 3
)

// runBackups backs the database up into dir once a night (at or after
// backupHour in loc, or at start when the night's backup is missing) and
// keeps the newest keep backups, until ctx ends. A failed backup is logged
// and tried again an hour later.
func runBackups(ctx context.Context, db *storage.DB, dir string, keep int, loc *time.Location, log *slog.Logger) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("backups: %w", err)
	}
	for {
		if err := nightlyBackup(ctx, db, dir, keep, time.Now().In(loc)); err != nil && ctx.Err() == nil {
			log.Error("backup", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Hour):
		}
	}
}

// nightlyBackup takes the backup of now's night when it is due and
// missing, then removes all but the newest keep backups.
func nightlyBackup(ctx context.Context, db *storage.DB, dir string, keep int, now time.Time) error {
	day := now
	if now.Hour() < backupHour {
		day = now.AddDate(0, 0, -1) // last night's
	}
	name := filepath.Join(dir, backupPrefix+day.Format(time.DateOnly)+backupSuffix)
	if _, err := os.Stat(name); os.IsNotExist(err) {
		if err := db.Backup(ctx, name); err != nil {
			return err
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("backups: %w", err)
	}
	var backups []string
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, backupPrefix) && strings.HasSuffix(n, backupSuffix) && !e.IsDir() {
			backups = append(backups, n)
		}
	}
	slices.Sort(backups) // the date in the name sorts them by age
	for len(backups) > keep {
		if err := os.Remove(filepath.Join(dir, backups[0])); err != nil {
			return fmt.Errorf("backups: %w", err)
		}
		backups = backups[1:]
	}
	return nil
}
