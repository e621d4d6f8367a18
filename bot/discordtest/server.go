package discordtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Defaults used when the corresponding Options field is empty.
const (
	DefaultToken             = "MTE4NTAwMDAwMDAwMDAwMDAwMQ.discordtest.emulator-token"
	DefaultAppID             = "1185000000000000001"
	DefaultGuildID           = "1185000000000000002"
	DefaultChannelID         = "1185000000000000003"
	DefaultUserID            = "1185000000000000004" // the member used when a Member has no UserID
	DefaultOwnerID           = "1185000000000000005" // the application's owner (GET /applications/@me)
	DefaultSecondGuildID     = "1185000000000000012" // the second guild, with Options.SecondGuild
	DefaultSecondChannelID   = "1185000000000000013" // its channel
	DefaultBotUsername       = "govbot"
	DefaultHeartbeatInterval = 41250 * time.Millisecond
	DefaultAckTimeout        = 3 * time.Second  // Discord's deadline for the first interaction callback
	DefaultTokenTTL          = 15 * time.Minute // lifetime of an interaction token
	DefaultUploadLimit       = 10 << 20         // bytes per attached file, Discord's limit without boosts
)

// Permission bits used for defaults (see Discord's permission table).
const (
	PermAdministrator  int64 = 1 << 3
	PermManageServer   int64 = 1 << 5
	PermAddReactions   int64 = 1 << 6
	PermViewChannel    int64 = 1 << 10
	PermSendMessages   int64 = 1 << 11
	PermEmbedLinks     int64 = 1 << 14
	PermAttachFiles    int64 = 1 << 15
	PermReadHistory    int64 = 1 << 16
	PermExternalEmojis int64 = 1 << 18
	PermUseAppCommands int64 = 1 << 31
	// PermCreatePublicThreads lets the bot open a thread on a message;
	// PermSendInThreads lets it post in threads.
	PermCreatePublicThreads int64 = 1 << 35
	PermSendInThreads       int64 = 1 << 38

	// DefaultMemberPermissions is what a Member with Permissions == 0 gets:
	// an ordinary member of a server, without Manage Server or Administrator.
	DefaultMemberPermissions = PermAddReactions | PermViewChannel | PermSendMessages |
		PermEmbedLinks | PermAttachFiles | PermReadHistory | PermExternalEmojis | PermUseAppCommands
	// DefaultBotPermissions is sent as app_permissions when Options.BotPermissions is 0.
	DefaultBotPermissions = PermAddReactions | PermViewChannel | PermSendMessages |
		PermEmbedLinks | PermAttachFiles | PermReadHistory | PermExternalEmojis |
		PermCreatePublicThreads | PermSendInThreads
)

// Errors returned by the test-side methods of Server and Interaction.
var (
	ErrClosed          = errors.New("discordtest: server closed")
	ErrNotConnected    = errors.New("discordtest: no gateway session has received READY")
	ErrUnknownCommand  = errors.New("discordtest: no such registered command")
	ErrInvalidOption   = errors.New("discordtest: option does not match the registered command")
	ErrUnknownMessage  = errors.New("discordtest: unknown message")
	ErrNoComponent     = errors.New("discordtest: message has no such enabled button")
	ErrNotAcknowledged = errors.New("discordtest: interaction not acknowledged in time")
	ErrNoMessage       = errors.New("discordtest: interaction response has no message")
	ErrMessageDeleted  = errors.New("discordtest: response deleted before it became visible")
)

