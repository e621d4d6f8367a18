package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/govbot-dev/govbot/bot/feedback"
)

// seedFeedback records what a running bot would have, relative to now:
// the WIC asked three ways (abstained twice, once answered and voted
// down), Lu Wei abstained on 40 days ago, an answered and liked question,
// and a question that a spreadsheet would run as a formula.
func seedFeedback(t *testing.T, dir string) {
	t.Helper()
	ctx := context.Background()
	s, err := feedback.Open(ctx, feedback.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Now()
	day := 24 * time.Hour
	for _, r := range []struct {
		q         string
		abstained bool
		ago       time.Duration
		vote      int // +1 👍, -1 👎
		guild     string
	}{
		{"What is the WIC?", true, 3 * day, 0, ""},
		{"what is the wic", true, 2 * day, 0, ""},
		{"What is the **WIC**", false, day, -1, ""},
		{"Who is Lu Wei?", true, 40 * day, 0, ""},
		{"What was the Wuzhen Declaration?", false, day, +1, ""},
		{"=HYPERLINK(\"http://x\")", true, day, 0, ""},
		{"What is the secret of server B?", true, 2 * day, 0, guildB},
	} {
		if r.guild == "" {
			r.guild = guildA
		}
		id, err := s.RecordAnswer(ctx, feedback.Record{Command: "ask", GuildID: r.guild, UserID: "42", Question: r.q, Abstained: r.abstained, At: now.Add(-r.ago)})
		if err != nil {
			t.Fatal(err)
		}
		if r.vote != 0 {
			if err := s.Vote(ctx, r.guild, id, "43", r.vote > 0); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// runReportCmd runs govbot report with args over dataDir.
func runReportCmd(t *testing.T, vars map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := runReport(context.Background(), args, env(vars), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestReportCSV(t *testing.T) {
	dir := t.TempDir()
	seedFeedback(t, dir)
	out, _, err := runReportCmd(t, map[string]string{"DATA_DIR": dir}, "--since", "30d", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"guild", "question", "normalized", "asked", "abstained", "down", "up"},
		{guildA, "What is the **WIC**", "what is the wic", "3", "2", "1", "0"},
		{guildA, `'=HYPERLINK("http://x")`, "hyperlink http x", "1", "1", "0", "0"},
		{guildB, "What is the secret of server B?", "what is the secret of server b", "1", "1", "0", "0"},
	}
	checkRows(t, out, want)
}

// checkRows compares CSV rows with want, all but the last column, which
// must be last_asked in RFC 3339.
func checkRows(t *testing.T, out string, want [][]string) {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("report printed %q: %v", out, err)
	}
	if len(rows) != len(want) {
		t.Fatalf("report printed %d rows; want %d:\n%s", len(rows), len(want), out)
	}
	for i, w := range want {
		if got := rows[i][:7]; strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("row %d = %q; want %q", i, got, w)
		}
	}
	if rows[0][7] != "last_asked" {
		t.Errorf("header ends %q; want last_asked", rows[0][7])
	}
	if _, err := time.Parse(time.RFC3339, rows[1][7]); err != nil {
		t.Errorf("last_asked %q is not RFC 3339: %v", rows[1][7], err)
	}
}

// TestReportOneGuild: --guild lists only that server's questions.
func TestReportOneGuild(t *testing.T) {
	dir := t.TempDir()
	seedFeedback(t, dir)
	out, _, err := runReportCmd(t, map[string]string{"DATA_DIR": dir}, "--guild", guildB)
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, out, [][]string{
		{"guild", "question", "normalized", "asked", "abstained", "down", "up"},
		{guildB, "What is the secret of server B?", "what is the secret of server b", "1", "1", "0", "0"},
	})
	if _, _, err := runReportCmd(t, map[string]string{"DATA_DIR": dir}, "--guild", "server-b"); err == nil {
		t.Error("report --guild server-b: no error; want a usage error")
	}
}

// Two servers' ids for the report's data.
const (
	guildA = "1185000000000000002"
	guildB = "1185000000000000003"
)

func TestReportJSON(t *testing.T) {
	dir := t.TempDir()
	seedFeedback(t, dir)
	before := time.Now()
	out, _, err := runReportCmd(t, map[string]string{"DATA_DIR": dir}, "--format", "json", "--since", "60d", "--limit", "2")
	after := time.Now()
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Since time.Time `json:"since"`
		Gaps  []struct {
			Question   string    `json:"question"`
			Normalized string    `json:"normalized"`
			Asked      int       `json:"asked"`
			Abstained  int       `json:"abstained"`
			Down       int       `json:"down"`
			Up         int       `json:"up"`
			LastAsked  time.Time `json:"last_asked"`
		} `json:"gaps"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&got); err != nil || dec.More() {
		t.Fatalf("report --format json printed %q: %v; want one object", out, err)
	}
	if got.Since.Before(before.AddDate(0, 0, -60).Add(-time.Second)) || got.Since.After(after.AddDate(0, 0, -60)) {
		t.Errorf("since = %v; want 60 days before now", got.Since)
	}
	if len(got.Gaps) != 2 || got.Gaps[0].Normalized != "what is the wic" || got.Gaps[0].Asked != 3 || got.Gaps[0].LastAsked.IsZero() {
		t.Errorf("gaps = %+v; want the WIC first, 2 in all (--limit 2)", got.Gaps)
	}
}

func TestReportEmpty(t *testing.T) {
	dir := t.TempDir()
	s, err := feedback.Open(context.Background(), feedback.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, tc := range []struct {
		format, want string
	}{
		{"csv", "question,normalized,asked,abstained,down,up,last_asked\n"},
		{"json", `"gaps": []`},
	} {
		t.Run(tc.format, func(t *testing.T) {
			out, _, err := runReportCmd(t, map[string]string{"DATA_DIR": dir}, "--format", tc.format)
			if err != nil || !strings.Contains(out, tc.want) {
				t.Errorf("report --format %s of an empty database = %q, %v; want %q", tc.format, out, err, tc.want)
			}
		})
	}
}

func TestReportErrors(t *testing.T) {
	seeded := t.TempDir()
	seedFeedback(t, seeded)
	for _, tc := range []struct {
		name      string
		vars      map[string]string
		args      []string
		wantUsage bool
		want      string
	}{
		{"no database yet", map[string]string{"DATA_DIR": "EMPTY"}, nil, false, "no feedback recorded yet in EMPTY"},
		{"default data dir without a home", map[string]string{}, nil, false, "DATA_DIR"},
		{"bad format", map[string]string{"DATA_DIR": seeded}, []string{"--format", "xml"}, true, "csv or json"},
		{"bad since", map[string]string{"DATA_DIR": seeded}, []string{"--since", "last week"}, true, "--since"},
		{"negative limit", map[string]string{"DATA_DIR": seeded}, []string{"--limit", "-1"}, true, "--limit"},
		{"stray argument", map[string]string{"DATA_DIR": seeded}, []string{"gaps"}, true, "unexpected argument"},
		{"unknown flag", map[string]string{"DATA_DIR": seeded}, []string{"--days", "3"}, true, "days"},
		{"bad retention", map[string]string{"DATA_DIR": seeded, "FEEDBACK_RETENTION_DAYS": "soon"}, nil, false, "FEEDBACK_RETENTION_DAYS"},
		{"short salt", map[string]string{"DATA_DIR": seeded, "FEEDBACK_SALT": "abc"}, nil, false, "FEEDBACK_SALT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			empty := t.TempDir()
			if tc.vars["DATA_DIR"] == "EMPTY" {
				tc.vars["DATA_DIR"] = empty
				tc.want = strings.Replace(tc.want, "EMPTY", empty, 1)
			}
			out, _, err := runReportCmd(t, tc.vars, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("report %q = %v; want an error containing %q", tc.args, err, tc.want)
			}
			var ue usageError
			if errors.As(err, &ue) != tc.wantUsage {
				t.Errorf("report %q = %v: usage error %v; want %v", tc.args, err, !tc.wantUsage, tc.wantUsage)
			}
			if out != "" {
				t.Errorf("report %q printed %q on error", tc.args, out)
			}
			if entries, _ := os.ReadDir(empty); len(entries) != 0 {
				t.Errorf("report created %v in an empty DATA_DIR", entries)
			}
		})
	}
}

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 3, 15, 10, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Time // zero: an error
	}{
		{"30d", now.AddDate(0, 0, -30)},
		{"1d", now.AddDate(0, 0, -1)},
		{"2w", now.AddDate(0, 0, -14)},
		{"12h", now.Add(-12 * time.Hour)},
		{"90m", now.Add(-90 * time.Minute)},
		{"2026-01-31", time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)},
		{"2026-01-31T08:00:00+08:00", time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)},
		{"", time.Time{}},
		{"0d", time.Time{}},
		{"-3d", time.Time{}},
		{"-5h", time.Time{}},
		{"30", time.Time{}},
		{"2026-13-01", time.Time{}},
		{"last week", time.Time{}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseSince(tc.in, now)
			if tc.want.IsZero() {
				if err == nil {
					t.Errorf("parseSince(%q) = %v; want an error", tc.in, got)
				}
				return
			}
			if err != nil || !got.Equal(tc.want) {
				t.Errorf("parseSince(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestParseFeedbackConfig(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("default data dir is checked for Linux")
	}
	const day = 24 * time.Hour
	for _, tc := range []struct {
		name          string
		vars          map[string]string
		wantDir       string
		wantSalt      string
		wantRetention time.Duration
		wantErr       string
	}{
		{"defaults", map[string]string{"HOME": "/home/g"}, "/home/g/.local/share/govbot", "", 90 * day, ""},
		{"XDG data home", map[string]string{"HOME": "/home/g", "XDG_DATA_HOME": "/xdg"}, "/xdg/govbot", "", 90 * day, ""},
		{"relative XDG ignored", map[string]string{"HOME": "/home/g", "XDG_DATA_HOME": "xdg"}, "/home/g/.local/share/govbot", "", 90 * day, ""},
		{"DATA_DIR wins", map[string]string{"HOME": "/home/g", "DATA_DIR": " /srv/govbot "}, "/srv/govbot", "", 90 * day, ""},
		{"no home", map[string]string{}, "", "", 0, "config: DATA_DIR"},
		{"salt", map[string]string{"DATA_DIR": "/d", "FEEDBACK_SALT": "0123456789abcdef"}, "/d", "0123456789abcdef", 90 * day, ""},
		{"short salt", map[string]string{"DATA_DIR": "/d", "FEEDBACK_SALT": "0123456789abcde"}, "", "", 0, "config: FEEDBACK_SALT: too short"},
		{"retention", map[string]string{"DATA_DIR": "/d", "FEEDBACK_RETENTION_DAYS": "7"}, "/d", "", 7 * day, ""},
		{"keep forever", map[string]string{"DATA_DIR": "/d", "FEEDBACK_RETENTION_DAYS": "0"}, "/d", "", 0, ""},
		{"negative retention", map[string]string{"DATA_DIR": "/d", "FEEDBACK_RETENTION_DAYS": "-1"}, "", "", 0, "config: FEEDBACK_RETENTION_DAYS"},
		{"retention not a number", map[string]string{"DATA_DIR": "/d", "FEEDBACK_RETENTION_DAYS": "30d"}, "", "", 0, "config: FEEDBACK_RETENTION_DAYS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, dirErr, err := parseFeedbackConfig(env(tc.vars))
			if err == nil {
				err = dirErr
			}
			if tc.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
					t.Fatalf("parseFeedbackConfig() = %v; want an error starting %q", err, tc.wantErr)
				}
				if s := tc.vars["FEEDBACK_SALT"]; s != "" && strings.Contains(err.Error(), s) {
					t.Errorf("error %q shows the salt", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Dir != filepath.FromSlash(tc.wantDir) || string(c.Salt) != tc.wantSalt || c.Retention != tc.wantRetention {
				t.Errorf("parseFeedbackConfig() = dir %q salt %q retention %v; want %q %q %v", c.Dir, c.Salt, c.Retention, tc.wantDir, tc.wantSalt, tc.wantRetention)
			}
		})
	}
}
