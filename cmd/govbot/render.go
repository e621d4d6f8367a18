package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govbot-dev/govbot/knowledge"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// termWidth is the width of the terminal w, or 0 when w is not one.
func termWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil || width < 40 {
		return 80
	}
	return min(width, 120)
}

// wrapText breaks s at spaces so that no line is wider than width runes
// (counting indent), indents continuation lines, and moves spans to
// match. Width 0 leaves s alone.
func wrapText(s string, spans []knowledge.Span, width int, indent string) (string, []knowledge.Span) {
	if width <= 0 {
		return s, spans
	}
	ind := utf8.RuneCountInString(indent)
	var breaks []int // byte offsets in s of the spaces and newlines that start a new line
	col, lastSpace, colAfterSpace := ind, -1, 0
	for i, r := range s {
		switch r {
		case '\n':
			breaks = append(breaks, i)
			col, lastSpace = ind, -1
			continue
		case ' ':
			lastSpace, colAfterSpace = i, col+1
		}
		col++
		if col > width && lastSpace >= 0 {
			breaks = append(breaks, lastSpace)
			col = ind + col - colAfterSpace
			lastSpace = -1
		}
	}
	var b strings.Builder
	prev := 0
	for _, br := range breaks {
		b.WriteString(s[prev:br])
		b.WriteString("\n" + indent)
		prev = br + 1
	}
	b.WriteString(s[prev:])
	out := make([]knowledge.Span, len(spans))
	for i, sp := range spans {
		out[i] = sp
		for _, br := range breaks {
			if br < sp.Start {
				out[i].Start += len(indent)
			}
			if br < sp.End {
				out[i].End += len(indent)
			}
		}
	}
	return b.String(), out
}

// isTerminal reports whether w is a terminal (line wrapping, prompts and
// progress bars are for people, not pipes).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// colorFor reports whether output to w may be coloured: a terminal, and
// NO_COLOR (https://no-color.org) not set. NO_COLOR turns off colour
// only: text is still wrapped to the terminal's width.
func colorFor(w io.Writer, getenv func(string) string) bool {
	return isTerminal(w) && getenv("NO_COLOR") == ""
}

// style holds the escape codes used on a terminal; all empty otherwise.
type style struct{ bold, dim, hl, reset string }

func newStyle(color bool) style {
	if !color {
		return style{}
	}
	return style{bold: "\x1b[1m", dim: "\x1b[2m", hl: "\x1b[1;33m", reset: "\x1b[0m"}
}

// highlight marks the spans of s: colour on a terminal, nothing otherwise.
func (st style) highlight(s string, spans []knowledge.Span) string {
	if st.hl == "" {
		return s
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp.Start])
		b.WriteString(st.hl + s[sp.Start:sp.End] + st.reset)
		last = sp.End
	}
	b.WriteString(s[last:])
	return b.String()
}

// byline is "Author, 2015-12-22" with whatever the source states.
func byline(s knowledge.Source) string {
	var parts []string
	for _, p := range []string{s.Author, s.Publication, s.Published} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

func renderAnswer(w io.Writer, a knowledge.Answer, color bool) error {
	st := newStyle(color)
	width := termWidth(w) // 0 when w is not a terminal; wrapping does not depend on colour
	var b strings.Builder
	if a.Abstained {
		fmt.Fprintf(&b, "%sThe knowledge base does not answer this question.%s\n", st.bold, st.reset)
		if len(a.Closest) > 0 {
			fmt.Fprintf(&b, "\n%sClosest passages (they may not answer it):%s\n", st.dim, st.reset)
			for _, c := range a.Closest {
				fmt.Fprintf(&b, "  - %s (%s)\n", c.Source.Title, c.Passage.ID)
			}
		}
		_, err := io.WriteString(w, b.String())
		return err
	}
	for _, c := range a.Citations {
		text, spans := wrapText(c.Excerpt, c.Highlights, width, "    ")
		fmt.Fprintf(&b, "%s[%d]%s %s\n\n", st.bold, c.Rank, st.reset, st.highlight(text, spans))
	}
	fmt.Fprintf(&b, "%sSources%s\n", st.bold, st.reset)
	for _, c := range a.Citations {
		fmt.Fprintf(&b, "[%d] %s\n    %s", c.Rank, c.Source.Title, st.dim)
		if by := byline(c.Source); by != "" {
			fmt.Fprintf(&b, "%s · ", by)
		}
		fmt.Fprintf(&b, "passage %s%s\n", c.Passage.ID, st.reset)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func renderSearch(w io.Writer, hits []knowledge.Citation, color bool) error {
	st := newStyle(color)
	width := termWidth(w) // 0 when w is not a terminal; wrapping does not depend on colour
	var b strings.Builder
	if len(hits) == 0 {
		b.WriteString("No passages match.\n")
	}
	for _, c := range hits {
		text, spans := wrapText(c.Excerpt, c.Highlights, width, "    ")
		fmt.Fprintf(&b, "%s%2d. %s%s %s(%s, score %.3f)%s\n    %s\n\n", st.bold, c.Rank, c.Source.Title, st.reset,
			st.dim, c.Passage.ID, c.Score, st.reset, st.highlight(text, spans))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func renderSources(w io.Writer, srcs []knowledge.Source, color bool) error {
	st := newStyle(color)
	var b strings.Builder
	for _, s := range srcs {
		fmt.Fprintf(&b, "%s%s%s\n    id %s · %d passages · %s", st.bold, s.Title, st.reset, s.ID, s.Passages, s.Path)
		if by := byline(s); by != "" {
			fmt.Fprintf(&b, " · %s", by)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "%d documents\n", len(srcs))
	_, err := io.WriteString(w, b.String())
	return err
}

func renderReport(w io.Writer, r knowledge.Report, s knowledge.Status) error {
	var b strings.Builder
	verb := "Index is up to date"
	if r.Rebuilt {
		verb = "Indexed"
	}
	fmt.Fprintf(&b, "%s: %d documents, %d passages from %s (%s) in %s\n", verb, r.Documents, r.Passages,
		s.Corpus, s.IndexDir, r.Duration.Round(time.Millisecond))
	for _, l := range []struct {
		name string
		ids  []string
	}{{"added", r.Added}, {"changed", r.Changed}, {"removed", r.Removed}} {
		if len(l.ids) > 0 {
			fmt.Fprintf(&b, "  %s: %s\n", l.name, strings.Join(l.ids, ", "))
		}
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintf(&b, "Skipped %d files:\n", len(r.Skipped))
		for _, sk := range r.Skipped {
			fmt.Fprintf(&b, "  %s: %s\n", sk.Path, sk.Reason)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// progress shows a progress bar on a terminal while a large corpus is indexed.
type progress struct {
	w   io.Writer
	bar *progressbar.ProgressBar
}

func newProgress(w io.Writer) *progress { return &progress{w: w} }

// update shows done of total bytes of corpus files indexed.
func (p *progress) update(done, total int) {
	if !isTerminal(p.w) || total < 1<<20 {
		return
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription("indexing"), progressbar.OptionShowBytes(true),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
	}
	p.bar.Set(done)
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
