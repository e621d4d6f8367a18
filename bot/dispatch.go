package bot

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/knowledge"
)

// onInteraction handles every interaction in its own goroutine (discordgo
// runs handlers concurrently): route it, and turn any error or panic into
// a logged detail and a short polite message.
func (b *Bot) onInteraction(s *discordgo.Session, ic *discordgo.InteractionCreate) {
	if ic.Interaction == nil {
		return
	}
	ctx, cancel := context.WithTimeout(b.work, handlerTimeout)
	defer cancel()
	ix := &interaction{Interaction: ic.Interaction, ctx: ctx, s: s, received: time.Now()}
	if !b.begin() {
		if ix.Type != discordgo.InteractionApplicationCommandAutocomplete {
			_ = ix.respond(notice(closingText))
		}
		return
	}
	defer b.end()
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("panic in interaction handler", "panic", fmt.Sprint(r), "stack", string(debug.Stack()),
				"interaction", ix.ID, "name", interactionName(ix))
			b.fail(ix, fmt.Errorf("panic: %v", r))
		}
	}()
	if err := b.route(ix); err != nil {
		b.fail(ix, err)
	}
	b.log.Debug("interaction handled", "interaction", ix.ID, "name", interactionName(ix),
		"user", ix.user().ID, "took", time.Since(ix.received))
}

func (b *Bot) route(ix *interaction) error {
	switch ix.Type {
	case discordgo.InteractionApplicationCommand:
		data := ix.ApplicationCommandData()
		switch data.Name {
		case cmdAsk:
			return b.handleAsk(ix, data.Options)
		case cmdSearch:
			return b.handleSearch(ix, data.Options)
		case cmdSource:
			return b.handleSource(ix, data.Options)
		case cmdKB:
			return b.handleKB(ix, data.Options)
		}
		return userError{unknownText}
	case discordgo.InteractionApplicationCommandAutocomplete:
		data := ix.ApplicationCommandData()
		switch data.Name {
		case cmdSource:
			return b.completeSource(ix, data.Options)
		case cmdKB:
			if len(data.Options) > 0 && data.Options[0].Name == subRemove {
				return b.completeSource(ix, data.Options[0].Options)
			}
		}
		return ix.autocomplete(nil)
	case discordgo.InteractionMessageComponent:
		return b.handleComponent(ix, ix.MessageComponentData().CustomID)
	case discordgo.InteractionModalSubmit:
		return userError{unknownText}
	}
	return nil // pings and future types: nothing to answer over the gateway
}

// fail shows the user a short message for err and logs faults in full.
func (b *Bot) fail(ix *interaction, err error) {
	text, fault := describe(err)
	attrs := []any{"interaction", ix.ID, "name", interactionName(ix), "user", ix.user().ID,
		"guild", ix.GuildID, "err", redact(err.Error(), ix.Token)}
	if fault {
		b.log.Error("interaction failed", attrs...)
	} else {
		b.log.Debug("interaction refused", attrs...)
	}
	if ix.Type == discordgo.InteractionApplicationCommandAutocomplete {
		if ix.state == ackNone {
			_ = ix.autocomplete(nil)
		}
		return
	}
	if ix.ctx.Err() != nil {
		// The handler ran out of time or the bot is stopping: answer on a
		// fresh, short context so the user is not left waiting.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ix.ctx = ctx
	}
	if rerr := ix.respond(notice(text)); rerr != nil {
		b.log.Warn("could not tell the user about a failure", "interaction", ix.ID, "err", redact(rerr.Error(), ix.Token))
	}
}

// interactionName is "/ask", "/kb reload", "button ask:…" for logs.
func interactionName(ix *interaction) string {
	switch ix.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		d := ix.ApplicationCommandData()
		name := "/" + d.Name
		for _, o := range d.Options {
			if o.Type == discordgo.ApplicationCommandOptionSubCommand {
				name += " " + o.Name
			}
		}
		return name
	case discordgo.InteractionMessageComponent:
		return "button " + ix.MessageComponentData().CustomID
	}
	return fmt.Sprintf("interaction type %d", ix.Type)
}

// answerWith runs work and sends its reply: directly (type 4, or type 7
// when update) when work finishes within Config.DeferAfter, else after a
// deferred acknowledgement (type 5, or 6 when update) followed by an edit
// of @original. So every interaction is acknowledged well within
// Discord's 3 s, and fast ones cost a single request.
func (b *Bot) answerWith(ix *interaction, ephemeral, update bool, work func(context.Context) (reply, error)) error {
	type result struct {
		r   reply
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				b.log.Error("panic in interaction work", "panic", fmt.Sprint(r), "stack", string(debug.Stack()), "interaction", ix.ID)
				done <- result{err: fmt.Errorf("panic: %v", r)}
			}
		}()
		r, err := work(ix.ctx)
		done <- result{r, err}
	}()
	t := time.NewTimer(b.cfg.DeferAfter)
	defer t.Stop()
	var res result
	select {
	case res = <-done:
	case <-t.C:
		var err error
		if update {
			err = ix.deferUpdate()
		} else {
			err = ix.deferMessage(ephemeral)
		}
		if err != nil {
			return fmt.Errorf("acknowledge: %w", err)
		}
		res = <-done
	}
	if res.err != nil {
		return res.err
	}
	if update {
		return ix.update(res.r)
	}
	return ix.respond(res.r)
}

// stringOption returns the string value of the named option, "" when it is
// absent or not a string.
func stringOption(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) string {
	for _, o := range opts {
		if o.Name == name {
			if s, ok := o.Value.(string); ok {
				return s
			}
		}
	}
	return ""
}

// boolOption returns the boolean value of the named option, false when it
// is absent or not a boolean.
func boolOption(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) bool {
	for _, o := range opts {
		if o.Name == name {
			if v, ok := o.Value.(bool); ok {
				return v
			}
		}
	}
	return false
}

// focusedOption returns the option being typed in an autocomplete.
func focusedOption(opts []*discordgo.ApplicationCommandInteractionDataOption) (name, value string) {
	for _, o := range opts {
		if o.Focused {
			v, _ := o.Value.(string)
			return o.Name, v
		}
	}
	return "", ""
}

// allow applies the per-user rate limit to a question.
func (b *Bot) allow(userID string) error {
	ok, retry, _ := b.limits.Allow(userID)
	if ok {
		return nil
	}
	return rateLimited{msg: slowDownText(retry)}
}

func slowDownText(retry time.Duration) string {
	secs := max(1, int(retry.Round(time.Second)/time.Second))
	return fmt.Sprintf("You're asking faster than I can keep up with. Please wait %d s before your next question.", secs)
}

// checkQuestion refuses empty and over-long questions before any work.
func checkQuestion(q string) error {
	if strings.TrimSpace(q) == "" {
		return invalidQuestion{emptyQuestionText}
	}
	if n := len([]rune(q)); n > knowledge.MaxQuestionRunes {
		return invalidQuestion{tooLongText(n)}
	}
	return nil
}
