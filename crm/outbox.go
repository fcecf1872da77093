package crm

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Outbox defaults, changeable per shop (SettingOutboxCap,
// SettingQuietHours).
const (
	DefaultCapCount = 1             // messages per customer …
	DefaultCapDays  = 7             // … within this many days
	DefaultQuiet    = "21:00-08:00" // shop-local hours nothing is delivered
	AdPrefix        = "(광고)"        // what Korean law asks an advertisement to start with
	MaxOutboxText   = 1000          // longest message to a customer, in runes
	maxQuietSteps   = 8             // windows NextAllowed steps over before giving up
)

// Shop setting keys of the customer side.
const (
	SettingOutboxCap       = "outbox.cap"                 // "COUNT/DAYS", e.g. "1/7"
	SettingQuietHours      = "outbox.quiet"               // "HH:MM-HH:MM", shop-local
	SettingRetentionMonths = "customers.retention_months" // months; default DefaultRetention
	SettingErasuresSeen    = "customers.erasures_seen"    // erasure log id the last pushed digest reported up to
	SettingJobsDay         = "customers.jobs_day"         // the shop-local day the daily jobs last ran
)

// OutboxStatus is where a message is on its way to a customer or member.
type OutboxStatus string

// Outbox statuses. A message is written queued (or blocked, never to be
// sent), claimed as sending by the sender loop, then marked sent; a
// failed attempt puts it back to queued for a later retry, or to failed
// for good. A queued message whose consent was withdrawn before it went
// is cancelled.
const (
	OutboxQueued    OutboxStatus = "queued"
	OutboxSending   OutboxStatus = "sending"
	OutboxSent      OutboxStatus = "sent"
	OutboxBlocked   OutboxStatus = "blocked"
	OutboxFailed    OutboxStatus = "failed"
	OutboxCancelled OutboxStatus = "cancelled"
)

// Recipient kinds of outbox messages.
const (
	ToCustomer = "customer"
	ToMember   = "member" // a notice to the shop's owner or staff
)

// BlockReason says why a message to a customer is not sent.
type BlockReason string

// Block reasons, in the order the rules are applied.
const (
	BlockNotLinked   BlockReason = "not_linked"   // the customer never joined by chat
	BlockNoConsent   BlockReason = "no_consent"   // not granted for the purpose (or withdrawn)
	BlockNoReply     BlockReason = "reply_window" // a reply, but the customer has not written lately
	BlockUnreachable BlockReason = "unreachable"  // they blocked the bot
	BlockCap         BlockReason = "cap"          // the shop's per-customer limit is reached
	BlockTooLong     BlockReason = "too_long"     // longer than MaxOutboxText
	BlockQuiet       BlockReason = "quiet_hours"  // in quiet hours, for a message that may not wait (OutboxInput.SkipQuiet)
	BlockFailed      BlockReason = "failed"       // delivery failed for good
)

// OutboxButton is a button under a message from the outbox.
type OutboxButton struct {
	Label  string `json:"label"`
	Action string `json:"action"`
}

// OutboxMessage is one message in the outbox. CustomerID is the customer
// it is to or about (0 for none).
type OutboxMessage struct {
	ID          int64
	ShopID      int64
	CustomerID  int64
	To          string // ToCustomer or ToMember
	Platform    string
	UserID      string
	Purpose     Purpose // customers only
	Text        string
	Buttons     []OutboxButton
	Status      OutboxStatus
	Reason      BlockReason
	RequestedBy string // "platform:user" of the member who asked for it
	Attempts    int
	CreatedAt   time.Time
	DueAt       time.Time // not delivered before
	ClaimedAt   time.Time
	SentAt      time.Time
}

// QuietHours is a daily window, in minutes after local midnight, in which
// nothing is delivered: From inclusive, To exclusive, wrapping past
// midnight when From > To. From == To is no window.
type QuietHours struct{ From, To int }

// ParseQuietHours reads "21:00-08:00" (or "21-8"). A window that starts
// where it ends is refused.
func ParseQuietHours(s string) (QuietHours, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return QuietHours{}, fmt.Errorf("quiet hours %q: want HH:MM-HH:MM: %w", s, ErrInvalidInput)
	}
	from, err1 := parseClock(a)
	to, err2 := parseClock(b)
	if err1 != nil || err2 != nil || from == to {
		return QuietHours{}, fmt.Errorf("quiet hours %q: want HH:MM-HH:MM: %w", s, ErrInvalidInput)
	}
	return QuietHours{From: from, To: to}, nil
}

