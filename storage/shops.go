package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// newCode returns a new join code: crm.CodeLen random symbols of
// crm.CodeAlphabet in groups, lowercase ("k7qm-3xhd-9rta").
func newCode() (string, error) {
	b := make([]byte, crm.CodeLen)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random code: %w", err)
	}
	return strings.ToLower(crm.CodeFromBytes(b)), nil
}

// normalShop fills a shop's defaults and checks its fields.
func normalShop(s crm.Shop) (crm.Shop, error) {
	name, err := cleanName("shop name", s.Name)
	if err != nil {
		return s, err
	}
	s.Name = name
	if s.Lang == "" {
		s.Lang = crm.LangKorean
	}
	if s.Lang != crm.LangKorean && s.Lang != crm.LangEnglish {
		return s, fmt.Errorf("language %q: %w", s.Lang, crm.ErrInvalidInput)
	}
	if s.TimeZone == "" {
		s.TimeZone = crm.DefaultTimeZone
	}
	if s.DigestTime == "" {
		s.DigestTime = crm.DefaultDigestTime
	}
	if _, err := time.Parse("15:04", s.DigestTime); err != nil {
		return s, fmt.Errorf("digest time %q: %w", s.DigestTime, crm.ErrInvalidInput)
	}
	if s.LapsedDays == 0 {
		s.LapsedDays = crm.DefaultLapsedDays
	}
	if s.DigestLimit == 0 {
		s.DigestLimit = crm.DefaultDigestLimit
	}
	if s.LapsedDays < 0 || s.DigestLimit < 0 {
		return s, fmt.Errorf("negative lapsed days or digest limit: %w", crm.ErrInvalidInput)
	}
	s.Code = strings.ToLower(strings.TrimSpace(s.Code))
	if s.Currency == "" {
		s.Currency = crm.ShopCurrency(s.Lang, s.TimeZone)
	}
	cur, ok := crm.NormalCurrency(s.Currency)
	if !ok {
		return s, fmt.Errorf("currency %q: %w", s.Currency, crm.ErrInvalidInput)
	}
	s.Currency = cur
	return s, nil
}

