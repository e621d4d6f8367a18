package knowledge

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/vellum"
)

// vocabulary answers, for a generation, how many passages contain each
// indexed term of the text, CJK and title fields, so parsing a question
// costs look-ups in a finite-state transducer rather than index reads. The
// transducer is written when the generation is built and memory-mapped
// when it is opened: opening costs the same whatever the corpus size, and
// the terms stay out of the Go heap.
type vocabulary struct {
	n   int
	fst *vellum.FST // field + "\x00" + term -> document frequency
}

const vocabFile = "vocab.fst"

// vocabFields are the fields whose terms the vocabulary holds.
var vocabFields = []string{fieldText, fieldCJK, fieldTitle}

func vocabKey(field, term string) []byte {
	k := make([]byte, 0, len(field)+1+len(term))
	k = append(k, field...)
	k = append(k, 0)
	return append(k, term...)
}

// df is the number of passages whose field contains term.
func (v vocabulary) df(field, term string) int {
	if v.fst == nil {
		return 0
	}
	n, ok, err := v.fst.Get(vocabKey(field, term))
	if err != nil || !ok {
		return 0
	}
	return int(n)
}

// extensions returns text-field terms that start with prefix and are at
// most extra bytes longer, prefix itself excluded.
func (v vocabulary) extensions(prefix string, extra int) []string {
	if v.fst == nil {
		return nil
	}
	start := vocabKey(fieldText, prefix)
	end := append(vocabKey(fieldText, prefix), 0xff) // terms are UTF-8: no 0xff byte
	it, err := v.fst.Iterator(start, end)
	var out []string
	skip := len(fieldText) + 1
	for err == nil {
		k, _ := it.Current()
		if t := string(k[skip:]); t != prefix && len(t) <= len(prefix)+extra {
			out = append(out, t)
		}
		err = it.Next()
	}
	return out
}

func (v vocabulary) close() error {
	if v.fst == nil {
		return nil
	}
	return v.fst.Close()
}

// writeVocabulary writes the terms of idx's vocabulary fields and their
// document frequencies into gdir.
func writeVocabulary(idx bleve.Index, gdir string) error {
	var buf bytes.Buffer
	b, err := vellum.New(&buf, nil)
	if err != nil {
		return fmt.Errorf("write vocabulary: %w", err)
	}
	fields := append([]string(nil), vocabFields...)
	sort.Strings(fields) // keys must be inserted in order
	for _, f := range fields {
		d, err := idx.FieldDict(f)
		if err != nil {
			return fmt.Errorf("read %s terms: %w", f, err)
		}
		for {
			e, err := d.Next()
			if err != nil {
				d.Close()
				return fmt.Errorf("read %s terms: %w", f, err)
			}
			if e == nil {
				break
			}
			if err := b.Insert(vocabKey(f, e.Term), e.Count); err != nil {
				d.Close()
				return fmt.Errorf("write vocabulary: %w", err)
			}
		}
		d.Close()
	}
	if err := b.Close(); err != nil {
		return fmt.Errorf("write vocabulary: %w", err)
	}
	return writeFileAtomic(filepath.Join(gdir, vocabFile), buf.Bytes())
}

// openVocabulary maps the vocabulary of a generation of n passages.
func openVocabulary(gdir string, n int) (vocabulary, error) {
	f, err := vellum.Open(filepath.Join(gdir, vocabFile))
	if err != nil {
		return vocabulary{}, fmt.Errorf("open vocabulary: %w", err)
	}
	return vocabulary{n: n, fst: f}, nil
}

// genStats answers termStats questions for one generation.
type genStats struct {
	g *generation
}

func (s genStats) docCount() int             { return s.g.vocab.n }
func (s genStats) df(field, term string) int { return s.g.vocab.df(field, term) }

func (s genStats) related(stem string) []string {
	return relatedStems(stem, func(t string) bool { return s.g.vocab.df(fieldText, t) > 0 }, s.g.vocab.extensions)
}

func (s genStats) near(word string, edits, limit int) []fuzzyTerm {
	return nearWords(s.g.words, word, edits, limit)
}
