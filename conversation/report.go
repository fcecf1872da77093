package conversation

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/golang/freetype/truetype"

	"github.com/dangol/dangol/conversation/chart"
	"github.com/dangol/dangol/crm"
)

// ReportJSON is the shape `dangol report --json` prints.
type ReportJSON struct {
	Week      string         `json:"week"`
	Visits    int            `json:"visits"`
	Customers int            `json:"customers"`
	New       int            `json:"new"`
	Groups    GroupsJSON     `json:"groups"`
	Moved     []MoveJSON     `json:"moved"`
	Followup  []FollowupJSON `json:"followup"`
	TopItems  []ItemJSON     `json:"top_items"`
}

// GroupsJSON is how many customers each group holds at the week's end.
type GroupsJSON struct {
	Regulars int `json:"regulars"`
	New      int `json:"new"`
	Slipping int `json:"slipping"`
	Lapsed   int `json:"lapsed"`
}

// MoveJSON is how many customers moved from one group to another.
type MoveJSON struct {
	From string `json:"from"`
	To   string `json:"to"`
	N    int    `json:"n"`
}

// FollowupJSON is the follow-up of one kind of exposure against its
// holdout.
type FollowupJSON struct {
	Kind            string  `json:"kind"`
	Exposed         int     `json:"exposed"`
	ExposedFollowed int     `json:"exposed_followed"`
	HeldOut         int     `json:"held_out"`
	HeldOutFollowed int     `json:"held_out_followed"`
	Uplift          float64 `json:"uplift"`
	Low             float64 `json:"low"`
	High            float64 `json:"high"`
	Verdict         string  `json:"verdict"` // too_early, helps or hurts
}

// ItemJSON is an item and how many were sold.
type ItemJSON struct {
	Name string `json:"name"`
	Qty  int    `json:"qty"`
}

// WeekReport computes the weekly report of shop for week.
func (e *Engine) WeekReport(ctx context.Context, shop crm.Shop, week crm.Week) (crm.WeekReport, error) {
	sun := week.Sunday()
	cvs, err := e.store.ReportVisits(ctx, shop.ID, sun)
	if err != nil {
		return crm.WeekReport{}, fmt.Errorf("conversation: report: %w", err)
	}
	exps, err := e.store.Exposures(ctx, shop.ID, sun)
	if err != nil {
		return crm.WeekReport{}, fmt.Errorf("conversation: report: %w", err)
	}
	top, err := e.store.TopItems(ctx, shop.ID, week.Monday(), sun, crm.TopItemsShown)
	if err != nil {
		return crm.WeekReport{}, fmt.Errorf("conversation: report: %w", err)
	}
	return crm.BuildWeekReport(crm.ReportInput{Week: week, LapsedDays: shop.LapsedDays, FollowupDays: e.followupDays(ctx, shop.ID),
		Customers: cvs, Exposures: exps, TopItems: top}), nil
}

func round4(x float64) float64 { return math.Round(x*10000) / 10000 }

// ReportOut renders a report as ReportJSON.
func ReportOut(r crm.WeekReport) ReportJSON {
	out := ReportJSON{Week: r.Week.String(), Visits: r.Visits, Customers: r.Customers, New: r.New,
		Groups: GroupsJSON{Regulars: r.Groups[crm.GroupRegulars], New: r.Groups[crm.GroupNew],
			Slipping: r.Groups[crm.GroupSlipping], Lapsed: r.Groups[crm.GroupLapsed]},
		Moved: []MoveJSON{}, Followup: []FollowupJSON{}, TopItems: []ItemJSON{}}
	for _, m := range r.Moved {
		out.Moved = append(out.Moved, MoveJSON{From: string(m.From), To: string(m.To), N: m.N})
	}
	for _, c := range r.Followup {
		out.Followup = append(out.Followup, FollowupJSON{Kind: c.Kind, Exposed: c.Exposed, ExposedFollowed: c.ExposedFollowed,
			HeldOut: c.HeldOut, HeldOutFollowed: c.HeldOutFollowed, Uplift: round4(c.Uplift), Low: round4(c.Low),
			High: round4(c.High), Verdict: string(c.Finding)})
	}
	for _, it := range r.TopItems {
		out.TopItems = append(out.TopItems, ItemJSON{Name: it.Name, Qty: it.Qty})
	}
	return out
}

// kindLabel names an exposure kind for people.
func (e *Engine) kindLabel(lang, kind string) string {
	if name, ok := strings.CutPrefix(kind, crm.SourceRulePrefix); ok {
		return e.cat.T(lang, "loop.kind.rule", map[string]any{"Name": name})
	}
	return e.cat.T(lang, "loop.kind."+kind, nil)
}

