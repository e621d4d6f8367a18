// Package library owns govbot's collections of documents: the base
// collection, which belongs to the operator (KNOWLEDGE_DIR or the
// embedded corpus), and one collection per Discord server (guild): the
// documents its admins added and the base documents they hid for that
// server only.
//
// A question in a guild is answered from the base minus what that guild
// hid plus the guild's own documents, ranked as one corpus
// (knowledge.View). The base index is never copied per guild: a guild
// without documents of its own costs a set of hidden ids, and guild
// collections with documents are opened on first use and closed when
// idle, a bounded number at a time.
//
// Every change (add, replace, remove, hide, restore, reload) is checked,
// written atomically and undone if the rebuild that follows fails; a
// crash at any moment leaves each collection as it was or as it should
// be (see folder.go). Who may change what is the caller's business: the
// Library takes the Scope it is given.
package library

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/govbot-dev/govbot/knowledge"
)

// Sentinel errors; test with errors.Is.
var (
	// ErrInvalidGuild: a scope's guild is not a Discord snowflake.
	ErrInvalidGuild = errors.New("not a valid server id")
	// ErrNoGuildData: the Library has no DataDir, so guilds have no
	// collections of their own.
	ErrNoGuildData = errors.New("no data directory for server collections")
	// ErrReadOnlyBase: the base is the embedded corpus, which cannot change.
	ErrReadOnlyBase = errors.New("the built-in knowledge base cannot be changed")
	// ErrUnsupported: the file type is not one the corpus loader reads.
	ErrUnsupported = errors.New("unsupported file type")
	// ErrInvalidDocument: the file cannot be used as a document.
	ErrInvalidDocument = errors.New("not a usable document")
	// ErrDuplicate: the same bytes are already a document of the scope.
	ErrDuplicate = errors.New("already in the knowledge base")
	// ErrNotHidden: Restore of a document the guild did not hide.
	ErrNotHidden = errors.New("not hidden")
	// ErrClosed: the Library has been closed.
	ErrClosed = errors.New("library is closed")
)

// RefusedError says why a document was refused; Reason is short and safe
// to show the user who sent it. It wraps one of the sentinel errors.
type RefusedError struct {
	Reason string
	Err    error
}

func (e *RefusedError) Error() string { return e.Reason }
func (e *RefusedError) Unwrap() error { return e.Err }

func refused(err error, format string, args ...any) error {
	return &RefusedError{Reason: fmt.Sprintf(format, args...), Err: err}
}

// Defaults of Config.
const (
	DefaultMaxOpen   = 64
	DefaultIdleAfter = 15 * time.Minute
)

// Config configures a Library.
type Config struct {
	// Base configures the base collection's engine: CorpusDir is
	// KNOWLEDGE_DIR ("" for the embedded corpus, which cannot change).
	Base knowledge.Config
	// DataDir holds the guild collections (DataDir/guilds/<id>/). Empty
	// means guilds have none: they read the base, and changes in a guild
	// scope fail with ErrNoGuildData.
	DataDir string
	// Store keeps the guild collections; nil means DirStore{Root:
	// DataDir/guilds}.
	Store Store
	// MaxOpen bounds the guild collections open at once (0:
	// DefaultMaxOpen); the least recently used idle one closes first.
	MaxOpen int
	// IdleAfter closes guild collections unused for that long (0:
	// DefaultIdleAfter).
	IdleAfter time.Duration
	// Logger receives what was changed and warnings; nil discards them.
	Logger *slog.Logger
}

// Library serves the base collection and the guild collections. All its
// methods are safe for concurrent use; questions are answered
// throughout changes, from the index in service until the new one is
// swapped in.
type Library struct {
	cfg   Config
	log   *slog.Logger
	base  *knowledge.Engine
	store Store // nil without DataDir
	now   func() time.Time
	hook  func(step string) // crash tests stop the process between steps

	baseMu sync.Mutex // one change of the base at a time in this process

	mu     sync.Mutex // guards the fields below
	guilds map[string]*guild
	closed bool

	stop chan struct{}
	done chan struct{}
}

