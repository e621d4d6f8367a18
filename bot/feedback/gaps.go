package feedback

import (
	"context"
	"fmt"
	"time"
)

// gapsQuery groups the answers asked since ?1 by normalised question and
// keeps the groups with an abstention or a 👎; ?2 is the row limit (-1:
// none). The representative wording is the most recent one.
const gapsQuery = `
WITH v AS (
	SELECT answer_id, SUM(up) AS up, SUM(1 - up) AS down FROM votes GROUP BY answer_id
), g AS (
	SELECT a.normalized AS normalized,
	       COUNT(*) AS asked,
	       SUM(a.abstained) AS abstained,
	       COALESCE(SUM(v.down), 0) AS down,
	       COALESCE(SUM(v.up), 0) AS up,
	       MAX(a.asked_at) AS last
	FROM answers a LEFT JOIN v ON v.answer_id = a.id
	WHERE a.asked_at >= ?1
	GROUP BY a.normalized
	HAVING SUM(a.abstained) > 0 OR COALESCE(SUM(v.down), 0) > 0
)
SELECT (SELECT x.question FROM answers x
        WHERE x.normalized = g.normalized AND x.asked_at >= ?1
        ORDER BY x.asked_at DESC, x.id DESC LIMIT 1),
       normalized, asked, abstained, down, up, last
FROM g
ORDER BY abstained + down DESC, asked DESC, last DESC, normalized
LIMIT ?2`

// Gaps lists the questions asked since since that the engine abstained on
// or that users voted down, grouped by normalised question (see
// Normalize), most frequent first: by abstentions plus 👎, then times
// asked, then most recently asked. limit ≤ 0 means all. No gaps is an
// empty slice and a nil error.
func (s *Store) Gaps(ctx context.Context, since time.Time, limit int) ([]Gap, error) {
	if !s.Enabled() {
		return nil, s.errDisabled("gaps")
	}
	if limit <= 0 {
		limit = -1
	}
	rows, err := s.reader.QueryContext(ctx, gapsQuery, since.UnixMilli(), limit)
	if err != nil {
		return nil, s.failed("gaps", err)
	}
	defer rows.Close()
	gaps := []Gap{}
	for rows.Next() {
		var g Gap
		var last int64
		if err := rows.Scan(&g.Question, &g.Normalized, &g.Asked, &g.Abstained, &g.Down, &g.Up, &last); err != nil {
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
