package feedback

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver; pure Go
)

// busyTimeout is how long a statement waits for another process's write
// lock (a report running beside the bot) before failing with SQLITE_BUSY.
const busyTimeout = 5 * time.Second

// maxReaders bounds the read connections; reads are rare (gaps, reports).
const maxReaders = 4

// Store records answers and votes. Create it with Open or OpenOrDisabled;
// its methods are safe for concurrent use. A disabled Store (and a nil
// one) does nothing and returns ErrDisabled.
type Store struct {
	cfg      Config
	log      *slog.Logger
	now      func() time.Time
	path     string
	writer   *sql.DB // one connection: SQLite has one writer at a time
	reader   *sql.DB // query-only connections
	salt     []byte
	warn     *warner
	disabled error // non-nil for a disabled Store: why
}

// Open opens (creating if needed) the database in cfg.Dir, applies the
// schema migrations, loads or creates the user-id salt and prunes rows
// older than cfg.Retention. Close the Store when done.
//
// Errors: ErrNoDatabase (NoCreate and no database), ErrSchemaTooNew, or
// an error wrapping the cause (directory not creatable, not a database…).
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if strings.TrimSpace(cfg.Dir) == "" {
		return nil, errors.New("open feedback: no directory given")
	}
	if cfg.Retention < 0 {
		return nil, fmt.Errorf("open feedback: negative retention %v", cfg.Retention)
	}
	s := &Store{cfg: cfg, log: cfg.Logger, now: cfg.Now}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.warn = newWarner(s.log, s.now)
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("open feedback %s: %w", cfg.Dir, err)
	}
	s.path = filepath.Join(dir, FileName)
	if cfg.NoCreate {
		if _, err := os.Stat(s.path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("open feedback %s: %w", s.path, ErrNoDatabase)
		}
	} else {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("open feedback: create data dir: %w", err)
		}
		// Create the file owner-only before SQLite does (with the umask's
		// 0644): it holds questions, and SQLite gives the -wal and -shm
		// files the database's mode.
		f, err := os.OpenFile(s.path, os.O_RDONLY|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("open feedback: %w", err)
		}
		f.Close()
	}
	if err := s.open(ctx); err != nil {
		s.closeDBs()
		return nil, err
	}
	if _, err := s.Prune(ctx); err != nil {
		s.log.Warn("feedback: prune on open failed", "err", err)
	}
	return s, nil
}

func (s *Store) open(ctx context.Context) error {
	var err error
	if s.writer, err = sql.Open("sqlite", dsn(s.path, false)); err != nil {
		return fmt.Errorf("open feedback %s: %w", s.path, err)
	}
	s.writer.SetMaxOpenConns(1)
	s.writer.SetMaxIdleConns(1)
	s.writer.SetConnMaxLifetime(0)
	s.writer.SetConnMaxIdleTime(0)
	// Check the file is a database before anything else, so that errors
	// say so rather than failing in a migration.
	var mode string
	if err := s.writer.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		return fmt.Errorf("open feedback %s: %w", s.path, err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("open feedback %s: journal mode is %q, want wal", s.path, mode)
	}
	ms, err := loadMigrations(embeddedMigrations, "migrations")
	if err != nil {
		return err
	}
	if _, err := migrate(ctx, s.writer, ms, s.now()); err != nil {
		return fmt.Errorf("open feedback %s: %w", s.path, err)
	}
	if s.salt, err = s.loadSalt(ctx); err != nil {
		return fmt.Errorf("open feedback %s: %w", s.path, err)
	}
	if s.reader, err = sql.Open("sqlite", dsn(s.path, true)); err != nil {
		return fmt.Errorf("open feedback %s: %w", s.path, err)
	}
	s.reader.SetMaxOpenConns(maxReaders)
	s.reader.SetMaxIdleConns(maxReaders)
	if err := s.reader.PingContext(ctx); err != nil {
		return fmt.Errorf("open feedback %s: %w", s.path, err)
	}
	return nil
}

// dsn is the driver's connection string for path: every connection gets
// a busy timeout, foreign keys and synchronous=FULL (see the package
// doc); the writer begins its transactions IMMEDIATE (taking the write
// lock up front, so they never fail half way on a lock upgrade) and sets
// WAL mode, which is persistent in the file.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Set("_txlock", "immediate")
	}
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows: file:///C:/...
	}
	return (&url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}).String()
}

// OpenOrDisabled is Open for the bot: when the database cannot be opened
// (read-only or full disk, unusable DATA_DIR, newer schema…) it logs a
// warning and returns a disabled Store, whose methods return ErrDisabled,
// so the bot goes on answering without storing. It never returns nil.
func OpenOrDisabled(ctx context.Context, cfg Config) *Store {
	s, err := Open(ctx, cfg)
	if err == nil {
		return s
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	log.Warn("feedback: storage disabled; answering without recording questions or votes", "dir", cfg.Dir, "err", err)
	return &Store{cfg: cfg, log: log, disabled: err}
}

// Enabled reports whether the Store stores anything; false for a Store
// from OpenOrDisabled that could not open its database.
func (s *Store) Enabled() bool { return s != nil && s.disabled == nil && s.writer != nil }

// Path is the database file, "" for a disabled Store.
func (s *Store) Path() string {
	if !s.Enabled() {
		return ""
	}
	return s.path
}

// errDisabled is returned by every method of a disabled Store.
func (s *Store) errDisabled(op string) error {
	if s == nil || s.disabled == nil {
		return fmt.Errorf("feedback %s: %w: %w", op, ErrDisabled, ErrUnavailable)
	}
	return fmt.Errorf("feedback %s: %w: %w (%v)", op, ErrDisabled, ErrUnavailable, s.disabled)
}

// Close closes the database. It is safe to call on a disabled Store and
// more than once; methods called after Close return an error.
func (s *Store) Close() error {
	if !s.Enabled() {
		return nil
	}
	// Let SQLite refresh its query planner statistics; cheap and optional.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, _ = s.writer.ExecContext(ctx, `PRAGMA optimize`)
	return s.closeDBs()
}

func (s *Store) closeDBs() error {
	var errs []error
	if s.reader != nil {
		errs = append(errs, s.reader.Close())
	}
	if s.writer != nil {
		errs = append(errs, s.writer.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close feedback %s: %w", s.path, err)
	}
	return nil
}
