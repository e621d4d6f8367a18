package bot_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/govbot-dev/govbot/bot"
	"github.com/govbot-dev/govbot/bot/discordtest"
	"github.com/govbot-dev/govbot/knowledge/webpage"
)

const quokkaPage = `<!doctype html><html><head><meta charset="utf-8"><title>The Quokka Charter | Example News</title></head>
<body><nav><a href="/">Home</a></nav><main><article><h1>The Quokka Charter</h1>
<p>The Quokka Charter was adopted in Rottnest in 2033 by the assembly of marsupial internet registries.</p>
<p>It obliges every marsupial registry to publish its allocation records in a public ledger each quarter, and to answer queries within two days.</p>
<p>Observers from nine countries attended the closing session and praised the charter's provisions on transparency.</p>
</article></main><footer>Copyright Example News</footer></body></html>`

// TestKBAddURL adds a web page with /kb add url: through the guarded
// fetcher (allowed to reach this test's loopback server by its explicit
// test-only override): the page's article is cited, with its address as
// the citation's link. The production fetcher refuses the same address.
func TestKBAddURL(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/news/quokka-charter" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, quokkaPage)
	}))
	defer site.Close()
	local := webpage.New(webpage.Options{AllowAddress: func(a netip.Addr) bool { return a.IsLoopback() }})

	tl := openLibrary(t)
	h := start(t, setup{lib: bot.FromLibrary(tl.lib), botOpts: []bot.Option{bot.WithPageFetcher(local)}})
	ctx := ctxT(t)
	address := site.URL + "/news/quokka-charter"
	_, msg := h.kbCmd(ctx, admin, "add", discordtest.Option{Name: "url", Value: address})
	if text := embedText(msg); !strings.Contains(text, "Document added") || !strings.Contains(text, "The Quokka Charter") {
		t.Fatalf("/kb add url: replied\n%s", text)
	}
	_, answer := h.ask(ctx, "What does the Quokka Charter oblige marsupial registries to publish?", member)
	text := embedText(answer)
	if !strings.Contains(text, "allocation records") || !strings.Contains(text, "]("+address+")") {
		t.Errorf("the page is not cited with its address:\n%s", text)
	}
	for _, furniture := range []string{"Copyright Example News", "Home"} {
		if strings.Contains(text, furniture) {
			t.Errorf("the answer quotes page furniture %q", furniture)
		}
	}
	// A refused address changes nothing and says why.
	_, msg = h.kbCmd(ctx, admin, "add", discordtest.Option{Name: "url", Value: "ftp://example.org/x"})
	if text := embedText(msg); !strings.Contains(text, "only http:// and https://") {
		t.Errorf("/kb add url:ftp:// replied\n%s", text)
	}
	// Members may not add pages.
	_, msg = h.kbCmd(ctx, member, "add", discordtest.Option{Name: "url", Value: address})
	if text := embedText(msg) + msg.Content; strings.Contains(text, "Document added") {
		t.Errorf("a member added a page:\n%s", text)
	}
}

// TestKBAddURLProductionFetcherRefusesLoopback: with the fetcher govbot
// serves with, a loopback address is refused before any request is sent.
func TestKBAddURLProductionFetcherRefusesLoopback(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the production fetcher reached loopback: %s", r.URL)
	}))
	defer site.Close()
	tl := openLibrary(t)
	h := start(t, setup{lib: bot.FromLibrary(tl.lib), botOpts: []bot.Option{bot.WithPageFetcher(webpage.New(webpage.Options{}))}})
	_, msg := h.kbCmd(ctxT(t), admin, "add", discordtest.Option{Name: "url", Value: site.URL + "/x"})
	if text := embedText(msg); !strings.Contains(text, "not on the public internet") {
		t.Errorf("/kb add url:<loopback> replied\n%s", text)
	}
}
