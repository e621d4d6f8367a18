package main

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/govbot-dev/govbot/knowledge/thesaurus/internal/morph"
)

// line is one line of the generated table.
type line struct {
	word     string
	synonyms []synonym
	pos      string    // parts of speech of word as a base form, "-" for none
	bases    []synonym // the complete base forms of an irregular form; nil otherwise
}

// buildTable derives the table's lines, sorted by word, from db under p.
// A base form becomes a line when it has synonyms or tagged uses or, with
// allLemmas, whenever it is a single word; an irregular form from the
// exception lists becomes a line when its base forms differ from what the
// detachment rules find at run time.
func buildTable(db *database, p policy, allLemmas bool) []line {
	pos := make(map[string][]byte)
	for i, pn := range posNames {
		for w := range db.index[i] {
			if isWord(w) {
				pos[w] = append(pos[w], pn.pos)
			}
		}
	}
	lines := make(map[string]*line)
	for w, ps := range pos {
		syns := p.synonyms(db, w)
		if len(syns) == 0 && !allLemmas && db.frequency(w) == 0 {
			continue
		}
		lines[w] = &line{word: w, synonyms: syns, pos: posLetters(ps)}
	}
	if p.Symmetric {
		addReverse(lines, p.MaxSynonyms)
	}
	known := func(w string, p byte) bool {
		l := lines[w]
		return l != nil && strings.IndexByte(l.pos, p) >= 0
	}
	forms := make(map[string]bool)
	for i := range posNames {
		for x := range db.exceptions[i] {
			if isWord(x) {
				forms[x] = true
			}
		}
	}
	for x := range forms {
		// WordNet's morphy: per part of speech, the exception list when
		// it has the form, the detachment rules otherwise.
		var bases baseList
		for _, pn := range posNames {
			if known(x, pn.pos) {
				bases.add(x, "")
			}
		}
		for i, pn := range posNames {
			if exc, ok := db.exceptions[i][x]; ok {
				for _, b := range exc {
					if known(b, pn.pos) {
						bases.add(b, string(pn.pos))
					}
				}
				continue
			}
			morph.Detach(pn.pos, x, func(stem, ending string) bool {
				if b := stem + ending; known(b, pn.pos) {
					bases.add(b, string(pn.pos))
				}
				return true
			})
		}
		if len(bases) == 0 || slices.Equal(bases, ruleBases(x, known)) {
			continue
		}
		l := lines[x]
		if l == nil {
			l = &line{word: x, pos: "-"}
			lines[x] = l
		}
		l.bases = bases
	}
	out := make([]line, 0, len(lines))
	for _, l := range lines {
		out = append(out, *l)
	}
	slices.SortFunc(out, func(a, b line) int { return strings.Compare(a.word, b.word) })
	return out
}

// addReverse makes the relation symmetric where room is left: when s is
// a synonym of w but w not of s, w is appended to s's synonyms (in the
// same parts of speech) unless s has MaxSynonyms already. Reverse
// synonyms rank after s's own, in w order.
func addReverse(lines map[string]*line, max int) {
	words := make([]string, 0, len(lines))
	for w := range lines {
		words = append(words, w)
	}
	slices.Sort(words)
	add := make(map[string][]synonym)
	for _, w := range words {
		for _, s := range lines[w].synonyms {
			l := lines[s.word]
			if l == nil || slices.ContainsFunc(l.synonyms, func(x synonym) bool { return x.word == w }) {
				continue
			}
			add[s.word] = append(add[s.word], synonym{word: w, pos: s.pos})
		}
	}
	for w, extra := range add {
		l := lines[w]
		for _, s := range extra {
			if len(l.synonyms) >= max {
				break
			}
			l.synonyms = append(l.synonyms, s)
		}
	}
}

// baseList is a list of base forms, each with the parts of speech in which
// it is one ("" for the word itself, a base form in all of its own).
type baseList []synonym

// add adds base form w in parts of speech pos.
func (l *baseList) add(w, pos string) {
	for i := range *l {
		if b := &(*l)[i]; b.word == w {
			if b.pos != "" {
				b.pos = posLetters([]byte(b.pos + pos))
			}
			return
		}
	}
	*l = append(*l, synonym{word: w, pos: pos})
}

// ruleBases returns the base forms that the thesaurus package finds for
// x when its line lists none: x itself when it is a base form, then what
// the detachment rules give, per part of speech.
func ruleBases(x string, known func(string, byte) bool) baseList {
	var bases baseList
	for _, pn := range posNames {
		if known(x, pn.pos) {
			bases.add(x, "")
		}
	}
	for _, pn := range posNames {
		morph.Detach(pn.pos, x, func(stem, ending string) bool {
			if b := stem + ending; known(b, pn.pos) {
				bases.add(b, string(pn.pos))
			}
			return true
		})
	}
	return bases
}

// posLetters orders parts of speech as WordNet does: n, v, a, r.
func posLetters(ps []byte) string {
	var b strings.Builder
	for _, pn := range posNames {
		if slices.Contains(ps, pn.pos) {
			b.WriteByte(pn.pos)
		}
	}
	return b.String()
}

// header heads the generated file; the thesaurus package skips lines
// starting with "#" before the first entry.
const header = `# Synonyms and base forms for govbot, derived from WordNet 3.0.
# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.
# Redistributed under the WordNet licence; see LICENSE-WordNet in this directory.
# Generated by internal/gen (go generate); do not edit. Format: see doc.go.
`

// writeTable writes lines in the thesaurus format. A synonym's parts of
// speech are written only when they are not all of its word's.
func writeTable(w io.Writer, lines []line) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(header)
	for _, l := range lines {
		bw.WriteString(l.word)
		bw.WriteByte('\t')
		for i, s := range l.synonyms {
			if i > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString(s.word)
			if s.pos != l.pos {
				bw.WriteString(":" + s.pos)
			}
		}
		bw.WriteByte('\t')
		bw.WriteString(l.pos)
		if l.bases != nil {
			bw.WriteByte('\t')
			for i, b := range l.bases {
				if i > 0 {
					bw.WriteByte(',')
				}
				bw.WriteString(b.word)
				if b.pos != "" {
					bw.WriteString(":" + b.pos)
				}
			}
		}
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write table: %w", err)
	}
	return nil
}
