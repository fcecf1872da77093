package conversation

// Journeys in the chat: /rules lists the shop's rules, /rule new offers
// the templates, /rule TEXT reads a rule written in plain words; Dangol
// reads every rule back, part by part, before it is saved, with Save,
// Edit and Dry run. Only the owner changes rules; every button is checked
// against the presser's role and the shop, never trusted for what it
// names.

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/dangol/dangol/conversation/ruletext"
	"github.com/dangol/dangol/crm"
)

// ruleWords are the first words of /rules that name what to do.
var ruleWords = map[string]string{
	"new": "new", "add": "new", "template": "new", "templates": "new", "새로": "new", "새": "new", "추가": "new", "만들기": "new",
	"템플릿": "new", "dry-run": "dry", "dryrun": "dry", "dry": "dry", "test": "dry", "미리보기": "dry", "시험": "dry",
	"pause": "pause", "stop": "pause", "멈춤": "pause", "일시정지": "pause", "중지": "pause",
	"resume": "resume", "start": "resume", "재개": "resume", "다시": "resume",
	"delete": "delete", "remove": "delete", "삭제": "delete", "지우기": "delete",
	"list": "list", "목록": "list", "all": "list",
}

// rulesCommand answers /rules (/규칙): the list, the templates (new), a
// dry run of today, pausing, resuming or deleting by number, or a rule
// written in words.
func (e *Engine) rulesCommand(ctx context.Context, s *session, args string) ([]Reply, error) {
	f := strings.Fields(args)
	if len(f) == 0 {
		return e.ruleList(ctx, s)
	}
	verb, known := ruleWords[strings.ToLower(f[0])]
	if !known {
		if !s.isOwner() {
			return e.ownerOnly(s), nil
		}
		return e.ruleFromWords(ctx, s, args)
	}
	switch verb {
	case "list":
		return e.ruleList(ctx, s)
	case "dry":
		return e.dryRunAll(ctx, s)
	}
	if !s.isOwner() {
		return e.ownerOnly(s), nil
	}
	if verb == "new" {
		if len(f) > 1 {
			// The whole text: "new member …", "새 회원 …" name a trigger.
			return e.ruleFromWords(ctx, s, args)
		}
		return e.templateMenu(s), nil
	}
	rules, err := e.store.Rules(ctx, s.shop.ID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: rules: %w", err))
	}
	n := 0
	if len(f) == 2 {
		n, _ = strconv.Atoi(f[1])
	}
	if n < 1 || n > len(rules) {
		return one(e.cat.T(s.lang, "journeys.which", map[string]any{"Count": len(rules)})), nil
	}
	r := rules[n-1]
	switch verb {
	case "pause":
		return e.setRuleState(ctx, s, r, crm.RulePaused, false)
	case "resume":
		return e.setRuleState(ctx, s, r, crm.RuleActive, false)
	}
	return e.deleteAsk(s, r, false), nil
}

// ruleList shows the shop's rules with a button each, and one for a new
// rule (the owner's).
func (e *Engine) ruleList(ctx context.Context, s *session) ([]Reply, error) {
	rules, err := e.store.Rules(ctx, s.shop.ID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: rules: %w", err))
	}
	if len(rules) == 0 {
		r := one(e.cat.T(s.lang, "journeys.none", nil))
		if s.isOwner() {
			r[0].Buttons = []Button{{Label: e.cat.T(s.lang, "journeys.button.new", nil), Action: "rnew"}}
		}
		return r, nil
	}
	lines := []string{e.cat.N(s.lang, "journeys.list.head", len(rules), nil)}
	var buttons []Button
	for i, r := range rules {
		state := e.cat.T(s.lang, "journeys.state."+string(r.State), nil)
		when := e.whenText(s.lang, r)
		if strings.HasPrefix(when, r.Name) || strings.HasPrefix(r.Name, short(when, 40)) {
			when = e.atText(s.lang, r) // the name says when already
		}
		lines = append(lines, e.cat.T(s.lang, "journeys.list.line", map[string]any{"N": i + 1, "Name": r.Name,
			"State": state, "When": when}))
		if s.isOwner() {
			buttons = append(buttons, Button{Label: strconv.Itoa(i+1) + ". " + short(r.Name, 20), Action: "rview:" + strconv.FormatInt(r.ID, 10)})
		}
	}
	if s.isOwner() {
		buttons = append(buttons, Button{Label: e.cat.T(s.lang, "journeys.button.new", nil), Action: "rnew"},
			Button{Label: e.cat.T(s.lang, "journeys.button.dry_all", nil), Action: "rdryall"})
		lines = append(lines, e.cat.T(s.lang, "journeys.list.hint", nil))
	}
	return one(strings.Join(lines, "\n"), buttons...), nil
}

