package bot

import (
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/govbot-dev/govbot/bot/metrics"
	"github.com/govbot-dev/govbot/knowledge"
)

// askLimit is how many citations an answer keeps: the answer shows three,
// "More sources" pages through the rest.
const askLimit = 9

// asker is what answering needs from the library.
type asker interface {
	Ask(ctx context.Context, scope Scope, question string, opts knowledge.AskOptions) (knowledge.Answer, error)
}

// answerer asks the library a question in a scope, keeps the answer as a
// view for its buttons and records it for feedback. /ask and messages
// share it.
type answerer struct {
	lib      asker
	views    *views
	feedback *recorder
}

// ask asks the knowledge base in scope, as the next turn of history (nil
// for a question on its own), and returns the answer as a view for its
// buttons.
func (a *answerer) ask(ctx context.Context, scope Scope, q string, history []knowledge.Turn) (*view, error) {
	ans, err := a.lib.Ask(ctx, scope, withoutMentions(q), knowledge.AskOptions{Limit: askLimit, History: history})
	if err != nil {
		return nil, err
	}
	return &view{ID: newID(), Guild: scope.Guild, Kind: kindAsk, Question: q, Answer: ans, FollowUp: ans.FollowUp}, nil
}

// askCommand answers /ask.
type askCommand struct {
	answers *answerer
	limits  limiter
	metrics *metrics.Metrics
}

// run answers /ask question:<text> [private:<bool>] and records the
// question in the metrics.
func (c *askCommand) run(ix *interaction) error {
	abstained := false
	err := c.answer(ix, &abstained)
	c.metrics.ObserveQuestion(metrics.CommandAsk, outcome(err, abstained), time.Since(ix.received))
	return err
}

func (c *askCommand) answer(ix *interaction, abstained *bool) error {
	q := stringOption(ix.options, optQuestion)
	private := boolOption(ix.options, optPrivate)
	if err := checkQuestion(q); err != nil {
		return err
	}
	if err := c.limits.allow(ix.user().ID); err != nil {
		return err
	}
	return ix.answerWith(private, false, func(ctx context.Context) (reply, error) {
		v, err := c.answers.ask(ctx, ix.scope(), q, nil)
		if err != nil {
			return reply{}, err
		}
		*abstained = v.Answer.Abstained
		v.Owner, v.Private = ix.user().ID, private
		v.RecordID = c.answers.feedback.record(ctx, asked{command: "ask", guild: ix.GuildID, channel: ix.ChannelID, userID: ix.user().ID}, v)
		c.answers.views.put(ctx, v)
		return renderAnswer(v, 0), nil
	})
}

// anyMention matches user, role and channel mentions and @everyone/@here,
// which are addressing, not part of a question.
var anyMention = regexp.MustCompile(`<(?:@[!&]?|#)[0-9]+>|@everyone\b|@here\b`)

// withoutMentions is the question as searched: mentions removed.
func withoutMentions(q string) string {
	return strings.TrimSpace(oneLine(anyMention.ReplaceAllString(q, " ")))
}
