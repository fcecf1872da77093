package conversation

// The customer side: people who open a shop's join link, agree (or not) to
// hear from it, and then talk to the bot in the same chat as the shop's
// staff. Every reply is about one shop; a person linked to several shops
// is asked which one, except for STOP, which stops every shop at once.
//
// Customer actions are idempotent (joining twice, stopping twice or
// toggling to a state already recorded changes nothing), so the message's
// stream cursor is saved after them rather than in their transactions.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/locales"
)

// NoticeVersion is the version of the texts a customer is shown when they
// join, stop, start or renew; the consent ledger records it with the
// language ("join/v3/ko"). Raise it whenever those texts change meaning.
// v2 names dislikes and the staff's memos among what is kept; v3 bookings,
// amounts paid and the usual time of day.
const NoticeVersion = "v3"

// maxCustomerName is the longest name a customer may give, in runes.
const maxCustomerName = 40

// customerWords are whole messages a customer may send, in either
// language, and what they mean.
var customerWords = map[string]string{
	"stop": "stop", "/stop": "stop", "unsubscribe": "stop", "수신거부": "stop", "수신 거부": "stop", "그만": "stop", "거부": "stop",
	"start": "start", "resume": "start", "다시 받기": "start", "다시받기": "start",
	"settings": "settings", "/settings": "settings", "설정": "settings",
	"my data": "data", "mydata": "data", "/mydata": "data", "내 정보": "data", "내정보": "data",
	"delete": "delete", "/delete": "delete", "forget me": "delete", "내 정보 삭제": "delete", "내정보 삭제": "delete", "내정보삭제": "delete",
	"help": "help", "/help": "help", "/start": "help", "도움말": "help",
}

// customerWord returns what a whole message means to the customer side,
// ignoring case and trailing punctuation; "" for anything else.
func customerWord(text string) string {
	t := strings.ToLower(strings.TrimRight(strings.TrimSpace(text), ".!?~ "))
	if name, _, ok := strings.Cut(t, "@"); ok && strings.HasPrefix(t, "/") {
		t = name // /stop@DangolBot
	}
	return customerWords[t]
}

// quietPresets are the customer's own quiet hours the settings button
// cycles through ("" is none: only the shop's).
var quietPresets = []string{"", "22:00-09:00", "20:00-10:00"}

func (e *Engine) wakeOutbox() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// notice returns the version of a notice text shown in lang, for the
// consent ledger.
func notice(kind, lang string) string { return kind + "/" + NoticeVersion + "/" + lang }