// templateMenu offers the templates, one tap each, and how to write one.
func (e *Engine) templateMenu(s *session) []Reply {
	buttons := make([]Button, 0, len(ruleTemplates))
	for _, t := range ruleTemplates {
		buttons = append(buttons, Button{Label: e.cat.T(s.lang, "journeys.tpl."+t.key+".name", nil), Action: "rtpl:" + t.key})
	}
	return one(e.cat.T(s.lang, "journeys.templates", nil), buttons...)
}

// author is the member as a draft's author.
func (s *session) author() string { return s.msg.Platform + ":" + s.msg.UserID }

// ruleFromWords reads a rule written in words into the member's draft and
// reads it back.
func (e *Engine) ruleFromWords(ctx context.Context, s *session, text string) ([]Reply, error) {
	res, err := e.readRule(ctx, s, text)
	if err != nil {
		return e.fail(s.lang, err)
	}
	if !res.Found.Trigger {
		return one(e.cat.T(s.lang, "journeys.not_understood", nil)), nil
	}
	r := res.Rule
	r.ShopID, r.State, r.Author, r.Source = s.shop.ID, crm.RuleDraft, s.author(), text
	e.ruleDefaults(s.lang, &r)
	return e.saveDraft(ctx, s, r, false)
}

// readRule reads text with the shop's items.
func (e *Engine) readRule(ctx context.Context, s *session, text string) (ruletext.Result, error) {
	_, items, err := e.store.Names(ctx, s.shop.ID)
	if err != nil {
		return ruletext.Result{}, fmt.Errorf("conversation: rule: %w", err)
	}
	return ruletext.Read(text, ruletext.Options{Items: items}), nil
}

// ruleDefaults fills in what a rule written in words left out: a send
// time, a purpose, a topic, a name.
func (e *Engine) ruleDefaults(lang string, r *crm.Rule) {
	if r.Action.Kind == crm.ActionStaff {
		r.SendAt, r.Action.Purpose = "", ""
	} else {
		if r.SendAt == "" {
			r.SendAt = defaultSendAt
		}
		if r.Action.Purpose == "" {
			r.Action.Purpose = crm.PurposeReminders
		}
	}
	if r.Action.Kind == crm.ActionAsk && r.Action.Topic == "" {
		r.Action.Topic = short(strings.TrimRight(r.Action.Text, "?？ "), 24)
	}
	if r.Name == "" || r.Template == "" {
		r.Name = short(e.whenText(lang, *r), 40)
	}
}

// defaultSendAt is when a rule's messages go unless the owner says.
const defaultSendAt = "10:00"

// saveDraft keeps r as the member's draft and reads it back.
func (e *Engine) saveDraft(ctx context.Context, s *session, r crm.Rule, edit bool) ([]Reply, error) {
	r.Editing = false
	r, err := e.store.SaveRule(ctx, r, s.now)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: rule draft: %w", err))
	}
	rep := e.readback(ctx, s, r)
	rep.Edit = edit
	return []Reply{rep}, nil
}

