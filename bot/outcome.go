package bot

import (
	"errors"

	"github.com/govbot-dev/govbot/bot/metrics"
	"github.com/govbot-dev/govbot/knowledge"
)

// outcome classifies how a question ended from what its handler returned
// and whether the knowledge base abstained.
func outcome(err error, abstained bool) metrics.Outcome {
	var rl rateLimited
	var iq invalidQuestion
	switch {
	case err == nil && abstained:
		return metrics.OutcomeAbstained
	case err == nil:
		return metrics.OutcomeAnswered
	case errors.As(err, &rl):
		return metrics.OutcomeRateLimited
	case errors.As(err, &iq), errors.Is(err, knowledge.ErrEmptyQuestion), errors.Is(err, knowledge.ErrQuestionTooLong):
		return metrics.OutcomeInvalid
	}
	return metrics.OutcomeError
}
