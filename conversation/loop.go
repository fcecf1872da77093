package conversation

// The loop: the holdout that keeps a random share of digest entries and
// automated messages back, so the weekly report can say whether the rest
// brought anyone in. Every path that shows a digest entry or sends an
// automated message goes through ShownDigest or SendAutomated.

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dangol/dangol/crm"
)

// holdout returns the shop's holdout: its share and secret seed.
func (e *Engine) holdout(ctx context.Context, shop crm.Shop) (crm.Holdout, error) {
	v, err := e.store.ShopSetting(ctx, shop.ID, crm.SettingHoldout)
	if err != nil {
		return crm.Holdout{}, fmt.Errorf("conversation: holdout: %w", err)
	}
	pct, err := crm.ParseHoldout(v)
	if err != nil {
		pct = crm.DefaultHoldoutPercent
	}
	seed, err := e.store.HoldoutSeed(ctx, shop.ID)
	if err != nil {
		return crm.Holdout{}, fmt.Errorf("conversation: holdout: %w", err)
	}
	return crm.Holdout{Percent: pct, Seed: seed}, nil
}

// followupDays is the shop's follow-up window in days.
func (e *Engine) followupDays(ctx context.Context, shopID int64) int {
	v, _ := e.store.ShopSetting(ctx, shopID, crm.SettingFollowupDays)
	n, err := crm.ParseFollowupDays(v)
	if err != nil {
		return crm.DefaultFollowupDays
	}
	return n
}

// ShownDigest returns the digest of day as members see it: Digest less
// the entries the holdout keeps back, in order (the caller cuts them to
// limit, 0 for none), and the exposures a push of it records.
//
// The entries come from the customers' visit summaries; the favourites of
// the first limit of them (all when limit is 0) are read afterwards.
func (e *Engine) ShownDigest(ctx context.Context, shop crm.Shop, day crm.Date, limit int) ([]crm.DigestEntry, []crm.Exposure, error) {
	out, exps, err := e.shownDigest(ctx, shop, day, limit)
	if err != nil {
		return nil, nil, err
	}
	if err := e.AddFavorites(ctx, shop, day, out, limit); err != nil {
		return nil, nil, err
	}
	return out, exps, nil
}

// shownDigest is ShownDigest without the favourites.
func (e *Engine) shownDigest(ctx context.Context, shop crm.Shop, day crm.Date, limit int) ([]crm.DigestEntry, []crm.Exposure, error) {
	hist, err := e.store.Summaries(ctx, shop.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("conversation: digest: %w", err)
	}
	rules := crm.DigestRules{LapsedDays: shop.LapsedDays}
	// The digest as if nobody had been marked greeted: those resting after
	// a mark still count as exposed (crm.ApplyHoldout).
	shown := crm.Digest(day, hist, rules)
	for i := range hist {
		hist[i].Greeted = crm.Date{}
	}
	entries := crm.Digest(day, hist, rules)
	h, err := e.holdout(ctx, shop)
	if err != nil {
		return nil, nil, err
	}
	past, err := e.store.DigestDecisions(ctx, shop.ID, day)
	if err != nil {
		return nil, nil, fmt.Errorf("conversation: digest: %w", err)
	}
	if len(entries) > len(shown) {
		in := make(map[int64]bool, len(shown))
		for _, en := range shown {
			in[en.Customer.ID] = true
		}
		past.Resting = map[int64]bool{}
		for _, en := range entries {
			if !in[en.Customer.ID] {
				past.Resting[en.Customer.ID] = true
			}
		}
	}
	out, exps := crm.ApplyHoldout(day, entries, limit, h, past, 0)
	return out, exps, nil
}

// heldOutToday reports whether the customer's digest entry of day is held
// back: nothing may be sent from it.
func (e *Engine) heldOutToday(ctx context.Context, shop crm.Shop, customerID int64, day crm.Date) (bool, error) {
	entries, err := e.Digest(ctx, shop, day)
	if err != nil {
		return false, err
	}
	if !slices.ContainsFunc(entries, func(en crm.DigestEntry) bool { return en.Customer.ID == customerID }) {
		return false, nil
	}
	shown, _, err := e.shownDigest(ctx, shop, day, 0)
	if err != nil {
		return false, err
	}
	return !slices.ContainsFunc(shown, func(en crm.DigestEntry) bool { return en.Customer.ID == customerID }), nil
}

