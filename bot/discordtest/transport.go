package discordtest

import (
	"fmt"
	"net/http"
	"net/url"
)

// discordHosts are the hosts whose requests Transport sends to the emulator.
var discordHosts = map[string]bool{
	"discord.com":          true,
	"cdn.discordapp.com":   true,
	"media.discordapp.net": true,
}

// Transport returns a RoundTripper that sends requests for discord.com,
// cdn.discordapp.com and media.discordapp.net to origin (for example
// Server.URL()), keeping path and query, and every other request to base
// (http.DefaultTransport when nil). Install it as discordgo's
// Session.Client.Transport. An origin that is not an absolute http(s) URL
// makes every Discord request fail.
func Transport(origin string, base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	u, err := url.Parse(origin)
	if err == nil && (u.Scheme != "http" && u.Scheme != "https" || u.Host == "") {
		err = fmt.Errorf("not an absolute http(s) URL")
	}
	if err != nil {
		err = fmt.Errorf("discordtest: transport origin %q: %w", origin, err)
	}
	return &rewriter{scheme: u.Scheme, host: u.Host, err: err, base: base}
}

type rewriter struct {
	scheme, host string
	err          error
	base         http.RoundTripper
}

func (t *rewriter) RoundTrip(req *http.Request) (*http.Response, error) {
	if !discordHosts[req.URL.Hostname()] {
		return t.base.RoundTrip(req)
	}
	if t.err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, t.err
	}
	r := req.Clone(req.Context())
	r.URL.Scheme = t.scheme
	r.URL.Host = t.host
	r.Host = ""
	return t.base.RoundTrip(r)
}
