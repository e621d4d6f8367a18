package knowledge_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govbot-dev/govbot/knowledge"
)

// TestCitationsOfPDFAndWord indexes a PDF, a Word file and a Markdown file
// whose text says which page or section it is on: citations carry that
// page and section, and files that are not documents are reported.
func TestCitationsOfPDFAndWord(t *testing.T) {
	corpus := t.TempDir()
	for _, name := range []string{"paged.pdf", "office.docx"} {
		data, err := os.ReadFile(filepath.Join("testdata", "formats", name))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(corpus, name), string(data))
	}
	writeFile(t, filepath.Join(corpus, "notes.md"), "# Notes\n\n## Lighthouse keeping\n\nThe **keeper** of the [lighthouse](https://example.org) trims the wick at dusk, every single evening of the year, whatever the weather.\n")
	writeFile(t, filepath.Join(corpus, "photo.jpg"), "\xff\xd8\xff\xe0 not text")
	eng, rep, err := knowledge.Open(t.Context(), knowledge.Config{CorpusDir: corpus, IndexDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	if rep.Documents != 3 || len(rep.Skipped) != 1 || rep.Skipped[0].Path != "photo.jpg" || rep.Skipped[0].Reason != "unsupported file type .jpg" {
		t.Errorf("report = %d documents, skipped %v; want 3 and photo.jpg as unsupported", rep.Documents, rep.Skipped)
	}
	tests := []struct {
		question, doc string
		page          int
		section       string
	}{
		{"Where was the Wuzhen summit held?", "paged", 2, "Second Section"},
		{"Which paragraph closes the fixture with the Tunis Agenda?", "paged", 4, "Third Section"},
		// office.docx is short lines only, so it is one passage, which
		// starts before its first heading.
		{"What does the history subsection recall?", "office", 0, ""},
		{"When does the keeper trim the wick?", "notes", 0, "Lighthouse keeping"},
	}
	for _, tt := range tests {
		ans, err := eng.Ask(t.Context(), tt.question, knowledge.AskOptions{})
		if err != nil {
			t.Fatalf("Ask(%q): %v", tt.question, err)
		}
		if ans.Abstained || len(ans.Citations) == 0 {
			t.Errorf("Ask(%q) abstained", tt.question)
			continue
		}
		c := ans.Citations[0]
		if c.Source.ID != tt.doc || c.Passage.Page != tt.page || c.Passage.Section != tt.section {
			t.Errorf("Ask(%q) cites %s p. %d %q; want %s p. %d %q", tt.question, c.Source.ID, c.Passage.Page, c.Passage.Section, tt.doc, tt.page, tt.section)
		}
		if strings.ContainsAny(c.Excerpt, "*[]#") {
			t.Errorf("Ask(%q) excerpt has markup: %q", tt.question, c.Excerpt)
		}
	}
	// The page and section survive reopening the index.
	_, ps, err := eng.Source(t.Context(), "paged")
	if err != nil || len(ps) == 0 {
		t.Fatalf("Source(paged) = %d passages, %v; want its passages", len(ps), err)
	}
	if last := ps[len(ps)-1]; last.Page != 4 {
		t.Errorf("Source(paged) last passage = %+v; want page 4", last)
	}
}

func TestCorpusWithNothingUsable(t *testing.T) {
	corpus := t.TempDir()
	writeFile(t, filepath.Join(corpus, "scan.doc"), "old word file")
	writeFile(t, filepath.Join(corpus, "empty.md"), "")
	_, _, err := knowledge.Open(t.Context(), knowledge.Config{CorpusDir: corpus, IndexDir: t.TempDir()})
	if !errors.Is(err, knowledge.ErrNoDocuments) {
		t.Fatalf("Open(folder without documents) error = %v; want ErrNoDocuments", err)
	}
	for _, want := range []string{"1 unsupported file type", "1 empty", ".pdf"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}
