package bot

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/knowledge"
)

// Embed colours.
const (
	colorAnswer   = 0x5865F2 // Discord blurple
	colorAbstain  = 0x99AAB5 // grey: nothing to cite
	colorOK       = 0x57F287
	colorFailure  = 0xED4245
	colorDocument = 0x3BA55C
)

// Texts users see in more than one place.
const (
	abstainTitle   = "I couldn't find this in the knowledge base."
	closestHeading = "Closest documents (may not answer your question)"
	expiredText    = "This answer has expired (buttons work for 15 minutes). Please ask again."
)

// excerptChars bounds one excerpt as shown; the engine's own bound is
// knowledge.MaxExcerptRunes.
const (
	excerptChars       = knowledge.MaxExcerptRunes
	searchSnippetChars = 220
	sourcePassageChars = 1000
)

// renderAnswer shows page p of an answer: page 0 is the answer itself (the
// best excerpts), later pages are "More sources". An abstention is shown
// as such, with the closest documents labelled as possibly not answering.
func renderAnswer(v *view, p int) reply {
	a := v.Answer
	if a.Abstained || len(a.Citations) == 0 {
		return renderAbstention(v)
	}
	n := len(a.Citations)
	lo, hi := pageBounds(p, n, askPageSize)
	var d strings.Builder
	if v.FollowUp != "" {
		fmt.Fprintf(&d, "*Read together with the earlier question:* %s\n\n", truncate(quoteUser(v.FollowUp), 200))
	}
	for i, c := range a.Citations[lo:hi] {
		if i > 0 {
			d.WriteString("\n\n")
		}
		d.WriteString("> " + markExcerpt(c.Excerpt, c.Highlights, excerptChars) + "\n")
		d.WriteString(citationLine(c))
	}
	footer := answerFooter(p, lo, hi, n)
	e := &discordgo.MessageEmbed{
		Title:       truncate(quoteUser(v.Question), maxEmbedTitle),
		Description: d.String(),
		Color:       colorAnswer,
		Footer:      &discordgo.MessageEmbedFooter{Text: footer},
	}
	var rows []discordgo.MessageComponent
	var show []discordgo.MessageComponent
	for _, c := range a.Citations[lo:hi] {
		show = append(show, button("Show passage "+strconv.Itoa(c.Rank), customID(kindPassage, v.ID, c.Rank)))
	}
	rows = append(rows, discordgo.ActionsRow{Components: show})
	if nav := pager(kindAsk, v.ID, p, pages(n, askPageSize), "More sources ▸"); nav != nil {
		rows = append(rows, nav)
	}
	if v.RecordID > 0 {
		rows = append(rows, voteRow(v.RecordID))
	}
	return reply{Embeds: []*discordgo.MessageEmbed{e}, Components: rows, Ephemeral: v.Private}
}

// answerFooter counts what is on screen and what More sources adds: "3
// shown · More sources adds 2", never a total the reader cannot see.
func answerFooter(p, lo, hi, n int) string {
	shown := hi - lo
	noun := "sources"
	if shown == 1 {
		noun = "source"
	}
	var f string
	if p == 0 {
		f = fmt.Sprintf("Exact excerpts from the knowledge base · %d %s", shown, noun)
	} else {
		f = fmt.Sprintf("More sources · %d–%d", lo+1, hi)
	}
	if more := n - hi; more > 0 {
		f += fmt.Sprintf(" · More sources adds %d", more)
	}
	return f
}

func renderAbstention(v *view) reply {
	var d strings.Builder
	fmt.Fprintf(&d, "**Your question:** %s\n\n", truncate(quoteUser(v.Question), 1000))
	d.WriteString("No passage in the knowledge base answers it, so there is nothing I can cite. " +
		"Try other words, or `/search` for passages that mention them.")
	e := &discordgo.MessageEmbed{
		Title:       abstainTitle,
		Description: d.String(),
		Color:       colorAbstain,
	}
	var lines []string
	seen := map[string]bool{}
	for _, c := range v.Answer.Closest {
		if seen[c.Source.ID] || len(lines) == 5 {
			continue
		}
		seen[c.Source.ID] = true
		lines = append(lines, "• "+sourceLine(c.Source))
	}
	if len(lines) > 0 {
		e.Fields = []*discordgo.MessageEmbedField{{Name: closestHeading, Value: strings.Join(lines, "\n")}}
	}
	var rows []discordgo.MessageComponent
	if v.RecordID > 0 {
		rows = append(rows, voteRow(v.RecordID))
	}
	return reply{Embeds: []*discordgo.MessageEmbed{e}, Components: rows, Ephemeral: v.Private}
}

