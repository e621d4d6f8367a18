package document

// Reading PDF files.
//
// Libraries compared (December 2026, on squad-dev converted with
// convert-formats.sh: pandoc -> groff ms, justified and hyphenated, six
// articles of 5-10 pages; "recall" is the share of the Markdown
// original's words found in the extracted text, before any layout work):
//
//	github.com/ledongthuc/pdf (pure Go)       2-4 ms/page  recall 0.80-0.82  words run together, no hyphen handling
//	rsc.io/pdf (pure Go)                      5-8 ms/page  recall 0.03-0.06  no spaces at all
//	github.com/pdfcpu/pdfcpu                  -            no text extraction (content streams only)
//	github.com/klippa-app/go-pdfium (WASM)    8-20 ms/page recall 0.92-0.95  reading order, soft hyphens marked
//
// PDFium (Chrome's PDF library) compiled to WebAssembly and run by wazero
// (no cgo) reads the most PDFs correctly (fonts, encodings, object
// streams, damaged cross-reference tables) and, being sandboxed, is the
// one that can be given a hard memory limit and killed on a time limit
// without taking the process down. Its costs: about 6 MB in the binary
// and a one-off compilation of the module (seconds; cached on disk in
// Options.CacheDir, after which starting it takes about 0.3 s). The
// remaining words it runs together (justified lines whose spaces are
// made by positioning) are separated here from the characters' boxes,
// which brings recall to that of the Markdown original.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/klippa-app/go-pdfium"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// pdfReader runs PDFium. One file is read at a time, each in a fresh
// WebAssembly instance whose memory is bounded by Options.MaxMemory.
type pdfReader struct {
	pool  pdfium.Pool
	cache wazero.CompilationCache
}

func newPDFReader(ctx context.Context, opts Options) (*pdfReader, error) {
	rc := wazero.NewRuntimeConfig().
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		WithMemoryLimitPages(uint32(min(opts.maxMemory()/65536, 65536))).
		WithCloseOnContextDone(true)
	var cache wazero.CompilationCache
	if dir := cacheSubdir(opts.CacheDir, "pdfium"); dir != "" {
		if c, err := wazero.NewCompilationCacheWithDir(dir); err == nil {
			cache = c
			rc = rc.WithCompilationCache(c)
		}
	}
	type result struct {
		pool pdfium.Pool
		err  error
	}
	done := make(chan result, 1)
	go func() {
		pool, err := webassembly.Init(webassembly.Config{
			MinIdle: 0, MaxIdle: 1, MaxTotal: 1,
			RuntimeConfig: rc,
			FSConfig:      wazero.NewFSConfig(), // no files: PDFs are passed as bytes
			Stdout:        io.Discard,
			Stderr:        io.Discard,
		})
		done <- result{pool, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			if cache != nil {
				cache.Close(context.Background())
			}
			return nil, r.err
		}
		return &pdfReader{pool: r.pool, cache: cache}, nil
	case <-ctx.Done():
		go func() { // finish in the background, then release
			if r := <-done; r.err == nil {
				r.pool.Close()
			}
			if cache != nil {
				cache.Close(context.Background())
			}
		}()
		return nil, fmt.Errorf("%w: starting the PDF reader took too long", ErrTooComplex)
	}
}

// cacheSubdir is the directory name under the document cache: dir, else
// the user's cache directory's govbot, else "" (no cache).
func cacheSubdir(dir, name string) string {
	if dir == "" {
		c, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(c, "govbot")
	}
	return filepath.Join(dir, name)
}

func (r *pdfReader) close() error {
	err := r.pool.Close()
	if r.cache != nil {
		r.cache.Close(context.Background())
	}
	return err
}

// pdfPage is the text of one page as lines, top to bottom.
type pdfPage struct {
	lines  []pdfLine
	height float64
}

// pdfLine is one line of text with its geometry, in points from the
// bottom left of the page.
type pdfLine struct {
	text        string
	left, right float64
	bottom, top float64
	size        float64 // font size
	hyphen      bool    // ends with a hyphen that PDFium marks as breaking a word
}

// read extracts the text of a PDF. ctx bounds the time: when it is done
// the WebAssembly instance is killed.
func (r *pdfReader) read(ctx context.Context, data []byte) (ex extracted, err error) {
	inst, err := r.pool.GetInstanceWithContext(ctx)
	if err != nil {
		return extracted{}, fmt.Errorf("%w: %w", ErrTooComplex, err)
	}
	stop := make(chan struct{})
	killed := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			inst.Kill()
			close(killed)
		case <-stop:
		}
	}()
	defer func() {
		close(stop)
		select {
		case <-killed:
			err = fmt.Errorf("%w: reading it took too long", ErrTooComplex)
			ex = extracted{}
		default:
			inst.Close()
		}
		if p := recover(); p != nil {
			err, ex = fmt.Errorf("%w: %v", ErrDamaged, p), extracted{}
		}
	}()
	return readPDFWith(ctx, inst, data)
}