func parseClock(s string) (int, error) {
	s = strings.TrimSpace(s)
	h, m, hasMin := strings.Cut(s, ":")
	hh, err := strconv.Atoi(h)
	if err != nil || hh < 0 || hh > 24 {
		return 0, ErrInvalidInput
	}
	mm := 0
	if hasMin {
		if mm, err = strconv.Atoi(m); err != nil || mm < 0 || mm > 59 || len(m) != 2 {
			return 0, ErrInvalidInput
		}
	}
	if hh == 24 && mm != 0 {
		return 0, ErrInvalidInput
	}
	return (hh*60 + mm) % (24 * 60), nil
}

// String writes q as "21:00-08:00".
func (q QuietHours) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", q.From/60, q.From%60, q.To/60, q.To%60)
}

// Contains reports whether the wall-clock time of t falls in q.
func (q QuietHours) Contains(t time.Time) bool {
	m := t.Hour()*60 + t.Minute()
	switch {
	case q.From == q.To:
		return false
	case q.From < q.To:
		return m >= q.From && m < q.To
	}
	return m >= q.From || m < q.To
}

// end returns the instant q ends, for a t inside q (same zone as t).
func (q QuietHours) end(t time.Time) time.Time {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	m := t.Hour()*60 + t.Minute()
	if q.From > q.To && m >= q.From {
		day = day.AddDate(0, 0, 1)
	}
	return time.Date(day.Year(), day.Month(), day.Day(), q.To/60, q.To%60, 0, 0, t.Location())
}

// OutboxPolicy is a shop's rules for one customer.
type OutboxPolicy struct {
	CapCount  int           // at most this many messages …
	CapWindow time.Duration // … within this long
	Quiet     []QuietHours  // the shop's quiet hours and the customer's own
	Loc       *time.Location
}

// PolicyFromSettings builds a policy from the shop's settings (empty:
// defaults) and the customer's own quiet hours (empty: none). Unreadable
// settings fall back to the defaults.
func PolicyFromSettings(capSetting, shopQuiet, customerQuiet string, loc *time.Location) OutboxPolicy {
	p := OutboxPolicy{CapCount: DefaultCapCount, CapWindow: DefaultCapDays * 24 * time.Hour, Loc: loc}
	if n, d, err := ParseCap(capSetting); err == nil {
		p.CapCount, p.CapWindow = n, time.Duration(d)*24*time.Hour
	}
	q, err := ParseQuietHours(shopQuiet)
	if err != nil {
		q, _ = ParseQuietHours(DefaultQuiet)
	}
	p.Quiet = append(p.Quiet, q)
	if cq, err := ParseQuietHours(customerQuiet); err == nil {
		p.Quiet = append(p.Quiet, cq)
	}
	return p
}

// ParseCap reads a cap setting "COUNT/DAYS" (1–10 messages in 1–90 days).
func ParseCap(s string) (count, days int, err error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "/")
	if ok {
		count, err = strconv.Atoi(strings.TrimSpace(a))
		if err == nil {
			days, err = strconv.Atoi(strings.TrimSpace(b))
		}
	}
	if !ok || err != nil || count < 1 || count > 10 || days < 1 || days > 90 {
		return 0, 0, fmt.Errorf("cap %q: want COUNT/DAYS: %w", s, ErrInvalidInput)
	}
	return count, days, nil
}

// InQuiet reports whether t falls in any of the policy's quiet hours.
func (p OutboxPolicy) InQuiet(t time.Time) bool {
	lt := t.In(p.loc())
	for _, q := range p.Quiet {
		if q.Contains(lt) {
			return true
		}
	}
	return false
}

// NextAllowed returns the earliest instant at or after t outside every
// quiet window; ok is false when the windows leave no time of day.
func (p OutboxPolicy) NextAllowed(t time.Time) (time.Time, bool) {
	lt := t.In(p.loc())
	for range maxQuietSteps {
		moved := false
		for _, q := range p.Quiet {
			if q.Contains(lt) {
				lt = q.end(lt)
				moved = true
			}
		}
		if !moved {
			return lt, true
		}
	}
	return time.Time{}, false
}

func (p OutboxPolicy) loc() *time.Location {
	if p.Loc == nil {
		return time.UTC
	}
	return p.Loc
}

// OutboxRequest is everything the outbox rules look at for one message to
// one customer.
type OutboxRequest struct {
	Now     time.Time
	Purpose Purpose
	Lang    string // the customer's language
	Text    string
	Linked  bool // the customer joined by chat
	Status  LinkStatus
	Consent ConsentState // as of Now
	// LastInbound is when the customer last wrote to the shop.
	LastInbound time.Time
	// Deliveries are the delivery times (due times for messages still
	// waiting) of the customer's messages that count toward the cap.
	Deliveries []time.Time
	Policy     OutboxPolicy
	// StopLine is the localized line on how to stop, ending an offer.
	StopLine string
	// AtDelivery is set when the sender loop checks a queued message again
	// just before it goes: the cap was applied when it was queued, and the
	// text was already labelled.
	AtDelivery bool
	// SkipQuiet blocks (BlockQuiet) a message that falls in quiet hours
	// instead of holding it until they end.
	SkipQuiet bool
}

