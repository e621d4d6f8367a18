package bot

import (
	"regexp"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/knowledge"
)

// turnOf reads a conversation turn back from one of govbot's answer
// messages: the question is the embed's title, the cited passages are the
// "passage `doc#N`" references of its first page. It is how a reply to an
// /ask answer, or to an answer from before a restart, still continues
// that conversation. ok is false for anything that is not an answer
// (abstentions included: they cite nothing to continue from).
func turnOf(m *discordgo.Message) (t knowledge.Turn, ok bool) {
	if m == nil || len(m.Embeds) == 0 || m.Embeds[0] == nil {
		return t, false
	}
	e := m.Embeds[0]
	if e.Title == "" || e.Title == abstainTitle || e.Color != colorAnswer || strings.HasPrefix(e.Title, "Search: ") {
		return t, false
	}
	for _, sm := range citedRef.FindAllStringSubmatch(e.Description, askPageSize) {
		t.Cited = append(t.Cited, sm[1])
	}
	if len(t.Cited) == 0 {
		return t, false
	}
	t.Question = unescapeMarkdown(strings.TrimSuffix(e.Title, ellipsis))
	return t, t.Question != ""
}

// citedRef matches the passage reference of a citation line (passageRef).
var citedRef = regexp.MustCompile("passage `([^`\\s]+#[0-9]+)`")

// unescapeMarkdown undoes escapeMarkdown closely enough to search with:
// backslash escapes, the zero-width spaces that neutralise mentions and
// the angle brackets around links.
func unescapeMarkdown(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\\*_~`|>#-+.()[]<:", s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return strings.ReplaceAll(b.String(), zwsp, "")
}
