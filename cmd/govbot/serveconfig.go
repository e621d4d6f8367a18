package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/govbot-dev/govbot/bot"
	"github.com/govbot-dev/govbot/bot/metrics"
)

// Defaults of the Discord variables.
const (
	defaultRatePerMinute = 10
	defaultRateBurst     = 5
)

// serveConfig is what govbot serve reads besides the shared config.
type serveConfig struct {
	Bot bot.Config
	// MetricsAddr is METRICS_ADDR as metrics.ListenAddr resolves it
	// (loopback when no host is given); empty means no metrics server.
	MetricsAddr string
}

// parseServeConfig reads the variables of govbot serve. Errors name the
// variable: "config: DISCORD_GUILD_ID: not a snowflake". The token is
// never part of an error.
func parseServeConfig(getenv func(string) string) (serveConfig, error) {
	var sc serveConfig
	c, err := parseBotConfig(getenv)
	if err != nil {
		return sc, err
	}
	sc.Bot = c
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	if v := get("METRICS_ADDR"); v != "" {
		if sc.MetricsAddr, err = metrics.ListenAddr(v); err != nil {
			return sc, fmt.Errorf("config: METRICS_ADDR: %q is not host:port or :port, such as :9090 (loopback) or 0.0.0.0:9090", v)
		}
	}
	return sc, nil
}

// parseBotConfig reads the variables of the Discord bot itself.
func parseBotConfig(getenv func(string) string) (bot.Config, error) {
	var c bot.Config
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }

	c.Token = strings.TrimSpace(strings.TrimPrefix(get("DISCORD_TOKEN"), "Bot "))
	if c.Token == "" {
		return c, errors.New("config: DISCORD_TOKEN is required for serve: copy the token from the Bot tab of your application at https://discord.com/developers/applications into .env")
	}
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
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("config: %w", err)
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
