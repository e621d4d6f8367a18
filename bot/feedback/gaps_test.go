package feedback

import (
	"context"
	"testing"
	"time"
)

func TestGapsGroupsWordings(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, testConfig(t, newClock(t0), &logs{}))
	mustRecord(t, s, Record{Command: "ask", UserID: "a", Question: "What is the WIC?", Abstained: true, At: t0})
	mustRecord(t, s, Record{Command: "mention", UserID: "b", Question: "what is the wic", Abstained: true, At: t0.Add(time.Minute)})
	id := mustRecord(t, s, Record{Command: "ask", UserID: "c", Question: "What is the **WIC**", Citations: []string{"wic#1"}, At: t0.Add(2 * time.Minute)})
	if err := s.Vote(ctx, "", id, "c", false); err != nil {
		t.Fatal(err)
	}
	gaps, err := s.Gaps(ctx, "", t0.Add(-time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	want := Gap{Question: "What is the **WIC**", Normalized: "what is the wic", Asked: 3, Abstained: 2, Down: 1, Up: 0, LastAsked: t0.Add(2 * time.Minute)}
	if len(gaps) != 1 || gaps[0] != want {
		t.Errorf("Gaps() = %+v; want [%+v]", gaps, want)
	}
}

func TestGapsOrderAndFilter(t *testing.T) {
	type ask struct {
		q         string
		abstained bool
		down, up  int // votes from distinct users
		ago       time.Duration
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		asks  []ask
		since time.Duration // before now
		limit int
		want  []string // normalised questions, in order
	}{
		{"nothing recorded", nil, 24 * time.Hour, 0, []string{}},
		{"answered and liked is no gap", []ask{{q: "a", up: 2}}, 24 * time.Hour, 0, []string{}},
		{"abstained or voted down", []ask{{q: "a", abstained: true}, {q: "b", down: 1}, {q: "c", up: 1}}, 24 * time.Hour, 0, []string{"a", "b"}},
		{"most abstentions plus downs first", []ask{
			{q: "one", abstained: true},
			{q: "three", abstained: true}, {q: "three", down: 2},
			{q: "two", down: 1}, {q: "two", down: 1},
		}, 24 * time.Hour, 0, []string{"three", "two", "one"}},
		{"then most asked", []ask{
			{q: "less", abstained: true},
			{q: "more", abstained: true}, {q: "more"}, {q: "more", up: 1},
		}, 24 * time.Hour, 0, []string{"more", "less"}},
		{"then most recent", []ask{
			{q: "older", abstained: true, ago: 2 * time.Hour},
			{q: "newer", abstained: true, ago: time.Hour},
		}, 24 * time.Hour, 0, []string{"newer", "older"}},
		{"only since", []ask{
			{q: "old", abstained: true, ago: 48 * time.Hour}, {q: "old", abstained: true, ago: 47 * time.Hour},
			{q: "recent", abstained: true, ago: time.Hour},
		}, 24 * time.Hour, 0, []string{"recent"}},
		{"limit", []ask{{q: "a", abstained: true}, {q: "a", abstained: true}, {q: "b", abstained: true}, {q: "c", down: 1}}, 24 * time.Hour, 2, []string{"a", "b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClock(t0)
			s := mustOpen(t, testConfig(t, c, &logs{}))
			for i, a := range tc.asks {
				id := mustRecord(t, s, Record{Command: "ask", UserID: "asker", Question: a.q, Abstained: a.abstained, At: t0.Add(-a.ago)})
				for v := range a.down + a.up {
					user := string(rune('A'+i)) + string(rune('a'+v))
					if err := s.Vote(ctx, "", id, user, v >= a.down); err != nil {
						t.Fatal(err)
					}
				}
			}
			gaps, err := s.Gaps(ctx, "", t0.Add(-tc.since), tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			if gaps == nil {
				t.Errorf("Gaps() = nil; want an empty slice")
			}
			got := []string{}
			for _, g := range gaps {
				got = append(got, g.Normalized)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("Gaps() = %q; want %q", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("Gaps() = %q; want %q", got, tc.want)
				}
			}
		})
	}
}
