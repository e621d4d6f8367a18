package knowledge

import (
	"strings"
	"unicode/utf8"
)

// Chinese questions on English documents: a Chinese word of the question
// is also searched by its English translations (CC-CEDICT, package
// cedict), and a name the dictionary lacks by its pinyin, as Chinese
// names and places are written in English text ("鲁炜": Lu Wei, "乌镇":
// Wuzhen).

// translator segments Chinese text into words and translates them
// (cedict.Dictionary does).
type translator interface {
	Segment(run string) []string
	Glosses(word string) []string
	Pinyin(r rune) string
}

// maxNameRunes bounds the pieces read as names: Chinese personal and
// place names have two to four characters.
const maxNameRunes = 4

// chineseConcept is a concept of a Chinese word, and whether it is
// filler rather than topic.
type chineseConcept struct {
	concept
	filler bool
}

// chineseConcepts reads the Chinese of text: each run of CJK characters
// is matched against the admins' synonyms (longest member first), then
// segmented into dictionary words; function words are dropped.
func chineseConcepts(t *Tuning, a analyzers, syn synonymSet, d translator, text string) []chineseConcept {
	var out []chineseConcept
	add := func(pending []rune) {
		for _, piece := range dictPieces(d, string(pending)) {
			c, filler := dictConcept(t, a, d, piece)
			out = append(out, chineseConcept{c, filler})
		}
	}
	for _, run := range cjkRuns(dropChinesePhrases(text)) {
		rs := []rune(run)
		var pending []rune
		for i := 0; i < len(rs); {
			if c, n := synonymAt(t, syn, rs[i:]); n > 0 {
				add(pending)
				pending = pending[:0]
				out = append(out, chineseConcept{concept: c})
				i += n
				continue
			}
			pending = append(pending, rs[i])
			i++
		}
		add(pending)
	}
	return out
}

// cjkRuns returns the maximal runs of CJK characters of s.
func cjkRuns(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !isCJK(r) })
}

// synonymAt returns the concept of the longest CJK member of an admins'
// synonym group that rs starts with, and its length in runes (0: none).
func synonymAt(t *Tuning, syn synonymSet, rs []rune) (concept, int) {
	best, bestMember, bestLen := -1, 0, 0
	s := string(rs)
	for gi, g := range syn.groups {
		for mi, m := range g {
			if m.field == fieldCJK && m.text != "" && strings.HasPrefix(s, m.text) {
				if n := utf8.RuneCountInString(m.text); n > bestLen {
					best, bestMember, bestLen = gi, mi, n
				}
			}
		}
	}
	if best < 0 {
		return concept{}, 0
	}
	c := concept{surface: syn.groups[best][bestMember].text}
	for mi, m := range syn.groups[best] {
		m.weight = t.WeightSynonym
		if mi == bestMember {
			m.weight = weightExact
		}
		c.alts = append(c.alts, m)
	}
	c.alts[0], c.alts[bestMember] = c.alts[bestMember], c.alts[0]
	return c, bestLen
}

// dictPieces splits a CJK run into dictionary words, dropping function
// words; characters that start no word of two or more characters are kept
// together (a name the dictionary lacks: 鲁炜, 方可成).
func dictPieces(d translator, run string) []string {
	var out []string
	var rest strings.Builder
	flush := func() {
		if rest.Len() > 0 {
			out = append(out, rest.String())
			rest.Reset()
		}
	}
	for _, w := range d.Segment(run) {
		if chineseFunctionWord[w] {
			flush()
			continue
		}
		if utf8.RuneCountInString(w) > 1 && len(d.Glosses(w)) > 0 {
			flush()
			out = append(out, w)
			continue
		}
		rest.WriteString(w)
	}
	flush()
	return out
}

// dictConcept is the concept of one Chinese word: the word itself (CJK
// bigrams), its English glosses, and for a piece the dictionary does not
// know, its pinyin, joined (wuzhen) and as given name after surname (lu
// wei, fang kecheng). A single character the dictionary cannot place is
// filler: it frames the question rather than names its topic.
func dictConcept(t *Tuning, a analyzers, d translator, piece string) (concept, bool) {
	c := cjkConcept(t, a, piece)
	n := utf8.RuneCountInString(piece)
	glosses := d.Glosses(piece)
	if n > 1 {
		for i, g := range glosses {
			if i == t.MaxDictionaryAlts {
				break
			}
			if st := a.stems(g); len(st) > 0 {
				c.alts = append(c.alts, alt{text: g, terms: st, field: fieldText, weight: t.WeightDictionary, translation: true})
			}
		}
	}
	if len(glosses) == 0 && n >= 2 && n <= maxNameRunes {
		var syl []string
		for _, r := range piece {
			p := d.Pinyin(r)
			if p == "" {
				syl = nil
				break
			}
			syl = append(syl, p)
		}
		if len(syl) > 0 {
			for _, form := range []string{strings.Join(syl, ""), syl[0] + " " + strings.Join(syl[1:], "")} {
				if st := a.stems(form); len(st) > 0 {
					c.alts = append(c.alts, alt{text: form, terms: st, field: fieldText, weight: t.WeightDictionary, translation: true})
				}
			}
		}
	}
	filler := n == 1 && len(c.alts) == 1
	for i, g := range glosses {
		if i < t.MaxDictionaryAlts && framingWords[strings.ToLower(g)] {
			filler = true // 文章: "article"
		}
	}
	return c, filler
}

// cjkConcept is a run of CJK text as one concept: a phrase of its bigrams,
// and each bigram at a lower weight.
func cjkConcept(t *Tuning, a analyzers, surface string) concept {
	run := a.cjkTerms(surface)
	c := concept{surface: surface}
	if len(run) == 0 {
		return c
	}
	c.alts = append(c.alts, alt{text: surface, terms: run, field: fieldCJK, weight: weightExact})
	if len(run) > 1 {
		for _, b := range run {
			c.alts = append(c.alts, alt{terms: []string{b}, field: fieldCJK, weight: t.WeightCJKPart})
		}
	}
	return c
}
