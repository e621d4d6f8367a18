package knowledge

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

// loadedCorpus is a whole corpus in memory: tests of small corpora only
// (building streams the corpus, see corpusFiles.each).
type loadedCorpus struct {
	docs     []corpusDoc
	skipped  []Skipped
	synonyms [][]string
}

func loadCorpus(ctx context.Context, dir string, maxFileSize int64) (loadedCorpus, error) {
	c, err := listCorpus(ctx, dir, maxFileSize)
	if err != nil {
		return loadedCorpus{}, err
	}
	defer c.close()
	lc := loadedCorpus{synonyms: c.synonyms}
	lc.skipped, err = c.each(ctx, func(d corpusDoc) error {
		lc.docs = append(lc.docs, d)
		return nil
	}, nil)
	return lc, err
}

// writeCorpus writes n documents of about size bytes each into a new
// directory, with a broken file (not UTF-8) between them.
func writeCorpus(t *testing.T, n, size int) string {
	t.Helper()
	dir := t.TempDir()
	para := "The keeper of the lighthouse wrote every evening about the ships that passed the rocks. "
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "# Document %d\n\n", i)
		for b.Len() < size {
			b.WriteString(strings.Repeat(para, 3))
			fmt.Fprintf(&b, "Entry %d.\n\n", b.Len())
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("doc-%03d.md", i)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		if i == n/2 {
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("doc-%03d-broken.md", i)), []byte("caf\xe9"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// TestEachHoldsOneDocumentAtATime: the corpus is read one file at a time,
// in path order, and a document handed over and dropped is not kept:
// the documents alive at once stay few however large the corpus.
func TestEachHoldsOneDocumentAtATime(t *testing.T) {
	const n = 60
	dir := writeCorpus(t, n, 20_000)
	c, err := listCorpus(t.Context(), dir, DefaultMaxFileSize)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	var live atomic.Int64
	peak, seen := int64(0), 0
	skipped, err := c.each(t.Context(), func(d corpusDoc) error {
		i := seen
		if i >= 50 {
			i++ // removed below
		}
		if want := fmt.Sprintf("doc-%03d.md", i); d.Source.Path != want {
			t.Errorf("document %d is %s; want %s", seen, d.Source.Path, want)
		}
		seen++
		live.Add(1)
		runtime.AddCleanup(&d.Passages[0], func(*atomic.Int64) { live.Add(-1) }, &live)
		if seen%10 == 0 {
			runtime.GC()
			runtime.GC()
			peak = max(peak, live.Load())
		}
		if seen == 10 {
			// A file not yet reached is read only when its turn comes.
			if err := os.Remove(filepath.Join(dir, "doc-050.md")); err != nil {
				t.Fatal(err)
			}
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if seen != n-1 {
		t.Errorf("each gave %d documents; want %d", seen, n-1)
	}
	want := []Skipped{
		{Path: "doc-030-broken.md", Reason: "not valid UTF-8"},
		{Path: "doc-050.md", Reason: "no longer exists"},
	}
	if fmt.Sprint(skipped) != fmt.Sprint(want) {
		t.Errorf("skipped = %v; want %v", skipped, want)
	}
	// Cleanups run soon after a collection, not during it: allow a few.
	if peak > 12 {
		t.Errorf("up to %d documents alive at once while reading %d; want them released as they go", peak, n)
	}
}
