package storage

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

func TestInstallSecretIsKeptAndShared(t *testing.T) {
	ctx := context.Background()
	db, path := openTest(t)
	a, err := db.InstallSecret(ctx, "button-signing")
	if err != nil || len(a) != 32 {
		t.Fatalf("secret %x, %v", a, err)
	}
	b, _ := db.InstallSecret(ctx, "button-signing")
	other, _ := db.InstallSecret(ctx, "other")
	if !bytes.Equal(a, b) || bytes.Equal(a, other) {
		t.Fatalf("secret changed or shared between names: %x %x %x", a, b, other)
	}
	db.Close()
	db2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if c, _ := db2.InstallSecret(ctx, "button-signing"); !bytes.Equal(a, c) {
		t.Fatal("secret changed across a restart")
	}
}

func TestLiveOwnerInviteExpires(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	shop := newShop(t, db, "Bakery")
	now := t0()
	if _, err := db.LiveOwnerInvite(ctx, shop.ID, now); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("no code yet: %v", err)
	}
	code := "K7QM-3XHD-9RTA"
	if err := db.CreateInvite(ctx, crm.Invite{Code: code, ShopID: shop.ID, Role: crm.RoleOwner, CreatedAt: now,
		ExpiresAt: now.Add(crm.OwnerCodeValidity)}); err != nil {
		t.Fatal(err)
	}
	if inv, err := db.LiveOwnerInvite(ctx, shop.ID, now.Add(crm.OwnerCodeValidity-time.Second)); err != nil || inv.Code != code {
		t.Fatalf("live code = %+v, %v", inv, err)
	}
	if _, err := db.LiveOwnerInvite(ctx, shop.ID, now.Add(crm.OwnerCodeValidity)); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("expired code still live: %v", err)
	}
	if _, err := db.RedeemInvite(ctx, code, crm.Member{Platform: "telegram", UserID: "1"}, now.Add(crm.OwnerCodeValidity)); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("expired code redeemed: %v", err)
	}
}

func TestOpenInvitesAreCapped(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	shop := newShop(t, db, "Bakery")
	var codes []string
	for i := range crm.MaxOpenInvites + 3 {
		code := "AAAA-AAAA-AA" + strconv.Itoa(10+i)
		codes = append(codes, code)
		if err := db.CreateInvite(ctx, crm.Invite{Code: code, ShopID: shop.ID, Role: crm.RoleStaff,
			CreatedAt: t0().Add(time.Duration(i) * time.Minute), ExpiresAt: t0().Add(crm.InviteValidity)}); err != nil {
			t.Fatal(err)
		}
	}
	live := 0
	for i, code := range codes {
		// Redeem at the time of the last code, with a fresh user each.
		_, err := db.RedeemInvite(ctx, code, crm.Member{Platform: "telegram", UserID: "u" + strconv.Itoa(i)}, t0().Add(time.Hour))
		if err == nil {
			live++
			if i < len(codes)-crm.MaxOpenInvites {
				t.Errorf("old invitation %d still worked", i)
			}
		}
	}
	if live != crm.MaxOpenInvites {
		t.Fatalf("%d invitations worked, want %d", live, crm.MaxOpenInvites)
	}
}

