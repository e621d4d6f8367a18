package library

import (
	"path"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/govbot-dev/govbot/knowledge/document"
)

func TestFileName(t *testing.T) {
	tests := []struct {
		name, title, filename string
		stem, ext             string
		ok                    bool
	}{
		{"plain", "", "notes.md", "notes", ".md", true},
		{"climbs out", "", "../../etc/passwd.md", "passwd", ".md", true},
		{"windows path", "", `C:\Users\x\..\Report 2015.HTML`, "report-2015", ".html", true},
		{"accents", "", "über résumé.markdown", "uber-resume", ".markdown", true},
		{"other script", "", "多边.txt", "document", ".txt", true},
		{"only an extension", "", ".md", "", "", false},
		{"archive", "", "archive.tar.gz", "", "", false},
		{"no extension", "", "noext", "", "", false},
		{"title wins", "The Wuzhen Declaration (2015)", "x.htm", "the-wuzhen-declaration-2015", ".htm", true},
		{"dashes only", "---", "---.md", "document", ".md", true},
		{"long", strings.Repeat("a", 100), "x.md", strings.Repeat("a", maxStem), ".md", true},
		{"edge dashes", "", "-x-.txt", "x", ".txt", true},
		{"dot dot stem", "", "...md", "document", ".md", true},
		{"nul", "", "a\x00b.md", "a-b", ".md", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stem, ext, ok := fileName(tt.title, tt.filename)
			if stem != tt.stem || ext != tt.ext || ok != tt.ok {
				t.Errorf("fileName(%q, %q) = %q, %q, %v; want %q, %q, %v", tt.title, tt.filename, stem, ext, ok, tt.stem, tt.ext, tt.ok)
			}
		})
	}
}

func TestValidGuild(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"123456789012345678", true},
		{"1", true},
		{"18446744073709551615", true},
		{"18446744073709551616", false},
		{"", false},
		{"0", false},
		{"0123", false},
		{"../1", false},
		{"1/2", false},
		{"１２３", false}, // full-width digits
		{"12 3", false},
		{"-1", false},
		{"+1", false},
	}
	for _, tt := range tests {
		if got := ValidGuild(tt.id); got != tt.want {
			t.Errorf("ValidGuild(%q) = %v; want %v", tt.id, got, tt.want)
		}
	}
}

func TestWithTitle(t *testing.T) {
	tests := []struct {
		name, data, title, want string
	}{
		{"no front matter", "Body text.\n", "New", "New"},
		{"replaces a title", "---\ntitle: Old\nauthor: A\n---\nBody.\n", "New", "New"},
		{"replaces a folded title", "---\nTitle: >\n  Old\n  title\nauthor: A\n---\nBody.\n", "New", "New"},
		{"quotes YAML", "Body.\n", `a: "b" # c`, `a: "b" # c`},
		{"one line, no controls", "Body.\n", "two\nlines\u0000\u202e", "two lines"},
		{"CRLF and BOM", "\uFEFF---\r\ntitle: Old\r\n---\r\nBody.\r\n", "New", "New"},
		{"html", "<html><head><title>Old</title></head><body><p>Text here.</p></body></html>", "New", "New"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := withTitle([]byte(tt.data), tt.title)
			ext := ".md"
			if tt.name == "html" {
				ext = ".html"
			}
			doc, err := document.Parse("x"+ext, out)
			if err != nil {
				t.Fatalf("Parse(withTitle(%q, %q)) = %v\n%s", tt.data, tt.title, err, out)
			}
			if doc.Title != tt.want {
				t.Errorf("title = %q; want %q\n%s", doc.Title, tt.want, out)
			}
			if strings.Contains(tt.data, "author: A") && doc.Author != "A" {
				t.Errorf("author lost:\n%s", out)
			}
		})
	}
	if got := withTitle([]byte("caf\xe9"), "x"); string(got) != "caf\xe9" {
		t.Errorf("withTitle changed data that is not UTF-8: %q", got)
	}
}

// FuzzFileName: whatever a user names a file or titles it, the stored
// name is one plain file name of a-z, 0-9 and "-" with a document
// extension, and the id the loader gives it is the one the Library
// expects.
func FuzzFileName(f *testing.F) {
	for _, s := range []string{"notes.md", "../../x.md", `C:\a\b.HTML`, "多边.txt", ".md", "a\x00.md", "...", "x.tar.gz"} {
		f.Add("", s)
		f.Add("Title: "+s, s)
	}
	f.Fuzz(func(t *testing.T, title, filename string) {
		stem, ext, ok := fileName(title, filename)
		if !ok {
			return
		}
		name := stem + ext
		if stem == "" || len(stem) > maxStem || strings.Trim(stem, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" ||
			strings.HasPrefix(stem, "-") || strings.HasSuffix(stem, "-") || strings.Contains(stem, "--") {
			t.Fatalf("fileName(%q, %q) stem %q", title, filename, stem)
		}
		if path.Base(name) != name || !document.Supported(name) {
			t.Fatalf("fileName(%q, %q) = %q", title, filename, name)
		}
		if id := docID(uploadsDir + "/" + name); id != "uploads-"+stem {
			t.Fatalf("docID = %q", id)
		}
	})
}

func FuzzValidGuild(f *testing.F) {
	for _, s := range []string{"123456789012345678", "../x", "0", "18446744073709551616", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		if !ValidGuild(id) {
			return
		}
		if strings.ContainsAny(id, `/\.`) || path.Base(id) != id || id == "" {
			t.Fatalf("ValidGuild(%q) accepts a name that is not one plain folder name", id)
		}
	})
}

// FuzzWithTitle: a title never breaks a document that parsed before, and
// the document then has that title (cleaned).
func FuzzWithTitle(f *testing.F) {
	f.Add("Body.\n", "New")
	f.Add("---\ntitle: Old\n---\nBody.\n", "a: b")
	f.Add("---\n---\n", "---")
	f.Fuzz(func(t *testing.T, data, title string) {
		if _, err := document.Parse("x.md", []byte(data)); err != nil || !utf8.ValidString(title) {
			return
		}
		out := withTitle([]byte(data), title)
		doc, err := document.Parse("x.md", out)
		if err != nil {
			t.Fatalf("withTitle(%q, %q) broke the document: %v\n%s", data, title, err, out)
		}
		if c := cleanTitle(title); c != "" && doc.Title != c {
			t.Fatalf("title %q; want %q", doc.Title, c)
		}
	})
}
