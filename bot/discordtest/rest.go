package discordtest

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// A generous per-route bucket: discordgo honours X-RateLimit-* headers,
// so it waits instead of hitting 429.
const (
	bucketLimit  = 50
	bucketWindow = time.Second
)

// Discord JSON error codes used by the emulator.
const (
	codeUnknownChannel     = 10003
	codeUnknownMessage     = 10008
	codeUnknownUser        = 10013
	codeUnknownWebhook     = 10015
	codeUnknownInteraction = 10062
	codeUnknownCommand     = 10063
	codeTooLarge           = 40005
	codeAlreadyAcked       = 40060
	codeMissingAccess      = 50001
	codeNotAuthor          = 50005
	codeEmptyMessage       = 50006
	codeMissingPermissions = 50013
	codeWrongChannelType   = 50024
	codeThreadExists       = 160004
	codeInvalidWebhookTok  = 50027
	codeInvalidFormBody    = 50035
	codeInvalidJSON        = 50109
)

type route struct {
	method, pattern string
	segs            []string
	auth            bool   // needs "Authorization: Bot <token>"
	major           string // path parameter that splits the rate-limit bucket
	h               func(*call)
}

func (rt *route) name() string { return rt.method + " " + rt.pattern }

func (rt *route) match(segs []string) (map[string]string, bool) {
	if len(segs) != len(rt.segs) {
		return nil, false
	}
	params := map[string]string{}
	for i, p := range rt.segs {
		if strings.HasPrefix(p, "{") {
			if segs[i] == "" {
				return nil, false
			}
			params[strings.Trim(p, "{}")] = segs[i]
		} else if p != segs[i] {
			return nil, false
		}
	}
	return params, true
}

func (s *Server) routes() {
	add := func(method, pattern string, auth bool, major string, h func(*call)) {
		s.table = append(s.table, &route{method: method, pattern: pattern, segs: strings.Split(strings.Trim(pattern, "/"), "/"),
			auth: auth, major: major, h: h})
	}
	add("GET", "/gateway", false, "", s.handleGateway)
	add("GET", "/gateway/bot", true, "", s.handleGatewayBot)
	add("GET", "/users/@me", true, "", s.handleUserMe)
	add("GET", "/users/{user_id}", true, "", s.handleUser)
	add("GET", "/applications/@me", true, "", s.handleApplication)
	add("GET", "/oauth2/applications/@me", true, "", s.handleApplication)

	for _, scope := range []string{"/applications/{application_id}", "/applications/{application_id}/guilds/{guild_id}"} {
		add("GET", scope+"/commands", true, "guild_id", s.handleCommandsList)
		add("PUT", scope+"/commands", true, "guild_id", s.handleCommandsOverwrite)
		add("POST", scope+"/commands", true, "guild_id", s.handleCommandCreate)
		add("GET", scope+"/commands/{command_id}", true, "guild_id", s.handleCommandGet)
		add("PATCH", scope+"/commands/{command_id}", true, "guild_id", s.handleCommandEdit)
		add("DELETE", scope+"/commands/{command_id}", true, "guild_id", s.handleCommandDelete)
	}

	add("POST", "/interactions/{interaction_id}/{interaction_token}/callback", false, "interaction_token", s.handleCallback)
	add("POST", "/webhooks/{application_id}/{interaction_token}", false, "interaction_token", s.handleFollowup)
	add("GET", "/webhooks/{application_id}/{interaction_token}/messages/{message_id}", false, "interaction_token", s.handleWebhookGet)
	add("PATCH", "/webhooks/{application_id}/{interaction_token}/messages/{message_id}", false, "interaction_token", s.handleWebhookEdit)
	add("DELETE", "/webhooks/{application_id}/{interaction_token}/messages/{message_id}", false, "interaction_token", s.handleWebhookDelete)

	add("GET", "/channels/{channel_id}", true, "channel_id", s.handleChannel)
	add("GET", "/channels/{channel_id}/messages", true, "channel_id", s.handleMessagesList)
	add("POST", "/channels/{channel_id}/messages", true, "channel_id", s.handleMessageCreate)
	add("GET", "/channels/{channel_id}/messages/{message_id}", true, "channel_id", s.handleMessageGet)
	add("PATCH", "/channels/{channel_id}/messages/{message_id}", true, "channel_id", s.handleMessageEdit)
	add("DELETE", "/channels/{channel_id}/messages/{message_id}", true, "channel_id", s.handleMessageDelete)
	add("POST", "/channels/{channel_id}/typing", true, "channel_id", s.handleTyping)
	add("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", true, "channel_id", s.handleReaction)
	add("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", true, "channel_id", s.handleReaction)
	add("POST", "/users/@me/channels", true, "", s.handleDMCreate)
	add("POST", "/channels/{channel_id}/messages/{message_id}/threads", true, "channel_id", s.handleThreadFromMessage)
	add("POST", "/channels/{channel_id}/threads", true, "channel_id", s.handleThreadCreate)
	add("PUT", "/channels/{channel_id}/thread-members/@me", true, "channel_id", s.handleThreadJoin)
	add("DELETE", "/channels/{channel_id}/thread-members/@me", true, "channel_id", s.handleThreadJoin)
	add("GET", "/guilds/{guild_id}", true, "guild_id", s.handleGuild)
	add("GET", "/guilds/{guild_id}/channels", true, "guild_id", s.handleGuildChannels)
}

