package knowledge

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalizeQuestion(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"spaces", "  what   is\tit \n", "what is it"},
		{"full-width letters", "ＷＩＣ", "WIC"},
		{"zero-width and bidi marks", "Wu\u200bzhen \u202eDecla\u200dration\u202c sov\u2060ereignty\u00ad", "Wuzhen Declaration sovereignty"},
		{"control characters", "a\x00b\x07c", "a b c"},
		{"terminal escapes", "\x1b[31mWuzhen\x1b[0m \x1b[1;33mDeclaration", "Wuzhen Declaration"},
		{"markdown", "**bold** _it_ `code` ~~x~~ ||spoiler||", "bold it code x spoiler"},
		{"invalid UTF-8", "ok\xffok", "ok ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := normalizeQuestion(tt.in); got != tt.want {
				t.Errorf("normalizeQuestion(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

// fakeStats is a corpus of known words for parsing tests.
type fakeStats map[string]int

func (f fakeStats) docCount() int             { return 100 }
func (f fakeStats) df(field, term string) int { return f[term] }
func (f fakeStats) near(word string, edits, _ int) []fuzzyTerm {
	switch word {
	case "declaraton":
		return []fuzzyTerm{{term: "declaration", edits: 1, df: 4}}
	case "invented":
		return []fuzzyTerm{{term: "invested", edits: 1, df: 1}}
	}
	return nil
}

func (f fakeStats) related(stem string) []string { return nil }

var _ termStats = fakeStats(nil)

func TestParseQuestion(t *testing.T) {
	tn := DefaultTuning()
	a := newAnalyzers(newMapping())
	syn := newSynonymSet(a, [][]string{{"WIC", "World Internet Conference"}})
	stats := fakeStats{"wuzhen": 10, "declar": 4, "world": 20, "internet": 60, "confer": 40, "wic": 1, "2nd": 3, "second": 2}
	tests := []struct {
		name     string
		q        string
		concepts []string // surfaces
	}{
		{"stop words dropped", "What was the Wuzhen Declaration?", []string{"wuzhen", "declaration"}},
		{"phrase from the synonyms list is one concept", "When was the World Internet Conference held?", []string{"world internet conference", "held"}},
		{"duplicates merged", "Wuzhen, wuzhen, WUZHEN", []string{"wuzhen"}},
		{"CJK run is one concept", "多边 是什么意思?", []string{"多边"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := parseQuestion(&tn, a, syn, nil, nil, stats, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range q.concepts {
				got = append(got, c.surface)
			}
			if strings.Join(got, "|") != strings.Join(tt.concepts, "|") {
				t.Errorf("concepts of %q = %q; want %q", tt.q, got, tt.concepts)
			}
		})
	}
	t.Run("misspelling corrected", func(t *testing.T) {
		q, _ := parseQuestion(&tn, a, syn, nil, nil, stats, "wuzhen declaraton")
		c := q.concepts[1]
		if !c.known || len(c.alts) != 1 || c.alts[0].terms[0] != "declar" || c.alts[0].weight != tn.WeightTypo1 {
			t.Errorf("declaraton alternatives = %+v; want the corpus's declaration at typo weight", c.alts)
		}
	})
	t.Run("ordinals", func(t *testing.T) {
		q, _ := parseQuestion(&tn, a, syn, nil, nil, stats, "second conference")
		if got := len(q.concepts[0].alts); got != 2 {
			t.Errorf("second has %d alternatives; want second and 2nd", got)
		}
	})
	t.Run("bounded", func(t *testing.T) {
		var words []string
		for i := range 200 {
			words = append(words, "w"+string(rune('a'+i%26))+string(rune('a'+i/26)))
		}
		q, err := parseQuestion(&tn, a, syn, nil, nil, stats, strings.Join(words, " "))
		if err != nil || len(q.concepts) > tn.MaxConcepts {
			t.Errorf("%d concepts, err %v; want at most %d", len(q.concepts), err, tn.MaxConcepts)
		}
	})
	t.Run("too long", func(t *testing.T) {
		if _, err := parseQuestion(&tn, a, syn, nil, nil, stats, strings.Repeat("x", MaxQuestionRunes+1)); !errors.Is(err, ErrQuestionTooLong) {
			t.Errorf("error %v; want ErrQuestionTooLong", err)
		}
	})
}

func FuzzParseQuestion(f *testing.F) {
	tn := DefaultTuning()
	a := newAnalyzers(newMapping())
	syn := newSynonymSet(a, [][]string{{"WIC", "World Internet Conference"}, {"网络主权", "internet sovereignty"}})
	stats := fakeStats{"wuzhen": 10}
	for _, s := range []string{"What was the Wuzhen Declaration?", "多边 是什么意思?", `+text:* /.*/ ~2 "x"^3`, "\u202e\u200b\x00", "ＷＩＣ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := parseQuestion(&tn, a, syn, nil, nil, stats, s)
		if err != nil {
			if !errors.Is(err, ErrEmptyQuestion) && !errors.Is(err, ErrQuestionTooLong) {
				t.Fatalf("parseQuestion(%q): unexpected error %v", s, err)
			}
			return
		}
		if len(q.concepts) == 0 || len(q.concepts) > tn.MaxConcepts || !utf8.ValidString(q.text) {
			t.Fatalf("parseQuestion(%q) = %d concepts, text %q", s, len(q.concepts), q.text)
		}
		for _, c := range q.concepts {
			if len(c.alts) > tn.MaxAltsPerConcept {
				t.Fatalf("concept %q has %d alternatives", c.surface, len(c.alts))
			}
		}
		buildQuery(q, nil) // never panics
	})
}

// fakeThesaurus knows a few words.
type fakeThesaurus map[string][]string

func (f fakeThesaurus) Synonyms(w string, max int) []string { return nil }
func (f fakeThesaurus) Forms(w string) []string             { return nil }
func (f fakeThesaurus) Lemmas(w string) []string            { return f[w] }

func TestRealWordsAreNotCorrected(t *testing.T) {
	tn := DefaultTuning()
	a := newAnalyzers(newMapping())
	stats := fakeStats{"wuzhen": 10, "invest": 1, "declar": 4}
	th := fakeThesaurus{"invented": {"invent"}}
	q, err := parseQuestion(&tn, a, synonymSet{}, th, nil, stats, "invented declaraton")
	if err != nil {
		t.Fatal(err)
	}
	if c := q.concepts[0]; len(c.alts) != 0 {
		t.Errorf("invented has alternatives %+v; a real word is not a misspelling", c.alts)
	}
	if c := q.concepts[1]; len(c.alts) != 1 || c.alts[0].weight != tn.WeightTypo1 {
		t.Errorf("declaraton alternatives = %+v; want one correction", c.alts)
	}
}
