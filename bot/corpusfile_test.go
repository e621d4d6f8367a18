package bot

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govbot-dev/govbot/knowledge/document"
)

func TestUploadName(t *testing.T) {
	tests := []struct {
		title, filename string
		stem, ext       string
		ok              bool
	}{
		{"", "notes.md", "notes", ".md", true},
		{"", "../../etc/passwd.md", "passwd", ".md", true},
		{"", `C:\Users\x\..\Report 2015.HTML`, "report-2015", ".html", true},
		{"", "über résumé.markdown", "uber-resume", ".markdown", true},
		{"", "多边.txt", "document", ".txt", true},
		{"", ".md", "", "", false},
		{"", "archive.tar.gz", "", "", false},
		{"", "noext", "", "", false},
		{"The Wuzhen Declaration (2015)", "x.htm", "the-wuzhen-declaration-2015", ".htm", true},
		{"---", "---.md", "document", ".md", true},
		{strings.Repeat("a", 100), "x.md", strings.Repeat("a", maxStem), ".md", true},
		{"", "-x-.txt", "x", ".txt", true},
	}
	for _, tt := range tests {
		stem, ext, ok := uploadName(tt.title, tt.filename)
		if stem != tt.stem || ext != tt.ext || ok != tt.ok {
			t.Errorf("uploadName(%q, %q) = %q, %q, %v; want %q, %q, %v", tt.title, tt.filename, stem, ext, ok, tt.stem, tt.ext, tt.ok)
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

func TestPlaceUploadNeverOverwritesUnlessAsked(t *testing.T) {
	dir := t.TempDir()
	p1, err := placeUpload(dir, "notes", ".md", []byte("one"), false)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := placeUpload(dir, "notes", ".txt", []byte("two"), false)
	if err != nil {
		t.Fatal(err)
	}
	if p1.rel != "uploads/notes.md" || p2.rel != "uploads/notes-2.txt" {
		t.Errorf("placed %q then %q; want uploads/notes.md then uploads/notes-2.txt", p1.rel, p2.rel)
	}
	p3, err := placeUpload(dir, "notes", ".txt", []byte("three"), true)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "uploads", "notes.txt")); string(b) != "three" {
		t.Errorf("replaced file holds %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "uploads", "notes.md")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("replace left notes.md (same document id): %v", err)
	}
	if err := p3.undo(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "uploads", "notes.md")); string(b) != "one" {
		t.Errorf("undo did not restore notes.md: %q", b)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "uploads"))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left a hidden file: %s", e.Name())
		}
	}
}

func TestSetAsideStaysInsideTheCorpus(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret.md"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "doc.md"), []byte("x"), 0o644)
	if err := os.Symlink(outside, filepath.Join(dir, "linked")); err != nil {
		t.Skip("no symlinks:", err)
	}
	for _, rel := range []string{"../" + filepath.Base(outside) + "/secret.md", "/etc/passwd", "linked/secret.md", "", "."} {
		if _, err := setAside(dir, rel); err == nil {
			t.Errorf("setAside(%q) succeeded; want a refusal", rel)
		}
	}
	if _, err := os.Stat(filepath.Join(outside, "secret.md")); err != nil {
		t.Errorf("a file outside the corpus was touched: %v", err)
	}
	p, err := setAside(dir, "doc.md")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "doc.md")); !errors.Is(err, os.ErrNotExist) {
		t.Error("doc.md still there")
	}
	p.undo()
	if _, err := os.Stat(filepath.Join(dir, "doc.md")); err != nil {
		t.Errorf("undo did not restore doc.md: %v", err)
	}
}

func TestDownloadAllowed(t *testing.T) {
	tests := []struct {
		api, url string
		want     bool
	}{
		{"", "https://cdn.discordapp.com/attachments/1/2/a.md?ex=1&hm=2", true},
		{"", "https://media.discordapp.net/attachments/1/2/a.md", true},
		{"", "https://CDN.discordapp.com/attachments/1/2/a.md", true},
		{"", "http://cdn.discordapp.com/attachments/1/2/a.md", false},
		{"", "https://cdn.discordapp.com:8443/a.md", false},
		{"", "https://cdn.discordapp.com.evil.example/a.md", false},
		{"", "https://user:pw@cdn.discordapp.com/a.md", false},
		{"", "https://evil.example/a.md", false},
		{"", "file:///etc/passwd", false},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080/attachments/1/2/a.md", true},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8081/attachments/1/2/a.md", false},
		{"http://127.0.0.1:8080", "https://127.0.0.1:8080/a.md", false},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		if got := newDownloader(tt.api, 1).allowed(u); got != tt.want {
			t.Errorf("downloadAllowed(%q) with API %q = %v; want %v", tt.url, tt.api, got, tt.want)
		}
	}
}
