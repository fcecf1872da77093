package telegram

import (
	"bytes"
	"context"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dangol/dangol/conversation"
)

// fileAPI is the part of the Bot API that uploads files; *bot.Bot is one.
type fileAPI interface {
	SendPhoto(ctx context.Context, p *bot.SendPhotoParams) (*models.Message, error)
	SendDocument(ctx context.Context, p *bot.SendDocumentParams) (*models.Message, error)
}

// files returns what uploads files: the api itself when it can, else the
// Bot API client.
func (b *Bot) files() fileAPI {
	if f, ok := b.api.(fileAPI); ok {
		return f
	}
	return b.tg
}

// sendFiles uploads a reply's photo (sendPhoto) and document
// (sendDocument) to t, after its text. Each attempt uploads the bytes
// afresh.
func (b *Bot) sendFiles(ctx context.Context, t target, r conversation.Reply) error {
	api := b.files()
	var replyTo *models.ReplyParameters
	if t.replyTo != 0 {
		replyTo = &models.ReplyParameters{MessageID: t.replyTo, AllowSendingWithoutReply: true}
	}
	if f := r.Photo; f != nil {
		err := b.retry(ctx, func(ctx context.Context) error {
			_, err := api.SendPhoto(ctx, &bot.SendPhotoParams{ChatID: t.chatID, MessageThreadID: t.threadID,
				ReplyParameters: replyTo,
				Photo:           &models.InputFileUpload{Filename: f.Name, Data: bytes.NewReader(f.Data)}})
			return err
		})
		if err != nil {
			return b.wrapChatErr("sendPhoto", t.chatID, err)
		}
	}
	if f := r.Document; f != nil {
		err := b.retry(ctx, func(ctx context.Context) error {
			_, err := api.SendDocument(ctx, &bot.SendDocumentParams{ChatID: t.chatID, MessageThreadID: t.threadID,
				ReplyParameters: replyTo,
				Document:        &models.InputFileUpload{Filename: f.Name, Data: bytes.NewReader(f.Data)}})
			return err
		})
		if err != nil {
			return b.wrapChatErr("sendDocument", t.chatID, err)
		}
	}
	if r.Photo != nil || r.Document != nil {
		b.reachable(t.chatID)
	}
	return nil
}
