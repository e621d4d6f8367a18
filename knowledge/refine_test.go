package knowledge

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// nameRE is the expression name.in replaced: the name's words in order,
// separated by spaces and punctuation, in any case.
func nameRE(parts []string) (*regexp.Regexp, error) {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		quoted[i] = regexp.QuoteMeta(p)
	}
	return regexp.Compile(`(?i)\b` + strings.Join(quoted, `[\s\p{P}]+`) + `\b`)
}

// sameNameMatch reports a difference between name.in and the expression.
func sameNameMatch(t *testing.T, text string, parts ...string) {
	t.Helper()
	re, err := nameRE(parts)
	if err != nil {
		return // names drops these (invalid UTF-8)
	}
	if got, want := (name{parts: parts}).in(text), re.MatchString(text); got != want {
		t.Errorf("name%q.in(%q) = %v; want %v", parts, text, got, want)
	}
}

func TestNameIn(t *testing.T) {
	tests := []struct {
		name  string
		parts []string
		text  string
		want  bool
	}{
		{"plain", []string{"great", "wall"}, "the Great Wall of China", true},
		{"punctuation", []string{"lu", "wei"}, "Lu, Wei and", true},
		{"dash", []string{"lu", "wei"}, "LU—WEI", true},
		{"apart", []string{"great", "wall"}, "the Great big Wall", false},
		{"inside a word", []string{"great", "wall"}, "the Great Walls", false},
		{"before a word", []string{"great", "wall"}, "ungreat wall", false},
		{"Kelvin sign at the start", []string{"kai", "fu"}, "\u212aai Fu", false}, // no \b before a non-word character
		{"Kelvin sign after a letter", []string{"kai", "fu"}, "x\u212aai Fu", true},
		{"long s", []string{"sun", "yat"}, "x\u017fun Yat", true},
		{"three words", []string{"world", "internet", "conference"}, "World Internet  Conference.", true},
		{"non-ASCII", []string{"müller", "straße"}, "MÜLLER Straße", true},
		{"no separator", []string{"lu", "wei"}, "LuWei", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (name{parts: tt.parts}).in(tt.text); got != tt.want {
				t.Errorf("name%q.in(%q) = %v; want %v", tt.parts, tt.text, got, tt.want)
			}
			sameNameMatch(t, tt.text, tt.parts...)
		})
	}
}

// name.in agrees with the expression on every sentence of the embedded
// corpus, for names made of each pair of neighbouring words there.
func TestNameInMatchesRegexp(t *testing.T) {
	files, err := filepath.Glob("corpus/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("corpus: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		for _, s := range sentenceSpans(text) {
			sent := text[s[0]:s[1]]
			words := strings.Fields(sent)
			for i := 0; i+1 < len(words); i += 3 {
				a, b := strings.ToLower(strings.Trim(words[i], ".,;:“”\"()")), strings.ToLower(strings.Trim(words[i+1], ".,;:“”\"()"))
				if a == "" || b == "" {
					continue
				}
				sameNameMatch(t, sent, a, b)
				sameNameMatch(t, text[s[0]:min(len(text), s[1]+200)], b, a)
			}
		}
		if t.Failed() {
			return
		}
	}
}

func FuzzNameIn(f *testing.F) {
	f.Add("the Great Wall of China", "great", "wall")
	f.Add("\u212aai, Fu", "kai", "fu")
	f.Add("a.b..c", "a.", "c")
	f.Add("x \xff y", "\ufffd", "y")
	f.Fuzz(func(t *testing.T, text, a, b string) {
		if a == "" || b == "" || !utf8.ValidString(a) || !utf8.ValidString(b) {
			return
		}
		sameNameMatch(t, text, a, b)
	})
}
