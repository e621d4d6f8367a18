package bot

import (
	"fmt"
	"strconv"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/knowledge"
)

// renderUploaded shows a document added with /kb add, and the reload that
// indexed it.
func renderUploaded(u uploaded) reply {
	title := "Document added"
	if u.Replaced {
		title = "Document replaced"
	}
	var d string
	d = fmt.Sprintf("%s · `%s` · %d passage(s)\nStored as `%s` in the knowledge directory.",
		sourceLine(u.Source), truncate(u.Source.ID, 100), u.Source.Passages, truncate(u.Source.Path, 200))
	if u.Renamed {
		d += "\nAn uploaded document of that name already existed, so this one got a new name; use `replace:true` to replace it instead."
	}
	e := &discordgo.MessageEmbed{Title: title, Description: d, Color: colorOK}
	rep := u.Record.Report
	e.Fields = []*discordgo.MessageEmbedField{
		{Name: "Documents", Value: strconv.Itoa(rep.Documents), Inline: true},
		{Name: "Passages", Value: strconv.Itoa(rep.Passages), Inline: true},
		{Name: "Took", Value: rep.Duration.Round(1e6).String(), Inline: true},
		{Name: "Added", Value: idList(rep.Added)},
		{Name: "Changed", Value: idList(rep.Changed)},
		{Name: "Removed", Value: idList(rep.Removed)},
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

// renderRemoveConfirm asks the admin to confirm removing src.
func renderRemoveConfirm(v *view, src knowledge.Source) reply {
	e := &discordgo.MessageEmbed{
		Title: "Remove this document?",
		Description: fmt.Sprintf("%s · `%s` · %d passage(s)\nIts file `%s` will be deleted from the knowledge directory and the knowledge base reloaded.",
			sourceLine(src), truncate(src.ID, 100), src.Passages, truncate(src.Path, 200)),
		Color: colorFailure,
	}
	remove := button("Remove", customID(kindRemove, v.ID, 1))
	remove.Style = discordgo.DangerButton
	cancel := button("Cancel", customID(kindRemove, v.ID, 0))
	return reply{Embeds: []*discordgo.MessageEmbed{e}, Ephemeral: true,
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{remove, cancel}}}}
}

// renderRemoved shows the outcome of a confirmed removal.
func renderRemoved(src knowledge.Source, rec *reloadRecord) reply {
	if rec.Err != nil {
		return reply{Ephemeral: true, Embeds: []*discordgo.MessageEmbed{{
			Title: "Not removed: the reload failed",
			Description: fmt.Sprintf("%s is still in the knowledge base and its file was put back. The reload failed: %s",
				sourceLine(src), truncate(escapeMarkdown(oneLine(rec.Err.Error())), 1500)),
			Color: colorFailure,
		}}}
	}
	rep := rec.Report
	e := &discordgo.MessageEmbed{
		Title: "Document removed",
		Description: fmt.Sprintf("%s (`%s`) is no longer in the knowledge base; its file `%s` was deleted.",
			sourceLine(src), truncate(src.ID, 100), truncate(src.Path, 200)),
		Color: colorOK,
		Fields: []*discordgo.MessageEmbedField{
			{Name: "Documents", Value: strconv.Itoa(rep.Documents), Inline: true},
			{Name: "Passages", Value: strconv.Itoa(rep.Passages), Inline: true},
			{Name: "Removed", Value: idList(rep.Removed)},
		},
	}
	return reply{Embeds: []*discordgo.MessageEmbed{e}, Ephemeral: true}
}
