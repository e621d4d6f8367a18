package document

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/ with the current output")

// checkGolden compares got with the golden file at path, or rewrites the
// file when -update is given.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatalf("update golden file: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update to accept):\n--- got\n%s\n--- want\n%s", filepath.Base(path), got, want)
	}
}

// render writes the metadata and body of doc for a golden file.
func render(doc Document) string {
	var b strings.Builder
	for _, f := range []struct{ k, v string }{
		{"id", doc.ID}, {"title", doc.Title}, {"author", doc.Author}, {"translator", doc.Translator},
		{"publication", doc.Publication}, {"published", doc.Published}, {"url", doc.URL},
	} {
		if f.v != "" {
			fmt.Fprintf(&b, "%s: %s\n", f.k, f.v)
		}
	}
	b.WriteString("-- body --\n")
	b.WriteString(doc.Body)
	b.WriteString("\n-- end --\n")
	return b.String()
}
