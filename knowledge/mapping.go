package knowledge

import (
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
)

// mappingVersion changes whenever the mapping or what is indexed changes
// (including how documents are split into passages: see passage.go);
// an index built with another version is rebuilt.
const mappingVersion = "govbot-passages-v12" // v10: passages carry page and section; v11: ordinal stored only; v12: no _all field

// Index field names.
const (
	fieldText    = "text"     // passage text, English analyser, stored
	fieldCJK     = "text_cjk" // the passage's CJK characters only, CJK bigrams
	fieldTitle   = "title"    // document title, author and date: the context of every passage
	fieldDocID   = "doc_id"   // document id, keyword
	fieldOrdinal = "ordinal"  // passage ordinal within its document
	fieldStart   = "start"    // byte offset in the document body
	fieldEnd     = "end"      // byte offset in the document body
	fieldPage    = "page"     // page the passage starts on (PDF), stored only
	fieldSection = "section"  // heading path of the passage, stored only
	passageType  = "passage"
)

// passageDoc is what is indexed for one passage.
type passageDoc struct {
	Text    string  `json:"text"`
	CJK     string  `json:"text_cjk"`
	Title   string  `json:"title"`
	DocID   string  `json:"doc_id"`
	Ordinal float64 `json:"ordinal"`
	Start   float64 `json:"start"`
	End     float64 `json:"end"`
	Page    float64 `json:"page,omitempty"`
	Section string  `json:"section,omitempty"`
}

// passageFields returns the stored fields a Passage is read back from.
func passageFields() []string {
	return []string{fieldText, fieldDocID, fieldOrdinal, fieldStart, fieldEnd, fieldPage, fieldSection}
}

// BleveType routes passages to their explicit type mapping (a default
// mapping would look up the "standard" analyser for text_cjk at query time).
func (passageDoc) BleveType() string { return passageType }

func newPassageDoc(p Passage, src Source) passageDoc {
	context := strings.Join([]string{src.Title, src.Author, src.Translator, src.Publication, src.Published}, " \n ")
	return passageDoc{
		Text: p.Text, CJK: cjkOnly(p.Text), Title: context, DocID: p.DocID,
		Ordinal: float64(p.Ordinal), Start: float64(p.Start), End: float64(p.End),
		Page: float64(p.Page), Section: p.Section,
	}
}

// cjkOnly keeps the CJK characters of s and blanks everything else with
// the same number of bytes, so offsets in the CJK field equal offsets in
// the text. Text without CJK becomes "" and costs nothing to index.
func cjkOnly(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf { // ASCII has no CJK: skip decoding it
		i++
	}
	has := false
	for _, r := range s[i:] {
		if isCJK(r) {
			has = true
			break
		}
	}
	if !has {
		return ""
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if isCJK(r) {
			b.WriteRune(r)
		} else {
			b.WriteString(strings.Repeat(" ", utf8.RuneLen(max(r, 0))))
		}
	}
	return b.String()
}

// newMapping is the explicit index mapping: BM25 scoring, English stemming
// for text and titles, CJK bigrams for Chinese, Japanese and Korean text.
func newMapping() mapping.IndexMapping {
	text := bleve.NewTextFieldMapping()
	text.Analyzer = en.AnalyzerName
	text.Store = true
	text.IncludeTermVectors = true // locations for excerpts
	text.IncludeInAll = false

	cjkField := bleve.NewTextFieldMapping()
	cjkField.Name = fieldCJK
	cjkField.Analyzer = cjk.AnalyzerName
	cjkField.Store = false
	cjkField.IncludeTermVectors = true
	cjkField.IncludeInAll = false

	title := bleve.NewTextFieldMapping()
	title.Analyzer = en.AnalyzerName
	title.Store = false
	title.IncludeTermVectors = true // which title words matched
	title.IncludeInAll = false

	docID := bleve.NewTextFieldMapping()
	docID.Analyzer = keyword.Name
	docID.Store = true
	docID.IncludeTermVectors = false
	docID.IncludeInAll = false

	num := func(index bool) *mapping.FieldMapping {
		f := bleve.NewNumericFieldMapping()
		f.Store = true
		f.Index = index
		f.DocValues = index
		f.IncludeInAll = false
		return f
	}

	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fieldText, text)
	dm.AddFieldMappingsAt(fieldCJK, cjkField)
	dm.AddFieldMappingsAt(fieldTitle, title)
	dm.AddFieldMappingsAt(fieldDocID, docID)
	dm.AddFieldMappingsAt(fieldOrdinal, num(false)) // stored only: passages are found by id
	dm.AddFieldMappingsAt(fieldStart, num(false))
	dm.AddFieldMappingsAt(fieldEnd, num(false))
	dm.AddFieldMappingsAt(fieldPage, num(false))
	section := bleve.NewTextFieldMapping()
	section.Analyzer = keyword.Name
	section.Store = true
	section.Index = false
	section.IncludeTermVectors = false
	section.IncludeInAll = false
	dm.AddFieldMappingsAt(fieldSection, section)
	// Every query names its fields: no composite _all field to build.
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())

	m := bleve.NewIndexMapping()
	m.AddDocumentMapping(passageType, dm)
	m.DefaultType = passageType
	m.DefaultMapping = bleve.NewDocumentDisabledMapping()
	m.DefaultAnalyzer = en.AnalyzerName
	m.ScoringModel = "bm25"
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m
}
