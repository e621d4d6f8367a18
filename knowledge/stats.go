package knowledge

import (
	"fmt"
)

// vocabulary holds the document frequency of every indexed term of the
// text and CJK fields, read once when a generation opens, so parsing a
// question costs map look-ups rather than index reads.
type vocabulary struct {
	n      int
	fields map[string]map[string]int
}

func loadVocabulary(g *generation) (vocabulary, error) {
	v := vocabulary{n: g.manifest.Passages, fields: map[string]map[string]int{}}
	for _, f := range []string{fieldText, fieldCJK} {
		d, err := g.idx.FieldDict(f)
		if err != nil {
			return v, fmt.Errorf("read %s terms: %w", f, err)
		}
		m := map[string]int{}
		for {
			e, err := d.Next()
			if err != nil {
				d.Close()
				return v, fmt.Errorf("read %s terms: %w", f, err)
			}
			if e == nil {
				break
			}
			m[e.Term] = int(e.Count)
		}
		d.Close()
		v.fields[f] = m
	}
	return v, nil
}

// genStats answers termStats questions for one generation.
type genStats struct {
	g  *generation
	sp func() spelling
}

func (s genStats) docCount() int             { return s.g.vocab.n }
func (s genStats) df(field, term string) int { return s.g.vocab.fields[field][term] }

func (s genStats) near(word string, edits int) []fuzzyTerm {
	return s.sp().near(s.g.words, word, edits, maxTypoAlts*3)
}