// readback says a rule part by part, with what would stop it from working,
// and the buttons a draft (or a saved rule) has.
func (e *Engine) readback(ctx context.Context, s *session, r crm.Rule) Reply {
	l := s.lang
	text := e.cat.T(l, "journeys.readback", map[string]any{"Name": r.Name, "When": e.whenText(l, r), "Who": e.whoText(l, r),
		"What": e.whatText(l, r), "Often": e.oftenText(l, r), "At": e.atText(l, r)})
	for _, p := range e.ruleProblems(ctx, s.shop, r) {
		text += "\n" + p
	}
	id := strconv.FormatInt(r.ID, 10)
	if r.State == crm.RuleDraft {
		return Reply{Text: text + "\n" + e.cat.T(l, "journeys.draft_hint", nil), Buttons: []Button{
			{Label: e.cat.T(l, "journeys.button.save", nil), Action: "rsave:" + id},
			{Label: e.cat.T(l, "button.edit", nil), Action: "redit:" + id},
			{Label: e.cat.T(l, "journeys.button.dry", nil), Action: "rdry:" + id},
			{Label: e.cat.T(l, "button.cancel", nil), Action: "rcancel:" + id},
		}}
	}
	state := Button{Label: e.cat.T(l, "journeys.button.pause", nil), Action: "rpause:" + id}
	if r.State == crm.RulePaused {
		state = Button{Label: e.cat.T(l, "journeys.button.resume", nil), Action: "rresume:" + id}
	}
	return Reply{Text: text + "\n" + e.cat.T(l, "journeys.state_line", map[string]any{
		"State": e.cat.T(l, "journeys.state."+string(r.State), nil)}), Buttons: []Button{state,
		{Label: e.cat.T(l, "journeys.button.dry", nil), Action: "rdry:" + id},
		{Label: e.cat.T(l, "button.edit", nil), Action: "redit:" + id},
		{Label: e.cat.T(l, "journeys.button.delete", nil), Action: "rdel:" + id}}}
}

