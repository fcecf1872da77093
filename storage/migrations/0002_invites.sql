-- One-time codes: the owner's setup code and staff invitations.
-- used_at is NULL until the code is redeemed; expires_at NULL never expires.
CREATE TABLE invites (
	code       TEXT    PRIMARY KEY,
	shop_id    INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
	role       TEXT    NOT NULL CHECK (role IN ('owner', 'staff')),
	created_at TEXT    NOT NULL,
	expires_at TEXT,
	used_at    TEXT,
	used_by    TEXT
) STRICT;

CREATE INDEX invites_shop ON invites (shop_id, role);
