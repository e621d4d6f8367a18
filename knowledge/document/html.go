package document

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlPage is what an HTML file yields.
type htmlPage struct {
	meta  meta   // Author, Published and URL from <meta> and <link>
	title string // <title>, else the first <h1>; may be empty
	body  string // readable text, paragraphs separated by "\n\n"; may be empty
	// anchors: where each section (a heading h1-h6) starts in body
	anchors []Anchor
}

// parseHTML extracts the readable text and metadata of src. It fails only
// when the HTML parser gives up (elements nested too deeply).
func parseHTML(src string) (htmlPage, error) {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return htmlPage{}, fmt.Errorf("bad HTML: %w", err)
	}
	var p htmlPage
	p.meta = headMeta(doc)

	body := find(doc, isAtom(atom.Body), nil)
	if body == nil {
		body = doc // a <frameset> page has no <body>
	}
	root := find(body, func(n *html.Node) bool { return isAtom(atom.Main)(n) || isAtom(atom.Article)(n) }, excluded)
	if root == nil {
		root = body
	}
	p.body, p.anchors = readableText(root)
	if p.body == "" && root != body {
		p.body, p.anchors = readableText(body)
	}

	if t := find(doc, isAtom(atom.Title), rawText); t != nil {
		p.title = collapseSpace(textOf(t))
	}
	if p.title == "" {
		// The headline may sit in an <article>'s <header>, so only
		// invisible elements are passed over here.
		h1 := find(root, isAtom(atom.H1), rawText)
		if h1 == nil {
			h1 = find(body, isAtom(atom.H1), rawText)
		}
		if h1 != nil {
			p.title = collapseSpace(textOf(h1))
		}
	}
	return p, nil
}

// isAtom returns a test for HTML elements of type a.
func isAtom(a atom.Atom) func(*html.Node) bool {
	return func(n *html.Node) bool {
		return n.Type == html.ElementNode && n.DataAtom == a && n.Namespace == ""
	}
}

// find returns the first node at or below n, in document order, for which
// match is true, not looking inside nodes for which prune is true (nil
// prunes nothing). It returns nil when there is none.
func find(n *html.Node, match, prune func(*html.Node) bool) *html.Node {
	if prune != nil && prune(n) {
		return nil
	}
	if match(n) {
		return n
	}
	for c := range n.ChildNodes() {
		if f := find(c, match, prune); f != nil {
			return f
		}
	}
	return nil
}

// rawText reports whether n is an element whose content is never text a
// reader sees.
func rawText(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	if n.Namespace == "svg" {
		return true
	}
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Noframes, atom.Template, atom.Svg:
		return true
	}
	return false
}

// excluded reports whether n is an element that is not part of a page's
// main text: page furniture, interactive widgets, embedded content and
// anything hidden.
func excluded(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	if rawText(n) {
		return true
	}
	switch n.DataAtom {
	case atom.Head, atom.Nav, atom.Header, atom.Footer, atom.Aside, atom.Form,
		atom.Button, atom.Iframe, atom.Dialog, atom.Select, atom.Textarea,
		atom.Object, atom.Embed, atom.Canvas, atom.Audio, atom.Video, atom.Rp:
		return true
	}
	for _, a := range n.Attr {
		if a.Namespace != "" {
			continue
		}
		switch strings.ToLower(a.Key) {
		case "hidden":
			return true
		case "aria-hidden":
			if strings.EqualFold(strings.TrimSpace(a.Val), "true") {
				return true
			}
		case "role":
			switch strings.ToLower(strings.TrimSpace(a.Val)) {
			case "navigation", "banner", "contentinfo", "complementary",
				"search", "dialog", "alertdialog":
				return true
			}
		}
	}
	return false
}

// isBlock reports whether n is an element that starts and ends a
// paragraph of text.
func isBlock(n *html.Node) bool {
	if n.Type != html.ElementNode || n.Namespace != "" {
		return false
	}
	switch n.DataAtom {
	case atom.Html, atom.Body, atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol,
		atom.Dl, atom.Dd, atom.Dt, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5,
		atom.H6, atom.Hgroup, atom.Blockquote, atom.Pre, atom.Table,
		atom.Caption, atom.Thead, atom.Tbody, atom.Tfoot, atom.Tr,
		atom.Section, atom.Article, atom.Main, atom.Figure, atom.Figcaption,
		atom.Address, atom.Hr, atom.Details, atom.Summary, atom.Fieldset,
		atom.Legend, atom.Center, atom.Menu, atom.Search:
		return true
	}
	return false
}

// textOf returns the text below n, except that of script-like elements,
// as it appears in the source.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if rawText(n) {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := range n.ChildNodes() {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// headingLevel returns 1-6 for the elements h1-h6, else 0.
func headingLevel(n *html.Node) int {
	if n.Type != html.ElementNode || n.Namespace != "" {
		return 0
	}
	switch n.DataAtom {
	case atom.H1:
		return 1
	case atom.H2:
		return 2
	case atom.H3:
		return 3
	case atom.H4:
		return 4
	case atom.H5:
		return 5
	case atom.H6:
		return 6
	}
	return 0
}

// htmlHeading is a heading found by readableText: the paragraph it is.
type htmlHeading struct{ para, level int }

