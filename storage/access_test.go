package storage

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

func TestInvites(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	shop, err := db.CreateShop(ctx, crm.Shop{Name: "A"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 26, 1, 0, 0, 0, time.UTC)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.CreateInvite(ctx, crm.Invite{Code: "1111-1111", ShopID: shop.ID, Role: crm.RoleOwner, CreatedAt: now}))
	// A newer owner code kills the older one.
	must(db.CreateInvite(ctx, crm.Invite{Code: "2222-2222", ShopID: shop.ID, Role: crm.RoleOwner, CreatedAt: now}))
	if _, err := db.RedeemInvite(ctx, "1111-1111", crm.Member{Platform: "telegram", UserID: "1"}, now); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("old owner code: %v", err)
	}
	m, err := db.RedeemInvite(ctx, "2222-2222", crm.Member{Platform: "telegram", UserID: "1", Name: "Owner"}, now)
	if err != nil || m.Role != crm.RoleOwner || m.ShopID != shop.ID {
		t.Fatalf("redeem: %+v %v", m, err)
	}
	// The code dies after one use.
	if _, err := db.RedeemInvite(ctx, "2222-2222", crm.Member{Platform: "telegram", UserID: "2"}, now); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("second use: %v", err)
	}
	// Staff codes expire.
	must(db.CreateInvite(ctx, crm.Invite{Code: "3333-3333", ShopID: shop.ID, Role: crm.RoleStaff, CreatedAt: now, ExpiresAt: now.Add(crm.InviteValidity)}))
	if _, err := db.RedeemInvite(ctx, "3333-3333", crm.Member{Platform: "telegram", UserID: "3"}, now.Add(25*time.Hour)); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("expired code: %v", err)
	}
	m, err = db.RedeemInvite(ctx, "3333-3333", crm.Member{Platform: "telegram", UserID: "3"}, now.Add(23*time.Hour))
	if err != nil || m.Role != crm.RoleStaff {
		t.Fatalf("staff redeem: %+v %v", m, err)
	}
	// The owner redeeming a staff code stays the owner.
	must(db.CreateInvite(ctx, crm.Invite{Code: "4444-4444", ShopID: shop.ID, Role: crm.RoleStaff, CreatedAt: now}))
	if _, err := db.RedeemInvite(ctx, "4444-4444", crm.Member{Platform: "telegram", UserID: "1"}, now); err != nil {
		t.Fatal(err)
	}
	ms, err := db.Memberships(ctx, "telegram", "1")
	if err != nil || len(ms) != 1 || ms[0].Role != crm.RoleOwner {
		t.Fatalf("owner demoted: %+v %v", ms, err)
	}
}
