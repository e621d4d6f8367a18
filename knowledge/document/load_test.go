package document

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"
	"time"
)

func TestLoadFS(t *testing.T) {
	mod := time.Date(2015, 12, 22, 10, 0, 0, 0, time.UTC)
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s), ModTime: mod} }
	fsys := fstest.MapFS{
		"synonyms.yaml":          file("- [WIC, World Internet Conference]\n"),
		"README":                 file("not a document\n"),
		"image.png":              file("\x89PNG\r\n\x1a\n\x00"),
		".hidden.md":             file("hidden\n"),
		".git/config.txt":        file("hidden dir\n"),
		"b.txt":                  file("B text\n"),
		"a.md":                   file("# A\n\ntext\n"),
		"a-c.md":                 file("AC\n"),
		"a/z.html":               file("<title>Z</title><p>z</p>"),
		"a/.cache/x.txt":         file("hidden dir\n"),
		"deep/er/still/d.TXT":    file("D\n"),
		"bad/binary.txt":         file("abc\x00def"),
		"bad/latin1.txt":         file("caf\xe9"),
		"bad/empty.md":           file(""),
		"bad/blank.md":           file("\n\n   \n"),
		"bad/front.md":           file("---\ntitle: [x\n---\nBody\n"),
		"bad/unclosed.md":        file("---\ntitle: x\n"),
		"bad/big.txt":            file(string(make([]byte, 2000))),
		"bad/no-text.html":       file("<script>x()</script>"),
		"bad/link-to-dir.md":     &fstest.MapFile{Mode: fs.ModeDir},
		"bad/device.txt":         &fstest.MapFile{Mode: fs.ModeDevice},
		"bad/big-but-fine.jpeg":  file(string(make([]byte, 2000))),
		"exactly-the-limit.txt":  file(string(fillText(1024))),
		"over-the-limit-by1.txt": file(string(fillText(1025))),
	}
	docs, skipped, err := LoadFS(t.Context(), fsys, Options{MaxFileSize: 1024, Ignore: []string{"synonyms.yaml"}})
	if err != nil {
		t.Fatalf("LoadFS: %v", err)
	}

	var paths []string
	for _, d := range docs {
		paths = append(paths, d.Path)
		if !d.ModTime.Equal(mod) {
			t.Errorf("%s: ModTime = %v; want %v", d.Path, d.ModTime, mod)
		}
		if d.Size <= 0 || len(d.Hash) != 64 {
			t.Errorf("%s: Size %d, Hash %q", d.Path, d.Size, d.Hash)
		}
	}
	wantPaths := []string{"a-c.md", "a.md", "a/z.html", "b.txt", "deep/er/still/d.TXT", "exactly-the-limit.txt"}
	if !slices.Equal(paths, wantPaths) {
		t.Errorf("LoadFS paths = %q; want %q", paths, wantPaths)
	}
	wantSkipped := []Skipped{
		{"README", "unsupported file type (no extension)"},
		{"bad/big-but-fine.jpeg", "unsupported file type .jpeg"},
		{"bad/big.txt", "larger than 1 KiB limit (2 KiB)"},
		{"bad/binary.txt", "binary file"},
		{"bad/blank.md", "empty"},
		{"bad/device.txt", "not a regular file"},
		{"bad/empty.md", "empty"},
		// yaml.v3 numbers this parser error from the line before the "[".
		{"bad/front.md", "bad front matter: yaml: line 1: did not find expected ',' or ']'"},
		{"bad/latin1.txt", "not valid UTF-8"},
		{"bad/no-text.html", "no text after HTML extraction"},
		{"bad/unclosed.md", `bad front matter: no closing "---" line`},
		{"image.png", "unsupported file type .png"},
		{"over-the-limit-by1.txt", "larger than 1 KiB limit (1 KiB)"},
	}
	if !slices.Equal(skipped, wantSkipped) {
		t.Errorf("LoadFS skipped =\n%q\nwant\n%q", skipped, wantSkipped)
	}
}

// fillText returns n bytes of text.
func fillText(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a' + byte(i%26)
	}
	return b
}

// faultyFS is a MapFS in which some operations fail or lie, as a real
// file system may.
type faultyFS struct {
	fstest.MapFS
	openErr    map[string]error // Open fails
	readDirErr map[string]error // ReadDir fails
	shrink     map[string]bool  // Stat reports a size of 1
}

