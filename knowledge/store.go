package knowledge

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/vellum"
)

// An index directory holds generations: immutable, complete indexes in
// gen-<nanos>/ subdirectories, each with a manifest.json written last, and
// a CURRENT file naming the generation to serve. Builders write a new
// generation and then replace CURRENT atomically; readers open
// generations read-only (a shared lock), so several processes (govbot
// serve, govbot ask, govbot index) can use one index directory at once.
const (
	currentFile  = "CURRENT"
	manifestFile = "manifest.json"
	bleveDir     = "bleve"
	genPrefix    = "gen-"
	batchSize    = 1000 // passages indexed at once
	batchWorkers = 1    // batches indexed while the next is filled (see indexer)
)

// manifest describes a complete generation.
type manifest struct {
	Version     string    `json:"version"`
	Fingerprint string    `json:"fingerprint"`
	Corpus      string    `json:"corpus"`
	Root        string    `json:"root,omitempty"` // absolute path of the corpus directory ("" for the embedded corpus)
	BuiltAt     time.Time `json:"built_at"`
	Passages    int       `json:"passages"`
	Documents   int       `json:"documents"` // listed in the catalogue (catalog.go)
	Skipped     []Skipped `json:"skipped,omitempty"`
}

// generation is one opened, read-only index with its catalogue. What is
// read at open is small and fixed in size (the manifest, the stamp); the
// catalogue, vocabulary and word list are memory-mapped or read on demand.
type generation struct {
	name     string
	dir      string
	idx      bleve.Index
	manifest manifest
	stamp    string // the corpus stamp recorded for it (stamp.go), "" if none
	catalog  *catalog
	vocab    vocabulary
	words    *vellum.FST // corpus words as written, for spelling corrections
	shared   unionCache  // counts for reading it with others (union.go)
}

func (g *generation) close() error {
	if g == nil || g.idx == nil {
		return nil
	}
	if g.words != nil {
		g.words.Close()
	}
	g.vocab.close()
	g.catalog.close()
	return g.idx.Close()
}

// source returns the document with id from the catalogue.
func (g *generation) source(id string) (Source, bool) { return g.catalog.source(id) }

// fingerprint identifies a corpus as indexed: the mapping version and every
// document's path, content hash and id, added in corpus order.
type fingerprint struct{ h hash.Hash }

func newFingerprint() fingerprint {
	f := fingerprint{sha256.New()}
	fmt.Fprintf(f.h, "%s\n", mappingVersion)
	return f
}

func (f fingerprint) add(s Source) { fmt.Fprintf(f.h, "%s\x00%s\x00%s\n", s.Path, s.Hash, s.ID) }

func (f fingerprint) String() string { return hex.EncodeToString(f.h.Sum(nil)) }

