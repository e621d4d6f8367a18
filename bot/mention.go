package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/bot/metrics"
)

// Why a message is answered.
type addressing int

const (
	notAddressed addressing = iota
	byMention               // mentions the bot
	byReply                 // replies to one of the bot's messages
	byDM                    // a direct message
	byStudy                 // a question in a study channel with auto-answer
)

// messages answers the messages addressed to the bot: mentions, replies
// to its answers, DMs (from the base collection) and, with auto-answer,
// questions in study channels.
type messages struct {
	answers    *answerer
	limits     *userLimiter
	metrics    *metrics.Metrics
	log        *slog.Logger
	convos     *lru[string] // conversation key → last question asked in it
	autoAnswer bool
	studyChans []string
}

// onMessageCreate answers messages addressed to the bot, as a reply to
// them, in the same channel or thread.
func (b *Bot) onMessageCreate(s *discordgo.Session, mc *discordgo.MessageCreate) {
	m := mc.Message
	self := b.self.Load()
	if m == nil || m.Author == nil || m.Author.Bot || m.WebhookID != "" || self == nil || m.Author.ID == self.ID {
		return
	}
	how := b.messages.addressed(s, m, self.ID)
	if how == notAddressed {
		return
	}
	if !b.begin() {
		return
	}
	defer b.end()
	defer b.recovered("message handler", "message", m.ID, "channel", m.ChannelID)
	ctx, cancel := context.WithTimeout(b.work, handlerTimeout)
	defer cancel()
	b.messages.handle(ctx, s, m, self.ID, how)
}

// handle answers m and tells its author about any failure.
func (h *messages) handle(ctx context.Context, s *discordgo.Session, m *discordgo.Message, self string, how addressing) {
	received := time.Now()
	o, err := h.answerMessage(ctx, s, m, self, how)
	if err != nil {
		o = outcome(err, false)
	}
	cmd := metrics.CommandMention
	if how == byStudy {
		cmd = metrics.CommandAuto
	}
	h.metrics.ObserveQuestion(cmd, o, time.Since(received))
	var rl rateLimited
	if errors.As(err, &rl) && rl.quiet {
		return // already told; stay quiet
	}
	if err != nil {
		text, fault := describe(err)
		if fault {
			h.log.Error("answering a message failed", "message", m.ID, "channel", m.ChannelID, "user", m.Author.ID, "err", err.Error())
		}
		if _, serr := s.ChannelMessageSendComplex(m.ChannelID, reply{Content: text}.messageSend(m), discordgo.WithContext(ctx)); serr != nil {
			h.log.Warn("could not tell the user about a failure", "message", m.ID, "err", serr.Error())
		}
	}
}

// addressed decides whether m is for the bot.
func (h *messages) addressed(s *discordgo.Session, m *discordgo.Message, self string) addressing {
	for _, u := range m.Mentions {
		if u != nil && u.ID == self {
			return byMention
		}
	}
	if strings.Contains(m.Content, "<@"+self+">") || strings.Contains(m.Content, "<@!"+self+">") {
		return byMention
	}
	if r := m.ReferencedMessage; r != nil && r.Author != nil && r.Author.ID == self {
		return byReply
	}
	if m.GuildID == "" {
		return byDM
	}
	if h.autoAnswer && h.isStudyChannel(s, m.ChannelID) && questionShaped(m.Content) {
		return byStudy
	}
	return notAddressed
}

// isStudyChannel reports whether the channel, or the channel a thread
// belongs to, is listed in Config.StudyChannelIDs.
func (h *messages) isStudyChannel(s *discordgo.Session, channelID string) bool {
	if slices.Contains(h.studyChans, channelID) {
		return true
	}
	if ch := stateChannel(s, channelID); ch != nil && ch.ParentID != "" {
		return slices.Contains(h.studyChans, ch.ParentID)
	}
	return false
}

func stateChannel(s *discordgo.Session, id string) *discordgo.Channel {
	if s == nil || s.State == nil {
		return nil
	}
	ch, err := s.State.Channel(id)
	if err != nil {
		return nil
	}
	return ch
}

