package library

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/govbot-dev/govbot/knowledge"
	"github.com/govbot-dev/govbot/knowledge/document"
)

// guild is one guild's collection as this process holds it.
type guild struct {
	id       string
	loadMu   sync.Mutex // the first user loads it
	changeMu sync.Mutex // one change at a time in this process (Store.Lock: across processes)

	// Guarded by Library.mu.
	loaded   bool
	eng      *knowledge.Engine // its own documents; nil when it has none
	hidden   map[string]bool   // replaced whole on change, never mutated
	refs     int               // users between acquire and release
	lastUsed time.Time
}

func (g *guild) close() error {
	if g.eng == nil {
		return nil
	}
	return g.eng.Close()
}

// acquire returns guild id's collection, loaded, and counts a user of it
// until release.
func (l *Library) acquire(ctx context.Context, id string) (*guild, error) {
	if !ValidGuild(id) {
		return nil, fmt.Errorf("guild %q: %w", id, ErrInvalidGuild)
	}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil, ErrClosed
	}
	g := l.guilds[id]
	if g == nil {
		g = &guild{id: id}
		l.guilds[id] = g
	}
	g.refs++
	g.lastUsed = l.now()
	loaded := g.loaded
	l.mu.Unlock()
	if loaded {
		return g, nil
	}
	g.loadMu.Lock()
	defer g.loadMu.Unlock()
	l.mu.Lock()
	loaded = g.loaded
	l.mu.Unlock()
	if loaded {
		return g, nil
	}
	if err := l.load(ctx, g); err != nil {
		l.release(g)
		return nil, err
	}
	l.evict()
	return g, nil
}

// release ends a use of g that acquire counted.
// change acquires guild id for a change to its collection: the guild held
// in memory, the store's lock on it (other processes) and its change
// mutex (this one). done undoes all three, in reverse order, and then
// closes the collections least recently used beyond Config.MaxOpen (the
// change may have opened one).
func (l *Library) change(ctx context.Context, id string) (g *guild, done func(), err error) {
	if l.store == nil {
		return nil, nil, ErrNoGuildData
	}
	if g, err = l.acquire(ctx, id); err != nil {
		return nil, nil, err
	}
	unlock, err := l.store.Lock(ctx, g.id)
	if err != nil {
		l.release(g)
		return nil, nil, err
	}
	g.changeMu.Lock()
	return g, func() {
		g.changeMu.Unlock()
		unlock()
		l.release(g)
		l.evict()
	}, nil
}

func (l *Library) release(g *guild) {
	l.mu.Lock()
	defer l.mu.Unlock()
	g.refs--
	g.lastUsed = l.now()
}