// customerChat answers a message from someone who is not a member of any
// shop when it is for the customer side; ok is false when it is not (an
// invitation, or a stranger's chatter).
func (e *Engine) customerChat(ctx context.Context, s *session) ([]Reply, bool, error) {
	fail := func(err error) ([]Reply, bool, error) {
		r, err := e.fail(s.lang, err)
		return r, true, err
	}
	if s.msg.Action != "" && !strings.HasPrefix(s.msg.Action, "c:") {
		return nil, false, nil
	}
	links, err := e.store.CustomerLinks(ctx, s.msg.Platform, s.msg.UserID)
	if err != nil {
		return fail(fmt.Errorf("conversation: customer links: %w", err))
	}
	if s.msg.Lang == "" && len(links) > 0 {
		s.lang = locales.Lang(links[0].Lang)
	}
	if s.msg.Action != "" {
		r, err := e.customerPress(ctx, s, links, strings.TrimPrefix(s.msg.Action, "c:"))
		return r, true, err
	}
	if s.msg.File != nil {
		if len(links) == 0 {
			return nil, false, nil
		}
		return one(e.cat.T(s.lang, "customer.text_only", nil)), true, nil
	}
	text, why, ok := clean(s.msg.Text)
	if !ok {
		if len(links) == 0 {
			return nil, false, nil
		}
		return one(e.cat.T(s.lang, why, nil)), true, nil
	}
	if strings.HasPrefix(text, "/") {
		name, args, _ := strings.Cut(strings.TrimPrefix(text, "/"), " ")
		name, _, _ = strings.Cut(name, "@")
		name = strings.ToLower(name)
		if args = strings.TrimSpace(args); name == "start" && args != "" {
			// A join link's code, or an invitation's: codes are checked
			// only while the sender may try (redeem checks everyone's
			// pause for invitations).
			if r, locked, err := e.codeLocked(ctx, s, false); locked {
				return r, true, err
			}
			shop, err := e.store.ShopByCode(ctx, args)
			if err == nil {
				r, err := e.joinNotice(ctx, s, shop, links)
				return r, true, err
			}
			if !errors.Is(err, crm.ErrNotFound) {
				return fail(fmt.Errorf("conversation: shop by code: %w", err))
			}
			if !IsCode(args) {
				// Not a join code, and not shaped like an invitation
				// (which redeem checks, and counts, next).
				e.codeFailed(ctx, s)
			}
		}
		if commandNames[name] == "claim" || name == "start" && args != "" {
			return nil, false, nil // an invitation
		}
	}
	word := customerWord(text)
	if word == "stop" {
		r, err := e.customerStop(ctx, s, links)
		return r, true, err
	}
	if len(links) == 0 {
		switch word {
		case "start", "settings", "data", "delete":
			return one(e.cat.T(s.lang, "customer.not_joined", nil)), true, nil
		}
		return nil, false, nil
	}
	if word == "" && !strings.HasPrefix(text, "/") {
		for _, l := range links {
			if l.AwaitingName {
				r, err := e.customerName(ctx, s, l, text)
				return r, true, err
			}
		}
	}
	if word == "" && strings.HasPrefix(text, "/") {
		word = "help" // a command customers do not have
	}
	switch word {
	case "help":
		r, err := e.customerHelp(ctx, s, links)
		return r, true, err
	case "start", "settings", "data", "delete":
		if len(links) > 1 {
			r, err := e.whichShop(ctx, s, links, word, "")
			return r, true, err
		}
		r, err := e.customerVerb(ctx, s, links, word, links[0].ShopID, "")
		return r, true, err
	}
	if word == "" && !strings.HasPrefix(text, "/") {
		if r, ok, err := e.answerQuestion(ctx, s, links, text); ok {
			return r, true, err
		}
	}
	r, err := e.passOn(ctx, s, links, text)
	return r, true, err
}

// customerPress answers a customer's button: "verb:shop[:arg]".
func (e *Engine) customerPress(ctx context.Context, s *session, links []crm.CustomerLink, action string) ([]Reply, error) {
	verb, rest, _ := strings.Cut(action, ":")
	shopArg, arg, _ := strings.Cut(rest, ":")
	if verb == "cancel" {
		return []Reply{{Text: e.cat.T(s.lang, "action.cancelled", nil), Edit: true}}, nil
	}
	shopID, err := strconv.ParseInt(shopArg, 10, 64)
	if err != nil {
		return e.stale(s), nil
	}
	return e.customerVerb(ctx, s, links, verb, shopID, arg)
}

func (e *Engine) stale(s *session) []Reply {
	return []Reply{{Text: e.cat.T(s.lang, "action.stale", nil), Edit: true}}
}

