package bot

import (
	"context"
	"errors"
	"time"

	"github.com/govbot-dev/govbot/knowledge"
)

// Scope names whose data a call reads or changes: a Discord server's
// view (Guild), or the base collection alone (Guild "": DMs, the
// operator's changes). Every method of Library takes one explicitly, so
// that a read or a write of per-server data without a scope does not
// compile.
type Scope = knowledge.Scope

// Base is the scope of the base collection: DMs read it, only the operator
// changes it.
var Base = Scope{}

// Library is what the bot needs from the knowledge side: questions and
// documents read through a scope (a server sees the base collection minus
// what it hid, plus its own documents; DMs see the base), and the changes
// its admins and the operator make to one collection. Implementations are
// safe for concurrent use; questions keep being answered while a change
// runs.
type Library interface {
	Ask(ctx context.Context, scope Scope, question string, opts knowledge.AskOptions) (knowledge.Answer, error)
	Search(ctx context.Context, scope Scope, query string, limit int) ([]knowledge.Citation, error)
	// Sources lists the documents the scope sees, each marked with the
	// collection it comes from.
	Sources(ctx context.Context, scope Scope) ([]Document, error)
	// Source returns one document the scope sees, or an error wrapping
	// knowledge.ErrNotFound.
	Source(ctx context.Context, scope Scope, id string) (knowledge.Source, []knowledge.Passage, error)
	// Status describes the scope's own collection and summarises the base;
	// it never names a path on the host or another server.
	Status(ctx context.Context, scope Scope) (Status, error)
	// Reload rebuilds the scope's own collection (Base: the base).
	Reload(ctx context.Context, scope Scope) (knowledge.Report, error)
	// Add stores a document in the scope's collection and indexes it. A
	// document that cannot be used is refused with an error wrapping
	// ErrRefused that says why, and nothing is kept.
	Add(ctx context.Context, scope Scope, u Upload) (Change, error)
	// Remove takes a document out of what the scope sees: one of the
	// scope's own is deleted; a base document seen from a server is
	// hidden for that server only (Change.Hidden).
	Remove(ctx context.Context, scope Scope, docID string) (Change, error)
	// Restore undoes the hiding of a base document for a server.
	Restore(ctx context.Context, scope Scope, docID string) (Change, error)
}

// ErrRefused marks a change the library refused for a reason the user can
// act on (bad file, name taken, unknown document); the error's text says
// why and is fit to show.
var ErrRefused = errors.New("refused")

// Origin is the collection a document comes from, as a scope sees it.
type Origin string

const (
	OriginBase   Origin = "base"   // the operator's base collection
	OriginServer Origin = "server" // the server's own collection
)

// Document is a document as a scope sees it.
type Document struct {
	knowledge.Source
	Origin Origin
}

// Upload is a document file sent to Library.Add.
type Upload struct {
	Filename string // as the user named it; only its extension and stem are used
	Title    string // optional; becomes the document's title
	Data     []byte
	Replace  bool // replace an earlier document of the same name instead of keeping both
}

// Change is the outcome of a change to a collection.
type Change struct {
	Doc      knowledge.Source // the document added, removed, hidden or restored
	Replaced bool             // Add replaced an earlier document of that name
	Renamed  bool             // Add found the name taken and used another
	Hidden   bool             // Remove hid a base document for this server
	Report   knowledge.Report // the rebuild that applied it
}

// Status describes one scope: its own collection and a summary of the
// base.
type Status struct {
	Base   Summary
	Own    Summary            // the server's own documents (zero in Base scope)
	Hidden []knowledge.Source // base documents this server hid
}

// Summary is the size and age of a collection.
type Summary struct {
	Documents, Passages int
	BuiltAt             time.Time
	Skipped             []knowledge.Skipped // files that could not be used, named within the collection
}
