package knowledge

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/govbot-dev/govbot/knowledge/cedict"
	"github.com/govbot-dev/govbot/knowledge/thesaurus"
)

// DefaultMaxFileSize is the largest corpus file loaded when Config.MaxFileSize is 0.
const DefaultMaxFileSize = 10 << 20

// DefaultLimit is the number of citations Ask returns by default.
const DefaultLimit = 3

// Config configures an Engine.
type Config struct {
	// CorpusDir is the directory of documents (searched recursively). Empty
	// means the embedded default corpus.
	CorpusDir string
	// IndexDir holds the persistent index. Empty means DefaultIndexDir(CorpusDir).
	IndexDir string
	// MaxFileSize bounds corpus files; larger ones are skipped. 0 means DefaultMaxFileSize.
	MaxFileSize int64
	// Logger receives warnings (skipped files, rebuilds). Nil discards them.
	Logger *slog.Logger
	// Progress, when set, is called while an index is built, after each
	// corpus file, with the bytes of corpus files read so far and in all.
	Progress func(done, total int)
	// Tuning, when set, replaces DefaultTuning() (tests, the fitting tool).
	Tuning *Tuning
	// TrustIndex makes Open use the current index of a CorpusDir as it is,
	// without comparing the corpus with it, when it was built from the same
	// directory: opening then takes the same time at any corpus size
	// (comparing file sizes and times costs one stat a file: about 50 ms
	// for 10,000 files). Reload and Rebuild still compare, so changes are
	// picked up by `govbot index` and reloads. The embedded corpus is
	// always compared (it costs microseconds).
	TrustIndex bool
}

// DefaultIndexDir is where the index of a corpus lives when no IndexDir is
// configured: under the user's cache directory (never in the work tree),
// or the system's temporary directory when there is no cache directory
// (no $HOME), one directory per corpus so the embedded corpus and a
// KNOWLEDGE_DIR do not rebuild each other's index.
func DefaultIndexDir(corpusDir string) (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = filepath.Join(os.TempDir(), fmt.Sprintf("govbot-cache-%d", os.Getuid()))
	}
	name := "embedded"
	if corpusDir != "" {
		abs, err := filepath.Abs(corpusDir)
		if err != nil {
			return "", fmt.Errorf("default index dir: %w", err)
		}
		sum := sha256.Sum256([]byte(abs))
		name = "dir-" + hex.EncodeToString(sum[:6])
	}
	return filepath.Join(cache, "govbot", "index", name), nil
}

// Engine answers questions from an indexed corpus. It is safe for
// concurrent use. Close it when done.
type Engine struct {
	cfg       Config
	log       *slog.Logger
	an        analyzers
	thesaurus wordSynonyms
	dict      translator // Chinese-English, loaded on the first Chinese question
	tune      Tuning

	reloadMu sync.Mutex // one reload at a time

	mu       sync.RWMutex // guards the fields below; searches hold it for reading
	gen      *generation
	syn      synonymSet
	loadedAt time.Time
	closed   bool
}