func TestCodeFailuresLockAPersonAndEveryone(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	now := t0()
	for i := range crm.CodeFreeFailures {
		f, err := db.CodeFailed(ctx, "telegram", "1", now)
		if err != nil || f.User.Locked(now) {
			t.Fatalf("failure %d locked: %+v %v", i+1, f, err)
		}
	}
	f, err := db.CodeFailed(ctx, "telegram", "1", now)
	if err != nil || !f.User.LockedUntil.Equal(now.Add(crm.CodeBackoff)) {
		t.Fatalf("sixth failure: %+v %v", f, err)
	}
	if until, _ := db.CodeLockedUntil(ctx, "telegram", "1", now, true); !until.Equal(now.Add(crm.CodeBackoff)) {
		t.Fatalf("locked until %v", until)
	}
	if until, _ := db.CodeLockedUntil(ctx, "telegram", "2", now, true); !until.IsZero() {
		t.Fatalf("another person is locked until %v", until)
	}
	// Everyone together: the bucket fills from many people.
	alerts := 0
	for i := range crm.CodeGlobalBurst {
		f, err := db.CodeFailed(ctx, "telegram", "p"+strconv.Itoa(i), now)
		if err != nil {
			t.Fatal(err)
		}
		if f.Alert {
			alerts++
		}
	}
	until, _ := db.CodeLockedUntil(ctx, "telegram", "fresh", now, true)
	if until.IsZero() || alerts != 1 {
		t.Fatalf("global lock %v after %d alerts", until, alerts)
	}
	if joins, _ := db.CodeLockedUntil(ctx, "telegram", "fresh", now, false); !joins.IsZero() {
		t.Fatalf("join codes are paused for everyone until %v", joins)
	}
	if until, _ := db.CodeLockedUntil(ctx, "telegram", "fresh", until, true); !until.IsZero() {
		t.Fatalf("still locked when the lock ends: %v", until)
	}
	// A person's failures are forgotten a day later, and their record
	// goes.
	later := now.Add(crm.CodeForget + time.Minute)
	if _, err := db.CodeFailed(ctx, "telegram", "other", later); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.db.QueryRow(`SELECT count(*) FROM code_attempts WHERE scope = 'telegram:1'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("a day-old record of a person is kept: %d %v", n, err)
	}
}

// TestMigrationRenewsGuessableCodes opens a database of the schema before
// the access migration that has a shop with an old eight-letter code and
// an unused eight-digit invitation.
func TestMigrationRenewsGuessableCodes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := migrations()
	access := -1
	for i, m := range ms {
		if strings.HasSuffix(m.name, "_access.sql") {
			access = i
		}
	}
	if access < 0 {
		t.Fatal("no access migration")
	}
	for _, m := range ms[:access] {
		if _, err := raw.Exec(m.sql); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
	}
	for _, q := range []string{
		"PRAGMA user_version = " + strconv.Itoa(access),
		`INSERT INTO shops (id, name, time_zone, digest_time, lapsed_days, digest_limit, code, created_at)
			VALUES (1, 'Old', 'Asia/Seoul', '08:30', 60, 7, 'ab12cd34', '2025-01-01T00:00:00.000000000Z'),
			       (2, 'Older', 'Asia/Seoul', '08:30', 60, 7, 'zz99yy88', '2025-01-01T00:00:00.000000000Z')`,
		`INSERT INTO invites (code, shop_id, role, created_at) VALUES ('1234-5678', 1, 'owner', '2025-01-01T00:00:00.000000000Z')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	shape := regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$`)
	a, _ := db.Shop(ctx, 1)
	b, _ := db.Shop(ctx, 2)
	if !shape.MatchString(a.Code) || !shape.MatchString(b.Code) || a.Code == b.Code {
		t.Fatalf("codes after the migration: %q %q", a.Code, b.Code)
	}
	if got, err := db.ShopByCode(ctx, strings.ToUpper(strings.ReplaceAll(a.Code, "-", " "))); err != nil || got.ID != 1 {
		t.Fatalf("new code as typed: %+v %v", got, err)
	}
	if _, err := db.ShopByCode(ctx, "ab12cd34"); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("old code still works: %v", err)
	}
	if old, _ := db.ShopSetting(ctx, 1, "access.code_renewed"); old != "ab12cd34" {
		t.Fatalf("renewal mark %q", old)
	}
	if _, err := db.RedeemInvite(ctx, "1234-5678", crm.Member{Platform: "telegram", UserID: "1"}, time.Now()); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("an eight-digit owner code survived: %v", err)
	}
}
