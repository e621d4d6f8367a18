package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/bot"
	"github.com/govbot-dev/govbot/bot/discordtest"
)

// Conversations end to end: replies, threads (with and without the
// Message Content intent) and DMs, through the emulator and the real
// discordgo client, over the real engine.

const (
	firstQuestion = "What was the Wuzhen Declaration?"
	followUp      = "when did people get it?"
)

// followUpGold is in the passage that says when the draft arrived.
var followUpGold = []string{"slipped under their doors", "11p.m. on November 20"}

// post posts content as member in channel, replying to ref when it is not nil.
func (h *harness) post(ctx context.Context, channel, content string, ref *discordgo.Message) *discordgo.Message {
	h.t.Helper()
	m := &discordgo.Message{ChannelID: channel, Author: &discordgo.User{ID: member.UserID, Username: member.Username}, Content: content}
	if ref != nil {
		m.MessageReference = &discordgo.MessageReference{MessageID: ref.ID, ChannelID: ref.ChannelID}
	}
	p, err := h.srv.PostMessage(ctx, m)
	if err != nil {
		h.t.Fatal(err)
	}
	return p
}

func (h *harness) mention(text string) string { return "<@" + h.srv.BotUserID() + "> " + text }

// excerpts are the quoted excerpts of an answer, as plain text.
func excerpts(m *discordgo.Message) []string {
	var out []string
	for _, e := range m.Embeds {
		for _, line := range strings.Split(e.Description, "\n") {
			if rest, ok := strings.CutPrefix(line, "> "); ok {
				out = append(out, plainText(rest))
			}
		}
	}
	return out
}

