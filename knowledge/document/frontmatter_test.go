package document

import (
	"errors"
	"strings"
	"testing"
)

func TestParseFrontMatter(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    meta   // with want.Title "" meaning "not checked"
		body    string // checked when err is ""
		wantErr string // exact error text; "" for none
	}{
		{
			name: "none",
			in:   "Just text.\n\nMore text.\n",
			body: "Just text.\n\nMore text.\n",
		},
		{
			name: "good",
			in: "---\ntitle: \"China’s first ever World Internet Conference\"\nauthor: Molly Bradtke\n" +
				"translator: David Bandurski\npublication: The Initium\npublished: \"2014-11-21\"\n" +
				"url: https://example.org/wic\n---\n\nBody.\n",
			want: meta{Title: "China’s first ever World Internet Conference", Author: "Molly Bradtke",
				Translator: "David Bandurski", Publication: "The Initium", Published: "2014-11-21",
				URL: "https://example.org/wic"},
			body: "Body.\n",
		},
		{
			name: "comments",
			in:   "---\n# The source gives no headline.\ntitle: T # trailing comment\n# another\n---\nBody.\n",
			want: meta{Title: "T"},
			body: "Body.\n",
		},
		{
			name: "empty block",
			in:   "---\n---\nBody.\n",
			body: "Body.\n",
		},
		{
			name: "only comments",
			in:   "---\n# nothing to see\n---\nBody.\n",
			body: "Body.\n",
		},
		{
			name: "unknown keys ignored",
			in:   "---\ntitle: T\ntags: [a, b]\nextra: {x: 1}\n---\nBody.\n",
			want: meta{Title: "T"},
			body: "Body.\n",
		},
		{
			name: "keys in any case",
			in:   "---\nTitle: T\nAUTHOR: A\n---\nBody.\n",
			want: meta{Title: "T", Author: "A"},
			body: "Body.\n",
		},
		{
			name: "values trimmed and collapsed",
			in:   "---\ntitle: |\n  Two\n  lines  \nauthor: \"  A   B \"\n---\nBody.\n",
			want: meta{Title: "Two lines", Author: "A B"},
			body: "Body.\n",
		},
		{
			name: "null and empty values",
			in:   "---\ntitle: ~\nauthor:\n---\nBody.\n",
			body: "Body.\n",
		},
		{
			name: "numbers are text",
			in:   "---\ntitle: 1984\n---\nBody.\n",
			want: meta{Title: "1984"},
			body: "Body.\n",
		},
		{
			name: "alias",
			in:   "---\nauthor: &a Jessica Ludwig\ntranslator: *a\n---\nBody.\n",
			want: meta{Author: "Jessica Ludwig", Translator: "Jessica Ludwig"},
			body: "Body.\n",
		},
		{
			name: "only the blank run after the block is trimmed",
			in:   "---\ntitle: T\n---\n\n  \n\t\n  Indented first line.\n\n\nSecond.\n\n",
			want: meta{Title: "T"},
			body: "  Indented first line.\n\n\nSecond.\n\n",
		},
		{
			name: "closing fence with trailing blanks",
			in:   "--- \ntitle: T\n---\t\nBody.\n",
			want: meta{Title: "T"},
			body: "Body.\n",
		},
		{
			name: "closing fence at end of file",
			in:   "---\ntitle: T\n---",
			want: meta{Title: "T"},
			body: "",
		},
		{
			name: "three dashes not alone on the first line is no front matter",
			in:   "---title: T\n---\nBody.\n",
			body: "---title: T\n---\nBody.\n",
		},
		{
			name: "front matter must be on the first line",
			in:   "\n---\ntitle: T\n---\nBody.\n",
			body: "\n---\ntitle: T\n---\nBody.\n",
		},
		{
			name: "four dashes is a rule, not a fence",
			in:   "----\nBody.\n",
			body: "----\nBody.\n",
		},
		{
			name:    "unclosed",
			in:      "---\ntitle: T\n\nBody.\n",
			wantErr: `bad front matter: no closing "---" line`,
		},
		{
			name:    "only an opening fence",
			in:      "---\n",
			wantErr: `bad front matter: no closing "---" line`,
		},
		{
			name: "bad yaml",
			in:   "---\ntitle: T\nauthor: [unclosed\n---\nBody.\n",
			// yaml.v3 numbers this parser error from the line before the
			// "[" (its context mark is 0-based); the text is yaml's own.
			wantErr: "bad front matter: yaml: line 2: did not find expected ',' or ']'",
		},
		{
			name:    "bad yaml indentation",
			in:      "---\ntitle: T\n  author: A\n---\nBody.\n",
			wantErr: "bad front matter: yaml: line 3: mapping values are not allowed in this context",
		},
		{
			name:    "wrong type list",
			in:      "---\ntitle: T\nauthor: [A, B]\n---\nBody.\n",
			wantErr: "bad front matter: line 3: author must be text, not a list",
		},
		{
			name:    "wrong type mapping",
			in:      "---\ntitle:\n  en: T\n---\nBody.\n",
			wantErr: "bad front matter: line 3: title must be text, not a mapping",
		},
		{
			name:    "wrong type date",
			in:      "---\ndate: {year: 2015}\n---\nBody.\n",
			wantErr: "bad front matter: line 2: date must be text, not a mapping",
		},
		{
			name:    "not a mapping",
			in:      "---\n- title\n- author\n---\nBody.\n",
			wantErr: `bad front matter: line 2: want "key: value" lines, not a list`,
		},
		{
			name:    "a bare value",
			in:      "---\nTitle of the piece\n---\nBody.\n",
			wantErr: `bad front matter: line 2: want "key: value" lines, not the single value "Title of the piece"`,
		},
		{
			name:    "duplicate key",
			in:      "---\ntitle: A\nauthor: X\nTitle: B\n---\nBody.\n",
			wantErr: "bad front matter: line 4: title already given on line 2",
		},
		{
			name: "document end marker",
			in:   "---\ntitle: A\n...\n---\nBody.\n",
			want: meta{Title: "A"},
			body: "Body.\n",
		},
		{
			name:    "two documents",
			in:      "---\ntitle: A\n--- second\n---\nBody.\n",
			wantErr: "bad front matter: line 3: more than one YAML document",
		},
		{
			name: "date key",
			in:   "---\ndate: 2015-12-22\n---\nBody.\n",
			want: meta{Published: "2015-12-22"},
			body: "Body.\n",
		},
		{
			name: "published wins over date",
			in:   "---\ndate: 2015-01-01\npublished: 2015-12-22\n---\nBody.\n",
			want: meta{Published: "2015-12-22"},
			body: "Body.\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, body, err := frontMatter(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || !errors.Is(err, ErrFrontMatter) {
					t.Fatalf("frontMatter(%q) error = %v; want %q wrapping ErrFrontMatter", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("frontMatter(%q) error = %v", tt.in, err)
			}
			if m != tt.want {
				t.Errorf("frontMatter(%q) meta = %+v; want %+v", tt.in, m, tt.want)
			}
			if body != tt.body {
				t.Errorf("frontMatter(%q) body = %q; want %q", tt.in, body, tt.body)
			}
		})
	}
}

