package library

import (
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"

	"github.com/govbot-dev/govbot/knowledge/document"
)

// maxStem bounds the generated part of a document's file name.
const maxStem = 60

// MaxTitle bounds a title given with AddOptions, in runes.
const MaxTitle = 200

// ValidGuild reports whether id is a Discord snowflake: 1 to 20 ASCII
// digits without a leading zero, at most 2^64-1. Only such ids name a
// guild's folder, so no id can leave it.
func ValidGuild(id string) bool {
	if id == "" || len(id) > 20 || id[0] == '0' {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
	}
	_, err := strconv.ParseUint(id, 10, 64)
	return err == nil
}

// fileName returns the name a document is stored under: a slug of title
// when it has one, else of filename without folders or extension,
// followed by filename's extension in lower case. The slug keeps only
// a-z, 0-9 and single "-" (accents are dropped, other scripts are not
// kept), at most maxStem bytes; "document" when nothing is left. Nothing
// of filename's folders ("../", "C:\") survives. ok is false when the
// extension is not one the corpus loader reads.
func fileName(title, filename string) (stem, ext string, ok bool) {
	base := path.Base(strings.ReplaceAll(filename, `\`, "/"))
	ext = strings.ToLower(path.Ext(base))
	if !document.Supported("x"+ext) || base == ext || strings.ContainsRune(ext, 0) {
		return "", "", false
	}
	stem = slugASCII(title)
	if stem == "" {
		stem = slugASCII(strings.TrimSuffix(base, path.Ext(base)))
	}
	if stem == "" {
		stem = "document"
	}
	return stem, ext, true
}

// slugASCII is s in lower case with accents dropped and every run of
// other characters than a-z and 0-9 replaced by one "-", without "-" at
// either end, cut to maxStem bytes.
func slugASCII(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			if b.Len() >= maxStem {
				break
			}
			continue
		}
		dash = true
	}
	return strings.TrimRight(b.String(), "-")
}

// titleLine matches a front matter "title:" key.
var titleLine = regexp.MustCompile(`(?i)^title\s*:`)

// withTitle returns the file data with title as its front matter title:
// an existing title is replaced, other front matter is kept, and a file
// without front matter gets some. The title is put on one line, without
// control or invisible characters, at most MaxTitle runes. Data that is
// not UTF-8 is returned unchanged (the parser rejects it).
func withTitle(data []byte, title string) []byte {
	title = cleanTitle(title)
	if title == "" || !utf8.Valid(data) {
		return data
	}
	fm, err := yaml.Marshal(map[string]string{"title": title})
	if err != nil {
		return data
	}
	text := strings.ReplaceAll(strings.TrimPrefix(string(data), "\uFEFF"), "\r\n", "\n")
	lines := strings.SplitAfter(text, "\n")
	if len(lines) > 1 && strings.TrimRight(lines[0], " \t\n") == "---" {
		for i := 1; i < len(lines); i++ {
			if strings.TrimRight(lines[i], " \t\n") != "---" {
				continue
			}
			var kept []string
			skipping := false
			for _, l := range lines[1:i] {
				if titleLine.MatchString(l) {
					skipping = true
					continue
				}
				if skipping && (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) {
					continue
				}
				skipping = false
				kept = append(kept, l)
			}
			return []byte("---\n" + string(fm) + strings.Join(kept, "") + strings.Join(lines[i:], ""))
		}
	}
	return []byte("---\n" + string(fm) + "---\n\n" + text)
}

// cleanTitle is a title typed by a user, fit for front matter.
func cleanTitle(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
	if r := []rune(s); len(r) > MaxTitle {
		s = strings.TrimSpace(string(r[:MaxTitle]))
	}
	return s
}

// docID is the id the corpus loader gives the file at rel (slash-
// separated, a slug folder and stem as fileName makes them).
func docID(rel string) string {
	rel = strings.TrimSuffix(rel, path.Ext(rel))
	return strings.ReplaceAll(rel, "/", "-")
}
