package conversation

// The shop's side of messaging customers: "Send hello" from the digest,
// drafts the owner can edit before they go, /send and /offer, answering a
// customer, and linking a customer who joined by chat to a known card.
// Every message goes through the outbox (storage's QueueMessage), which
// decides in one transaction whether it may go, and when.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// ownerCustomerCommand runs the customer-messaging commands; ok is false
// for other commands.
func (e *Engine) ownerCustomerCommand(ctx context.Context, s *session, c, args string) ([]Reply, bool, error) {
	switch c {
	case "send":
		r, err := e.sendCommand(ctx, s, args, crm.PurposeReminders, "send.usage")
		return r, true, err
	case "offer":
		if !s.isOwner() {
			return e.ownerOnly(s), true, nil
		}
		r, err := e.sendCommand(ctx, s, args, crm.PurposeOffers, "offer.usage")
		return r, true, err
	case "qr":
		if !s.isOwner() {
			return e.ownerOnly(s), true, nil
		}
		r, err := e.qr(ctx, s)
		return r, true, err
	}
	return nil, false, nil
}

// ownerCustomerPress answers the buttons of customer messaging; ok is
// false for other buttons.
func (e *Engine) ownerCustomerPress(ctx context.Context, s *session, verb, arg string) ([]Reply, bool, error) {
	var r []Reply
	var err error
	switch verb {
	case "hello":
		r, err = e.hello(ctx, s, arg)
	case "hsend":
		r, err = e.sendDraft(ctx, s, arg)
	case "hedit":
		r, err = e.editDraft(ctx, s, arg)
	case "hcancel":
		r = []Reply{{Text: e.cat.T(s.lang, "action.cancelled", nil), Edit: true}}
		if err = e.store.DeleteDraft(ctx, s.shop.ID, s.msg.Platform, s.msg.UserID); err != nil {
			r, err = e.fail(s.lang, fmt.Errorf("conversation: cancel draft: %w", err))
		}
	case "creply":
		r, err = e.replyDraft(ctx, s, arg)
	case "jlink":
		r, err = e.linkJoined(ctx, s, arg)
	case "jnew":
		r, err = e.keepJoined(ctx, s, arg)
	default:
		return nil, false, nil
	}
	return r, true, err
}

// helloPurpose is birthday on the customer's birthday, else reminders.
func helloPurpose(c crm.Customer, today crm.Date) crm.Purpose {
	if !c.Birthday.IsZero() && c.Birthday.In(today.Year) == today {
		return crm.PurposeBirthday
	}
	return crm.PurposeReminders
}

// hello drafts a warm greeting for a customer from the digest, in the
// customer's language, with their name and favourite item.
func (e *Engine) hello(ctx context.Context, s *session, arg string) ([]Reply, error) {
	c, err := e.customerByID(ctx, s, arg)
	if err != nil {
		return e.stale(s), nil
	}
	if held, err := e.heldOutToday(ctx, s.shop, c.ID, s.today()); err != nil || held {
		if err != nil {
			return e.fail(s.lang, fmt.Errorf("conversation: hello: %w", err))
		}
		return one(e.cat.T(s.lang, "loop.hello_held_out", map[string]any{"Name": c.Name})), nil
	}
	link, err := e.store.CustomerLink(ctx, s.shop.ID, c.ID)
	if errors.Is(err, crm.ErrNotFound) {
		return one(e.blockedText(ctx, s, c.Name, crm.PurposeReminders, crm.Decision{Reason: crm.BlockNotLinked})), nil
	}
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: hello: %w", err))
	}
	purpose := helloPurpose(c, s.today())
	// Say at once what would stop it; the outbox decides for good at Send.
	evs, err := e.store.ConsentEvents(ctx, s.shop.ID, c.ID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: hello: %w", err))
	}
	switch {
	case !crm.Permits(crm.ConsentAt(evs, s.now), purpose):
		return one(e.blockedText(ctx, s, c.Name, purpose, crm.Decision{Reason: crm.BlockNoConsent})), nil
	case link.Status == crm.LinkUnreachable:
		return one(e.blockedText(ctx, s, c.Name, purpose, crm.Decision{Reason: crm.BlockUnreachable})), nil
	}
	visits, err := e.store.Visits(ctx, s.shop.ID, c.ID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: hello: %w", err))
	}
	data := map[string]any{"Name": c.Name, "Shop": s.shop.Name}
	key := "hello.draft_plain"
	if fav := crm.Favorites(visits, 1); len(fav) > 0 {
		key, data["Item"] = "hello.draft", fav[0].Name
	}
	if purpose == crm.PurposeBirthday {
		key = "hello.birthday"
	}
	d := crm.Draft{ShopID: s.shop.ID, Platform: s.msg.Platform, UserID: s.msg.UserID, CustomerID: c.ID,
		Purpose: purpose, Text: e.cat.T(link.Lang, key, data), CreatedAt: s.now}
	if err := e.store.SaveDraft(ctx, d); err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: hello: %w", err))
	}
	return []Reply{e.showDraft(s, c.Name, d)}, nil
}

