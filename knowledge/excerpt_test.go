package knowledge

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// occ marks every occurrence of each word in text as concept i.
func occ(text string, words ...string) []occurrence {
	var out []occurrence
	for ci, w := range words {
		for i := 0; ; {
			j := strings.Index(text[i:], w)
			if j < 0 {
				break
			}
			out = append(out, occurrence{start: i + j, end: i + j + len(w), concept: ci, weight: 1})
			i += j + len(w)
		}
	}
	return out
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("Filler words fill this sentence up nicely. ", 12)
	tests := []struct {
		name     string
		text     string
		words    []string
		contains string
		prefix   string // excerpt must start with it ("" = no check)
	}{
		{"fits whole", "Short passage about Wuzhen.", []string{"Wuzhen"}, "Short passage about Wuzhen.", "Short"},
		{"best sentence among many", long + "The declaration had nine points about sovereignty. " + long,
			[]string{"declaration", "sovereignty"}, "The declaration had nine points about sovereignty.", ""},
		{"widened with the following sentence", long + "The draft declaration arrived. It gave attendees until 8 a.m. to object. " + long,
			[]string{"draft", "declaration"}, "until 8 a.m.", ""},
		{"one very long sentence is cut at words", "Intro, " + strings.Repeat("and more words here, ", 30) + "the Wuzhen declaration appears, " + strings.Repeat("followed by more words, ", 30) + "end.",
			[]string{"Wuzhen"}, "the Wuzhen declaration appears", "…"},
		{"a long announced paragraph is shown without its lead-in",
			"A rumour went round like this:\n\nFirst the summit opened with speeches that went on for most of the morning. " + strings.Repeat("Delegates waited politely. ", 9) + "Then someone said the summit was really a trade fair.",
			[]string{"rumour", "summit"}, "really a trade fair", "First the summit"},
		{"a lead-in that fits with its paragraph stays",
			"A rumour went round like this:\n\nThe summit was really a trade fair.",
			[]string{"rumour", "summit"}, "A rumour went round like this:", "A rumour"},
		{"a lead-in that is the answer itself stays",
			"The theme of the summit was announced: “Shared by All”:\n\n" + strings.Repeat("We respect every country's right to choose. ", 9) + "We also oppose hegemony.",
			[]string{"theme", "summit"}, "“Shared by All”", "The theme"},
		{"multibyte text is never split", strings.Repeat("网络主权是一个概念，", 60) + "。", []string{"主权"}, "主权", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := occ(tt.text, tt.words...)
			idfs := make([]float64, len(tt.words))
			for i := range idfs {
				idfs[i] = 1
			}
			ex, spans := excerpt(tt.text, o, idfs, MaxExcerptRunes, nil)
			if n := utf8.RuneCountInString(ex); n > MaxExcerptRunes {
				t.Errorf("excerpt has %d runes; want at most %d", n, MaxExcerptRunes)
			}
			if !utf8.ValidString(ex) {
				t.Errorf("excerpt is not valid UTF-8")
			}
			if !strings.Contains(ex, tt.contains) {
				t.Errorf("excerpt(%.60q…) = %q; want it to contain %q", tt.text, ex, tt.contains)
			}
			if tt.prefix != "" && !strings.HasPrefix(ex, tt.prefix) {
				t.Errorf("excerpt = %q; want it to start with %q", ex, tt.prefix)
			}
			if len(spans) == 0 {
				t.Errorf("no highlights")
			}
			for _, s := range spans {
				if s.Start < 0 || s.End > len(ex) || s.Start >= s.End {
					t.Fatalf("highlight %v out of range of %d bytes", s, len(ex))
				}
				if hl := ex[s.Start:s.End]; !slices.Contains(tt.words, hl) {
					t.Errorf("highlight %q is not a matched word %q", hl, tt.words)
				}
			}
		})
	}
}

func FuzzExcerpt(f *testing.F) {
	f.Add("A sentence. Another one with words.", "words")
	f.Add(strings.Repeat("long ", 300), "long")
	f.Add("多边主义。多边", "多边")
	f.Fuzz(func(t *testing.T, text, word string) {
		if !utf8.ValidString(text) || word == "" {
			t.Skip()
		}
		ex, spans := excerpt(text, occ(text, word), []float64{1}, MaxExcerptRunes, nil)
		if utf8.RuneCountInString(ex) > MaxExcerptRunes || !utf8.ValidString(ex) {
			t.Fatalf("excerpt %q breaks the contract", ex)
		}
		for _, s := range spans {
			if s.Start < 0 || s.End > len(ex) || s.Start >= s.End {
				t.Fatalf("span %v out of range", s)
			}
		}
	})
}
