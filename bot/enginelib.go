package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/govbot-dev/govbot/knowledge"
	"github.com/govbot-dev/govbot/knowledge/document"
)

// KnowledgeBase is one knowledge engine; *knowledge.Engine satisfies it.
type KnowledgeBase interface {
	Ask(ctx context.Context, question string, opts knowledge.AskOptions) (knowledge.Answer, error)
	Search(ctx context.Context, query string, limit int) ([]knowledge.Citation, error)
	Sources() []knowledge.Source
	Source(ctx context.Context, id string) (knowledge.Source, []knowledge.Passage, error)
	Reload(ctx context.Context) (knowledge.Report, error)
	Status() knowledge.Status
}

// EngineLibrary serves one knowledge engine to every scope: the single
// collection of a govbot without per-server collections. Uploads go to
// Dir/uploads. It is the bridge until the knowledge side's Library backs
// the bot; every scope sees and changes the same documents.
type EngineLibrary struct {
	KB  KnowledgeBase
	Dir string // KNOWLEDGE_DIR; "" (the embedded corpus) refuses changes
	Log *slog.Logger

	ops chan struct{} // one change at a time
}

var _ Library = (*EngineLibrary)(nil)

// NewEngineLibrary serves kb (over the corpus directory dir, "" for the
// embedded corpus) to every scope.
func NewEngineLibrary(kb KnowledgeBase, dir string, log *slog.Logger) *EngineLibrary {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &EngineLibrary{KB: kb, Dir: dir, Log: log, ops: make(chan struct{}, 1)}
}

func (l *EngineLibrary) Ask(ctx context.Context, _ Scope, q string, o knowledge.AskOptions) (knowledge.Answer, error) {
	return l.KB.Ask(ctx, q, o)
}

func (l *EngineLibrary) Search(ctx context.Context, _ Scope, q string, limit int) ([]knowledge.Citation, error) {
	return l.KB.Search(ctx, q, limit)
}

func (l *EngineLibrary) Sources(context.Context, Scope) ([]Document, error) {
	var out []Document
	for _, s := range l.KB.Sources() {
		out = append(out, Document{Source: s, Origin: OriginBase})
	}
	return out, nil
}

func (l *EngineLibrary) Source(ctx context.Context, _ Scope, id string) (knowledge.Source, []knowledge.Passage, error) {
	return l.KB.Source(ctx, id)
}

func (l *EngineLibrary) Status(context.Context, Scope) (Status, error) {
	st := l.KB.Status()
	return Status{Base: Summary{Documents: st.Documents, Passages: st.Passages, BuiltAt: st.BuiltAt, Skipped: st.Skipped}}, nil
}

func (l *EngineLibrary) lock(ctx context.Context) error {
	select {
	case l.ops <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for the knowledge base: %w", ctx.Err())
	}
}

func (l *EngineLibrary) unlock() { <-l.ops }

func (l *EngineLibrary) Reload(ctx context.Context, _ Scope) (knowledge.Report, error) {
	if err := l.lock(ctx); err != nil {
		return knowledge.Report{}, err
	}
	defer l.unlock()
	return l.KB.Reload(ctx)
}

func refused(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrRefused}, args...)...)
}

var errNeedsDir = refused("govbot is serving its built-in knowledge base, which cannot be changed from Discord; to add and remove documents, the operator sets KNOWLEDGE_DIR to a folder of documents and restarts govbot")

func (l *EngineLibrary) Add(ctx context.Context, _ Scope, u Upload) (Change, error) {
	if l.Dir == "" {
		return Change{}, errNeedsDir
	}
	stem, ext, ok := uploadName(u.Title, u.Filename)
	if !ok {
		return Change{}, refused("only %s files can be added", strings.Join(document.Extensions(), ", "))
	}
	data := u.Data
	if u.Title != "" && document.Text(u.Filename) { // front matter would corrupt a PDF
		data = withTitle(data, u.Title)
	}
	rel := uploadsDir + "/" + stem + ext
	doc, err := document.Parse(rel, data)
	if err != nil {
		return Change{}, refused("this file can't be used as a document: %s", oneLine(err.Error()))
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	if err := l.lock(ctx); err != nil {
		return Change{}, err
	}
	defer l.unlock()
	for _, s := range l.KB.Sources() {
		if s.Hash == hash && !u.Replace {
			return Change{}, refused("this exact file is already in the knowledge base as “%s” (%s)", oneLine(s.Title), s.ID)
		}
	}
	p, err := placeUpload(l.Dir, stem, ext, data, u.Replace)
	if err != nil {
		return Change{}, fmt.Errorf("upload %q: %w", doc.Title, err)
	}
	rep, err := l.KB.Reload(ctx)
	src, found := sourceAt(l.KB.Sources(), p.rel)
	if err == nil && found {
		p.keep()
		return Change{Doc: src, Replaced: len(p.backups) > 0, Renamed: p.rel != rel, Report: rep}, nil
	}
	if uerr := p.undo(); uerr != nil {
		l.Log.Error("upload: could not take a rejected file back out of the corpus", "path", p.rel, "err", uerr)
	}
	if err != nil {
		return Change{}, fmt.Errorf("upload %q: %w", doc.Title, err)
	}
	why := skippedReason(rep.Skipped, p.rel)
	if _, rerr := l.KB.Reload(ctx); rerr != nil {
		l.Log.Error("upload: reload after undoing a rejected file failed", "err", rerr)
	}
	return Change{}, refused("the knowledge base did not take this file: %s", why)
}

func (l *EngineLibrary) Remove(ctx context.Context, _ Scope, id string) (Change, error) {
	if l.Dir == "" {
		return Change{}, errNeedsDir
	}
	if err := l.lock(ctx); err != nil {
		return Change{}, err
	}
	defer l.unlock()
	var src knowledge.Source
	found := false
	for _, s := range l.KB.Sources() {
		if s.ID == id {
			src, found = s, true
		}
	}
	if !found {
		return Change{}, refused("that document is no longer in the knowledge base")
	}
	p, err := setAside(l.Dir, src.Path)
	if errors.Is(err, errOutsideCorpus) {
		return Change{Doc: src}, refused("its file is not inside the knowledge directory")
	}
	if err != nil {
		return Change{Doc: src}, fmt.Errorf("remove %s: %w", id, err)
	}
	rep, err := l.KB.Reload(ctx)
	if err != nil {
		if uerr := p.undo(); uerr != nil {
			l.Log.Error("remove: could not put the file back after a failed reload", "path", src.Path, "err", uerr)
		}
		return Change{Doc: src}, fmt.Errorf("remove %s: reload: %w", id, err)
	}
	p.keep()
	return Change{Doc: src, Report: rep}, nil
}

func (l *EngineLibrary) Restore(context.Context, Scope, string) (Change, error) {
	return Change{}, refused("nothing is hidden: this govbot serves one knowledge base to every server")
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
	return "it was not indexed"
}
