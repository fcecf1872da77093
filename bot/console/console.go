// Package console is Dangol's terminal adapter: one message per input line,
// replies printed as plain text, buttons shown as numbered choices on their
// own line. It works interactively and from a pipe, so scripts and tests can
// drive the whole conversation without a messenger.
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"

	"github.com/dangol/dangol/conversation"
)

// Platform is the platform name console members are stored under.
const Platform = "console"

// Handler answers messages; *conversation.Engine is one.
type Handler interface {
	Handle(ctx context.Context, m conversation.Message) ([]conversation.Reply, error)
}

// Config is what the console needs.
type Config struct {
	Handler Handler
	In      io.Reader
	Out     io.Writer
	UserID  string // who is typing, as a console member
	Lang    string // the typist's language, for strangers
	Prompt  bool   // print "> " before each line (interactive use)
	Log     *slog.Logger
}

// Console is a running console chat.
type Console struct {
	cfg Config

	mu      sync.Mutex            // guards output and buttons
	buttons []conversation.Button // the latest buttons shown
}

// New returns a console chat for cfg.
func New(cfg Config) (*Console, error) {
	if cfg.Handler == nil || cfg.In == nil || cfg.Out == nil {
		return nil, errors.New("console: handler, input and output are required")
	}
	if cfg.UserID == "" {
		cfg.UserID = "owner"
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Console{cfg: cfg}, nil
}

// Send shows a message that is not an answer, such as the scheduled
// digest. Only the console's own typist sees the console.
func (c *Console) Send(_ context.Context, userID string, r conversation.Reply) error {
	if userID != c.cfg.UserID {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.show(r)
	return nil
}

// Print shows a line of text, such as a setup code.
func (c *Console) Print(text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintln(c.cfg.Out, text)
}

// Run reads lines until the input ends or ctx is cancelled.
func (c *Console) Run(ctx context.Context) error {
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(c.cfg.In)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		errc <- sc.Err()
		close(lines)
	}()
	for {
		if c.cfg.Prompt {
			c.mu.Lock()
			fmt.Fprint(c.cfg.Out, "> ")
			c.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				if err := <-errc; err != nil {
					return fmt.Errorf("console: read: %w", err)
				}
				return nil
			}
			c.handle(ctx, line)
		}
	}
}

func (c *Console) handle(ctx context.Context, line string) {
	m := conversation.Message{Platform: Platform, UserID: c.cfg.UserID, Lang: c.cfg.Lang, Text: line}
	c.mu.Lock()
	if a, ok := c.pressed(line); ok {
		m.Text, m.Action = "", a
	}
	c.mu.Unlock()
	replies, err := c.cfg.Handler.Handle(ctx, m)
	if err != nil {
		c.cfg.Log.Error("console message", "err", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range replies {
		c.show(r)
	}
}

// pressed reports whether line chooses one of the latest buttons, by its
// number or its label.
func (c *Console) pressed(line string) (string, bool) {
	line = strings.TrimSpace(line)
	if line == "" {
		return "", false
	}
	if n, err := strconv.Atoi(strings.Trim(line, "[]")); err == nil && n >= 1 && n <= len(c.buttons) {
		return c.buttons[n-1].Action, true
	}
	for _, b := range c.buttons {
		if strings.EqualFold(b.Label, line) {
			return b.Action, true
		}
	}
	return "", false
}

func (c *Console) show(r conversation.Reply) {
	fmt.Fprintln(c.cfg.Out, r.Text)
	c.buttons = r.Buttons
	if len(r.Buttons) == 0 {
		return
	}
	parts := make([]string, len(r.Buttons))
	for i, b := range r.Buttons {
		parts[i] = fmt.Sprintf("[%d] %s", i+1, b.Label)
	}
	fmt.Fprintln(c.cfg.Out, strings.Join(parts, "  "))
}
