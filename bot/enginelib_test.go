package bot_test

import (
	"context"
	"fmt"

	"github.com/govbot-dev/govbot/bot"
	"github.com/govbot-dev/govbot/knowledge"
)

// engineKB is one knowledge engine; *knowledge.Engine satisfies it, and
// the tests wrap it to make answers slow, reloads fail or wait.
type engineKB interface {
	Ask(ctx context.Context, question string, opts knowledge.AskOptions) (knowledge.Answer, error)
	Search(ctx context.Context, query string, limit int) ([]knowledge.Citation, error)
	Sources() []knowledge.Source
	Source(ctx context.Context, id string) (knowledge.Source, []knowledge.Passage, error)
	Reload(ctx context.Context) (knowledge.Report, error)
	Status() knowledge.Status
}

// engineLib serves one engine to every scope as its base and changes
// nothing but by a reload: the tests of questions, buttons and reloads use
// it; the tests of documents added and removed use the real Library.
type engineLib struct{ kb engineKB }

var _ bot.Library = engineLib{}

func (l engineLib) Ask(ctx context.Context, _ bot.Scope, q string, o knowledge.AskOptions) (knowledge.Answer, error) {
	return l.kb.Ask(ctx, q, o)
}

func (l engineLib) Search(ctx context.Context, _ bot.Scope, q string, limit int) ([]knowledge.Citation, error) {
	return l.kb.Search(ctx, q, limit)
}

func (l engineLib) Sources(context.Context, bot.Scope) ([]bot.Document, error) {
	var out []bot.Document
	for _, s := range l.kb.Sources() {
		out = append(out, bot.Document{Source: s, Origin: bot.OriginBase})
	}
	return out, nil
}

func (l engineLib) Source(ctx context.Context, _ bot.Scope, id string) (knowledge.Source, []knowledge.Passage, error) {
	return l.kb.Source(ctx, id)
}

func (l engineLib) Status(context.Context, bot.Scope) (bot.Status, error) {
	st := l.kb.Status()
	return bot.Status{Base: bot.Summary{Documents: st.Documents, Passages: st.Passages, BuiltAt: st.BuiltAt}}, nil
}

func (l engineLib) Reload(ctx context.Context, _ bot.Scope) (knowledge.Report, error) {
	return l.kb.Reload(ctx)
}

var errReadOnly = fmt.Errorf("%w: this test's knowledge base cannot change", bot.ErrRefused)

func (engineLib) Add(context.Context, bot.Scope, bot.Upload) (bot.Change, error) {
	return bot.Change{}, errReadOnly
}

func (engineLib) Remove(context.Context, bot.Scope, string) (bot.Change, error) {
	return bot.Change{}, errReadOnly
}

func (engineLib) Restore(context.Context, bot.Scope, string) (bot.Change, error) {
	return bot.Change{}, errReadOnly
}
