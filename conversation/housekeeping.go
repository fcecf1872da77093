package conversation

import (
	"context"
	"errors"
	"fmt"

	"github.com/dangol/dangol/crm"
)

// SettingCodeRenewed marks a shop whose join code was replaced by a longer
// one (migration 0007): its owners are told once to print a new poster.
const SettingCodeRenewed = "access.code_renewed"

// Housekeeping does the small recurring work of access and privacy: memos
// the owner chose not to keep are purged once they can no longer be
// brought back, and owners whose join code was renewed are told so. The
// outbox's loop runs it on every round.
func (e *Engine) Housekeeping(ctx context.Context) error {
	now := e.now()
	var errs []error
	if err := e.store.PurgeDrops(ctx, now.Add(-crm.DropValidity)); err != nil {
		errs = append(errs, fmt.Errorf("conversation: housekeeping: %w", err))
	}
	shops, err := e.store.Shops(ctx)
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("conversation: housekeeping: %w", err))...)
	}
	for _, shop := range shops {
		if v, err := e.store.ShopSetting(ctx, shop.ID, SettingCodeRenewed); err != nil || v == "" {
			if err != nil {
				errs = append(errs, fmt.Errorf("conversation: housekeeping: %w", err))
			}
			continue
		}
		members, err := e.store.Members(ctx, shop.ID)
		if err != nil {
			errs = append(errs, fmt.Errorf("conversation: housekeeping: %w", err))
			continue
		}
		var notices []crm.Notice
		for _, m := range members {
			if m.Role == crm.RoleOwner {
				notices = append(notices, crm.Notice{ShopID: shop.ID, Platform: m.Platform, UserID: m.UserID,
					Text: e.cat.T(shop.Lang, "access.code_renewed", nil), At: now})
			}
		}
		if len(notices) == 0 {
			continue // told when the shop has an owner
		}
		if err := e.store.QueueNotices(ctx, notices...); err != nil {
			errs = append(errs, fmt.Errorf("conversation: housekeeping: %w", err))
			continue
		}
		if err := e.store.SetShopSetting(ctx, shop.ID, SettingCodeRenewed, ""); err != nil {
			errs = append(errs, fmt.Errorf("conversation: housekeeping: %w", err))
		}
		e.wakeOutbox()
	}
	return errors.Join(errs...)
}