// Verdict is what becomes of a message.
type Verdict string

// Verdicts.
const (
	VerdictSend  Verdict = "send"  // deliver now
	VerdictHold  Verdict = "hold"  // deliver at DueAt, after the quiet hours
	VerdictBlock Verdict = "block" // never deliver; Reason says why
)

// Decision is the outcome of the outbox rules for one message.
type Decision struct {
	Verdict Verdict
	Reason  BlockReason
	DueAt   time.Time // when it may go (Now, or the end of the quiet hours)
	// CapUntil is when the cap frees up again, for BlockCap.
	CapUntil time.Time
	Text     string // the text to deliver, labelled when it is an offer
}

// CountsTowardCap reports whether a message of purpose p counts toward
// (and is limited by) the per-customer cap: everything the shop sends on
// its own initiative, not replies or consent questions.
func CountsTowardCap(p Purpose) bool { return IsConsentPurpose(p) }

// Permits reports whether consent st allows a message of purpose p: a
// consent purpose must itself be granted; a reply or consent question
// needs at least one purpose granted.
func Permits(st ConsentState, p Purpose) bool {
	if IsConsentPurpose(p) {
		return st.Granted(p)
	}
	return st.Any()
}

// DecideOutbox applies the outbox rules, in this order:
//
//  1. consent: the customer joined by chat and consented to the purpose
//     (a reply also needs them to have written within ReplyWindow); an
//     unreachable customer gets nothing;
//  2. cap: fewer than CapCount of the customer's messages delivered or
//     waiting within the CapWindow before Now (a message exactly
//     CapWindow old no longer counts);
//  3. quiet hours: a message at a quiet time is held until they end
//     (21:00 is quiet, 20:59 is not; 08:00 is not, 07:59 is), or blocked
//     when it may not wait (SkipQuiet);
//  4. in Korean, an offer starts with AdPrefix; every offer ends with
//     StopLine.
func DecideOutbox(r OutboxRequest) Decision {
	block := func(why BlockReason) Decision { return Decision{Verdict: VerdictBlock, Reason: why} }
	switch {
	case !r.Linked:
		return block(BlockNotLinked)
	case !Permits(r.Consent, r.Purpose):
		return block(BlockNoConsent)
	case r.Purpose == PurposeReply && (r.LastInbound.IsZero() || r.Now.Sub(r.LastInbound) >= ReplyWindow):
		return block(BlockNoReply)
	case r.Status == LinkUnreachable:
		return block(BlockUnreachable)
	}
	text := r.Text
	if !r.AtDelivery {
		if CountsTowardCap(r.Purpose) {
			if until, capped := capReached(r.Now, r.Deliveries, r.Policy); capped {
				d := block(BlockCap)
				d.CapUntil = until
				return d
			}
		}
		if r.Purpose == PurposeOffers {
			text = LabelOffer(text, r.Lang, r.StopLine)
		}
		if len([]rune(text)) > MaxOutboxText {
			return block(BlockTooLong)
		}
	}
	d := Decision{Verdict: VerdictSend, DueAt: r.Now, Text: text}
	if r.Policy.InQuiet(r.Now) {
		if r.SkipQuiet && !r.AtDelivery {
			return block(BlockQuiet)
		}
		at, ok := r.Policy.NextAllowed(r.Now)
		if !ok {
			return block(BlockNoConsent)
		}
		d.Verdict, d.DueAt = VerdictHold, at
	}
	return d
}

// capReached reports whether the cap is reached at now, and when the
// oldest counted delivery stops counting.
func capReached(now time.Time, deliveries []time.Time, p OutboxPolicy) (time.Time, bool) {
	count, window := p.CapCount, p.CapWindow
	if count <= 0 {
		count = DefaultCapCount
	}
	if window <= 0 {
		window = DefaultCapDays * 24 * time.Hour
	}
	var counted []time.Time
	for _, d := range deliveries {
		if now.Sub(d) < window {
			counted = append(counted, d)
		}
	}
	if len(counted) < count {
		return time.Time{}, false
	}
	oldest := counted[0]
	for _, d := range counted {
		if d.Before(oldest) {
			oldest = d
		}
	}
	return oldest.Add(window), true
}

// LabelOffer marks an advertisement: in Korean it starts with AdPrefix;
// in every language it ends with how to stop. A text already labelled is
// left as it is.
func LabelOffer(text, lang, stopLine string) string {
	text = strings.TrimSpace(text)
	if lang == LangKorean && !strings.HasPrefix(text, AdPrefix) {
		text = AdPrefix + " " + text
	}
	if stopLine != "" && !strings.HasSuffix(text, stopLine) {
		text += "\n" + stopLine
	}
	return text
}

