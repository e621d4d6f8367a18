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
	first := c.record("g1", nil, "What was the Wuzhen Declaration?", cite("doc#1", "doc#2"), "answer1")
	if len(first) != 1 || first[0].Cited[1] != "doc#2" {
		t.Fatalf("record = %+v", first)
	}
	// Two people reply to the same answer: each branch keeps its own turns.
	a := c.record("g1", c.history("g1", "answer1"), "who drafted it?", cite("doc#3"), "answerA")
	b := c.record("g1", c.history("g1", "answer1"), "when?", cite("doc#4"), "answerB")
	if a[1].Question != "who drafted it?" || b[1].Question != "when?" || len(c.history("g1", "answer1")) != 1 {
		t.Errorf("branches mixed: %+v / %+v / %+v", a, b, c.history("g1", "answer1"))
	}
	// Another server never sees them, even with the same place ID.
	if h := c.history("g2", "answer1", "answerA"); h != nil {
		t.Errorf("history in another server = %+v", h)
	}
	if h := c.history("", "answer1"); h != nil {
		t.Errorf("history in a DM = %+v", h)
	}
	// At most knowledge.MaxHistory turns are kept.
	h := first
	for i := range 10 {
		h = c.record("g1", h, fmt.Sprint("q", i), cite(), "thread")
	}
	if len(h) != knowledge.MaxHistory || h[len(h)-1].Question != "q9" {
		t.Errorf("after 11 turns: %d kept, last %q", len(h), h[len(h)-1].Question)
	}
	// Expiry after inactivity.
	now = now.Add(convoTTL + time.Second)
	if h := c.history("g1", "thread"); h != nil {
		t.Errorf("history after %v idle = %+v", convoTTL, h)
	}
	if !c.tellOnce("g1", "t1") || c.tellOnce("g1", "t1") || !c.tellOnce("g2", "t1") {
		t.Error("tellOnce is not once per thread and server")
	}
}
