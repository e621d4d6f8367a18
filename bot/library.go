package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/govbot-dev/govbot/knowledge"
	"github.com/govbot-dev/govbot/knowledge/library"
)

// libraryKB serves a *library.Library to the bot: the base collection and
// one collection per server. Its refusals become ErrRefused with a reason
// fit to show.
type libraryKB struct{ l *library.Library }

var _ Library = libraryKB{}

// FromLibrary serves l to the bot.
func FromLibrary(l *library.Library) Library { return libraryKB{l} }

func (k libraryKB) Ask(ctx context.Context, s Scope, q string, o knowledge.AskOptions) (knowledge.Answer, error) {
	return k.l.Ask(ctx, s, q, o)
}

func (k libraryKB) Search(ctx context.Context, s Scope, q string, limit int) ([]knowledge.Citation, error) {
	return k.l.Search(ctx, s, q, limit)
}

func (k libraryKB) Sources(ctx context.Context, s Scope) ([]Document, error) {
	srcs, err := k.l.Sources(ctx, s)
	if err != nil {
		return nil, err
	}
	out := make([]Document, len(srcs))
	for i, src := range srcs {
		o := OriginBase
		if src.Origin == "guild" {
			o = OriginServer
		}
		out[i] = Document{Source: src, Origin: o}
	}
	return out, nil
}

func (k libraryKB) Source(ctx context.Context, s Scope, id string) (knowledge.Source, []knowledge.Passage, error) {
	return k.l.Source(ctx, s, id)
}

func (k libraryKB) Status(ctx context.Context, s Scope) (Status, error) {
	st, err := k.l.Status(ctx, s)
	if err != nil {
		return Status{}, err
	}
	out := Status{
		Base: Summary{Documents: st.Base.Documents, Passages: st.Base.Passages, BuiltAt: st.Base.BuiltAt},
		Own:  Summary{Documents: st.Documents, Passages: st.Passages, BuiltAt: st.BuiltAt, Skipped: st.Skipped},
	}
	if !s.IsBase() && st.Hidden > 0 {
		if out.Hidden, err = k.l.Hidden(ctx, s); err != nil {
			return Status{}, err
		}
	}
	return out, nil
}

func (k libraryKB) Reload(ctx context.Context, s Scope) (knowledge.Report, error) {
	rep, err := k.l.Reload(ctx, s)
	return rep, refusal(err)
}

func (k libraryKB) Add(ctx context.Context, s Scope, u Upload) (Change, error) {
	c, err := k.l.Add(ctx, s, u.Filename, u.Data, library.AddOptions{Title: u.Title, Replace: u.Replace})
	if err != nil {
		return Change{}, refusal(err)
	}
	return Change{Doc: c.Source, Replaced: c.Action == library.Replaced, Renamed: c.Renamed, Report: c.Report}, nil
}

func (k libraryKB) Remove(ctx context.Context, s Scope, id string) (Change, error) {
	c, err := k.l.Remove(ctx, s, id)
	if err != nil {
		return Change{}, refusal(err)
	}
	return Change{Doc: c.Source, Hidden: c.Action == library.Hid, Report: c.Report}, nil
}

func (k libraryKB) Restore(ctx context.Context, s Scope, id string) (Change, error) {
	c, err := k.l.Restore(ctx, s, id)
	if err != nil {
		return Change{}, refusal(err)
	}
	return Change{Doc: c.Source, Report: c.Report}, nil
}

// refusal turns the library's refusals into ErrRefused with a reason to
// show; other errors (faults) pass unchanged.
func refusal(err error) error {
	var re *library.RefusedError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &re):
		return fmt.Errorf("%w: %s", ErrRefused, re.Reason)
	case errors.Is(err, library.ErrReadOnlyBase):
		return fmt.Errorf("%w: the base knowledge base is the built-in one, which cannot be changed; the operator sets KNOWLEDGE_DIR to a folder of documents to change it", ErrRefused)
	case errors.Is(err, library.ErrNoGuildData):
		return fmt.Errorf("%w: this govbot keeps no documents per server (the operator gives it a writable DATA_DIR to)", ErrRefused)
	case errors.Is(err, library.ErrNotHidden):
		return fmt.Errorf("%w: that document is not hidden in this server", ErrRefused)
	case errors.Is(err, knowledge.ErrNotFound):
		return fmt.Errorf("%w: that document is no longer in the knowledge base", ErrRefused)
	case errors.Is(err, library.ErrUnsupported), errors.Is(err, library.ErrInvalidDocument), errors.Is(err, library.ErrDuplicate):
		return fmt.Errorf("%w: %s", ErrRefused, err.Error())
	}
	return err
}
