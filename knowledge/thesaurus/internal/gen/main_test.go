package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun generates a table from a miniature WordNet in testdata and
// compares it with testdata/want.txt. The miniature exercises the policy:
// a part of speech with few tagged uses ("refuse" the noun) and a
// technical sense ("head" the body part) are ignored, an acronym sense
// ("US") yields nothing, rare synonyms are dropped ("refuse" for
// "garbage": tagged once as a noun), curated groups rank first, and an
// irregular form ("denied") lists its base form.
func TestRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "wordnet.txt")
	var stdout, stderr bytes.Buffer
	args := []string{
		"-wordnet", filepath.Join("testdata", "wordnet"),
		"-common", filepath.Join("testdata", "common.txt"),
		"-extra", filepath.Join("testdata", "extra.txt"),
		"-out", out,
	}
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatalf("run(%q) = %v; stderr: %s", args, err, stderr.String())
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "want.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("run(%q) wrote:\n%s\nwant:\n%s", args, got, want)
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	badExtra := filepath.Join(dir, "extra.txt")
	if err := os.WriteFile(badExtra, []byte("v\tdeny,contradict\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "missing wordnet", args: []string{"-wordnet", filepath.Join(dir, "none")}, want: "load wordnet"},
		{name: "extra word not in wordnet", args: []string{
			"-wordnet", filepath.Join("testdata", "wordnet"),
			"-common", filepath.Join("testdata", "common.txt"),
			"-extra", badExtra,
			"-out", filepath.Join(dir, "out.txt"),
		}, want: `"contradict" is no WordNet base form`},
		{name: "stray argument", args: []string{"extra"}, want: "unexpected arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(tt.args, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("run(%q) = %v; want an error containing %q", tt.args, err, tt.want)
			}
		})
	}
}
