package main

import (
	"slices"
	"strings"
)

// policy decides which senses of a lemma the table draws synonyms from,
// and which of their lemmas it keeps. Precision matters more than recall:
// a wrong synonym sends the search engine after passages that do not
// answer the question. Shares and ranks are taken from WordNet's sense
// order and the semantic-concordance tag counts of cntlist.rev.
type policy struct {
	// Senses is the number of most frequent senses of the word
	// considered per part of speech (noun, verb, adjective, adverb);
	// the first sense is always considered.
	Senses [4]int
	// MinShare: a sense after the first is kept only when at least this
	// share of the word's tagged uses in its part of speech (outside
	// SkipLexFiles) fall in it, and at least MinTags of them.
	MinShare float64
	MinTags  int
	// ExtraShare: a sense beyond Senses is still kept when at least this
	// share of the word's tagged uses fall in it.
	ExtraShare float64
	// MinPOSShare: a part of speech of the word is ignored when less
	// than this share of its tagged uses are in it ("refuse" the noun).
	MinPOSShare float64
	// SynonymSenses: a lemma of a kept sense is a synonym only when that
	// sense is among its own first SynonymSenses senses (per part of
	// speech), or holds at least MinShare of its tagged uses, or is tagged
	// and the lemma has at most MaxPolysemy senses: "refuse" (6 senses)
	// is offered for "deny", but "hold" (36 senses) is not offered for
	// "agree", whose sense is hold's fifth.
	SynonymSenses [4]int
	MaxPolysemy   int
	// MinFrequency: a synonym needs at least this many tagged uses in
	// its part of speech, or a place in Common and no tagged use in any
	// part of speech; rarer ones ("caput", "nous", "powerfulness") and
	// those common in another part of speech ("normal" the noun) are
	// not what a user meant.
	MinFrequency int
	// Common is a list of common English words (SCOWL's size-35 list,
	// Debian's wamerican-small), lowercase. WordNet's tag counts come from
	// a small corpus in which many everyday words ("censor") never occur.
	Common map[string]bool
	// MaxSynset: synsets with more single-word lemmas than this are
	// vague and skipped.
	MaxSynset int
	// MaxSynonyms caps the synonyms kept per word.
	MaxSynonyms int
	// Extra holds curated groups of synonyms that WordNet lacks; they
	// rank before WordNet's.
	Extra []group
	// Symmetric adds w to the synonyms of s whenever s is one of w's.
	Symmetric bool
	// SkipLexFiles lists lexicographer files whose senses are technical
	// for govbot's readers: noun.animal (5), noun.body (8), noun.plant (20).
	SkipLexFiles []int
}

// defaultPolicy is the policy that wordnet.txt is generated with.
func defaultPolicy() policy {
	return policy{
		Senses:        [4]int{3, 3, 2, 2},
		MinShare:      0.1,
		MinTags:       3,
		ExtraShare:    0.15,
		MinPOSShare:   0.1,
		SynonymSenses: [4]int{3, 3, 2, 2},
		MaxPolysemy:   12,
		MinFrequency:  3,
		MaxSynset:     8,
		MaxSynonyms:   10,
		SkipLexFiles:  []int{5, 8, 20},
	}
}

// group is a curated group of base forms that are synonyms of one
// another in one part of speech.
type group struct {
	pos   byte
	words []string
}

// synonym is a synonym and the parts of speech ("n", "nv", ...) in which
// it is one.
type synonym struct {
	word string
	pos  string
}

// candidate is one synonym from one sense, with what ranks it.
type candidate struct {
	word      string
	senseTags int // tag count of the key word's sense the synonym came from
	pos       int // posNames index of that sense
	rank      int // rank of that sense among the key word's senses
	tags      int // tag count of the synonym in that sense
	freq      int // tag count of the synonym over its senses in that part of speech
	order     int // position of the synonym in its synset
}