// whenText says a rule's trigger and conditions.
func (e *Engine) whenText(l string, r crm.Rule) string {
	t := r.Trigger
	data := map[string]any{"Days": t.Days, "N": abs(t.Days), "Rain": t.Rain, "Item": t.Item, "Before": t.Before}
	key := "journeys.when." + string(t.Kind)
	switch t.Kind {
	case crm.TriggerBooking:
		side := "start"
		if t.Anchor == crm.AnchorEnd {
			side = "end"
		}
		switch {
		case t.Days < 0:
			key += "." + side + ".before"
		case t.Days > 0:
			key += "." + side + ".after"
		default:
			key += "." + side + ".on"
		}
	case crm.TriggerDue:
		if t.Ahead > 0 {
			key += ".week"
		}
	case crm.TriggerWeekday:
		if t.Weekday != 0 {
			key += ".day"
			data["Day"] = e.weekday(l, ruletext.Weekday(t.Weekday))
		}
	case crm.TriggerBirthday:
		if t.Days > 0 {
			key += ".before"
		}
	case crm.TriggerCycle:
		if t.Item != "" {
			key += ".item"
		}
	}
	parts := []string{e.cat.T(l, key, data)}
	if t.Item != "" && t.Kind != crm.TriggerCycle {
		parts = append(parts, e.cat.T(l, "journeys.when.item", data))
	}
	if t.Before != "" {
		parts = append(parts, e.cat.T(l, "journeys.when.before", data))
	}
	if t.Rain > 0 && t.Kind != crm.TriggerRain {
		parts = append(parts, e.cat.T(l, "journeys.when.rain_too", data))
	}
	return strings.Join(parts, ", ")
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// whoText says whom a rule reaches.
func (e *Engine) whoText(l string, r crm.Rule) string {
	if r.Action.Kind == crm.ActionStaff {
		return e.cat.T(l, "journeys.who.staff", nil)
	}
	return e.cat.T(l, "journeys.who.agreed", map[string]any{"Purpose": e.cat.T(l, "purpose."+string(r.Action.Purpose), nil)})
}

// whatText says what a rule does.
func (e *Engine) whatText(l string, r crm.Rule) string {
	data := map[string]any{"Text": r.Action.Text, "Topic": r.Action.Topic}
	switch {
	case r.Action.Text == "":
		return e.cat.T(l, "journeys.what.none", nil)
	case r.Action.Kind == crm.ActionStaff:
		return e.cat.T(l, "journeys.what.staff", data)
	case r.Action.Kind == crm.ActionAsk:
		return e.cat.T(l, "journeys.what.ask", data)
	case r.Action.Purpose == crm.PurposeOffers:
		return e.cat.T(l, "journeys.what.offer", data)
	}
	return e.cat.T(l, "journeys.what.message", data)
}

// oftenText says how often a rule may reach one customer.
func (e *Engine) oftenText(l string, r crm.Rule) string {
	if r.Action.Kind == crm.ActionStaff {
		return e.cat.T(l, "journeys.often.staff", nil)
	}
	return e.cat.T(l, "journeys.often."+r.Trigger.Occasion(), nil)
}

// atText says when a rule's messages go.
func (e *Engine) atText(l string, r crm.Rule) string {
	if r.Action.Kind == crm.ActionStaff {
		return e.cat.T(l, "journeys.at.digest", nil)
	}
	return e.cat.T(l, "journeys.at.time", map[string]any{"Time": r.SendAt})
}

// fillMarker is text a template leaves for the owner to fill in: "[지도
// 링크]".
var fillMarker = regexp.MustCompile(`\[[^\[\]]{1,40}\]`)

// ruleProblems says, one line each, what keeps a rule from being saved
// (first, starting with ⚠) or from working as meant.
func (e *Engine) ruleProblems(ctx context.Context, shop crm.Shop, r crm.Rule) []string {
	l := shop.Lang
	var out []string
	text := r.Action.Text
	switch {
	case strings.TrimSpace(text) == "":
		out = append(out, e.cat.T(l, "journeys.problem.no_text", nil))
	case len([]rune(text)) > crm.MaxRuleText:
		out = append(out, e.cat.T(l, "journeys.problem.too_long", map[string]any{"Max": crm.MaxRuleText}))
	}
	if m := fillMarker.FindAllString(text, -1); len(m) > 0 {
		out = append(out, e.cat.T(l, "journeys.problem.fill", map[string]any{"What": strings.Join(m, ", ")}))
	}
	used, unknown := placeholders(text)
	if len(unknown) > 0 {
		out = append(out, e.cat.T(l, "journeys.problem.placeholder", map[string]any{"What": strings.Join(unknown, ", ")}))
	}
	if used["booking_date"] && r.Trigger.Kind != crm.TriggerBooking || used["news"] && r.Trigger.Kind != crm.TriggerAnnouncement {
		out = append(out, e.cat.T(l, "journeys.problem.placeholder_kind", nil))
	}
	if r.Action.Kind != crm.ActionStaff {
		if _, err := crm.ParseClock(r.SendAt); err != nil || r.SendAt == "" {
			out = append(out, e.cat.T(l, "journeys.problem.no_time", nil))
		}
	}
	if len(out) > 0 {
		return out // blocking problems first, alone
	}
	// Warnings: it saves, but may not do what the owner expects.
	if r.Action.Kind != crm.ActionStaff {
		quiet, _ := e.store.ShopSetting(ctx, shop.ID, crm.SettingQuietHours)
		pol := crm.PolicyFromSettings("", quiet, "", shop.Location())
		if pol.InQuiet(crm.SendInstant(r.SendAt, shop.Today(e.now()), shop.Location())) {
			out = append(out, e.cat.T(l, "journeys.warn.quiet", map[string]any{"Quiet": pol.Quiet[0].String()}))
		}
	}
	if r.Trigger.Rain > 0 || r.Trigger.Kind == crm.TriggerRain {
		loc, _ := e.store.ShopSetting(ctx, shop.ID, crm.SettingWeatherLocation)
		switch {
		case e.weather == nil:
			out = append(out, e.cat.T(l, "journeys.warn.weather_off", nil))
		case loc == "":
			out = append(out, e.cat.T(l, "journeys.warn.no_location", nil))
		}
	}
	if r.Action.Kind == crm.ActionAsk {
		out = append(out, e.cat.T(l, "journeys.warn.ask", map[string]any{"Topic": r.Action.Topic}))
	}
	return out
}

// blocking reports whether a rule has a problem that keeps it from being
// saved.
func (e *Engine) blocking(ctx context.Context, shop crm.Shop, r crm.Rule) []string {
	ps := e.ruleProblems(ctx, shop, r)
	if len(ps) > 0 && strings.HasPrefix(ps[0], "⚠") {
		return ps
	}
	return nil
}

// journeyPress answers the buttons of rules; ok is false for others.
func (e *Engine) journeyPress(ctx context.Context, s *session, verb, arg string) ([]Reply, bool, error) {
	switch verb {
	case "rnew", "rtpl", "rsave", "redit", "rdry", "rcancel", "rview", "rpause", "rresume", "rdel", "rdelok", "rdryall":
	default:
		return nil, false, nil
	}
	if !s.isOwner() {
		return e.ownerOnly(s), true, nil
	}
	switch verb {
	case "rnew":
		return e.templateMenu(s), true, nil
	case "rdryall":
		r, err := e.dryRunAll(ctx, s)
		return r, true, err
	case "rtpl":
		t, ok := templateByKey(arg)
		if !ok {
			return e.stale(s), true, nil
		}
		r := e.fromTemplate(ctx, s.shop, t)
		r.Author = s.author()
		reps, err := e.saveDraft(ctx, s, r, false)
		return reps, true, err
	}
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return e.stale(s), true, nil
	}
	r, err := e.store.Rule(ctx, s.shop.ID, id)
	if errors.Is(err, crm.ErrNotFound) {
		return e.stale(s), true, nil
	}
	if err != nil {
		reps, err := e.fail(s.lang, fmt.Errorf("conversation: rule: %w", err))
		return reps, true, err
	}
	// A draft is its author's alone.
	if r.State == crm.RuleDraft && r.Author != s.author() {
		return e.stale(s), true, nil
	}
	var reps []Reply
	switch verb {
	case "rsave":
		reps, err = e.saveRule(ctx, s, r)
	case "redit":
		reps, err = e.editRule(ctx, s, r)
	case "rdry":
		reps, err = e.dryRunOne(ctx, s, r)
	case "rcancel":
		if r.State != crm.RuleDraft {
			return e.stale(s), true, nil
		}
		if err = e.store.DeleteRule(ctx, s.shop.ID, r.ID); err != nil {
			reps, err = e.fail(s.lang, fmt.Errorf("conversation: cancel rule: %w", err))
		} else {
			reps = []Reply{{Text: e.cat.T(s.lang, "action.cancelled", nil), Edit: true}}
		}
	case "rview":
		reps = []Reply{e.readback(ctx, s, r)}
	case "rpause":
		reps, err = e.setRuleState(ctx, s, r, crm.RulePaused, true)
	case "rresume":
		reps, err = e.setRuleState(ctx, s, r, crm.RuleActive, true)
	case "rdel":
		if r.State == crm.RuleDraft {
			return e.stale(s), true, nil
		}
		reps = e.deleteAsk(s, r, true)
	case "rdelok":
		if r.State == crm.RuleDraft {
			return e.stale(s), true, nil
		}
		if err = e.store.DeleteRule(ctx, s.shop.ID, r.ID); err != nil {
			reps, err = e.fail(s.lang, fmt.Errorf("conversation: delete rule: %w", err))
		} else {
			reps = []Reply{{Text: e.cat.T(s.lang, "journeys.deleted", map[string]any{"Name": r.Name}), Edit: true}}
		}
	}
	return reps, true, err
}

