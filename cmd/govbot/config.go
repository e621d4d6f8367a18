package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/govbot-dev/govbot/bot"
	"github.com/govbot-dev/govbot/bot/feedback"
	"github.com/govbot-dev/govbot/bot/metrics"
	"github.com/govbot-dev/govbot/knowledge"
)

// config is govbot's whole configuration, parsed once from the
// environment by parseConfig. Each command uses its part: the knowledge
// base and logging (every command), Bot and MetricsAddr (serve), Feedback
// (serve, report).
type config struct {
	Knowledge knowledge.Config // CorpusDir, IndexDir, MaxFileSize
	LogLevel  slog.Level
	LogFormat string // "text" or "json"

	// Bot is the Discord side; its Token is checked by forServe, since
	// only serve needs one.
	Bot bot.Config
	// MetricsAddr is METRICS_ADDR as metrics.ListenAddr resolves it
	// (loopback when no host is given); empty means no metrics server.
	MetricsAddr string
	// Feedback configures the feedback database (DATA_DIR and the
	// FEEDBACK_ variables); Logger is left for the caller.
	Feedback feedback.Config
	// dataDirErr is why no default DATA_DIR could be found (no home
	// directory); it matters only to the commands that keep data.
	dataDirErr error
	// DataDir is DATA_DIR (default: defaultDataDir), the same as
	// Feedback.Dir: servers' own collections live in DataDir/guilds.
	// Empty when there is no default (no home directory).
	DataDir string
}

// Defaults of the Discord and feedback variables.
const (
	defaultRatePerMinute = 10
	defaultRateBurst     = 5
	defaultRetentionDays = 90
	minSaltLen           = 16
)