// customerVerb does one customer action about one shop.
func (e *Engine) customerVerb(ctx context.Context, s *session, links []crm.CustomerLink, verb string, shopID int64, arg string) ([]Reply, error) {
	shop, err := e.store.Shop(ctx, shopID)
	if errors.Is(err, crm.ErrNotFound) {
		return e.stale(s), nil
	}
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: shop: %w", err))
	}
	s.shop = shop
	switch verb {
	case "agree":
		lang, tail, _ := strings.Cut(arg, ":")
		if r, ok, err := e.openedOffer(ctx, s, fmt.Sprintf("c:agree:%d:%s", shopID, lang), tail); !ok {
			return r, err
		}
		return e.agree(ctx, s, links, lang)
	case "decline":
		if r, ok, err := e.openedOffer(ctx, s, fmt.Sprintf("c:decline:%d", shopID), arg); !ok {
			return r, err
		}
		return e.decline(ctx, s, links)
	}
	var link *crm.CustomerLink
	for i := range links {
		if links[i].ShopID == shopID {
			link = &links[i]
		}
	}
	if link == nil {
		return e.stale(s), nil
	}
	switch verb {
	case "name":
		if s.msg.UserName == "" || !link.AwaitingName {
			return e.stale(s), nil
		}
		return e.customerName(ctx, s, *link, s.msg.UserName)
	case "stop":
		return e.stopShops(ctx, s, []crm.CustomerLink{*link}, true)
	case "start":
		return e.customerStart(ctx, s, *link)
	case "settings":
		return e.customerSettings(ctx, s, *link, s.msg.Action != "")
	case "tog":
		return e.toggle(ctx, s, *link, crm.Purpose(arg))
	case "quiet":
		return e.cycleQuiet(ctx, s, *link)
	case "data":
		return e.myData(ctx, s, *link)
	case "dfact":
		return e.forgetFact(ctx, s, *link, arg)
	case "delete":
		data := map[string]any{"Shop": shop.Name}
		return []Reply{{Text: e.cat.T(s.lang, "customer.delete.confirm", data), Edit: s.msg.Action != "", Buttons: []Button{
			{Label: e.cat.T(s.lang, "button.delete_all", nil), Action: fmt.Sprintf("c:del:%d", shopID)},
			{Label: e.cat.T(s.lang, "button.cancel", nil), Action: "c:cancel"},
		}}}, nil
	case "del":
		return e.forgetMe(ctx, s, *link)
	case "renew":
		return e.renew(ctx, s, *link)
	case "to":
		return e.passOnPending(ctx, s, *link, arg)
	}
	return e.stale(s), nil
}

// whichShop asks which of the person's shops a word is about.
func (e *Engine) whichShop(ctx context.Context, s *session, links []crm.CustomerLink, verb, arg string) ([]Reply, error) {
	var buttons []Button
	for _, l := range links {
		shop, err := e.store.Shop(ctx, l.ShopID)
		if err != nil {
			return e.fail(s.lang, fmt.Errorf("conversation: shop: %w", err))
		}
		action := fmt.Sprintf("c:%s:%d", verb, l.ShopID)
		if arg != "" {
			action += ":" + arg
		}
		buttons = append(buttons, Button{Label: shop.Name, Action: action})
	}
	return one(e.cat.T(s.lang, "customer.which_shop", nil), buttons...), nil
}

// retention returns the shop's retention period in months.
func (e *Engine) retention(ctx context.Context, shopID int64) int {
	v, err := e.store.ShopSetting(ctx, shopID, crm.SettingRetentionMonths)
	if n, perr := strconv.Atoi(v); err == nil && perr == nil && n > 0 {
		return n
	}
	return crm.DefaultRetention
}

// joinNotice answers a shop's join link: what the shop keeps, why, for how
// long, how to stop and what may come, with Agree and No thanks. Nothing
// is stored.
func (e *Engine) joinNotice(ctx context.Context, s *session, shop crm.Shop, links []crm.CustomerLink) ([]Reply, error) {
	if s.msg.Lang == "" {
		s.lang = locales.Lang(shop.Lang)
	}
	for _, l := range links {
		if l.ShopID != shop.ID {
			continue
		}
		if l.AwaitingName {
			s.shop = shop
			return e.askName(s, false), nil
		}
		return one(e.cat.T(s.lang, "customer.join.already", map[string]any{"Shop": shop.Name})), nil
	}
	// The buttons are signed for this person and shop: only a valid join
	// code opens them (sign.go).
	agree, err := e.signed(ctx, s, fmt.Sprintf("c:agree:%d:%s", shop.ID, s.lang))
	if err != nil {
		return e.fail(s.lang, err)
	}
	decline, err := e.signed(ctx, s, fmt.Sprintf("c:decline:%d", shop.ID))
	if err != nil {
		return e.fail(s.lang, err)
	}
	return one(e.noticeText(ctx, s.lang, shop),
		Button{Label: e.cat.T(s.lang, "button.agree", nil), Action: agree},
		Button{Label: e.cat.T(s.lang, "button.decline", nil), Action: decline}), nil
}

