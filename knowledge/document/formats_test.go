package document

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// newTestParser returns a Parser that reads every file (no extraction
// cache) but shares the compiled PDF reader with other runs.
func newTestParser(t testing.TB, opts Options) *Parser {
	t.Helper()
	ps := NewParser(opts)
	ps.noExtractCache = true
	t.Cleanup(func() { ps.Close() })
	return ps
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "formats", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

var pageClaim = regexp.MustCompile(`This paragraph is on page (one|two|three|four)`)

// TestPDFPagesAndParagraphs reads a groff-made PDF whose paragraphs say
// which page they are on: each must be anchored on that page, with the
// running header, page numbers and hyphenation gone and the paragraph
// that crosses a page break whole.
func TestPDFPagesAndParagraphs(t *testing.T) {
	ps := newTestParser(t, Options{})
	doc, err := ps.Parse(t.Context(), "reports/paged.pdf", readFixture(t, "paged.pdf"))
	if err != nil {
		t.Fatalf("Parse(paged.pdf): %v", err)
	}
	if doc.Title != "Paged Fixture" {
		t.Errorf("Title = %q; want %q", doc.Title, "Paged Fixture")
	}
	numbers := map[string]int{"one": 1, "two": 2, "three": 3, "four": 4}
	claims := pageClaim.FindAllStringSubmatchIndex(doc.Body, -1)
	if len(claims) != 3 {
		t.Fatalf("found %d page claims in the body; want 3:\n%s", len(claims), doc.Body)
	}
	for _, m := range claims {
		word := doc.Body[m[2]:m[3]]
		if page, _ := At(doc.Anchors, m[0]); page != numbers[word] {
			t.Errorf("%q is anchored on page %d; want %d", doc.Body[m[0]:m[1]], page, numbers[word])
		}
	}
	for _, furniture := range []string{"Fixture Report", "Draft", "- 2 -", "- 3 -"} {
		if strings.Contains(doc.Body, furniture) {
			t.Errorf("body keeps the running header or page number %q", furniture)
		}
	}
	for _, want := range []string{
		"interdisciplinarity word to provoke hyphenation",
		"Filler sentence number 45 goes on about the regional internet registries and their policy development processes. Filler sentence number 46",
	} {
		if !strings.Contains(doc.Body, want) {
			t.Errorf("body lacks %q", want)
		}
	}
	// The paragraph that crosses from page 2 to 3 is one paragraph, which
	// starts on page 2; its text after the break is on page 3.
	cross := strings.Index(doc.Body, "The paragraph that crosses the page boundary")
	end := strings.Index(doc.Body, "crossing complete.")
	if cross < 0 || end < 0 || strings.Contains(doc.Body[cross:end], "\n") {
		t.Errorf("the paragraph across the page break is not whole")
	}
	if p, _ := At(doc.Anchors, cross); p != 2 {
		t.Errorf("crossing paragraph starts on page %d; want 2", p)
	}
	if p, _ := At(doc.Anchors, end); p != 3 {
		t.Errorf("crossing paragraph ends on page %d; want 3", p)
	}
	// Headings set in a larger size are sections.
	if _, sec := At(doc.Anchors, strings.Index(doc.Body, "This paragraph is on page four")); sec != "Third Section" {
		t.Errorf("section on page four = %q; want %q", sec, "Third Section")
	}
}

func TestOfficeDocuments(t *testing.T) {
	for _, name := range []string{"office.docx", "office.odt"} {
		t.Run(name, func(t *testing.T) {
			ps := newTestParser(t, Options{})
			doc, err := ps.Parse(t.Context(), name, readFixture(t, name))
			if err != nil {
				t.Fatalf("Parse(%s): %v", name, err)
			}
			if doc.Title != "Office Fixture" || doc.Author != "Grace Example" {
				t.Errorf("Title, Author = %q, %q; want %q, %q", doc.Title, doc.Author, "Office Fixture", "Grace Example")
			}
			for _, tt := range []struct{ text, section string }{
				{"Opening paragraph before any section heading", ""},
				{"The background section explains", "Background"},
				{"The history subsection recalls", "Background › History"},
				{"first item about root servers\n\nsecond item about domain names", "Background › History"},
				{"Body | Founded\nICANN | 1998\nIGF | 2006", "Background › History"},
				{"The outcomes section lists the Wuzhen declaration and its text.", "Outcomes"},
			} {
				i := strings.Index(doc.Body, tt.text)
				if i < 0 {
					t.Errorf("body lacks %q:\n%s", tt.text, doc.Body)
					continue
				}
				if page, sec := At(doc.Anchors, i); sec != tt.section || page != 0 {
					t.Errorf("At(%q) = page %d, section %q; want 0, %q", tt.text, page, sec, tt.section)
				}
			}
			if strings.ContainsAny(doc.Body, "*[]#") {
				t.Errorf("markup in the body:\n%s", doc.Body)
			}
		})
	}
}

func TestUnusableFiles(t *testing.T) {
	paged := readFixture(t, "paged.pdf")
	docx := readFixture(t, "office.docx")
	tests := []struct {
		name string
		path string
		data []byte
		opts Options
		want error
	}{
		{"encrypted PDF", "a.pdf", readFixture(t, "encrypted.pdf"), Options{}, ErrEncrypted},
		{"scanned PDF", "a.pdf", readFixture(t, "scan.pdf"), Options{}, ErrNoTextLayer},
		{"not a PDF", "a.pdf", []byte("%PDF-1.4 nothing else"), Options{}, ErrDamaged},
		{"empty PDF", "a.pdf", nil, Options{}, ErrDamaged},
		{"truncated PDF (no %%EOF)", "a.pdf", []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"), Options{}, ErrDamaged},
		{"no PDF header", "a.pdf", []byte("<html>not a pdf</html>\n%%EOF"), Options{}, ErrDamaged},
		{"PDF over its time limit", "a.pdf", paged, Options{ParseTimeout: time.Nanosecond}, ErrTooComplex},
		{"not a zip", "a.docx", []byte("PK\x03\x04 broken"), Options{}, ErrDamaged},
		{"zip without a document", "a.docx", zipOf(t, map[string]string{"x.txt": "hi"}), Options{}, ErrDamaged},
		{"truncated DOCX", "a.docx", docx[:len(docx)/2], Options{}, ErrDamaged},
		{"ODT that is a DOCX", "a.odt", docx, Options{}, ErrDamaged},
		{"zip bomb", "a.docx", zipOf(t, map[string]string{"word/document.xml": "<w:document>" + strings.Repeat(" ", 65<<20) + "</w:document>"}), Options{}, ErrTooComplex},
		{"deeply nested XML", "a.docx", zipOf(t, map[string]string{"word/document.xml": strings.Repeat("<w:p>", 5000)}), Options{}, ErrTooComplex},
		{"bad XML", "a.odt", zipOf(t, map[string]string{"content.xml": "<office:body><text:p>a</text:q>"}), Options{}, ErrDamaged},
		{"DOCX without text", "a.docx", zipOf(t, map[string]string{"word/document.xml": "<w:document><w:body><w:p></w:p></w:body></w:document>"}), Options{}, ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := newTestParser(t, tt.opts)
			doc, err := ps.Parse(t.Context(), tt.path, tt.data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse(%s) = %q, %v; want %v", tt.name, doc.Title, err, tt.want)
			}
		})
	}
}

// TestTruncatedPDFs cuts a PDF at many places: each either reads (PDFium
// repairs what it can) or is skipped as damaged, and never hangs.
func TestTruncatedPDFs(t *testing.T) {
	paged := readFixture(t, "paged.pdf")
	ps := newTestParser(t, Options{ParseTimeout: 20 * time.Second})
	for _, n := range []int{1, 100, len(paged) / 3, len(paged) / 2, len(paged) - 100} {
		_, err := ps.Parse(t.Context(), "cut.pdf", paged[:n])
		if err != nil && !errorsIsAny(err, ErrDamaged, ErrNoTextLayer, ErrEmpty) {
			t.Errorf("Parse(first %d bytes) error = %v; want success or damaged", n, err)
		}
	}
}

func TestParserIsReusedAfterAFailure(t *testing.T) {
	ps := newTestParser(t, Options{})
	if _, err := ps.Parse(t.Context(), "a.pdf", []byte("garbage")); !errors.Is(err, ErrDamaged) {
		t.Fatalf("garbage: %v", err)
	}
	if _, err := ps.Parse(t.Context(), "b.pdf", readFixture(t, "paged.pdf")); err != nil {
		t.Fatalf("a good PDF after a bad one: %v", err)
	}
}

func TestExtractionCache(t *testing.T) {
	dir := t.TempDir()
	ps := NewParser(Options{CacheDir: dir})
	defer ps.Close()
	data := readFixture(t, "office.docx")
	first, err := ps.Parse(t.Context(), "a.docx", data)
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := filepath.Glob(filepath.Join(dir, "extracted", "*.json"))
	if len(entries) != 1 {
		t.Fatalf("cache holds %d entries; want 1", len(entries))
	}
	again, err := ps.Parse(t.Context(), "b/a.docx", data)
	if err != nil || again.Body != first.Body || again.Title != first.Title || len(again.Anchors) != len(first.Anchors) || again.ID != "b-a" {
		t.Errorf("cached parse = %q %q %v, %v; want the same document under its new path", again.ID, again.Title, again.Anchors, err)
	}
	if err := os.WriteFile(entries[0], []byte("{broken"), 0o644); err != nil {
		t.Fatal(err)
	}
	if third, err := ps.Parse(t.Context(), "a.docx", data); err != nil || third.Body != first.Body {
		t.Errorf("parse over a broken cache entry = %v; want it read again", err)
	}
}

func TestMarkdownSections(t *testing.T) {
	src := "# Report\n\nIntro *text*.\n\n## Scope\n\nScope text with `code` and a [link](http://x).\n\n### Detail\n\n> quoted detail\n\n#### Deeper\n\nDeep text.\n\n## Next\n\n```\ncode block\n```\n\n<div>raw <b>html</b> text</div>\n"
	doc, err := Parse("r.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ text, section string }{
		{"Intro text.", ""},
		{"Scope text with code and a link.", "Scope"},
		{"quoted detail", "Scope › Detail"},
		{"Deep text.", "Scope › Detail › Deeper"},
		{"code block", "Next"},
		{"raw html text", "Next"},
	} {
		i := strings.Index(doc.Body, tt.text)
		if i < 0 {
			t.Errorf("body lacks %q:\n%s", tt.text, doc.Body)
			continue
		}
		if _, sec := At(doc.Anchors, i); sec != tt.section {
			t.Errorf("section of %q = %q; want %q", tt.text, sec, tt.section)
		}
	}
}

func TestHTMLSections(t *testing.T) {
	doc, err := Parse("p.html", []byte("<title>Site | Page</title><main><h1>Page</h1><p>Lead.</p><h2>Part A</h2><p>Text A.</p><h3>Sub</h3><p>Text sub.</p><h2>Part B</h2><p>Text B.</p></main>"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ text, section string }{
		{"Lead.", "Page"}, // the <title> differs from the h1, so the h1 names a section
		{"Text A.", "Page › Part A"},
		{"Text sub.", "Page › Part A › Sub"},
		{"Text B.", "Page › Part B"},
	} {
		if _, sec := At(doc.Anchors, strings.Index(doc.Body, tt.text)); sec != tt.section {
			t.Errorf("section of %q = %q; want %q", tt.text, sec, tt.section)
		}
	}
}

// zipOf makes a zip archive of the named files.
func zipOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, content := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// BenchmarkPDF300Pages reads a 300-page PDF made by repeating the pages
// of the fixture's text (groff output, justified and hyphenated), from a
// started reader: the time and memory a corpus pays per big PDF.
func BenchmarkPDF300Pages(b *testing.B) {
	data := bigPDF(b)
	ps := newTestParser(b, Options{ParseTimeout: 5 * time.Minute})
	if _, err := ps.Parse(context.Background(), "warm.pdf", readFixture(b, "paged.pdf")); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		doc, err := ps.Parse(context.Background(), "big.pdf", data)
		if err != nil {
			b.Fatal(err)
		}
		if p, _ := At(doc.Anchors, len(doc.Body)-1); p < 300 {
			b.Fatalf("last page = %d; want 300 or more", p)
		}
	}
}

// bigPDF returns testdata/formats/big.pdf when present (301 pages, made
// with: for i in $(seq 75); do cat paged.ms; echo .bp; done | groff -ms
// -Tpdf, less the .ds lines of each copy), else skips.
func bigPDF(b *testing.B) []byte {
	data, err := os.ReadFile(filepath.Join("testdata", "formats", "big.pdf"))
	if err != nil {
		b.Skip("testdata/formats/big.pdf: " + strconv.Quote(err.Error()))
	}
	return data
}
