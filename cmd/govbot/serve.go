package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/govbot-dev/govbot/knowledge/webpage"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"sync"
	"syscall"
	"time"

	"github.com/govbot-dev/govbot/bot"
	"github.com/govbot-dev/govbot/bot/feedback"
	"github.com/govbot-dev/govbot/bot/metrics"
	"github.com/govbot-dev/govbot/knowledge"
)

// syncInterval is how often serve adopts an index that govbot index built
// in the same INDEX_DIR.
const syncInterval = 10 * time.Second

// pruneInterval is how often serve deletes feedback older than
// FEEDBACK_RETENTION_DAYS (it also prunes once when it starts).
const pruneInterval = 24 * time.Hour

// runServe runs the Discord bot until ctx is cancelled (SIGINT, SIGTERM),
// then finishes the work in flight, closes the gateway and the index and
// returns nil. SIGHUP reloads the knowledge base as /kb reload does.
func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("serve takes no arguments (got %q); configure it with the environment or .env", args)}
	}
	cfg, err := parseConfig(getenv)
	if err != nil {
		return err
	}
	if err := cfg.forServe(); err != nil {
		return err
	}
	fcfg := cfg.Feedback
	logger := newLogger(stderr, cfg)
	kc := cfg.Knowledge
	kc.Logger = logger
	eng, rep, err := knowledge.Open(ctx, kc)
	if err != nil {
		return fmt.Errorf("serve: open knowledge base: %w", err)
	}
	defer eng.Close()
	logger.Info("knowledge base ready", "documents", rep.Documents, "passages", rep.Passages,
		"rebuilt", rep.Rebuilt, "skipped", len(rep.Skipped), "took", rep.Duration)

	var m *metrics.Metrics // nil: metrics off
	if cfg.MetricsAddr != "" {
		m = metrics.New(metrics.Options{Version: version()})
	}
	// Feedback degrades rather than fails: without a usable DATA_DIR
	// govbot answers without recording (OpenOrDisabled warns).
	fcfg.Logger = logger
	store := feedback.OpenOrDisabled(ctx, fcfg)
	defer store.Close()
	if store.Enabled() {
		logger.Info("feedback recorded", "db", store.Path(), "retention", fcfg.Retention)
	}
	// /kb add url: fetches pages through the guarded fetcher: public
	// addresses only, at most the upload limit.
	pages := webpage.New(webpage.Options{MaxBytes: max(cfg.Bot.MaxUploadSize, webpage.DefaultMaxBytes)})
	opts := []bot.Option{bot.WithMetrics(m), bot.WithPageFetcher(pages)}
	if store.Enabled() {
		// Feedback, and the state behind buttons so that they work
		// across restarts.
		opts = append(opts, bot.WithFeedback(store), bot.WithButtonStore(store))
	}
	lib := bot.NewEngineLibrary(eng, cfg.Knowledge.CorpusDir, logger)
	b, err := bot.New(cfg.Bot, lib, logger, opts...)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	maint, stopMaint := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		maintain(maint, b, eng, m, hup, logger)
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		store.PruneEvery(maint, pruneInterval)
	}()
	if m != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Metrics serve until shutdown; if they fail, govbot keeps
			// answering and says so.
			if err := metrics.Serve(maint, cfg.MetricsAddr, m.Handler(indexCheck(eng)), logger); err != nil {
				logger.Error("metrics server stopped; govbot keeps answering without it", "err", err)
			}
		}()
	}

	runErr := b.Run(ctx)
	stopMaint()
	wg.Wait()
	if err := eng.Close(); err != nil {
		logger.Warn("closing the index", "err", err)
	}
	if runErr != nil {
		return fmt.Errorf("serve: %w", runErr)
	}
	logger.Info("govbot stopped")
	return nil
}

// indexCheck is /readyz's check of the index: it fails once the engine
// is closed.
func indexCheck(eng *knowledge.Engine) func() error {
	return func() error {
		if eng.Status().LoadedAt.IsZero() {
			return errors.New("not open")
		}
		return nil
	}
}

// version is the module version govbot was built as, "" when unknown
// (go run, tests).
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return ""
}

// maintain reloads on SIGHUP and adopts indexes rebuilt by govbot index,
// until ctx is cancelled.
func maintain(ctx context.Context, b *bot.Bot, eng *knowledge.Engine, m *metrics.Metrics, hup <-chan os.Signal, logger *slog.Logger) {
	t := time.NewTicker(syncInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			// Errors are logged and recorded for /kb status by Reload.
			_, _ = b.Reload(ctx, "SIGHUP")
		case <-t.C:
			changed, err := eng.Sync(ctx)
			if err != nil {
				if ctx.Err() == nil {
					logger.Warn("adopting a rebuilt index failed; the current one keeps serving", "err", err)
				}
				continue
			}
			if changed {
				st := eng.Status()
				m.SetIndex(st.Documents, st.Passages, st.BuiltAt)
				logger.Info("adopted the index rebuilt by govbot index", "documents", st.Documents, "passages", st.Passages)
			}
		}
	}
}
