package feedback

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadMigrations(t *testing.T) {
	for _, tc := range []struct {
		name    string
		files   []string
		want    []int
		wantErr string
	}{
		{"in version order", []string{"0002_b.sql", "0001_a.sql", "README.md"}, []int{1, 2}, ""},
		{"none", nil, nil, ""},
		{"unnumbered", []string{"0001_a.sql", "init.sql"}, nil, "NNNN_description"},
		{"gap", []string{"0001_a.sql", "0003_c.sql"}, nil, "expected version 2"},
		{"repeat", []string{"0001_a.sql", "0001_b.sql"}, nil, "expected version 2"},
		{"starts at zero", []string{"0000_a.sql"}, nil, "NNNN_description"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"m": &fstest.MapFile{Mode: fs.ModeDir | 0o755}}
			for _, f := range tc.files {
				fsys["m/"+f] = &fstest.MapFile{Data: []byte("SELECT 1;")}
			}
			ms, err := loadMigrations(fsys, "m")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("loadMigrations(%v) = %v; want an error containing %q", tc.files, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("loadMigrations(%v) = %v", tc.files, err)
			}
			var got []int
			for _, m := range ms {
				got = append(got, m.version)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("loadMigrations(%v) versions = %v; want %v", tc.files, got, tc.want)
			}
		})
	}
}

func TestEmbeddedMigrationsLoad(t *testing.T) {
	ms, err := loadMigrations(embeddedMigrations, "migrations")
	if err != nil || len(ms) == 0 {
		t.Fatalf("embedded migrations: %d, %v", len(ms), err)
	}
}

// TestMigrateVersions applies schemas the way releases would: a
// database at version 1 meets a govbot with versions 1 and 2, then an
// older govbot again, and a release whose migration fails half way.
func TestMigrateVersions(t *testing.T) {
	v1 := migration{1, "0001_a.sql", `CREATE TABLE a (x INTEGER);`}
	v2 := migration{2, "0002_b.sql", `CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (2);`}
	bad := migration{2, "0002_bad.sql", `CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1);`}
	ctx := context.Background()

	type step struct {
		ms          []migration
		wantVersion int
		wantErr     error // nil: none; errAny: any
		wantTables  []string
		noTables    []string
	}
	errAny := errors.New("any error")
	for _, tc := range []struct {
		name  string
		steps []step
	}{
		{"fresh database gets every migration", []step{
			{ms: []migration{v1, v2}, wantVersion: 2, wantTables: []string{"a", "b"}},
		}},
		{"reopen applies nothing again", []step{
			{ms: []migration{v1}, wantVersion: 1, wantTables: []string{"a"}},
			{ms: []migration{v1}, wantVersion: 1},
		}},
		{"upgrade applies only the new one", []step{
			{ms: []migration{v1}, wantVersion: 1, noTables: []string{"b"}},
			{ms: []migration{v1, v2}, wantVersion: 2, wantTables: []string{"a", "b"}},
		}},
		{"older govbot refuses a newer database", []step{
			{ms: []migration{v1, v2}, wantVersion: 2},
			{ms: []migration{v1}, wantVersion: 2, wantErr: ErrSchemaTooNew},
		}},
		{"failed migration leaves nothing behind", []step{
			{ms: []migration{v1}, wantVersion: 1},
			{ms: []migration{v1, bad}, wantVersion: 1, wantErr: errAny, noTables: []string{"b"}},
			{ms: []migration{v1, v2}, wantVersion: 2, wantTables: []string{"b"}},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, err := sql.Open("sqlite", dsn(filepath.Join(t.TempDir(), "m.db"), false))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			db.SetMaxOpenConns(1)
			for i, st := range tc.steps {
				got, err := migrate(ctx, db, st.ms, t0)
				switch {
				case st.wantErr == nil && err != nil:
					t.Fatalf("step %d: migrate = %v", i, err)
				case st.wantErr == errAny && err == nil, st.wantErr != nil && st.wantErr != errAny && !errors.Is(err, st.wantErr):
					t.Fatalf("step %d: migrate = %v; want %v", i, err, st.wantErr)
				}
				if v := queryInt(t, db, `SELECT MAX(version) FROM schema_version`); int(v) != st.wantVersion || (err == nil && got != st.wantVersion) {
					t.Errorf("step %d: schema version %d (returned %d); want %d", i, v, got, st.wantVersion)
				}
				for _, name := range st.wantTables {
					if queryInt(t, db, `SELECT COUNT(*) FROM sqlite_schema WHERE name = ?`, name) != 1 {
						t.Errorf("step %d: table %s missing", i, name)
					}
				}
				for _, name := range st.noTables {
					if queryInt(t, db, `SELECT COUNT(*) FROM sqlite_schema WHERE name = ?`, name) != 0 {
						t.Errorf("step %d: table %s exists; want none", i, name)
					}
				}
			}
		})
	}
}
