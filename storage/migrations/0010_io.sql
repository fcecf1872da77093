-- 0006: nothing lost, data that travels.
--
-- The answer to a messenger update, stored in the same transaction as what
-- the update did and deleted once delivered, so that a crash between the
-- commit and the answer loses neither. stream and update_id are the
-- update's cursor (name and value); route says, in the adapter's terms,
-- where the answer goes; payload is the answer as the engine encoded it.
-- Like cursors, these rows belong to a stream, not a shop.
CREATE TABLE unsent_replies (
	stream     TEXT    NOT NULL,
	update_id  INTEGER NOT NULL,
	route      TEXT    NOT NULL,
	payload    BLOB    NOT NULL,
	created_at TEXT    NOT NULL,
	PRIMARY KEY (stream, update_id)
) STRICT, WITHOUT ROWID;

-- Ledger files sent in the chat, imported in the background. path is the
-- spooled copy; state is the engine's progress record (opaque to storage),
-- written with each batch of rows.
CREATE TABLE import_jobs (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	shop_id     INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
	platform    TEXT    NOT NULL,
	user_id     TEXT    NOT NULL,
	name        TEXT    NOT NULL,
	path        TEXT    NOT NULL,
	status      TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
	state       BLOB,
	created_at  TEXT    NOT NULL,
	finished_at TEXT
) STRICT;

CREATE INDEX import_jobs_open ON import_jobs (id) WHERE status IN ('queued', 'running');
