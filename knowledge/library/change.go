package library

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path"
	"strconv"
	"strings"

	"github.com/govbot-dev/govbot/knowledge"
	"github.com/govbot-dev/govbot/knowledge/document"
)

// Action is what a change did.
type Action string

const (
	Added    Action = "added"
	Replaced Action = "replaced"
	Removed  Action = "removed"
	Hid      Action = "hidden"
	Restored Action = "restored"
)

// Change describes a change that was made.
type Change struct {
	Scope   knowledge.Scope
	Action  Action
	Source  knowledge.Source // as indexed (Added, Replaced) or as it was (Removed, Hidden, Restored)
	Renamed bool             // the name was taken, so -2, -3... was added
	Report  knowledge.Report // the rebuild; zero for Hidden and Restored, which need none
}

// AddOptions tunes Add.
type AddOptions struct {
	// Title becomes the document's title (in its front matter) and
	// names its file; empty keeps the document's own title and names the
	// file after filename.
	Title string
	// Replace replaces the scope's document of the same name instead of
	// adding one with -2, -3... after the name, and allows bytes that are
	// already in the scope.
	Replace bool
}

// uploadsDir is the folder of a guild's documents (and, before guilds
// had collections, of Discord uploads in KNOWLEDGE_DIR): a guild's
// document stored as uploads/notes.md has the id "uploads-notes", as it
// had when it was uploaded into KNOWLEDGE_DIR.
const uploadsDir = "uploads"

// Add checks the file named filename with content data exactly as the
// corpus loader would, stores it in scope's collection (the base's
// folder for the base scope; the guild's own collection otherwise) and
// rebuilds that collection's index. A refused file (a *RefusedError:
// ErrUnsupported, ErrInvalidDocument, ErrDuplicate) changes nothing and
// says why; so does a failed rebuild (the change is undone).
func (l *Library) Add(ctx context.Context, scope knowledge.Scope, filename string, data []byte, opts AddOptions) (Change, error) {
	stem, ext, ok := fileName(opts.Title, filename)
	if !ok {
		return Change{}, refused(ErrUnsupported, "only %s files can be added", strings.Join(extensions(), ", "))
	}
	if opts.Title != "" && document.Text(filename) { // front matter would corrupt a PDF, DOCX or ODT
		data = withTitle(data, opts.Title)
	}
	if max := l.maxFileSize(); int64(len(data)) > max {
		return Change{}, refused(ErrInvalidDocument, "the file is larger than the %d MiB limit", max>>20)
	}
	if _, err := document.Parse("x"+ext, data); err != nil {
		return Change{}, refused(ErrInvalidDocument, "%s", err.Error())
	}
	if scope.IsBase() {
		return l.addBase(ctx, stem, ext, data, opts)
	}
	return l.addGuild(ctx, scope, stem, ext, data, opts)
}

func (l *Library) maxFileSize() int64 {
	if l.cfg.Base.MaxFileSize > 0 {
		return l.cfg.Base.MaxFileSize
	}
	return knowledge.DefaultMaxFileSize
}

// extensions are the document types, from the one place that knows them.
func extensions() []string { return document.Extensions() }

// placement decides where a new document goes in a folder's subfolder
// sub: stem+ext, or stem-2, stem-3... when that name is taken (a file of
// that stem in any extension, or a document id in taken). With replace
// the files of that stem are replaced instead.
func placement(f folder, sub, stem, ext string, replace bool, taken func(id string) bool) (put string, remove []string, renamed bool, err error) {
	if replace {
		same, err := f.sameStem(sub, stem)
		if err != nil {
			return "", nil, false, err
		}
		return path.Join(sub, stem+ext), same, false, nil
	}
	for n := 1; n <= 1000; n++ {
		name := stem
		if n > 1 {
			name = stem + "-" + strconv.Itoa(n)
		}
		same, err := f.sameStem(sub, name)
		if err != nil {
			return "", nil, false, err
		}
		rel := path.Join(sub, name+ext)
		if len(same) == 0 && !taken(docID(rel)) {
			return rel, nil, n > 1, nil
		}
	}
	return "", nil, false, errors.New("too many documents with that name")
}

