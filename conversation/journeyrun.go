package conversation

// Running journeys: each active rule with a send time runs once a day at
// that time in the shop's zone (the scheduler's tick finds the rules due
// with one indexed query), matching customers on what the shop knew that
// morning, applying the rules' own limits, and sending through the outbox
// as an automated kind (SendAutomated: the holdout, consent, caps, quiet
// hours, the offer label). A dry run does all of it but send and record.
// Staff lines go with the digest.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// RuleSend is a customer a rule messages (or would), with the text.
type RuleSend struct {
	CustomerID int64
	Customer   string
	Text       string
}

// RuleSkip is a customer a rule matched but does not message, and why.
type RuleSkip struct {
	CustomerID int64
	Customer   string
	Why        crm.SkipReason
}

// RuleOutcome is what one rule does (or would do) on a day.
type RuleOutcome struct {
	Rule    crm.Rule
	Sent    []RuleSend
	Skipped []RuleSkip
}

// DryRunJSON is the shape `dangol rules dry-run --json` prints.
type DryRunJSON struct {
	Date  string           `json:"date"`
	Rules []DryRunRuleJSON `json:"rules"`
}

// DryRunRuleJSON is one rule of DryRunJSON.
type DryRunRuleJSON struct {
	ID        int64         `json:"id"`
	Name      string        `json:"name"`
	WouldSend []DrySendJSON `json:"would_send"`
	Skipped   []DrySkipJSON `json:"skipped"`
}

// DrySendJSON is one message a rule would send.
type DrySendJSON struct {
	Customer string `json:"customer"`
	Text     string `json:"text"`
}

// DrySkipJSON is one customer a rule would skip.
type DrySkipJSON struct {
	Customer string `json:"customer"`
	Why      string `json:"why"`
}

// DryRunOut renders outcomes as DryRunJSON.
func DryRunOut(day crm.Date, outs []RuleOutcome) DryRunJSON {
	d := DryRunJSON{Date: day.String(), Rules: []DryRunRuleJSON{}}
	for _, o := range outs {
		r := DryRunRuleJSON{ID: o.Rule.ID, Name: o.Rule.Name, WouldSend: []DrySendJSON{}, Skipped: []DrySkipJSON{}}
		for _, s := range o.Sent {
			r.WouldSend = append(r.WouldSend, DrySendJSON{Customer: s.Customer, Text: s.Text})
		}
		for _, s := range o.Skipped {
			r.Skipped = append(r.Skipped, DrySkipJSON{Customer: s.Customer, Why: string(s.Why)})
		}
		d.Rules = append(d.Rules, r)
	}
	return d
}

// ruleKind is a rule's exposure kind ("rule:" and its name until saved).
func ruleKind(r crm.Rule) string {
	if r.Kind != "" {
		return r.Kind
	}
	return crm.SourceRulePrefix + r.Name
}

// journeyRun is what one shop's rules look at on one day, read once for
// all the rules that run together.
type journeyRun struct {
	shop       crm.Shop
	day        crm.Date
	book       *crm.JourneyBook
	jd         crm.JourneyDay
	reaches    map[int64]crm.Reach
	capSetting string
	quiet      string
	policy     crm.OutboxPolicy // the shop's; a customer's own quiet hours are added to it
	holdout    crm.Holdout
	ledger     *crm.RuleLedger
	visits     map[int64][]crm.Visit // for {usual}, read per customer as needed
	memo       map[string]string     // texts made once per run
}

