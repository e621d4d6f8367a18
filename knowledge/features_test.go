package knowledge

import (
	"math"
	"slices"
	"testing"
)

// Key terms are what a question names precisely: a passage without them
// answers another question. A capitalised first word is no name.
func TestKeyConcepts(t *testing.T) {
	a := newAnalyzers(newMapping())
	tn := DefaultTuning()
	stats := fakeStats{}
	tests := []struct {
		q    string
		want []string
	}{
		{"When did the Normans invade Ireland in 1169?", []string{"1169", "normans", "ireland"}},
		{"What is the capital of Poland?", []string{"poland"}},
		{"Who wrote \"On the Computational Complexity of Algorithms\"?", []string{"computational", "complexity", "algorithms"}},
		{"what was the declaration?", nil},
		{"Steam engines were used where?", nil},
	}
	for _, tt := range tests {
		q, err := parseQuestion(&tn, a, synonymSet{}, nil, nil, stats, tt.q)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, ci := range keyConcepts(q) {
			got = append(got, q.concepts[ci].surface)
		}
		if !sameSet(got, tt.want) {
			t.Errorf("keyConcepts(%q) = %q; want %q", tt.q, got, tt.want)
		}
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]bool{}
	for _, x := range a {
		m[x] = true
	}
	for _, x := range b {
		if !m[x] {
			return false
		}
	}
	return true
}

// Document evidence: candidates of one document share what the document
// covers together, so a passage of the article about the question's
// subject outranks a stray passage elsewhere with the same words.
func TestDocumentEvidence(t *testing.T) {
	q := parsedQuestion{concepts: []concept{{surface: "warsaw", idf: 1}, {surface: "novels", idf: 1}}}
	hits := []ranked{
		{id: "warsaw#1", doc: "warsaw", occ: []occurrence{{concept: 0, weight: 1}}, title: []float64{0, 0}},
		{id: "warsaw#2", doc: "warsaw", occ: []occurrence{{concept: 1, weight: 1}}, title: []float64{0, 0}},
		{id: "steam#1", doc: "steam", occ: []occurrence{{concept: 1, weight: 1}}, title: []float64{0, 0}},
	}
	documentEvidence(q, hits)
	want := []float64{1, 1, 0.5}
	for i, h := range hits {
		if math.Abs(h.docCov-want[i]) > 1e-9 {
			t.Errorf("%s: document evidence %.2f; want %.2f", h.id, h.docCov, want[i])
		}
	}
}

// Sentence coverage is the best single sentence's share of the question.
func TestSentenceCoverage(t *testing.T) {
	text := "Warsaw is large. Singer wrote novels about Warsaw."
	q := parsedQuestion{concepts: []concept{{surface: "warsaw", idf: 1}, {surface: "novels", idf: 1}}}
	r := &ranked{title: []float64{0, 0}, occ: []occurrence{
		{start: 0, end: 6, concept: 0, weight: 1},
		{start: 30, end: 36, concept: 1, weight: 1},
		{start: 43, end: 49, concept: 0, weight: 1},
	}}
	if got, _ := sentenceCoverage(q, sentenceSpans(text), r); got != 1 {
		t.Errorf("sentenceCoverage = %.2f; want 1 (the second sentence has both words)", got)
	}
}

// TestEqualScoresRankInCorpusOrder: candidates with equal scores are
// ordered by document, then passage ordinal (numerically), whatever order
// the index returned them in, so the same corpus gives the same answers
// however its segments were merged.
func TestEqualScoresRankInCorpusOrder(t *testing.T) {
	rk := ranking{hits: []ranked{
		{id: "b#1", score: 0.5},
		{id: "a#10", score: 0.5},
		{id: "c#0", score: 0.9},
		{id: "a#2", score: 0.5},
	}}
	rk.sort()
	var got []string
	for _, h := range rk.hits {
		got = append(got, h.id)
	}
	want := []string{"c#0", "a#2", "a#10", "b#1"} // a#2 before a#10: ordinals compare as numbers
	if !slices.Equal(got, want) {
		t.Errorf("order = %v; want %v", got, want)
	}
}
