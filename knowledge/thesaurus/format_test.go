package thesaurus

import (
	"errors"
	"strings"
	"testing"
)

func TestParseEmbedded(t *testing.T) {
	tab, err := Parse(wordnetData)
	if err != nil {
		t.Fatalf("Parse(wordnet.txt): %v", err)
	}
	if tab != WordNet() {
		t.Errorf("WordNet() differs from Parse(wordnet.txt)")
	}
}

func TestParseAccepts(t *testing.T) {
	tests := []struct {
		name string
		data string
	}{
		{name: "empty", data: ""},
		{name: "comments only", data: "# nothing yet\n"},
		{name: "admin's two columns", data: "firm\tcompany,business\n"},
		{name: "no final newline", data: "a-b\tc\nfirm\tcompany"},
		{name: "no synonyms", data: "firm\t\tn\n"},
		{name: "tagged synonyms", data: "refuse\tdecline:v,garbage:n\tnv\n"},
		{name: "irregular form", data: "go\tmove\tv\nwent\t\t-\tgo:v\n"},
		{name: "base form and irregular form", data: "find\tdiscover\tv\nfound\testablish\tv\tfound,find:v\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse(tt.data); err != nil {
				t.Errorf("Parse(%q) = %v; want no error", tt.data, err)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string // in the error message
	}{
		{name: "one field", data: "firm\n", want: "line 1: want word<TAB>synonyms"},
		{name: "five fields", data: "a\tb\tn\tc\td\n", want: "got 5 fields"},
		{name: "blank line", data: "a\tb\n\nc\td\n", want: "line 2: want word"},
		{name: "comment after entries", data: "a\tb\n# late\n", want: "line 2: want word"},
		{name: "unsorted", data: "# c\nb\tx\na\ty\n", want: `line 3: "a" is not after "b"`},
		{name: "duplicate word", data: "a\tx\na\ty\n", want: `"a" is not after "a"`},
		{name: "uppercase word", data: "Firm\tcompany\n", want: "must be lowercase"},
		{name: "uppercase synonym", data: "firm\tCompany\n", want: "must be lowercase"},
		{name: "space in word", data: "turn down\trefuse\n", want: "cannot contain spaces"},
		{name: "empty synonym", data: "firm\tcompany,,house\n", want: "item 2: empty word"},
		{name: "synonym is the word", data: "firm\tfirm\n", want: "lists the word itself"},
		{name: "synonym twice", data: "firm\thouse,house\n", want: `"house" twice`},
		{name: "bad parts of speech", data: "firm\thouse\tx\n", want: `parts of speech "x"`},
		{name: "repeated part of speech", data: "firm\thouse\tnn\n", want: `parts of speech "nn"`},
		{name: "empty parts of speech", data: "firm\thouse\t\n", want: `parts of speech ""`},
		{name: "bad tag", data: "firm\thouse:z\tn\n", want: `parts of speech "z"`},
		{name: "tag outside the word's", data: "firm\thouse:v\tn\n", want: "not all the word's"},
		{name: "irregular form with synonyms", data: "go\tmove\tv\nwent\tleft\t-\tgo\n", want: "has synonyms"},
		{name: "irregular form without bases", data: "went\t\t-\n", want: "lists no base forms"},
		{name: "empty bases", data: "went\t\tv\t\n", want: "empty base forms"},
		{name: "unknown base", data: "went\t\t-\tgo:v\n", want: `base form "go" of "went" is no base form`},
		{name: "base that is no base form", data: "go\tmove\tv\ngone\t\t-\tgo\nwent\t\t-\tgone\n", want: `base form "gone" of "went"`},
		{name: "irregular form lists itself", data: "went\t\t-\twent\n", want: "itself, which is no base form"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.data)
			if err == nil {
				t.Fatalf("Parse(%q) = nil error; want one containing %q", tt.data, tt.want)
			}
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("Parse(%q) = %v; want it to wrap ErrMalformed", tt.data, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q) = %q; want it to contain %q", tt.data, err, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(small)
	f.Add("firm\tcompany\n")
	f.Add("go\tmove\tv\nwent\t\t-\tgo:v\n")
	f.Fuzz(func(t *testing.T, data string) {
		tab, err := Parse(data)
		if err != nil {
			return
		}
		// Every accepted table answers for each of its words, and for
		// inflections of them, without panicking.
		for line := range strings.Lines(tab.data) {
			word, _, _ := strings.Cut(line, "\t")
			for _, w := range []string{word, word + "s", word + "ed", word + "ing", strings.ToUpper(word)} {
				tab.Synonyms(w, 0)
				tab.Lemmas(w)
			}
		}
	})
}
