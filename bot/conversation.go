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
//   - every answer message, and the question message it answers (known
//     before the answer is sent): the turns that led to it. A reply to an
//     answer continues from that answer, so two people replying to one
//     answer branch apart and never see each other's questions; a reply to
//     an answer govbot no longer remembers (an /ask answer, or one from
//     before a restart) continues from the question and passages the
//     answer itself shows (turnOf);
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
	// ours caches whether a thread was started from (or by) one of
	// govbot's answers, for threads it learns of after a restart.
	ours *lru[bool]
}

func newConversations(now func() time.Time) *conversations {
	return &conversations{
		turns: newLRU[[]knowledge.Turn](convoSize, convoTTL, now),
		told:  newLRU[bool](convoSize, convoTTL, now),
		ours:  newLRU[bool](convoSize, convoTTL, now),
	}
}

// A place is where a conversation's turns are kept: after an answer (or
// the question it answered, the same turns), or in a thread or DM.
type place struct {
	kind byte // 'a': an answer or its question message; 'c': a thread or DM channel
	id   string
}

func answerPlace(id string) place  { return place{'a', id} }
func channelPlace(id string) place { return place{'c', id} }

// key scopes a place by its server ("" for DMs): IDs are unique across
// Discord, but a key that names its server can never be looked up from
// another one.
func (p place) key(guild string) string { return guild + "/" + string(p.kind) + "/" + p.id }

// history returns the turns of the first of places that has any, oldest
// first; nil when none has.
func (c *conversations) history(guild string, places ...place) []knowledge.Turn {
	for _, p := range places {
		if p.id == "" {
			continue
		}
		if t, ok := c.turns.Get(p.key(guild)); ok {
			return t
		}
	}
	return nil
}

// known reports whether govbot keeps turns at p.
func (c *conversations) known(guild string, p place) bool {
	_, ok := c.turns.Get(p.key(guild))
	return ok
}

// store keeps turns at every place given.
func (c *conversations) store(guild string, turns []knowledge.Turn, places ...place) {
	for _, p := range places {
		if p.id != "" {
			c.turns.Put(p.key(guild), turns)
		}
	}
}

// record adds the turn (question, answer) after prev, keeping the passages
// shown on the answer's first page, and stores the result at every place
// given.
func (c *conversations) record(guild string, prev []knowledge.Turn, question string, a knowledge.Answer, places ...place) []knowledge.Turn {
	t := knowledge.Turn{Question: question}
	for i, ci := range a.Citations {
		if i == askPageSize {
			break
		}
		t.Cited = append(t.Cited, ci.Passage.ID)
	}
	start := max(0, len(prev)+1-knowledge.MaxHistory)
	turns := make([]knowledge.Turn, 0, len(prev)+1-start)
	turns = append(append(turns, prev[start:]...), t)
	c.store(guild, turns, places...)
	return turns
}

// tellOnce reports whether the thread has not yet been told that govbot
// needs a mention there, and marks it told.
func (c *conversations) tellOnce(guild, thread string) bool {
	k := channelPlace(thread).key(guild)
	if _, ok := c.told.Get(k); ok {
		return false
	}
	c.told.Put(k, true)
	return true
}