// synonyms returns the synonyms of lemma (lowercase, a single word) under
// p, best first: senses by tag count of lemma in them (then part of
// speech, then sense rank), and within a sense by the synonym's tag
// count in it, its overall tag count, and WordNet's order.
func (p policy) synonyms(db *database, lemma string) []synonym {
	var totals [4]int
	all := 0
	for pi := range posNames {
		if e := db.index[pi][lemma]; e != nil {
			totals[pi] = p.tagged(db, e)
			all += totals[pi]
		}
	}
	var cands []candidate
	for pi := range posNames {
		e := db.index[pi][lemma]
		if e == nil || all > 0 && float64(totals[pi]) < p.MinPOSShare*float64(all) {
			continue
		}
		rank := 0
		for i, id := range e.senses {
			s := db.synsets[id]
			if s == nil || slices.Contains(p.SkipLexFiles, s.lexFile) {
				continue
			}
			rank++
			if !p.keepSense(pi, rank, e.counts[i], totals[pi]) {
				continue
			}
			cands = append(cands, p.senseSynonyms(db, lemma, id, s, pi, rank, e.counts[i])...)
		}
	}
	slices.SortStableFunc(cands, func(a, b candidate) int {
		switch {
		case a.senseTags != b.senseTags:
			return b.senseTags - a.senseTags
		case a.pos != b.pos:
			return a.pos - b.pos
		case a.rank != b.rank:
			return a.rank - b.rank
		case a.tags != b.tags:
			return b.tags - a.tags
		case a.freq != b.freq:
			return b.freq - a.freq
		default:
			return a.order - b.order
		}
	})
	var out []synonym
	for _, g := range p.Extra {
		if slices.Contains(g.words, lemma) {
			for _, w := range g.words {
				if w != lemma && !slices.ContainsFunc(out, func(s synonym) bool { return s.word == w }) {
					out = append(out, synonym{word: w, pos: string(g.pos)})
				}
			}
		}
	}
	for _, c := range cands {
		i := slices.IndexFunc(out, func(s synonym) bool { return s.word == c.word })
		if i < 0 {
			if len(out) == p.MaxSynonyms {
				continue
			}
			i = len(out)
			out = append(out, synonym{word: c.word})
		}
		if letter := posNames[c.pos].pos; strings.IndexByte(out[i].pos, letter) < 0 {
			out[i].pos = posLetters([]byte(out[i].pos + string(letter)))
		}
	}
	return out
}

// tagged returns the tagged uses of e outside SkipLexFiles.
func (p policy) tagged(db *database, e *entry) int {
	total := 0
	for i, id := range e.senses {
		if s := db.synsets[id]; s != nil && !slices.Contains(p.SkipLexFiles, s.lexFile) {
			total += e.counts[i]
		}
	}
	return total
}

// keepSense reports whether the sense of the given rank (1-based, among
// non-technical senses), tagged count times out of total, is kept.
func (p policy) keepSense(pos, rank, count, total int) bool {
	switch {
	case rank == 1:
		return true
	case count < p.MinTags:
		return false
	case rank <= p.Senses[pos] && float64(count) >= p.MinShare*float64(total):
		return true
	default:
		return float64(count) >= p.ExtraShare*float64(total)
	}
}

// keepSynonym reports whether a lemma whose sense (0-based) of its senses
// senses is at hand, tagged tags of its freq tagged uses, is a synonym.
func (p policy) keepSynonym(pos, sense, senses, tags, freq int) bool {
	switch {
	case sense < p.SynonymSenses[pos]:
		return true
	case tags == 0:
		return false
	default:
		return senses <= p.MaxPolysemy || float64(tags) >= p.MinShare*float64(freq)
	}
}

// senseSynonyms returns the kept lemmas of synset s (id) other than lemma.
// A synset in which lemma is an acronym (e.g. "US" for "us") yields none:
// its lowercase form is usually another, common word.
func (p policy) senseSynonyms(db *database, lemma string, id synsetID, s *synset, pos, rank, senseTags int) []candidate {
	var out []candidate
	single := 0
	for order, form := range s.words {
		w := strings.ToLower(form)
		if w == lemma {
			if isAcronym(form) {
				return nil
			}
			continue
		}
		if !isWord(w) || isAcronym(form) {
			continue
		}
		single++
		e := db.index[pos][w]
		if e == nil {
			continue
		}
		sense := slices.Index(e.senses, id)
		if sense < 0 {
			continue
		}
		tags, freq := e.counts[sense], p.tagged(db, e)
		if freq < p.MinFrequency && !(p.Common[w] && db.frequency(w) == 0) {
			continue // rare, or common in another part of speech ("normal" the noun)
		}
		if !p.keepSynonym(pos, sense, len(e.senses), tags, freq) {
			continue
		}
		out = append(out, candidate{word: w, senseTags: senseTags, pos: pos, rank: rank, tags: tags, freq: freq, order: order})
	}
	if single > p.MaxSynset {
		return nil
	}
	return out
}

// isWord reports whether w is a single lowercase word the table keeps:
// letters, possibly joined by single hyphens ("e-mail"), at least two
// letters long.
func isWord(w string) bool {
	if len(w) < 2 || w[0] == '-' || w[len(w)-1] == '-' || strings.Contains(w, "--") {
		return false
	}
	for i := range len(w) {
		if c := w[i]; (c < 'a' || c > 'z') && c != '-' {
			return false
		}
	}
	return true
}

// isAcronym reports whether a lemma as WordNet writes it has capitals and
// no lowercase letter ("US", "WHO", "U.S.").
func isAcronym(form string) bool {
	upper := false
	for i := range len(form) {
		switch c := form[i]; {
		case c >= 'a' && c <= 'z':
			return false
		case c >= 'A' && c <= 'Z':
			upper = true
		}
	}
	return upper
}
