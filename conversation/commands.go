package conversation

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dangol/dangol/conversation/parse"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/locales"
)

// command names, each with its Korean alias. The first name is the one
// menus show.
var commandNames = map[string]string{
	"help": "help", "도움말": "help", "start": "help",
	"undo": "undo", "취소": "undo",
	"customer": "customer", "고객": "customer",
	"rename": "rename", "이름변경": "rename",
	"forget": "forget", "삭제": "forget",
	"lang": "lang", "언어": "lang",
	"alias": "alias", "별칭": "alias",
	"digest": "digest", "오늘": "digest", "다이제스트": "digest",
	"invite": "invite", "초대": "invite",
	"staff": "staff", "직원": "staff",
	"claim": "claim", "join": "claim", "등록": "claim",
	"greeted": "greeted", "인사함": "greeted",
	"settings": "settings", "설정": "settings",
	"qr": "qr", "send": "send", "보내기": "send", "offer": "offer", "광고": "offer",
	"report": "report", "리포트": "report", "주간": "report",
	"word": "word", "단어": "word",
	"rules": "rules", "rule": "rules", "규칙": "rules", "journeys": "rules", "여정": "rules",
	"new": "news", "news": "news", "announce": "news", "신간": "news", "신메뉴": "news", "소식": "news", "새소식": "news", "공지": "news",
}

// CommandFor returns the command a command word names (any case, without
// its slash): "undo" for "취소", "claim" for "join". Adapters where a
// leading slash is taken, such as Slack, use it to accept commands
// written without one.
func CommandFor(word string) (string, bool) {
	c, ok := commandNames[strings.ToLower(word)]
	return c, ok
}

// Commands returns the commands a member can use, for adapters' menus, with
// their descriptions in lang.
func (e *Engine) Commands(lang string) []Button {
	names := []string{"digest", "report", "customer", "undo", "greeted", "send", "offer", "rules", "new", "rename", "forget", "alias", "word", "invite", "staff", "qr", "settings", "lang", "help"}
	out := make([]Button, len(names))
	for i, n := range names {
		out[i] = Button{Label: e.cat.T(lang, "command."+n, nil), Action: n}
	}
	return out
}

// wordCommands are whole messages that act like commands.
var wordCommands = map[string]string{
	"undo": "undo", "취소": "undo", "되돌리기": "undo", "실행취소": "undo",
	"help": "help", "도움말": "help", "도움": "help", "/?": "help",
	"today": "digest", "오늘": "digest",
}

func one(text string, buttons ...Button) []Reply { return []Reply{{Text: text, Buttons: buttons}} }

// text answers a typed message.
func (e *Engine) text(ctx context.Context, s *session) ([]Reply, error) {
	text, why, ok := clean(s.msg.Text)
	if !ok {
		return one(e.cat.T(s.lang, why, nil)), nil
	}
	if r, ok, err := e.draftText(ctx, s, text); ok {
		return r, err
	}
	if r, ok, err := e.ruleDraftText(ctx, s, text); ok {
		return r, err
	}
	if strings.HasPrefix(text, "/") {
		return e.command(ctx, s, text)
	}
	if c, ok := wordCommands[strings.ToLower(text)]; ok {
		return e.run(ctx, s, c, "")
	}
	opt, err := e.parseOptions(ctx, s)
	if err != nil {
		return e.fail(s.lang, err)
	}
	return e.understood(ctx, s, text, parse.Parse(text, opt))
}

// understood answers a typed message the parser read as r.
func (e *Engine) understood(ctx context.Context, s *session, text string, r parse.Result) ([]Reply, error) {
	switch r.Intent {
	case parse.IntentNote:
		return e.note(ctx, s, text, r)
	case parse.IntentCorrection:
		return e.correction(ctx, s, text, r)
	case parse.IntentQuestion:
		return e.question(ctx, s, r)
	case parse.IntentLookup:
		return e.lookup(ctx, s, r.Customer)
	case parse.IntentDigest:
		return e.run(ctx, s, "digest", "")
	case parse.IntentGreeting:
		return one(e.cat.T(s.lang, "chat.greeting", nil)), nil
	case parse.IntentThanks:
		return one(e.cat.T(s.lang, "chat.thanks", nil)), nil
	case parse.IntentHelp:
		return e.run(ctx, s, "help", "")
	}
	return one(e.cat.T(s.lang, "note.hint", nil)), nil
}

