package knowledge_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govbot-dev/govbot/knowledge"
)

// settle dates every file of dir an hour back, as files are that were not
// just written (Open does not trust a stamp younger than two seconds).
func settle(t *testing.T, dir string) {
	t.Helper()
	old := time.Now().Add(-time.Hour)
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
		return err
	})
}

// TestOpenDetectsChangesFromSizesAndTimes: opening an up-to-date index
// reads no document (it compares file sizes and modification times), yet
// an edited document is still noticed, and a touched but unchanged one
// costs no rebuild.
func TestOpenDetectsChangesFromSizesAndTimes(t *testing.T) {
	corpus, index := t.TempDir(), t.TempDir()
	path := filepath.Join(corpus, "lighthouse.md")
	writeFile(t, path, lighthouse)
	settle(t, corpus)
	eng, rep := openDir(t, corpus, index)
	if !rep.Rebuilt {
		t.Fatalf("first Open did not build")
	}
	eng.Close()

	// Same size, same time, other bytes: Open trusts the stamp and reads nothing.
	info, _ := os.Stat(path)
	writeFile(t, path, strings.Replace(lighthouse, "1821", "1832", 1))
	if err := os.Chtimes(path, info.ModTime(), info.ModTime()); err != nil {
		t.Fatal(err)
	}
	eng, rep = openDir(t, corpus, index)
	if rep.Rebuilt {
		t.Errorf("Open with unchanged sizes and times rebuilt the index")
	}
	eng.Close()

	// Touched: the content is compared, found equal to what is indexed
	// (the 1832 edit above is what the file holds, so it rebuilds once),
	// then touching again costs nothing.
	settle(t, corpus)
	eng, rep = openDir(t, corpus, index)
	if !rep.Rebuilt {
		t.Errorf("Open after an edit with a new time did not rebuild")
	}
	eng.Close()
	later := time.Now().Add(-30 * time.Minute)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	eng, rep = openDir(t, corpus, index)
	if rep.Rebuilt {
		t.Errorf("Open after a touch rebuilt an unchanged corpus")
	}
	eng.Close()

	// A new document is noticed.
	writeFile(t, filepath.Join(corpus, "orchard.md"), orchard)
	settle(t, corpus)
	eng, rep = openDir(t, corpus, index)
	if !rep.Rebuilt || rep.Documents != 2 {
		t.Errorf("Open after adding a document: %+v; want a rebuild with 2 documents", rep)
	}
	if ans := mustAsk(t, eng, "What do the orchard cooperative members press?"); ans.Abstained {
		t.Errorf("the added document does not answer")
	}
}

// TestTouchedCorpusIsComparedByContent: when the stamp differs, the files
// are compared with what is indexed, and only a change to what would be
// indexed rebuilds: a broken or empty file added or left broken does not,
// a broken file mended, an edit, a rename or a removal does.
func TestTouchedCorpusIsComparedByContent(t *testing.T) {
	tests := []struct {
		name    string
		change  func(t *testing.T, corpus string)
		rebuild bool
	}{
		{"touched only", func(t *testing.T, corpus string) {}, false},
		{"a broken file added", func(t *testing.T, corpus string) {
			writeFile(t, filepath.Join(corpus, "latin1.txt"), "caf\xe9")
		}, false},
		{"the broken file edited and still broken", func(t *testing.T, corpus string) {
			writeFile(t, filepath.Join(corpus, "broken.md"), "na\xefve")
		}, false},
		{"the broken file mended", func(t *testing.T, corpus string) {
			writeFile(t, filepath.Join(corpus, "broken.md"), orchard)
		}, true},
		{"a document edited", func(t *testing.T, corpus string) {
			writeFile(t, filepath.Join(corpus, "lighthouse.md"), strings.Replace(lighthouse, "1821", "1832", 1))
		}, true},
		{"a document renamed", func(t *testing.T, corpus string) {
			if err := os.Rename(filepath.Join(corpus, "lighthouse.md"), filepath.Join(corpus, "beacon.md")); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"a document removed", func(t *testing.T, corpus string) {
			if err := os.Remove(filepath.Join(corpus, "lighthouse.md")); err != nil {
				t.Fatal(err)
			}
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			corpus, index := t.TempDir(), t.TempDir()
			writeFile(t, filepath.Join(corpus, "lighthouse.md"), lighthouse)
			writeFile(t, filepath.Join(corpus, "orchard.md"), orchard)
			writeFile(t, filepath.Join(corpus, "broken.md"), "\x00binary")
			settle(t, corpus)
			eng, _ := openDir(t, corpus, index)
			eng.Close()
			tt.change(t, corpus)
			later := time.Now().Add(-30 * time.Minute) // a new stamp
			filepath.WalkDir(corpus, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					os.Chtimes(p, later, later)
				}
				return err
			})
			eng, rep := openDir(t, corpus, index)
			if rep.Rebuilt != tt.rebuild {
				t.Errorf("Open after %s: rebuilt = %v; want %v", tt.name, rep.Rebuilt, tt.rebuild)
			}
			eng.Close()
			if eng, rep = openDir(t, corpus, index); rep.Rebuilt {
				t.Errorf("Open once more after %s rebuilt: the stamp was not recorded", tt.name)
			}
			eng.Close()
		})
	}
}

// TestTrustIndexOpensWithoutComparing: with TrustIndex, Open serves the
// index built from the same directory as it is, even after the corpus
// changed, and Reload picks the change up; an index built from another
// directory, or an index built before the directory was recorded, is
// still compared.
func TestTrustIndexOpensWithoutComparing(t *testing.T) {
	ctx := context.Background()
	corpus, index := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(corpus, "lighthouse.md"), lighthouse)
	settle(t, corpus)
	eng, rep := openDir(t, corpus, index)
	if !rep.Rebuilt {
		t.Fatalf("first Open did not build")
	}
	eng.Close()

	writeFile(t, filepath.Join(corpus, "orchard.md"), orchard)
	settle(t, corpus)
	trusting := knowledge.Config{CorpusDir: corpus, IndexDir: index, TrustIndex: true}
	eng, rep, err := knowledge.Open(ctx, trusting)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	if rep.Rebuilt || rep.Documents != 1 {
		t.Fatalf("trusting Open: rebuilt=%v documents=%d; want the old index of 1 document", rep.Rebuilt, rep.Documents)
	}
	if ans := mustAsk(t, eng, "Who presses cider in the valley?"); !ans.Abstained {
		t.Errorf("the trusted old index answered from a document it does not hold: %+v", ans.Citations)
	}
	rep, err = eng.Reload(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Rebuilt || rep.Documents != 2 {
		t.Fatalf("Reload of a trusting engine: rebuilt=%v documents=%d; want the new document indexed", rep.Rebuilt, rep.Documents)
	}
	if ans := mustAsk(t, eng, "Who presses cider in the valley?"); ans.Abstained {
		t.Errorf("after Reload, no answer from the new document")
	}

	// The same index directory, another corpus: compared, so rebuilt.
	other := t.TempDir()
	writeFile(t, filepath.Join(other, "orchard.md"), orchard)
	settle(t, other)
	eng2, rep, err := knowledge.Open(ctx, knowledge.Config{CorpusDir: other, IndexDir: index, TrustIndex: true})
	if err != nil {
		t.Fatal(err)
	}
	defer eng2.Close()
	if !rep.Rebuilt {
		t.Errorf("trusting Open of another corpus served the index of %s", corpus)
	}
}
