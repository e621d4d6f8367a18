package feedback

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

const (
	guildA = "1185000000000000002"
	guildB = "1185000000000000003"
)

// TestEachGuildSeesOnlyItsOwnFeedback: gaps and votes are per guild; the
// operator's report sees them all, each with its guild.
func TestEachGuildSeesOnlyItsOwnFeedback(t *testing.T) {
	c := newClock(t0)
	s := mustOpen(t, testConfig(t, c, &logs{}))
	ctx := context.Background()
	inA := mustRecord(t, s, Record{Command: "ask", GuildID: guildA, UserID: "1", Question: "What is the secret plan of A?", Abstained: true})
	inB := mustRecord(t, s, Record{Command: "ask", GuildID: guildB, UserID: "2", Question: "Who wrote the B charter?"})
	mustRecord(t, s, Record{Command: "mention", UserID: "3", Question: "What is asked in a DM?", Abstained: true})
	if err := s.Vote(ctx, guildB, inB, "4", false); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		guild string
		want  []string
	}{
		{"guild A", guildA, []string{"What is the secret plan of A?"}},
		{"guild B", guildB, []string{"Who wrote the B charter?"}},
		{"DMs", "", []string{"What is asked in a DM?"}},
		{"a guild with nothing asked", "1185000000000000009", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gaps, err := s.Gaps(ctx, tc.guild, t0.Add(-time.Hour), 0)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, g := range gaps {
				got = append(got, g.Question)
				if g.Guild != tc.guild {
					t.Errorf("Gaps(%q) returned a gap of guild %q", tc.guild, g.Guild)
				}
			}
			if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
				t.Errorf("Gaps(%q) = %q; want %q", tc.guild, got, tc.want)
			}
		})
	}
	if err := s.Vote(ctx, guildB, inA, "5", false); !errors.Is(err, ErrNotFound) {
		t.Errorf("Vote from guild B on an answer given in A = %v; want ErrNotFound", err)
	}
	all, err := s.Report(ctx, t0.Add(-time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	guilds := map[string]bool{}
	for _, g := range all {
		guilds[g.Guild] = true
	}
	if len(all) != 3 || !guilds[guildA] || !guilds[guildB] || !guilds[""] {
		t.Errorf("Report = %+v; want the three gaps, one per guild and the DMs", all)
	}
}

// TestButtonsAreScopedAndExpire: state saved in one guild is found there
// until it expires, never from another guild, and Prune deletes it.
func TestButtonsAreScopedAndExpire(t *testing.T) {
	c := newClock(t0)
	cfg := testConfig(t, c, &logs{})
	s := mustOpen(t, cfg)
	ctx := context.Background()
	if err := s.SaveButton(ctx, guildA, "V1", []byte(`{"x":1}`), t0.Add(8*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		guild, id string
		advance   time.Duration
		want      string
	}{
		{"same guild", guildA, "V1", 0, `{"x":1}`},
		{"other guild", guildB, "V1", 0, ""},
		{"DMs", "", "V1", 0, ""},
		{"unknown id", guildA, "V2", 0, ""},
		{"after seven days", guildA, "V1", 7 * 24 * time.Hour, `{"x":1}`},
		{"after it expired", guildA, "V1", 24 * time.Hour, ""},
	} {
		c.Advance(tc.advance)
		got, err := s.Button(ctx, tc.guild, tc.id)
		if err != nil || string(got) != tc.want {
			t.Errorf("%s: Button(%q, %q) = %q, %v; want %q", tc.name, tc.guild, tc.id, got, err, tc.want)
		}
	}
	if _, err := s.Prune(ctx); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, rawDB(t, cfg.Dir), `SELECT COUNT(*) FROM buttons`); n != 0 {
		t.Errorf("%d button rows after Prune; want the expired one deleted", n)
	}
}

// TestExistingRowsKeepTheirGuild: a database written before guild scoping
// (schema 1) is migrated without losing a row, and its answers show in
// the gaps of the guild they were asked in.
func TestExistingRowsKeepTheirGuild(t *testing.T) {
	cfg := testConfig(t, newClock(t0), &logs{})
	ms, err := loadMigrations(embeddedMigrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", dsn(filepath.Join(cfg.Dir, FileName), false))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := migrate(ctx, db, ms[:1], t0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO answers (asked_at, command, guild_id, question, normalized, abstained)
		VALUES (?, 'ask', ?, 'What is the old question?', 'what is the old question', 1)`, t0.UnixMilli(), guildA); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s := mustOpen(t, cfg)
	for guild, want := range map[string]int{guildA: 1, guildB: 0} {
		gaps, err := s.Gaps(ctx, guild, t0.Add(-time.Hour), 0)
		if err != nil || len(gaps) != want {
			t.Errorf("after migration, Gaps(%s) = %v, %v; want %d", guild, gaps, err, want)
		}
	}
}
