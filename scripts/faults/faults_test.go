package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestFaultsSmall runs the fault script at a small size, in the same
// shape as the full run (README): notes from 20 chats, one of them a note
// a second, two kill -9s with downtime, a ledger sent in the middle.
func TestFaultsSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("the fault script takes a minute or two")
	}
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not on PATH (CI needs the Telegram emulator)", tool)
			}
			t.Skipf("%s is not on PATH", tool)
		}
	}
	var log strings.Builder
	r, err := Run(context.Background(), Config{Notes: 300, Chats: 20, Kills: 2, Down: 5 * time.Second, ChatMB: 3, CLIMB: 2,
		Dir: t.TempDir(), Log: &log, Seed: 1})
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	t.Logf("\n%s", r)
	if !r.OK() {
		t.Fatalf("faults:\n%s\n%s", r, log.String())
	}
}
