package bot

import (
	"context"
	"errors"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/knowledge"
)

// documents is what showing documents needs from the library.
type documents interface {
	Sources(ctx context.Context, scope Scope) ([]Document, error)
	Source(ctx context.Context, scope Scope, id string) (knowledge.Source, []knowledge.Passage, error)
}

// sourceCommand answers /source and pages documents.
type sourceCommand struct {
	lib    documents
	views  *views
	limits limiter
}

// run answers /source document:<id or title>.
func (c *sourceCommand) run(ix *interaction) error {
	typed := strings.TrimSpace(stringOption(ix.options, optDocument))
	if typed == "" {
		return userError{"Please pick a document: start typing its title after `/source` and choose from the list."}
	}
	if err := c.limits.allow(ix.user().ID); err != nil {
		return err
	}
	return ix.answerWith(false, false, func(ctx context.Context) (reply, error) {
		docs, err := c.lib.Sources(ctx, ix.scope())
		if err != nil {
			return reply{}, err
		}
		src, ok := findSource(sourcesOf(docs), typed)
		if !ok {
			return reply{}, userErrorf("No document matches “%s”. Start typing a title after `/source` and pick one from the list.", truncate(quoteUser(typed), 200))
		}
		v := &view{ID: newID(), Guild: ix.GuildID, Kind: kindSource, Owner: ix.user().ID, DocID: src.ID}
		return sourcePage(ctx, c.lib, c.views, v, 0)
	})
}

// complete suggests documents for /source.
func (c *sourceCommand) complete(ix *interaction) error {
	docs, err := c.lib.Sources(ix.ctx, ix.scope())
	if err != nil {
		return err
	}
	_, typed := focusedOption(ix.options)
	return ix.autocomplete(sourceChoices(sourcesOf(docs), typed))
}

// sourcePage fetches the document of v in its guild's scope and renders
// page p of it, keeping v for its buttons.
func sourcePage(ctx context.Context, lib documents, vs *views, v *view, p int) (reply, error) {
	src, passages, err := lib.Source(ctx, Scope{Guild: v.Guild}, v.DocID)
	if errors.Is(err, knowledge.ErrNotFound) {
		return reply{}, userError{"That document is no longer in the knowledge base (it may have been removed by a reload)."}
	}
	if err != nil {
		return reply{}, err
	}
	vs.put(ctx, v)
	return renderSource(v, src, passages, p), nil
}

func sourcesOf(docs []Document) []knowledge.Source {
	out := make([]knowledge.Source, len(docs))
	for i, d := range docs {
		out[i] = d.Source
	}
	return out
}

// findSource resolves what the user typed or picked: a document id (the
// autocomplete value), else a title, else the only document whose title
// contains it.
func findSource(sources []knowledge.Source, typed string) (knowledge.Source, bool) {
	var partial []knowledge.Source
	lower := strings.ToLower(typed)
	for _, s := range sources {
		if s.ID == typed || strings.EqualFold(s.Title, typed) {
			return s, true
		}
		if len(typed) > maxChoiceValue-4 && strings.HasPrefix(s.ID, typed) {
			return s, true // an id cut to fit a choice value
		}
		if strings.Contains(strings.ToLower(s.Title), lower) {
			partial = append(partial, s)
		}
	}
	if len(partial) == 1 {
		return partial[0], true
	}
	return knowledge.Source{}, false
}

// sourceChoices suggests documents whose title or id contains what has
// been typed, titles that start with it first; at most 25, as Discord
// allows.
func sourceChoices(sources []knowledge.Source, typed string) []*discordgo.ApplicationCommandOptionChoice {
	typed = strings.ToLower(strings.TrimSpace(typed))
	type match struct {
		s     knowledge.Source
		score int
	}
	var ms []match
	for _, s := range sources {
		title := strings.ToLower(s.Title)
		switch {
		case typed == "" || strings.HasPrefix(title, typed):
			ms = append(ms, match{s, 0})
		case strings.Contains(title, " "+typed):
			ms = append(ms, match{s, 1})
		case strings.Contains(title, typed) || strings.Contains(strings.ToLower(s.ID), typed) ||
			strings.Contains(strings.ToLower(s.Author), typed):
			ms = append(ms, match{s, 2})
		}
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].score < ms[j].score })
	var out []*discordgo.ApplicationCommandOptionChoice
	for _, m := range ms {
		if len(out) == maxChoices {
			break
		}
		name := oneLine(m.s.Title)
		if m.s.Author != "" {
			name += " — " + oneLine(m.s.Author)
		}
		value := m.s.ID
		if len(value) > maxChoiceValue {
			n := maxChoiceValue
			for n > 0 && !utf8.RuneStart(value[n]) {
				n--
			}
			value = value[:n]
		}
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: truncate(name, maxChoiceName), Value: value})
	}
	return out
}