// signed writes n with its sign: "+3", "−2", "±0".
func signed(n int) string {
	switch {
	case n > 0:
		return fmt.Sprintf("+%d", n)
	case n < 0:
		return fmt.Sprintf("−%d", -n)
	}
	return "±0"
}

// manualKind reports whether exposures of kind are a person's own doing,
// never held out.
func manualKind(kind string) bool {
	switch kind {
	case crm.KindGreeted, crm.SourceHello, crm.SourceSend, crm.SourceOffer:
		return true
	}
	return false
}

func pct(x float64) int { return int(math.Round(100 * x)) }

// ReportText writes a weekly report for people, short: visits and
// customers against the week before, newcomers and returns, the groups and
// who moved, the follow-up of each kind against its holdout, top items.
func (e *Engine) ReportText(lang string, r crm.WeekReport) string {
	var b strings.Builder
	mon, sun := r.Week.Monday(), r.Week.Sunday()
	b.WriteString(e.cat.T(lang, "loop.report.title", map[string]any{"Week": r.Week.String(),
		"From": e.shortDate(lang, mon), "To": e.shortDate(lang, sun)}))
	b.WriteString("\n" + e.cat.T(lang, "loop.report.visits", map[string]any{"Visits": r.Visits, "VisitsDiff": signed(r.Visits - r.PrevVisits),
		"Customers": r.Customers, "CustomersDiff": signed(r.Customers - r.PrevCustomers)}))
	b.WriteString("\n" + e.cat.T(lang, "loop.report.new", map[string]any{"New": r.New, "Back": r.CameBack}))
	var groups []string
	for _, g := range []crm.Group{crm.GroupRegulars, crm.GroupNew, crm.GroupSlipping, crm.GroupLapsed} {
		text := e.cat.N(lang, "loop.group_count."+string(g), r.Groups[g], nil)
		if g == crm.GroupSlipping && len(r.Slipping) > 0 {
			text += " (" + strings.Join(r.Slipping, ", ") + ")"
		}
		groups = append(groups, text)
	}
	b.WriteString("\n" + strings.Join(groups, " · "))
	if len(r.Moved) > 0 {
		var moves []string
		for _, m := range r.Moved[:min(len(r.Moved), 3)] {
			moves = append(moves, e.cat.T(lang, "loop.report.move", map[string]any{"From": e.cat.T(lang, "loop.group."+string(m.From), nil),
				"To": e.cat.T(lang, "loop.group."+string(m.To), nil), "N": m.N}))
		}
		b.WriteString("\n" + e.cat.T(lang, "loop.report.moved", map[string]any{"Moves": strings.Join(moves, " · ")}))
	}
	b.WriteString("\n" + e.cat.T(lang, "loop.report.followup", map[string]any{"UpTo": e.shortDate(lang, r.FollowupUpTo)}))
	if len(r.Followup) == 0 {
		b.WriteString("\n" + e.cat.T(lang, "loop.report.no_followup", nil))
	}
	early := false
	for _, c := range r.Followup {
		data := map[string]any{"Kind": e.kindLabel(lang, c.Kind), "Rate": pct(c.ExposedRate()), "X": c.ExposedFollowed, "N": c.Exposed,
			"HeldRate": pct(c.HeldOutRate()), "HeldX": c.HeldOutFollowed, "HeldN": c.HeldOut}
		line := e.cat.T(lang, "loop.report.kind", data)
		switch {
		case c.HeldOut == 0 && manualKind(c.Kind):
			line = e.cat.T(lang, "loop.report.kind_manual", data)
		case c.HeldOut == 0:
			line = e.cat.T(lang, "loop.report.kind_no_holdout", data)
			early = true
		case c.Finding == crm.FindingHelps:
			n, lo, hi := c.ExtraVisits()
			line += " — " + e.cat.N(lang, "loop.report.helps", n, map[string]any{"Low": max(lo, 0), "High": hi})
		case c.Finding == crm.FindingHurts:
			n, lo, hi := c.ExtraVisits()
			line += " — " + e.cat.N(lang, "loop.report.hurts", -n, map[string]any{"Low": -hi, "High": -lo})
		default:
			line += " — " + e.cat.T(lang, "loop.report.too_early", nil)
			early = true
		}
		b.WriteString("\n• " + line)
	}
	if early || len(r.Followup) == 0 {
		b.WriteString("\n" + e.cat.T(lang, "loop.report.how_many", nil))
	}
	if len(r.TopItems) > 0 {
		var items []string
		for _, it := range r.TopItems {
			items = append(items, fmt.Sprintf("%s %d", it.Name, it.Qty))
		}
		b.WriteString("\n" + e.cat.T(lang, "loop.report.top", map[string]any{"Items": strings.Join(items, " · ")}))
	}
	return b.String()
}