func TestNormaliseDate(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"iso date", "2014-11-21", "2014-11-21"},
		{"rfc3339 keeps its own zone", "2015-12-22T23:30:00-05:00", "2015-12-22"},
		{"rfc3339 utc", "2015-12-22T10:00:00Z", "2015-12-22"},
		{"rfc3339 nano", "2015-12-22T10:00:00.123456Z", "2015-12-22"},
		{"local date time", "2015-12-22T10:00:00", "2015-12-22"},
		{"jekyll", "2015-12-22 10:00:00 +0800", "2015-12-22"},
		{"space separated", "2015-12-22 10:00", "2015-12-22"},
		{"slashes year first", "2015/12/22", "2015-12-22"},
		{"month name", "December 22, 2015", "2015-12-22"},
		{"short month name", "Dec 22, 2015", "2015-12-22"},
		{"day first month name", "22 December 2015", "2015-12-22"},
		{"rfc1123", "Tue, 22 Dec 2015 10:00:00 GMT", "2015-12-22"},
		{"weekday", "Tuesday, December 22, 2015", "2015-12-22"},
		{"ambiguous numeric kept", "03/04/2015", "03/04/2015"},
		{"year only kept", "2015", "2015"},
		{"month and year kept", "December 2015", "December 2015"},
		{"free text kept", "last week", "last week"},
		{"impossible date kept", "2015-02-30", "2015-02-30"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := normaliseDate(tt.in); got != tt.want {
				t.Errorf("normaliseDate(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseFrontMatterDateNormalised(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"quoted iso", "published: \"2014-11-21\"", "2014-11-21"},
		{"unquoted iso (a YAML timestamp)", "published: 2014-11-21", "2014-11-21"},
		{"unquoted timestamp with time", "published: 2014-11-21T08:00:00+08:00", "2014-11-21"},
		{"written out", "published: November 21, 2014", "2014-11-21"},
		{"date key written out", "date: 21 Nov 2014", "2014-11-21"},
		{"not a date", "published: Winter 2014", "Winter 2014"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := "---\n" + tt.in + "\n---\nBody.\n"
			doc, err := Parse("a.md", []byte(in))
			if err != nil {
				t.Fatalf("Parse(%q) error = %v", in, err)
			}
			if doc.Published != tt.want {
				t.Errorf("Parse(%q).Published = %q; want %q", in, doc.Published, tt.want)
			}
		})
	}
}

func TestParseFrontMatterErrorIsSkipReason(t *testing.T) {
	in := "---\ntitle: [\n---\nBody.\n"
	_, err := Parse("a.txt", []byte(in))
	if err == nil || !strings.HasPrefix(err.Error(), "bad front matter: yaml: line ") {
		t.Fatalf("Parse(%q) error = %v; want bad front matter: yaml: line ...", in, err)
	}
}