// SendAutomated sends a message of an automated kind ("rule:" and a name)
// to a customer: the holdout draws for the customer, the kind and this
// ISO week first, and a message the outbox rules would let go but the draw
// holds back is recorded as held out (crm.VerdictHeldOut) instead of
// queued. Owner-written rules send through it.
func (e *Engine) SendAutomated(ctx context.Context, shop crm.Shop, customerID int64, kind string, p crm.Purpose, text string,
	buttons []crm.OutboxButton) (crm.Decision, error) {
	return e.sendAutomated(ctx, shop, crm.OutboxInput{ShopID: shop.ID, CustomerID: customerID, Purpose: p, Text: text,
		Buttons: buttons, Source: kind})
}

// sendAutomated is SendAutomated for a whole input (a rule's firing, a
// message that may not wait out quiet hours): in.Source is the kind; the
// time, stop lines and holdout draw are filled in.
func (e *Engine) sendAutomated(ctx context.Context, shop crm.Shop, in crm.OutboxInput) (crm.Decision, error) {
	kind := in.Source
	if !crm.IsAutomated(kind) || len(kind) == len(crm.SourceRulePrefix) {
		return crm.Decision{}, fmt.Errorf("conversation: automated kind %q: %w", kind, crm.ErrInvalidInput)
	}
	now := e.now()
	h, err := e.holdout(ctx, shop)
	if err != nil {
		return crm.Decision{}, err
	}
	draw := h.Decide(in.CustomerID, kind, shop.Today(now))
	in.At, in.StopLines, in.Holdout = now, e.stopLines(), &draw
	_, d, err := e.store.QueueMessage(ctx, in)
	if err != nil {
		return d, fmt.Errorf("conversation: send automated: %w", err)
	}
	if d.Verdict == crm.VerdictSend {
		e.wakeOutbox()
	}
	return d, nil
}

// loopSettingNames maps what owners type to a loop setting.
var loopSettingNames = map[string]string{
	"holdout": "holdout", "홀드아웃": "holdout", "비교군": "holdout", "비교": "holdout",
	"followup": "followup", "follow-up": "followup", "후속": "followup", "후속방문": "followup",
}

// loopSettingsText shows the loop's settings.
func (e *Engine) loopSettingsText(ctx context.Context, s *session) string {
	v, _ := e.store.ShopSetting(ctx, s.shop.ID, crm.SettingHoldout)
	pct, err := crm.ParseHoldout(v)
	if err != nil {
		pct = crm.DefaultHoldoutPercent
	}
	return e.cat.T(s.lang, "loop.settings", map[string]any{"Percent": pct, "Days": e.followupDays(ctx, s.shop.ID)})
}

// loopSetting changes a loop setting (the caller checked that s is the
// owner): "/settings holdout 10", "/settings followup 7". ok is false for
// other settings.
func (e *Engine) loopSetting(ctx context.Context, s *session, f []string) ([]Reply, bool, error) {
	if len(f) == 0 {
		return nil, false, nil
	}
	name, ok := loopSettingNames[strings.ToLower(f[0])]
	if !ok {
		return nil, false, nil
	}
	value := strings.Join(f[1:], "")
	var key string
	var n int
	var err error
	if name == "holdout" {
		key = crm.SettingHoldout
		if n, err = crm.ParseHoldout(value); err != nil || value == "" {
			return one(e.cat.T(s.lang, "loop.bad_holdout", map[string]any{"Max": crm.MaxHoldoutPercent})), true, nil
		}
	} else {
		key = crm.SettingFollowupDays
		if n, err = crm.ParseFollowupDays(value); err != nil || value == "" {
			return one(e.cat.T(s.lang, "loop.bad_followup", map[string]any{"Max": crm.MaxFollowupDays})), true, nil
		}
	}
	if err := e.store.SetShopSetting(ctx, s.shop.ID, key, strconv.Itoa(n)); err != nil {
		r, err := e.fail(s.lang, fmt.Errorf("conversation: settings: %w", err))
		return r, true, err
	}
	if name == "holdout" && n == 0 {
		return one(e.cat.T(s.lang, "loop.done.holdout_off", nil)), true, nil
	}
	return one(e.cat.T(s.lang, "loop.done."+name, map[string]any{"Value": n})), true, nil
}