// citationLine is "**[1]** *Title › Section* — Author, 2015-12-22 ·
// p. 12 · passage doc#3" (section and page when the document has them).
func citationLine(c knowledge.Citation) string {
	return fmt.Sprintf("**[%d]** %s%s · passage %s", c.Rank, sourceLineAt(c.Source, c.Passage.Section),
		pageRef(c.Passage.Page), passageRef(c.Passage.ID))
}

// pageRef is " · p. 12" for a passage on page 12, else "".
func pageRef(page int) string {
	if page <= 0 {
		return ""
	}
	return " · p. " + strconv.Itoa(page)
}

// sourceLine is "*Title* — Author, 2015-12-22", the title linked when the
// document states a web address.
func sourceLine(s knowledge.Source) string { return sourceLineAt(s, "") }

// sourceLineAt is sourceLine with the section, if any, after the title:
// "*Title › Section* — Author, 2015-12-22".
func sourceLineAt(s knowledge.Source, section string) string {
	name := truncate(oneLine(s.Title), 150)
	if section = oneLine(section); section != "" {
		name += " › " + truncate(section, 100)
	}
	title := "*" + escapeMarkdown(name) + "*"
	if u := webURL(s.URL); u != "" {
		title = "[" + title + "](" + u + ")"
	}
	var by []string
	if s.Author != "" {
		by = append(by, truncate(escapeMarkdown(oneLine(s.Author)), 100))
	}
	if s.Published != "" {
		by = append(by, truncate(escapeMarkdown(oneLine(s.Published)), 40))
	}
	if len(by) == 0 {
		return title
	}
	return title + " — " + strings.Join(by, ", ")
}

// passageRef shows a passage id literally (no markdown inside).
func passageRef(id string) string {
	return "`" + strings.ReplaceAll(truncate(id, 120), "`", "'") + "`"
}

// webURL returns u when it is an absolute http(s) URL Discord accepts in a
// link, else "".
func webURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" ||
		strings.ContainsAny(u, " <>()") || len(u) > 512 {
		return ""
	}
	return p.String()
}

func button(label, id string) discordgo.Button {
	return discordgo.Button{Label: truncate(label, maxButtonLabel), Style: discordgo.SecondaryButton, CustomID: id}
}

// pager returns a row with "◂ Previous" and a next button for page p of
// n, or nil when there is only one page.
func pager(prefix, id string, p, n int, next string) discordgo.MessageComponent {
	if n <= 1 {
		return nil
	}
	prev := button("◂ Previous", customID(prefix, id, max(p-1, 0)))
	prev.Disabled = p == 0
	nxt := button(next, customID(prefix, id, min(p+1, n-1)))
	nxt.Disabled = p >= n-1
	nxt.Style = discordgo.PrimaryButton
	return discordgo.ActionsRow{Components: []discordgo.MessageComponent{prev, nxt}}
}

// renderSearch shows page p of ranked passages for a query, compactly.
func renderSearch(v *view, p int) reply {
	n := len(v.Hits)
	e := &discordgo.MessageEmbed{
		Title: truncate("Search: "+quoteUser(v.Question), maxEmbedTitle),
		Color: colorAnswer,
	}
	if n == 0 {
		e.Description = "No passage matches these words. Try fewer or other words."
		e.Color = colorAbstain
		return reply{Embeds: []*discordgo.MessageEmbed{e}, Ephemeral: v.Private}
	}
	lo, hi := pageBounds(p, n, searchPageSize)
	var d strings.Builder
	var show []discordgo.MessageComponent
	for i, c := range v.Hits[lo:hi] {
		if i > 0 {
			d.WriteString("\n")
		}
		fmt.Fprintf(&d, "**%d.** %s%s · %s\n> %s\n", c.Rank, sourceLineAt(c.Source, c.Passage.Section), pageRef(c.Passage.Page), passageRef(c.Passage.ID),
			markSnippet(c.Excerpt, c.Highlights, searchSnippetChars))
		show = append(show, button("Passage "+strconv.Itoa(c.Rank), customID(kindPassage, v.ID, c.Rank)))
	}
	e.Description = d.String()
	e.Footer = &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("Passages %d–%d of %d, best first · /ask for an answer with citations", lo+1, hi, n)}
	rows := []discordgo.MessageComponent{discordgo.ActionsRow{Components: show}}
	if nav := pager(kindSearch, v.ID, p, pages(n, searchPageSize), "Next ▸"); nav != nil {
		rows = append(rows, nav)
	}
	return reply{Embeds: []*discordgo.MessageEmbed{e}, Components: rows, Ephemeral: v.Private}
}

