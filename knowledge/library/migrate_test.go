package library

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/govbot-dev/govbot/knowledge"
)

// oldDeployment is a KNOWLEDGE_DIR as govbot left it before servers had
// collections: the seed articles and two uploads.
func oldDeployment(t *testing.T) string {
	t.Helper()
	dir := seedDir(t)
	up := filepath.Join(dir, "uploads")
	if err := os.MkdirAll(up, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(up, "zorblax.md"), []byte(zorblax), 0o644)
	os.WriteFile(filepath.Join(up, "notes.txt"), []byte("Notes on the observatories of Quuxville.\n"), 0o644)
	os.WriteFile(filepath.Join(up, ".replaced-abc-old.md"), []byte("a backup"), 0o644)
	return dir
}

func TestMigrateUploadsToTheKnownGuild(t *testing.T) {
	dir := oldDeployment(t)
	l := openLib(t, dir, nil)
	ctx := context.Background()
	if !listed(t, l, scopeB, "uploads-zorblax") {
		t.Fatal("before migration, the uploads are in the base")
	}
	moved, err := l.MigrateUploads(ctx, guildA)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(moved)
	if !slices.Equal(moved, []string{"uploads-notes", "uploads-zorblax"}) {
		t.Errorf("moved %v", moved)
	}
	q := "Where was the Zorblax Accord signed?"
	if !cites(t, l, scopeA, q, "uploads-zorblax") {
		t.Errorf("guild A lost its upload")
	}
	for _, s := range []knowledge.Scope{scopeB, base} {
		if listed(t, l, s, "uploads-zorblax") || cites(t, l, s, q, "uploads-zorblax") {
			t.Errorf("%v still sees guild A's upload after migration", s)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "uploads", "zorblax.md")); !os.IsNotExist(err) {
		t.Errorf("upload still in KNOWLEDGE_DIR: %v", err)
	}
	// Running again does nothing.
	if again, err := l.MigrateUploads(ctx, guildA); err != nil || len(again) != 0 {
		t.Errorf("second run moved %v, %v", again, err)
	}
}

func TestMigrateUploadsFinishesAnInterruptedRun(t *testing.T) {
	dir := oldDeployment(t)
	l := openLib(t, dir, nil)
	ctx := context.Background()
	// A run that copied one upload to the guild, then crashed.
	docs, _, _ := l.store.Folders(ctx, guildA)
	os.MkdirAll(filepath.Join(docs, "uploads"), 0o755)
	os.WriteFile(filepath.Join(docs, "uploads", "zorblax.md"), []byte(zorblax), 0o644)
	moved, err := l.MigrateUploads(ctx, guildA)
	if err != nil || len(moved) != 2 {
		t.Fatalf("moved %v, %v", moved, err)
	}
	srcs, _ := l.Sources(ctx, scopeA)
	n := 0
	for _, s := range srcs {
		if strings.HasPrefix(s.ID, "uploads-zorblax") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("guild A has the upload %d times", n)
	}
}

func TestMigrateUploadsWithoutAGuildKeepsThemInTheBase(t *testing.T) {
	dir := oldDeployment(t)
	var logs bytes.Buffer
	l := openLib(t, dir, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(&logs, nil)) })
	moved, err := l.MigrateUploads(context.Background(), "")
	if err != nil || len(moved) != 0 {
		t.Fatalf("moved %v, %v", moved, err)
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "stay in the base") {
		t.Errorf("no warning in the log:\n%s", logs.String())
	}
	for _, s := range []knowledge.Scope{base, scopeA, scopeB} {
		if !listed(t, l, s, "uploads-zorblax") {
			t.Errorf("%v lost the upload kept in the base", s)
		}
	}
}
