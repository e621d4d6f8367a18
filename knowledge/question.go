package knowledge

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// weightExact is the weight of a match of the word itself (after
// stemming); the other ways a passage can match a question word weigh
// less (Tuning).
const weightExact = 1.0

// alt is one way to match a concept: a term, or a phrase of terms, in a field.
type alt struct {
	text   string   // the words as written, for phrase queries
	terms  []string // analysed terms; more than one is a phrase
	field  string
	weight float64
	df     int // passages containing it (for phrases: its rarest term)
	// translation: an English translation of a Chinese word; as common
	// as the word itself when judging the concept's rarity.
	translation bool
}

func (a alt) key() string { return a.field + "\x00" + strings.Join(a.terms, " ") }

// concept is one thing the question asks about: a content word or a phrase
// from the synonyms list, with the ways a passage may express it.
type concept struct {
	surface string
	alts    []alt
	idf     float64 // rarity, scaled down for framing words
	known   bool    // some alternative occurs in the corpus
	word    bool    // the dictionary knows it: a real word, not a misspelling
}

// parsedQuestion is a question reduced to weighted concepts.
type parsedQuestion struct {
	text     string
	concepts []concept
	cjk      bool       // the question itself has CJK words
	kind     answerKind // what kind of answer it wants
	framing  []int      // concepts that frame this question: "how big", "name the ..."
	t        *Tuning    // the engine's tuning, for every later step
	keys     []int      // concepts that are key terms: names, numbers, dates (keyConcepts)
	// translated: the question's Chinese words were read through the
	// dictionary (an English corpus): its concepts are translations.
	translated bool
}

// termStats is what parsing needs from an index: how many passages there
// are, how many contain a term, and which terms are near a misspelt one.
type termStats interface {
	docCount() int
	df(field, term string) int
	near(word string, edits, limit int) []fuzzyTerm // corpus words as written, within edits of word
	related(stem string) []string                   // corpus stems derived from the same root
}

type fuzzyTerm struct {
	term  string
	edits int
	df    int
}

// wordSynonyms supplies synonyms for single words.
type wordSynonyms interface {
	Synonyms(word string, max int) []string
	Forms(word string) []string // irregular inflections: wrote -> write, written
	Lemmas(word string) []string
}

// synonymSet is the admins' synonyms list, analysed: each group's members as
// term sequences, and an index from first term to the groups containing it.
type synonymSet struct {
	groups  [][]alt
	byFirst map[string][]groupMember
}

type groupMember struct{ group, member int }

func newSynonymSet(a analyzers, groups [][]string) synonymSet {
	s := synonymSet{byFirst: map[string][]groupMember{}}
	for _, g := range groups {
		var members []alt
		for _, m := range g {
			if t := a.stems(m); len(t) > 0 {
				members = append(members, alt{text: m, terms: t, field: fieldText})
			}
			if t := a.cjkTerms(m); len(t) > 0 {
				members = append(members, alt{text: cjkOnly(m), terms: t, field: fieldCJK})
			}
		}
		if len(members) < 2 {
			continue
		}
		gi := len(s.groups)
		s.groups = append(s.groups, members)
		for mi, m := range members {
			k := m.field + "\x00" + m.terms[0]
			s.byFirst[k] = append(s.byFirst[k], groupMember{gi, mi})
		}
	}
	return s
}

// qterm is one analysed term of a question, with the word it came from.
type qterm struct {
	stem, surface string
	field         string
}

