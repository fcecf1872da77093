package telegram

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"github.com/dangol/dangol/bot/telegram/internal/tgemu"
)

// The weekly report reaches Telegram as its text, then the chart as a
// photo.
func TestReportIsAPhotoWithItsText(t *testing.T) {
	t.Parallel()
	s := newStack(t, "ko")
	s.start()
	s.claim(owner)
	s.send(owner, "김민지 크루아상 어제")
	s.send(owner, "/리포트")
	ms := s.e.WaitBotMessagesFunc(t, owner.ID, wait, func(ms []tgemu.Message) bool {
		return len(ms[len(ms)-1].Photo) > 0
	}, "the chart")
	img, err := png.Decode(bytes.NewReader(ms[len(ms)-1].Photo))
	if err != nil || img.Bounds().Dx() != 900 || img.Bounds().Dy() != 1000 {
		t.Fatalf("chart: %v", err)
	}
	if text := ms[len(ms)-2].Text; !strings.Contains(text, "주간 리포트") || !strings.Contains(text, "방문") {
		t.Fatalf("report text %q", text)
	}
}
