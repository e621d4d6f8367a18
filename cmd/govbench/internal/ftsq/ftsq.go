// Package ftsq turns a question into the SQLite FTS5 query the benchmark's
// FTS5 peer runs: the question's words without English stop words, each
// quoted, joined with OR, and the SQL that ranks by bm25() with snippet().
package ftsq

import (
	"strings"
	"unicode"
)

// Schema creates the FTS5 table: passage text (porter stemming over the
// unicode61 tokenizer) and its id, stored but not indexed.
const Schema = `CREATE VIRTUAL TABLE passages USING fts5(text, id UNINDEXED, tokenize = 'porter unicode61')`

// Insert adds one passage.
const Insert = `INSERT INTO passages(text, id) VALUES(?, ?)`

// Search returns the three best passages by BM25 with a snippet of each.
const Search = `SELECT id, snippet(passages, 0, '[', ']', '…', 32) FROM passages
WHERE passages MATCH ? ORDER BY bm25(passages) LIMIT 3`

// stop is the Snowball English stop list (the one bleve's "en" analyser uses).
var stop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`i me my myself we our ours ourselves you your yours yourself yourselves
he him his himself she her hers herself it its itself they them their theirs themselves what which
who whom this that these those am is are was were be been being have has had having do does did
doing would should could ought i'm you're he's she's it's we're they're i've you've we've they've
i'd you'd he'd she'd we'd they'd i'll you'll he'll she'll we'll they'll isn't aren't wasn't
weren't hasn't haven't hadn't doesn't don't didn't won't wouldn't shan't shouldn't can't cannot
couldn't mustn't let's that's who's what's here's there's when's where's why's how's a an the and
but if or because as until while of at by for with about against between into through during
before after above below to from up down in out on off over under again further then once here
there when where why how all any both each few more most other some such no nor not only own same
so than too very`) {
		m[w] = true
	}
	return m
}()

// Query returns the FTS5 MATCH expression for question: its distinct
// words, lower-cased, stop words dropped, each quoted, joined with OR.
// It returns "" when no word is left.
func Query(question string) string {
	seen := map[string]bool{}
	var terms []string
	for _, w := range strings.FieldsFunc(strings.ToLower(question), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	}) {
		w = strings.Trim(w, "'")
		if w == "" || stop[w] || seen[w] {
			continue
		}
		seen[w] = true
		terms = append(terms, `"`+strings.ReplaceAll(w, `"`, `""`)+`"`)
	}
	return strings.Join(terms, " OR ")
}
