package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/govbot-dev/govbot/knowledge"
)

// openEngine opens the knowledge engine from config, logging to stderr.
func openEngine(ctx context.Context, getenv func(string) string, stderr io.Writer, progress func(done, total int)) (*knowledge.Engine, knowledge.Report, error) {
	cfg, err := parseConfig(getenv)
	if err != nil {
		return nil, knowledge.Report{}, err
	}
	kc := cfg.Knowledge
	kc.Logger = newLogger(stderr, cfg)
	kc.Progress = progress
	return knowledge.Open(ctx, kc)
}

// newFlags makes a flag set that reports errors instead of exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseInterspersed parses flags that may come before or after the words.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var words []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return words, nil
		}
		words = append(words, args[0])
		args = args[1:]
	}
}

func runAsk(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("ask", stderr)
	asJSON := fs.Bool("json", false, "print one JSON object")
	limit := fs.Int("n", knowledge.DefaultLimit, "most citations to show")
	var after stringList
	fs.Var(&after, "after", "an earlier question of the conversation (repeat for more, oldest first)")
	words, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	question := strings.Join(words, " ")
	if strings.TrimSpace(question) == "" {
		return usageError{"ask: give a question, e.g. govbot ask \"What was the Wuzhen Declaration?\""}
	}
	if *limit < 1 || *limit > 20 {
		return usageError{"ask: -n must be between 1 and 20"}
	}
	eng, _, err := openEngine(ctx, getenv, stderr, nil)
	if err != nil {
		return err
	}
	defer eng.Close()
	// The earlier questions are asked first, so that the follow-up knows
	// what their answers cited.
	var conv conversation
	for _, q := range after {
		a, err := eng.Ask(ctx, q, knowledge.AskOptions{Limit: *limit, History: conv.turns})
		if err != nil && !errors.Is(err, knowledge.ErrEmptyQuestion) {
			return fmt.Errorf("ask: --after %q: %w", q, err)
		}
		conv.remember(q, a)
	}
	ans, err := eng.Ask(ctx, question, knowledge.AskOptions{Limit: *limit, History: conv.turns})
	if err != nil {
		if *asJSON && (errors.Is(err, knowledge.ErrEmptyQuestion) || errors.Is(err, knowledge.ErrQuestionTooLong)) {
			// Machine readers still get their one object: nothing answered, and why.
			out := answerJSON(knowledge.Answer{Question: question, Abstained: true})
			out.Error = err.Error()
			if werr := writeJSON(stdout, out); werr != nil {
				return werr
			}
		}
		return fmt.Errorf("ask: %w", err)
	}
	if *asJSON {
		return writeJSON(stdout, answerJSON(ans))
	}
	if ans.FollowUp != "" {
		fmt.Fprintf(stdout, "(read together with: %s)\n", ans.FollowUp)
	}
	return renderAnswer(stdout, ans, isTerminal(stdout))
}

func runSearch(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("search", stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	n := fs.Int("n", 10, "number of passages")
	words, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	query := strings.Join(words, " ")
	if strings.TrimSpace(query) == "" {
		return usageError{"search: give a query"}
	}
	if *n < 1 || *n > 100 {
		return usageError{"search: -n must be between 1 and 100"}
	}
	eng, _, err := openEngine(ctx, getenv, stderr, nil)
	if err != nil {
		return err
	}
	defer eng.Close()
	hits, err := eng.Search(ctx, query, *n)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	if *asJSON {
		out := make([]citationJSON, 0, len(hits))
		for _, c := range hits {
			out = append(out, toCitationJSON(c))
		}
		return writeJSON(stdout, map[string]any{"query": query, "results": out})
	}
	return renderSearch(stdout, hits, isTerminal(stdout))
}

func runSources(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("sources", stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	eng, _, err := openEngine(ctx, getenv, stderr, nil)
	if err != nil {
		return err
	}
	defer eng.Close()
	srcs := eng.Sources()
	if *asJSON {
		return writeJSON(stdout, map[string]any{"sources": srcs})
	}
	return renderSources(stdout, srcs, isTerminal(stdout))
}

func runIndex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("index", stderr)
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	force := fs.Bool("force", false, "rebuild even when the index is up to date")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	bar := newProgress(stderr)
	eng, rep, err := openEngine(ctx, getenv, stderr, bar.update)
	bar.finish()
	if err != nil {
		return err
	}
	defer eng.Close()
	if !rep.Rebuilt && *force {
		if rep, err = eng.Rebuild(ctx); err != nil {
			return err
		}
	}
	if *asJSON {
		return writeJSON(stdout, rep)
	}
	return renderReport(stdout, rep, eng.Status())
}

// answerJSON is the machine-readable answer that `ask --json` prints.
type answerOut struct {
	Question  string         `json:"question"`
	Abstained bool           `json:"abstained"`
	Citations []citationJSON `json:"citations"`
	Closest   []citationJSON `json:"closest,omitempty"`
	FollowUp  string         `json:"follow_up,omitempty"` // the earlier question it was read with
	Error     string         `json:"error,omitempty"`     // why the question could not be asked
}

type citationJSON struct {
	Rank       int      `json:"rank"`
	DocID      string   `json:"doc_id"`
	Title      string   `json:"title"`
	Author     string   `json:"author,omitempty"`
	Published  string   `json:"published,omitempty"`
	Passage    string   `json:"passage"`
	Excerpt    string   `json:"excerpt"`
	Highlights [][2]int `json:"highlights"`
	Score      float64  `json:"score"`
}

func answerJSON(a knowledge.Answer) answerOut {
	out := answerOut{Question: a.Question, Abstained: a.Abstained, Citations: []citationJSON{}, FollowUp: a.FollowUp}
	for _, c := range a.Citations {
		out.Citations = append(out.Citations, toCitationJSON(c))
	}
	for _, c := range a.Closest {
		out.Closest = append(out.Closest, toCitationJSON(c))
	}
	return out
}

// toCitationJSON converts a citation; highlights become character (code
// point) offsets into the excerpt, which is what JSON consumers index by.
func toCitationJSON(c knowledge.Citation) citationJSON {
	hl := make([][2]int, 0, len(c.Highlights))
	for _, s := range c.Highlights {
		start := utf8.RuneCountInString(c.Excerpt[:s.Start])
		hl = append(hl, [2]int{start, start + utf8.RuneCountInString(c.Excerpt[s.Start:s.End])})
	}
	return citationJSON{
		Rank: c.Rank, DocID: c.Source.ID, Title: c.Source.Title, Author: c.Source.Author,
		Published: c.Source.Published, Passage: c.Passage.ID, Excerpt: c.Excerpt,
		Highlights: hl, Score: float64(int(c.Score*1e4)) / 1e4,
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}
