-- 0001: Dangol's first schema.
--
-- Every row but a cursor belongs to a shop. Tables that refer to another
-- shop-owned row do so through a composite foreign key (shop_id, id), so a
-- row of one shop can never point at a row of another. A note can only be
-- deleted once the rows it recorded are gone (ForgetCustomer deletes the
-- customer first). Ids that buttons and undo refer to (notes, customers,
-- pending) are AUTOINCREMENT so a deleted row's id is never reused.
--
-- Times are UTC RFC 3339 text with nine fraction digits
-- (2006-01-02T15:04:05.000000000Z); visit dates are YYYY-MM-DD in the shop's
-- own time zone.

CREATE TABLE shops (
	id           INTEGER PRIMARY KEY,
	name         TEXT    NOT NULL,
	lang         TEXT    NOT NULL DEFAULT 'ko',
	time_zone    TEXT    NOT NULL,
	digest_time  TEXT    NOT NULL,
	lapsed_days  INTEGER NOT NULL CHECK (lapsed_days > 0),
	digest_limit INTEGER NOT NULL CHECK (digest_limit > 0),
	code         TEXT    NOT NULL UNIQUE,
	created_at   TEXT    NOT NULL
) STRICT;

CREATE TABLE members (
	shop_id    INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
	platform   TEXT    NOT NULL,
	user_id    TEXT    NOT NULL,
	name       TEXT    NOT NULL DEFAULT '',
	role       TEXT    NOT NULL,
	created_at TEXT    NOT NULL,
	PRIMARY KEY (shop_id, platform, user_id)
) STRICT, WITHOUT ROWID;

-- Memberships looks a messenger user up across shops.
CREATE INDEX members_user ON members (platform, user_id);

-- Raw notes, verbatim. undone_at is NULL while the note is in effect.
CREATE TABLE notes (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	shop_id    INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
	platform   TEXT    NOT NULL,
	author_id  TEXT    NOT NULL,
	text       TEXT    NOT NULL,
	created_at TEXT    NOT NULL,
	undone_at  TEXT,
	UNIQUE (shop_id, id)
) STRICT;

CREATE INDEX notes_author ON notes (shop_id, platform, author_id, id);

CREATE TABLE customers (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	shop_id         INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
	name            TEXT    NOT NULL COLLATE NOCASE,
	birthday        TEXT    NOT NULL DEFAULT '',  -- MM-DD or ''
	usual_weekday   INTEGER NOT NULL DEFAULT -1 CHECK (usual_weekday BETWEEN -1 AND 6),
	consent         TEXT    NOT NULL DEFAULT 'none',
	created_at      TEXT    NOT NULL,
	created_by_note INTEGER,
	UNIQUE (shop_id, id),
	FOREIGN KEY (shop_id, created_by_note) REFERENCES notes (shop_id, id)
) STRICT;

CREATE INDEX customers_name ON customers (shop_id, name);
CREATE INDEX customers_note ON customers (shop_id, created_by_note);

