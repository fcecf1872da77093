-- 0005: customers in the chat. Who joined through a shop's link, what
-- they agreed to (an append-only ledger) and the outbox every message to a
-- customer, and every notice to the shop about them, goes through.
--
-- Everything that names or concerns a customer refers to their customer
-- row with ON DELETE CASCADE, so erasing the customer erases it too.

-- A messenger user who joined a shop as one of its customers. At most one
-- link per user and shop, and per customer.
CREATE TABLE customer_links (
	shop_id       INTEGER NOT NULL,
	customer_id   INTEGER NOT NULL,
	platform      TEXT    NOT NULL,
	user_id       TEXT    NOT NULL,
	lang          TEXT    NOT NULL DEFAULT 'ko',
	status        TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'unreachable')),
	awaiting_name INTEGER NOT NULL DEFAULT 0 CHECK (awaiting_name IN (0, 1)),
	quiet         TEXT    NOT NULL DEFAULT '',  -- the customer's own quiet hours, HH:MM-HH:MM
	renewal_asked TEXT,                         -- an open renewal question, NULL for none
	last_inbound  TEXT,                         -- when they last wrote to the shop
	created_at    TEXT    NOT NULL,
	PRIMARY KEY (shop_id, platform, user_id),
	UNIQUE (shop_id, customer_id),
	FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE INDEX customer_links_user ON customer_links (platform, user_id);

-- The consent ledger: each purpose granted or withdrawn, when, through
-- which channel and after which version of the notice. Rows are never
-- changed; they go only with their customer.
CREATE TABLE consent_ledger (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	shop_id     INTEGER NOT NULL,
	customer_id INTEGER NOT NULL,
	purpose     TEXT    NOT NULL CHECK (purpose IN ('reminders', 'offers', 'birthday')),
	granted     INTEGER NOT NULL CHECK (granted IN (0, 1)),
	at          TEXT    NOT NULL,
	channel     TEXT    NOT NULL,
	notice      TEXT    NOT NULL,
	FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
) STRICT;

CREATE INDEX consent_ledger_customer ON consent_ledger (shop_id, customer_id, id);

CREATE TRIGGER consent_ledger_append_only BEFORE UPDATE ON consent_ledger
BEGIN
	SELECT RAISE(ABORT, 'consent_ledger is append-only');
END;

-- Only that someone declined a shop's notice; nothing else about them.
CREATE TABLE join_declines (
	shop_id  INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
	platform TEXT    NOT NULL,
	user_id  TEXT    NOT NULL,
	at       TEXT    NOT NULL,
	PRIMARY KEY (shop_id, platform, user_id)
) STRICT, WITHOUT ROWID;

-- Messages to customers and notices to members. A message is written
-- queued or blocked in the transaction that decided it; the sender loop
-- claims it (sending), delivers it and marks it sent, or puts it back
-- queued for a retry, or gives up (failed). A queued message that may no
-- longer go is cancelled. Blocked messages keep no text. due_at is when it
-- may go (after quiet hours); buttons are a JSON array.
CREATE TABLE outbox (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	shop_id      INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
	customer_id  INTEGER,
	recipient    TEXT    NOT NULL CHECK (recipient IN ('customer', 'member')),
	platform     TEXT    NOT NULL,
	user_id      TEXT    NOT NULL,
	purpose      TEXT    NOT NULL DEFAULT '',
	text         TEXT    NOT NULL,
	buttons      TEXT    NOT NULL DEFAULT '[]',
	status       TEXT    NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'blocked', 'failed', 'cancelled')),
	reason       TEXT    NOT NULL DEFAULT '',
	requested_by TEXT    NOT NULL DEFAULT '',
	attempts     INTEGER NOT NULL DEFAULT 0,
	created_at   TEXT    NOT NULL,
	due_at       TEXT    NOT NULL,
	claimed_at   TEXT,
	sent_at      TEXT,
	CHECK (recipient = 'member' OR customer_id IS NOT NULL),
	FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
) STRICT;

CREATE INDEX outbox_due ON outbox (status, due_at);
CREATE INDEX outbox_customer ON outbox (shop_id, customer_id, id);

-- A message a member is preparing for a customer ("Send hello", Edit).
CREATE TABLE drafts (
	shop_id     INTEGER NOT NULL,
	platform    TEXT    NOT NULL,
	user_id     TEXT    NOT NULL,
	customer_id INTEGER NOT NULL,
	purpose     TEXT    NOT NULL,
	text        TEXT    NOT NULL,
	editing     INTEGER NOT NULL DEFAULT 0 CHECK (editing IN (0, 1)),
	created_at  TEXT    NOT NULL,
	PRIMARY KEY (shop_id, platform, user_id),
	FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
