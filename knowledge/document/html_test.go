package document

import (
	"github.com/govbot-dev/govbot/knowledge/internal/golden"

	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseHTMLGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "html", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no HTML fixtures: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Parse(filepath.Base(file), data)
			if err != nil {
				t.Fatalf("Parse(%q) error = %v", file, err)
			}
			golden.Check(t, strings.TrimSuffix(file, ".html")+".golden", render(doc))
		})
	}
}

func TestParseHTML(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"blocks are paragraphs", "<p>one</p><div>two</div><h2>three</h2>", "one\n\ntwo\n\nthree"},
		{"white space collapsed in a block", "<p>  a \n\t b   c  </p>", "a b c"},
		{"inline elements join", "<p>foo<b>bar</b> <i>baz</i></p>", "foobar baz"},
		{"text around a nested block", "<div>before<p>inside</p>after</div>", "before\n\ninside\n\nafter"},
		{"br is a line break", "<p>one<br>two<br/> three</p>", "one\ntwo\nthree"},
		{"double br is a paragraph break", "<p>one<br><br><br>two</p>", "one\n\ntwo"},
		{"entities decoded", "<p>&lt;a&gt; &amp; &quot;b&quot; &eacute; &#x4e2d; &rsquo;</p>", "<a> & \"b\" é 中 ’"},
		{"nbsp collapses", "<p>a&nbsp;&nbsp;b</p>", "a b"},
		{"table cells spaced", "<table><tr><td>a</td><td>b</td></tr><tr><th>c</th><td>d</td></tr></table>", "a b\n\nc d"},
		{"list items", "<ul><li>a</li><li>b <ul><li>c</li></ul></li></ul>", "a\n\nb\n\nc"},
		{"pre keeps white space", "<pre>\n  x  = 1\n\ty\n</pre><p>z</p>", "  x  = 1\n\ty\n\nz"},
		{"skipped elements", "<p>keep</p><script>no()</script><style>p{}</style><noscript>no</noscript><template><p>no</p></template>" +
			"<svg><text>no</text></svg><nav>no</nav><header>no</header><footer>no</footer><aside>no</aside>" +
			"<form>no</form><button>no</button><iframe>no</iframe><dialog open>no</dialog><select><option>no</select>" +
			"<textarea>no</textarea><video>no</video><p>also kept</p>", "keep\n\nalso kept"},
		{"hidden elements", "<p>a</p><p hidden>no</p><div aria-hidden=\"true\">no</div><div aria-hidden=\"false\">b</div>" +
			"<div role=\"banner\">no</div><div role=\"dialog\">no</div><div role=\"Navigation\">no</div><div role=\"main\">c</div>", "a\n\nb\n\nc"},
		{"article preferred", "<p>outside</p><article><p>in article</p></article><p>after</p>", "in article"},
		{"main preferred", "<div>outside</div><main><p>in main</p><article>first</article><article>second</article></main>", "in main\n\nfirst\n\nsecond"},
		{"first of article and main", "<article>A</article><main>M</main>", "A"},
		{"article inside skipped element not chosen", "<aside><article>teaser</article></aside><p>body text</p>", "body text"},
		{"empty main falls back to body", "<main><script>x()</script></main><p>body text</p>", "body text"},
		{"text without body tags", "just text &amp; more", "just text & more"},
		{"comments dropped", "<p>a<!-- hidden -->b</p>", "ab"},
		{"NUL replaced", "<p>a\x00b</p>", "ab"},
		{"frameset page", "<frameset><frame src=a></frameset><noframes>no</noframes>", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parseHTML(tt.in)
			if err != nil {
				t.Fatalf("parseHTML(%q) error = %v", tt.in, err)
			}
			if p.body != tt.want {
				t.Errorf("parseHTML(%q).body = %q; want %q", tt.in, p.body, tt.want)
			}
		})
	}
}

func TestParseHTMLMeta(t *testing.T) {
	tests := []struct {
		name, in string
		want     meta
	}{
		{"author", `<meta name="author" content=" A   B ">`, meta{Author: "A B"}},
		{"empty author ignored", `<meta name="author" content=""><meta name="dc.creator" content="C">`, meta{Author: "C"}},
		{"published time beats date", `<meta name="date" content="2015-01-01"><meta property="article:published_time" content="2015-12-16T09:30:00+08:00">`, meta{Published: "2015-12-16"}},
		{"first date meta wins", `<meta name="date" content="2015-01-01"><meta name="dc.date" content="2015-02-02">`, meta{Published: "2015-01-01"}},
		{"itemprop date", `<meta itemprop="datePublished" content="Dec 16, 2015">`, meta{Published: "2015-12-16"}},
		{"unparsed date kept", `<meta name="date" content="Winter 2015">`, meta{Published: "Winter 2015"}},
		{"canonical", `<link rel="canonical" href=" https://example.org/a?b=c ">`, meta{URL: "https://example.org/a?b=c"}},
		{"canonical among rel tokens", `<link rel="Canonical nofollow" href="http://example.org/">`, meta{URL: "http://example.org/"}},
		{"relative canonical ignored", `<link rel="canonical" href="/a">`, meta{}},
		{"non-web canonical ignored", `<link rel="canonical" href="javascript:alert(1)">`, meta{}},
		{"meta in body counts", `<p>x</p><meta name="author" content="Late">`, meta{Author: "Late"}},
		{"other metas ignored", `<meta name="description" content="d"><meta property="og:site_name" content="s">`, meta{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parseHTML(tt.in + "<p>text</p>")
			if err != nil {
				t.Fatalf("parseHTML(%q) error = %v", tt.in, err)
			}
			if p.meta != tt.want {
				t.Errorf("parseHTML(%q).meta = %+v; want %+v", tt.in, p.meta, tt.want)
			}
		})
	}
}