// readCurrent returns the generation name in dir/CURRENT, or "" when none.
func readCurrent(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, currentFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", currentFile, err)
	}
	name := strings.TrimSpace(string(b))
	if !strings.HasPrefix(name, genPrefix) || strings.ContainsAny(name, `/\`) {
		return "", fmt.Errorf("%s names %q, not a generation", currentFile, name)
	}
	return name, nil
}

// writeFileAtomic writes data to path through a temporary file and rename.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// openGeneration opens dir/name read-only and checks it against its
// manifest. Any error means the generation is unusable (missing, damaged,
// another mapping version).
func openGeneration(dir, name string) (*generation, error) {
	gdir := filepath.Join(dir, name)
	b, err := os.ReadFile(filepath.Join(gdir, manifestFile))
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("parse manifest: %w", err)
	}
	if m.Version != mappingVersion {
		return nil, fmt.Errorf("index mapping %q, want %q", m.Version, mappingVersion)
	}
	idx, err := openBleve(filepath.Join(gdir, bleveDir))
	if err != nil {
		return nil, err
	}
	g := &generation{name: name, dir: gdir, idx: idx, manifest: m, stamp: readStamp(gdir)}
	if g.catalog, err = openCatalog(gdir, m.Documents); err != nil {
		g.close()
		return nil, err
	}
	if err := g.verify(); err != nil {
		g.close()
		return nil, err
	}
	if g.vocab, err = openVocabulary(gdir, m.Passages); err != nil {
		g.close()
		return nil, err
	}
	if g.words, err = loadWords(gdir); err != nil {
		g.close()
		return nil, err
	}
	return g, nil
}

// openBleve opens a scorch index read-only, never waiting long for a lock
// and never letting a damaged index panic its way out.
func openBleve(path string) (idx bleve.Index, err error) {
	defer func() {
		if r := recover(); r != nil {
			idx, err = nil, fmt.Errorf("open index %s: damaged: %v", path, r)
		}
	}()
	idx, err = bleve.OpenUsing(path, map[string]interface{}{
		"read_only":    true,
		"bolt_timeout": "5s",
	})
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	return idx, nil
}

// verify checks that the index holds what the manifest says and that its
// stored fields can be read: a truncated or deleted segment fails here. It
// reads one passage (the first of the first document), so it costs the
// same whatever the corpus size.
func (g *generation) verify() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("verify index: damaged: %v", r)
		}
	}()
	n, err := g.idx.DocCount()
	if err != nil {
		return fmt.Errorf("verify index: %w", err)
	}
	if int(n) != g.manifest.Passages {
		return fmt.Errorf("verify index: %d passages, manifest says %d", n, g.manifest.Passages)
	}
	if n == 0 {
		return nil
	}
	first, err := g.catalog.first()
	if err != nil {
		return fmt.Errorf("verify index: %w", err)
	}
	id := passageID(first.ID, 1)
	ps, err := g.passages(context.Background(), []string{id})
	if err != nil {
		return fmt.Errorf("verify index: %w", err)
	}
	if ps[id].Text == "" {
		return errors.New("verify index: stored passages unreadable")
	}
	return nil
}

// buildGeneration reads, splits and indexes the documents of c one at a
// time into a new generation under dir, makes it CURRENT and returns it
// opened read-only, with the files skipped. Nothing is changed if it
// fails. progress, when set, is called with the bytes of corpus files
// read so far and in all.
func buildGeneration(ctx context.Context, a analyzers, dir string, c *corpusFiles, stamp string, progress func(done, total int)) (*generation, []Skipped, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("create index dir: %w", err)
	}
	name := genPrefix + strconv.FormatInt(time.Now().UnixNano(), 10)
	gdir := filepath.Join(dir, name)
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(gdir)
		}
	}()
	idx, err := bleve.New(filepath.Join(gdir, bleveDir), newMapping())
	if err != nil {
		return nil, nil, fmt.Errorf("create index: %w", err)
	}
	ix := newIndexer(a, idx)
	fp := newFingerprint()
	var sources []Source
	var read func(int64)
	if progress != nil {
		read = func(done int64) { progress(int(done), int(c.bytes)) }
	}
	skipped, err := c.each(ctx, func(d corpusDoc) error {
		fp.add(d.Source)
		sources = append(sources, d.Source)
		return ix.add(ctx, d)
	}, read)
	if cerr := ix.close(ctx, err == nil); err == nil {
		err = cerr
	}
	if err != nil {
		idx.Close()
		return nil, nil, err
	}
	if idx, err = mergeSegments(ctx, idx, filepath.Join(gdir, bleveDir)); err != nil {
		return nil, nil, err
	}
	if err := writeVocabulary(idx, gdir); err != nil {
		idx.Close()
		return nil, nil, err
	}
	if err := idx.Close(); err != nil {
		return nil, nil, fmt.Errorf("close new index: %w", err)
	}
	if err := ix.words.write(gdir); err != nil {
		return nil, nil, err
	}
	m := manifest{
		Version:     mappingVersion,
		Fingerprint: fp.String(),
		Corpus:      c.name,
		Root:        c.root,
		BuiltAt:     time.Now().UTC(),
		Passages:    ix.passages,
		Documents:   len(sources),
		Skipped:     skipped,
	}
	if err := writeCatalog(gdir, sources); err != nil {
		return nil, nil, err
	}
	if err := writeStamp(gdir, stamp); err != nil {
		return nil, nil, fmt.Errorf("write stamp: %w", err)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, nil, fmt.Errorf("encode manifest: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(gdir, manifestFile), b); err != nil {
		return nil, nil, fmt.Errorf("write manifest: %w", err)
	}
	g, err := openGeneration(dir, name)
	if err != nil {
		return nil, nil, fmt.Errorf("reopen new index: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(dir, currentFile), []byte(name+"\n")); err != nil {
		g.close()
		return nil, nil, fmt.Errorf("write %s: %w", currentFile, err)
	}
	ok = true
	return g, skipped, nil
}

// indexer adds passages to a new index in batches of batchSize, and
// counts the words of their text for the spelling word list. Batches are
// indexed by batchWorkers goroutines while the next one is filled (and
// the next files read and split). One is enough: bleve analyses a batch
// on several goroutines and merges and persists on others; a second
// worker building a segment at the same time gained about 10% of wall
// time on an idle machine, nothing on a loaded one, and raised the
// build's peak memory by half. Call close once, whatever happens.
type indexer struct {
	a        analyzers
	idx      bleve.Index
	batch    *bleve.Batch
	words    wordCounter
	passages int // handed to the workers
	work     chan *bleve.Batch
	wg       sync.WaitGroup
	mu       sync.Mutex
	err      error // the first error of a worker
}

func newIndexer(a analyzers, idx bleve.Index) *indexer {
	ix := &indexer{a: a, idx: idx, batch: idx.NewBatch(), words: wordCounter{}, work: make(chan *bleve.Batch)}
	for range batchWorkers {
		ix.wg.Add(1)
		go func() {
			defer ix.wg.Done()
			for b := range ix.work {
				if ix.failed() != nil {
					continue // drain
				}
				if err := idx.Batch(b); err != nil {
					ix.mu.Lock()
					if ix.err == nil {
						ix.err = fmt.Errorf("index passages: %w", err)
					}
					ix.mu.Unlock()
				}
			}
		}()
	}
	return ix
}

func (ix *indexer) failed() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.err
}

// add batches the passages of d, handing a batch to the workers whenever
// it is full. The batch keeps what it needs of them.
func (ix *indexer) add(ctx context.Context, d corpusDoc) error {
	for _, p := range d.Passages {
		if err := ix.batch.Index(p.ID, newPassageDoc(p, d.Source)); err != nil {
			return fmt.Errorf("index passage %s: %w", p.ID, err)
		}
		ix.words.add(ix.a, p.Text)
		if ix.batch.Size() >= batchSize {
			if err := ix.send(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// send hands the batch to a worker and starts a new one.
func (ix *indexer) send(ctx context.Context) error {
	if err := ix.failed(); err != nil {
		return err
	}
	select {
	case ix.work <- ix.batch:
	case <-ctx.Done():
		return ctx.Err()
	}
	ix.passages += ix.batch.Size()
	ix.batch = ix.idx.NewBatch()
	return nil
}

// close indexes what is left in the batch when flush is set and ctx is
// not done, waits for the workers and returns the first error.
func (ix *indexer) close(ctx context.Context, flush bool) error {
	err := ctx.Err()
	if flush && err == nil && ix.batch.Size() > 0 {
		err = ix.send(ctx)
	}
	close(ix.work)
	ix.wg.Wait()
	if werr := ix.failed(); werr != nil {
		return werr
	}
	if err == nil {
		err = ctx.Err()
	}
	return err
}

// staleAfter protects young generations from removal: a builder closes
// its new index (dropping bolt's lock) before reopening it read-only, and
// another process cleaning up in that moment must not delete it.
const staleAfter = 2 * time.Minute

// removeStaleGenerations deletes generations in dir other than keep that
// no process has open and that are older than staleAfter, or are the one
// this process just closed (closed, may be ""). It reports what it could
// not remove.
func removeStaleGenerations(dir, keep, closed string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || !strings.HasPrefix(name, genPrefix) || name == keep {
			continue
		}
		gdir := filepath.Join(dir, name)
		if name != closed && young(name) {
			continue
		}
		unlock, inUse := lockGeneration(filepath.Join(gdir, bleveDir))
		if inUse {
			continue
		}
		if err := os.RemoveAll(gdir); err != nil {
			errs = append(errs, err)
		}
		unlock()
	}
	return errors.Join(errs...)
}

// young reports whether a generation was created less than staleAfter ago
// (its name is its creation time in Unix nanoseconds).
func young(name string) bool {
	ns, err := strconv.ParseInt(strings.TrimPrefix(name, genPrefix), 10, 64)
	if err != nil {
		return false
	}
	return time.Since(time.Unix(0, ns)) < staleAfter
}

// sortedSources returns sources ordered by title, then id.
func sortedSources(m map[string]Source) []Source {
	out := make([]Source, 0, len(m))
	for _, s := range m {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Title != out[j].Title {
			return out[i].Title < out[j].Title
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// mergeSegments merges the newly built index at path into one segment and
// returns it open (idx is closed; on error, so is everything). Every term
// and phrase clause of a question looks its term up in the dictionary of
// each segment and walks each segment's postings separately, and an index
// left as the build's batches and background merges made it has 2 (1,000
// passages) to 26 (1,000,000) segments: merged, Ask took 20% less time at
// 10,000 passages and 24% less at 100,000 (p50; 16-27% fewer allocations),
// for 5-8% more build time (2-3 s at 100,000 passages, about 20 s of a
// 4 min 20 s build at 1,000,000). Scores are unchanged (BM25 statistics
// are the index's, not a segment's).
//
// The index is closed and reopened first: the last batch's segment may
// still be in memory, and a force merge only merges persisted segments
// (it left that one beside the merged one at 100,000 passages).
func mergeSegments(ctx context.Context, idx bleve.Index, path string) (bleve.Index, error) {
	if err := idx.Close(); err != nil {
		return nil, fmt.Errorf("merge segments: persist: %w", err)
	}
	// Reopened with a background merge policy that finds nothing to do
	// (any number of segments per tier): a background merge in flight
	// keeps its segments out of the force merge, which left two segments
	// at a million passages.
	idx, err := bleve.OpenUsing(path, map[string]interface{}{
		"scorchMergePlanOptions": map[string]interface{}{"MaxSegmentsPerTier": 1 << 20},
	})
	if err != nil {
		return nil, fmt.Errorf("merge segments: reopen: %w", err)
	}
	adv, err := idx.Advanced()
	if err != nil {
		idx.Close()
		return nil, fmt.Errorf("merge segments: %w", err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return idx, nil
	}
	// All segments in one merge task: bleve's single-segment plan merges
	// ten at a time, so a million passages (26 segments) were rewritten
	// twice; at once, that merge took 21.5 s instead of 37 s and the
	// build's peak RSS fell from 1.40 to 1.30 GiB (one build each, idle
	// machine; no difference at 100,000 passages, 13 segments).
	opts := mergeplan.SingleSegmentMergePlanOptions
	opts.SegmentsPerMergeTask = math.MaxInt32
	if err := sc.ForceMerge(ctx, &opts); err != nil {
		idx.Close()
		return nil, fmt.Errorf("merge segments: %w", err)
	}
	if err := ctx.Err(); err != nil {
		idx.Close()
		return nil, err
	}
	return idx, nil
}
