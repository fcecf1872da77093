package conversation

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// newCode returns a one-time code like "K7QM-3XHD-9RTA" (see crm.CodeLen
// for why it is that long).
func newCode() (string, error) {
	b := make([]byte, crm.CodeLen)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("conversation: code: %w", err)
	}
	return crm.CodeFromBytes(b), nil
}

// normalizeCode reads a code as typed ("k7qm 3xhd 9rta", "K7QM3XHD9RTA").
func normalizeCode(s string) (string, bool) { return crm.NormalizeCode(s) }

// IsCode reports whether s reads as a code, for adapters that must tell
// "claim CODE" from a note.
func IsCode(s string) bool {
	_, ok := crm.NormalizeCode(s)
	return ok
}

// SetupCode returns the one-time code that makes its sender the owner of
// shop, when the shop has no owner on a messenger yet (the console's owner
// does not count); ok is false when it already has one. The same code is
// returned until it is used or expires (crm.OwnerCodeValidity); then a new
// one is made.
func (e *Engine) SetupCode(ctx context.Context, shop crm.Shop) (code string, ok bool, err error) {
	code, _, ok, err = e.OwnerCode(ctx, shop)
	return code, ok, err
}

// OwnerCode is SetupCode that also says until when the code works.
func (e *Engine) OwnerCode(ctx context.Context, shop crm.Shop) (code string, expires time.Time, ok bool, err error) {
	members, err := e.store.Members(ctx, shop.ID)
	if err != nil {
		return "", time.Time{}, false, fmt.Errorf("conversation: setup code: %w", err)
	}
	for _, m := range members {
		if m.Role == crm.RoleOwner && m.Platform != "console" {
			return "", time.Time{}, false, nil
		}
	}
	now := e.now()
	inv, err := e.store.LiveOwnerInvite(ctx, shop.ID, now)
	if err == nil {
		return inv.Code, inv.ExpiresAt, true, nil
	}
	if !errors.Is(err, crm.ErrNotFound) {
		return "", time.Time{}, false, fmt.Errorf("conversation: setup code: %w", err)
	}
	if code, err = newCode(); err != nil {
		return "", time.Time{}, false, err
	}
	expires = now.Add(crm.OwnerCodeValidity)
	err = e.store.CreateInvite(ctx, crm.Invite{Code: code, ShopID: shop.ID, Role: crm.RoleOwner, CreatedAt: now, ExpiresAt: expires})
	if err != nil {
		return "", time.Time{}, false, fmt.Errorf("conversation: setup code: %w", err)
	}
	return code, expires, true, nil
}

// SetupMessage is the line that tells the operator how to claim the shop.
func (e *Engine) SetupMessage(shop crm.Shop, code, bot string) string {
	return e.cat.T(shop.Lang, "setup.claim", map[string]any{"Code": code, "Bot": bot, "Shop": shop.Name})
}

// codeLocked answers a person whose codes are not checked now (too many
// wrong ones from them, or, for a code that may be secret, from
// everyone); ok is false when they may try.
func (e *Engine) codeLocked(ctx context.Context, s *session, secret bool) ([]Reply, bool, error) {
	until, err := e.store.CodeLockedUntil(ctx, s.msg.Platform, s.msg.UserID, s.now, secret)
	if err != nil {
		r, err := e.fail(s.lang, fmt.Errorf("conversation: code lock: %w", err))
		return r, true, err
	}
	if until.IsZero() {
		return nil, false, nil
	}
	minutes := int(math.Ceil(until.Sub(s.now).Minutes()))
	return one(e.cat.N(s.lang, "access.locked", minutes, nil)), true, nil
}

// codeFailed records a wrong code; when everyone's wrong codes add up to a
// pause, the shops' owners hear of it.
func (e *Engine) codeFailed(ctx context.Context, s *session) {
	f, err := e.store.CodeFailed(ctx, s.msg.Platform, s.msg.UserID, s.now)
	if err != nil {
		e.log.Error("code attempts", "err", err)
		return
	}
	if f.User.Locked(s.now) && f.User.Failures == crm.CodeFreeFailures+1 {
		e.log.Warn("code attempts: a person is waiting after wrong codes", "platform", s.msg.Platform)
	}
	if !f.Alert {
		return
	}
	e.log.Warn("code attempts: many wrong codes; code checks paused", "until", f.Global.LockedUntil)
	shops, err := e.store.Shops(ctx)
	if err != nil {
		e.log.Error("code alert", "err", err)
		return
	}
	for _, shop := range shops {
		members, err := e.store.Members(ctx, shop.ID)
		if err != nil {
			e.log.Error("code alert", "err", err)
			continue
		}
		text := e.cat.T(shop.Lang, "access.alert", map[string]any{
			"Until": f.Global.LockedUntil.In(shop.Location()).Format("15:04")})
		var notices []crm.Notice
		for _, m := range members {
			if m.Role == crm.RoleOwner {
				notices = append(notices, crm.Notice{ShopID: shop.ID, Platform: m.Platform, UserID: m.UserID, Text: text, At: s.now})
			}
		}
		if err := e.store.QueueNotices(ctx, notices...); err != nil {
			e.log.Error("code alert", "err", err)
		}
	}
	e.wakeOutbox()
}

