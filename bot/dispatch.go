package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/knowledge"
)

// router routes interactions from the command table and the button
// prefixes, checks who may run what, and turns every error or panic into
// one logged detail and one short polite message.
type router struct {
	log      *slog.Logger
	auth     *authority
	commands map[string]command                                       // by path: "ask", "kb status"
	buttons  map[string]func(ix *interaction, id string, n int) error // by custom id prefix
}

func newRouter(log *slog.Logger, auth *authority, cmds []command, buttons map[string]func(*interaction, string, int) error) *router {
	r := &router{log: log, auth: auth, commands: map[string]command{}, buttons: buttons}
	for _, c := range cmds {
		r.commands[c.path] = c
	}
	return r
}

// handle answers one interaction; the caller has admitted it as work.
func (r *router) handle(ix *interaction) {
	defer func() {
		if p := recover(); p != nil {
			r.log.Error("panic in interaction handler", "panic", fmt.Sprint(p), "stack", string(debug.Stack()),
				"interaction", ix.ID, "name", interactionName(ix))
			r.fail(ix, fmt.Errorf("panic: %v", p))
		}
	}()
	if err := r.route(ix); err != nil {
		r.fail(ix, err)
	}
	r.log.Debug("interaction handled", "interaction", ix.ID, "name", interactionName(ix),
		"user", ix.user().ID, "guild", ix.GuildID, "took", time.Since(ix.received))
}

func (r *router) route(ix *interaction) error {
	switch ix.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		path, opts := commandPath(ix.ApplicationCommandData())
		c, ok := r.commands[path]
		auto := ix.Type == discordgo.InteractionApplicationCommandAutocomplete
		if !ok {
			if auto {
				return ix.autocomplete(nil)
			}
			return userError{unknownText}
		}
		ix.options = opts
		if err := r.auth.allow(ix, c.access); err != nil {
			if auto {
				return ix.autocomplete(nil) // suggest nothing to those who may not run it
			}
			r.log.Info("command refused", "name", path, "user", ix.user().ID, "guild", ix.GuildID)
			if c.refused != nil {
				c.refused()
			}
			return err
		}
		if auto {
			if c.complete == nil {
				return ix.autocomplete(nil)
			}
			return c.complete(ix)
		}
		return c.run(ix)
	case discordgo.InteractionMessageComponent:
		prefix, id, n, err := parseCustomID(ix.MessageComponentData().CustomID)
		if err != nil {
			return userError{unknownText}
		}
		h, ok := r.buttons[prefix]
		if !ok {
			return userError{unknownText}
		}
		return h(ix, id, n)
	case discordgo.InteractionModalSubmit:
		return userError{unknownText}
	}
	return nil // pings and future types: nothing to answer over the gateway
}

// commandPath is "kb status" for /kb status, with the options of the
// subcommand, or "ask" with the command's own.
func commandPath(d discordgo.ApplicationCommandInteractionData) (string, []*discordgo.ApplicationCommandInteractionDataOption) {
	if len(d.Options) == 1 && d.Options[0].Type == discordgo.ApplicationCommandOptionSubCommand {
		return d.Name + " " + d.Options[0].Name, d.Options[0].Options
	}
	return d.Name, d.Options
}

// fail shows the user a short message for err and logs faults in full.
func (r *router) fail(ix *interaction, err error) {
	text, fault := describe(err)
	attrs := []any{"interaction", ix.ID, "name", interactionName(ix), "user", ix.user().ID,
		"guild", ix.GuildID, "err", redact(err.Error(), ix.Token)}
	if fault {
		r.log.Error("interaction failed", attrs...)
	} else {
		r.log.Debug("interaction refused", attrs...)
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
		r.log.Warn("could not tell the user about a failure", "interaction", ix.ID, "err", redact(rerr.Error(), ix.Token))
	}
}

// interactionName is "/ask", "/kb reload", "button ask:…" for logs.
func interactionName(ix *interaction) string {
	switch ix.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		path, _ := commandPath(ix.ApplicationCommandData())
		return "/" + path
	case discordgo.InteractionMessageComponent:
		return "button " + ix.MessageComponentData().CustomID
	}
	return fmt.Sprintf("interaction type %d", ix.Type)
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

// intOption returns the integer value of the named option, def when it is
// absent or not a number (Discord sends integers as JSON numbers).
func intOption(opts []*discordgo.ApplicationCommandInteractionDataOption, name string, def int) int {
	for _, o := range opts {
		if o.Name == name {
			if f, ok := o.Value.(float64); ok && f == float64(int(f)) {
				return int(f)
			}
		}
	}
	return def
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

// limiter admits a user's question or says how long to wait.
type limiter struct{ users *userLimiter }

// allow applies the per-user rate limit to a question.
func (l limiter) allow(userID string) error {
	ok, retry, _ := l.users.Allow(userID)
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
