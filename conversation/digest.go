package conversation

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// DigestJSON is the shape `dangol digest --json` prints.
type DigestJSON struct {
	Date    string           `json:"date"`
	Entries []DigestEntryOut `json:"entries"`
	More    int              `json:"more"` // entries left out by the limit
}

// DigestEntryOut is one entry of DigestJSON.
type DigestEntryOut struct {
	Customer  string      `json:"customer"`
	Reasons   []ReasonOut `json:"reasons"`
	Visits    int         `json:"visits"`
	LastVisit string      `json:"last_visit"`
	Favorites []string    `json:"favorites"`
	Allergies []string    `json:"allergies"`
	Note      string      `json:"note,omitempty"`
}

// ReasonOut is one reason of an entry, with its stable code.
type ReasonOut struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

// Digest computes the digest of day for shop, ranked; it records nothing.
// It reads the customers' visit summaries, so its entries carry no
// favourites yet: AddFavorites adds them to those shown.
func (e *Engine) Digest(ctx context.Context, shop crm.Shop, day crm.Date) ([]crm.DigestEntry, error) {
	hist, err := e.store.Summaries(ctx, shop.ID)
	if err != nil {
		return nil, fmt.Errorf("conversation: digest: %w", err)
	}
	return crm.Digest(day, hist, crm.DigestRules{LapsedDays: shop.LapsedDays}), nil
}

// AddFavorites fills in the favourites (and usual items) of the first
// limit entries of the digest of day, or of all of them when limit is 0:
// only the visits of the customers shown are read, a few hundred
// customers at a time.
func (e *Engine) AddFavorites(ctx context.Context, shop crm.Shop, day crm.Date, entries []crm.DigestEntry, limit int) error {
	shown := entries
	if limit > 0 && len(shown) > limit {
		shown = shown[:limit]
	}
	const chunk = 500
	ids := make([]int64, 0, min(len(shown), chunk))
	for start := 0; start < len(shown); start += chunk {
		part := shown[start:min(start+chunk, len(shown))]
		ids = ids[:0]
		for _, en := range part {
			ids = append(ids, en.Customer.ID)
		}
		visits, err := e.store.VisitItems(ctx, shop.ID, ids)
		if err != nil {
			return fmt.Errorf("conversation: favourites: %w", err)
		}
		crm.AddFavorites(day, part, visits)
	}
	return nil
}

