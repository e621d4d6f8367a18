// Package bot is govbot's Discord adapter: slash commands, mentions in
// channels and threads, admin reloads, uploads and removals of documents,
// 👍/👎 feedback and coverage gaps, all answered from a KnowledgeBase with
// cited excerpts that fit Discord's limits and ping nobody. Metrics
// (bot/metrics) and the feedback store (bot/feedback) are optional
// dependencies given to New as Options; without them the bot answers the
// same.
package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/govbot-dev/govbot/bot/metrics"
)

// Bounds of the bot's own work.
const (
	convoTTL  = time.Hour
	convoSize = 5000
	// handlerTimeout bounds one handler, a reload included: within the
	// 15 minutes an interaction token lives, so the outcome can be shown.
	handlerTimeout = 14 * time.Minute
)

// Bot serves a Library on Discord. Create it with New and run it with
// Run; its exported methods are safe for concurrent use.
//
// Bot itself runs the gateway and the lifecycle (admitting work, draining
// it on shutdown); the commands of the table (commands.go) are answered
// by small handler structs that hold only what they use.
type Bot struct {
	cfg      Config
	log      *slog.Logger
	metrics  *metrics.Metrics // nil: metrics off
	auth     *authority
	router   *router
	messages *messages
	kb       *kbCommand // for Reload (SIGHUP)

	mu       sync.Mutex // guards closing and inflight.Add
	closing  bool
	inflight sync.WaitGroup
	work     context.Context // cancelled when draining gives up
	stopWork context.CancelFunc

	// disconnected is set when the gateway drops; the READY or RESUMED
	// that follows counts as a reconnect.
	disconnected atomic.Bool
	// checking is set while a dropped gateway's token check runs; fatal
	// receives the reason Run must stop when reconnecting cannot help.
	checking atomic.Bool
	fatal    chan error

	appID   atomic.Pointer[string] // the application's id, from READY
	checked sync.Map               // guild id → struct{}: stale guild commands checked

	self  atomic.Pointer[discordgo.User] // the bot's own user, from READY
	ready chan struct{}                  // closed once commands are registered
	once  sync.Once
}

// options are the optional dependencies of a Bot.
type options struct {
	metrics  *metrics.Metrics
	feedback Feedback
	buttons  ButtonStore
	now      func() time.Time
	pages    PageFetcher
}

// An Option adds an optional dependency to a Bot.
type Option func(*options)

// WithPageFetcher lets admins add web pages with /kb add url:. f is
// trusted to refuse addresses that are not public (webpage.Fetcher does);
// without it, /kb add url: says that adding web pages is off.
func WithPageFetcher(f PageFetcher) Option { return func(o *options) { o.pages = f } }

// WithMetrics records questions, reloads, uploads, votes and the gateway's
// state in m. A nil m is the same as no option: metrics off.
func WithMetrics(m *metrics.Metrics) Option { return func(o *options) { o.metrics = m } }

// WithFeedback records every answer in f, puts 👍/👎 buttons on the
// answers it recorded, and lets /kb gaps read it. Without it (or with a
// nil f) answers carry no vote buttons and /kb gaps says feedback is off.
// A store that fails never stops an answer.
func WithFeedback(f Feedback) Option {
	return func(o *options) {
		if f != nil {
			o.feedback = f
		}
	}
}

// WithButtonStore keeps the state behind buttons (pages, passages, the
// remove confirmation) in s, so that they keep working across restarts
// for a week. Without it they work until the bot restarts.
func WithButtonStore(s ButtonStore) Option {
	return func(o *options) {
		if s != nil {
			o.buttons = s
		}
	}
}

// WithClock sets the clock of button lifetimes, gaps periods and reload
// records; nil means time.Now.
func WithClock(now func() time.Time) Option {
	return func(o *options) {
		if now != nil {
			o.now = now
		}
	}
}

