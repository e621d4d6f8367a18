package discordtest

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Gateway opcodes and close codes used by the emulator.
const (
	opDispatch       = 0
	opHeartbeat      = 1
	opIdentify       = 2
	opPresenceUpdate = 3
	opVoiceState     = 4
	opResume         = 6
	opReconnect      = 7
	opRequestMembers = 8
	opInvalidSession = 9
	opHello          = 10
	opHeartbeatACK   = 11

	closeUnknownOpcode     = 4001
	closeDecodeError       = 4002
	closeNotAuthenticated  = 4003
	closeAuthFailed        = 4004
	closeAlreadyAuthed     = 4005
	closeSessionTimedOut   = 4009
	closeInvalidShard      = 4010
	closeInvalidAPIVersion = 4012
	closeInvalidIntents    = 4013
	closeDisallowedIntents = 4014
)

// replayLimit is how many dispatches a session keeps for RESUME.
const replayLimit = 2000

const privilegedIntents = discordgo.IntentGuildMembers | discordgo.IntentGuildPresences | discordgo.IntentMessageContent

const knownIntents = discordgo.IntentsAll | discordgo.IntentGuildMessagePolls | discordgo.IntentDirectMessagePolls

// gwConn is one websocket connection to the gateway.
type gwConn struct {
	ws      *websocket.Conn
	wmu     sync.Mutex // gorilla allows one concurrent writer
	version int
	ready   bool // READY or RESUMED sent and counted; guarded by Server.mu
}

func (c *gwConn) write(mt int, b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return c.ws.WriteMessage(mt, b)
}

// closeWith sends a close frame with code and drops the connection.
func (c *gwConn) closeWith(code int, text string) {
	c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
	c.ws.Close()
}

// session is a gateway session: it outlives its connection until the
// client closes it cleanly or is told it is invalid.
type session struct {
	id       string
	intents  discordgo.Intent
	compress bool

	mu   sync.Mutex // orders dispatches; never take Server.mu while holding it
	seq  int64
	conn *gwConn // nil while disconnected (events are buffered for RESUME)
	buf  []sentFrame
}

type sentFrame struct {
	seq   int64
	frame []byte
}

type frame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s"`
	T  *string         `json:"t"`
}

func encodeFrame(op int, t string, seq int64, d any) []byte {
	raw, ok := d.(json.RawMessage)
	if !ok {
		var err error
		if raw, err = json.Marshal(d); err != nil {
			panic(fmt.Sprintf("discordtest: encode %s: %v", t, err))
		}
	}
	if len(raw) == 0 {
		raw = json.RawMessage("null")
	}
	s, tt := "null", "null"
	if op == opDispatch {
		s, tt = strconv.FormatInt(seq, 10), strconv.Quote(t)
	}
	b := make([]byte, 0, len(raw)+48)
	b = append(b, `{"op":`...)
	b = strconv.AppendInt(b, int64(op), 10)
	b = append(b, `,"d":`...)
	b = append(b, raw...)
	b = append(b, `,"s":`...)
	b = append(b, s...)
	b = append(b, `,"t":`...)
	b = append(b, tt...)
	return append(b, '}')
}

// writeLocked sends a frame on the session's connection, if any; on error
// the connection is dropped. sess.mu must be held. It reports whether the
// connection was lost.
func (sess *session) writeLocked(fr []byte) bool {
	if sess.conn == nil {
		return false
	}
	mt, payload := websocket.TextMessage, fr
	if sess.compress {
		var buf bytes.Buffer
		zw := zlib.NewWriter(&buf)
		zw.Write(fr)
		zw.Close()
		mt, payload = websocket.BinaryMessage, buf.Bytes()
	}
	if err := sess.conn.write(mt, payload); err != nil {
		sess.conn.ws.Close()
		sess.conn = nil
		return true
	}
	return false
}

// sendLocked assigns the next sequence number to an event, keeps it for
// RESUME and writes it if connected. sess.mu must be held.
func (sess *session) sendLocked(t string, d any) (seq int64, lost bool) {
	sess.seq++
	fr := encodeFrame(opDispatch, t, sess.seq, d)
	sess.buf = append(sess.buf, sentFrame{sess.seq, fr})
	if len(sess.buf) > replayLimit {
		sess.buf = append([]sentFrame(nil), sess.buf[len(sess.buf)-replayLimit:]...)
	}
	return sess.seq, sess.writeLocked(fr)
}

