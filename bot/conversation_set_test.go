package bot_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/bot"
	"github.com/govbot-dev/govbot/bot/discordtest"
)

// The blind conversation set (knowledge/testdata/eval/conversations.jsonl,
// written by someone who had not seen the engine) played as Discord users
// would, in each place a conversation happens, through the emulator and
// the real discordgo client:
//
//	go test ./bot -run TestConversationSet -v
//
// Under the race detector a third of the conversations are played (the
// figures are then logged, not checked).

type convTurn struct {
	Q         string   `json:"q"`
	Answers   []string `json:"answers"`
	SmallTalk bool     `json:"smalltalk"`
	OOS       bool     `json:"oos"`
}

type conv struct {
	ID    string     `json:"id"`
	Kind  string     `json:"kind"`
	Turns []convTurn `json:"turns"`
}

func readConvs(t *testing.T) []conv {
	t.Helper()
	f, err := os.Open("../knowledge/testdata/eval/conversations.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []conv
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c conv
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// A mode is a place where a conversation happens.
type mode struct {
	name    string
	cfg     bot.Config
	thread  bool // later turns in a thread started from the first answer
	mention bool // later turns mention the bot (no Message Content intent)
	dm      bool
}

var modes = []mode{
	{name: "reply"},
	{name: "thread", cfg: bot.Config{MessageContent: true}, thread: true},
	{name: "thread-mention", thread: true, mention: true},
	{name: "dm", dm: true},
}

type setScores struct {
	followups, followupHits int
	switches, switchHits    int
	smallTalk, quiet        int
	oos, oosAbstained       int
}

func (s setScores) String() string {
	return fmt.Sprintf("follow-ups %d/%d=%.3f switches %d/%d=%.3f small talk quiet %d/%d out of scope abstained %d/%d",
		s.followupHits, s.followups, frac(s.followupHits, s.followups), s.switchHits, s.switches, frac(s.switchHits, s.switches),
		s.quiet, s.smallTalk, s.oosAbstained, s.oos)
}

func frac(a, b int) float64 { return float64(a) / float64(max(b, 1)) }

func TestConversationSet(t *testing.T) {
	convs := readConvs(t)
	if raceEnabled {
		var some []conv
		for i, c := range convs {
			if i%3 == 0 {
				some = append(some, c)
			}
		}
		convs = some
	}
	for _, md := range modes {
		t.Run(md.name, func(t *testing.T) {
			h := start(t, setup{cfg: md.cfg})
			var s setScores
			for i, c := range convs {
				playConversation(t, h, md, i, c, &s)
			}
			t.Logf("%s: %s", md.name, s)
			if raceEnabled {
				return
			}
			if frac(s.followupHits, s.followups) < 0.8 || frac(s.switchHits, s.switches) < 0.8 || s.quiet != s.smallTalk {
				t.Errorf("%s: %s; want follow-ups and switches at least 0.80, small talk always quiet", md.name, s)
			}
		})
	}
}

// playConversation plays c as member number i, in its own channel or DM.
func playConversation(t *testing.T, h *harness, md mode, i int, c conv, s *setScores) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	user := &discordgo.User{ID: fmt.Sprint(1185000000000100000 + i), Username: "student" + c.ID}
	channel := fmt.Sprint(1185000000000200000 + i)
	if md.dm {
		channel = h.srv.DMChannel(user.ID)
	}
	var last *discordgo.Message // the bot's previous answer
	for ti, turn := range c.Turns {
		content, ref, where := turn.Q, (*discordgo.Message)(nil), channel
		switch {
		case md.dm:
		case ti == 0:
			content = h.mention(turn.Q)
		case md.thread:
			if ti == 1 {
				if _, err := h.srv.StartThread(ctx, channel, last.ID, c.ID, user.ID); err != nil {
					t.Fatalf("%s: start a thread: %v", c.ID, err)
				}
				if md.mention { // a user reads the notice, then mentions the bot
					if _, err := h.srv.WaitMessage(ctx, last.ID, func(*discordgo.Message) bool { return true }); err != nil {
						t.Fatalf("%s: no notice in the thread: %v", c.ID, err)
					}
				}
			}
			where = last.ID // the thread has the first answer's ID
			if ti > 1 {
				where = last.ChannelID
			}
			if md.mention {
				content = h.mention(turn.Q)
			}
		default:
			ref = last
		}
		m := &discordgo.Message{ChannelID: where, Author: user, Content: content}
		if ref != nil {
			m.MessageReference = &discordgo.MessageReference{MessageID: ref.ID, ChannelID: ref.ChannelID}
		}
		posted, err := h.srv.PostMessage(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		if turn.SmallTalk {
			s.smallTalk++
			if waitReaction(h.srv, posted.ID) && h.quiet(where, posted) {
				s.quiet++
			} else {
				t.Logf("%s %s: small talk %q not quiet", md.name, c.ID, turn.Q)
			}
			continue
		}
		got, err := h.srv.WaitMessage(ctx, where, func(r *discordgo.Message) bool {
			return r.MessageReference != nil && r.MessageReference.MessageID == posted.ID
		})
		if err != nil {
			t.Errorf("%s %s: no answer to %q: %v", md.name, c.ID, turn.Q, err)
			return
		}
		last = got
		hit := answers(got, turn.Answers)
		switch {
		case turn.OOS:
			s.oos++
			if strings.Contains(embedText(got), "couldn't find") {
				s.oosAbstained++
			} else {
				t.Logf("%s %s: out of scope %q answered", md.name, c.ID, turn.Q)
			}
		case ti == 0:
		case c.Kind == "switch":
			s.switches++
			if hit {
				s.switchHits++
			} else {
				t.Logf("%s %s: switch %q missed", md.name, c.ID, turn.Q)
			}
		default:
			s.followups++
			if hit {
				s.followupHits++
			} else {
				t.Logf("%s %s: follow-up %q missed", md.name, c.ID, turn.Q)
				if os.Getenv("CONVO_DEBUG") != "" {
					t.Logf("%s", embedText(got))
				}
			}
		}
	}
}

// waitReaction waits up to 10 s for the bot's reaction on a message.
func waitReaction(srv *discordtest.Server, id string) bool {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if len(srv.Reactions(id)) > 0 {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}
