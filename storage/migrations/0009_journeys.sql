-- 0009: journeys. Rules the owner writes (If-Then), the days each ran,
-- every time one fired for a customer, the owner's announcements and the
-- day's forecast.
--
-- A rule's trigger and action are JSON (crm.Trigger and crm.Action).
-- Firings name a customer by id only and go with them (ON DELETE
-- CASCADE); nothing here keeps a customer's name or the text they were
-- sent (a hash of it, to keep the same message from going twice a week).

CREATE TABLE rules (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	shop_id    INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
	state      TEXT    NOT NULL CHECK (state IN ('draft', 'active', 'paused')),
	name       TEXT    NOT NULL,
	kind       TEXT    NOT NULL DEFAULT '',  -- exposure kind 'rule:NAME', fixed when first saved
	template   TEXT    NOT NULL DEFAULT '',
	trigger_spec TEXT  NOT NULL,             -- JSON crm.Trigger
	action_spec TEXT   NOT NULL,             -- JSON crm.Action
	send_at    TEXT    NOT NULL DEFAULT '' CHECK (send_at = '' OR send_at GLOB '[0-2][0-9]:[0-5][0-9]'),
	source     TEXT    NOT NULL DEFAULT '',  -- what the owner wrote
	author     TEXT    NOT NULL DEFAULT '',  -- a draft's author, platform:user
	editing    INTEGER NOT NULL DEFAULT 0 CHECK (editing IN (0, 1)),
	replaces   INTEGER NOT NULL DEFAULT 0,   -- a draft editing a saved rule: that rule's id
	next_run   TEXT,                         -- when the scheduler runs it next; NULL unless active with a send time
	created_at TEXT    NOT NULL,
	updated_at TEXT    NOT NULL,
	UNIQUE (shop_id, id)
) STRICT;

CREATE INDEX rules_shop ON rules (shop_id, state, id);
CREATE INDEX rules_next_run ON rules (next_run) WHERE next_run IS NOT NULL;
CREATE UNIQUE INDEX rules_draft ON rules (shop_id, author) WHERE state = 'draft';

-- The shop-local days each rule ran: once a day, never twice.
CREATE TABLE rule_runs (
	shop_id    INTEGER NOT NULL,
	rule_id    INTEGER NOT NULL,
	day        TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	started_at TEXT    NOT NULL,
	PRIMARY KEY (rule_id, day),
	FOREIGN KEY (shop_id, rule_id) REFERENCES rules (shop_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

-- A rule fired for a customer on an occasion (a booking, a birthday's
-- year, a lapse …): its message was queued (outbox_id) or held out.
-- Written in the transaction that queued the message.
CREATE TABLE rule_firings (
	id          INTEGER PRIMARY KEY,
	shop_id     INTEGER NOT NULL,
	rule_id     INTEGER NOT NULL,
	customer_id INTEGER NOT NULL,
	occasion    TEXT    NOT NULL,
	day         TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	action      TEXT    NOT NULL CHECK (action IN ('message', 'ask')),
	text_hash   TEXT    NOT NULL DEFAULT '',
	outbox_id   INTEGER,
	held_out    INTEGER NOT NULL DEFAULT 0 CHECK (held_out IN (0, 1)),
	topic       TEXT    NOT NULL DEFAULT '',  -- ask: what the answer is about
	answered_at TEXT,
	UNIQUE (rule_id, customer_id, occasion),
	FOREIGN KEY (shop_id, rule_id) REFERENCES rules (shop_id, id) ON DELETE CASCADE,
	FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
) STRICT;

CREATE INDEX rule_firings_day ON rule_firings (shop_id, day);
CREATE INDEX rule_firings_customer ON rule_firings (shop_id, customer_id, id);

-- News the owner posts ("/new oat latte"), matched against likes.
CREATE TABLE announcements (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	shop_id    INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
	text       TEXT    NOT NULL,
	day        TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	created_at TEXT    NOT NULL
) STRICT;

CREATE INDEX announcements_day ON announcements (shop_id, day);

-- The day's forecast for the shop's location, fetched once; failed = 1
-- when it could not be (weather rules sit that day out).
CREATE TABLE weather_days (
	shop_id    INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
	day        TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	rain       INTEGER NOT NULL DEFAULT 0 CHECK (rain BETWEEN 0 AND 100),
	failed     INTEGER NOT NULL DEFAULT 0 CHECK (failed IN (0, 1)),
	fetched_at TEXT    NOT NULL,
	PRIMARY KEY (shop_id, day)
) STRICT, WITHOUT ROWID;
