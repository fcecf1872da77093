-- 0003: ledger import and export, and what the morning digest showed.
--
-- A visit may carry the ledger's note for it. Visits imported from a ledger
-- carry an import key, so that importing the same file again adds nothing:
-- the first 8 bytes, as a big-endian signed integer, of the SHA-256 of the
-- row's content (date; customer name; items, merged by name and in name
-- order, with their quantities; amount; note; names with ASCII case folded
-- as NOCASE does; each field length-prefixed) followed by the number of
-- identical rows before it in the same import (0 for the first). 64 bits
-- make two different rows sharing a key (the later one then skipped as
-- imported before) vanishingly unlikely, and keep the unique index small.
-- Visits from owner notes have no key.
ALTER TABLE visits ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE visits ADD COLUMN import_key INTEGER;

-- Imported visits belong to no note, and nothing looks visits up by a
-- missing note: the index of visits by note (for the foreign key to notes)
-- leaves them out, so that an import need not keep an entry for each.
DROP INDEX visits_note;
CREATE INDEX visits_note ON visits (shop_id, note_id) WHERE note_id IS NOT NULL;

CREATE UNIQUE INDEX visits_import_key ON visits (shop_id, import_key) WHERE import_key IS NOT NULL;

-- A day's digest is pushed once. day is YYYY-MM-DD in the shop's time zone.
CREATE TABLE digest_runs (
	shop_id   INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
	day       TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	pushed_at TEXT    NOT NULL,
	PRIMARY KEY (shop_id, day)
) STRICT, WITHOUT ROWID;

-- Who a pushed digest showed, and why: codes are the entry's reason codes,
-- comma separated, best first (lapsed,birthday).
CREATE TABLE digest_shown (
	shop_id     INTEGER NOT NULL,
	day         TEXT    NOT NULL,
	customer_id INTEGER NOT NULL,
	codes       TEXT    NOT NULL,
	PRIMARY KEY (shop_id, customer_id, day),
	FOREIGN KEY (shop_id, day) REFERENCES digest_runs (shop_id, day) ON DELETE CASCADE,
	FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

-- The days the owner marked a customer greeted.
CREATE TABLE greetings (
	shop_id     INTEGER NOT NULL,
	customer_id INTEGER NOT NULL,
	day         TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	PRIMARY KEY (shop_id, customer_id, day),
	FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
