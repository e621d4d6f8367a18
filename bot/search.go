package bot

import (
	"context"
	"time"

	"github.com/govbot-dev/govbot/bot/metrics"
	"github.com/govbot-dev/govbot/knowledge"
)

// searchLimit is how many passages /search keeps: five pages of five.
const searchLimit = 25

// searchCommand answers /search.
type searchCommand struct {
	lib interface {
		Search(ctx context.Context, scope Scope, query string, limit int) ([]knowledge.Citation, error)
	}
	views   *views
	limits  limiter
	metrics *metrics.Metrics
}

// run answers /search query:<text> with ranked passages and records the
// query in the metrics (abstained: nothing matched).
func (c *searchCommand) run(ix *interaction) error {
	none := false
	err := c.answer(ix, &none)
	c.metrics.ObserveQuestion(metrics.CommandSearch, outcome(err, none), time.Since(ix.received))
	return err
}

func (c *searchCommand) answer(ix *interaction, none *bool) error {
	q := stringOption(ix.options, optQuery)
	if err := checkQuestion(q); err != nil {
		return err
	}
	if err := c.limits.allow(ix.user().ID); err != nil {
		return err
	}
	return ix.answerWith(false, false, func(ctx context.Context) (reply, error) {
		hits, err := c.lib.Search(ctx, ix.scope(), q, searchLimit)
		if err != nil {
			return reply{}, err
		}
		*none = len(hits) == 0
		v := &view{ID: newID(), Guild: ix.GuildID, Kind: kindSearch, Owner: ix.user().ID, Question: q, Hits: hits}
		c.views.put(ctx, v)
		return renderSearch(v, 0), nil
	})
}
