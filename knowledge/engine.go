package knowledge

import (
	"context"
	"errors"
	"log/slog"
)

// DefaultMaxFileSize is the largest corpus file loaded when Config.MaxFileSize is 0.
const DefaultMaxFileSize = 10 << 20

// Config configures an Engine.
type Config struct {
	// CorpusDir is the directory of documents (searched recursively). Empty
	// means the embedded default corpus.
	CorpusDir string
	// IndexDir holds the persistent index. Empty means DefaultIndexDir().
	IndexDir string
	// MaxFileSize bounds corpus files; larger ones are skipped. 0 means DefaultMaxFileSize.
	MaxFileSize int64
	// Logger receives warnings (skipped files, rebuilds). Nil discards them.
	Logger *slog.Logger
	// Progress, when set, is called while documents are indexed.
	Progress func(done, total int)
}

// Engine answers questions from an indexed corpus. It is safe for
// concurrent use. Close it when done.
type Engine struct {
	cfg Config
}

// Open loads the corpus, opens the index in cfg.IndexDir (building or
// rebuilding it when it does not match the corpus) and returns a ready
// engine with a report of what was loaded.
func Open(ctx context.Context, cfg Config) (*Engine, Report, error) {
	return nil, Report{}, errors.New("knowledge: not implemented yet")
}

// Ask answers a question with at most opts.Limit citations, best first, or
// abstains. It returns ErrEmptyQuestion or ErrQuestionTooLong (wrapped) for
// unusable questions.
func (e *Engine) Ask(ctx context.Context, question string, opts AskOptions) (Answer, error) {
	return Answer{}, errors.New("knowledge: not implemented yet")
}

// Search returns up to limit passages ranked for query, best first; an empty
// slice when nothing matches. It never abstains.
func (e *Engine) Search(ctx context.Context, query string, limit int) ([]Citation, error) {
	return nil, errors.New("knowledge: not implemented yet")
}

// Sources lists the documents of the live index, ordered by title.
func (e *Engine) Sources() []Source { return nil }

// Source returns one document and its passages in order, or ErrNotFound.
func (e *Engine) Source(ctx context.Context, id string) (Source, []Passage, error) {
	return Source{}, nil, ErrNotFound
}

// Passage returns one passage by id ("doc-id#N"), or ErrNotFound.
func (e *Engine) Passage(ctx context.Context, id string) (Passage, error) {
	return Passage{}, ErrNotFound
}

// Reload re-reads the corpus and, when it changed, builds a new index and
// swaps it in atomically. On failure the old index keeps serving and the
// error says why.
func (e *Engine) Reload(ctx context.Context) (Report, error) {
	return Report{}, errors.New("knowledge: not implemented yet")
}

// Status reports the live index.
func (e *Engine) Status() Status { return Status{} }

// Close releases the index. Calls after Close return ErrClosed.
func (e *Engine) Close() error { return nil }

// Sync adopts an index that another process (govbot index) built in the
// same IndexDir since this engine last looked. It reports whether the live
// index changed. Call it periodically from long-running processes.
func (e *Engine) Sync(ctx context.Context) (bool, error) { return false, nil }
