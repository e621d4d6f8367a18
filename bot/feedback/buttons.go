package feedback

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// MaxButtonState bounds the state kept for one message's buttons.
const MaxButtonState = 256 << 10

// SaveButton keeps state for the buttons of a message, under guild ("" for
// DMs) and id, until expires; saving again replaces it. Expired state is
// deleted by Prune. An unavailable storage wraps ErrUnavailable.
func (s *Store) SaveButton(ctx context.Context, guild, id string, state []byte, expires time.Time) error {
	if !s.Enabled() {
		return s.errDisabled("save button")
	}
	if id == "" || len(state) > MaxButtonState {
		return fmt.Errorf("feedback save button: empty id or state over %d bytes", MaxButtonState)
	}
	if _, err := s.writer.ExecContext(ctx, `INSERT INTO buttons (guild_id, id, state, expires_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (guild_id, id) DO UPDATE SET state = excluded.state, expires_at = excluded.expires_at`,
		guild, id, state, expires.UnixMilli()); err != nil {
		return s.failed("save button", err)
	}
	s.warn.success()
	return nil
}

// Button returns the state saved under guild and id, or nil (and a nil
// error) when there is none, it has expired, or it was saved in another
// guild.
func (s *Store) Button(ctx context.Context, guild, id string) ([]byte, error) {
	if !s.Enabled() {
		return nil, s.errDisabled("button")
	}
	var state []byte
	err := s.reader.QueryRowContext(ctx, `SELECT state FROM buttons WHERE guild_id = ? AND id = ? AND expires_at > ?`,
		guild, id, s.now().UnixMilli()).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, s.failed("button", err)
	}
	return state, nil
}
