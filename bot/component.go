package bot

import (
	"context"
	"errors"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/knowledge"
)

// pageButtons answers the buttons of answers, searches and documents: paging
// and showing a passage. Views are looked up in the guild the button is
// pressed in, so a view of one server cannot be used from another.
type pageButtons struct {
	lib   documents
	views *views
}

// page turns view id (of kind) to page n.
//
// The user who asked pages their message in place (type 7), and so does
// anyone on an ephemeral message; anyone else clicking a public message
// gets the page as their own ephemeral copy, so that one reader cannot
// change what the whole channel sees. Private (ephemeral) answers are
// only visible to, and so only paged by, the user who asked.
func (p *pageButtons) page(ix *interaction, kind, id string, n int) error {
	v, ok := p.views.get(ix.ctx, ix.GuildID, id)
	if !ok {
		return userError{expiredText}
	}
	if v.Kind != kind {
		return userError{unknownText}
	}
	inPlace := ix.user().ID == v.Owner || (ix.Message != nil && ix.Message.Flags&discordgo.MessageFlagsEphemeral != 0)
	render := func(ctx context.Context) (reply, error) {
		switch v.Kind {
		case kindAsk:
			return renderAnswer(v, n), nil
		case kindSearch:
			return renderSearch(v, n), nil
		default:
			return sourcePage(ctx, p.lib, p.views, v, n)
		}
	}
	if inPlace {
		return ix.answerWith(false, true, render)
	}
	return ix.answerWith(true, false, func(ctx context.Context) (reply, error) {
		r, err := render(ctx)
		r.Ephemeral = true
		return r, err
	})
}

// passage shows passage n of view id (a citation rank for answers and
// searches, an ordinal for documents) in full, ephemerally. The passage's
// text is read again from the library when the view was kept without it.
func (p *pageButtons) passage(ix *interaction, id string, n int) error {
	v, ok := p.views.get(ix.ctx, ix.GuildID, id)
	if !ok {
		return userError{expiredText}
	}
	var cites []knowledge.Citation
	switch v.Kind {
	case kindAsk:
		cites = v.Answer.Citations
	case kindSearch:
		cites = v.Hits
	case kindSource:
		return ix.answerWith(true, false, func(ctx context.Context) (reply, error) {
			return p.fetchPassage(ctx, v.Guild, v.DocID, n)
		})
	}
	for _, c := range cites {
		if c.Rank != n {
			continue
		}
		if c.Passage.Text != "" {
			return ix.respond(renderPassage(c.Source, c.Passage))
		}
		return ix.answerWith(true, false, func(ctx context.Context) (reply, error) {
			return p.fetchPassage(ctx, v.Guild, c.Passage.DocID, c.Passage.Ordinal)
		})
	}
	return userError{unknownText}
}

func (p *pageButtons) fetchPassage(ctx context.Context, guild, docID string, ordinal int) (reply, error) {
	src, passages, err := p.lib.Source(ctx, Scope{Guild: guild}, docID)
	if errors.Is(err, knowledge.ErrNotFound) {
		return reply{}, userError{"That document is no longer in the knowledge base."}
	}
	if err != nil {
		return reply{}, err
	}
	for _, ps := range passages {
		if ps.Ordinal == ordinal {
			return renderPassage(src, ps), nil
		}
	}
	return reply{}, userError{"That passage is no longer in the knowledge base."}
}