// New returns a Bot for cfg over lib. It does not connect; Run does. A nil
// logger discards logs.
func New(cfg Config, lib Library, logger *slog.Logger, opts ...Option) (*Bot, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("bot config: %w", err)
	}
	if lib == nil {
		return nil, errors.New("bot: nil library")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg = cfg.withDefaults()
	o := options{now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	work, stop := context.WithCancel(context.Background())
	b := &Bot{
		cfg:      cfg,
		log:      logger,
		metrics:  o.metrics,
		auth:     newAuthority(cfg.AdminRoleIDs, cfg.OperatorIDs),
		work:     work,
		stopWork: stop,
		ready:    make(chan struct{}),
		fatal:    make(chan error, 1),
	}
	vs := newViews(o.buttons, logger, o.now)
	users := newUserLimiter(cfg.RatePerMinute, cfg.RateBurst, nil)
	answers := &answerer{lib: lib, views: vs, feedback: &recorder{store: o.feedback, log: logger}}
	h := handlers{
		ask:    &askCommand{answers: answers, limits: limiter{users}, metrics: o.metrics},
		search: &searchCommand{lib: lib, views: vs, limits: limiter{users}, metrics: o.metrics},
		source: &sourceCommand{lib: lib, views: vs, limits: limiter{users}},
		kb: &kbCommand{lib: lib, auth: b.auth, feedback: o.feedback, views: vs, metrics: o.metrics, log: logger,
			now: o.now, reloads: &reloadLog{}, fetch: newDownloader(cfg.APIURL, cfg.MaxUploadSize), pages: o.pages},
	}
	pg := &pageButtons{lib: lib, views: vs}
	votes := &voter{store: o.feedback, metrics: o.metrics, log: logger}
	pageOf := func(kind string) func(*interaction, string, int) error {
		return func(ix *interaction, id string, n int) error { return pg.page(ix, kind, id, n) }
	}
	b.router = newRouter(logger, b.auth, table(h), map[string]func(*interaction, string, int) error{
		kindAsk:     pageOf(kindAsk),
		kindSearch:  pageOf(kindSearch),
		kindSource:  pageOf(kindSource),
		kindPassage: pg.passage,
		kindRemove:  h.kb.confirmRemove,
		kindVote:    votes.vote,
	})
	b.kb = h.kb
	b.messages = &messages{answers: answers, limits: users, metrics: o.metrics, log: logger,
		convos: newConversations(o.now), autoAnswer: cfg.StudyAutoAnswer, readAll: cfg.MessageContent || cfg.StudyAutoAnswer,
		studyThreads: cfg.StudyThreads, studyChans: cfg.StudyChannelIDs}
	return b, nil
}

// Intents returns the gateway intents the bot asks for: guilds (channel
// and thread lists), guild messages and direct messages (mentions, replies
// and DMs), and Message Content only with Config.MessageContent or study
// auto-answer (plain messages in threads and study channels), since a bot
// receives the content of messages that mention it, and of DMs, without
// that privileged intent.
func (b *Bot) Intents() discordgo.Intent {
	in := discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	if b.messages.readAll {
		in |= discordgo.IntentsMessageContent
	}
	return in
}

// Ready is closed once the bot is connected and has registered its
// commands.
func (b *Bot) Ready() <-chan struct{} { return b.ready }

// Run connects to Discord, registers the commands when the gateway is
// ready, and serves until ctx is cancelled. Then it stops taking new work,
// waits for handlers in flight (at most Config.DrainTimeout), closes the
// gateway and returns nil. It returns an error when it cannot connect or
// Discord closes the gateway for a reason reconnecting cannot fix (bad
// token, disallowed intents), or when the token stops working while it
// runs (reset or revoked). Run may be called once.
//
// Reconnects and resumes are discordgo's: it resumes the session after a
// dropped connection and re-identifies when Discord asks.
func (b *Bot) Run(ctx context.Context) error {
	s, err := b.session()
	if err != nil {
		return err
	}
	s.AddHandler(b.onReady)
	s.AddHandler(b.onInteraction)
	s.AddHandler(b.onMessageCreate)
	s.AddHandler(b.onThreadCreate)
	s.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) {
		b.metrics.GatewayConnected(false)
		if b.isClosing() {
			return
		}
		b.disconnected.Store(true)
		b.log.Warn("discord gateway disconnected; discordgo reconnects and resumes")
		go b.checkToken(s)
	})
	s.AddHandler(func(*discordgo.Session, *discordgo.Resumed) {
		b.connected()
		b.log.Info("discord gateway resumed")
	})
	s.AddHandler(b.onGuildCreate)
	b.kb.setIndexMetrics(ctx)
	b.log.Info("connecting to discord", "api", b.apiOrigin(), "guild", b.cfg.GuildID,
		"shard", b.cfg.ShardID, "shards", b.cfg.ShardCount, "intents", int(b.Intents()))
	if err := s.Open(); err != nil {
		b.stopWork()
		return openError(err)
	}
	select {
	case <-ctx.Done():
		b.shutdown(s)
		return nil
	case err := <-b.fatal:
		b.log.Error("stopping: discord will not take this bot back", "err", err.Error())
		b.shutdown(s)
		return err
	}
}

