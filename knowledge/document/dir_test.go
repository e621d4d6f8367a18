//go:build unix

package document

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"
)

// writeTree creates files under root: path -> content.
func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func TestLoadDir(t *testing.T) {
	const good = "---\ntitle: Good\nauthor: A\npublished: 2015-12-22\n---\n\nGood body.\n"
	root := t.TempDir()
	outside := t.TempDir()
	writeTree(t, outside, map[string]string{"doc.md": "# Outside\n\nLinked in from elsewhere.\n"})
	writeTree(t, root, map[string]string{
		"good.md":               good,
		"page.html":             "<title>Page</title><nav>menu</nav><p>Page body</p>",
		"notes/deep/plain.txt":  "Plain text\n",
		"notes/Plain.txt":       "Capitalised name\n",
		"synonyms.yaml":         "- [a, b]\n",
		"photo.jpg":             "\xff\xd8\xff\x00",
		".hidden/secret.md":     "hidden\n",
		".dot.md":               "hidden\n",
		"bad/binary.txt":        "PK\x03\x04\x00\x00",
		"bad/latin1.txt":        "Soci\xe9t\xe9\n",
		"bad/empty.md":          "",
		"bad/big.txt":           string(fillText(2048)),
		"bad/front.md":          "---\ntitle: Good\nauthor: [A, B]\n---\nBody\n",
		"bad/unclosed.markdown": "---\ntitle: x\n\nBody\n",
	})
	symlink(t, "self.md", filepath.Join(root, "self.md"))          // self-loop, file name
	symlink(t, "loop", filepath.Join(root, "loop"))                // self-loop, no extension
	symlink(t, "..", filepath.Join(root, "notes", "up"))           // link to the root
	symlink(t, ".", filepath.Join(root, "notes", "deep", "here"))  // link to its own directory
	symlink(t, root, filepath.Join(root, "notes", "deep", "top"))  // absolute link to the root
	symlink(t, "../..", filepath.Join(root, "notes", "deep", "x")) // relative link to the root
	symlink(t, "notes/deep/plain.txt", filepath.Join(root, "linked-file.md"))
	symlink(t, outside, filepath.Join(root, "outside"))
	symlink(t, "missing.md", filepath.Join(root, "broken.md"))
	symlink(t, "missing", filepath.Join(root, "broken-dir"))
	symlink(t, "missing.png", filepath.Join(root, "broken.png")) // not a document: ignored
	if err := syscall.Mkfifo(filepath.Join(root, "bad", "fifo.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	mod := time.Date(2016, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(root, "good.md"), mod, mod); err != nil {
		t.Fatal(err)
	}

	docs, skipped, err := LoadDir(t.Context(), root, Options{MaxFileSize: 1024, Ignore: []string{"synonyms.yaml"}})
	if err != nil {
		t.Fatalf("LoadDir: %v", err)
	}

	type row struct{ Path, ID, Title, Body string }
	var got []row
	for _, d := range docs {
		got = append(got, row{d.Path, d.ID, d.Title, d.Body})
	}
	want := []row{
		{"good.md", "good", "Good", "Good body."},
		{"linked-file.md", "linked-file", "Plain text", "Plain text"},
		{"notes/Plain.txt", "notes-plain", "Capitalised name", "Capitalised name\n"},
		{"notes/deep/plain.txt", "notes-deep-plain", "Plain text", "Plain text\n"},
		{"outside/doc.md", "outside-doc", "Outside", "Outside\n\nLinked in from elsewhere."},
		{"page.html", "page", "Page", "Page body"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("LoadDir docs =\n%q\nwant\n%q", got, want)
	}
	if d := docs[0]; !d.ModTime.Equal(mod) || d.Author != "A" || d.Published != "2015-12-22" || d.Size != int64(len(good)) {
		t.Errorf("good.md = %+v; want ModTime %v, author A, published 2015-12-22, size %d", d, mod, len(good))
	}

	wantSkipped := []Skipped{
		{"bad/big.txt", "larger than 1 KiB limit (2 KiB)"},
		{"bad/binary.txt", "binary file"},
		{"bad/empty.md", "empty"},
		{"bad/fifo.txt", "not a regular file"},
		{"bad/front.md", "bad front matter: line 3: author must be text, not a list"},
		{"bad/latin1.txt", "not valid UTF-8"},
		{"bad/unclosed.markdown", `bad front matter: no closing "---" line`},
		{"broken-dir", "broken symlink"},
		{"broken.md", "broken symlink"},
		{"loop", "symlink loop"},
		{"notes/deep/here", "symlink loop"},
		{"notes/deep/top", "symlink loop"},
		{"notes/deep/x", "symlink loop"},
		{"notes/up", "symlink loop"},
		{"photo.jpg", "unsupported file type .jpg"},
		{"self.md", "symlink loop"},
	}
	if !slices.Equal(skipped, wantSkipped) {
		t.Errorf("LoadDir skipped =\n%q\nwant\n%q", skipped, wantSkipped)
	}
}

func TestLoadDirUnreadable(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"good.txt":         "good\n",
		"locked.txt":       "secret\n",
		"locked-dir/a.txt": "a\n",
		"locked.jpg":       "not a document\n",
	})
	for _, p := range []string{"locked.txt", "locked-dir", "locked.jpg"} {
		full := filepath.Join(root, p)
		if err := os.Chmod(full, 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(full, 0o755) })
	}
	if _, err := os.ReadFile(filepath.Join(root, "locked.txt")); err == nil {
		t.Skip("this process can read chmod 000 files (running as root?)")
	}
	docs, skipped, err := LoadDir(t.Context(), root, Options{})
	if err != nil {
		t.Fatalf("LoadDir: %v", err)
	}
	if len(docs) != 1 || docs[0].Path != "good.txt" {
		t.Errorf("LoadDir docs = %+v; want only good.txt", docs)
	}
	want := []Skipped{{"locked-dir", "permission denied"}, {"locked.txt", "permission denied"}}
	if !slices.Equal(skipped, want) {
		t.Errorf("LoadDir skipped = %q; want %q", skipped, want)
	}
}