// showDraft shows a draft with Send, Edit and Cancel.
func (e *Engine) showDraft(s *session, name string, d crm.Draft) Reply {
	id := strconv.FormatInt(d.CustomerID, 10)
	return Reply{
		Text: e.cat.T(s.lang, "draft.show", map[string]any{"Name": name, "Text": d.Text,
			"Purpose": e.cat.T(s.lang, "purpose."+string(d.Purpose), nil)}),
		Buttons: []Button{
			{Label: e.cat.T(s.lang, "button.send", nil), Action: "hsend:" + id},
			{Label: e.cat.T(s.lang, "button.edit", nil), Action: "hedit:" + id},
			{Label: e.cat.T(s.lang, "button.cancel", nil), Action: "hcancel"},
		},
	}
}

// draft returns the member's draft for customer arg while it is fresh.
func (e *Engine) draft(ctx context.Context, s *session, arg string) (crm.Draft, bool, error) {
	d, err := e.store.Draft(ctx, s.shop.ID, s.msg.Platform, s.msg.UserID)
	if errors.Is(err, crm.ErrNotFound) {
		return d, false, nil
	}
	if err != nil {
		return d, false, err
	}
	if arg != "" && strconv.FormatInt(d.CustomerID, 10) != arg || s.now.Sub(d.CreatedAt) > crm.DraftValidity {
		return d, false, nil
	}
	return d, true, nil
}

// sendDraft puts the member's draft through the outbox.
func (e *Engine) sendDraft(ctx context.Context, s *session, arg string) ([]Reply, error) {
	d, ok, err := e.draft(ctx, s, arg)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: send draft: %w", err))
	}
	if !ok || d.Text == "" {
		return e.stale(s), nil
	}
	c, err := e.store.Customer(ctx, s.shop.ID, d.CustomerID)
	if err != nil {
		return e.stale(s), nil
	}
	source := crm.SourceHello
	if d.Purpose == crm.PurposeReply {
		source = ""
	}
	r, err := e.queue(ctx, s, c, d.Purpose, d.Text, source)
	if err != nil {
		return r, err
	}
	if err := e.store.DeleteDraft(ctx, s.shop.ID, s.msg.Platform, s.msg.UserID); err != nil {
		e.log.Error("delete draft", "err", err)
	}
	r[0].Edit = true
	return r, nil
}

// editDraft makes the member's next message the draft's text.
func (e *Engine) editDraft(ctx context.Context, s *session, arg string) ([]Reply, error) {
	d, ok, err := e.draft(ctx, s, arg)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: edit draft: %w", err))
	}
	if !ok {
		return e.stale(s), nil
	}
	c, err := e.store.Customer(ctx, s.shop.ID, d.CustomerID)
	if err != nil {
		return e.stale(s), nil
	}
	d.Editing, d.CreatedAt = true, s.now
	if err := e.store.SaveDraft(ctx, d); err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: edit draft: %w", err))
	}
	return one(e.cat.T(s.lang, "draft.write", map[string]any{"Name": c.Name})), nil
}

// replyDraft starts an answer to a customer who wrote to the shop.
func (e *Engine) replyDraft(ctx context.Context, s *session, arg string) ([]Reply, error) {
	c, err := e.customerByID(ctx, s, arg)
	if err != nil {
		return e.stale(s), nil
	}
	d := crm.Draft{ShopID: s.shop.ID, Platform: s.msg.Platform, UserID: s.msg.UserID, CustomerID: c.ID,
		Purpose: crm.PurposeReply, Editing: true, CreatedAt: s.now}
	if err := e.store.SaveDraft(ctx, d); err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: reply: %w", err))
	}
	return one(e.cat.T(s.lang, "draft.write", map[string]any{"Name": c.Name})), nil
}

// draftText takes a member's message as the text of the draft they are
// editing; ok is false when they are not editing one. Commands are never
// taken as text.
func (e *Engine) draftText(ctx context.Context, s *session, text string) ([]Reply, bool, error) {
	if strings.HasPrefix(text, "/") {
		return nil, false, nil
	}
	d, ok, err := e.draft(ctx, s, "")
	if err != nil {
		r, err := e.fail(s.lang, fmt.Errorf("conversation: draft: %w", err))
		return r, true, err
	}
	if !ok || !d.Editing {
		return nil, false, nil
	}
	c, err := e.store.Customer(ctx, s.shop.ID, d.CustomerID)
	if err != nil {
		return nil, false, nil
	}
	d.Text, d.Editing, d.CreatedAt = text, false, s.now
	if err := e.store.SaveDraft(ctx, d); err != nil {
		r, err := e.fail(s.lang, fmt.Errorf("conversation: draft: %w", err))
		return r, true, err
	}
	return []Reply{e.showDraft(s, c.Name, d)}, true, nil
}

