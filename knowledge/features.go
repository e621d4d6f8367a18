package knowledge

import (
	"math"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The evidence ranking and abstention weigh: each candidate passage's
// features, combined linearly with Tuning's weights, and the best
// passage's evidence that the abstention model reads. The fitting tool
// (internal/fit) reads the same features through Explain, so what it fits
// is what the engine computes.

// RankFeatures are a candidate passage's ranking features, each from 0 to 1.
type RankFeatures struct {
	Coverage  float64 // rarity-weighted share of the question the passage (or its title) covers
	Window    float64 // the same within one excerpt-sized window
	Sentence  float64 // the same within one sentence (refined candidates; else Window)
	SentKeys  float64 // share of the key terms in that best sentence (refined candidates; else Keys)
	Terms     float64 // saturated term frequency of the concepts, relative to the best candidate
	BM25      float64 // bleve's BM25 score, relative to the best candidate
	Proximity float64 // 1 when the matched concepts sit side by side
	Document  float64 // share of the question the passage's document covers (its candidates and title)
	Keys      float64 // share of the question's key names, numbers and dates in the passage (1 when none)
	Cue       float64 // 1 when an answer of the wanted kind is near the topic
}

// Score is the ranking score of a candidate with features f.
func (t *Tuning) Score(f RankFeatures) float64 {
	return t.RankCoverage*f.Coverage + t.RankWindow*f.Window + t.RankSentence*f.Sentence +
		t.RankSentenceKeys*f.SentKeys + t.RankTerms*f.Terms +
		t.RankBM25*f.BM25 + t.RankProximity*f.Proximity + t.RankDocument*f.Document +
		t.RankKeys*f.Keys + t.CueBonus*f.Cue
}

func (r *ranked) features() RankFeatures {
	return RankFeatures{
		Coverage: r.coverage, Window: r.window, Sentence: r.sentence, SentKeys: r.sentKeys, Terms: r.termsRel, BM25: r.bm25Rel,
		Proximity: r.proximity, Document: r.docCov, Keys: r.keys, Cue: r.cue,
	}
}

func (t *Tuning) rankScore(r *ranked) float64 { return t.Score(r.features()) }

// AbstainFeatureNames name the features of the abstention model, in order.
var AbstainFeatureNames = []string{
	"answerability", // mean of the best passage's coverage and window coverage
	"margin",        // answerability minus the bar of the question's length
	"keys",          // share of the question's key names, numbers and dates in the passage
	"document",      // share of the question its document covers
	"unknown",       // share of the question's weight in words the corpus lacks
	"missing_rare",  // rarity of the rarest question word the passage lacks, relative to the rarest word
	"cue",           // an answer of the wanted kind near the topic
	"lead",          // score lead over the best passage of another document
	"sentence",      // coverage of the question by the passage's best sentence
	"sentence_keys", // share of the key terms in that sentence
}

// Answers reports whether the model accepts evidence x (AbstainFeatureNames order).
func (m AbstainModel) Answers(x []float64) bool {
	if len(m.Weights) == 0 {
		return true
	}
	return m.Logit(x) >= 0
}

// Logit is the model's bias plus its weighted features.
func (m AbstainModel) Logit(x []float64) float64 {
	z := m.Bias
	for i, w := range m.Weights {
		if i < len(x) {
			z += w * x[i]
		}
	}
	return z
}

// abstainFeatures is the evidence that hits[0] answers q.
func abstainFeatures(q parsedQuestion, hits []ranked) []float64 {
	if len(hits) == 0 {
		return make([]float64, len(AbstainFeatureNames))
	}
	h := &hits[0]
	lead := h.score
	for _, o := range hits[1:] {
		if o.doc != h.doc {
			lead = h.score - o.score
			break
		}
	}
	return evidence(h.answerability(), answersAbove(q), h.features(), unknownShare(q), missingRare(q, h), lead)
}

// evidence is the abstention model's feature vector, in the order of
// AbstainFeatureNames.
func evidence(answerability, bar float64, f RankFeatures, unknown, missing, lead float64) []float64 {
	return []float64{answerability, answerability - bar, f.Keys, f.Document, unknown, missing, f.Cue, lead, f.Sentence, f.SentKeys}
}

// missingRare is the rarity of the rarest question concept the passage
// does not match at full weight (weighted by how far it falls short),
// relative to the rarest concept of the question: 0 when the passage has
// them all.
func missingRare(q parsedQuestion, r *ranked) float64 {
	best := conceptWeights(q, r)
	top, miss := 0.0, 0.0
	for ci, c := range q.concepts {
		top = math.Max(top, c.idf)
		miss = math.Max(miss, c.idf*(1-best[ci]))
	}
	if top == 0 {
		return 0
	}
	return miss / top
}

// conceptWeights is, per concept, the best weight with which the passage
// or its document's context matches it.
func conceptWeights(q parsedQuestion, r *ranked) []float64 {
	best := make([]float64, len(q.concepts))
	copy(best, r.title)
	for _, o := range r.occ {
		best[o.concept] = math.Max(best[o.concept], o.weight)
	}
	return best
}

// docOf is the document id of a passage id ("doc-id#N").
func docOf(passageID string) string {
	if i := strings.LastIndexByte(passageID, '#'); i >= 0 {
		return passageID[:i]
	}
	return passageID
}

// documentEvidence sets each candidate's document coverage: the share of
// the question (rarity-weighted) that the candidates of its document
// together, and its title, cover, as found by the index (it is not
// recomputed after refinement, so that one value serves both stages). A question about an article's subject
// finds its words across that article; one that only shares words with a
// passage does not.
func documentEvidence(q parsedQuestion, hits []ranked) {
	var total float64
	for _, c := range q.concepts {
		total += c.idf
	}
	byDoc := map[string][]float64{}
	for i := range hits {
		h := &hits[i]
		w := byDoc[h.doc]
		if w == nil {
			w = make([]float64, len(q.concepts))
			byDoc[h.doc] = w
		}
		for ci, x := range conceptWeights(q, h) {
			w[ci] = math.Max(w[ci], x)
		}
	}
	cov := make(map[string]float64, len(byDoc))
	for d, w := range byDoc {
		v := 0.0
		for ci, x := range w {
			v += q.concepts[ci].idf * x
		}
		if total > 0 {
			cov[d] = v / total
		}
	}
	for i := range hits {
		hits[i].docCov = cov[hits[i].doc]
	}
}

// Key terms: what a question names precisely (a name, a number, a year,
// a quoted phrase). A passage that lacks one answers another question,
// however many other words it shares: "When did the Normans invade
// Ireland?" is not answered by a passage about the Normans in England.
var (
	keyNumber = regexp.MustCompile(`\b\d[\d,.]*\b`)
	keyQuoted = regexp.MustCompile(`["“]([^"”]{2,60})["”]`)
	keyName   = regexp.MustCompile(`\b\p{Lu}[\p{L}’'-]*\b`)
)

// keyConcepts returns the concepts of q that are key terms: numbers,
// capitalised words that do not start the question (nor follow a quote
// or colon), and the words of quoted phrases.
func keyConcepts(q parsedQuestion) []int {
	var keys []int
	add := func(word string) {
		if ci := conceptOf(q.concepts, word); ci >= 0 && !contains1(keys, ci) && !framingWords[strings.ToLower(word)] {
			keys = append(keys, ci)
		}
	}
	text := q.text
	for _, m := range keyNumber.FindAllString(text, -1) {
		add(strings.TrimRight(m, ".,"))
	}
	for _, m := range keyQuoted.FindAllStringSubmatch(text, -1) {
		for _, w := range strings.FieldsFunc(m[1], func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			add(w)
		}
	}
	for _, loc := range keyName.FindAllStringIndex(text, -1) {
		w := text[loc[0]:loc[1]]
		if isSentenceStart(text, loc[0]) || questionWords[strings.ToLower(w)] {
			continue
		}
		if r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(text[:loc[0]], " ")); r == '(' {
			continue
		}
		add(w)
	}
	return keys
}