func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	version := 0
	fmt.Sscan(q.Get("v"), &version)
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		s.logf("gateway upgrade: %v", err)
		return
	}
	c := &gwConn{ws: ws, version: version}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ws.Close()
		return
	}
	s.conns[c] = struct{}{}
	s.gwWG.Add(1)
	s.mu.Unlock()
	defer func() {
		ws.Close()
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		s.gwWG.Done()
	}()
	s.logf("gateway: connection from %s %s", r.RemoteAddr, r.URL.RequestURI())
	switch {
	case version != 9 && version != 10:
		c.closeWith(closeInvalidAPIVersion, "Invalid API version.")
		return
	case q.Get("encoding") != "" && q.Get("encoding") != "json":
		c.closeWith(closeDecodeError, "discordtest: only encoding=json is emulated")
		return
	case q.Get("compress") != "":
		c.closeWith(closeDecodeError, "discordtest: transport compression is not emulated")
		return
	}
	s.runGateway(c)
}

func (s *Server) runGateway(c *gwConn) {
	interval := s.opts.HeartbeatInterval
	hello := encodeFrame(opHello, "", 0, map[string]any{
		"heartbeat_interval": interval.Milliseconds(),
		"_trace":             []string{`["discordtest-gateway",{"micros":0}]`},
	})
	if err := c.write(websocket.TextMessage, hello); err != nil {
		return
	}
	var sess *session
	defer func() {
		if sess != nil {
			s.detach(sess, c)
		}
	}()
	// Runs inside ReadMessage, before the close is echoed: a 1000/1001
	// close ends the session (Discord's rule), other codes keep it.
	c.ws.SetCloseHandler(func(code int, text string) error {
		s.logf("gateway: client closed with %d %q", code, text)
		if sess != nil && (code == websocket.CloseNormalClosure || code == websocket.CloseGoingAway) {
			s.invalidate(sess)
			sess = nil
		}
		c.wmu.Lock()
		defer c.wmu.Unlock()
		c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, ""), time.Now().Add(time.Second))
		return nil
	})
	c.ws.SetReadLimit(1 << 16)
	for {
		// Discord drops connections that stop heartbeating.
		c.ws.SetReadDeadline(time.Now().Add(2*interval + time.Second))
		mt, b, err := c.ws.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			var ne net.Error
			switch {
			case errors.As(err, &ce):
				// handled by the close handler
			case errors.As(err, &ne) && ne.Timeout():
				s.logf("gateway: no heartbeat for %v, closing", 2*interval)
				c.closeWith(closeSessionTimedOut, "Session timed out.")
			default:
				s.logf("gateway: connection lost: %v", err)
			}
			return
		}
		var p struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if mt != websocket.TextMessage || json.Unmarshal(b, &p) != nil {
			c.closeWith(closeDecodeError, "Error while decoding payload.")
			return
		}
		switch p.Op {
		case opHeartbeat:
			if err := c.write(websocket.TextMessage, encodeFrame(opHeartbeatACK, "", 0, nil)); err != nil {
				return
			}
		case opIdentify:
			if sess != nil {
				c.closeWith(closeAlreadyAuthed, "Already authenticated.")
				return
			}
			if sess = s.identify(c, p.D); sess == nil {
				return
			}
		case opResume:
			if sess != nil {
				c.closeWith(closeAlreadyAuthed, "Already authenticated.")
				return
			}
			var ok bool
			if sess, ok = s.resume(c, p.D); !ok {
				return
			}
		case opPresenceUpdate, opVoiceState, opRequestMembers:
			if sess == nil {
				c.closeWith(closeNotAuthenticated, "Not authenticated.")
				return
			}
			s.logf("gateway: op %d accepted and ignored", p.Op)
		default:
			c.closeWith(closeUnknownOpcode, "Unknown opcode.")
			return
		}
	}
}