// saveRule saves a draft: as a new active rule, or into the rule it edits.
func (e *Engine) saveRule(ctx context.Context, s *session, d crm.Rule) ([]Reply, error) {
	if d.State != crm.RuleDraft {
		return e.stale(s), nil
	}
	if ps := e.blocking(ctx, s.shop, d); ps != nil {
		return one(strings.Join(append([]string{e.cat.T(s.lang, "journeys.cannot_save", nil)}, ps...), "\n")), nil
	}
	r := d
	r.ID, r.State, r.Author, r.Editing, r.Replaces = 0, crm.RuleActive, "", false, 0
	if d.Replaces != 0 {
		old, err := e.store.Rule(ctx, s.shop.ID, d.Replaces)
		if err != nil || old.State == crm.RuleDraft {
			return e.stale(s), nil
		}
		r.ID, r.State, r.Kind, r.CreatedAt = old.ID, old.State, old.Kind, old.CreatedAt
	}
	saved, err := e.store.SaveRule(ctx, r, s.now)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: save rule: %w", err))
	}
	if err := e.store.DeleteRule(ctx, s.shop.ID, d.ID); err != nil && !errors.Is(err, crm.ErrNotFound) {
		e.log.Error("delete rule draft", "shop", s.shop.ID, "err", err)
	}
	key := "journeys.saved"
	if saved.Action.Kind == crm.ActionStaff {
		key = "journeys.saved_staff"
	}
	return []Reply{{Text: e.cat.T(s.lang, key, map[string]any{"Name": saved.Name, "At": saved.SendAt}), Edit: true,
		Buttons: []Button{{Label: e.cat.T(s.lang, "journeys.button.list", nil), Action: "rview:" + strconv.FormatInt(saved.ID, 10)}}}}, nil
}

