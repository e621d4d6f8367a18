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

// handleSource answers /source document:<id or title>.
func (b *Bot) handleSource(ix *interaction, opts []*discordgo.ApplicationCommandInteractionDataOption) error {
	typed := strings.TrimSpace(stringOption(opts, optDocument))
	if typed == "" {
		return userError{"Please pick a document: start typing its title after `/source` and choose from the list."}
	}
	if err := b.allow(ix.user().ID); err != nil {
		return err
	}
	src, ok := findSource(b.kb.Sources(), typed)
	if !ok {
		return userErrorf("No document matches “%s”. Start typing a title after `/source` and pick one from the list.", truncate(quoteUser(typed), 200))
	}
	return b.answerWith(ix, false, false, func(ctx context.Context) (reply, error) {
		v := &view{ID: newID(), Kind: kindSource, Owner: ix.user().ID, DocID: src.ID}
		return b.sourcePage(ctx, v, 0)
	})
}

// sourcePage fetches the document of v and renders page p of it.
func (b *Bot) sourcePage(ctx context.Context, v *view, p int) (reply, error) {
	src, passages, err := b.kb.Source(ctx, v.DocID)
	if errors.Is(err, knowledge.ErrNotFound) {
		return reply{}, userError{"That document is no longer in the knowledge base (it may have been removed by a reload)."}
	}
	if err != nil {
		return reply{}, err
	}
	b.views.Put(v.ID, v)
	return renderSource(v, src, passages, p), nil
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

// completeSource suggests documents whose title or id contains what has
// been typed, titles that start with it first; at most 25, as Discord
// allows.
func (b *Bot) completeSource(ix *interaction, opts []*discordgo.ApplicationCommandInteractionDataOption) error {
	_, typed := focusedOption(opts)
	return ix.autocomplete(sourceChoices(b.kb.Sources(), typed))
}

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
