-- 0011: speed at every size. A summary of each customer's visits kept on
-- write, so that the digest reads one row per customer instead of every
-- visit; and a version of each shop's names, so that what notes are read
-- against can be kept in memory and refreshed only when it changed.
--
-- visit_summaries holds, for every customer with visits: how many visit
-- rows they have, the first and last visit date, and days: the day of
-- every visit, four bytes each, in no particular order. A day is n, the
-- number of days since 0001-01-01, written as 0x80 | n >> 21, then
-- n >> 14, n >> 7 and n, each & 0x7F: only the first byte of a day has
-- its high bit set, so a day found in the blob always starts on a day's
-- first byte. The triggers below keep it in step with visits in the same
-- transaction, whatever writes them (notes, undo, corrections, imports,
-- merges of customers, erasure, retention, restores); a customer's row
-- goes with the customer. (A large import pauses the trigger on inserts
-- for its shop and writes the same itself, in the same transaction.) `dangol doctor` recomputes it from visits and
-- compares.
CREATE TABLE visit_summaries (
	shop_id     INTEGER NOT NULL,
	customer_id INTEGER NOT NULL,
	visits      INTEGER NOT NULL CHECK (visits > 0),
	first_date  TEXT    NOT NULL,
	last_date   TEXT    NOT NULL,
	days        BLOB    NOT NULL,
	PRIMARY KEY (shop_id, customer_id),
	FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

INSERT INTO visit_summaries (shop_id, customer_id, visits, first_date, last_date, days)
	SELECT shop_id, customer_id, count(*), min(date), max(date),
		CAST(group_concat((SELECT unhex(printf('%02X%02X%02X%02X', 128 + (n >> 21), (n >> 14) & 127, (n >> 7) & 127, n & 127))
			FROM (SELECT coalesce(unixepoch(date) / 86400 + 719162, 0) AS n)), x'' ORDER BY date) AS BLOB)
	FROM visits GROUP BY shop_id, customer_id;

-- A large import keeps the summaries of its visits itself, in its own
-- transaction, and meanwhile holds its shop here: rows of this table exist
-- only inside such a transaction.
CREATE TABLE visit_summaries_paused (
	shop_id INTEGER PRIMARY KEY
) STRICT;

CREATE TRIGGER visit_summaries_insert AFTER INSERT ON visits
WHEN NOT EXISTS (SELECT 1 FROM visit_summaries_paused WHERE shop_id = NEW.shop_id) BEGIN
	INSERT INTO visit_summaries (shop_id, customer_id, visits, first_date, last_date, days)
		SELECT NEW.shop_id, NEW.customer_id, 1, NEW.date, NEW.date,
			unhex(printf('%02X%02X%02X%02X', 128 + (n >> 21), (n >> 14) & 127, (n >> 7) & 127, n & 127))
		FROM (SELECT coalesce(unixepoch(NEW.date) / 86400 + 719162, 0) AS n) WHERE true
	ON CONFLICT (shop_id, customer_id) DO UPDATE SET visits = visits + 1,
		first_date = min(first_date, excluded.first_date), last_date = max(last_date, excluded.last_date),
		days = CAST(days || excluded.days AS BLOB);
END;

-- A visit that goes with its customer (erasure, retention) leaves the
-- summary to go with the customer too.
CREATE TRIGGER visit_summaries_delete AFTER DELETE ON visits
WHEN EXISTS (SELECT 1 FROM customers WHERE shop_id = OLD.shop_id AND id = OLD.customer_id) BEGIN
	DELETE FROM visit_summaries WHERE shop_id = OLD.shop_id AND customer_id = OLD.customer_id AND visits <= 1;
	UPDATE visit_summaries SET visits = visits - 1,
		days = (SELECT CASE WHEN instr(days, d) > 0
				THEN CAST(substr(days, 1, instr(days, d) - 1) || substr(days, instr(days, d) + 4) AS BLOB)
				ELSE days END
			FROM (SELECT unhex(printf('%02X%02X%02X%02X', 128 + (n >> 21), (n >> 14) & 127, (n >> 7) & 127, n & 127)) AS d
				FROM (SELECT coalesce(unixepoch(OLD.date) / 86400 + 719162, 0) AS n))),
		first_date = CASE WHEN first_date < OLD.date THEN first_date ELSE coalesce((SELECT min(date) FROM visits
			WHERE shop_id = OLD.shop_id AND customer_id = OLD.customer_id), '') END,
		last_date = CASE WHEN last_date > OLD.date THEN last_date ELSE coalesce((SELECT max(date) FROM visits
			WHERE shop_id = OLD.shop_id AND customer_id = OLD.customer_id), '') END
	WHERE shop_id = OLD.shop_id AND customer_id = OLD.customer_id AND visits > 1;
END;

-- A visit moved to another day (a correction, its undo) or to another
-- customer (two customers merged).
CREATE TRIGGER visit_summaries_update AFTER UPDATE OF date, customer_id ON visits
WHEN OLD.date IS NOT NEW.date OR OLD.customer_id IS NOT NEW.customer_id BEGIN
	DELETE FROM visit_summaries WHERE shop_id = OLD.shop_id AND customer_id = OLD.customer_id AND visits <= 1;
	UPDATE visit_summaries SET visits = visits - 1,
		days = (SELECT CASE WHEN instr(days, d) > 0
				THEN CAST(substr(days, 1, instr(days, d) - 1) || substr(days, instr(days, d) + 4) AS BLOB)
				ELSE days END
			FROM (SELECT unhex(printf('%02X%02X%02X%02X', 128 + (n >> 21), (n >> 14) & 127, (n >> 7) & 127, n & 127)) AS d
				FROM (SELECT coalesce(unixepoch(OLD.date) / 86400 + 719162, 0) AS n))),
		first_date = CASE WHEN first_date < OLD.date THEN first_date ELSE coalesce((SELECT min(date) FROM visits
			WHERE shop_id = OLD.shop_id AND customer_id = OLD.customer_id), '') END,
		last_date = CASE WHEN last_date > OLD.date THEN last_date ELSE coalesce((SELECT max(date) FROM visits
			WHERE shop_id = OLD.shop_id AND customer_id = OLD.customer_id), '') END
	WHERE shop_id = OLD.shop_id AND customer_id = OLD.customer_id AND visits > 1;
	INSERT INTO visit_summaries (shop_id, customer_id, visits, first_date, last_date, days)
		SELECT NEW.shop_id, NEW.customer_id, 1, NEW.date, NEW.date,
			unhex(printf('%02X%02X%02X%02X', 128 + (n >> 21), (n >> 14) & 127, (n >> 7) & 127, n & 127))
		FROM (SELECT coalesce(unixepoch(NEW.date) / 86400 + 719162, 0) AS n) WHERE true
	ON CONFLICT (shop_id, customer_id) DO UPDATE SET visits = visits + 1,
		first_date = min(first_date, excluded.first_date), last_date = max(last_date, excluded.last_date),
		days = CAST(days || excluded.days AS BLOB);
END;

-- Each shop's names change version: raised by every change to its
-- customers' names, their aliases, its items, their aliases and its
-- lexicon, so that a copy of them in memory is known to be current by
-- reading one number.
ALTER TABLE shops ADD COLUMN names_version INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER names_customer_insert AFTER INSERT ON customers BEGIN
	UPDATE shops SET names_version = names_version + 1 WHERE id = NEW.shop_id;
END;
CREATE TRIGGER names_customer_update AFTER UPDATE OF name ON customers WHEN OLD.name IS NOT NEW.name BEGIN
	UPDATE shops SET names_version = names_version + 1 WHERE id = NEW.shop_id;
END;
CREATE TRIGGER names_customer_delete AFTER DELETE ON customers BEGIN
	UPDATE shops SET names_version = names_version + 1 WHERE id = OLD.shop_id;
END;
CREATE TRIGGER names_customer_alias_insert AFTER INSERT ON customer_aliases BEGIN
	UPDATE shops SET names_version = names_version + 1 WHERE id = NEW.shop_id;
END;
CREATE TRIGGER names_customer_alias_update AFTER UPDATE ON customer_aliases BEGIN
	UPDATE shops SET names_version = names_version + 1 WHERE id = NEW.shop_id;
END;
CREATE TRIGGER names_customer_alias_delete AFTER DELETE ON customer_aliases BEGIN
	UPDATE shops SET names_version = names_version + 1 WHERE id = OLD.shop_id;
END;
CREATE TRIGGER names_item_insert AFTER INSERT ON items BEGIN
	UPDATE shops SET names_version = names_version + 1 WHERE id = NEW.shop_id;
END;
CREATE TRIGGER names_item_update AFTER UPDATE ON items BEGIN
	UPDATE shops SET names_version = names_version + 1 WHERE id = NEW.shop_id;
END;
CREATE TRIGGER names_item_delete AFTER DELETE ON items BEGIN
	UPDATE shops SET names_version = names_version + 1 WHERE id = OLD.shop_id;
END;
CREATE TRIGGER names_item_alias_insert AFTER INSERT ON item_aliases BEGIN
	UPDATE shops SET names_version = names_version + 1 WHERE id = NEW.shop_id;
END;
CREATE TRIGGER names_item_alias_update AFTER UPDATE ON item_aliases BEGIN
	UPDATE shops SET names_version = names_version + 1 WHERE id = NEW.shop_id;
END;
CREATE TRIGGER names_item_alias_delete AFTER DELETE ON item_aliases BEGIN
	UPDATE shops SET names_version = names_version + 1 WHERE id = OLD.shop_id;
END;
CREATE TRIGGER names_lexicon_insert AFTER INSERT ON lexicon BEGIN
	UPDATE shops SET names_version = names_version + 1 WHERE id = NEW.shop_id;
END;
CREATE TRIGGER names_lexicon_update AFTER UPDATE ON lexicon BEGIN
	UPDATE shops SET names_version = names_version + 1 WHERE id = NEW.shop_id;
END;
CREATE TRIGGER names_lexicon_delete AFTER DELETE ON lexicon BEGIN
	UPDATE shops SET names_version = names_version + 1 WHERE id = OLD.shop_id;
END;
