package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/govbot-dev/govbot/knowledge/synthetic"
)

func TestParseCount(t *testing.T) {
	for in, want := range map[string]int{"1000": 1000, "10k": 10_000, "1M": 1_000_000, " 2k ": 2000} {
		if got, err := parseCount(in); err != nil || got != want {
			t.Errorf("parseCount(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "k", "-1", "ten"} {
		if _, err := parseCount(in); err == nil {
			t.Errorf("parseCount(%q) succeeded", in)
		}
	}
}

// TestSystemsAnswerTheSameQuestions builds a small synthetic corpus into
// every system (in this process) and asks each the same questions: every
// system indexes every passage and finds passages for most questions.
func TestSystemsAnswerTheSameQuestions(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	dir, c, err := syntheticCorpus(root, 300)
	if err != nil {
		t.Fatal(err)
	}
	qs := c.Questions(40, 1)
	for _, name := range systemOrder {
		t.Run(name, func(t *testing.T) {
			sys := systems[name]
			index := filepath.Join(root, "index-"+name)
			n, err := sys.build(ctx, dir, index)
			if err != nil || n != c.Passages() {
				t.Fatalf("build: %d passages, %v; want %d", n, err, c.Passages())
			}
			a, err := sys.open(ctx, dir, index)
			if err != nil {
				t.Fatal(err)
			}
			defer a.close()
			found := 0
			for _, q := range qs {
				hits, err := a.ask(ctx, q.Text)
				if err != nil {
					t.Fatalf("ask %q: %v", q.Text, err)
				}
				if hits > 0 {
					found++
				}
			}
			if absent := countKind(qs, synthetic.Absent); found < (len(qs)-absent)/2 {
				t.Errorf("passages found for %d of %d questions", found, len(qs))
			}
		})
	}
}

func countKind(qs []synthetic.Question, k synthetic.Kind) int {
	n := 0
	for _, q := range qs {
		if q.Kind == k {
			n++
		}
	}
	return n
}