// parseOptions is what the shop knows, for the note parser: its customers'
// and items' names, prepared for lookups once per version of them, the
// words it taught, its currency, its clock.
func (e *Engine) parseOptions(ctx context.Context, s *session) (parse.Options, error) {
	names, err := e.store.ShopNames(ctx, s.shop.ID)
	if err != nil {
		return parse.Options{}, fmt.Errorf("conversation: names: %w", err)
	}
	return parse.Options{Now: s.now, Loc: s.shop.Location(), Names: names.Customers, Items: names.Items,
		Lexicon: names.Lexicon, Known: e.known(s.shop.ID, names), Currency: s.shop.Currency}, nil
}

// known returns the shop's names prepared for the parser, prepared again
// only when they changed.
func (e *Engine) known(shopID int64, names *crm.ShopNames) *parse.Known {
	e.knownMu.Lock()
	k, ok := e.knownBy[shopID]
	e.knownMu.Unlock()
	if ok && k.names == names {
		return k.known
	}
	k = preparedNames{names: names, known: parse.NewKnown(names.Customers, names.Items)}
	e.knownMu.Lock()
	if e.knownBy == nil {
		e.knownBy = map[int64]preparedNames{}
	}
	e.knownBy[shopID] = k
	e.knownMu.Unlock()
	return k.known
}

// preparedNames is a shop's names and the parser's preparation of them.
type preparedNames struct {
	names *crm.ShopNames
	known *parse.Known
}

// command runs "/name args".
func (e *Engine) command(ctx context.Context, s *session, text string) ([]Reply, error) {
	name, args, _ := strings.Cut(strings.TrimPrefix(text, "/"), " ")
	name, _, _ = strings.Cut(name, "@") // Telegram: /undo@DangolBot
	c, ok := commandNames[strings.ToLower(name)]
	if !ok {
		return one(e.cat.T(s.lang, "command.unknown", map[string]any{"Name": name})), nil
	}
	return e.run(ctx, s, c, strings.TrimSpace(args))
}

func (e *Engine) run(ctx context.Context, s *session, c, args string) ([]Reply, error) {
	switch c {
	case "help":
		return one(e.cat.T(s.lang, "help", nil)), nil
	case "undo":
		return e.undoLast(ctx, s)
	case "customer":
		if args == "" {
			return one(e.cat.T(s.lang, "customer.usage", nil)), nil
		}
		return e.lookup(ctx, s, args)
	case "rename":
		return e.rename(ctx, s, args)
	case "forget":
		return e.forgetAsk(ctx, s, args)
	case "lang":
		return e.setLang(ctx, s, args)
	case "alias":
		return e.alias(ctx, s, args)
	case "digest":
		return e.digest(ctx, s, args)
	case "invite":
		return e.invite(ctx, s)
	case "staff":
		return e.staff(ctx, s, false)
	case "claim":
		return e.redeem(ctx, s, args)
	case "greeted":
		return e.greetedCommand(ctx, s, args)
	case "settings":
		return e.settings(ctx, s, args)
	case "report":
		return e.report(ctx, s, args)
	case "word":
		return e.wordCommand(ctx, s, args)
	case "rules":
		return e.rulesCommand(ctx, s, args)
	case "news":
		return e.newsCommand(ctx, s, args)
	}
	if r, ok, err := e.ownerCustomerCommand(ctx, s, c, args); ok {
		return r, err
	}
	return one(e.cat.T(s.lang, "command.unknown", map[string]any{"Name": c})), nil
}

func (s *session) isOwner() bool { return s.member.Role == crm.RoleOwner }

// ownerOnly is the answer to staff asking for an owner's command.
func (e *Engine) ownerOnly(s *session) []Reply { return one(e.cat.T(s.lang, "access.owner_only", nil)) }