// prepareRun reads what rules need on day: every customer's visits (once),
// their usual times, the bookings and announcements around the day, the
// forecast when a rule needs it, how customers can be reached, the
// holdout and what fired lately. A dry run writes nothing (a forecast it
// fetches is not kept).
func (e *Engine) prepareRun(ctx context.Context, shop crm.Shop, day crm.Date, now time.Time, rules []crm.Rule, dry bool) (*journeyRun, error) {
	hist, err := e.store.History(ctx, shop.ID)
	if err != nil {
		return nil, fmt.Errorf("conversation: journeys: %w", err)
	}
	times, err := e.store.UsualTimes(ctx, shop.ID)
	if err != nil {
		return nil, fmt.Errorf("conversation: journeys: %w", err)
	}
	jr := &journeyRun{shop: shop, day: day, book: crm.NewJourneyBook(day, hist, times, shop.LapsedDays),
		jd: crm.JourneyDay{Day: day, LapsedDays: shop.LapsedDays}, visits: map[int64][]crm.Visit{}}
	if from, to, ok := crm.BookingWindow(day, rules); ok {
		if jr.jd.Bookings, err = e.store.Bookings(ctx, shop.ID, from, to); err != nil {
			return nil, fmt.Errorf("conversation: journeys: %w", err)
		}
	}
	if slices.ContainsFunc(rules, func(r crm.Rule) bool { return r.Trigger.Kind == crm.TriggerAnnouncement }) {
		as, err := e.store.Announcements(ctx, shop.ID, day.AddDays(-7))
		if err != nil {
			return nil, fmt.Errorf("conversation: journeys: %w", err)
		}
		for _, a := range as {
			if !a.CreatedAt.After(now) {
				jr.jd.Announcements = append(jr.jd.Announcements, a)
			}
		}
	}
	if slices.ContainsFunc(rules, func(r crm.Rule) bool { return r.Trigger.Rain > 0 || r.Trigger.Kind == crm.TriggerRain }) {
		jr.jd.Rain, jr.jd.RainKnown = e.forecast(ctx, shop, day, dry)
	}
	if !slices.ContainsFunc(rules, func(r crm.Rule) bool { return r.Action.Kind != crm.ActionStaff }) {
		return jr, nil // staff lines need nothing more
	}
	if jr.reaches, err = e.store.Reaches(ctx, shop.ID, now); err != nil {
		return nil, fmt.Errorf("conversation: journeys: %w", err)
	}
	if jr.capSetting, err = e.store.ShopSetting(ctx, shop.ID, crm.SettingOutboxCap); err != nil {
		return nil, fmt.Errorf("conversation: journeys: %w", err)
	}
	if jr.quiet, err = e.store.ShopSetting(ctx, shop.ID, crm.SettingQuietHours); err != nil {
		return nil, fmt.Errorf("conversation: journeys: %w", err)
	}
	jr.policy = crm.PolicyFromSettings(jr.capSetting, jr.quiet, "", shop.Location())
	if jr.holdout, err = e.holdout(ctx, shop); err != nil {
		return nil, err
	}
	capv, _ := e.store.ShopSetting(ctx, shop.ID, crm.SettingRulesDailyCap)
	dailyCap, err := crm.ParseRulesDailyCap(capv)
	if err != nil {
		dailyCap = crm.DefaultRulesDailyCap
	}
	recent, err := e.store.RuleFirings(ctx, shop.ID, day.AddDays(-(crm.RuleRepeatDays - 1)))
	if err != nil {
		return nil, fmt.Errorf("conversation: journeys: %w", err)
	}
	jr.ledger = crm.NewRuleLedger(day, dailyCap, recent)
	return jr, nil
}

