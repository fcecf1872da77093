-- 0008: notes that say more: amounts with their currency, a customer's
-- usual time of day, bookings, and the words a shop taught Dangol. A note
-- may now be about several customers; each effect names its customer.
--
-- New note effects (see crm.EffectKind):
--   fact_removed      ref_id fact,     old = kind:noteID:createdAt, new = value
--   line_qty_set      ref_id visit,    old, new = itemID:qty
--   visit_date_set    ref_id visit,    old, new = YYYY-MM-DD
--   usual_time_set    ref_id customer, old, new = HH:MM ('' when unknown)
--   booking_added     ref_id booking,  new = date
--   lexicon_set       ref_id 0,        old, new = role:word ('' role when new)
--
-- A shop's currency is an ISO 4217 code; '' means the default of its
-- language and time zone (crm.ShopCurrency), which Shop reads fill in.
ALTER TABLE shops ADD COLUMN currency TEXT NOT NULL DEFAULT '';

-- HH:MM in the shop's time zone, or '' when the owner never said.
ALTER TABLE customers ADD COLUMN usual_time TEXT NOT NULL DEFAULT '';

-- The currency of a visit's amount; '' for the shop's (imported visits).
ALTER TABLE visits ADD COLUMN currency TEXT NOT NULL DEFAULT '';

-- What customers booked: a day (the first night of a stay, end_date its
-- last day), a time of day, what, and an amount. Written by notes
-- (effect booking_added); erased with the customer.
CREATE TABLE bookings (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	shop_id     INTEGER NOT NULL,
	customer_id INTEGER NOT NULL,
	note_id     INTEGER,
	date        TEXT    NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	end_date    TEXT    NOT NULL DEFAULT '' CHECK (end_date = '' OR end_date >= date),
	time        TEXT    NOT NULL DEFAULT '' CHECK (time = '' OR time GLOB '[0-2][0-9]:[0-5][0-9]'),
	what        TEXT    NOT NULL DEFAULT '',
	amount      INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),
	currency    TEXT    NOT NULL DEFAULT '',
	created_at  TEXT    NOT NULL,
	UNIQUE (shop_id, id),
	FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE,
	FOREIGN KEY (shop_id, note_id) REFERENCES notes (shop_id, id)
) STRICT;

CREATE INDEX bookings_date ON bookings (shop_id, date);
CREATE INDEX bookings_customer ON bookings (shop_id, customer_id, date);
CREATE INDEX bookings_note ON bookings (shop_id, note_id);

-- Words of the shop's notes the parser could not place, and what the
-- owner said they are (item, memo or ignore). Words are lower-cased.
-- Written by notes (effect lexicon_set).
CREATE TABLE lexicon (
	shop_id INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
	word    TEXT    NOT NULL,
	role    TEXT    NOT NULL CHECK (role IN ('item', 'memo', 'ignore')),
	PRIMARY KEY (shop_id, word)
) STRICT, WITHOUT ROWID;
