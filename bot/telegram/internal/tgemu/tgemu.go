// Package tgemu runs a Telegram Bot API emulator for integration tests.
//
// It drives the npm package telegram-test-api (pinned in node/package-lock.json)
// through a thin Node front (node/front.js) that makes the emulator usable
// with github.com/go-telegram/bot: it parses multipart requests, long-polls
// getUpdates, stubs the methods the emulator lacks (sendPhoto, sendDocument,
// setMyCommands, ...), applies edits to stored messages, and offers test-only
// routes to simulate users, press inline buttons, redeliver updates and read
// what the bot sent.
//
// Typical use:
//
//	e := tgemu.Start(t)
//	b, _ := bot.New(e.Token(), bot.WithServerURL(e.URL()), bot.WithDefaultHandler(h))
//	go b.Start(ctx)
//	e.SendMessage(t, user, user.ID, "hello")
//	msgs := e.WaitBotMessages(t, user.ID, 1, 5*time.Second)
//
// Start needs node and npm on PATH. Without them the test is skipped, except
// when the CI environment variable is set, where it fails instead.
//
// The helper methods call t.Fatal on errors, so call them from the test
// goroutine, not from bot handlers.
package tgemu

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// DefaultToken is the bot token Token returns. The emulator accepts any
// token; this one has Telegram's "<bot id>:<secret>" shape so that code
// deriving the bot id from the token (bot.Bot.ID) sees 123456789.
const DefaultToken = "123456789:TEST-emulator-token_AAAAAAAAAAAAAAAAAA"

// User is a simulated Telegram user.
type User struct {
	ID           int64
	FirstName    string
	Username     string
	LanguageCode string
}

// Message is a message the bot sent, as it is now (after any edits).
type Message struct {
	ID     int
	ChatID int64
	Text   string
	// Buttons is the inline keyboard, row by row.
	Buttons [][]Button
	// Keyboard is a reply keyboard (button labels, row by row), if any.
	Keyboard  [][]string
	ParseMode string
	// Edited is true once editMessageText/ReplyMarkup/Caption changed it.
	Edited    bool
	EditCount int
	// Photo and Document hold uploaded bytes; FileRef holds the file_id or
	// URL the bot passed instead of an upload.
	Photo        []byte
	Document     []byte
	DocumentName string
	FileRef      string
	Caption      string
}

// Button is an inline keyboard button.
type Button struct {
	Text string
	Data string // callback_data
	URL  string
}

// CommandSet is the command list set by setMyCommands for one scope and
// language code (a later call for the same pair replaces it, as in Telegram).
type CommandSet struct {
	Scope        CommandScope
	LanguageCode string
	Commands     []Command
}

// CommandScope is a BotCommandScope; Type is "default" when none was given.
type CommandScope struct {
	Type   string
	ChatID int64
	UserID int64
}

// Command is a BotCommand.
type Command struct {
	Command     string
	Description string
}

// Update describes a user update the emulator holds.
type Update struct {
	ID          int64
	Kind        string // "message" or "callback_query"
	ChatID      int64
	MessageID   int
	FromID      int64
	Text        string // message text
	Data        string // callback data
	Delivered   bool   // handed to the bot by getUpdates (and not re-queued since)
	Confirmed   bool   // a later getUpdates offset confirmed it: never sent again
	Redelivered int    // how many times Redeliver re-queued it
}

// Call is one recorded bot API request (getUpdates is only counted).
type Call struct {
	Method string         `json:"method"`
	Params map[string]any `json:"params"`
}

// Emulator is a running emulator front.
type Emulator struct {
	url    string
	token  string
	client *http.Client
}

// URL returns the base URL for bot.WithServerURL (no trailing slash).
func (e *Emulator) URL() string { return e.url }

// Token returns a bot token the emulator accepts.
func (e *Emulator) Token() string { return e.token }

// ---------------------------------------------------------------------------
// Starting

var (
	installOnce sync.Once
	installErr  error
)

// nodeDir returns the folder holding front.js and package-lock.json.
func nodeDir() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("tgemu: cannot locate source folder")
	}
	dir := filepath.Join(filepath.Dir(file), "node")
	if _, err := os.Stat(filepath.Join(dir, "front.js")); err != nil {
		return "", fmt.Errorf("tgemu: front.js not found: %w", err)
	}
	return dir, nil
}

