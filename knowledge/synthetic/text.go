package synthetic

import (
	"math/rand/v2"
	"strconv"
)

// Shape of the text.
const (
	minParagraphWords = 60
	maxParagraphWords = 120
	minSentenceWords  = 8
	maxSentenceWords  = 24
	maxParagraphBytes = 1200 // well under the chunker's 1,400-rune split
	topicWords        = 12   // words each document favours
	firstTopicRank    = 150  // topic words are drawn from ranks [firstTopicRank, 3000)
	lastTopicRank     = 3000
	inventedWords     = 1 << 18 // size of the invented-word tail
	people            = 3000    // distinct personal names in use

	// Zipf parameters: P(rank k) is proportional to (zipfV + k)^-zipfS.
	zipfS = 1.07
	zipfV = 2.0

	// Share of words that are not drawn from the vocabulary, cumulative.
	pName     = 0.006
	pNumber   = pName + 0.006
	pInvented = pNumber + 0.010
	pTopic    = pInvented + 0.090
	pComma    = 0.07 // a comma after a word inside a sentence
	pCJK      = 0.04 // a paragraph has a Chinese gloss
)

// header is what a document says about itself, and its topic words.
type header struct {
	title, author, published string
	topics                   []string
}

func (c *Corpus) header(d int) header {
	r := rand.New(rand.NewPCG(c.seed, streamDoc|uint64(d)))
	v := c.vocab
	h := header{topics: make([]string, topicWords)}
	for i := range h.topics {
		h.topics[i] = v.words[firstTopicRank+r.IntN(lastTopicRank-firstTopicRank)]
	}
	n := 3 + r.IntN(6)
	title := make([]byte, 0, 80)
	for i := range n {
		if i > 0 {
			title = append(title, ' ')
		}
		switch x := r.IntN(10); {
		case i > 0 && i < n-1 && x == 0:
			title = append(title, "of the"...)
		case x < 5:
			title = append(title, capitalize(h.topics[r.IntN(len(h.topics))])...)
		default:
			title = append(title, capitalize(v.words[v.functions+r.IntN(1000)])...)
		}
	}
	h.title = string(title)
	h.author = person(uint64(r.IntN(people)))
	h.published = strconv.Itoa(1995+r.IntN(32)) + "-" + pad2(1+r.IntN(12)) + "-" + pad2(1+r.IntN(28))
	return h
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func (h header) appendFrontMatter(b []byte) []byte {
	b = append(b, "---\ntitle: \""...)
	b = append(b, h.title...)
	b = append(b, "\"\nauthor: \""...)
	b = append(b, h.author...)
	b = append(b, "\"\npublished: \""...)
	b = append(b, h.published...)
	b = append(b, "\"\n---\n\n"...)
	return b
}

// appendPassage appends the text of global passage i, a paragraph of one
// line, and returns it with its number of words.
func (c *Corpus) appendPassage(b []byte, h header, i int) ([]byte, int) {
	r := rand.New(rand.NewPCG(c.seed, streamPassage|uint64(i)))
	v := c.vocab
	common := rand.NewZipf(r, zipfS, zipfV, uint64(len(v.words)-1))
	rare := rand.NewZipf(r, 1.2, 10, inventedWords-1)
	names := rand.NewZipf(r, 1.1, 5, people-1)
	target := minParagraphWords + r.IntN(maxParagraphWords-minParagraphWords+1)
	gloss := -1 // the word after which a Chinese gloss goes
	if r.Float64() < pCJK {
		gloss = r.IntN(target)
	}
	start := len(b)
	words := 0
	for words < target && len(b)-start < maxParagraphBytes {
		if words > 0 {
			b = append(b, ' ')
		}
		n := min(minSentenceWords+r.IntN(maxSentenceWords-minSentenceWords+1), target-words)
		for k := 0; k < n; k++ {
			if k > 0 {
				b = append(b, ' ')
			}
			w := len(b) // where the word starts, to capitalise it
			switch x := r.Float64(); {
			case x < pName:
				b = append(b, person(names.Uint64())...)
				words++
			case x < pNumber:
				b = appendNumber(b, r)
			case x < pInvented:
				b = append(b, invented(rare.Uint64())...)
			case x < pTopic:
				b = append(b, h.topics[r.IntN(len(h.topics))]...)
			default:
				word := v.words[common.Uint64()]
				if word == "i" {
					word = "I"
				}
				b = append(b, word...)
			}
			words++
			if k == 0 && b[w] >= 'a' && b[w] <= 'z' {
				b[w] -= 'a' - 'A'
			}
			if words-1 == gloss {
				b = appendGloss(b, r)
			}
			if k < n-1 && r.Float64() < pComma {
				b = append(b, ',')
			}
		}
		b = append(b, '.')
	}
	return b, words
}

// appendNumber appends a year, a count, a percentage or a decimal.
func appendNumber(b []byte, r *rand.Rand) []byte {
	switch r.IntN(4) {
	case 0:
		return strconv.AppendInt(b, int64(1950+r.IntN(80)), 10)
	case 1:
		return append(b, itoaGrouped(10+r.IntN(99990))...)
	case 2:
		b = strconv.AppendInt(b, int64(1+r.IntN(99)), 10)
		return append(b, " percent"...)
	default:
		b = strconv.AppendInt(b, int64(r.IntN(100)), 10)
		b = append(b, '.')
		return strconv.AppendInt(b, int64(r.IntN(10)), 10)
	}
}

// appendGloss appends a Chinese phrase of one to three words in brackets.
func appendGloss(b []byte, r *rand.Rand) []byte {
	b = append(b, " ("...)
	for range 1 + r.IntN(3) {
		b = append(b, cjkWords[r.IntN(len(cjkWords))]...)
	}
	return append(b, ')')
}
