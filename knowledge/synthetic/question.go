package synthetic

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/govbot-dev/govbot/knowledge/thesaurus"
)

// Kind says how a question was made from its passage.
type Kind int

const (
	// Exact: 2 to 5 neighbouring content words of a passage, as written.
	Exact Kind = iota
	// Paraphrased: as Exact, with up to two words replaced by WordNet
	// synonyms, or with another inflection and word order.
	Paraphrased
	// Misspelt: as Exact, with one edit in a word of five or more letters.
	Misspelt
	// Absent: about words that occur nowhere in the corpus, sometimes
	// beside a word that does; the engine should abstain.
	Absent
)

func (k Kind) String() string {
	switch k {
	case Exact:
		return "exact"
	case Paraphrased:
		return "paraphrased"
	case Misspelt:
		return "misspelt"
	case Absent:
		return "absent"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Share of each kind of question, cumulative.
const (
	shareExact       = 0.50
	shareParaphrased = shareExact + 0.20
	shareMisspelt    = shareParaphrased + 0.20
)

// Question is a question about a synthetic corpus, with the passage its
// words were taken from.
type Question struct {
	Text    string
	Kind    Kind
	DocID   string // the passage's document id; "" for Absent
	Ordinal int    // the passage's 1-based ordinal in its document; 0 for Absent
}

// templates frame a question's words the way people ask.
var templates = []string{
	"What is %s?", "What are %s?", "Who %s?", "When did %s?", "Why did %s?",
	"How %s?", "%s", "%s?", "Tell me about %s.", "What does it say about %s?",
	"Where %s?", "Which %s?",
}

// Questions returns n questions about the corpus, generated from seed
// (independently of the corpus's own seed): half of them Exact and a fifth
// each Paraphrased and Misspelt, about passages chosen uniformly, and a
// tenth Absent.
func (c *Corpus) Questions(n int, seed uint64) []Question {
	r := rand.New(rand.NewPCG(seed, streamQuestion))
	th := thesaurus.WordNet()
	out := make([]Question, 0, n)
	for len(out) < n {
		i := r.IntN(c.Passages())
		text, docID, ord := c.Passage(i)
		words := c.contentWords(text)
		k := 2 + r.IntN(4)
		if len(words) < k {
			continue
		}
		s := r.IntN(len(words) - k + 1)
		pick := append([]string(nil), words[s:s+k]...)
		q := Question{Kind: Exact, DocID: docID, Ordinal: ord}
		switch x := r.Float64(); {
		case x < shareExact:
		case x < shareParaphrased:
			q.Kind = Paraphrased
			paraphrase(r, th, pick)
		case x < shareMisspelt:
			if misspell(r, pick) {
				q.Kind = Misspelt
			}
		default:
			q = Question{Kind: Absent}
			pick = c.absent(r, pick)
		}
		q.Text = fmt.Sprintf(templates[r.IntN(len(templates))], strings.Join(pick, " "))
		out = append(out, q)
	}
	return out
}

// contentWords returns the words of text a person might ask about, in
// order: not function words, at least four letters, lower-cased unless
// they are names.
func (c *Corpus) contentWords(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(text, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-')
	}) {
		lw := strings.ToLower(w)
		if len(w) < 4 || c.isFunction(lw) {
			continue
		}
		if c.vocab.known[lw] && !isName(w) {
			w = lw
		}
		out = append(out, w)
	}
	return out
}

func (c *Corpus) isFunction(w string) bool {
	for _, f := range c.vocab.words[:c.vocab.functions] {
		if f == w {
			return true
		}
	}
	return false
}

func isName(w string) bool {
	for _, n := range givenNames {
		if n == w {
			return true
		}
	}
	for _, n := range surnames {
		if n == w {
			return true
		}
	}
	return false
}

// paraphrase replaces up to two words with WordNet synonyms; when none
// has one, it inflects a word and reverses the order.
func paraphrase(r *rand.Rand, th thesaurus.Table, words []string) {
	replaced := 0
	for _, i := range r.Perm(len(words)) {
		syn := th.Synonyms(words[i], 4)
		var plain []string
		for _, s := range syn {
			if !strings.ContainsAny(s, "-_ '") {
				plain = append(plain, s)
			}
		}
		if len(plain) == 0 {
			continue
		}
		words[i] = plain[r.IntN(len(plain))]
		if replaced++; replaced == 2 {
			return
		}
	}
	if replaced > 0 {
		return
	}
	i := r.IntN(len(words))
	if w := words[i]; strings.HasSuffix(w, "s") {
		words[i] = strings.TrimSuffix(w, "s")
	} else {
		words[i] = w + "s"
	}
	for a, b := 0, len(words)-1; a < b; a, b = a+1, b-1 {
		words[a], words[b] = words[b], words[a]
	}
}

// misspell makes one typing error in a word of five or more letters; it
// reports false when there is no such word.
func misspell(r *rand.Rand, words []string) bool {
	var long []int
	for i, w := range words {
		if len(w) >= 5 {
			long = append(long, i)
		}
	}
	if len(long) == 0 {
		return false
	}
	i := long[r.IntN(len(long))]
	w := []byte(words[i])
	p := 1 + r.IntN(len(w)-2) // never the first or last letter
	switch r.IntN(4) {
	case 0: // transposition
		if w[p] == w[p+1] {
			w = append(w[:p], w[p+1:]...)
		} else {
			w[p], w[p+1] = w[p+1], w[p]
		}
	case 1: // deletion
		w = append(w[:p], w[p+1:]...)
	case 2: // doubling
		w = append(w[:p+1], w[p:]...)
	default: // substitution
		const keys = "aeiourstnl"
		c := keys[r.IntN(len(keys))]
		if c == w[p] {
			c = 'y'
		}
		w[p] = c
	}
	words[i] = string(w)
	return true
}

// absent replaces the question's words with one or two words that occur
// in no corpus, keeping one of the original words half of the time.
func (c *Corpus) absent(r *rand.Rand, words []string) []string {
	var out []string
	if r.IntN(2) == 0 {
		out = append(out, words[r.IntN(len(words))])
	}
	for range 1 + r.IntN(2) {
		for {
			var b strings.Builder
			for range 2 + r.IntN(2) {
				b.WriteString(absentSyllables[r.IntN(len(absentSyllables))])
			}
			if w := b.String(); !c.vocab.known[w] {
				out = append(out, w)
				break
			}
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}
