package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/bot/feedback"
)

// Feedback is what the bot needs from the feedback store; *feedback.Store
// satisfies it. Implementations must be safe for concurrent use. Their
// errors never stop an answer: an answer that could not be recorded is
// shown without vote buttons.
type Feedback interface {
	RecordAnswer(ctx context.Context, r feedback.Record) (int64, error)
	Vote(ctx context.Context, answerID int64, userID string, up bool) error
	Gaps(ctx context.Context, since time.Time, limit int) ([]feedback.Gap, error)
}

var _ Feedback = (*feedback.Store)(nil)

// recordTimeout bounds storing one answer: a slow disk must not hold an
// answer back for long.
const recordTimeout = 2 * time.Second

// kindVote is the custom id prefix of the 👍/👎 buttons:
// "vote:<answer record id>:<1 up, 0 down>".
const kindVote = "vote"

// gapsLimit is how many gaps /kb gaps lists; `govbot report` lists all.
const gapsLimit = 15

// asked says where a question came from, for the feedback store.
type asked struct {
	command                string // "ask", "mention", "auto"
	guild, channel, userID string
}

// record stores the answer v shows for feedback and returns its record
// id, or 0 when feedback is off or the store could not take it (then the
// answer goes out without vote buttons).
func (b *Bot) record(ctx context.Context, from asked, v *view) int64 {
	if b.feedback == nil {
		return 0
	}
	ctx, cancel := context.WithTimeout(ctx, recordTimeout)
	defer cancel()
	var ids []string
	for _, c := range v.Answer.Citations {
		ids = append(ids, c.Passage.ID)
	}
	id, err := b.feedback.RecordAnswer(ctx, feedback.Record{
		Command: from.command, GuildID: from.guild, ChannelID: from.channel, UserID: from.userID,
		Question: v.Question, Abstained: v.Answer.Abstained, Citations: ids,
	})
	if err != nil {
		// The store warns about unavailable storage itself, at most once
		// a minute; anything else is worth a warning here.
		if errors.Is(err, feedback.ErrUnavailable) {
			b.log.Debug("answer not recorded for feedback", "err", err.Error())
		} else {
			b.log.Warn("answer not recorded for feedback; answering without vote buttons", "err", err.Error())
		}
		return 0
	}
	return id
}

// voteRow is the row of 👍/👎 buttons for an answer recorded as id.
func voteRow(id int64) discordgo.MessageComponent {
	rid := strconv.FormatInt(id, 10)
	return discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		button("👍 Helpful", customID(kindVote, rid, 1)),
		button("👎 Not helpful", customID(kindVote, rid, 0)),
	}}
}

// handleVote records a click on 👍 (n = 1) or 👎 (n = 0) of the answer
// recorded as rid and thanks the voter privately. Each user has one vote
// per answer; voting again changes it.
func (b *Bot) handleVote(ix *interaction, rid string, n int) error {
	id, err := strconv.ParseInt(rid, 10, 64)
	if err != nil || id <= 0 || n > 1 {
		return userError{unknownText}
	}
	if b.feedback == nil {
		return userError{"Thanks! Feedback is not being recorded right now, though."}
	}
	up := n == 1
	return b.answerWith(ix, true, false, func(ctx context.Context) (reply, error) {
		err := b.feedback.Vote(ctx, id, ix.user().ID, up)
		switch {
		case err == nil:
			b.metrics.Vote(up)
			if up {
				return notice("Thanks for the 👍! Your vote is recorded (one per answer; click again to change it)."), nil
			}
			return notice("Thanks for the 👎! Answers voted down are shown to the admins as gaps to fill. Your vote is recorded (one per answer; click again to change it)."), nil
		case errors.Is(err, feedback.ErrNotFound):
			return notice("This answer is too old to vote on. Thanks anyway!"), nil
		case errors.Is(err, feedback.ErrUnavailable):
			return notice("Thanks! I couldn't save your vote just now, though; I'm still answering questions."), nil
		}
		b.log.Warn("vote not recorded", "answer", id, "err", err.Error())
		return notice("Thanks! I couldn't save your vote just now, though."), nil
	})
}

// handleGaps answers /kb gaps [days:<n>]: the questions of the last days
// that were abstained on or voted down, most frequent first.
func (b *Bot) handleGaps(ix *interaction, opts []*discordgo.ApplicationCommandInteractionDataOption) error {
	if !b.mayReload(ix.Member) {
		b.log.Info("kb gaps refused", "user", ix.user().ID, "guild", ix.GuildID)
		return userError{adminOnlyText("see the coverage gaps")}
	}
	if b.feedback == nil {
		return userError{"Feedback is off, so there are no gaps to show. The operator enables it by giving govbot a writable `DATA_DIR`."}
	}
	days := intOption(opts, optDays, defaultGapDays)
	days = min(max(days, 1), maxGapDays)
	return b.answerWith(ix, true, false, func(ctx context.Context) (reply, error) {
		gaps, err := b.feedback.Gaps(ctx, b.now().AddDate(0, 0, -days), gapsLimit)
		if errors.Is(err, feedback.ErrUnavailable) {
			return reply{}, userError{"The feedback database is unavailable right now (see govbot's log); questions are still answered."}
		}
		if err != nil {
			return reply{}, err
		}
		return renderGaps(gaps, days), nil
	})
}

// renderGaps lists coverage gaps, one line each.
func renderGaps(gaps []feedback.Gap, days int) reply {
	e := &discordgo.MessageEmbed{
		Title: fmt.Sprintf("Coverage gaps, last %d day(s)", days),
		Color: colorAbstain,
	}
	if len(gaps) == 0 {
		e.Description = "No question was abstained on or voted down in this period."
		return reply{Embeds: []*discordgo.MessageEmbed{e}, Ephemeral: true}
	}
	var d strings.Builder
	for i, g := range gaps {
		fmt.Fprintf(&d, "**%d.** %s\nasked %d · abstained %d · 👎 %d · 👍 %d · last %s\n",
			i+1, truncate(quoteUser(g.Question), 160), g.Asked, g.Abstained, g.Down, g.Up, discordDate(g.LastAsked))
	}
	e.Description = d.String()
	e.Footer = &discordgo.MessageEmbedFooter{Text: fmt.Sprintf(
		"Questions the knowledge base abstained on or users voted down, grouped by wording, most frequent first. All of them: govbot report --since %dd", days)}
	return reply{Embeds: []*discordgo.MessageEmbed{e}, Ephemeral: true}
}

// discordDate renders t as a Discord date, shown in each reader's zone.
func discordDate(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return fmt.Sprintf("<t:%d:d>", t.Unix())
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
