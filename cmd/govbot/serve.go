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
	"github.com/govbot-dev/govbot/knowledge/library"
)

// syncInterval is how often serve adopts an index that govbot index built
// in the same INDEX_DIR.
const syncInterval = 10 * time.Second

// pruneInterval is how often serve deletes feedback older than
// FEEDBACK_RETENTION_DAYS (it also prunes once when it starts).
const pruneInterval = 24 * time.Hour

// runServe runs the Discord bot until ctx is cancelled (SIGINT, SIGTERM),
// then finishes the work in flight, closes the gateway and the index and
// returns nil. SIGHUP reloads the base knowledge base as /kb reload collection:base does.
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
	kc := cfg.Knowledge
	kc.Logger = logger
	// The base collection (KNOWLEDGE_DIR or the embedded corpus) and one
	// collection per server under DATA_DIR/guilds. A DATA_DIR that cannot
	// be used (the feedback store could not open there) degrades too:
	// servers then read the base alone and cannot add documents.
	dataDir := cfg.DataDir
	if !store.Enabled() {
		logger.Warn("servers' own documents are off: DATA_DIR is unusable; every server reads the base knowledge base", "dir", dataDir)
		dataDir = ""
	}
	lib, rep, err := library.Open(ctx, library.Config{Base: kc, DataDir: dataDir, Logger: logger})
	if err != nil {
		return fmt.Errorf("serve: open knowledge base: %w", err)
	}
	defer lib.Close() // closing twice is harmless
	// Uploads of the days of one shared collection (KNOWLEDGE_DIR/uploads)
	// go to the one server such a deployment served, when it names one.
	if moved, err := lib.MigrateUploads(ctx, cfg.Bot.GuildID); err != nil {
		logger.Warn("moving old uploads to their server failed; they stay in the base for now", "err", err)
	} else if len(moved) > 0 {
		logger.Info("moved old uploads to their server's own collection", "guild", cfg.Bot.GuildID, "documents", len(moved))
	}
	logger.Info("knowledge base ready", "documents", rep.Documents, "passages", rep.Passages,
		"rebuilt", rep.Rebuilt, "skipped", len(rep.Skipped), "took", rep.Duration)
	// /kb add url: fetches pages through the guarded fetcher: public
	// addresses only, at most the upload limit.
	pages := webpage.New(webpage.Options{MaxBytes: max(cfg.Bot.MaxUploadSize, webpage.DefaultMaxBytes)})
	opts := []bot.Option{bot.WithMetrics(m), bot.WithPageFetcher(pages)}
	if store.Enabled() {
		// Feedback, and the state behind buttons so that they work
		// across restarts.
		opts = append(opts, bot.WithFeedback(store), bot.WithButtonStore(store))
	}
	b, err := bot.New(cfg.Bot, bot.FromLibrary(lib), logger, opts...)
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
		maintain(maint, b, lib, m, hup, logger)
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
			if err := metrics.Serve(maint, cfg.MetricsAddr, m.Handler(indexCheck(lib)), logger); err != nil {
				logger.Error("metrics server stopped; govbot keeps answering without it", "err", err)
			}
		}()
	}

	runErr := b.Run(ctx)
	stopMaint()
	wg.Wait()
	if err := lib.Close(); err != nil {
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
func indexCheck(lib *library.Library) func() error {
	return func() error {
		if lib.Base().Status().LoadedAt.IsZero() {
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
func maintain(ctx context.Context, b *bot.Bot, lib *library.Library, m *metrics.Metrics, hup <-chan os.Signal, logger *slog.Logger) {
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
			changed, err := lib.Sync(ctx)
			if err != nil {
				if ctx.Err() == nil {
					logger.Warn("adopting a rebuilt index failed; the current one keeps serving", "err", err)
				}
				continue
			}
			if changed {
				st := lib.Base().Status()
				m.SetIndex(st.Documents, st.Passages, st.BuiltAt)
				logger.Info("adopted the index rebuilt by govbot index", "documents", st.Documents, "passages", st.Passages)
			}
		}
	}
}
