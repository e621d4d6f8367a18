package feedback

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// RecordAnswer stores one answered or abstained-on question and returns
// its id, for the 👍/👎 buttons of the answer (see Vote). The user id is
// stored only as a salted hash.
//
// When the storage is unavailable the error wraps ErrUnavailable (and
// ErrDisabled for a disabled Store): the caller shows the answer anyway,
// without vote buttons.
func (s *Store) RecordAnswer(ctx context.Context, r Record) (int64, error) {
	if !s.Enabled() {
		return 0, s.errDisabled("record answer")
	}
	at := r.At
	if at.IsZero() {
		at = s.now()
	}
	q := storedQuestion(r.Question)
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return 0, s.failed("record answer", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO answers
		(asked_at, command, guild_id, channel_id, user_hash, question, normalized, abstained)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		at.UnixMilli(), strings.TrimSpace(r.Command), r.GuildID, r.ChannelID, s.hashUser(r.UserID),
		q, Normalize(q), r.Abstained)
	if err != nil {
		return 0, s.failed("record answer", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, s.failed("record answer", err)
	}
	for i, p := range r.Citations {
		if _, err := tx.ExecContext(ctx, `INSERT INTO citations (answer_id, rank, passage_id) VALUES (?, ?, ?)`,
			id, i+1, p); err != nil {
			return 0, s.failed("record answer citations", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, s.failed("record answer", err)
	}
	s.warn.success()
	return id, nil
}

// Vote records userID's 👍 (up) or 👎 on answer answerID, given in guild
// ("" for DMs). A user has one vote per answer: voting again replaces it.
// An unknown answer (never recorded, pruned, or given in another guild) is
// ErrNotFound; an unavailable storage wraps ErrUnavailable.
func (s *Store) Vote(ctx context.Context, guild string, answerID int64, userID string, up bool) error {
	if !s.Enabled() {
		return s.errDisabled("vote")
	}
	if userID == "" {
		return errors.New("feedback vote: no user id")
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return s.failed("vote", err)
	}
	defer tx.Rollback()
	var one int
	switch err := tx.QueryRowContext(ctx, `SELECT 1 FROM answers WHERE id = ? AND guild_id = ?`, answerID, guild).Scan(&one); {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("feedback vote on answer %d: %w", answerID, ErrNotFound)
	case err != nil:
		return s.failed("vote", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO votes (answer_id, user_hash, up, voted_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (answer_id, user_hash) DO UPDATE SET up = excluded.up, voted_at = excluded.voted_at`,
		answerID, s.hashUser(userID), up, s.now().UnixMilli()); err != nil {
		return s.failed("vote", err)
	}
	if err := tx.Commit(); err != nil {
		return s.failed("vote", err)
	}
	s.warn.success()
	return nil
}
