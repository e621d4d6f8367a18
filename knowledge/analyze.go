package knowledge

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"golang.org/x/text/unicode/norm"
)

// analyzers are the index's analysers, fetched once; they are stateless
// and safe for concurrent use.
type analyzers struct {
	en      analysis.Analyzer // tokens as indexed in text and title
	cjk     analysis.Analyzer // tokens as indexed in text_cjk
	surface analysis.Analyzer // tokens before stop words and stemming
	stop    analysis.TokenMap
}

func newAnalyzers(m mapping.IndexMapping) analyzers {
	return analyzers{
		en:  m.AnalyzerNamed(en.AnalyzerName),
		cjk: m.AnalyzerNamed(cjk.AnalyzerName),
		surface: &analysis.DefaultAnalyzer{
			Tokenizer:    unicodetok.NewUnicodeTokenizer(),
			TokenFilters: []analysis.TokenFilter{en.NewPossessiveFilter(), lowercase.NewLowerCaseFilter()},
		},
		stop: stopWords(),
	}
}

func stopWords() analysis.TokenMap {
	m := analysis.NewTokenMap()
	if err := m.LoadBytes(en.EnglishStopWords); err != nil {
		panic(err) // bleve's own list; cannot fail
	}
	return m
}

// stems returns the English-analysed terms of s, in order.
func (a analyzers) stems(s string) []string {
	ts := a.en.Analyze([]byte(s))
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		if !hasCJK(string(t.Term)) {
			out = append(out, string(t.Term))
		}
	}
	return out
}

// cjkTerms returns the CJK-analysed terms (bigrams) of the CJK characters of s.
func (a analyzers) cjkTerms(s string) []string {
	c := cjkOnly(s)
	if c == "" {
		return nil
	}
	ts := a.cjk.Analyze([]byte(c))
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, string(t.Term))
	}
	return out
}

func hasCJK(s string) bool {
	for _, r := range s {
		if isCJK(r) {
			return true
		}
	}
	return false
}

// ansiEscape matches terminal escape sequences pasted into a question.
var ansiEscape = regexp.MustCompile(`\x1b(\[[0-9;?]*[ -/]*[@-~]|[@-Z\\-_])`)

// normalizeQuestion makes user text safe to analyse: Unicode NFKC (full-width
// letters become ASCII); invisible format marks (zero-width joiners and
// spaces, bidi overrides, soft hyphens) are removed so that words split by
// them join up again; terminal escapes are removed; control characters and
// chat markdown (*_~`|) become spaces, and runs of space collapse.
func normalizeQuestion(s string) string {
	s = ansiEscape.ReplaceAllString(s, " ")
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		if unicode.Is(unicode.Cf, r) {
			continue
		}
		if r == unicode.ReplacementChar || unicode.IsControl(r) || unicode.IsSpace(r) ||
			strings.ContainsRune("*_~`|", r) {
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		b.WriteRune(r)
		space = false
	}
	return strings.TrimSpace(b.String())
}

// chineseFunctionWords are question and function words that carry no topic,
// the CJK counterpart of English stop words ("什么意思" = "what does it mean").
var chineseFunctionWords = []string{
	"是什么意思", "什么意思", "是什么", "什么时候", "为什么", "怎么样", "怎么", "什么", "哪一年", "哪些", "哪个", "多少", "何时", "哪儿",
	"哪里", "如何", "请问", "意思", "有没有", "是不是", "谁", "吗", "呢", "吧", "的", "了", "是", "在", "和", "与",
	"这", "那", "这些", "那些", "这个", "那个", "把", "被", "对", "向", "从", "有", "也", "都", "就", "还", "又",
}

// chineseFunctionWord is chineseFunctionWords as a set, for dropping
// dictionary words.
var chineseFunctionWord = func() map[string]bool {
	m := make(map[string]bool, len(chineseFunctionWords))
	for _, w := range chineseFunctionWords {
		m[w] = true
	}
	return m
}()

// dropChinesePhrases blanks the function words of two or more characters
// out of s, before it is segmented into words: "是什么" is no word, while
// a single-character function word must not be cut out of a word (在 of
// 现在), so single characters are dropped after segmentation.
func dropChinesePhrases(s string) string {
	for _, w := range chineseFunctionWords {
		if utf8.RuneCountInString(w) > 1 {
			s = strings.ReplaceAll(s, w, " ")
		}
	}
	return s
}

// dropChineseFunctionWords blanks Chinese function words out of s.
func dropChineseFunctionWords(s string) string {
	if !hasCJK(s) {
		return s
	}
	for _, w := range chineseFunctionWords {
		s = strings.ReplaceAll(s, w, " ")
	}
	return s
}
