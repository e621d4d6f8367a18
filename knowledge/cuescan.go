package knowledge

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// The answer-cue patterns as hand-written scanners. Each was a Go regular
// expression, run on short windows for every candidate and excerpt
// sentence (28% of Ask's CPU); the scanners match exactly what the
// expression matched, with Go's semantics: \b, \s and \d are ASCII
// (\s is [\t\n\f\r ]), (?i) also folds k to U+212A (Kelvin sign) and s to
// U+017F (long s), and invalid UTF-8 reads as U+FFFD, one byte at a time.
// cue_test.go keeps the expressions as the reference the scanners are
// tested and fuzzed against; each scanner's comment quotes its expression.
//
// A scanner reports whether its pattern matches anywhere in s, trying
// every rune boundary as a start, as Go's matcher does.

// isWordByte reports whether c is a \w character ([0-9A-Za-z_]).
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// wordAt reports whether s[i] exists and is a \w character (a byte of a
// multi-byte rune never is).
func wordAt[S ~string | ~[]byte](s S, i int) bool { return i >= 0 && i < len(s) && isWordByte(s[i]) }

// boundary reports whether \b holds at i.
func boundary[S ~string | ~[]byte](s S, i int) bool { return wordAt(s, i-1) != wordAt(s, i) }

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

// skipSpaces returns the end of the run of \s starting at i.
func skipSpaces(s []byte, i int) int {
	for i < len(s) && isSpaceByte(s[i]) {
		i++
	}
	return i
}

// runeAt decodes the rune at i (U+FFFD and width 1 for invalid UTF-8).
func runeAt(s []byte, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRune(s[i:])
}

// upperAt reports whether a \p{Lu} rune starts at i.
func upperAt(s []byte, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := runeAt(s, i)
	return unicode.IsUpper(r)
}

// lit matches a pattern of literal words at i: a space in pattern stands
// for \s+, any other byte for itself. It returns the end of the match.
func lit(s []byte, i int, pattern string) (int, bool) {
	for k := 0; k < len(pattern); k++ {
		if pattern[k] == ' ' {
			j := skipSpaces(s, i)
			if j == i {
				return i, false
			}
			i = j
			continue
		}
		if i >= len(s) || s[i] != pattern[k] {
			return i, false
		}
		i++
	}
	return i, true
}

// foldLit is lit under (?i), for a pattern of lower-case ASCII: a letter
// matches either case, k also U+212A and s also U+017F.
func foldLit(s []byte, i int, pattern string) (int, bool) {
	for k := 0; k < len(pattern); k++ {
		c := pattern[k]
		switch {
		case c == ' ':
			j := skipSpaces(s, i)
			if j == i {
				return i, false
			}
			i = j
			continue
		case i < len(s) && (s[i] == c || 'a' <= c && c <= 'z' && s[i] == c-'a'+'A'):
			i++
			continue
		case c == 'k' && bytes.HasPrefix(s[i:], []byte("\u212a")):
			i += len("\u212a")
			continue
		case c == 's' && bytes.HasPrefix(s[i:], []byte("\u017f")):
			i += len("\u017f")
			continue
		}
		return i, false
	}
	return i, true
}

// word matches pattern (as lit, or foldLit when fold) at i followed by \b.
func word(s []byte, i int, pattern string, fold bool) bool {
	var j int
	var ok bool
	if fold {
		if !mayFold(s, i, pattern[0]) {
			return false
		}
		j, ok = foldLit(s, i, pattern)
	} else {
		if pattern[0] != ' ' && (i >= len(s) || s[i] != pattern[0]) {
			return false
		}
		j, ok = lit(s, i, pattern)
	}
	return ok && boundary(s, j)
}

// mayFold reports whether s[i] can start foldLit's match of a pattern
// starting with c: for a lower-case ASCII letter, the letter in either
// case or the first byte of U+212A (for k) or U+017F (for s); anything
// for other pattern bytes. It only saves foldLit's call.
func mayFold(s []byte, i int, c byte) bool {
	if c < 'a' || c > 'z' {
		return true
	}
	if i >= len(s) {
		return false
	}
	b := s[i]
	return b == c || b == c-'a'+'A' || c == 'k' && b == 0xE2 || c == 's' && b == 0xC5
}