// DigestOut renders entries as DigestJSON, cut to limit (0: no limit).
func (e *Engine) DigestOut(shop crm.Shop, day crm.Date, entries []crm.DigestEntry, limit int) DigestJSON {
	out := DigestJSON{Date: day.String(), Entries: []DigestEntryOut{}}
	shown := entries
	if limit > 0 && len(shown) > limit {
		shown, out.More = shown[:limit], len(shown)-limit
	}
	lang := shop.Lang
	for _, en := range shown {
		o := DigestEntryOut{Customer: en.Customer.Name, Visits: en.VisitCount, LastVisit: en.LastVisit.String(),
			Favorites: nonNil(en.Favorites), Allergies: nonNil(en.Allergies), Note: en.Note}
		for _, r := range en.Reasons {
			o.Reasons = append(o.Reasons, ReasonOut{Code: string(r.Code), Text: e.reasonText(lang, day, r)})
		}
		out.Entries = append(out.Entries, o)
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// reasonText says a reason the way a person would.
func (e *Engine) reasonText(lang string, day crm.Date, r crm.Reason) string {
	data := map[string]any{}
	switch r.Code {
	case crm.ReasonUsualWeekday:
		data["Day"] = e.weekday(lang, r.Weekday)
		if len(r.Items) == 0 {
			return e.cat.T(lang, "reason.usual_weekday", data)
		}
		data["Items"] = strings.Join(r.Items, ", ")
		return e.cat.T(lang, "reason.usual_weekday_items", data)
	case crm.ReasonDue:
		data["Gap"] = int(math.Round(r.Gap))
		data["Since"] = r.DaysSince
		return e.cat.T(lang, "reason.due", data)
	case crm.ReasonLapsed:
		return e.cat.N(lang, "reason.lapsed", r.DaysSince, data)
	case crm.ReasonFirstVisit:
		return e.cat.N(lang, "reason.first_visit", r.DaysSince, data)
	case crm.ReasonBirthday:
		if r.InDays == 0 {
			return e.cat.T(lang, "reason.birthday_today", nil)
		}
		data["Day"] = e.weekday(lang, r.On.Weekday())
		data["Date"] = e.monthDay(lang, crm.MonthDay{Month: r.On.Month, Day: r.On.Day})
		if r.InDays == 1 {
			return e.cat.T(lang, "reason.birthday_tomorrow", data)
		}
		return e.cat.T(lang, "reason.birthday_on", data)
	}
	return string(r.Code)
}

// DigestReply renders a digest for the chat: a title, one line per entry
// (plus a line of what helps the greeting), "+N more", and a "greeted"
// button per entry.
func (e *Engine) DigestReply(shop crm.Shop, day crm.Date, entries []crm.DigestEntry, limit int) Reply {
	lang := shop.Lang
	d := e.DigestOut(shop, day, entries, limit)
	var b strings.Builder
	b.WriteString(e.cat.T(lang, "digest.title", map[string]any{"Date": e.shortDate(lang, day)}))
	if len(d.Entries) == 0 {
		b.WriteString("\n" + e.cat.T(lang, "digest.empty", nil))
		return Reply{Text: b.String()}
	}
	var buttons []Button
	for i, en := range d.Entries {
		texts := make([]string, len(en.Reasons))
		for j, r := range en.Reasons {
			texts[j] = r.Text
		}
		fmt.Fprintf(&b, "\n%d. %s — %s", i+1, en.Customer, strings.Join(texts, "; "))
		var help []string
		if len(en.Allergies) > 0 {
			help = append(help, e.cat.T(lang, "digest.allergies", map[string]any{"What": strings.Join(en.Allergies, ", ")}))
		}
		if len(en.Favorites) > 0 && en.Reasons[0].Code != string(crm.ReasonUsualWeekday) {
			help = append(help, e.cat.T(lang, "digest.favorites", map[string]any{"Items": strings.Join(en.Favorites, ", ")}))
		}
		if en.Note != "" {
			help = append(help, e.cat.T(lang, "digest.note", map[string]any{"What": en.Note}))
		}
		if len(help) > 0 {
			b.WriteString("\n   " + strings.Join(help, " · "))
		}
		buttons = append(buttons, Button{Label: e.cat.T(lang, "button.greeted", map[string]any{"Name": en.Customer}),
			Action: "greeted:" + strconv.FormatInt(entries[i].Customer.ID, 10)})
	}
	if d.More > 0 {
		b.WriteString("\n" + e.cat.N(lang, "digest.more", d.More, nil))
	}
	return Reply{Text: b.String(), Buttons: buttons}
}

// digest answers /digest (and "today", "오늘"): the digest on demand,
// which records nothing. "/digest all" shows every entry.
func (e *Engine) digest(ctx context.Context, s *session, args string) ([]Reply, error) {
	day := s.today()
	limit := s.shop.DigestLimit
	switch strings.ToLower(strings.TrimSpace(args)) {
	case "all", "전체", "모두":
		limit = 0
	}
	entries, _, err := e.ShownDigest(ctx, s.shop, day, limit)
	if err != nil {
		return e.fail(s.lang, err)
	}
	reply := e.WithBookings(ctx, s.shop, day, e.DigestReply(s.shop, day, entries, limit))
	reply = e.WithRuleLines(ctx, s.shop, day, reply)
	return []Reply{e.customerDigest(ctx, s.shop, entries, limit, reply, false)}, nil
}

// greeted marks a customer greeted today: the digest leaves them out for a
// week.
func (e *Engine) greeted(ctx context.Context, s *session, c crm.Customer) ([]Reply, error) {
	if err := e.store.MarkGreeted(ctx, s.shop.ID, c.ID, s.today()); err != nil {
		if errors.Is(err, crm.ErrNotFound) {
			return one(e.cat.T(s.lang, "action.stale", nil)), nil
		}
		return e.fail(s.lang, fmt.Errorf("conversation: greeted: %w", err))
	}
	return one(e.cat.T(s.lang, "greeted.done", map[string]any{"Name": c.Name})), nil
}

// greetedCommand is /greeted NAME.
func (e *Engine) greetedCommand(ctx context.Context, s *session, args string) ([]Reply, error) {
	if args == "" {
		return one(e.cat.T(s.lang, "greeted.usage", nil)), nil
	}
	c, replies, err := e.one(ctx, s, args, "greeted:")
	if c == nil {
		return replies, err
	}
	return e.greeted(ctx, s, *c)
}

// PushDigest sends the digest of day to every member of shop on the given
// senders (by platform), once: it returns false without sending when that
// day's digest was pushed before. What it shows is recorded first, so a
// crash can lose a push but never repeat one.
func (e *Engine) PushDigest(ctx context.Context, shop crm.Shop, day crm.Date, senders map[string]Sender) (bool, error) {
	members, err := e.store.Members(ctx, shop.ID)
	if err != nil {
		return false, fmt.Errorf("conversation: push digest: %w", err)
	}
	// A shop nobody can receive it in yet (no owner claimed it) keeps its
	// digest for when someone can.
	if !slices.ContainsFunc(members, func(m crm.Member) bool { return senders[m.Platform] != nil }) {
		return false, nil
	}
	// A digest pushed before is not computed again.
	if pushed, err := e.store.DigestPushed(ctx, shop.ID, day); err != nil || pushed {
		if err != nil {
			return false, fmt.Errorf("conversation: push digest: %w", err)
		}
		return false, nil
	}
	// Entries the holdout keeps back are neither shown nor counted in
	// "+N more"; they are recorded as held out.
	entries, exposures, err := e.ShownDigest(ctx, shop, day, shop.DigestLimit)
	if err != nil {
		return false, err
	}
	shown := entries
	if shop.DigestLimit > 0 && len(shown) > shop.DigestLimit {
		shown = shown[:shop.DigestLimit]
	}
	first, err := e.store.RecordDigestRun(ctx, shop.ID, day, shown, exposures, e.now())
	if err != nil {
		return false, fmt.Errorf("conversation: push digest: %w", err)
	}
	if !first {
		return false, nil
	}
	reply := e.WithBookings(ctx, shop, day, e.DigestReply(shop, day, entries, shop.DigestLimit))
	reply = e.WithRuleLines(ctx, shop, day, reply)
	reply = e.customerDigest(ctx, shop, entries, shop.DigestLimit, reply, true)
	err = e.deliver(ctx, shop, members, reply, senders)
	// On Mondays the digest carries last week's report.
	if day.Weekday() == time.Monday {
		err = errors.Join(err, e.pushWeekReport(ctx, shop, members, crm.WeekOf(day).Prev(), senders))
	}
	return true, err
}

// deliver sends reply to members through the sender of their platform:
// once per platform to a ShopSender, else to each member.
func (e *Engine) deliver(ctx context.Context, shop crm.Shop, members []crm.Member, reply Reply, senders map[string]Sender) error {
	byPlatform := map[string][]crm.Member{}
	var platforms []string
	for _, m := range members {
		if _, ok := senders[m.Platform]; !ok {
			continue
		}
		if _, seen := byPlatform[m.Platform]; !seen {
			platforms = append(platforms, m.Platform)
		}
		byPlatform[m.Platform] = append(byPlatform[m.Platform], m)
	}
	var errs []error
	for _, p := range platforms {
		sender := senders[p]
		if ss, ok := sender.(ShopSender); ok {
			if err := ss.SendShop(ctx, shop, byPlatform[p], reply); err != nil {
				errs = append(errs, fmt.Errorf("conversation: deliver to %s: %w", p, err))
			}
			continue
		}
		for _, m := range byPlatform[p] {
			if err := sender.Send(ctx, m.UserID, reply); err != nil {
				errs = append(errs, fmt.Errorf("conversation: deliver to %s:%s: %w", p, m.UserID, err))
			}
		}
	}
	return errors.Join(errs...)
}

// Sender delivers a message that is not an answer to a member, by their
// platform user id. Each messenger adapter is one.
type Sender interface {
	Send(ctx context.Context, userID string, r Reply) error
}

// ShopSender is a Sender that delivers a shop's message to its members in
// one go, such as a Slack adapter posting the digest to the shop's chosen
// channel instead of to each member.
type ShopSender interface {
	Sender
	SendShop(ctx context.Context, shop crm.Shop, to []crm.Member, r Reply) error
}
