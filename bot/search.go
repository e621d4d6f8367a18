package bot

import (
	"context"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/bot/metrics"
)

// searchLimit is how many passages /search keeps: five pages of five.
const searchLimit = 25

// handleSearch answers /search query:<text> with ranked passages and
// records the query in the metrics (abstained: nothing matched).
func (b *Bot) handleSearch(ix *interaction, opts []*discordgo.ApplicationCommandInteractionDataOption) error {
	none := false
	err := b.answerSearch(ix, opts, &none)
	b.observe(metrics.CommandSearch, ix.received, outcome(err, none))
	return err
}

func (b *Bot) answerSearch(ix *interaction, opts []*discordgo.ApplicationCommandInteractionDataOption, none *bool) error {
	q := stringOption(opts, optQuery)
	if err := checkQuestion(q); err != nil {
		return err
	}
	if err := b.allow(ix.user().ID); err != nil {
		return err
	}
	return b.answerWith(ix, false, false, func(ctx context.Context) (reply, error) {
		hits, err := b.kb.Search(ctx, q, searchLimit)
		if err != nil {
			return reply{}, err
		}
		*none = len(hits) == 0
		v := &view{ID: newID(), Kind: kindSearch, Owner: ix.user().ID, Question: q, Hits: hits}
		b.views.Put(v.ID, v)
		return renderSearch(v, 0), nil
	})
}
