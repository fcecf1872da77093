package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database to path, as of one
// moment, while others go on reading and writing (VACUUM INTO: a read
// transaction, no write lock). The copy is written next to path and
// renamed into place once complete and on disk; an existing file at path is
// replaced.
func (db *DB) Backup(ctx context.Context, path string) error {
	if path == "" {
		return fmt.Errorf("storage: backup: no file: %w", errNoPath)
	}
	tmp := path + ".part"
	_ = os.Remove(tmp)
	if _, err := db.db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("storage: backup to %s: %w", path, err)
	}
	if err := syncFile(tmp); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("storage: backup to %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("storage: backup to %s: %w", path, err)
	}
	if err := syncFile(filepath.Dir(path)); err != nil {
		return fmt.Errorf("storage: backup to %s: %w", path, err)
	}
	return nil
}

var errNoPath = errors.New("need a file path")

// Restore makes the backup at from the database at to, which must not
// exist yet: it copies the file, opens the copy (which checks it is a
// Dangol database no newer than this Dangol, and brings its schema up to
// date), checks its integrity, and only then moves it into place.
func Restore(ctx context.Context, from, to string) error {
	if from == "" || to == "" {
		return fmt.Errorf("storage: restore: %w", errNoPath)
	}
	if _, err := os.Stat(to); err == nil {
		return fmt.Errorf("storage: restore: %s already exists; restore into a new file (and stop Dangol before moving it into place)", to)
	}
	tmp := to + ".part"
	_ = os.Remove(tmp)
	if err := copyFile(from, tmp); err != nil {
		return fmt.Errorf("storage: restore: %w", err)
	}
	fail := func(err error) error {
		for _, p := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
			_ = os.Remove(p)
		}
		return fmt.Errorf("storage: restore from %s: %w", from, err)
	}
	db, err := Open(ctx, tmp)
	if err != nil {
		return fail(err)
	}
	var check string
	err = db.db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check)
	if err == nil && check != "ok" {
		err = fmt.Errorf("integrity check: %s", check)
	}
	if err == nil {
		// Fold the write-ahead log into the file, so one file moves.
		_, err = db.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fail(err)
	}
	for _, p := range []string{tmp + "-wal", tmp + "-shm"} {
		_ = os.Remove(p)
	}
	if err := syncFile(tmp); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, to); err != nil {
		return fail(err)
	}
	return syncFile(filepath.Dir(to))
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// syncFile flushes a file or directory to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