// answerMessage asks the knowledge base the question in m and replies to
// m. A conversation is a thread or DM the bot answered in, or a chain of
// replies to its answers: there, a follow-up that the knowledge base
// cannot answer alone is asked again together with the earlier question.
// It returns how the question ended when it returns no error: answered,
// abstained, or invalid when there was no question and it sent help.
func (h *messages) answerMessage(ctx context.Context, s *discordgo.Session, m *discordgo.Message, self string, how addressing) (metrics.Outcome, error) {
	q := questionText(m.Content, self)
	if q == "" {
		if _, err := s.ChannelMessageSendComplex(m.ChannelID, reply{Content: "Hi! Ask me a question after the mention, for example “@govbot what is cyber sovereignty?”, or use `/ask`. I answer with exact passages from my knowledge base."}.messageSend(m), discordgo.WithContext(ctx)); err != nil {
			return "", err
		}
		return metrics.OutcomeInvalid, nil
	}
	if err := checkQuestion(q); err != nil {
		return "", err
	}
	if ok, retry, notify := h.limits.Allow(m.Author.ID); !ok {
		return "", rateLimited{msg: slowDownText(retry), quiet: !notify}
	}
	earlier := ""
	if r := m.ReferencedMessage; r != nil && r.Author != nil && r.Author.ID == self {
		earlier, _ = h.convos.Get(r.ID)
	}
	if earlier == "" {
		earlier, _ = h.convos.Get(m.ChannelID)
	}
	// A DM is answered from the base collection; a server message from
	// that server's.
	v, err := h.answers.ask(ctx, Scope{Guild: m.GuildID}, q, earlier)
	if err != nil {
		return "", err
	}
	v.Owner = m.Author.ID
	command := "mention"
	if how == byStudy {
		command = "auto"
	}
	v.RecordID = h.answers.feedback.record(ctx, asked{command: command, guild: m.GuildID, channel: m.ChannelID, userID: m.Author.ID}, v)
	h.answers.views.put(ctx, v)
	sent, err := s.ChannelMessageSendComplex(m.ChannelID, renderAnswer(v, 0).messageSend(m), discordgo.WithContext(ctx))
	if err != nil {
		return "", fmt.Errorf("send answer: %w", err)
	}
	topic := q
	if v.FollowUp != "" {
		topic = v.FollowUp + "\n" + q
	}
	if sent != nil && sent.ID != "" {
		h.convos.Put(sent.ID, topic)
	}
	if ch := stateChannel(s, m.ChannelID); m.GuildID == "" || (ch != nil && ch.IsThread()) {
		h.convos.Put(m.ChannelID, topic)
	}
	h.log.Debug("answered a message", "message", m.ID, "channel", m.ChannelID, "how", int(how), "abstained", v.Answer.Abstained)
	return outcome(nil, v.Answer.Abstained), nil
}

// selfMention matches mentions of any user; questionText removes the bot's.
var selfMention = regexp.MustCompile(`<@!?([0-9]+)>`)

// questionText is the message content without mentions of the bot, on one
// line.
func questionText(content, self string) string {
	q := selfMention.ReplaceAllStringFunc(content, func(s string) string {
		if selfMention.FindStringSubmatch(s)[1] == self {
			return " "
		}
		return s
	})
	return strings.TrimSpace(oneLine(q))
}

// interrogatives start questions that do not end with a question mark.
var interrogatives = []string{
	"what", "why", "how", "who", "whom", "whose", "when", "where", "which",
	"is", "are", "was", "were", "do", "does", "did", "can", "could", "should",
	"would", "will", "has", "have", "explain", "define", "describe",
}

// questionShaped reports whether a message in a study channel looks like a
// question worth answering unasked: a question mark at the end, or an
// interrogative first word, with at least three words (or six characters
// of CJK text).
func questionShaped(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "http") {
		return false
	}
	words := strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) })
	cjk := 0
	for _, r := range s {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			cjk++
		}
	}
	if len(words) < 3 && cjk < 6 {
		return false
	}
	if strings.HasSuffix(s, "?") || strings.HasSuffix(s, "？") {
		return true
	}
	first := strings.ToLower(strings.TrimFunc(words[0], func(r rune) bool { return !unicode.IsLetter(r) }))
	return slices.Contains(interrogatives, first)
}
