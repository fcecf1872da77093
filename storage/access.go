package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/dangol/dangol/crm"
)

// CreateInvite stores a one-time code. A new owner code replaces the shop's
// unused owner codes; a new staff code retires the oldest unused ones
// beyond crm.MaxOpenInvites - 1, and codes that expired go.
func (db *DB) CreateInvite(ctx context.Context, inv crm.Invite) error {
	if inv.Code == "" || (inv.Role != crm.RoleOwner && inv.Role != crm.RoleStaff) {
		return fmt.Errorf("storage: create invite: %w", crm.ErrInvalidInput)
	}
	var expires any
	if !inv.ExpiresAt.IsZero() {
		expires = formatTime(inv.ExpiresAt)
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if inv.Role == crm.RoleOwner {
			if _, err := tx.ExecContext(ctx, `DELETE FROM invites WHERE shop_id = ? AND role = 'owner' AND used_at IS NULL`, inv.ShopID); err != nil {
				return err
			}
		} else {
			if _, err := tx.ExecContext(ctx, `DELETE FROM invites WHERE shop_id = ?1 AND role = 'staff' AND used_at IS NULL
				AND (expires_at <= ?2 OR code NOT IN (SELECT code FROM invites WHERE shop_id = ?1 AND role = 'staff'
					AND used_at IS NULL ORDER BY created_at DESC, rowid DESC LIMIT ?3))`,
				inv.ShopID, formatTime(inv.CreatedAt), crm.MaxOpenInvites-1); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO invites (code, shop_id, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			inv.Code, inv.ShopID, string(inv.Role), formatTime(inv.CreatedAt), expires)
		return err
	})
	if err != nil {
		return fmt.Errorf("storage: create invite: %w", constraint(err))
	}
	return nil
}

// RedeemInvite uses a code once and makes m a member with its role.
func (db *DB) RedeemInvite(ctx context.Context, code string, m crm.Member, at time.Time) (crm.Member, error) {
	if m.Platform == "" || m.UserID == "" {
		return crm.Member{}, fmt.Errorf("storage: redeem invite: %w", crm.ErrInvalidInput)
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var role string
		err := tx.QueryRowContext(ctx, `UPDATE invites SET used_at = ?, used_by = ?
			WHERE code = ? AND used_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
			RETURNING shop_id, role`, formatTime(at), m.Platform+":"+m.UserID, code, formatTime(at)).Scan(&m.ShopID, &role)
		if errors.Is(err, sql.ErrNoRows) {
			return crm.ErrNotFound
		}
		if err != nil {
			return err
		}
		m.Role, m.CreatedAt = crm.Role(role), at
		// An owner keeps being the owner when they redeem a staff code.
		_, err = tx.ExecContext(ctx, `INSERT INTO members (shop_id, platform, user_id, name, role, created_at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (shop_id, platform, user_id) DO UPDATE SET name = excluded.name,
				role = CASE WHEN members.role = 'owner' THEN 'owner' ELSE excluded.role END`,
			m.ShopID, m.Platform, m.UserID, m.Name, role, formatTime(at))
		return err
	})
	if err != nil {
		return crm.Member{}, fmt.Errorf("storage: redeem invite: %w", err)
	}
	return m, nil
}