type identifyData struct {
	Token          string            `json:"token"`
	Intents        *discordgo.Intent `json:"intents"`
	Compress       bool              `json:"compress"`
	LargeThreshold int               `json:"large_threshold"`
	Shard          *[2]int           `json:"shard"`
}

// identify answers IDENTIFY with READY and GUILD_CREATE; nil means it
// refused and closed the connection.
func (s *Server) identify(c *gwConn, d json.RawMessage) *session {
	var id identifyData
	if err := json.Unmarshal(d, &id); err != nil {
		c.closeWith(closeDecodeError, "Error while decoding payload.")
		return nil
	}
	s.logf("gateway: IDENTIFY intents=%d compress=%v", intentValue(id.Intents), id.Compress)
	switch {
	case strings.TrimPrefix(id.Token, "Bot ") != s.Token():
		c.closeWith(closeAuthFailed, "Authentication failed.")
		return nil
	case id.Intents == nil || *id.Intents&^knownIntents != 0:
		c.closeWith(closeInvalidIntents, "Invalid intent(s).")
		return nil
	case *id.Intents&privilegedIntents&s.opts.DeniedIntents != 0:
		c.closeWith(closeDisallowedIntents, "Disallowed intent(s).")
		return nil
	case id.Shard != nil && (id.Shard[1] < 1 || id.Shard[0] < 0 || id.Shard[0] >= id.Shard[1]):
		c.closeWith(closeInvalidShard, "Invalid shard.")
		return nil
	}
	sess := &session{id: randomHex(16), intents: *id.Intents, compress: id.Compress && s.opts.Compress, conn: c}
	ready := s.readyPayload(sess, c.version, id.Shard)
	var guilds []map[string]any
	for _, g := range s.guildIDs() {
		guilds = append(guilds, s.guildPayload(g))
	}
	sess.mu.Lock()
	sess.sendLocked("READY", ready)
	for _, g := range guilds {
		sess.sendLocked("GUILD_CREATE", g)
	}
	sess.mu.Unlock()
	// Registered even if the connection dropped meanwhile: the client
	// may have the session ID and RESUME.
	s.mu.Lock()
	s.sessions = append(s.sessions, sess)
	s.identifies++
	s.intents = sess.intents
	sess.mu.Lock()
	c.ready = sess.conn == c
	sess.mu.Unlock()
	s.notifyLocked()
	s.mu.Unlock()
	s.logf("gateway: READY session %s", sess.id)
	return sess
}

func intentValue(p *discordgo.Intent) any {
	if p == nil {
		return "missing"
	}
	return int(*p)
}

// resume replays what the client missed and sends RESUMED, or answers
// op 9 for an unknown session (the connection stays open for IDENTIFY).
// ok false means it closed the connection.
func (s *Server) resume(c *gwConn, d json.RawMessage) (sess *session, ok bool) {
	var r struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if err := json.Unmarshal(d, &r); err != nil {
		c.closeWith(closeDecodeError, "Error while decoding payload.")
		return nil, false
	}
	if strings.TrimPrefix(r.Token, "Bot ") != s.Token() {
		c.closeWith(closeAuthFailed, "Authentication failed.")
		return nil, false
	}
	s.mu.Lock()
	for _, x := range s.sessions {
		if x.id == r.SessionID {
			sess = x
		}
	}
	s.mu.Unlock()
	invalid := func(why string) (*session, bool) {
		s.logf("gateway: RESUME %s seq %d refused (%s): op 9", r.SessionID, r.Seq, why)
		if sess != nil {
			s.invalidate(sess)
		}
		return nil, c.write(websocket.TextMessage, encodeFrame(opInvalidSession, "", 0, false)) == nil
	}
	if sess == nil {
		return invalid("unknown session")
	}
	sess.mu.Lock()
	if r.Seq > sess.seq || len(sess.buf) > 0 && sess.buf[0].seq > r.Seq+1 {
		sess.mu.Unlock()
		return invalid("sequence out of range")
	}
	if old := sess.conn; old != nil && old != c {
		old.ws.Close()
	}
	sess.conn = c
	replayed := 0
	for _, f := range sess.buf {
		if f.seq > r.Seq {
			replayed++
			sess.writeLocked(f.frame)
		}
	}
	sess.sendLocked("RESUMED", map[string]any{"_trace": []string{`["discordtest-gateway"]`}})
	sess.mu.Unlock()
	s.mu.Lock()
	s.resumes++
	sess.mu.Lock()
	c.ready = sess.conn == c
	sess.mu.Unlock()
	s.notifyLocked()
	s.mu.Unlock()
	s.logf("gateway: RESUMED session %s after seq %d, replayed %d", sess.id, r.Seq, replayed)
	return sess, true
}

