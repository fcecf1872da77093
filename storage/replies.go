package storage

import (
	"context"
	"fmt"

	"github.com/dangol/dangol/crm"
)

var _ crm.ReplyStore = (*DB)(nil)

// UnsentReplies returns the unsent answers of the streams whose name
// starts with prefix, oldest first.
func (db *DB) UnsentReplies(ctx context.Context, prefix string) ([]crm.UnsentReply, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT stream, update_id, route, payload, created_at FROM unsent_replies
		WHERE substr(stream, 1, length(?1)) = ?1 ORDER BY created_at, update_id`, prefix)
	if err != nil {
		return nil, fmt.Errorf("storage: unsent replies: %w", err)
	}
	defer rows.Close()
	var out []crm.UnsentReply
	for rows.Next() {
		var r crm.UnsentReply
		var at string
		if err := rows.Scan(&r.Stream, &r.Update, &r.Route, &r.Payload, &at); err != nil {
			return nil, fmt.Errorf("storage: unsent replies: %w", err)
		}
		if r.CreatedAt, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("storage: unsent replies: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: unsent replies: %w", err)
	}
	return out, nil
}

// MarkReplySent forgets a delivered answer. It commits without waiting for
// the disk: after a power cut (not a crash of the process) the answer may
// be sent once more.
func (db *DB) MarkReplySent(ctx context.Context, stream string, update int64) error {
	if _, err := db.light.ExecContext(ctx, `DELETE FROM unsent_replies WHERE stream = ? AND update_id = ?`,
		stream, update); err != nil {
		return fmt.Errorf("storage: mark reply sent: %w", temporary(err))
	}
	return nil
}
