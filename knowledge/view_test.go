package knowledge_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/govbot-dev/govbot/knowledge"
	"github.com/govbot-dev/govbot/knowledge/corpus"
)

// seedFiles returns the embedded corpus's document files by name.
func seedFiles(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := fs.WalkDir(corpus.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".txt") {
			return err
		}
		b, err := fs.ReadFile(corpus.FS(), p)
		out[p] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// openFiles writes files into a new corpus directory and opens an engine on it.
func openFiles(t testing.TB, files map[string][]byte) *knowledge.Engine {
	t.Helper()
	dir := t.TempDir()
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	eng, _, err := knowledge.Open(context.Background(), knowledge.Config{CorpusDir: dir, IndexDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	return eng
}

// split opens the seed corpus three ways: all in one engine, and split
// between a base engine and an own engine holding the named documents.
func split(t testing.TB, own ...string) (all, base, mine *knowledge.Engine) {
	t.Helper()
	files := seedFiles(t)
	baseFiles, ownFiles := map[string][]byte{}, map[string][]byte{}
	for name, b := range files {
		if slices.Contains(own, name) {
			ownFiles[name] = b
		} else {
			baseFiles[name] = b
		}
	}
	return openFiles(t, files), openFiles(t, baseFiles), openFiles(t, ownFiles)
}

// TestViewRanksAsOneCorpus: every question of the eval sets gets the same
// answer whether the corpus is one engine or split between a base and a
// server's own documents: the same decision to abstain, the same best
// passage for all but 1% of questions, scores within 0.01 (single-word
// clauses score exactly the same; phrases approximately: see union.go),
// and hit@1 within 0.01.
func TestViewRanksAsOneCorpus(t *testing.T) {
	for _, own := range [][]string{
		{"framing-the-agenda.txt"},
		{"china-first-world-internet-conference.txt", "soft-power-is-hard.txt"},
	} {
		t.Run(strings.Join(own, "+"), func(t *testing.T) {
			all, base, mine := split(t, own...)
			view := knowledge.View{Base: base, Own: mine}
			ctx := context.Background()
			sets, _ := filepath.Glob("testdata/eval/*.jsonl")
			var n, same, hitAll, hitSplit, answerable, moved int
			for _, set := range sets {
				for _, it := range readEval(t, set) {
					want, werr := all.Ask(ctx, it.Q, knowledge.AskOptions{Limit: 5})
					got, gerr := view.Ask(ctx, it.Q, knowledge.AskOptions{Limit: 5})
					if (werr == nil) != (gerr == nil) {
						t.Fatalf("%s: Ask(%q) errors: one corpus %v, split %v", it.ID, it.Q, werr, gerr)
					}
					n++
					if want.Abstained != got.Abstained {
						t.Errorf("%s: Ask(%q): abstained %v split, %v as one corpus", it.ID, it.Q, got.Abstained, want.Abstained)
					}
					d := diffAnswers(want, got)
					if d == "" {
						same++
					} else {
						t.Logf("%s: %s", it.ID, d)
					}
					w, g := append(want.Citations, want.Closest...), append(got.Citations, got.Closest...)
					if len(w) > 0 && len(g) > 0 && w[0].Passage.ID != g[0].Passage.ID {
						moved++
						t.Logf("%s: Ask(%q): best passage %s split, %s as one corpus", it.ID, it.Q, g[0].Passage.ID, w[0].Passage.ID)
					}
					for i := range min(len(w), len(g)) {
						if w[i].Passage.ID == g[i].Passage.ID && math.Abs(w[i].Score-g[i].Score) > 0.01 {
							t.Errorf("%s: score of %s %.4f split, %.4f as one corpus", it.ID, w[i].Passage.ID, g[i].Score, w[i].Score)
						}
					}
					if !it.Abstain {
						answerable++
						hitAll += hit1(want, it.Answers)
						hitSplit += hit1(got, it.Answers)
					}
				}
			}
			a, s := float64(hitAll)/float64(answerable), float64(hitSplit)/float64(answerable)
			t.Logf("%d questions, %d answered identically; hit@1 %.3f as one corpus, %.3f split", n, same, a, s)
			if moved > n/100 {
				t.Errorf("best passage differs for %d of %d questions; want at most 1%%", moved, n)
			}
			if math.Abs(a-s) > 0.01 {
				t.Errorf("hit@1 %.3f split, %.3f as one corpus: moved by more than 0.01", s, a)
			}
		})
	}
}

func hit1(a knowledge.Answer, answers []string) int {
	if a.Abstained || len(a.Citations) == 0 {
		return 0
	}
	ex := normEval(a.Citations[0].Excerpt)
	for _, want := range answers {
		if strings.Contains(ex, normEval(want)) {
			return 1
		}
	}
	return 0
}

func diffAnswers(want, got knowledge.Answer) string {
	if want.Abstained != got.Abstained {
		return "abstained " + boolStr(got.Abstained) + ", want " + boolStr(want.Abstained)
	}
	w, g := append(want.Citations, want.Closest...), append(got.Citations, got.Closest...)
	if len(w) != len(g) {
		return "citations " + ids(g) + ", want " + ids(w)
	}
	for i := range w {
		if w[i].Passage.ID != g[i].Passage.ID || w[i].Excerpt != g[i].Excerpt {
			return "citations " + ids(g) + ", want " + ids(w)
		}
		if math.Abs(w[i].Score-g[i].Score) > 1e-9*math.Max(1, math.Abs(w[i].Score)) {
			return fmt.Sprintf("score of %s is %.6f, want %.6f", w[i].Passage.ID, g[i].Score, w[i].Score)
		}
		if w[i].Source.ID != g[i].Source.ID || w[i].Source.Title != g[i].Source.Title {
			return "source of " + w[i].Passage.ID + " differs"
		}
	}
	return ""
}

func ids(cs []knowledge.Citation) string {
	var s []string
	for _, c := range cs {
		s = append(s, c.Passage.ID)
	}
	return "[" + strings.Join(s, " ") + "]"
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// TestViewHidesDocuments: a hidden base document is never cited, listed
// or shown, and hiding it changes nothing for the base engine itself.
func TestViewHidesDocuments(t *testing.T) {
	_, base, mine := split(t, "framing-the-agenda.txt")
	ctx := context.Background()
	const hidden = "china-first-world-internet-conference"
	view := knowledge.View{Base: base, Own: mine, Hidden: map[string]bool{hidden: true}}
	q := "What was the Wuzhen Declaration?"
	ans, err := view.Ask(ctx, q, knowledge.AskOptions{Limit: 9})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range append(ans.Citations, ans.Closest...) {
		if c.Source.ID == hidden {
			t.Errorf("Ask(%q) cites hidden %s", q, c.Passage.ID)
		}
	}
	hits, err := view.Search(ctx, "Wuzhen World Internet Conference", 20)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range hits {
		if c.Source.ID == hidden {
			t.Errorf("Search cites hidden %s", c.Passage.ID)
		}
	}
	srcs, err := view.Sources()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		if s.ID == hidden {
			t.Errorf("Sources lists hidden %s", s.ID)
		}
	}
	if _, _, err := view.Source(ctx, hidden); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("Source(%s) = %v; want ErrNotFound", hidden, err)
	}
	if _, err := view.Passage(ctx, hidden+"#1"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("Passage(%s#1) = %v; want ErrNotFound", hidden, err)
	}
	if _, _, err := view.Source(ctx, "framing-the-agenda"); err != nil {
		t.Errorf("Source(own document) = %v", err)
	}
	// The base itself still has it.
	if _, _, err := base.Source(ctx, hidden); err != nil {
		t.Errorf("base.Source(%s) = %v after hiding it in a view", hidden, err)
	}
	base2, err := base.Ask(ctx, q, knowledge.AskOptions{})
	if err != nil || base2.Abstained || base2.Citations[0].Source.ID != hidden {
		t.Errorf("base.Ask(%q) = %+v, %v; want it answered from %s", q, base2.Citations, err, hidden)
	}
}