// splitPair reads "A = B", "A -> B", "A → B", or two words "A B".
func splitPair(args string) (string, string, bool) {
	for _, sep := range []string{"=", "->", "→", "=>"} {
		if a, b, ok := strings.Cut(args, sep); ok {
			a, b = strings.TrimSpace(a), strings.TrimSpace(b)
			return a, b, a != "" && b != ""
		}
	}
	if f := strings.Fields(args); len(f) == 2 {
		return f[0], f[1], true
	}
	return "", "", false
}

func (e *Engine) rename(ctx context.Context, s *session, args string) ([]Reply, error) {
	oldName, newName, ok := splitPair(args)
	if !ok || len([]rune(newName)) > 60 {
		return one(e.cat.T(s.lang, "rename.usage", nil)), nil
	}
	c, replies, err := e.one(ctx, s, oldName, "")
	if c == nil {
		return replies, err
	}
	return e.record(ctx, s, "/rename "+args, crm.Change{CustomerID: c.ID, UsualWeekday: crm.NoWeekday, Rename: newName}, c.Name, false)
}

func (e *Engine) alias(ctx context.Context, s *session, args string) ([]Reply, error) {
	a, item, ok := splitPair(args)
	if !ok {
		return one(e.cat.T(s.lang, "alias.usage", nil)), nil
	}
	done := func(n crm.Note) []Reply {
		return one(e.cat.T(s.lang, "alias.done", map[string]any{"Alias": a, "Item": item}), e.undoButton(s, n.ID))
	}
	cursor := s.takeCursor()
	in := crm.NoteInput{ShopID: s.shop.ID, Platform: s.msg.Platform, AuthorID: s.msg.UserID,
		Text: "/alias " + args, At: s.now, Cursor: e.withReplies(s, cursor, done),
		Change: crm.Change{UsualWeekday: crm.NoWeekday, Alias: &crm.AliasInput{Alias: a, Item: item}}}
	n, err := e.store.RecordNote(ctx, in)
	if err != nil {
		s.cursor = cursor // nothing was saved, the cursor included
		return e.fail(s.lang, fmt.Errorf("conversation: alias: %w", err))
	}
	return done(n), nil
}

func (e *Engine) setLang(ctx context.Context, s *session, args string) ([]Reply, error) {
	if !s.isOwner() {
		return e.ownerOnly(s), nil
	}
	lang := strings.ToLower(strings.TrimSpace(args))
	switch lang {
	case "ko", "한국어", "korean":
		lang = crm.LangKorean
	case "en", "english", "영어":
		lang = crm.LangEnglish
	default:
		return one(e.cat.T(s.lang, "lang.usage", nil)), nil
	}
	s.shop.Lang = lang
	if err := e.store.UpdateShop(ctx, s.shop); err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: set lang: %w", err))
	}
	s.lang = locales.Lang(lang)
	return one(e.cat.T(s.lang, "lang.done", nil)), nil
}

// one finds exactly one customer called name. When there is none or
// several, c is nil and replies say so (with choices whose action is
// prefix+id, when prefix is not empty).
func (e *Engine) one(ctx context.Context, s *session, name, prefix string) (c *crm.Customer, replies []Reply, err error) {
	cands, err := e.store.FindCustomers(ctx, s.shop.ID, name)
	if err != nil {
		r, err := e.fail(s.lang, fmt.Errorf("conversation: find customer: %w", err))
		return nil, r, err
	}
	if exact := exactMatches(cands, name); len(exact) == 1 {
		return &exact[0], nil, nil
	}
	switch len(cands) {
	case 0:
		return nil, one(e.cat.T(s.lang, "customer.not_found", map[string]any{"Name": name})), nil
	case 1:
		return &cands[0], nil, nil
	}
	var buttons []Button
	if prefix != "" {
		for _, c := range cands {
			buttons = append(buttons, Button{Label: c.Name, Action: prefix + strconv.FormatInt(c.ID, 10)})
		}
	}
	return nil, one(e.cat.N(s.lang, "customer.several", len(cands), map[string]any{"Name": name}), buttons...), nil
}

