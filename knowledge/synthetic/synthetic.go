// Package synthetic generates realistic, reproducible corpora and
// questions for benchmarking the knowledge engine at scale.
//
// A Corpus is a function of its size and seed alone: the same (passages,
// seed) always gives the same files, byte for byte, on any machine with
// the same Go release (randomness is math/rand/v2's PCG, seeded from
// (seed, stream); nothing depends on the time, the map order or the
// number of CPUs). Every passage and every document header is generated
// from its own stream, so any passage can be regenerated without the
// others, and Questions can name the passage a question came from.
//
// The text imitates English prose as a search engine sees it: sentences
// of 8 to 24 words drawn from a 4,000-word vocabulary with a Zipf
// distribution (function words first, see words.txt), each document
// favouring a dozen topic words of its own, plus a long tail of rare
// invented words, personal names and numbers, and now and then a Chinese
// phrase. Paragraphs are 60 to 120 words on one line each, separated by
// blank lines, so the engine's chunker makes exactly one passage of each.
//
// A Corpus is immutable and safe for concurrent use.
package synthetic

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
)

// Document sizes, in passages: uniform in [MinDocPassages, MaxDocPassages]
// (mean 100), the last document taking what is left.
const (
	MinDocPassages = 20
	MaxDocPassages = 180
	docsPerDir     = 100 // documents per subdirectory, as large corpora are organised
)

// Random streams: each kind of thing is drawn from its own PCG stream.
const (
	streamLayout   = 1 << 60
	streamDoc      = 2 << 60
	streamPassage  = 3 << 60
	streamQuestion = 4 << 60
)

// Corpus is the layout of a synthetic corpus: its documents and their
// passages. Text is generated on demand.
type Corpus struct {
	seed  uint64
	vocab vocabulary
	first []int // first[d] is the global index of document d's first passage; first[len] = total
}

// Stats describes a written corpus.
type Stats struct {
	Documents int   // files written
	Passages  int   // paragraphs, each one passage for the engine
	Words     int   // words of the bodies (a name counts as two)
	Bytes     int64 // size of all files
}

// New lays out a corpus of the given number of passages (at least 1).
func New(passages int, seed uint64) *Corpus {
	passages = max(passages, 1)
	r := rand.New(rand.NewPCG(seed, streamLayout))
	c := &Corpus{seed: seed, vocab: parseVocabulary(), first: []int{0}}
	for total := 0; total < passages; {
		n := min(MinDocPassages+r.IntN(MaxDocPassages-MinDocPassages+1), passages-total)
		total += n
		c.first = append(c.first, total)
	}
	return c
}

// Write writes a corpus of passages passages generated from seed into dir,
// as New(passages, seed).Write(dir) does.
func Write(dir string, passages int, seed uint64) (Stats, error) {
	return New(passages, seed).Write(dir)
}

// Passages is the number of passages of the corpus.
func (c *Corpus) Passages() int { return c.first[len(c.first)-1] }

// Documents is the number of documents of the corpus.
func (c *Corpus) Documents() int { return len(c.first) - 1 }

// Path is the slash-separated path of document d within the corpus.
func (c *Corpus) Path(d int) string {
	return fmt.Sprintf("d%03d/doc-%05d.txt", d/docsPerDir, d)
}

// DocID is the id the engine gives document d: the slug of its path.
func (c *Corpus) DocID(d int) string {
	return fmt.Sprintf("d%03d-doc-%05d", d/docsPerDir, d)
}

// locate returns the document of global passage i and its 1-based ordinal.
func (c *Corpus) locate(i int) (doc, ordinal int) {
	d := sort.Search(len(c.first)-1, func(d int) bool { return c.first[d+1] > i })
	return d, i - c.first[d] + 1
}

// Write writes the corpus into dir (created if needed), one file per
// document under subdirectories of at most 100 documents. Existing files
// with the same names are replaced; others are left alone.
func (c *Corpus) Write(dir string) (Stats, error) {
	var st Stats
	buf := make([]byte, 0, 64<<10)
	for d := range c.Documents() {
		buf = buf[:0]
		h := c.header(d)
		buf = h.appendFrontMatter(buf)
		for i := c.first[d]; i < c.first[d+1]; i++ {
			if i > c.first[d] {
				buf = append(buf, "\n\n"...)
			}
			var words int
			buf, words = c.appendPassage(buf, h, i)
			st.Words += words
		}
		buf = append(buf, '\n')
		path := filepath.Join(dir, filepath.FromSlash(c.Path(d)))
		if d%docsPerDir == 0 {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return st, fmt.Errorf("synthetic corpus: %w", err)
			}
		}
		if err := os.WriteFile(path, buf, 0o644); err != nil {
			return st, fmt.Errorf("synthetic corpus: %w", err)
		}
		st.Documents++
		st.Passages += c.first[d+1] - c.first[d]
		st.Bytes += int64(len(buf))
	}
	return st, nil
}

// Passage returns the text of passage i (0-based, over the whole corpus)
// exactly as written, and the id of its document and its 1-based ordinal.
func (c *Corpus) Passage(i int) (text, docID string, ordinal int) {
	d, ord := c.locate(i)
	b, _ := c.appendPassage(nil, c.header(d), i)
	return string(b), c.DocID(d), ord
}