// CreateShop adds a shop, filling unset fields with crm's defaults and
// generating a join code when Code is empty. It returns the stored shop.
func (db *DB) CreateShop(ctx context.Context, s crm.Shop) (crm.Shop, error) {
	s, err := normalShop(s)
	if err != nil {
		return crm.Shop{}, fmt.Errorf("storage: create shop: %w", err)
	}
	if s.CreatedAt.IsZero() {
		s.CreatedAt = time.Now()
	}
	s.CreatedAt = s.CreatedAt.UTC()
	generate := s.Code == ""
	// A generated code that is already taken is drawn again.
	for attempt := 0; ; attempt++ {
		if generate {
			if s.Code, err = newCode(); err != nil {
				return crm.Shop{}, fmt.Errorf("storage: create shop: %w", err)
			}
		}
		res, err := db.exec(ctx, `INSERT INTO shops
			(name, lang, time_zone, digest_time, lapsed_days, digest_limit, code, currency, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.Name, s.Lang, s.TimeZone, s.DigestTime, s.LapsedDays, s.DigestLimit, s.Code, s.Currency, formatTime(s.CreatedAt))
		if err != nil {
			if generate && isUnique(err) && attempt < 5 {
				continue
			}
			return crm.Shop{}, fmt.Errorf("storage: create shop: %w", constraint(err))
		}
		if s.ID, err = res.LastInsertId(); err != nil {
			return crm.Shop{}, fmt.Errorf("storage: create shop: %w", err)
		}
		return s, nil
	}
}

const shopColumns = `id, name, lang, time_zone, digest_time, lapsed_days, digest_limit, code, currency, created_at`

func scanShop(row interface{ Scan(...any) error }) (crm.Shop, error) {
	var s crm.Shop
	var created string
	if err := row.Scan(&s.ID, &s.Name, &s.Lang, &s.TimeZone, &s.DigestTime,
		&s.LapsedDays, &s.DigestLimit, &s.Code, &s.Currency, &created); err != nil {
		return crm.Shop{}, err
	}
	if s.Currency == "" {
		s.Currency = crm.ShopCurrency(s.Lang, s.TimeZone)
	}
	var err error
	s.CreatedAt, err = parseTime(created)
	return s, err
}

// Shop returns the shop with the given id.
func (db *DB) Shop(ctx context.Context, id int64) (crm.Shop, error) {
	s, err := scanShop(db.db.QueryRowContext(ctx, `SELECT `+shopColumns+` FROM shops WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return crm.Shop{}, fmt.Errorf("storage: shop %d: %w", id, crm.ErrNotFound)
	}
	if err != nil {
		return crm.Shop{}, fmt.Errorf("storage: shop %d: %w", id, err)
	}
	return s, nil
}

// ShopByCode returns the shop whose join code is code, ignoring case and
// surrounding space; a code of the generated shape is also read as
// crm.NormalizeCode reads it (without separators, O for 0, I or L for 1).
func (db *DB) ShopByCode(ctx context.Context, code string) (crm.Shop, error) {
	code = strings.ToLower(strings.TrimSpace(code))
	canonical := code
	if c, ok := crm.NormalizeCode(code); ok {
		canonical = strings.ToLower(c)
	}
	s, err := scanShop(db.db.QueryRowContext(ctx, `SELECT `+shopColumns+` FROM shops WHERE code IN (?, ?)
		ORDER BY code = ? DESC LIMIT 1`, canonical, code, canonical))
	if errors.Is(err, sql.ErrNoRows) {
		return crm.Shop{}, fmt.Errorf("storage: shop by code: %w", crm.ErrNotFound)
	}
	if err != nil {
		return crm.Shop{}, fmt.Errorf("storage: shop by code: %w", err)
	}
	return s, nil
}

// Shops returns every shop, oldest first.
func (db *DB) Shops(ctx context.Context) ([]crm.Shop, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+shopColumns+` FROM shops ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("storage: shops: %w", err)
	}
	defer rows.Close()
	var out []crm.Shop
	for rows.Next() {
		s, err := scanShop(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: shops: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: shops: %w", err)
	}
	return out, nil
}

// UpdateShop stores a shop's settings. Zero fields take crm's defaults
// (an empty Currency the default of the shop's language and zone); an
// empty Code keeps the current code. CreatedAt is not changed.
func (db *DB) UpdateShop(ctx context.Context, s crm.Shop) error {
	s, err := normalShop(s)
	if err != nil {
		return fmt.Errorf("storage: update shop: %w", err)
	}
	res, err := db.exec(ctx, `UPDATE shops SET name = ?, lang = ?, time_zone = ?,
		digest_time = ?, lapsed_days = ?, digest_limit = ?, code = coalesce(nullif(?, ''), code), currency = ?
		WHERE id = ?`,
		s.Name, s.Lang, s.TimeZone, s.DigestTime, s.LapsedDays, s.DigestLimit, s.Code, s.Currency, s.ID)
	if err != nil {
		return fmt.Errorf("storage: update shop %d: %w", s.ID, constraint(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("storage: update shop %d: %w", s.ID, err)
	} else if n == 0 {
		return fmt.Errorf("storage: update shop %d: %w", s.ID, crm.ErrNotFound)
	}
	return nil
}

// AddMember adds a member to a shop, or updates the name and role of an
// existing one (keeping when they joined).
func (db *DB) AddMember(ctx context.Context, m crm.Member) error {
	if m.Platform == "" || m.UserID == "" {
		return fmt.Errorf("storage: add member: empty platform or user id: %w", crm.ErrInvalidInput)
	}
	if m.Role == "" {
		m.Role = crm.RoleStaff
	}
	if m.Role != crm.RoleOwner && m.Role != crm.RoleStaff {
		return fmt.Errorf("storage: add member: role %q: %w", m.Role, crm.ErrInvalidInput)
	}
	_, err := db.exec(ctx, `INSERT INTO members (shop_id, platform, user_id, name, role, created_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (shop_id, platform, user_id) DO UPDATE SET name = excluded.name, role = excluded.role`,
		m.ShopID, m.Platform, m.UserID, strings.TrimSpace(m.Name), string(m.Role), formatTime(m.CreatedAt))
	if err != nil {
		return fmt.Errorf("storage: add member: %w", constraint(err))
	}
	return nil
}

// RemoveMember removes a member from a shop.
func (db *DB) RemoveMember(ctx context.Context, shopID int64, platform, userID string) error {
	res, err := db.exec(ctx, `DELETE FROM members WHERE shop_id = ? AND platform = ? AND user_id = ?`,
		shopID, platform, userID)
	if err != nil {
		return fmt.Errorf("storage: remove member: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("storage: remove member: %w", err)
	} else if n == 0 {
		return fmt.Errorf("storage: remove member: %w", crm.ErrNotFound)
	}
	return nil
}

const memberColumns = `shop_id, platform, user_id, name, role, created_at`

func (db *DB) members(ctx context.Context, query string, args ...any) ([]crm.Member, error) {
	rows, err := db.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.Member
	for rows.Next() {
		var m crm.Member
		var role, created string
		if err := rows.Scan(&m.ShopID, &m.Platform, &m.UserID, &m.Name, &role, &created); err != nil {
			return nil, err
		}
		m.Role = crm.Role(role)
		if m.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Memberships returns every shop membership of one messenger user, in the
// order the shops were created.
func (db *DB) Memberships(ctx context.Context, platform, userID string) ([]crm.Member, error) {
	ms, err := db.members(ctx, `SELECT `+memberColumns+` FROM members
		WHERE platform = ? AND user_id = ? ORDER BY shop_id`, platform, userID)
	if err != nil {
		return nil, fmt.Errorf("storage: memberships: %w", err)
	}
	return ms, nil
}

// Members returns a shop's members in the order they joined.
func (db *DB) Members(ctx context.Context, shopID int64) ([]crm.Member, error) {
	ms, err := db.members(ctx, `SELECT `+memberColumns+` FROM members
		WHERE shop_id = ? ORDER BY created_at, platform, user_id`, shopID)
	if err != nil {
		return nil, fmt.Errorf("storage: members of shop %d: %w", shopID, err)
	}
	return ms, nil
}
