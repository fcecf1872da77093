package conversation

import (
	"context"

	"github.com/dangol/dangol/crm"
)

// ruleTemplate is a one-tap journey: the cases shops tell, each a plain
// rule the owner can edit before saving. Its name, text and topic are in
// the catalog under journeys.tpl.KEY.
type ruleTemplate struct {
	key     string
	trigger crm.Trigger
	action  crm.ActionKind
	purpose crm.Purpose
	sendAt  string // "" for staff lines
	topic   bool   // a question: its topic is in the catalog
	item    bool   // the shop's best-selling item fills Trigger.Item
}

// ruleTemplates are the shipped templates, in the order they are offered.
var ruleTemplates = []ruleTemplate{
	{key: "bakery_bake", trigger: crm.Trigger{Kind: crm.TriggerWeekday}, action: crm.ActionMessage, purpose: crm.PurposeReminders,
		sendAt: "10:00", item: true},
	{key: "rainy_day", trigger: crm.Trigger{Kind: crm.TriggerDue, Ahead: 6, Rain: 60}, action: crm.ActionMessage,
		purpose: crm.PurposeReminders, sendAt: "09:00"},
	{key: "pt_care", trigger: crm.Trigger{Kind: crm.TriggerAfterFirst, Days: 14}, action: crm.ActionMessage,
		purpose: crm.PurposeReminders, sendAt: "10:00"},
	{key: "pt_towel", trigger: crm.Trigger{Kind: crm.TriggerWeekday, Before: "08:00"}, action: crm.ActionStaff},
	{key: "stay_before", trigger: crm.Trigger{Kind: crm.TriggerBooking, Days: -3, Anchor: crm.AnchorStart},
		action: crm.ActionMessage, purpose: crm.PurposeReminders, sendAt: "10:00"},
	{key: "stay_thanks", trigger: crm.Trigger{Kind: crm.TriggerBooking, Days: 0, Anchor: crm.AnchorEnd},
		action: crm.ActionMessage, purpose: crm.PurposeReminders, sendAt: "11:00"},
	{key: "stay_survey", trigger: crm.Trigger{Kind: crm.TriggerBooking, Days: 90, Anchor: crm.AnchorEnd},
		action: crm.ActionAsk, purpose: crm.PurposeReminders, sendAt: "11:00", topic: true},
	{key: "salon_cycle", trigger: crm.Trigger{Kind: crm.TriggerCycle}, action: crm.ActionMessage,
		purpose: crm.PurposeReminders, sendAt: "11:00"},
	{key: "book_release", trigger: crm.Trigger{Kind: crm.TriggerAnnouncement}, action: crm.ActionMessage,
		purpose: crm.PurposeOffers, sendAt: "11:00"},
	{key: "cafe_usual", trigger: crm.Trigger{Kind: crm.TriggerWeekday}, action: crm.ActionStaff},
	{key: "welcome_back", trigger: crm.Trigger{Kind: crm.TriggerNoVisit, Days: 60}, action: crm.ActionMessage,
		purpose: crm.PurposeOffers, sendAt: "11:00"},
}

// templateByKey returns a template.
func templateByKey(key string) (ruleTemplate, bool) {
	for _, t := range ruleTemplates {
		if t.key == key {
			return t, true
		}
	}
	return ruleTemplate{}, false
}

// fromTemplate makes the rule a template stands for, in the shop's
// language.
func (e *Engine) fromTemplate(ctx context.Context, shop crm.Shop, t ruleTemplate) crm.Rule {
	lang := shop.Lang
	r := crm.Rule{ShopID: shop.ID, State: crm.RuleDraft, Template: t.key, Trigger: t.trigger, SendAt: t.sendAt,
		Name:   e.cat.T(lang, "journeys.tpl."+t.key+".name", nil),
		Action: crm.Action{Kind: t.action, Purpose: t.purpose, Text: e.cat.T(lang, "journeys.tpl."+t.key+".text", nil)}}
	if t.topic {
		r.Action.Topic = e.cat.T(lang, "journeys.tpl."+t.key+".topic", nil)
	}
	if t.item {
		r.Trigger.Item = e.cat.T(lang, "journeys.tpl."+t.key+".item", nil)
		today := shop.Today(e.now())
		if top, err := e.store.TopItems(ctx, shop.ID, today.AddDays(-90), today, 1); err == nil && len(top) > 0 {
			r.Trigger.Item = top[0].Name
		}
	}
	r.Source = r.Name
	return r
}
