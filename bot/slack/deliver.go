package slack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
)

var _ conversation.ShopSender = (*Bot)(nil)

// deliver shows replies in t: the first reply with Edit replaces the
// pressed message (chat.update), everything else is posted. A reply's
// photo and document are uploaded as files after its text.
func (b *Bot) deliver(ctx context.Context, t target, replies []conversation.Reply) error {
	var errs []error
	for _, r := range replies {
		text := unslash(strings.TrimSpace(r.Text))
		blocks, actions := layout(text, r.Buttons)
		if len(blocks) > 0 {
			if err := b.show(ctx, &t, r, text, blocks, actions); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		if err := b.uploadFiles(ctx, t, r, text); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// show posts a reply's text, or puts it in place of the pressed message.
func (b *Bot) show(ctx context.Context, t *target, r conversation.Reply, text string, blocks []slack.Block, actions []string) error {
	if r.Edit && t.ts != "" {
		ts := t.ts
		t.ts = ""
		err := b.update(ctx, t.channel, ts, text, blocks)
		if err == nil {
			b.keyboards.set(t.channel, ts, actions)
			return nil
		}
		switch errCode(err) {
		case "message_not_found", "cant_update_message", "edit_window_closed":
			// Gone or too old: show the reply as a new message.
		default:
			return err
		}
	}
	return b.post(ctx, t.channel, t.thread, text, blocks)
}

// uploadFiles shares a reply's photo and document in t as files (Slack's
// upload in three steps), the reply's text as the image's alt text.
func (b *Bot) uploadFiles(ctx context.Context, t target, r conversation.Reply, text string) error {
	var errs []error
	for _, f := range []*conversation.File{r.Photo, r.Document} {
		if f == nil || len(f.Data) == 0 {
			continue
		}
		err := b.call(ctx, func(ctx context.Context) error {
			_, err := b.api.UploadFileContext(ctx, slack.UploadFileParameters{Reader: bytes.NewReader(f.Data), FileSize: len(f.Data),
				Filename: f.Name, Title: f.Name, Channel: t.channel, ThreadTimestamp: t.thread, AltTxt: truncate(text, maxAltText)})
			return err
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("upload %s to %s: %w", f.Name, t.channel, err))
		}
	}
	return errors.Join(errs...)
}

// layout turns a reply into Block Kit: the text in plain-text sections
// (Slack shows it as written, without reading *bold* or links into it) and
// the buttons in actions blocks. Each button's value is the engine's
// action, and so is its action_id where Slack's limits allow. It returns
// the actions of the buttons shown.
func layout(text string, buttons []conversation.Button) ([]slack.Block, []string) {
	var blocks []slack.Block
	for _, part := range splitText(text, maxSectionText) {
		if len(blocks) == maxBlocks {
			break
		}
		blocks = append(blocks, slack.NewSectionBlock(slack.NewTextBlockObject(slack.PlainTextType, part, true, false), nil, nil))
	}
	var actions []string
	var row []slack.BlockElement
	ids := map[string]bool{}
	flush := func() {
		if len(row) > 0 {
			blocks = append(blocks, slack.NewActionBlock("", row...))
			row = nil
		}
	}
	for i, btn := range buttons {
		if btn.Action == "" || len(btn.Action) > maxValue {
			continue
		}
		if len(row) == 0 && len(blocks) == maxBlocks {
			break
		}
		id := btn.Action
		if len(id) > maxActionID || ids[id] {
			id = "dangol-" + strconv.Itoa(i)
		}
		ids[id] = true
		label := truncate(strings.TrimSpace(btn.Label), maxButtonText)
		if label == "" {
			label = btn.Action
		}
		el := slack.NewButtonBlockElement(id, btn.Action, slack.NewTextBlockObject(slack.PlainTextType, label, true, false))
		if strings.HasPrefix(btn.Action, "forget:") {
			el = el.WithStyle(slack.StyleDanger)
		}
		row = append(row, el)
		actions = append(actions, btn.Action)
		if len(row) == maxPerActions {
			flush()
		}
	}
	flush()
	return blocks, actions
}

// post sends a new message to channel, in thread when it is set. text is
// the notification text; blocks are what Slack shows.
func (b *Bot) post(ctx context.Context, channel, thread, text string, blocks []slack.Block) error {
	opts := []slack.MsgOption{slack.MsgOptionText(text, true), slack.MsgOptionBlocks(blocks...), slack.MsgOptionDisableLinkUnfurl()}
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	err := b.call(ctx, func(ctx context.Context) error {
		_, _, err := b.api.PostMessageContext(ctx, channel, opts...)
		return err
	})
	if err != nil {
		return fmt.Errorf("chat.postMessage to %s: %w", channel, err)
	}
	return nil
}

// update replaces message ts in channel; blocks without an actions block
// remove its buttons.
func (b *Bot) update(ctx context.Context, channel, ts, text string, blocks []slack.Block) error {
	err := b.call(ctx, func(ctx context.Context) error {
		_, _, _, err := b.api.UpdateMessageContext(ctx, channel, ts, slack.MsgOptionText(text, true), slack.MsgOptionBlocks(blocks...))
		return err
	})
	if err != nil {
		return fmt.Errorf("chat.update of %s in %s: %w", ts, channel, err)
	}
	return nil
}

// Send delivers a message that is not an answer, such as the digest, to a
// Slack user as a direct message. Reply.Edit is ignored.
func (b *Bot) Send(ctx context.Context, userID string, r conversation.Reply) error {
	dm, err := b.dmChannel(ctx, userID)
	if err == nil {
		r.Edit = false
		err = b.deliver(ctx, target{channel: dm}, []conversation.Reply{r})
	}
	if err != nil {
		return fmt.Errorf("slack: send to %s: %w", userID, err)
	}
	return nil
}

// SendShop delivers a shop's message, such as the morning digest, to its
// Slack members: once to the channel the owner chose (crm.SettingSlackDigestChannel),
// or, when none is set, to each of to as a direct message. When the
// channel cannot be posted to, the members get it directly and the error
// says why.
func (b *Bot) SendShop(ctx context.Context, shop crm.Shop, to []crm.Member, r conversation.Reply) error {
	r.Edit = false
	channel, err := b.cfg.Settings.ShopSetting(ctx, shop.ID, crm.SettingSlackDigestChannel)
	channel = strings.TrimSpace(channel)
	var chanErr error
	switch {
	case err != nil:
		chanErr = fmt.Errorf("slack: reading the digest channel of shop %d: %w", shop.ID, err)
	case channel != "":
		err := b.postToChannel(ctx, channel, r)
		if err == nil {
			return nil
		}
		chanErr = fmt.Errorf("slack: posting to digest channel %s of shop %d: %w", channel, shop.ID, err)
	}
	var errs []error
	sent := 0
	done := map[string]bool{}
	for _, m := range to {
		if (m.Platform != "" && m.Platform != Platform) || m.UserID == "" || done[m.UserID] {
			continue
		}
		done[m.UserID] = true
		if err := b.Send(ctx, m.UserID, r); err != nil {
			errs = append(errs, err)
			continue
		}
		sent++
	}
	if chanErr != nil {
		if sent > 0 {
			chanErr = fmt.Errorf("%w (sent to %d members directly instead)", chanErr, sent)
		}
		errs = append([]error{chanErr}, errs...)
	}
	return errors.Join(errs...)
}

// postToChannel posts r to a channel given by id ("C123") or name
// ("#counter"). A public channel the bot is not in is joined first.
func (b *Bot) postToChannel(ctx context.Context, channel string, r conversation.Reply) error {
	id := b.channelID(ctx, channel)
	err := b.deliver(ctx, target{channel: id}, []conversation.Reply{r})
	switch errCode(err) {
	case "not_in_channel":
		if strings.HasPrefix(id, "#") {
			return err
		}
		jerr := b.call(ctx, func(ctx context.Context) error {
			_, _, _, err := b.api.JoinConversationContext(ctx, id)
			return err
		})
		if jerr != nil {
			return errors.Join(err, fmt.Errorf("conversations.join %s: %w", id, jerr))
		}
		return b.deliver(ctx, target{channel: id}, []conversation.Reply{r})
	case "channel_not_found":
		b.mu.Lock()
		delete(b.channels, strings.ToLower(strings.TrimPrefix(channel, "#")))
		b.mu.Unlock()
	}
	return err
}

// channelID returns the id of a channel written as "#name", found with
// conversations.list (kept once found); an id is returned as it is. When
// the name cannot be looked up (no channels:read scope, say), the name is
// returned: chat.postMessage accepts it too.
func (b *Bot) channelID(ctx context.Context, channel string) string {
	if !strings.HasPrefix(channel, "#") {
		return channel
	}
	name := strings.ToLower(strings.TrimPrefix(channel, "#"))
	b.mu.Lock()
	id, ok := b.channels[name]
	b.mu.Unlock()
	if ok {
		return id
	}
	p := &slack.GetConversationsParameters{Types: []string{"public_channel", "private_channel"}, ExcludeArchived: true, Limit: 200}
	for page := 0; page < 50; page++ {
		var list []slack.Channel
		var next string
		err := b.call(ctx, func(ctx context.Context) error {
			var err error
			list, next, err = b.api.GetConversationsContext(ctx, p)
			return err
		})
		if err != nil {
			b.log.Debug("slack: conversations.list; posting by the channel's name", "channel", channel, "err", err)
			return channel
		}
		for _, c := range list {
			if strings.EqualFold(c.Name, name) {
				b.mu.Lock()
				if len(b.channels) >= cacheMax {
					clear(b.channels)
				}
				b.channels[name] = c.ID
				b.mu.Unlock()
				return c.ID
			}
		}
		if next == "" {
			break
		}
		p.Cursor = next
	}
	return channel
}

// dmChannel returns the direct message channel with a user
// (conversations.open, kept once opened).
func (b *Bot) dmChannel(ctx context.Context, userID string) (string, error) {
	b.mu.Lock()
	id, ok := b.dms[userID]
	b.mu.Unlock()
	if ok {
		return id, nil
	}
	var c *slack.Channel
	err := b.call(ctx, func(ctx context.Context) error {
		var err error
		c, _, _, err = b.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{userID}})
		return err
	})
	if err != nil {
		return "", fmt.Errorf("conversations.open with %s: %w", userID, err)
	}
	if c == nil || c.ID == "" {
		return "", fmt.Errorf("conversations.open with %s: no channel in the answer", userID)
	}
	b.mu.Lock()
	if len(b.dms) >= cacheMax {
		clear(b.dms)
	}
	b.dms[userID] = c.ID
	b.mu.Unlock()
	return c.ID, nil
}
