package document

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		path    string
		in      string
		want    Document // ID, Title, Author, Published, URL, Body are checked
		wantErr error    // checked with errors.Is
		errText string   // exact error text when wantErr is set
	}{
		{
			name: "text verbatim",
			path: "Reports/WIC 2015.txt",
			in:   "First line\n\n  indented *not markdown*\t\nlast line without newline",
			want: Document{ID: "reports-wic-2015", Title: "First line",
				Body: "First line\n\n  indented *not markdown*\t\nlast line without newline"},
		},
		{
			name: "markdown rendered as plain text",
			path: "notes.md",
			in:   "---\nauthor: A\n---\n# The *Title*\n\nSome **bold** text and a [link](https://x.org).\n\n## Part `two`\n\n- one\n- ![alt text](x.png)\n",
			want: Document{ID: "notes", Title: "The Title", Author: "A",
				Body:    "The Title\n\nSome bold text and a link.\n\nPart two\n\none\n\nalt text",
				Anchors: []Anchor{{Offset: 39, Section: "Part two"}}},
		},
		{
			name: "CRLF becomes LF",
			path: "a.txt",
			in:   "---\r\ntitle: T\r\n---\r\n\r\nOne\r\nTwo\r\n",
			want: Document{ID: "a", Title: "T", Body: "One\nTwo\n"},
		},
		{
			name: "lone CR kept",
			path: "a.txt",
			in:   "One\rTwo\n",
			want: Document{ID: "a", Title: "One Two", Body: "One\rTwo\n"},
		},
		{
			name: "BOM stripped before front matter",
			path: "a.md",
			in:   "\uFEFF---\ntitle: T\n---\nBody\n",
			want: Document{ID: "a", Title: "T", Body: "Body"},
		},
		{
			name: "extension in any case",
			path: "dir/Page.HTM",
			in:   "<title>T</title><p>Hello</p>",
			want: Document{ID: "dir-page", Title: "T", Body: "Hello"},
		},
		{
			name: "front matter over HTML metadata",
			path: "a.html",
			in: "---\nauthor: From Front Matter\n---\n<html><head><title>HTML title</title>" +
				"<meta name=author content=\"From Meta\"><meta name=date content=\"2016-01-02\">" +
				"<link rel=canonical href=\"https://example.org/a\"></head><body><p>Text</p></body></html>",
			want: Document{ID: "a", Title: "HTML title", Author: "From Front Matter", Published: "2016-01-02",
				URL: "https://example.org/a", Body: "Text"},
		},
		{
			name:    "unsupported",
			path:    "synonyms.yaml",
			in:      "- [a, b]\n",
			wantErr: ErrUnsupported,
			errText: `unsupported file type: ".yaml"`,
		},
		{
			name:    "NUL byte",
			path:    "a.txt",
			in:      "text\x00more",
			wantErr: ErrBinary,
			errText: "binary file",
		},
		{
			name:    "NUL byte wins over invalid UTF-8",
			path:    "a.txt",
			in:      "\xff\xfe\x00\x00",
			wantErr: ErrBinary,
			errText: "binary file",
		},
		{
			name: "NUL byte after the first 8 KiB is text",
			path: "a.txt",
			in:   strings.Repeat("a", binarySniffLen) + "\x00",
			want: Document{ID: "a", Title: strings.Repeat("a", 199) + "…", Body: strings.Repeat("a", binarySniffLen) + "\x00"},
		},
		{
			name:    "Latin-1",
			path:    "a.txt",
			in:      "caf\xe9\n",
			wantErr: ErrNotUTF8,
			errText: "not valid UTF-8",
		},
		{
			name:    "UTF-16",
			path:    "a.txt",
			in:      "\xff\xfeh\x00i\x00",
			wantErr: ErrBinary,
			errText: "binary file",
		},
		{
			name:    "zero bytes",
			path:    "a.md",
			in:      "",
			wantErr: ErrEmpty,
			errText: "empty",
		},
		{
			name:    "white space only",
			path:    "a.txt",
			in:      " \n\t\r\n\u00a0\u3000\n",
			wantErr: ErrEmpty,
			errText: "empty",
		},
		{
			name:    "BOM only",
			path:    "a.txt",
			in:      "\uFEFF",
			wantErr: ErrEmpty,
			errText: "empty",
		},
		{
			name:    "front matter only",
			path:    "a.md",
			in:      "---\ntitle: T\n---\n\n\n",
			wantErr: ErrEmpty,
			errText: "empty",
		},
		{
			name:    "blank HTML is empty",
			path:    "a.html",
			in:      "\n\n",
			wantErr: ErrEmpty,
			errText: "empty",
		},
		{
			name:    "HTML without text",
			path:    "a.html",
			in:      "<html><head><title>T</title><script>var x = 1;</script></head><body><nav>Home</nav><img src=x.png></body></html>",
			wantErr: ErrNoHTMLText,
			errText: "no text after HTML extraction",
		},
		{
			name:    "HTML nested too deeply",
			path:    "a.html",
			in:      strings.Repeat("<div>", 600) + "x",
			errText: "bad HTML: html: open stack of elements exceeds 512 nodes",
		},
		{
			name:    "bad front matter",
			path:    "a.md",
			in:      "---\ntitle: [a]\n---\nBody\n",
			wantErr: ErrFrontMatter,
			errText: "bad front matter: line 2: title must be text, not a list",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.path, []byte(tt.in))
			if tt.errText != "" {
				if err == nil || err.Error() != tt.errText || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
					t.Fatalf("Parse(%q, %.40q) error = %v; want %q (%v)", tt.path, tt.in, err, tt.errText, tt.wantErr)
				}
				if !reflect.DeepEqual(got, Document{}) {
					t.Errorf("Parse(%q, %.40q) = %+v with error; want zero Document", tt.path, tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q, %.40q) error = %v", tt.path, tt.in, err)
			}
			sum := sha256.Sum256([]byte(tt.in))
			want := tt.want
			want.Path, want.Hash, want.Size = tt.path, hex.EncodeToString(sum[:]), int64(len(tt.in))
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Parse(%q, %.40q) =\n%+v\nwant\n%+v", tt.path, tt.in, got, want)
			}
		})
	}
}

func TestParseDoesNotKeepData(t *testing.T) {
	data := []byte("Original text\n")
	doc, err := Parse("a.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	copy(data, bytes.Repeat([]byte("x"), len(data)))
	if doc.Body != "Original text\n" {
		t.Errorf("Body changed with the caller's buffer: %q", doc.Body)
	}
}

func TestSupported(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"a.md", true},
		{"a.markdown", true},
		{"a.txt", true},
		{"a.html", true},
		{"a.htm", true},
		{"dir/A.MD", true},
		{"A.Html", true},
		{"synonyms.yaml", false},
		{"a.pdf", true},
		{"a.DOCX", true},
		{"a.odt", true},
		{"a.doc", false},
		{"a.md.bak", false},
		{"README", false},
		{"md", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if got := Supported(tt.path); got != tt.want {
				t.Errorf("Supported(%q) = %v; want %v", tt.path, got, tt.want)
			}
		})
	}
}
