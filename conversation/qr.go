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
	placeholder := false
	if bot == "" && s.msg.Platform == consolePlatform {
		// The console has no bot of its own: the poster shows what it
		// would look like, and the reply how to try the customer side.
		bot, placeholder = PlaceholderBot, true
	}
	if bot == "" {
		return one(e.cat.T(s.lang, "qr.no_bot", nil)), nil
	}
	link := JoinLink(bot, s.shop.Code)
	png, err := poster.Draw(s.shop.Name, e.cat.T(s.lang, "qr.poster_line", nil), link)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: qr: %w", err))
	}
	text := e.cat.T(s.lang, "qr.caption", map[string]any{"Shop": s.shop.Name, "Link": link})
	if placeholder {
		text += "\n" + e.cat.T(s.lang, "qr.console_try", map[string]any{"Code": s.shop.Code})
	}
	return []Reply{{Text: text, Photo: &File{Name: "dangol-qr-" + s.shop.Code + ".png", Data: png}}}, nil
}

// PlaceholderBot is the bot name a console poster's link shows when no
// bot name is configured.
const PlaceholderBot = "YourShopBot"

// consolePlatform is the console adapter's platform name: its owner is
// not a messenger owner, and it has no bot of its own.
const consolePlatform = "console"