// RetentionCutoff returns the shop-local day and the instant before which
// a customer's last visit and last contact must lie for the customer to be
// past a retention period of months.
func RetentionCutoff(now time.Time, loc *time.Location, months int) (Date, time.Time) {
	if months <= 0 {
		months = DefaultRetention
	}
	t := now.In(loc).AddDate(0, -months, 0)
	return DateOf(t, loc), t
}

// RenewalDue reports whether consent last granted at granted should be
// renewed at now: it is ConsentRenewYears old or more.
func RenewalDue(granted, now time.Time) bool {
	return !granted.IsZero() && !granted.AddDate(ConsentRenewYears, 0, 0).After(now)
}

// RenewalLapsed reports whether a renewal question asked at asked has gone
// unanswered for RenewalAnswerDays at now.
func RenewalLapsed(asked, now time.Time) bool {
	return !asked.IsZero() && now.Sub(asked) >= RenewalAnswerDays*24*time.Hour
}

// OutboxInput is a message someone wants to send to a customer.
type OutboxInput struct {
	ShopID      int64
	CustomerID  int64
	Purpose     Purpose
	Text        string
	Buttons     []OutboxButton
	RequestedBy string
	At          time.Time
	// StopLines is the localized line on how to stop, by language, to end
	// an offer with in the customer's language (see LabelOffer).
	StopLines map[string]string
	// AskRenewal records, in the same transaction, that the customer was
	// asked to renew their consent (PurposeConsent).
	AskRenewal bool
	// Cursor, when set, is stored in the same transaction, so a
	// redelivered "/send" never queues a second message.
	Cursor *Cursor
	// Source is who or what sends it (SourceHello, SourceSend,
	// SourceOffer, an automated kind): once sent, it is an exposure of
	// that kind. "" for replies and consent questions.
	Source string
	// Holdout, for an automated kind, is its holdout draw: a message the
	// rules would let go but the draw holds out is not queued, and is
	// recorded as a held-out exposure (VerdictHeldOut).
	Holdout *HoldoutDraw
	// SkipQuiet: see OutboxRequest.SkipQuiet (a rule's message about today).
	SkipQuiet bool
	// Firing, for a rule's message, is recorded in the same transaction
	// when the message is queued or held out (not when blocked), with the
	// message's outbox id; a firing of the same rule, customer and
	// occasion recorded before makes the whole call fail with
	// ErrAlreadyDone and queue nothing.
	Firing *RuleFiring
}

// Notice is a message to one member of a shop, such as "Minji joined".
type Notice struct {
	ShopID     int64
	CustomerID int64 // the customer it is about, 0 for none; deleted with them
	Platform   string
	UserID     string
	Text       string
	Buttons    []OutboxButton
	At         time.Time
}

// OutboxStore keeps the outbox: every message to a customer is decided and
// written in one transaction, and delivered by claiming it.
type OutboxStore interface {
	// QueueMessage applies DecideOutbox to in, with the customer's link,
	// consent, recent deliveries and the shop's settings read in the same
	// transaction that writes the message: queued (due now or after the
	// quiet hours) or blocked (without its text). Member notices given are
	// written in the same transaction.
	QueueMessage(ctx context.Context, in OutboxInput, notices ...Notice) (OutboxMessage, Decision, error)
	// QueueNotices writes notices to members, due at once.
	QueueNotices(ctx context.Context, notices ...Notice) error
	// ClaimOutbox takes the next message due at now: queued with DueAt at
	// or before now, or sending with ClaimedAt before staleBefore (a
	// process died while sending it). A message to a customer is checked
	// again first, in the same transaction: one that may no longer go is
	// cancelled and returned with ok false and cancelled set, one in quiet
	// hours is moved to their end. ok is false when nothing is due.
	ClaimOutbox(ctx context.Context, now, staleBefore time.Time) (m OutboxMessage, ok bool, cancelled *OutboxMessage, err error)
	// MarkSent records that a claimed message was delivered.
	MarkSent(ctx context.Context, id int64, at time.Time) error
	// MarkRetry puts a claimed message back, due again at retryAt.
	MarkRetry(ctx context.Context, id int64, retryAt time.Time) error
	// MarkFailed gives up on a claimed message. unreachable also marks the
	// customer's link unreachable.
	MarkFailed(ctx context.Context, id int64, unreachable bool, at time.Time) error
	// OutboxFor returns every outbox message to or about a customer,
	// oldest first.
	OutboxFor(ctx context.Context, shopID, customerID int64) ([]OutboxMessage, error)
	// NextDue returns when the next queued message falls due; zero when
	// none waits.
	NextDue(ctx context.Context) (time.Time, error)
}
