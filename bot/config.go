package bot

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"time"
)

// Secret is a credential: fmt, slog and JSON show it as "[redacted]", so
// a configuration printed or logged whole does not give it away. string(s)
// is the value.
type Secret string

const redactedSecret = "[redacted]"

func (Secret) String() string { return redactedSecret }

// GoString is what %#v prints.
func (Secret) GoString() string { return redactedSecret }

// LogValue is what slog records.
func (Secret) LogValue() slog.Value { return slog.StringValue(redactedSecret) }

// MarshalText is what encoding/json and friends write.
func (Secret) MarshalText() ([]byte, error) { return []byte(redactedSecret), nil }

// Config configures a Bot. cmd/govbot builds it from the environment;
// nothing in this package reads the environment.
type Config struct {
	// Token is the bot token from the developer portal, without "Bot ".
	// Required. It is never logged: printed, it shows as [redacted].
	Token Secret
	// APIURL is an origin (scheme, host and optional path prefix) that
	// replaces https://discord.com for every REST call, gateway discovery
	// included. Empty means Discord itself.
	APIURL string
	// GuildID, when set, registers the commands in that guild only
	// (instantly); otherwise they are registered globally.
	GuildID string
	// ShardID and ShardCount split guilds between processes; ShardCount 0
	// or 1 means a single shard. Only shard 0 registers commands.
	ShardID, ShardCount int
	// AdminRoleIDs may manage their server's knowledge base (/kb) in
	// addition to members with Manage Server or Administrator.
	AdminRoleIDs []string
	// OperatorIDs are users who may change the base knowledge base from
	// Discord, besides the application's owner or team members, which
	// the bot reads from Discord when it connects.
	OperatorIDs []string
	// StudyChannelIDs are channels (or threads) where, with
	// StudyAutoAnswer, every question-shaped message is answered without a
	// mention. StudyAutoAnswer needs the privileged Message Content intent.
	StudyChannelIDs []string
	StudyAutoAnswer bool
	// MessageContent asks for the privileged Message Content intent, so
	// that plain messages (no mention) are read: in threads started from
	// or by govbot's answers they are answered as follow-ups. Without it
	// govbot answers mentions and replies there, and says so once in each
	// such thread. StudyAutoAnswer turns it on too.
	MessageContent bool
	// StudyThreads opens a thread on each answer govbot gives in a study
	// channel, so that the conversation stays together (needs the Create
	// Public Threads and Send Messages in Threads permissions).
	StudyThreads bool
	// RatePerMinute is how many questions (/ask, /search, /source,
	// mentions) each user may ask a minute, with bursts of RateBurst.
	// RatePerMinute <= 0 disables the limit.
	RatePerMinute float64
	RateBurst     int
	// DeferAfter is how long a handler works before it acknowledges with a
	// deferred response (type 5 or 6) instead of answering directly.
	// 0 means 1.5 s, well inside Discord's 3 s.
	DeferAfter time.Duration
	// DrainTimeout bounds how long Run waits for in-flight handlers on
	// shutdown. 0 means 7 s.
	DrainTimeout time.Duration
	// MaxUploadSize bounds a file uploaded with /kb add, in bytes. 0 means
	// DefaultMaxUploadSize.
	MaxUploadSize int64
}

// DefaultMaxUploadSize is the largest upload /kb add accepts when
// Config.MaxUploadSize is 0.
const DefaultMaxUploadSize = 2 << 20

func (c Config) withDefaults() Config {
	if c.DeferAfter <= 0 {
		c.DeferAfter = 1500 * time.Millisecond
	}
	if c.DrainTimeout <= 0 {
		c.DrainTimeout = 7 * time.Second
	}
	if c.ShardCount < 1 {
		c.ShardCount = 1
	}
	if c.MaxUploadSize <= 0 {
		c.MaxUploadSize = DefaultMaxUploadSize
	}
	return c
}

// Validate reports the first problem with c, naming the field.
func (c Config) Validate() error {
	if c.Token == "" {
		return errors.New("token is required")
	}
	if c.APIURL != "" {
		if _, err := parseOrigin(c.APIURL); err != nil {
			return fmt.Errorf("API URL: %w", err)
		}
	}
	if c.GuildID != "" && !IsSnowflake(c.GuildID) {
		return fmt.Errorf("guild id %q is not a snowflake", c.GuildID)
	}
	for _, id := range append(append(append([]string(nil), c.AdminRoleIDs...), c.StudyChannelIDs...), c.OperatorIDs...) {
		if !IsSnowflake(id) {
			return fmt.Errorf("%q is not a snowflake", id)
		}
	}
	if c.ShardCount > 1 && (c.ShardID < 0 || c.ShardID >= c.ShardCount) {
		return fmt.Errorf("shard id %d is not in [0, %d)", c.ShardID, c.ShardCount)
	}
	if c.StudyAutoAnswer && len(c.StudyChannelIDs) == 0 {
		return errors.New("study auto-answer needs at least one study channel")
	}
	if c.MaxUploadSize < 0 {
		return fmt.Errorf("max upload size %d is negative", c.MaxUploadSize)
	}
	return nil
}

// IsSnowflake reports whether s is a Discord id: a decimal uint64.
func IsSnowflake(s string) bool {
	if s == "" || s[0] == '+' || s[0] == '-' {
		return false
	}
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

// parseOrigin checks that s is an absolute http(s) URL without query or
// fragment, and returns it without a trailing slash.
func parseOrigin(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an http(s) origin such as https://discord.com", s)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("%q must not carry a query, fragment or credentials", s)
	}
	for len(u.Path) > 0 && u.Path[len(u.Path)-1] == '/' {
		u.Path = u.Path[:len(u.Path)-1]
	}
	u.RawPath = ""
	return u, nil
}
