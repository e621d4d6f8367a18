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
// passage of that document.
const (
	rankCoverage     = 0.25 // share of the question covered by the passage
	rankWindow       = 0.40 // share covered within one excerpt-sized window
	rankTerms        = 0.15 // BM25-style term frequency of the concepts
	rankBM25         = 0.10 // bleve's BM25 score of the whole query
	rankProximity    = 0.10
	titleBoost       = 0.2 // title matches in the BM25 query, relative to text matches
	crossScriptBoost = 0.2 // CJK synonyms of a question in another script
	titleWeight      = 0.6 // a concept found only in the title, relative to the text
	windowBytes      = 450 // about one excerpt
	candidates       = 40  // passages re-ranked per question
	// abstainBelow: a best passage whose answerability (mean of passage and
	// window coverage) is below this does not answer a short question: it
	// must cover more than half of what the question asks (two equally rare
	// words found only in different passages give exactly one half).
	abstainBelow = 0.51
	// Longer questions carry words that set the scene rather than ask
	// ("According to the article, ...", "given those platforms are banned
	// in China"), and an answer rarely repeats them all: beyond
	// shortQuestion concepts, each one lowers the bar by abstainStep, down
	// to abstainFloor.
	shortQuestion = 4
	abstainStep   = 0.04
	abstainFloor  = 0.36
	// supportBelow: once the best passage answers, the next ones are cited
	// while their answerability is at least this share of the bar.
	supportBelow = 0.4 / abstainBelow
	// abstainUnknown: when this share of the question's weight is words the
	// corpus does not contain at all, the question is about something else.
	abstainUnknown = 0.5
	// maxPhraseGap is the largest position step inside a phrase (stop words
	// removed at index time leave gaps).
	maxPhraseGap = 3
)

// occurrence is where a concept matched inside a passage's text.
type occurrence struct {
	start, end int // byte offsets in the passage text
	concept    int
	weight     float64
}

// ranked is one candidate passage with its re-ranking features.
type ranked struct {
	id        string
	bm25      float64
	coverage  float64 // weighted share of concepts in the passage or its title
	window    float64 // the same within the best excerpt-sized window
	proximity float64
	terms     float64 // BM25-style saturated term frequency over concepts
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
				boost *= crossScriptBoost
			}
			if len(a.terms) == 1 {
				tq := bleve.NewTermQuery(a.terms[0])
				tq.SetField(a.field)
				tq.SetBoost(boost)
				clauses = append(clauses, tq)
				if a.field == fieldText && a.weight == weightExact {
					tt := bleve.NewTermQuery(a.terms[0])
					tt.SetField(fieldTitle)
					tt.SetBoost(boost * titleBoost)
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
	req := bleve.NewSearchRequestOptions(full, candidates, 0, false)
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
		r.terms = termScore(q, r.occ)
		rk.maxTerms = math.Max(rk.maxTerms, r.terms)
		rk.hits = append(rk.hits, r)
	}
	for i := range rk.hits {
		score(q, &rk.hits[i], rk.maxBM25, rk.maxTerms)
	}
	rk.sort()
	return rk, nil
}

func (rk ranking) sort() {
	sort.SliceStable(rk.hits, func(i, j int) bool { return rk.hits[i].score > rk.hits[j].score })
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
	r.proximity = proximity(r.occ)
	r.terms = termScore(q, r.occ)
	r.score = rankCoverage*r.coverage + rankWindow*r.window + rankProximity*r.proximity
	if maxBM25 > 0 {
		r.score += rankBM25 * r.bm25 / maxBM25
	}
	if maxTerms > 0 {
		r.score += rankTerms * r.terms / maxTerms
	}
}

// Two-phase search for large corpora: scoring every posting of common
// words and their synonyms dominates the cost of a question at 100,000
// passages. When a question's clauses would score more than
// maxScoredPostings postings, candidates are first found by its rare
// clauses alone (no scores kept, no locations), and the full query then
// scores only those.
const (
	maxScoredPostings   = 8000
	prefilterCandidates = 500
	rareFraction        = 0.03 // a clause is rare when at most this share of passages has it
	rareFloor           = 50   // ... or at most this many
)

// prefilter returns full, restricted to the candidates of the question's
// rare clauses when scoring full would cost too much; full itself when
// not, or when the question has no rare clause.
func prefilter(ctx context.Context, g reader, q parsedQuestion, full query.Query) (query.Query, error) {
	cost, rare := 0, max(rareFloor, int(rareFraction*float64(g.stats().docCount())))
	for _, c := range q.concepts {
		for _, a := range c.alts {
			cost += a.df
		}
	}
	if cost <= maxScoredPostings {
		return full, nil
	}
	rq := buildQuery(q, func(a alt) bool { return a.df <= rare })
	if _, none := rq.(*query.MatchNoneQuery); none {
		return full, nil
	}
	req := bleve.NewSearchRequestOptions(rq, prefilterCandidates, 0, false)
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
			if a.field == fieldText && len(altSpans(a, locs[fieldTitle])) > 0 {
				title[ci] = math.Max(title[ci], titleWeight*a.weight)
			}
			for _, s := range altSpans(a, locs[a.field]) {
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
		for j := i; j < len(occ) && occ[j].end-occ[i].start <= windowBytes; j++ {
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
// abstainBelow for a short question, less for a long one.
func answersAbove(q parsedQuestion) float64 {
	n := 0
	for _, c := range q.concepts {
		if c.idf > 0 {
			n++
		}
	}
	return max(abstainFloor, abstainBelow-abstainStep*float64(max(0, n-shortQuestion)))
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
func altSpans(a alt, tl search.TermLocationMap) [][2]int {
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
				if m.Pos > pos && m.Pos <= pos+maxPhraseGap {
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
