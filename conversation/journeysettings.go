package conversation

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/dangol/dangol/crm"
)

// journeySettingNames maps what owners type to a journeys setting.
var journeySettingNames = map[string]string{
	"location": "location", "위치": "location", "장소": "location",
	"rulecap": "rulecap", "rules": "rulecap", "rule-cap": "rulecap", "규칙": "rulecap", "규칙한도": "rulecap", "하루한도": "rulecap",
}

// journeySettingsText shows the journeys' settings.
func (e *Engine) journeySettingsText(ctx context.Context, s *session) string {
	v, _ := e.store.ShopSetting(ctx, s.shop.ID, crm.SettingRulesDailyCap)
	n, err := crm.ParseRulesDailyCap(v)
	if err != nil {
		n = crm.DefaultRulesDailyCap
	}
	loc, _ := e.store.ShopSetting(ctx, s.shop.ID, crm.SettingWeatherLocation)
	weather := e.cat.T(s.lang, "journeys.settings.weather_off", nil)
	if e.weather != nil {
		weather = e.weather.Name()
	}
	if loc == "" {
		loc = e.cat.T(s.lang, "journeys.settings.no_location", nil)
	}
	return e.cat.T(s.lang, "journeys.settings", map[string]any{"Cap": n, "Location": loc, "Weather": weather})
}

// journeySetting changes a journeys setting (the caller checked that s is
// the owner): "/settings location 37.56,126.97", "/settings rulecap 2".
// ok is false for other settings.
func (e *Engine) journeySetting(ctx context.Context, s *session, f []string) ([]Reply, bool, error) {
	if len(f) == 0 {
		return nil, false, nil
	}
	name, ok := journeySettingNames[strings.ToLower(f[0])]
	if !ok {
		return nil, false, nil
	}
	value := strings.Join(f[1:], " ")
	var key, stored string
	var reply string
	switch name {
	case "location":
		switch strings.ToLower(strings.TrimSpace(value)) {
		case "off", "-", "none", "끄기", "없음":
			key, stored = crm.SettingWeatherLocation, ""
			reply = e.cat.T(s.lang, "journeys.settings.location_off", nil)
		default:
			p, err := crm.ParseGeoPoint(value)
			if err != nil {
				return one(e.cat.T(s.lang, "journeys.settings.bad_location", nil)), true, nil
			}
			key, stored = crm.SettingWeatherLocation, p.String()
			reply = e.cat.T(s.lang, "journeys.settings.location_done", map[string]any{"Value": stored})
			if e.weather == nil {
				reply += "\n" + e.cat.T(s.lang, "journeys.warn.weather_off", nil)
			}
		}
	case "rulecap":
		n, err := crm.ParseRulesDailyCap(value)
		if err != nil || value == "" {
			return one(e.cat.T(s.lang, "journeys.settings.bad_cap", map[string]any{"Max": crm.MaxRulesDailyCap})), true, nil
		}
		key, stored = crm.SettingRulesDailyCap, strconv.Itoa(n)
		reply = e.cat.T(s.lang, "journeys.settings.cap_done", map[string]any{"Value": n})
	}
	if err := e.store.SetShopSetting(ctx, s.shop.ID, key, stored); err != nil {
		r, err := e.fail(s.lang, fmt.Errorf("conversation: settings: %w", err))
		return r, true, err
	}
	return one(reply), true, nil
}
