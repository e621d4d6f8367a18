// Command govbench is the side-by-side benchmark of issue 14: it builds the
// same passages into govbot, SQLite FTS5 (modernc.org/sqlite, porter
// unicode61, bm25() and snippet()) and bleve (scorch, BM25, English
// analyser, its highlighter), asks each the same questions, and prints per
// system the build rate and peak memory, index size, open time, ask
// latency percentiles, memory while answering and cold-start time, with
// govbot's ratio to each peer from the same run. Every build and every
// series of questions runs in a process of its own (this binary, as a
// worker), so peak memory is each system's own.
//
//	go build -o bin/ ./cmd/... && bin/govbench -sizes 1k,10k,100k
//	bin/govbench -corpus ~/my-corpus -questions questions.txt
//
// Synthetic corpora come from knowledge/synthetic and are kept in -dir.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "govbench: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "worker" {
		return runWorker(ctx, args[1:], stdout)
	}
	return runDriver(ctx, args, stdout, stderr)
}