// keyShare is the rarity-weighted share of the key concepts the passage
// matches (its title counts): 1 when the question has none.
func keyShare(q parsedQuestion, keys []int, r *ranked) float64 {
	return shareOf(q, keys, conceptWeights(q, r))
}

// shareOf is the rarity-weighted share of the key concepts matched with
// weights best (per concept): 1 when there are none.
func shareOf(q parsedQuestion, keys []int, best []float64) float64 {
	if len(keys) == 0 {
		return 1
	}
	var total, have float64
	for _, ci := range keys {
		total += q.concepts[ci].idf
		have += q.concepts[ci].idf * best[ci]
	}
	if total == 0 {
		return 1
	}
	return have / total
}

// sentenceCoverage is the best rarity-weighted share of the question that
// one sentence of text covers, its document's context counting in every
// sentence (a crowd-written question usually rephrases one sentence), and
// the share of the question's key terms in that sentence (1 when none).
func sentenceCoverage(q parsedQuestion, spans [][2]int, r *ranked) (float64, float64) {
	var total float64
	for _, c := range q.concepts {
		total += c.idf
	}
	if total == 0 {
		return 0, 1
	}
	best, keys := -1.0, 1.0
	w := make([]float64, len(q.concepts))
	i := 0
	for _, s := range spans {
		copy(w, r.title)
		for i < len(r.occ) && r.occ[i].start < s[0] {
			i++
		}
		for j := i; j < len(r.occ) && r.occ[j].start < s[1]; j++ {
			o := r.occ[j]
			w[o.concept] = math.Max(w[o.concept], o.weight)
		}
		v := 0.0
		for ci, x := range w {
			v += q.concepts[ci].idf * x
		}
		if v > best {
			best, keys = v, shareOf(q, q.keys, w)
		}
	}
	return math.Max(best, 0) / total, keys
}
