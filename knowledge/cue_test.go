package knowledge

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// The question cues decide what kind of answer a question wants, which
// moves a passage with that kind of answer up and keeps the sentence with
// it in the excerpt. Each row is a form of question users write.
func TestClassify(t *testing.T) {
	tests := []struct {
		q    string
		want answerKind
	}{
		{"When did the Normans invade Ireland?", kindTime},
		{"What year was the colony founded?", kindTime},
		{"In what year did Warsaw become the capital?", kindTime},
		{"谷歌是哪一年退出中国的?", kindTime},
		{"宣言是什么时候发布的?", kindTime},
		{"Who invented the steam turbine?", kindPerson},
		{"Who is the author of the article?", kindPerson}, // a role: wants a name
		{"谁主办了大会?", kindPerson},
		{"Who is Lu Wei?", kindDefinition}, // a name: wants a description
		{"鲁炜是谁?", kindDefinition},          // the same in Chinese: X 是谁
		{"What is internet sovereignty?", kindDefinition},
		{"什么是网络主权?", kindDefinition},
		{"Where is Wuzhen?", kindPlace},
		{"大会在哪里召开?", kindPlace},
		{"How many Huguenots were killed?", kindNumber},
		{"中国有多少网民?", kindNumber},
		{"提出了几项原则?", kindNumber},
		{"Which countries attended?", kindList},
		{"哪些公司参加了大会?", kindList},
		{"Why did the firms decline?", kindOther},
	}
	for _, tt := range tests {
		if got := classify(tt.q); got != tt.want {
			t.Errorf("classify(%q) = %d; want %d", tt.q, got, tt.want)
		}
	}
}

