package bot

import (
	"fmt"
	"strconv"

	"github.com/bwmarrin/discordgo"
)

// collectionName is where a change went, for people.
func collectionName(scope Scope) string {
	if scope.IsBase() {
		return "the base knowledge base (every server)"
	}
	return "this server's knowledge base"
}

// renderUploaded shows a document added with /kb add, and the rebuild
// that indexed it.
func renderUploaded(ch Change, scope Scope) reply {
	title := "Document added"
	if ch.Replaced {
		title = "Document replaced"
	}
	d := fmt.Sprintf("%s · `%s` · %d passage(s)\nAdded to %s.",
		sourceLine(ch.Doc), truncate(ch.Doc.ID, 100), ch.Doc.Passages, collectionName(scope))
	if ch.Renamed {
		d += "\nA document of that name already existed, so this one got a new name; use `replace:true` to replace it instead."
	}
	e := &discordgo.MessageEmbed{Title: title, Description: d, Color: colorOK}
	rep := ch.Report
	e.Fields = []*discordgo.MessageEmbedField{
		{Name: "Documents", Value: strconv.Itoa(rep.Documents), Inline: true},
		{Name: "Passages", Value: strconv.Itoa(rep.Passages), Inline: true},
		{Name: "Took", Value: rep.Duration.Round(1e6).String(), Inline: true},
	}
	if len(rep.Skipped) > 0 {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "Skipped files", Value: skippedList(rep.Skipped)})
	}
	e.Footer = &discordgo.MessageEmbedFooter{Text: "Questions are answered from the new index from now on."}
	return reply{Embeds: []*discordgo.MessageEmbed{e}, Ephemeral: true}
}

// renderUploadRefused says why a file was not added; nothing was kept.
func renderUploadRefused(filename, why string) reply {
	return reply{Ephemeral: true, Embeds: []*discordgo.MessageEmbed{{
		Title:       truncate("Not added: "+oneLine(filename), maxEmbedTitle),
		Description: why + "\n\nNothing was stored; the knowledge base is unchanged.",
		Color:       colorFailure,
	}}}
}

// renderRemoveConfirm asks the admin to confirm removing doc from scope.
func renderRemoveConfirm(v *view, doc Document, scope Scope) reply {
	what := "It will be deleted from " + collectionName(scope) + "."
	if !scope.IsBase() && doc.Origin == OriginBase {
		what = "It is a base document, shared by every server: it will be hidden in this server only (`/kb restore` shows it again)."
	}
	e := &discordgo.MessageEmbed{
		Title: "Remove this document?",
		Description: fmt.Sprintf("%s · `%s` · %d passage(s)\n%s",
			sourceLine(doc.Source), truncate(doc.ID, 100), doc.Passages, what),
		Color: colorFailure,
	}
	remove := button("Remove", customID(kindRemove, v.ID, 1))
	remove.Style = discordgo.DangerButton
	cancel := button("Cancel", customID(kindRemove, v.ID, 0))
	return reply{Embeds: []*discordgo.MessageEmbed{e}, Ephemeral: true,
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{remove, cancel}}}}
}

// renderRemoveFailed says a removal failed and nothing changed.
func renderRemoveFailed(docID string, err error) reply {
	return reply{Ephemeral: true, Embeds: []*discordgo.MessageEmbed{{
		Title: "Not removed",
		Description: fmt.Sprintf("`%s` is still in the knowledge base; nothing was changed. The rebuild failed: %s",
			truncate(docID, 100), truncate(escapeMarkdown(oneLine(err.Error())), 1500)),
		Color: colorFailure,
	}}}
}

// renderRemoved shows the outcome of a confirmed removal.
func renderRemoved(ch Change, scope Scope) reply {
	desc := fmt.Sprintf("%s (`%s`) was deleted from %s.", sourceLine(ch.Doc), truncate(ch.Doc.ID, 100), collectionName(scope))
	title := "Document removed"
	if ch.Hidden {
		title = "Document hidden in this server"
		desc = fmt.Sprintf("%s (`%s`) is no longer cited in this server; other servers still see it. `/kb restore` shows it here again.",
			sourceLine(ch.Doc), truncate(ch.Doc.ID, 100))
	}
	rep := ch.Report
	e := &discordgo.MessageEmbed{
		Title: title, Description: desc, Color: colorOK,
		Fields: []*discordgo.MessageEmbedField{
			{Name: "Documents", Value: strconv.Itoa(rep.Documents), Inline: true},
			{Name: "Passages", Value: strconv.Itoa(rep.Passages), Inline: true},
		},
	}
	return reply{Embeds: []*discordgo.MessageEmbed{e}, Ephemeral: true}
}

// renderRestored shows a base document shown again in this server.
func renderRestored(ch Change) reply {
	return reply{Ephemeral: true, Embeds: []*discordgo.MessageEmbed{{
		Title:       "Document restored",
		Description: fmt.Sprintf("%s (`%s`) is cited again in this server.", sourceLine(ch.Doc), truncate(ch.Doc.ID, 100)),
		Color:       colorOK,
	}}}
}
