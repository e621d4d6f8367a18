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
// distinct concepts (weighted by rarity), covers them close together, and
// scores well under BM25.
const (
	rankCoverage  = 0.60
	rankBM25      = 0.25
	rankProximity = 0.15
	titleBoost    = 0.2 // title matches, relative to text matches
	candidates    = 40  // passages re-ranked per question
	// abstainCoverage: below this share of the question's weighted concepts
	// in the best passage, the knowledge base does not answer the question.
	abstainCoverage = 0.55
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
	coverage  float64
	proximity float64
	score     float64
	occ       []occurrence
}

// buildQuery turns concepts into a bleve query from analysed terms: user
// text never reaches bleve's query-string syntax.
func buildQuery(q parsedQuestion) query.Query {
	var clauses []query.Query
	for _, c := range q.concepts {
		for _, a := range c.alts {
			boost := c.idf * a.weight
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
func rank(ctx context.Context, g *generation, q parsedQuestion) ([]ranked, error) {
	req := bleve.NewSearchRequestOptions(buildQuery(q), candidates, 0, false)
	req.IncludeLocations = true
	res, err := g.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if len(res.Hits) == 0 {
		return nil, nil
	}
	maxBM25 := res.Hits[0].Score
	var total float64
	for _, c := range q.concepts {
		total += c.idf
	}
	out := make([]ranked, 0, len(res.Hits))
	for _, h := range res.Hits {
		r := ranked{id: h.ID, bm25: h.Score}
		r.occ, r.coverage = matchConcepts(q, h.Locations, total)
		r.proximity = proximity(r.occ)
		r.score = rankCoverage*r.coverage + rankBM25*(r.bm25/maxBM25) + rankProximity*r.proximity
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out, nil
}

// matchConcepts finds each concept's occurrences in a hit and the hit's
// weighted coverage of the question.
func matchConcepts(q parsedQuestion, locs search.FieldTermLocationMap, total float64) ([]occurrence, float64) {
	var occ []occurrence
	var covered float64
	for ci, c := range q.concepts {
		best := 0.0
		for _, a := range c.alts {
			spans := altSpans(a, locs[a.field])
			if len(spans) == 0 {
				continue
			}
			best = math.Max(best, a.weight)
			for _, s := range spans {
				occ = append(occ, occurrence{start: s[0], end: s[1], concept: ci, weight: a.weight})
			}
		}
		covered += c.idf * best
	}
	if total == 0 {
		return occ, 0
	}
	sort.Slice(occ, func(i, j int) bool { return occ[i].start < occ[j].start })
	return occ, covered / total
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
