// Package document turns corpus files into documents: text with the
// metadata a citation needs.
//
// # Files
//
// A document file has one of the extensions .md, .markdown, .txt, .html or
// .htm (in any case; see Supported). The loaders ignore every other file
// silently, and every file or directory whose name starts with ".". A file
// they cannot use is reported as Skipped with a short reason a person can
// act on; one bad file never stops a load.
//
// # Contents
//
// A file must be valid UTF-8 (a leading byte order mark is dropped) with no
// NUL byte in its first 8 KiB. CRLF line ends become LF. It may start with
// YAML front matter between a first line "---" and the next line "---"; the
// keys title, author, translator, publication, published (or date) and url
// are read, case-insensitively, and all others ignored. Values must be
// scalars; they are trimmed and their whitespace runs collapsed. Published
// is rewritten as YYYY-MM-DD when it reads as a date, and kept as written
// otherwise. A front matter block that is not valid YAML, is not a mapping,
// is not closed, repeats a key, or gives a list or mapping as a value makes
// the file unusable.
//
// The Body of a text or markdown file is the rest of the file verbatim,
// byte for byte, except that a run of blank lines right after front matter
// is dropped. Markdown is not rendered or stripped. The Body of an HTML file
// is its readable text: the first <main> or <article> (else <body>),
// without scripts, styles, navigation, headers, footers, asides, forms,
// dialogs or hidden elements, as paragraphs separated by "\n\n". HTML
// <meta name=author>, article:published_time or date metas and the
// canonical link fill fields that front matter leaves empty.
//
// Title is never empty. See Parse for the order in which it is chosen.
//
// # IDs
//
// A document's ID is a slug of its path without the extension: lower case,
// every run of characters other than letters, digits and marks replaced by
// "-", with no "-" at either end ("Reports/WIC 2015.md" is
// "reports-wic-2015"). A path with no such character has the ID "doc". When
// the loaders find several paths with the same slug, the first path in
// sorted order keeps it and the others get "-2", "-3", ... in sorted path
// order, skipping IDs that another path has on its own. IDs are therefore
// stable as long as the set of colliding paths is.
//
// All functions are safe for concurrent use; results are owned by the
// caller.
package document

import (
	"errors"
	"path"
	"strings"
	"time"
)

// DefaultMaxFileSize is the largest file the loaders read when
// Options.MaxFileSize is 0.
const DefaultMaxFileSize = 10 << 20

// Document is one corpus file, ready to index.
type Document struct {
	ID          string // stable slug of Path without its extension, unique within one load
	Path        string // slash-separated path relative to the corpus root
	Title       string // never empty
	Author      string // as stated by front matter or HTML metadata; may be empty
	Translator  string // as stated by front matter; may be empty
	Publication string // as stated by front matter; may be empty
	Published   string // YYYY-MM-DD when it reads as a date, else as written; may be empty
	URL         string // as stated by front matter or the HTML canonical link; may be empty
	Body        string // the text to index; valid UTF-8, never blank
	Hash        string // hex SHA-256 of the raw file bytes
	Size        int64  // length of the raw file in bytes
	ModTime     time.Time
}

// Skipped names a document file that could not be used, and why.
type Skipped struct {
	Path   string // slash-separated path relative to the corpus root
	Reason string // short and human, e.g. "not valid UTF-8" or "symlink loop"
}

// Options tunes LoadFS and LoadDir.
type Options struct {
	// MaxFileSize is the largest file loaded, in bytes; larger files are
	// skipped without being read. 0 (or less) means DefaultMaxFileSize.
	MaxFileSize int64
}

func (o Options) maxFileSize() int64 {
	if o.MaxFileSize <= 0 {
		return DefaultMaxFileSize
	}
	return o.MaxFileSize
}

// Errors returned by Parse; their text is the reason a loader reports. Test
// for them with errors.Is.
var (
	ErrUnsupported = errors.New("unsupported file type")
	ErrBinary      = errors.New("binary file")
	ErrNotUTF8     = errors.New("not valid UTF-8")
	ErrEmpty       = errors.New("empty")
	ErrNoHTMLText  = errors.New("no text after HTML extraction")
	ErrFrontMatter = errors.New("bad front matter")
)

// kind is how a file's content is read.
type kind int

const (
	kindNone kind = iota
	kindText
	kindMarkdown
	kindHTML
)

func kindOf(p string) kind {
	switch strings.ToLower(path.Ext(p)) {
	case ".txt":
		return kindText
	case ".md", ".markdown":
		return kindMarkdown
	case ".html", ".htm":
		return kindHTML
	}
	return kindNone
}

// Supported reports whether p has a document extension: .md, .markdown,
// .txt, .html or .htm, in any case. It looks at the name only.
func Supported(p string) bool { return kindOf(p) != kindNone }
