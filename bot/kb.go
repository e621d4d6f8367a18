package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/govbot-dev/govbot/bot/feedback"
	"github.com/govbot-dev/govbot/bot/metrics"
	"github.com/govbot-dev/govbot/knowledge"
)

// kbCommand answers /kb: status, reload, add, remove (and its
// confirmation button), restore and gaps. Each acts on the scope of the
// server it is run in; the base collection only with
// collection:base, which only the operator may use.
type kbCommand struct {
	lib      Library
	auth     *authority
	feedback Feedback // nil: feedback off
	fetch    *downloader
	pages    PageFetcher // nil: /kb add url: is off
	views    *views
	metrics  *metrics.Metrics
	log      *slog.Logger
	now      func() time.Time
	reloads  *reloadLog
}

// reloadLog remembers the last reload of each scope for /kb status: a
// server sees only its own.
type reloadLog struct {
	mu   sync.Mutex
	last map[string]*reloadRecord // by guild; "" is the base
}

func (l *reloadLog) put(scope Scope, r *reloadRecord) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.last == nil {
		l.last = map[string]*reloadRecord{}
	}
	l.last[scope.Guild] = r
}

func (l *reloadLog) get(scope Scope) *reloadRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.last[scope.Guild]
}

// target is the collection a /kb command changes: this server's, or the
// base with collection:base, which only the operator may change.
func (c *kbCommand) target(ix *interaction) (Scope, error) {
	if stringOption(ix.options, optCollection) != collectionBase {
		return ix.scope(), nil
	}
	if err := c.auth.mayChangeBase(ix); err != nil {
		c.log.Info("base change refused", "user", ix.user().ID, "guild", ix.GuildID)
		return Scope{}, err
	}
	return Base, nil
}

// status answers /kb status: this server's collection, a summary of the
// base and the last reload here.
func (c *kbCommand) status(ix *interaction) error {
	return ix.answerWith(true, false, func(ctx context.Context) (reply, error) {
		st, err := c.lib.Status(ctx, ix.scope())
		if err != nil {
			return reply{}, fmt.Errorf("status: %w", err)
		}
		return renderStatus(st, c.reloads.get(ix.scope()), c.reloads.get(Base)), nil
	})
}

// reload answers /kb reload [collection]: rebuilds this server's
// collection, or the base for the operator.
func (c *kbCommand) reload(ix *interaction) error {
	scope, err := c.target(ix)
	if err != nil {
		c.metrics.Reload(metrics.ResultRejected)
		return err
	}
	by := fmt.Sprintf("%s (%s)", ix.user().Username, ix.user().ID)
	if scope.IsBase() {
		// Every server's status shows the base's last reload: name the
		// role, not the person.
		by = "the operator"
	}
	return ix.answerWith(true, false, func(ctx context.Context) (reply, error) {
		return renderReload(c.reloadScope(ctx, scope, by), scope), nil
	})
}

func (c *kbCommand) reloadRefused() { c.metrics.Reload(metrics.ResultRejected) }
func (c *kbCommand) addRefused()    { c.metrics.Upload(metrics.ResultRejected) }

// reloadScope reloads scope on behalf of by and records the outcome for
// /kb status and the metrics.
func (c *kbCommand) reloadScope(ctx context.Context, scope Scope, by string) *reloadRecord {
	c.log.Info("reloading", "scope", scopeName(scope), "by", by)
	rep, err := c.lib.Reload(ctx, scope)
	rec := &reloadRecord{By: by, At: c.now(), Report: rep, Err: err}
	switch {
	case err != nil:
		c.metrics.Reload(metrics.ResultFailed)
		c.log.Error("reload failed; the previous index keeps serving", "scope", scopeName(scope), "by", by, "err", err)
	default:
		if rep.Rebuilt {
			c.metrics.Reload(metrics.ResultOK)
		} else {
			c.metrics.Reload(metrics.ResultUnchanged)
		}
		c.log.Info("reload done", "scope", scopeName(scope), "by", by, "documents", rep.Documents, "passages", rep.Passages,
			"added", len(rep.Added), "changed", len(rep.Changed), "removed", len(rep.Removed),
			"skipped", len(rep.Skipped), "rebuilt", rep.Rebuilt, "took", rep.Duration)
	}
	c.reloads.put(scope, rec)
	c.setIndexMetrics(ctx)
	return rec
}

// setIndexMetrics exports the size and age of the base index.
func (c *kbCommand) setIndexMetrics(ctx context.Context) {
	if c.metrics == nil {
		return
	}
	st, err := c.lib.Status(ctx, Base)
	if err != nil {
		return
	}
	c.metrics.SetIndex(st.Base.Documents, st.Base.Passages, st.Base.BuiltAt)
}

// gaps answers /kb gaps [days:<n>]: this server's questions of the last
// days that were abstained on or voted down, most frequent first.
func (c *kbCommand) gaps(ix *interaction) error {
	if c.feedback == nil {
		return userError{"Feedback is off, so there are no gaps to show. The operator enables it by giving govbot a writable `DATA_DIR`."}
	}
	days := intOption(ix.options, optDays, defaultGapDays)
	days = min(max(days, 1), maxGapDays)
	return ix.answerWith(true, false, func(ctx context.Context) (reply, error) {
		gaps, err := c.feedback.Gaps(ctx, ix.GuildID, c.now().AddDate(0, 0, -days), gapsLimit)
		if errors.Is(err, feedback.ErrUnavailable) {
			return reply{}, userError{"The feedback database is unavailable right now (see govbot's log); questions are still answered."}
		}
		if err != nil {
			return reply{}, err
		}
		return renderGaps(gaps, days), nil
	})
}

// scopeName names a scope in logs.
func scopeName(s Scope) string {
	if s.IsBase() {
		return "base"
	}
	return "guild " + s.Guild
}

// refusalText is what the user is told of a change the library refused.
func refusalText(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, ErrRefused.Error()+": "); i >= 0 {
		msg = msg[i+len(ErrRefused.Error())+2:]
	}
	msg = truncate(escapeMarkdown(oneLine(msg)), 400)
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}

// Reload rebuilds the base collection (as /kb reload collection:base does)
// on behalf of by, e.g. "SIGHUP", and records the outcome. Questions keep
// being answered from the old index meanwhile.
func (b *Bot) Reload(ctx context.Context, by string) (knowledge.Report, error) {
	rec := b.kb.reloadScope(ctx, Base, by)
	return rec.Report, rec.Err
}