// sendCommand is "/send NAME text" (and "/offer NAME text"): the longest
// leading words that name exactly one customer are the name.
func (e *Engine) sendCommand(ctx context.Context, s *session, args string, p crm.Purpose, usage string) ([]Reply, error) {
	words := strings.Fields(args)
	if len(words) < 2 {
		return one(e.cat.T(s.lang, usage, nil)), nil
	}
	var found *crm.Customer
	var text string
	var several []crm.Customer
	severalName := ""
	for pass := 0; pass < 2 && found == nil; pass++ {
		for k := len(words) - 1; k >= 1 && found == nil; k-- {
			name := strings.Join(words[:k], " ")
			cands, err := e.store.FindCustomers(ctx, s.shop.ID, name)
			if err != nil {
				return e.fail(s.lang, fmt.Errorf("conversation: send: %w", err))
			}
			exact := exactMatches(cands, name)
			switch {
			case pass == 0 && len(exact) == 1:
				found = &exact[0]
			case pass == 1 && len(cands) == 1:
				found = &cands[0]
			case pass == 1 && len(cands) > 1 && several == nil:
				several, severalName = cands, name
			}
			if found != nil {
				text = strings.Join(words[k:], " ")
			}
		}
	}
	if found == nil {
		if several != nil {
			return one(e.cat.N(s.lang, "customer.several", len(several), map[string]any{"Name": severalName})), nil
		}
		return one(e.cat.T(s.lang, "customer.not_found", map[string]any{"Name": words[0]})), nil
	}
	source := crm.SourceSend
	if p == crm.PurposeOffers {
		source = crm.SourceOffer
	}
	return e.queue(ctx, s, *found, p, text, source)
}

// stopLines is the line that ends an offer, in every language.
func (e *Engine) stopLines() map[string]string {
	return map[string]string{crm.LangKorean: e.cat.T(crm.LangKorean, "outbox.stop_line", nil),
		crm.LangEnglish: e.cat.T(crm.LangEnglish, "outbox.stop_line", nil)}
}

// queue puts one message to a customer through the outbox and says in one
// line what became of it. source is who or what sends it (its exposure
// kind once sent), "" for a reply.
func (e *Engine) queue(ctx context.Context, s *session, c crm.Customer, p crm.Purpose, text, source string) ([]Reply, error) {
	_, d, err := e.store.QueueMessage(ctx, crm.OutboxInput{ShopID: s.shop.ID, CustomerID: c.ID, Purpose: p, Text: text,
		RequestedBy: s.msg.Platform + ":" + s.msg.UserID, At: s.now, StopLines: e.stopLines(), Cursor: s.cursor, Source: source})
	if err == nil {
		s.takeCursor() // stored with the message
	}
	if errors.Is(err, crm.ErrNotFound) {
		return e.stale(s), nil
	}
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: queue: %w", err))
	}
	data := map[string]any{"Name": c.Name}
	switch d.Verdict {
	case crm.VerdictSend:
		e.wakeOutbox()
		return one(e.cat.T(s.lang, "outbox.sent", data)), nil
	case crm.VerdictHold:
		data["At"] = e.when(s.lang, d.DueAt, s.shop.Location())
		return one(e.cat.T(s.lang, "outbox.held", data)), nil
	}
	return one(e.blockedText(ctx, s, c.Name, p, d)), nil
}

// blockedText says in one line why a message was not sent.
func (e *Engine) blockedText(ctx context.Context, s *session, name string, p crm.Purpose, d crm.Decision) string {
	data := map[string]any{"Name": name, "Purpose": e.cat.T(s.lang, "purpose."+string(p), nil)}
	switch d.Reason {
	case crm.BlockCap:
		capSetting, _ := e.store.ShopSetting(ctx, s.shop.ID, crm.SettingOutboxCap)
		pol := crm.PolicyFromSettings(capSetting, "", "", s.shop.Location())
		data["Days"], data["Limit"] = int(pol.CapWindow/(24*time.Hour)), pol.CapCount
		data["At"] = e.when(s.lang, d.CapUntil, s.shop.Location())
	case crm.BlockTooLong:
		data["Max"] = crm.MaxOutboxText
	}
	return e.cat.T(s.lang, "outbox.blocked."+string(d.Reason), data)
}