// parseQuestion turns question text into concepts; dict, when not nil,
// translates Chinese words. It returns
// ErrQuestionTooLong or ErrEmptyQuestion (wrapped) for unusable text.
func parseQuestion(tn *Tuning, a analyzers, syn synonymSet, th wordSynonyms, dict translator, st termStats, text string) (parsedQuestion, error) {
	if n := utf8.RuneCountInString(text); n > MaxQuestionRunes {
		return parsedQuestion{}, fmt.Errorf("%w: %d characters, at most %d", ErrQuestionTooLong, n, MaxQuestionRunes)
	}
	text = normalizeQuestion(text)
	terms := questionTerms(a, text)
	if len(terms) == 0 {
		return parsedQuestion{}, ErrEmptyQuestion
	}
	q := parsedQuestion{text: text, kind: classify(text), t: tn}
	for _, t := range terms {
		q.cjk = q.cjk || t.field == fieldCJK
	}
	if dict != nil && q.cjk {
		q.translated = true
		// Chinese is read by the dictionary (translate.go); the terms
		// below are the question's other words.
		terms = slices.DeleteFunc(terms, func(t qterm) bool { return t.field == fieldCJK })
	}
	used := make([]bool, len(terms))
	// Words and phrases from the synonyms list, longest match first.
	for i := range terms {
		if used[i] {
			continue
		}
		best, bestLen, bestMember := -1, 0, 0
		for _, gm := range syn.byFirst[terms[i].field+"\x00"+terms[i].stem] {
			m := syn.groups[gm.group][gm.member]
			if len(m.terms) > bestLen && matchesAt(terms, i, m) {
				best, bestLen, bestMember = gm.group, len(m.terms), gm.member
			}
		}
		if best < 0 {
			continue
		}
		c := concept{surface: surfaceOf(terms[i : i+bestLen])}
		for mi, m := range syn.groups[best] {
			m.weight = tn.WeightSynonym
			if mi == bestMember {
				m.weight = weightExact
			}
			c.alts = append(c.alts, m)
		}
		// The member the user wrote goes first.
		c.alts[0], c.alts[bestMember] = c.alts[bestMember], c.alts[0]
		for k := i; k < i+bestLen; k++ {
			used[k] = true
		}
		q.concepts = append(q.concepts, c)
	}
	// CJK runs without a dictionary: one concept per run, the run as a
	// phrase of bigrams.
	var run []string
	flushRun := func() {
		if len(run) == 0 {
			return
		}
		q.concepts = append(q.concepts, cjkConcept(tn, a, joinBigrams(run)))
		run = run[:0]
	}
	seen := map[string]bool{}
	for i, t := range terms {
		if used[i] {
			flushRun()
			continue
		}
		if t.field == fieldCJK {
			run = append(run, t.stem)
			continue
		}
		flushRun()
		if seen[t.stem] {
			continue
		}
		seen[t.stem] = true
		c := concept{surface: t.surface, alts: []alt{{terms: []string{t.stem}, field: fieldText, weight: weightExact}}}
		c.word = th != nil && len(th.Lemmas(t.surface)) > 0
		if o, ok := numberWord(t.surface); ok {
			if st := a.stems(o); len(st) == 1 {
				c.alts = append(c.alts, alt{terms: st, field: fieldText, weight: weightExact})
			}
		}
		for _, f := range gradedForms(t.surface) {
			if st := a.stems(f); len(st) == 1 && st[0] != t.stem {
				c.alts = append(c.alts, alt{terms: st, field: fieldText, weight: weightExact})
			}
		}
		if th != nil {
			for _, f := range th.Forms(t.surface) {
				if st := a.stems(f); len(st) == 1 && st[0] != t.stem {
					c.alts = append(c.alts, alt{terms: st, field: fieldText, weight: weightExact})
				}
			}
			for _, s := range th.Synonyms(t.surface, q.t.MaxThesaurusAlts) {
				if st := a.stems(s); len(st) == 1 && st[0] != t.stem {
					c.alts = append(c.alts, alt{terms: st, field: fieldText, weight: q.t.WeightThesaurus})
				}
			}
		}
		q.concepts = append(q.concepts, c)
	}
	flushRun()
	if dict != nil && q.cjk {
		for _, c := range chineseConcepts(tn, a, syn, dict, text) {
			if c.filler {
				q.framing = append(q.framing, len(q.concepts))
			}
			q.concepts = append(q.concepts, c.concept)
		}
	}
	if len(q.concepts) > tn.MaxConcepts {
		q.concepts = q.concepts[:tn.MaxConcepts]
	}
	// "How big", "how many": the adjective asks for a number, it is no
	// topic; nor is the verb of a request ("Name the ...", "List ...").
	for _, re := range []*regexp.Regexp{howAdjective, imperative} {
		if m := re.FindStringSubmatch(text); m != nil {
			for ci, c := range q.concepts {
				if strings.EqualFold(c.surface, m[1]) {
					q.framing = append(q.framing, ci)
					break
				}
			}
		}
	}
	q.weigh(st, a)
	q.keys = keyConcepts(q)
	return q, nil
}

