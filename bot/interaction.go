package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/bwmarrin/discordgo"
)

// ackState tracks how an interaction has been acknowledged: Discord wants
// exactly one initial response within 3 s, and what may follow depends on
// it.
type ackState int

const (
	ackNone            ackState = iota
	ackDeferredMessage          // type 5 sent: edit @original next
	ackDeferredUpdate           // type 6 sent: edit @original (the message with the button) next
	ackDone                     // a full response was sent: only follow-ups remain
)

// interaction is one interaction being handled. It is used by one goroutine
// at a time.
type interaction struct {
	*discordgo.Interaction
	ctx      context.Context
	s        *discordgo.Session
	log      *slog.Logger
	state    ackState
	received time.Time // when the gateway delivered it
	// deferAfter is how long work may run before the interaction is
	// acknowledged with a deferral (Config.DeferAfter).
	deferAfter time.Duration
	// options are the options of the command or subcommand run.
	options []*discordgo.ApplicationCommandInteractionDataOption
}

// scope is the collection the interaction reads and changes: its server's,
// or the base in a DM.
func (ix *interaction) scope() Scope { return Scope{Guild: ix.GuildID} }

// answerWith runs work and sends its reply: directly (type 4, or type 7
// when update) when work finishes within deferAfter, else after a
// deferred acknowledgement (type 5, or 6 when update) followed by an edit
// of @original. So every interaction is acknowledged well within
// Discord's 3 s, and fast ones cost a single request.
func (ix *interaction) answerWith(ephemeral, update bool, work func(context.Context) (reply, error)) error {
	type result struct {
		r   reply
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				ix.log.Error("panic in interaction work", "panic", fmt.Sprint(r), "stack", string(debug.Stack()), "interaction", ix.ID)
				done <- result{err: fmt.Errorf("panic: %v", r)}
			}
		}()
		r, err := work(ix.ctx)
		done <- result{r, err}
	}()
	t := time.NewTimer(ix.deferAfter)
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

// user is whoever triggered the interaction, in a guild or in a DM.
func (ix *interaction) user() *discordgo.User {
	if ix.Member != nil && ix.Member.User != nil {
		return ix.Member.User
	}
	if ix.User != nil {
		return ix.User
	}
	return &discordgo.User{}
}

func (ix *interaction) opts() []discordgo.RequestOption {
	return []discordgo.RequestOption{discordgo.WithContext(ix.ctx)}
}

func (ix *interaction) callback(typ discordgo.InteractionResponseType, data *discordgo.InteractionResponseData) error {
	err := ix.s.InteractionRespond(ix.Interaction, &discordgo.InteractionResponse{Type: typ, Data: data}, ix.opts()...)
	if err != nil {
		return fmt.Errorf("interaction callback type %d: %w", typ, err)
	}
	return nil
}

// deferMessage acknowledges with type 5: the user sees "govbot is
// thinking…" until respond edits the original response.
func (ix *interaction) deferMessage(ephemeral bool) error {
	var data *discordgo.InteractionResponseData
	if ephemeral {
		data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
	}
	if err := ix.callback(discordgo.InteractionResponseDeferredChannelMessageWithSource, data); err != nil {
		return err
	}
	ix.state = ackDeferredMessage
	return nil
}

// deferUpdate acknowledges a button with type 6: the message stays as it is
// until update edits it.
func (ix *interaction) deferUpdate() error {
	if err := ix.callback(discordgo.InteractionResponseDeferredMessageUpdate, nil); err != nil {
		return err
	}
	ix.state = ackDeferredUpdate
	return nil
}

// respond sends r as a new message: the initial response (type 4), the
// edit of a deferred one, or a follow-up after a full response. After a
// deferral the message keeps the visibility chosen when deferring (Discord
// fixes it then): a notice after a public deferral, which only a slow
// failure causes, replaces the "thinking" message in the channel.
func (ix *interaction) respond(r reply) error {
	switch ix.state {
	case ackNone:
		if err := ix.callback(discordgo.InteractionResponseChannelMessageWithSource, r.responseData()); err != nil {
			return err
		}
		ix.state = ackDone
		return nil
	case ackDeferredMessage:
		if _, err := ix.s.InteractionResponseEdit(ix.Interaction, r.webhookEdit(), ix.opts()...); err != nil {
			return fmt.Errorf("edit original response: %w", err)
		}
		ix.state = ackDone
		return nil
	default:
		return ix.followup(r)
	}
}

func (ix *interaction) followup(r reply) error {
	if _, err := ix.s.FollowupMessageCreate(ix.Interaction, true, r.followup(), ix.opts()...); err != nil {
		return fmt.Errorf("follow-up message: %w", err)
	}
	return nil
}

// update replaces the message a button belongs to with r: type 7, or the
// edit of @original after a type-6 deferral.
func (ix *interaction) update(r reply) error {
	switch ix.state {
	case ackNone:
		if err := ix.callback(discordgo.InteractionResponseUpdateMessage, r.responseData()); err != nil {
			return err
		}
		ix.state = ackDone
		return nil
	case ackDeferredUpdate:
		if _, err := ix.s.InteractionResponseEdit(ix.Interaction, r.webhookEdit(), ix.opts()...); err != nil {
			return fmt.Errorf("edit message: %w", err)
		}
		ix.state = ackDone
		return nil
	default:
		return errors.New("update after the interaction was answered")
	}
}

// autocomplete answers an autocomplete interaction (type 8) with at most
// 25 choices. The payload is built here because discordgo's omits an empty
// choices list, which Discord needs to clear the suggestions.
func (ix *interaction) autocomplete(choices []*discordgo.ApplicationCommandOptionChoice) error {
	if len(choices) > maxChoices {
		choices = choices[:maxChoices]
	}
	if choices == nil {
		choices = []*discordgo.ApplicationCommandOptionChoice{}
	}
	body := struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data struct {
			Choices []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
		} `json:"data"`
	}{Type: discordgo.InteractionApplicationCommandAutocompleteResult}
	body.Data.Choices = choices
	endpoint := discordgo.EndpointInteractionResponse(ix.ID, ix.Token)
	if _, err := ix.s.RequestWithBucketID("POST", endpoint, body, endpoint, ix.opts()...); err != nil {
		return fmt.Errorf("autocomplete result: %w", err)
	}
	ix.state = ackDone
	return nil
}
