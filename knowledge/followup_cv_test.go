package knowledge

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestFollowUpTuningCrossValidated fits the follow-up weights on half of
// the conversation set and scores the other half, both ways, so that the
// figure reported is on conversations the weights were not chosen on:
//
//	GOVBOT_CV=1 go test ./knowledge -run TestFollowUpTuningCrossValidated -v
//
// It takes a minute, so it runs only when asked.
func TestFollowUpTuningCrossValidated(t *testing.T) {
	if os.Getenv("GOVBOT_CV") == "" {
		t.Skip("set GOVBOT_CV=1 to run the cross-validation")
	}
	convs := readCVConversations(t)
	e, _, err := Open(context.Background(), Config{IndexDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	type weights struct{ carry, decay, excerpt float64 }
	var grid []weights
	for _, cw := range []float64{0.45, 0.6, 0.75} {
		for _, cd := range []float64{0.5, 0.75, 1} {
			for _, ec := range []float64{0.1, 0.3, 0.5, 1} {
				grid = append(grid, weights{cw, cd, ec})
			}
		}
	}
	def := DefaultTuning()
	set := func(w weights) {
		e.tune.FollowUpCarry, e.tune.FollowUpCarryDecay, e.tune.FollowUpExcerptCarry = w.carry, w.decay, w.excerpt
	}
	// scores[g][i]: what tuning g gets right in conversation i.
	scores := make([][]cvScore, len(grid))
	for g, w := range grid {
		set(w)
		for _, c := range convs {
			scores[g] = append(scores[g], playCV(t, e, c))
		}
	}
	e.tune = def
	var held cvScore
	for fold := range 2 {
		best, bestSum := 0, -1
		for g := range grid {
			sum := 0
			for i := range convs {
				if i%2 != fold {
					sum += scores[g][i].total()
				}
			}
			if sum > bestSum {
				best, bestSum = g, sum
			}
		}
		var s cvScore
		for i := range convs {
			if i%2 == fold {
				s.add(scores[best][i])
			}
		}
		t.Logf("fold %d: fitted %+v on the other half; held out: %s", fold, grid[best], s)
		held.add(s)
	}
	t.Logf("held out, both folds: %s", held)
	var all cvScore
	for g, w := range grid {
		if w == (weights{def.FollowUpCarry, def.FollowUpCarryDecay, def.FollowUpExcerptCarry}) {
			for i := range convs {
				all.add(scores[g][i])
			}
		}
	}
	t.Logf("defaults on the whole set: %s", all)
}

type cvScore struct{ followups, followupHits, switches, switchHits, oos, oosAbstained int }

func (s cvScore) total() int { return s.followupHits + s.switchHits + s.oosAbstained }

func (s *cvScore) add(o cvScore) {
	s.followups += o.followups
	s.followupHits += o.followupHits
	s.switches += o.switches
	s.switchHits += o.switchHits
	s.oos += o.oos
	s.oosAbstained += o.oosAbstained
}

func (s cvScore) String() string {
	return strings.Join([]string{
		"follow-ups " + frac(s.followupHits, s.followups),
		"switches " + frac(s.switchHits, s.switches),
		"out of scope abstained " + frac(s.oosAbstained, s.oos),
	}, ", ")
}

func frac(a, b int) string {
	j, _ := json.Marshal([]int{a, b})
	return strings.ReplaceAll(strings.Trim(string(j), "[]"), ",", "/")
}

type cvConversation struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Turns []struct {
		Q         string   `json:"q"`
		Answers   []string `json:"answers"`
		SmallTalk bool     `json:"smalltalk"`
		OOS       bool     `json:"oos"`
	} `json:"turns"`
}

func readCVConversations(t *testing.T) []cvConversation {
	f, err := os.Open("testdata/eval/conversations.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []cvConversation
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c cvConversation
		if err := json.Unmarshal(sc.Bytes(), &c); err == nil && c.ID != "" {
			out = append(out, c)
		}
	}
	return out
}

func playCV(t *testing.T, e *Engine, c cvConversation) cvScore {
	var s cvScore
	var history []Turn
	for i, turn := range c.Turns {
		if turn.SmallTalk {
			continue
		}
		a, err := e.Ask(context.Background(), turn.Q, AskOptions{History: history})
		if err != nil {
			t.Fatalf("%s: %v", c.ID, err)
		}
		hit := false
		for k, ci := range a.Citations {
			if k == 3 {
				break
			}
			ex := strings.ToLower(strings.Join(strings.Fields(strings.NewReplacer("’", "'", "“", `"`, "”", `"`).Replace(ci.Excerpt)), " "))
			for _, g := range turn.Answers {
				hit = hit || strings.Contains(ex, strings.ToLower(strings.Join(strings.Fields(strings.NewReplacer("’", "'", "“", `"`, "”", `"`).Replace(g)), " ")))
			}
		}
		switch {
		case turn.OOS:
			s.oos++
			if a.Abstained {
				s.oosAbstained++
			}
		case i == 0:
		case c.Kind == "switch":
			s.switches++
			if hit {
				s.switchHits++
			}
		default:
			s.followups++
			if hit {
				s.followupHits++
			}
		}
		var cited []string
		for _, ci := range a.Citations {
			cited = append(cited, ci.Passage.ID)
		}
		history = append(history, Turn{Question: turn.Q, Cited: cited})
	}
	return s
}
