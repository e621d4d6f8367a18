package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/govbot-dev/govbot/bot"
	"github.com/govbot-dev/govbot/bot/feedback"
)

// reportJSON is what report --format json prints.
type reportJSON struct {
	Since time.Time      `json:"since"`
	Gaps  []feedback.Gap `json:"gaps"`
}

// runReport prints the coverage gaps recorded by govbot serve: the
// questions abstained on or voted down since --since, grouped by
// normalised question, most frequent first, as CSV (with a header row)
// or one JSON object.
func runReport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("report", stderr)
	sinceFlag := fs.String("since", "30d", "period to report: 30d, 12h, 2w, a Go duration such as 90m, or a date YYYY-MM-DD (UTC)")
	format := fs.String("format", "csv", "csv or json")
	limit := fs.Int("limit", 0, "most questions to list; 0 lists all")
	guild := fs.String("guild", "", "only the questions asked in this server (its id); without it, every server and the DMs, with a guild column")
	if err := fs.Parse(args); err != nil {
		return usageError{"report: " + err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("report: unexpected argument %q", fs.Arg(0))}
	}
	if *format != "csv" && *format != "json" {
		return usageError{fmt.Sprintf("report: --format %q: want csv or json", *format)}
	}
	if *limit < 0 {
		return usageError{"report: --limit must be 0 (all) or more"}
	}
	since, err := parseSince(*sinceFlag, time.Now())
	if err != nil {
		return usageError{"report: --since: " + err.Error()}
	}

	if *guild != "" && !bot.IsSnowflake(*guild) {
		return usageError{fmt.Sprintf("report: --guild %q: want a server id (a snowflake)", *guild)}
	}
	cfg, err := parseConfig(getenv)
	if err != nil {
		return err
	}
	if cfg.dataDirErr != nil {
		return cfg.dataDirErr
	}
	fc := cfg.Feedback
	fc.Logger = newLogger(stderr, cfg)
	fc.NoCreate = true
	store, err := feedback.Open(ctx, fc)
	if errors.Is(err, feedback.ErrNoDatabase) {
		return fmt.Errorf("report: no feedback recorded yet in %s (govbot serve records it there; set DATA_DIR if it uses another directory)", fc.Dir)
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer store.Close()
	var gaps []feedback.Gap
	if *guild != "" {
		gaps, err = store.Gaps(ctx, *guild, since, *limit)
	} else {
		gaps, err = store.Report(ctx, since, *limit)
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if *format == "json" {
		return writeJSON(stdout, reportJSON{Since: since.UTC(), Gaps: gaps})
	}
	return writeGapsCSV(stdout, gaps)
}

// writeGapsCSV writes gaps as CSV with a header row. A question that a
// spreadsheet would run as a formula (starting with = + - @) is prefixed
// with a single quote.
func writeGapsCSV(w io.Writer, gaps []feedback.Gap) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"guild", "question", "normalized", "asked", "abstained", "down", "up", "last_asked"})
	for _, g := range gaps {
		guild := g.Guild
		if guild == "" {
			guild = "dm"
		}
		cw.Write([]string{
			guild, defuseFormula(g.Question), g.Normalized,
			strconv.Itoa(g.Asked), strconv.Itoa(g.Abstained), strconv.Itoa(g.Down), strconv.Itoa(g.Up),
			g.LastAsked.UTC().Format(time.RFC3339),
		})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// defuseFormula keeps a spreadsheet from evaluating a cell.
func defuseFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

var relativeSince = regexp.MustCompile(`^(\d+)([dw])$`)

// parseSince reads the start of a report period: a number of days (30d)
// or weeks (2w), a Go duration (12h, 90m), each counted back from now;
// or a date YYYY-MM-DD (UTC midnight) or an RFC 3339 time.
func parseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if m := relativeSince.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil || n <= 0 || n > 100*365 {
			return time.Time{}, fmt.Errorf("%q: want a positive number of days or weeks", s)
		}
		days := n
		if m[2] == "w" {
			days = 7 * n
		}
		return now.AddDate(0, 0, -days), nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		if d <= 0 {
			return time.Time{}, fmt.Errorf("%q: want a positive duration", s)
		}
		return now.Add(-d), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a period such as 30d, 12h or 2w, nor a date such as 2026-01-31", s)
}
