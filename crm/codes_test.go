package crm

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestCodeShapeAndReading(t *testing.T) {
	b := make([]byte, CodeLen)
	for i := range b {
		b[i] = byte(i*37 + 5)
	}
	code := CodeFromBytes(b)
	if len(code) != 14 || strings.Count(code, "-") != 2 || strings.ContainsAny(code, "ILOU") {
		t.Fatalf("code %q", code)
	}
	for _, typed := range []string{code, strings.ToLower(code), strings.ReplaceAll(code, "-", " "),
		strings.ReplaceAll(code, "-", ""), " " + code + " "} {
		if got, ok := NormalizeCode(typed); !ok || got != code {
			t.Errorf("NormalizeCode(%q) = %q, %v", typed, got, ok)
		}
	}
	// O reads as 0, I and L as 1.
	if got, ok := NormalizeCode("OIL0-1111-2222"); !ok || got != "0110-1111-2222" {
		t.Errorf("lookalikes: %q %v", got, ok)
	}
	for _, bad := range []string{"", "4821-7733", "K7QM-3XHD-9RT", "K7QM-3XHD-9RTAA", "K7QU-3XHD-9RTA",
		"Kim for coffee", "K7Q-M3XHD-9RTA", "김민지 크루아상 2개"} {
		if got, ok := NormalizeCode(bad); ok {
			t.Errorf("NormalizeCode(%q) = %q, want not a code", bad, got)
		}
	}
}

// TestCodeGuessingBound checks the arithmetic of the package comment: a
// year of guessing at the most the limits let through, or with no limit
// at 1,000 checks a second, finds a valid code with probability below
// 10⁻⁶.
func TestCodeGuessingBound(t *testing.T) {
	year := time.Duration(31_557_600) * time.Second
	space := math.Pow(32, CodeLen)
	if space != math.Pow(2, 60) {
		t.Fatalf("32^%d = %g, want 2^60", CodeLen, space)
	}
	// The owner's code and MaxOpenInvites staff codes (and, to be
	// generous, the join code).
	k := 1 + MaxOpenInvites + 1
	limited := CodeSuccessBound(CodeGlobalRate, year, k)
	if limited >= 1e-6 {
		t.Fatalf("limited: %g", limited)
	}
	if want := (0.2*31_557_600 + 30) * float64(k) / space; math.Abs(limited-want) > 1e-20 {
		t.Fatalf("bound %g, want %g", limited, want)
	}
	if unlimited := CodeSuccessBound(1000, year, 36); unlimited >= 1e-6 {
		t.Fatalf("1,000 guesses a second for a year with 36 valid codes: %g", unlimited)
	}
	// Eight digits, as codes were, fail the same test at the measured
	// 168 guesses a second.
	if old := 168 * year.Seconds() / 1e8; old < 1 {
		t.Fatalf("eight digits: %g", old)
	}
}

func TestCodeAttemptsBackOffAndForget(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	var a CodeAttempts
	for range CodeFreeFailures {
		if a = a.UserFailed(now); a.Locked(now) {
			t.Fatalf("locked after %d failures", a.Failures)
		}
	}
	waits := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute}
	for _, w := range waits {
		a = a.UserFailed(now)
		if !a.LockedUntil.Equal(now.Add(w)) {
			t.Fatalf("failure %d locks until %v, want +%v", a.Failures, a.LockedUntil, w)
		}
		now = a.LockedUntil
	}
	for range 30 {
		a = a.UserFailed(now)
	}
	if a.LockedUntil.Sub(now) != CodeMaxLockout {
		t.Fatalf("longest wait %v", a.LockedUntil.Sub(now))
	}
	if a = a.UserFailed(now.Add(CodeForget + CodeMaxLockout)); a.Failures != 1 || a.Locked(a.At) {
		t.Fatalf("not forgotten: %+v", a)
	}
}

func TestGlobalBucket(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	var g CodeAttempts
	alerts := 0
	checked := 0
	// An hour of guessing as fast as anyone can, one every 10 ms: only
	// failures while the bucket is open are checked.
	for i := range 360_000 {
		at := now.Add(time.Duration(i) * 10 * time.Millisecond)
		if g.Locked(at) {
			continue
		}
		checked++
		var alert bool
		g, alert = g.GlobalFailed(at)
		if alert {
			alerts++
		}
	}
	if bound := CodeGlobalBurst + CodeGlobalRate*3600; float64(checked) > bound {
		t.Fatalf("%d checks in an hour, the bound is %g", checked, bound)
	}
	if checked < 3600*CodeGlobalRate/2 {
		t.Fatalf("only %d checks in an hour: the bucket does not drain", checked)
	}
	if alerts != 1 {
		t.Fatalf("%d alerts in an hour, want 1", alerts)
	}
	// A clock that steps back does not empty the bucket.
	g2, _ := g.GlobalFailed(now.Add(-time.Hour))
	if g2.Level < g.Level {
		t.Fatalf("level fell from %g to %g when the clock stepped back", g.Level, g2.Level)
	}
}
