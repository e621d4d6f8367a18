package bot

import (
	"github.com/bwmarrin/discordgo"
)

// reply is a message as govbot composes it, before it takes one of
// Discord's wire shapes (interaction response, webhook edit, follow-up or
// channel message). Every shape carries allowed_mentions that ping nobody
// and passes through fit, so no payload exceeds Discord's limits.
type reply struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
	Ephemeral  bool
}

// notice is a short ephemeral message: errors, refusals, help.
func notice(text string) reply {
	return reply{Content: text, Ephemeral: true}
}

// noPings allows no mention to notify anyone, replied-to users included.
func noPings() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// fit returns r within Discord's limits.
func (r reply) fit() reply {
	r.Content = truncateMarkdown(neutralizeMentions(r.Content), maxContent)
	r.Embeds = fitEmbeds(r.Embeds)
	if r.Embeds == nil {
		r.Embeds = []*discordgo.MessageEmbed{}
	}
	if r.Components == nil {
		r.Components = []discordgo.MessageComponent{}
	}
	if r.Content == "" && len(r.Embeds) == 0 {
		r.Content = "…"
	}
	return r
}

func (r reply) flags() discordgo.MessageFlags {
	if r.Ephemeral {
		return discordgo.MessageFlagsEphemeral
	}
	return 0
}

func (r reply) responseData() *discordgo.InteractionResponseData {
	r = r.fit()
	return &discordgo.InteractionResponseData{
		Content:         r.Content,
		Embeds:          r.Embeds,
		Components:      r.Components,
		AllowedMentions: noPings(),
		Flags:           r.flags(),
	}
}

func (r reply) webhookEdit() *discordgo.WebhookEdit {
	r = r.fit()
	return &discordgo.WebhookEdit{
		Content:         &r.Content,
		Embeds:          &r.Embeds,
		Components:      &r.Components,
		AllowedMentions: noPings(),
	}
}

func (r reply) followup() *discordgo.WebhookParams {
	r = r.fit()
	return &discordgo.WebhookParams{
		Content:         r.Content,
		Embeds:          r.Embeds,
		Components:      r.Components,
		AllowedMentions: noPings(),
		Flags:           r.flags(),
	}
}

// messageSend is r as a channel message replying to ref (when not nil),
// without failing when ref has been deleted meanwhile.
func (r reply) messageSend(ref *discordgo.Message) *discordgo.MessageSend {
	r = r.fit()
	m := &discordgo.MessageSend{
		Content:         r.Content,
		Embeds:          r.Embeds,
		Components:      r.Components,
		AllowedMentions: noPings(),
	}
	if ref != nil {
		no := false
		m.Reference = &discordgo.MessageReference{
			MessageID:       ref.ID,
			ChannelID:       ref.ChannelID,
			GuildID:         ref.GuildID,
			FailIfNotExists: &no,
		}
	}
	return m
}
