package library

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
)

// Store keeps the guilds' collections: each guild's documents and the
// base documents it hid. The Library indexes a guild's documents from a
// local folder, so a store hands out local folders; DirStore, the
// default, keeps everything in them. A store shared by several processes
// (PostgreSQL, say) would keep documents and hidden ids in the database,
// materialise each guild's documents into a local cache folder in
// Folders, make Begin's change visible there and durable in the database
// on Commit, and lock with an advisory lock.
//
// Guild ids reaching a Store are valid snowflakes (ValidGuild). Stores
// must be safe for concurrent use.
type Store interface {
	// Guilds lists the guilds with a collection (documents or hidden
	// ids), sorted.
	Guilds(ctx context.Context) ([]string, error)
	// Hidden returns the base document ids guild hid, sorted; none when
	// it has no collection.
	Hidden(ctx context.Context, guild string) ([]string, error)
	// SetHidden replaces guild's hidden ids, all or nothing.
	SetHidden(ctx context.Context, guild string, ids []string) error
	// Folders returns guild's local folders: its documents as files
	// (what its index is built from) and its index.
	Folders(ctx context.Context, guild string) (docs, index string, err error)
	// Lock waits, as long as ctx allows, until no other change of
	// guild's collection runs (in any process), and holds that until
	// unlock.
	Lock(ctx context.Context, guild string) (unlock func(), err error)
	// Begin applies c to guild's documents folder and returns it
	// pending: Commit makes it final, Rollback undoes it. A crash before
	// Commit is rolled back by Recover.
	Begin(ctx context.Context, guild string, c DocChange) (Tx, error)
	// Recover rolls back a change of guild's documents that a crash
	// interrupted; it reports whether there was one.
	Recover(ctx context.Context, guild string) (bool, error)
}

// DocChange is a change of a collection's documents; paths are
// slash-separated, relative to its documents folder, and checked to
// stay inside it.
type DocChange struct {
	Put    string   // where Data goes ("" for none)
	Data   []byte   //
	Remove []string // files taken out (a replaced file, a removed document)
}

// Tx is a change applied but not yet final.
type Tx interface {
	Commit() error
	Rollback() error
}

// DirStore is the default Store: one folder per guild under Root,
// named by the guild id:
//
//	<Root>/<guild id>/docs/uploads/*.md   the guild's documents
//	<Root>/<guild id>/index/              its index (a cache, rebuilt when missing)
//	<Root>/<guild id>/hidden.json         base document ids it hid
type DirStore struct {
	Root string
	hook func(step string) // crash tests stop the process between steps
}

var _ Store = DirStore{}

func (s DirStore) guildDir(guild string) (string, error) {
	if !ValidGuild(guild) {
		return "", fmt.Errorf("guild %q: %w", guild, ErrInvalidGuild)
	}
	return filepath.Join(s.Root, guild), nil
}

// Guilds lists the folders under Root named by a valid guild id.
func (s DirStore) Guilds(ctx context.Context) ([]string, error) {
	entries, err := os.ReadDir(s.Root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list guilds: %w", err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && ValidGuild(e.Name()) {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}

const hiddenFile = "hidden.json"

func (s DirStore) Hidden(ctx context.Context, guild string) ([]string, error) {
	dir, err := s.guildDir(guild)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(filepath.Join(dir, hiddenFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("guild %s: read hidden documents: %w", guild, err)
	}
	var ids []string
	if err := json.Unmarshal(b, &ids); err != nil {
		return nil, fmt.Errorf("guild %s: %s: %w", guild, hiddenFile, err)
	}
	sort.Strings(ids)
	return slices.Compact(ids), nil
}

func (s DirStore) SetHidden(ctx context.Context, guild string, ids []string) error {
	dir, err := s.guildDir(guild)
	if err != nil {
		return err
	}
	ids = slices.Clone(ids)
	sort.Strings(ids)
	b, err := json.Marshal(slices.Compact(ids))
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, hiddenFile), b); err != nil {
		return fmt.Errorf("guild %s: write hidden documents: %w", guild, err)
	}
	return nil
}

func (s DirStore) Folders(ctx context.Context, guild string) (docs, index string, err error) {
	dir, err := s.guildDir(guild)
	if err != nil {
		return "", "", err
	}
	return filepath.Join(dir, "docs"), filepath.Join(dir, "index"), nil
}

func (s DirStore) Lock(ctx context.Context, guild string) (func(), error) {
	dir, err := s.guildDir(guild)
	if err != nil {
		return nil, err
	}
	return lockFolder(ctx, dir)
}

func (s DirStore) Begin(ctx context.Context, guild string, c DocChange) (Tx, error) {
	docs, _, err := s.Folders(ctx, guild)
	if err != nil {
		return nil, err
	}
	return beginChange(folder{dir: docs}, c, s.hook)
}

func (s DirStore) Recover(ctx context.Context, guild string) (bool, error) {
	docs, _, err := s.Folders(ctx, guild)
	if err != nil {
		return false, err
	}
	if _, err := os.Stat(docs); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return folder{dir: docs}.recover()
}

// folderTx is a change applied to a folder under its journal.
type folderTx struct {
	f folder
	j journal
}

func (t folderTx) Commit() error   { return t.f.commit(t.j) }
func (t folderTx) Rollback() error { return t.f.rollback(t.j) }

// beginChange applies c to f under a journal. hook, when set, is called
// between the steps (crash tests stop the process there).
func beginChange(f folder, c DocChange, hook func(string)) (Tx, error) {
	if hook == nil {
		hook = func(string) {}
	}
	var j journal
	for _, rel := range c.Remove {
		if err := f.inside(rel); err != nil {
			return nil, err
		}
		j.Aside = append(j.Aside, aside{Orig: rel, Backup: backupName(rel)})
	}
	if c.Put != "" {
		if !filepath.IsLocal(filepath.FromSlash(c.Put)) {
			return nil, errOutside
		}
		tmp, err := f.stage(c.Data)
		if err != nil {
			return nil, err
		}
		hook("staged")
		j.Put, j.Temp = c.Put, tmp
	}
	if err := f.apply(j, hook); err != nil {
		return nil, err
	}
	return folderTx{f: f, j: j}, nil
}
