-- 0003: ledger import and export, and what the morning digest showed.
--
-- A visit may carry the ledger's note for it. Visits imported from a ledger
-- carry an import key, so that importing the same file again adds nothing:
-- the hex SHA-256 of the row's content (date; customer name; items, merged
-- by name and in name order, with their quantities; amount; note; names
-- with ASCII case folded as NOCASE does) followed by '#' and the number of
-- identical rows before it in the same import (0 for the first). Visits
-- from owner notes have no key.
ALTER TABLE visits ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE visits ADD COLUMN import_key TEXT;

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