// Open loads the corpus, opens the index in cfg.IndexDir (building or
// rebuilding it when it does not match the corpus or is damaged) and
// returns a ready engine with a report of what was loaded.
func Open(ctx context.Context, cfg Config) (*Engine, Report, error) {
	if cfg.MaxFileSize <= 0 {
		cfg.MaxFileSize = DefaultMaxFileSize
	}
	if cfg.IndexDir == "" {
		d, err := DefaultIndexDir(cfg.CorpusDir)
		if err != nil {
			return nil, Report{}, err
		}
		cfg.IndexDir = d
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	e := &Engine{cfg: cfg, log: log, an: newAnalyzers(newMapping()), thesaurus: thesaurus.WordNet(), dict: cedict.New(), tune: DefaultTuning()}
	if cfg.Tuning != nil {
		e.tune = *cfg.Tuning
	}
	start := time.Now()
	g, rebuilt, synonyms, err := e.openOrBuild(ctx)
	if err != nil {
		return nil, Report{}, err
	}
	e.gen, e.syn, e.loadedAt = g, newSynonymSet(e.an, synonyms), time.Now()
	rep := report(nil, g, rebuilt, time.Since(start))
	if rebuilt {
		e.removeStale("")
	}
	return e, rep, nil
}

// openOrBuild opens the CURRENT generation when it matches the corpus, and
// builds a new one otherwise (with a warning when the old one is damaged).
// It also returns the admins' synonyms. When the corpus stamp (file sizes
// and times, stamp.go) matches the generation's, no document is read; a
// trusted generation (Config.TrustIndex) is opened without the stamp.
func (e *Engine) openOrBuild(ctx context.Context) (*generation, bool, [][]string, error) {
	name, err := readCurrent(e.cfg.IndexDir)
	if err != nil {
		e.log.Warn("index: rebuilding", "dir", e.cfg.IndexDir, "reason", err)
	}
	var g *generation
	if name != "" {
		if g, err = openGeneration(e.cfg.IndexDir, name); err != nil {
			e.log.Warn("index: damaged or outdated, rebuilding from the corpus", "dir", e.cfg.IndexDir, "generation", name, "reason", err)
			g = nil
		}
	}
	trusted := g != nil && e.trusted(g)
	stamp := ""
	if !trusted {
		if stamp, err = corpusStamp(ctx, e.cfg.CorpusDir); err != nil {
			stamp = "" // listCorpus below says what is wrong with the corpus
		}
	}
	if g != nil && (trusted || stamp != "" && g.stamp == stamp) {
		synonyms, err := loadSynonyms(e.cfg.CorpusDir)
		if err != nil {
			g.close()
			return nil, false, nil, err
		}
		return g, false, synonyms, nil
	}
	c, err := listCorpus(ctx, e.cfg.CorpusDir, e.cfg.MaxFileSize)
	if err != nil {
		g.close()
		return nil, false, nil, err
	}
	defer c.close()
	if g != nil {
		same, err := c.sameContent(ctx, g)
		if err != nil {
			g.close()
			return nil, false, nil, err
		}
		if same {
			e.adoptStamp(g, stamp)
			return g, false, c.synonyms, nil
		}
		g.close()
		e.log.Info("index: corpus changed, rebuilding", "dir", e.cfg.IndexDir)
	}
	g, skipped, err := buildGeneration(ctx, e.an, e.cfg.IndexDir, c, stamp, e.cfg.Progress)
	if errors.Is(err, ErrNoDocuments) {
		return nil, false, nil, err
	}
	if err != nil {
		return nil, false, nil, fmt.Errorf("build index in %s: %w", e.cfg.IndexDir, err)
	}
	for _, s := range skipped {
		e.log.Warn("corpus: skipped file", "path", s.Path, "reason", s.Reason)
	}
	return g, true, c.synonyms, nil
}

// trusted reports whether g may be used without comparing the corpus with
// it: TrustIndex is set and g was built from the same corpus directory.
func (e *Engine) trusted(g *generation) bool {
	if !e.cfg.TrustIndex || e.cfg.CorpusDir == "" || g.manifest.Root == "" {
		return false
	}
	abs, err := filepath.Abs(e.cfg.CorpusDir)
	return err == nil && abs == g.manifest.Root
}

// adoptStamp records stamp for g, whose content matches the corpus (files
// were touched, or the stamp was not yet trusted), so that the next open
// reads no document. Failing to record it (a read-only index directory)
// only costs that speed.
func (e *Engine) adoptStamp(g *generation, stamp string) {
	if stamp == "" || g.stamp == stamp {
		return
	}
	if err := writeStamp(g.dir, stamp); err != nil {
		e.log.Debug("index: cannot record the corpus stamp", "dir", g.dir, "err", err)
		return
	}
	g.stamp = stamp
}

// report compares the previous generation (nil when none) with the new one.
func report(old, g *generation, rebuilt bool, d time.Duration) Report {
	r := Report{
		Documents: g.manifest.Documents,
		Passages:  g.manifest.Passages,
		Skipped:   g.manifest.Skipped,
		Rebuilt:   rebuilt,
		Duration:  d,
	}
	if old == nil || old == g {
		return r
	}
	oldSources, err1 := old.catalog.byID()
	newSources, err2 := g.catalog.byID()
	if err1 != nil || err2 != nil {
		return r
	}
	for id, s := range newSources {
		o, ok := oldSources[id]
		switch {
		case !ok:
			r.Added = append(r.Added, id)
		case o.Hash != s.Hash:
			r.Changed = append(r.Changed, id)
		}
	}
	for id := range oldSources {
		if _, ok := newSources[id]; !ok {
			r.Removed = append(r.Removed, id)
		}
	}
	sort.Strings(r.Added)
	sort.Strings(r.Changed)
	sort.Strings(r.Removed)
	return r
}

// Reload re-reads the corpus and, when it changed, builds a new index and
// swaps it in atomically: questions are answered from the old index until
// the new one is ready. On failure the old index keeps serving and the
// error says why. The synonyms list is re-read either way.
func (e *Engine) Reload(ctx context.Context) (Report, error) {
	return e.reload(ctx, false)
}

// Rebuild is Reload that builds a new index even when the corpus has not
// changed (after a bleve upgrade, say, or to compact the index).
func (e *Engine) Rebuild(ctx context.Context) (Report, error) {
	return e.reload(ctx, true)
}

func (e *Engine) reload(ctx context.Context, force bool) (Report, error) {
	e.reloadMu.Lock()
	defer e.reloadMu.Unlock()
	start := time.Now()
	old, err := e.live()
	if err != nil {
		return Report{}, err
	}
	stamp, err := corpusStamp(ctx, e.cfg.CorpusDir)
	if err != nil {
		stamp = "" // listCorpus says what is wrong
	}
	keep := func(synonyms [][]string) (Report, error) {
		e.mu.Lock()
		e.syn = newSynonymSet(e.an, synonyms)
		e.mu.Unlock()
		return report(old, old, false, time.Since(start)), nil
	}
	if !force && stamp != "" && stamp == old.stamp {
		synonyms, err := loadSynonyms(e.cfg.CorpusDir)
		if err != nil {
			return Report{}, fmt.Errorf("reload: %w", err)
		}
		return keep(synonyms)
	}
	c, err := listCorpus(ctx, e.cfg.CorpusDir, e.cfg.MaxFileSize)
	if err != nil {
		return Report{}, fmt.Errorf("reload: %w", err)
	}
	defer c.close()
	syn := newSynonymSet(e.an, c.synonyms)
	if !force {
		same, err := c.sameContent(ctx, old)
		if err != nil {
			return Report{}, fmt.Errorf("reload: %w", err)
		}
		if same {
			e.adoptStamp(old, stamp)
			return keep(c.synonyms)
		}
	}
	g, _, err := buildGeneration(ctx, e.an, e.cfg.IndexDir, c, stamp, e.cfg.Progress)
	if errors.Is(err, ErrNoDocuments) {
		return Report{}, fmt.Errorf("reload: %w", err)
	}
	if err != nil {
		return Report{}, fmt.Errorf("reload: build index: %w", err)
	}
	rep := report(old, g, true, time.Since(start)) // before swap closes old
	if err := e.swap(g, syn); err != nil {
		return Report{}, err
	}
	return rep, nil
}

// Sync adopts an index that another process (govbot index) built in the
// same IndexDir since this engine last looked. It reports whether the live
// index changed. Call it periodically from long-running processes.
func (e *Engine) Sync(ctx context.Context) (bool, error) {
	e.reloadMu.Lock()
	defer e.reloadMu.Unlock()
	old, err := e.live()
	if err != nil {
		return false, err
	}
	name, err := readCurrent(e.cfg.IndexDir)
	if err != nil || name == "" || name == old.name {
		return false, err
	}
	g, err := openGeneration(e.cfg.IndexDir, name)
	if err != nil {
		return false, fmt.Errorf("sync: %w", err)
	}
	synonyms, err := loadSynonyms(e.cfg.CorpusDir)
	if err != nil {
		g.close()
		return false, fmt.Errorf("sync: %w", err)
	}
	return true, e.swap(g, newSynonymSet(e.an, synonyms))
}

// swap makes g live, then closes the previous generation once no search
// uses it and deletes generations nobody has open.
func (e *Engine) swap(g *generation, syn synonymSet) error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		g.close()
		return ErrClosed
	}
	old := e.gen
	e.gen, e.syn, e.loadedAt = g, syn, time.Now()
	e.mu.Unlock() // searches in flight held the read lock: none use old now
	if err := old.close(); err != nil {
		e.log.Warn("index: closing the previous index", "err", err)
	}
	e.removeStale(old.name)
	return nil
}