func readPDFWith(ctx context.Context, inst pdfium.Pdfium, data []byte) (extracted, error) {
	doc, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	switch {
	case errors.Is(err, pdfiumerrors.ErrPassword), errors.Is(err, pdfiumerrors.ErrSecurity):
		return extracted{}, ErrEncrypted
	case err != nil && ctx.Err() != nil:
		return extracted{}, fmt.Errorf("%w: reading it took too long", ErrTooComplex)
	case err != nil:
		return extracted{}, fmt.Errorf("%w: not a readable PDF", ErrDamaged)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})

	var ex extracted
	meta := func(tag string) string {
		m, err := inst.FPDF_GetMetaText(&requests.FPDF_GetMetaText{Document: doc.Document, Tag: tag})
		if err != nil {
			return ""
		}
		return strings.ToValidUTF8(m.Value, "")
	}
	ex.meta.Title, ex.meta.Author = meta("Title"), meta("Author")

	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return extracted{}, fmt.Errorf("%w: no page count", ErrDamaged)
	}
	pages := make([]pdfPage, 0, count.PageCount)
	for i := range count.PageCount {
		if err := ctx.Err(); err != nil {
			return extracted{}, fmt.Errorf("%w: reading it took too long", ErrTooComplex)
		}
		p, err := pdfPageText(inst, doc.Document, i)
		if err != nil {
			if ctx.Err() != nil {
				return extracted{}, fmt.Errorf("%w: reading it took too long", ErrTooComplex)
			}
			pages = append(pages, pdfPage{}) // an unreadable page: go on with the others
			continue
		}
		pages = append(pages, p)
	}
	ex.body, ex.anchors = layoutPDF(pages)
	if isBlank(ex.body) {
		return extracted{}, ErrNoTextLayer
	}
	// A document title that is a file name or a tool's placeholder says
	// nothing; the first line will do better.
	if t := collapseSpace(ex.meta.Title); untitled(t) {
		ex.meta.Title = ""
	}
	return ex, nil
}

var placeholderTitle = regexp.MustCompile(`(?i)^(untitled.*|microsoft word - .*|.*\.(docx?|pdf|odt|tex|dvi|ps|indd|qxd))$`)

func untitled(t string) bool { return t == "" || placeholderTitle.MatchString(t) }

// pdfChar is one character of a page with its box.
type pdfChar struct {
	r                        rune
	left, right, bottom, top float64
}

// pdfPageText reads the characters of page i and groups them into lines
// as PDFium orders them (content order, with its generated line breaks),
// adding the spaces that justified text makes by positioning alone.
func pdfPageText(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, i int) (pdfPage, error) {
	page, err := inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: doc, Index: i})
	if err != nil {
		return pdfPage{}, err
	}
	defer inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: page.Page})
	var out pdfPage
	if h, err := inst.FPDF_GetPageHeightF(&requests.FPDF_GetPageHeightF{Page: requests.Page{ByReference: &page.Page}}); err == nil {
		out.height = float64(h.PageHeight)
	}
	tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: requests.Page{ByReference: &page.Page}})
	if err != nil {
		return pdfPage{}, err
	}
	defer inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage})
	n, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil || n.Count <= 0 {
		return out, err
	}
	txt, err := inst.FPDFText_GetText(&requests.FPDFText_GetText{TextPage: tp.TextPage, StartIndex: 0, Count: n.Count})
	if err != nil {
		return pdfPage{}, err
	}
	runes := []rune(txt.Text)
	chars := make([]pdfChar, 0, n.Count)
	for j := range n.Count {
		var r rune
		if len(runes) == n.Count {
			r = runes[j]
		} else {
			u, err := inst.FPDFText_GetUnicode(&requests.FPDFText_GetUnicode{TextPage: tp.TextPage, Index: j})
			if err != nil {
				return pdfPage{}, err
			}
			r = rune(u.Unicode)
		}
		c := pdfChar{r: r}
		if r != '\r' && r != '\n' {
			// The loose box spans the glyph's advance and the font's
			// ascent and descent: gaps between loose boxes are the white
			// space between letters. (It also costs a third of
			// FPDFText_GetCharBox through go-pdfium.)
			box, err := inst.FPDFText_GetLooseCharBox(&requests.FPDFText_GetLooseCharBox{TextPage: tp.TextPage, Index: j})
			if err != nil {
				return pdfPage{}, err
			}
			r := box.Rect
			c.left, c.right, c.bottom, c.top = float64(r.Left), float64(r.Right), float64(min(r.Bottom, r.Top)), float64(max(r.Bottom, r.Top))
		}
		chars = append(chars, c)
	}
	// Font sizes are asked once per line.
	size := func(j int) float64 {
		fs, err := inst.FPDFText_GetFontSize(&requests.FPDFText_GetFontSize{TextPage: tp.TextPage, Index: j})
		if err != nil || fs.FontSize <= 0 || math.IsNaN(fs.FontSize) {
			return 10
		}
		return fs.FontSize
	}
	out.lines = charLines(chars, size)
	return out, nil
}

