package document

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// binarySniffLen is how much of a file is searched for a NUL byte.
const binarySniffLen = 8 << 10

// DefaultParseTimeout bounds the time spent reading one PDF, DOCX or ODT
// file when Options.ParseTimeout is 0.
const DefaultParseTimeout = 60 * time.Second

// Parser reads document files of every supported format. The PDF reader
// (PDFium compiled to WebAssembly, run by wazero) is started on the
// first PDF and kept until Close. A Parser is safe for concurrent use;
// PDFs are read one at a time.
type Parser struct {
	opts Options
	mu   sync.Mutex // serialises PDFs and guards pdf
	pdf  *pdfReader
	// noExtractCache makes every Parse read the file (tests of the
	// readers themselves).
	noExtractCache bool
}

// NewParser returns a Parser; Close it when done.
func NewParser(opts Options) *Parser { return &Parser{opts: opts} }

// Close releases the PDF reader, if one was started.
func (ps *Parser) Close() error {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.pdf == nil {
		return nil
	}
	err := ps.pdf.close()
	ps.pdf = nil
	return err
}

// Parse turns the bytes of the file at p into a Document, as the
// package function Parse does. ctx bounds the time spent on it, as does
// Options.ParseTimeout for PDF, DOCX and ODT files.
func (ps *Parser) Parse(ctx context.Context, p string, data []byte) (Document, error) {
	k := kindOf(p)
	if k == kindNone {
		return Document{}, fmt.Errorf("%w: %q", ErrUnsupported, path.Ext(p))
	}
	if !k.binary() {
		return parseText(p, k, data)
	}
	cache := extractCache{dir: cacheSubdir(ps.opts.CacheDir, "extracted")}
	if ps.noExtractCache {
		cache.dir = ""
	}
	if ex, err, ok := cache.get(k, data); ok {
		if err != nil {
			return Document{}, err
		}
		return ex.document(p, data)
	}
	ctx, cancel := context.WithTimeout(ctx, ps.opts.parseTimeout())
	defer cancel()
	var (
		ex  extracted
		err error
	)
	defer func() { cache.put(k, data, ex, err) }()
	switch k {
	case kindPDF:
		ex, err = ps.readPDF(ctx, data)
	case kindDOCX:
		ex, err = readDOCX(ctx, data, ps.opts.maxUnpacked(len(data)))
	case kindODT:
		ex, err = readODT(ctx, data, ps.opts.maxUnpacked(len(data)))
	}
	if err != nil {
		return Document{}, err
	}
	return ex.document(p, data)
}