// Start installs the emulator if needed (npm ci in the node folder, once per
// process, cached in node_modules), starts the front on a free loopback
// port, waits until it is ready, and stops it in t.Cleanup.
//
// When node or npm is not on PATH it skips the test, unless the environment
// variable CI is non-empty, in which case it fails the test.
func Start(t testing.TB) *Emulator {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			msg := fmt.Sprintf("tgemu: %s is not on PATH; the Telegram Bot API emulator needs Node.js 18+ and npm", tool)
			if os.Getenv("CI") != "" {
				t.Fatal(msg + " (CI is set, so this is a failure, not a skip)")
			}
			t.Skip(msg)
		}
	}
	dir, err := nodeDir()
	if err != nil {
		t.Fatal(err)
	}
	installOnce.Do(func() { installErr = ensureInstalled(dir) })
	if installErr != nil {
		t.Fatalf("tgemu: installing the emulator: %v", installErr)
	}

	cmd := exec.Command("node", "front.js", "--port", "0", "--host", "127.0.0.1", "--exit-on-stdin-close")
	cmd.Dir = dir
	setProcessGroup(cmd)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &limitedBuffer{max: 64 << 10}
	if os.Getenv("TGEMU_DEBUG") != "" {
		cmd.Stderr = io.MultiWriter(stderr, os.Stderr)
		cmd.Env = append(os.Environ(), "TGEMU_DEBUG=1")
	} else {
		cmd.Stderr = stderr
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("tgemu: starting node: %v", err)
	}
	waitDone := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(waitDone)
	}()
	stop := func() {
		_ = stdin.Close()
		killProcessGroup(cmd, false)
		select {
		case <-waitDone:
		case <-time.After(3 * time.Second):
			killProcessGroup(cmd, true)
			<-waitDone
		}
	}

	portCh := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, err := r.ReadString('\n')
		if err != nil {
			portCh <- ""
		} else {
			portCh <- strings.TrimSpace(line)
		}
		_, _ = io.Copy(io.Discard, r)
	}()
	var first string
	select {
	case first = <-portCh:
	case <-time.After(60 * time.Second): // generous: CI runs test binaries side by side on two cores
		stop()
		t.Fatalf("tgemu: front did not start within 60s; stderr:\n%s", stderr.String())
	}
	port, ok := strings.CutPrefix(first, "listening ")
	if _, err := strconv.Atoi(port); !ok || err != nil {
		stop()
		t.Fatalf("tgemu: unexpected first line from front.js %q; stderr:\n%s", first, stderr.String())
	}

	e := &Emulator{
		url:    "http://127.0.0.1:" + port,
		token:  DefaultToken,
		client: &http.Client{Timeout: 15 * time.Second},
	}
	t.Cleanup(func() {
		e.client.CloseIdleConnections()
		stop()
		if t.Failed() && stderr.Len() > 0 {
			t.Logf("tgemu: front stderr:\n%s", stderr.String())
		}
	})
	return e
}

// ensureInstalled runs npm ci when node_modules is missing or was installed
// from another package-lock.json. A lock file created with O_EXCL keeps
// several test binaries from installing at the same time.
func ensureInstalled(dir string) error {
	lockData, err := os.ReadFile(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		return err
	}
	sum := sha256.Sum256(lockData)
	want := hex.EncodeToString(sum[:])
	marker := filepath.Join(dir, "node_modules", ".tgemu-installed")
	installed := func() bool {
		got, err := os.ReadFile(marker)
		return err == nil && strings.TrimSpace(string(got)) == want
	}
	if installed() {
		return nil
	}

	dirSum := sha256.Sum256([]byte(dir))
	lockPath := filepath.Join(os.TempDir(), "tgemu-npm-"+hex.EncodeToString(dirSum[:8])+".lock")
	release, err := acquireLock(lockPath, 5*time.Minute)
	if err != nil {
		return err
	}
	defer release()
	if installed() { // another process installed it while we waited
		return nil
	}
	cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("npm ci in %s: %w\n%s", dir, err, out)
	}
	return os.WriteFile(marker, []byte(want+"\n"), 0o644)
}