// when writes an instant as the shop reads it: "11/27 (금) 08:00".
func (e *Engine) when(lang string, t time.Time, loc *time.Location) string {
	return e.shortDate(lang, crm.DateOf(t, loc)) + " " + t.In(loc).Format("15:04")
}

// linkJoined makes the customer who joined by chat one with a card the
// shop already had. Only the owner may, and only for a pair the join
// notice offered: the person is linked to a chat, and the card is one of
// their name's candidates, not linked to anyone.
func (e *Engine) linkJoined(ctx context.Context, s *session, arg string) ([]Reply, error) {
	if !s.isOwner() {
		return e.ownerOnly(s), nil
	}
	newArg, oldArg, _ := strings.Cut(arg, ":")
	joined, err1 := e.customerByID(ctx, s, newArg)
	known, err2 := e.customerByID(ctx, s, oldArg)
	if err1 != nil || err2 != nil {
		return e.stale(s), nil
	}
	if _, err := e.store.CustomerLink(ctx, s.shop.ID, joined.ID); err != nil {
		return e.stale(s), nil
	}
	cands, err := e.linkCandidates(ctx, s.shop.ID, joined.ID, joined.Name)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: link customer: %w", err))
	}
	if !slices.ContainsFunc(cands, func(c crm.Customer) bool { return c.ID == known.ID }) {
		return e.stale(s), nil
	}
	err = e.store.MergeCustomer(ctx, s.shop.ID, joined.ID, known.ID)
	if errors.Is(err, crm.ErrNotFound) || errors.Is(err, crm.ErrInvalidInput) {
		return e.stale(s), nil
	}
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: link customer: %w", err))
	}
	return []Reply{{Text: e.cat.T(s.lang, "notice.linked", map[string]any{"Name": joined.Name, "Other": known.Name}), Edit: true}}, nil
}

// keepJoined leaves the customer who joined by chat a card of their own.
func (e *Engine) keepJoined(ctx context.Context, s *session, arg string) ([]Reply, error) {
	if !s.isOwner() {
		return e.ownerOnly(s), nil
	}
	c, err := e.customerByID(ctx, s, arg)
	if err != nil {
		return e.stale(s), nil
	}
	if _, err := e.store.CustomerLink(ctx, s.shop.ID, c.ID); err != nil {
		return e.stale(s), nil
	}
	return []Reply{{Text: e.cat.T(s.lang, "notice.kept_new", map[string]any{"Name": c.Name}), Edit: true}}, nil
}

// customerDigest adds the customer side to a digest reply: a "Send hello"
// button for each shown customer who agreed and can be reached, and how
// many customers were erased (on request, or past the retention period)
// since the last pushed digest. pushed records that those were reported,
// so a pushed digest says it once.
func (e *Engine) customerDigest(ctx context.Context, shop crm.Shop, entries []crm.DigestEntry, limit int, r Reply, pushed bool) Reply {
	lang := shop.Lang
	shown := entries
	if limit > 0 && len(shown) > limit {
		shown = shown[:limit]
	}
	for _, en := range shown {
		if en.Customer.Consent != crm.ConsentGranted {
			continue
		}
		link, err := e.store.CustomerLink(ctx, shop.ID, en.Customer.ID)
		if err != nil || link.Status != crm.LinkActive {
			continue
		}
		r.Buttons = append(r.Buttons, Button{Label: e.cat.T(lang, "button.hello", map[string]any{"Name": en.Customer.Name}),
			Action: "hello:" + strconv.FormatInt(en.Customer.ID, 10)})
	}
	seenSetting, err := e.store.ShopSetting(ctx, shop.ID, crm.SettingErasuresSeen)
	if err != nil {
		e.log.Error("digest erasures", "shop", shop.ID, "err", err)
		return r
	}
	seen, _ := strconv.ParseInt(seenSetting, 10, 64)
	counts, err := e.store.Erasures(ctx, shop.ID, seen)
	if err != nil {
		e.log.Error("digest erasures", "shop", shop.ID, "err", err)
		return r
	}
	last := seen
	for _, c := range counts {
		last = max(last, c.LastID)
		switch c.What {
		case crm.ErasureByCustomer:
			r.Text += "\n" + e.cat.N(lang, "digest.erased_by_customer", c.Count, nil)
		case crm.ErasureByRetention:
			r.Text += "\n" + e.cat.N(lang, "digest.erased_by_retention", c.Count, nil)
		}
	}
	if pushed && last > seen {
		if err := e.store.SetShopSetting(ctx, shop.ID, crm.SettingErasuresSeen, strconv.FormatInt(last, 10)); err != nil {
			e.log.Error("digest erasures", "shop", shop.ID, "err", err)
		}
	}
	return r
}
