package feedback

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// warnEvery bounds how often an unavailable database is logged.
const warnEvery = time.Minute

// unavailable reports whether err means the database cannot be written
// for reasons outside govbot's control: full or failing disk, read-only
// file or directory, permissions, a lock held too long, damage.
func unavailable(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff { // primary code of an extended one
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR,
		sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_BUSY,
		sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB,
		sqlite3.SQLITE_NOLFS:
		return true
	}
	return false
}

// failed turns the error of a store operation into what callers get: an
// error wrapping ErrUnavailable (and a rate-limited warning) when the
// storage is unavailable, the wrapped error otherwise.
func (s *Store) failed(op string, err error) error {
	if unavailable(err) {
		s.warn.failure(op, err)
		return fmt.Errorf("feedback %s: %w: %w", op, ErrUnavailable, err)
	}
	return fmt.Errorf("feedback %s: %w", op, err)
}

// warner logs storage failures at most once per warnEvery, with the count
// of those it held back, and logs once when writes succeed again.
type warner struct {
	log *slog.Logger
	now func() time.Time

	mu         sync.Mutex
	failing    bool
	last       time.Time // of the last warning
	suppressed int       // failures since then, not logged
}

func newWarner(log *slog.Logger, now func() time.Time) *warner {
	return &warner{log: log, now: now}
}

func (w *warner) failure(op string, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.now()
	if w.failing && now.Sub(w.last) < warnEvery {
		w.suppressed++
		return
	}
	w.log.Warn("feedback: storage unavailable; answering without recording",
		"op", op, "err", err, "suppressed", w.suppressed)
	w.failing, w.last, w.suppressed = true, now, 0
}

func (w *warner) success() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.failing {
		return
	}
	w.log.Info("feedback: storage available again", "suppressed", w.suppressed)
	w.failing, w.suppressed = false, 0
}
