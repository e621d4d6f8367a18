package document

import (
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// maxMarkdownDepth bounds how deeply nested blocks (quotes in lists in
// quotes...) are followed; deeper text is left out rather than risk the
// stack.
const maxMarkdownDepth = 64

// markdownDoc is what a Markdown body yields.
type markdownDoc struct {
	body    string   // plain text, paragraphs separated by "\n\n"
	anchors []Anchor // where each section starts
	title   string   // the text of the first level-1 heading; may be empty
}

// renderMarkdown turns Markdown (CommonMark with GitHub tables and
// strikethrough) into plain text: headings, paragraphs, list items,
// quotes and code blocks become paragraphs, a table row becomes a line
// with its cells separated by " | ", and inline markup keeps only its
// words (a link its text, an image its description). Raw HTML keeps its
// readable text. Each heading starts a section named by the path of
// headings above it.
func renderMarkdown(src string) markdownDoc {
	source := []byte(src)
	md := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))
	root := md.Parser().Parse(text.NewReader(source))
	r := mdRenderer{src: source}
	r.block(root, 0)
	return markdownDoc{body: strings.Join(r.paras, "\n\n"), anchors: r.anchors, title: r.title}
}

type mdRenderer struct {
	src      []byte
	paras    []string
	size     int      // length of the body so far: paragraphs plus separators
	headings []string // the current heading path, index level-1
	anchors  []Anchor
	title    string
}

// add appends a paragraph (if it has text) and returns its offset.
func (r *mdRenderer) add(p string) (int, bool) {
	p = strings.TrimSpace(p)
	if p == "" {
		return 0, false
	}
	off := r.size
	if len(r.paras) > 0 {
		off += 2
	}
	r.paras = append(r.paras, p)
	r.size = off + len(p)
	return off, true
}

func (r *mdRenderer) block(n ast.Node, depth int) {
	if depth > maxMarkdownDepth {
		return
	}
	switch n := n.(type) {
	case *ast.Heading:
		t := collapseSpace(r.inline(n))
		off, ok := r.add(t)
		if !ok {
			return
		}
		if n.Level == 1 && r.title == "" {
			r.title = t
		}
		r.headings = r.headings[:min(len(r.headings), n.Level-1)]
		for len(r.headings) < n.Level-1 {
			r.headings = append(r.headings, "") // a level skipped
		}
		r.headings = append(r.headings, t)
		var path []string
		for _, h := range r.headings {
			if h != "" {
				path = append(path, h)
			}
		}
		r.anchors = append(r.anchors, Anchor{Offset: off, Section: strings.Join(path, SectionSeparator)})
		return
	case *ast.Paragraph, *ast.TextBlock:
		r.add(r.inline(n))
		return
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		r.add(r.lines(n))
		return
	case *ast.HTMLBlock:
		raw := r.lines(n)
		if n.HasClosure() {
			raw += string(n.ClosureLine.Value(r.src))
		}
		if page, err := parseHTML(raw); err == nil {
			for _, p := range strings.Split(page.body, "\n\n") {
				r.add(p)
			}
		}
		return
	case *east.Table:
		var rows []string
		for row := n.FirstChild(); row != nil; row = row.NextSibling() {
			var cells []string
			for c := row.FirstChild(); c != nil; c = c.NextSibling() {
				if t := collapseSpace(r.inline(c)); t != "" {
					cells = append(cells, t)
				}
			}
			if len(cells) > 0 {
				rows = append(rows, strings.Join(cells, " | "))
			}
		}
		r.add(strings.Join(rows, "\n"))
		return
	case *ast.ThematicBreak:
		return
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		r.block(c, depth+1)
	}
}

// lines returns the raw lines of a code or HTML block.
func (r *mdRenderer) lines(n ast.Node) string {
	var b strings.Builder
	ls := n.Lines()
	for i := 0; i < ls.Len(); i++ {
		seg := ls.At(i)
		b.Write(seg.Value(r.src))
	}
	return strings.TrimRight(b.String(), "\n")
}

// inline returns the words of n's inline content: soft line breaks become
// spaces, hard ones new lines, markup disappears.
func (r *mdRenderer) inline(n ast.Node) string {
	var b strings.Builder
	var walk func(ast.Node, int)
	walk = func(n ast.Node, depth int) {
		if depth > maxMarkdownDepth {
			return
		}
		switch n := n.(type) {
		case *ast.Text:
			b.Write(n.Segment.Value(r.src))
			switch {
			case n.HardLineBreak():
				b.WriteByte('\n')
			case n.SoftLineBreak():
				b.WriteByte(' ')
			}
			return
		case *ast.String:
			b.Write(n.Value)
			return
		case *ast.AutoLink:
			b.Write(n.Label(r.src))
			return
		case *ast.RawHTML:
			return
		}
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	// Collapse white space within each line.
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = collapseSpace(l)
	}
	return strings.Join(lines, "\n")
}
