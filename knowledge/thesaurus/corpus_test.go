package thesaurus

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestCorpusVocabulary logs, for typical question words, the synonyms
// the shipped table returns and how often each occurs in govbot's corpus
// (as a word or a regular form of it), for eyeballing noise when tuning
// the generator: go test -run CorpusVocabulary -v ./knowledge/thesaurus
func TestCorpusVocabulary(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "corpus", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Skipf("no corpus next to the package: %v", err)
	}
	counts := make(map[string]int)
	tab := WordNet()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("read corpus: %v", err)
		}
		for _, w := range regexp.MustCompile(`[A-Za-z][A-Za-z-]*`).FindAllString(string(b), -1) {
			for _, l := range tab.Lemmas(w) {
				counts[l]++
			}
		}
	}
	for _, w := range []string{
		"refused", "denied", "firms", "companies", "published", "released", "attended",
		"participated", "blocked", "censored", "head", "director", "leader", "rules",
		"theme", "joke", "host", "hosted", "wrote", "author", "principles", "nations",
		"countries", "banned", "allowed", "said", "governance", "sovereignty",
	} {
		var b strings.Builder
		for _, s := range tab.Synonyms(w, 10) {
			b.WriteString(" " + s)
			if n := counts[s]; n > 0 {
				b.WriteString("(" + strconv.Itoa(n) + ")")
			}
		}
		t.Logf("%-13s ->%s", w, b.String())
	}
}
