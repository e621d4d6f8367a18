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

// uniqueIDs returns the IDs of the documents at paths, sorted, made
// unique: the first document with a given slug keeps it; later ones get
// "-2", "-3", ..., skipping IDs that any document has as its own slug.
func uniqueIDs(paths []string) []string {
	ids := make([]string, len(paths))
	taken := make(map[string]bool, len(paths))
	for i, p := range paths {
		ids[i] = slug(p)
	}
	var dups []int
	for i, id := range ids {
		if taken[id] {
			dups = append(dups, i)
			continue
		}
		taken[id] = true
	}
	for _, i := range dups {
		base := ids[i]
		for n := 2; ; n++ {
			id := base + "-" + strconv.Itoa(n)
			if !taken[id] {
				ids[i] = id
				taken[id] = true
				break
			}
		}
	}
	return ids
}

// entangled reports, for each of slugs, whether the ID it gets depends on
// whether other files can be read: its slug is shared, or has the form
// "<shared slug>-<n>", which a duplicate may take.
func entangled(slugs []string) []bool {
	count := make(map[string]int, len(slugs))
	for _, s := range slugs {
		count[s]++
	}
	out := make([]bool, len(slugs))
	for i, s := range slugs {
		if count[s] > 1 {
			out[i] = true
			continue
		}
		if j := strings.LastIndexByte(s, '-'); j > 0 && j < len(s)-1 && count[s[:j]] > 1 {
			if _, err := strconv.Atoi(s[j+1:]); err == nil {
				out[i] = true
			}
		}
	}
	return out
}
