package knowledge

import (
	"strings"
	"testing"
)

// The shipped tuning is the hand-set values with tuning.json on top; a
// field tuning.json names that Tuning lacks is an error, never ignored.
func TestDefaultTuning(t *testing.T) {
	d, b := DefaultTuning(), BaseTuning()
	if d.Candidates != b.Candidates || d.MaxConcepts != b.MaxConcepts {
		t.Errorf("DefaultTuning changed limits it does not fit: %+v", d)
	}
	for _, n := range []int{d.Candidates, d.RefineDepth, d.MaxConcepts, d.WindowBytes, d.MaxAltsPerConcept} {
		if n <= 0 {
			t.Fatalf("a limit of DefaultTuning is %d", n)
		}
	}
	if len(d.Abstain.Weights) != 0 && len(d.Abstain.Weights) != len(AbstainFeatureNames) {
		t.Errorf("abstention model has %d weights; want %d", len(d.Abstain.Weights), len(AbstainFeatureNames))
	}
	var x Tuning
	if err := x.apply([]byte(`{"RankWindow": 0.5, "_comment": "x"}`)); err != nil || x.RankWindow != 0.5 {
		t.Errorf("apply RankWindow: %v, %v", err, x.RankWindow)
	}
	if err := x.apply([]byte(`{"RankWindo": 0.5}`)); err == nil || !strings.Contains(err.Error(), "RankWindo") {
		t.Errorf("apply of an unknown field: err = %v; want one naming it", err)
	}
}

// A zero abstention model never abstains; a fitted one answers exactly
// when its logit is not negative.
func TestAbstainModel(t *testing.T) {
	if !(AbstainModel{}).Answers([]float64{0, 0}) {
		t.Error("zero model abstains")
	}
	m := AbstainModel{Bias: -0.5, Weights: []float64{1}}
	if m.Answers([]float64{0.4}) || !m.Answers([]float64{0.6}) {
		t.Error("model with bias -0.5 and weight 1: want abstain at 0.4, answer at 0.6")
	}
}
