// Package cedict maps Chinese words to short English glosses, from
// CC-CEDICT (https://cc-cedict.org, published by MDBG under the Creative
// Commons Attribution-ShareAlike 4.0 licence; see COPYING). The data,
// cedict.tsv.gz, is a compact extract made by internal/gen: each word's
// first four glosses of at most three words, without classifiers, cross
// references and remarks.
package cedict

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed cedict.tsv.gz
var data []byte

// Dictionary looks words up. The data is decompressed on first use (tens
// of milliseconds) and searched in place, so programs that never see a
// Chinese question never pay for it. Safe for concurrent use; the zero
// value is not usable, call New.
type Dictionary struct {
	once   sync.Once
	text   string  // the lines, sorted by word: word TAB glosses [TAB pinyin]
	lines  []int32 // start of each line in text
	maxLen int     // longest word, in runes
	err    error
}

// New returns the embedded dictionary, not yet loaded.
func New() *Dictionary { return &Dictionary{} }

func (d *Dictionary) load() {
	d.once.Do(func() {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			d.err = err
			return
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			d.err = err
			return
		}
		d.text = string(b)
		d.lines = make([]int32, 0, 150000)
		for i := 0; i < len(d.text); {
			d.lines = append(d.lines, int32(i))
			tab := strings.IndexByte(d.text[i:], '\t')
			if tab > 0 {
				d.maxLen = max(d.maxLen, utf8.RuneCountInString(d.text[i:i+tab]))
			}
			nl := strings.IndexByte(d.text[i:], '\n')
			if nl < 0 {
				break
			}
			i += nl + 1
		}
	})
}

// entry returns the fields after the word of word's line, or false.
func (d *Dictionary) entry(word string) (glosses, pinyin string, ok bool) {
	d.load()
	k := sort.Search(len(d.lines), func(i int) bool { return d.word(i) >= word })
	if k == len(d.lines) || d.word(k) != word {
		return "", "", false
	}
	line := d.text[int(d.lines[k])+len(word)+1:]
	if nl := strings.IndexByte(line, '\n'); nl >= 0 {
		line = line[:nl]
	}
	glosses, pinyin, _ = strings.Cut(line, "\t")
	return glosses, pinyin, true
}

// word is the word of line i.
func (d *Dictionary) word(i int) string {
	s := d.text[d.lines[i]:]
	if tab := strings.IndexByte(s, '\t'); tab >= 0 {
		return s[:tab]
	}
	return s
}

// Glosses returns the English glosses of a word, best first; nil when the
// dictionary does not have it.
func (d *Dictionary) Glosses(word string) []string {
	g, _, ok := d.entry(word)
	if !ok || g == "" {
		return nil
	}
	return strings.Split(g, "|")
}

// Pinyin returns the reading of a character in plain lower-case pinyin
// ("wu" for 乌), "" when unknown.
func (d *Dictionary) Pinyin(r rune) string {
	_, p, _ := d.entry(string(r))
	return p
}

// Segment splits a run of Chinese characters into words, longest
// dictionary word first from the left (forward maximum matching); a
// character that starts no word stands alone.
func (d *Dictionary) Segment(run string) []string {
	d.load()
	rs := []rune(run)
	var out []string
	for i := 0; i < len(rs); {
		n := 1
		for k := min(d.maxLen, len(rs)-i); k > 1; k-- {
			if g, _, ok := d.entry(string(rs[i : i+k])); ok && g != "" {
				n = k
				break
			}
		}
		out = append(out, string(rs[i:i+n]))
		i += n
	}
	return out
}
