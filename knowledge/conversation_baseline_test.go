package knowledge_test

import (
	"context"
	"errors"
	"testing"

	"github.com/govbot-dev/govbot/knowledge"
)

// TestConversationsBaseline: what the bot did before issue 12.
func TestConversationsBaseline(t *testing.T) {
	eng := openEmbedded(t)
	ctx := context.Background()
	topic := ""
	s := playConversations(t, readConversations(t, "testdata/eval/conversations.jsonl"), func(q string, h []knowledge.Turn) (knowledge.Answer, bool) {
		if len(h) == 0 {
			topic = ""
		}
		ans, err := eng.Ask(ctx, q, knowledge.AskOptions{})
		if errors.Is(err, knowledge.ErrEmptyQuestion) {
			return knowledge.Answer{Abstained: true}, false
		}
		used := false
		if ans.Abstained && topic != "" {
			if a2, err := eng.Ask(ctx, topic+"\n"+q, knowledge.AskOptions{}); err == nil && !a2.Abstained {
				ans, used = a2, true
			}
		}
		if used {
			topic = topic + "\n" + q
		} else {
			topic = q
		}
		return ans, false
	})
	s.log(t)
}
