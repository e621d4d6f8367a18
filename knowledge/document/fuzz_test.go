package document

import (
	"errors"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParse checks Parse's contracts for any file name extension and any
// bytes: no panic; on success a non-empty Title, a Body that is valid UTF-8
// and not blank, and for text files a Body that is a suffix of the input;
// on failure the zero Document and a known reason.
func FuzzParse(f *testing.F) {
	for _, ext := range []string{".txt", ".md", ".markdown", ".html", ".htm", ".HTML", ".yaml", ""} {
		f.Add(ext, []byte("---\ntitle: T\n---\n\nBody\n"))
	}
	f.Add(".md", []byte("\uFEFF# Heading\r\n\r\ntext\r\n"))
	f.Add(".md", []byte("```\n# not a title\n```\n"))
	f.Add(".txt", []byte("---\ndate: [\n---\n"))
	f.Add(".txt", []byte("caf\xe9"))
	f.Add(".txt", []byte("a\x00b"))
	f.Add(".html", []byte("<p>a<br><br>b</p><pre>\n x\n\n\n y</pre>"))
	f.Add(".html", []byte(strings.Repeat("<div>", 600)))
	f.Add(".html", []byte("<html><frameset></frameset><noframes>x</noframes>"))
	files, _ := filepath.Glob(filepath.Join("testdata", "html", "*.html"))
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(".html", data)
		}
	}
	f.Fuzz(func(t *testing.T, ext string, data []byte) {
		p := "dir/File name" + ext
		doc, err := Parse(p, data)
		if err != nil {
			if !reflect.DeepEqual(doc, Document{}) {
				t.Errorf("Parse(%q) = %+v with error %v; want zero Document", p, doc, err)
			}
			known := false
			for _, e := range []error{ErrUnsupported, ErrBinary, ErrNotUTF8, ErrEmpty, ErrNoHTMLText, ErrFrontMatter,
				ErrNoTextLayer, ErrEncrypted, ErrDamaged, ErrTooComplex} {
				known = known || errors.Is(err, e)
			}
			if !known && !strings.HasPrefix(err.Error(), "bad HTML: ") {
				t.Errorf("Parse(%q) error %q wraps no known reason", p, err)
			}
			if !Supported(p) && !errors.Is(err, ErrUnsupported) {
				t.Errorf("Parse(%q) error = %v; want ErrUnsupported", p, err)
			}
			return
		}
		if !Supported(p) {
			t.Fatalf("Parse(%q) succeeded for an unsupported extension", p)
		}
		if doc.Title == "" || !utf8.ValidString(doc.Title) {
			t.Errorf("Parse(%q).Title = %q; want non-empty valid UTF-8", p, doc.Title)
		}
		if !utf8.ValidString(doc.Body) || isBlank(doc.Body) {
			t.Errorf("Parse(%q).Body = %q; want valid UTF-8 with text", p, doc.Body)
		}
		if doc.ID == "" || doc.Path != p || doc.Size != int64(len(data)) || len(doc.Hash) != 64 {
			t.Errorf("Parse(%q) = ID %q, Path %q, Size %d, Hash %q", p, doc.ID, doc.Path, doc.Size, doc.Hash)
		}
		if k := kindOf(p); k == kindText {
			normalised := strings.ReplaceAll(strings.TrimPrefix(string(data), "\uFEFF"), "\r\n", "\n")
			if !strings.HasSuffix(normalised, doc.Body) {
				t.Errorf("Parse(%q).Body = %q is not the end of the file", p, doc.Body)
			}
		}
		for _, v := range []string{doc.Author, doc.Translator, doc.Publication, doc.Published, doc.URL} {
			if v != collapseSpace(v) {
				t.Errorf("Parse(%q) metadata %q has untrimmed white space", p, v)
			}
		}
	})
}

// FuzzFrontMatter checks frontMatter for any text: no panic; errors wrap
// ErrFrontMatter; the body is the end of the text, and the text itself
// when it has no front matter; values are trimmed single lines and
// Published is normalised.
func FuzzFrontMatter(f *testing.F) {
	for _, s := range []string{
		"no front matter\n",
		"---\ntitle: T\nauthor: A\n---\n\nBody\n",
		"---\n# comment\npublished: 2014-11-21\n---\nBody",
		"---\ndate: December 22, 2015\n---\n",
		"---\ntitle: [a, b]\n---\n",
		"---\ntitle: &a x\nauthor: *a\n---\n",
		"---\n- a\n---\n",
		"---\ntitle: a\n--- b\n---\n",
		"---\nunclosed: true\n",
		"---\n---\n",
		"---\nTitle: a\ntitle: b\n---\n",
		"---\na: &a [*a, *a]\n---\n",
		"---\ntitle: !!binary aGk=\n---\n",
		"--- \ntitle: |\n  multi\n  line\n---\t\n \n\nbody",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		m, body, err := frontMatter(text)
		if err != nil {
			if !errors.Is(err, ErrFrontMatter) || !strings.HasPrefix(err.Error(), "bad front matter: ") {
				t.Errorf("frontMatter(%q) error = %v; want a bad front matter error", text, err)
			}
			return
		}
		if !strings.HasSuffix(text, body) {
			t.Errorf("frontMatter(%q) body = %q; want an end of the text", text, body)
		}
		if first, _, _ := strings.Cut(text, "\n"); !isFence(first) || !strings.Contains(text, "\n") {
			if body != text || m != (meta{}) {
				t.Errorf("frontMatter(%q) = %+v, %q; want no metadata and the text unchanged", text, m, body)
			}
		}
		for _, v := range []string{m.Title, m.Author, m.Translator, m.Publication, m.Published, m.URL} {
			if v != collapseSpace(v) {
				t.Errorf("frontMatter(%q) value %q has untrimmed white space", text, v)
			}
		}
		if normaliseDate(m.Published) != m.Published {
			t.Errorf("frontMatter(%q).Published = %q; not normalised", text, m.Published)
		}
	})
}

