package knowledge

import (
	"context"
	"fmt"
	"sort"
)

// Explanation shows how the engine weighs a question's candidate passages
// and whether it would answer: for fitting the tuning (internal/fit) and
// for debugging. Explain refines every candidate and keeps each one's
// features before and after refinement, so that Order can replay Ask's
// two stages under any tuning.
type Explanation struct {
	Question string
	// Bar is the answerability the best passage needs (answersAbove);
	// Unknown the share of the question's weight in words the corpus lacks.
	Bar, Unknown float64
	// Translated: the question was read through the Chinese dictionary
	// (its Bar includes Tuning.AbstainTranslated).
	Translated bool
	// Candidates, best first by the engine's tuning.
	Candidates []ExplainedCandidate
	// Abstained is what the engine's tuning decides for this order.
	Abstained bool
}

// ExplainedCandidate is one candidate passage with its features.
type ExplainedCandidate struct {
	Passage, Doc  string       // passage and document ids
	First         RankFeatures // before refinement (from index locations only)
	Features      RankFeatures // after refinement (its text read)
	Answerability float64      // mean of coverage and window coverage
	MissingRare   float64      // see AbstainFeatureNames
	Excerpt       string       // the excerpt Ask would cite for it
	Text          string       // the passage's text
}

// Order returns the candidates' indexes best first under t's ranking
// weights, as Ask ranks them: all by their first-stage features, then the
// best t.RefineDepth by their refined features.
func (x Explanation) Order(t *Tuning) []int {
	idx := make([]int, len(x.Candidates))
	first := make([]float64, len(x.Candidates))
	refined := make([]float64, len(x.Candidates))
	for i, c := range x.Candidates {
		idx[i], first[i], refined[i] = i, t.Score(c.First), t.Score(c.Features)
	}
	byScore := func(order []int, score []float64) {
		sort.SliceStable(order, func(a, b int) bool {
			i, j := order[a], order[b]
			return ranksBefore(score[i], score[j], x.Candidates[i].Passage, x.Candidates[j].Passage)
		})
	}
	byScore(idx, first)
	byScore(idx[:min(len(idx), t.RefineDepth)], refined)
	return idx
}

// features of candidate i as Ask sees it at rank r of order: refined
// within the first t.RefineDepth.
func (x Explanation) features(t *Tuning, order []int, r int) RankFeatures {
	if r < t.RefineDepth {
		return x.Candidates[order[r]].Features
	}
	return x.Candidates[order[r]].First
}

// Evidence is the abstention model's features (AbstainFeatureNames) for
// the best candidate of order under t's ranking weights.
func (x Explanation) Evidence(t *Tuning, order []int) []float64 {
	if len(order) == 0 {
		return make([]float64, len(AbstainFeatureNames))
	}
	h := x.Candidates[order[0]]
	s := t.Score(h.Features)
	lead := s
	for r := 1; r < len(order); r++ {
		if x.Candidates[order[r]].Doc != h.Doc {
			lead = s - t.Score(x.features(t, order, r))
			break
		}
	}
	return evidence(h.Answerability, x.Bar, h.Features, x.Unknown, h.MissingRare, lead)
}

// Answers reports whether t answers with the best candidate of order:
// the hand-set bar, the unknown-words rule and the abstention model, as Ask.
func (x Explanation) Answers(t *Tuning, order []int) bool {
	if len(order) == 0 || x.Candidates[order[0]].Answerability < x.Bar || x.Unknown >= t.AbstainUnknown {
		return false
	}
	return t.Abstain.Answers(x.Evidence(t, order))
}

// Explain ranks question's candidates as Ask does, refining them all, and
// returns their features and excerpts.
func (e *Engine) Explain(ctx context.Context, question string) (Explanation, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.closed {
		return Explanation{}, ErrClosed
	}
	q, err := parseQuestion(&e.tune, e.an, e.syn, e.thesaurus, e.dict, e.gen.stats(), question)
	if err != nil {
		return Explanation{}, fmt.Errorf("explain: %w", err)
	}
	rk, err := rank(ctx, e.gen, q)
	if err != nil {
		return Explanation{}, fmt.Errorf("explain: %w", err)
	}
	first := make(map[string]RankFeatures, len(rk.hits))
	for i := range rk.hits {
		first[rk.hits[i].id] = rk.hits[i].features()
	}
	texts, err := e.refineN(ctx, e.gen, q, rk, len(rk.hits))
	if err != nil {
		return Explanation{}, fmt.Errorf("explain: %w", err)
	}
	x := Explanation{Question: q.text, Bar: answersAbove(q), Unknown: unknownShare(q), Translated: q.translated}
	idfs := make([]float64, len(q.concepts))
	for i, c := range q.concepts {
		idfs[i] = c.idf
	}
	cue := sentenceCue(q)
	for i := range rk.hits {
		h := &rk.hits[i]
		ex, _ := excerpt(texts[h.id].Text, h.occ, idfs, MaxExcerptRunes, cue)
		x.Candidates = append(x.Candidates, ExplainedCandidate{
			Passage: h.id, Doc: h.doc, First: first[h.id], Features: h.features(), Answerability: h.answerability(),
			MissingRare: missingRare(q, h), Excerpt: ex, Text: texts[h.id].Text,
		})
	}
	x.Abstained = !x.Answers(&e.tune, x.Order(&e.tune))
	return x, nil
}