CREATE TABLE customer_aliases (
	shop_id     INTEGER NOT NULL,
	customer_id INTEGER NOT NULL,
	alias       TEXT    NOT NULL COLLATE NOCASE,
	PRIMARY KEY (shop_id, customer_id, alias),
	FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE INDEX customer_aliases_alias ON customer_aliases (shop_id, alias);

-- The item catalog. Names and aliases are unique per shop, ignoring ASCII
-- case; a name of one item may not be used as an alias of another (checked
-- by storage).
CREATE TABLE items (
	id      INTEGER PRIMARY KEY,
	shop_id INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
	name    TEXT    NOT NULL COLLATE NOCASE,
	UNIQUE (shop_id, name),
	UNIQUE (shop_id, id)
) STRICT;

CREATE TABLE item_aliases (
	shop_id INTEGER NOT NULL,
	item_id INTEGER NOT NULL,
	alias   TEXT    NOT NULL COLLATE NOCASE,
	PRIMARY KEY (shop_id, alias),
	FOREIGN KEY (shop_id, item_id) REFERENCES items (shop_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE INDEX item_aliases_item ON item_aliases (shop_id, item_id);

CREATE TABLE visits (
	id          INTEGER PRIMARY KEY,
	shop_id     INTEGER NOT NULL,
	customer_id INTEGER NOT NULL,
	note_id     INTEGER,  -- NULL when imported
	date        TEXT    NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	amount      INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),
	context     TEXT    NOT NULL DEFAULT '[]',  -- JSON array of strings
	created_at  TEXT    NOT NULL,
	UNIQUE (shop_id, id),
	FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE,
	FOREIGN KEY (shop_id, note_id) REFERENCES notes (shop_id, id)
) STRICT;

CREATE INDEX visits_customer ON visits (shop_id, customer_id, date);
CREATE INDEX visits_note ON visits (shop_id, note_id);

CREATE TABLE visit_items (
	shop_id  INTEGER NOT NULL,
	visit_id INTEGER NOT NULL,
	item_id  INTEGER NOT NULL,
	qty      INTEGER NOT NULL CHECK (qty >= 1),
	PRIMARY KEY (shop_id, visit_id, item_id),
	FOREIGN KEY (shop_id, visit_id) REFERENCES visits (shop_id, id) ON DELETE CASCADE,
	FOREIGN KEY (shop_id, item_id) REFERENCES items (shop_id, id)
) STRICT;

CREATE INDEX visit_items_item ON visit_items (shop_id, item_id);

CREATE TABLE facts (
	id          INTEGER PRIMARY KEY,
	shop_id     INTEGER NOT NULL,
	customer_id INTEGER NOT NULL,
	note_id     INTEGER,
	kind        TEXT    NOT NULL,
	value       TEXT    NOT NULL,
	created_at  TEXT    NOT NULL,
	FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE,
	FOREIGN KEY (shop_id, note_id) REFERENCES notes (shop_id, id)
) STRICT;

CREATE INDEX facts_customer ON facts (shop_id, customer_id, id);
CREATE INDEX facts_note ON facts (shop_id, note_id);

-- What each note changed, in order (seq), with what is needed to reverse
-- it. customer_id is the note's customer (0 for a note about no customer).
-- Not foreign keys: effects outlive what an undo removes.
--   customer_created  ref_id customer, new = name
--   item_created      ref_id item,     new = item name
--   alias_added       ref_id item,     old = item name, new = alias
--   visit_added       ref_id visit,    new = date
--   fact_added        ref_id fact,     old = kind, new = value
--   birthday_set      ref_id customer, old, new = MM-DD ('' when unknown)
--   weekday_set       ref_id customer, old, new = 0 (Sunday) … 6, -1 unknown
--   renamed           ref_id customer, old, new = name
CREATE TABLE note_effects (
	shop_id     INTEGER NOT NULL,
	note_id     INTEGER NOT NULL,
	seq         INTEGER NOT NULL,
	kind        TEXT    NOT NULL,
	customer_id INTEGER NOT NULL,
	ref_id      INTEGER NOT NULL DEFAULT 0,
	old         TEXT    NOT NULL DEFAULT '',
	new         TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (shop_id, note_id, seq),
	FOREIGN KEY (shop_id, note_id) REFERENCES notes (shop_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE INDEX note_effects_customer ON note_effects (shop_id, customer_id);

-- Notes waiting for the owner's answer. payload is opaque to storage.
CREATE TABLE pending (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	shop_id    INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
	platform   TEXT    NOT NULL,
	author_id  TEXT    NOT NULL,
	text       TEXT    NOT NULL,
	payload    BLOB,
	created_at TEXT    NOT NULL,
	UNIQUE (shop_id, id)
) STRICT;

-- Positions in inbound message streams (not per shop: a bot serves many).
CREATE TABLE cursors (
	name  TEXT    PRIMARY KEY,
	value INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- That an erasure happened, and nothing about whom.
CREATE TABLE erasures (
	id      INTEGER PRIMARY KEY,
	shop_id INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
	at      TEXT    NOT NULL,
	what    TEXT    NOT NULL
) STRICT;

CREATE INDEX erasures_shop ON erasures (shop_id, at);
