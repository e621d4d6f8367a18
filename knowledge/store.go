package knowledge

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
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
	batchSize    = 1000
)

// manifest describes a complete generation.
type manifest struct {
	Version     string    `json:"version"`
	Fingerprint string    `json:"fingerprint"`
	Corpus      string    `json:"corpus"`
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
// document's path and content hash.
func fingerprint(docs []corpusDoc) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", mappingVersion)
	for _, d := range docs {
		fmt.Fprintf(h, "%s\x00%s\x00%s\n", d.Source.Path, d.Source.Hash, d.Source.ID)
	}
	return hex.EncodeToString(h.Sum(nil))
}

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

// buildGeneration indexes docs into a new generation under dir, makes it
// CURRENT and returns it opened read-only. Nothing is changed if it fails.
// It consumes docs: their passages are dropped as they are indexed (the
// sources stay).
func buildGeneration(ctx context.Context, a analyzers, dir, corpus, stamp string, docs []corpusDoc, skipped []Skipped, progress func(done, total int)) (*generation, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create index dir: %w", err)
	}
	name := genPrefix + strconv.FormatInt(time.Now().UnixNano(), 10)
	gdir := filepath.Join(dir, name)
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(gdir)
		}
	}()
	total := 0
	for _, d := range docs {
		total += len(d.Passages)
	}
	idx, err := bleve.New(filepath.Join(gdir, bleveDir), newMapping())
	if err != nil {
		return nil, fmt.Errorf("create index: %w", err)
	}
	words := wordCounter{}
	if err := indexPassages(ctx, a, idx, docs, words, total, progress); err != nil {
		idx.Close()
		return nil, err
	}
	if err := writeVocabulary(idx, gdir); err != nil {
		idx.Close()
		return nil, err
	}
	if err := idx.Close(); err != nil {
		return nil, fmt.Errorf("close new index: %w", err)
	}
	if err := words.write(gdir); err != nil {
		return nil, err
	}
	m := manifest{
		Version:     mappingVersion,
		Fingerprint: fingerprint(docs),
		Corpus:      corpus,
		BuiltAt:     time.Now().UTC(),
		Passages:    total,
		Documents:   len(docs),
		Skipped:     skipped,
	}
	sources := make([]Source, len(docs))
	for i, d := range docs {
		sources[i] = d.Source
	}
	if err := writeCatalog(gdir, sources); err != nil {
		return nil, err
	}
	if err := writeStamp(gdir, stamp); err != nil {
		return nil, fmt.Errorf("write stamp: %w", err)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(gdir, manifestFile), b); err != nil {
		return nil, fmt.Errorf("write manifest: %w", err)
	}
	g, err := openGeneration(dir, name)
	if err != nil {
		return nil, fmt.Errorf("reopen new index: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(dir, currentFile), []byte(name+"\n")); err != nil {
		g.close()
		return nil, fmt.Errorf("write %s: %w", currentFile, err)
	}
	ok = true
	return g, nil
}

func indexPassages(ctx context.Context, a analyzers, idx bleve.Index, docs []corpusDoc, words wordCounter, total int, progress func(done, total int)) error {
	batch := idx.NewBatch()
	done := 0
	flush := func() error {
		if batch.Size() == 0 {
			return nil
		}
		if err := idx.Batch(batch); err != nil {
			return fmt.Errorf("index passages: %w", err)
		}
		done += batch.Size()
		batch.Reset()
		if progress != nil {
			progress(done, total)
		}
		return ctx.Err()
	}
	for i := range docs {
		d := docs[i]
		// The batch holds what it needs: dropping the document's passages
		// lets their text be freed as the build goes, so the build's peak
		// is not the whole corpus plus the index being built.
		docs[i].Passages = nil
		for _, p := range d.Passages {
			if err := batch.Index(p.ID, newPassageDoc(p, d.Source)); err != nil {
				return fmt.Errorf("index passage %s: %w", p.ID, err)
			}
			words.add(a, p.Text)
			if batch.Size() >= batchSize {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
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