// An answer cue counts only near the question's words, in the same
// sentence: a date elsewhere in the passage answers nothing.
func TestHasCue(t *testing.T) {
	text := "the Bandung meeting took place in 1955. Many things happened in 1999."
	at := func(word string) []occurrence {
		i := indexOf(text, word)
		return []occurrence{{start: i, end: i + len(word)}}
	}
	if !hasCue(kindTime, text, sentenceSpans(text), at("Bandung"), 80) {
		t.Errorf("hasCue(time) near %q = false; want true", "Bandung")
	}
	if hasCue(kindTime, text, sentenceSpans(text), at("Bandung"), 5) {
		t.Errorf("hasCue(time) with reach 5 = true; want false (the year is 30 bytes away)")
	}
	if hasCue(kindPerson, text, sentenceSpans(text), at("Bandung"), 80) {
		t.Errorf("hasCue(person) = true; want false: no name but the matched words")
	}
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// The answer-cue patterns as regular expressions: what the scanners in
// cuescan.go replaced, and must match exactly.
var (
	definitionCueRE = regexp.MustCompile(`(?i)\b(refers?\s+to|is\s+(a|an|the)\b|are\s+(a|an|the)\b|means\b|stands\s+for|is\s+code\s+for|is\s+defined|i\.e\.|known\s+as|the\s+idea\s+that|the\s+notion|the\s+concept\s+of|is\s+to\b|core\s+idea|in\s+short|in\s+contrast)`)
	appositiveCueRE = regexp.MustCompile(`^\s*(?:\([^)]{1,30}\)\s*)?,\s+(?:a|an|the|who|one|China's|China’s)\b`)
	cueREs          = map[answerKind]*regexp.Regexp{
		kindTime:   regexp.MustCompile(`\b(1\d\d\d|20\d\d)s?\b|\b\d{1,4}\s*(BC|AD|BCE)\b|\b(January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|(?i:\b\d{1,2}\s*[ap]\.?m\.|\b(last|this|next)\s+(week|year|month)\b|\byears?\s+ago\b|\byesterday\b|\bcentury\b|\bcenturies\b)`),
		kindPerson: regexp.MustCompile(`\b(?:[A-Z][a-z]+\s+){1,2}[A-Z][a-z]+\b|(?i:\bby\s+[A-Z])|[\p{Han}]{2,4}（|\((?:[\p{Han}]{2,4})\)`),
		kindPlace:  regexp.MustCompile(`\b(?:in|at|to|from|near|outside(?:\s+of)?|across)\s+(?:the\s+)?\[?\p{Lu}|(?i:\b(?:province|city|town|village|capital|headquarters|country|region)\b)`),
		kindList:   regexp.MustCompile(`\b(?:such\s+as|like|including|included)\s+(?:the\s+)?\p{Lu}|\p{Lu}[\pL.-]*(?:\s+\p{Lu}[\pL.-]*)*(?:,\s*\p{Lu}[\pL.-]*(?:\s+\p{Lu}[\pL.-]*)*)*,?\s+(?:and|or)\s+(?:the\s+)?\p{Lu}`),
		kindNumber: regexp.MustCompile(`(?i)\b(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|hundred|thousand|million|billion|dozen|several|few)\b`),
	}
	cueKinds = []answerKind{kindTime, kindPerson, kindPlace, kindList, kindNumber}
)

// The question patterns as one expression each, before the Chinese forms
// were split from the English ones: classify must agree with them.
var questionREs = []struct {
	re   *regexp.Regexp
	kind answerKind
}{
	{regexp.MustCompile(`(?i)^\s*who\s+(is|are|was|were)\s+(the|a|an)\b`), kindPerson},
	{regexp.MustCompile(`(?i)^\s*who\s+(is|are|was|were)\b|^[^谁的]+是谁[?？]?\s*$`), kindDefinition},
	{regexp.MustCompile(`(?i)^\s*(when\b|what\s+(time|date|year|day|month)\b|which\s+(year|day|month|date)\b|in\s+what\s+(year|month)\b)|什么时候|何时|哪一?年|几点|哪一?天`), kindTime},
	{regexp.MustCompile(`(?i)^\s*(who|whom|whose)\b|谁`), kindPerson},
	{regexp.MustCompile(`(?i)^\s*where\b|哪里|在哪|哪儿`), kindPlace},
	{regexp.MustCompile(`(?i)^\s*how\s+(many|much|long|old|far|often|big|large|small|tall|high|wide)\b|多少|几[个项位次种条名]`), kindNumber},
	{regexp.MustCompile(`(?i)^\s*which\s+(\pL+\s+){0,2}?\pL+[^s\s]s\b|^\s*what\s+(\pL+\s+){0,2}?(countries|companies|governments|firms|organi[sz]ations|outlets|people|states|nations|groups|leaders|websites|sites|platforms|members|officials|representatives)\b|哪些`), kindList},
	{regexp.MustCompile(`(?i)^\s*(who\s+(is|are|was|were)\b|what\s+(is|are|was|were)\b|what's\b|what\s+does\b.*\bmean\b|define\b|meaning\s+of\b|explain\b)|是什么|什么意思|什么是`), kindDefinition},
}

// classifyRE is classify with the one-expression patterns.
func classifyRE(q string) answerKind {
	for _, p := range questionREs {
		if p.re.MatchString(q) {
			return p.kind
		}
	}
	return kindOther
}

// classify agrees with the one-expression patterns on every question of
// the evaluation sets, and on each with a Chinese form appended.
func TestClassifyMatchesRegexp(t *testing.T) {
	files, err := filepath.Glob("testdata/eval/*.jsonl")
	if err != nil || len(files) == 0 {
		t.Fatalf("eval sets: %v", err)
	}
	zh := []string{"", "是什么", "什么意思", "什么是", "什么时候", "何时", "哪一年", "哪年", "几点", "哪一天", "哪天", "谁", "哪里",
		"在哪", "哪儿", "哪些", "多少", "几个", "几名", "几", "哪一", "是谁", "是谁？ "}
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range questionsIn(t, data) {
			for _, z := range zh {
				q := q + z
				if got, want := classify(q), classifyRE(q); got != want {
					t.Errorf("classify(%q) = %d; want %d", q, got, want)
				}
				n++
			}
		}
	}
	t.Logf("%d questions", n)
}

// questionsIn returns every "q" string in the JSON lines of data.
func questionsIn(t *testing.T, data []byte) []string {
	t.Helper()
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == "q" {
					out = append(out, s)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var v any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		walk(v)
	}
	return out
}

func TestLeadWord(t *testing.T) {
	tests := []struct{ s, want string }{
		{"Who is Lu Wei?", "who"},
		{" \t\nHOW many", "how"},
		{"what's that", "what"},
		{"who\u017fe", "who"},
		{"Whichever", ""}, // longer than any lead
		{"\u00a0who", ""}, // not \s
		{"鲁炜是谁?", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := leadWord(tt.s); got != tt.want {
			t.Errorf("leadWord(%q) = %q; want %q", tt.s, got, tt.want)
		}
	}
}

func FuzzClassify(f *testing.F) {
	for _, q := range []string{"Who is Lu Wei?", "鲁炜是谁?", "Which countries attended?", "提出了几项原则?", "What year",
		" \tWHO is the author?", "who\u017fe book is it?", "Whichever way?", "in what year?", "Explaining it", "define:x"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if got, want := classify(q), classifyRE(q); got != want {
			t.Errorf("classify(%q) = %d; want %d", q, got, want)
		}
	})
}

