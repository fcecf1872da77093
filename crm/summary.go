package crm

import (
	"context"
	"slices"
	"time"
)

// SummaryStore reads the per-customer visit summaries that storage keeps
// in step with the visits on every write.
type SummaryStore interface {
	// Summaries returns every customer of the shop, oldest first, as
	// History does but with Days instead of Visits: read from one summary
	// row per customer, however many visits they have.
	Summaries(ctx context.Context, shopID int64) ([]History, error)
	// VisitItems returns the visits of the given customers of the shop,
	// day and item names, oldest first: what AddFavorites needs for the
	// entries shown.
	VisitItems(ctx context.Context, shopID int64, customerIDs []int64) (map[int64][]VisitDay, error)
}

// DayNumber returns the number of days from 1970-01-01 to d (negative
// before): the day numbers of History.Days.
func DayNumber(d Date) int { return dayNumber(d) }

// DayDate returns the date of a day number (DayNumber's inverse).
func DayDate(n int) Date {
	// Howard Hinnant's civil_from_days.
	z := n + 719468
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Date{Year: y, Month: time.Month(m), Day: d}
}

// AddFavorites fills in the favourites of entries of the digest of day d,
// and the items of their usual_weekday reasons, from visits (by customer
// id, any order): what Digest leaves out when it reads summaries. Entries
// whose customer has no visits in the map are left as they are.
func AddFavorites(d Date, entries []DigestEntry, visits map[int64][]VisitDay) {
	e := digester{today: dayNumber(d), days: newDayTable(d.Year-dayTableYears, d.Year+1)}
	for i := range entries {
		en := &entries[i]
		vs, ok := visits[en.Customer.ID]
		if !ok || len(vs) == 0 {
			continue
		}
		h := History{Customer: en.Customer, Visits: vs}
		vis := e.vis[:0]
		for j := range vs {
			if vs[j].Date.IsZero() {
				continue
			}
			if n := e.days.number(vs[j].Date); n < e.today {
				vis = append(vis, makeVisitRef(n, j))
			}
		}
		slices.Sort(vis)
		e.vis = vis
		e.addFavorites(en, &h)
	}
}
