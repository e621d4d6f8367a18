package thesaurus

import (
	"slices"
	"testing"
)

func TestForms(t *testing.T) {
	tests := []struct {
		name, word string
		want       []string // must all be present
		absent     []string
	}{
		{"past to participle", "wrote", []string{"write", "written"}, []string{"wrote"}},
		{"base to irregular", "leave", []string{"left"}, []string{"leave"}},
		{"irregular to base", "left", []string{"leave"}, nil},
		{"went", "went", []string{"go", "gone"}, nil},
		{"case", "Written", []string{"write", "wrote"}, nil},
		{"regular verb", "refused", []string{"refuse"}, nil},
		{"unknown", "wuzhen", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := WordNet().Forms(tt.word)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("Forms(%q) = %q; want it to contain %q", tt.word, got, w)
				}
			}
			for _, w := range tt.absent {
				if slices.Contains(got, w) {
					t.Errorf("Forms(%q) = %q; want no %q", tt.word, got, w)
				}
			}
			if tt.want == nil && got != nil {
				t.Errorf("Forms(%q) = %q; want nil", tt.word, got)
			}
		})
	}
}

func TestFormsTableSorted(t *testing.T) {
	data := skipComments(formsData)
	prev := ""
	for i, line := range splitLines(data) {
		key, _, ok := cut(line)
		if !ok || key <= prev {
			t.Fatalf("forms.txt line %d %q: not a sorted key<TAB>forms line", i+1, line)
		}
		prev = key
	}
}

func splitLines(s string) []string {
	var out []string
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] != '\n' {
			i++
		}
		out = append(out, s[:i])
		if i < len(s) {
			i++
		}
		s = s[i:]
	}
	return out
}

func cut(line string) (string, string, bool) {
	for i := 0; i < len(line); i++ {
		if line[i] == '\t' {
			return line[:i], line[i+1:], true
		}
	}
	return "", "", false
}
