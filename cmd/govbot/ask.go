package main

import (
	"bufio"
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
// compare makes it compare the corpus with the index whatever
// CORPUS_CHECK says (govbot index).
func openEngine(ctx context.Context, getenv func(string) string, stderr io.Writer, progress func(done, total int), compare bool) (*knowledge.Engine, knowledge.Report, error) {
	cfg, err := parseConfig(getenv)
	if err != nil {
		return nil, knowledge.Report{}, err
	}
	kc := cfg.Knowledge
	kc.Logger = newLogger(stderr, cfg)
	kc.Progress = progress
	if compare {
		kc.TrustIndex = false
	}
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

func runAsk(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("ask", stderr)
	asJSON := fs.Bool("json", false, "print one JSON object (one a line with -)")
	limit := fs.Int("n", knowledge.DefaultLimit, "most citations to show")
	parseScoped := guildFlag(fs)
	var after stringList
	fs.Var(&after, "after", "an earlier question of the conversation (repeat for more, oldest first)")
	words, scope, err := parseScoped(args)
	if err != nil {
		return err
	}
	question := strings.Join(words, " ")
	batch := len(words) == 1 && words[0] == "-"
	if strings.TrimSpace(question) == "" {
		if *asJSON {
			// The one object README promises, even for no question at all.
			if err := writeJSON(stdout, unusableJSON(question, knowledge.ErrEmptyQuestion)); err != nil {
				return err
			}
			return fmt.Errorf("ask: %w", knowledge.ErrEmptyQuestion)
		}
		return usageError{"ask: give a question, e.g. govbot ask \"What was the Wuzhen Declaration?\" (or - to read them from standard input)"}
	}
	if batch && !*asJSON {
		return usageError{"ask -: reading questions from standard input needs --json (one JSON object a line)"}
	}
	if batch && len(after) > 0 {
		return usageError{"ask -: --after is for one question; use govbot chat for a conversation"}
	}
	if *limit < 1 || *limit > 20 {
		return usageError{"ask: -n must be between 1 and 20"}
	}
	kb, closeKB, err := openScope(ctx, scope, getenv, stderr)
	if err != nil {
		return err
	}
	defer closeKB()
	opts := knowledge.AskOptions{Limit: *limit}
	if batch {
		return askLines(ctx, kb, opts, stdin, stdout)
	}
	// The earlier questions are asked first, so that the follow-up knows
	// what their answers cited.
	var conv conversation
	for _, q := range after {
		a, err := kb.Ask(ctx, q, knowledge.AskOptions{Limit: *limit, History: conv.turns})
		if err != nil && !errors.Is(err, knowledge.ErrEmptyQuestion) {
			return fmt.Errorf("ask: --after %q: %w", q, err)
		}
		conv.remember(q, a)
	}
	opts.History = conv.turns
	ans, err := kb.Ask(ctx, question, opts)
	if err != nil {
		if *asJSON && unusable(err) {
			// Machine readers still get their one object: nothing answered, and why.
			if werr := writeJSON(stdout, unusableJSON(question, err)); werr != nil {
				return werr
			}
		}
		return err // the engine's errors say "ask: ..." already
	}
	if *asJSON {
		return writeJSON(stdout, answerJSON(ans))
	}
	if ans.FollowUp != "" {
		fmt.Fprintf(stdout, "(read together with: %s)\n", ans.FollowUp)
	}
	return renderAnswer(stdout, ans, colorFor(stdout, getenv))
}

// maxLineBytes bounds a line of `ask --json -`: longer lines are answered
// with the too-long error without being held in memory whole.
const maxLineBytes = 64 << 10

// askLines answers the questions of r, one a line, writing one compact
// JSON object a line to w (the object `ask --json` prints) as soon as each
// is answered: output line i answers input line i. An unusable question
// (empty, too long) gets an object with its error and the stream goes on;
// only a failure to read, to answer or to write stops it.
func askLines(ctx context.Context, eng questioner, opts knowledge.AskOptions, r io.Reader, w io.Writer) error {
	br := bufio.NewReaderSize(r, 16<<10)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for {
		line, long, err := readLine(br, maxLineBytes)
		if err == io.EOF && line == "" && !long {
			return nil
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("ask: read questions: %w", err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var out answerOut
		if long {
			out = unusableJSON(line, fmt.Errorf("%w: a line longer than %d bytes", knowledge.ErrQuestionTooLong, maxLineBytes))
		} else if ans, aerr := eng.Ask(ctx, line, opts); aerr == nil {
			out = answerJSON(ans)
		} else if unusable(aerr) {
			out = unusableJSON(line, aerr)
		} else {
			return aerr // the engine's errors say "ask: ..." already
		}
		if werr := enc.Encode(out); werr != nil {
			return fmt.Errorf("write json: %w", werr)
		}
		if err == io.EOF {
			return nil
		}
	}
}

// readLine reads one line without its line ending. When the line is longer
// than limit bytes, the rest is discarded, long is true and line holds its
// first limit bytes. err is io.EOF for the last line when it has no newline.
func readLine(br *bufio.Reader, limit int) (line string, long bool, err error) {
	var b []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(b)+len(chunk) > limit {
			long = true
			if room := limit - len(b); room > 0 {
				b = append(b, chunk[:room]...)
			}
		} else {
			b = append(b, chunk...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		s := strings.TrimRight(string(b), "\r\n")
		if long {
			s = strings.ToValidUTF8(s, "")
		}
		return s, long, err
	}
}

// unusable reports whether err says the question itself cannot be asked.
func unusable(err error) bool {
	return errors.Is(err, knowledge.ErrEmptyQuestion) || errors.Is(err, knowledge.ErrQuestionTooLong)
}

// unusableJSON is the object printed for a question that cannot be asked.
func unusableJSON(question string, err error) answerOut {
	out := answerJSON(knowledge.Answer{Question: question, Abstained: true})
	out.Error = strings.TrimPrefix(err.Error(), "ask: ") // the reason, as for every question
	return out
}

func runSearch(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("search", stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	n := fs.Int("n", 10, "number of passages")
	parseScoped := guildFlag(fs)
	words, scope, err := parseScoped(args)
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
	kb, closeKB, err := openScope(ctx, scope, getenv, stderr)
	if err != nil {
		return err
	}
	defer closeKB()
	hits, err := kb.Search(ctx, query, *n)
	if err != nil {
		return err // the engine's errors say "search: ..." already
	}
	if *asJSON {
		out := make([]citationJSON, 0, len(hits))
		for _, c := range hits {
			out = append(out, toCitationJSON(c))
		}
		return writeJSON(stdout, map[string]any{"query": query, "results": out})
	}
	return renderSearch(stdout, hits, colorFor(stdout, getenv))
}

func runSources(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("sources", stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	eng, _, err := openEngine(ctx, getenv, stderr, nil, false)
	if err != nil {
		return err
	}
	defer eng.Close()
	srcs := eng.Sources()
	if *asJSON {
		return writeJSON(stdout, map[string]any{"sources": srcs})
	}
	return renderSources(stdout, srcs, colorFor(stdout, getenv))
}

func runIndex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("index", stderr)
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	force := fs.Bool("force", false, "rebuild even when the index is up to date")
	parseScoped := guildFlag(fs)
	_, scope, err := parseScoped(args)
	if err != nil {
		return err
	}
	if !scope.IsBase() {
		lib, _, err := openLibrary(ctx, getenv, stderr, nil)
		if err != nil {
			return err
		}
		defer lib.Close()
		rep, err := lib.Reload(ctx, scope)
		if err != nil {
			return fmt.Errorf("index: %w", explain(err))
		}
		if *asJSON {
			return writeJSON(stdout, rep)
		}
		return renderReport(stdout, rep, knowledge.Status{Corpus: "server " + scope.Guild, IndexDir: "DATA_DIR"})
	}
	bar := newProgress(stderr)
	eng, rep, err := openEngine(ctx, getenv, stderr, bar.update, true)
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

// questioner is what ask and search need: an engine, or a server's view
// of the library.
type questioner interface {
	Ask(ctx context.Context, question string, opts knowledge.AskOptions) (knowledge.Answer, error)
	Search(ctx context.Context, query string, limit int) ([]knowledge.Citation, error)
}

// scoped is a Library in one scope.
type scoped struct {
	lib interface {
		Ask(context.Context, knowledge.Scope, string, knowledge.AskOptions) (knowledge.Answer, error)
		Search(context.Context, knowledge.Scope, string, int) ([]knowledge.Citation, error)
	}
	scope knowledge.Scope
}

func (s scoped) Ask(ctx context.Context, q string, o knowledge.AskOptions) (knowledge.Answer, error) {
	return s.lib.Ask(ctx, s.scope, q, o)
}

func (s scoped) Search(ctx context.Context, q string, n int) ([]knowledge.Citation, error) {
	return s.lib.Search(ctx, s.scope, q, n)
}

// openScope opens what questions in scope are answered from: the base
// engine alone (the fastest start) or, for a server, the library.
func openScope(ctx context.Context, scope knowledge.Scope, getenv func(string) string, stderr io.Writer) (questioner, func(), error) {
	if scope.IsBase() {
		eng, _, err := openEngine(ctx, getenv, stderr, nil, false)
		if err != nil {
			return nil, nil, err
		}
		return eng, func() { eng.Close() }, nil
	}
	lib, _, err := openLibrary(ctx, getenv, stderr, nil)
	if err != nil {
		return nil, nil, err
	}
	return scoped{lib: lib, scope: scope}, func() { lib.Close() }, nil
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
	URL        string   `json:"url,omitempty"` // the document's web address, when it states one
	Passage    string   `json:"passage"`
	Page       int      `json:"page,omitempty"`    // page the passage starts on (PDF)
	Section    string   `json:"section,omitempty"` // headings the passage is under, "A › B"
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
		Published: c.Source.Published, URL: c.Source.URL, Passage: c.Passage.ID,
		Page: c.Passage.Page, Section: c.Passage.Section, Excerpt: c.Excerpt,
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
