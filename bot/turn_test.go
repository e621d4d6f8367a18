package bot

import (
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/knowledge"
)

func TestTurnOfAnAnswer(t *testing.T) {
	q := "What was the *Wuzhen* Declaration? <@123456789012345678>"
	v := &view{ID: "V", Kind: kindAsk, Question: q, Answer: knowledge.Answer{Citations: []knowledge.Citation{
		{Rank: 1, Source: knowledge.Source{ID: "a", Title: "A"}, Passage: knowledge.Passage{ID: "a#6"}, Excerpt: "x"},
		{Rank: 2, Source: knowledge.Source{ID: "b", Title: "B"}, Passage: knowledge.Passage{ID: "b#10"}, Excerpt: "y"},
	}}}
	r := renderAnswer(v, 0)
	turn, ok := turnOf(&discordgo.Message{Embeds: r.Embeds})
	if !ok || turn.Question != "What was the *Wuzhen* Declaration? <@123456789012345678>" || len(turn.Cited) != 2 || turn.Cited[1] != "b#10" {
		t.Errorf("turnOf(answer) = %+v, %v", turn, ok)
	}
	abst := renderAnswer(&view{ID: "W", Kind: kindAsk, Question: "who?", Answer: knowledge.Answer{Abstained: true}}, 0)
	if turn, ok := turnOf(&discordgo.Message{Embeds: abst.Embeds}); ok {
		t.Errorf("turnOf(abstention) = %+v; want none", turn)
	}
	if _, ok := turnOf(&discordgo.Message{Content: "hello"}); ok {
		t.Error("turnOf(plain message) found a turn")
	}
}