// firstDefinition is where definitionCue's leftmost match starts in s, or
// -1: the scanner's answer to FindIndex.
func firstDefinition(s []byte) int {
	for p := 0; p < len(s); {
		if definitionAt(s, p) {
			return p
		}
		_, w := runeAt(s, p)
		p += w
	}
	return -1
}

// sameAsRegexp reports every difference between the scanners and the
// expressions on s.
func sameAsRegexp(t *testing.T, s string) {
	t.Helper()
	b := []byte(s)
	want := -1
	if loc := definitionCueRE.FindStringIndex(s); loc != nil {
		want = loc[0]
	}
	if got := firstDefinition(b); got != want {
		t.Errorf("firstDefinition(%q) = %d; want %d", s, got, want)
	}
	if got, want := appositive(b), appositiveCueRE.MatchString(s); got != want {
		t.Errorf("appositive(%q) = %v; want %v", s, got, want)
	}
	for _, k := range cueKinds {
		if got, want := cueMatcher(k)(b), cueREs[k].MatchString(s); got != want {
			t.Errorf("cueMatcher(%d)(%q) = %v; want %v", k, s, got, want)
		}
	}
}

// Each scanner on the forms it has to tell apart, including Go's own
// readings of the expressions it replaced: ASCII \b and \s, (?i) folding k
// to the Kelvin sign and s to the long s, invalid UTF-8.
func TestCueScanners(t *testing.T) {
	tests := []struct {
		name string
		kind answerKind // kindDefinition: definitionBefore(s, len(s)) || appositive(s)
		s    string
		want bool
	}{
		{"definition refers to", kindDefinition, " refers to the right", true},
		{"definition refer to", kindDefinition, "Refer\tTO x", true},
		{"definition is a word", kindDefinition, " is a right", true},
		{"definition is apt", kindDefinition, " is apt to", false},
		{"definition is an", kindDefinition, " is an idea", true},
		{"definition means", kindDefinition, " means that", true},
		{"definition meanstream", kindDefinition, " meanstream", false},
		{"definition inside a word", kindDefinition, " this a word", false},
		{"definition i.e.", kindDefinition, " (i.e. the state)", true},
		{"definition long s", kindDefinition, " i\u017f the state", true},
		{"definition Kelvin after a letter", kindDefinition, "x\u212anown as", true},
		{"definition Kelvin after a space", kindDefinition, " \u212anown as", false},
		{"definition known", kindDefinition, " known  as", true},
		{"definition the concept of", kindDefinition, " the concept of", true},
		{"definition in contrast", kindDefinition, "; in contrast", true},
		{"definition none", kindDefinition, " was held in Wuzhen", false},
		{"appositive the", kindDefinition, ", the head of", true},
		{"appositive gloss", kindDefinition, " (方可成), a former journalist", true},
		{"appositive long gloss", kindDefinition, " (" + strings.Repeat("x", 31) + "), a", false},
		{"appositive China’s", kindDefinition, ", China’s top", true},
		{"appositive no space", kindDefinition, ",the head", false},
		{"time year", kindTime, "in 1955.", true},
		{"time decade", kindTime, "the 1990s saw", true},
		{"time year and letters", kindTime, "1990sx", false},
		{"time five digits", kindTime, "19550", false},
		{"time 1700", kindTime, "1700", true},
		{"time 0999", kindTime, "0999", false},
		{"time 2100", kindTime, "2100", false},
		{"time BC", kindTime, "in 430 BC.", true},
		{"time BCE no space", kindTime, "430BCE", true},
		{"time AD lower", kindTime, "430 ad", false},
		{"time five digits BC", kindTime, "12345 BC", false},
		{"time BC then letter", kindTime, "430 BCX", false},
		{"time centuries", kindTime, "the 10th and 11th Centuries", true},
		{"time centurion", kindTime, "a centurion", false},
		{"time month", kindTime, "on November 20", true},
		{"time month lower", kindTime, "november", false},
		{"time pm", kindTime, "At 11p.m. on", true},
		{"time am spaced", kindTime, "8 AM. then", true},
		{"time three digits pm", kindTime, "123pm.", false},
		{"time last year", kindTime, "LAST Year", true},
		{"time last weekend", kindTime, "last weekend", false},
		{"time Kelvin week", kindTime, "last wee\u212a", false},
		{"time Kelvin week then letter", kindTime, "last wee\u212ax", true},
		{"time years ago", kindTime, "two years ago.", true},
		{"time yesterday", kindTime, "Yesterday", true},
		{"time years tab ago", kindTime, "two years\tago", true},
		{"time year ago", kindTime, "a year\nago", true},
		{"person two names", kindPerson, "said Lu Wei today", true},
		{"person one name", kindPerson, "said Lu today", false},
		{"person name and digit", kindPerson, "Lu Wei2", false},
		{"person by", kindPerson, "written by him", true},
		{"person by long s", kindPerson, "by \u017f", true},
		{"person Chinese", kindPerson, "鲁炜（Lu Wei）", true},
		{"person one Han", kindPerson, "x鲁（", false},
		{"person Han in brackets", kindPerson, "Fang (方可成) said", true},
		{"person five Han in brackets", kindPerson, "(方可成方可成)", false},
		{"place in", kindPlace, "held in Wuzhen", true},
		{"place in the", kindPlace, "in the United States", true},
		{"place outside of", kindPlace, "outside of the Kremlin", true},
		{"place bracket", kindPlace, "in [Beijing]", true},
		{"place lower", kindPlace, "in wuzhen", false},
		{"place word", kindPlace, "the CAPITAL", true},
		{"place word inside", kindPlace, "capitals", false},
		{"list such as", kindList, "such as Google", true},
		{"list like the", kindList, "like the Netherlands", true},
		{"list names", kindList, "Russia, Iran and China", true},
		{"list one name", kindList, "Russia and China", true},
		{"list capital inside", kindList, "xYz or Bob", true},
		{"list comma", kindList, "U.S., and the UK", true},
		{"list lower", kindList, "russia and china", false},
		{"number digits", kindNumber, "about 1,000 people", true},
		{"number digits then letters", kindNumber, "12ab", false},
		{"number decimal then letters", kindNumber, "1.5ab", true},
		{"number word", kindNumber, "Several", true},
		{"number inside", kindNumber, "often", false},
		{"number long s", kindNumber, "x\u017fix ", true},
		{"invalid UTF-8", kindNumber, "\xff12\xfe", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := []byte(tt.s)
			var got bool
			if tt.kind == kindDefinition {
				got = definitionBefore(b, len(b)) || appositive(b)
			} else {
				got = cueMatcher(tt.kind)(b)
			}
			if got != tt.want {
				t.Errorf("cue %d on %q = %v; want %v", tt.kind, tt.s, got, tt.want)
			}
			sameAsRegexp(t, tt.s)
		})
	}
}