// editRule makes the member's next message amend a draft; a saved rule is
// first copied into a draft that replaces it when saved.
func (e *Engine) editRule(ctx context.Context, s *session, r crm.Rule) ([]Reply, error) {
	if r.State != crm.RuleDraft {
		d := r
		d.ID, d.State, d.Author, d.Replaces = 0, crm.RuleDraft, s.author(), r.ID // its kind stays: a dry run draws as the rule does
		var err error
		if r, err = e.store.SaveRule(ctx, d, s.now); err != nil {
			return e.fail(s.lang, fmt.Errorf("conversation: edit rule: %w", err))
		}
	}
	r.Editing = true
	if _, err := e.store.SaveRule(ctx, r, s.now); err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: edit rule: %w", err))
	}
	if m := fillMarker.FindString(r.Action.Text); m != "" {
		return one(e.cat.T(s.lang, "journeys.edit_fill", map[string]any{"Text": r.Action.Text, "What": m})), nil
	}
	return one(e.cat.T(s.lang, "journeys.edit_prompt", map[string]any{"Text": r.Action.Text})), nil
}

// ruleDraftText takes a member's message as an amendment of the draft they
// are editing; ok is false when they are not editing one. Commands are
// never taken.
func (e *Engine) ruleDraftText(ctx context.Context, s *session, text string) ([]Reply, bool, error) {
	if strings.HasPrefix(text, "/") || !s.isOwner() {
		return nil, false, nil
	}
	d, err := e.store.RuleDraft(ctx, s.shop.ID, s.author())
	if errors.Is(err, crm.ErrNotFound) || err == nil && (!d.Editing || s.now.Sub(d.UpdatedAt) > crm.DraftValidity) {
		return nil, false, nil // an edit left for half an hour lets notes through again
	}
	if err != nil {
		r, err := e.fail(s.lang, fmt.Errorf("conversation: rule draft: %w", err))
		return r, true, err
	}
	if c, ok := wordCommands[strings.ToLower(text)]; ok && c == "undo" {
		// "취소" while editing: stop editing, keep the draft.
		d.Editing = false
		if _, err := e.store.SaveRule(ctx, d, s.now); err != nil {
			r, err := e.fail(s.lang, fmt.Errorf("conversation: rule draft: %w", err))
			return r, true, err
		}
		return []Reply{e.readback(ctx, s, d)}, true, nil
	}
	res, err := e.readRule(ctx, s, text)
	if err != nil {
		r, err := e.fail(s.lang, err)
		return r, true, err
	}
	amended := amend(d, res)
	if !res.Found.Any() {
		// Plain words fill the first blank a template left ("[작은 환영
		// 선물]"), else are the new text of the message.
		if loc := fillMarker.FindStringIndex(d.Action.Text); loc != nil && len([]rune(text)) <= 60 {
			amended.Action.Text = d.Action.Text[:loc[0]] + strings.TrimSpace(text) + d.Action.Text[loc[1]:]
		} else {
			amended.Action.Text = strings.TrimSpace(text)
		}
	}
	e.ruleDefaults(s.lang, &amended)
	r, err := e.saveDraft(ctx, s, amended, false)
	return r, true, err
}