// load reads g's hidden ids and opens its own documents' index when it
// has documents, after rolling back a change a crash interrupted.
func (l *Library) load(ctx context.Context, g *guild) error {
	hidden := map[string]bool{}
	var eng *knowledge.Engine
	if l.store != nil {
		docs, _, err := l.store.Folders(ctx, g.id)
		if err != nil {
			return err
		}
		if _, err := os.Stat(docs); err == nil {
			// It has had documents: roll back a change a crash
			// interrupted, under the lock, so that a change another
			// process is making is never taken for one.
			unlock, err := l.store.Lock(ctx, g.id)
			if err != nil {
				return err
			}
			defer unlock() // also while its index opens
			undone, err := l.store.Recover(ctx, g.id)
			if err != nil {
				return fmt.Errorf("guild %s: %w", g.id, err)
			} else if undone {
				l.log.Warn("library: rolled back a change that was interrupted", "guild", g.id)
			}
		}
		ids, err := l.store.Hidden(ctx, g.id)
		if err != nil {
			return err
		}
		for _, id := range ids {
			hidden[id] = true
		}
		if eng, err = l.openOwn(ctx, g.id); err != nil {
			return err
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	g.eng, g.hidden, g.loaded = eng, hidden, true
	return nil
}

// openOwn opens the index of guild's own documents, building it when
// needed; nil when the guild has no documents.
func (l *Library) openOwn(ctx context.Context, id string) (*knowledge.Engine, error) {
	docs, index, err := l.store.Folders(ctx, id)
	if err != nil {
		return nil, err
	}
	has, err := hasDocuments(docs)
	if err != nil || !has {
		return nil, err
	}
	eng, _, err := knowledge.Open(ctx, knowledge.Config{
		CorpusDir: docs, IndexDir: index, MaxFileSize: l.cfg.Base.MaxFileSize,
		Logger: l.log.With("guild", id),
	})
	if err != nil {
		return nil, fmt.Errorf("guild %s: %w", id, err)
	}
	return eng, nil
}

// hasDocuments reports whether dir holds a visible document file.
func hasDocuments(dir string) (bool, error) {
	found := false
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir && errors.Is(err, fs.ErrNotExist) {
				return filepath.SkipAll
			}
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() && document.Supported(d.Name()) {
			found = true
			return filepath.SkipAll
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("list documents: %w", err)
	}
	return found, nil
}

// rebuildGuild re-reads g's documents and swaps in their new index:
// opens one when the guild now has documents, closes it when it has
// none. The caller holds the guild's locks and a use of g.
func (l *Library) rebuildGuild(ctx context.Context, g *guild) (knowledge.Report, error) {
	docs, _, err := l.store.Folders(ctx, g.id)
	if err != nil {
		return knowledge.Report{}, err
	}
	has, err := hasDocuments(docs)
	if err != nil {
		return knowledge.Report{}, err
	}
	l.mu.Lock()
	old := g.eng
	l.mu.Unlock()
	switch {
	case old != nil && has:
		return old.Reload(ctx)
	case old == nil && has:
		start := time.Now()
		eng, err := l.openOwn(ctx, g.id)
		if err != nil {
			return knowledge.Report{}, err
		}
		l.mu.Lock()
		g.eng = eng
		l.mu.Unlock()
		rep := knowledge.Report{Rebuilt: true, Duration: time.Since(start)}
		st := eng.Status()
		rep.Documents, rep.Passages, rep.Skipped = st.Documents, st.Passages, st.Skipped
		for _, s := range eng.Sources() {
			rep.Added = append(rep.Added, s.ID)
		}
		sort.Strings(rep.Added)
		return rep, nil
	case old != nil && !has:
		rep := knowledge.Report{Rebuilt: true}
		for _, s := range old.Sources() {
			rep.Removed = append(rep.Removed, s.ID)
		}
		sort.Strings(rep.Removed)
		l.mu.Lock()
		g.eng = nil
		l.mu.Unlock()
		// Questions in flight hold the engine's read lock: Close waits.
		if err := old.Close(); err != nil {
			l.log.Warn("library: closing a guild's index", "guild", g.id, "err", err)
		}
		return rep, nil
	}
	return knowledge.Report{}, nil
}

// evict closes the least recently used idle guild collections beyond
// MaxOpen.
func (l *Library) evict() {
	l.mu.Lock()
	var open []*guild
	for _, g := range l.guilds {
		if g.eng != nil {
			open = append(open, g)
		}
	}
	var closing []*guild
	if len(open) > l.cfg.MaxOpen {
		sort.Slice(open, func(i, j int) bool { return open[i].lastUsed.Before(open[j].lastUsed) })
		for _, g := range open {
			if len(open)-len(closing) <= l.cfg.MaxOpen {
				break
			}
			if g.refs == 0 && g.loadMu.TryLock() {
				closing = append(closing, g)
				delete(l.guilds, g.id)
				g.loadMu.Unlock()
			}
		}
	}
	l.mu.Unlock()
	l.closeAll(closing)
}

// closeIdle closes guild collections unused for IdleAfter, until Close.
func (l *Library) closeIdle() {
	defer close(l.done)
	every := min(l.cfg.IdleAfter/2, time.Minute)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
			l.closeIdleNow()
		}
	}
}

func (l *Library) closeIdleNow() {
	l.mu.Lock()
	var closing []*guild
	for id, g := range l.guilds {
		if g.refs == 0 && l.now().Sub(g.lastUsed) >= l.cfg.IdleAfter && g.loadMu.TryLock() {
			closing = append(closing, g)
			delete(l.guilds, id)
			g.loadMu.Unlock()
		}
	}
	l.mu.Unlock()
	l.closeAll(closing)
}

func (l *Library) closeAll(gs []*guild) {
	for _, g := range gs {
		if err := g.close(); err != nil {
			l.log.Warn("library: closing an idle guild collection", "guild", g.id, "err", err)
		}
	}
}

// openGuilds is the number of guild collections with an open index.
func (l *Library) openGuilds() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, g := range l.guilds {
		if g.eng != nil {
			n++
		}
	}
	return n
}