// Options configures a Server. The zero value is usable: every empty field
// gets the default named after it.
type Options struct {
	// Token is the bot token. IDENTIFY and RESUME must carry it (with or
	// without the "Bot " prefix); REST calls must send "Authorization: Bot <token>".
	// A wrong token gets REST 401 and gateway close 4004.
	Token string
	// AppID, BotUserID, GuildID and ChannelID must be snowflakes. BotUserID
	// defaults to AppID, as for every application created since 2020.
	AppID, BotUserID, GuildID, ChannelID string
	BotUsername                          string
	// SecondGuild puts the bot in a second guild too (DefaultSecondGuildID,
	// with the channel DefaultSecondChannelID): READY lists both, a
	// GUILD_CREATE arrives for each, guild commands are kept per guild,
	// and interactions and messages in a channel carry that channel's
	// guild.
	SecondGuild bool
	// OwnerID owns the application (GET /applications/@me); default
	// DefaultOwnerID. TeamMemberIDs, when set, make the application a
	// team's, with OwnerID as the team's owner.
	OwnerID       string
	TeamMemberIDs []string

	HeartbeatInterval time.Duration // sent in HELLO; tests may shorten it
	AckTimeout        time.Duration // interaction deadline, default 3 s
	TokenTTL          time.Duration // interaction token lifetime, default 15 min
	UploadLimit       int64         // max bytes per uploaded file, default 10 MiB

	// DeniedIntents are privileged intents NOT enabled for the application
	// in the developer portal: an IDENTIFY asking for any of them is closed
	// with 4014. When it includes IntentMessageContent, REST reads of other
	// users' messages lose their content too.
	DeniedIntents discordgo.Intent
	// Compress sends dispatches as zlib-compressed binary frames to clients
	// whose IDENTIFY asked for compress:true (Discord may do either).
	Compress bool
	// BotPermissions is sent as app_permissions; 0 means DefaultBotPermissions.
	BotPermissions int64

	// Logf receives one line per REST call and gateway event (for example
	// t.Logf); nil is silent. It is never called once Close has returned.
	Logf func(format string, args ...any)
}

var snowflakeRE = regexp.MustCompile(`^[0-9]{17,20}$`)

func (o Options) withDefaults() Options {
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&o.Token, DefaultToken)
	o.Token = strings.TrimPrefix(o.Token, "Bot ")
	def(&o.AppID, DefaultAppID)
	def(&o.BotUserID, o.AppID)
	def(&o.GuildID, DefaultGuildID)
	def(&o.ChannelID, DefaultChannelID)
	def(&o.BotUsername, DefaultBotUsername)
	def(&o.OwnerID, DefaultOwnerID)
	for name, v := range map[string]string{"AppID": o.AppID, "BotUserID": o.BotUserID, "GuildID": o.GuildID, "ChannelID": o.ChannelID} {
		if !snowflakeRE.MatchString(v) {
			panic(fmt.Sprintf("discordtest: Options.%s: %q is not a snowflake", name, v))
		}
	}
	if o.HeartbeatInterval <= 0 {
		o.HeartbeatInterval = DefaultHeartbeatInterval
	}
	if o.AckTimeout <= 0 {
		o.AckTimeout = DefaultAckTimeout
	}
	if o.TokenTTL <= 0 {
		o.TokenTTL = DefaultTokenTTL
	}
	if o.UploadLimit <= 0 {
		o.UploadLimit = DefaultUploadLimit
	}
	if o.BotPermissions == 0 {
		o.BotPermissions = DefaultBotPermissions
	}
	return o
}

// Request is one REST call as the emulator received it. The Authorization
// header is never stored.
type Request struct {
	Method string
	Path   string // as sent, e.g. /api/v9/channels/1185000000000000003/messages
	Query  string
	Route  string // the matched route, e.g. "POST /channels/{channel_id}/messages"; "" if none
	Body   []byte // raw body (multipart bodies included as sent)
	Status int
	At     time.Time
}

