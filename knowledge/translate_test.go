package knowledge

import (
	"slices"
	"testing"

	"github.com/govbot-dev/govbot/knowledge/cedict"
)

// A Chinese question on English documents is searched by its words'
// English translations, and a name the dictionary lacks by its pinyin;
// a stray character is filler.
func TestChineseWordsAreTranslated(t *testing.T) {
	a := newAnalyzers(newMapping())
	tn := DefaultTuning()
	d := cedict.New()
	alts := func(c concept) []string {
		var out []string
		for _, al := range c.alts {
			if al.field == fieldText {
				out = append(out, al.text)
			}
		}
		return out
	}
	tests := []struct {
		piece  string
		want   string // one of its English alternatives
		filler bool
	}{
		{"宣言", "declaration", false},
		{"网络", "Internet", false},
		{"乌镇", "wuzhen", false}, // a place the dictionary lacks: pinyin
		{"鲁炜", "lu wei", false}, // a name: surname, given name
		{"方可成", "fang kecheng", false},
		{"项", "", true},
	}
	for _, tt := range tests {
		c, filler := dictConcept(&tn, a, d, tt.piece)
		if filler != tt.filler {
			t.Errorf("dictConcept(%s): filler %v; want %v", tt.piece, filler, tt.filler)
		}
		if tt.want != "" && !slices.Contains(alts(c), tt.want) {
			t.Errorf("dictConcept(%s) English alternatives %q; want %q among them", tt.piece, alts(c), tt.want)
		}
	}
	if got, want := dictPieces(d, "乌镇宣言"), []string{"乌镇", "宣言"}; !slices.Equal(got, want) {
		t.Errorf("dictPieces(乌镇宣言) = %q; want %q", got, want)
	}
}
