package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"unicode"

	"github.com/blevesearch/vellum"
	"github.com/blevesearch/vellum/levenshtein"
)

// The word list of a generation: every distinct word of the corpus as
// written (lower-cased, not stemmed), with the number of passages that
// contain it, in an FST. Spelling corrections are searched here, because
// a misspelt word often stems to something far from the stem of the word
// meant ("declaraton" stays "declaraton", "declaration" becomes "declar").
const wordsFile = "words.fst"

// wordCounter collects words while passages are indexed.
type wordCounter map[string]int

// add counts the distinct correctable words of one passage.
func (wc wordCounter) add(a analyzers, text string) {
	seen := map[string]bool{}
	for _, t := range a.surface.Analyze([]byte(text)) {
		w := string(t.Term)
		if seen[w] || !correctable(w) || a.stop[w] {
			continue
		}
		seen[w] = true
		wc[w]++
	}
}

// correctable reports whether w is a word worth correcting towards: at
// least 4 letters, no digits or CJK.
func correctable(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.IsLetter(r) && r != '-' && r != '\'' && r != '’' || isCJK(r) {
			return false
		}
		n++
	}
	return n >= 4
}

// write stores the word list in dir.
func (wc wordCounter) write(dir string) error {
	keys := make([]string, 0, len(wc))
	for w := range wc {
		keys = append(keys, w)
	}
	sort.Strings(keys)
	var buf bytes.Buffer
	b, err := vellum.New(&buf, nil)
	if err != nil {
		return fmt.Errorf("word list: %w", err)
	}
	for _, k := range keys {
		if err := b.Insert([]byte(k), uint64(wc[k])); err != nil {
			return fmt.Errorf("word list: %w", err)
		}
	}
	if err := b.Close(); err != nil {
		return fmt.Errorf("word list: %w", err)
	}
	return writeFileAtomic(filepath.Join(dir, wordsFile), buf.Bytes())
}

// loadWords reads a generation's word list.
func loadWords(dir string) (*vellum.FST, error) {
	data, err := os.ReadFile(filepath.Join(dir, wordsFile))
	if err != nil {
		return nil, fmt.Errorf("read word list: %w", err)
	}
	f, err := vellum.Load(data)
	if err != nil {
		return nil, fmt.Errorf("load word list: %w", err)
	}
	return f, nil
}

// spelling finds corpus words near a misspelt one. It is immutable and
// safe for concurrent use.
type spelling struct {
	lev [3]*levenshtein.LevenshteinAutomatonBuilder // by max edits, 1 and 2
}

func newSpelling() (spelling, error) {
	var s spelling
	for d := 1; d <= 2; d++ {
		b, err := levenshtein.NewLevenshteinAutomatonBuilder(uint8(d), true)
		if err != nil {
			return s, fmt.Errorf("spelling: %w", err)
		}
		s.lev[d] = b
	}
	return s, nil
}

// near returns up to limit words of f within edits of word (transpositions
// count as one edit), closest and most common first.
func (s spelling) near(f *vellum.FST, word string, edits, limit int) []fuzzyTerm {
	if f == nil || edits < 1 || edits > 2 || s.lev[edits] == nil {
		return nil
	}
	dfa, err := s.lev[edits].BuildDfa(word, uint8(edits))
	if err != nil {
		return nil
	}
	it, err := f.Search(dfa, nil, nil)
	var out []fuzzyTerm
	for err == nil && len(out) < 256 {
		k, v := it.Current()
		if w := string(k); w != word {
			out = append(out, fuzzyTerm{term: w, edits: int(it.EditDistance()), df: int(v)})
		}
		err = it.Next()
	}
	if err != nil && !errors.Is(err, vellum.ErrIteratorDone) {
		return nil
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].edits != out[j].edits {
			return out[i].edits < out[j].edits
		}
		if out[i].df != out[j].df {
			return out[i].df > out[j].df
		}
		return out[i].term < out[j].term
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}