func (f faultyFS) Open(name string) (fs.File, error) {
	if err := f.openErr[name]; err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return f.MapFS.Open(name)
}

func (f faultyFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if err := f.readDirErr[name]; err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	return f.MapFS.ReadDir(name)
}

func (f faultyFS) Stat(name string) (fs.FileInfo, error) {
	info, err := f.MapFS.Stat(name)
	if err == nil && f.shrink[name] {
		info = smallInfo{info}
	}
	return info, err
}

type smallInfo struct{ fs.FileInfo }

func (smallInfo) Size() int64 { return 1 }

func TestLoadFSFaults(t *testing.T) {
	fsys := faultyFS{
		MapFS: fstest.MapFS{
			"good.txt":          {Data: []byte("good\n")},
			"locked.txt":        {Data: []byte("secret\n")},
			"eio.txt":           {Data: []byte("text\n")},
			"grown.txt":         {Data: fillText(300)},
			"private/x.txt":     {Data: []byte("x\n")},
			"private.jpg/x.txt": {Data: []byte("x\n")},
		},
		openErr: map[string]error{
			"locked.txt": fs.ErrPermission,
			"eio.txt":    errors.New("input/output error"),
		},
		readDirErr: map[string]error{"private": fs.ErrPermission},
		shrink:     map[string]bool{"grown.txt": true},
	}
	docs, skipped, err := LoadFS(t.Context(), fsys, Options{MaxFileSize: 100})
	if err != nil {
		t.Fatalf("LoadFS: %v", err)
	}
	if len(docs) != 2 || docs[0].Path != "good.txt" || docs[1].Path != "private.jpg/x.txt" {
		t.Errorf("LoadFS docs = %+v; want good.txt and private.jpg/x.txt", docs)
	}
	want := []Skipped{
		{"eio.txt", "cannot read: input/output error"},
		{"grown.txt", "larger than 100 B limit"},
		{"locked.txt", "permission denied"},
		{"private", "permission denied"},
	}
	if !slices.Equal(skipped, want) {
		t.Errorf("LoadFS skipped =\n%q\nwant\n%q", skipped, want)
	}
}

func TestLoadFSErrors(t *testing.T) {
	tests := []struct {
		name   string
		fsys   fs.FS
		ctx    func() context.Context
		wantIs error
	}{
		{
			name:   "unreadable root",
			fsys:   faultyFS{MapFS: fstest.MapFS{"a.txt": {Data: []byte("a")}}, readDirErr: map[string]error{".": fs.ErrPermission}},
			ctx:    context.Background,
			wantIs: fs.ErrPermission,
		},
		{
			name: "cancelled",
			fsys: fstest.MapFS{"a.txt": {Data: []byte("a")}},
			ctx: func() context.Context {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				return ctx
			},
			wantIs: context.Canceled,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, skipped, err := LoadFS(tt.ctx(), tt.fsys, Options{})
			if !errors.Is(err, tt.wantIs) {
				t.Errorf("LoadFS error = %v; want %v", err, tt.wantIs)
			}
			if docs != nil || skipped != nil {
				t.Errorf("LoadFS = %v, %v with an error; want nil slices", docs, skipped)
			}
		})
	}
}

func TestLoadFSEmpty(t *testing.T) {
	docs, skipped, err := LoadFS(t.Context(), fstest.MapFS{"synonyms.yaml": {Data: []byte("[]")}}, Options{Ignore: []string{"synonyms.yaml"}})
	if err != nil || len(docs) != 0 || len(skipped) != 0 {
		t.Errorf("LoadFS of a corpus without documents = %v, %v, %v; want nothing", docs, skipped, err)
	}
}

func TestFormatSize(t *testing.T) {
	tests := []struct {
		name string
		n    int64
		want string
	}{
		{"zero", 0, "0 B"},
		{"bytes", 1023, "1023 B"},
		{"one KiB", 1024, "1 KiB"},
		{"fraction", 1536, "1.5 KiB"},
		{"default limit", DefaultMaxFileSize, "10 MiB"},
		{"spec example", 54_945_383, "52.4 MiB"},
		{"GiB", 3 << 30, "3 GiB"},
		{"largest", 1<<63 - 1, "8 EiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatSize(tt.n); got != tt.want {
				t.Errorf("formatSize(%d) = %q; want %q", tt.n, got, tt.want)
			}
		})
	}
}
