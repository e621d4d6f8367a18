package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// downloadTimeout bounds fetching one uploaded attachment, from the
// request to the last byte.
const downloadTimeout = 30 * time.Second

// cdnHosts serve the attachments users upload to Discord.
var cdnHosts = map[string]bool{
	"cdn.discordapp.com":   true,
	"media.discordapp.net": true,
}

// errNotDiscordURL: an attachment URL that is not Discord's.
var errNotDiscordURL = errors.New("not a Discord attachment URL")

// downloader fetches the attachments admins upload, only from Discord
// and never more than limit bytes.
type downloader struct {
	client *http.Client
	apiURL string // Config.APIURL: its origin is allowed too
	limit  int64
}

func newDownloader(apiURL string, limit int64) *downloader {
	d := &downloader{apiURL: apiURL, limit: limit}
	d.client = &http.Client{Timeout: downloadTimeout, Transport: http.DefaultTransport, CheckRedirect: d.checkRedirect}
	return d
}

// allowed reports whether govbot may fetch u: an https URL on
// Discord's CDN on the default port, or a URL on the origin of
// Config.APIURL when one is set (a proxy, or the emulator in tests).
func (c *downloader) allowed(u *url.URL) bool {
	if u == nil || u.User != nil || u.Host == "" || u.Opaque != "" {
		return false
	}
	if u.Scheme == "https" && u.Port() == "" && cdnHosts[strings.ToLower(u.Hostname())] {
		return true
	}
	if c.apiURL == "" {
		return false
	}
	o, err := parseOrigin(c.apiURL)
	return err == nil && u.Scheme == o.Scheme && strings.EqualFold(u.Host, o.Host)
}

// checkRedirect lets the download client follow at most three redirects,
// each to an allowed URL.
func (c *downloader) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 3 {
		return errors.New("too many redirects")
	}
	if !c.allowed(req.URL) {
		return fmt.Errorf("redirect to %s: %w", req.URL.Host, errNotDiscordURL)
	}
	return nil
}

// errTooLarge: the attachment is over the limit.
var errTooLarge = errors.New("file too large")

// get downloads the attachment at raw, at most limit bytes: it refuses
// URLs that are not Discord's (errNotDiscordURL) and stops reading past
// limit (errTooLarge) whatever the response declares. Other errors say why
// the download failed without the URL's query (a signature).
func (c *downloader) get(ctx context.Context, raw string) ([]byte, error) {
	limit := c.limit
	u, err := url.Parse(raw)
	if err != nil || !c.allowed(u) {
		return nil, errNotDiscordURL
	}
	ctx, cancel := context.WithTimeout(ctx, downloadTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, errNotDiscordURL
	}
	resp, err := c.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL
		}
		if errors.Is(err, errNotDiscordURL) {
			return nil, errNotDiscordURL
		}
		return nil, fmt.Errorf("download from %s: %w", u.Host, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download from %s: HTTP %d", u.Host, resp.StatusCode)
	}
	if resp.ContentLength > limit {
		return nil, errTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("download from %s: %w", u.Host, err)
	}
	if int64(len(data)) > limit {
		return nil, errTooLarge
	}
	return data, nil
}
