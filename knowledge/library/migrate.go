package library

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/govbot-dev/govbot/knowledge/document"
)

// MigrateUploads moves the documents that /kb add stored in
// KNOWLEDGE_DIR/uploads, before each server had a collection of its own,
// into the collection of guild: the server they were uploaded from. Until
// then govbot recorded no server per upload, so the only server known is
// the one a deployment served alone (DISCORD_GUILD_ID). With guild "",
// or without DataDir, they stay in the base, for every server, and a
// warning in the log says so. Each document keeps its id (uploads-<name>),
// so feedback and buttons that name its passages still find them.
//
// It is safe to run at every start: with nothing to move it does
// nothing, and a run a crash interrupted is finished by the next (a
// document already in the guild's collection with the same bytes is only
// removed from the base). It returns the ids of the documents moved.
func (l *Library) MigrateUploads(ctx context.Context, guild string) ([]string, error) {
	dir := l.cfg.Base.CorpusDir
	if dir == "" {
		return nil, nil
	}
	names, err := uploadedFiles(filepath.Join(dir, uploadsDir))
	if err != nil || len(names) == 0 {
		return nil, err
	}
	if guild == "" || l.store == nil {
		l.log.Warn("library: KNOWLEDGE_DIR/uploads holds documents added from Discord before each server had its own collection; "+
			"they stay in the base, for every server. To move them to the server they came from, set DISCORD_GUILD_ID to it and restart",
			"documents", len(names))
		return nil, nil
	}
	g, done, err := l.change(ctx, guild)
	if err != nil {
		return nil, fmt.Errorf("migrate uploads: %w", err)
	}
	defer done()
	unlockBase, err := lockFolder(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer unlockBase()
	l.baseMu.Lock()
	defer l.baseMu.Unlock()

	docs, _, err := l.store.Folders(ctx, g.id)
	if err != nil {
		return nil, err
	}
	var moved, rels []string
	for _, name := range names {
		rel := path.Join(uploadsDir, name)
		data, err := os.ReadFile(filepath.Join(dir, uploadsDir, name))
		if err != nil {
			return moved, fmt.Errorf("migrate uploads: %w", err)
		}
		existing, err := os.ReadFile(filepath.Join(docs, filepath.FromSlash(rel)))
		switch {
		case err == nil && hashOf(existing) == hashOf(data):
			// Moved by a run that did not finish removing it from the base.
		case err == nil || !errors.Is(err, fs.ErrNotExist):
			l.log.Warn("library: not migrating an upload: the server's collection has another document of that name", "guild", g.id, "path", rel)
			continue
		default:
			tx, err := l.store.Begin(ctx, g.id, DocChange{Put: rel, Data: data})
			if err != nil {
				return moved, fmt.Errorf("migrate uploads: %w", err)
			}
			if err := tx.Commit(); err != nil {
				return moved, fmt.Errorf("migrate uploads: %w", err)
			}
		}
		moved = append(moved, docID(rel))
		rels = append(rels, rel)
	}
	if len(rels) > 0 {
		tx, err := beginChange(folder{dir: dir}, DocChange{Remove: rels}, nil)
		if err != nil {
			return moved, fmt.Errorf("migrate uploads: %w", err)
		}
		if err := tx.Commit(); err != nil {
			return moved, fmt.Errorf("migrate uploads: %w", err)
		}
	}
	if _, err := l.base.Reload(ctx); err != nil {
		l.log.Warn("library: reloading the base after migrating uploads", "err", err)
	}
	if _, err := l.rebuildGuild(ctx, g); err != nil {
		l.log.Warn("library: indexing the migrated uploads", "guild", g.id, "err", err)
	}
	l.log.Info("library: moved uploads from KNOWLEDGE_DIR/uploads to the server they came from", "guild", g.id, "documents", len(moved))
	return moved, nil
}

// uploadedFiles lists the visible document files directly in dir.
func uploadedFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("migrate uploads: %w", err)
	}
	var out []string
	for _, e := range entries {
		if name := e.Name(); e.Type().IsRegular() && !strings.HasPrefix(name, ".") && document.Supported(name) {
			out = append(out, name)
		}
	}
	return out, nil
}