// anyStart reports whether at(s, p) holds for a rune boundary p of s
// where \b holds, which every pattern here starts with (at checks it
// again).
func anyStart(s []byte, at func(s []byte, p int) bool) bool {
	prevWord := false // s[p-1] is a \w character
	for p := 0; p < len(s); {
		c := s[p]
		word := isWordByte(c)
		if word != prevWord && at(s, p) {
			return true
		}
		prevWord = word
		if c < utf8.RuneSelf {
			p++
		} else {
			_, w := utf8.DecodeRune(s[p:])
			p += w
		}
	}
	return false
}

// definitionPhrases are the alternatives of definitionCue (a space is
// \s+); wordEnd asks for \b after the phrase.
var definitionPhrases = [...]struct {
	phrase  string
	wordEnd bool
}{
	{"refers to", false}, {"refer to", false},
	{"is a", true}, {"is an", true}, {"is the", true},
	{"are a", true}, {"are an", true}, {"are the", true},
	{"means", true}, {"stands for", false}, {"is code for", false}, {"is defined", false},
	{"i.e.", false}, {"known as", false}, {"the idea that", false}, {"the notion", false},
	{"the concept of", false}, {"is to", true}, {"core idea", false}, {"in short", false},
	{"in contrast", false},
}

// definitionAt reports whether definitionCue matches starting at p:
//
//	(?i)\b(refers?\s+to|is\s+(a|an|the)\b|are\s+(a|an|the)\b|means\b|stands\s+for|is\s+code\s+for|is\s+defined|i\.e\.|known\s+as|the\s+idea\s+that|the\s+notion|the\s+concept\s+of|is\s+to\b|core\s+idea|in\s+short|in\s+contrast)
func definitionAt(s []byte, p int) bool {
	if !boundary(s, p) {
		return false
	}
	for _, d := range definitionPhrases {
		if !mayFold(s, p, d.phrase[0]) {
			continue
		}
		if j, ok := foldLit(s, p, d.phrase); ok && (!d.wordEnd || boundary(s, j)) {
			return true
		}
	}
	return false
}

// definitionBefore reports whether definitionCue's leftmost match in s
// starts at or before stop.
func definitionBefore(s []byte, stop int) bool {
	return anyStart(s[:min(len(s), stop+1)], func(_ []byte, p int) bool { return definitionAt(s, p) })
}

// appositive reports whether s starts with a description of what comes
// before it:
//
//	^\s*(?:\([^)]{1,30}\)\s*)?,\s+(?:a|an|the|who|one|China's|China’s)\b
func appositive(s []byte) bool {
	i := skipSpaces(s, 0)
	if i < len(s) && s[i] == '(' {
		j, n := i+1, 0
		for j < len(s) && s[j] != ')' {
			_, w := runeAt(s, j)
			j += w
			n++
		}
		if j == len(s) || n < 1 || n > 30 {
			return false
		}
		i = skipSpaces(s, j+1)
	}
	if i >= len(s) || s[i] != ',' {
		return false
	}
	j := skipSpaces(s, i+1)
	if j == i+1 {
		return false
	}
	for _, w := range [...]string{"a", "an", "the", "who", "one", "China's", "China’s"} {
		if word(s, j, w, false) {
			return true
		}
	}
	return false
}

var (
	monthsAndDays = [...]string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December",
		"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	relativeTimes = [...]string{"last week", "last year", "last month", "this week", "this year",
		"this month", "next week", "next year", "next month"}
)

