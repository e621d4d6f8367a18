package webpage

import (
	"bytes"
	"fmt"
	"html"
	"net/url"
	"strings"
	"time"
	"unicode"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html/charset"

	"github.com/govbot-dev/govbot/knowledge/document"
)

// extract keeps the main article of the page body (in the character set
// named, or sniffed) found at u.
func extract(body []byte, cs string, u *url.URL) (Page, error) {
	r, err := charset.NewReader(bytes.NewReader(body), "text/html; charset="+cs)
	if err != nil {
		r = bytes.NewReader(body)
	}
	art, err := readability.FromReader(r, u)
	if err != nil || art.Node == nil {
		return Page{}, fmt.Errorf("%w: %v", ErrNoText, err)
	}
	var content bytes.Buffer
	if err := art.RenderHTML(&content); err != nil {
		return Page{}, fmt.Errorf("%w: %v", ErrNoText, err)
	}
	var text strings.Builder
	if err := art.RenderText(&text); err != nil || strings.TrimSpace(text.String()) == "" {
		return Page{}, ErrNoText
	}
	p := Page{
		URL:    u.String(),
		Title:  withoutSiteName(oneLine(art.Title())),
		Author: oneLine(art.Byline()),
		Name:   fileName(u),
	}
	if t, err := art.PublishedTime(); err == nil && !t.IsZero() {
		p.Published = t.UTC().Format(time.DateOnly)
	}
	var b bytes.Buffer
	b.WriteString("<!doctype html>\n<html><head><meta charset=\"utf-8\">\n")
	fmt.Fprintf(&b, "<title>%s</title>\n", html.EscapeString(p.Title))
	fmt.Fprintf(&b, "<link rel=\"canonical\" href=\"%s\">\n", html.EscapeString(p.URL))
	if p.Author != "" {
		fmt.Fprintf(&b, "<meta name=\"author\" content=\"%s\">\n", html.EscapeString(p.Author))
	}
	if p.Published != "" {
		fmt.Fprintf(&b, "<meta name=\"date\" content=\"%s\">\n", html.EscapeString(p.Published))
	}
	// The content goes in <body> as readability left it: when the page
	// marked its article with <main> or <article>, the document reader
	// keeps only that, which drops what readability let through around it.
	b.WriteString("</head><body>\n")
	b.Write(content.Bytes())
	b.WriteString("\n</body></html>\n")
	p.HTML = b.Bytes()
	doc, err := document.Parse(p.Name, p.HTML)
	if err != nil {
		return Page{}, fmt.Errorf("%w (%v)", ErrNoText, err)
	}
	p.Title = doc.Title
	return p, nil
}

// withoutSiteName drops a site's name after the last " | ", " – ", " — "
// or " - " of a page title when what is left has two words or more.
func withoutSiteName(title string) string {
	best := -1
	for _, sep := range []string{" | ", " – ", " — ", " - ", " · "} {
		if i := strings.LastIndex(title, sep); i > best {
			best = i
		}
	}
	if best > 0 && len(strings.Fields(title[:best])) >= 2 {
		return strings.TrimSpace(title[:best])
	}
	return title
}

// oneLine collapses white space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// fileName makes a file name from the URL's host and path:
// "https://www.example.org/news/2015/wic.html?x" is
// "example-org-news-2015-wic.html".
func fileName(u *url.URL) string {
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	p := strings.TrimSuffix(u.Path, "/")
	for _, ext := range []string{".html", ".htm", ".php", ".aspx", ".asp", ".jsp"} {
		p = strings.TrimSuffix(p, ext)
	}
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(host + "/" + p) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	name := b.String()
	if len(name) > 80 {
		name = strings.TrimRight(name[:80], "-")
		for !utf8Valid(name) {
			name = name[:len(name)-1]
		}
	}
	if name == "" {
		name = "page"
	}
	return name + ".html"
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\x00") == s }