// call is one REST request being answered. Handlers set the response with
// reply/fail (safe under s.mu: nothing is written until the handler returns).
type call struct {
	s      *Server
	r      *http.Request
	route  *route
	params map[string]string
	body   []byte
	header http.Header
	status int
	resp   []byte
}

func (c *call) param(k string) string { return c.params[k] }

func (c *call) routeName() string {
	if c.route == nil {
		return c.r.Method + " " + c.r.URL.Path
	}
	return c.route.name()
}

func (c *call) reply(status int, v any) {
	c.status = status
	if v == nil {
		c.resp = nil
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("discordtest: encode reply to %s: %v", c.routeName(), err))
	}
	c.header.Set("Content-Type", "application/json")
	c.resp = b
}

func (c *call) fail(status, code int, msg string) {
	c.reply(status, map[string]any{"message": msg, "code": code})
}

// messageFieldsLocked parses a message payload read by readPayload (perr
// is its error) and attaches its files; nil means it answered the error.
// s.mu must be held.
func (c *call) messageFieldsLocked(payload []byte, files []upload, perr error) *messageFields {
	f, err := parseMessageFields(payload)
	if perr != nil || err != nil {
		c.payloadErrorLocked(errors.Join(perr, err))
		return nil
	}
	f.files = files
	return f
}

// acceptNewMessageLocked applies the checks every new message gets: an
// empty message is answered 400 (false is returned), and one without
// allowed_mentions is accepted but recorded. what names the payload in
// violations ("" for the route alone). s.mu must be held.
func (c *call) acceptNewMessageLocked(f *messageFields, what string) bool {
	where := c.routeName()
	if what != "" {
		where += " " + what
	}
	if f.empty() {
		c.s.violateLocked("empty message (%s)", where)
		c.fail(http.StatusBadRequest, codeEmptyMessage, "Cannot send an empty message")
		return false
	}
	if !f.has["allowed_mentions"] {
		c.s.violateLocked("no allowed_mentions (%s)", where)
	}
	return true
}

// formFailLocked answers 400 Invalid Form Body and records each error as a
// violation. s.mu must be held.
func (c *call) formFailLocked(prefix string, errs []fieldError) {
	for _, e := range errs {
		c.s.violateLocked("%s (%s)", e.detail, c.routeName())
	}
	c.reply(http.StatusBadRequest, map[string]any{"message": "Invalid Form Body", "code": codeInvalidFormBody, "errors": formErrors(prefix, errs)})
}

// payloadErrorLocked answers a body that could not be read. s.mu must be held.
func (c *call) payloadErrorLocked(err error) {
	if errors.Is(err, errTooLarge) {
		c.s.violateLocked("%v (%s)", err, c.routeName())
		c.fail(http.StatusRequestEntityTooLarge, codeTooLarge, "Request entity too large")
		return
	}
	c.s.violateLocked("invalid JSON body: %v (%s)", err, c.routeName())
	c.fail(http.StatusBadRequest, codeInvalidJSON, "The request body contains invalid JSON.")
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/gateway" || r.URL.Path == "/gateway/" || r.URL.Path == "/" && websocket.IsWebSocketUpgrade(r) {
		s.serveGateway(w, r)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 128<<20))
	c := &call{s: s, r: r, body: body, header: http.Header{}}
	if strings.HasPrefix(r.URL.Path, "/attachments/") {
		s.serveAttachment(c)
	} else {
		s.serveAPI(c)
	}
	route := ""
	if c.route != nil {
		route = c.route.name()
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Route: route,
		Body: body, Status: c.status, At: time.Now()})
	s.notifyLocked() // every call may change what waiters look at
	s.mu.Unlock()
	s.logf("%s %s -> %d", r.Method, r.URL.RequestURI(), c.status)
	for k, v := range c.header {
		w.Header()[k] = v
	}
	w.WriteHeader(c.status)
	w.Write(c.resp)
}

func (s *Server) serveAPI(c *call) {
	path := c.r.URL.Path
	var rest string
	for _, p := range []string{"/api/v9/", "/api/v10/"} {
		if strings.HasPrefix(path, p) {
			rest = strings.TrimSuffix(strings.TrimPrefix(path, p), "/")
		}
	}
	if rest == "" {
		c.fail(http.StatusNotFound, 0, "404: Not Found")
		return
	}
	segs := strings.Split(rest, "/")
	wrongMethod := false
	for _, rt := range s.table {
		params, ok := rt.match(segs)
		if !ok {
			continue
		}
		if rt.method != c.r.Method {
			wrongMethod = true
			continue
		}
		c.route, c.params = rt, params
		if rt.auth && c.r.Header.Get("Authorization") != "Bot "+s.Token() {
			c.fail(http.StatusUnauthorized, 0, "401: Unauthorized")
			return
		}
		if !s.rateLimit(c) {
			return
		}
		rt.h(c)
		return
	}
	if wrongMethod {
		c.fail(http.StatusMethodNotAllowed, 0, "405: Method Not Allowed")
		return
	}
	c.fail(http.StatusNotFound, 0, "404: Not Found")
}

