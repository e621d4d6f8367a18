package document

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxXMLDepth bounds the nesting of elements in the XML of a DOCX or ODT
// file; deeper files are skipped as too complex.
const maxXMLDepth = 256

// zipPart returns the unpacked bytes of the file name in the zip archive,
// at most limit bytes; a missing part is (nil, nil).
func zipPart(zr *zip.Reader, name string, limit int64) ([]byte, error) {
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		if f.UncompressedSize64 > uint64(limit) {
			return nil, fmt.Errorf("%w: %s unpacks to more than %s", ErrTooComplex, name, formatSize(limit))
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrDamaged, name, err)
		}
		defer rc.Close()
		data, err := io.ReadAll(io.LimitReader(rc, limit+1))
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrDamaged, name, err)
		}
		if int64(len(data)) > limit {
			return nil, fmt.Errorf("%w: %s unpacks to more than %s", ErrTooComplex, name, formatSize(limit))
		}
		return data, nil
	}
	return nil, nil
}

func openZip(data []byte) (*zip.Reader, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%w: not a readable zip archive", ErrDamaged)
	}
	if len(zr.File) > 10000 {
		return nil, fmt.Errorf("%w: %d files in the archive", ErrTooComplex, len(zr.File))
	}
	return zr, nil
}

// xmlWalker streams the elements of an XML part, bounding their depth and
// checking ctx now and then.
type xmlWalker struct {
	ctx   context.Context
	dec   *xml.Decoder
	depth int
	n     int
}

func newXMLWalker(ctx context.Context, data []byte) *xmlWalker {
	return &xmlWalker{ctx: ctx, dec: xml.NewDecoder(bytes.NewReader(data))}
}

// next returns the next token, io.EOF at the end, or an error for a
// damaged or too deeply nested part or a done ctx.
func (w *xmlWalker) next() (xml.Token, error) {
	tok, err := w.dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("%w: bad XML: %v", ErrDamaged, err)
	}
	switch tok.(type) {
	case xml.StartElement:
		w.depth++
		if w.depth > maxXMLDepth {
			return nil, fmt.Errorf("%w: elements nested more than %d deep", ErrTooComplex, maxXMLDepth)
		}
	case xml.EndElement:
		w.depth--
	}
	if w.n++; w.n%4096 == 0 && w.ctx.Err() != nil {
		return nil, fmt.Errorf("%w: reading it took too long", ErrTooComplex)
	}
	return tok, nil
}

// attrOf returns the value of the attribute with local name local.
func attrOf(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// tableText reads an office table (Word's w:tbl, OpenDocument's
// table:table) as one paragraph of lines, a row a line ("cell | cell").
// A table nested in a cell is read into that cell's text.
type tableText struct {
	depth  int // of nested tables
	inCell int
	cell   strings.Builder
	row    []string
	rows   []string
}

func (t *tableText) startTable() { t.depth++ }

func (t *tableText) startRow() {
	if t.depth == 1 {
		t.row = t.row[:0]
	}
}

func (t *tableText) startCell() {
	if t.depth == 1 {
		t.cell.Reset()
		t.inCell++
	}
}

// paragraph takes the text of a paragraph that ended; it reports false
// when the paragraph is not inside a table (the caller keeps it).
func (t *tableText) paragraph(text string) bool {
	if t.depth == 0 {
		return false
	}
	if t.inCell > 0 {
		t.cell.WriteString(text)
		t.cell.WriteByte(' ')
	}
	return true
}

func (t *tableText) endCell() {
	if t.depth == 1 && t.inCell > 0 {
		t.inCell--
		if c := collapseSpace(t.cell.String()); c != "" {
			t.row = append(t.row, c)
		}
	}
}

func (t *tableText) endRow() {
	if t.depth == 1 && len(t.row) > 0 {
		t.rows = append(t.rows, strings.Join(t.row, " | "))
	}
}

// endTable adds the table to d once the outermost table ends.
func (t *tableText) endTable(d *docBuilder) {
	t.depth--
	if t.depth == 0 {
		d.add(strings.Join(t.rows, "\n"))
		t.rows = t.rows[:0]
	}
}

// docBuilder gathers paragraphs and section anchors.
type docBuilder struct {
	paras    []string
	size     int
	headings []string
	anchors  []Anchor
}

func (d *docBuilder) add(p string) int {
	lines := strings.Split(p, "\n")
	kept := lines[:0]
	for _, l := range lines {
		if l = collapseSpace(l); l != "" {
			kept = append(kept, l)
		}
	}
	p = strings.Join(kept, "\n")
	if p == "" {
		return -1
	}
	off := d.size
	if len(d.paras) > 0 {
		off += 2
	}
	d.paras = append(d.paras, p)
	d.size = off + len(p)
	return off
}

// heading adds a heading of level (1-9) and starts its section.
func (d *docBuilder) heading(text string, level int) {
	off := d.add(text)
	if off < 0 {
		return
	}
	level = max(1, min(level, 9))
	d.headings = d.headings[:min(len(d.headings), level-1)]
	for len(d.headings) < level-1 {
		d.headings = append(d.headings, "")
	}
	d.headings = append(d.headings, collapseSpace(text))
	var named []string
	for _, h := range d.headings {
		if h != "" {
			named = append(named, h)
		}
	}
	d.anchors = append(d.anchors, Anchor{Offset: off, Section: strings.Join(named, SectionSeparator)})
}

func (d *docBuilder) body() string { return strings.Join(d.paras, "\n\n") }

// coreProperties reads title, author and date from a Dublin Core
// properties part (docProps/core.xml of a DOCX, meta.xml of an ODT).
func coreProperties(ctx context.Context, data []byte) meta {
	var m meta
	if data == nil {
		return m
	}
	w := newXMLWalker(ctx, data)
	var field *string
	var b strings.Builder
	for {
		tok, err := w.next()
		if err != nil {
			return m
		}
		switch t := tok.(type) {
		case xml.StartElement:
			field = nil
			switch t.Name.Local {
			case "title":
				field = &m.Title
			case "creator", "initial-creator":
				if m.Author == "" {
					field = &m.Author
				}
			case "created", "creation-date":
				field = &m.Published
			}
			b.Reset()
		case xml.CharData:
			if field != nil {
				b.Write(t)
			}
		case xml.EndElement:
			if field != nil && *field == "" {
				*field = collapseSpace(b.String())
			}
			field = nil
		}
	}
}

// headingLevelOf reads a heading level from a style name such as
// "heading 2", "Heading2" or "Title" (level 1 as well).
func headingLevelOf(name string) int {
	n := strings.ToLower(strings.ReplaceAll(name, " ", ""))
	if n == "title" {
		return 1
	}
	if rest, ok := strings.CutPrefix(n, "heading"); ok {
		if l, err := strconv.Atoi(rest); err == nil && l >= 1 && l <= 9 {
			return l
		}
	}
	return 0
}
