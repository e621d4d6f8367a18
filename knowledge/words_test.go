package knowledge

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/blevesearch/vellum"
)

func buildFST(t testing.TB, words []string) *vellum.FST {
	t.Helper()
	sort.Strings(words)
	words = slices.Compact(words)
	var buf bytes.Buffer
	b, err := vellum.New(&buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range words {
		if err := b.Insert([]byte(w), 1); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := vellum.Load(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "abc", 0}, {"declaraton", "declaration", 1}, {"wuzhem", "wuzhen", 1},
		{"sovreignty", "sovereignty", 1}, {"teh", "the", 1}, {"confrence", "conference", 1},
		{"kitten", "sitting", 3}, {"", "abc", 3}, {"ca", "abc", 3},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d; want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestNearWordsAgreesWithEditDistance checks the automaton against the
// plain distance over random words: the same set, never more, never less.
func TestNearWordsAgreesWithEditDistance(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	letters := "abcde"
	word := func() string {
		b := make([]byte, 3+r.IntN(6))
		for i := range b {
			b[i] = letters[r.IntN(len(letters))]
		}
		return string(b)
	}
	var words []string
	for range 3000 {
		words = append(words, word())
	}
	f := buildFST(t, words)
	sort.Strings(words)
	words = slices.Compact(words)
	for range 200 {
		q := word()
		for k := 1; k <= 2; k++ {
			var want []string
			for _, w := range words {
				if w != q && editDistance(q, w) <= k {
					want = append(want, w)
				}
			}
			var got []string
			for _, c := range nearWords(f, q, k, 1<<20) {
				got = append(got, c.term)
				if c.edits != editDistance(q, c.term) {
					t.Errorf("near(%q) reports %q at %d edits; it is %d", q, c.term, c.edits, editDistance(q, c.term))
				}
			}
			sort.Strings(got)
			if len(want) > 256 {
				continue // nearWords stops at 256 candidates
			}
			if !slices.Equal(got, want) {
				t.Fatalf("nearWords(%q, %d) = %q; want %q", q, k, got, want)
			}
		}
	}
}

func TestNearWordsOrder(t *testing.T) {
	f := buildFST(t, []string{"declaration", "declarations", "decoration", "wuzhen"})
	got := nearWords(f, "declaraton", 2, 10)
	if len(got) == 0 || got[0].term != "declaration" || got[0].edits != 1 {
		t.Errorf("nearWords(declaraton) = %+v; want declaration first at 1 edit", got)
	}
}

func BenchmarkNearWords(b *testing.B) {
	lc := mustLoadEmbedded(b)
	wc := wordCounter{}
	a := newAnalyzers(newMapping())
	for _, d := range lc.docs {
		for _, p := range d.Passages {
			wc.add(a, p.Text)
		}
	}
	var words []string
	for w := range wc {
		words = append(words, w)
	}
	f := buildFST(b, words)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		nearWords(f, "declaraton", 2, 9)
	}
}
