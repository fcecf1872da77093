package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/dangol/dangol/crm"
)

var _ crm.RetentionStore = (*DB)(nil)

// CountExpiring returns how many customers ExpireCustomers would erase
// with the same cutoffs, and how many customers the shop has.
func (db *DB) CountExpiring(ctx context.Context, shopID int64, cutoffDay crm.Date, cutoff time.Time) (expiring, total int, err error) {
	err = db.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM customers c WHERE `+expiringWhere+`),
		(SELECT count(*) FROM customers WHERE shop_id = ?1)`, shopID, cutoffDay.String(), formatTime(cutoff)).Scan(&expiring, &total)
	if err != nil {
		return 0, 0, fmt.Errorf("storage: count expiring: %w", err)
	}
	return expiring, total, nil
}
