package conversation

// Button data comes back from the messenger as the person's client sent
// it, so anyone can send any data. Buttons that grant something the flow
// opened (Agree after a valid join code) carry a signature: an HMAC-SHA256
// over what they grant and whom they were shown to, under a secret of the
// install kept in its database. Nothing is stored before the person
// agrees; a forged or replayed press, or one by someone else, fails the
// check.

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// buttonSecret is the install secret's name.
const buttonSecret = "button-signing"

// sigLen is how many bytes of the HMAC a button carries: 128 bits, well
// inside Telegram's 64 bytes of button data with the rest.
const sigLen = 16

// offerValidity is how long a join notice's Agree and No thanks work.
const offerValidity = 7 * 24 * time.Hour

// signingKey returns the install's key, loading it once.
func (e *Engine) signingKey(ctx context.Context) ([]byte, error) {
	e.keyMu.Lock()
	defer e.keyMu.Unlock()
	if e.key != nil {
		return e.key, nil
	}
	k, err := e.store.InstallSecret(ctx, buttonSecret)
	if err != nil {
		return nil, fmt.Errorf("conversation: signing key: %w", err)
	}
	e.key = k
	return k, nil
}

func mac(key []byte, parts []string) []byte {
	h := hmac.New(sha256.New, key)
	for _, p := range parts {
		h.Write([]byte(strconv.Itoa(len(p))))
		h.Write([]byte{':'})
		h.Write([]byte(p))
	}
	return h.Sum(nil)[:sigLen]
}

// signed returns data with an issue time and a signature appended
// ("data:issued:sig"), bound to the person it is shown to.
func (e *Engine) signed(ctx context.Context, s *session, data string) (string, error) {
	key, err := e.signingKey(ctx)
	if err != nil {
		return "", err
	}
	issued := strconv.FormatInt(s.now.Unix(), 36)
	sig := mac(key, []string{data, issued, s.msg.Platform, s.msg.UserID})
	return data + ":" + issued + ":" + base64.RawURLEncoding.EncodeToString(sig), nil
}

// verified checks "issued:sig" for data pressed by the person of s: made
// by this install for them, and not older than valid.
func (e *Engine) verified(ctx context.Context, s *session, data, tail string, valid time.Duration) (bool, error) {
	issuedArg, sigArg, ok := strings.Cut(tail, ":")
	if !ok {
		return false, nil
	}
	sig, err := base64.RawURLEncoding.DecodeString(sigArg)
	if err != nil || len(sig) != sigLen {
		return false, nil
	}
	key, err := e.signingKey(ctx)
	if err != nil {
		return false, err
	}
	if !hmac.Equal(sig, mac(key, []string{data, issuedArg, s.msg.Platform, s.msg.UserID})) {
		return false, nil
	}
	unix, err := strconv.ParseInt(issuedArg, 36, 64)
	if err != nil {
		return false, nil
	}
	issued := time.Unix(unix, 0)
	// A clock that stepped back a little still accepts the press.
	return s.now.Sub(issued) <= valid && issued.Sub(s.now) <= time.Hour, nil
}