// TestLoadDirHugeFileNotRead proves that a file over the limit is judged by
// its size alone: loading a 50 MiB file (sparse, so cheap to make) must not
// allocate anything near the 10 MiB a limited read would.
func TestLoadDirHugeFileNotRead(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{"good.txt": "good\n", "huge.txt": ""})
	if err := os.Truncate(filepath.Join(root, "huge.txt"), 50<<20); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	docs, skipped, err := LoadDir(t.Context(), root, Options{})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatalf("LoadDir: %v", err)
	}
	if len(docs) != 1 || docs[0].Path != "good.txt" {
		t.Errorf("LoadDir docs = %+v; want only good.txt", docs)
	}
	want := []Skipped{{"huge.txt", "larger than 10 MiB limit (50 MiB)"}}
	if !slices.Equal(skipped, want) {
		t.Errorf("LoadDir skipped = %q; want %q", skipped, want)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("LoadDir allocated %d bytes; the huge file must not be read", alloc)
	}
}

func TestLoadDirErrors(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{"a.txt": "a\n"})
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name   string
		ctx    context.Context
		dir    string
		wantIs error // nil: only a non-nil error is checked
	}{
		{"missing", t.Context(), filepath.Join(root, "missing"), fs.ErrNotExist},
		{"a file", t.Context(), filepath.Join(root, "a.txt"), nil},
		{"cancelled", cancelled, root, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, skipped, err := LoadDir(tt.ctx, tt.dir, Options{})
			if err == nil || (tt.wantIs != nil && !errors.Is(err, tt.wantIs)) {
				t.Errorf("LoadDir(%q) error = %v; want %v", tt.dir, err, tt.wantIs)
			}
			if docs != nil || skipped != nil {
				t.Errorf("LoadDir(%q) = %v, %v with an error; want nil slices", tt.dir, docs, skipped)
			}
		})
	}
}

func TestLoadDirRootIsSymlink(t *testing.T) {
	real := t.TempDir()
	writeTree(t, real, map[string]string{"a.txt": "a\n", "sub/up": ""})
	os.Remove(filepath.Join(real, "sub", "up"))
	symlink(t, "..", filepath.Join(real, "sub", "up"))
	link := filepath.Join(t.TempDir(), "corpus")
	symlink(t, real, link)
	docs, skipped, err := LoadDir(t.Context(), link, Options{})
	if err != nil {
		t.Fatalf("LoadDir: %v", err)
	}
	if len(docs) != 1 || docs[0].Path != "a.txt" {
		t.Errorf("LoadDir docs = %+v; want a.txt", docs)
	}
	if want := []Skipped{{"sub/up", "symlink loop"}}; !slices.Equal(skipped, want) {
		t.Errorf("LoadDir skipped = %q; want %q", skipped, want)
	}
}

// TestLoadFSOverDirFS checks that LoadFS, which cannot tell a loop, never
// follows a link to a directory, and reports links it cannot use.
func TestLoadFSOverDirFS(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{"a.txt": "a\n", "sub/b.txt": "b\n"})
	symlink(t, "self.md", filepath.Join(root, "self.md"))
	symlink(t, "missing.md", filepath.Join(root, "broken.md"))
	symlink(t, "sub", filepath.Join(root, "dir-link.md"))
	symlink(t, ".", filepath.Join(root, "sub", "loop"))
	symlink(t, "sub/b.txt", filepath.Join(root, "file-link.txt"))

	docs, skipped, err := LoadFS(t.Context(), os.DirFS(root), Options{})
	if err != nil {
		t.Fatalf("LoadFS: %v", err)
	}
	var paths []string
	for _, d := range docs {
		paths = append(paths, d.Path)
	}
	if want := []string{"a.txt", "file-link.txt", "sub/b.txt"}; !slices.Equal(paths, want) {
		t.Errorf("LoadFS paths = %q; want %q", paths, want)
	}
	want := []Skipped{
		{"broken.md", "broken symlink"},
		{"dir-link.md", "symlink to a directory (not followed)"},
		{"self.md", "symlink loop"},
	}
	if !slices.Equal(skipped, want) {
		t.Errorf("LoadFS skipped = %q; want %q", skipped, want)
	}
}