// removeStale deletes index generations nobody uses any more; closed is
// the one this engine just stopped using ("" for none).
func (e *Engine) removeStale(closed string) {
	e.mu.RLock()
	keep := e.gen.name
	e.mu.RUnlock()
	if err := removeStaleGenerations(e.cfg.IndexDir, keep, closed); err != nil {
		e.log.Warn("index: removing old indexes", "err", err)
	}
}

func (e *Engine) live() (*generation, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.closed {
		return nil, ErrClosed
	}
	return e.gen, nil
}

// Ask answers a question with at most opts.Limit citations, best first, or
// abstains. With opts.History it answers the question as the next turn of
// that conversation (followup.go). It returns ErrEmptyQuestion or
// ErrQuestionTooLong (wrapped) for unusable questions; in a conversation a
// question with nothing of its own to search for ("why?") is a follow-up,
// and ErrEmptyQuestion only when the history gives it no context either.
func (e *Engine) Ask(ctx context.Context, question string, opts AskOptions) (Answer, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.closed {
		return Answer{}, ErrClosed
	}
	return e.ask(ctx, e.gen, question, opts)
}

// ask is Ask over r (the live generation, or several read as one corpus:
// see view.go). Callers hold e.mu for reading.
func (e *Engine) ask(ctx context.Context, r reader, question string, opts AskOptions) (Answer, error) {
	limit := opts.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	if len(opts.History) > 0 {
		ans, err := e.askFollowUp(ctx, r, question, opts.History, limit)
		if err != nil {
			return Answer{}, fmt.Errorf("ask: %w", err)
		}
		return ans, nil
	}
	q, rk, texts, err := e.retrieve(ctx, r, question)
	if err != nil {
		return Answer{}, fmt.Errorf("ask: %w", err)
	}
	return e.answer(ctx, r, q, rk, texts, limit)
}

