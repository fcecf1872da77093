// Package console is Dangol's terminal adapter: one message per input line,
// replies printed as plain text, buttons shown as numbered choices on their
// own line. It works interactively and from a pipe, so scripts and tests can
// drive the whole conversation without a messenger.
//
// The console plays several people. "/as customer 1001" (optionally
// followed by ko or en) makes the next lines come from user 1001 and
// "/as owner" switches back. Every person is a user of the "console"
// platform, so a customer joins with "/start <shop code>" exactly as a
// Telegram user opening the shop's link does, and the same engine code
// runs. A message the outbox delivers to someone other than the owner is
// printed on its own line as "→ 1001: text". Photos and documents in
// replies are written to Config.Dir and their path printed.
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/locales"
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
	// Deliver, when set, delivers the outbox's due messages; it is called
	// after each line and once more when the input ends.
	Deliver func(ctx context.Context) error
	// Dir is where photos and documents in replies are written (default
	// os.TempDir()).
	Dir string
	// Catalog words the console's own lines; default the Handler's, when
	// it has one.
	Catalog *locales.Catalog
}

// Console is a running console chat.
type Console struct {
	cfg Config

	mu      sync.Mutex                       // guards output, buttons and who is typing
	buttons map[string][]conversation.Button // the latest buttons shown to each person
	user    string                           // who is typing now
	lang    string                           // their language
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
	if cfg.Dir == "" {
		cfg.Dir = os.TempDir()
	}
	if h, ok := cfg.Handler.(interface{ Catalog() *locales.Catalog }); ok && cfg.Catalog == nil {
		cfg.Catalog = h.Catalog()
	}
	return &Console{cfg: cfg, user: cfg.UserID, lang: cfg.Lang, buttons: map[string][]conversation.Button{}}, nil
}

// Send shows a message that is not an answer, such as the scheduled
// digest or a message from the outbox: as it is for the owner, and as
// "→ <user id>: <text>" for anyone else.
func (c *Console) Send(_ context.Context, userID string, r conversation.Reply) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if userID == c.cfg.UserID {
		c.show(userID, r)
		return nil
	}
	fmt.Fprintf(c.cfg.Out, "→ %s: %s\n", userID, r.Text)
	c.showButtons(userID, r.Buttons)
	return nil
}

// Print shows a line of text, such as a setup code.
func (c *Console) Print(text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintln(c.cfg.Out, text)
}

// MaxLine is the longest input line the console reads, in bytes. A
// longer line is skipped with a note, and reading goes on with the next.
const MaxLine = 64 * 1024

// inputLine is one line read, or the note that one was too long.
type inputLine struct {
	text    string
	tooLong bool
}

// readLines sends each line of in (without its line ending) until in ends
// or ctx is cancelled, then closes lines and reports the read error.
func readLines(ctx context.Context, in io.Reader, lines chan<- inputLine, errc chan<- error) {
	defer close(lines)
	r := bufio.NewReaderSize(in, MaxLine)
	for {
		b, err := r.ReadSlice('\n')
		l := inputLine{text: strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")}
		if errors.Is(err, bufio.ErrBufferFull) {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = r.ReadSlice('\n')
			}
			l = inputLine{tooLong: true}
		}
		if err != nil && !errors.Is(err, io.EOF) {
			errc <- err
			return
		}
		if l.tooLong || l.text != "" || err == nil {
			select {
			case lines <- l:
			case <-ctx.Done():
				errc <- nil
				return
			}
		}
		if err != nil { // io.EOF
			errc <- nil
			return
		}
	}
}

// Run reads lines until the input ends or ctx is cancelled.
func (c *Console) Run(ctx context.Context) error {
	lines := make(chan inputLine)
	errc := make(chan error, 1)
	go readLines(ctx, c.cfg.In, lines, errc)
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
				c.deliver(ctx)
				return nil
			}
			if line.tooLong {
				c.Print(c.text("console.line_too_long", map[string]any{"Max": MaxLine}))
				continue
			}
			c.handle(ctx, line.text)
			c.deliver(ctx)
		}
	}
}

