-- Small per-shop settings by key, such as the Slack channel for the digest.
CREATE TABLE shop_settings (
	shop_id INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
	key     TEXT    NOT NULL,
	value   TEXT    NOT NULL,
	PRIMARY KEY (shop_id, key)
) STRICT, WITHOUT ROWID;