// Server emulates Discord's REST API and gateway for one application in
// one guild. All methods are safe for concurrent use.
type Server struct {
	opts     Options
	hs       *httptest.Server
	table    []*route
	upgrader websocket.Upgrader
	lastID   atomic.Uint64
	gwWG     sync.WaitGroup

	logMu     sync.RWMutex // Logf runs under the read lock; Close takes the write lock
	logClosed bool

	closeOnce sync.Once

	mu           sync.Mutex
	token        string // the bot token now valid; ResetToken replaces it
	closed       bool
	changed      chan struct{} // closed and replaced on every state change
	done         chan struct{} // closed by Close
	sessions     []*session    // resumable sessions; a session without a conn awaits RESUME
	conns        map[*gwConn]struct{}
	identifies   int
	resumes      int
	intents      discordgo.Intent
	commands     map[string][]*discordgo.ApplicationCommand // by guild ID, "" = global
	interactions map[string]*interactionState
	messages     map[string]*storedMessage
	channels     map[string]*channelState
	files        map[string]*storedFile // attachments by ID
	users        map[string]wireUser
	requests     []Request
	violations   []string
	buckets      map[string]*bucket
	msgOrder     int
}

// New starts an emulator on a loopback port. Close it when done.
func New(opts Options) *Server {
	s := &Server{
		opts:         opts.withDefaults(),
		changed:      make(chan struct{}),
		done:         make(chan struct{}),
		conns:        map[*gwConn]struct{}{},
		commands:     map[string][]*discordgo.ApplicationCommand{},
		interactions: map[string]*interactionState{},
		messages:     map[string]*storedMessage{},
		channels:     map[string]*channelState{},
		files:        map[string]*storedFile{},
		users:        map[string]wireUser{},
		buckets:      map[string]*bucket{},
	}
	s.token = s.opts.Token
	s.upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	s.channels[s.opts.ChannelID] = &channelState{id: s.opts.ChannelID, name: "general", kind: discordgo.ChannelTypeGuildText, guild: s.opts.GuildID}
	if s.opts.SecondGuild {
		s.channels[DefaultSecondChannelID] = &channelState{id: DefaultSecondChannelID, name: "second-general", kind: discordgo.ChannelTypeGuildText, guild: DefaultSecondGuildID}
	}
	s.users[s.opts.BotUserID] = s.botUser()
	s.routes()
	s.hs = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// NewTest starts an emulator that logs to t and closes when t ends.
func NewTest(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Logf == nil {
		opts.Logf = t.Logf
	}
	s := New(opts)
	t.Cleanup(s.Close)
	return s
}

// URL is the emulator's origin, http://127.0.0.1:PORT (what DISCORD_API_URL gets).
func (s *Server) URL() string { return s.hs.URL }

// GatewayURL is the URL returned by GET /gateway.
func (s *Server) GatewayURL() string { return "ws" + strings.TrimPrefix(s.hs.URL, "http") + "/gateway" }

// Token is the bot token now valid, without the "Bot " prefix.
func (s *Server) Token() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.token
}

// ResetToken replaces the bot token, as "Reset Token" in the developer
// portal does: REST calls with the old one get 401, every gateway
// connection is closed with 4004 (authentication failed) and its session
// forgotten, and IDENTIFY or RESUME with the old token is refused the same
// way.
func (s *Server) ResetToken(token string) {
	s.mu.Lock()
	s.token = strings.TrimPrefix(token, "Bot ")
	s.mu.Unlock()
	conns := s.detachAll(true)
	for _, c := range conns {
		c.closeWith(closeAuthFailed, "Authentication failed.")
	}
	s.logf("gateway: token reset; closed %d connection(s) with %d", len(conns), closeAuthFailed)
}

// AppID is the application's ID (the {application_id} of command and
// webhook routes).
func (s *Server) AppID() string { return s.opts.AppID }

// BotUserID is the bot user's ID, as in READY and <@id> mentions.
func (s *Server) BotUserID() string { return s.opts.BotUserID }

// GuildID is the guild the bot is in (the first, with Options.SecondGuild).
func (s *Server) GuildID() string { return s.opts.GuildID }

// SecondGuildID is the second guild with Options.SecondGuild, else "".
func (s *Server) SecondGuildID() string {
	if !s.opts.SecondGuild {
		return ""
	}
	return DefaultSecondGuildID
}

// SecondChannelID is the channel of the second guild, "" without one.
func (s *Server) SecondChannelID() string {
	if !s.opts.SecondGuild {
		return ""
	}
	return DefaultSecondChannelID
}

