package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/govbot-dev/govbot/knowledge"
)

// conversation keeps the turns of one conversation, bounded to the
// engine's knowledge.MaxHistory, oldest first.
type conversation struct{ turns []knowledge.Turn }

// ask answers question as the next turn and remembers it.
func (c *conversation) ask(ctx context.Context, eng *knowledge.Engine, question string, limit int) (knowledge.Answer, error) {
	ans, err := eng.Ask(ctx, question, knowledge.AskOptions{Limit: limit, History: c.turns})
	if err != nil {
		return ans, err
	}
	c.remember(question, ans)
	return ans, nil
}

func (c *conversation) remember(question string, ans knowledge.Answer) {
	t := knowledge.Turn{Question: question}
	for _, ci := range ans.Citations {
		t.Cited = append(t.Cited, ci.Passage.ID)
	}
	c.turns = append(c.turns, t)
	if n := len(c.turns); n > knowledge.MaxHistory {
		c.turns = append([]knowledge.Turn(nil), c.turns[n-knowledge.MaxHistory:]...)
	}
}

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, "; ") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

const chatHelp = `Ask a question; follow-ups ("who drafted it?", "when?") are read with the
conversation so far. /new starts a new conversation, /quit (or Ctrl-D) ends.
`

// runChat is an interactive conversation: one question per line from
// stdin, each answered with the conversation so far as context.
func runChat(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("chat", stderr)
	limit := fs.Int("n", knowledge.DefaultLimit, "most citations to show")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if *limit < 1 || *limit > 20 {
		return usageError{"chat: -n must be between 1 and 20"}
	}
	eng, _, err := openEngine(ctx, getenv, stderr, nil, false)
	if err != nil {
		return err
	}
	defer eng.Close()
	tty := isTerminal(stdout)
	if tty {
		io.WriteString(stdout, chatHelp)
	}
	lines := make(chan string)
	scanErr := make(chan error, 1)
	go func() { // a blocked read must not keep Ctrl-C from ending the chat
		defer close(lines)
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 0, 4096), 64<<10)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		scanErr <- sc.Err()
	}()
	var conv conversation
	for {
		if tty {
			io.WriteString(stdout, "\n> ")
		}
		var line string
		var ok bool
		select {
		case <-ctx.Done():
			return nil
		case line, ok = <-lines:
		}
		if !ok {
			select {
			case err := <-scanErr:
				if err != nil {
					return fmt.Errorf("chat: read: %w", err)
				}
			default:
			}
			return nil
		}
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			continue
		case line == "/quit" || line == "/exit":
			return nil
		case line == "/new":
			conv = conversation{}
			fmt.Fprintln(stdout, "(a new conversation)")
			continue
		case knowledge.IsSmallTalk(line):
			fmt.Fprintln(stdout, "🙂")
			continue
		}
		ans, err := conv.ask(ctx, eng, line, *limit)
		switch {
		case errors.Is(err, knowledge.ErrEmptyQuestion), errors.Is(err, knowledge.ErrQuestionTooLong):
			fmt.Fprintf(stdout, "%v\n", err)
			continue
		case err != nil:
			return fmt.Errorf("chat: %w", err)
		}
		if ans.FollowUp != "" {
			fmt.Fprintf(stdout, "(read together with: %s)\n", ans.FollowUp)
		}
		if err := renderAnswer(stdout, ans, tty && getenv("NO_COLOR") == ""); err != nil {
			return err
		}
		if !tty {
			fmt.Fprintln(stdout) // answers apart in a transcript
		}
	}
}
