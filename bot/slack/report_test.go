package slack

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
)

// The weekly report's chart reaches Slack as a file shared in the same
// conversation, after its text summary (which is also its alt text).
func TestReportChartIsUploadedAsAFile(t *testing.T) {
	h := newHarness(t)
	h.claim()
	h.dm(ownerID, "Kim, croissant, yesterday")
	c := h.dm(ownerID, "report")
	if !strings.Contains(c.Shown(), "Weekly report") {
		t.Fatalf("report text: %q", c.Shown())
	}
	var files []upload
	eventually(t, "the chart shared", func() bool { files = h.fake.shared(); return len(files) == 1 })
	f := files[0]
	if f.Channel != c.Channel || !strings.HasSuffix(f.Name, ".png") || !strings.HasPrefix(f.Alt, "📊 Weekly report") {
		t.Fatalf("upload %+v (message in %s)", f, c.Channel)
	}
	img, err := png.Decode(bytes.NewReader(f.Data))
	if err != nil || img.Bounds().Dx() != 900 {
		t.Fatalf("chart: %v", err)
	}
}