// plainText undoes the markdown govbot puts on an excerpt.
func plainText(s string) string {
	s = strings.ReplaceAll(s, "**", "")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return strings.Join(strings.Fields(strings.ToLower(strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`).Replace(b.String()))), " ")
}

// answers reports whether one of the first three excerpts has a gold phrase.
func answers(m *discordgo.Message, golds []string) bool {
	ex := excerpts(m)
	for i, e := range ex {
		if i == 3 {
			break
		}
		for _, g := range golds {
			if strings.Contains(e, plainText(g)) {
				return true
			}
		}
	}
	return false
}

// quiet waits a moment and reports whether the bot sent nothing in
// channel after m.
func (h *harness) quiet(channel string, m *discordgo.Message) bool {
	time.Sleep(300 * time.Millisecond)
	for _, x := range h.srv.Messages(channel) {
		if x.Author != nil && x.Author.ID == h.srv.BotUserID() && snowflakeAfter(x.ID, m.ID) {
			return false
		}
	}
	return true
}

func snowflakeAfter(a, b string) bool {
	if len(a) != len(b) {
		return len(a) > len(b)
	}
	return a > b
}

func TestRepliesAreFollowUps(t *testing.T) {
	h := start(t, setup{})
	ctx := ctxT(t)
	q := h.post(ctx, h.srv.ChannelID(), h.mention(firstQuestion), nil)
	answer := h.waitReplyTo(ctx, q)
	// Two people reply to the same answer: each is read with it, and
	// neither with the other's question.
	f := h.post(ctx, h.srv.ChannelID(), followUp, answer)
	got := h.waitReplyTo(ctx, f)
	if !answers(got, followUpGold) || !strings.Contains(embedText(got), "Read together with the earlier question") {
		t.Errorf("reply %q to the answer:\n%s", followUp, embedText(got))
	}
	g := h.post(ctx, h.srv.ChannelID(), "Who is Zhao Houlin?", answer)
	if got := h.waitReplyTo(ctx, g); strings.Contains(embedText(got), "Read together") || !strings.Contains(embedText(got), "Zhao Houlin") {
		t.Errorf("a change of topic in a reply was read with the earlier question:\n%s", embedText(got))
	}
	// A reply to an /ask answer continues it too: the answer itself says
	// what was asked and cited.
	_, slash := h.ask(ctx, "Who proposed the International Code of Conduct for Information Security?", member)
	r := h.post(ctx, slash.ChannelID, "to whom?", slash)
	if got := h.waitReplyTo(ctx, r); !answers(got, []string{"to the United Nations"}) {
		t.Errorf("follow-up to an /ask answer:\n%s", embedText(got))
	}
}

func TestSmallTalkGetsAReactionOnly(t *testing.T) {
	h := start(t, setup{})
	ctx := ctxT(t)
	q := h.post(ctx, h.srv.ChannelID(), h.mention(firstQuestion), nil)
	answer := h.waitReplyTo(ctx, q)
	before := len(h.kb.questions())
	for _, text := range []string{"thanks!", "lol", "👍", "ok cool"} {
		m := h.post(ctx, h.srv.ChannelID(), text, answer)
		deadline := time.Now().Add(10 * time.Second)
		for len(h.srv.Reactions(m.ID)) == 0 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if r := h.srv.Reactions(m.ID); !slices.Equal(r, []string{"👍"}) {
			t.Errorf("%q: reactions %q; want 👍", text, r)
		}
		if !h.quiet(h.srv.ChannelID(), m) {
			t.Errorf("%q got a message", text)
		}
	}
	m := h.post(ctx, h.srv.ChannelID(), h.mention("hi"), nil)
	if !h.quiet(h.srv.ChannelID(), m) {
		t.Error("a greeting got a message")
	}
	if n := len(h.kb.questions()); n != before {
		t.Errorf("small talk was searched: %q", h.kb.questions()[before:])
	}
	// A follow-up the knowledge base does not cover is still said so.
	oos := h.post(ctx, h.srv.ChannelID(), "how old is he?", h.waitReplyTo(ctx, h.post(ctx, h.srv.ChannelID(), h.mention("Who is Lu Wei?"), nil)))
	if got := h.waitReplyTo(ctx, oos); !strings.Contains(embedText(got), "couldn't find") {
		t.Errorf("uncovered follow-up:\n%s", embedText(got))
	}
}

func TestThreadWithMessageContentReadsPlainFollowUps(t *testing.T) {
	h := start(t, setup{cfg: bot.Config{MessageContent: true}})
	ctx := ctxT(t)
	if h.srv.Intents()&discordgo.IntentsMessageContent == 0 {
		t.Fatal("MessageContent: the intent was not asked for")
	}
	q := h.post(ctx, h.srv.ChannelID(), h.mention(firstQuestion), nil)
	answer := h.waitReplyTo(ctx, q)
	th, err := h.srv.StartThread(ctx, h.srv.ChannelID(), answer.ID, "declaration", member.UserID)
	if err != nil {
		t.Fatal(err)
	}
	f := h.post(ctx, th.ID, followUp, nil)
	got := h.waitReplyTo(ctx, f)
	if got.ChannelID != th.ID || !answers(got, followUpGold) {
		t.Errorf("plain follow-up in the thread (channel %s):\n%s", got.ChannelID, embedText(got))
	}
	// Thanks and chatter stay quiet; a plain message outside the thread is
	// nobody's business.
	for _, text := range []string{"thanks!", "I see, that is interesting stuff"} {
		if m := h.post(ctx, th.ID, text, nil); !h.quiet(th.ID, m) {
			t.Errorf("%q in the thread got a message", text)
		}
	}
	if m := h.post(ctx, h.srv.ChannelID(), "what was it again?", nil); !h.quiet(h.srv.ChannelID(), m) {
		t.Error("a plain message in the channel was answered")
	}
}

func TestThreadWithoutMessageContentAsksForAMention(t *testing.T) {
	h := start(t, setup{})
	ctx := ctxT(t)
	q := h.post(ctx, h.srv.ChannelID(), h.mention(firstQuestion), nil)
	answer := h.waitReplyTo(ctx, q)
	th, err := h.srv.StartThread(ctx, h.srv.ChannelID(), answer.ID, "declaration", member.UserID)
	if err != nil {
		t.Fatal(err)
	}
	notice, err := h.srv.WaitMessage(ctx, th.ID, func(m *discordgo.Message) bool { return strings.Contains(m.Content, "mention") })
	if err != nil {
		t.Fatalf("no notice in the thread: %v", err)
	}
	h.post(ctx, th.ID, "so who drafted it", nil) // arrives empty: no intent
	f := h.post(ctx, th.ID, h.mention(followUp), nil)
	got := h.waitReplyTo(ctx, f)
	if !answers(got, followUpGold) {
		t.Errorf("mention in the thread:\n%s", embedText(got))
	}
	n := 0
	for _, m := range h.srv.Messages(th.ID) {
		if m.Author.ID == h.srv.BotUserID() && m.Content == notice.Content {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the notice was given %d times; want once", n)
	}
}

func TestDMIsAConversation(t *testing.T) {
	h := start(t, setup{})
	ctx := ctxT(t)
	dm := h.srv.DMChannel(member.UserID)
	q := h.post(ctx, dm, firstQuestion, nil)
	if got := h.waitReplyTo(ctx, q); !strings.Contains(embedText(got), "[1]") {
		t.Fatalf("DM question:\n%s", embedText(got))
	}
	f := h.post(ctx, dm, followUp, nil)
	if got := h.waitReplyTo(ctx, f); !answers(got, followUpGold) {
		t.Errorf("DM follow-up:\n%s", embedText(got))
	}
	// Another user's DM is another conversation.
	other := &discordgo.Message{ChannelID: h.srv.DMChannel(other.UserID), Author: &discordgo.User{ID: other.UserID}, Content: "why?"}
	p, err := h.srv.PostMessage(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	if got := h.waitReplyTo(ctx, p); strings.Contains(embedText(got), "Read together") {
		t.Errorf("another user's DM continued this conversation:\n%s", embedText(got))
	}
}

func TestStudyThreadsOpenAThreadOnTheAnswer(t *testing.T) {
	srv := discordtest.NewTest(t, discordtest.Options{AckTimeout: loadedAckTimeout})
	h := start(t, setup{srv: srv, cfg: bot.Config{StudyChannelIDs: []string{srv.ChannelID()}, StudyAutoAnswer: true, StudyThreads: true}})
	ctx := ctxT(t)
	q := h.post(ctx, srv.ChannelID(), firstQuestion, nil)
	answer := h.waitReplyTo(ctx, q)
	deadline := time.Now().Add(10 * time.Second)
	for len(srv.Threads()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	ths := srv.Threads()
	if len(ths) != 1 || ths[0].ID != answer.ID || ths[0].OwnerID != srv.BotUserID() {
		t.Fatalf("threads %+v; want one on the answer %s", ths, answer.ID)
	}
	f := h.post(ctx, answer.ID, followUp, nil)
	if got := h.waitReplyTo(ctx, f); !answers(got, followUpGold) {
		t.Errorf("follow-up in the study thread:\n%s", embedText(got))
	}
}
