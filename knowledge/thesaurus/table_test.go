package thesaurus

import (
	"slices"
	"testing"
)

func TestSynonymsWordNet(t *testing.T) {
	tab := WordNet()
	tests := []struct {
		name    string
		word    string
		anyOf   []string // at least one of these is returned
		noneOf  []string // none of these is returned
		lemmaOf string   // Lemmas(word) includes it, when set
	}{
		{name: "regular verb past", word: "refused", anyOf: []string{"deny", "decline", "reject"}, noneOf: []string{"garbage"}, lemmaOf: "refuse"},
		{name: "y to ie past", word: "denied", anyOf: []string{"refuse"}, lemmaOf: "deny"},
		{name: "plural noun", word: "firms", anyOf: []string{"company"}, lemmaOf: "firm"},
		{name: "ies plural", word: "companies", anyOf: []string{"firm"}, lemmaOf: "company"},
		{name: "published", word: "published", anyOf: []string{"release", "issue"}, lemmaOf: "publish"},
		{name: "attended", word: "attended", anyOf: []string{"participate"}, lemmaOf: "attend"},
		{name: "irregular past", word: "went", anyOf: []string{"move", "travel", "proceed"}, lemmaOf: "go"},
		{name: "irregular past of write", word: "wrote", anyOf: []string{"compose"}, lemmaOf: "write"},
		{name: "blocked", word: "blocked", anyOf: []string{"censor"}, lemmaOf: "block"},
		{name: "head", word: "head", anyOf: []string{"director", "chief", "leader"}},
		{name: "uppercase", word: "REFUSED", anyOf: []string{"decline"}, lemmaOf: "refuse"},
		{name: "capitalised", word: "Nations", anyOf: []string{"country"}, lemmaOf: "nation"},
		{name: "only the verb's synonyms for a verb form", word: "hosted", noneOf: []string{"horde", "legion"}, lemmaOf: "host"},
		{name: "news is no form of new", word: "news", noneOf: []string{"novel", "fresh", "new"}, lemmaOf: "news"},
		{name: "acronym sense of us is ignored", word: "us", noneOf: []string{"america", "usa"}},
		{name: "no sense of taiwan for china", word: "China", noneOf: []string{"taiwan", "cathay"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tab.Synonyms(tt.word, 0)
			if len(tt.anyOf) > 0 && !slices.ContainsFunc(tt.anyOf, func(w string) bool { return slices.Contains(got, w) }) {
				t.Errorf("Synonyms(%q, 0) = %q; want one of %q", tt.word, got, tt.anyOf)
			}
			for _, w := range tt.noneOf {
				if slices.Contains(got, w) {
					t.Errorf("Synonyms(%q, 0) = %q; want no %q", tt.word, got, w)
				}
			}
			if tt.lemmaOf != "" {
				if got := tab.Lemmas(tt.word); !slices.Contains(got, tt.lemmaOf) {
					t.Errorf("Lemmas(%q) = %q; want %q among them", tt.word, got, tt.lemmaOf)
				}
			}
		})
	}
}

func TestSynonymsContract(t *testing.T) {
	tab := WordNet()
	tests := []struct {
		name string
		word string
		max  int
	}{
		{name: "all", word: "found", max: 0},
		{name: "capped", word: "found", max: 3},
		{name: "cap of one", word: "refused", max: 1},
		{name: "negative max means all", word: "found", max: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tab.Synonyms(tt.word, tt.max)
			all := tab.Synonyms(tt.word, 0)
			if tt.max > 0 && len(got) != min(tt.max, len(all)) {
				t.Errorf("Synonyms(%q, %d) = %q; want the first %d of %q", tt.word, tt.max, got, tt.max, all)
			}
			if !slices.Equal(got, all[:len(got)]) {
				t.Errorf("Synonyms(%q, %d) = %q; want a prefix of %q", tt.word, tt.max, got, all)
			}
			lemmas := tab.Lemmas(tt.word)
			for i, w := range got {
				if slices.Contains(lemmas, w) || slices.Contains(got[:i], w) {
					t.Errorf("Synonyms(%q, %d) = %q; want neither its lemmas %q nor repeats", tt.word, tt.max, got, lemmas)
				}
			}
		})
	}
}

