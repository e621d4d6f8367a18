package bot

import (
	"context"

	"github.com/govbot-dev/govbot/knowledge"
)

// KnowledgeBase is what the bot needs from the knowledge engine;
// *knowledge.Engine satisfies it. Implementations must be safe for
// concurrent use: handlers call them from many goroutines, and Ask keeps
// working while Reload runs.
type KnowledgeBase interface {
	Ask(ctx context.Context, question string, opts knowledge.AskOptions) (knowledge.Answer, error)
	Search(ctx context.Context, query string, limit int) ([]knowledge.Citation, error)
	Sources() []knowledge.Source
	Source(ctx context.Context, id string) (knowledge.Source, []knowledge.Passage, error)
	Reload(ctx context.Context) (knowledge.Report, error)
	Status() knowledge.Status
}