// deliver lets the outbox deliver what is due, if the console was given
// one.
func (c *Console) deliver(ctx context.Context) {
	if c.cfg.Deliver == nil {
		return
	}
	if err := c.cfg.Deliver(ctx); err != nil {
		c.cfg.Log.Error("console outbox", "err", err)
	}
}

// as switches who is typing: "/as owner", "/as customer 1001 [ko|en]" or
// "/as 1001". ok is false when line is not an /as line.
func (c *Console) as(line string) (string, bool) {
	f := strings.Fields(line)
	if len(f) == 0 || f[0] != "/as" {
		return "", false
	}
	args := f[1:]
	if len(args) > 0 && (args[0] == "customer" || args[0] == "user") {
		args = args[1:]
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case len(args) == 1 && args[0] == "owner":
		c.user, c.lang = c.cfg.UserID, c.cfg.Lang
	case len(args) >= 1 && len(args) <= 2 && args[0] != "":
		c.user, c.lang = args[0], c.cfg.Lang
		if len(args) == 2 {
			c.lang = args[1]
		}
	default:
		return c.text("console.as_usage", nil), true
	}
	who := c.text("console.who_owner", nil)
	if c.user != c.cfg.UserID {
		who = c.text("console.who_customer", map[string]any{"ID": c.user})
	}
	return c.text("console.as", map[string]any{"Who": who}), true
}

// text words one of the console's own lines.
func (c *Console) text(id string, data map[string]any) string {
	if c.cfg.Catalog == nil {
		return id
	}
	return c.cfg.Catalog.T(c.cfg.Lang, id, data)
}

func (c *Console) handle(ctx context.Context, line string) {
	if text, ok := c.as(line); ok {
		c.Print(text)
		return
	}
	c.mu.Lock()
	m := conversation.Message{Platform: Platform, UserID: c.user, Lang: c.lang, Text: line}
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
		c.show(m.UserID, r)
	}
}

// pressed reports whether line chooses one of the latest buttons shown to
// whoever is typing, by its number or its label.
func (c *Console) pressed(line string) (string, bool) {
	line = strings.TrimSpace(line)
	if line == "" {
		return "", false
	}
	buttons := c.buttons[c.user]
	if n, err := strconv.Atoi(strings.Trim(line, "[]")); err == nil && n >= 1 && n <= len(buttons) {
		return buttons[n-1].Action, true
	}
	for _, b := range buttons {
		if strings.EqualFold(b.Label, line) {
			return b.Action, true
		}
	}
	return "", false
}

// show prints a reply to user.
func (c *Console) show(user string, r conversation.Reply) {
	fmt.Fprintln(c.cfg.Out, r.Text)
	c.showButtons(user, r.Buttons)
	for _, f := range []*conversation.File{r.Photo, r.Document} {
		if f != nil {
			c.writeFile(f)
		}
	}
}

// showButtons prints buttons shown to user, who may press them next.
func (c *Console) showButtons(user string, buttons []conversation.Button) {
	c.buttons[user] = buttons
	if len(buttons) == 0 {
		return
	}
	parts := make([]string, len(buttons))
	for i, b := range buttons {
		parts[i] = fmt.Sprintf("[%d] %s", i+1, b.Label)
	}
	fmt.Fprintln(c.cfg.Out, strings.Join(parts, "  "))
}

// writeFile saves a photo or document of a reply in Dir and says where.
func (c *Console) writeFile(f *conversation.File) {
	path := filepath.Join(c.cfg.Dir, filepath.Base(f.Name))
	if err := os.WriteFile(path, f.Data, 0o600); err != nil {
		c.cfg.Log.Error("console file", "file", path, "err", err)
		fmt.Fprintln(c.cfg.Out, c.text("error.not_saved", nil))
		return
	}
	fmt.Fprintln(c.cfg.Out, c.text("console.file_written", map[string]any{"Name": f.Name, "Path": path}))
}
