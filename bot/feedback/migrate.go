package feedback

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var embeddedMigrations embed.FS

// migration is one numbered schema change, migrations/NNNN_name.sql.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads dir's *.sql files, named NNNN_description.sql,
// numbered 1, 2, 3… without gaps, in version order.
func loadMigrations(fsys fs.FS, dir string) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".sql" {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("migration %s: name must be NNNN_description.sql", e.Name())
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d (versions start at 1, without gaps or repeats)", m.name, i+1)
		}
	}
	return ms, nil
}

// migrate brings db to the newest schema in ms, one transaction per
// migration, recording each in schema_version. It is idempotent, safe
// against another process migrating at the same time (each transaction
// takes the write lock first and re-reads the version), and refuses a
// database whose version is newer than ms knows (ErrSchemaTooNew).
// It returns the schema version.
func migrate(ctx context.Context, db *sql.DB, ms []migration, now time.Time) (int, error) {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version    INTEGER PRIMARY KEY,
		name       TEXT    NOT NULL,
		applied_at INTEGER NOT NULL
	)`); err != nil {
		return 0, fmt.Errorf("create schema_version: %w", err)
	}
	known := len(ms)
	for {
		v, done, err := migrateOne(ctx, db, ms, now)
		if err != nil {
			return v, err
		}
		if v > known {
			return v, fmt.Errorf("%w: database has schema version %d, this govbot knows up to %d: upgrade govbot", ErrSchemaTooNew, v, known)
		}
		if done {
			return v, nil
		}
	}
}

// migrateOne applies the next pending migration, if any, in its own
// transaction. done reports that there was none.
func migrateOne(ctx context.Context, db *sql.DB, ms []migration, now time.Time) (version int, done bool, err error) {
	tx, err := db.BeginTx(ctx, nil) // the writer's transactions are BEGIN IMMEDIATE
	if err != nil {
		return 0, false, fmt.Errorf("begin migration: %w", err)
	}
	defer tx.Rollback()
	var cur int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&cur); err != nil {
		return 0, false, fmt.Errorf("read schema version: %w", err)
	}
	if cur >= len(ms) {
		return cur, true, nil
	}
	m := ms[cur]
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return cur, false, fmt.Errorf("apply migration %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, now.UnixMilli()); err != nil {
		return cur, false, fmt.Errorf("record migration %s: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return cur, false, fmt.Errorf("commit migration %s: %w", m.name, err)
	}
	return m.version, false, nil
}