// Open opens the base collection (building its index when needed),
// rolls back base changes a crash interrupted, and starts closing idle
// guild collections in the background. Guild collections open on first
// use.
func Open(ctx context.Context, cfg Config) (*Library, knowledge.Report, error) {
	if cfg.MaxOpen <= 0 {
		cfg.MaxOpen = DefaultMaxOpen
	}
	if cfg.IdleAfter <= 0 {
		cfg.IdleAfter = DefaultIdleAfter
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Base.Logger == nil {
		cfg.Base.Logger = log
	}
	l := &Library{cfg: cfg, log: log, now: time.Now, guilds: map[string]*guild{},
		stop: make(chan struct{}), done: make(chan struct{})}
	switch {
	case cfg.Store != nil:
		l.store = cfg.Store
	case cfg.DataDir != "":
		l.store = DirStore{Root: filepath.Join(cfg.DataDir, "guilds")}
	}
	if err := l.recoverBase(ctx); err != nil {
		return nil, knowledge.Report{}, fmt.Errorf("open library: base: %w", err)
	}
	base, rep, err := knowledge.Open(ctx, cfg.Base)
	if err != nil {
		return nil, rep, fmt.Errorf("open library: %w", err)
	}
	l.base = base
	go l.closeIdle()
	return l, rep, nil
}

// recoverBase rolls back a change of the base that a crash interrupted.
// It takes the base's lock first, so that it never mistakes a change
// another process is making for an interrupted one; a base folder with
// nothing to recover is not locked (it may be read-only).
func (l *Library) recoverBase(ctx context.Context) error {
	dir := l.cfg.Base.CorpusDir
	if dir == "" {
		return nil
	}
	f := folder{dir: dir}
	if !f.needsRecovery() {
		return nil
	}
	unlock, err := lockFolder(ctx, dir)
	if err != nil {
		return err
	}
	defer unlock()
	undone, err := f.recover()
	if undone {
		l.log.Warn("library: rolled back a change of the base that was interrupted")
	}
	return err
}

// Base is the base collection's engine, for what concerns only it
// (status, syncing with another process). Do not close it.
func (l *Library) Base() *knowledge.Engine { return l.base }

// Close closes every collection. Calls after Close return ErrClosed.
func (l *Library) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	gs := l.guilds
	l.guilds = map[string]*guild{}
	l.mu.Unlock()
	close(l.stop)
	<-l.done
	var errs []error
	for _, g := range gs {
		errs = append(errs, g.close())
	}
	errs = append(errs, l.base.Close())
	return errors.Join(errs...)
}

// view returns what scope reads, and a release to call when done with it.
func (l *Library) view(ctx context.Context, scope knowledge.Scope) (knowledge.View, func(), error) {
	if scope.IsBase() {
		if l.isClosed() {
			return knowledge.View{}, nil, ErrClosed
		}
		return knowledge.View{Base: l.base}, func() {}, nil
	}
	g, err := l.acquire(ctx, scope.Guild)
	if err != nil {
		return knowledge.View{}, nil, err
	}
	eng, hidden := l.state(g)
	return knowledge.View{Base: l.base, Own: eng, Hidden: hidden}, func() { l.release(g) }, nil
}

// state returns g's index of its own documents and its hidden ids as
// they are now.
func (l *Library) state(g *guild) (*knowledge.Engine, map[string]bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return g.eng, g.hidden
}

// read runs f on scope's view. A guild's own index is closed when its
// last document is removed: a question that picked it up just before
// reads the view again.
func (l *Library) read(ctx context.Context, scope knowledge.Scope, f func(knowledge.View) error) error {
	for try := 0; ; try++ {
		v, release, err := l.view(ctx, scope)
		if err != nil {
			return err
		}
		err = f(v)
		release()
		if try == 0 && errors.Is(err, knowledge.ErrClosed) && !l.isClosed() {
			continue
		}
		return err
	}
}

