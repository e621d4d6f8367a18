package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/bot"
	"github.com/govbot-dev/govbot/bot/discordtest"
	"github.com/govbot-dev/govbot/bot/feedback"
	"github.com/govbot-dev/govbot/bot/metrics"
)

const unansweredQuestion = "Who won the 1998 football world cup final?"

func openStore(t *testing.T) *feedback.Store {
	t.Helper()
	s, err := feedback.Open(context.Background(), feedback.Config{Dir: t.TempDir(), Retention: 90 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestVoteButtonsAndGaps(t *testing.T) {
	store := openStore(t)
	m := metrics.New(metrics.Options{})
	h := start(t, setup{botOpts: []bot.Option{bot.WithFeedback(store), bot.WithMetrics(m)}})
	ctx := ctxT(t)

	_, answer := h.ask(ctx, answeredQuestion, member)
	up, down := buttons(answer)["👍 Helpful"], buttons(answer)["👎 Not helpful"]
	if up == "" || down == "" || buttons(answer)["Show passage 1"] == "" {
		t.Fatalf("answer buttons %v; want 👍/👎 beside Show passage", buttons(answer))
	}
	// A classmate votes it down, twice: one vote per user per answer.
	for range 2 {
		ix, err := h.srv.ClickButton(ctx, answer, down, other)
		if err != nil {
			t.Fatal(err)
		}
		cb, thanks := h.final(ctx, ix)
		if !isEphemeral(cb) || !strings.Contains(thanks.Content, "Thanks") {
			t.Errorf("👎: ephemeral=%v %q; want private thanks", isEphemeral(cb), thanks.Content)
		}
	}
	// Paging keeps the vote buttons.
	ix, err := h.srv.ClickButton(ctx, answer, buttons(answer)["More sources ▸"], member)
	if err != nil {
		t.Fatal(err)
	}
	if _, page2 := h.final(ctx, ix); buttons(page2)["👍 Helpful"] != up {
		t.Errorf("page 2 buttons %v; want the same 👍", buttons(page2))
	}
	// Abstentions are recorded and can be voted on too.
	for _, who := range []discordtest.Member{member, other} {
		_, abst := h.ask(ctx, unansweredQuestion, who)
		if buttons(abst)["👎 Not helpful"] == "" {
			t.Errorf("abstention buttons %v; want 👍/👎", buttons(abst))
		}
	}
	// A mention is recorded as well.
	q, err := h.srv.PostMessage(ctx, mentionMessage(h, member, "what is cyber sovereignty?"))
	if err != nil {
		t.Fatal(err)
	}
	if r := h.waitReplyTo(ctx, q); buttons(r)["👍 Helpful"] == "" {
		t.Errorf("mention answer buttons %v; want 👍/👎", buttons(r))
	}

	// /kb gaps: the abstained question and the voted-down one.
	_, refused := h.kbCmd(ctx, member, "gaps")
	if !strings.Contains(refused.Content, "Manage Server") {
		t.Errorf("/kb gaps by a member: %q", refused.Content)
	}
	cb, gaps := h.kbCmd(ctx, admin, "gaps", discordtest.Option{Name: "days", Value: 7})
	text := embedText(gaps)
	if !isEphemeral(cb) || !strings.Contains(text, "last 7 day") ||
		!strings.Contains(text, "Who won the 1998 football world cup final?") || !strings.Contains(text, "asked 2 · abstained 2") ||
		!strings.Contains(strings.ToLower(text), "what is cyber sovereignty?") || !strings.Contains(text, "👎 1") {
		t.Errorf("/kb gaps:\n%s", text)
	}
	waitMetric(ctx, t, m.Handler(nil), `govbot_feedback_votes_total{vote="down"}`, 2)
	waitMetric(ctx, t, m.Handler(nil), `govbot_feedback_votes_total{vote="up"}`, 0)
}

// failingFeedback is a store whose disk has gone: every call fails as the
// real one does then.
type failingFeedback struct{}

func (failingFeedback) RecordAnswer(context.Context, feedback.Record) (int64, error) {
	return 0, fmt.Errorf("feedback record answer: %w: disk full", feedback.ErrUnavailable)
}
func (failingFeedback) Vote(context.Context, string, int64, string, bool) error {
	return fmt.Errorf("feedback vote: %w", feedback.ErrUnavailable)
}
func (failingFeedback) Gaps(context.Context, string, time.Time, int) ([]feedback.Gap, error) {
	return nil, fmt.Errorf("feedback gaps: %w", feedback.ErrUnavailable)
}

var _ bot.Feedback = failingFeedback{}

func TestAnswersContinueWhenFeedbackStorageFails(t *testing.T) {
	disabled := feedback.OpenOrDisabled(context.Background(), feedback.Config{Dir: filepath.Join(t.TempDir(), "\x00bad")})
	if disabled.Enabled() {
		t.Fatal("a store in an unusable directory is enabled")
	}
	for name, fb := range map[string]bot.Feedback{"failing writes": failingFeedback{}, "disabled store": disabled} {
		t.Run(name, func(t *testing.T) {
			h := start(t, setup{botOpts: []bot.Option{bot.WithFeedback(fb)}})
			ctx := ctxT(t)
			_, answer := h.ask(ctx, answeredQuestion, member)
			if !strings.Contains(embedText(answer), "[1]") {
				t.Fatalf("no answer while feedback fails:\n%s", embedText(answer))
			}
			if b := buttons(answer); b["👍 Helpful"] != "" || b["Show passage 1"] == "" {
				t.Errorf("buttons %v; want Show passage without 👍/👎 when the answer was not recorded", b)
			}
			_, gaps := h.kbCmd(ctx, admin, "gaps")
			if !strings.Contains(gaps.Content, "unavailable") {
				t.Errorf("/kb gaps with failing storage: %q", gaps.Content)
			}
		})
	}
}

// A vote on an answer whose record has been pruned says so politely.
func TestVoteOnAPrunedAnswer(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	store, err := feedback.Open(context.Background(), feedback.Config{Dir: t.TempDir(), Retention: time.Hour, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	h := start(t, setup{botOpts: []bot.Option{bot.WithFeedback(store)}})
	ctx := ctxT(t)
	_, answer := h.ask(ctx, answeredQuestion, member)
	mu.Lock()
	now = now.Add(2 * time.Hour)
	mu.Unlock()
	if n, err := store.Prune(ctx); err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v; want 1 answer pruned", n, err)
	}
	ix, err := h.srv.ClickButton(ctx, answer, buttons(answer)["👍 Helpful"], member)
	if err != nil {
		t.Fatal(err)
	}
	if _, reply := h.final(ctx, ix); !strings.Contains(reply.Content, "too old") {
		t.Errorf("vote on a pruned answer: %q", reply.Content)
	}
}

func mentionMessage(h *harness, from discordtest.Member, q string) *discordgo.Message {
	return &discordgo.Message{ChannelID: h.srv.ChannelID(), Author: &discordgo.User{ID: from.UserID, Username: from.Username},
		Content: "<@" + h.srv.BotUserID() + "> " + q}
}
