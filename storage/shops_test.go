package storage

import (
	"context"
	"regexp"
	"testing"

	"github.com/dangol/dangol/crm"
)

func TestCreateShopDefaults(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s, err := db.CreateShop(ctx, crm.Shop{Name: "  Corner Bakery "})
	if err != nil {
		t.Fatal(err)
	}
	want := crm.Shop{ID: s.ID, Name: "Corner Bakery", Lang: crm.LangKorean, TimeZone: crm.DefaultTimeZone,
		DigestTime: crm.DefaultDigestTime, LapsedDays: crm.DefaultLapsedDays, DigestLimit: crm.DefaultDigestLimit,
		Code: s.Code, Currency: "KRW", CreatedAt: s.CreatedAt}
	if s != want {
		t.Fatalf("CreateShop = %+v, want %+v", s, want)
	}
	if !regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$`).MatchString(s.Code) {
		t.Errorf("code %q is not three groups of four lowercase Crockford symbols", s.Code)
	}
	if s.CreatedAt.IsZero() {
		t.Error("CreatedAt not set")
	}
	got, err := db.Shop(ctx, s.ID)
	if err != nil || !got.CreatedAt.Equal(s.CreatedAt) {
		t.Fatalf("Shop = %+v, %v", got, err)
	}
	got.CreatedAt = s.CreatedAt
	if got != s {
		t.Errorf("Shop = %+v, want %+v", got, s)
	}
	byCode, err := db.ShopByCode(ctx, " "+s.Code+" ")
	if err != nil || byCode.ID != s.ID {
		t.Fatalf("ShopByCode = %+v, %v", byCode, err)
	}
	if _, err := db.ShopByCode(ctx, "nosuchco"); err == nil {
		t.Fatal("ShopByCode of an unknown code succeeded")
	} else {
		wantErr(t, err, crm.ErrNotFound)
	}
	_, err = db.Shop(ctx, s.ID+100)
	wantErr(t, err, crm.ErrNotFound)

	s2 := newShop(t, db, "Cafe")
	if s2.Code == s.Code {
		t.Error("two shops got the same code")
	}
	shops, err := db.Shops(ctx)
	if err != nil || len(shops) != 2 || shops[0].ID != s.ID || shops[1].ID != s2.ID {
		t.Fatalf("Shops = %+v, %v", shops, err)
	}

	_, err = db.CreateShop(ctx, crm.Shop{Name: "X", Lang: "fr"})
	wantErr(t, err, crm.ErrInvalidInput)
	_, err = db.CreateShop(ctx, crm.Shop{Name: " "})
	wantErr(t, err, crm.ErrInvalidInput)
	_, err = db.CreateShop(ctx, crm.Shop{Name: "Dup", Code: s.Code})
	wantErr(t, err, crm.ErrInvalidInput)
}

func TestUpdateShop(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	s := newShop(t, db, "Bakery")
	s.Lang, s.DigestTime, s.LapsedDays, s.Name = crm.LangEnglish, "07:15", 30, "Bakery & Co"
	code := s.Code
	s.Code = ""
	if err := db.UpdateShop(ctx, s); err != nil {
		t.Fatal(err)
	}
	got, _ := db.Shop(ctx, s.ID)
	if got.Lang != crm.LangEnglish || got.DigestTime != "07:15" || got.LapsedDays != 30 ||
		got.Name != "Bakery & Co" || got.Code != code {
		t.Fatalf("after UpdateShop: %+v", got)
	}
	s.ID = 999
	wantErr(t, db.UpdateShop(ctx, s), crm.ErrNotFound)
	s.ID, s.DigestTime = got.ID, "25:00"
	wantErr(t, db.UpdateShop(ctx, s), crm.ErrInvalidInput)
}

func TestMembers(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	a := newShop(t, db, "A")
	b := newShop(t, db, "B")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.AddMember(ctx, crm.Member{ShopID: a.ID, Platform: "telegram", UserID: "1", Name: "Owner", Role: crm.RoleOwner, CreatedAt: t0()}))
	must(db.AddMember(ctx, crm.Member{ShopID: a.ID, Platform: "telegram", UserID: "2", Name: "Staff", CreatedAt: t0().Add(1)}))
	must(db.AddMember(ctx, crm.Member{ShopID: b.ID, Platform: "telegram", UserID: "1", Name: "Owner", Role: crm.RoleStaff, CreatedAt: t0()}))
	// Upsert: a new name and role, the join time kept.
	must(db.AddMember(ctx, crm.Member{ShopID: a.ID, Platform: "telegram", UserID: "2", Name: "Head", Role: crm.RoleOwner, CreatedAt: t0().Add(5)}))

	ms, err := db.Members(ctx, a.ID)
	must(err)
	if len(ms) != 2 || ms[0].UserID != "1" || ms[1].Name != "Head" || ms[1].Role != crm.RoleOwner || !ms[1].CreatedAt.Equal(t0().Add(1)) {
		t.Fatalf("Members = %+v", ms)
	}
	mine, err := db.Memberships(ctx, "telegram", "1")
	must(err)
	if len(mine) != 2 || mine[0].ShopID != a.ID || mine[1].ShopID != b.ID || mine[1].Role != crm.RoleStaff {
		t.Fatalf("Memberships = %+v", mine)
	}
	if other, _ := db.Memberships(ctx, "slack", "1"); len(other) != 0 {
		t.Fatalf("Memberships on another platform = %+v", other)
	}

	must(db.RemoveMember(ctx, a.ID, "telegram", "2"))
	wantErr(t, db.RemoveMember(ctx, a.ID, "telegram", "2"), crm.ErrNotFound)
	ms, _ = db.Members(ctx, a.ID)
	if len(ms) != 1 {
		t.Fatalf("Members after remove = %+v", ms)
	}
	wantErr(t, db.AddMember(ctx, crm.Member{ShopID: 999, Platform: "telegram", UserID: "1", Role: crm.RoleOwner}), crm.ErrNotFound)
	wantErr(t, db.AddMember(ctx, crm.Member{ShopID: a.ID, Platform: "telegram", UserID: "3", Role: "boss"}), crm.ErrInvalidInput)
}
