package knowledge_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/govbot-dev/govbot/knowledge"
)

// evalItem is one line of a question set, as read by ../shared/eval/score.py.
type evalItem struct {
	ID      string   `json:"id"`
	Q       string   `json:"q"`
	Answers []string `json:"answers"`
	Abstain bool     `json:"abstain"`
}

func readEval(t *testing.T, path string) []evalItem {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var items []evalItem
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var it evalItem
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		items = append(items, it)
	}
	return items
}

var emphasis = regexp.MustCompile("[*_`~]")
var spaces = regexp.MustCompile(`[\s\p{Z}]+`) // Python's \s includes no-break spaces

// normEval is score.py's norm: case, quotes, emphasis and spacing ignored.
func normEval(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u201c", `"`, "\u201d", `"`).Replace(s)
	s = emphasis.ReplaceAllString(s, "")
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}

// TestEvalSets answers the question sets in-process and scores them the way
// score.py does: a hit at rank k when the k-th excerpt contains an answer
// phrase; out-of-scope questions must abstain. The floors are what the
// engine measured when they were set: a change that lowers a score fails.
func TestEvalSets(t *testing.T) {
	sets := []struct {
		file                    string
		minHit1, minHit3, minAb float64
	}{
		{"testdata/eval/dev.jsonl", 0.95, 0.95, 1.0},
		{"testdata/eval/extra.jsonl", 0.95, 0.95, 1.0},
		{"testdata/eval/holdout.jsonl", 0.95, 1.0, 1.0},
		{"testdata/eval/probes.jsonl", 0.85, 0.95, 1.0},
		// Written by someone who had not seen the engine; scored once
		// (0.575, 0.650, 0.600) before the changes it prompted. Its
		// out-of-scope questions are near-topic traps ("Who held the ITU
		// post before Zhao Houlin?") that words alone cannot tell apart.
		{"testdata/eval/fresh.jsonl", 0.70, 0.80, 0.50},
		// Written the same way, in the style of dev.jsonl, and scored
		// once as it came: nothing was tuned on it.
		{"testdata/eval/blind.jsonl", 1.0, 1.0, 1.0},
		// Chinese questions on the English seed articles, written blind
		// (../blind/chinese.jsonl); scored once before any Chinese work:
		// 0.100, 0.133, 1.000. The dictionary's weight was then chosen
		// among three values on it, so it is no longer unseen.
		// The translated questions' bar (AbstainTranslated) is fitted on
		// it and on chinese-more.jsonl.
		{"testdata/eval/chinese.jsonl", 0.60, 0.80, 1.0},
		// A third, written blind on December 2 (36 answerable, 18 out of
		// scope, a third of them near-topic traps), scored once as it
		// came: 0.361, 0.444, 0.778; then fitted on with chinese.jsonl.
		{"testdata/eval/chinese-more.jsonl", 0.47, 0.58, 0.77},
		// A second blind Chinese set (20 answerable, 5 out of scope),
		// scored once as it came after the dictionary's weight was chosen
		// on the first: 0.40, 0.40, 1.00. Nothing is tuned on it. With the
		// translated questions' bar fitted on the other two it answers
		// five more of its questions and one of its out-of-scope
		// questions ("光合作用的主要产物是什么?": "main" and "product" are
		// in the corpus, photosynthesis is not): 0.65, 0.65, 0.80.
		{"testdata/eval/chinese-unseen.jsonl", 0.65, 0.65, 0.80},
	}
	eng := openEmbedded(t)
	ctx := context.Background()
	for _, set := range sets {
		t.Run(set.file, func(t *testing.T) {
			var n, hit1, hit3, oos, abst int
			for _, it := range readEval(t, set.file) {
				ans, err := eng.Ask(ctx, it.Q, knowledge.AskOptions{})
				if err != nil {
					t.Errorf("%s: Ask(%q): %v", it.ID, it.Q, err)
					continue
				}
				for _, c := range ans.Citations {
					if n := len([]rune(c.Excerpt)); n > knowledge.MaxExcerptRunes {
						t.Errorf("%s: excerpt of %d runes", it.ID, n)
					}
				}
				if it.Abstain {
					oos++
					if ans.Abstained {
						abst++
					} else {
						t.Logf("%s: answered out-of-scope %q", it.ID, it.Q)
					}
					continue
				}
				n++
				rank := 0
				for i, c := range ans.Citations {
					ex := normEval(c.Excerpt)
					for _, a := range it.Answers {
						if strings.Contains(ex, normEval(a)) && rank == 0 {
							rank = i + 1
						}
					}
				}
				if rank == 1 {
					hit1++
				}
				if rank >= 1 && rank <= 3 {
					hit3++
				}
				if rank != 1 {
					t.Logf("%s: rank=%d abstained=%v %q", it.ID, rank, ans.Abstained, it.Q)
				}
			}
			h1, h3, ab := float64(hit1)/float64(n), float64(hit3)/float64(n), float64(abst)/float64(max(oos, 1))
			t.Logf("%s: answerable=%d hit@1=%.3f hit@3=%.3f out_of_scope=%d abstain=%.3f", set.file, n, h1, h3, oos, ab)
			if h1 < set.minHit1 || h3 < set.minHit3 || ab < set.minAb {
				t.Errorf("scores hit@1=%.3f hit@3=%.3f abstain=%.3f; want at least %.2f, %.2f, %.2f",
					h1, h3, ab, set.minHit1, set.minHit3, set.minAb)
			}
		})
	}
}

// openEmbedded opens the embedded corpus with an index in a temp dir.
func openEmbedded(t testing.TB) *knowledge.Engine {
	t.Helper()
	eng, _, err := knowledge.Open(context.Background(), knowledge.Config{IndexDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	return eng
}
