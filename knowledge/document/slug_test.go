package document

import (
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
		name  string
		paths []string
		want  map[string]string // path -> ID
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
			docs, skipped, err := LoadFS(t.Context(), fsys, Options{})
			if err != nil || len(skipped) > 0 {
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
