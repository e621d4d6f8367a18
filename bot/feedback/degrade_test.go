package feedback

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// checkDisabled asserts what the bot relies on from a Store that could not
// open: every method returns at once with ErrDisabled (an ErrUnavailable),
// nothing panics, Close is fine.
func checkDisabled(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	if s.Enabled() {
		t.Fatalf("Enabled() = true; want a disabled Store")
	}
	_, err1 := s.RecordAnswer(ctx, Record{Command: "ask", UserID: "1", Question: "q"})
	err2 := s.Vote(ctx, "", 1, "1", true)
	_, err3 := s.Gaps(ctx, "", time.Time{}, 0)
	_, err4 := s.Prune(ctx)
	for i, err := range []error{err1, err2, err3, err4} {
		if !errors.Is(err, ErrDisabled) || !errors.Is(err, ErrUnavailable) {
			t.Errorf("method %d of a disabled Store = %v; want ErrDisabled and ErrUnavailable", i, err)
		}
	}
	s.PruneEvery(ctx, time.Hour) // returns at once
	if err := s.Close(); err != nil {
		t.Errorf("Close() of a disabled Store = %v", err)
	}
}

func TestOpenOrDisabled(t *testing.T) {
	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, cfg *Config)
	}{
		{"data dir under a file", func(t *testing.T, cfg *Config) {
			f := filepath.Join(cfg.Dir, "file")
			os.WriteFile(f, nil, 0o600)
			cfg.Dir = filepath.Join(f, "data")
		}},
		{"read-only data dir", func(t *testing.T, cfg *Config) {
			cfg.Dir = filepath.Join(cfg.Dir, "ro")
			os.Mkdir(cfg.Dir, 0o555)
			if f, err := os.Create(filepath.Join(cfg.Dir, "probe")); err == nil {
				f.Close()
				t.Skip("permissions do not stop this user (root?) writing a 0555 directory")
			}
		}},
		{"read-only database", func(t *testing.T, cfg *Config) {
			s := mustOpen(t, *cfg)
			mustRecord(t, s, Record{Command: "ask", Question: "q"})
			s.Close()
			files, _ := filepath.Glob(filepath.Join(cfg.Dir, "*"))
			for _, f := range files {
				os.Chmod(f, 0o444)
			}
			os.Chmod(cfg.Dir, 0o555)
			t.Cleanup(func() { os.Chmod(cfg.Dir, 0o755) })
			if f, err := os.OpenFile(filepath.Join(cfg.Dir, FileName), os.O_WRONLY, 0); err == nil {
				f.Close()
				t.Skip("permissions do not stop this user (root?) writing a 0444 file")
			}
		}},
		{"not a database", func(t *testing.T, cfg *Config) {
			os.WriteFile(filepath.Join(cfg.Dir, FileName), []byte(strings.Repeat("not sqlite ", 100)), 0o600)
		}},
		{"newer schema", func(t *testing.T, cfg *Config) {
			s := mustOpen(t, *cfg)
			s.writer.Exec(`INSERT INTO schema_version (version, name, applied_at) VALUES (99, '0099_future.sql', 0)`)
			s.Close()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := &logs{}
			cfg := testConfig(t, newClock(t0), l)
			tc.prepare(t, &cfg)
			s := OpenOrDisabled(context.Background(), cfg)
			if n := l.count("level=WARN", "storage disabled"); n != 1 {
				t.Errorf("%d 'storage disabled' warnings; want 1\n%s", n, l)
			}
			checkDisabled(t, s)
		})
	}
}

func TestNilStoreIsDisabled(t *testing.T) {
	var s *Store
	checkDisabled(t, s)
}

// TestWriteFailuresDegrade fills the disk (SQLite's max_page_count makes
// the database as full as a full disk would) or makes it read-only under
// a running bot: writes fail with ErrUnavailable, the operator sees one
// warning a minute rather than one per question, what was committed stays,
// and writing resumes when the cause goes away.
func TestWriteFailuresDegrade(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name         string
		break_, heal string // SQL run on the writer connection
		voteFails    bool   // false: a vote may still fit in a full database's free space
	}{
		{"disk full", `PRAGMA max_page_count = %d`, `PRAGMA max_page_count = 1000000`, false},
		{"read-only", `PRAGMA query_only = 1`, `PRAGMA query_only = 0`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, l := newClock(t0), &logs{}
			s := mustOpen(t, testConfig(t, c, l))
			kept := mustRecord(t, s, Record{Command: "ask", UserID: "1", Question: "kept", Abstained: true})

			brk := tc.break_
			if strings.Contains(brk, "%d") {
				pages := queryInt(t, s.writer, `PRAGMA page_count`)
				brk = strings.Replace(brk, "%d", itoa(pages), 1)
			}
			if _, err := s.writer.Exec(brk); err != nil {
				t.Fatal(err)
			}
			long := strings.Repeat("why is this question so long ", 30)
			failures := 0
			for range 200 { // until the database is full; at once when read-only
				_, err := s.RecordAnswer(ctx, Record{Command: "ask", UserID: "2", Question: long, Abstained: true})
				if err != nil {
					if !errors.Is(err, ErrUnavailable) || errors.Is(err, ErrDisabled) {
						t.Fatalf("RecordAnswer() = %v; want ErrUnavailable", err)
					}
					failures++
				}
				if failures == 5 {
					break
				}
			}
			if failures < 5 {
				t.Fatalf("writes kept succeeding after %q", brk)
			}
			if n := l.count("level=WARN", "storage unavailable"); n != 1 {
				t.Errorf("%d 'storage unavailable' warnings after 5 failures in a minute; want 1\n%s", n, l)
			}
			if tc.voteFails {
				if err := s.Vote(ctx, "", kept, "3", false); !errors.Is(err, ErrUnavailable) {
					t.Errorf("Vote() = %v; want ErrUnavailable", err)
				}
			}
			c.Advance(warnEvery)
			s.RecordAnswer(ctx, Record{Command: "ask", Question: long})
			if n := l.count("level=WARN", "storage unavailable", "suppressed="); n != 2 || l.count("suppressed=0") != 1 {
				t.Errorf("want a second warning a minute later, counting those held back\n%s", l)
			}
			gaps, err := s.Gaps(ctx, "", time.Time{}, 0)
			if !hasGap(gaps, "kept") {
				t.Errorf("Gaps() while writes fail = %+v, %v; want the committed rows", gaps, err)
			}

			if _, err := s.writer.Exec(tc.heal); err != nil {
				t.Fatal(err)
			}
			if _, err := s.RecordAnswer(ctx, Record{Command: "ask", Question: "after"}); err != nil {
				t.Errorf("RecordAnswer() after %q = %v; want it to work again", tc.heal, err)
			}
			if err := s.Vote(ctx, "", kept, "3", false); err != nil {
				t.Errorf("Vote() after %q = %v", tc.heal, err)
			}
			if n := l.count("available again"); n != 1 {
				t.Errorf("%d 'available again' logs; want 1\n%s", n, l)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func hasGap(gaps []Gap, normalized string) bool {
	for _, g := range gaps {
		if g.Normalized == normalized {
			return true
		}
	}
	return false
}