func (l *Library) addBase(ctx context.Context, stem, ext string, data []byte, opts AddOptions) (Change, error) {
	dir := l.cfg.Base.CorpusDir
	if dir == "" {
		return Change{}, ErrReadOnlyBase
	}
	unlock, err := lockFolder(ctx, dir)
	if err != nil {
		return Change{}, err
	}
	defer unlock()
	l.baseMu.Lock()
	defer l.baseMu.Unlock()
	sources := l.base.Sources()
	if !opts.Replace {
		if err := duplicate(sources, hashOf(data)); err != nil {
			return Change{}, err
		}
	}
	f := folder{dir: dir}
	put, remove, renamed, err := placement(f, "", stem, ext, opts.Replace, hasID(sources))
	if err != nil {
		return Change{}, fmt.Errorf("add to the base: %w", err)
	}
	tx, err := beginChange(f, DocChange{Put: put, Data: data, Remove: remove}, l.hook)
	if err != nil {
		return Change{}, fmt.Errorf("add to the base: %w", err)
	}
	l.step("applied")
	rep, err := l.base.Reload(ctx)
	l.step("rebuilt")
	src, found := sourceAt(l.base.Sources(), put)
	return l.settle(ctx, tx, rep, err, src, found, put, remove, renamed, knowledge.Scope{}, func(ctx context.Context) error {
		_, err := l.base.Reload(ctx)
		return err
	})
}

func (l *Library) addGuild(ctx context.Context, scope knowledge.Scope, stem, ext string, data []byte, opts AddOptions) (Change, error) {
	g, done, err := l.change(ctx, scope.Guild)
	if err != nil {
		return Change{}, err
	}
	defer done()
	own, hidden := l.state(g)
	v := knowledge.View{Base: l.base, Own: own, Hidden: hidden}
	if !opts.Replace {
		srcs, err := v.Sources()
		if err != nil {
			return Change{}, err
		}
		if err := duplicate(srcs, hashOf(data)); err != nil {
			return Change{}, err
		}
	}
	docs, _, err := l.store.Folders(ctx, g.id)
	if err != nil {
		return Change{}, err
	}
	// A name the base has (hidden or not) is taken too: the guild's
	// document would shadow it.
	taken := func(id string) bool {
		return hasID(l.base.Sources())(id) || own != nil && hasID(own.Sources())(id)
	}
	put, remove, renamed, err := placement(folder{dir: docs}, uploadsDir, stem, ext, opts.Replace, taken)
	if err != nil {
		return Change{}, fmt.Errorf("add to guild %s: %w", g.id, err)
	}
	tx, err := l.store.Begin(ctx, g.id, DocChange{Put: put, Data: data, Remove: remove})
	if err != nil {
		return Change{}, fmt.Errorf("add to guild %s: %w", g.id, err)
	}
	l.step("applied")
	rep, err := l.rebuildGuild(ctx, g)
	l.step("rebuilt")
	var src knowledge.Source
	found := false
	l.mu.Lock()
	eng := g.eng
	l.mu.Unlock()
	if eng != nil {
		src, found = sourceAt(eng.Sources(), put)
	}
	src.Origin = knowledge.OriginGuild
	return l.settle(ctx, tx, rep, err, src, found, put, remove, renamed, scope, func(ctx context.Context) error {
		_, err := l.rebuildGuild(ctx, g)
		return err
	})
}

