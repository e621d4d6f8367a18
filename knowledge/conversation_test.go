package knowledge_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/govbot-dev/govbot/knowledge"
)

// conversation is one line of testdata/eval/conversations.jsonl: two or
// three turns, each with gold phrases (verbatim from the corpus), written
// blind by someone who had not seen the engine.
type conversation struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"` // followup, switch, smalltalk, oos_followup
	Turns []struct {
		Q         string   `json:"q"`
		Answers   []string `json:"answers"`
		SmallTalk bool     `json:"smalltalk"`
		OOS       bool     `json:"oos"`
	} `json:"turns"`
}

func readConversations(t *testing.T, path string) []conversation {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []conversation
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c conversation
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, c)
	}
	return out
}

// hitAt3 reports whether one of the first three excerpts contains a gold phrase.
func hitAt3(ans knowledge.Answer, golds []string) bool {
	for i, c := range ans.Citations {
		if i == 3 {
			break
		}
		ex := normEval(c.Excerpt)
		for _, g := range golds {
			if strings.Contains(ex, normEval(g)) {
				return true
			}
		}
	}
	return false
}

// conversationScores is what the conversation set measures.
type conversationScores struct {
	followups, followupHits int // turns after the first of followup conversations
	firsts, firstHits       int // first turns of every conversation
	switches, switchHits    int // second turns of switch conversations
	smallTalk, quiet        int
	oos, oosAbstained       int
}

// playConversations plays every conversation through ask, which gets the
// history of the conversation so far, as a chat would.
func playConversations(t *testing.T, convs []conversation, ask func(q string, history []knowledge.Turn) (knowledge.Answer, bool)) conversationScores {
	var s conversationScores
	for _, c := range convs {
		var history []knowledge.Turn
		for i, turn := range c.Turns {
			ans, quiet := ask(turn.Q, history)
			switch {
			case turn.SmallTalk:
				s.smallTalk++
				if quiet {
					s.quiet++
				} else {
					t.Logf("%s: small talk %q answered (abstained=%v)", c.ID, turn.Q, ans.Abstained)
				}
				continue
			case turn.OOS:
				s.oos++
				if ans.Abstained || quiet {
					s.oosAbstained++
				} else {
					t.Logf("%s: out of scope %q answered: %.80q", c.ID, turn.Q, ans.Citations[0].Excerpt)
				}
			case i == 0:
				s.firsts++
				if hitAt3(ans, turn.Answers) {
					s.firstHits++
				}
			case c.Kind == "switch":
				s.switches++
				if hitAt3(ans, turn.Answers) {
					s.switchHits++
				} else {
					t.Logf("%s: switch %q missed (abstained=%v, context %q)", c.ID, turn.Q, ans.Abstained, ans.FollowUp)
				}
			default:
				s.followups++
				if hitAt3(ans, turn.Answers) {
					s.followupHits++
				} else {
					first := ""
					if len(ans.Citations) > 0 {
						first = ans.Citations[0].Excerpt
					}
					t.Logf("%s: follow-up %q missed (abstained=%v, context %q): %.100q", c.ID, turn.Q, ans.Abstained, ans.FollowUp, first)
				}
			}
			var cited []string
			for _, ci := range ans.Citations {
				cited = append(cited, ci.Passage.ID)
			}
			history = append(history, knowledge.Turn{Question: turn.Q, Cited: cited})
		}
	}
	return s
}

func ratio(a, b int) float64 { return float64(a) / float64(max(b, 1)) }

func (s conversationScores) log(t *testing.T) {
	t.Logf("first turns %d/%d=%.3f follow-ups %d/%d=%.3f switches %d/%d=%.3f small talk quiet %d/%d out-of-scope abstained %d/%d",
		s.firstHits, s.firsts, ratio(s.firstHits, s.firsts), s.followupHits, s.followups, ratio(s.followupHits, s.followups),
		s.switchHits, s.switches, ratio(s.switchHits, s.switches), s.quiet, s.smallTalk, s.oosAbstained, s.oos)
}

// TestConversations plays the blind conversation set through Ask with the
// conversation's history, as govbot chat and the Discord bot do.
func TestConversations(t *testing.T) {
	eng := openEmbedded(t)
	ctx := context.Background()
	s := playConversations(t, readConversations(t, "testdata/eval/conversations.jsonl"), func(q string, h []knowledge.Turn) (knowledge.Answer, bool) {
		if knowledge.IsSmallTalk(q) {
			return knowledge.Answer{}, true
		}
		ans, err := eng.Ask(ctx, q, knowledge.AskOptions{History: h})
		if err != nil {
			t.Errorf("Ask(%q): %v", q, err)
		}
		return ans, false
	})
	s.log(t)
}
