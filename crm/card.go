package crm

import (
	"sort"
	"strings"
	"time"
)

// ItemCount is how often a customer bought an item.
type ItemCount struct {
	Name   string
	Visits int // visits on which the item was bought
	Qty    int // total quantity
}

// Card is what a person at the counter wants to know about one customer.
type Card struct {
	Customer     Customer
	VisitCount   int // distinct visit days
	LastVisit    Date
	Recent       []Visit     // newest first, at most 3
	Favorites    []ItemCount // most bought first, at most 3
	UsualWeekday time.Weekday
	// WeekdayInferred is true when UsualWeekday comes from the visits
	// rather than from the owner.
	WeekdayInferred bool
	Allergies       []string
	Likes           []string
	Dislikes        []string
	Notes           []string
}

// BuildCard summarises a customer's visits (any order) and facts.
func BuildCard(c Customer, visits []Visit, facts []Fact) Card {
	card := Card{Customer: c, UsualWeekday: c.UsualWeekday}
	sorted := make([]Visit, len(visits))
	copy(sorted, visits)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Date != sorted[j].Date {
			return sorted[i].Date.After(sorted[j].Date)
		}
		return sorted[i].ID > sorted[j].ID
	})
	days := DistinctDays(sorted)
	card.VisitCount = len(days)
	if len(sorted) > 0 {
		card.LastVisit = sorted[0].Date
	}
	card.Recent = sorted[:min(3, len(sorted))]
	card.Favorites = Favorites(sorted, 3)
	if card.UsualWeekday == NoWeekday {
		if wd, ok := InferWeekday(days); ok {
			card.UsualWeekday, card.WeekdayInferred = wd, true
		}
	}
	for _, f := range facts {
		switch f.Kind {
		case FactAllergy:
			card.Allergies = appendUnique(card.Allergies, f.Value)
		case FactLike:
			card.Likes = appendUnique(card.Likes, f.Value)
		case FactDislike:
			card.Dislikes = appendUnique(card.Dislikes, f.Value)
		case FactNote:
			card.Notes = append(card.Notes, f.Value)
		}
	}
	return card
}

// DistinctDays returns the distinct visit days, oldest first.
func DistinctDays(visits []Visit) []Date {
	seen := make(map[Date]bool, len(visits))
	days := make([]Date, 0, len(visits))
	for _, v := range visits {
		if !seen[v.Date] {
			seen[v.Date] = true
			days = append(days, v.Date)
		}
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Before(days[j]) })
	return days
}

// Favorites returns up to n items bought on the most visits, ties broken by
// total quantity, then name.
func Favorites(visits []Visit, n int) []ItemCount {
	idx := map[string]int{}
	var out []ItemCount
	for _, v := range visits {
		seen := map[string]bool{}
		for _, li := range v.Items {
			k := strings.ToLower(li.Name)
			i, ok := idx[k]
			if !ok {
				i = len(out)
				idx[k] = i
				out = append(out, ItemCount{Name: li.Name})
			}
			out[i].Qty += li.Qty
			if !seen[k] {
				seen[k] = true
				out[i].Visits++
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Visits != out[j].Visits {
			return out[i].Visits > out[j].Visits
		}
		if out[i].Qty != out[j].Qty {
			return out[i].Qty > out[j].Qty
		}
		return out[i].Name < out[j].Name
	})
	return out[:min(n, len(out))]
}

// InferWeekday finds the weekday a customer usually comes on: at least 3
// visit days on it, making up at least half of all visit days.
func InferWeekday(days []Date) (time.Weekday, bool) {
	var n [7]int
	for _, d := range days {
		n[d.Weekday()]++
	}
	best := time.Sunday
	for wd := time.Monday; wd <= time.Saturday; wd++ {
		if n[wd] > n[best] {
			best = wd
		}
	}
	if n[best] >= 3 && 2*n[best] >= len(days) {
		return best, true
	}
	return NoWeekday, false
}

func appendUnique(list []string, v string) []string {
	for _, s := range list {
		if strings.EqualFold(s, v) {
			return list
		}
	}
	return append(list, v)
}
