package conversation

import (
	"context"
	"fmt"
	"strings"

	"github.com/dangol/dangol/conversation/poster"
)

// JoinLink is the deep link that opens the bot on a shop's join notice:
// Telegram hands the bot "/start CODE".
func JoinLink(bot, shopCode string) string {
	return "https://t.me/" + strings.TrimPrefix(bot, "@") + "?start=" + shopCode
}

// qr answers /qr: a poster for the counter with the shop's name, what
// joining gives, and a QR code of the join link.
func (e *Engine) qr(_ context.Context, s *session) ([]Reply, error) {
	bot := s.msg.Bot
	if bot == "" {
		bot = e.botName
	}
	if bot == "" {
		return one(e.cat.T(s.lang, "qr.no_bot", nil)), nil
	}
	link := JoinLink(bot, s.shop.Code)
	png, err := poster.Draw(s.shop.Name, e.cat.T(s.lang, "qr.poster_line", nil), link)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: qr: %w", err))
	}
	return []Reply{{Text: e.cat.T(s.lang, "qr.caption", map[string]any{"Shop": s.shop.Name, "Link": link}),
		Photo: &File{Name: "dangol-qr-" + s.shop.Code + ".png", Data: png}}}, nil
}
