package crm

import (
	"context"
	"strings"
	"time"
)

// Codes are what people type or scan to get in: the owner's setup code,
// staff invitations (both secret, one-time) and a shop's join code (public,
// on the counter poster). They share one shape: CodeLen symbols of
// Crockford's base-32 alphabet, written in groups of four
// ("K7QM-3XHD-9RTA"). The alphabet has no I, L, O or U; when read back,
// O counts as 0 and I or L as 1, case and separators are ignored, so a
// code survives being read aloud or typed on a phone.
//
// How long is long enough: a guess only counts once it is checked, and
// failed checks of secret codes are limited (CodeAttempts): at most
// CodeGlobalBurst at once, then CodeGlobalRate per second for everyone
// together, however many chats ask. A year is 31,557,600 s, so at most
//
//	0.2/s × 31,557,600 s + 30 ≈ 6.3 × 10⁶ checked guesses a year.
//
// A code has 32¹² = 2⁶⁰ ≈ 1.15 × 10¹⁸ values. With k secret codes valid at
// once (per shop: the owner's setup code and at most MaxOpenInvites staff
// codes), one guess hits with probability k / 2⁶⁰, so a year of guessing
// at the maximum rate succeeds with probability at most
//
//	6.3 × 10⁶ × k / 1.15 × 10¹⁸ ≈ 5.5 × 10⁻¹² × k,
//
// below 10⁻⁶ for any k up to 180,000. Even with no limit at all, at 1,000
// checks a second (six times the rate measured through the Telegram
// adapter), a year is 3.2 × 10¹⁰ guesses: 2.7 × 10⁻⁸ × k, below 10⁻⁶ for
// up to 36 valid codes. That is the bound for join codes (one per shop),
// which only the per-person limit slows: they are public anyway, and a
// pause for everyone would keep real customers out. CodeSuccessBound
// computes the bound.
const (
	CodeLen      = 12
	codeGroup    = 4
	CodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ" // Crockford base 32
)

// Code validity.
const (
	// OwnerCodeValidity is how long the owner's setup code works; a new
	// one is issued (and printed) when it expires unused.
	OwnerCodeValidity = 7 * 24 * time.Hour
	// MaxOpenInvites is how many unused staff invitations a shop may have
	// at once; a new one retires the oldest.
	MaxOpenInvites = 5
)

// CodeFromBytes makes a code from CodeLen random bytes (the low five bits
// of each are used, so every symbol is equally likely).
func CodeFromBytes(b []byte) string {
	var sb strings.Builder
	for i := 0; i < CodeLen && i < len(b); i++ {
		if i > 0 && i%codeGroup == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(CodeAlphabet[b[i]&31])
	}
	return sb.String()
}

// NormalizeCode reads a code as a person may have typed it ("k7qm 3xhd
// 9rta", "K7QM-3XHD-9RTA", "K7QM3XHD9RTA", O for 0) and returns it in its
// canonical form; ok is false when s is not a code. Separators may come
// only between the groups of four, so words ("Kim for coffee") are not
// read as a code.
func NormalizeCode(s string) (string, bool) {
	var d []byte
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == '-' || r == ' ' || r == '_' || r == '\u00a0':
			if len(d) == 0 || len(d)%codeGroup != 0 {
				return "", false
			}
			continue
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		}
		switch r {
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		if r > 127 || !strings.ContainsRune(CodeAlphabet, r) {
			return "", false
		}
		d = append(d, byte(r))
	}
	if len(d) != CodeLen {
		return "", false
	}
	var sb strings.Builder
	for i, c := range d {
		if i > 0 && i%codeGroup == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(c)
	}
	return sb.String(), true
}

// Limits on failed code checks.
const (
	// CodeFreeFailures is how many wrong codes one person may send before
	// they have to wait.
	CodeFreeFailures = 5
	// CodeBackoff is the first wait after that; each further failure
	// doubles it, up to CodeMaxLockout.
	CodeBackoff    = time.Minute
	CodeMaxLockout = 24 * time.Hour
	// CodeForget is how long after their last failure a person's failures
	// are forgotten.
	CodeForget = 24 * time.Hour
	// CodeGlobalBurst and CodeGlobalRate bound everyone's failures
	// together (a leaky bucket): when CodeGlobalBurst failures are in the
	// bucket, no setup or invitation code is checked for anyone until it
	// has drained by half, and the shops' owners are told (at most once
	// per CodeAlertEvery).
	CodeGlobalBurst = 30
	CodeGlobalRate  = 0.2 // failures per second that drain away
	CodeAlertEvery  = 24 * time.Hour
)

