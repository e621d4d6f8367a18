package main

import (
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"github.com/govbot-dev/govbot/knowledge"
)

// config is what every govbot command reads from the environment.
type config struct {
	Knowledge knowledge.Config // CorpusDir, IndexDir, MaxFileSize
	LogLevel  slog.Level
	LogFormat string // "text" or "json"
	// DataDir is DATA_DIR (default: defaultDataDir): servers' own
	// collections live in DataDir/guilds. Empty when there is no
	// default (no home directory): servers then have none.
	DataDir string
}

// parseConfig reads and validates the shared variables. Errors name the
// variable: "config: MAX_FILE_SIZE: ...".
func parseConfig(getenv func(string) string) (config, error) {
	var c config
	c.Knowledge.CorpusDir = strings.TrimSpace(getenv("KNOWLEDGE_DIR"))
	c.Knowledge.IndexDir = strings.TrimSpace(getenv("INDEX_DIR"))
	if v := strings.TrimSpace(getenv("MAX_FILE_SIZE")); v != "" {
		n, err := parseSize(v)
		if err != nil {
			return c, fmt.Errorf("config: MAX_FILE_SIZE: %w", err)
		}
		c.Knowledge.MaxFileSize = n
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv("LOG_LEVEL"))); v {
	case "", "info":
		c.LogLevel = slog.LevelInfo
	case "debug":
		c.LogLevel = slog.LevelDebug
	case "warn", "warning":
		c.LogLevel = slog.LevelWarn
	case "error":
		c.LogLevel = slog.LevelError
	default:
		return c, fmt.Errorf("config: LOG_LEVEL: %q is not one of debug, info, warn, error", v)
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv("LOG_FORMAT"))); v {
	case "", "text":
		c.LogFormat = "text"
	case "json":
		c.LogFormat = "json"
	default:
		return c, fmt.Errorf("config: LOG_FORMAT: %q is not text or json", v)
	}
	c.DataDir = strings.TrimSpace(getenv("DATA_DIR"))
	if c.DataDir == "" {
		c.DataDir, _ = defaultDataDir(getenv)
	}
	return c, nil
}

// parseSize reads a byte count with an optional KiB/MiB/GiB (or K/M/G) suffix.
func parseSize(s string) (int64, error) {
	mult := int64(1)
	u := strings.ToUpper(s)
	for _, suf := range []struct {
		s string
		m int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(u, suf.s) {
			mult, u = suf.m, strings.TrimSpace(strings.TrimSuffix(u, suf.s))
			break
		}
	}
	n, err := strconv.ParseInt(u, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a positive size such as 10MiB", s)
	}
	return n * mult, nil
}

// newLogger builds the process logger once, from config. It never logs
// secrets: nothing passes the token to it.
func newLogger(w io.Writer, c config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
