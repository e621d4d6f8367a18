package bot

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/govbot-dev/govbot/knowledge"
)

// memButtons is a ButtonStore in memory, keyed as the real one is.
type memButtons struct {
	mu sync.Mutex
	m  map[[2]string]memButton
}

type memButton struct {
	state   []byte
	expires time.Time
}

func (s *memButtons) SaveButton(_ context.Context, guild, id string, state []byte, expires time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[[2]string]memButton{}
	}
	s.m[[2]string{guild, id}] = memButton{append([]byte(nil), state...), expires}
	return nil
}

func (s *memButtons) Button(_ context.Context, guild, id string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.m[[2]string{guild, id}]
	if !ok || !time.Now().Before(b.expires) {
		return nil, nil
	}
	return b.state, nil
}

var _ ButtonStore = (*memButtons)(nil)

// TestViewsAreScopedAndSurviveARestart: a view kept in one guild is found
// there, after a restart too (a new cache over the same store), and never
// from another guild or a DM; the stored copy drops the passages' text,
// which "Show passage" reads again.
func TestViewsAreScopedAndSurviveARestart(t *testing.T) {
	store := &memButtons{}
	log := slog.New(slog.DiscardHandler)
	ctx := context.Background()
	v := &view{ID: "VIEW1", Guild: "1185000000000000002", Kind: kindAsk, Owner: "7", Question: "q",
		Answer: knowledge.Answer{Citations: []knowledge.Citation{{Rank: 1, Passage: knowledge.Passage{ID: "d#1", DocID: "d", Ordinal: 1, Text: "full text"}}}}}
	newViews(store, log, time.Now).put(ctx, v)
	restarted := newViews(store, log, time.Now)
	for _, tt := range []struct {
		name, guild string
		want        bool
	}{
		{"same guild", "1185000000000000002", true},
		{"other guild", "1185000000000000012", false},
		{"a DM", "", false},
	} {
		got, ok := restarted.get(ctx, tt.guild, "VIEW1")
		if ok != tt.want {
			t.Errorf("%s: get = %v; want %v", tt.name, ok, tt.want)
		}
		if ok && (got.Owner != "7" || got.Answer.Citations[0].Passage.Text != "" || got.Answer.Citations[0].Passage.DocID != "d") {
			t.Errorf("%s: stored view %+v; want the owner and the citation without its text", tt.name, got)
		}
	}
	restarted.drop(ctx, v.Guild, v.ID)
	if _, ok := newViews(store, log, time.Now).get(ctx, v.Guild, v.ID); ok {
		t.Error("a dropped view (a used confirmation) is still found after a restart")
	}
}