// settle keeps a change whose rebuild indexed the new document, and
// undoes one whose rebuild failed or skipped it (rebuilding again so
// the index matches the files).
func (l *Library) settle(ctx context.Context, tx Tx, rep knowledge.Report, rerr error, src knowledge.Source, found bool,
	put string, remove []string, renamed bool, scope knowledge.Scope, rebuild func(context.Context) error) (Change, error) {
	if rerr == nil && found {
		if err := tx.Commit(); err != nil {
			l.log.Warn("library: the change is made but its backups remain", "scope", scope.String(), "err", err)
		}
		l.step("committed")
		action := Added
		if len(remove) > 0 {
			action = Replaced
		}
		if src.Origin == "" {
			src.Origin = knowledge.OriginBase
		}
		l.log.Info("library: document added", "scope", scope.String(), "id", src.ID, "passages", src.Passages, "replaced", len(remove))
		return Change{Scope: scope, Action: action, Source: src, Renamed: renamed, Report: rep}, nil
	}
	if err := tx.Rollback(); err != nil {
		return Change{}, errors.Join(fmt.Errorf("undo a change that was not indexed: %w", err), rerr)
	}
	if rerr != nil {
		// The failed rebuild left the old index serving, which matches
		// the files again.
		return Change{}, fmt.Errorf("add: rebuild: %w", rerr)
	}
	if err := rebuild(context.WithoutCancel(ctx)); err != nil {
		l.log.Warn("library: rebuilding after undoing a change", "scope", scope.String(), "err", err)
	}
	return Change{}, refused(ErrInvalidDocument, "it was not indexed: %s", skippedReason(rep.Skipped, put))
}

func duplicate(sources []knowledge.Source, hash string) error {
	for _, s := range sources {
		if s.Hash == hash {
			return refused(ErrDuplicate, "this exact file is already in the knowledge base as “%s” (%s)", s.Title, s.ID)
		}
	}
	return nil
}

func hasID(sources []knowledge.Source) func(string) bool {
	return func(id string) bool {
		for _, s := range sources {
			if s.ID == id {
				return true
			}
		}
		return false
	}
}

func sourceAt(sources []knowledge.Source, rel string) (knowledge.Source, bool) {
	for _, s := range sources {
		if s.Path == rel {
			return s, true
		}
	}
	return knowledge.Source{}, false
}

func skippedReason(sk []knowledge.Skipped, rel string) string {
	for _, s := range sk {
		if s.Path == rel {
			return s.Reason
		}
	}
	return "no text to index"
}

// step marks a point of a change for crash tests.
func (l *Library) step(name string) {
	if l.hook != nil {
		l.hook(name)
	}
}

// Remove takes document docID out of scope: in the base scope it deletes
// the base's file (the operator's); in a guild scope it deletes the
// guild's own document, or hides a base document for that guild only
// (undone by Restore). A failed rebuild puts the file back.
func (l *Library) Remove(ctx context.Context, scope knowledge.Scope, docID string) (Change, error) {
	if scope.IsBase() {
		return l.removeBase(ctx, docID)
	}
	g, done, err := l.change(ctx, scope.Guild)
	if err != nil {
		return Change{}, err
	}
	defer done()
	own, hidden := l.state(g)
	if own != nil {
		if src, _, err := own.Source(ctx, docID); err == nil {
			return l.deleteOwn(ctx, g, src)
		}
	}
	var src knowledge.Source
	found := false
	for _, s := range l.base.Sources() {
		if s.ID == docID {
			src, found = s, true
		}
	}
	if !found || hidden[docID] {
		return Change{}, fmt.Errorf("document %q: %w", docID, knowledge.ErrNotFound)
	}
	hidden = maps.Clone(hidden)
	hidden[docID] = true
	if err := l.setHidden(ctx, g, hidden); err != nil {
		return Change{}, err
	}
	l.step("committed")
	src.Origin = knowledge.OriginBase
	l.log.Info("library: base document hidden", "scope", scope.String(), "id", docID)
	return Change{Scope: scope, Action: Hid, Source: src}, nil
}