// tokenCheckTimeout bounds the REST call that checks the token after the
// gateway drops.
const tokenCheckTimeout = 15 * time.Second

// checkToken asks Discord who the bot is after the gateway dropped. A 401
// means the token was reset or revoked: discordgo would reconnect forever
// (it sees the gateway's 4004 only as a failed reconnect), so Run stops
// with the reason instead. Any other outcome leaves reconnecting to
// discordgo. One check runs at a time.
func (b *Bot) checkToken(s *discordgo.Session) {
	if !b.checking.CompareAndSwap(false, true) {
		return
	}
	defer b.checking.Store(false)
	ctx, cancel := context.WithTimeout(b.work, tokenCheckTimeout)
	defer cancel()
	_, err := s.User("@me", discordgo.WithContext(ctx))
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
		select {
		case b.fatal <- fmt.Errorf("discord refused the token (HTTP 401) after the gateway dropped: it was reset or revoked; %s", fatalCloseCodes[4004]):
		default:
		}
	}
}

func (b *Bot) apiOrigin() string {
	if b.cfg.APIURL == "" {
		return "https://discord.com"
	}
	return b.cfg.APIURL
}

// session builds the discordgo session: token, transport to APIURL,
// intents, shard, and a state that tracks only what the bot uses.
func (b *Bot) session() (*discordgo.Session, error) {
	s, err := discordgo.New("Bot " + string(b.cfg.Token))
	if err != nil {
		return nil, fmt.Errorf("discord session: %w", err)
	}
	var tr http.RoundTripper = http.DefaultTransport
	if b.cfg.APIURL != "" {
		rt, err := newRewriteTransport(b.cfg.APIURL, http.DefaultTransport)
		if err != nil {
			return nil, fmt.Errorf("discord API URL: %w", err)
		}
		tr = rt
	}
	s.Client = &http.Client{Timeout: 20 * time.Second, Transport: tr}
	s.Identify.Intents = b.Intents()
	s.ShardID, s.ShardCount = b.cfg.ShardID, b.cfg.ShardCount
	s.StateEnabled = true
	s.State.TrackPresences = false
	s.State.TrackMembers = false
	s.State.TrackVoice = false
	s.State.TrackEmojis = false
	s.State.TrackRoles = false
	s.State.MaxMessageCount = 0
	s.ShouldReconnectOnError = true
	s.LogLevel = discordgo.LogError
	return s, nil
}

// fatalCloseCodes are gateway close codes after which Discord refuses the
// same connection again; see
// https://discord.com/developers/docs/topics/opcodes-and-status-codes.
var fatalCloseCodes = map[int]string{
	4004: "authentication failed: check DISCORD_TOKEN (Bot tab of the developer portal)",
	4010: "invalid shard: check SHARD_ID and SHARD_COUNT",
	4011: "sharding required: this bot is in too many guilds for one shard; set SHARD_COUNT",
	4012: "invalid API version",
	4013: "invalid intents",
	4014: "disallowed intents: enable Message Content for this application in the developer portal (Bot tab), or set STUDY_AUTO_ANSWER=false",
}

// openError explains why connecting failed, naming the fix when Discord
// closed the gateway with a fatal code.
func openError(err error) error {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		if why, ok := fatalCloseCodes[ce.Code]; ok {
			return fmt.Errorf("discord closed the gateway (%d): %s", ce.Code, why)
		}
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
		return fmt.Errorf("discord refused the token (HTTP 401): %s", fatalCloseCodes[4004])
	}
	return fmt.Errorf("connect to discord: %w", err)
}