// answer decides whether the best of rk answers q, and cites it and the
// passages worth reading next to it, or abstains with the closest ones.
// Callers hold e.mu for reading.
func (e *Engine) answer(ctx context.Context, r reader, q parsedQuestion, rk ranking, texts map[string]Passage, limit int) (Answer, error) {
	ans := Answer{Question: q.text}
	hits := rk.hits
	bar := answersAbove(q)
	if !answers(q, hits) {
		return e.abstain(ctx, r, ans, q, hits, texts)
	}
	return e.cite(ctx, r, ans, q, hits, bar, limit, texts)
}

// abstain fills ans as an abstention with the closest passages.
func (e *Engine) abstain(ctx context.Context, r reader, ans Answer, q parsedQuestion, hits []ranked, texts map[string]Passage) (Answer, error) {
	var err error
	ans.Abstained = true
	ans.Closest, err = e.citations(ctx, r, q, hits, DefaultLimit, texts)
	return ans, err
}

// cite fills ans with the best hit, which answers, and the next ones while
// they cover enough of the question to be worth reading next to it.
func (e *Engine) cite(ctx context.Context, r reader, ans Answer, q parsedQuestion, hits []ranked, bar float64, limit int, texts map[string]Passage) (Answer, error) {
	n := 1
	for n < len(hits) && hits[n].answerability() >= e.tune.SupportShare*bar {
		n++
	}
	var err error
	ans.Citations, err = e.citations(ctx, r, q, hits[:n], limit, texts)
	return ans, err
}

// retrieve parses text, ranks candidates and refines the best of them:
// everything Ask and Search share. Callers hold e.mu for reading.
func (e *Engine) retrieve(ctx context.Context, r reader, text string) (parsedQuestion, ranking, map[string]Passage, error) {
	q, err := parseQuestion(&e.tune, e.an, e.syn, e.thesaurus, e.dict, r.stats(), text)
	if err != nil {
		return q, ranking{}, nil, err
	}
	rk, err := rank(ctx, r, q)
	if err != nil {
		return q, rk, nil, err
	}
	texts, err := e.refine(ctx, r, q, rk)
	return q, rk, texts, err
}

// refine loads the text of the best candidates, re-weighs their matches
// (refine.go) and answer cues (cue.go), and re-orders them. It returns the
// loaded passages by id. Callers hold e.mu for reading.
func (e *Engine) refine(ctx context.Context, r reader, q parsedQuestion, rk ranking) (map[string]Passage, error) {
	n := min(len(rk.hits), e.tune.RefineDepth)
	return e.refineN(ctx, r, q, rk, n)
}