// amend puts the parts an edit named into a draft. A whole rule (a
// trigger) replaces the trigger; a time, a text, an item, a number of days
// or an offer replace just that.
func amend(d crm.Rule, res ruletext.Result) crm.Rule {
	f, n := res.Found, res.Rule
	if f.Trigger {
		d.Trigger = n.Trigger
		d.Template = ""
		if f.Action {
			d.Action.Kind = n.Action.Kind
		}
	} else {
		if f.Item {
			d.Trigger.Item = n.Trigger.Item
		}
		if f.Before {
			d.Trigger.Before = n.Trigger.Before
		}
		if f.Rain {
			d.Trigger.Rain = n.Trigger.Rain
		}
		if f.Weekday {
			d.Trigger.Weekday = n.Trigger.Weekday
		}
		if f.Days && res.Days <= 3650 && res.Days >= -3650 {
			switch d.Trigger.Kind {
			case crm.TriggerAfterFirst, crm.TriggerNoVisit:
				if res.Days != 0 {
					d.Trigger.Days = abs(res.Days)
				}
			case crm.TriggerBooking:
				d.Trigger.Days = res.Days
			case crm.TriggerBirthday:
				d.Trigger.Days = abs(res.Days)
			}
		}
	}
	if f.Text {
		d.Action.Text = n.Action.Text
	}
	if f.Time {
		d.SendAt = n.SendAt
	}
	if f.Purpose {
		d.Action.Purpose = n.Action.Purpose
	}
	if f.Trigger && d.Action.Kind != crm.ActionStaff && n.Action.Purpose != "" {
		d.Action.Purpose = n.Action.Purpose
	}
	return d
}

// setRuleState pauses or resumes a rule.
func (e *Engine) setRuleState(ctx context.Context, s *session, r crm.Rule, st crm.RuleState, edit bool) ([]Reply, error) {
	if r.State == crm.RuleDraft {
		return e.stale(s), nil
	}
	r.State = st
	if _, err := e.store.SaveRule(ctx, r, s.now); err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: rule state: %w", err))
	}
	return []Reply{{Text: e.cat.T(s.lang, "journeys.now."+string(st), map[string]any{"Name": r.Name}), Edit: edit}}, nil
}

// deleteAsk asks before a rule goes.
func (e *Engine) deleteAsk(s *session, r crm.Rule, edit bool) []Reply {
	return []Reply{{Text: e.cat.T(s.lang, "journeys.delete_confirm", map[string]any{"Name": r.Name}), Edit: edit,
		Buttons: []Button{
			{Label: e.cat.T(s.lang, "journeys.button.delete", nil), Action: "rdelok:" + strconv.FormatInt(r.ID, 10)},
			{Label: e.cat.T(s.lang, "button.cancel", nil), Action: "cancel"}}}}
}