type bucket struct {
	remaining int
	reset     time.Time
}

// rateLimit sets X-RateLimit-* headers and answers 429 when the route's
// bucket is empty.
func (s *Server) rateLimit(c *call) bool {
	key := c.route.name() + " " + c.params[c.route.major]
	now := time.Now()
	s.mu.Lock()
	b := s.buckets[key]
	if b == nil || !now.Before(b.reset) {
		b = &bucket{remaining: bucketLimit, reset: now.Add(bucketWindow)}
		s.buckets[key] = b
	}
	b.remaining--
	remaining, reset := b.remaining, b.reset
	s.mu.Unlock()
	after := reset.Sub(now).Seconds()
	sum := sha1.Sum([]byte(c.route.name()))
	h := c.header
	h.Set("X-RateLimit-Limit", strconv.Itoa(bucketLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(remaining, 0)))
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(reset.UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(after, 'f', 3, 64))
	h.Set("X-RateLimit-Bucket", hex.EncodeToString(sum[:8]))
	if remaining >= 0 {
		return true
	}
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(after))))
	h.Set("X-RateLimit-Scope", "user")
	c.reply(http.StatusTooManyRequests, map[string]any{"message": "You are being rate limited.", "retry_after": math.Round(after*1000) / 1000, "global": false})
	return false
}

func (s *Server) handleGateway(c *call) {
	c.reply(http.StatusOK, map[string]string{"url": s.GatewayURL()})
}

func (s *Server) handleGatewayBot(c *call) {
	c.reply(http.StatusOK, map[string]any{
		"url": s.GatewayURL(), "shards": 1,
		"session_start_limit": map[string]int{"total": 1000, "remaining": 999, "reset_after": 86400000, "max_concurrency": 1},
	})
}

func (s *Server) handleUserMe(c *call) {
	u := s.botUser()
	c.reply(http.StatusOK, map[string]any{
		"id": u.ID, "username": u.Username, "discriminator": "0", "global_name": nil, "avatar": nil,
		"bot": true, "verified": true, "mfa_enabled": true, "flags": 0, "public_flags": 0, "locale": "en-US",
	})
}

func (s *Server) handleUser(c *call) {
	s.mu.Lock()
	u, ok := s.users[c.param("user_id")]
	s.mu.Unlock()
	if !ok {
		c.fail(http.StatusNotFound, codeUnknownUser, "Unknown User")
		return
	}
	c.reply(http.StatusOK, u)
}

func (s *Server) handleApplication(c *call) {
	s.mu.Lock()
	owner := s.userLocked(s.opts.OwnerID)
	app := map[string]any{
		"id": s.opts.AppID, "name": s.opts.BotUsername, "description": "", "icon": nil,
		"bot_public": true, "bot_require_code_grant": false, "flags": 0, "bot": s.botUser(),
		"owner": owner, "team": nil,
	}
	if len(s.opts.TeamMemberIDs) > 0 {
		// A team's application: Discord names a pseudo-user as owner.
		app["owner"] = wireUser{ID: "1185000000000000099", Username: "team1185000000000000099", Discriminator: "0"}
		members := []map[string]any{}
		for _, id := range s.opts.TeamMemberIDs {
			members = append(members, map[string]any{"user": s.userLocked(id), "team_id": "1185000000000000098",
				"membership_state": 2, "permissions": []string{"*"}, "role": "admin"})
		}
		app["team"] = map[string]any{"id": "1185000000000000098", "name": "govbot team", "icon": nil,
			"owner_user_id": s.opts.OwnerID, "members": members}
	}
	s.mu.Unlock()
	c.reply(http.StatusOK, app)
}

func (s *Server) serveAttachment(c *call) {
	// /attachments/{channel_id}/{attachment_id}/{filename}, the file name
	// path-escaped (it may hold "/").
	parts := strings.Split(strings.TrimPrefix(c.r.URL.EscapedPath(), "/attachments/"), "/")
	var f *storedFile
	if len(parts) == 3 && (c.r.Method == http.MethodGet || c.r.Method == http.MethodHead) {
		if name, err := url.PathUnescape(parts[2]); err == nil {
			parts[2] = name
			s.mu.Lock()
			f = s.files[parts[1]]
			s.mu.Unlock()
		}
	}
	if f == nil || f.name != parts[2] {
		c.status, c.resp = http.StatusNotFound, []byte("This content is no longer available.")
		c.header.Set("Content-Type", "text/plain")
		return
	}
	c.header.Set("Content-Type", f.att.ContentType)
	c.header.Set("Content-Length", strconv.Itoa(len(f.data)))
	c.status = http.StatusOK
	if c.r.Method == http.MethodGet {
		c.resp = f.data
	}
}