// openedOffer checks that an Agree or No thanks press carries the
// signature of a join notice shown to this person for this shop; data is
// "c:agree:<shop>:<lang>" or "c:decline:<shop>", tail what followed it.
func (e *Engine) openedOffer(ctx context.Context, s *session, data, tail string) ([]Reply, bool, error) {
	ok, err := e.verified(ctx, s, data, tail, offerValidity)
	if err != nil {
		r, err := e.fail(s.lang, err)
		return r, false, err
	}
	if !ok {
		return []Reply{{Text: e.cat.T(s.lang, "customer.join.reopen", nil), Edit: true}}, false, nil
	}
	return nil, true, nil
}

func (e *Engine) noticeText(ctx context.Context, lang string, shop crm.Shop) string {
	return e.cat.T(lang, "customer.join.notice", map[string]any{"Shop": shop.Name, "Months": e.retention(ctx, shop.ID)})
}

// agree makes the person the shop's customer with every purpose granted,
// in one transaction, and asks their name.
func (e *Engine) agree(ctx context.Context, s *session, links []crm.CustomerLink, lang string) ([]Reply, error) {
	lang = locales.Lang(lang)
	s.lang = lang
	for _, l := range links {
		if l.ShopID == s.shop.ID {
			return one(e.cat.T(lang, "customer.join.already", map[string]any{"Shop": s.shop.Name})), nil
		}
	}
	name := s.msg.UserName
	if strings.TrimSpace(name) == "" || utf8.RuneCountInString(name) > maxCustomerName {
		name = e.cat.T(lang, "customer.join.placeholder_name", nil)
	}
	_, err := e.store.Join(ctx, crm.JoinInput{ShopID: s.shop.ID, Platform: s.msg.Platform, UserID: s.msg.UserID,
		Name: name, Lang: lang, Channel: s.msg.Platform, Notice: notice("join", lang), At: s.now})
	if errors.Is(err, crm.ErrAlreadyDone) {
		return one(e.cat.T(lang, "customer.join.already", map[string]any{"Shop": s.shop.Name})), nil
	}
	if err != nil {
		return e.fail(lang, fmt.Errorf("conversation: join: %w", err))
	}
	agreed := e.noticeText(ctx, lang, s.shop) + "\n\n" +
		e.cat.T(lang, "customer.join.agreed", map[string]any{"Date": e.shortDate(lang, s.today())})
	return append([]Reply{{Text: agreed, Edit: true}}, e.askName(s, true)...), nil
}

// askName asks what the shop should call the customer, offering the
// messenger's name as a button.
func (e *Engine) askName(s *session, thanks bool) []Reply {
	key := "customer.join.ask_name"
	if !thanks {
		key = "customer.join.ask_name_again"
	}
	n := strings.TrimSpace(s.msg.UserName)
	button := n != "" && utf8.RuneCountInString(n) <= maxCustomerName
	if !button {
		key += "_typed" // no button to mention
	}
	r := Reply{Text: e.cat.T(s.lang, key, map[string]any{"Shop": s.shop.Name})}
	if button {
		r.Buttons = []Button{{Label: n, Action: fmt.Sprintf("c:name:%d", s.shop.ID)}}
	}
	return []Reply{r}
}

// decline keeps only that the person said no.
func (e *Engine) decline(ctx context.Context, s *session, links []crm.CustomerLink) ([]Reply, error) {
	for _, l := range links {
		if l.ShopID == s.shop.ID {
			return one(e.cat.T(s.lang, "customer.join.already", map[string]any{"Shop": s.shop.Name})), nil
		}
	}
	if err := e.store.RecordDecline(ctx, s.shop.ID, s.msg.Platform, s.msg.UserID, s.now); err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: decline: %w", err))
	}
	return []Reply{{Text: e.cat.T(s.lang, "customer.join.declined", nil), Edit: true}}, nil
}