// runRule applies one rule on the run's day: at is when its messages go.
// A dry run predicts; otherwise each message goes through SendAutomated,
// whose outbox decides for good in the transaction that records the
// firing.
func (e *Engine) runRule(ctx context.Context, jr *journeyRun, r crm.Rule, at time.Time, dry bool) (RuleOutcome, error) {
	out := RuleOutcome{Rule: r}
	matches := jr.book.Match(r, jr.jd)
	if len(matches) == 0 {
		return out, nil
	}
	if r.Action.Kind == crm.ActionStaff {
		for _, m := range matches {
			text, err := e.ruleText(ctx, jr, r, m)
			if err != nil {
				return out, err
			}
			out.Sent = append(out.Sent, RuleSend{CustomerID: m.CustomerID, Customer: m.Name,
				Text: e.cat.T(jr.shop.Lang, "journeys.staff_line", map[string]any{"Time": m.UsualTime, "Name": m.Name, "Text": text})})
		}
		return out, nil
	}
	if r.ID != 0 {
		ids := make([]int64, len(matches))
		for i, m := range matches {
			ids[i] = m.CustomerID
		}
		fired, err := e.store.FiredOccasions(ctx, jr.shop.ID, r.ID, ids)
		if err != nil {
			return out, fmt.Errorf("conversation: journeys: %w", err)
		}
		jr.ledger.MarkFired(fired)
	}
	loc := jr.policy.Loc
	kind := ruleKind(r)
	for _, m := range matches {
		text, err := e.ruleText(ctx, jr, r, m)
		if err != nil {
			return out, err
		}
		reach := jr.reaches[m.CustomerID]
		firing := crm.RuleFiring{RuleID: r.ID, CustomerID: m.CustomerID, Occasion: m.Occasion, Day: jr.day,
			Action: r.Action.Kind, TextHash: crm.TextHash(text), Topic: r.Action.Topic}
		if r.Action.Kind == crm.ActionAsk {
			text += "\n" + e.cat.T(langOr(reach.Lang, jr.shop.Lang), "journeys.ask_note", map[string]any{"Topic": r.Action.Topic})
		}
		why := jr.ledger.Check(r.ID, m.CustomerID, m.Occasion, firing.TextHash)
		if why == "" {
			pol := jr.policy
			if reach.Quiet != "" {
				pol = crm.PolicyFromSettings(jr.capSetting, jr.quiet, reach.Quiet, loc)
			}
			why = crm.ReachSkip(reach, r.Action.Purpose, at, pol)
		}
		if dry {
			if why == "" && jr.holdout.Decide(m.CustomerID, kind, jr.day).HeldOut {
				why = crm.SkipHoldout
			}
			if why == "" || why == crm.SkipHoldout {
				firing.HeldOut = why == crm.SkipHoldout
				jr.ledger.Add(firing)
			}
			if why == "" {
				out.Sent = append(out.Sent, RuleSend{m.CustomerID, m.Name, e.labelled(jr.shop, reach, r.Action.Purpose, text)})
			} else {
				out.Skipped = append(out.Skipped, RuleSkip{m.CustomerID, m.Name, why})
			}
			continue
		}
		if why != "" {
			out.Skipped = append(out.Skipped, RuleSkip{m.CustomerID, m.Name, why})
			continue
		}
		d, err := e.sendAutomated(ctx, jr.shop, crm.OutboxInput{ShopID: jr.shop.ID, CustomerID: m.CustomerID,
			Purpose: r.Action.Purpose, Text: text, Source: kind, SkipQuiet: true, Firing: &firing})
		switch {
		case errors.Is(err, crm.ErrAlreadyDone):
			out.Skipped = append(out.Skipped, RuleSkip{m.CustomerID, m.Name, crm.SkipAlreadySent})
			continue
		case errors.Is(err, crm.ErrNotFound):
			continue // erased meanwhile: nothing to say about them
		case err != nil:
			return out, err
		}
		switch d.Verdict {
		case crm.VerdictSend, crm.VerdictHold:
			jr.ledger.Add(firing)
			out.Sent = append(out.Sent, RuleSend{m.CustomerID, m.Name, d.Text})
		case crm.VerdictHeldOut:
			firing.HeldOut = true
			jr.ledger.Add(firing)
			out.Skipped = append(out.Skipped, RuleSkip{m.CustomerID, m.Name, crm.SkipHoldout})
		default:
			out.Skipped = append(out.Skipped, RuleSkip{m.CustomerID, m.Name, skipOf(d.Reason)})
		}
	}
	return out, nil
}

// skipOf names a block of the outbox as the dry run does.
func skipOf(b crm.BlockReason) crm.SkipReason {
	switch b {
	case crm.BlockCap:
		return crm.SkipCap
	case crm.BlockQuiet:
		return crm.SkipQuietHours
	}
	return crm.SkipNoConsent
}

func langOr(lang, fallback string) string {
	if lang == "" {
		return fallback
	}
	return lang
}

// labelled is text as the outbox would deliver it to the customer: an
// offer labelled in their language.
func (e *Engine) labelled(shop crm.Shop, reach crm.Reach, p crm.Purpose, text string) string {
	if p != crm.PurposeOffers {
		return text
	}
	lang := langOr(reach.Lang, shop.Lang)
	return crm.LabelOffer(text, lang, e.stopLines()[lang])
}

