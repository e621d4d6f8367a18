package knowledge

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// surfaceSlow is what the surface analyser gives.
func surfaceSlow(a analyzers, text string) []string {
	var out []string
	for _, t := range a.surface.Analyze([]byte(text)) {
		out = append(out, string(t.Term))
	}
	return out
}

func surfaceFast(text string) ([]string, bool) {
	var out []string
	ok := surfaceASCII(text, func(w []byte) { out = append(out, string(w)) })
	return out, ok
}

func checkSurface(t *testing.T, a analyzers, text string) {
	t.Helper()
	got, ok := surfaceFast(text)
	if !ok {
		return
	}
	want := surfaceSlow(a, text)
	if !slices.Equal(got, want) {
		t.Errorf("surfaceASCII(%q) = %q; the analyser gives %q", text, got, want)
	}
}

func TestSurfaceASCIIMatchesTheAnalyser(t *testing.T) {
	a := newAnalyzers(newMapping())
	for _, text := range []string{
		"", "The Wuzhen Declaration's text, 1,000.5 words; e.g. U.S.A. don't won't rock'n'roll",
		"a:b a::b a.b. .a 'a a' a_b _a b_ _ __ 3'4 3,4;5 3.a a.3 a1.2 x_1 ab12cd JOHN'S bess' s 's",
		"multi-stakeholder governance - -- --- e-mail @user #tag http://example.com/a_b?c=d&e",
		"line\nbreak\r\ntab\there \"quoted\" (paren) [bracket] {brace} <angle>",
	} {
		checkSurface(t, a, text)
	}
	if _, ok := surfaceFast("café"); ok {
		t.Errorf("surfaceASCII accepted non-ASCII text")
	}
	// Random strings over the characters that matter to word segmentation.
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "abZ19_.:',;- \n\"!?/s"
	for range 3000 {
		var b strings.Builder
		for range 1 + r.IntN(20) {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		checkSurface(t, a, b.String())
	}
}

func FuzzSurfaceASCII(f *testing.F) {
	a := newAnalyzers(newMapping())
	f.Add("The Wuzhen Declaration's text, 1,000.5 words")
	f.Add("a:b 3'4 x_1")
	f.Fuzz(func(t *testing.T, text string) { checkSurface(t, a, text) })
}

// TestWordCounterFastPathCountsWhatTheAnalyserFinds: the word list built
// through the ASCII fast path is the one the analyser alone gives, on the
// embedded corpus and on synthetic-looking text.
func TestWordCounterFastPathCountsWhatTheAnalyserFinds(t *testing.T) {
	a := newAnalyzers(newMapping())
	lc, err := loadCorpus(t.Context(), "", DefaultMaxFileSize)
	if err != nil {
		t.Fatal(err)
	}
	fast, slow := wordCounter{}, wordCounter{}
	for _, d := range lc.docs {
		for _, p := range d.Passages {
			fast.add(a, p.Text)
			seen := map[string]bool{}
			for _, w := range surfaceSlow(a, p.Text) {
				if !seen[w] && correctable(w) && !a.stop[w] {
					seen[w] = true
					slow[w]++
				}
			}
		}
	}
	if len(fast) != len(slow) {
		t.Errorf("fast path: %d words; analyser: %d", len(fast), len(slow))
	}
	for w, n := range slow {
		if fast[w] != n {
			t.Errorf("word %q: fast path counts %d; analyser %d", w, fast[w], n)
		}
	}
}