// renderSource shows a document's metadata and page p of its passages.
func renderSource(v *view, src knowledge.Source, passages []knowledge.Passage, p int) reply {
	e := &discordgo.MessageEmbed{
		Title: truncate(escapeMarkdown(oneLine(src.Title)), maxEmbedTitle),
		URL:   webURL(src.URL),
		Color: colorDocument,
	}
	for _, f := range []struct{ name, value string }{
		{"Author", src.Author}, {"Translator", src.Translator}, {"Publication", src.Publication},
		{"Published", src.Published},
	} {
		if strings.TrimSpace(f.value) != "" {
			e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: f.name, Value: truncate(escapeMarkdown(oneLine(f.value)), 300), Inline: true})
		}
	}
	e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "Passages", Value: strconv.Itoa(len(passages)), Inline: true})
	n := len(passages)
	lo, hi := pageBounds(p, n, sourcePageSize)
	var d strings.Builder
	var show []discordgo.MessageComponent
	for i, ps := range passages[lo:hi] {
		if i > 0 {
			d.WriteString("\n\n")
		}
		fmt.Fprintf(&d, "**§%d** %s", ps.Ordinal, markExcerpt(ps.Text, nil, sourcePassageChars))
		show = append(show, button("Show passage §"+strconv.Itoa(ps.Ordinal), customID(kindPassage, v.ID, ps.Ordinal)))
	}
	e.Description = d.String()
	footer := fmt.Sprintf("Passages %d–%d of %d", lo+1, hi, n)
	if n == 0 {
		footer = "This document has no passages"
	}
	e.Footer = &discordgo.MessageEmbedFooter{Text: footer + " · " + oneLine(src.ID)}
	var rows []discordgo.MessageComponent
	if len(show) > 0 {
		rows = append(rows, discordgo.ActionsRow{Components: show})
	}
	if nav := pager(kindSource, v.ID, p, pages(n, sourcePageSize), "Next ▸"); nav != nil {
		rows = append(rows, nav)
	}
	return reply{Embeds: []*discordgo.MessageEmbed{e}, Components: rows, Ephemeral: v.Private}
}

// renderPassage shows one passage in full (as far as Discord allows), for
// the user who asked only.
func renderPassage(src knowledge.Source, ps knowledge.Passage) reply {
	text := escapeMarkdown(strings.TrimSpace(ps.Text))
	footer := "passage " + ps.ID
	if textLen(text) > maxEmbedDescription {
		text = truncateMarkdown(text, maxEmbedDescription)
		footer += " · shortened to fit Discord; the full text is in " + src.Path
	}
	e := &discordgo.MessageEmbed{
		Title:       truncate(escapeMarkdown(oneLine(src.Title)), maxEmbedTitle-8) + " §" + strconv.Itoa(ps.Ordinal),
		URL:         webURL(src.URL),
		Description: text,
		Color:       colorDocument,
		Footer:      &discordgo.MessageEmbedFooter{Text: footer},
	}
	var by []string
	for _, f := range []string{src.Author, src.Published} {
		if f = oneLine(f); f != "" {
			by = append(by, f)
		}
	}
	if len(by) > 0 {
		e.Author = &discordgo.MessageEmbedAuthor{Name: truncate(strings.Join(by, ", "), maxAuthorName)}
	}
	return reply{Embeds: []*discordgo.MessageEmbed{e}, Ephemeral: true}
}

// reloadRecord remembers the last reload for /kb status.
type reloadRecord struct {
	By     string // "alice (123)", "SIGHUP"
	At     time.Time
	Report knowledge.Report
	Err    error
}