func (ps *Parser) readPDF(ctx context.Context, data []byte) (extracted, error) {
	if err := pdfStructure(data); err != nil {
		return extracted{}, err
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.pdf == nil {
		r, err := newPDFReader(ctx, ps.opts)
		if err != nil {
			return extracted{}, fmt.Errorf("cannot start the PDF reader: %w", err)
		}
		ps.pdf = r
	}
	return ps.pdf.read(ctx, data)
}

// Parse turns the bytes of the file at p (a slash-separated path relative
// to the corpus root) into a Document. It reads nothing else and keeps no
// reference to data. For a PDF it starts a PDF reader for this one file:
// to read many, use a Parser.
//
// The returned Document has ID set to the slug of p (the loaders make IDs
// unique across a corpus), Size and Hash computed from data, and a zero
// ModTime. Its Title is, in order: the front matter title (a DOCX or ODT
// file's title property; a PDF's Title); for markdown, the first
// "# heading"; for HTML, the <title>, then the first <h1>; the first line
// of the Body with text, cut at a word to at most 200 runes; the file name
// without its extension.
//
// On failure Parse returns the zero Document and an error whose text is
// the reason to show for skipping the file; it wraps one of
// ErrUnsupported, ErrBinary, ErrNotUTF8, ErrEmpty, ErrFrontMatter,
// ErrNoHTMLText, ErrNoTextLayer, ErrEncrypted, ErrDamaged or
// ErrTooComplex, or (for HTML the parser rejects) starts "bad HTML".
func Parse(p string, data []byte) (Document, error) {
	ps := NewParser(Options{})
	defer ps.Close()
	return ps.Parse(context.Background(), p, data)
}

// parseText parses the text formats: plain text, Markdown and HTML.
func parseText(p string, k kind, data []byte) (Document, error) {
	switch {
	case bytes.IndexByte(data[:min(len(data), binarySniffLen)], 0) >= 0:
		return Document{}, ErrBinary
	case !utf8.Valid(data):
		return Document{}, ErrNotUTF8
	}
	text := strings.TrimPrefix(string(data), "\uFEFF")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if isBlank(text) {
		return Document{}, ErrEmpty
	}

	m, body, err := frontMatter(text)
	if err != nil {
		return Document{}, err
	}
	if isBlank(body) {
		return Document{}, ErrEmpty
	}
	var titles []string // candidates, best first
	var anchors []Anchor
	switch k {
	case kindMarkdown:
		md := renderMarkdown(body)
		titles = append(titles, m.Title, md.title)
		if isBlank(md.body) {
			return Document{}, ErrEmpty
		}
		body, anchors = md.body, md.anchors
	case kindHTML:
		page, err := parseHTML(body)
		if err != nil {
			return Document{}, err
		}
		m.fill(page.meta)
		body, anchors = page.body, page.anchors
		if body == "" {
			return Document{}, ErrNoHTMLText
		}
		titles = append(titles, m.Title, page.title)
	default:
		titles = append(titles, m.Title)
	}
	titles = append(titles, lineTitle(body), fileTitle(p))
	title := firstNonEmpty(titles...)

	sum := sha256.Sum256(data)
	return Document{
		ID:          slug(p),
		Path:        p,
		Title:       title,
		Author:      m.Author,
		Translator:  m.Translator,
		Publication: m.Publication,
		Published:   m.Published,
		URL:         m.URL,
		Body:        body,
		Hash:        hex.EncodeToString(sum[:]),
		Size:        int64(len(data)),
		Anchors:     dropTitleSection(anchors, title),
	}, nil
}

// extracted is what a reader of a binary format (PDF, DOCX, ODT) yields.
type extracted struct {
	meta    meta     // Title and Author from the file's properties
	body    string   // paragraphs separated by "\n\n"
	anchors []Anchor // pages and sections
}

// document finishes a Document read from a binary format.
func (ex extracted) document(p string, data []byte) (Document, error) {
	if isBlank(ex.body) {
		return Document{}, ErrEmpty
	}
	if !utf8.ValidString(ex.body) {
		return Document{}, fmt.Errorf("%w: text is not valid Unicode", ErrDamaged)
	}
	title := firstNonEmpty(collapseSpace(ex.meta.Title), lineTitle(ex.body), fileTitle(p))
	sum := sha256.Sum256(data)
	return Document{
		ID:        slug(p),
		Path:      p,
		Title:     title,
		Author:    collapseSpace(ex.meta.Author),
		Published: normaliseDate(collapseSpace(ex.meta.Published)),
		Body:      ex.body,
		Hash:      hex.EncodeToString(sum[:]),
		Size:      int64(len(data)),
		Anchors:   dropTitleSection(ex.anchors, title),
	}, nil
}

// dropTitleSection removes the document's title from the front of section
// paths (a heading that repeats the title names no section), then the
// anchors that change nothing. It returns nil when no anchor is left.
func dropTitleSection(anchors []Anchor, title string) []Anchor {
	var out []Anchor
	page, section := 0, ""
	for _, a := range anchors {
		switch {
		case a.Section == title:
			a.Section = ""
		case strings.HasPrefix(a.Section, title+SectionSeparator):
			a.Section = strings.TrimPrefix(a.Section, title+SectionSeparator)
		}
		if a.Page == page && a.Section == section {
			continue
		}
		page, section = a.Page, a.Section
		if n := len(out); n > 0 && out[n-1].Offset == a.Offset {
			out[n-1] = a
			continue
		}
		out = append(out, a)
	}
	return out
}

// isBlank reports whether s has nothing but white space.
func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

// errorsIsAny reports whether err wraps one of targets.
func errorsIsAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}

// pdfStructure refuses, before PDFium is started, a file that cannot be a
// whole PDF: one without the "%PDF-" header in its first kilobyte, or
// without any "%%EOF" end-of-file marker (a download or copy cut short).
// Readers tolerate junk around both, so both are searched loosely.
func pdfStructure(data []byte) error {
	head := data[:min(len(data), 1024)]
	if !bytes.Contains(head, []byte("%PDF-")) {
		return fmt.Errorf("%w: not a PDF (no %%PDF- header)", ErrDamaged)
	}
	if !bytes.Contains(data, []byte("%%EOF")) {
		return fmt.Errorf("%w: truncated PDF (no %%%%EOF marker)", ErrDamaged)
	}
	return nil
}
