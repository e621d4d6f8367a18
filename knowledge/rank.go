package knowledge

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Ranking: a passage answers a question when it covers the question's
// distinct concepts (weighted by rarity), especially within an excerpt-
// sized stretch of text, and scores well under BM25. Words of the
// document's title count too, at a discount: they are the context of every
// passage of that document. The weights and thresholds are in Tuning.

// occurrence is where a concept matched inside a passage's text.
type occurrence struct {
	start, end int // byte offsets in the passage text
	concept    int
	weight     float64
}

// ranked is one candidate passage with its re-ranking features.
type ranked struct {
	id        string
	doc       string // document id
	bm25      float64
	coverage  float64 // weighted share of concepts in the passage or its title
	window    float64 // the same within the best excerpt-sized window
	sentence  float64 // the same within the best sentence (sentenceCoverage; window until refined)
	sentKeys  float64 // share of key terms in that sentence (keys until refined)
	proximity float64
	terms     float64 // BM25-style saturated term frequency over concepts
	bm25Rel   float64 // bm25 relative to the best candidate
	termsRel  float64 // terms relative to the best candidate
	docCov    float64 // document evidence (documentEvidence)
	keys      float64 // share of the question's key terms in the passage (keyShare)
	cue       float64 // 1 when the passage has an answer cue (set by refinement)
	refined   bool    // its text has been read (refine)
	score     float64
	occ       []occurrence
	title     []float64 // per concept, the weight with which the document's context matches it
}

// ranking is the result of rank: candidates best first, and the maxima
// their BM25 features were normalised by.
type ranking struct {
	hits              []ranked
	maxBM25, maxTerms float64
}

// answerability is how well the passage answers the question, from 0 to 1.
func (r ranked) answerability() float64 { return (r.coverage + r.window) / 2 }

// buildQuery turns concepts into a bleve query from analysed terms: user
// text never reaches bleve's query-string syntax. Only alternatives that
// keep accepts are included (nil keeps all).
func buildQuery(q parsedQuestion, keep func(alt) bool) query.Query {
	var clauses []query.Query
	for _, c := range q.concepts {
		for _, a := range c.alts {
			if keep != nil && !keep(a) {
				continue
			}
			boost := c.idf * a.weight
			if a.field == fieldCJK && !q.cjk {
				// A CJK synonym of an English word: weaker evidence, and
				// the short CJK field would otherwise dominate BM25.
				boost *= q.t.CrossScriptBoost
			}
			if len(a.terms) == 1 {
				tq := bleve.NewTermQuery(a.terms[0])
				tq.SetField(a.field)
				tq.SetBoost(boost)
				clauses = append(clauses, tq)
				if a.field == fieldText && a.weight == weightExact {
					tt := bleve.NewTermQuery(a.terms[0])
					tt.SetField(fieldTitle)
					tt.SetBoost(boost * q.t.TitleBoost)
					clauses = append(clauses, tt)
				}
				continue
			}
			pq := bleve.NewMatchPhraseQuery(a.text)
			pq.SetField(a.field)
			pq.SetBoost(boost)
			clauses = append(clauses, pq)
		}
	}
	if len(clauses) == 0 {
		return bleve.NewMatchNoneQuery()
	}
	return bleve.NewDisjunctionQuery(clauses...)
}

// rank searches g for q and returns candidates best first.
func rank(ctx context.Context, g reader, q parsedQuestion) (ranking, error) {
	return rankQuery(ctx, g, q, buildQuery(q, nil))
}

// rankQuery is rank with the bleve query given: buildQuery(q, nil), or
// that and more (a conversation adds the passages it cited).
func rankQuery(ctx context.Context, g reader, q parsedQuestion, query query.Query) (ranking, error) {
	full, err := prefilter(ctx, g, q, query)
	if err != nil {
		return ranking{}, err
	}
	req := bleve.NewSearchRequestOptions(full, q.t.Candidates, 0, false)
	req.IncludeLocations = true
	res, err := g.search(ctx, req)
	if err != nil {
		return ranking{}, fmt.Errorf("search: %w", err)
	}
	if len(res.Hits) == 0 {
		return ranking{}, nil
	}
	rk := ranking{maxBM25: res.Hits[0].Score, hits: make([]ranked, 0, len(res.Hits))}
	for _, h := range res.Hits {
		r := ranked{id: h.ID, bm25: h.Score}
		r.occ, r.title = matchConcepts(q, h.Locations)
		r.doc = docOf(h.ID)
		r.terms = termScore(q, r.occ)
		rk.maxTerms = math.Max(rk.maxTerms, r.terms)
		rk.hits = append(rk.hits, r)
	}
	for i := range rk.hits {
		score(q, &rk.hits[i], rk.maxBM25, rk.maxTerms)
	}
	rk.rescore(q)
	rk.sort()
	return rk, nil
}

