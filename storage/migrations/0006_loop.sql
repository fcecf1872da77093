-- 0006: the loop. Every exposure — a digest entry shown or held out, a
-- "greeted" mark, a message sent or held out — with its shop-local day,
-- so the weekly report can tell whether a visit followed.
--
-- Erasure leaves only anonymous counts: before a customer row goes (forget,
-- erasure, retention, undo), the trigger below settles whether each of
-- their exposures was followed by a visit (the rule of crm.FollowUps, in
-- SQL) and then drops the customer id and the draw from it. The report's
-- past counts stay as they were; nothing in the row says whom it was about.
CREATE TABLE exposures (
	id          INTEGER PRIMARY KEY,
	shop_id     INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
	customer_id INTEGER,  -- NULL once the customer is erased
	day         TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	track       TEXT    NOT NULL CHECK (track IN ('digest', 'greeted', 'message')),
	kind        TEXT    NOT NULL,            -- reason code, 'greeted', or message source ('hello', 'send', 'offer', 'rule:…')
	codes       TEXT    NOT NULL DEFAULT '', -- digest: the entry's reason codes, best first
	purpose     TEXT    NOT NULL DEFAULT '',
	held_out    INTEGER NOT NULL DEFAULT 0 CHECK (held_out IN (0, 1)),
	draw        REAL,                        -- the holdout draw; NULL when none, or erased
	followed    INTEGER CHECK (followed IN (0, 1)) -- settled at erasure; NULL while the customer exists
) STRICT;

CREATE INDEX exposures_customer ON exposures (shop_id, customer_id, track, day);
CREATE INDEX exposures_day ON exposures (shop_id, day);

-- Who or what sent a message (the exposure's kind once it is sent), and
-- the holdout draw of an automated one.
ALTER TABLE outbox ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN draw REAL;

CREATE TRIGGER exposures_settle BEFORE DELETE ON customers BEGIN
	UPDATE exposures SET followed = EXISTS (
		SELECT 1 FROM visits v
		WHERE v.shop_id = OLD.shop_id AND v.customer_id = OLD.id
			AND v.date >= exposures.day
			AND v.date <= date(exposures.day, '+' || coalesce((SELECT CAST(s.value AS INTEGER) FROM shop_settings s
				WHERE s.shop_id = OLD.shop_id AND s.key = 'loop.followup_days'), 7) || ' days')
			-- no later exposure of the track on or before the visit takes it
			AND NOT EXISTS (SELECT 1 FROM exposures l
				WHERE l.shop_id = OLD.shop_id AND l.customer_id = OLD.id AND l.track = exposures.track
					AND (l.day > exposures.day OR (l.day = exposures.day AND l.id > exposures.id))
					AND l.day <= v.date))
	WHERE shop_id = OLD.shop_id AND customer_id = OLD.id;
	UPDATE exposures SET customer_id = NULL, draw = NULL WHERE shop_id = OLD.shop_id AND customer_id = OLD.id;
END;

-- Each shop's secret holdout seed, made with the shop (and now for the
-- shops there are).
INSERT OR IGNORE INTO shop_settings (shop_id, key, value) SELECT id, 'loop.seed', lower(hex(randomblob(16))) FROM shops;

CREATE TRIGGER shops_loop_seed AFTER INSERT ON shops BEGIN
	INSERT OR IGNORE INTO shop_settings (shop_id, key, value) VALUES (NEW.id, 'loop.seed', lower(hex(randomblob(16))));
END;
