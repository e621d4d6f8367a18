package bot

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/govbot-dev/govbot/knowledge"
)

// buttonLifetime is how long the buttons of a message keep working:
// a week and a day, across restarts when a ButtonStore keeps them.
const buttonLifetime = 8 * 24 * time.Hour

// Bounds of the in-memory cache of views.
const (
	viewCacheSize = 2000
	storeTimeout  = 2 * time.Second
)

// ButtonStore keeps the state behind buttons so that they work after a
// restart; *feedback.Store satisfies it. Both methods are scoped by guild:
// state saved in one guild is never found from another. Button returns
// (nil, nil) when there is no such state or it has expired.
type ButtonStore interface {
	SaveButton(ctx context.Context, guild, id string, state []byte, expires time.Time) error
	Button(ctx context.Context, guild, id string) ([]byte, error)
}

// views keeps views for their buttons: in memory (recent ones) and, when a
// ButtonStore is given, durably. A store that fails costs only the
// durability: the view still works until the cache drops it.
type views struct {
	mem   *lru[*view]
	store ButtonStore // nil: memory only
	log   *slog.Logger
	now   func() time.Time
}

func newViews(store ButtonStore, log *slog.Logger, now func() time.Time) *views {
	return &views{mem: newLRU[*view](viewCacheSize, buttonLifetime, now), store: store, log: log, now: now}
}

func viewKey(guild, id string) string { return guild + "/" + id }

// put keeps v under its guild and id.
func (vs *views) put(ctx context.Context, v *view) {
	vs.mem.Put(viewKey(v.Guild, v.ID), v)
	if vs.store == nil {
		return
	}
	state, err := json.Marshal(storedView(v))
	if err != nil {
		vs.log.Warn("buttons: cannot encode a view; its buttons will not survive a restart", "err", err.Error())
		return
	}
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	if err := vs.store.SaveButton(ctx, v.Guild, v.ID, state, vs.now().Add(buttonLifetime)); err != nil {
		vs.log.Debug("buttons: view not stored; its buttons will not survive a restart", "err", err.Error())
	}
}

// get finds the view id of guild; false when there is none (never, in
// another guild, or expired).
func (vs *views) get(ctx context.Context, guild, id string) (*view, bool) {
	if v, ok := vs.mem.Get(viewKey(guild, id)); ok {
		return v, true
	}
	if vs.store == nil {
		return nil, false
	}
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	state, err := vs.store.Button(ctx, guild, id)
	if err != nil {
		vs.log.Warn("buttons: cannot read a view", "err", err.Error())
		return nil, false
	}
	if state == nil {
		return nil, false
	}
	var v view
	if err := json.Unmarshal(state, &v); err != nil || v.ID != id || v.Guild != guild {
		vs.log.Warn("buttons: stored view unreadable", "err", errors.Join(err, errors.New("id or guild mismatch")).Error())
		return nil, false
	}
	vs.mem.Put(viewKey(guild, id), &v)
	return &v, true
}

// drop forgets a view (a confirmation used once).
func (vs *views) drop(ctx context.Context, guild, id string) {
	vs.mem.Delete(viewKey(guild, id))
	if vs.store == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	if err := vs.store.SaveButton(ctx, guild, id, []byte("null"), vs.now()); err != nil {
		vs.log.Debug("buttons: view not dropped", "err", err.Error())
	}
}

// storedView is v without the full text of its cited passages, which
// "Show passage" fetches again: it keeps the store small.
func storedView(v *view) *view {
	c := *v
	strip := func(cs []knowledge.Citation) []knowledge.Citation {
		out := make([]knowledge.Citation, len(cs))
		for i, ci := range cs {
			ci.Passage.Text = ""
			out[i] = ci
		}
		return out
	}
	c.Answer.Citations = strip(v.Answer.Citations)
	c.Answer.Closest = strip(v.Answer.Closest)
	c.Hits = strip(v.Hits)
	return &c
}
