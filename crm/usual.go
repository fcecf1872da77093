package crm

import "sort"

// UsualVisits is how many of a customer's latest visits with items "the
// usual" is read from.
const UsualVisits = 10

// UsualOrder returns what a customer usually has ("the usual", "늘 먹던
// 거"), read from their latest UsualVisits visits with items (visits in any
// order): every item bought on at least half of them, each with the
// quantity they took most often (the latest on a tie), most often bought
// first; when no item reaches half, the one bought most often. It returns
// nil when no visit had items, so that nothing is invented.
func UsualOrder(visits []Visit) []ItemQty {
	var recent []Visit
	for _, v := range visits {
		if len(v.Items) > 0 {
			recent = append(recent, v)
		}
	}
	if len(recent) == 0 {
		return nil
	}
	sort.SliceStable(recent, func(i, j int) bool {
		if recent[i].Date != recent[j].Date {
			return recent[i].Date.After(recent[j].Date)
		}
		return recent[i].ID > recent[j].ID
	})
	recent = recent[:min(UsualVisits, len(recent))]
	type tally struct {
		name   string
		visits int
		qty    map[int]int // quantity → visits
		latest int         // quantity on the newest visit
		first  int         // order of first appearance, newest first
	}
	var list []*tally
	byName := map[string]*tally{}
	for _, v := range recent {
		seen := map[string]bool{}
		for _, li := range v.Items {
			k := foldName(li.Name)
			t := byName[k]
			if t == nil {
				t = &tally{name: li.Name, qty: map[int]int{}, latest: li.Qty, first: len(list)}
				byName[k] = t
				list = append(list, t)
			}
			if !seen[k] {
				seen[k] = true
				t.visits++
				t.qty[li.Qty]++
			}
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].visits > list[j].visits })
	var out []ItemQty
	for i, t := range list {
		if 2*t.visits < len(recent) && i > 0 {
			break
		}
		qty, n := t.latest, t.qty[t.latest]
		for q, c := range t.qty {
			if c > n || c == n && qty != t.latest && q < qty {
				qty, n = q, c
			}
		}
		out = append(out, ItemQty{Name: t.name, Qty: qty})
		if 2*t.visits < len(recent) {
			break // none reaches half: the one bought most often
		}
	}
	return out
}

// foldName lowercases ASCII letters, as item names are compared.
func foldName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