func TestUnknownWords(t *testing.T) {
	tests := []struct {
		name string
		tab  Table
		word string
	}{
		{name: "unknown word", tab: WordNet(), word: "xqzzyv"},
		{name: "empty word", tab: WordNet(), word: ""},
		{name: "phrase", tab: WordNet(), word: "turn down"},
		{name: "punctuation", tab: WordNet(), word: "refused,"},
		{name: "zero table", tab: Table{}, word: "refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.tab.Synonyms(tt.word, 0); got != nil {
				t.Errorf("Synonyms(%q, 0) = %q; want nil", tt.word, got)
			}
			if got := tt.tab.Lemmas(tt.word); got != nil {
				t.Errorf("Lemmas(%q) = %q; want nil", tt.word, got)
			}
		})
	}
}

func TestLemmasWordNet(t *testing.T) {
	tab := WordNet()
	tests := []struct {
		name string
		word string
		want []string
	}{
		{name: "regular past", word: "refused", want: []string{"refuse"}},
		{name: "ies plural", word: "companies", want: []string{"company"}},
		{name: "irregular past", word: "went", want: []string{"go"}},
		{name: "irregular plural", word: "children", want: []string{"child"}},
		{name: "base form", word: "refuse", want: []string{"refuse"}},
		{name: "base form and plural", word: "glasses", want: []string{"glasses", "glass"}},
		{name: "noun and verb forms", word: "leaves", want: []string{"leaf", "leave"}},
		{name: "base form and irregular past", word: "found", want: []string{"found", "find"}},
		{name: "politics is no form of politic", word: "politics", want: []string{"politics"}},
		{name: "uppercase", word: "WENT", want: []string{"go"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tab.Lemmas(tt.word); !slices.Equal(got, tt.want) {
				t.Errorf("Lemmas(%q) = %q; want %q", tt.word, got, tt.want)
			}
		})
	}
}

// A small table in the documented format exercises the lookup rules
// without depending on the generated data.
const small = `# a comment
# another
deny	refuse	v
flow	stream:n,run:v	nv
glass	crystal	n
glasses	spectacles	n
go	move	v
new	fresh	a
news	tidings	n
refuse	decline:v,deny:v,garbage:n	nv
run	flow	nv
went		-	go:v
`

func TestSmallTable(t *testing.T) {
	tab, err := Parse(small)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	tests := []struct {
		name   string
		word   string
		want   []string
		lemmas []string
	}{
		{name: "base form in all its parts of speech", word: "refuse", want: []string{"decline", "deny", "garbage"}, lemmas: []string{"refuse"}},
		{name: "verb form gets verb synonyms only", word: "refused", want: []string{"decline", "deny"}, lemmas: []string{"refuse"}},
		{name: "noun form gets noun synonyms only", word: "flows", want: []string{"stream", "run"}, lemmas: []string{"flow"}},
		{name: "verb form", word: "flowing", want: []string{"run"}, lemmas: []string{"flow"}},
		{name: "irregular form", word: "went", want: []string{"move"}, lemmas: []string{"go"}},
		{name: "word itself first", word: "glasses", want: []string{"spectacles", "crystal"}, lemmas: []string{"glasses", "glass"}},
		{name: "rules check the part of speech", word: "news", want: []string{"tidings"}, lemmas: []string{"news"}},
		{name: "own lemmas are no synonyms", word: "ran", want: nil, lemmas: nil},
		{name: "synonym of a lemma that is another lemma is dropped", word: "runs", want: []string{"flow"}, lemmas: []string{"run"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tab.Synonyms(tt.word, 0); !slices.Equal(got, tt.want) {
				t.Errorf("Synonyms(%q, 0) = %q; want %q", tt.word, got, tt.want)
			}
			if got := tab.Lemmas(tt.word); !slices.Equal(got, tt.lemmas) {
				t.Errorf("Lemmas(%q) = %q; want %q", tt.word, got, tt.lemmas)
			}
		})
	}
}

// questionWords are typical words of questions to govbot, inflected as
// users write them.
var questionWords = []string{
	"who", "refused", "to", "sign", "the", "declaration", "which", "firms",
	"attended", "Wuzhen", "summit", "published", "rules", "banned", "websites",
	"countries", "nations", "leader", "head", "hosted", "wrote", "author",
	"principles", "theme", "joke", "allowed", "censorship", "governance",
	"sovereignty", "internet",
}

func BenchmarkSynonyms(b *testing.B) {
	tab := WordNet()
	b.ReportAllocs()
	for b.Loop() {
		for _, w := range questionWords {
			tab.Synonyms(w, 10)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(questionWords)), "ns/word")
}

func BenchmarkLemmas(b *testing.B) {
	tab := WordNet()
	b.ReportAllocs()
	for b.Loop() {
		for _, w := range questionWords {
			tab.Lemmas(w)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(questionWords)), "ns/word")
}
