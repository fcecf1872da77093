package crm

import (
	"context"
	"time"
)

// Invite is a one-time code that makes whoever sends it a member of a shop
// with Role: the owner's setup code on first start, or a staff invitation.
type Invite struct {
	Code      string // "4821-7733"
	ShopID    int64
	Role      Role
	CreatedAt time.Time
	ExpiresAt time.Time // zero: does not expire
}

// InviteValidity is how long a staff invitation can be used.
const InviteValidity = 24 * time.Hour

// AccessStore keeps invitation codes.
type AccessStore interface {
	// CreateInvite stores a new code. For an owner code, the shop's
	// earlier unused owner codes die.
	CreateInvite(ctx context.Context, inv Invite) error
	// RedeemInvite uses a code once: in one transaction it marks the code
	// used and makes m a member of the code's shop with the code's role.
	// An unknown, used or expired code gives ErrNotFound.
	RedeemInvite(ctx context.Context, code string, m Member, at time.Time) (Member, error)
}
