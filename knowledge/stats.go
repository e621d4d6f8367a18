package knowledge

import (
	"fmt"
	"sort"
	"strings"
)

// vocabulary holds the document frequency of every indexed term of the
// text, CJK and title fields, read once when a generation opens, so parsing a
// question costs map look-ups rather than index reads.
type vocabulary struct {
	n      int
	fields map[string]map[string]int
	sorted []string // the text field's terms, sorted, for prefix look-ups
}

// extensions returns text-field terms that start with prefix and are at
// most extra bytes longer, prefix itself excluded.
func (v vocabulary) extensions(prefix string, extra int) []string {
	i := sort.SearchStrings(v.sorted, prefix)
	var out []string
	for ; i < len(v.sorted) && strings.HasPrefix(v.sorted[i], prefix); i++ {
		if t := v.sorted[i]; t != prefix && len(t) <= len(prefix)+extra {
			out = append(out, t)
		}
	}
	return out
}

func loadVocabulary(g *generation) (vocabulary, error) {
	v := vocabulary{n: g.manifest.Passages, fields: map[string]map[string]int{}}
	for _, f := range []string{fieldText, fieldCJK, fieldTitle} {
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
	v.sorted = make([]string, 0, len(v.fields[fieldText]))
	for t := range v.fields[fieldText] {
		v.sorted = append(v.sorted, t)
	}
	sort.Strings(v.sorted)
	return v, nil
}

// genStats answers termStats questions for one generation.
type genStats struct {
	g *generation
}

func (s genStats) docCount() int             { return s.g.vocab.n }
func (s genStats) df(field, term string) int { return s.g.vocab.fields[field][term] }

func (s genStats) related(stem string) []string {
	return relatedStems(stem, func(t string) bool { return s.g.vocab.fields[fieldText][t] > 0 }, s.g.vocab.extensions)
}

func (s genStats) near(word string, edits, limit int) []fuzzyTerm {
	return nearWords(s.g.words, word, edits, limit)
}
