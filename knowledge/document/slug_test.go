package document

import (
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestSlug(t *testing.T) {
	tests := []struct {
		name, path, want string
	}{
		{"spec example", "Reports/WIC 2015.md", "reports-wic-2015"},
		{"already a slug", "framing-the-agenda.txt", "framing-the-agenda"},
		{"runs collapse and ends trim", "  --Hello,   World!!--.txt", "hello-world"},
		{"dots in directories", "v1.2/notes.md", "v1-2-notes"},
		{"only the last extension goes", "a.tar.md", "a-tar"},
		{"underscores", "snake_case_name.md", "snake-case-name"},
		{"unicode letters kept", "Fang Kecheng (方可成).txt", "fang-kecheng-方可成"},
		{"accents kept", "Café Société.md", "café-société"},
		{"combining marks kept", "Cafe\u0301 au lait.md", "cafe\u0301-au-lait"},
		{"digits", "2015/12/22.md", "2015-12-22"},
		{"nothing left", "!!!.md", "doc"},
		{"empty", "", "doc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := slug(tt.path); got != tt.want {
				t.Errorf("slug(%q) = %q; want %q", tt.path, got, tt.want)
			}
		})
	}
}

func TestLoadIDCollisions(t *testing.T) {
	tests := []struct {
		name   string
		paths  []string
		broken []string          // empty files, skipped
		want   map[string]string // path -> ID
	}{
		{
			name:  "same name different extensions",
			paths: []string{"a.txt", "a.md", "a.html"},
			want:  map[string]string{"a.html": "a", "a.md": "a-2", "a.txt": "a-3"},
		},
		{
			name:  "a natural slug is never taken by a suffix",
			paths: []string{"a.md", "a.txt", "a-2.md"},
			want:  map[string]string{"a-2.md": "a-2", "a.md": "a", "a.txt": "a-3"},
		},
		{
			name:  "case and punctuation collide",
			paths: []string{"Reports/WIC 2015.md", "reports/wic-2015.txt", "reports_wic_2015.md"},
			want: map[string]string{
				"Reports/WIC 2015.md":  "reports-wic-2015",
				"reports/wic-2015.txt": "reports-wic-2015-2",
				"reports_wic_2015.md":  "reports-wic-2015-3",
			},
		},
		{
			name:   "a broken file takes no slug",
			paths:  []string{"a.md", "a.txt"},
			broken: []string{"a.html"},
			want:   map[string]string{"a.md": "a", "a.txt": "a-2"},
		},
		{
			name:   "a broken file's natural slug is free for a duplicate",
			paths:  []string{"a.md", "a.txt"},
			broken: []string{"a-2.md"},
			want:   map[string]string{"a.md": "a", "a.txt": "a-2"},
		},
		{
			name:  "no collision",
			paths: []string{"a.md", "b.md"},
			want:  map[string]string{"a.md": "a", "b.md": "b"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, p := range tt.paths {
				fsys[p] = &fstest.MapFile{Data: []byte("<p>text of " + p + "</p>")}
			}
			for _, p := range tt.broken {
				fsys[p] = &fstest.MapFile{}
			}
			docs, skipped, err := LoadFS(t.Context(), fsys, Options{})
			if err != nil || len(skipped) != len(tt.broken) {
				t.Fatalf("LoadFS: %v, skipped %v", err, skipped)
			}
			got := map[string]string{}
			for _, d := range docs {
				got[d.Path] = d.ID
			}
			if len(got) != len(tt.want) {
				t.Fatalf("LoadFS IDs = %v; want %v", got, tt.want)
			}
			for p, id := range tt.want {
				if got[p] != id {
					t.Errorf("ID of %q = %q; want %q (all: %v)", p, got[p], id, got)
				}
			}
		})
	}
}

// openCounter counts the files opened in an fs.FS.
type openCounter struct {
	fs.FS
	opened *int
}

func (c openCounter) Open(name string) (fs.File, error) {
	f, err := c.FS.Open(name)
	if err == nil && name != "." && path.Ext(name) != "" { // not a directory
		*c.opened++
	}
	return f, err
}

func (c openCounter) Stat(name string) (fs.FileInfo, error) { return fs.Stat(c.FS, name) }

// TestListThenRead: listing reads only the files whose IDs depend on
// others, and reading the listed files one at a time gives what LoadFS
// gives.
func TestListThenRead(t *testing.T) {
	fsys := fstest.MapFS{
		"a.md":      {Data: []byte("A\n")},
		"a.html":    {},
		"b.txt":     {Data: []byte("B\n")},
		"c/d.md":    {Data: []byte("D\n")},
		"c-e.md":    {Data: []byte("\x00")},
		"notes.png": {Data: []byte("png")},
	}
	opened := 0
	l, err := ListFS(t.Context(), openCounter{fsys, &opened}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if opened != 2 {
		t.Errorf("ListFS opened %d files; want 2 (a.md and a.html share a slug)", opened)
	}
	var docs []Document
	skipped := slices.Clone(l.Skipped)
	for _, f := range l.Files {
		d, err := l.Read(t.Context(), f)
		if err != nil {
			skipped = append(skipped, Skipped{f.Path, err.Error()})
			continue
		}
		if h, err := l.Hash(f); err != nil || h != d.Hash {
			t.Errorf("Hash(%s) = %q, %v; want %q", f.Path, h, err, d.Hash)
		}
		docs = append(docs, d)
	}
	slices.SortStableFunc(skipped, func(a, b Skipped) int { return strings.Compare(a.Path, b.Path) })
	wantDocs, wantSkipped, err := LoadFS(t.Context(), fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(docs, wantDocs, func(a, b Document) bool { return a.ID == b.ID && a.Path == b.Path && a.Body == b.Body }) {
		t.Errorf("listed and read: %v\nLoadFS: %v", docs, wantDocs)
	}
	if !slices.Equal(skipped, wantSkipped) {
		t.Errorf("listed and read skipped %q; LoadFS %q", skipped, wantSkipped)
	}
}