// OwnerID is the application's owner.
func (s *Server) OwnerID() string { return s.opts.OwnerID }

// guildIDs lists the guilds the bot is in.
func (s *Server) guildIDs() []string {
	if s.opts.SecondGuild {
		return []string{s.opts.GuildID, DefaultSecondGuildID}
	}
	return []string{s.opts.GuildID}
}

// isGuild reports whether the bot is in guild id.
func (s *Server) isGuild(id string) bool { return slices.Contains(s.guildIDs(), id) }

// ChannelID is the guild's default text channel.
func (s *Server) ChannelID() string { return s.opts.ChannelID }

// Close drops every gateway connection, stops the HTTP server and wakes
// every waiter with ErrClosed. It is idempotent.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		close(s.done)
		conns := make([]*gwConn, 0, len(s.conns))
		for c := range s.conns {
			conns = append(conns, c)
		}
		for _, ix := range s.interactions {
			ix.timer.Stop()
		}
		s.notifyLocked()
		s.mu.Unlock()
		for _, c := range conns {
			c.ws.Close()
		}
		s.gwWG.Wait()
		s.hs.Close()
		s.logMu.Lock()
		s.logClosed = true
		s.logMu.Unlock()
	})
}

func (s *Server) logf(format string, args ...any) {
	s.logMu.RLock()
	defer s.logMu.RUnlock()
	if s.logClosed || s.opts.Logf == nil {
		return
	}
	s.opts.Logf("discordtest: "+format, args...)
}

// Identifies counts IDENTIFY payloads that got READY.
func (s *Server) Identifies() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.identifies
}

// Resumes counts RESUME payloads that got RESUMED.
func (s *Server) Resumes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.resumes
}

// Intents are the intents of the latest successful IDENTIFY.
func (s *Server) Intents() discordgo.Intent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.intents
}

// Requests returns a copy of the REST call log, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		r.Body = append([]byte(nil), r.Body...)
		out[i] = r
	}
	return out
}

// Violations returns every broken Discord rule seen so far, oldest first.
// Each entry names the rule and the route, e.g.
// "content: 2001 characters > 2000 (POST /channels/{channel_id}/messages)".
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.violations...)
}

func (s *Server) violateLocked(format string, args ...any) {
	v := fmt.Sprintf(format, args...)
	s.violations = append(s.violations, v)
	s.logf("VIOLATION %s", v)
}

// notifyLocked wakes every waiter. s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) notify() {
	s.mu.Lock()
	s.notifyLocked()
	s.mu.Unlock()
}

// wait calls check under s.mu until it reports done or an error, the
// context ends, or the server closes; it rechecks on every notify.
func (s *Server) wait(ctx context.Context, check func() (bool, error)) error {
	return s.waitOn(ctx, func() chan struct{} { return s.changed }, check)
}

// waitOn is wait with the change channel chosen by changed (called under
// s.mu), so that waiters on one interaction are not woken by every call.
func (s *Server) waitOn(ctx context.Context, changed func() chan struct{}, check func() (bool, error)) error {
	for {
		s.mu.Lock()
		done, err := check()
		ch, closed := changed(), s.closed
		s.mu.Unlock()
		if done || err != nil {
			return err
		}
		if closed {
			return ErrClosed
		}
		select {
		case <-ch:
		case <-s.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// discordEpoch is 2015-01-01T00:00:00Z in Unix milliseconds.
const discordEpoch = 1420070400000

// newID returns a fresh snowflake, strictly increasing.
func (s *Server) newID() string {
	for {
		last := s.lastID.Load()
		id := uint64(time.Now().UnixMilli()-discordEpoch) << 22
		if id <= last {
			id = last + 1
		}
		if s.lastID.CompareAndSwap(last, id) {
			return fmt.Sprint(id)
		}
	}
}

func (s *Server) botUser() wireUser {
	return wireUser{ID: s.opts.BotUserID, Username: s.opts.BotUsername, Discriminator: "0", Bot: true}
}
