package bot

import (
	"time"

	"github.com/govbot-dev/govbot/knowledge"
)

// Conversations. A follow-up is a reply to one of govbot's answers, a
// message in a thread started from (or by) one of its answers, or a message
// in a DM with it. Each conversation's recent turns are kept in memory,
// keyed by the server and the place:
//
//   - every answer message: the turns that led to it. A reply to an answer
//     continues from that answer, so two people replying to one answer
//     branch apart and never see each other's questions;
//   - a thread: its running conversation. A thread started from an answer
//     has the answer's ID, so it starts from that answer's turns;
//   - a DM channel: its running conversation (server "").
//
// State is bounded (knowledge.MaxHistory turns per conversation,
// convoSize places, each dropped convoTTL after it was last used) and lost
// on restart, which only makes the next follow-up a fresh question.

// conversations is safe for concurrent use. Stored slices are never
// modified: each new turn makes a new slice.
type conversations struct {
	turns *lru[[]knowledge.Turn]
	// told remembers the threads where govbot said that it needs a
	// mention to read messages (without the Message Content intent).
	told *lru[bool]
}

func newConversations(now func() time.Time) *conversations {
	return &conversations{
		turns: newLRU[[]knowledge.Turn](convoSize, convoTTL, now),
		told:  newLRU[bool](convoSize, convoTTL, now),
	}
}

// convoKey scopes a place by its server ("" for DMs): IDs are unique
// across Discord, but a key that names its server can never be looked up
// from another one.
func convoKey(guild, place string) string { return guild + "/" + place }

// history returns the turns of the first of places that has any, oldest
// first; nil when none has.
func (c *conversations) history(guild string, places ...string) []knowledge.Turn {
	for _, p := range places {
		if p == "" {
			continue
		}
		if t, ok := c.turns.Get(convoKey(guild, p)); ok {
			return t
		}
	}
	return nil
}

// known reports whether govbot has a conversation at place.
func (c *conversations) known(guild, place string) bool {
	_, ok := c.turns.Get(convoKey(guild, place))
	return ok
}

// record adds the turn (question, answer) after prev and stores the
// result under every place given.
func (c *conversations) record(guild string, prev []knowledge.Turn, question string, a knowledge.Answer, places ...string) []knowledge.Turn {
	t := knowledge.Turn{Question: question}
	for _, ci := range a.Citations {
		t.Cited = append(t.Cited, ci.Passage.ID)
	}
	start := max(0, len(prev)+1-knowledge.MaxHistory)
	turns := make([]knowledge.Turn, 0, len(prev)+1-start)
	turns = append(append(turns, prev[start:]...), t)
	for _, p := range places {
		if p != "" {
			c.turns.Put(convoKey(guild, p), turns)
		}
	}
	return turns
}

// tellOnce reports whether the thread has not yet been told that govbot
// needs a mention there, and marks it told.
func (c *conversations) tellOnce(guild, thread string) bool {
	k := convoKey(guild, thread)
	if _, ok := c.told.Get(k); ok {
		return false
	}
	c.told.Put(k, true)
	return true
}