// charLines groups characters into lines at PDFium's line breaks and at
// jumps in position, and spaces words apart by the gaps between boxes:
// more than 0.2 em between letters, 0.35 em before closing punctuation.
func charLines(chars []pdfChar, size func(int) float64) []pdfLine {
	var lines []pdfLine
	var b strings.Builder
	var cur pdfLine
	first := -1 // index of the line's first visible character
	var prev *pdfChar
	flush := func() {
		t := collapseSpace(b.String())
		b.Reset()
		// PDFium marks a hyphen that breaks a word at a line end as
		// U+0002 (U+FFFE in a page's text).
		for _, soft := range []string{"\x02", "\ufffe"} {
			if t2, ok := strings.CutSuffix(t, soft); ok {
				t, cur.hyphen = strings.TrimSpace(t2), true
			}
		}
		t = strings.TrimSpace(strings.Map(func(r rune) rune {
			if r == '\x02' || r == 0xFFFE || r == 0xFFFD || (unicode.IsControl(r) && r != '\t') {
				return -1
			}
			return r
		}, t))
		if t != "" {
			cur.text = t
			lines = append(lines, cur)
		}
		cur, first, prev = pdfLine{}, -1, nil
	}
	for j := range chars {
		c := &chars[j]
		if c.r == '\r' || c.r == '\n' {
			flush()
			continue
		}
		if c.r == 0 {
			continue
		}
		visible := !unicode.IsSpace(c.r) && !unicode.IsControl(c.r) && c.r != 0xFFFE
		if prev != nil && visible {
			h := max(prev.top-prev.bottom, c.top-c.bottom, 1)
			gap := c.left - prev.right
			switch {
			case c.left < prev.left-2*h && math.Abs(c.bottom-prev.bottom) > h:
				flush() // back to the left on another baseline: a new line
			case strings.ContainsRune(".,;:!?)]}’”%", c.r):
				if gap > 0.35*cur.size {
					b.WriteByte(' ')
				}
			case gap > 0.2*cur.size:
				b.WriteByte(' ')
			}
		}
		if visible {
			if first < 0 {
				first = j
				cur.size = size(j)
				cur.left, cur.right, cur.bottom, cur.top = c.left, c.right, c.bottom, c.top
			} else {
				cur.left, cur.right = min(cur.left, c.left), max(cur.right, c.right)
				cur.bottom, cur.top = min(cur.bottom, c.bottom), max(cur.top, c.top)
			}
			prev = c
		}
		b.WriteRune(c.r)
	}
	flush()
	return lines
}

// pageNumberLine matches a line that is only a page number: "12", "- 12 -",
// "Page 12", "12 of 40", "xii".
var pageNumberLine = regexp.MustCompile(`(?i)^[-–—\s\[(]*(page\s*)?([0-9]{1,4}|[ivxlcdm]{1,7})(\s*(of|/)\s*[0-9]{1,4})?[-–—\s\])]*$`)

