package feedback

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestVote(t *testing.T) {
	type vote struct {
		user string
		up   bool
	}
	for _, tc := range []struct {
		name     string
		votes    []vote
		up, down int
	}{
		{"one up", []vote{{"u1", true}}, 1, 0},
		{"one down", []vote{{"u1", false}}, 0, 1},
		{"same vote twice counts once", []vote{{"u1", false}, {"u1", false}}, 0, 1},
		{"change of mind replaces the vote", []vote{{"u1", true}, {"u1", false}}, 0, 1},
		{"change of mind back", []vote{{"u1", false}, {"u1", true}}, 1, 0},
		{"users vote separately", []vote{{"u1", true}, {"u2", false}, {"u3", false}}, 1, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := mustOpen(t, testConfig(t, newClock(t0), &logs{}))
			ctx := context.Background()
			// Abstained, so that the question is a gap whatever the votes.
			id := mustRecord(t, s, Record{Command: "ask", UserID: "asker", Question: "What is the WIC?", Abstained: true})
			for _, v := range tc.votes {
				if err := s.Vote(ctx, "", id, v.user, v.up); err != nil {
					t.Fatalf("Vote(%d, %q, %v) = %v", id, v.user, v.up, err)
				}
			}
			gaps, err := s.Gaps(ctx, "", t0.Add(-time.Hour), 0)
			if err != nil || len(gaps) != 1 {
				t.Fatalf("Gaps() = %v, %v; want one gap", gaps, err)
			}
			if gaps[0].Up != tc.up || gaps[0].Down != tc.down {
				t.Errorf("after %v: 👍 %d 👎 %d; want 👍 %d 👎 %d", tc.votes, gaps[0].Up, gaps[0].Down, tc.up, tc.down)
			}
		})
	}
}

func TestVoteErrors(t *testing.T) {
	s := mustOpen(t, testConfig(t, newClock(t0), &logs{}))
	ctx := context.Background()
	id := mustRecord(t, s, Record{Command: "ask", UserID: "asker", Question: "q"})
	for _, tc := range []struct {
		name   string
		answer int64
		user   string
		want   error // nil: any error
	}{
		{"unknown answer", id + 1, "u1", ErrNotFound},
		{"answer zero (never recorded)", 0, "u1", ErrNotFound},
		{"no user", id, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.Vote(ctx, "", tc.answer, tc.user, true)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Errorf("Vote(%d, %q) = %v; want %v", tc.answer, tc.user, err, tc.want)
			}
			if errors.Is(err, ErrUnavailable) {
				t.Errorf("Vote(%d, %q) = %v; must not claim the storage is unavailable", tc.answer, tc.user, err)
			}
		})
	}
}

func TestRecordAnswerStoresCitations(t *testing.T) {
	s := mustOpen(t, testConfig(t, newClock(t0), &logs{}))
	id := mustRecord(t, s, Record{Command: "ask", Question: "q", Citations: []string{"doc#3", "doc#1", "other#2"}})
	rows, err := s.reader.Query(`SELECT passage_id FROM citations WHERE answer_id = ? ORDER BY rank`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var p string
		rows.Scan(&p)
		got = append(got, p)
	}
	if want := []string{"doc#3", "doc#1", "other#2"}; len(got) != 3 || got[0] != want[0] || got[2] != want[2] {
		t.Errorf("cited passages = %v; want %v in rank order", got, want)
	}
}

// TestUserIDsNeverStoredRaw reads every byte of the database files: a
// Discord id, whether the asker's, a voter's or one mentioned in the
// question, must appear nowhere.
func TestUserIDsNeverStoredRaw(t *testing.T) {
	const asker, voter, mentioned = "112233445566778899", "998877665544332211", "555666777888999000"
	cfg := testConfig(t, newClock(t0), &logs{})
	s, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		id := mustRecord(t, s, Record{Command: "mention", GuildID: "1", ChannelID: "2", UserID: asker,
			Question: "<@" + mentioned + "> what is the WIC? <@!" + mentioned + ">", Abstained: i%2 == 0})
		if err := s.Vote(context.Background(), "1", id, voter, false); err != nil {
			t.Fatal(err)
		}
	}
	// Read the files while open (rows in the WAL) and after close.
	for _, when := range []string{"while open", "after close"} {
		if when == "after close" {
			s.Close()
		}
		files, _ := filepath.Glob(filepath.Join(cfg.Dir, "*"))
		if len(files) == 0 {
			t.Fatal("no database files")
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range []string{asker, voter, mentioned} {
				if bytes.Contains(b, []byte(id)) {
					t.Errorf("%s: %s contains the raw user id %s", when, filepath.Base(f), id)
				}
			}
		}
	}
}

// TestSaltAcrossReopen: a user's hash must be stable across restarts, or
// a user could vote again on the same answer after each restart.
func TestSaltAcrossReopen(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name            string
		first, second   []byte
		wantSameHash    bool
		wantSaltWarning bool
	}{
		{"generated salt is kept", nil, nil, true, false},
		{"configured salt is kept", []byte("pepper-pepper-pepper"), []byte("pepper-pepper-pepper"), true, false},
		{"configured salt changed", []byte("pepper-one"), []byte("pepper-two"), false, true},
		{"configured salt removed", []byte("pepper-one"), nil, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := &logs{}
			cfg := testConfig(t, newClock(t0), l)
			cfg.Salt = tc.first
			s := mustOpen(t, cfg)
			id := mustRecord(t, s, Record{Command: "ask", UserID: "42", Question: "What is the WIC?", Abstained: true})
			if err := s.Vote(ctx, "", id, "42", true); err != nil {
				t.Fatal(err)
			}
			h1 := s.hashUser("42")
			s.Close()

			cfg.Salt = tc.second
			s = mustOpen(t, cfg)
			if err := s.Vote(ctx, "", id, "42", true); err != nil {
				t.Fatal(err)
			}
			if same := s.hashUser("42") == h1; same != tc.wantSameHash {
				t.Errorf("hash after reopen equal = %v; want %v", same, tc.wantSameHash)
			}
			gaps, err := s.Gaps(ctx, "", t0.Add(-time.Hour), 0)
			if err != nil || len(gaps) != 1 {
				t.Fatalf("Gaps() = %v, %v", gaps, err)
			}
			if wantUp := map[bool]int{true: 1, false: 2}[tc.wantSameHash]; gaps[0].Up != wantUp {
				t.Errorf("same user voted 👍 before and after reopen: %d 👍; want %d", gaps[0].Up, wantUp)
			}
			if got := l.count("level=WARN", "salt has changed") > 0; got != tc.wantSaltWarning {
				t.Errorf("salt warning logged = %v; want %v\n%s", got, tc.wantSaltWarning, l)
			}
		})
	}
}