// chartFont is the engine's parsed chart font, loaded once.
type chartFont struct {
	once sync.Once
	font *truetype.Font
	err  error
}

func (e *Engine) chartFont() (*truetype.Font, error) {
	e.font.once.Do(func() { e.font.font, e.font.err = chart.Font() })
	return e.font.font, e.font.err
}

// ReportChart draws a weekly report's picture (see package chart).
func (e *Engine) ReportChart(lang string, r crm.WeekReport) ([]byte, error) {
	font, err := e.chartFont()
	if err != nil {
		return nil, err
	}
	w := chart.Weekly{
		Title:     e.cat.T(lang, "loop.chart.title", map[string]any{"Week": r.Week.String(), "From": e.monthDay(lang, monthDayOf(r.Week.Monday())), "To": e.monthDay(lang, monthDayOf(r.Week.Sunday()))}),
		VisitsTop: e.cat.T(lang, "loop.chart.visits", nil),
		This:      r.Daily, Last: r.PrevDaily,
		ThisName: e.cat.T(lang, "loop.chart.this_week", nil), LastName: e.cat.T(lang, "loop.chart.last_week", nil),
		RatesTop:    e.cat.T(lang, "loop.chart.rates", map[string]any{"UpTo": e.monthDay(lang, monthDayOf(r.FollowupUpTo))}),
		ExposedName: e.cat.T(lang, "loop.chart.exposed", nil), HeldOutName: e.cat.T(lang, "loop.chart.held_out", nil),
		NoRates: e.cat.T(lang, "loop.report.no_followup", nil),
	}
	for i := range 7 {
		w.Days[i] = e.weekdayShort(lang, r.Week.Monday().AddDays(i).Weekday())
	}
	for _, c := range r.Followup {
		w.Kinds = append(w.Kinds, e.kindLabel(lang, c.Kind))
		w.Exposed = append(w.Exposed, c.ExposedRate())
		held := c.HeldOutRate()
		if c.HeldOut == 0 {
			held = -1
		}
		w.HeldOut = append(w.HeldOut, held)
	}
	return chart.Render(w, font)
}

func monthDayOf(d crm.Date) crm.MonthDay { return crm.MonthDay{Month: d.Month, Day: d.Day} }

// ReportReply is a weekly report as a chat message: the text, with the
// chart as a photo (the text says everything the chart shows). When the
// chart cannot be drawn the text goes alone.
func (e *Engine) ReportReply(lang string, r crm.WeekReport) Reply {
	reply := Reply{Text: e.ReportText(lang, r)}
	png, err := e.ReportChart(lang, r)
	if err != nil {
		e.log.Error("report chart", "err", err)
		return reply
	}
	reply.Photo = &File{Name: "dangol-report-" + r.Week.String() + ".png", Data: png}
	return reply
}

// report answers /report [YYYY-Www] (/리포트, /주간): the report of a
// past week, last week when none is given.
func (e *Engine) report(ctx context.Context, s *session, args string) ([]Reply, error) {
	this := crm.WeekOf(s.today())
	week := this.Prev()
	if a := strings.TrimSpace(args); a != "" {
		w, err := crm.ParseWeek(a)
		if err != nil {
			return one(e.cat.T(s.lang, "loop.report.usage", map[string]any{"Week": week.String()})), nil
		}
		week = w
	}
	if week.Monday().After(this.Monday()) {
		return one(e.cat.T(s.lang, "loop.report.future", map[string]any{"Week": week.String()})), nil
	}
	rep, err := e.WeekReport(ctx, s.shop, week)
	if err != nil {
		return e.fail(s.lang, err)
	}
	r := e.ReportReply(s.lang, rep)
	if week == this {
		r.Text = e.cat.T(s.lang, "loop.report.this_week", nil) + "\n" + r.Text
	}
	return []Reply{r}, nil
}

// pushWeekReport sends the report of week to the shop's members, as the
// Monday digest's second message.
func (e *Engine) pushWeekReport(ctx context.Context, shop crm.Shop, members []crm.Member, week crm.Week, senders map[string]Sender) error {
	rep, err := e.WeekReport(ctx, shop, week)
	if err != nil {
		return err
	}
	if rep.Visits == 0 && rep.PrevVisits == 0 && len(rep.Followup) == 0 {
		return nil // nothing happened yet: no report
	}
	if err := e.deliver(ctx, shop, members, e.ReportReply(shop.Lang, rep), senders); err != nil {
		return fmt.Errorf("conversation: week report: %w", err)
	}
	return nil
}