// exactMatches keeps the customers whose full name or an alias is name.
func exactMatches(cands []crm.Customer, name string) []crm.Customer {
	var out []crm.Customer
	for _, c := range cands {
		if strings.EqualFold(c.Name, name) {
			out = append(out, c)
			continue
		}
		for _, a := range c.Aliases {
			if strings.EqualFold(a, name) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

func (e *Engine) forgetAsk(ctx context.Context, s *session, args string) ([]Reply, error) {
	if !s.isOwner() {
		return e.ownerOnly(s), nil
	}
	if args == "" {
		return one(e.cat.T(s.lang, "forget.usage", nil)), nil
	}
	c, replies, err := e.one(ctx, s, args, "forgetask:")
	if c == nil {
		return replies, err
	}
	return e.forgetConfirm(s, *c), nil
}

func (e *Engine) forgetConfirm(s *session, c crm.Customer) []Reply {
	data := map[string]any{"Name": c.Name}
	return one(e.cat.T(s.lang, "forget.confirm", data),
		Button{Label: e.cat.T(s.lang, "button.delete", data), Action: "forget:" + strconv.FormatInt(c.ID, 10)},
		Button{Label: e.cat.T(s.lang, "button.cancel", nil), Action: "cancel"})
}

// press answers a pressed button.
func (e *Engine) press(ctx context.Context, s *session, action string) ([]Reply, error) {
	verb, arg, _ := strings.Cut(action, ":")
	switch verb {
	case "undo":
		id, err := strconv.ParseInt(arg, 10, 64)
		if err != nil {
			break
		}
		return e.undo(ctx, s, id, true)
	case "pick":
		return e.pick(ctx, s, arg)
	case "merge":
		return e.merge(ctx, s, arg)
	case "card":
		if c, err := e.customerByID(ctx, s, arg); err == nil {
			return e.card(ctx, s, c, true)
		}
	case "forgetask":
		if !s.isOwner() {
			return e.ownerOnly(s), nil
		}
		if c, err := e.customerByID(ctx, s, arg); err == nil {
			r := e.forgetConfirm(s, c)
			r[0].Edit = true
			return r, nil
		}
	case "forget":
		return e.forget(ctx, s, arg)
	case "rmok", "rmkeep":
		return e.removeAnswer(ctx, s, arg, verb == "rmok")
	case "rmfact":
		return e.removeFactAsk(ctx, s, arg)
	case "rmfactok":
		return e.removeFact(ctx, s, arg)
	case "lex":
		return e.lexPress(ctx, s, arg)
	case "greeted":
		if c, err := e.customerByID(ctx, s, arg); err == nil {
			return e.greeted(ctx, s, c)
		}
	case "unstaff":
		return e.unstaff(ctx, s, arg)
	case "mdrop":
		return e.dropMemo(ctx, s, arg)
	case "mkeep":
		return e.keepMemo(ctx, s, arg)
	case "retention":
		return e.retentionPress(ctx, s, arg)
	case "cancel":
		return []Reply{{Text: e.cat.T(s.lang, "action.cancelled", nil), Edit: true}}, nil
	}
	if r, ok, err := e.ownerCustomerPress(ctx, s, verb, arg); ok {
		return r, err
	}
	if r, ok, err := e.journeyPress(ctx, s, verb, arg); ok {
		return r, err
	}
	return []Reply{{Text: e.cat.T(s.lang, "action.stale", nil), Edit: true}}, nil
}

func (e *Engine) customerByID(ctx context.Context, s *session, arg string) (crm.Customer, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return crm.Customer{}, fmt.Errorf("conversation: customer id %q: %w", arg, crm.ErrInvalidInput)
	}
	return e.store.Customer(ctx, s.shop.ID, id)
}

func (e *Engine) forget(ctx context.Context, s *session, arg string) ([]Reply, error) {
	if !s.isOwner() {
		return e.ownerOnly(s), nil
	}
	c, err := e.customerByID(ctx, s, arg)
	if errors.Is(err, crm.ErrNotFound) || errors.Is(err, crm.ErrInvalidInput) {
		return []Reply{{Text: e.cat.T(s.lang, "action.stale", nil), Edit: true}}, nil
	}
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: forget: %w", err))
	}
	if err := e.store.ForgetCustomer(ctx, s.shop.ID, c.ID, s.now); err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: forget: %w", err))
	}
	return []Reply{{Text: e.cat.T(s.lang, "forget.done", map[string]any{"Name": c.Name}), Edit: true}}, nil
}
