package feedback

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize is the key that groups wordings of one question: NFKC,
// lower case, markdown and punctuation removed, spaces collapsed, so
// "What is the **WIC**?" and "what is the wic" are one question.
// Apostrophes vanish ("China's" → "chinas"); other punctuation and
// symbols separate words. Letters and digits of every script are kept.
func Normalize(question string) string {
	q := norm.NFKC.String(scrubMentions(question, true))
	q = stripLinks(q)
	var b strings.Builder
	b.Grow(len(q))
	space := false
	for _, r := range q {
		switch {
		case r == '\'' || r == '’' || r == 'ʼ' || r == '‘':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default: // spaces, punctuation, symbols, controls, markdown
			space = true
		}
	}
	return b.String()
}

// stripLinks turns markdown links [text](url) into their text.
func stripLinks(s string) string {
	if !strings.Contains(s, "](") {
		return s
	}
	var b strings.Builder
	for {
		open := strings.IndexByte(s, '[')
		if open < 0 {
			break
		}
		mid := strings.Index(s[open:], "](")
		if mid < 0 {
			break
		}
		mid += open
		end := strings.IndexByte(s[mid:], ')')
		if end < 0 || strings.ContainsAny(s[open+1:mid], "[\n") {
			b.WriteString(s[:open+1])
			s = s[open+1:]
			continue
		}
		end += mid
		b.WriteString(s[:open])
		b.WriteString(s[open+1 : mid])
		s = s[end+1:]
	}
	b.WriteString(s)
	return b.String()
}

// scrubMentions replaces Discord mentions, which carry ids, by what they
// are: <@123> and <@!123> → @user, <@&123> → @role, <#123> → #channel;
// or by a space when drop is set.
func scrubMentions(s string, drop bool) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		repl, n := mention(s)
		if n == 0 {
			b.WriteByte('<')
			s = s[1:]
			continue
		}
		if drop {
			repl = " "
		}
		b.WriteString(repl)
		s = s[n:]
	}
	b.WriteString(s)
	return b.String()
}

// mention reports the replacement of the mention s starts with and its
// length, or 0 when s does not start with one.
func mention(s string) (string, int) {
	var repl, rest string
	switch {
	case strings.HasPrefix(s, "<@&"):
		repl, rest = "@role", s[3:]
	case strings.HasPrefix(s, "<@!"):
		repl, rest = "@user", s[3:]
	case strings.HasPrefix(s, "<@"):
		repl, rest = "@user", s[2:]
	case strings.HasPrefix(s, "<#"):
		repl, rest = "#channel", s[2:]
	default:
		return "", 0
	}
	d := 0
	for d < len(rest) && rest[d] >= '0' && rest[d] <= '9' {
		d++
	}
	if d == 0 || d >= len(rest) || rest[d] != '>' {
		return "", 0
	}
	return repl, len(s) - len(rest) + d + 1
}

// storedQuestion is the question as kept: mentions scrubbed, invalid
// UTF-8 replaced, at most MaxQuestionRunes runes.
func storedQuestion(q string) string {
	q = strings.ToValidUTF8(scrubMentions(strings.TrimSpace(q), false), "\uFFFD")
	if utf8.RuneCountInString(q) <= MaxQuestionRunes {
		return q
	}
	n := 0
	for i := range q {
		if n == MaxQuestionRunes {
			return q[:i]
		}
		n++
	}
	return q
}
