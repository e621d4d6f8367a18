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

// readDOCX reads a Word (Office Open XML) document: the paragraphs of
// word/document.xml in order, headings (by style or outline level) as
// sections, list items and table rows as lines ("cell | cell"), and the
// title and author of docProps/core.xml. Deleted text of tracked changes,
// field codes and the fallback copies of drawings are left out; no part
// may unpack to more than limit bytes.
func readDOCX(ctx context.Context, data []byte, limit int64) (extracted, error) {
	zr, err := openZip(data)
	if err != nil {
		return extracted{}, err
	}
	main, err := zipPart(zr, "word/document.xml", limit)
	if err != nil {
		return extracted{}, err
	}
	if main == nil {
		return extracted{}, fmt.Errorf("%w: no word/document.xml (not a Word document)", ErrDamaged)
	}
	styles, err := zipPart(zr, "word/styles.xml", limit)
	if err != nil {
		return extracted{}, err
	}
	core, err := zipPart(zr, "docProps/core.xml", limit)
	if err != nil {
		return extracted{}, err
	}
	levels, err := docxHeadingStyles(ctx, styles)
	if err != nil {
		return extracted{}, err
	}
	var d docBuilder
	if err := docxBody(ctx, main, levels, &d); err != nil {
		return extracted{}, err
	}
	return extracted{meta: coreProperties(ctx, core), body: d.body(), anchors: d.anchors}, nil
}

// docxHeadingStyles maps paragraph style ids to heading levels, from the
// style's name ("heading 1", "Title") or its outline level.
func docxHeadingStyles(ctx context.Context, data []byte) (map[string]int, error) {
	levels := map[string]int{}
	if data == nil {
		return levels, nil
	}
	w := newXMLWalker(ctx, data)
	id := ""
	for {
		tok, err := w.next()
		if errors.Is(err, io.EOF) {
			return levels, nil
		}
		if err != nil {
			return nil, err
		}
		e, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch e.Name.Local {
		case "style":
			id = attrOf(e, "styleId")
		case "name":
			if l := headingLevelOf(attrOf(e, "val")); l > 0 && id != "" {
				levels[id] = l
			}
		case "outlineLvl":
			if l, err := strconv.Atoi(attrOf(e, "val")); err == nil && l >= 0 && l < 9 && id != "" {
				if _, named := levels[id]; !named {
					levels[id] = l + 1
				}
			}
		}
	}
}

// docxBody walks word/document.xml.
func docxBody(ctx context.Context, data []byte, levels map[string]int, d *docBuilder) error {
	w := newXMLWalker(ctx, data)
	var (
		para    strings.Builder
		inPara  int // depth of w:p (text boxes nest paragraphs)
		inText  bool
		skip    int // depth inside elements whose text is left out
		level   int // heading level of the current paragraph
		table   tableText
		skipTag string
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
			case "delText", "instrText", "Fallback", "footnoteReference", "endnoteReference":
				skip, skipTag = 1, t.Name.Local
			case "p":
				if inPara == 0 {
					para.Reset()
					level = 0
				} else {
					para.WriteByte(' ')
				}
				inPara++
			case "pStyle":
				if l := levels[attrOf(t, "val")]; l > 0 {
					level = l
				} else if l := headingLevelOf(attrOf(t, "val")); l > 0 {
					level = l
				}
			case "outlineLvl":
				if l, err := strconv.Atoi(attrOf(t, "val")); err == nil && l >= 0 && l < 9 && level == 0 {
					level = l + 1
				}
			case "t":
				inText = true
			case "tab":
				if inPara > 0 {
					para.WriteByte(' ')
				}
			case "br", "cr":
				if inPara > 0 {
					para.WriteByte('\n')
				}
			case "tbl":
				table.startTable()
			case "tr":
				table.startRow()
			case "tc":
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
			case "t":
				inText = false
			case "p":
				inPara--
				if inPara > 0 {
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
			case "tc":
				table.endCell()
			case "tr":
				table.endRow()
			case "tbl":
				table.endTable(d)
			}
		case xml.CharData:
			if inText && skip == 0 && inPara > 0 {
				para.Write(t)
			}
		}
	}
}
