package storage

// Access control's storage (migration 0007): the install's secrets, the
// owner's setup code while it lasts, and failed code checks.

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/dangol/dangol/crm"
)

// InstallSecret returns the install's secret called name, creating 32
// random bytes in the database the first time.
func (db *DB) InstallSecret(ctx context.Context, name string) ([]byte, error) {
	if name == "" {
		return nil, fmt.Errorf("storage: install secret: no name: %w", crm.ErrInvalidInput)
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("storage: install secret: %w", err)
	}
	var out []byte
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO install_secrets (name, value, created_at) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, name, fresh, formatTime(time.Now())); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT value FROM install_secrets WHERE name = ?`, name).Scan(&out)
	})
	if err != nil {
		return nil, fmt.Errorf("storage: install secret: %w", err)
	}
	return out, nil
}

// LiveOwnerInvite returns the shop's unused owner code that is still valid
// at now.
func (db *DB) LiveOwnerInvite(ctx context.Context, shopID int64, now time.Time) (crm.Invite, error) {
	inv := crm.Invite{ShopID: shopID, Role: crm.RoleOwner}
	var created, expires string
	err := db.db.QueryRowContext(ctx, `SELECT code, created_at, expires_at FROM invites
		WHERE shop_id = ? AND role = 'owner' AND used_at IS NULL AND expires_at IS NOT NULL AND expires_at > ?
		ORDER BY created_at DESC LIMIT 1`, shopID, formatTime(now)).Scan(&inv.Code, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return inv, fmt.Errorf("storage: owner code: %w", crm.ErrNotFound)
	}
	if err != nil {
		return inv, fmt.Errorf("storage: owner code: %w", err)
	}
	if inv.CreatedAt, err = parseTime(created); err == nil {
		inv.ExpiresAt, err = parseTime(expires)
	}
	if err != nil {
		return inv, fmt.Errorf("storage: owner code: %w", err)
	}
	return inv, nil
}

func userScope(platform, userID string) string { return platform + ":" + userID }

// attempts reads the record of one scope (zero when there is none).
func attempts(ctx context.Context, q querier, scope string) (crm.CodeAttempts, error) {
	var a crm.CodeAttempts
	var at string
	var locked, alerted sql.NullString
	err := q.QueryRowContext(ctx, `SELECT failures, level, at, locked_until, alerted_at FROM code_attempts WHERE scope = ?`,
		scope).Scan(&a.Failures, &a.Level, &at, &locked, &alerted)
	if errors.Is(err, sql.ErrNoRows) {
		return a, nil
	}
	if err != nil {
		return a, err
	}
	for _, f := range []struct {
		s string
		t *time.Time
	}{{at, &a.At}, {locked.String, &a.LockedUntil}, {alerted.String, &a.AlertedAt}} {
		if *f.t, err = parseTime(f.s); err != nil {
			return a, err
		}
	}
	return a, nil
}

func setAttempts(ctx context.Context, e execer, scope string, a crm.CodeAttempts) error {
	_, err := e.ExecContext(ctx, `INSERT INTO code_attempts (scope, failures, level, at, locked_until, alerted_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (scope) DO UPDATE SET failures = excluded.failures, level = excluded.level, at = excluded.at,
			locked_until = excluded.locked_until, alerted_at = excluded.alerted_at`,
		scope, a.Failures, a.Level, formatTime(a.At), nullTime(a.LockedUntil), nullTime(a.AlertedAt))
	return err
}

// CodeLockedUntil returns the person's lock at now, or the later of
// theirs and everyone's for a code that may be secret; zero when codes
// from them are checked.
func (db *DB) CodeLockedUntil(ctx context.Context, platform, userID string, now time.Time, secret bool) (time.Time, error) {
	var until time.Time
	scopes := []string{userScope(platform, userID)}
	if secret {
		scopes = append(scopes, crm.GlobalCodeScope)
	}
	for _, scope := range scopes {
		a, err := attempts(ctx, db.db, scope)
		if err != nil {
			return time.Time{}, fmt.Errorf("storage: code lock: %w", err)
		}
		if a.Locked(now) && a.LockedUntil.After(until) {
			until = a.LockedUntil
		}
	}
	return until, nil
}

// CodeFailed records a failed code check of the person and of everyone,
// in one transaction, by crm's rules (CodeAttempts.UserFailed and
// GlobalFailed). Records of people whose failures are forgotten go in the
// same transaction.
func (db *DB) CodeFailed(ctx context.Context, platform, userID string, now time.Time) (crm.CodeFailure, error) {
	if platform == "" || userID == "" {
		return crm.CodeFailure{}, fmt.Errorf("storage: code failed: no user: %w", crm.ErrInvalidInput)
	}
	var f crm.CodeFailure
	scope := userScope(platform, userID)
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		u, err := attempts(ctx, tx, scope)
		if err != nil {
			return err
		}
		g, err := attempts(ctx, tx, crm.GlobalCodeScope)
		if err != nil {
			return err
		}
		f.User = u.UserFailed(now)
		f.Global, f.Alert = g.GlobalFailed(now)
		if err := setAttempts(ctx, tx, scope, f.User); err != nil {
			return err
		}
		if err := setAttempts(ctx, tx, crm.GlobalCodeScope, f.Global); err != nil {
			return err
		}
		// Nothing is kept about a person longer than it matters.
		_, err = tx.ExecContext(ctx, `DELETE FROM code_attempts WHERE scope <> ? AND at < ?
			AND (locked_until IS NULL OR locked_until < ?)`,
			crm.GlobalCodeScope, formatTime(now.Add(-crm.CodeForget)), formatTime(now))
		return err
	})
	if err != nil {
		return crm.CodeFailure{}, fmt.Errorf("storage: code failed: %w", err)
	}
	return f, nil
}
