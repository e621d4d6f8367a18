package knowledge

import (
	"context"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// reader is what answering a question reads from: one generation, or
// several generations read as one corpus (a union). Implementations are
// used by one question at a time while the engines they come from hold
// their read locks.
type reader interface {
	stats() termStats
	search(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error)
	passages(ctx context.Context, ids []string) (map[string]Passage, error)
	source(id string) (Source, bool)
}

var (
	_ reader = (*generation)(nil)
	_ reader = (*union)(nil)
)

func (g *generation) stats() termStats { return genStats{g: g} }

func (g *generation) search(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	return g.idx.SearchInContext(ctx, req)
}

// hasDoc reports whether g has document id, without reading it.
func (g *generation) hasDoc(id string) bool {
	if g.catalog == nil {
		return false
	}
	_, ok, err := g.catalog.index.Get([]byte(id))
	return err == nil && ok
}

// union reads several generations as one corpus: a question is ranked as
// if all their passages were in one index. Term statistics (passage
// count, document frequencies, field lengths, the word list for spelling
// corrections, related stems) are summed over the parts, and each part's
// bleve query is re-weighted so that its BM25 scores equal those the same
// passages would get in a single index holding every part (exactly for
// single terms; for phrases, by the ratio of the phrase's summed idfs).
//
// The first part is the base. Its documents listed in hidden, and those
// whose id a later part also has (the later part's document shadows it),
// are left out of every result; they still count in the statistics, as a
// deleted document does in a search engine until its segment is merged.
type union struct {
	an     analyzers
	parts  []*generation
	hidden map[string]bool // base document ids left out
	n      int             // passages in all parts
	lens   map[string]int  // field lengths summed over the parts
}

// newUnion reads parts (base first) as one corpus without the base's
// hidden documents. hidden is not copied: the caller must not change it
// while the union is in use.
func newUnion(an analyzers, parts []*generation, hidden map[string]bool) (*union, error) {
	u := &union{an: an, parts: parts, hidden: hidden}
	for _, g := range parts {
		u.n += g.vocab.n
	}
	if len(parts) > 1 {
		u.lens = dictionarySizes(parts)
	}
	return u, nil
}

// dictionarySizes is, for every field a question's query can name, the
// number of distinct terms the parts have in it together: what bleve's
// BM25 takes as the field's cardinality (the average field length is
// that over the number of passages). Each part's own counts, and the
// overlap of a later part with the base, are counted once and kept
// (unionCache), so a question pays map look-ups.
func dictionarySizes(parts []*generation) map[string]int {
	out := maps.Clone(parts[0].counts().terms)
	for _, g := range parts[1:] {
		own, shared := g.counts(), g.overlapWith(parts[0])
		for f, n := range own.terms {
			out[f] += n - shared.terms[f]
		}
	}
	return out
}

// unionCache is what a generation keeps for reading it with others: its
// distinct terms per field (and documents, as the doc_id field's), and
// how many of those the base it was last read with also has.
type unionCache struct {
	mu          sync.Mutex
	own         *termCounts
	overlapBase *generation
	overlap     *termCounts
	ids         []string // its document ids
}

type termCounts struct {
	terms map[string]int // field -> distinct terms (fieldDocID: documents)
}

// counts returns g's distinct terms per field, counted on first use.
func (g *generation) counts() *termCounts {
	g.shared.mu.Lock()
	defer g.shared.mu.Unlock()
	if g.shared.own == nil {
		c := &termCounts{terms: map[string]int{fieldDocID: g.manifest.Documents}}
		g.eachTerm(func(field, _ string) { c.terms[field]++ })
		g.shared.own = c
	}
	return g.shared.own
}

// overlapWith returns how many of g's distinct terms per field (and
// documents) base has too, counted once per base.
func (g *generation) overlapWith(base *generation) *termCounts {
	g.shared.mu.Lock()
	defer g.shared.mu.Unlock()
	if g.shared.overlapBase != base || g.shared.overlap == nil {
		c := &termCounts{terms: map[string]int{}}
		g.eachTerm(func(field, term string) {
			if base.vocab.df(field, term) > 0 {
				c.terms[field]++
			}
		})
		for _, id := range g.docIDsLocked() {
			if base.hasDoc(id) {
				c.terms[fieldDocID]++
			}
		}
		g.shared.overlapBase, g.shared.overlap = base, c
	}
	return g.shared.overlap
}

// docIDs returns g's document ids, read once.
func (g *generation) docIDs() []string {
	g.shared.mu.Lock()
	defer g.shared.mu.Unlock()
	return g.docIDsLocked()
}

func (g *generation) docIDsLocked() []string {
	if g.shared.ids == nil {
		all, _ := g.catalog.all()
		ids := make([]string, 0, len(all))
		for _, s := range all {
			ids = append(ids, s.ID)
		}
		g.shared.ids = ids
	}
	return g.shared.ids
}

// eachTerm calls f for every term of g's vocabulary.
func (g *generation) eachTerm(f func(field, term string)) {
	if g.vocab.fst == nil {
		return
	}
	it, err := g.vocab.fst.Iterator(nil, nil)
	for err == nil {
		k, _ := it.Current()
		if field, term, ok := strings.Cut(string(k), "\x00"); ok {
			f(field, term)
		}
		err = it.Next()
	}
}

// excluded reports whether document id of part i is left out.
func (u *union) excluded(i int, id string) bool {
	if i > 0 {
		return false
	}
	if u.hidden[id] {
		return true
	}
	for _, g := range u.parts[1:] {
		if g.hasDoc(id) {
			return true
		}
	}
	return false
}

// owner returns the part that serves document id, or -1.
func (u *union) owner(id string) int {
	for i := len(u.parts) - 1; i >= 0; i-- {
		if u.parts[i].hasDoc(id) && !u.excluded(i, id) {
			return i
		}
	}
	return -1
}

func (u *union) source(id string) (Source, bool) {
	if i := u.owner(id); i >= 0 {
		s, ok := u.parts[i].source(id)
		s.Origin = origin(i)
		return s, ok
	}
	return Source{}, false
}

func (u *union) passages(ctx context.Context, ids []string) (map[string]Passage, error) {
	byPart := make([][]string, len(u.parts))
	for _, id := range ids {
		doc, _, _ := strings.Cut(id, "#")
		if i := u.owner(doc); i >= 0 {
			byPart[i] = append(byPart[i], id)
		}
	}
	out := make(map[string]Passage, len(ids))
	for i, pids := range byPart {
		if len(pids) == 0 {
			continue
		}
		ps, err := u.parts[i].passages(ctx, pids)
		if err != nil {
			return nil, err
		}
		for id, p := range ps {
			out[id] = p
		}
	}
	return out, nil
}

// exclusions returns the base document ids left out, sorted.
func (u *union) exclusions() []string {
	var out []string
	for id := range u.hidden {
		if u.parts[0].hasDoc(id) {
			out = append(out, id)
		}
	}
	for _, g := range u.parts[1:] {
		for _, id := range g.docIDs() {
			if u.parts[0].hasDoc(id) && !u.hidden[id] {
				out = append(out, id)
			}
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// search runs req on every part, each with its re-weighted query, the
// union's BM25 statistics and the base's exclusions, and merges the hits
// by score. Requests sorted by anything but score are not supported.
func (u *union) search(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	size := req.Size + req.From
	merged := &bleve.SearchResult{Request: req, Status: &bleve.SearchStatus{}}
	for i, g := range u.parts {
		child := *req
		child.From, child.Size = 0, size
		var fix float64
		child.Query, fix = u.reweigh(req.Query, i)
		if i == 0 {
			if ex := u.exclusions(); len(ex) > 0 {
				child.Query = withoutDocs(child.Query, ex)
			}
		}
		if len(u.parts) > 1 {
			child.PreSearchData = map[string]interface{}{
				search.BM25PreSearchDataKey: &search.BM25Stats{DocCount: float64(u.n), FieldCardinality: u.lens},
			}
		}
		res, err := g.idx.SearchInContext(ctx, &child)
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			h.Score *= fix
		}
		merged.Hits = append(merged.Hits, res.Hits...)
		merged.Total += res.Total
		merged.Took += res.Took
		merged.MaxScore = math.Max(merged.MaxScore, res.MaxScore*fix)
	}
	sort.SliceStable(merged.Hits, func(a, b int) bool {
		if merged.Hits[a].Score != merged.Hits[b].Score {
			return merged.Hits[a].Score > merged.Hits[b].Score
		}
		return merged.Hits[a].ID < merged.Hits[b].ID
	})
	if len(merged.Hits) > size {
		merged.Hits = merged.Hits[:size]
	}
	merged.Hits = merged.Hits[min(req.From, len(merged.Hits)):]
	return merged, nil
}

// withoutDocs is q without the passages of the documents ids. The
// excluded clause does not take part in scoring.
func withoutDocs(q query.Query, ids []string) query.Query {
	not := make([]query.Query, len(ids))
	for i, id := range ids {
		tq := bleve.NewTermQuery(id)
		tq.SetField(fieldDocID)
		not[i] = tq
	}
	return query.NewBooleanQuery([]query.Query{q}, nil, not)
}

// reweigh returns q for part i with the boost of each term and phrase
// clause scaled so that part i scores it as one index holding every
// part would, up to one factor per query: bleve multiplies a term's
// score by its idf twice (in the query weight and the field weight) and
// by a query norm, 1/sqrt(sum of the squared clause weights), which
// depends on the idfs too. The factor that remains is returned as
// normFix: multiply part i's scores by it.
func (u *union) reweigh(q query.Query, i int) (out query.Query, normFix float64) {
	if len(u.parts) == 1 {
		return q, 1
	}
	var wLocal, wGlobal float64
	out = u.reweighClause(q, i, &wLocal, &wGlobal)
	if wLocal <= 0 || wGlobal <= 0 {
		return out, 1
	}
	return out, math.Sqrt(wLocal / wGlobal)
}

// reweighClause rewrites q and adds its clauses' squared weights, as
// part i will compute them and as one index would, to wLocal and wGlobal.
func (u *union) reweighClause(q query.Query, i int, wLocal, wGlobal *float64) query.Query {
	leaf := func(boost float64, field string, terms []string) float64 {
		var num, den float64
		idfs := make([][2]float64, len(terms))
		for k, t := range terms {
			df := 0
			for _, g := range u.parts {
				df += g.vocab.df(field, t)
			}
			gl, lo := bm25IDF(u.n, df), bm25IDF(u.n, u.parts[i].vocab.df(field, t))
			idfs[k] = [2]float64{gl, lo}
			num += gl * gl
			den += lo * lo
		}
		scaled := boost
		if den > 0 && num > 0 {
			scaled = boost * num / den
		}
		for _, f := range idfs {
			*wGlobal += (boost * f[0]) * (boost * f[0])
			*wLocal += (scaled * f[1]) * (scaled * f[1])
		}
		return scaled
	}
	switch q := q.(type) {
	case *query.TermQuery:
		c := *q
		c.SetBoost(leaf(q.Boost(), q.FieldVal, []string{q.Term}))
		return &c
	case *query.MatchPhraseQuery:
		c := *q
		c.SetBoost(leaf(q.Boost(), q.FieldVal, u.phraseTerms(q.FieldVal, q.MatchPhrase)))
		return &c
	case *query.DisjunctionQuery:
		c := *q
		c.Disjuncts = make([]query.Query, len(q.Disjuncts))
		for j, d := range q.Disjuncts {
			c.Disjuncts[j] = u.reweighClause(d, i, wLocal, wGlobal)
		}
		return &c
	case *query.ConjunctionQuery:
		c := *q
		c.Conjuncts = make([]query.Query, len(q.Conjuncts))
		for j, d := range q.Conjuncts {
			c.Conjuncts[j] = u.reweighClause(d, i, wLocal, wGlobal)
		}
		return &c
	case query.BoostableQuery:
		// A constant-score clause (document ids): the same weight in
		// every index.
		b := q.Boost()
		*wLocal += b * b
		*wGlobal += b * b
	}
	return q
}

func (u *union) phraseTerms(field, text string) []string {
	a := u.an.en
	if field == fieldCJK {
		a = u.an.cjk
	}
	var out []string
	for _, t := range a.Analyze([]byte(text)) {
		out = append(out, string(t.Term))
	}
	return out
}

// bm25IDF is bleve's BM25 idf of a term found in df of n passages.
func bm25IDF(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

func (u *union) stats() termStats { return unionStats{u} }

// unionStats answers termStats questions for a union: sums over its parts.
type unionStats struct{ u *union }

func (s unionStats) docCount() int { return s.u.n }

func (s unionStats) df(field, term string) int {
	n := 0
	for _, g := range s.u.parts {
		n += g.vocab.df(field, term)
	}
	return n
}

func (s unionStats) related(stem string) []string {
	exists := func(t string) bool { return s.df(fieldText, t) > 0 }
	extensions := func(prefix string, extra int) []string {
		var out []string
		seen := map[string]bool{}
		for _, g := range s.u.parts {
			for _, t := range g.vocab.extensions(prefix, extra) {
				if !seen[t] {
					seen[t] = true
					out = append(out, t)
				}
			}
		}
		sort.Strings(out)
		return out
	}
	return relatedStems(stem, exists, extensions)
}

func (s unionStats) near(word string, edits, limit int) []fuzzyTerm {
	if len(s.u.parts) == 1 {
		return nearWords(s.u.parts[0].words, word, edits, limit)
	}
	byTerm := map[string]int{}
	var out []fuzzyTerm
	for _, g := range s.u.parts {
		// Each part's closest words, without its limit: a word common
		// only once the parts are summed must not be cut early.
		for _, f := range nearWords(g.words, word, edits, math.MaxInt) {
			if j, ok := byTerm[f.term]; ok {
				out[j].df += f.df
				continue
			}
			byTerm[f.term] = len(out)
			out = append(out, f)
		}
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