// acquireLock creates path exclusively, retrying until timeout. A lock older
// than 10 minutes is taken to be left over by a killed process and removed.
func acquireLock(path string, timeout time.Duration) (func(), error) {
	deadline := time.Now().Add(timeout)
	for {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil {
			_, _ = fmt.Fprintf(f, "%d\n", os.Getpid())
			_ = f.Close()
			return func() { _ = os.Remove(path) }, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, err
		}
		if fi, statErr := os.Stat(path); statErr == nil && time.Since(fi.ModTime()) > 10*time.Minute {
			_ = os.Remove(path)
			continue
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("timed out waiting for install lock %s", path)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

type limitedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := b.max - b.buf.Len(); room > 0 {
		if len(p) > room {
			b.buf.Write(p[:room])
		} else {
			b.buf.Write(p)
		}
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *limitedBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

// ---------------------------------------------------------------------------
// Talking to the front

type apiResponse struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	Description string          `json:"description"`
	ErrorCode   int             `json:"error_code"`
}

// call sends a request to a /test route and decodes the result into out.
// It returns the HTTP status and the error description for non-OK answers.
func (e *Emulator) call(method, path string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	var r apiResponse
	if err := json.Unmarshal(data, &r); err != nil {
		return resp.StatusCode, fmt.Errorf("%s %s: bad response %q: %w", method, path, data, err)
	}
	if !r.OK {
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, r.ErrorCode, r.Description)
	}
	if out != nil {
		if err := json.Unmarshal(r.Result, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: decoding result: %w", method, path, err)
		}
	}
	return resp.StatusCode, nil
}

func (e *Emulator) mustCall(t testing.TB, method, path string, body, out any) {
	t.Helper()
	if _, err := e.call(method, path, body, out); err != nil {
		t.Fatalf("tgemu: %v", err)
	}
}

type userJSON struct {
	ID           int64  `json:"id"`
	FirstName    string `json:"first_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

func toUserJSON(u User) userJSON {
	first := u.FirstName
	if first == "" {
		first = "User"
	}
	return userJSON{ID: u.ID, FirstName: first, Username: u.Username, LanguageCode: u.LanguageCode}
}

type sentUpdate struct {
	UpdateID int64 `json:"update_id"`
}

type userSendBody struct {
	Token  string   `json:"token"`
	From   userJSON `json:"from"`
	ChatID int64    `json:"chat_id"`
	Text   string   `json:"text"`
	Date   int64    `json:"date,omitempty"`
}

// ---------------------------------------------------------------------------
// Simulated users

// SendMessage makes user from send a plain text message (no entities) to
// the bot in chat chatID (use from.ID for a private chat).
func (e *Emulator) SendMessage(t testing.TB, from User, chatID int64, text string) {
	t.Helper()
	e.mustCall(t, http.MethodPost, "/test/sendMessage",
		userSendBody{Token: e.token, From: toUserJSON(from), ChatID: chatID, Text: text}, nil)
}

// SendMessageAt is SendMessage with the message's date (Telegram's
// message.date, in seconds) set to at, as if it had been sent then: a
// backlog that built up while the bot was down.
func (e *Emulator) SendMessageAt(t testing.TB, from User, chatID int64, text string, at time.Time) {
	t.Helper()
	e.mustCall(t, http.MethodPost, "/test/sendMessage",
		userSendBody{Token: e.token, From: toUserJSON(from), ChatID: chatID, Text: text, Date: at.Unix()}, nil)
}

// SendCommand makes user from send a command such as "/start payload"; the
// message carries a bot_command entity over the command word, as Telegram
// clients send it.
func (e *Emulator) SendCommand(t testing.TB, from User, chatID int64, text string) {
	t.Helper()
	e.mustCall(t, http.MethodPost, "/test/sendCommand",
		userSendBody{Token: e.token, From: toUserJSON(from), ChatID: chatID, Text: text}, nil)
}

// SendDocument makes user from send a document called name holding data
// to the bot in chat chatID, with caption unless it is empty. The message
// carries a Telegram-shaped document (file_id, file_unique_id, file_name,
// mime_type, file_size); getFile and the /file/bot<token>/<file_path>
// download route serve the bytes.
func (e *Emulator) SendDocument(t testing.TB, from User, chatID int64, name string, data []byte, caption string) {
	t.Helper()
	mime := mimeTypes[strings.ToLower(filepath.Ext(name))]
	if mime == "" {
		mime = "application/octet-stream"
	}
	body := struct {
		Token      string   `json:"token"`
		From       userJSON `json:"from"`
		ChatID     int64    `json:"chat_id"`
		FileName   string   `json:"file_name"`
		MimeType   string   `json:"mime_type"`
		DataBase64 string   `json:"data_base64"`
		Caption    string   `json:"caption,omitempty"`
	}{e.token, toUserJSON(from), chatID, name, mime, base64.StdEncoding.EncodeToString(data), caption}
	e.mustCall(t, http.MethodPost, "/test/sendDocument", body, nil)
}

// mimeTypes are the MIME types Telegram clients give common documents.
var mimeTypes = map[string]string{
	".csv":  "text/csv",
	".txt":  "text/plain",
	".json": "application/json",
	".pdf":  "application/pdf",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// PressButton makes user from press the inline button with callback data
// data under bot message messageID in chat chatID. The message must
// currently show such a button, otherwise the test fails.
func (e *Emulator) PressButton(t testing.TB, from User, chatID int64, messageID int, data string) {
	t.Helper()
	body := struct {
		Token     string   `json:"token"`
		From      userJSON `json:"from"`
		ChatID    int64    `json:"chat_id"`
		MessageID int      `json:"message_id"`
		Data      string   `json:"data"`
	}{e.token, toUserJSON(from), chatID, messageID, data}
	e.mustCall(t, http.MethodPost, "/test/pressButton", body, nil)
}

// Redeliver re-queues a user update so the next getUpdates hands it to the
// bot again (as Telegram does when an offset was not confirmed). If the
// update has not been delivered yet, it waits up to 5 s for that first.
func (e *Emulator) Redeliver(t testing.TB, updateID int64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		status, err := e.call(http.MethodPost, "/test/redeliver", map[string]int64{"update_id": updateID}, nil)
		if err == nil {
			return
		}
		if status != http.StatusConflict || time.Now().After(deadline) {
			t.Fatalf("tgemu: redeliver %d: %v", updateID, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Updates lists the user updates the emulator holds for this bot, oldest
// first.
func (e *Emulator) Updates(t testing.TB) []Update {
	t.Helper()
	var raw []struct {
		UpdateID    int64  `json:"update_id"`
		Kind        string `json:"kind"`
		ChatID      int64  `json:"chat_id"`
		MessageID   int    `json:"message_id"`
		FromID      int64  `json:"from_id"`
		Text        string `json:"text"`
		Data        string `json:"data"`
		Delivered   bool   `json:"delivered"`
		Confirmed   bool   `json:"confirmed"`
		Redelivered int    `json:"redelivered"`
	}
	e.mustCall(t, http.MethodGet, "/test/updates?token="+url.QueryEscape(e.token), nil, &raw)
	out := make([]Update, 0, len(raw))
	for _, r := range raw {
		out = append(out, Update{
			ID: r.UpdateID, Kind: r.Kind, ChatID: r.ChatID, MessageID: r.MessageID, FromID: r.FromID,
			Text: r.Text, Data: r.Data, Delivered: r.Delivered, Confirmed: r.Confirmed, Redelivered: r.Redelivered,
		})
	}
	return out
}

// LastUpdateID returns the id of the newest user update (0 if none), e.g.
// the one the last SendMessage, SendCommand or PressButton created.
func (e *Emulator) LastUpdateID(t testing.TB) int64 {
	t.Helper()
	ups := e.Updates(t)
	if len(ups) == 0 {
		return 0
	}
	return ups[len(ups)-1].ID
}

// ---------------------------------------------------------------------------
// Reading what the bot did

type markupJSON struct {
	InlineKeyboard [][]struct {
		Text         string `json:"text"`
		CallbackData string `json:"callback_data"`
		URL          string `json:"url"`
	} `json:"inline_keyboard"`
	Keyboard [][]json.RawMessage `json:"keyboard"`
}

type botMessageJSON struct {
	MessageID    int             `json:"message_id"`
	ChatID       int64           `json:"chat_id"`
	Text         string          `json:"text"`
	Caption      string          `json:"caption"`
	ParseMode    string          `json:"parse_mode"`
	ReplyMarkup  json.RawMessage `json:"reply_markup"`
	Edited       bool            `json:"edited"`
	EditCount    int             `json:"edit_count"`
	Photo        string          `json:"photo"`
	Document     string          `json:"document"`
	DocumentName string          `json:"document_name"`
	FileRef      string          `json:"file_ref"`
}

func (r botMessageJSON) message() (Message, error) {
	m := Message{
		ID: r.MessageID, ChatID: r.ChatID, Text: r.Text, Caption: r.Caption, ParseMode: r.ParseMode,
		Edited: r.Edited, EditCount: r.EditCount, DocumentName: r.DocumentName, FileRef: r.FileRef,
	}
	var err error
	if r.Photo != "" {
		if m.Photo, err = base64.StdEncoding.DecodeString(r.Photo); err != nil {
			return m, err
		}
	}
	if r.Document != "" {
		if m.Document, err = base64.StdEncoding.DecodeString(r.Document); err != nil {
			return m, err
		}
	}
	if len(r.ReplyMarkup) > 0 && string(r.ReplyMarkup) != "null" {
		var mk markupJSON
		if err := json.Unmarshal(r.ReplyMarkup, &mk); err != nil {
			return m, fmt.Errorf("reply_markup %s: %w", r.ReplyMarkup, err)
		}
		for _, row := range mk.InlineKeyboard {
			var bs []Button
			for _, b := range row {
				bs = append(bs, Button{Text: b.Text, Data: b.CallbackData, URL: b.URL})
			}
			m.Buttons = append(m.Buttons, bs)
		}
		for _, row := range mk.Keyboard {
			var labels []string
			for _, b := range row {
				var s string
				if json.Unmarshal(b, &s) == nil {
					labels = append(labels, s)
					continue
				}
				var kb struct {
					Text string `json:"text"`
				}
				_ = json.Unmarshal(b, &kb)
				labels = append(labels, kb.Text)
			}
			m.Keyboard = append(m.Keyboard, labels)
		}
	}
	return m, nil
}

// BotMessages returns the messages the bot sent to chatID, oldest first, each
// as it is now (edits applied; deleted messages are gone).
func (e *Emulator) BotMessages(t testing.TB, chatID int64) []Message {
	t.Helper()
	msgs, err := e.botMessages(chatID)
	if err != nil {
		t.Fatalf("tgemu: %v", err)
	}
	return msgs
}

func (e *Emulator) botMessages(chatID int64) ([]Message, error) {
	var raw []botMessageJSON
	q := url.Values{"chat_id": {strconv.FormatInt(chatID, 10)}, "token": {e.token}}
	if _, err := e.call(http.MethodGet, "/test/botMessages?"+q.Encode(), nil, &raw); err != nil {
		return nil, err
	}
	out := make([]Message, 0, len(raw))
	for _, r := range raw {
		m, err := r.message()
		if err != nil {
			return nil, fmt.Errorf("bot message %d: %w", r.MessageID, err)
		}
		out = append(out, m)
	}
	return out, nil
}

// WaitBotMessages polls until the bot has sent at least n messages to chatID
// and returns them all; it fails the test after timeout.
func (e *Emulator) WaitBotMessages(t testing.TB, chatID int64, n int, timeout time.Duration) []Message {
	t.Helper()
	return e.WaitBotMessagesFunc(t, chatID, timeout, func(ms []Message) bool { return len(ms) >= n },
		fmt.Sprintf("at least %d messages", n))
}

// WaitBotMessagesFunc polls the messages the bot sent to chatID until ok
// returns true for them and returns them; it fails the test after timeout,
// naming what (a description of the awaited state).
func (e *Emulator) WaitBotMessagesFunc(t testing.TB, chatID int64, timeout time.Duration, ok func([]Message) bool, what string) []Message {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		msgs, err := e.botMessages(chatID)
		if err != nil {
			t.Fatalf("tgemu: %v", err)
		}
		if ok(msgs) {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("tgemu: timed out after %v waiting for %s in chat %d; bot messages: %+v", timeout, what, chatID, msgs)
		}
		time.Sleep(15 * time.Millisecond)
	}
}

// Commands returns the command lists set by setMyCommands (current state,
// one entry per scope and language code, in the order first set).
func (e *Emulator) Commands(t testing.TB) []CommandSet {
	t.Helper()
	var raw []struct {
		Scope struct {
			Type   string `json:"type"`
			ChatID int64  `json:"chat_id"`
			UserID int64  `json:"user_id"`
		} `json:"scope"`
		LanguageCode string `json:"language_code"`
		Commands     []struct {
			Command     string `json:"command"`
			Description string `json:"description"`
		} `json:"commands"`
	}
	e.mustCall(t, http.MethodGet, "/test/commands", nil, &raw)
	out := make([]CommandSet, 0, len(raw))
	for _, r := range raw {
		cs := CommandSet{
			Scope:        CommandScope{Type: r.Scope.Type, ChatID: r.Scope.ChatID, UserID: r.Scope.UserID},
			LanguageCode: r.LanguageCode,
		}
		for _, c := range r.Commands {
			cs.Commands = append(cs.Commands, Command{Command: c.Command, Description: c.Description})
		}
		out = append(out, cs)
	}
	return out
}

// RequestCount returns how many requests for the bot API method (e.g.
// "getUpdates", "sendMessage") the front has received.
func (e *Emulator) RequestCount(t testing.TB, method string) int {
	t.Helper()
	var r struct {
		Requests map[string]int `json:"requests"`
	}
	e.mustCall(t, http.MethodGet, "/test/stats", nil, &r)
	return r.Requests[method]
}

// Calls returns the recorded requests for a bot API method (all methods but
// getUpdates when method is ""), oldest first, with their decoded parameters.
func (e *Emulator) Calls(t testing.TB, method string) []Call {
	t.Helper()
	var out []Call
	e.mustCall(t, http.MethodGet, "/test/calls?method="+url.QueryEscape(method), nil, &out)
	return out
}
