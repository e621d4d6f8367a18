package feedback

import (
	"context"
	"time"
)

// Prune deletes expired button state and the answers (with their
// citations and votes) asked more than Config.Retention ago, and returns
// how many answers it deleted. With
// Retention 0 it keeps everything and returns 0. Open prunes once; a
// long-running process calls Prune daily, or runs PruneEvery.
func (s *Store) Prune(ctx context.Context) (int64, error) {
	if !s.Enabled() {
		return 0, s.errDisabled("prune")
	}
	if _, err := s.writer.ExecContext(ctx, `DELETE FROM buttons WHERE expires_at <= ?`, s.now().UnixMilli()); err != nil {
		return 0, s.failed("prune buttons", err)
	}
	if s.cfg.Retention <= 0 {
		return 0, nil
	}
	cutoff := s.now().Add(-s.cfg.Retention).UnixMilli()
	res, err := s.writer.ExecContext(ctx, `DELETE FROM answers WHERE asked_at < ?`, cutoff)
	if err != nil {
		return 0, s.failed("prune", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, s.failed("prune", err)
	}
	s.warn.success()
	return n, nil
}

// PruneEvery runs Prune every interval until ctx is done, logging what it
// deleted and any error. Run it in its own goroutine; it returns when ctx
// is cancelled. A disabled Store returns at once.
func (s *Store) PruneEvery(ctx context.Context, interval time.Duration) {
	if !s.Enabled() || interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := s.Prune(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Warn("feedback: prune failed", "err", err)
		case n > 0:
			s.log.Info("feedback: pruned old answers", "deleted", n, "retention", s.cfg.Retention)
		}
	}
}
