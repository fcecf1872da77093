package crm

import (
	"fmt"
	"time"
)

// Date is a calendar day with no time of day and no zone: the day a visit
// happened in the shop's own time zone. The zero Date means "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar day of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	if loc != nil {
		t = t.In(loc)
	}
	y, m, d := t.Date()
	return Date{y, m, d}
}

// NewDate returns the normalised date y-m-d (out-of-range days roll over as
// time.Date does).
func NewDate(y int, m time.Month, d int) Date {
	return DateOf(time.Date(y, m, d, 12, 0, 0, 0, time.UTC), time.UTC)
}

// ParseDate reads a date written as YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("parse date %q: %w", s, err)
	}
	return DateOf(t, time.UTC), nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Time returns noon of d in loc, a safe instant on that day whatever the
// daylight-saving rules.
func (d Date) Time(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, loc)
}

func (d Date) utc() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// AddDays returns d moved by n days (n may be negative).
func (d Date) AddDays(n int) Date { return DateOf(d.utc().AddDate(0, 0, n), time.UTC) }

// DaysSince returns the number of days from e to d (d − e).
func (d Date) DaysSince(e Date) int { return int(d.utc().Sub(e.utc()).Hours() / 24) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.utc().Before(e.utc()) }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.utc().After(e.utc()) }

// MonthDay is a birthday-like day of the year, written MM-DD. The zero value
// means "unknown".
type MonthDay struct {
	Month time.Month
	Day   int
}

// ParseMonthDay reads MM-DD (or M-D) and checks that the day exists in a
// leap year, so 02-29 is valid.
func ParseMonthDay(s string) (MonthDay, error) {
	var m, d int
	if _, err := fmt.Sscanf(s, "%d-%d", &m, &d); err != nil {
		return MonthDay{}, fmt.Errorf("parse month-day %q: %w", s, err)
	}
	md := MonthDay{time.Month(m), d}
	if !md.Valid() {
		return MonthDay{}, fmt.Errorf("parse month-day %q: no such day", s)
	}
	return md, nil
}

// Valid reports whether md names a real day of a leap year.
func (md MonthDay) Valid() bool {
	if md.Month < time.January || md.Month > time.December || md.Day < 1 {
		return false
	}
	return md.Day <= daysIn(md.Month, 2024)
}

// IsZero reports whether md is unknown.
func (md MonthDay) IsZero() bool { return md == MonthDay{} }

// String formats md as MM-DD, or "" when unknown.
func (md MonthDay) String() string {
	if md.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d-%02d", md.Month, md.Day)
}

// In returns the date md falls on in year y. A 29 February birthday falls on
// 28 February in years without one.
func (md MonthDay) In(y int) Date {
	d := md.Day
	if n := daysIn(md.Month, y); d > n {
		d = n
	}
	return Date{y, md.Month, d}
}

func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// NoWeekday marks an unknown usual visit day.
const NoWeekday time.Weekday = -1
