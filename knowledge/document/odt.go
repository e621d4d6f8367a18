package document

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// readODT reads an OpenDocument text file: the paragraphs and headings of
// content.xml in order (headings by outline level as sections), list
// items, and table rows as lines ("cell | cell"), and the title and
// author of meta.xml. Notes, tracked deletions and annotations are left
// out; no part may unpack to more than limit bytes.
func readODT(ctx context.Context, data []byte, limit int64) (extracted, error) {
	zr, err := openZip(data)
	if err != nil {
		return extracted{}, err
	}
	content, err := zipPart(zr, "content.xml", limit)
	if err != nil {
		return extracted{}, err
	}
	if content == nil {
		return extracted{}, fmt.Errorf("%w: no content.xml (not an OpenDocument file)", ErrDamaged)
	}
	metaXML, err := zipPart(zr, "meta.xml", limit)
	if err != nil {
		return extracted{}, err
	}
	var d docBuilder
	if err := odtBody(ctx, content, &d); err != nil {
		return extracted{}, err
	}
	return extracted{meta: coreProperties(ctx, metaXML), body: d.body(), anchors: d.anchors}, nil
}

func odtBody(ctx context.Context, data []byte, d *docBuilder) error {
	w := newXMLWalker(ctx, data)
	var (
		para    strings.Builder
		inPara  int
		level   int
		skip    int
		skipTag string
		inBody  bool
		table   tableText
	)
	for {
		tok, err := w.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				if t.Name.Local == skipTag {
					skip++
				}
				continue
			}
			switch t.Name.Local {
			case "body":
				inBody = true
			case "note", "annotation", "tracked-changes", "sequence-decls", "variable-decls":
				skip, skipTag = 1, t.Name.Local
			case "h", "p":
				if inPara == 0 {
					para.Reset()
					level = 0
				} else {
					para.WriteByte(' ')
				}
				inPara++
				if t.Name.Local == "h" && inPara == 1 {
					level = 1
					if l, err := strconv.Atoi(attrOf(t, "outline-level")); err == nil && l >= 1 {
						level = l
					}
				}
			case "s":
				n, err := strconv.Atoi(attrOf(t, "c"))
				if err != nil || n < 1 {
					n = 1
				}
				para.WriteString(strings.Repeat(" ", min(n, 8)))
			case "tab":
				para.WriteByte(' ')
			case "line-break":
				para.WriteByte('\n')
			case "table":
				table.startTable()
			case "table-row":
				table.startRow()
			case "table-cell":
				table.startCell()
			}
		case xml.EndElement:
			if skip > 0 {
				if t.Name.Local == skipTag {
					skip--
				}
				continue
			}
			switch t.Name.Local {
			case "h", "p":
				inPara--
				if inPara > 0 || !inBody {
					continue
				}
				text := para.String()
				switch {
				case table.paragraph(text):
				case level > 0:
					d.heading(text, level)
				default:
					d.add(text)
				}
			case "table-cell":
				table.endCell()
			case "table-row":
				table.endRow()
			case "table":
				table.endTable(d)
			}
		case xml.CharData:
			if inPara > 0 && skip == 0 && inBody {
				para.Write(t)
			}
		}
	}
}
