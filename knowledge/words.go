package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"unicode"

	"github.com/blevesearch/vellum"
)

// The word list of a generation: every distinct word of the corpus as
// written (lower-cased, not stemmed), with the number of passages that
// contain it, in an FST. Spelling corrections are searched here, because
// a misspelt word often stems to something far from the stem of the word
// meant ("declaraton" stays "declaraton", "declaration" becomes "declar").
const wordsFile = "words.fst"

// wordCounter collects words while passages are indexed.
type wordCounter map[string]int

// add counts the distinct correctable words of one passage. ASCII text
// takes the fast path (surface.go), which gives the analyser's words.
func (wc wordCounter) add(a analyzers, text string) {
	var seen []string // a passage has a few dozen distinct words: a slice beats a map
	count := func(w []byte) {
		if len(w) < 4 || a.stop[string(w)] || !correctableASCII(w) {
			return
		}
		for _, s := range seen {
			if s == string(w) {
				return
			}
		}
		k := string(w)
		seen = append(seen, k)
		wc[k]++
	}
	if surfaceASCII(text, count) {
		return
	}
	seen = seen[:0]
	for _, t := range a.surface.Analyze([]byte(text)) {
		w := string(t.Term)
		if !correctable(w) || a.stop[w] || slices.Contains(seen, w) {
			continue
		}
		seen = append(seen, w)
		wc[w]++
	}
}

// correctableASCII is correctable for ASCII words, as surfaceASCII gives
// them (lower-cased letters, digits, _ . : ' ; ,).
func correctableASCII(w []byte) bool {
	for _, c := range w {
		if !(c >= 'a' && c <= 'z' || c == '\'') {
			return false
		}
	}
	return len(w) >= 4
}

// correctable reports whether w is a word worth correcting towards: at
// least 4 letters, no digits or CJK.
func correctable(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.IsLetter(r) && r != '-' && r != '\'' && r != '’' || isCJK(r) {
			return false
		}
		n++
	}
	return n >= 4
}

// write stores the word list in dir.
func (wc wordCounter) write(dir string) error {
	keys := make([]string, 0, len(wc))
	for w := range wc {
		keys = append(keys, w)
	}
	sort.Strings(keys)
	var buf bytes.Buffer
	b, err := vellum.New(&buf, nil)
	if err != nil {
		return fmt.Errorf("word list: %w", err)
	}
	for _, k := range keys {
		if err := b.Insert([]byte(k), uint64(wc[k])); err != nil {
			return fmt.Errorf("word list: %w", err)
		}
	}
	if err := b.Close(); err != nil {
		return fmt.Errorf("word list: %w", err)
	}
	return writeFileAtomic(filepath.Join(dir, wordsFile), buf.Bytes())
}

// loadWords reads a generation's word list.
func loadWords(dir string) (*vellum.FST, error) {
	f, err := vellum.Open(filepath.Join(dir, wordsFile)) // memory-mapped
	if err != nil {
		return nil, fmt.Errorf("load word list: %w", err)
	}
	return f, nil
}

// nearWords returns up to limit words of f within edits of word (an
// adjacent transposition counts as one edit), closest and most common
// first. Distances are counted in bytes, which for the ASCII words that
// are corrected equals characters. Safe for concurrent use.
func nearWords(f *vellum.FST, word string, edits, limit int) []fuzzyTerm {
	if f == nil || edits < 1 || edits > 2 || len(word) > 64 {
		return nil
	}
	it, err := f.Search(newEditAutomaton(word, edits), nil, nil)
	var out []fuzzyTerm
	for err == nil && len(out) < 256 {
		k, v := it.Current()
		if w := string(k); w != word {
			out = append(out, fuzzyTerm{term: w, edits: editDistance(word, w), df: int(v)})
		}
		err = it.Next()
	}
	if err != nil && !errors.Is(err, vellum.ErrIteratorDone) {
		return nil
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].edits != out[j].edits {
			return out[i].edits < out[j].edits
		}
		if out[i].df != out[j].df {
			return out[i].df > out[j].df
		}
		return out[i].term < out[j].term
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// editAutomaton accepts the strings within k edits (insertions, deletions,
// substitutions, adjacent transpositions) of a word. It computes the
// edit-distance table one row per input byte as the FST search walks, so
// nothing is precompiled: building a Levenshtein DFA per word, as vellum's
// builder does, costs far more than the search (0.4-1.5 ms per word).
// A state holds the previous and current rows and the byte that led to it;
// states live in an arena and are never shared, so one automaton serves
// one search.
type editAutomaton struct {
	w    []byte
	k    int8
	rows []int8 // state s: rows[s*2*(n+1) : (s+1)*2*(n+1)], previous row then current
	last []byte // state s: the byte that led to it
}

var _ vellum.Automaton = (*editAutomaton)(nil)

func newEditAutomaton(word string, k int) *editAutomaton {
	n := len(word)
	a := &editAutomaton{w: []byte(word), k: int8(k)}
	a.rows = make([]int8, 2*(n+1), 2*(n+1)*64)
	for i := 0; i <= n; i++ {
		a.rows[i] = a.k + 1                 // no previous row: unreachable
		a.rows[n+1+i] = min(int8(i), a.k+1) // the empty prefix: i deletions
	}
	a.last = append(a.last, 0)
	return a
}

func (a *editAutomaton) rowsOf(s int) (prev, cur []int8) {
	n := len(a.w)
	r := a.rows[s*2*(n+1) : (s+1)*2*(n+1)]
	return r[:n+1], r[n+1:]
}

func (a *editAutomaton) Start() int { return 0 }

func (a *editAutomaton) IsMatch(s int) bool {
	if s < 0 {
		return false
	}
	_, cur := a.rowsOf(s)
	return cur[len(a.w)] <= a.k
}

func (a *editAutomaton) CanMatch(s int) bool      { return s >= 0 }
func (a *editAutomaton) WillAlwaysMatch(int) bool { return false }

func (a *editAutomaton) Accept(s int, c byte) int {
	if s < 0 {
		return -1
	}
	n := len(a.w)
	width := 2 * (n + 1)
	base := len(a.rows)
	a.rows = append(a.rows, make([]int8, width)...)
	prev, cur := a.rowsOf(s)
	next := a.rows[base : base+width]
	copy(next[:n+1], cur)
	row := next[n+1:]
	row[0] = min(cur[0]+1, a.k+1)
	alive := row[0] <= a.k
	lastc := a.last[s]
	for j := 1; j <= n; j++ {
		cost := int8(1)
		if a.w[j-1] == c {
			cost = 0
		}
		v := min(cur[j-1]+cost, cur[j]+1, row[j-1]+1)
		if j > 1 && a.w[j-1] == lastc && a.w[j-2] == c {
			v = min(v, prev[j-2]+1) // transposition
		}
		row[j] = min(v, a.k+1)
		alive = alive || row[j] <= a.k
	}
	if !alive {
		a.rows = a.rows[:base]
		return -1
	}
	a.last = append(a.last, c)
	return base / width
}

// editDistance is the optimal-string-alignment distance between a and b
// in bytes (transpositions of adjacent bytes count as one edit).
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j-1]+cost, prev[j]+1, cur[j-1]+1)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