// ruleText fills a rule's placeholders for one match.
func (e *Engine) ruleText(ctx context.Context, jr *journeyRun, r crm.Rule, m crm.JourneyMatch) (string, error) {
	text := r.Action.Text
	used, _ := placeholders(text)
	if len(used) == 0 {
		return text, nil
	}
	l := jr.shop.Lang
	v := map[string]string{"name": m.Name, "item": r.Trigger.Item, "shop": jr.shop.Name, "last_service": m.Service}
	if used["time"] && r.SendAt != "" {
		v["time"] = jr.cached(r.SendAt, func() string {
			m, _ := crm.ParseClock(r.SendAt)
			mm := ""
			if m%60 != 0 {
				mm = fmt.Sprintf("%02d", m%60)
			}
			return e.cat.T(l, "journeys.value.time", map[string]any{"H": (m/60+11)%12 + 1, "MM": mm, "PM": m >= 12*60})
		})
	}
	if m.Like != "" {
		v["likes"] = m.Like
	} else if h, ok := jr.book.Customer(m.CustomerID); ok && len(h.Likes) > 0 {
		v["likes"] = strings.Join(h.Likes[:min(2, len(h.Likes))], ", ")
	}
	if m.Booking != nil {
		v["booking_date"] = e.bookingWhen(l, crm.Booking{Date: m.Booking.Date, End: m.Booking.End, Time: m.Booking.Time})
	}
	if m.Announcement != nil {
		v["news"] = m.Announcement.Text
	}
	if used["usual"] || used["likes"] && v["likes"] == "" || used["last_service"] && v["last_service"] == "" {
		visits, ok := jr.visits[m.CustomerID]
		if !ok {
			var err error
			if visits, err = e.store.Visits(ctx, jr.shop.ID, m.CustomerID); err != nil {
				return "", fmt.Errorf("conversation: journeys: %w", err)
			}
			visits = slices.DeleteFunc(visits, func(vi crm.Visit) bool { return !vi.Date.Before(jr.day) })
			jr.visits[m.CustomerID] = visits
		}
		if usual := crm.UsualOrder(visits); len(usual) > 0 {
			v["usual"] = e.itemList(l, usual)
		}
		if fav := crm.Favorites(visits, 1); v["likes"] == "" && len(fav) > 0 {
			v["likes"] = fav[0].Name
		}
		if v["last_service"] == "" {
			for i := len(visits) - 1; i >= 0; i-- {
				if len(visits[i].Items) > 0 {
					v["last_service"] = visits[i].Items[0].Name
					break
				}
			}
		}
	}
	for k := range used {
		if v[k] == "" {
			switch k {
			case "likes", "usual", "last_service":
				v[k] = jr.cached("value."+k, func() string { return e.cat.T(l, "journeys.value."+k, nil) })
			}
		}
	}
	return fillPlaceholders(text, v), nil
}

// cached returns the run's value for key, making it once.
func (jr *journeyRun) cached(key string, make func() string) string {
	if v, ok := jr.memo[key]; ok {
		return v
	}
	if jr.memo == nil {
		jr.memo = map[string]string{}
	}
	v := make()
	jr.memo[key] = v
	return v
}

// RunDueRules runs every rule whose time has come, in every shop: what the
// scheduler's tick calls. Rules of a shop due together share one read of
// its history. A rule runs at most once per shop-local day; after downtime
// it runs once, late, on the day (never for days missed).
func (e *Engine) RunDueRules(ctx context.Context, now time.Time) error {
	due, err := e.store.DueRules(ctx, now)
	if err != nil || len(due) == 0 {
		return err
	}
	var errs []error
	for i := 0; i < len(due); {
		j := i
		for j < len(due) && due[j].ShopID == due[i].ShopID {
			j++
		}
		if err := e.runShopRules(ctx, due[i:j], now); err != nil {
			errs = append(errs, err)
		}
		i = j
	}
	return errors.Join(errs...)
}

// runShopRules runs one shop's due rules for today.
func (e *Engine) runShopRules(ctx context.Context, due []crm.Rule, now time.Time) error {
	shop, err := e.store.Shop(ctx, due[0].ShopID)
	if err != nil {
		return fmt.Errorf("conversation: journeys: %w", err)
	}
	loc, day := shop.Location(), shop.Today(now)
	var run []crm.Rule
	for _, r := range due {
		at := crm.SendInstant(r.SendAt, day, loc)
		if now.Before(at) { // its time moved (a new zone): not yet today
			if err := e.store.RescheduleRule(ctx, shop.ID, r.ID, at); err != nil {
				return fmt.Errorf("conversation: journeys: %w", err)
			}
			continue
		}
		next, _ := crm.NextRun(r.SendAt, loc, now)
		first, err := e.store.StartRuleRun(ctx, shop.ID, r.ID, day, next, now)
		if err != nil {
			return fmt.Errorf("conversation: journeys: %w", err)
		}
		if first {
			run = append(run, r)
		}
	}
	if len(run) == 0 {
		return nil
	}
	jr, err := e.prepareRun(ctx, shop, day, now, run, false)
	if err != nil {
		return err
	}
	var errs []error
	for _, r := range run {
		out, err := e.runRule(ctx, jr, r, now, false)
		if err != nil {
			errs = append(errs, fmt.Errorf("rule %d: %w", r.ID, err))
		}
		e.log.Info("rule ran", "shop", shop.ID, "rule", r.ID, "day", day.String(), "sent", len(out.Sent), "skipped", len(out.Skipped))
	}
	return errors.Join(errs...)
}