// detach marks the session disconnected if c is still its connection.
func (s *Server) detach(sess *session, c *gwConn) {
	sess.mu.Lock()
	if sess.conn == c {
		sess.conn = nil
	}
	sess.mu.Unlock()
	s.notify()
}

// invalidate forgets a session: it can no longer be resumed.
func (s *Server) invalidate(sess *session) {
	sess.mu.Lock()
	sess.conn = nil
	sess.mu.Unlock()
	s.mu.Lock()
	for i, x := range s.sessions {
		if x == sess {
			s.sessions = append(s.sessions[:i:i], s.sessions[i+1:]...)
			break
		}
	}
	s.notifyLocked()
	s.mu.Unlock()
}

// WaitReady waits until a client has identified (or resumed) and is
// connected: after DropGateway it waits for the RESUME.
func (s *Server) WaitReady(ctx context.Context) error {
	return s.wait(ctx, func() (bool, error) {
		for _, sess := range s.sessions {
			sess.mu.Lock()
			c := sess.conn
			sess.mu.Unlock()
			if c != nil && c.ready {
				return true, nil
			}
		}
		return false, nil
	})
}

// DropGateway abruptly closes every gateway connection without a close
// frame, like a network failure. Sessions stay resumable: events dispatched
// meanwhile are buffered and replayed on RESUME.
func (s *Server) DropGateway() {
	conns := s.detachAll(false)
	for _, c := range conns {
		c.ws.Close()
	}
	s.logf("gateway: dropped %d connection(s)", len(conns))
	s.notify()
}