func (l *Library) isClosed() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.closed
}

// Ask answers question in scope: from the base alone, or from the base
// minus what the guild hid plus the guild's own documents, as one corpus.
func (l *Library) Ask(ctx context.Context, scope knowledge.Scope, question string, opts knowledge.AskOptions) (knowledge.Answer, error) {
	var ans knowledge.Answer
	err := l.read(ctx, scope, func(v knowledge.View) (err error) {
		ans, err = v.Ask(ctx, question, opts)
		return err
	})
	return ans, err
}

// Search returns up to limit passages of scope ranked for query.
func (l *Library) Search(ctx context.Context, scope knowledge.Scope, query string, limit int) ([]knowledge.Citation, error) {
	var out []knowledge.Citation
	err := l.read(ctx, scope, func(v knowledge.View) (err error) {
		out, err = v.Search(ctx, query, limit)
		return err
	})
	return out, err
}

// Sources lists scope's documents, ordered by title, each with its
// Origin ("base" or "guild").
func (l *Library) Sources(ctx context.Context, scope knowledge.Scope) ([]knowledge.Source, error) {
	var out []knowledge.Source
	err := l.read(ctx, scope, func(v knowledge.View) (err error) {
		out, err = v.Sources()
		return err
	})
	return out, err
}

// Hidden lists the base documents the guild of scope hid, by title; none
// for the base scope.
func (l *Library) Hidden(ctx context.Context, scope knowledge.Scope) ([]knowledge.Source, error) {
	if scope.IsBase() {
		return nil, nil
	}
	g, err := l.acquire(ctx, scope.Guild)
	if err != nil {
		return nil, err
	}
	defer l.release(g)
	_, hidden := l.state(g)
	var out []knowledge.Source
	for _, s := range l.base.Sources() {
		if hidden[s.ID] {
			s.Origin = knowledge.OriginBase
			out = append(out, s)
		}
	}
	return out, nil
}

// Source returns one document of scope and its passages, or
// knowledge.ErrNotFound (also for a document the guild hid).
func (l *Library) Source(ctx context.Context, scope knowledge.Scope, docID string) (knowledge.Source, []knowledge.Passage, error) {
	var (
		src knowledge.Source
		ps  []knowledge.Passage
	)
	err := l.read(ctx, scope, func(v knowledge.View) (err error) {
		src, ps, err = v.Source(ctx, docID)
		return err
	})
	return src, ps, err
}

// Passage returns one passage of scope by id, or knowledge.ErrNotFound.
func (l *Library) Passage(ctx context.Context, scope knowledge.Scope, passageID string) (knowledge.Passage, error) {
	var p knowledge.Passage
	err := l.read(ctx, scope, func(v knowledge.View) (err error) {
		p, err = v.Passage(ctx, passageID)
		return err
	})
	return p, err
}

// BaseStatus summarises the base collection, without paths.
type BaseStatus struct {
	Embedded  bool // the built-in corpus
	Documents int
	Passages  int
	BuiltAt   time.Time
	LoadedAt  time.Time
	Skipped   int // files of the base that could not be used
}

// Status describes a scope's collection: the guild's own documents and
// hidden ones, and a summary of the base. It holds no filesystem paths
// and nothing about other guilds.
type Status struct {
	Guild     string // "" for the base scope
	Documents int    // the guild's own documents
	Passages  int
	Hidden    int       // base documents the guild hid
	BuiltAt   time.Time // when the guild's index was built; zero without documents
	Skipped   []knowledge.Skipped
	Base      BaseStatus
}