// timeAt reports whether timeCue matches starting at p:
//
//	\b(1\d\d\d|20\d\d)s?\b|\b\d{1,4}\s*(BC|AD|BCE)\b|\b(January|…|December|Monday|…|Sunday)\b|(?i:\b\d{1,2}\s*[ap]\.?m\.|\b(last|this|next)\s+(week|year|month)\b|\byears?\s+ago\b|\byesterday\b|\bcentury\b|\bcenturies\b)
//
// Years from 1000 on, and eras and centuries, so that a history's dates
// ("in 1066", "430 BC", "the 10th and 11th centuries") count.
func timeAt(s []byte, p int) bool {
	if !boundary(s, p) {
		return false
	}
	if isDigitByte(s[p]) {
		if p+4 <= len(s) && (s[p] == '1' && isDigitByte(s[p+1]) || s[p] == '2' && s[p+1] == '0') &&
			isDigitByte(s[p+2]) && isDigitByte(s[p+3]) {
			j := p + 4
			if j < len(s) && s[j] == 's' && boundary(s, j+1) || boundary(s, j) {
				return true
			}
		}
		// \d{1,4}\s*(BC|AD|BCE)\b
		n := 0
		for p+n < len(s) && isDigitByte(s[p+n]) {
			n++
		}
		if n <= 4 {
			j := skipSpaces(s, p+n)
			for _, era := range [...]string{"BC", "AD", "BCE"} {
				if k, ok := lit(s, j, era); ok && boundary(s, k) {
					return true
				}
			}
		}
		// \d{1,2}\s*[ap]\.?m\.
		for d := 1; d <= 2 && p+d <= len(s) && isDigitByte(s[p+d-1]); d++ {
			j := skipSpaces(s, p+d)
			if j < len(s) && (s[j]|0x20 == 'a' || s[j]|0x20 == 'p') {
				j++
				if j < len(s) && s[j] == '.' && meridiemEnd(s, j+1) || meridiemEnd(s, j) {
					return true
				}
			}
		}
		return false
	}
	for _, w := range monthsAndDays {
		if word(s, p, w, false) {
			return true
		}
	}
	for _, w := range relativeTimes {
		if word(s, p, w, true) {
			return true
		}
	}
	if j, ok := foldLit(s, p, "year"); ok {
		if k, ok := foldLit(s, j, "s"); ok && word(s, k, " ago", true) || word(s, j, " ago", true) {
			return true
		}
	}
	return word(s, p, "yesterday", true) || word(s, p, "century", true) || word(s, p, "centuries", true)
}

// meridiemEnd matches (?i)m\. at i.
func meridiemEnd(s []byte, i int) bool {
	return i+1 < len(s) && s[i]|0x20 == 'm' && s[i+1] == '.'
}

// personAt reports whether the first two alternatives of personCue match
// starting at p:
//
//	\b(?:[A-Z][a-z]+\s+){1,2}[A-Z][a-z]+\b|(?i:\bby\s+[A-Z])
//
// (Two capitalised words match whenever three do.)
func personAt(s []byte, p int) bool {
	if !boundary(s, p) {
		return false
	}
	if j, ok := foldLit(s, p, "by "); ok && j < len(s) {
		c := s[j]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' ||
			bytes.HasPrefix(s[j:], []byte("\u212a")) || bytes.HasPrefix(s[j:], []byte("\u017f")) {
			return true
		}
	}
	j, ok := capitalised(s, p)
	if !ok {
		return false
	}
	if k := skipSpaces(s, j); k > j {
		if e, ok := capitalised(s, k); ok && boundary(s, e) {
			return true
		}
	}
	return false
}

// capitalised matches [A-Z][a-z]+ at i, taking every lower-case letter.
func capitalised(s []byte, i int) (int, bool) {
	if i >= len(s) || s[i] < 'A' || s[i] > 'Z' {
		return i, false
	}
	j := i + 1
	for j < len(s) && 'a' <= s[j] && s[j] <= 'z' {
		j++
	}
	return j, j > i+1
}

// hanGloss reports whether the last two alternatives of personCue match
// in s: a Chinese name before a full-width parenthesis or inside ASCII
// ones,
//
//	[\p{Han}]{2,4}（|\((?:[\p{Han}]{2,4})\)
func hanGloss(s []byte) bool {
	han := 0 // Han runes just before i
	for i := 0; i < len(s); {
		r, w := runeAt(s, i)
		switch {
		case r == '（' && han >= 2:
			return true
		case r == '(':
			j, n := i+1, 0
			for j < len(s) && n < 5 {
				r, w := runeAt(s, j)
				if !unicode.Is(unicode.Han, r) {
					break
				}
				j += w
				n++
			}
			if n >= 2 && n <= 4 && j < len(s) && s[j] == ')' {
				return true
			}
		}
		if unicode.Is(unicode.Han, r) {
			han++
		} else {
			han = 0
		}
		i += w
	}
	return false
}

var (
	placeWords = [...]string{"province", "city", "town", "village", "capital", "headquarters", "country", "region"}
	placeLeads = [...]string{"in ", "at ", "to ", "from ", "near ", "outside ", "outside of ", "across "}
)

