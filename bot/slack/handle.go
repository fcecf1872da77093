package slack

import (
	"context"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/dangol/dangol/conversation"
)

// target is where the replies to one envelope go.
type target struct {
	channel string
	thread  string // thread_ts of new messages; "" posts them at the top level
	// ts is the message whose button was pressed; the first Reply with
	// Edit replaces it. "" when there is none.
	ts string
}

// isDM reports whether channel is a direct message with the bot.
func isDM(channel string) bool { return strings.HasPrefix(channel, "D") }

// eventsAPI returns the job for an Events API event: a direct message or
// a mention. Everything else is ignored.
func (b *Bot) eventsAPI(e slackevents.EventsAPIEvent) job {
	switch ev := e.InnerEvent.Data.(type) {
	case *slackevents.MessageEvent:
		return b.directMessage(ev)
	case *slackevents.AppMentionEvent:
		return b.mention(ev)
	}
	return nil
}

// directMessage handles a message in a direct message with the bot.
// Messages in channels come as app_mention events when they are for the
// bot; edits, deletions, joins and the messages of bots (the bot's own
// included) are ignored.
func (b *Bot) directMessage(ev *slackevents.MessageEvent) job {
	if ev.ChannelType != "im" || ev.BotID != "" || ev.User == "" || ev.User == b.userID {
		return nil
	}
	switch ev.SubType {
	case "", "file_share":
	default:
		return nil
	}
	t := target{channel: ev.Channel, thread: ev.ThreadTimeStamp}
	text := incoming(ev.Text, b.userID)
	user := ev.User
	return func(ctx context.Context) {
		if text == "" {
			if ev.SubType == "file_share" {
				u := b.user(ctx, user)
				b.answer(ctx, t, []conversation.Reply{{Text: b.cat.T(u.lang, "slack.text_only", nil)}}, nil)
			}
			return
		}
		b.handle(ctx, t, user, "", conversation.Message{Text: asCommand(text)}, channelLinks(ev.Text))
	}
}

// mention handles a message in a channel that mentions the bot; the
// answer goes to the message's thread.
func (b *Bot) mention(ev *slackevents.AppMentionEvent) job {
	if ev.BotID != "" || ev.User == "" || ev.User == b.userID || ev.Edited != nil || isDM(ev.Channel) {
		return nil
	}
	thread := ev.ThreadTimeStamp
	if thread == "" {
		thread = ev.TimeStamp
	}
	t := target{channel: ev.Channel, thread: thread}
	text := incoming(ev.Text, b.userID)
	user := ev.User
	return func(ctx context.Context) {
		b.handle(ctx, t, user, "", conversation.Message{Text: asCommand(text)}, channelLinks(ev.Text))
	}
}

// interaction handles a pressed button (block_actions).
func (b *Bot) interaction(cb slack.InteractionCallback) job {
	if cb.Type != slack.InteractionTypeBlockActions || len(cb.ActionCallback.BlockActions) == 0 || cb.User.ID == "" {
		return nil
	}
	a := cb.ActionCallback.BlockActions[0]
	action := a.Value
	if action == "" {
		action = a.ActionID
	}
	channel := cb.Container.ChannelID
	if channel == "" {
		channel = cb.Channel.ID
	}
	if action == "" || channel == "" {
		return nil
	}
	ts := cb.Container.MessageTs
	if ts == "" {
		ts = cb.Message.Timestamp
	}
	thread := cb.Container.ThreadTs
	if thread == "" {
		thread = cb.Message.ThreadTimestamp
	}
	if thread == "" && !isDM(channel) {
		// In a channel, answers to a press go to the pressed message's
		// thread.
		thread = ts
	}
	t := target{channel: channel, thread: thread, ts: ts}
	if cb.Container.IsEphemeral {
		t.ts = ""
	}
	user, name := cb.User.ID, cb.User.Name
	return func(ctx context.Context) {
		if t.ts != "" && b.keyboards.gone(t.channel, t.ts, action) {
			b.log.Debug("slack: button no longer shown; press ignored", "channel", t.channel, "ts", t.ts, "action", action)
			return
		}
		b.handle(ctx, t, user, name, conversation.Message{Action: action}, nil)
	}
}

// slashCommand handles "/dangol …"; the answers come as direct messages,
// so that customer data never shows in a channel by way of the command.
func (b *Bot) slashCommand(c slack.SlashCommand) job {
	if c.UserID == "" {
		return nil
	}
	text := asSlashCommand(incoming(c.Text, b.userID))
	links := channelLinks(c.Text)
	return func(ctx context.Context) {
		dm, err := b.dmChannel(ctx, c.UserID)
		if err != nil {
			b.log.Error("slack: opening a direct message to answer a slash command", "user", c.UserID, "err", err)
			return
		}
		b.handle(ctx, target{channel: dm}, c.UserID, c.UserName, conversation.Message{Text: text}, links)
	}
}

// handle asks the engine about m from userID and shows the answers in t.
// links are the channels linked in the message, by id, whose names replace
// their ids in the answers.
func (b *Bot) handle(ctx context.Context, t target, userID, name string, m conversation.Message, links map[string]string) {
	u := b.user(ctx, userID)
	if u.name != "" {
		name = u.name
	}
	m.Platform, m.UserID, m.UserName, m.Lang = Platform, userID, name, u.lang
	replies, err := b.cfg.Handler.Handle(ctx, m)
	for i := range replies {
		replies[i].Text = nameChannels(replies[i].Text, links)
	}
	b.answer(ctx, t, replies, err)
}

// answer logs the engine's error, if any, and shows replies in t.
func (b *Bot) answer(ctx context.Context, t target, replies []conversation.Reply, handleErr error) {
	if handleErr != nil {
		b.log.Error("slack: handling a message", "channel", t.channel, "err", handleErr)
	}
	if err := b.deliver(ctx, t, replies); err != nil {
		b.log.Error("slack: answering", "channel", t.channel, "err", err)
	}
}

// user returns the name and language of a Slack user (users.info, kept for
// userTTL). Without the users:read scope both are empty: the engine then
// answers in the shop's language and the member has no name.
func (b *Bot) user(ctx context.Context, id string) userInfo {
	now := b.now()
	b.mu.Lock()
	u, ok := b.users[id]
	b.mu.Unlock()
	if ok && now.Sub(u.at) < userTTL {
		return u
	}
	u = userInfo{at: now}
	var info *slack.User
	err := b.call(ctx, func(ctx context.Context) error {
		var err error
		info, err = b.api.GetUserInfoContext(ctx, id)
		return err
	})
	if err != nil {
		b.log.Debug("slack: users.info", "user", id, "err", err)
		if errCode(err) == "" {
			// Not Slack's answer (a network error): ask again next time.
			return u
		}
	} else {
		u.lang = info.Locale
		for _, n := range []string{info.Profile.DisplayName, info.RealName, info.Profile.RealName, info.Name} {
			if n = strings.TrimSpace(n); n != "" {
				u.name = n
				break
			}
		}
	}
	b.mu.Lock()
	if len(b.users) >= cacheMax {
		clear(b.users)
	}
	b.users[id] = u
	b.mu.Unlock()
	return u
}