// layoutPDF rebuilds paragraphs from the lines of every page: running
// headers and footers and page numbers are dropped, a word hyphenated at
// a line end is joined again, and lines join into paragraphs unless a
// gap, an indent, a short line ending a sentence or a change of font size
// separates them. A short line in a larger font than the body text is a
// heading: it starts a section. Anchors mark where each page's text and
// each section start.
func layoutPDF(pages []pdfPage) (string, []Anchor) {
	drop := runningLines(pages)
	bodySize := commonSize(pages)
	var paras []string
	var anchors []Anchor
	var para strings.Builder
	size := 0 // length of the body so far
	flush := func() {
		p := strings.TrimSpace(para.String())
		para.Reset()
		if p == "" {
			return
		}
		if len(paras) > 0 {
			size += 2
		}
		paras = append(paras, p)
		size += len(p)
	}
	page, section := 0, ""
	mark := func() {
		off := size + para.Len()
		if len(paras) > 0 {
			off += 2 // the separator before the paragraph being built
		}
		if n := len(anchors); n > 0 && anchors[n-1].Offset == off {
			anchors[n-1] = Anchor{Offset: off, Page: page, Section: section}
			return
		}
		anchors = append(anchors, Anchor{Offset: off, Page: page, Section: section})
	}
	var prev *pdfLine
	prevPage := -1
	var prevGap float64 // line spacing within the current run of body text
	for pi, pg := range pages {
		pageStarted := false
		for li := range pg.lines {
			l := &pg.lines[li]
			if drop[pi][li] {
				continue
			}
			heading := l.size > bodySize*1.05 && utf8.RuneCountInString(l.text) <= 150
			newPara := prev == nil || heading || startsParagraph(prev, l, prevGap, prevPage != pi)
			switch {
			case newPara:
				flush()
			case prev.hyphen:
				// "peo-" + "ple": joined without the hyphen.
			case strings.HasSuffix(prev.text, "-") && startsLower(l.text):
				// "Roman-" + "Gaulish" stays hyphenated, without a space.
			default:
				para.WriteByte(' ')
			}
			if !pageStarted {
				pageStarted, page = true, pi+1
				mark()
			}
			if heading && (prev == nil || newPara) {
				section = l.text
				mark()
			}
			if !newPara && prevPage == pi && prev.bottom > l.bottom {
				prevGap = prev.bottom - l.bottom
			}
			para.WriteString(l.text)
			prev, prevPage = l, pi
			if heading {
				// A heading over several lines goes on only in the same size.
				if li+1 >= len(pg.lines) || math.Abs(pg.lines[li+1].size-l.size) > 0.05*l.size {
					flush()
				}
			}
		}
	}
	flush()
	return strings.Join(paras, "\n\n"), anchors
}

// commonSize is the font size of most of the text.
func commonSize(pages []pdfPage) float64 {
	weight := map[float64]int{}
	for _, pg := range pages {
		for _, l := range pg.lines {
			weight[math.Round(l.size*10)/10] += len(l.text)
		}
	}
	best, bestW := 10.0, -1
	for s, w := range weight {
		if w > bestW || (w == bestW && s < best) {
			best, bestW = s, w
		}
	}
	return best
}

func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

// startsParagraph reports whether line l starts a new paragraph after
// line prev.
func startsParagraph(prev, l *pdfLine, gap float64, newPage bool) bool {
	if prev.hyphen {
		return false
	}
	if newPage {
		// A paragraph goes on over a page break when the last line of
		// the page ran to the margin without ending a sentence and the
		// new page's line is not indented.
		return endsLikeSentenceText(prev.text) || l.left > prev.left+0.8*max(l.size, 1)
	}
	em := max(l.size, 1)
	if math.Abs(l.size-prev.size) > 0.05*em {
		return true // a heading, or back to body text after one
	}
	lineGap := prev.bottom - l.bottom
	if lineGap < 0 {
		return true // a new column or a new page
	}
	if gap > 0 && lineGap > gap*1.4 {
		return true // a blank line between paragraphs
	}
	if gap == 0 && lineGap > 2*em {
		return true
	}
	if l.left > prev.left+0.8*em && l.left-prev.left < 8*em {
		return true // a first-line indent
	}
	if endsLikeSentenceText(prev.text) && prev.right < l.right-3*em {
		return true // the last, short line of a paragraph
	}
	return false
}

func endsLikeSentenceText(s string) bool {
	s = strings.TrimRight(s, "\"'”’)]")
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?:;", r)
}

// runningLines marks the lines to drop: page numbers, and headers and
// footers that repeat (with any number changed) in the top or bottom
// lines of at least half the pages (and at least two).
func runningLines(pages []pdfPage) [][]bool {
	drop := make([][]bool, len(pages))
	counts := map[string]int{}
	const band = 3 // lines from the top and bottom that may be furniture
	key := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsDigit(r) {
				return '#'
			}
			return unicode.ToLower(r)
		}, collapseSpace(s))
	}
	edge := func(n, i int) bool { return i < band || i >= n-band }
	for _, pg := range pages {
		seen := map[string]bool{}
		for i, l := range pg.lines {
			if edge(len(pg.lines), i) {
				if k := key(l.text); !seen[k] {
					seen[k] = true
					counts[k]++
				}
			}
		}
	}
	threshold := max(2, (len(pages)+1)/2)
	for pi, pg := range pages {
		drop[pi] = make([]bool, len(pg.lines))
		for i, l := range pg.lines {
			if !edge(len(pg.lines), i) {
				continue
			}
			first, last := i == 0, i == len(pg.lines)-1
			switch {
			case (first || last) && pageNumberLine.MatchString(l.text):
				drop[pi][i] = true
			case counts[key(l.text)] >= threshold && len(pages) >= 2:
				drop[pi][i] = true
			}
		}
	}
	return drop
}
