package library

import (
	"bufio"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/govbot-dev/govbot/knowledge"
)

type squadItem struct {
	ID      string   `json:"id"`
	Q       string   `json:"q"`
	Kind    string   `json:"kind"`
	Answers []string `json:"answers"`
}

var squadSpaces = regexp.MustCompile(`[\s\p{Z}]+`)

// squadNorm is extscore.py's comparison: case, quotes, emphasis and spacing ignored.
func squadNorm(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u201c", `"`, "\u201d", `"`, "*", "", "_", "", "`", "", "~", "").Replace(s)
	return strings.TrimSpace(squadSpaces.ReplaceAllString(s, " "))
}

// scores are hit@1 over answerable questions and the abstention rate
// over the others.
type scores struct{ hit1, abstain float64 }

func scoreSquad(t *testing.T, l *Library, scope knowledge.Scope, items []squadItem) scores {
	t.Helper()
	var answerable, hits, others, abstained int
	for _, it := range items {
		ans, err := l.Ask(context.Background(), scope, it.Q, knowledge.AskOptions{})
		if err != nil {
			t.Fatalf("%s: Ask(%q): %v", it.ID, it.Q, err)
		}
		if it.Kind != "answerable" {
			others++
			if ans.Abstained {
				abstained++
			}
			continue
		}
		answerable++
		if ans.Abstained || len(ans.Citations) == 0 {
			continue
		}
		ex := squadNorm(ans.Citations[0].Excerpt)
		for _, a := range it.Answers {
			if strings.Contains(ex, squadNorm(a)) {
				hits++
				break
			}
		}
	}
	return scores{float64(hits) / float64(answerable), float64(abstained) / float64(max(others, 1))}
}

// TestSplitRanksAsOneCorpus: a corpus nobody here wrote (SQuAD), its six
// articles all in the base, then two of them in a server's own collection
// added through the Library: a question in that server scores as before.
func TestSplitRanksAsOneCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("asks 1,000 questions")
	}
	f, err := os.Open("testdata/squad/questions.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var items []squadItem
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var it squadItem
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	}
	f.Close()
	articles, _ := filepath.Glob("testdata/squad/kb/*.md")
	own := map[string]bool{"huguenot.md": true, "steam_engine.md": true}
	allDir, baseDir := t.TempDir(), t.TempDir()
	for _, a := range articles {
		b, err := os.ReadFile(a)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(allDir, filepath.Base(a)), b, 0o644)
		if !own[filepath.Base(a)] {
			os.WriteFile(filepath.Join(baseDir, filepath.Base(a)), b, 0o644)
		}
	}
	all := openLib(t, allDir, nil)
	split := openLib(t, baseDir, nil)
	for name := range own {
		b, _ := os.ReadFile(filepath.Join("testdata/squad/kb", name))
		if _, err := split.Add(context.Background(), scopeA, name, b, AddOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	want := scoreSquad(t, all, base, items)
	got := scoreSquad(t, split, scopeA, items)
	t.Logf("hit@1 %.3f all in the base, %.3f split; abstain (adversarial and out of scope) %.3f, %.3f", want.hit1, got.hit1, want.abstain, got.abstain)
	if math.Abs(want.hit1-got.hit1) > 0.01 {
		t.Errorf("hit@1 %.3f split, %.3f all in the base: moved by more than 0.01", got.hit1, want.hit1)
	}
	if math.Abs(want.abstain-got.abstain) > 0.02 {
		t.Errorf("abstention %.3f split, %.3f all in the base", got.abstain, want.abstain)
	}
}
