package bot

import (
	"fmt"
	"testing"
	"time"

	"github.com/govbot-dev/govbot/knowledge"
)

func TestConversationsAreScopedAndBounded(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	c := newConversations(func() time.Time { return now })
	cite := func(ids ...string) knowledge.Answer {
		var a knowledge.Answer
		for _, id := range ids {
			a.Citations = append(a.Citations, knowledge.Citation{Passage: knowledge.Passage{ID: id}})
		}
		return a
	}
	a1 := answerPlace("answer1")
	first := c.record("g1", nil, "What was the Wuzhen Declaration?", cite("doc#1", "doc#2", "doc#3", "doc#4"), a1)
	if len(first) != 1 || len(first[0].Cited) != askPageSize || first[0].Cited[1] != "doc#2" {
		t.Fatalf("record = %+v; want the %d passages of the first page", first, askPageSize)
	}
	// Two people reply to the same answer: each branch keeps its own turns.
	a := c.record("g1", c.history("g1", a1), "who drafted it?", cite("doc#3"), answerPlace("answerA"))
	b := c.record("g1", c.history("g1", a1), "when?", cite("doc#4"), answerPlace("answerB"))
	if a[1].Question != "who drafted it?" || b[1].Question != "when?" || len(c.history("g1", a1)) != 1 {
		t.Errorf("branches mixed: %+v / %+v / %+v", a, b, c.history("g1", a1))
	}
	// Another server never sees them, even with the same place ID; nor
	// does a thread or DM that happens to have that ID.
	if h := c.history("g2", a1, answerPlace("answerA")); h != nil {
		t.Errorf("history in another server = %+v", h)
	}
	if h := c.history("", a1); h != nil {
		t.Errorf("history in a DM = %+v", h)
	}
	if c.known("g1", channelPlace("answer1")) {
		t.Error("an answer's turns are found as a thread's")
	}
	// At most knowledge.MaxHistory turns are kept.
	h := first
	for i := range 10 {
		h = c.record("g1", h, fmt.Sprint("q", i), cite(), channelPlace("thread"))
	}
	if len(h) != knowledge.MaxHistory || h[len(h)-1].Question != "q9" {
		t.Errorf("after 11 turns: %d kept, last %q", len(h), h[len(h)-1].Question)
	}
	// Expiry after inactivity.
	now = now.Add(convoTTL + time.Second)
	if h := c.history("g1", channelPlace("thread")); h != nil {
		t.Errorf("history after %v idle = %+v", convoTTL, h)
	}
	if !c.tellOnce("g1", "t1") || c.tellOnce("g1", "t1") || !c.tellOnce("g2", "t1") {
		t.Error("tellOnce is not once per thread and server")
	}
}
