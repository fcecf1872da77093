package conversation

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// customerSettingNames maps what owners type to a customer-messaging
// setting.
var customerSettingNames = map[string]string{
	"cap": "cap", "한도": "cap",
	"quiet": "quiet", "조용한시간": "quiet",
	"retention": "retention", "보관": "retention", "보관기간": "retention",
}

// maxRetention is the longest retention period an owner may set, in
// months.
const maxRetention = 120

// customerSettingsText shows the shop's customer-messaging settings.
func (e *Engine) customerSettingsText(ctx context.Context, s *session) string {
	capSetting, _ := e.store.ShopSetting(ctx, s.shop.ID, crm.SettingOutboxCap)
	quiet, _ := e.store.ShopSetting(ctx, s.shop.ID, crm.SettingQuietHours)
	p := crm.PolicyFromSettings(capSetting, quiet, "", s.shop.Location())
	return e.cat.T(s.lang, "settings.customers", map[string]any{"Count": p.CapCount,
		"Days": int(p.CapWindow / (24 * time.Hour)), "Quiet": p.Quiet[0].String(), "Months": e.retention(ctx, s.shop.ID)})
}

// customerSetting changes one customer-messaging setting (the caller
// checked that s is the owner): "/settings cap 1/7", "/settings quiet
// 21:00-08:00", "/settings retention 24". ok is false for other settings.
func (e *Engine) customerSetting(ctx context.Context, s *session, f []string) ([]Reply, bool, error) {
	if len(f) == 0 {
		return nil, false, nil
	}
	name, ok := customerSettingNames[strings.ToLower(f[0])]
	if !ok {
		return nil, false, nil
	}
	value := strings.Join(f[1:], "")
	var key, stored string
	data := map[string]any{}
	switch name {
	case "cap":
		n, d, err := crm.ParseCap(value)
		if err != nil {
			return one(e.cat.T(s.lang, "settings.bad_cap", nil)), true, nil
		}
		key, stored = crm.SettingOutboxCap, fmt.Sprintf("%d/%d", n, d)
		data["Count"], data["Days"] = n, d
	case "quiet":
		q, err := crm.ParseQuietHours(value)
		if err != nil {
			return one(e.cat.T(s.lang, "settings.bad_quiet", nil)), true, nil
		}
		key, stored = crm.SettingQuietHours, q.String()
		data["Value"] = stored
	case "retention":
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 || n > maxRetention {
			return one(e.cat.T(s.lang, "settings.bad_retention", map[string]any{"Max": maxRetention})), true, nil
		}
		key, stored = crm.SettingRetentionMonths, strconv.Itoa(n)
		data["Value"] = n
	}
	if err := e.store.SetShopSetting(ctx, s.shop.ID, key, stored); err != nil {
		r, err := e.fail(s.lang, fmt.Errorf("conversation: settings: %w", err))
		return r, true, err
	}
	return one(e.cat.T(s.lang, "settings.done."+name, data)), true, nil
}