// weigh looks up document frequencies, adds spelling corrections for words
// the corpus does not contain, drops alternatives that cannot match, and
// sets each concept's idf.
func (q *parsedQuestion) weigh(st termStats, a analyzers) {
	n := st.docCount()
	for ci := range q.concepts {
		c := &q.concepts[ci]
		seen := map[string]bool{}
		var kept []alt
		exactDF := 0
		for _, al := range c.alts {
			if seen[al.key()] {
				continue
			}
			seen[al.key()] = true
			al.df = math.MaxInt
			for _, t := range al.terms {
				al.df = min(al.df, st.df(al.field, t))
			}
			if al.df == 0 && al.field == fieldText {
				// A word only a title has ("Framing the Agenda") still
				// names documents: it matches their context.
				al.df = math.MaxInt
				for _, t := range al.terms {
					al.df = min(al.df, st.df(fieldTitle, t))
				}
			}
			if al.weight == weightExact || al.translation {
				exactDF = max(exactDF, al.df)
			}
			if al.df > 0 {
				kept = append(kept, al)
			}
		}
		if len(c.alts[0].terms) == 1 && c.alts[0].field == fieldText {
			for _, t := range st.related(c.alts[0].terms[0]) {
				al := alt{terms: []string{t}, field: fieldText, weight: q.t.WeightDerived, df: st.df(fieldText, t)}
				if !seen[al.key()] {
					seen[al.key()] = true
					kept = append(kept, al)
				}
			}
		}
		if exactDF == 0 && !c.word && len(c.alts[0].terms) == 1 && c.alts[0].field == fieldText {
			kept = append(kept, typoAlts(q.t, st, a, c.surface, seen)...)
		}
		sort.SliceStable(kept, func(i, j int) bool { return kept[i].weight > kept[j].weight })
		if len(kept) > q.t.MaxAltsPerConcept {
			kept = kept[:q.t.MaxAltsPerConcept]
		}
		c.alts = kept
		// The concept is as rare as the word itself when the corpus has it,
		// else as its best substitute.
		df := exactDF
		if df == 0 && len(kept) > 0 {
			df = kept[0].df
		}
		// A word found nowhere counts as rare as a word found once.
		c.idf = idf(n, max(df, 1))
		c.known = len(kept) > 0
		if framingWords[strings.ToLower(c.surface)] || slices.Contains(q.framing, ci) {
			c.idf *= q.t.FramingWeight
			if !c.known {
				c.idf = 0 // filler the corpus does not even have ("hey bot")
			}
		}
	}
}

// typoAlts finds corpus words within 1 edit of a misspelt word of 5 or
// more letters, or 2 edits for 9 or more, as alternatives of its concept.
// Callers only ask for words that neither the corpus nor the dictionary
// knows ("invented" is no misspelling of "invested").
func typoAlts(t *Tuning, st termStats, a analyzers, surface string, seen map[string]bool) []alt {
	if !correctable(surface) || utf8.RuneCountInString(surface) > t.MaxCorrectableRunes {
		return nil // numbers, ids and run-on strings are not misspellings
	}
	edits := 0
	switch n := utf8.RuneCountInString(surface); {
	case n >= 9:
		edits = 2
	case n >= 5:
		edits = 1
	default:
		return nil
	}
	var out []alt
	for _, c := range st.near(strings.ToLower(surface), edits, 3*t.MaxTypoAlts) {
		if len(out) == t.MaxTypoAlts {
			break
		}
		terms := a.stems(c.term)
		if len(terms) != 1 {
			continue
		}
		w := t.WeightTypo1
		if c.edits > 1 {
			w = t.WeightTypo2
		}
		al := alt{terms: terms, field: fieldText, weight: w, df: st.df(fieldText, terms[0])}
		if al.df > 0 && !seen[al.key()] {
			seen[al.key()] = true
			out = append(out, al)
		}
	}
	return out
}

// Derivations: English stems of one root often differ by a suffix the
// stemmer keeps (sovereign / sovereignti, censor / censorship, leader /
// leadership). Stems of at least minRootLen bytes that differ by one of
// these suffixes count as related; other shared prefixes do not (intern /
// internet).
const (
	minRootLen   = 6
	maxSuffixLen = 4
)