// rescore recomputes the document evidence of every candidate, which
// depends on all of them, and their scores.
func (rk ranking) rescore(q parsedQuestion) {
	documentEvidence(q, rk.hits)
	for i := range rk.hits {
		rk.hits[i].score = q.t.rankScore(&rk.hits[i])
	}
}

// before orders candidates best first: by score, then, between equal
// scores, in corpus order (document id, then passage ordinal), so that
// ties do not fall in the order the index's segments happen to hold them
// (which depends on how its merges fell while it was built).
func before(a, b *ranked) bool { return ranksBefore(a.score, b.score, a.id, b.id) }

// ranksBefore orders a passage scored sa with id pa before one scored sb
// with id pb: higher score first, equal scores in corpus order.
func ranksBefore(sa, sb float64, pa, pb string) bool {
	if sa != sb {
		return sa > sb
	}
	return passageBefore(pa, pb)
}

// passageBefore orders passage ids "doc#N" by document id, then by N.
func passageBefore(a, b string) bool {
	da, na, oka := splitPassageID(a)
	db, nb, okb := splitPassageID(b)
	if !oka || !okb || da != db {
		if oka && okb {
			return da < db
		}
		return a < b
	}
	return na < nb
}

func (rk ranking) sort() {
	sort.SliceStable(rk.hits, func(i, j int) bool { return before(&rk.hits[i], &rk.hits[j]) })
}

// score computes a candidate's features from its occurrences and title
// matches, and its score.
func score(q parsedQuestion, r *ranked, maxBM25, maxTerms float64) {
	var total, covered float64
	best := make([]float64, len(q.concepts))
	copy(best, r.title)
	for _, o := range r.occ {
		best[o.concept] = math.Max(best[o.concept], o.weight)
	}
	for ci, c := range q.concepts {
		total += c.idf
		covered += c.idf * best[ci]
	}
	r.coverage, r.window = 0, 0
	if total > 0 {
		r.coverage = covered / total
		r.window = windowCoverage(q, r.occ, r.title, total)
	}
	if !r.refined {
		r.sentence = r.window
	}
	r.proximity = proximity(r.occ)
	r.terms = termScore(q, r.occ)
	r.keys = keyShare(q, q.keys, r)
	if !r.refined {
		r.sentKeys = r.keys
	}
	r.bm25Rel, r.termsRel = 0, 0
	if maxBM25 > 0 {
		r.bm25Rel = r.bm25 / maxBM25
	}
	if maxTerms > 0 {
		r.termsRel = r.terms / maxTerms
	}
	r.score = q.t.rankScore(r)
}

// Two-phase search for large corpora: scoring every posting of common
// words and their synonyms dominates the cost of a question at 100,000
// passages. When a question's clauses would score more than
// Tuning.MaxScoredPostings postings, candidates are first found by its
// rare clauses alone (no scores kept, no locations), and the full query
// then scores only those.

