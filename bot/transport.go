package bot

import (
	"net/http"
	"net/url"
	"strings"
)

// discordHosts are the origins discordgo's Endpoint* URLs point at.
var discordHosts = map[string]bool{
	"discord.com":          true,
	"discordapp.com":       true,
	"cdn.discordapp.com":   true,
	"media.discordapp.net": true,
}

// rewriteTransport sends requests for Discord's hosts to another origin.
// discordgo computes its endpoint URLs at package init, so the transport is
// the one place that moves every REST call; the gateway URL comes from
// GET /gateway and so follows on its own.
type rewriteTransport struct {
	to   *url.URL // scheme, host and optional path prefix
	next http.RoundTripper
}

func newRewriteTransport(origin string, next http.RoundTripper) (*rewriteTransport, error) {
	u, err := parseOrigin(origin)
	if err != nil {
		return nil, err
	}
	if next == nil {
		next = http.DefaultTransport
	}
	return &rewriteTransport{to: u, next: next}, nil
}

func (t *rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != "https" || !discordHosts[strings.ToLower(req.URL.Hostname())] {
		return t.next.RoundTrip(req)
	}
	r := req.Clone(req.Context())
	u := *req.URL
	u.Scheme, u.Host = t.to.Scheme, t.to.Host
	u.Path = t.to.Path + req.URL.Path
	if req.URL.RawPath != "" {
		u.RawPath = t.to.EscapedPath() + req.URL.RawPath
	}
	r.URL = &u
	r.Host = ""
	return t.next.RoundTrip(r)
}
