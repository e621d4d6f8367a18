package cedict

import (
	"slices"
	"testing"
)

func TestDictionary(t *testing.T) {
	d := New()
	if g := d.Glosses("宣言"); !slices.Contains(g, "declaration") {
		t.Errorf("Glosses(宣言) = %q; want declaration among them", g)
	}
	if g := d.Glosses("不是一个词语吧"); g != nil {
		t.Errorf("Glosses of a non-word = %q; want nil", g)
	}
	if p := d.Pinyin('乌'); p != "wu" {
		t.Errorf("Pinyin(乌) = %q; want wu", p)
	}
	// Longest word first: 互联网 (Internet), not 互联 + 网.
	if got, want := d.Segment("世界互联网大会"), []string{"世界", "互联网", "大会"}; !slices.Equal(got, want) {
		t.Errorf("Segment(世界互联网大会) = %q; want %q", got, want)
	}
}

func TestDictionaryIsSafeForConcurrentUse(t *testing.T) {
	d := New()
	done := make(chan []string)
	for i := 0; i < 4; i++ {
		go func() { done <- d.Segment("网络主权") }()
	}
	for i := 0; i < 4; i++ {
		if got := <-done; len(got) != 2 {
			t.Errorf("Segment(网络主权) = %q; want two words", got)
		}
	}
}

// BenchmarkLoad is the cost of the first Chinese question: decompressing
// the dictionary and indexing its lines.
func BenchmarkLoad(b *testing.B) {
	for i := 0; i < b.N; i++ {
		New().Glosses("宣言")
	}
}
