package storage

import (
	"context"
	"testing"
)

func TestShopSettings(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	a, b := newShop(t, db, "A"), newShop(t, db, "B")
	if v, err := db.ShopSetting(ctx, a.ID, "k"); err != nil || v != "" {
		t.Fatalf("unset = %q, %v", v, err)
	}
	if err := db.SetShopSetting(ctx, a.ID, "k", "#counter"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetShopSetting(ctx, a.ID, "k", "#front"); err != nil {
		t.Fatal(err)
	}
	if v, _ := db.ShopSetting(ctx, a.ID, "k"); v != "#front" {
		t.Fatalf("A = %q", v)
	}
	if v, _ := db.ShopSetting(ctx, b.ID, "k"); v != "" {
		t.Fatalf("B sees A's setting: %q", v)
	}
	if err := db.SetShopSetting(ctx, a.ID, "k", ""); err != nil {
		t.Fatal(err)
	}
	if v, _ := db.ShopSetting(ctx, a.ID, "k"); v != "" {
		t.Fatalf("unset failed: %q", v)
	}
	if err := db.SetShopSetting(ctx, 999, "k", "v"); err == nil {
		t.Fatal("setting for a missing shop accepted")
	}
}