// DryRun says what the shop's active rules (and extra, a draft or a
// paused rule, run after them in its turn) would do on day, in send-time
// order as they run, without sending or recording anything.
func (e *Engine) DryRun(ctx context.Context, shop crm.Shop, day crm.Date, extra *crm.Rule) ([]RuleOutcome, error) {
	all, err := e.store.Rules(ctx, shop.ID)
	if err != nil {
		return nil, fmt.Errorf("conversation: dry run: %w", err)
	}
	var rules []crm.Rule
	for _, r := range all {
		if r.State == crm.RuleActive && (extra == nil || r.ID != extra.ID && r.ID != extra.Replaces) {
			rules = append(rules, r)
		}
	}
	if extra != nil {
		rules = append(rules, *extra)
	}
	// As they run: by send time, staff lines (the digest's) last.
	slices.SortStableFunc(rules, func(a, b crm.Rule) int {
		if (a.SendAt == "") != (b.SendAt == "") {
			if a.SendAt == "" {
				return 1
			}
			return -1
		}
		if c := strings.Compare(a.SendAt, b.SendAt); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	loc := shop.Location()
	now := e.now()
	if day != shop.Today(now) {
		now = crm.SendInstant("23:59", day, loc) // what was known by the end of that day
	}
	jr, err := e.prepareRun(ctx, shop, day, now, rules, true)
	if err != nil {
		return nil, err
	}
	var outs []RuleOutcome
	for _, r := range rules {
		o, err := e.runRule(ctx, jr, r, crm.SendInstant(r.SendAt, day, loc), true)
		if err != nil {
			return nil, err
		}
		if extra == nil || r.ID == extra.ID {
			outs = append(outs, o)
		}
	}
	return outs, nil
}

// dryRunOne answers the Dry run button of one rule.
func (e *Engine) dryRunOne(ctx context.Context, s *session, r crm.Rule) ([]Reply, error) {
	if ps := e.blocking(ctx, s.shop, r); ps != nil {
		return one(strings.Join(ps, "\n")), nil
	}
	buttons := e.readback(ctx, s, r).Buttons // what can be done next
	if r.Replaces != 0 {
		r.ID = r.Replaces // what the edited rule did counts
	}
	outs, err := e.DryRun(ctx, s.shop, s.today(), &r)
	if err != nil {
		return e.fail(s.lang, err)
	}
	return one(e.dryRunText(s.lang, s.shop, s.today(), outs), buttons...), nil
}

// dryRunAll answers /rules dry-run.
func (e *Engine) dryRunAll(ctx context.Context, s *session) ([]Reply, error) {
	outs, err := e.DryRun(ctx, s.shop, s.today(), nil)
	if err != nil {
		return e.fail(s.lang, err)
	}
	if len(outs) == 0 {
		return one(e.noneActive(ctx, s.shop)), nil
	}
	return one(e.dryRunText(s.lang, s.shop, s.today(), outs)), nil
}

// noneActive says that no rule is on: none yet, or all paused.
func (e *Engine) noneActive(ctx context.Context, shop crm.Shop) string {
	if rs, err := e.store.Rules(ctx, shop.ID); err == nil && len(rs) > 0 {
		return e.cat.T(shop.Lang, "journeys.none_active", nil)
	}
	return e.cat.T(shop.Lang, "journeys.none", nil)
}

// DryRunText writes outcomes as the chat shows them, in the shop's
// language.
func (e *Engine) DryRunText(shop crm.Shop, day crm.Date, outs []RuleOutcome) string {
	if len(outs) == 0 {
		return e.noneActive(context.Background(), shop)
	}
	return e.dryRunText(shop.Lang, shop, day, outs)
}

// RulesText lists rules as the chat does, for the command line.
func (e *Engine) RulesText(ctx context.Context, shop crm.Shop, rules []crm.Rule) string {
	if len(rules) == 0 {
		return e.cat.T(shop.Lang, "journeys.none", nil)
	}
	s := &session{shop: shop, lang: shop.Lang, now: e.now()}
	var lines []string
	for _, r := range rules {
		lines = append(lines, fmt.Sprintf("#%d %s", r.ID, e.readback(ctx, s, r).Text))
	}
	return strings.Join(lines, "\n\n")
}

// dryNames is how many names a dry run lists before "and N more".
const dryNames = 8

// dryRunText writes outcomes for the chat.
func (e *Engine) dryRunText(l string, shop crm.Shop, day crm.Date, outs []RuleOutcome) string {
	var b strings.Builder
	b.WriteString(e.cat.T(l, "journeys.dry.head", map[string]any{"Date": e.shortDate(l, day)}))
	for _, o := range outs {
		b.WriteString("\n\n" + e.cat.T(l, "journeys.dry.rule", map[string]any{"Name": o.Rule.Name, "At": e.atText(l, o.Rule)}))
		if len(o.Sent) == 0 && len(o.Skipped) == 0 {
			b.WriteString("\n" + e.cat.T(l, "journeys.dry.nobody", nil))
			continue
		}
		if len(o.Sent) > 0 {
			names := make([]string, 0, len(o.Sent))
			for _, s := range o.Sent {
				names = append(names, s.Customer)
			}
			key := "journeys.dry.send"
			if o.Rule.Action.Kind == crm.ActionStaff {
				key = "journeys.dry.staff"
			}
			b.WriteString("\n" + e.cat.N(l, key, len(o.Sent), map[string]any{"Names": e.nameList(l, names)}))
			b.WriteString("\n" + e.cat.T(l, "journeys.dry.example", map[string]any{"Text": o.Sent[0].Text}))
		}
		if len(o.Skipped) > 0 {
			names := make([]string, 0, len(o.Skipped))
			for _, s := range o.Skipped {
				names = append(names, e.cat.T(l, "journeys.dry.skip_one", map[string]any{"Name": s.Customer,
					"Why": e.cat.T(l, "journeys.why."+string(s.Why), nil)}))
			}
			b.WriteString("\n" + e.cat.N(l, "journeys.dry.skipped", len(o.Skipped), map[string]any{"Names": e.nameList(l, names)}))
		}
	}
	b.WriteString("\n\n" + e.cat.T(l, "journeys.dry.nothing_sent", nil))
	return b.String()
}

// nameList joins at most dryNames names and says how many more.
func (e *Engine) nameList(l string, names []string) string {
	if len(names) <= dryNames {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:dryNames], ", ") + " " + e.cat.N(l, "journeys.dry.more", len(names)-dryNames, nil)
}

// WithRuleLines adds the staff lines of the shop's staff rules to a digest
// of day ("07:00 권태윤 — 타월 준비"). When they cannot be worked out, the
// digest stays as it was.
func (e *Engine) WithRuleLines(ctx context.Context, shop crm.Shop, day crm.Date, r Reply) Reply {
	all, err := e.store.Rules(ctx, shop.ID)
	if err != nil {
		e.log.Error("digest rules", "shop", shop.ID, "err", err)
		return r
	}
	var staff []crm.Rule
	for _, x := range all {
		if x.State == crm.RuleActive && x.Action.Kind == crm.ActionStaff {
			staff = append(staff, x)
		}
	}
	if len(staff) == 0 {
		return r
	}
	jr, err := e.prepareRun(ctx, shop, day, e.now(), staff, true)
	if err != nil {
		e.log.Error("digest rules", "shop", shop.ID, "err", err)
		return r
	}
	var lines []string
	for _, x := range staff {
		o, err := e.runRule(ctx, jr, x, e.now(), true)
		if err != nil {
			e.log.Error("digest rules", "shop", shop.ID, "rule", x.ID, "err", err)
			continue
		}
		for _, s := range o.Sent {
			lines = append(lines, s.Text)
		}
	}
	if len(lines) == 0 {
		return r
	}
	// By time of day; lines without one after, in the rules' order.
	slices.SortStableFunc(lines, func(a, b string) int {
		switch da, db := startsWithDigit(a), startsWithDigit(b); {
		case da && db:
			return strings.Compare(a[:5], b[:5])
		case da:
			return -1
		case db:
			return 1
		}
		return 0
	})
	r.Text += "\n\n" + e.cat.T(shop.Lang, "journeys.staff_title", nil) + "\n" + strings.Join(lines, "\n")
	return r
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// forecast returns the day's rain probability at the shop, fetched once a
// day and kept; known is false when weather is off, the shop has no
// location, or the fetch failed (the owner is told once, until a fetch
// works again). A dry run keeps nothing it fetches.
func (e *Engine) forecast(ctx context.Context, shop crm.Shop, day crm.Date, dry bool) (int, bool) {
	if e.weather == nil {
		return 0, false
	}
	v, err := e.store.ShopSetting(ctx, shop.ID, crm.SettingWeatherLocation)
	if err != nil || v == "" {
		return 0, false
	}
	p, err := crm.ParseGeoPoint(v)
	if err != nil {
		return 0, false
	}
	if w, ok, err := e.store.WeatherDay(ctx, shop.ID, day); err == nil && ok {
		return w.Rain, !w.Failed
	}
	rain, ferr := e.weather.RainChance(ctx, p, day, shop.Location())
	if dry {
		return rain, ferr == nil
	}
	w := crm.WeatherDay{ShopID: shop.ID, Day: day, Rain: rain, Failed: ferr != nil, FetchedAt: e.now()}
	if ferr != nil {
		w.Rain = 0
	}
	if err := e.store.SetWeatherDay(ctx, w); err != nil {
		e.log.Error("weather", "shop", shop.ID, "err", err)
	}
	failing, _ := e.store.ShopSetting(ctx, shop.ID, crm.SettingWeatherFailing)
	if ferr == nil {
		if failing != "" {
			_ = e.store.SetShopSetting(ctx, shop.ID, crm.SettingWeatherFailing, "")
		}
		return rain, true
	}
	e.log.Warn("weather: no forecast", "shop", shop.ID, "day", day.String(), "err", ferr)
	if failing == "" {
		if err := e.tellOwners(ctx, shop, e.cat.T(shop.Lang, "journeys.weather_failed", map[string]any{
			"Provider": e.weather.Name()})); err != nil {
			e.log.Error("weather notice", "shop", shop.ID, "err", err)
		}
		_ = e.store.SetShopSetting(ctx, shop.ID, crm.SettingWeatherFailing, day.String())
	}
	return 0, false
}

// tellOwners queues a notice to the shop's owners.
func (e *Engine) tellOwners(ctx context.Context, shop crm.Shop, text string) error {
	members, err := e.store.Members(ctx, shop.ID)
	if err != nil {
		return err
	}
	var ns []crm.Notice
	for _, m := range members {
		if m.Role == crm.RoleOwner {
			ns = append(ns, crm.Notice{ShopID: shop.ID, Platform: m.Platform, UserID: m.UserID, Text: text, At: e.now()})
		}
	}
	if len(ns) == 0 {
		return nil
	}
	if err := e.store.QueueNotices(ctx, ns...); err != nil {
		return err
	}
	e.wakeOutbox()
	return nil
}

// newsCommand is /new TEXT (/신간, /소식): an announcement the shop's
// announcement rules tell the customers who like what it names.
func (e *Engine) newsCommand(ctx context.Context, s *session, args string) ([]Reply, error) {
	if !s.isOwner() {
		return e.ownerOnly(s), nil
	}
	text := strings.TrimSpace(args)
	if text == "" {
		return one(e.cat.T(s.lang, "journeys.news.usage", nil)), nil
	}
	if len([]rune(text)) > crm.MaxRuleText {
		return one(e.cat.T(s.lang, "journeys.problem.too_long", map[string]any{"Max": crm.MaxRuleText})), nil
	}
	a, err := e.store.AddAnnouncement(ctx, crm.Announcement{ShopID: s.shop.ID, Text: text, Day: s.today(), CreatedAt: s.now})
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: news: %w", err))
	}
	hist, err := e.store.History(ctx, s.shop.ID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: news: %w", err))
	}
	fans := map[string]int{}
	var likes []string
	total := 0
	for _, h := range hist {
		for _, like := range h.Likes {
			if crm.LikeMatches(like, a.Text) {
				if fans[like] == 0 {
					likes = append(likes, like)
				}
				fans[like]++
				total++
				break
			}
		}
	}
	lines := []string{e.cat.N(s.lang, "journeys.news.kept", total, map[string]any{"Text": a.Text})}
	if total > 0 {
		parts := make([]string, 0, len(likes))
		for _, l := range likes {
			parts = append(parts, e.cat.T(s.lang, "journeys.news.like", map[string]any{"Like": l, "N": fans[l]}))
		}
		lines[0] += " (" + strings.Join(parts, ", ") + ")"
	}
	rules, err := e.store.Rules(ctx, s.shop.ID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: news: %w", err))
	}
	var buttons []Button
	found := false
	for _, r := range rules {
		if r.State != crm.RuleActive || r.Trigger.Kind != crm.TriggerAnnouncement {
			continue
		}
		found = true
		next, _ := crm.NextRun(r.SendAt, s.shop.Location(), s.now)
		lines = append(lines, e.cat.T(s.lang, "journeys.news.rule", map[string]any{"Name": r.Name,
			"When": e.when(s.lang, next, s.shop.Location())}))
	}
	if !found {
		lines = append(lines, e.cat.T(s.lang, "journeys.news.no_rule", nil))
		buttons = append(buttons, Button{Label: e.cat.T(s.lang, "journeys.tpl.book_release.name", nil), Action: "rtpl:book_release"})
	}
	return one(strings.Join(lines, "\n"), buttons...), nil
}

// answerQuestion keeps what a customer writes as the answer to a rule's
// question they were asked lately, when exactly one of their shops asked;
// ok is false otherwise (the text then reaches the shop as usual).
func (e *Engine) answerQuestion(ctx context.Context, s *session, links []crm.CustomerLink, text string) ([]Reply, bool, error) {
	var link crm.CustomerLink
	var q crm.RuleFiring
	n := 0
	for _, l := range links {
		f, err := e.store.OpenQuestion(ctx, l.ShopID, l.CustomerID, s.now)
		if errors.Is(err, crm.ErrNotFound) {
			continue
		}
		if err != nil {
			r, err := e.fail(s.lang, fmt.Errorf("conversation: answer: %w", err))
			return r, true, err
		}
		link, q = l, f
		n++
	}
	if n != 1 {
		return nil, false, nil
	}
	shop, err := e.store.Shop(ctx, link.ShopID)
	if err != nil {
		r, err := e.fail(s.lang, fmt.Errorf("conversation: answer: %w", err))
		return r, true, err
	}
	c, err := e.store.Customer(ctx, link.ShopID, link.CustomerID)
	if err != nil {
		r, err := e.fail(s.lang, fmt.Errorf("conversation: answer: %w", err))
		return r, true, err
	}
	answer := short(text, crm.MaxAnswer)
	// Minimal data: what looks like a phone number, an address or a health
	// detail is not kept; the shop still reads it.
	if kind := e.memos.Kind(answer); kind != "" {
		r, err := e.deliverToShop(ctx, s, link, text)
		if err == nil {
			r = append(r, Reply{Text: e.cat.T(s.lang, "journeys.answer_not_kept", nil)})
		}
		return r, true, err
	}
	if _, err := e.store.AnswerQuestion(ctx, shop.ID, q.ID, q.Topic+": "+answer, s.now); err != nil {
		if errors.Is(err, crm.ErrAlreadyDone) {
			return nil, false, nil
		}
		r, err := e.fail(s.lang, fmt.Errorf("conversation: answer: %w", err))
		return r, true, err
	}
	notices, err := e.toMembers(ctx, shop, c.ID, e.cat.T(shop.Lang, "journeys.answer_notice", map[string]any{"Name": c.Name,
		"Topic": q.Topic, "Answer": answer}), []crm.OutboxButton{
		{Label: e.cat.T(shop.Lang, "button.reply", nil), Action: "creply:" + strconv.FormatInt(c.ID, 10)}})
	if err == nil {
		err = e.store.QueueNotices(ctx, notices...)
	}
	if err != nil {
		e.log.Error("answer notice", "shop", shop.ID, "err", err)
	}
	link.LastInbound = s.now
	if err := e.store.UpdateLink(ctx, link); err != nil {
		e.log.Error("customer link", "shop", shop.ID, "err", err)
	}
	e.wakeOutbox()
	return one(e.cat.T(s.lang, "journeys.answer_thanks", map[string]any{"Topic": q.Topic, "Shop": shop.Name})), true, nil
}
