package document

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"
)

// binarySniffLen is how much of a file is searched for a NUL byte.
const binarySniffLen = 8 << 10

// Parse turns the bytes of the file at p (a slash-separated path relative
// to the corpus root) into a Document. It reads nothing else and keeps no
// reference to data.
//
// The returned Document has ID set to the slug of p (the loaders make IDs
// unique across a corpus), Size and Hash computed from data, and a zero
// ModTime. Its Title is, in order: the front matter title; for markdown,
// the first "# heading"; for HTML, the <title>, then the first <h1>; the
// first line of the Body with text, cut at a word to at most 200 runes;
// the file name without its extension.
//
// On failure Parse returns the zero Document and an error whose text is
// the reason to show for skipping the file; it wraps one of
// ErrUnsupported, ErrBinary, ErrNotUTF8, ErrEmpty, ErrFrontMatter or
// ErrNoHTMLText, or (for HTML the parser rejects) starts "bad HTML".
func Parse(p string, data []byte) (Document, error) {
	k := kindOf(p)
	if k == kindNone {
		return Document{}, fmt.Errorf("%w: %q", ErrUnsupported, path.Ext(p))
	}
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
	switch k {
	case kindMarkdown:
		titles = append(titles, m.Title, markdownTitle(body))
	case kindHTML:
		page, err := parseHTML(body)
		if err != nil {
			return Document{}, err
		}
		m.fill(page.meta)
		body = page.body
		if body == "" {
			return Document{}, ErrNoHTMLText
		}
		titles = append(titles, m.Title, page.title)
	default:
		titles = append(titles, m.Title)
	}
	titles = append(titles, lineTitle(body, k), fileTitle(p))

	sum := sha256.Sum256(data)
	return Document{
		ID:          slug(p),
		Path:        p,
		Title:       firstNonEmpty(titles...),
		Author:      m.Author,
		Translator:  m.Translator,
		Publication: m.Publication,
		Published:   m.Published,
		URL:         m.URL,
		Body:        body,
		Hash:        hex.EncodeToString(sum[:]),
		Size:        int64(len(data)),
	}, nil
}

// isBlank reports whether s has nothing but white space.
func isBlank(s string) bool { return strings.TrimSpace(s) == "" }
