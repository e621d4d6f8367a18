package feedback

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestOpenMigratesOnceAndKeepsData(t *testing.T) {
	c, l := newClock(t0), &logs{}
	cfg := testConfig(t, c, l)
	ctx := context.Background()

	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	id := mustRecord(t, s, Record{Command: "ask", UserID: "1", Question: "What is the WIC?", Abstained: true})
	if err := s.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	c.Advance(1000)
	for i := range 2 { // reopening applies nothing and loses nothing
		s = mustOpen(t, cfg)
		db := rawDB(t, cfg.Dir)
		ms, err := loadMigrations(embeddedMigrations, "migrations")
		if err != nil {
			t.Fatal(err)
		}
		if got := queryInt(t, db, `SELECT COUNT(*) FROM schema_version`); got != int64(len(ms)) {
			t.Errorf("reopen %d: %d schema_version rows; want %d", i, got, len(ms))
		}
		if got := queryInt(t, db, `SELECT applied_at FROM schema_version WHERE version = 1`); got != t0.UnixMilli() {
			t.Errorf("reopen %d: migration 1 applied at %d; want %d (first open)", i, got, t0.UnixMilli())
		}
		if err := s.Vote(ctx, "", id, "2", false); err != nil {
			t.Errorf("reopen %d: Vote on answer recorded before = %v", i, err)
		}
		s.Close()
	}
}

func TestOpenSettings(t *testing.T) {
	s := mustOpen(t, testConfig(t, newClock(t0), &logs{}))
	ctx := context.Background()
	for _, tc := range []struct {
		name, pragma, want string
	}{
		{"journal mode", "journal_mode", "wal"},
		{"synchronous", "synchronous", "2"}, // FULL
		{"foreign keys", "foreign_keys", "1"},
		{"busy timeout", "busy_timeout", "5000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, db := range []struct {
				name string
				q    func() (string, error)
			}{
				{"writer", func() (v string, err error) { return v, s.writer.QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&v) }},
				{"reader", func() (v string, err error) { return v, s.reader.QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&v) }},
			} {
				got, err := db.q()
				if err != nil || got != tc.want {
					t.Errorf("%s: PRAGMA %s = %q, %v; want %q", db.name, tc.pragma, got, err, tc.want)
				}
			}
		})
	}
}

func TestOpenFails(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, cfg *Config)
		want    error // nil: any error
	}{
		{"no directory", func(t *testing.T, cfg *Config) { cfg.Dir = " " }, nil},
		{"negative retention", func(t *testing.T, cfg *Config) { cfg.Retention = -1 }, nil},
		{"no database and NoCreate", func(t *testing.T, cfg *Config) { cfg.NoCreate = true }, ErrNoDatabase},
		{"not a database", func(t *testing.T, cfg *Config) {
			os.WriteFile(filepath.Join(cfg.Dir, FileName), []byte("these are not the pages you are looking for, not at all, no"), 0o600)
		}, nil},
		{"newer schema", func(t *testing.T, cfg *Config) {
			s := mustOpen(t, *cfg)
			if _, err := s.writer.Exec(`INSERT INTO schema_version (version, name, applied_at) VALUES (99, '0099_future.sql', 0)`); err != nil {
				t.Fatal(err)
			}
			s.Close()
		}, ErrSchemaTooNew},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t, newClock(t0), &logs{})
			tc.prepare(t, &cfg)
			s, err := Open(ctx, cfg)
			if err == nil {
				s.Close()
				t.Fatalf("Open() = nil error; want one")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("Open() = %v; want %v", err, tc.want)
			}
			if cfg.NoCreate {
				if _, err := os.Stat(filepath.Join(cfg.Dir, FileName)); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("Open with NoCreate created %s", FileName)
				}
			}
		})
	}
}

// TestFilesOwnerOnly: the database holds what users asked; other local
// users must not read it.
func TestFilesOwnerOnly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	cfg := testConfig(t, newClock(t0), &logs{})
	cfg.Dir = filepath.Join(cfg.Dir, "data")
	s := mustOpen(t, cfg)
	mustRecord(t, s, Record{Command: "ask", Question: "q"})
	files, _ := filepath.Glob(filepath.Join(cfg.Dir, FileName+"*"))
	if len(files) < 2 {
		t.Fatalf("files %v; want the database and its WAL", files)
	}
	for _, f := range append(files, cfg.Dir) {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s has mode %v; want no access for group and others", filepath.Base(f), perm)
		}
	}
}
