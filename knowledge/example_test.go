package knowledge_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/govbot-dev/govbot/knowledge"
)

// Open the embedded corpus and ask a question: the answer is a list of
// cited excerpts, best first.
func Example() {
	dir, err := os.MkdirTemp("", "govbot-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	eng, _, err := knowledge.Open(ctx, knowledge.Config{IndexDir: dir})
	if err != nil {
		log.Fatal(err)
	}
	defer eng.Close()

	ans, err := eng.Ask(ctx, "Who hosted NetMundial?", knowledge.AskOptions{Limit: 1})
	if err != nil {
		log.Fatal(err)
	}
	c := ans.Citations[0]
	fmt.Println(c.Source.Title)
	fmt.Println(c.Passage.ID)
	fmt.Println(c.Excerpt[c.Highlights[0].Start:c.Highlights[0].End])

	ans, _ = eng.Ask(ctx, "What is the boiling point of water?", knowledge.AskOptions{})
	fmt.Println("abstained:", ans.Abstained)
	// Output:
	// Diplomacy is the Point of China’s World Internet Conference
	// diplomacy-is-the-point#17
	// NetMundial
	// abstained: true
}
