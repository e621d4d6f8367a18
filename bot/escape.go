package bot

import (
	"regexp"
	"strings"
	"unicode"
)

// zwsp is a zero-width space: placed after an "@" it keeps a mention from
// being one, while the text reads the same.
const zwsp = "\u200b"

// urlPattern finds bare links in text; trailing punctuation is trimmed off
// by splitURL.
var urlPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// escapeMarkdown makes text from documents or users display literally in
// Discord: markdown characters are backslash-escaped, line-leading block
// markers (#, >, -, "1.") are escaped, links are wrapped in <...> (kept
// clickable, never unfurled) and mentions are neutralised.
func escapeMarkdown(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for s != "" {
		loc := urlPattern.FindStringIndex(s)
		if loc == nil {
			escapePlain(&b, s)
			break
		}
		url, rest := splitURL(s[loc[0]:loc[1]])
		escapePlain(&b, s[:loc[0]])
		b.WriteString("<" + neutralizeMentions(url) + ">")
		s = rest + s[loc[1]:]
	}
	return neutralizeMentions(b.String())
}

// splitURL trims sentence punctuation and an unbalanced closing
// parenthesis off the end of a matched link.
func splitURL(u string) (url, rest string) {
	end := len(u)
	for end > 0 {
		c := u[end-1]
		if strings.IndexByte(".,;:!?'*_~|", c) >= 0 {
			end--
			continue
		}
		if c == ')' && strings.Count(u[:end], "(") < strings.Count(u[:end], ")") {
			end--
			continue
		}
		break
	}
	return u[:end], u[end:]
}

func escapePlain(b *strings.Builder, s string) {
	lineStart := b.Len() == 0 || strings.HasSuffix(b.String(), "\n")
	for i := 0; i < len(s); i++ {
		c := s[i]
		if lineStart {
			// Skip leading spaces, then escape a block marker.
			j := i
			for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
				j++
			}
			b.WriteString(s[i:j])
			i = j
			if i >= len(s) {
				break
			}
			c = s[i]
			switch {
			case c == '#' || c == '>' || c == '-' || c == '+':
				b.WriteByte('\\')
			case c >= '0' && c <= '9':
				k := i
				for k < len(s) && s[k] >= '0' && s[k] <= '9' {
					k++
				}
				if k < len(s) && s[k] == '.' {
					b.WriteString(s[i:k])
					b.WriteString(`\`)
					i = k
					c = s[i]
				}
			}
			lineStart = false
		}
		switch c {
		case '\\', '*', '_', '~', '`', '|', '[', ']':
			b.WriteByte('\\')
		case '\n':
			lineStart = true
		}
		b.WriteByte(c)
	}
}

// neutralizeMentions keeps @everyone, @here and user, role and channel
// mentions from pinging or resolving, by inserting a zero-width space.
// It is a second line of defence: every message also carries
// allowed_mentions that ping nobody.
func neutralizeMentions(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	s = strings.ReplaceAll(s, "@everyone", "@"+zwsp+"everyone")
	s = strings.ReplaceAll(s, "@here", "@"+zwsp+"here")
	return mentionPattern.ReplaceAllString(s, "<@"+zwsp+"$1")
}

// mentionPattern matches the start of a user (<@1>, <@!1>) or role (<@&1>)
// mention.
var mentionPattern = regexp.MustCompile(`<@([!&]?[0-9])`)

// quoteUser prepares text a user typed for echoing back on one line:
// white space collapsed, markdown escaped, mentions neutralised.
func quoteUser(s string) string {
	return escapeMarkdown(strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " "))
}

// oneLine collapses all white space, including newlines, to single spaces.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}
