package knowledge

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/govbot-dev/govbot/knowledge/corpus"
	"github.com/govbot-dev/govbot/knowledge/document"
)

// loadSynonyms reads the admins' synonyms list of the corpus in dir (the
// default list when dir is "" or has none of its own).
func loadSynonyms(dir string) ([][]string, error) {
	name := "embedded"
	var data []byte
	var err error
	if dir == "" {
		data, err = fs.ReadFile(corpus.FS(), SynonymsFile)
	} else {
		name = dir
		data, err = os.ReadFile(filepath.Join(dir, SynonymsFile))
		if errors.Is(err, fs.ErrNotExist) {
			// No list of their own: admins get the default one.
			data, err = fs.ReadFile(corpus.FS(), SynonymsFile)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("load corpus %s: %w", name, err)
	}
	syn, err := parseSynonyms(data)
	if err != nil {
		return nil, fmt.Errorf("load corpus %s: %s: %w", name, SynonymsFile, err)
	}
	return syn, nil
}

// corpusDoc is a loaded document split into passages.
type corpusDoc struct {
	Source   Source
	Passages []Passage
}

// loadedCorpus is everything read from a corpus: documents, files that
// could not be used, and the admins' synonyms.
type loadedCorpus struct {
	name     string // "embedded" or the directory
	docs     []corpusDoc
	skipped  []Skipped
	synonyms [][]string
}

// loadCorpus reads the corpus in dir, or the embedded default when dir is
// "". Broken files are skipped with a reason; only an unusable directory
// or synonyms list is an error.
func loadCorpus(ctx context.Context, dir string, maxFileSize int64) (loadedCorpus, error) {
	opts := document.Options{MaxFileSize: maxFileSize, Ignore: []string{SynonymsFile}}
	var (
		docs    []document.Document
		skipped []document.Skipped
		err     error
		lc      loadedCorpus
	)
	if dir == "" {
		lc.name = "embedded"
		docs, skipped, err = document.LoadFS(ctx, corpus.FS(), opts)
	} else {
		lc.name = dir
		docs, skipped, err = document.LoadDir(ctx, dir, opts)
	}
	if err != nil {
		return lc, fmt.Errorf("load corpus %s: %w", lc.name, err)
	}
	if lc.synonyms, err = loadSynonyms(dir); err != nil {
		return lc, err
	}
	for _, s := range skipped {
		lc.skipped = append(lc.skipped, Skipped{Path: s.Path, Reason: s.Reason})
	}
	for _, d := range docs {
		ps := splitPassages(d.ID, d.Body)
		for i := range ps {
			ps[i].Page, _ = document.At(d.Anchors, ps[i].Start)
			_, ps[i].Section = document.At(d.Anchors, mainTextStart(ps[i]))
		}
		if len(ps) == 0 {
			lc.skipped = append(lc.skipped, Skipped{Path: d.Path, Reason: "no text to index"})
			continue
		}
		lc.docs = append(lc.docs, corpusDoc{
			Source: Source{
				ID: d.ID, Path: d.Path, Title: d.Title, Author: d.Author, Translator: d.Translator,
				Publication: d.Publication, Published: d.Published, URL: d.URL,
				Passages: len(ps), Hash: d.Hash, ModTime: d.ModTime,
			},
			Passages: ps,
		})
	}
	// A folder of files none of which is usable is an error that says why
	// (not "0 documents"). An empty folder is not: documents may be added
	// to it (govbot add, /kb add).
	if dir != "" && len(lc.docs) == 0 && len(lc.skipped) > 0 {
		return lc, fmt.Errorf("load corpus %s: %w", lc.name, noDocumentsError(lc.skipped))
	}
	return lc, nil
}

// mainTextStart is the body offset of a passage's first paragraph that
// is not short: headings and bylines join the paragraph after them (see
// splitPassages), and the section of a passage is the one its main text
// is in, under those headings.
func mainTextStart(p Passage) int {
	off := 0
	for _, para := range strings.Split(p.Text, "\n\n") {
		if utf8.RuneCountInString(para) >= shortParagraphRunes {
			return p.Start + off
		}
		off += len(para) + 2
	}
	return p.Start
}

// noDocumentsError says why a corpus directory gave no documents: it
// wraps ErrNoDocuments and counts the skipped files by reason.
func noDocumentsError(skipped []Skipped) error {
	counts := map[string]int{}
	var order []string
	for _, s := range skipped {
		r := s.Reason
		if i := strings.IndexAny(r, ":("); i > 0 && !strings.HasPrefix(r, "larger") {
			r = strings.TrimSpace(r[:i])
		}
		if strings.HasPrefix(r, "larger than") {
			r = "too large"
		}
		if strings.HasPrefix(r, document.ErrUnsupported.Error()) {
			r = document.ErrUnsupported.Error()
		}
		if counts[r] == 0 {
			order = append(order, r)
		}
		counts[r]++
	}
	parts := make([]string, 0, len(order))
	for _, r := range order {
		parts = append(parts, fmt.Sprintf("%d %s", counts[r], r))
	}
	return fmt.Errorf("%w: every file was skipped (%s); supported types are %s",
		ErrNoDocuments, strings.Join(parts, ", "), strings.Join(document.Extensions(), ", "))
}
