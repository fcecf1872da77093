package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dangol/dangol/conversation"
)

// fileTimeout bounds one download of a document, its reading included.
const fileTimeout = 5 * time.Minute

// errTooBig means a document is larger than conversation.MaxFile.
var errTooBig = fmt.Errorf("telegram: file is larger than %d bytes", conversation.MaxFile)

// fileGetter is the part of the Bot API that looks up a sent file;
// *bot.Bot is one.
type fileGetter interface {
	GetFile(ctx context.Context, p *bot.GetFileParams) (*models.File, error)
}

// getter returns what looks up files: the api itself when it can, else
// the Bot API client.
func (b *Bot) getter() fileGetter {
	if g, ok := b.api.(fileGetter); ok {
		return g
	}
	return b.tg
}

// downloadClient fetches documents; each request carries its own timeout.
var downloadClient = &http.Client{}

// document opens a document sent in a private chat for the engine, as a
// stream (its bytes are not held in memory); close ends the download.
// When it cannot, it returns the notice telling the person, logs why and
// ok is false.
func (b *Bot) document(ctx context.Context, id int64, t target, from *models.User, d *models.Document) (f *conversation.File, close func(), r result, ok bool) {
	body, size, err := b.download(ctx, d)
	if err == nil {
		return &conversation.File{Name: d.FileName, Reader: body, Size: size}, func() { body.Close() }, result{}, true
	}
	key := "telegram.file_failed"
	if errors.Is(err, errTooBig) {
		key = "telegram.file_too_big"
		b.log.Info("telegram: document too big; not downloaded", "update", id, "chat", t.chatID, "size", d.FileSize)
	} else {
		b.log.Warn("telegram: could not download a document", "update", id, "chat", t.chatID, "err", err)
	}
	return nil, nil, notice(id, t, b.cat.T(b.langFor(ctx, from), key, nil)), false
}

// download asks Telegram where document d is (getFile) and opens it for
// reading, at most conversation.MaxFile bytes (a longer stream fails with
// errTooBig when read that far); a document known to be larger gives
// errTooBig without being read. Transient errors before the first byte are
// retried.
func (b *Bot) download(ctx context.Context, d *models.Document) (io.ReadCloser, int64, error) {
	if d.FileSize > conversation.MaxFile {
		return nil, 0, errTooBig
	}
	var f *models.File
	err := b.retry(ctx, func(ctx context.Context) error {
		var err error
		f, err = b.getter().GetFile(ctx, &bot.GetFileParams{FileID: d.FileID})
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("telegram: getFile: %w", err)
	}
	if f.FileSize > conversation.MaxFile {
		return nil, 0, errTooBig
	}
	if f.FilePath == "" {
		return nil, 0, errors.New("telegram: getFile: no file path (the file may be too big to download)")
	}
	var body io.ReadCloser
	var size int64
	tooBig := false
	err = b.retry(ctx, func(ctx context.Context) error {
		var err error
		body, size, err = b.fetch(ctx, f.FilePath)
		if errors.Is(err, errTooBig) {
			// Not worth another attempt.
			tooBig = true
			return nil
		}
		return err
	})
	switch {
	case tooBig:
		return nil, 0, errTooBig
	case err != nil:
		return nil, 0, err
	}
	if size <= 0 {
		size = max(f.FileSize, d.FileSize)
	}
	return body, size, nil
}

// fileURL is where a file is downloaded from:
// <APIURL>/file/bot<token>/<file_path> (what bot.Bot.FileDownloadLink
// gives, with the path escaped).
func (b *Bot) fileURL(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return b.cfg.APIURL + "/file/bot" + b.cfg.Token + "/" + strings.Join(parts, "/")
}

// fetch makes one attempt at opening the file at path; the body is read
// by the caller, within fileTimeout. Its errors never contain the token.
func (b *Bot) fetch(ctx context.Context, path string) (io.ReadCloser, int64, error) {
	ctx, cancel := context.WithTimeout(ctx, fileTimeout)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.fileURL(path), nil)
	if err != nil {
		cancel()
		return nil, 0, b.redactFile(err)
	}
	resp, err := downloadClient.Do(req)
	if err != nil {
		cancel()
		return nil, 0, b.redactFile(err)
	}
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		cancel()
		return nil, 0, downloadStatusError(resp)
	}
	if resp.ContentLength > conversation.MaxFile {
		resp.Body.Close()
		cancel()
		return nil, 0, errTooBig
	}
	return &limitedBody{r: io.LimitReader(resp.Body, conversation.MaxFile+1), body: resp.Body, cancel: cancel, b: b},
		resp.ContentLength, nil
}

// limitedBody is a download's body, cut one byte past
// conversation.MaxFile (so a reader can tell it was longer), its errors
// without the token.
type limitedBody struct {
	r      io.Reader
	body   io.Closer
	cancel context.CancelFunc
	b      *Bot
}

func (l *limitedBody) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = l.b.redactFile(err)
	}
	return n, err
}

func (l *limitedBody) Close() error {
	err := l.body.Close()
	l.cancel()
	return err
}

// downloadStatusError turns a refused download into an error classify
// sorts like a refused Bot API call: 429 waits, other 4xx are permanent,
// 5xx transient.
func downloadStatusError(resp *http.Response) error {
	code := resp.StatusCode
	switch {
	case code == http.StatusTooManyRequests:
		after, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return &bot.TooManyRequestsError{Message: fmt.Sprintf("%s, file download", bot.ErrorTooManyRequests), RetryAfter: after}
	case code == http.StatusNotFound:
		return fmt.Errorf("telegram: download file: %w, HTTP %d", bot.ErrorNotFound, code)
	}
	return fmt.Errorf("telegram: download file: error response from telegram for method file, %d %s",
		code, http.StatusText(code))
}

// redactFile removes the token from a download error (it is part of the
// URL).
func (b *Bot) redactFile(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = strings.ReplaceAll(ue.URL, b.cfg.Token, "***")
	}
	return fmt.Errorf("telegram: download file: %w", err)
}
