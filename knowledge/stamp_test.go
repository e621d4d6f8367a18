package knowledge_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
