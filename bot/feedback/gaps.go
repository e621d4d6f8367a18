package feedback

import (
	"context"
	"fmt"
	"time"
)

// gapsQuery groups the answers asked since ?1 by guild and normalised
// question and keeps the groups with an abstention or a 👎; ?2 is the row
// limit (-1: none); ?3 is the guild to keep, or NULL for every guild (the
// operator's report). The representative wording is the most recent one.
const gapsQuery = `
WITH v AS (
	SELECT answer_id, SUM(up) AS up, SUM(1 - up) AS down FROM votes GROUP BY answer_id
), g AS (
	SELECT a.guild_id AS guild_id,
	       a.normalized AS normalized,
	       COUNT(*) AS asked,
	       SUM(a.abstained) AS abstained,
	       COALESCE(SUM(v.down), 0) AS down,
	       COALESCE(SUM(v.up), 0) AS up,
	       MAX(a.asked_at) AS last
	FROM answers a LEFT JOIN v ON v.answer_id = a.id
	WHERE a.asked_at >= ?1 AND (?3 IS NULL OR a.guild_id = ?3)
	GROUP BY a.guild_id, a.normalized
	HAVING SUM(a.abstained) > 0 OR COALESCE(SUM(v.down), 0) > 0
)
SELECT (SELECT x.question FROM answers x
        WHERE x.guild_id = g.guild_id AND x.normalized = g.normalized AND x.asked_at >= ?1
        ORDER BY x.asked_at DESC, x.id DESC LIMIT 1),
       guild_id, normalized, asked, abstained, down, up, last
FROM g
ORDER BY abstained + down DESC, asked DESC, last DESC, normalized, guild_id
LIMIT ?2`

// Gaps lists the questions asked in guild since since that the engine
// abstained on or that users voted down, grouped by normalised question
// (see Normalize), most frequent first: by abstentions plus 👎, then times
// asked, then most recently asked. Only guild's questions are read; guild
// "" is the DMs. limit ≤ 0 means all. No gaps is an empty slice and a nil
// error.
func (s *Store) Gaps(ctx context.Context, guild string, since time.Time, limit int) ([]Gap, error) {
	return s.gaps(ctx, &guild, since, limit)
}

// Report is Gaps over every guild and the DMs, for the operator: each
// Gap names its Guild, and the same question asked in two guilds is two
// gaps.
func (s *Store) Report(ctx context.Context, since time.Time, limit int) ([]Gap, error) {
	return s.gaps(ctx, nil, since, limit)
}

func (s *Store) gaps(ctx context.Context, guild *string, since time.Time, limit int) ([]Gap, error) {
	if !s.Enabled() {
		return nil, s.errDisabled("gaps")
	}
	if limit <= 0 {
		limit = -1
	}
	var g3 any // NULL: every guild
	if guild != nil {
		g3 = *guild
	}
	rows, err := s.reader.QueryContext(ctx, gapsQuery, since.UnixMilli(), limit, g3)
	if err != nil {
		return nil, s.failed("gaps", err)
	}
	defer rows.Close()
	gaps := []Gap{}
	for rows.Next() {
		var g Gap
		var last int64
		if err := rows.Scan(&g.Question, &g.Guild, &g.Normalized, &g.Asked, &g.Abstained, &g.Down, &g.Up, &last); err != nil {
			return nil, fmt.Errorf("feedback gaps: %w", err)
		}
		g.LastAsked = time.UnixMilli(last).UTC()
		gaps = append(gaps, g)
	}
	if err := rows.Err(); err != nil {
		return nil, s.failed("gaps", err)
	}
	return gaps, nil
}
