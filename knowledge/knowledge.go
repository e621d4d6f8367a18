// Package knowledge is govbot's domain: documents, the passages they are
// split into, the search index over them, and answers made of cited
// excerpts. It knows nothing about Discord or terminals.
//
// An Engine is opened over a corpus (the embedded default or a directory),
// keeps a persistent bleve index in sync with it, and answers questions
// with the exact passages that answer them, or abstains when the corpus
// does not cover the question. All Engine methods are safe for concurrent
// use; Reload swaps the index atomically while questions are answered.
package knowledge

import (
	"errors"
	"time"
)

// Sentinel errors; callers test for them with errors.Is.
var (
	// ErrEmptyQuestion: the question has no searchable words.
	ErrEmptyQuestion = errors.New("question has no searchable words")
	// ErrQuestionTooLong: the question is longer than MaxQuestionRunes.
	ErrQuestionTooLong = errors.New("question is too long")
	// ErrNotFound: no document or passage has the given id.
	ErrNotFound = errors.New("not found")
	// ErrNoDocuments: a corpus directory has no usable document; the
	// error says what was skipped and why.
	ErrNoDocuments = errors.New("no usable documents")
	// ErrClosed: the engine has been closed.
	ErrClosed = errors.New("knowledge engine is closed")
)

// MaxQuestionRunes bounds the length of a question or search query.
const MaxQuestionRunes = 1000

// MaxExcerptRunes bounds the length of a citation's excerpt.
const MaxExcerptRunes = 400

// Span marks a highlighted range of an excerpt in byte offsets:
// Excerpt[Start:End].
type Span struct {
	Start, End int
}

// Source describes one document of the knowledge base.
type Source struct {
	ID          string `json:"id"`                    // stable slug, e.g. "framing-the-agenda"
	Path        string `json:"path"`                  // slash-separated path within the corpus
	Title       string `json:"title"`                 // never empty
	Author      string `json:"author,omitempty"`      // as stated by the document
	Translator  string `json:"translator,omitempty"`  // as stated by the document
	Publication string `json:"publication,omitempty"` // as stated by the document
	Published   string `json:"published,omitempty"`   // date as stated, preferably YYYY-MM-DD
	URL         string `json:"url,omitempty"`         // only when the document states one
	Passages    int    `json:"passages"`              // number of passages
	Hash        string `json:"hash,omitempty"`        // sha256 of the file
	// Origin is, in what a library returns, the collection the document
	// belongs to: "base" (the operator's) or "guild" (a server's own).
	Origin  string    `json:"origin,omitempty"`
	ModTime time.Time `json:"-"`
}

// Passage is a contiguous part of a document's body, the unit that is
// indexed and cited.
type Passage struct {
	ID      string `json:"id"`      // DocID + "#" + ordinal, e.g. "framing-the-agenda#3"
	DocID   string `json:"doc_id"`  //
	Ordinal int    `json:"ordinal"` // 1-based position within the document
	Start   int    `json:"start"`   // byte offset of Text within the document body
	End     int    `json:"end"`     // byte offset just past Text
	Text    string `json:"text"`
	// Page is the 1-based page the passage starts on, for paged formats
	// (PDF); 0 otherwise.
	Page int `json:"page,omitempty"`
	// Section names the headings the passage is under, outermost first,
	// joined by " › " (not repeating the document's title); "" when none.
	Section string `json:"section,omitempty"`
}

// Citation is one cited passage of an answer or one search hit.
type Citation struct {
	Rank       int     // 1-based, best first
	Source     Source  // the document cited
	Passage    Passage // the whole passage
	Excerpt    string  // at most MaxExcerptRunes runes, cut at sentence boundaries ("…" marks a cut inside a sentence)
	Highlights []Span  // matched terms within Excerpt, in order, non-overlapping
	Score      float64 // relevance; comparable only within one answer
}

// Answer is the engine's reply to a question.
type Answer struct {
	Question  string
	Abstained bool       // true when the knowledge base does not answer the question
	Citations []Citation // best first; empty when Abstained
	// Closest holds, when Abstained, the nearest passages: offered as
	// related reading, never as an answer. Empty otherwise.
	Closest []Citation
	// FollowUp is the earlier question of the conversation (AskOptions.History)
	// that the question was read together with, when the answer used it
	// ("who drafted it?" after "What was the Wuzhen Declaration?"); empty
	// when the question was answered on its own.
	FollowUp string
}

// AskOptions tunes Ask.
type AskOptions struct {
	// Limit is the most citations to return; 0 means 3.
	Limit int
	// History is the conversation so far, oldest first: the earlier
	// questions and the passages their answers cited. Ask uses the most
	// recent MaxHistory turns to resolve what a follow-up refers to ("it",
	// "that conference", "when?", "what about China?"); a question that is
	// complete on its own is answered on its own. Nil: a single question.
	History []Turn
}

// Turn is one earlier exchange of a conversation.
type Turn struct {
	// Question is the question as asked.
	Question string
	// Cited are the ids of the passages its answer cited, best first
	// (Citation.Passage.ID); empty when it abstained.
	Cited []string
}

// MaxHistory is how many of the most recent turns of AskOptions.History
// Ask reads; earlier ones are ignored.
const MaxHistory = 3

// Skipped names a corpus file that could not be used, and why.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Report describes the outcome of building or reloading the index.
type Report struct {
	Documents int           `json:"documents"`
	Passages  int           `json:"passages"`
	Added     []string      `json:"added,omitempty"`   // document ids new since the previous index
	Changed   []string      `json:"changed,omitempty"` // document ids whose file changed
	Removed   []string      `json:"removed,omitempty"` // document ids no longer in the corpus
	Skipped   []Skipped     `json:"skipped,omitempty"`
	Rebuilt   bool          `json:"rebuilt"` // false when the existing index was up to date
	Duration  time.Duration `json:"duration"`
}

// Status is a snapshot of the engine's state.
type Status struct {
	Corpus    string    // "embedded" or the corpus directory
	IndexDir  string    // where the live index lives
	Documents int       //
	Passages  int       //
	BuiltAt   time.Time // when the live index was built
	LoadedAt  time.Time // when this engine started serving it
	Skipped   []Skipped // files skipped when the live index was built
}