// customerName gives the customer the name they chose and tells the shop's
// members, who may link them to a customer they already know.
func (e *Engine) customerName(ctx context.Context, s *session, l crm.CustomerLink, name string) ([]Reply, error) {
	shop, err := e.store.Shop(ctx, l.ShopID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: shop: %w", err))
	}
	s.shop = shop
	name = strings.Join(strings.Fields(name), " ")
	if name == "" || utf8.RuneCountInString(name) > maxCustomerName {
		return one(e.cat.T(s.lang, "customer.join.bad_name", map[string]any{"Max": maxCustomerName})), nil
	}
	if strings.IndexFunc(name, unicode.IsLetter) < 0 {
		// "1", "?": a button number or a slip, not what anyone is called.
		return one(e.cat.T(s.lang, "customer.join.name_letters", nil)), nil
	}
	if err := e.store.SetCustomerName(ctx, shop.ID, l.CustomerID, name); err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: customer name: %w", err))
	}
	notices, err := e.joinNotices(ctx, shop, l.CustomerID, name)
	if err == nil {
		err = e.store.QueueNotices(ctx, notices...)
	}
	if err != nil {
		// The customer is in; the shop hears of them in the card.
		e.log.Error("join notice", "shop", shop.ID, "err", err)
	}
	e.wakeOutbox()
	edit := s.msg.Action != ""
	return []Reply{{Text: e.cat.T(s.lang, "customer.join.welcome", map[string]any{"Name": name, "Shop": shop.Name}), Edit: edit}}, nil
}

// joinNotices tells each member that a customer joined. The owner also
// gets buttons to link them to a customer of the same name or keep them
// new, with a warning that the name is the person's own choice: linking
// shows them that card in "my data". Staff only hear of it.
func (e *Engine) joinNotices(ctx context.Context, shop crm.Shop, customerID int64, name string) ([]crm.Notice, error) {
	cands, err := e.linkCandidates(ctx, shop.ID, customerID, name)
	if err != nil {
		return nil, err
	}
	lang := shop.Lang
	var buttons []crm.OutboxButton
	for _, c := range cands {
		buttons = append(buttons, crm.OutboxButton{Label: e.cat.T(lang, "button.link_to", map[string]any{"Name": c.Name}),
			Action: fmt.Sprintf("jlink:%d:%d", customerID, c.ID)})
	}
	data := map[string]any{"Name": name}
	plain := e.cat.T(lang, "notice.joined", data)
	text := plain
	if len(buttons) > 0 {
		text = e.cat.T(lang, "notice.joined_match", data) + "\n" + e.cat.T(lang, "notice.joined_check", data)
		buttons = append(buttons, crm.OutboxButton{Label: e.cat.T(lang, "button.keep_new", nil),
			Action: fmt.Sprintf("jnew:%d", customerID)})
	}
	members, err := e.store.Members(ctx, shop.ID)
	if err != nil {
		return nil, err
	}
	out := make([]crm.Notice, 0, len(members))
	for _, m := range members {
		n := crm.Notice{ShopID: shop.ID, CustomerID: customerID, Platform: m.Platform, UserID: m.UserID, Text: plain, At: e.now()}
		if m.Role == crm.RoleOwner {
			n.Text, n.Buttons = text, buttons
		}
		out = append(out, n)
	}
	return out, nil
}

// maxLinkChoices is how many known customers a join notice offers.
const maxLinkChoices = 3

