package bot

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Discord's limits on what a bot may send. A payload over any of them is
// rejected with HTTP 400, so every message passes through fitReply.
const (
	maxContent          = 2000
	maxEmbeds           = 10
	maxEmbedTitle       = 256
	maxEmbedDescription = 4096
	maxEmbedFields      = 25
	maxFieldName        = 256
	maxFieldValue       = 1024
	maxFooter           = 2048
	maxAuthorName       = 256
	maxEmbedTotal       = 6000 // all embeds of one message together
	maxButtonLabel      = 80
	maxCustomID         = 100
	maxChoices          = 25
	maxChoiceName       = 100
	maxChoiceValue      = 100
)

const ellipsis = "…"

// textLen measures s the way Discord's limits are safest counted: in UTF-16
// code units, which is never fewer than the characters a user sees.
func textLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r) // invalid bytes decode as U+FFFD: 1
	}
	return n
}

// truncateMarkdown is truncate for text carrying govbot's own markdown: a
// bold span left open by the cut is closed, within max.
func truncateMarkdown(s string, max int) string {
	t := truncate(s, max)
	if t == s {
		return s
	}
	if b := balanceBold(t); textLen(b) <= max {
		return b
	}
	return balanceBold(truncate(s, max-2))
}

// truncate returns s unchanged when it fits in max (see textLen); otherwise
// it cuts s at the last sentence end, else the last word boundary, else the
// last whole character that fits, and marks the cut with an ellipsis. The
// result never exceeds max and never splits a character or a combining
// sequence. max < 1 yields "".
func truncate(s string, max int) string {
	if textLen(s) <= max {
		return s
	}
	if max < 1 {
		return ""
	}
	budget := max - textLen(ellipsis)
	// cut is the byte length of the longest prefix that fits in budget.
	cut, n := 0, 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if w < 1 {
			w = 1
		}
		if n+w > budget {
			break
		}
		n += w
		cut = i + utf8.RuneLen(r)
		if r == utf8.RuneError {
			cut = i + 1
		}
	}
	prefix := s[:cut]
	// Never cut before a combining mark, a variation selector or a
	// zero-width joiner: back off to the start of that cluster.
	for cut > 0 {
		next, _ := utf8.DecodeRuneInString(s[cut:])
		prev, _ := utf8.DecodeLastRuneInString(s[:cut])
		if isClusterContinuation(next) || prev == '\u200d' {
			_, size := utf8.DecodeLastRuneInString(s[:cut])
			cut -= size
			continue
		}
		break
	}
	prefix = s[:cut]
	floor := len(prefix) / 2

	// A sentence end followed by a space (or a CJK full stop) in the
	// second half of what fits.
	if i := lastSentenceEnd(prefix); i >= floor && i > 0 {
		kept := strings.TrimRightFunc(prefix[:i], unicode.IsSpace)
		if textLen(kept)+1+textLen(ellipsis) <= max {
			return kept + " " + ellipsis
		}
	}
	// A word boundary in the second half.
	if i := strings.LastIndexFunc(prefix, unicode.IsSpace); i >= floor && i > 0 {
		kept := strings.TrimRightFunc(prefix[:i], func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—([{", r)
		})
		if kept != "" {
			return kept + ellipsis
		}
	}
	return strings.TrimRightFunc(prefix, unicode.IsSpace) + ellipsis
}

func isClusterContinuation(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Variation_Selector) ||
		r == '\u200d' || (r >= 0x1F3FB && r <= 0x1F3FF) // skin tones
}

// lastSentenceEnd returns the byte index just past the last sentence-ending
// punctuation in s that is followed by white space (or is a CJK full stop),
// or -1.
func lastSentenceEnd(s string) int {
	best := -1
	for i, r := range s {
		end := i + utf8.RuneLen(r)
		switch r {
		case '。', '！', '？':
			best = end
		case '.', '!', '?':
			if next, _ := utf8.DecodeRuneInString(s[end:]); end < len(s) && unicode.IsSpace(next) {
				best = end
			}
		}
	}
	return best
}

// fitEmbeds makes embeds obey Discord's per-field limits and the 6000
// character total, cutting the longest text first at readable boundaries.
// It modifies the embeds in place and returns at most maxEmbeds of them.
func fitEmbeds(embeds []*discordgo.MessageEmbed) []*discordgo.MessageEmbed {
	if len(embeds) > maxEmbeds {
		embeds = embeds[:maxEmbeds]
	}
	for _, e := range embeds {
		e.Title = truncateMarkdown(e.Title, maxEmbedTitle)
		e.Description = truncateMarkdown(e.Description, maxEmbedDescription)
		if len(e.Fields) > maxEmbedFields {
			e.Fields = e.Fields[:maxEmbedFields]
		}
		for _, f := range e.Fields {
			f.Name = nonEmpty(truncateMarkdown(f.Name, maxFieldName))
			f.Value = nonEmpty(truncateMarkdown(f.Value, maxFieldValue))
		}
		if e.Footer != nil {
			e.Footer.Text = truncate(e.Footer.Text, maxFooter)
		}
		if e.Author != nil {
			e.Author.Name = truncate(e.Author.Name, maxAuthorName)
		}
	}
	// Over the total: shorten descriptions, then drop trailing fields.
	for over := embedsLen(embeds) - maxEmbedTotal; over > 0; over = embedsLen(embeds) - maxEmbedTotal {
		longest := longestDescription(embeds)
		if longest != nil && textLen(longest.Description) > 200 {
			target := textLen(longest.Description) - over
			if target < 200 {
				target = 200
			}
			longest.Description = truncateMarkdown(longest.Description, target)
			continue
		}
		dropped := false
		for i := len(embeds) - 1; i >= 0 && !dropped; i-- {
			if n := len(embeds[i].Fields); n > 0 {
				embeds[i].Fields = embeds[i].Fields[:n-1]
				dropped = true
			}
		}
		if !dropped {
			embeds = embeds[:len(embeds)-1]
		}
	}
	return embeds
}

func nonEmpty(s string) string {
	if strings.TrimSpace(s) == "" {
		return "\u200b"
	}
	return s
}

// embedLen counts the characters Discord adds up towards the 6000 total.
func embedLen(e *discordgo.MessageEmbed) int {
	n := textLen(e.Title) + textLen(e.Description)
	for _, f := range e.Fields {
		n += textLen(f.Name) + textLen(f.Value)
	}
	if e.Footer != nil {
		n += textLen(e.Footer.Text)
	}
	if e.Author != nil {
		n += textLen(e.Author.Name)
	}
	return n
}

func embedsLen(embeds []*discordgo.MessageEmbed) int {
	n := 0
	for _, e := range embeds {
		n += embedLen(e)
	}
	return n
}

func longestDescription(embeds []*discordgo.MessageEmbed) *discordgo.MessageEmbed {
	var best *discordgo.MessageEmbed
	for _, e := range embeds {
		if best == nil || textLen(e.Description) > textLen(best.Description) {
			best = e
		}
	}
	return best
}

// balanceBold closes a "**" left open by a cut, so that truncated markdown
// does not run bold into the rest of the message.
func balanceBold(s string) string {
	n := 0
	for i := 0; i+1 < len(s); i++ {
		switch {
		case s[i] == '\\':
			i++ // escaped character
		case s[i] == '*' && s[i+1] == '*':
			n++
			i++
		}
	}
	if n%2 == 1 {
		return s + "**"
	}
	return s
}