// CodeSuccessBound is the probability bound of the comment above: the
// chance that guesses checked at rate per second for d hit one of k valid
// codes.
func CodeSuccessBound(rate float64, d time.Duration, k int) float64 {
	space := 1.0
	for range CodeLen {
		space *= float64(len(CodeAlphabet))
	}
	return (rate*d.Seconds() + CodeGlobalBurst) * float64(k) / space
}

// CodeAttempts is the record of failed code checks of one scope: one
// person, or everyone (the global scope).
type CodeAttempts struct {
	Failures    int       // a person's failures not yet forgotten
	Level       float64   // the global bucket's level
	At          time.Time // the last failure
	LockedUntil time.Time // no code is checked for the scope before this
	AlertedAt   time.Time // the owners were last told (global scope)
}

// GlobalCodeScope is the scope of everyone's failures together.
const GlobalCodeScope = "*"

// Locked reports whether codes from the scope are refused at now.
func (a CodeAttempts) Locked(now time.Time) bool { return now.Before(a.LockedUntil) }

// UserFailed returns a person's record after one more failure at now.
func (a CodeAttempts) UserFailed(now time.Time) CodeAttempts {
	if !a.At.IsZero() && now.Sub(a.At) >= CodeForget {
		a.Failures = 0
	}
	a.Failures++
	a.At = now
	if n := a.Failures - CodeFreeFailures; n > 0 {
		wait := CodeMaxLockout
		if n <= 20 {
			wait = min(CodeBackoff<<(n-1), CodeMaxLockout)
		}
		a.LockedUntil = now.Add(wait)
	}
	return a
}

// GlobalFailed returns the global record after one more failure at now,
// and whether the owners should be alerted (the bucket just overflowed
// and they were not told within CodeAlertEvery).
func (a CodeAttempts) GlobalFailed(now time.Time) (CodeAttempts, bool) {
	if !a.At.IsZero() {
		if gone := now.Sub(a.At).Seconds() * CodeGlobalRate; gone > 0 {
			a.Level = max(0, a.Level-gone)
		}
	}
	a.Level++
	a.At = now
	alert := false
	if a.Level >= CodeGlobalBurst && !a.Locked(now) {
		// Locked until half the bucket has drained.
		a.LockedUntil = now.Add(time.Duration(a.Level / 2 / CodeGlobalRate * float64(time.Second)))
		if a.AlertedAt.IsZero() || now.Sub(a.AlertedAt) >= CodeAlertEvery || now.Before(a.AlertedAt) {
			a.AlertedAt = now
			alert = true
		}
	}
	return a, alert
}

// CodeFailure is what one failed code check did.
type CodeFailure struct {
	User, Global CodeAttempts
	// Alert is set when the owners should hear that codes are being
	// guessed.
	Alert bool
}

// GuardStore keeps what access control needs: per-install secrets, the
// owner's setup code and the record of failed code checks.
type GuardStore interface {
	// InstallSecret returns the install's secret called name, creating 32
	// random bytes the first time it is asked for.
	InstallSecret(ctx context.Context, name string) ([]byte, error)
	// LiveOwnerInvite returns the shop's unused owner code that is still
	// valid at now; ErrNotFound when there is none.
	LiveOwnerInvite(ctx context.Context, shopID int64, now time.Time) (Invite, error)
	// CodeLockedUntil returns until when codes from the person are
	// refused; zero when they are not. secret says the code may be a
	// setup or invitation code: then everyone's lock counts too. (A join
	// code is public, on the counter's poster; its length alone keeps
	// guessing futile, so pausing joins for everyone would only let an
	// attacker keep customers out.)
	CodeLockedUntil(ctx context.Context, platform, userID string, now time.Time, secret bool) (time.Time, error)
	// CodeFailed records one failed code check of the person, and of
	// everyone, in one transaction.
	CodeFailed(ctx context.Context, platform, userID string, now time.Time) (CodeFailure, error)
}