// readableText returns the text of root as paragraphs separated by
// "\n\n", leaving out excluded elements, and where each heading's section
// starts. Within a paragraph white space is collapsed, except inside
// <pre>, and <br> starts a new line.
func readableText(root *html.Node) (string, []Anchor) {
	var t textBuilder
	var heads []htmlHeading
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if excluded(n) {
			return
		}
		switch n.Type {
		case html.TextNode:
			t.write(n.Data)
			return
		case html.ElementNode, html.DocumentNode:
		default:
			return // comments, doctypes
		}
		block := isBlock(n)
		pre := isAtom(atom.Pre)(n) || isAtom(atom.Listing)(n)
		switch {
		case block:
			t.paragraph()
		case isAtom(atom.Br)(n):
			t.newline()
		case isAtom(atom.Td)(n) || isAtom(atom.Th)(n):
			t.space = true
		}
		if pre {
			t.pre++
		}
		for c := range n.ChildNodes() {
			walk(c)
		}
		if pre {
			t.pre--
		}
		switch {
		case block:
			before := len(t.paras)
			t.paragraph()
			if level := headingLevel(n); level > 0 && len(t.paras) > before {
				heads = append(heads, htmlHeading{para: len(t.paras) - 1, level: level})
			}
		case isAtom(atom.Td)(n) || isAtom(atom.Th)(n):
			t.space = true
		}
	}
	walk(root)
	t.paragraph()
	return strings.Join(t.paras, "\n\n"), sectionAnchors(t.paras, heads)
}

// sectionAnchors turns headings found among paragraphs (joined by
// "\n\n") into anchors naming each heading's path.
func sectionAnchors(paras []string, heads []htmlHeading) []Anchor {
	if len(heads) == 0 {
		return nil
	}
	offsets := make([]int, len(paras))
	off := 0
	for i, p := range paras {
		offsets[i] = off
		off += len(p) + 2
	}
	var path []string
	var out []Anchor
	for _, h := range heads {
		path = path[:min(len(path), h.level-1)]
		for len(path) < h.level-1 {
			path = append(path, "")
		}
		path = append(path, collapseSpace(paras[h.para]))
		var named []string
		for _, s := range path {
			if s != "" {
				named = append(named, s)
			}
		}
		out = append(out, Anchor{Offset: offsets[h.para], Section: strings.Join(named, SectionSeparator)})
	}
	return out
}

// textBuilder gathers text into lines and lines into paragraphs.
type textBuilder struct {
	paras []string        // finished paragraphs
	lines []string        // finished lines of the current paragraph
	line  strings.Builder // the current line
	space bool            // white space seen since the last character
	pre   int             // depth of elements whose white space is kept
}

func (t *textBuilder) write(s string) {
	if t.pre > 0 {
		for i, part := range strings.Split(s, "\n") {
			if i > 0 {
				t.newline()
			}
			t.line.WriteString(part)
		}
		return
	}
	for _, r := range s {
		if unicode.IsSpace(r) {
			t.space = true
			continue
		}
		if t.space && t.line.Len() > 0 {
			t.line.WriteByte(' ')
		}
		t.space = false
		t.line.WriteRune(r)
	}
}

// newline ends the current line.
func (t *textBuilder) newline() {
	t.lines = append(t.lines, strings.TrimRightFunc(t.line.String(), unicode.IsSpace))
	t.line.Reset()
	t.space = false
}

// paragraph ends the current paragraph, if it has any text. Blank lines
// at its ends are dropped and runs of blank lines within it become one.
func (t *textBuilder) paragraph() {
	t.newline()
	var b strings.Builder
	blank := false
	for _, l := range t.lines {
		if l == "" {
			blank = true
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
			if blank {
				b.WriteByte('\n')
			}
		}
		blank = false
		b.WriteString(l)
	}
	t.lines = t.lines[:0]
	if b.Len() > 0 {
		t.paras = append(t.paras, b.String())
	}
}

// headMeta returns the metadata stated by <meta> and <link> elements: the
// author, the publication date and the canonical URL.
func headMeta(doc *html.Node) meta {
	var m meta
	datePriority := 0 // article:published_time beats other date metas
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Namespace == "" {
			switch n.DataAtom {
			case atom.Meta:
				name := strings.ToLower(firstNonEmpty(attr(n, "name"), attr(n, "property"), attr(n, "itemprop")))
				content := collapseSpace(attr(n, "content"))
				if content == "" {
					break
				}
				switch name {
				case "author", "dc.creator", "dcterms.creator":
					if m.Author == "" {
						m.Author = content
					}
				case "article:published_time":
					if datePriority < 2 {
						m.Published, datePriority = content, 2
					}
				case "date", "dc.date", "dcterms.date", "dc.date.issued", "dcterms.issued",
					"pubdate", "publishdate", "publish-date", "publish_date",
					"citation_publication_date", "datepublished":
					if datePriority < 1 {
						m.Published, datePriority = content, 1
					}
				}
			case atom.Link:
				if m.URL == "" && hasToken(attr(n, "rel"), "canonical") {
					href := strings.TrimSpace(attr(n, "href"))
					if u, err := url.Parse(href); err == nil &&
						(u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
						m.URL = href // absolute only: a relative link cannot be followed from a citation
					}
				}
			}
		}
		if rawText(n) {
			return
		}
		for c := range n.ChildNodes() {
			walk(c)
		}
	}
	walk(doc)
	m.Published = normaliseDate(m.Published)
	return m
}

// attr returns the value of n's attribute key, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

// hasToken reports whether the space-separated list s contains tok, in any
// case.
func hasToken(s, tok string) bool {
	for _, f := range strings.Fields(s) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