// onReady learns who owns the application (the operator, unless
// Config.OperatorIDs names others too) and registers the commands with
// one bulk overwrite, which replaces the whole set: a READY after a
// reconnect re-registers without duplicates. Only shard 0 registers; it
// also deletes the set of the other kind (global commands when they are
// registered in one guild), so that nobody sees every command twice.
func (b *Bot) onReady(s *discordgo.Session, r *discordgo.Ready) {
	if r.User != nil {
		b.self.Store(r.User)
	}
	b.connected()
	// r.Guilds is not read: discordgo's state rewrites those objects as
	// GUILD_CREATE arrives, concurrently with this handler.
	b.log.Info("discord gateway ready", "user", userName(r.User))
	appID := b.readyAppID(r)
	b.appID.Store(&appID)
	if !b.begin() {
		return
	}
	defer b.end()
	ctx, cancel := context.WithTimeout(b.work, 30*time.Second)
	defer cancel()
	b.loadOwners(ctx, s)
	if b.cfg.ShardID != 0 {
		b.once.Do(func() { close(b.ready) })
		return
	}
	cmds, err := s.ApplicationCommandBulkOverwrite(appID, b.cfg.GuildID, Commands(), discordgo.WithContext(ctx))
	if err != nil {
		b.log.Error("registering slash commands failed; they will not appear in Discord", "err", err.Error(), "guild", b.cfg.GuildID)
		return
	}
	where := "globally (may take up to an hour to appear)"
	if b.cfg.GuildID != "" {
		where = "in guild " + b.cfg.GuildID
		// Guild commands now: global ones left from a global run would
		// show every command twice there.
		b.clearCommands(ctx, s, appID, "")
	}
	b.log.Info("slash commands registered "+where, "count", len(cmds))
	if b.cfg.GuildID == "" {
		// Global commands now: the guilds that arrived before the
		// application id was known are checked here.
		for _, g := range stateGuilds(s) {
			b.clearGuildCommands(ctx, s, appID, g)
		}
	}
	b.once.Do(func() { close(b.ready) })
}

// stateGuilds lists the ids of the guilds discordgo's state holds.
func stateGuilds(s *discordgo.Session) []string {
	if s.State == nil {
		return nil
	}
	s.State.RLock()
	defer s.State.RUnlock()
	ids := make([]string, 0, len(s.State.Guilds))
	for _, g := range s.State.Guilds {
		ids = append(ids, g.ID)
	}
	return ids
}

// readyAppID is the application's id from READY (the bot user's id for
// old applications).
func (b *Bot) readyAppID(r *discordgo.Ready) string {
	if r.Application != nil && r.Application.ID != "" {
		return r.Application.ID
	}
	if r.User != nil {
		return r.User.ID
	}
	return ""
}

// loadOwners reads the application's owner and team members from
// GET /applications/@me: they are the operator. A failure leaves
// Config.OperatorIDs alone and says so.
func (b *Bot) loadOwners(ctx context.Context, s *discordgo.Session) {
	body, err := s.RequestWithBucketID("GET", discordgo.EndpointApplications+"/@me", nil, discordgo.EndpointApplications+"/@me", discordgo.WithContext(ctx))
	if err != nil {
		b.log.Warn("could not read the application's owner; only OPERATOR_USER_IDS may change the base knowledge base", "err", err.Error())
		return
	}
	var app discordgo.Application
	if err := json.Unmarshal(body, &app); err != nil {
		b.log.Warn("could not read the application's owner", "err", err.Error())
		return
	}
	owners := applicationOwners(&app)
	b.auth.setOwners(owners)
	b.log.Info("operator recognised", "owners", len(owners), "configured", len(b.cfg.OperatorIDs))
}

// onGuildCreate, when commands are global, deletes guild commands left in
// that guild by a run with DISCORD_GUILD_ID, which would show every
// command twice there.
func (b *Bot) onGuildCreate(s *discordgo.Session, g *discordgo.GuildCreate) {
	if b.cfg.GuildID != "" || g.Guild == nil || g.ID == "" {
		return
	}
	appID := b.appID.Load()
	if appID == nil || !b.begin() {
		return // onReady checks the guilds that came first
	}
	defer b.end()
	ctx, cancel := context.WithTimeout(b.work, 30*time.Second)
	defer cancel()
	b.clearGuildCommands(ctx, s, *appID, g.ID)
}

