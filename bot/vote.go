package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/bot/feedback"
	"github.com/govbot-dev/govbot/bot/metrics"
)

// Feedback is what the bot needs from the feedback store; *feedback.Store
// satisfies it. Implementations must be safe for concurrent use. Their
// errors never stop an answer: an answer that could not be recorded is
// shown without vote buttons.
//
// Votes and gaps are scoped by guild: a vote on an answer given in another
// guild is ErrNotFound, and Gaps lists only the given guild's questions.
type Feedback interface {
	RecordAnswer(ctx context.Context, r feedback.Record) (int64, error)
	Vote(ctx context.Context, guild string, answerID int64, userID string, up bool) error
	Gaps(ctx context.Context, guild string, since time.Time, limit int) ([]feedback.Gap, error)
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

// recorder records answers for feedback; a nil store records nothing.
type recorder struct {
	store Feedback // nil: feedback off
	log   *slog.Logger
}

// record stores the answer v shows for feedback and returns its record
// id, or 0 when feedback is off or the store could not take it (then the
// answer goes out without vote buttons).
func (r *recorder) record(ctx context.Context, from asked, v *view) int64 {
	if r == nil || r.store == nil {
		return 0
	}
	ctx, cancel := context.WithTimeout(ctx, recordTimeout)
	defer cancel()
	var ids []string
	for _, c := range v.Answer.Citations {
		ids = append(ids, c.Passage.ID)
	}
	id, err := r.store.RecordAnswer(ctx, feedback.Record{
		Command: from.command, GuildID: from.guild, ChannelID: from.channel, UserID: from.userID,
		Question: v.Question, Abstained: v.Answer.Abstained, Citations: ids,
	})
	if err != nil {
		// The store warns about unavailable storage itself, at most once
		// a minute; anything else is worth a warning here.
		if errors.Is(err, feedback.ErrUnavailable) {
			r.log.Debug("answer not recorded for feedback", "err", err.Error())
		} else {
			r.log.Warn("answer not recorded for feedback; answering without vote buttons", "err", err.Error())
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

// voter answers the 👍/👎 buttons.
type voter struct {
	store   Feedback // nil: feedback off
	metrics *metrics.Metrics
	log     *slog.Logger
}

// vote records a click on 👍 (n = 1) or 👎 (n = 0) of the answer
// recorded as rid and thanks the voter privately. Each user has one vote
// per answer; voting again changes it. A vote counts only in the guild
// the answer was given in.
func (c *voter) vote(ix *interaction, rid string, n int) error {
	id, err := strconv.ParseInt(rid, 10, 64)
	if err != nil || id <= 0 || n > 1 {
		return userError{unknownText}
	}
	if c.store == nil {
		return userError{"Thanks! Feedback is not being recorded right now, though."}
	}
	up := n == 1
	return ix.answerWith(true, false, func(ctx context.Context) (reply, error) {
		err := c.store.Vote(ctx, ix.GuildID, id, ix.user().ID, up)
		switch {
		case err == nil:
			c.metrics.Vote(up)
			if up {
				return notice("Thanks for the 👍! Your vote is recorded (one per answer; click again to change it)."), nil
			}
			return notice("Thanks for the 👎! Answers voted down are shown to this server's admins as gaps to fill. Your vote is recorded (one per answer; click again to change it)."), nil
		case errors.Is(err, feedback.ErrNotFound):
			return notice("This answer is too old to vote on. Thanks anyway!"), nil
		case errors.Is(err, feedback.ErrUnavailable):
			return notice("Thanks! I couldn't save your vote just now, though; I'm still answering questions."), nil
		}
		c.log.Warn("vote not recorded", "answer", id, "err", err.Error())
		return notice("Thanks! I couldn't save your vote just now, though."), nil
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
	e.Footer = &discordgo.MessageEmbedFooter{Text: "Questions asked in this server that the knowledge base abstained on or users voted down, grouped by wording, most frequent first."}
	return reply{Embeds: []*discordgo.MessageEmbed{e}, Ephemeral: true}
}

// discordDate renders t as a Discord date, shown in each reader's zone.
func discordDate(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return fmt.Sprintf("<t:%d:d>", t.Unix())
}
