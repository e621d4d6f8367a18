// Command govbot answers questions about internet governance with cited
// excerpts from its knowledge base, in a terminal or as a Discord bot.
//
//	govbot ask [--json] QUESTION      answer a question
//	govbot ask --json -               answer questions from stdin, one JSON line each
//	govbot chat                       a conversation: follow-ups read in context
//	govbot search [--json] [-n N] Q   ranked passages for a query
//	govbot sources [--json]           list the documents
//	govbot index                      build or rebuild the index
//	govbot add FILE|URL [--guild ID]  add a document (or a web page) to the base or a server
//	govbot remove DOC [--guild ID]    remove a document (in a server: hide a base one)
//	govbot restore DOC --guild ID     show a hidden base document again
//	govbot list [--guild ID]          the documents of the base or of a server
//	govbot serve                      run the Discord bot
//	govbot report [--since 30d]       questions abstained on or voted down
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/joho/godotenv"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// .env is optional; variables already set in the environment win.
	if err := godotenv.Load(); err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(os.Stderr, "govbot: .env: %v\n", err)
		os.Exit(1)
	}
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(os.Stderr, "govbot: %v\n\n%s", err, usage)
			os.Exit(2)
		}
		fmt.Fprintf(os.Stderr, "govbot: %v\n", err)
		os.Exit(1)
	}
}

const usage = `Usage:
  govbot ask [--json] [--guild ID] [--after EARLIER]... QUESTION
                                      answer a question with cited excerpts (as a
                                      follow-up of the --after questions, oldest first;
                                      as a server would, with --guild)
  govbot ask --json -                 answer questions read one a line from standard input,
                                      one JSON object a line, from one opened index
  govbot chat                         a conversation, one question per line; follow-ups
                                      ("who drafted it?") are read with the earlier turns
  govbot search [--json] [-n N] [--guild ID] QUERY
                                      ranked passages for a query
  govbot sources [--json]             list the documents of the knowledge base
  govbot index [--force] [--guild ID] build the index if the corpus changed (or always, with --force)
  govbot add FILE|URL [--guild ID] [--title T] [--replace]
                                      add a document to the base (KNOWLEDGE_DIR) or to a server's own collection
  govbot remove DOC [--guild ID]      remove a document; in a server, a base document is hidden there only
  govbot restore DOC --guild ID       show a base document a server hid again
  govbot list [--guild ID] [--json]   the documents of the base, or as a server sees them
  govbot serve                        run the Discord bot (needs DISCORD_TOKEN)
  govbot report [--since 30d] [--format csv|json] [--limit N]
                                      questions abstained on or voted down (coverage gaps)

Configuration comes from the environment or a .env file; see .env.example.
`

// usageError is returned for bad command lines; main prints the usage.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// run is govbot without the process: tests call it with their own
// arguments, environment and streams.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"no command given"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "ask":
		return runAsk(ctx, rest, getenv, stdin, stdout, stderr)
	case "chat":
		return runChat(ctx, rest, getenv, stdin, stdout, stderr)
	case "search":
		return runSearch(ctx, rest, getenv, stdout, stderr)
	case "sources":
		return runSources(ctx, rest, getenv, stdout, stderr)
	case "index":
		return runIndex(ctx, rest, getenv, stdout, stderr)
	case "add":
		return runAdd(ctx, rest, getenv, stdout, stderr)
	case "remove":
		return runRemove(ctx, rest, getenv, stdout, stderr)
	case "restore":
		return runRestore(ctx, rest, getenv, stdout, stderr)
	case "list":
		return runList(ctx, rest, getenv, stdout, stderr)
	case "serve":
		return runServe(ctx, rest, getenv, stdout, stderr)
	case "report":
		return runReport(ctx, rest, getenv, stdout, stderr)
	case "help", "-h", "--help":
		_, err := io.WriteString(stdout, usage)
		return err
	default:
		return usageError{fmt.Sprintf("unknown command %q", cmd)}
	}
}