// linkCandidates returns the shop's customers a person who joined as
// customerID under name may be linked to: found by that name, not the
// person themselves, and not linked to a chat already. The owner's link
// button is honoured only for these.
func (e *Engine) linkCandidates(ctx context.Context, shopID, customerID int64, name string) ([]crm.Customer, error) {
	cands, err := e.store.FindCustomers(ctx, shopID, name)
	if err != nil {
		return nil, err
	}
	var out []crm.Customer
	for _, c := range cands {
		if c.ID == customerID || len(out) == maxLinkChoices {
			continue
		}
		if _, err := e.store.CustomerLink(ctx, shopID, c.ID); err == nil {
			continue // someone else already joined as them
		} else if !errors.Is(err, crm.ErrNotFound) {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// toMembers addresses a notice to every member of the shop.
func (e *Engine) toMembers(ctx context.Context, shop crm.Shop, customerID int64, text string, buttons []crm.OutboxButton) ([]crm.Notice, error) {
	members, err := e.store.Members(ctx, shop.ID)
	if err != nil {
		return nil, err
	}
	out := make([]crm.Notice, 0, len(members))
	for _, m := range members {
		out = append(out, crm.Notice{ShopID: shop.ID, CustomerID: customerID, Platform: m.Platform, UserID: m.UserID,
			Text: text, Buttons: buttons, At: e.now()})
	}
	return out, nil
}

// customerStop withdraws every purpose at every shop the person is linked
// to: a stop word must never fail to stop.
func (e *Engine) customerStop(ctx context.Context, s *session, links []crm.CustomerLink) ([]Reply, error) {
	if len(links) == 0 {
		return one(e.cat.T(s.lang, "customer.stop.nothing", nil)), nil
	}
	return e.stopShops(ctx, s, links, false)
}

func (e *Engine) stopShops(ctx context.Context, s *session, links []crm.CustomerLink, edit bool) ([]Reply, error) {
	var names []string
	for _, l := range links {
		shop, err := e.store.Shop(ctx, l.ShopID)
		if err != nil {
			return e.fail(s.lang, fmt.Errorf("conversation: stop: %w", err))
		}
		set := map[crm.Purpose]bool{}
		for _, p := range crm.ConsentPurposes {
			set[p] = false
		}
		if _, err := e.store.ChangeConsent(ctx, crm.ConsentChange{ShopID: l.ShopID, CustomerID: l.CustomerID, Set: set,
			Channel: s.msg.Platform, Notice: notice("stop", s.lang), At: s.now}); err != nil {
			return e.fail(s.lang, fmt.Errorf("conversation: stop: %w", err))
		}
		names = append(names, shop.Name)
	}
	text := e.cat.T(s.lang, "customer.stop.done", map[string]any{"Shops": strings.Join(names, ", ")})
	return []Reply{{Text: text, Edit: edit}}, nil
}

// customerStart grants again, as a fresh record, what the customer had
// chosen before they stopped everything (crm.ChoicesBeforeStop); every
// purpose when they never had a choice to go back to.
func (e *Engine) customerStart(ctx context.Context, s *session, l crm.CustomerLink) ([]Reply, error) {
	evs, err := e.store.ConsentEvents(ctx, l.ShopID, l.CustomerID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: start: %w", err))
	}
	restore := crm.ConsentPurposes
	if before, ok := crm.ChoicesBeforeStop(evs); ok && len(before) > 0 {
		restore = before
	}
	set := map[crm.Purpose]bool{}
	for _, p := range restore {
		set[p] = true
	}
	if _, err := e.store.ChangeConsent(ctx, crm.ConsentChange{ShopID: l.ShopID, CustomerID: l.CustomerID, Set: set, Fresh: true,
		Channel: s.msg.Platform, Notice: notice("start", s.lang), At: s.now}); err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: start: %w", err))
	}
	names := make([]string, len(restore))
	for i, p := range restore {
		names[i] = e.cat.T(s.lang, "purpose."+string(p), nil)
	}
	return []Reply{{Text: e.cat.T(s.lang, "customer.start.done", map[string]any{"Shop": s.shop.Name,
		"What": strings.Join(names, ", ")}), Edit: s.msg.Action != ""}}, nil
}

// renew answers "keep them coming" to a renewal question: the purposes
// still granted are granted afresh. Without an open question (answered
// already, or never asked) the button is stale.
func (e *Engine) renew(ctx context.Context, s *session, l crm.CustomerLink) ([]Reply, error) {
	if l.RenewalAsked.IsZero() {
		return e.stale(s), nil
	}
	evs, err := e.store.ConsentEvents(ctx, l.ShopID, l.CustomerID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: renew: %w", err))
	}
	st := crm.ConsentAt(evs, s.now)
	set := map[crm.Purpose]bool{}
	for _, p := range crm.ConsentPurposes {
		if st.Granted(p) {
			set[p] = true
		}
	}
	if len(set) == 0 {
		return e.stale(s), nil
	}
	if _, err := e.store.ChangeConsent(ctx, crm.ConsentChange{ShopID: l.ShopID, CustomerID: l.CustomerID, Set: set, Fresh: true,
		Channel: s.msg.Platform, Notice: notice("renew", s.lang), At: s.now}); err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: renew: %w", err))
	}
	return []Reply{{Text: e.cat.T(s.lang, "customer.renew.done", map[string]any{"Shop": s.shop.Name}), Edit: true}}, nil
}

// customerSettings shows what the customer receives, with a button per
// purpose and one for their quiet hours.
func (e *Engine) customerSettings(ctx context.Context, s *session, l crm.CustomerLink, edit bool) ([]Reply, error) {
	evs, err := e.store.ConsentEvents(ctx, l.ShopID, l.CustomerID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: settings: %w", err))
	}
	st := crm.ConsentAt(evs, s.now)
	lines := []string{e.cat.T(s.lang, "customer.settings.head", map[string]any{"Shop": s.shop.Name})}
	var buttons []Button
	for _, p := range crm.ConsentPurposes {
		state := e.cat.T(s.lang, "customer.settings.off", nil)
		if st.Granted(p) {
			state = e.cat.T(s.lang, "customer.settings.on", nil)
		}
		data := map[string]any{"Purpose": e.cat.T(s.lang, "purpose."+string(p), nil), "State": state}
		line := e.cat.T(s.lang, "customer.settings.line", data)
		lines = append(lines, line)
		buttons = append(buttons, Button{Label: line, Action: fmt.Sprintf("c:tog:%d:%s", l.ShopID, p)})
	}
	shopQuiet, err := e.store.ShopSetting(ctx, l.ShopID, crm.SettingQuietHours)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: settings: %w", err))
	}
	var hours []string
	for _, q := range crm.PolicyFromSettings("", shopQuiet, l.Quiet, s.shop.Location()).Quiet {
		hours = append(hours, q.String())
	}
	lines = append(lines, e.cat.T(s.lang, "customer.settings.quiet", map[string]any{"Hours": strings.Join(hours, ", ")}))
	buttons = append(buttons, Button{Label: e.cat.T(s.lang, "customer.settings.quiet_button", nil),
		Action: fmt.Sprintf("c:quiet:%d", l.ShopID)})
	return []Reply{{Text: strings.Join(lines, "\n"), Buttons: buttons, Edit: edit}}, nil
}

