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
	// Anchors says where pages and sections start in Body, in increasing
	// Offset order; text before the first anchor has no page or section.
	// Nil for a format without either (plain text).
	Anchors []Anchor
}

// Anchor marks the place in a Document's Body from which a page number
// or a section applies, up to the next Anchor.
type Anchor struct {
	Offset  int    // byte offset in Body
	Page    int    // 1-based page number; 0 when the format has no pages
	Section string // heading path, outermost first, joined by " › "; "" for none
}

// At returns the page and section that apply at byte offset off of a
// Body with these anchors: those of the last anchor at or before off.
func At(anchors []Anchor, off int) (page int, section string) {
	for _, a := range anchors {
		if a.Offset > off {
			break
		}
		page, section = a.Page, a.Section
	}
	return page, section
}

// SectionSeparator joins the headings of a section path.
const SectionSeparator = " › "

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
	// ParseTimeout bounds the time spent reading one PDF, DOCX or ODT
	// file; a file that takes longer is skipped. 0 means
	// DefaultParseTimeout.
	ParseTimeout time.Duration
	// MaxMemory bounds the memory the PDF reader may use for one file, in
	// bytes; a file that needs more is skipped. 0 means 512 MiB. The
	// unpacked XML of a DOCX or ODT file is bounded by the larger of 64
	// MiB and 100 times the file's size.
	MaxMemory int64
	// CacheDir holds what is worth keeping between runs: the compiled PDF
	// reader (compiling it takes several seconds, loading it a fraction
	// of one) in pdfium/, and the text extracted from PDF, DOCX and ODT
	// files, by the hash of their bytes, in extracted/ (so that reopening
	// a corpus of PDFs does not read them again). Empty means govbot/ in
	// the user's cache directory, or no cache when there is none.
	CacheDir string
	// Ignore lists paths (slash-separated, relative to the root) that the
	// caller reads itself, such as a synonyms list: they are not reported
	// as unsupported files.
	Ignore []string
}

func (o Options) maxFileSize() int64 {
	if o.MaxFileSize <= 0 {
		return DefaultMaxFileSize
	}
	return o.MaxFileSize
}

func (o Options) parseTimeout() time.Duration {
	if o.ParseTimeout <= 0 {
		return DefaultParseTimeout
	}
	return o.ParseTimeout
}

func (o Options) maxMemory() int64 {
	if o.MaxMemory <= 0 {
		return 512 << 20
	}
	return o.MaxMemory
}

// maxUnpacked bounds the unpacked size of the parts of a zipped document
// of n bytes.
func (o Options) maxUnpacked(n int) int64 { return max(64<<20, 100*int64(n)) }

// Errors returned by Parse; their text is the reason a loader reports. Test
// for them with errors.Is.
var (
	ErrUnsupported = errors.New("unsupported file type")
	ErrBinary      = errors.New("binary file")
	ErrNotUTF8     = errors.New("not valid UTF-8")
	ErrEmpty       = errors.New("empty")
	ErrNoHTMLText  = errors.New("no text after HTML extraction")
	ErrFrontMatter = errors.New("bad front matter")
	ErrNoTextLayer = errors.New("no text layer (a scan? run OCR first)")
	ErrEncrypted   = errors.New("encrypted (password protected)")
	ErrDamaged     = errors.New("damaged")
	ErrTooComplex  = errors.New("too large or complex to read")
)

// kind is how a file's content is read.
type kind int

const (
	kindNone kind = iota
	kindText
	kindMarkdown
	kindHTML
	kindPDF
	kindDOCX
	kindODT
)

// kindOf is the one list of supported formats: the loaders, uploads and
// the bot ask Supported and Extensions (keep Extensions in step).
func kindOf(p string) kind {
	switch strings.ToLower(path.Ext(p)) {
	case ".txt":
		return kindText
	case ".md", ".markdown":
		return kindMarkdown
	case ".html", ".htm":
		return kindHTML
	case ".pdf":
		return kindPDF
	case ".docx":
		return kindDOCX
	case ".odt":
		return kindODT
	}
	return kindNone
}

// binary reports whether files of kind k are not text.
func (k kind) binary() bool { return k == kindPDF || k == kindDOCX || k == kindODT }

// Supported reports whether p has a document extension (see Extensions),
// in any case. It looks at the name only.
func Supported(p string) bool { return kindOf(p) != kindNone }

// Text reports whether p names a text format (plain text, Markdown,
// HTML), which may start with front matter; PDF, DOCX and ODT files are
// binary and may not be edited.
func Text(p string) bool {
	k := kindOf(p)
	return k != kindNone && !k.binary()
}

// Extensions lists the supported document extensions, lower case with
// their dot, in a fixed order: .md, .markdown, .txt, .html, .htm, .pdf,
// .docx, .odt.
func Extensions() []string {
	return []string{".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx", ".odt"}
}
