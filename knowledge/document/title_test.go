package document

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseTitle(t *testing.T) {
	long := strings.Repeat("word ", 60) // 300 runes
	tests := []struct {
		name, path, in, want string
	}{
		{"front matter wins", "a.md", "---\ntitle: FM\n---\n# Heading\n", "FM"},
		{"blank front matter title falls back", "a.md", "---\ntitle: \"  \"\n---\n# Heading\n", "Heading"},
		{"markdown heading", "a.md", "Intro line.\n\n# The Heading #\n", "The Heading"},
		{"markdown heading keeps inner hashes", "a.md", "# C# in 2015\n", "C# in 2015"},
		{"markdown level two is not the title", "a.md", "## Section\n\nText\n", "Section"},
		{"markdown hashtag is not a heading", "a.md", "#wuzhen summit\n# Real\n", "Real"},
		{"markdown heading in a code fence ignored", "a.md", "```sh\n# comment\n```\n# Real\n", "Real"},
		{"markdown heading in a tilde fence ignored", "a.md", "~~~\n# comment\n~~~~\n# Real\n", "Real"},
		{"markdown indented code ignored", "a.md", "Text\n\n    # comment\n", "Text"},
		{"markdown empty heading skipped", "a.md", "#\n# Real\n", "Real"},
		{"markdown heading indented up to three", "a.md", "   # Real\n", "Real"},
		{"text has no headings", "a.txt", "Intro line.\n# Not a heading in text\n", "Intro line."},
		{"text first non-empty line", "a.txt", "\n\n   First   line  \nSecond\n", "First line"},
		{"markdown first line with heading marks", "a.md", "\n### Section ###\nText\n", "Section"},
		{"html title", "a.html", "<title> The  Title </title><h1>H1</h1><p>x</p>", "The Title"},
		{"html h1", "a.html", "<title> </title><p>intro</p><article><header><h1>Head<br>line</h1></header><p>x</p></article>", "Headline"},
		{"html h1 in article before others", "a.html", "<body><div><h1>Site</h1></div><article><h1>Story</h1><p>x</p></article>", "Story"},
		{"html h1 anywhere", "a.html", "<body><div><h1>Site</h1></div><p>x</p>", "Site"},
		{"html svg title ignored", "a.html", "<body><svg><title>Icon</title></svg><p>First paragraph</p>", "First paragraph"},
		{"html first paragraph", "a.html", "<body><p>First paragraph</p><p>Second</p>", "First paragraph"},
		{"long line cut at a word", "a.txt", long, strings.TrimSpace(long[:199]) + "…"},
		{"long line cut inside a word goes back to the word", "a.txt", "x" + long, "x" + strings.TrimSpace(long[:194]) + "…"},
		{"long line without spaces cut between runes", "a.txt", strings.Repeat("网", 250), strings.Repeat("网", 199) + "…"},
		{"exactly 200 runes kept", "a.txt", strings.Repeat("é", 200), strings.Repeat("é", 200)},
		{"200 runes then trailing blanks kept", "a.txt", strings.Repeat("a", 200) + " \t \nnext", strings.Repeat("a", 200)},
		{"201 runes cut", "a.txt", strings.Repeat("a", 100) + " " + strings.Repeat("b", 99) + " c", strings.Repeat("a", 100) + "…"},
		{"huge single line", "a.txt", strings.Repeat("ab ", 1<<20), strings.TrimSpace(strings.Repeat("ab ", 66)) + "…"},
		{"cut before a space keeps the whole word", "a.txt", strings.Repeat("a", 199) + " b" + strings.Repeat("c", 10), strings.Repeat("a", 199) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Parse(tt.path, []byte(tt.in))
			if err != nil {
				t.Fatalf("Parse(%q, %.60q) error = %v", tt.path, tt.in, err)
			}
			if doc.Title != tt.want {
				t.Errorf("Parse(%q, %.60q).Title = %q; want %q", tt.path, tt.in, doc.Title, tt.want)
			}
			if n := utf8.RuneCountInString(doc.Title); n > maxLineTitleRunes && tt.name != "front matter wins" {
				t.Errorf("Title has %d runes; want at most %d", n, maxLineTitleRunes)
			}
		})
	}
}

func TestFileTitle(t *testing.T) {
	tests := []struct {
		name, path, want string
	}{
		{"name without extension", "reports/WIC 2015.md", "WIC 2015"},
		{"white space collapsed", "a/  two   words .txt", "two words"},
		{"only an extension", "dir/.md", ".md"},
		{"nothing", "", "untitled"},
		{"root", "/", "untitled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fileTitle(tt.path); got != tt.want {
				t.Errorf("fileTitle(%q) = %q; want %q", tt.path, got, tt.want)
			}
		})
	}
}

func TestCollapsePrefix(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{"no limit", "  a \t b\n\nc  ", -1, "a b c"},
		{"unicode spaces", "a\u00a0\u3000b\u2028c", -1, "a b c"},
		{"empty", " \n ", -1, ""},
		{"limit counts the space", "ab   cd", 3, "ab "},
		{"limit inside a word", "abcdef", 4, "abcd"},
		{"limit at the end", "ab cd  ", 5, "ab cd"},
		{"limit zero", "ab", 0, ""},
		{"multibyte", "网络 主权", 4, "网络 主"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := collapsePrefix(tt.in, tt.n); got != tt.want {
				t.Errorf("collapsePrefix(%q, %d) = %q; want %q", tt.in, tt.n, got, tt.want)
			}
		})
	}
}