var derivationalSuffixes = []string{"ti", "ship", "ism", "ist", "ic", "al", "ian", "an", "hood", "dom", "ment", "ness"}

// relatedStems returns the stems in the corpus (exists, extensions) that
// share stem's root: shorter ones it extends, longer ones that extend it,
// by a derivational suffix.
func relatedStems(stem string, exists func(string) bool, extensions func(string, int) []string) []string {
	if len(stem) < minRootLen || !isLatinWord(stem) {
		return nil
	}
	var out []string
	for _, suf := range derivationalSuffixes {
		if root, ok := strings.CutSuffix(stem, suf); ok && len(root) >= minRootLen && exists(root) {
			out = append(out, root)
		}
	}
	for _, t := range extensions(stem, maxSuffixLen) {
		for _, suf := range derivationalSuffixes {
			if t == stem+suf {
				out = append(out, t)
			}
		}
	}
	return out
}

// gradedForms returns the comparative and superlative spellings of a
// short adjective (low: lower, lowest; large: larger, largest; easy:
// easier, easiest; big: bigger, biggest), which the stemmer keeps apart.
// Words that are not adjectives yield forms the corpus will not have.
func gradedForms(w string) []string {
	n := len(w)
	if n < 3 || n > 8 || !isLatinWord(w) || strings.HasSuffix(w, "er") || strings.HasSuffix(w, "est") {
		return nil
	}
	switch {
	case strings.HasSuffix(w, "e"):
		return []string{w + "r", w + "st"}
	case strings.HasSuffix(w, "y"):
		return []string{w[:n-1] + "ier", w[:n-1] + "iest"}
	case n <= 4 && !isVowel(w[n-1]) && isVowel(w[n-2]) && !isVowel(w[n-3]) && w[n-1] != 'w' && w[n-1] != 'y':
		d := w + w[n-1:]
		return []string{d + "er", d + "est"}
	}
	return []string{w + "er", w + "est"}
}

func isVowel(b byte) bool { return strings.IndexByte("aeiou", b) >= 0 }

func isLatinWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// idf is BM25's inverse document frequency.
func idf(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// questionTerms analyses text into English stems (stop words dropped) and
// CJK bigrams, in order, each with the surface word it came from.
func questionTerms(a analyzers, text string) []qterm {
	latin := text
	if hasCJK(text) {
		latin = strings.Map(func(r rune) rune {
			if isCJK(r) {
				return ' '
			}
			return r
		}, text)
	}
	surface := map[int]string{}
	for _, t := range a.surface.Analyze([]byte(latin)) {
		surface[t.Position] = string(t.Term)
	}
	var out []qterm
	for _, t := range a.en.Analyze([]byte(latin)) {
		out = append(out, qterm{stem: string(t.Term), surface: surface[t.Position], field: fieldText})
	}
	for _, t := range a.cjkTerms(dropChineseFunctionWords(text)) {
		out = append(out, qterm{stem: t, surface: t, field: fieldCJK})
	}
	return out
}

func matchesAt(terms []qterm, i int, m alt) bool {
	if i+len(m.terms) > len(terms) {
		return false
	}
	for k, t := range m.terms {
		if terms[i+k].field != m.field || terms[i+k].stem != t {
			return false
		}
	}
	return true
}

func surfaceOf(ts []qterm) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.surface
	}
	return strings.Join(parts, " ")
}

var (
	howAdjective = regexp.MustCompile(`(?i)^\s*how\s+(\pL+)`)
	imperative   = regexp.MustCompile(`(?i)^\s*(?:please\s+)?(name|list|explain|describe|tell|give|show|define|summari[sz]e|outline|identify|mention|find)\b`)
)

// joinBigrams rebuilds the CJK text that a run of overlapping bigrams came
// from: 网络 络主 主权 -> 网络主权.
func joinBigrams(run []string) string {
	var b strings.Builder
	for i, t := range run {
		if i == 0 {
			b.WriteString(t)
			continue
		}
		first, size := utf8.DecodeRuneInString(t)
		last, _ := utf8.DecodeLastRuneInString(run[i-1])
		if first == last && size < len(t) {
			b.WriteString(t[size:]) // overlapping bigram
		} else {
			b.WriteString(t)
		}
	}
	return b.String()
}