// Status reports scope's collection.
func (l *Library) Status(ctx context.Context, scope knowledge.Scope) (Status, error) {
	if l.isClosed() {
		return Status{}, ErrClosed
	}
	bs := l.base.Status()
	st := Status{Guild: scope.Guild, Base: BaseStatus{
		Embedded: l.cfg.Base.CorpusDir == "", Documents: bs.Documents, Passages: bs.Passages,
		BuiltAt: bs.BuiltAt, LoadedAt: bs.LoadedAt, Skipped: len(bs.Skipped),
	}}
	if scope.IsBase() {
		return st, nil
	}
	g, err := l.acquire(ctx, scope.Guild)
	if err != nil {
		return Status{}, err
	}
	defer l.release(g)
	eng, hidden := l.state(g)
	st.Hidden = len(hidden)
	if eng != nil {
		gs := eng.Status()
		st.Documents, st.Passages, st.BuiltAt, st.Skipped = gs.Documents, gs.Passages, gs.BuiltAt, gs.Skipped
	}
	return st, nil
}

// Reload re-reads scope's collection and rebuilds its index when it
// changed: the base for the base scope (the operator's: the caller
// checks), the guild's own documents for a guild scope. On failure the
// old index keeps serving.
func (l *Library) Reload(ctx context.Context, scope knowledge.Scope) (knowledge.Report, error) {
	if scope.IsBase() {
		if l.isClosed() {
			return knowledge.Report{}, ErrClosed
		}
		l.baseMu.Lock()
		defer l.baseMu.Unlock()
		return l.base.Reload(ctx)
	}
	g, done, err := l.change(ctx, scope.Guild)
	if err != nil {
		return knowledge.Report{}, err
	}
	defer done()
	return l.rebuildGuild(ctx, g)
}

// Sync adopts what another process (govbot index, govbot add, govbot
// remove --guild) changed since this one last looked: a new base index,
// and for each guild collection this process has loaded, its hidden ids
// and its own documents' index. It reports whether anything changed.
// Call it periodically from long-running processes.
func (l *Library) Sync(ctx context.Context) (bool, error) {
	if l.isClosed() {
		return false, ErrClosed
	}
	changed, err := l.base.Sync(ctx)
	if err != nil || l.store == nil {
		return changed, err
	}
	l.mu.Lock()
	var loaded []string
	for id, g := range l.guilds {
		if g.loaded {
			loaded = append(loaded, id)
		}
	}
	l.mu.Unlock()
	var errs []error
	for _, id := range loaded {
		c, err := l.syncGuild(ctx, id)
		changed = changed || c
		errs = append(errs, err)
	}
	return changed, errors.Join(errs...)
}

// syncGuild re-reads a loaded guild's hidden ids and adopts the index of
// its documents that another process built.
func (l *Library) syncGuild(ctx context.Context, id string) (bool, error) {
	g, err := l.acquire(ctx, id)
	if err != nil {
		return false, err
	}
	defer l.release(g)
	if !g.changeMu.TryLock() {
		return false, nil // this process is changing it: nothing to adopt
	}
	defer g.changeMu.Unlock()
	ids, err := l.store.Hidden(ctx, id)
	if err != nil {
		return false, err
	}
	hidden := make(map[string]bool, len(ids))
	for _, h := range ids {
		hidden[h] = true
	}
	l.mu.Lock()
	changed := !maps.Equal(hidden, g.hidden)
	if changed {
		g.hidden = hidden
	}
	eng := g.eng
	l.mu.Unlock()
	if eng != nil {
		c, err := eng.Sync(ctx)
		return changed || c, err
	}
	docs, _, err := l.store.Folders(ctx, id)
	if err != nil {
		return changed, err
	}
	if has, err := hasDocuments(docs); err != nil || !has {
		return changed, err
	}
	if _, err := l.rebuildGuild(ctx, g); err != nil {
		return changed, err
	}
	return true, nil
}

// Guilds lists the guilds that have a collection of their own.
func (l *Library) Guilds(ctx context.Context) ([]string, error) {
	if l.store == nil {
		return nil, nil
	}
	return l.store.Guilds(ctx)
}

func sortedIDs(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