// toggle flips one purpose.
func (e *Engine) toggle(ctx context.Context, s *session, l crm.CustomerLink, p crm.Purpose) ([]Reply, error) {
	if !crm.IsConsentPurpose(p) {
		return e.stale(s), nil
	}
	evs, err := e.store.ConsentEvents(ctx, l.ShopID, l.CustomerID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: toggle: %w", err))
	}
	want := !crm.ConsentAt(evs, s.now).Granted(p)
	if _, err := e.store.ChangeConsent(ctx, crm.ConsentChange{ShopID: l.ShopID, CustomerID: l.CustomerID,
		Set: map[crm.Purpose]bool{p: want}, Channel: s.msg.Platform, Notice: notice("settings", s.lang), At: s.now}); err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: toggle: %w", err))
	}
	return e.customerSettings(ctx, s, l, true)
}

// cycleQuiet moves the customer's own quiet hours to the next preset.
func (e *Engine) cycleQuiet(ctx context.Context, s *session, l crm.CustomerLink) ([]Reply, error) {
	next := quietPresets[0]
	for i, q := range quietPresets {
		if q == l.Quiet {
			next = quietPresets[(i+1)%len(quietPresets)]
		}
	}
	l.Quiet = next
	if err := e.store.UpdateLink(ctx, l); err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: quiet hours: %w", err))
	}
	return e.customerSettings(ctx, s, l, true)
}