// placeAt reports whether placeCue matches starting at p:
//
//	\b(?:in|at|to|from|near|outside(?:\s+of)?|across)\s+(?:the\s+)?\[?\p{Lu}|(?i:\b(?:province|city|town|village|capital|headquarters|country|region)\b)
func placeAt(s []byte, p int) bool {
	if !boundary(s, p) {
		return false
	}
	for _, l := range placeLeads {
		if s[p] != l[0] {
			continue
		}
		if j, ok := lit(s, p, l); ok && capitalAfter(s, j, true) {
			return true
		}
	}
	for _, w := range placeWords {
		if word(s, p, w, true) {
			return true
		}
	}
	return false
}

// capitalAfter matches (?:the\s+)?\[?\p{Lu} at i (without the bracket
// unless bracket).
func capitalAfter(s []byte, i int, bracket bool) bool {
	at := func(i int) bool {
		return upperAt(s, i) || bracket && i < len(s) && s[i] == '[' && upperAt(s, i+1)
	}
	if j, ok := lit(s, i, "the "); ok && at(j) {
		return true
	}
	return at(i)
}

var listLeads = [...]string{"such as ", "like ", "including ", "included "}

// listAt reports whether the first alternative of listCue matches at p:
//
//	\b(?:such\s+as|like|including|included)\s+(?:the\s+)?\p{Lu}
func listAt(s []byte, p int) bool {
	if !boundary(s, p) {
		return false
	}
	for _, l := range listLeads {
		if s[p] != l[0] {
			continue
		}
		if j, ok := lit(s, p, l); ok && capitalAfter(s, j, false) {
			return true
		}
	}
	return false
}

// nameList reports whether the second alternative of listCue matches in s:
//
//	\p{Lu}[\pL.-]*(?:\s+\p{Lu}[\pL.-]*)*(?:,\s*\p{Lu}[\pL.-]*(?:\s+\p{Lu}[\pL.-]*)*)*,?\s+(?:and|or)\s+(?:the\s+)?\p{Lu}
//
// It matches wherever its shortest form does: a run of letters, dots and
// hyphens with a capital in it, then ,?\s+(?:and|or)\s+(?:the\s+)?\p{Lu}.
func nameList(s []byte) bool {
	upper := false // the run of [\pL.-] before i has a capital
	for i := 0; i < len(s); {
		if c := s[i]; 'a' <= c && c <= 'z' || c == '.' || c == '-' {
			i++ // the common case, without decoding
			continue
		}
		r, w := runeAt(s, i)
		if r == '.' || r == '-' || unicode.IsLetter(r) {
			upper = upper || unicode.IsUpper(r)
			i += w
			continue
		}
		if upper && conjunctionAfter(s, i) {
			return true
		}
		upper = false
		i += w
	}
	return false
}

// conjunctionAfter matches ,?\s+(?:and|or)\s+(?:the\s+)?\p{Lu} at i.
func conjunctionAfter(s []byte, i int) bool {
	if s[i] == ',' {
		i++
	}
	for _, c := range [...]string{" and ", " or "} {
		if j, ok := lit(s, i, c); ok && capitalAfter(s, j, false) {
			return true
		}
	}
	return false
}

var numberWords = [...]string{"one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
	"ten", "eleven", "twelve", "twenty", "thirty", "hundred", "thousand", "million", "billion",
	"dozen", "several", "few"}

// numberAt reports whether numberCue matches starting at p:
//
//	(?i)\b(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|hundred|thousand|million|billion|dozen|several|few)\b
func numberAt(s []byte, p int) bool {
	if !boundary(s, p) {
		return false
	}
	if isDigitByte(s[p]) {
		e := p + 1
		for e < len(s) && (isDigitByte(s[e]) || s[e] == ',' || s[e] == '.') {
			e++
		}
		for ; e > p; e-- {
			if boundary(s, e) {
				return true
			}
		}
		return false
	}
	for _, w := range numberWords {
		if word(s, p, w, true) {
			return true
		}
	}
	return false
}

// cueMatcher returns the scanner of the answer cue for kind (nil for
// definitions, which hasCue checks after each match, and for other).
func cueMatcher(kind answerKind) func([]byte) bool {
	switch kind {
	case kindTime:
		return func(s []byte) bool { return anyStart(s, timeAt) }
	case kindPerson:
		return func(s []byte) bool { return anyStart(s, personAt) || hanGloss(s) }
	case kindPlace:
		return func(s []byte) bool { return anyStart(s, placeAt) }
	case kindNumber:
		return func(s []byte) bool { return anyStart(s, numberAt) }
	case kindList:
		return func(s []byte) bool { return anyStart(s, listAt) || nameList(s) }
	}
	return nil
}
