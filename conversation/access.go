package conversation

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"unicode"

	"github.com/dangol/dangol/crm"
)

// newCode returns a one-time code like "4821-7733".
func newCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(100_000_000))
	if err != nil {
		return "", fmt.Errorf("conversation: code: %w", err)
	}
	s := fmt.Sprintf("%08d", n)
	return s[:4] + "-" + s[4:], nil
}

// normalizeCode accepts "4821-7733", "4821 7733" or "48217733".
func normalizeCode(s string) (string, bool) {
	var d []rune
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			d = append(d, r)
		case r == '-' || unicode.IsSpace(r):
		default:
			return "", false
		}
	}
	if len(d) != 8 {
		return "", false
	}
	return string(d[:4]) + "-" + string(d[4:]), true
}

// SetupCode returns a new one-time code that makes its sender the owner of
// shop, when the shop has no owner on a messenger yet (the console's owner
// does not count); ok is false when it already has one.
func (e *Engine) SetupCode(ctx context.Context, shop crm.Shop) (code string, ok bool, err error) {
	members, err := e.store.Members(ctx, shop.ID)
	if err != nil {
		return "", false, fmt.Errorf("conversation: setup code: %w", err)
	}
	for _, m := range members {
		if m.Role == crm.RoleOwner && m.Platform != "console" {
			return "", false, nil
		}
	}
	if code, err = newCode(); err != nil {
		return "", false, err
	}
	err = e.store.CreateInvite(ctx, crm.Invite{Code: code, ShopID: shop.ID, Role: crm.RoleOwner, CreatedAt: e.now()})
	if err != nil {
		return "", false, fmt.Errorf("conversation: setup code: %w", err)
	}
	return code, true, nil
}

// SetupMessage is the line that tells the operator how to claim the shop.
func (e *Engine) SetupMessage(shop crm.Shop, code, bot string) string {
	return e.cat.T(shop.Lang, "setup.claim", map[string]any{"Code": code, "Bot": bot, "Shop": shop.Name})
}

// redeem answers "/claim CODE" or "/join CODE" from anyone: a valid code
// makes them a member of its shop.
func (e *Engine) redeem(ctx context.Context, s *session, arg string) ([]Reply, error) {
	code, ok := normalizeCode(arg)
	if !ok {
		return one(e.cat.T(s.lang, "claim.bad_code", nil)), nil
	}
	m, err := e.store.RedeemInvite(ctx, code, crm.Member{Platform: s.msg.Platform, UserID: s.msg.UserID, Name: s.msg.UserName}, s.now)
	if errors.Is(err, crm.ErrNotFound) {
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