// Restore shows again, in scope's guild, a base document it hid.
func (l *Library) Restore(ctx context.Context, scope knowledge.Scope, docID string) (Change, error) {
	if scope.IsBase() {
		return Change{}, fmt.Errorf("document %q: %w", docID, ErrNotHidden)
	}
	g, done, err := l.change(ctx, scope.Guild)
	if err != nil {
		return Change{}, err
	}
	defer done()
	_, hidden := l.state(g)
	if !hidden[docID] {
		return Change{}, fmt.Errorf("document %q: %w", docID, ErrNotHidden)
	}
	hidden = maps.Clone(hidden)
	delete(hidden, docID)
	if err := l.setHidden(ctx, g, hidden); err != nil {
		return Change{}, err
	}
	src, _, err := l.base.Source(ctx, docID)
	if err != nil {
		src = knowledge.Source{ID: docID, Title: docID} // no longer in the base
	}
	src.Origin = knowledge.OriginBase
	l.log.Info("library: base document restored", "scope", scope.String(), "id", docID)
	return Change{Scope: scope, Action: Restored, Source: src}, nil
}

func (l *Library) setHidden(ctx context.Context, g *guild, hidden map[string]bool) error {
	if err := l.store.SetHidden(ctx, g.id, sortedIDs(hidden)); err != nil {
		return err
	}
	l.mu.Lock()
	g.hidden = hidden
	l.mu.Unlock()
	return nil
}

// deleteOwn deletes a guild's own document and rebuilds its index.
func (l *Library) deleteOwn(ctx context.Context, g *guild, src knowledge.Source) (Change, error) {
	tx, err := l.store.Begin(ctx, g.id, DocChange{Remove: []string{src.Path}})
	if errors.Is(err, errOutside) {
		return Change{}, refused(knowledge.ErrNotFound, "its file is not inside the collection")
	}
	if err != nil {
		return Change{}, fmt.Errorf("remove %s: %w", src.ID, err)
	}
	l.step("applied")
	rep, err := l.rebuildGuild(ctx, g)
	l.step("rebuilt")
	if err != nil {
		return Change{}, errors.Join(fmt.Errorf("remove %s: rebuild: %w", src.ID, err), tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		l.log.Warn("library: the document is removed but its backup remains", "guild", g.id, "err", err)
	}
	l.step("committed")
	src.Origin = knowledge.OriginGuild
	l.log.Info("library: document removed", "guild", g.id, "id", src.ID)
	return Change{Scope: knowledge.Scope{Guild: g.id}, Action: Removed, Source: src, Report: rep}, nil
}

func (l *Library) removeBase(ctx context.Context, docID string) (Change, error) {
	dir := l.cfg.Base.CorpusDir
	if dir == "" {
		return Change{}, ErrReadOnlyBase
	}
	unlock, err := lockFolder(ctx, dir)
	if err != nil {
		return Change{}, err
	}
	defer unlock()
	l.baseMu.Lock()
	defer l.baseMu.Unlock()
	src, _, err := l.base.Source(ctx, docID)
	if err != nil {
		return Change{}, err
	}
	tx, err := beginChange(folder{dir: dir}, DocChange{Remove: []string{src.Path}}, l.hook)
	if errors.Is(err, errOutside) {
		return Change{}, refused(knowledge.ErrNotFound, "its file is not inside the knowledge directory")
	}
	if err != nil {
		return Change{}, fmt.Errorf("remove %s: %w", docID, err)
	}
	l.step("applied")
	rep, err := l.base.Reload(ctx)
	l.step("rebuilt")
	if err != nil {
		return Change{}, errors.Join(fmt.Errorf("remove %s: rebuild: %w", docID, err), tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		l.log.Warn("library: the document is removed but its backup remains", "err", err)
	}
	l.step("committed")
	src.Origin = knowledge.OriginBase
	l.log.Info("library: base document removed", "id", docID)
	return Change{Action: Removed, Source: src, Report: rep}, nil
}
