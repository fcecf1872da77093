package conversation

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// settingNames maps what owners type to a setting.
var settingNames = map[string]string{
	"digest": "digest", "다이제스트": "digest", "알림": "digest",
	"limit": "limit", "목록": "limit",
	"lapsed": "lapsed", "휴면": "lapsed",
	"tz": "tz", "timezone": "tz", "시간대": "tz",
	"digest-channel": "digest-channel", "다이제스트채널": "digest-channel", "채널": "digest-channel",
	"currency": "currency", "통화": "currency", "화폐": "currency",
}

// settings shows the shop's settings, or changes one (owner only):
// "/settings digest 08:30", "/설정 다이제스트 08:30".
func (e *Engine) settings(ctx context.Context, s *session, args string) ([]Reply, error) {
	f := strings.Fields(args)
	if len(f) == 0 {
		show := e.cat.T(s.lang, "settings.show", map[string]any{
			"Digest": s.shop.DigestTime, "TZ": s.shop.TimeZone, "Limit": s.shop.DigestLimit,
			"Lapsed": s.shop.LapsedDays, "Lang": s.shop.Lang})
		// The currency goes with the other settings, above how to change them.
		cur := e.cat.T(s.lang, "settings.show_currency", map[string]any{"Currency": s.shop.Currency})
		if i := strings.LastIndex(show, "\n"); i >= 0 {
			show = show[:i] + "\n" + cur + show[i:]
		} else {
			show += "\n" + cur
		}
		return one(show + "\n" + e.customerSettingsText(ctx, s) + "\n" + e.loopSettingsText(ctx, s) + "\n" +
			e.journeySettingsText(ctx, s)), nil
	}
	if !s.isOwner() {
		return e.ownerOnly(s), nil
	}
	if r, ok, err := e.customerSetting(ctx, s, f); ok {
		return r, err
	}
	if r, ok, err := e.loopSetting(ctx, s, f); ok {
		return r, err
	}
	if r, ok, err := e.journeySetting(ctx, s, f); ok {
		return r, err
	}
	name, ok := settingNames[strings.ToLower(f[0])]
	if !ok || len(f) != 2 {
		return one(e.cat.T(s.lang, "settings.usage", nil)), nil
	}
	shop := s.shop
	value := f[1]
	switch name {
	case "digest-channel":
		return e.digestChannel(ctx, s, value)
	case "digest":
		t, err := time.Parse("15:04", value)
		if err != nil {
			return one(e.cat.T(s.lang, "settings.bad_time", nil)), nil
		}
		shop.DigestTime = t.Format("15:04")
		value = shop.DigestTime
	case "limit", "lapsed":
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 || n > 365 {
			return one(e.cat.T(s.lang, "settings.bad_number", nil)), nil
		}
		if name == "limit" {
			shop.DigestLimit = n
		} else {
			shop.LapsedDays = n
		}
	case "tz":
		if _, err := time.LoadLocation(value); err != nil || value == "" || value == "Local" {
			return one(e.cat.T(s.lang, "settings.bad_tz", nil)), nil
		}
		shop.TimeZone = value
	case "currency":
		cur, ok := crm.NormalCurrency(value)
		if !ok {
			return one(e.cat.T(s.lang, "settings.bad_currency", nil)), nil
		}
		shop.Currency, value = cur, cur
	}
	if err := e.store.UpdateShop(ctx, shop); err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: settings: %w", err))
	}
	return one(e.cat.T(s.lang, "settings.done."+name, map[string]any{"Value": value})), nil
}

// digestChannel sets the Slack channel the digest goes to ("#counter"), or
// back to direct messages ("dm", "off", "-").
func (e *Engine) digestChannel(ctx context.Context, s *session, value string) ([]Reply, error) {
	switch strings.ToLower(value) {
	case "dm", "off", "-", "none", "끄기":
		value = ""
	}
	// Slack writes a linked channel as <#C123|counter>.
	if strings.HasPrefix(value, "<#") && strings.HasSuffix(value, ">") {
		id, _, _ := strings.Cut(strings.TrimSuffix(strings.TrimPrefix(value, "<#"), ">"), "|")
		value = id
	}
	if err := e.store.SetShopSetting(ctx, s.shop.ID, crm.SettingSlackDigestChannel, value); err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: digest channel: %w", err))
	}
	if value == "" {
		return one(e.cat.T(s.lang, "settings.done.digest_dm", nil)), nil
	}
	return one(e.cat.T(s.lang, "settings.done.digest_channel", map[string]any{"Value": value})), nil
}
