// Package golden compares test output with golden files under testdata/,
// rewriting them when tests run with -update. For tests only.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// update is the -update test flag, registered once for every test binary
// that imports this package.
var update = flag.Bool("update", false, "rewrite golden files under testdata/ with the current output")

// Check compares got with the golden file at path, or rewrites the file
// under -update. A difference fails the test with both texts.
func Check(t testing.TB, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("update golden file: %v", err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatalf("update golden file: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test with -update to create it): %v", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test with -update to accept, then review the diff):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