// redeem answers "/claim CODE" or "/join CODE" from anyone: a valid code
// makes them a member of its shop. Wrong codes count against the sender
// and everyone (crm.CodeAttempts).
func (e *Engine) redeem(ctx context.Context, s *session, arg string) ([]Reply, error) {
	code, ok := normalizeCode(arg)
	if !ok {
		return one(e.cat.T(s.lang, "claim.bad_code", nil)), nil
	}
	if r, locked, err := e.codeLocked(ctx, s, true); locked {
		return r, err
	}
	m, err := e.store.RedeemInvite(ctx, code, crm.Member{Platform: s.msg.Platform, UserID: s.msg.UserID, Name: s.msg.UserName}, s.now)
	if errors.Is(err, crm.ErrNotFound) {
		e.codeFailed(ctx, s)
		return one(e.cat.T(s.lang, "claim.bad_code", nil)), nil
	}
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: redeem: %w", err))
	}
	shop, err := e.store.Shop(ctx, m.ShopID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: redeem: %w", err))
	}
	key := "claim.staff"
	if m.Role == crm.RoleOwner {
		key = "claim.owner"
	}
	return one(e.cat.T(shop.Lang, key, map[string]any{"Shop": shop.Name})), nil
}

// invite makes a staff invitation valid for a day.
func (e *Engine) invite(ctx context.Context, s *session) ([]Reply, error) {
	if !s.isOwner() {
		return e.ownerOnly(s), nil
	}
	code, err := newCode()
	if err != nil {
		return e.fail(s.lang, err)
	}
	err = e.store.CreateInvite(ctx, crm.Invite{Code: code, ShopID: s.shop.ID, Role: crm.RoleStaff,
		CreatedAt: s.now, ExpiresAt: s.now.Add(crm.InviteValidity)})
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: invite: %w", err))
	}
	return one(e.cat.T(s.lang, "invite.code", map[string]any{"Code": code})), nil
}

// staff lists the shop's members, with a button to remove each staff
// member.
func (e *Engine) staff(ctx context.Context, s *session, edit bool) ([]Reply, error) {
	if !s.isOwner() {
		return e.ownerOnly(s), nil
	}
	members, err := e.store.Members(ctx, s.shop.ID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: staff: %w", err))
	}
	var lines []string
	var buttons []Button
	for _, m := range members {
		name := m.Name
		if name == "" {
			name = m.UserID
		}
		data := map[string]any{"Name": name, "Platform": m.Platform}
		lines = append(lines, e.cat.T(s.lang, "staff.line."+string(m.Role), data))
		if m.Role == crm.RoleStaff {
			buttons = append(buttons, Button{Label: e.cat.T(s.lang, "button.remove", data),
				Action: "unstaff:" + m.Platform + ":" + m.UserID})
		}
	}
	text := e.cat.T(s.lang, "staff.head", nil) + "\n" + strings.Join(lines, "\n")
	if len(buttons) == 0 {
		text += "\n" + e.cat.T(s.lang, "staff.none", nil)
	}
	return []Reply{{Text: text, Buttons: buttons, Edit: edit}}, nil
}

// unstaff removes a staff member (never the owner).
func (e *Engine) unstaff(ctx context.Context, s *session, arg string) ([]Reply, error) {
	if !s.isOwner() {
		return e.ownerOnly(s), nil
	}
	platform, user, _ := strings.Cut(arg, ":")
	members, err := e.store.Members(ctx, s.shop.ID)
	if err != nil {
		return e.fail(s.lang, fmt.Errorf("conversation: unstaff: %w", err))
	}
	for _, m := range members {
		if m.Platform == platform && m.UserID == user && m.Role == crm.RoleStaff {
			if err := e.store.RemoveMember(ctx, s.shop.ID, platform, user); err != nil && !errors.Is(err, crm.ErrNotFound) {
				return e.fail(s.lang, fmt.Errorf("conversation: unstaff: %w", err))
			}
			return e.staff(ctx, s, true)
		}
	}
	return []Reply{{Text: e.cat.T(s.lang, "action.stale", nil), Edit: true}}, nil
}
