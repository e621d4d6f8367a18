package document

import (
	"path"
	"strconv"
	"strings"
	"unicode"
)

// slug returns the ID of the document at p: p without its extension, in
// lower case, with every run of characters that are not letters, digits or
// marks replaced by "-" and no "-" at either end; "doc" when nothing is
// left.
func slug(p string) string {
	p = strings.TrimSuffix(p, path.Ext(p))
	var b strings.Builder
	dash := false
	for _, r := range p {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		dash = true
	}
	if b.Len() == 0 {
		return "doc"
	}
	return b.String()
}

// assignIDs makes the IDs of docs, sorted by Path, unique. The first
// document with a given slug keeps it; later ones get "-2", "-3", ...,
// skipping IDs that any document has as its own slug.
func assignIDs(docs []Document) {
	taken := make(map[string]bool, len(docs))
	for i := range docs {
		docs[i].ID = slug(docs[i].Path)
	}
	var dups []int
	for i := range docs {
		if taken[docs[i].ID] {
			dups = append(dups, i)
			continue
		}
		taken[docs[i].ID] = true
	}
	for _, i := range dups {
		base := docs[i].ID
		for n := 2; ; n++ {
			id := base + "-" + strconv.Itoa(n)
			if !taken[id] {
				docs[i].ID = id
				taken[id] = true
				break
			}
		}
	}
}