// prefilter returns full, restricted to the candidates of the question's
// rare clauses when scoring full would cost too much; full itself when
// not, or when the question has no rare clause.
func prefilter(ctx context.Context, g reader, q parsedQuestion, full query.Query) (query.Query, error) {
	cost, rare := 0, max(q.t.RareFloor, int(q.t.RareFraction*float64(g.stats().docCount())))
	for _, c := range q.concepts {
		for _, a := range c.alts {
			cost += a.df
		}
	}
	if cost <= q.t.MaxScoredPostings {
		return full, nil
	}
	rq := buildQuery(q, func(a alt) bool { return a.df <= rare })
	if _, none := rq.(*query.MatchNoneQuery); none {
		return full, nil
	}
	req := bleve.NewSearchRequestOptions(rq, q.t.PrefilterCandidates, 0, false)
	res, err := g.search(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if len(res.Hits) == 0 {
		return full, nil
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return bleve.NewConjunctionQuery(bleve.NewDocIDQuery(ids), full), nil
}

// matchConcepts finds each concept's occurrences in a hit's text and the
// weight with which the hit's document context (title, author, date)
// matches each concept.
func matchConcepts(q parsedQuestion, locs search.FieldTermLocationMap) ([]occurrence, []float64) {
	var occ []occurrence
	title := make([]float64, len(q.concepts))
	for ci, c := range q.concepts {
		for _, a := range c.alts {
			if a.field == fieldText && len(altSpans(a, locs[fieldTitle], q.t.MaxPhraseGap)) > 0 {
				title[ci] = math.Max(title[ci], q.t.TitleWeight*a.weight)
			}
			for _, s := range altSpans(a, locs[a.field], q.t.MaxPhraseGap) {
				occ = append(occ, occurrence{start: s[0], end: s[1], concept: ci, weight: a.weight})
			}
		}
	}
	sort.Slice(occ, func(i, j int) bool { return occ[i].start < occ[j].start })
	return occ, title
}

// windowCoverage is the best weighted coverage of the question by the
// occurrences inside any windowBytes-long stretch of the passage, with
// title matches counting in every window.
func windowCoverage(q parsedQuestion, occ []occurrence, title []float64, total float64) float64 {
	if total == 0 {
		return 0
	}
	base := 0.0
	for ci, w := range title {
		base += q.concepts[ci].idf * w
	}
	best := base
	w := make([]float64, len(q.concepts))
	for i := range occ {
		copy(w, title)
		for j := i; j < len(occ) && occ[j].end-occ[i].start <= q.t.WindowBytes; j++ {
			w[occ[j].concept] = math.Max(w[occ[j].concept], occ[j].weight)
		}
		v := 0.0
		for ci, x := range w {
			v += q.concepts[ci].idf * x
		}
		best = math.Max(best, v)
	}
	return best / total
}

// termScore sums, over the concepts a passage matches, rarity times
// BM25's saturated term frequency (k1 = 1.2), each concept counted once
// however many of its alternatives match.
func termScore(q parsedQuestion, occ []occurrence) float64 {
	tf := make([]float64, len(q.concepts))
	for _, o := range occ {
		tf[o.concept] += o.weight
	}
	const k1 = 1.2
	s := 0.0
	for ci, f := range tf {
		if f > 0 {
			s += q.concepts[ci].idf * f * (k1 + 1) / (f + k1)
		}
	}
	return s
}

// answersAbove is the answerability a best passage needs to answer q:
// Tuning.AbstainBelow for a short question, less for a long one, and less
// again for a question read through the dictionary.
func answersAbove(q parsedQuestion) float64 {
	n := 0
	for _, c := range q.concepts {
		if c.idf > 0 {
			n++
		}
	}
	t := q.t
	bar := max(t.AbstainFloor, t.AbstainBelow-t.AbstainStep*float64(max(0, n-t.ShortQuestion)))
	if q.translated {
		bar *= t.AbstainTranslated
	}
	return bar
}

// unknownShare is the share of the question's weight carried by words
// that occur nowhere in the corpus.
func unknownShare(q parsedQuestion) float64 {
	var unknown, total float64
	for _, c := range q.concepts {
		total += c.idf
		if !c.known {
			unknown += c.idf
		}
	}
	if total == 0 {
		return 1
	}
	return unknown / total
}

// altSpans returns the byte ranges where a term or phrase occurs.
func altSpans(a alt, tl search.TermLocationMap, maxGap int) [][2]int {
	if tl == nil {
		return nil
	}
	first := tl[a.terms[0]]
	var out [][2]int
	for _, l := range first {
		start, end, pos := int(l.Start), int(l.End), l.Pos
		ok := true
		for _, t := range a.terms[1:] {
			found := false
			for _, m := range tl[t] {
				if m.Pos > pos && m.Pos <= pos+uint64(maxGap) {
					end, pos, found = int(m.End), m.Pos, true
					break
				}
			}
			if !found {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, [2]int{start, end})
		}
	}
	return out
}

// proximity is 1 when the matched concepts sit side by side and falls as
// the smallest stretch of text holding one of each grows; 0 with fewer
// than two concepts matched.
func proximity(occ []occurrence) float64 {
	need := map[int]int{}
	for _, o := range occ {
		need[o.concept] = 0
	}
	m := len(need)
	if m < 2 {
		return 0
	}
	// Sliding window over occurrences sorted by start.
	have, best := 0, math.MaxInt
	lo := 0
	for hi := range occ {
		if need[occ[hi].concept] == 0 {
			have++
		}
		need[occ[hi].concept]++
		for have == m {
			if w := occ[hi].end - occ[lo].start; w < best {
				best = w
			}
			need[occ[lo].concept]--
			if need[occ[lo].concept] == 0 {
				have--
			}
			lo++
		}
	}
	// About 6 bytes a word; slack is the words between the matched ones.
	slack := math.Max(0, float64(best)/6-float64(m))
	return 1 / (1 + slack/10)
}

// answers reports whether the best of hits answers q: it covers enough of
// the question for its length (answersAbove), the question is not mostly
// words the corpus lacks, and the abstention model accepts its evidence.
func answers(q parsedQuestion, hits []ranked) bool {
	if len(hits) == 0 || hits[0].answerability() < answersAbove(q) || unknownShare(q) >= q.t.AbstainUnknown {
		return false
	}
	return q.t.Abstain.Answers(abstainFeatures(q, hits))
}
