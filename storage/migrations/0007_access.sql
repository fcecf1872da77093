-- 0007: codes that cannot be guessed, a record of failed guesses, the
-- install's secrets, and facts the owner chose not to keep.

-- Secrets of this install, such as the key that signs join buttons.
CREATE TABLE install_secrets (
	name       TEXT PRIMARY KEY,
	value      BLOB NOT NULL,
	created_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Failed code checks by scope: 'platform:user' for one person, '*' for
-- everyone. level is the global leaky bucket's level.
CREATE TABLE code_attempts (
	scope        TEXT    PRIMARY KEY,
	failures     INTEGER NOT NULL DEFAULT 0,
	level        REAL    NOT NULL DEFAULT 0,
	at           TEXT    NOT NULL,
	locked_until TEXT,
	alerted_at   TEXT
) STRICT, WITHOUT ROWID;

-- A fact a member removed right after noting it, kept for a short while so
-- it can be brought back: its kind and value, and the text of the note
-- that recorded it before (note_text) and after (redacted) the value was
-- taken out of it.
CREATE TABLE fact_drops (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: a late button must not find another drop
	shop_id     INTEGER NOT NULL,
	customer_id INTEGER NOT NULL,
	fact_id     INTEGER NOT NULL,
	note_id     INTEGER,
	kind        TEXT    NOT NULL,
	value       TEXT    NOT NULL,
	fact_at     TEXT    NOT NULL,
	note_text   TEXT    NOT NULL DEFAULT '',
	redacted    TEXT    NOT NULL DEFAULT '',
	by_member   TEXT    NOT NULL,
	at          TEXT    NOT NULL,
	FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
) STRICT;

CREATE INDEX fact_drops_at ON fact_drops (at);
CREATE INDEX fact_drops_customer ON fact_drops (shop_id, customer_id);

-- Codes of the old shape (eight digits, or eight letters and digits for a
-- shop) can be guessed: unused invitations of that shape go, and shops get
-- a join code of the new shape, twelve symbols of Crockford's base 32 in
-- groups of four. The owner is told to print a new poster
-- (access.code_renewed). SQLite's random() is seeded from the system's
-- randomness.
DELETE FROM invites WHERE used_at IS NULL AND length(code) <> 14;

INSERT INTO shop_settings (shop_id, key, value)
	SELECT id, 'access.code_renewed', code FROM shops WHERE length(code) <> 14
	ON CONFLICT DO NOTHING;

UPDATE shops SET code =
	substr('0123456789abcdefghjkmnpqrstvwxyz', (random() & 31) + 1, 1) ||
	substr('0123456789abcdefghjkmnpqrstvwxyz', (random() & 31) + 1, 1) ||
	substr('0123456789abcdefghjkmnpqrstvwxyz', (random() & 31) + 1, 1) ||
	substr('0123456789abcdefghjkmnpqrstvwxyz', (random() & 31) + 1, 1) || '-' ||
	substr('0123456789abcdefghjkmnpqrstvwxyz', (random() & 31) + 1, 1) ||
	substr('0123456789abcdefghjkmnpqrstvwxyz', (random() & 31) + 1, 1) ||
	substr('0123456789abcdefghjkmnpqrstvwxyz', (random() & 31) + 1, 1) ||
	substr('0123456789abcdefghjkmnpqrstvwxyz', (random() & 31) + 1, 1) || '-' ||
	substr('0123456789abcdefghjkmnpqrstvwxyz', (random() & 31) + 1, 1) ||
	substr('0123456789abcdefghjkmnpqrstvwxyz', (random() & 31) + 1, 1) ||
	substr('0123456789abcdefghjkmnpqrstvwxyz', (random() & 31) + 1, 1) ||
	substr('0123456789abcdefghjkmnpqrstvwxyz', (random() & 31) + 1, 1)
WHERE length(code) <> 14;
