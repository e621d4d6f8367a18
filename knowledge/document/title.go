package document

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxLineTitleRunes bounds a title taken from a document's first line.
const maxLineTitleRunes = 200

// markdownTitle returns the text of the first level-one ATX heading
// ("# Title") of a markdown body outside fenced code blocks, or "".
func markdownTitle(body string) string {
	fence := ""
	for line := range strings.Lines(body) {
		line = strings.TrimSuffix(line, "\n")
		indented := strings.TrimLeft(line, " ")
		if len(line)-len(indented) > 3 {
			continue // indented code
		}
		if fence != "" {
			if strings.HasPrefix(indented, fence) && strings.Trim(indented, fence[:1]+" \t") == "" {
				fence = ""
			}
			continue
		}
		if f := fenceOpening(indented); f != "" {
			fence = f
			continue
		}
		if level, text := atxHeading(line); level == 1 && text != "" {
			return text
		}
	}
	return ""
}

// fenceOpening returns the run of backticks or tildes that opens a fenced
// code block on line, or "".
func fenceOpening(line string) string {
	for _, c := range []string{"`", "~"} {
		n := len(line) - len(strings.TrimLeft(line, c))
		if n >= 3 {
			if c == "`" && strings.Contains(line[n:], "`") {
				return "" // an inline code span, not a fence
			}
			return line[:n]
		}
	}
	return ""
}

// atxHeading returns the level and text of line when it is an ATX heading
// ("## Text ##"), and level 0 otherwise.
func atxHeading(line string) (level int, text string) {
	s := strings.TrimLeft(line, " ")
	if len(line)-len(s) > 3 {
		return 0, ""
	}
	level = len(s) - len(strings.TrimLeft(s, "#"))
	if level < 1 || level > 6 {
		return 0, ""
	}
	s = s[level:]
	if s != "" && s[0] != ' ' && s[0] != '\t' {
		return 0, "" // "#hashtag"
	}
	s = strings.TrimRight(s, " \t")
	// A closing run of "#" counts only after a blank, or as all there is.
	if closed := strings.TrimRight(s, "#"); closed == "" || strings.HasSuffix(closed, " ") || strings.HasSuffix(closed, "\t") {
		s = closed
	}
	return level, collapseSpace(s)
}

// lineTitle returns the first line of body that has text, white space
// collapsed and cut at a word to at most maxLineTitleRunes runes ("…"
// marks the cut), or "". In markdown the marks of a heading are dropped.
func lineTitle(body string, k kind) string {
	for line := range strings.Lines(body) {
		if k == kindMarkdown {
			if level, text := atxHeading(strings.TrimSuffix(line, "\n")); level > 0 {
				line = text
			}
		}
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
