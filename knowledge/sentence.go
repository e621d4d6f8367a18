package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations end with a period that does not end a sentence.
var abbreviations = map[string]bool{
	"u.s": true, "u.k": true, "u.n": true, "d.c": true, "e.g": true, "i.e": true,
	"a.m": true, "p.m": true, "mr": true, "mrs": true, "ms": true, "dr": true,
	"prof": true, "st": true, "no": true, "vs": true, "etc": true, "inc": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true,
	"aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
	"gen": true, "gov": true, "sen": true, "rep": true, "jr": true, "sr": true,
	"11p.m": true, "8a.m": true,
}

// sentenceSpans splits text into sentences and returns their byte ranges
// [start, end), trimmed of surrounding space. Boundaries are ., ! and ?
// (followed by closing quotes or brackets, then space and a capital, digit,
// quote or the end), CJK full stops, and line breaks. Known abbreviations
// ("U.S.", "Dec.", "a.m.") and single initials do not end sentences.
func sentenceSpans(text string) [][2]int {
	var spans [][2]int
	start := 0
	emit := func(end int) {
		s, e := trimSpan(text, start, end)
		if s < e {
			spans = append(spans, [2]int{s, e})
		}
		start = end
	}
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf && c != '\n' && c != '.' && c != '!' && c != '?' {
			i++ // the common case: nothing to decide
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		next := i + size
		switch r {
		case '\n':
			emit(next)
		case '。', '！', '？':
			next = skipClosers(text, next)
			emit(next)
		case '.', '!', '?':
			end := skipClosers(text, next)
			if r == '.' && (isAbbreviation(text, i) || isDecimal(text, i)) {
				break
			}
			if endsSentence(text, end) {
				emit(end)
				next = end
			}
		}
		i = next
	}
	emit(len(text))
	return spans
}

// skipClosers moves past closing quotes and brackets after a full stop.
func skipClosers(text string, i int) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !strings.ContainsRune(`"'”’)]»」』`, r) {
			break
		}
		i += size
	}
	return i
}

// endsSentence reports whether the text after a full stop at i starts a
// new sentence: end of text, or space followed by something that can open
// a sentence.
func endsSentence(text string, i int) bool {
	if i >= len(text) {
		return true
	}
	r, size := utf8.DecodeRuneInString(text[i:])
	if !unicode.IsSpace(r) {
		return false
	}
	j := i + size
	for j < len(text) {
		r, size = utf8.DecodeRuneInString(text[j:])
		if !unicode.IsSpace(r) || r == '\n' {
			break
		}
		j += size
	}
	if j >= len(text) {
		return true
	}
	r, _ = utf8.DecodeRuneInString(text[j:])
	return unicode.IsUpper(r) || unicode.IsDigit(r) || r == '\n' || isCJK(r) ||
		strings.ContainsRune(`"'“‘([«「`, r)
}

// isAbbreviation reports whether the period at i ends a known abbreviation
// or a single-letter initial ("J. Nye").
func isAbbreviation(text string, i int) bool {
	j := i
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:j])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.') {
			break
		}
		j -= size
	}
	word := strings.ToLower(text[j:i])
	if word == "" {
		return false
	}
	if abbreviations[word] {
		return true
	}
	if utf8.RuneCountInString(word) == 1 {
		// An initial ("J. Nye"), unless it is the s of a possessive ("Iran’s.").
		r, _ := utf8.DecodeRuneInString(word)
		if j > 0 {
			if prev, _ := utf8.DecodeLastRuneInString(text[:j]); prev == '’' || prev == '\'' {
				return false
			}
		}
		return unicode.IsLetter(r)
	}
	return false
}

// isDecimal reports whether the period at i sits between two digits.
func isDecimal(text string, i int) bool {
	if i == 0 || i+1 >= len(text) {
		return false
	}
	return text[i-1] >= '0' && text[i-1] <= '9' && text[i+1] >= '0' && text[i+1] <= '9'
}

// trimSpan narrows [s, e) to exclude leading and trailing white space.
func trimSpan(text string, s, e int) (int, int) {
	for s < e {
		r, size := utf8.DecodeRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		s += size
	}
	for e > s {
		r, size := utf8.DecodeLastRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		e -= size
	}
	return s, e
}

// isCJK reports whether r is a Han, Hiragana, Katakana or Hangul character.
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}