// forgetMe erases everything the shop keeps about the customer, after
// their confirmation; the shop learns of it, without the name, in the
// next digest.
func (e *Engine) forgetMe(ctx context.Context, s *session, l crm.CustomerLink) ([]Reply, error) {
	err := e.store.EraseCustomer(ctx, l.ShopID, l.CustomerID, crm.ErasureByCustomer, s.now)
	if errors.Is(err, crm.ErrNotFound) {
		return e.stale(s), nil
	}
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: forget me: %w", err))
	}
	return []Reply{{Text: e.cat.T(s.lang, "customer.delete.done", map[string]any{"Shop": s.shop.Name}), Edit: true}}, nil
}

// customerHelp says what a customer can send.
func (e *Engine) customerHelp(ctx context.Context, s *session, links []crm.CustomerLink) ([]Reply, error) {
	var names []string
	for _, l := range links {
		shop, err := e.store.Shop(ctx, l.ShopID)
		if err != nil {
			return e.fail(s.lang, fmt.Errorf("conversation: help: %w", err))
		}
		names = append(names, shop.Name)
	}
	return one(e.cat.T(s.lang, "customer.help", map[string]any{"Shops": strings.Join(names, ", ")})), nil
}

// passOn hands anything else a customer writes to the shop's members, as
// a message from that customer. With several shops, the person picks one
// first; the text waits as a pending note of theirs meanwhile.
func (e *Engine) passOn(ctx context.Context, s *session, links []crm.CustomerLink, text string) ([]Reply, error) {
	if len(links) == 1 {
		return e.deliverToShop(ctx, s, links[0], text)
	}
	p, err := e.store.SavePending(ctx, crm.Pending{ShopID: links[0].ShopID, Platform: s.msg.Platform,
		AuthorID: s.msg.UserID, Text: text, CreatedAt: s.now})
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: pass on: %w", err))
	}
	return e.whichShop(ctx, s, links, "to", fmt.Sprintf("%d:%d", p.ShopID, p.ID))
}

// passOnPending delivers a waiting text to the shop the person picked.
func (e *Engine) passOnPending(ctx context.Context, s *session, l crm.CustomerLink, arg string) ([]Reply, error) {
	shopArg, idArg, _ := strings.Cut(arg, ":")
	pshop, err1 := strconv.ParseInt(shopArg, 10, 64)
	id, err2 := strconv.ParseInt(idArg, 10, 64)
	if err1 != nil || err2 != nil {
		return e.stale(s), nil
	}
	p, err := e.store.TakeOwnPending(ctx, pshop, id, s.msg.Platform, s.msg.UserID)
	if errors.Is(err, crm.ErrNotFound) {
		return e.stale(s), nil
	}
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: pass on: %w", err))
	}
	r, err := e.deliverToShop(ctx, s, l, p.Text)
	for i := range r {
		r[i].Edit = true
	}
	return r, err
}

// deliverToShop queues the customer's text for the shop's members.
func (e *Engine) deliverToShop(ctx context.Context, s *session, l crm.CustomerLink, text string) ([]Reply, error) {
	shop, err := e.store.Shop(ctx, l.ShopID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: pass on: %w", err))
	}
	c, err := e.store.Customer(ctx, l.ShopID, l.CustomerID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: pass on: %w", err))
	}
	msg := e.cat.T(shop.Lang, "notice.customer_wrote", map[string]any{"Name": c.Name, "Text": text})
	notices, err := e.toMembers(ctx, shop, c.ID, msg, []crm.OutboxButton{
		{Label: e.cat.T(shop.Lang, "button.reply", nil), Action: fmt.Sprintf("creply:%d", c.ID)}})
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: pass on: %w", err))
	}
	if err := e.store.QueueNotices(ctx, notices...); err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: pass on: %w", err))
	}
	l.LastInbound = s.now
	if s.msg.Lang != "" {
		l.Lang = locales.Lang(s.msg.Lang)
	}
	if err := e.store.UpdateLink(ctx, l); err != nil {
		e.log.Error("customer link", "shop", l.ShopID, "err", err)
	}
	e.wakeOutbox()
	return one(e.cat.T(s.lang, "customer.passed_on", map[string]any{"Shop": shop.Name})), nil
}