// detachAll detaches every session from its connection and returns the
// open connections for the caller to close. With forget, the sessions are
// also forgotten: they can no longer be resumed.
func (s *Server) detachAll(forget bool) []*gwConn {
	s.mu.Lock()
	sessions := append([]*session(nil), s.sessions...)
	if forget {
		s.sessions = nil
		s.notifyLocked()
	}
	conns := make([]*gwConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, sess := range sessions {
		sess.mu.Lock()
		sess.conn = nil
		sess.mu.Unlock()
	}
	return conns
}

// RequestReconnect sends op 7 (Reconnect) on every connected session, as
// Discord does before maintenance; discordgo closes with 1012 and resumes.
func (s *Server) RequestReconnect() {
	s.mu.Lock()
	sessions := append([]*session(nil), s.sessions...)
	s.mu.Unlock()
	for _, sess := range sessions {
		sess.mu.Lock()
		if sess.conn != nil {
			sess.conn.write(websocket.TextMessage, encodeFrame(opReconnect, "", 0, nil))
		}
		sess.mu.Unlock()
	}
}

// broadcastLocked sends an event to every session, rendered per session
// (nil: that session does not get it). A disconnected session buffers it
// for RESUME. s.mu must be held.
func (s *Server) broadcastLocked(t string, render func(intents discordgo.Intent) any) {
	lost := false
	for _, sess := range s.sessions {
		d := render(sess.intents)
		if d == nil {
			continue
		}
		sess.mu.Lock()
		seq, l := sess.sendLocked(t, d)
		up := sess.conn != nil
		sess.mu.Unlock()
		lost = lost || l
		s.logf("gateway: %s seq %d (connected=%v)", t, seq, up)
	}
	if lost {
		s.notifyLocked()
	}
}

// withSession waits until a gateway session exists (connected or awaiting
// RESUME), then runs fn under s.mu.
func (s *Server) withSession(ctx context.Context, fn func()) error {
	for {
		err := s.wait(ctx, func() (bool, error) { return len(s.sessions) > 0, nil })
		if errors.Is(err, ErrClosed) {
			return err
		}
		if err != nil {
			return fmt.Errorf("%w: %w", ErrNotConnected, err)
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return ErrClosed
		}
		if len(s.sessions) > 0 {
			fn()
			s.mu.Unlock()
			return nil
		}
		s.mu.Unlock()
	}
}

// SendRaw dispatches any event to every session, without intent checks.
// data is sent as is when it is a json.RawMessage or []byte, else marshalled.
func (s *Server) SendRaw(ctx context.Context, eventType string, data any) error {
	var raw json.RawMessage
	switch d := data.(type) {
	case json.RawMessage:
		raw = d
	case []byte:
		raw = d
	default:
		b, err := json.Marshal(data)
		if err != nil {
			return fmt.Errorf("discordtest: send %s: %w", eventType, err)
		}
		raw = b
	}
	return s.withSession(ctx, func() {
		s.broadcastLocked(eventType, func(discordgo.Intent) any { return raw })
	})
}

func (s *Server) readyPayload(sess *session, version int, shard *[2]int) map[string]any {
	flags := 0
	if s.opts.DeniedIntents&discordgo.IntentGuildPresences == 0 {
		flags |= 1 << 13 // GATEWAY_PRESENCE_LIMITED
	}
	if s.opts.DeniedIntents&discordgo.IntentGuildMembers == 0 {
		flags |= 1 << 15 // GATEWAY_GUILD_MEMBERS_LIMITED
	}
	if s.opts.DeniedIntents&discordgo.IntentMessageContent == 0 {
		flags |= 1 << 19 // GATEWAY_MESSAGE_CONTENT_LIMITED
	}
	bot := s.botUser()
	ready := map[string]any{
		"v": version,
		"user": map[string]any{
			"id": bot.ID, "username": bot.Username, "discriminator": "0", "global_name": nil,
			"avatar": nil, "bot": true, "verified": true, "mfa_enabled": true, "flags": 0,
		},
		"guilds":             unavailableGuilds(s.guildIDs()),
		"session_id":         sess.id,
		"session_type":       "normal",
		"resume_gateway_url": s.GatewayURL(),
		"application":        map[string]any{"id": s.opts.AppID, "flags": flags},
		"private_channels":   []any{},
		"relationships":      []any{},
		"presences":          []any{},
		"_trace":             []string{`["discordtest-gateway",{"micros":0}]`},
	}
	if shard != nil {
		ready["shard"] = shard
	}
	return ready
}

func unavailableGuilds(ids []string) []map[string]any {
	out := []map[string]any{}
	for _, id := range ids {
		out = append(out, map[string]any{"id": id, "unavailable": true})
	}
	return out
}

func (s *Server) guildPayload(guildID string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	channels, threads := []map[string]any{}, []map[string]any{}
	for _, ch := range s.channels {
		switch {
		case ch.guild != guildID:
		case ch.kind == discordgo.ChannelTypeGuildText:
			channels = append(channels, s.channelPayload(ch))
		default:
			threads = append(threads, s.channelPayload(ch)) // active threads
		}
	}
	bot := s.botUser()
	return map[string]any{
		"id": guildID, "name": "discordtest guild " + guildID[len(guildID)-2:], "icon": nil, "owner_id": DefaultUserID,
		"joined_at": time.Now().UTC().Format(time.RFC3339), "large": false, "unavailable": false,
		"member_count": 2, "preferred_locale": "en-US", "features": []string{},
		"roles": []map[string]any{{
			"id": guildID, "name": "@everyone", "permissions": fmt.Sprint(DefaultMemberPermissions),
			"position": 0, "color": 0, "hoist": false, "managed": false, "mentionable": false,
		}},
		"channels": channels, "threads": threads, "voice_states": []any{}, "presences": []any{},
		"emojis": []any{}, "stickers": []any{},
		"members": []map[string]any{{
			"user": bot, "roles": []string{}, "joined_at": time.Now().UTC().Format(time.RFC3339),
			"deaf": false, "mute": false, "flags": 0,
		}},
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