// The scanners agree with the expressions on windows of every text in
// the embedded corpus and the test data: starting at every word, 40 and
// 160 bytes long (cut anywhere, also inside a character), as hasCue cuts
// them.
func TestCueScannersMatchRegexp(t *testing.T) {
	var files []string
	for _, pattern := range []string{"corpus/*.txt", "testdata/eval/*.jsonl", "testdata/formats/*"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no texts")
	}
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(data) {
			continue // binary formats
		}
		text := string(data)
		for i := 0; i < len(text); i++ {
			if i > 0 && text[i-1] != ' ' && text[i-1] != '\n' {
				continue
			}
			for _, l := range []int{40, 160} {
				sameAsRegexp(t, text[i:min(len(text), i+l)])
				n++
			}
		}
		if t.Failed() {
			return
		}
	}
	t.Logf("%d windows", n)
}

func FuzzCueScanners(f *testing.F) {
	for _, s := range []string{
		" refers to the right", "x\u212anown as", ", the head of", " (方可成), a former",
		"the 1990s saw", "At 11p.m. on", "last wee\u212ax", "two years ago", "said Lu Wei today",
		"by \u017f", "鲁炜（Lu Wei）", "outside of the Kremlin", "in [Beijing]",
		"Russia, Iran and the China", "U.S., and the UK", "1.5ab", "x\u017fix ", "\xff12\xfe",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sameAsRegexp(t, s)
	})
}
