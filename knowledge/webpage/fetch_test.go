package webpage

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/govbot-dev/govbot/knowledge/document"
)

const article = `<!doctype html><html><head><meta charset="utf-8"><title>Wuzhen Summit closes | Policy Review</title>
<meta name="author" content="Jessica Ludwig"><meta property="article:published_time" content="2015-12-22T10:00:00Z"></head>
<body><nav><a href="/">Home</a><a href="/topics">Topics</a></nav>
<div class="cookie">We use cookies. <button>Accept all cookies</button></div>
<main><article><h1>Wuzhen Summit closes</h1>
<p>The second World Internet Conference closed in Wuzhen on Friday after three days of talks about cyber sovereignty and the governance of the internet.</p>
<p>Delegates from more than one hundred countries attended the summit, which was organised by the Cyberspace Administration of China and the government of Zhejiang province.</p>
<p>Critics said the declaration that was planned for the closing session was never released, and that the summit served mostly to promote the idea of national control of the network.</p>
</article></main>
<footer>Copyright Policy Review. <a href="/privacy">Privacy policy</a></footer></body></html>`

// testFetcher may reach the loopback test server only: the explicit,
// test-only override of the public-address rule.
func testFetcher(opts Options) *Fetcher {
	opts.AllowAddress = func(a netip.Addr) bool { return a.IsLoopback() }
	return New(opts)
}

func TestFetchKeepsTheArticle(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/old":
			http.Redirect(w, r, "/news/wuzhen-summit.html", http.StatusMovedPermanently)
		case "/news/wuzhen-summit.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, article)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	p, err := testFetcher(Options{}).Fetch(t.Context(), srv.URL+"/old#top")
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if p.URL != srv.URL+"/news/wuzhen-summit.html" {
		t.Errorf("URL = %q; want the page after the redirect", p.URL)
	}
	if p.Author != "Jessica Ludwig" || p.Published != "2015-12-22" || p.Title != "Wuzhen Summit closes" {
		t.Errorf("Title, Author, Published = %q, %q, %q", p.Title, p.Author, p.Published)
	}
	if p.Name != "127-0-0-1-news-wuzhen-summit.html" {
		t.Errorf("Name = %q", p.Name)
	}
	html := string(p.HTML)
	for _, want := range []string{`<link rel="canonical" href="` + p.URL + `">`, "cyber sovereignty", "never released"} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q:\n%s", want, html)
		}
	}
	doc, err := document.Parse(p.Name, p.HTML)
	if err != nil {
		t.Fatalf("the stored page does not parse: %v", err)
	}
	if doc.URL != p.URL || doc.Title != "Wuzhen Summit closes" || doc.Author != "Jessica Ludwig" {
		t.Errorf("document URL, Title, Author = %q, %q, %q", doc.URL, doc.Title, doc.Author)
	}
	for _, furniture := range []string{"cookies", "Privacy policy", "Topics"} {
		if strings.Contains(doc.Body, furniture) {
			t.Errorf("document keeps page furniture %q:\n%s", furniture, doc.Body)
		}
	}
}

func portOf(u string) string { return u[strings.LastIndex(u, ":")+1:] }

func TestFetchRefusals(t *testing.T) {
	big := strings.Repeat("<p>word </p>", 200_000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			fmt.Fprint(w, "<html><body>"+big+"</body></html>")
		case "/pdf":
			w.Header().Set("Content-Type", "application/pdf")
			fmt.Fprint(w, "%PDF-1.4")
		case "/slow":
			time.Sleep(2 * time.Second)
			fmt.Fprint(w, article)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/to-ftp":
			http.Redirect(w, r, "ftp://example.org/x", http.StatusFound)
		case "/to-metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case "/gone":
			http.Error(w, "gone", http.StatusGone)
		case "/empty":
			fmt.Fprint(w, "<html><body><nav>menu</nav></body></html>")
		}
	}))
	defer srv.Close()
	local := testFetcher(Options{MaxBytes: 1 << 20, Timeout: time.Second})
	public := New(Options{Timeout: time.Second}) // the production rule
	tests := []struct {
		name string
		f    *Fetcher
		url  string
		want error
	}{
		{"file scheme", public, "file:///etc/passwd", ErrBadURL},
		{"gopher scheme", public, "gopher://example.org/", ErrBadURL},
		{"relative", public, "/just/a/path", ErrBadURL},
		{"credentials", public, "https://user:pw@example.org/", ErrBadURL},
		{"loopback literal", public, srv.URL + "/big", ErrForbidden},
		{"localhost name", public, "http://localhost:1/", ErrForbidden},
		{"metadata address", public, "http://169.254.169.254/latest/meta-data/", ErrForbidden},
		{"private literal", public, "http://10.1.2.3/", ErrForbidden},
		{"IPv6 loopback", public, "http://[::1]:1/", ErrForbidden},
		{"IPv4-mapped loopback", public, "http://[::ffff:127.0.0.1]:1/", ErrForbidden},
		{"decimal loopback", public, "http://2130706433/", ErrFetch}, // not an IP literal to Go: a name that does not resolve
		{"too large", local, srv.URL + "/big", ErrTooLarge},
		{"not HTML", local, srv.URL + "/pdf", ErrNotHTML},
		{"too slow", local, srv.URL + "/slow", ErrFetch},
		{"redirect loop", local, srv.URL + "/loop", ErrFetch},
		{"redirect to ftp", local, srv.URL + "/to-ftp", ErrBadURL},
		{"redirect to metadata", local, srv.URL + "/to-metadata", ErrForbidden},
		{"HTTP error", local, srv.URL + "/gone", ErrFetch},
		{"no text", local, srv.URL + "/empty", ErrNoText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.f.Fetch(context.Background(), tt.url)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Fetch(%q) error = %v; want %v", tt.url, err, tt.want)
			}
			if strings.Contains(err.Error(), "Get \"") {
				t.Errorf("error %q repeats the request; want a short reason", err)
			}
		})
	}
}

// TestNameResolvingToLoopbackIsRefused: a host name is checked on the
// address it resolves to, when it is dialled (here "localhost" reached
// through a fetcher that allows names, via a redirect).
func TestNameResolvingToLoopbackIsRefused(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, article)
	}))
	defer srv.Close()
	// Public rule at dial time, but the literal check skipped: dial-time
	// checking alone must refuse.
	f := New(Options{AllowAddress: Public})
	f.opts.AllowAddress = func(netip.Addr) bool { return true } // Parse lets it through
	_, err := f.Fetch(t.Context(), "http://localhost:"+portOf(srv.URL)+"/")
	if !errors.Is(err, ErrForbidden) {
		t.Fatalf("Fetch(localhost) error = %v; want ErrForbidden at dial time", err)
	}
}

func TestPublic(t *testing.T) {
	for _, tt := range []struct {
		addr string
		want bool
	}{
		{"8.8.8.8", true}, {"1.1.1.1", true}, {"2606:4700:4700::1111", true},
		{"127.0.0.1", false}, {"10.0.0.1", false}, {"172.16.5.4", false}, {"192.168.1.1", false},
		{"169.254.169.254", false}, {"100.100.100.200", false}, {"0.0.0.0", false}, {"255.255.255.255", false},
		{"::1", false}, {"::", false}, {"fe80::1", false}, {"fd00:ec2::254", false}, {"::ffff:10.0.0.1", false},
		{"64:ff9b::a00:1", false}, {"2001:db8::1", false}, {"224.0.0.1", false}, {"198.18.0.1", false},
	} {
		if got := Public(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("Public(%s) = %v; want %v", tt.addr, got, tt.want)
		}
	}
}