// checkDocument checks the contracts of a parsed document or its error.
func checkDocument(t *testing.T, p string, doc Document, err error) {
	t.Helper()
	if err != nil {
		if !reflect.DeepEqual(doc, Document{}) {
			t.Errorf("Parse(%q) = %+v with error %v; want zero Document", p, doc, err)
		}
		if !errorsIsAny(err, ErrUnsupported, ErrBinary, ErrNotUTF8, ErrEmpty, ErrNoHTMLText, ErrFrontMatter,
			ErrNoTextLayer, ErrEncrypted, ErrDamaged, ErrTooComplex) && !strings.HasPrefix(err.Error(), "bad HTML: ") {
			t.Errorf("Parse(%q) error %q wraps no known reason", p, err)
		}
		return
	}
	if doc.Title == "" || !utf8.ValidString(doc.Title) || !utf8.ValidString(doc.Body) || isBlank(doc.Body) {
		t.Errorf("Parse(%q) = title %q, body %.80q; want a title and text", p, doc.Title, doc.Body)
	}
	last := -1
	for _, a := range doc.Anchors {
		if a.Offset < last || a.Offset > len(doc.Body) || a.Page < 0 {
			t.Errorf("Parse(%q) anchor %+v out of order or range (body %d bytes)", p, a, len(doc.Body))
		}
		last = a.Offset
	}
}

// FuzzPDF feeds any bytes to the PDF reader (one reader for the whole
// run, as a corpus load has): no panic, no hang past the time limit, a
// document or a known reason, and the reader still works afterwards.
func FuzzPDF(f *testing.F) {
	for _, name := range []string{"paged.pdf", "encrypted.pdf", "scan.pdf"} {
		data := readFixture(f, name)
		f.Add(data)
		f.Add(data[:len(data)/2])
	}
	f.Add([]byte("%PDF-1.7\n1 0 obj <<>> endobj trailer <</Root 1 0 R>>"))
	f.Add([]byte("%PDF-1.4\n1 0 obj " + strings.Repeat("[", 10000) + "\nendobj"))
	ps := newTestParser(f, Options{ParseTimeout: 10 * time.Second})
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ps.Parse(t.Context(), "f.pdf", data)
		checkDocument(t, "f.pdf", doc, err)
	})
}

// FuzzOffice feeds any bytes to the DOCX and ODT readers.
func FuzzOffice(f *testing.F) {
	for _, name := range []string{"office.docx", "office.odt"} {
		data := readFixture(f, name)
		f.Add(path.Ext(name), data)
		f.Add(path.Ext(name), data[:len(data)*2/3])
	}
	f.Add(".docx", zipOf(f, map[string]string{"word/document.xml": "<w:document><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"}))
	f.Add(".odt", zipOf(f, map[string]string{"content.xml": "<office:document-content><office:body><text:h text:outline-level=\"2\">H</text:h><text:p>p<text:s text:c=\"3\"/>q</text:p></office:body></office:document-content>"}))
	ps := newTestParser(f, Options{})
	f.Fuzz(func(t *testing.T, ext string, data []byte) {
		if ext != ".docx" && ext != ".odt" {
			ext = ".docx"
		}
		doc, err := ps.Parse(t.Context(), "f"+ext, data)
		checkDocument(t, "f"+ext, doc, err)
	})
}

// FuzzMarkdown checks the Markdown renderer: no panic, anchors in order
// within the text, no heading marks or emphasis left around plain words.
func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{
		"# T\n\n## A\n\ntext *em* **strong** [l](u) ![i](x) `c`\n",
		"> > > quote\n\n- a\n  - b\n\n1. c\n",
		"| a | b |\n|---|---|\n| 1 | 2 |\n",
		"<div>\n<b>html</b>\n</div>\n\n```go\ncode\n```\n",
		strings.Repeat(">", 5000) + " deep\n",
		strings.Repeat("- ", 3000) + "list\n",
		"Setext\n======\n\nSub\n---\n\ntext\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		md := renderMarkdown(src)
		last := -1
		for _, a := range md.anchors {
			if a.Offset < last || a.Offset > len(md.body) {
				t.Errorf("renderMarkdown(%q) anchor %+v out of order or range", src, a)
			}
			last = a.Offset
		}
		if utf8.ValidString(src) && !utf8.ValidString(md.body) {
			t.Errorf("renderMarkdown(%q) body is not valid UTF-8", src)
		}
	})
}
