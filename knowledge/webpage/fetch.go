// Package webpage fetches web pages for the knowledge base, safely, and
// keeps their main text.
//
// A Fetcher is meant for URLs that users give (`govbot add URL`, `/kb add
// url:`), so it is guarded as a server that fetches user-given URLs must
// be: only http and https; only public addresses, checked on the address
// actually dialled (after DNS, for every connection, so also after each
// redirect and against DNS rebinding); no proxy from the environment; at
// most 5 redirects; a size limit on the body, whatever the server claims;
// and one time limit for the whole fetch. A refused or failed fetch
// returns an error that says why in words an admin can act on.
//
// The page's main article is kept with a readability extraction (the
// algorithm of Firefox's Reader View, codeberg.org/readeck/go-readability)
// and returned as a small self-contained HTML document that names the
// page's URL as its canonical link, so that the document package reads
// it with its URL, title, author and date, and citations link to it.
package webpage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Defaults for Options.
const (
	DefaultMaxBytes     = 5 << 20
	DefaultTimeout      = 20 * time.Second
	DefaultMaxRedirects = 5
)

// Errors returned by Fetch; test with errors.Is. Their text, with the
// detail the error adds, is fit to show to the person who gave the URL.
var (
	ErrBadURL    = errors.New("not a web address govbot can fetch")
	ErrForbidden = errors.New("that address is not on the public internet")
	ErrTooLarge  = errors.New("the page is too large")
	ErrNotHTML   = errors.New("not a web page")
	ErrFetch     = errors.New("could not fetch the page")
	ErrNoText    = errors.New("no readable text on the page")
)

// Options tunes a Fetcher. The zero value is the safe default.
type Options struct {
	MaxBytes     int64         // largest body read; 0 means DefaultMaxBytes
	Timeout      time.Duration // for the whole fetch; 0 means DefaultTimeout
	MaxRedirects int           // 0 means DefaultMaxRedirects
	UserAgent    string        // "" means "govbot (knowledge base fetcher)"
	// AllowAddress, when set, decides which dialled addresses are
	// allowed instead of Public. It exists for tests, which serve pages
	// from a local server; production code must leave it nil.
	AllowAddress func(netip.Addr) bool
}

// Fetcher fetches pages. It is safe for concurrent use.
type Fetcher struct {
	opts   Options
	client *http.Client
}

// New returns a Fetcher.
func New(opts Options) *Fetcher {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxRedirects <= 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "govbot (knowledge base fetcher)"
	}
	allow := opts.AllowAddress
	if allow == nil {
		allow = Public
	}
	dialer := &net.Dialer{
		Timeout: 10 * time.Second,
		// Control runs for every connection, with the address actually
		// dialled: names were resolved by then, so a name that resolves
		// to a private address, or changes its answer between checks, is
		// caught here.
		Control: func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !allow(ap.Addr()) {
				return forbiddenError{address}
			}
			return nil
		},
	}
	transport := &http.Transport{
		Proxy:                  nil, // a proxy would dial on our behalf, unchecked
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  15 * time.Second,
		MaxIdleConns:           4,
		IdleConnTimeout:        30 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
	}
	f := &Fetcher{opts: opts}
	f.client = &http.Client{
		Transport: transport,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > opts.MaxRedirects {
				return fmt.Errorf("%w: more than %d redirects", ErrFetch, opts.MaxRedirects)
			}
			return checkURL(req.URL)
		},
	}
	return f
}

// Page is a fetched page, ready to add to the knowledge base.
type Page struct {
	URL       string // where the page was found, after redirects
	Title     string // may be empty
	Author    string // may be empty
	Published string // as the page states it; may be empty
	// Name is a file name for the page: a slug of its host and path with
	// the extension ".html".
	Name string
	// HTML is a self-contained HTML document holding the page's main
	// article, its title, author and date, and its URL as the canonical
	// link.
	HTML []byte
}

// checkURL refuses what is not an http(s) URL with a host, and URLs with
// credentials in them.
func checkURL(u *url.URL) error {
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%w: only http:// and https:// addresses (not %q)", ErrBadURL, u.Scheme+":")
	case u.Hostname() == "":
		return fmt.Errorf("%w: no host name", ErrBadURL)
	case u.User != nil:
		return fmt.Errorf("%w: addresses with a user name or password are refused", ErrBadURL)
	}
	return nil
}

// Parse checks a URL as Fetch would before any network use: an absolute
// http or https URL with a host, without credentials. An address written
// as an IP literal is checked against the public ranges too (names are
// checked when they are dialled).
func (f *Fetcher) Parse(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() {
		return nil, fmt.Errorf("%w: %q is not an absolute URL", ErrBadURL, raw)
	}
	if err := checkURL(u); err != nil {
		return nil, err
	}
	allow := f.opts.AllowAddress
	if allow == nil {
		allow = Public
	}
	if a, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil && !allow(a) {
		return nil, fmt.Errorf("%w (%s)", ErrForbidden, a)
	}
	if h := strings.ToLower(u.Hostname()); h == "localhost" || strings.HasSuffix(h, ".localhost") {
		if f.opts.AllowAddress == nil {
			return nil, fmt.Errorf("%w (%s)", ErrForbidden, h)
		}
	}
	u.Fragment = ""
	return u, nil
}

// Fetch gets the page at raw and keeps its main article. It reads at most
// Options.MaxBytes of the body and gives up after Options.Timeout.
func (f *Fetcher) Fetch(ctx context.Context, raw string) (Page, error) {
	u, err := f.Parse(raw)
	if err != nil {
		return Page{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Page{}, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5")
	resp, err := f.client.Do(req)
	if err != nil {
		return Page{}, fetchError(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Page{}, fmt.Errorf("%w: the server answered %s", ErrFetch, resp.Status)
	}
	if resp.ContentLength > f.opts.MaxBytes {
		return Page{}, fmt.Errorf("%w: %d bytes, over the %d-byte limit", ErrTooLarge, resp.ContentLength, f.opts.MaxBytes)
	}
	mediaType, params, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	switch mediaType {
	case "text/html", "application/xhtml+xml", "":
	default:
		return Page{}, fmt.Errorf("%w: it is %s; download the file and add it instead", ErrNotHTML, mediaType)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.opts.MaxBytes+1))
	if err != nil {
		return Page{}, fetchError(ctx, err)
	}
	if int64(len(body)) > f.opts.MaxBytes {
		return Page{}, fmt.Errorf("%w: over the %d-byte limit", ErrTooLarge, f.opts.MaxBytes)
	}
	return extract(body, params["charset"], resp.Request.URL)
}

// forbiddenError is the dialler's refusal of an address.
type forbiddenError struct{ address string }

func (e forbiddenError) Error() string        { return ErrForbidden.Error() + " (" + e.address + ")" }
func (e forbiddenError) Is(target error) bool { return target == ErrForbidden }

// fetchError turns a transport error into one of the package's errors,
// without the request's URL (which the caller knows).
func fetchError(ctx context.Context, err error) error {
	var fe forbiddenError
	if errors.As(err, &fe) {
		return fe
	}
	for _, e := range []error{ErrBadURL, ErrFetch} {
		if errors.Is(err, e) {
			var ue *url.Error
			if errors.As(err, &ue) {
				return ue.Err
			}
			return err
		}
	}
	if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return fmt.Errorf("%w: it took too long", ErrFetch)
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return fmt.Errorf("%w: no such host %q", ErrFetch, dnsErr.Name)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("%w: %v", ErrFetch, err)
}
