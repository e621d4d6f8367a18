package document

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxLineTitleRunes bounds a title taken from a document's first line.
const maxLineTitleRunes = 200

// lineTitle returns the first line of body that has text, white space
// collapsed and cut at a word to at most maxLineTitleRunes runes ("…"
// marks the cut), or "".
func lineTitle(body string) string {
	for line := range strings.Lines(body) {
		// Collapsing stops one rune past the limit: enough for
		// truncateAtWord to see whether the cut falls between words.
		if s := collapsePrefix(line, maxLineTitleRunes+1); s != "" {
			return truncateAtWord(s, maxLineTitleRunes)
		}
	}
	return ""
}

// truncateAtWord returns s when it has at most max runes, and otherwise
// its longest prefix that ends at a word and leaves room for "…", followed
// by "…". Text without spaces is cut between runes.
func truncateAtWord(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	cut := 0 // byte length of the first max-1 runes
	for range max - 1 {
		_, size := utf8.DecodeRuneInString(s[cut:])
		cut += size
	}
	prefix := s[:cut]
	if i := strings.LastIndexFunc(prefix, unicode.IsSpace); i > 0 && !startsWithSpace(s[cut:]) {
		prefix = prefix[:i]
	}
	return strings.TrimRightFunc(prefix, unicode.IsSpace) + "…"
}

func startsWithSpace(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

// fileTitle returns a title made from the name of the file at p.
func fileTitle(p string) string {
	base := path.Base(p)
	if base == "." || base == "/" {
		return "untitled"
	}
	if t := collapseSpace(strings.TrimSuffix(base, path.Ext(base))); t != "" {
		return t
	}
	if t := collapseSpace(base); t != "" {
		return t
	}
	return "untitled"
}

// collapseSpace trims s and replaces each run of white space in it by one
// space.
func collapseSpace(s string) string { return collapsePrefix(s, -1) }

// collapsePrefix is collapseSpace that stops after n runes of output (no
// limit when n < 0), so that a title can be taken from a huge line cheaply.
func collapsePrefix(s string, n int) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			if n == 0 {
				break
			}
			b.WriteByte(' ')
			n--
		}
		space = false
		if n == 0 {
			break
		}
		b.WriteRune(r)
		n--
	}
	return b.String()
}
