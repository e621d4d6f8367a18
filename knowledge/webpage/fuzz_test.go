package webpage

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzExtract feeds any bytes as a fetched page: no panic; either a page
// whose HTML the document reader accepts, with its URL as canonical
// link, or ErrNoText.
func FuzzExtract(f *testing.F) {
	f.Add([]byte(article), "utf-8")
	f.Add([]byte("<p>caf\xe9 au lait, a text long enough to be kept by readability in Latin-1 encoding for sure.</p>"), "iso-8859-1")
	f.Add([]byte(strings.Repeat("<div>", 1000)+"deep"), "")
	f.Add([]byte("<html><head><title>T</title></head><body><script>x</script></body></html>"), "utf-8")
	u, _ := url.Parse("https://example.org/a/b.html")
	f.Fuzz(func(t *testing.T, body []byte, cs string) {
		p, err := extract(body, cs, u)
		if err != nil {
			if !errors.Is(err, ErrNoText) {
				t.Errorf("extract error %v; want ErrNoText", err)
			}
			return
		}
		if p.URL != u.String() || p.Name != "example-org-a-b.html" || !utf8.Valid(p.HTML) && utf8.Valid(body) {
			t.Errorf("extract = URL %q, Name %q", p.URL, p.Name)
		}
	})
}

func TestFileName(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"https://www.example.org/news/2015/wic.html?x=1", "example-org-news-2015-wic.html"},
		{"https://example.org/", "example-org.html"},
		{"http://例子.测试/页面", "例子-测试-页面.html"},
	} {
		u, _ := url.Parse(tt.in)
		if got := fileName(u); got != tt.want {
			t.Errorf("fileName(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