// parseConfig reads and validates every variable. Errors name the
// variable: "config: MAX_FILE_SIZE: ...". Neither the token nor the salt
// is ever part of an error.
func parseConfig(getenv func(string) string) (config, error) {
	var c config
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	c.Knowledge.CorpusDir = get("KNOWLEDGE_DIR")
	c.Knowledge.IndexDir = get("INDEX_DIR")
	if v := get("MAX_FILE_SIZE"); v != "" {
		n, err := parseSize(v)
		if err != nil {
			return c, fmt.Errorf("config: MAX_FILE_SIZE: %w", err)
		}
		c.Knowledge.MaxFileSize = n
	}
	switch v := strings.ToLower(get("CORPUS_CHECK")); v {
	case "", "open":
	case "index":
		c.Knowledge.TrustIndex = true
	default:
		return c, fmt.Errorf("config: CORPUS_CHECK: %q is not open (compare the corpus with the index at every start) or index (only govbot index and reloads compare)", v)
	}
	switch v := strings.ToLower(get("LOG_LEVEL")); v {
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
	switch v := strings.ToLower(get("LOG_FORMAT")); v {
	case "", "text":
		c.LogFormat = "text"
	case "json":
		c.LogFormat = "json"
	default:
		return c, fmt.Errorf("config: LOG_FORMAT: %q is not text or json", v)
	}
	var err error
	if c.Bot, err = parseBotConfig(get); err != nil {
		return c, err
	}
	if v := get("METRICS_ADDR"); v != "" {
		if c.MetricsAddr, err = metrics.ListenAddr(v); err != nil {
			return c, fmt.Errorf("config: METRICS_ADDR: %q is not host:port or :port, such as :9090 (loopback) or 0.0.0.0:9090", v)
		}
	}
	if c.Feedback, c.dataDirErr, err = parseFeedbackConfig(getenv); err != nil {
		return c, err
	}
	c.DataDir = c.Feedback.Dir
	return c, nil
}

// forServe checks what serve needs beyond a valid configuration.
func (c config) forServe() error {
	if c.Bot.Token == "" {
		return errors.New("config: DISCORD_TOKEN is required for serve: copy the token from the Bot tab of your application at https://discord.com/developers/applications into .env")
	}
	if err := c.Bot.Validate(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return c.dataDirErr
}

// parseBotConfig reads the variables of the Discord bot itself. The token
// may be missing (only serve needs it: see forServe).
func parseBotConfig(get func(string) string) (bot.Config, error) {
	var c bot.Config
	c.Token = bot.Secret(strings.TrimSpace(strings.TrimPrefix(get("DISCORD_TOKEN"), "Bot ")))
	if v := get("DISCORD_API_URL"); v != "" {
		if err := (bot.Config{Token: "x", APIURL: v}).Validate(); err != nil {
			return c, fmt.Errorf("config: DISCORD_API_URL: %q is not an http(s) origin such as https://discord.com", v)
		}
		c.APIURL = v
	}
	if v := get("DISCORD_GUILD_ID"); v != "" {
		if !bot.IsSnowflake(v) {
			return c, fmt.Errorf("config: DISCORD_GUILD_ID: %q is not a snowflake (a server id: right-click the server with Developer Mode on, Copy Server ID)", v)
		}
		c.GuildID = v
	}
	var err error
	if c.AdminRoleIDs, err = snowflakes(get("ADMIN_ROLE_IDS")); err != nil {
		return c, fmt.Errorf("config: ADMIN_ROLE_IDS: %w", err)
	}
	if c.OperatorIDs, err = snowflakes(get("OPERATOR_USER_IDS")); err != nil {
		return c, fmt.Errorf("config: OPERATOR_USER_IDS: %w (user ids: right-click a user with Developer Mode on, Copy User ID)", err)
	}
	if c.StudyChannelIDs, err = snowflakes(get("STUDY_CHANNEL_IDS")); err != nil {
		return c, fmt.Errorf("config: STUDY_CHANNEL_IDS: %w", err)
	}
	if v := get("STUDY_AUTO_ANSWER"); v != "" {
		if c.StudyAutoAnswer, err = strconv.ParseBool(v); err != nil {
			return c, fmt.Errorf("config: STUDY_AUTO_ANSWER: %q is not true or false", v)
		}
		if c.StudyAutoAnswer && len(c.StudyChannelIDs) == 0 {
			return c, errors.New("config: STUDY_AUTO_ANSWER: true needs STUDY_CHANNEL_IDS, the channels to answer in")
		}
	}
	for _, b := range []struct {
		name string
		v    *bool
	}{{"MESSAGE_CONTENT", &c.MessageContent}, {"STUDY_THREADS", &c.StudyThreads}} {
		if v := get(b.name); v != "" {
			if *b.v, err = strconv.ParseBool(v); err != nil {
				return c, fmt.Errorf("config: %s: %q is not true or false", b.name, v)
			}
		}
	}
	if c.StudyThreads && len(c.StudyChannelIDs) == 0 {
		return c, errors.New("config: STUDY_THREADS: true needs STUDY_CHANNEL_IDS, the channels to open threads in")
	}
	shardID, shardCount := get("SHARD_ID"), get("SHARD_COUNT")
	if (shardID == "") != (shardCount == "") {
		return c, errors.New("config: SHARD_ID and SHARD_COUNT go together: set both or neither")
	}
	if shardCount != "" {
		if c.ShardCount, err = strconv.Atoi(shardCount); err != nil || c.ShardCount < 1 {
			return c, fmt.Errorf("config: SHARD_COUNT: %q is not a positive number", shardCount)
		}
		if c.ShardID, err = strconv.Atoi(shardID); err != nil || c.ShardID < 0 || c.ShardID >= c.ShardCount {
			return c, fmt.Errorf("config: SHARD_ID: %q is not between 0 and SHARD_COUNT-1 (%d)", shardID, c.ShardCount-1)
		}
	}
	c.RatePerMinute, c.RateBurst = defaultRatePerMinute, defaultRateBurst
	if v := get("RATE_LIMIT_PER_MINUTE"); v != "" {
		if c.RatePerMinute, err = strconv.ParseFloat(v, 64); err != nil || c.RatePerMinute < 0 {
			return c, fmt.Errorf("config: RATE_LIMIT_PER_MINUTE: %q is not a number ≥ 0 (0 turns the limit off)", v)
		}
	}
	if v := get("RATE_LIMIT_BURST"); v != "" {
		if c.RateBurst, err = strconv.Atoi(v); err != nil || c.RateBurst < 1 {
			return c, fmt.Errorf("config: RATE_LIMIT_BURST: %q is not a positive number", v)
		}
	}
	c.MaxUploadSize = bot.DefaultMaxUploadSize
	if v := get("UPLOAD_MAX_SIZE"); v != "" {
		if c.MaxUploadSize, err = parseSize(v); err != nil {
			return c, fmt.Errorf("config: UPLOAD_MAX_SIZE: %w", err)
		}
	}
	return c, nil
}

// snowflakes reads a comma- or space-separated list of Discord ids.
func snowflakes(s string) ([]string, error) {
	var ids []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		if !bot.IsSnowflake(f) {
			return nil, fmt.Errorf("%q is not a snowflake", f)
		}
		ids = append(ids, f)
	}
	return ids, nil
}

// parseFeedbackConfig reads the variables of the feedback database:
// DATA_DIR (default: defaultDataDir), FEEDBACK_SALT (optional, at least
// 16 characters) and FEEDBACK_RETENTION_DAYS (default 90; 0 keeps
// feedback forever). Errors name the variable. The salt is never part of
// an error. dirErr says why there is no default DATA_DIR. Logger and
// clock are left for the caller.
func parseFeedbackConfig(getenv func(string) string) (c feedback.Config, dirErr, err error) {
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	c.Dir = get("DATA_DIR")
	if c.Dir == "" {
		c.Dir, dirErr = defaultDataDir(getenv)
	}
	if v := getenv("FEEDBACK_SALT"); v != "" {
		if len(v) < minSaltLen {
			return c, nil, fmt.Errorf("config: FEEDBACK_SALT: too short (%d characters); use at least %d random ones, e.g. from openssl rand -hex 32, or leave it empty to let govbot keep one in its database", len(v), minSaltLen)
		}
		c.Salt = []byte(v)
	}
	c.Retention = defaultRetentionDays * 24 * time.Hour
	if v := get("FEEDBACK_RETENTION_DAYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 100*365 {
			return c, nil, fmt.Errorf("config: FEEDBACK_RETENTION_DAYS: %q is not a number of days (0 keeps feedback forever)", v)
		}
		c.Retention = time.Duration(n) * 24 * time.Hour
	}
	return c, dirErr, nil
}

// defaultDataDir is where govbot keeps its data when DATA_DIR is not set,
// outside any work tree: $XDG_DATA_HOME/govbot, else
// ~/Library/Application Support/govbot on macOS, %LocalAppData%\govbot
// on Windows, and ~/.local/share/govbot elsewhere.
func defaultDataDir(getenv func(string) string) (string, error) {
	if x := getenv("XDG_DATA_HOME"); filepath.IsAbs(x) {
		return filepath.Join(x, "govbot"), nil
	}
	if runtime.GOOS == "windows" {
		if d := getenv("LocalAppData"); d != "" {
			return filepath.Join(d, "govbot"), nil
		}
		return "", errors.New("config: DATA_DIR: %LocalAppData% is not set; set DATA_DIR")
	}
	home := getenv("HOME")
	if !filepath.IsAbs(home) {
		return "", errors.New("config: DATA_DIR: no home directory to keep data in; set DATA_DIR")
	}
	if runtime.GOOS == "darwin" {
		return filepath.Join(home, "Library", "Application Support", "govbot"), nil
	}
	return filepath.Join(home, ".local", "share", "govbot"), nil
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
