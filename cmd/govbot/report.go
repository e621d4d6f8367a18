package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/govbot-dev/govbot/bot/feedback"
)

// Defaults of the feedback variables.
const (
	defaultRetentionDays = 90
	minSaltLen           = 16
)

// parseFeedbackConfig reads the variables of the feedback database:
// DATA_DIR (default: defaultDataDir), FEEDBACK_SALT (optional, at least
// 16 characters) and FEEDBACK_RETENTION_DAYS (default 90; 0 keeps
// feedback forever). Errors name the variable. The salt is never part of
// an error. Logger and clock are left for the caller.
func parseFeedbackConfig(getenv func(string) string) (feedback.Config, error) {
	var c feedback.Config
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	c.Dir = get("DATA_DIR")
	if c.Dir == "" {
		d, err := defaultDataDir(getenv)
		if err != nil {
			return c, err
		}
		c.Dir = d
	}
	if v := getenv("FEEDBACK_SALT"); v != "" {
		if len(v) < minSaltLen {
			return c, fmt.Errorf("config: FEEDBACK_SALT: too short (%d characters); use at least %d random ones, e.g. from openssl rand -hex 32, or leave it empty to let govbot keep one in its database", len(v), minSaltLen)
		}
		c.Salt = []byte(v)
	}
	c.Retention = defaultRetentionDays * 24 * time.Hour
	if v := get("FEEDBACK_RETENTION_DAYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 100*365 {
			return c, fmt.Errorf("config: FEEDBACK_RETENTION_DAYS: %q is not a number of days (0 keeps feedback forever)", v)
		}
		c.Retention = time.Duration(n) * 24 * time.Hour
	}
	return c, nil
}

// defaultDataDir is where govbot keeps its data when DATA_DIR is not set,
// outside any work tree: $XDG_DATA_HOME/govbot, else
// ~/Library/Application Support/govbot on macOS, %LocalAppData%\govbot
// on Windows, and ~/.local/share/govbot elsewhere.
func defaultDataDir(getenv func(string) string) (string, error) {
	if x := getenv("XDG_DATA_HOME"); filepath.IsAbs(x) {
		return filepath.Join(x, "govbot"), nil
	}
	if runtime.GOOS == "windows" {
		if d := getenv("LocalAppData"); d != "" {
			return filepath.Join(d, "govbot"), nil
		}
		return "", errors.New("config: DATA_DIR: %LocalAppData% is not set; set DATA_DIR")
	}
	home := getenv("HOME")
	if !filepath.IsAbs(home) {
		return "", errors.New("config: DATA_DIR: no home directory to keep data in; set DATA_DIR")
	}
	if runtime.GOOS == "darwin" {
		return filepath.Join(home, "Library", "Application Support", "govbot"), nil
	}
	return filepath.Join(home, ".local", "share", "govbot"), nil
}

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

	cfg, err := parseConfig(getenv)
	if err != nil {
		return err
	}
	fc, err := parseFeedbackConfig(getenv)
	if err != nil {
		return err
	}
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
	gaps, err := store.Gaps(ctx, since, *limit)
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
	cw.Write([]string{"question", "normalized", "asked", "abstained", "down", "up", "last_asked"})
	for _, g := range gaps {
		cw.Write([]string{
			defuseFormula(g.Question), g.Normalized,
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