// renderStatus shows a server's own collection, a summary of the base
// and the last reload in this server; never a path on the host, nor
// anything about other servers.
func renderStatus(st Status, last, baseLast *reloadRecord) reply {
	e := &discordgo.MessageEmbed{Title: "Knowledge base of this server", Color: colorDocument}
	add := func(name, value string, inline bool) {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: name, Value: value, Inline: inline})
	}
	add("Documents of this server", strconv.Itoa(st.Own.Documents), true)
	add("Passages", strconv.Itoa(st.Own.Passages), true)
	if !st.Own.BuiltAt.IsZero() {
		add("Indexed", discordTime(st.Own.BuiltAt), true)
	}
	base := fmt.Sprintf("%d documents, %d passages, built %s", st.Base.Documents, st.Base.Passages, discordTime(st.Base.BuiltAt))
	if n := len(st.Hidden); n > 0 {
		base += fmt.Sprintf("; %d hidden in this server (`/kb restore` shows one again)", n)
	}
	if baseLast != nil {
		base += "\nLast reload: " + reloadSummary(baseLast)
	}
	add("Base knowledge base (shared, kept by govbot's operator)", truncate(base, maxFieldValue), false)
	if len(st.Hidden) > 0 {
		var ids []string
		for _, h := range st.Hidden {
			ids = append(ids, h.ID)
		}
		add("Hidden here", idList(ids), false)
	}
	if len(st.Own.Skipped) > 0 {
		add("Skipped files", skippedList(st.Own.Skipped), false)
	}
	if last == nil {
		add("Last reload here", "none since govbot started", false)
	} else {
		add("Last reload here", reloadSummary(last), false)
	}
	return reply{Embeds: []*discordgo.MessageEmbed{e}, Ephemeral: true}
}

func reloadSummary(r *reloadRecord) string {
	head := fmt.Sprintf("%s by %s: ", discordTime(r.At), escapeMarkdown(r.By))
	if r.Err != nil {
		return head + "**failed**, the previous index kept serving: " + truncate(escapeMarkdown(oneLine(r.Err.Error())), 600)
	}
	rep := r.Report
	if !rep.Rebuilt {
		return head + fmt.Sprintf("already up to date (%d documents, %d passages)", rep.Documents, rep.Passages)
	}
	return head + fmt.Sprintf("rebuilt: %d documents, %d passages (%d added, %d changed, %d removed, %d skipped)",
		rep.Documents, rep.Passages, len(rep.Added), len(rep.Changed), len(rep.Removed), len(rep.Skipped))
}

// renderReload shows the outcome of /kb reload of scope.
func renderReload(r *reloadRecord, scope Scope) reply {
	if r.Err != nil {
		return reply{Ephemeral: true, Embeds: []*discordgo.MessageEmbed{{
			Title:       "Reload failed: the previous index is still serving",
			Description: truncate(escapeMarkdown(r.Err.Error()), 3000),
			Color:       colorFailure,
		}}}
	}
	rep := r.Report
	e := &discordgo.MessageEmbed{Title: "Knowledge base reloaded", Color: colorOK, Description: "Rebuilt: this server's own documents."}
	if scope.IsBase() {
		e.Description = "Rebuilt: the base knowledge base, shared by every server."
	}
	if !rep.Rebuilt {
		e.Title = "Knowledge base already up to date"
	}
	add := func(name, value string, inline bool) {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: name, Value: value, Inline: inline})
	}
	add("Documents", strconv.Itoa(rep.Documents), true)
	add("Passages", strconv.Itoa(rep.Passages), true)
	add("Took", rep.Duration.Round(time.Millisecond).String(), true)
	add("Added", idList(rep.Added), false)
	add("Changed", idList(rep.Changed), false)
	add("Removed", idList(rep.Removed), false)
	if len(rep.Skipped) > 0 {
		add("Skipped files", skippedList(rep.Skipped), false)
	}
	e.Footer = &discordgo.MessageEmbedFooter{Text: "Questions were answered from the previous index until the new one was ready."}
	return reply{Embeds: []*discordgo.MessageEmbed{e}, Ephemeral: true}
}

func idList(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	var parts []string
	for _, id := range ids {
		parts = append(parts, passageRef(id))
	}
	return truncate(fmt.Sprintf("%d: ", len(ids))+strings.Join(parts, ", "), maxFieldValue)
}

func skippedList(sk []knowledge.Skipped) string {
	var lines []string
	for _, s := range sk {
		lines = append(lines, "• "+escapeMarkdown(oneLine(s.Path))+": "+escapeMarkdown(oneLine(s.Reason)))
	}
	return truncate(fmt.Sprintf("%d file(s)\n", len(sk))+strings.Join(lines, "\n"), maxFieldValue)
}

// discordTime renders t as a Discord timestamp, shown to each reader in
// their own time zone with a relative age ("3 hours ago").
func discordTime(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return fmt.Sprintf("<t:%d:f> (<t:%d:R>)", t.Unix(), t.Unix())
}
