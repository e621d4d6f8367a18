package feedback_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/govbot-dev/govbot/bot/feedback"
)

// The bot's pattern: open once (degrading rather than failing), record
// every answer, vote from the buttons, list gaps for /kb gaps. Storage
// errors never stop an answer.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "govbot-feedback")
	defer os.RemoveAll(dir)

	store := feedback.OpenOrDisabled(ctx, feedback.Config{Dir: dir, Retention: 90 * 24 * time.Hour, Logger: slog.Default()})
	defer store.Close()

	// After each answer (ask, mention, search):
	id, err := store.RecordAnswer(ctx, feedback.Record{
		Command: "ask", GuildID: "1", ChannelID: "2", UserID: "3",
		Question: "What is the WIC?", Abstained: true,
	})
	if errors.Is(err, feedback.ErrUnavailable) {
		id = 0 // answer anyway, without 👍/👎 buttons
	}

	// From a 👎 button carrying id:
	if err := store.Vote(ctx, "1", id, "4", false); errors.Is(err, feedback.ErrNotFound) {
		fmt.Println("too old to vote on")
	}

	// /kb gaps 7:
	gaps, _ := store.Gaps(ctx, "1", time.Now().AddDate(0, 0, -7), 10)
	for _, g := range gaps {
		fmt.Printf("%q asked %d, abstained %d, 👎 %d\n", g.Question, g.Asked, g.Abstained, g.Down)
	}
	// Output:
	// "What is the WIC?" asked 1, abstained 1, 👎 1
}
