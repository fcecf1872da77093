package crm

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The loop: what Dangol put in front of the owner or a customer (an
// exposure), whether a visit followed, and a holdout that says whether the
// visit would have come anyway.

// Shop settings of the loop.
const (
	// SettingHoldout is the share of digest entries and automated messages
	// held back, in percent (0 off, at most MaxHoldoutPercent).
	SettingHoldout = "loop.holdout_percent"
	// SettingFollowupDays is how many days after an exposure a visit counts
	// as its follow-up (1 … MaxFollowupDays).
	SettingFollowupDays = "loop.followup_days"
	// SettingHoldoutSeed is the shop's secret seed of the holdout draws,
	// created with the shop.
	SettingHoldoutSeed = "loop.seed"
)

// Loop defaults and bounds.
const (
	DefaultHoldoutPercent = 10
	MaxHoldoutPercent     = 50
	DefaultFollowupDays   = 7
	MaxFollowupDays       = 60
)

// ExposureTrack is the stream an exposure belongs to. A visit is
// attributed once per track: to the latest exposure of that track on or
// before its day.
type ExposureTrack string

// Exposure tracks.
const (
	TrackDigest  ExposureTrack = "digest"  // an entry of a pushed digest, shown or held out
	TrackGreeted ExposureTrack = "greeted" // the owner marked the customer greeted
	TrackMessage ExposureTrack = "message" // a message to the customer, sent or held out
)

// Message kinds: who or what sent a message through the outbox. The kind
// of an exposure is the reason code of a digest entry, KindGreeted, or one
// of these.
const (
	KindGreeted = "greeted"
	SourceHello = "hello" // "Send hello" from the digest
	SourceSend  = "send"  // /send
	SourceOffer = "offer" // /offer
	// SourceRulePrefix starts the kind of an automated message: "rule:"
	// and the rule's name. Automated kinds are held out like digest
	// entries.
	SourceRulePrefix = "rule:"
)

// IsAutomated reports whether messages of kind are sent without a person
// asking for each, and so are subject to the holdout.
func IsAutomated(kind string) bool { return strings.HasPrefix(kind, SourceRulePrefix) }

// VerdictHeldOut is the outbox's verdict on an automated message the
// holdout kept back: not sent, recorded as held out.
const VerdictHeldOut Verdict = "held_out"

// Exposure is one time Dangol put a customer in front of the owner or
// sent them something, or held that back for comparison.
type Exposure struct {
	ID         int64
	ShopID     int64
	CustomerID int64 // 0 once the customer is erased
	Day        Date  // shop-local
	Track      ExposureTrack
	Kind       string // reason code, KindGreeted, or a message source
	Codes      string // digest: every reason code of the entry, comma separated
	Purpose    Purpose
	HeldOut    bool
	Draw       float64 // the holdout draw in [0, 1); −1 when none was made or it was erased
	// Settled is set once the customer is erased: Followed then holds
	// whether a visit followed, as it stood then.
	Settled  bool
	Followed bool
}

// HoldoutDraw is the holdout decision on one digest entry or automated
// message: the seeded draw and whether it held the exposure back.
type HoldoutDraw struct {
	HeldOut bool
	Draw    float64
}

// Holdout draws which exposures are held back. The draw of a customer, a
// kind and an ISO week is a deterministic hash of the shop's secret seed,
// so the same week always draws the same and a report can be recomputed.
type Holdout struct {
	Percent int // 0 … MaxHoldoutPercent
	Seed    string
}

// Draw returns the draw in [0, 1) for a customer, a kind and the ISO week
// of day.
func (h Holdout) Draw(customerID int64, kind string, day Date) float64 {
	w := WeekOf(day)
	sum := sha256.Sum256([]byte(h.Seed + "\x00" + strconv.FormatInt(customerID, 10) + "\x00" + kind + "\x00" + w.String()))
	return float64(binary.BigEndian.Uint64(sum[:8])>>11) / (1 << 53)
}

// Decide draws for a customer, a kind and the ISO week of day: held out
// when the draw is below Percent/100.
func (h Holdout) Decide(customerID int64, kind string, day Date) HoldoutDraw {
	u := h.Draw(customerID, kind, day)
	p := min(max(h.Percent, 0), MaxHoldoutPercent)
	return HoldoutDraw{HeldOut: u < float64(p)/100, Draw: u}
}

// ParseHoldout reads the holdout setting: "" is the default, "0" off,
// up to MaxHoldoutPercent; a trailing "%" is allowed.
func ParseHoldout(s string) (int, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	if s == "" {
		return DefaultHoldoutPercent, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > MaxHoldoutPercent {
		return 0, fmt.Errorf("holdout %q: want 0–%d: %w", s, MaxHoldoutPercent, ErrInvalidInput)
	}
	return n, nil
}

// ParseFollowupDays reads the follow-up window setting: "" is the
// default.
func ParseFollowupDays(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DefaultFollowupDays, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxFollowupDays {
		return 0, fmt.Errorf("follow-up days %q: want 1–%d: %w", s, MaxFollowupDays, ErrInvalidInput)
	}
	return n, nil
}

// LapsedDecision is the latest digest decision about a customer whose
// entry was lapsed: the day and whether it was held out.
type LapsedDecision struct {
	Day     Date
	HeldOut bool
}

// DigestUnit is what the holdout draws for: a customer and the reason of
// their entry, within one ISO week.
type DigestUnit struct {
	CustomerID int64
	Kind       string
}

// PastDecisions is what earlier digests decided that ApplyHoldout needs.
type PastDecisions struct {
	// Lapsed holds each customer's latest decision, before the day, on an
	// entry that called them lapsed.
	Lapsed map[int64]LapsedDecision
	// ThisWeek holds the units recorded earlier in the day's ISO week.
	ThisWeek map[DigestUnit]bool
	// Resting holds the customers the digest rules leave out because the
	// owner marked them greeted lately. Their entries still count (see
	// ApplyHoldout): the caller passes the digest computed as if they had
	// not been marked.
	Resting map[int64]bool
}

// ApplyHoldout applies the holdout to a ranked digest of day. It returns
// the entries to show, in order (every entry not held out; the caller
// cuts them to limit), and the exposures a push of it records. An entry
// is held out by the draw for its customer, its first reason and the ISO
// week.
//
// An entry is one exposure per ISO week: the first day a customer's entry
// for a reason is shown (or held out) within limit (0: no limit) is
// recorded; the same entry on later days of that week is the same
// exposure, not recorded again. So an entry shown daily until the
// customer comes (due, first_visit, a birthday ahead) and one the owner
// marked greeted, which then rests, count alike: once, from their first
// day, held out or not.
//
// A customer resting after a "greeted" mark is not shown, but their entry
// is recorded as exposed all the same (they were greeted): otherwise the
// shown group would lose exactly the weeks after a greeting while the
// held-out group keeps them, and the comparison would lean.
//
// Lapsed customers are held out at most once in a row, and a held-out
// lapsed customer rests as a shown one does: after a held-out lapsed
// decision the lapsed reason is dropped for suppressDays unless they
// visited on or after that day; the next lapsed entry is shown whatever
// the draw.
func ApplyHoldout(day Date, entries []DigestEntry, limit int, h Holdout, past PastDecisions, suppressDays int) ([]DigestEntry, []Exposure) {
	if suppressDays <= 0 {
		suppressDays = suppressLapsedDays
	}
	var shown []DigestEntry
	var exps []Exposure
	for _, en := range entries {
		cid := en.Customer.ID
		last, hadLapsed := past.Lapsed[cid]
		if hadLapsed && last.HeldOut && hasReason(en, ReasonLapsed) &&
			day.DaysSince(last.Day) < suppressDays && (en.LastVisit.IsZero() || en.LastVisit.Before(last.Day)) {
			en.Reasons = slices.DeleteFunc(slices.Clone(en.Reasons), func(r Reason) bool { return r.Code == ReasonLapsed })
			if len(en.Reasons) == 0 {
				continue
			}
		}
		kind := string(en.Reasons[0].Code)
		d := h.Decide(cid, kind, day)
		if en.Reasons[0].Code == ReasonLapsed && hadLapsed && last.HeldOut {
			d.HeldOut = false
		}
		within := limit <= 0 || len(shown) < limit
		if within && !past.ThisWeek[DigestUnit{cid, kind}] {
			exps = append(exps, Exposure{ShopID: en.Customer.ShopID, CustomerID: cid, Day: day, Track: TrackDigest,
				Kind: kind, Codes: reasonCodes(en.Reasons), HeldOut: d.HeldOut, Draw: d.Draw})
		}
		if !d.HeldOut && !past.Resting[cid] {
			shown = append(shown, en)
		}
	}
	return shown, exps
}

func hasReason(en DigestEntry, c ReasonCode) bool {
	return slices.ContainsFunc(en.Reasons, func(r Reason) bool { return r.Code == c })
}

func reasonCodes(rs []Reason) string {
	var b strings.Builder
	for i, r := range rs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(string(r.Code))
	}
	return b.String()
}

// FollowUps reports, for one customer's exposures, which were followed by
// a visit: a visit on day v is attributed, within each track, to the
// latest exposure on or before v (the later of two on one day by ID), and
// follows it when v is at most days after it. One visit day counts once
// per track; an exposure is followed when any visit is attributed to it.
// A visit on the exposure's own day counts (the digest goes out in the
// morning). Exposures of other customers, and settled ones, must not be
// passed; visits may come in any order and repeat.
func FollowUps(exps []Exposure, visits []Date, days int) []bool {
	out := make([]bool, len(exps))
	if len(exps) == 0 || len(visits) == 0 {
		return out
	}
	nums := make([]int, 0, len(visits))
	for _, v := range visits {
		if !v.IsZero() {
			nums = append(nums, dayNumber(v))
		}
	}
	return followUps(exps, nums, days)
}

// followUps is FollowUps with visit days as day numbers.
func followUps(exps []Exposure, visits []int, days int) []bool {
	out := make([]bool, len(exps))
	type ref struct {
		day int
		id  int64
		at  int
	}
	byTrack := map[ExposureTrack][]ref{}
	for i, e := range exps {
		byTrack[e.Track] = append(byTrack[e.Track], ref{dayNumber(e.Day), e.ID, i})
	}
	for _, refs := range byTrack {
		slices.SortFunc(refs, func(a, b ref) int {
			if c := cmp.Compare(a.day, b.day); c != 0 {
				return c
			}
			if c := cmp.Compare(a.id, b.id); c != 0 {
				return c
			}
			return cmp.Compare(a.at, b.at)
		})
		for _, v := range visits {
			// The last exposure on or before v.
			k, _ := slices.BinarySearchFunc(refs, v+1, func(r ref, t int) int { return cmp.Compare(r.day, t) })
			if k == 0 {
				continue
			}
			r := refs[k-1]
			if v-r.day <= days {
				out[r.at] = true
			}
		}
	}
	return out
}

// Z90 is the standard normal quantile of a two-sided 90% interval.
const Z90 = 1.6448536269514722

// Wilson returns the Wilson score interval of x successes in n trials at
// quantile z. n must be positive.
func Wilson(x, n int, z float64) (lo, hi float64) {
	if n <= 0 {
		return 0, 1
	}
	fn, fx := float64(n), float64(x)
	p := fx / fn
	z2 := z * z
	center := (p + z2/(2*fn)) / (1 + z2/fn)
	half := z / (1 + z2/fn) * math.Sqrt(p*(1-p)/fn+z2/(4*fn*fn))
	lo, hi = center-half, center+half
	// Exact at the ends, without rounding error.
	if x == 0 {
		lo = 0
	}
	if x == n {
		hi = 1
	}
	return max(lo, 0), min(hi, 1)
}

// NewcombeDiff returns the difference p1 − p2 of two proportions with its
// hybrid score interval (Newcombe 1998, method 10), built from the Wilson
// intervals of each at quantile z. Both n must be positive.
func NewcombeDiff(x1, n1, x2, n2 int, z float64) (d, lo, hi float64) {
	p1, p2 := float64(x1)/float64(n1), float64(x2)/float64(n2)
	l1, u1 := Wilson(x1, n1, z)
	l2, u2 := Wilson(x2, n2, z)
	d = p1 - p2
	lo = d - math.Sqrt((p1-l1)*(p1-l1)+(u2-p2)*(u2-p2))
	hi = d + math.Sqrt((u1-p1)*(u1-p1)+(p2-l2)*(p2-l2))
	return d, lo, hi
}

// Finding is what a comparison of exposed and held-out customers says.
type Finding string

// Findings. A finding is "helps" or "hurts" only when the whole 90%
// interval of the difference lies above or below zero.
const (
	FindingTooEarly Finding = "too_early"
	FindingHelps    Finding = "helps"
	FindingHurts    Finding = "hurts"
)

// Comparison is the follow-up of one kind of exposure: exposed against
// held out, with the difference of the rates and its 90% interval.
type Comparison struct {
	Kind            string
	Exposed         int
	ExposedFollowed int
	HeldOut         int
	HeldOutFollowed int
	Uplift          float64 // exposed rate − held-out rate
	Low, High       float64 // 90% Newcombe hybrid score interval of Uplift
	Finding         Finding
}

// Compare fills in the difference, its interval and the finding from the
// counts. With either group empty nothing can be said: the difference is
// 0 and the interval −1 … 1.
func (c Comparison) Compare() Comparison {
	if c.Exposed == 0 || c.HeldOut == 0 {
		c.Uplift, c.Low, c.High, c.Finding = 0, -1, 1, FindingTooEarly
		return c
	}
	c.Uplift, c.Low, c.High = NewcombeDiff(c.ExposedFollowed, c.Exposed, c.HeldOutFollowed, c.HeldOut, Z90)
	switch {
	case c.Low > 0:
		c.Finding = FindingHelps
	case c.High < 0:
		c.Finding = FindingHurts
	default:
		c.Finding = FindingTooEarly
	}
	return c
}

// ExposedRate is the exposed group's follow-up rate (0 when empty).
func (c Comparison) ExposedRate() float64 { return rate(c.ExposedFollowed, c.Exposed) }

// HeldOutRate is the held-out group's follow-up rate (0 when empty).
func (c Comparison) HeldOutRate() float64 { return rate(c.HeldOutFollowed, c.HeldOut) }

func rate(x, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(x) / float64(n)
}

// ExtraVisits is the uplift and its interval as visits: how many more
// follow-up visits the exposures brought about than the held-out rate
// predicts, rounded.
func (c Comparison) ExtraVisits() (n, lo, hi int) {
	e := float64(c.Exposed)
	return int(math.Round(c.Uplift * e)), int(math.Round(c.Low * e)), int(math.Round(c.High * e))
}

// kindOrder ranks exposure kinds for reports: digest reasons in the
// digest's order, then greeted, then messages; rules by name.
func kindOrder(k string) int {
	switch k {
	case string(ReasonBirthday):
		return 0
	case string(ReasonUsualWeekday):
		return 1
	case string(ReasonDue):
		return 2
	case string(ReasonFirstVisit):
		return 3
	case string(ReasonLapsed):
		return 4
	case KindGreeted:
		return 5
	case SourceHello:
		return 6
	case SourceSend:
		return 7
	case SourceOffer:
		return 8
	}
	return 9
}

// LoopStore keeps exposures and what the loop's report reads.
type LoopStore interface {
	// RecordDigestRun is RecordDigest with the digest's exposures (shown
	// and held out) written in the same transaction, once per shop and
	// day.
	RecordDigestRun(ctx context.Context, shopID int64, day Date, shown []DigestEntry, exposures []Exposure, at time.Time) (bool, error)
	// RecordExposures writes exposures, such as held-out automated
	// messages.
	RecordExposures(ctx context.Context, exposures []Exposure) error
	// Exposures returns the shop's exposures on or before upTo, settled
	// (anonymous) ones included, oldest first.
	Exposures(ctx context.Context, shopID int64, upTo Date) ([]Exposure, error)
	// DigestDecisions returns what the shop's earlier digests decided
	// that the digest of day depends on (see PastDecisions).
	DigestDecisions(ctx context.Context, shopID int64, day Date) (PastDecisions, error)
	// ReportVisits returns every customer with a visit on or before upTo,
	// with their visit days.
	ReportVisits(ctx context.Context, shopID int64, upTo Date) ([]CustomerVisits, error)
	// TopItems returns the n items sold most (by quantity) from … to.
	TopItems(ctx context.Context, shopID int64, from, to Date, n int) ([]ItemQty, error)
	// HoldoutSeed returns the shop's secret holdout seed, creating it
	// when missing.
	HoldoutSeed(ctx context.Context, shopID int64) (string, error)
}