// refineN refines the n best candidates.
func (e *Engine) refineN(ctx context.Context, r reader, q parsedQuestion, rk ranking, n int) (map[string]Passage, error) {
	if n == 0 {
		return nil, nil
	}
	ids := make([]string, n)
	for i, h := range rk.hits[:n] {
		ids[i] = h.id
	}
	texts, err := r.passages(ctx, ids)
	if err != nil {
		return nil, err
	}
	nm := names(q.t, q.text, q.concepts)
	lm := memoLemmas(e.thesaurus)
	for i := range rk.hits[:n] {
		h := &rk.hits[i]
		p, ok := texts[h.id]
		if !ok {
			continue
		}
		spans := sentenceSpans(p.Text) // refinement and cues read the same sentences
		refine(q, lm, p.Text, spans, nm, h, rk.maxBM25, rk.maxTerms)
		h.cue = 0
		if q.kind != kindOther && hasCue(q.kind, p.Text, spans, h.occ, q.t.CueReach) {
			h.cue = 1
		}
		h.score = q.t.rankScore(h)
	}
	sort.SliceStable(rk.hits[:n], func(i, j int) bool { return before(&rk.hits[i], &rk.hits[j]) })
	return texts, nil
}

// Search returns up to limit passages ranked for query, best first; an empty
// slice when nothing matches. It never abstains.
func (e *Engine) Search(ctx context.Context, query string, limit int) ([]Citation, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.closed {
		return nil, ErrClosed
	}
	return e.search(ctx, e.gen, query, limit)
}

// search is Search over r. Callers hold e.mu for reading.
func (e *Engine) search(ctx context.Context, r reader, query string, limit int) ([]Citation, error) {
	if limit <= 0 {
		limit = 10
	}
	q, rk, texts, err := e.retrieve(ctx, r, query)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return e.citations(ctx, r, q, rk.hits, limit, texts)
}

// citations cuts the excerpts of the best hits, dropping near-duplicates,
// with texts already loaded by refine (others are loaded here). Callers
// hold e.mu for reading.
func (e *Engine) citations(ctx context.Context, r reader, q parsedQuestion, hits []ranked, limit int, texts map[string]Passage) ([]Citation, error) {
	if len(hits) == 0 {
		return nil, nil
	}
	want := min(len(hits), limit*2) // room for dropped duplicates
	var missing []string
	for _, h := range hits[:want] {
		if _, ok := texts[h.id]; !ok {
			missing = append(missing, h.id)
		}
	}
	if len(missing) > 0 {
		more, err := r.passages(ctx, missing)
		if err != nil {
			return nil, err
		}
		if texts == nil {
			texts = map[string]Passage{}
		}
		for id, p := range more {
			texts[id] = p
		}
	}
	idfs := make([]float64, len(q.concepts))
	for i, c := range q.concepts {
		idfs[i] = c.idf
	}
	cue := sentenceCue(q)
	var out []Citation
	var seen [][]string
	sources := map[string]Source{} // read once when several passages cite one document
	for _, h := range hits[:want] {
		p, ok := texts[h.id]
		if !ok {
			continue
		}
		src, ok := sources[p.DocID]
		if !ok {
			src, _ = r.source(p.DocID)
			sources[p.DocID] = src
		}
		ex, hl := excerpt(p.Text, h.occ, idfs, MaxExcerptRunes, cue)
		words := wordSet(ex)
		if nearDuplicate(words, seen, q.t.NearDuplicate) {
			continue
		}
		seen = append(seen, words)
		out = append(out, Citation{
			Rank: len(out) + 1, Source: src, Passage: p,
			Excerpt: ex, Highlights: hl, Score: h.score,
		})
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

// wordSet is the set of lower-cased words of s, for duplicate detection:
// its runs of ASCII letters and digits and non-ASCII characters, sorted,
// each once.
func wordSet(s string) []string {
	lower := strings.ToLower(s)
	words := make([]string, 0, 64)
	start := -1 // of the word being read
	for i, r := range lower {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127 {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			words = append(words, lower[start:i])
			start = -1
		}
	}
	if start >= 0 {
		words = append(words, lower[start:])
	}
	slices.Sort(words)
	return slices.Compact(words)
}

// nearDuplicate reports whether words overlaps any earlier excerpt by at
// least share of the smaller one's words (all sets from wordSet).
func nearDuplicate(words []string, seen [][]string, share float64) bool {
	for _, s := range seen {
		common := 0
		for i, j := 0, 0; i < len(words) && j < len(s); {
			switch c := strings.Compare(words[i], s[j]); {
			case c == 0:
				common++
				i++
				j++
			case c < 0:
				i++
			default:
				j++
			}
		}
		if small := min(len(words), len(s)); small > 0 && float64(common)/float64(small) >= share {
			return true
		}
	}
	return false
}

// passages loads stored passages by id, reading their stored fields
// directly from one snapshot of the index (a search for their ids costs
// twice as much for the same reads). Ids not in the index are left out.
func (g *generation) passages(ctx context.Context, ids []string) (map[string]Passage, error) {
	adv, err := g.idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("load passages: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("load passages: %w", err)
	}
	defer r.Close()
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		return segmentPassages(ctx, snap, ids)
	}
	return documentPassages(ctx, r, ids)
}

// documentPassages reads the passages ids as bleve documents from r, one
// id at a time: for index readers other than scorch's (segmentPassages
// reads those), and the reference segmentPassages is tested against.
func documentPassages(ctx context.Context, r index.IndexReader, ids []string) (map[string]Passage, error) {
	out := make(map[string]Passage, len(ids))
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		doc, err := r.Document(id)
		if err != nil {
			return nil, fmt.Errorf("load passage %s: %w", id, err)
		}
		if doc == nil {
			continue
		}
		p := Passage{ID: id}
		doc.VisitFields(func(f index.Field) {
			switch f := f.(type) {
			case *document.TextField:
				switch f.Name() {
				case fieldText:
					p.Text = f.Text()
				case fieldDocID:
					p.DocID = f.Text()
				case fieldSection:
					p.Section = f.Text()
				}
			case *document.NumericField:
				n, err := f.Number()
				if err != nil {
					return
				}
				switch f.Name() {
				case fieldOrdinal:
					p.Ordinal = int(n)
				case fieldStart:
					p.Start = int(n)
				case fieldEnd:
					p.End = int(n)
				case fieldPage:
					p.Page = int(n)
				}
			}
		})
		out[id] = p
	}
	return out, nil
}

