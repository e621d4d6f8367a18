package bot

import (
	"context"
	"regexp"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/bot/metrics"
	"github.com/govbot-dev/govbot/knowledge"
)

// askLimit is how many citations an answer keeps: the answer shows three,
// "More sources" pages through the rest.
const askLimit = 9

// handleAsk answers /ask question:<text> [private:<bool>] and records the
// question in the metrics.
func (b *Bot) handleAsk(ix *interaction, opts []*discordgo.ApplicationCommandInteractionDataOption) error {
	abstained := false
	err := b.answerAsk(ix, opts, &abstained)
	b.observe(metrics.CommandAsk, ix.received, outcome(err, abstained))
	return err
}

func (b *Bot) answerAsk(ix *interaction, opts []*discordgo.ApplicationCommandInteractionDataOption, abstained *bool) error {
	q := stringOption(opts, optQuestion)
	private := boolOption(opts, optPrivate)
	if err := checkQuestion(q); err != nil {
		return err
	}
	if err := b.allow(ix.user().ID); err != nil {
		return err
	}
	return b.answerWith(ix, private, false, func(ctx context.Context) (reply, error) {
		v, err := b.ask(ctx, q, "")
		if err != nil {
			return reply{}, err
		}
		*abstained = v.Answer.Abstained
		v.Owner, v.Private = ix.user().ID, private
		v.RecordID = b.record(ctx, asked{command: "ask", guild: ix.GuildID, channel: ix.ChannelID, userID: ix.user().ID}, v)
		return renderAnswer(v, 0), nil
	})
}

// ask asks the knowledge base and caches the answer as a view for its
// buttons. When the question abstains and earlier is the previous question
// of the conversation, the two are asked together once more: a follow-up
// such as "and who wrote that?" often only makes sense with it.
func (b *Bot) ask(ctx context.Context, q, earlier string) (*view, error) {
	a, err := b.kb.Ask(ctx, withoutMentions(q), knowledge.AskOptions{Limit: askLimit})
	if err != nil {
		return nil, err
	}
	v := &view{ID: newID(), Kind: kindAsk, Question: q, Answer: a}
	if a.Abstained && earlier != "" {
		if a2, err := b.kb.Ask(ctx, withoutMentions(earlier+"\n"+q), knowledge.AskOptions{Limit: askLimit}); err == nil && !a2.Abstained {
			a2.Question = q
			v.Answer, v.FollowUp = a2, earlier
		}
	}
	b.views.Put(v.ID, v)
	return v, nil
}

// anyMention matches user, role and channel mentions and @everyone/@here,
// which are addressing, not part of a question.
var anyMention = regexp.MustCompile(`<(?:@[!&]?|#)[0-9]+>|@everyone\b|@here\b`)

// withoutMentions is the question as searched: mentions removed.
func withoutMentions(q string) string {
	return strings.TrimSpace(oneLine(anyMention.ReplaceAllString(q, " ")))
}
