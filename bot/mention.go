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
	"github.com/govbot-dev/govbot/knowledge"
)

// Why a message is answered.
type addressing int

const (
	notAddressed addressing = iota
	byMention               // mentions the bot
	byReply                 // replies to one of the bot's messages
	byDM                    // a direct message
	byStudy                 // a question in a study channel with auto-answer
	byThread                // a plain message in a thread of govbot's (Message Content intent)
	unread                  // a message in a thread of govbot's that it cannot read (no intent)
)

// messages answers the messages addressed to the bot: mentions, replies
// to its answers, DMs (from the base collection) and, with auto-answer,
// questions in study channels.
type messages struct {
	answers      *answerer
	limits       *userLimiter
	metrics      *metrics.Metrics
	log          *slog.Logger
	convos       *conversations
	autoAnswer   bool
	readAll      bool // the Message Content intent: plain messages have their content
	studyThreads bool // open a thread on answers in study channels
	studyChans   []string
}

// onMessageCreate answers messages addressed to the bot, as a reply to
// them, in the same channel or thread.
func (b *Bot) onMessageCreate(s *discordgo.Session, mc *discordgo.MessageCreate) {
	m := mc.Message
	self := b.self.Load()
	if m == nil || m.Author == nil || m.Author.Bot || m.WebhookID != "" || self == nil || m.Author.ID == self.ID {
		return
	}
	if !b.begin() {
		return
	}
	defer b.end()
	defer b.recovered("message handler", "message", m.ID, "channel", m.ChannelID)
	ctx, cancel := context.WithTimeout(b.work, handlerTimeout)
	defer cancel()
	switch how := b.messages.addressed(ctx, s, m, self.ID); how {
	case notAddressed:
	case unread:
		b.messages.tellNeedsMention(ctx, s, m.GuildID, m.ChannelID)
	default:
		b.messages.handle(ctx, s, m, self.ID, how)
	}
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
func (h *messages) addressed(ctx context.Context, s *discordgo.Session, m *discordgo.Message, self string) addressing {
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
	if ch := stateChannel(s, m.ChannelID); ch != nil && ch.IsThread() && h.ownThread(ctx, s, m.GuildID, ch, self) {
		switch {
		case h.readAll && strings.TrimSpace(m.Content) != "":
			return byThread
		case !h.readAll && m.Content == "" && m.Type != discordgo.MessageTypeThreadStarterMessage:
			return unread // its content was withheld: no Message Content intent
		}
	}
	if h.autoAnswer && h.isStudyChannel(s, m.ChannelID) && questionShaped(m.Content) {
		return byStudy
	}
	return notAddressed
}

// ownThread reports whether a thread was opened by govbot or started from
// one of its answers (a thread started from a message has the message's
// ID). A thread govbot does not remember (an /ask answer's, or one from
// before a restart) is looked up once: its starter message is read, and
// the conversation continues from the turn that answer shows.
func (h *messages) ownThread(ctx context.Context, s *discordgo.Session, guild string, ch *discordgo.Channel, self string) bool {
	if ch.OwnerID == self || h.convos.known(guild, answerPlace(ch.ID)) || h.convos.known(guild, channelPlace(ch.ID)) {
		return true
	}
	if ours, ok := h.convos.ours.Get(channelPlace(ch.ID).key(guild)); ok {
		return ours
	}
	ours := false
	if ch.ParentID != "" {
		starter, err := s.ChannelMessage(ch.ParentID, ch.ID, discordgo.WithContext(ctx))
		switch {
		case err == nil && starter.Author != nil && starter.Author.ID == self:
			ours = true
			h.convos.store(guild, h.turnsBefore(guild, starter), answerPlace(ch.ID))
		case err != nil && ctx.Err() != nil:
			return false // not known; ask again next time
		}
	}
	h.convos.ours.Put(channelPlace(ch.ID).key(guild), ours)
	return ours
}

// turnsBefore returns the turns that led to one of govbot's answers:
// noted under the answer or the question it answered, or else read back
// from the answer itself.
func (h *messages) turnsBefore(guild string, answer *discordgo.Message) []knowledge.Turn {
	var asked string
	if answer.MessageReference != nil {
		asked = answer.MessageReference.MessageID
	}
	if t := h.convos.history(guild, answerPlace(answer.ID), answerPlace(asked)); t != nil {
		return t
	}
	if t, ok := turnOf(answer); ok {
		return []knowledge.Turn{t}
	}
	return nil
}

// needsMentionText is said once in a thread of govbot's when it cannot
// read the messages there.
const needsMentionText = "I can only read messages here that mention me or reply to one of my answers " +
	"(this bot does not have Discord's Message Content intent). Start a follow-up with @govbot, or reply to my answer."

// tellNeedsMention says once in the thread that govbot needs a mention.
func (h *messages) tellNeedsMention(ctx context.Context, s *discordgo.Session, guild, thread string) {
	if !h.convos.tellOnce(guild, thread) {
		return
	}
	if _, err := s.ChannelMessageSendComplex(thread, reply{Content: needsMentionText}.messageSend(nil), discordgo.WithContext(ctx)); err != nil {
		h.log.Warn("could not say that a mention is needed", "channel", thread, "err", err.Error())
	}
}

// onThreadCreate: a thread started from one of govbot's answers joins the
// conversation; without the Message Content intent govbot says at once
// that it needs a mention there.
func (b *Bot) onThreadCreate(s *discordgo.Session, tc *discordgo.ThreadCreate) {
	self := b.self.Load()
	if tc.Channel == nil || self == nil || !tc.NewlyCreated || tc.OwnerID == self.ID {
		return
	}
	if !b.begin() {
		return
	}
	defer b.end()
	defer b.recovered("thread handler", "channel", tc.ID)
	ctx, cancel := context.WithTimeout(b.work, handlerTimeout)
	defer cancel()
	h := b.messages
	if !h.ownThread(ctx, s, tc.GuildID, tc.Channel, self.ID) {
		return
	}
	if err := s.ThreadJoin(tc.ID, discordgo.WithContext(ctx)); err != nil {
		h.log.Debug("could not join a thread", "channel", tc.ID, "err", err.Error())
	}
	if !h.readAll {
		h.tellNeedsMention(ctx, s, tc.GuildID, tc.ID)
	}
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
// m. In a conversation (a reply to one of govbot's answers, a thread of
// govbot's, a DM) the question is read with the conversation's recent
// turns (knowledge.AskOptions.History). Small talk gets a 👍 reaction and
// is neither searched nor recorded. It returns how the question ended
// when it returns no error: answered, abstained, small talk, or invalid
// when there was no question and it sent help.
func (h *messages) answerMessage(ctx context.Context, s *discordgo.Session, m *discordgo.Message, self string, how addressing) (metrics.Outcome, error) {
	q := questionText(m.Content, self)
	if q == "" {
		if _, err := s.ChannelMessageSendComplex(m.ChannelID, reply{Content: "Hi! Ask me a question after the mention, for example “@govbot what is cyber sovereignty?”, or use `/ask`. I answer with exact passages from my knowledge base."}.messageSend(m), discordgo.WithContext(ctx)); err != nil {
			return "", err
		}
		return metrics.OutcomeInvalid, nil
	}
	if knowledge.IsSmallTalk(withoutMentions(q)) {
		if how != byStudy { // unaddressed chatter in a study channel gets nothing
			if err := s.MessageReactionAdd(m.ChannelID, m.ID, smallTalkReaction, discordgo.WithContext(ctx)); err != nil {
				h.log.Debug("could not react to small talk", "message", m.ID, "err", err.Error())
			}
		}
		return metrics.OutcomeSmallTalk, nil
	}
	if err := checkQuestion(q); err != nil {
		return "", err
	}
	if ok, retry, notify := h.limits.Allow(m.Author.ID); !ok {
		return "", rateLimited{msg: slowDownText(retry), quiet: !notify}
	}
	history, running := h.conversationOf(ctx, s, m, self)
	// A DM is answered from the base collection; a server message from
	// that server's.
	v, err := h.answers.ask(ctx, Scope{Guild: m.GuildID}, q, history)
	if err != nil {
		return "", err
	}
	if how == byThread && v.Answer.Abstained && !questionShaped(q) {
		// Chatter in a thread, not a question the knowledge base missed.
		return metrics.OutcomeSmallTalk, nil
	}
	v.Owner = m.Author.ID
	command := "mention"
	if how == byStudy {
		command = "auto"
	}
	v.RecordID = h.answers.feedback.record(ctx, asked{command: command, guild: m.GuildID, channel: m.ChannelID, userID: m.Author.ID}, v)
	h.answers.views.put(ctx, v)
	// The conversation is noted before the answer is sent, under the
	// question's ID (which the answer replies to): a follow-up may come
	// as soon as the answer shows.
	turns := h.convos.record(m.GuildID, history, q, v.Answer, answerPlace(m.ID), running)
	sent, err := s.ChannelMessageSendComplex(m.ChannelID, renderAnswer(v, 0).messageSend(m), discordgo.WithContext(ctx))
	if err != nil {
		return "", fmt.Errorf("send answer: %w", err)
	}
	if sent != nil && sent.ID != "" {
		h.convos.store(m.GuildID, turns, answerPlace(sent.ID))
		if h.studyThreads && running.id == "" && h.isStudyChannel(s, m.ChannelID) {
			h.openThread(ctx, s, m.ChannelID, sent.ID, q)
		}
	}
	h.log.Debug("answered a message", "message", m.ID, "channel", m.ChannelID, "how", int(how),
		"abstained", v.Answer.Abstained, "follow_up", v.FollowUp != "")
	return outcome(nil, v.Answer.Abstained), nil
}

// smallTalkReaction is govbot's whole answer to thanks, "ok", "lol"...
const smallTalkReaction = "👍"

// conversationOf returns the turns m follows up on (nil for a fresh
// question) and the running conversation m belongs to: its thread or DM
// (an empty place for a channel, where only replies continue).
func (h *messages) conversationOf(ctx context.Context, s *discordgo.Session, m *discordgo.Message, self string) ([]knowledge.Turn, place) {
	var running place
	var thread *discordgo.Channel
	if m.GuildID == "" {
		running = channelPlace(m.ChannelID)
	} else if ch := stateChannel(s, m.ChannelID); ch != nil && ch.IsThread() {
		running, thread = channelPlace(m.ChannelID), ch
	}
	if r := m.ReferencedMessage; r != nil && r.Author != nil && r.Author.ID == self {
		if t := h.turnsBefore(m.GuildID, r); t != nil {
			return t, running
		}
	}
	if running.id == "" {
		return nil, running
	}
	// A thread started from an answer has the answer's ID.
	t := h.convos.history(m.GuildID, running, answerPlace(m.ChannelID))
	if t == nil && thread != nil && h.ownThread(ctx, s, m.GuildID, thread, self) {
		t = h.convos.history(m.GuildID, answerPlace(m.ChannelID))
	}
	return t, running
}

// openThread opens a thread on an answer in a study channel, so that the
// conversation stays together; the thread has the answer's ID, and so its
// turns.
func (h *messages) openThread(ctx context.Context, s *discordgo.Session, channel, answer, question string) {
	name := truncate(withoutMentions(question), 100)
	if name == "" {
		name = "Follow-up questions"
	}
	if _, err := s.MessageThreadStartComplex(channel, answer, &discordgo.ThreadStart{Name: name, AutoArchiveDuration: 1440}, discordgo.WithContext(ctx)); err != nil {
		h.log.Warn("could not open a thread on an answer (needs Create Public Threads)", "channel", channel, "err", err.Error())
	}
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
	if i := strings.IndexAny(first, "'’"); i > 0 {
		first = first[:i] // what's, who's, where's
	}
	return slices.Contains(interrogatives, first)
}