// Sources lists the documents of the live index, ordered by title.
func (e *Engine) Sources() []Source {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.closed {
		return nil
	}
	all, err := e.gen.catalog.byID()
	if err != nil {
		e.log.Warn("index: reading the catalogue", "err", err)
	}
	return sortedSources(all)
}

// Source returns one document and its passages in order, or ErrNotFound.
func (e *Engine) Source(ctx context.Context, id string) (Source, []Passage, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.closed {
		return Source{}, nil, ErrClosed
	}
	return e.gen.document(ctx, id)
}

// document returns one document of g and its passages in order, or ErrNotFound.
func (g *generation) document(ctx context.Context, id string) (Source, []Passage, error) {
	src, ok := g.source(id)
	if !ok {
		return Source{}, nil, fmt.Errorf("document %q: %w", id, ErrNotFound)
	}
	// Passages are numbered 1..n within their document (passage.go).
	ids := make([]string, src.Passages)
	for i := range ids {
		ids[i] = passageID(id, i+1)
	}
	byID, err := g.passages(ctx, ids)
	if err != nil {
		return Source{}, nil, fmt.Errorf("document %q: %w", id, err)
	}
	ps := make([]Passage, 0, len(byID))
	for _, pid := range ids {
		if p, ok := byID[pid]; ok {
			ps = append(ps, p)
		}
	}
	return src, ps, nil
}

// Passage returns one passage by id ("doc-id#N"), or ErrNotFound.
func (e *Engine) Passage(ctx context.Context, id string) (Passage, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.closed {
		return Passage{}, ErrClosed
	}
	return passageIn(ctx, e.gen, id)
}

// passageIn returns one passage of r by id, or ErrNotFound.
func passageIn(ctx context.Context, r reader, id string) (Passage, error) {
	ps, err := r.passages(ctx, []string{id})
	if err != nil {
		return Passage{}, err
	}
	p, ok := ps[id]
	if !ok {
		return Passage{}, fmt.Errorf("passage %q: %w", id, ErrNotFound)
	}
	return p, nil
}

// Status reports the live index.
func (e *Engine) Status() Status {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.closed {
		return Status{}
	}
	m := e.gen.manifest
	return Status{
		Corpus: m.Corpus, IndexDir: e.cfg.IndexDir, Documents: m.Documents,
		Passages: m.Passages, BuiltAt: m.BuiltAt, LoadedAt: e.loadedAt, Skipped: m.Skipped,
	}
}

// Close waits for searches in flight and releases the index. Calls after
// Close return ErrClosed; Close itself may be called more than once.
func (e *Engine) Close() error {
	e.reloadMu.Lock()
	defer e.reloadMu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil
	}
	e.closed = true
	if err := e.gen.close(); err != nil {
		return fmt.Errorf("close index: %w", err)
	}
	return nil
}
