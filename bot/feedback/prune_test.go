package feedback

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestPrune(t *testing.T) {
	const day = 24 * time.Hour
	ctx := context.Background()
	for _, tc := range []struct {
		name       string
		retention  time.Duration
		ages       []time.Duration // of the answers when pruning
		wantPruned int64
	}{
		{"keeps forever with no retention", 0, []time.Duration{400 * day, day}, 0},
		{"deletes older than retention", 30 * day, []time.Duration{45 * day, 31 * day, 29 * day, 0}, 2},
		{"nothing old", 30 * day, []time.Duration{day}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClock(t0)
			cfg := testConfig(t, c, &logs{})
			cfg.Retention = tc.retention
			s := mustOpen(t, cfg)
			var ids []int64
			for _, age := range tc.ages {
				id := mustRecord(t, s, Record{Command: "ask", UserID: "u", Question: "q", Abstained: true, Citations: []string{"d#1"}, At: t0.Add(-age)})
				if err := s.Vote(ctx, "", id, "v", false); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, id)
			}
			n, err := s.Prune(ctx)
			if err != nil || n != tc.wantPruned {
				t.Fatalf("Prune() = %d, %v; want %d", n, err, tc.wantPruned)
			}
			for i, id := range ids {
				old := tc.retention > 0 && tc.ages[i] > tc.retention
				err := s.Vote(ctx, "", id, "w", true)
				if gone := errors.Is(err, ErrNotFound); gone != old {
					t.Errorf("answer aged %v: Vote = %v; want pruned = %v", tc.ages[i], err, old)
				}
			}
			gaps, _ := s.Gaps(ctx, "", time.Time{}, 0)
			if want := len(ids) - int(tc.wantPruned); len(gaps) != 1 || gaps[0].Asked != want {
				t.Errorf("after Prune: gaps %+v; want one question asked %d times", gaps, want)
			}
			db := rawDB(t, cfg.Dir)
			for _, table := range []string{"citations", "votes"} {
				if orphans := queryInt(t, db, `SELECT COUNT(*) FROM `+table+` WHERE answer_id NOT IN (SELECT id FROM answers)`); orphans != 0 {
					t.Errorf("%d %s left of pruned answers", orphans, table)
				}
			}
		})
	}
}

// TestOpenPrunes: a restarted bot forgets what is past retention even if
// it was down when the daily prune would have run.
func TestOpenPrunes(t *testing.T) {
	c := newClock(t0)
	cfg := testConfig(t, c, &logs{})
	cfg.Retention = 7 * 24 * time.Hour
	s := mustOpen(t, cfg)
	mustRecord(t, s, Record{Command: "ask", Question: "old", Abstained: true})
	s.Close()
	c.Advance(8 * 24 * time.Hour)
	s = mustOpen(t, cfg)
	gaps, err := s.Gaps(context.Background(), "", time.Time{}, 0)
	if err != nil || len(gaps) != 0 {
		t.Errorf("Gaps() after reopening past retention = %+v, %v; want none", gaps, err)
	}
}

func TestPruneEveryStopsWithContext(t *testing.T) {
	cfg := testConfig(t, newClock(t0), &logs{})
	cfg.Retention = time.Hour
	s := mustOpen(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s.PruneEvery(ctx, time.Hour) // returns, or the test hangs
}
