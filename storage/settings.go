package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ShopSetting returns the value of key for the shop, "" when unset.
func (db *DB) ShopSetting(ctx context.Context, shopID int64, key string) (string, error) {
	var v string
	err := db.db.QueryRowContext(ctx, `SELECT value FROM shop_settings WHERE shop_id = ? AND key = ?`, shopID, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("storage: shop setting: %w", err)
	}
	return v, nil
}

// SetShopSetting sets key for the shop; an empty value unsets it.
func (db *DB) SetShopSetting(ctx context.Context, shopID int64, key, value string) error {
	var err error
	if value == "" {
		_, err = db.exec(ctx, `DELETE FROM shop_settings WHERE shop_id = ? AND key = ?`, shopID, key)
	} else {
		_, err = db.exec(ctx, `INSERT INTO shop_settings (shop_id, key, value) VALUES (?, ?, ?)
			ON CONFLICT (shop_id, key) DO UPDATE SET value = excluded.value`, shopID, key, value)
	}
	if err != nil {
		return fmt.Errorf("storage: set shop setting: %w", constraint(err))
	}
	return nil
}
