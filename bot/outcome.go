package bot

import (
	"errors"
	"time"

	"github.com/govbot-dev/govbot/bot/metrics"
	"github.com/govbot-dev/govbot/knowledge"
)

// observe records one question in the metrics: how it ended and, unless
// it was refused before any search, the time since it arrived.
func (b *Bot) observe(cmd metrics.Command, received time.Time, o metrics.Outcome) {
	b.metrics.ObserveQuestion(cmd, o, time.Since(received))
}

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

// setIndexMetrics exports the size and age of the index now serving.
func (b *Bot) setIndexMetrics() {
	if b.metrics == nil {
		return
	}
	st := b.kb.Status()
	b.metrics.SetIndex(st.Documents, st.Passages, st.BuiltAt)
}
