package bot

import (
	"context"
	"errors"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/knowledge"
)

// handleComponent answers a button: paging a view or showing a passage.
//
// Paging: the user who asked pages their message in place (type 7), and
// so does anyone on an ephemeral message; anyone else clicking a public
// message gets the page as their own ephemeral copy, so that one reader
// cannot change what the whole channel sees. Private (ephemeral) answers
// are only visible to, and so only paged by, the user who asked.
func (b *Bot) handleComponent(ix *interaction, id string) error {
	prefix, viewID, n, err := parseCustomID(id)
	if err != nil {
		return userError{unknownText}
	}
	if prefix == kindVote {
		return b.handleVote(ix, viewID, n)
	}
	v, ok := b.views.Get(viewID)
	if !ok {
		return userError{expiredText}
	}
	if prefix == kindPassage {
		return b.showPassage(ix, v, n)
	}
	if prefix == kindRemove && v.Kind == kindRemove {
		return b.confirmRemove(ix, v, n)
	}
	if prefix != v.Kind {
		return userError{unknownText}
	}
	inPlace := ix.user().ID == v.Owner || (ix.Message != nil && ix.Message.Flags&discordgo.MessageFlagsEphemeral != 0)
	page := func(ctx context.Context) (reply, error) {
		switch v.Kind {
		case kindAsk:
			return renderAnswer(v, n), nil
		case kindSearch:
			return renderSearch(v, n), nil
		default:
			return b.sourcePage(ctx, v, n)
		}
	}
	if inPlace {
		return b.answerWith(ix, false, true, page)
	}
	return b.answerWith(ix, true, false, func(ctx context.Context) (reply, error) {
		r, err := page(ctx)
		r.Ephemeral = true
		return r, err
	})
}

// showPassage shows passage n of a view (a citation rank for answers and
// searches, an ordinal for documents) in full, ephemerally.
func (b *Bot) showPassage(ix *interaction, v *view, n int) error {
	var cites []knowledge.Citation
	switch v.Kind {
	case kindAsk:
		cites = v.Answer.Citations
	case kindSearch:
		cites = v.Hits
	case kindSource:
		return b.answerWith(ix, true, false, func(ctx context.Context) (reply, error) {
			src, passages, err := b.kb.Source(ctx, v.DocID)
			if errors.Is(err, knowledge.ErrNotFound) {
				return reply{}, userError{"That document is no longer in the knowledge base."}
			}
			if err != nil {
				return reply{}, err
			}
			for _, p := range passages {
				if p.Ordinal == n {
					return renderPassage(src, p), nil
				}
			}
			return reply{}, userError{"That passage is no longer in the knowledge base."}
		})
	}
	for _, c := range cites {
		if c.Rank == n {
			return ix.respond(renderPassage(c.Source, c.Passage))
		}
	}
	return userError{unknownText}
}