// clearGuildCommands clears a guild's stale commands once per process.
func (b *Bot) clearGuildCommands(ctx context.Context, s *discordgo.Session, appID, guildID string) {
	if _, seen := b.checked.LoadOrStore(guildID, struct{}{}); seen {
		return
	}
	b.clearCommands(ctx, s, appID, guildID)
}

// clearCommands deletes the application's commands of guildID ("" for
// the global ones) if there are any.
func (b *Bot) clearCommands(ctx context.Context, s *discordgo.Session, appID, guildID string) {
	old, err := s.ApplicationCommands(appID, guildID, discordgo.WithContext(ctx))
	if err != nil {
		b.log.Warn("could not list stale commands", "guild", guildID, "err", err.Error())
		return
	}
	if len(old) == 0 {
		return
	}
	if _, err := s.ApplicationCommandBulkOverwrite(appID, guildID, []*discordgo.ApplicationCommand{}, discordgo.WithContext(ctx)); err != nil {
		b.log.Warn("could not delete stale commands", "guild", guildID, "err", err.Error())
		return
	}
	where := "global"
	if guildID != "" {
		where = "guild " + guildID
	}
	b.log.Info("deleted stale "+where+" commands", "count", len(old))
}

// connected records a READY or RESUMED: the gateway is up, and it is a
// reconnect when a disconnect came before.
func (b *Bot) connected() {
	if b.disconnected.Swap(false) {
		b.metrics.GatewayReconnect()
	}
	b.metrics.GatewayConnected(true)
}

// begin admits a unit of work unless the bot is shutting down; every
// successful begin is paired with end.
func (b *Bot) begin() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closing {
		return false
	}
	b.inflight.Add(1)
	return true
}

func (b *Bot) end() { b.inflight.Done() }

func (b *Bot) isClosing() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closing
}

// shutdown stops new work, drains work in flight within DrainTimeout and
// closes the gateway.
func (b *Bot) shutdown(s *discordgo.Session) {
	b.mu.Lock()
	b.closing = true
	b.mu.Unlock()
	b.log.Info("shutting down: finishing work in flight", "timeout", b.cfg.DrainTimeout)
	drained := make(chan struct{})
	go func() { b.inflight.Wait(); close(drained) }()
	t := time.NewTimer(b.cfg.DrainTimeout)
	defer t.Stop()
	select {
	case <-drained:
	case <-t.C:
		b.log.Warn("shutdown: handlers still running after the drain timeout; cancelling them")
		b.stopWork()
		<-drained
	}
	b.stopWork()
	// discordgo reads this flag without a lock when a reconnect starts,
	// so it is written only while the gateway is up (no reconnect is
	// starting then); after a drop, the reconnect already read it, and
	// Close ends the connection it may make.
	if !b.disconnected.Load() {
		s.Lock()
		s.ShouldReconnectOnError = false
		s.Unlock()
	}
	if err := s.Close(); err != nil {
		b.log.Warn("closing the discord gateway", "err", err.Error())
	}
	b.log.Info("discord gateway closed")
}

// recovered logs a panic with its stack; call it deferred.
func (b *Bot) recovered(where string, attrs ...any) (panicked bool) {
	r := recover()
	if r == nil {
		return false
	}
	b.log.Error("panic in "+where, append(attrs, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))...)
	return true
}

func userName(u *discordgo.User) string {
	if u == nil {
		return ""
	}
	return u.Username
}

// onInteraction handles every interaction in its own goroutine (discordgo
// runs handlers concurrently): admit it as work and let the router answer.
func (b *Bot) onInteraction(s *discordgo.Session, ic *discordgo.InteractionCreate) {
	if ic.Interaction == nil {
		return
	}
	ctx, cancel := context.WithTimeout(b.work, handlerTimeout)
	defer cancel()
	ix := &interaction{Interaction: ic.Interaction, ctx: ctx, s: s, log: b.log, received: time.Now(), deferAfter: b.cfg.DeferAfter}
	if !b.begin() {
		if ix.Type != discordgo.InteractionApplicationCommandAutocomplete {
			_ = ix.respond(notice(closingText))
		}
		return
	}
	defer b.end()
	b.router.handle(ix)
}
