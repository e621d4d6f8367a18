package knowledge

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
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

// corpusFiles is a corpus listed but not yet read: its documents are
// read, split and released one at a time (see each), so that building an
// index does not hold the whole corpus in memory. Close it when done.
type corpusFiles struct {
	name     string // "embedded" or the directory
	root     string // the directory's absolute path ("" for the embedded corpus)
	list     *document.Listing
	synonyms [][]string
	bytes    int64 // the size of the listed files
}

// listCorpus lists the corpus in dir, or the embedded default when dir is
// "", and reads its synonyms list. Only an unusable directory or synonyms
// list is an error, or a directory none of whose files can be used.
func listCorpus(ctx context.Context, dir string, maxFileSize int64) (*corpusFiles, error) {
	opts := document.Options{MaxFileSize: maxFileSize, Ignore: []string{SynonymsFile}}
	c := &corpusFiles{name: "embedded"}
	var err error
	if dir == "" {
		c.list, err = document.ListFS(ctx, corpus.FS(), opts)
	} else {
		c.name = dir
		if c.root, err = filepath.Abs(dir); err != nil {
			return nil, fmt.Errorf("load corpus %s: %w", dir, err)
		}
		c.list, err = document.ListDir(ctx, dir, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("load corpus %s: %w", c.name, err)
	}
	if c.synonyms, err = loadSynonyms(dir); err != nil {
		c.close()
		return nil, err
	}
	if dir != "" && len(c.list.Files) == 0 && len(c.list.Skipped) > 0 {
		err := fmt.Errorf("load corpus %s: %w", c.name, noDocumentsError(skippedOf(c.list.Skipped)))
		c.close()
		return nil, err
	}
	for _, f := range c.list.Files {
		c.bytes += f.Size
	}
	return c, nil
}

func (c *corpusFiles) close() {
	if c != nil {
		c.list.Close()
	}
}

func skippedOf(ds []document.Skipped) []Skipped {
	out := make([]Skipped, len(ds))
	for i, s := range ds {
		out[i] = Skipped{Path: s.Path, Reason: s.Reason}
	}
	return out
}

// each reads the corpus's files in path order and calls fn with every
// document that has text to index, split into passages; fn owns it. read
// is called after each file with the bytes read so far. Broken files are
// skipped with a reason: each returns them (the files that could not be
// read, in path order, then those with no text to index), or an error
// from ctx or fn, or ErrNoDocuments (wrapped) when a directory gave no
// document but skipped files.
func (c *corpusFiles) each(ctx context.Context, fn func(corpusDoc) error, read func(done int64)) ([]Skipped, error) {
	unread := skippedOf(c.list.Skipped)
	var noText []Skipped
	docs := 0
	var done int64
	for _, f := range c.list.Files {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("load corpus %s: %w", c.name, err)
		}
		d, err := c.list.Read(ctx, f)
		done += f.Size
		if err != nil {
			unread = append(unread, Skipped{Path: f.Path, Reason: err.Error()})
		} else if cd, ok := splitDocument(d); !ok {
			noText = append(noText, Skipped{Path: d.Path, Reason: "no text to index"})
		} else {
			docs++
			if err := fn(cd); err != nil {
				return nil, err
			}
		}
		if read != nil {
			read(done)
		}
	}
	slices.SortStableFunc(unread, func(a, b Skipped) int { return strings.Compare(a.Path, b.Path) })
	skipped := append(unread, noText...)
	// A folder of files none of which is usable is an error that says why
	// (not "0 documents"). An empty folder is not: documents may be added
	// to it (govbot add, /kb add).
	if c.name != "embedded" && docs == 0 && len(skipped) > 0 {
		return nil, fmt.Errorf("load corpus %s: %w", c.name, noDocumentsError(skipped))
	}
	return skipped, nil
}

// splitDocument splits d into passages; ok is false when it has no text
// to index.
func splitDocument(d document.Document) (cd corpusDoc, ok bool) {
	ps := splitPassages(d.ID, d.Body)
	if len(ps) == 0 {
		return corpusDoc{}, false
	}
	for i := range ps {
		ps[i].Page, _ = document.At(d.Anchors, ps[i].Start)
		_, ps[i].Section = document.At(d.Anchors, mainTextStart(ps[i]))
	}
	return corpusDoc{
		Source: Source{
			ID: d.ID, Path: d.Path, Title: d.Title, Author: d.Author, Translator: d.Translator,
			Publication: d.Publication, Published: d.Published, URL: d.URL,
			Passages: len(ps), Hash: d.Hash, ModTime: d.ModTime,
		},
		Passages: ps,
	}, true
}

// sameContent reports whether the listed corpus would index exactly as g
// was indexed (the same fingerprint): every document of g's catalogue is
// listed at its path with the same bytes, and every other listed file
// gives no passage. It reads and hashes files, parses only those g does
// not list, and stops at the first difference.
func (c *corpusFiles) sameContent(ctx context.Context, g *generation) (bool, error) {
	matched := 0
	for _, f := range c.list.Files {
		if err := ctx.Err(); err != nil {
			return false, fmt.Errorf("load corpus %s: %w", c.name, err)
		}
		if s, ok := g.source(f.ID); ok && s.Path == f.Path {
			if h, err := c.list.Hash(f); err != nil || h != s.Hash {
				return false, nil
			}
			matched++ // the same bytes parse and split the same
			continue
		}
		d, err := c.list.Read(ctx, f)
		if err != nil {
			continue // skipped now: not indexed
		}
		if _, ok := splitDocument(d); ok {
			return false, nil // a document g does not have
		}
	}
	return matched == g.manifest.Documents, nil
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
