package discordtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// rawClient is a bare gateway client for protocol tests.
type rawClient struct {
	t  *testing.T
	ws *websocket.Conn
}

func dial(t *testing.T, srv *Server, query string) *rawClient {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(srv.GatewayURL()+"/?"+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return &rawClient{t: t, ws: ws}
}

func (c *rawClient) send(op int, d any) {
	c.t.Helper()
	if err := c.ws.WriteJSON(map[string]any{"op": op, "d": d}); err != nil {
		c.t.Fatal(err)
	}
}

// next reads one frame; a close frame is returned as its code with op -1.
func (c *rawClient) next() (f frame, closeCode int) {
	c.t.Helper()
	c.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, b, err := c.ws.ReadMessage()
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		return frame{Op: -1}, ce.Code
	}
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	if err := json.Unmarshal(b, &f); err != nil {
		c.t.Fatalf("decode %s: %v", b, err)
	}
	return f, 0
}

func (c *rawClient) expect(op int, t string) frame {
	c.t.Helper()
	f, code := c.next()
	if f.Op != op || op == 0 && (f.T == nil || *f.T != t) {
		name := ""
		if f.T != nil {
			name = *f.T
		}
		c.t.Fatalf("got op %d %q (close %d); want op %d %q", f.Op, name, code, op, t)
	}
	return f
}

func identifyPayload(token string, intents discordgo.Intent) map[string]any {
	return map[string]any{"token": token, "intents": intents, "properties": map[string]string{"os": "linux"}}
}

// identified dials and identifies; it returns the client and session id.
func identified(t *testing.T, srv *Server) (*rawClient, string) {
	t.Helper()
	c := dial(t, srv, "v=10&encoding=json")
	c.expect(opHello, "")
	c.send(opIdentify, identifyPayload("Bot "+srv.Token(), discordgo.IntentsAllWithoutPrivileged))
	ready := c.expect(opDispatch, "READY")
	c.expect(opDispatch, "GUILD_CREATE")
	var r struct {
		SessionID string `json:"session_id"`
		V         int    `json:"v"`
	}
	json.Unmarshal(ready.D, &r)
	if r.V != 10 {
		t.Errorf("READY v = %d; want 10", r.V)
	}
	return c, r.SessionID
}

func TestGatewayCloseCodes(t *testing.T) {
	t.Parallel()
	srv := NewTest(t, Options{DeniedIntents: discordgo.IntentGuildPresences})
	tests := []struct {
		name  string
		query string
		op    int
		d     any
		want  int
	}{
		{"bad token", "v=9&encoding=json", opIdentify, identifyPayload("nope", 0), 4004},
		{"unknown intent bits", "v=9", opIdentify, identifyPayload(srv.Token(), 1<<30), 4013},
		{"denied privileged intent", "v=9", opIdentify, identifyPayload(srv.Token(), discordgo.IntentGuildPresences), 4014},
		{"missing intents", "v=9", opIdentify, map[string]any{"token": srv.Token()}, 4013},
		{"bad shard", "v=9", opIdentify, map[string]any{"token": srv.Token(), "intents": 0, "shard": []int{1, 1}}, 4010},
		{"presence before identify", "v=9", opPresenceUpdate, map[string]any{}, 4003},
		{"unknown opcode", "v=9", 42, nil, 4001},
		{"resume with bad token", "v=9", opResume, map[string]any{"token": "x", "session_id": "y", "seq": 1}, 4004},
		{"api version 8", "v=8&encoding=json", opHeartbeat, nil, 4012},
		{"etf", "v=9&encoding=etf", opHeartbeat, nil, 4002},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, srv, tt.query)
			f, code := c.next()
			if code == 0 {
				if f.Op != opHello {
					t.Fatalf("first frame op %d; want HELLO", f.Op)
				}
				c.send(tt.op, tt.d)
				_, code = c.next()
			}
			if code != tt.want {
				t.Errorf("close code = %d; want %d", code, tt.want)
			}
		})
	}
}

func TestGatewayHeartbeatAndSequence(t *testing.T) {
	t.Parallel()
	srv := NewTest(t, Options{HeartbeatInterval: 250 * time.Millisecond})
	c := dial(t, srv, "v=9&encoding=json")
	hello := c.expect(opHello, "")
	var h struct {
		Interval int `json:"heartbeat_interval"`
	}
	json.Unmarshal(hello.D, &h)
	if h.Interval != 250 {
		t.Errorf("heartbeat_interval = %d; want 250", h.Interval)
	}
	c.send(opHeartbeat, nil)
	c.expect(opHeartbeatACK, "")
	c.send(opIdentify, identifyPayload(srv.Token(), 0))
	if f := c.expect(opDispatch, "READY"); *f.S != 1 {
		t.Errorf("READY s = %d; want 1", *f.S)
	}
	if f := c.expect(opDispatch, "GUILD_CREATE"); *f.S != 2 {
		t.Errorf("GUILD_CREATE s = %d; want 2", *f.S)
	}
	c.send(opIdentify, identifyPayload(srv.Token(), 0))
	if _, code := c.next(); code != 4005 {
		t.Errorf("second IDENTIFY: close %d; want 4005", code)
	}
	// A client that stops heartbeating is closed with 4009.
	c2, _ := identified(t, srv)
	if _, code := c2.next(); code != 4009 {
		t.Errorf("silent client: close %d; want 4009", code)
	}
}

func TestGatewayResume(t *testing.T) {
	t.Parallel()
	srv := NewTest(t, Options{})
	ctx := ctxT(t)
	c, session := identified(t, srv)
	if err := srv.SendRaw(ctx, "TEST_ONE", map[string]int{"n": 1}); err != nil {
		t.Fatal(err)
	}
	c.expect(opDispatch, "TEST_ONE") // seq 3
	srv.DropGateway()
	for _, n := range []int{2, 3} {
		if err := srv.SendRaw(ctx, "TEST_MISSED", map[string]int{"n": n}); err != nil {
			t.Fatal(err)
		}
	}
	waitCtx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if err := srv.WaitReady(waitCtx); err == nil {
		t.Error("WaitReady() after DropGateway = nil; want to wait for RESUME")
	}

	c2 := dial(t, srv, "v=9&encoding=json")
	c2.expect(opHello, "")
	c2.send(opResume, map[string]any{"token": srv.Token(), "session_id": session, "seq": 3})
	for _, want := range []int64{4, 5} {
		if f := c2.expect(opDispatch, "TEST_MISSED"); *f.S != want {
			t.Errorf("replayed s = %d; want %d", *f.S, want)
		}
	}
	if f := c2.expect(opDispatch, "RESUMED"); *f.S != 6 {
		t.Errorf("RESUMED s = %d; want 6", *f.S)
	}
	if err := srv.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	if srv.Resumes() != 1 {
		t.Errorf("Resumes() = %d; want 1", srv.Resumes())
	}

	// A clean close (1000) ends the session: RESUME then gets op 9.
	c2.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
	c2.next()
	c3 := dial(t, srv, "v=9&encoding=json")
	c3.expect(opHello, "")
	c3.send(opResume, map[string]any{"token": srv.Token(), "session_id": session, "seq": 6})
	if f := c3.expect(opInvalidSession, ""); string(f.D) != "false" {
		t.Errorf("op 9 d = %s; want false", f.D)
	}
	// The connection stays open for IDENTIFY, as discordgo expects.
	c3.send(opIdentify, identifyPayload(srv.Token(), 0))
	c3.expect(opDispatch, "READY")
}

func TestRequestReconnect(t *testing.T) {
	t.Parallel()
	srv := NewTest(t, Options{})
	c, _ := identified(t, srv)
	if err := srv.WaitReady(ctxT(t)); err != nil { // the session is registered just after READY is sent
		t.Fatal(err)
	}
	srv.RequestReconnect()
	c.expect(opReconnect, "")
}

// restCall makes a raw REST call with the bot's token.
func restCall(t *testing.T, srv *Server, method, path string, body any) (int, map[string]any, http.Header) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, srv.URL()+"/api/v10"+path, rd)
	req.Header.Set("Authorization", "Bot "+srv.Token())
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	json.Unmarshal(raw, &out)
	return resp.StatusCode, out, resp.Header
}

func TestRateLimitHeaders(t *testing.T) {
	t.Parallel()
	srv := NewTest(t, Options{})
	var last int
	var body map[string]any
	var h http.Header
	for range bucketLimit + 1 {
		last, body, h = restCall(t, srv, "GET", "/users/@me", nil)
	}
	if last != 429 || body["retry_after"] == nil || h.Get("X-RateLimit-Remaining") != "0" || h.Get("Retry-After") == "" {
		t.Errorf("request %d: %d %v %v; want 429 with retry_after", bucketLimit+1, last, body, h)
	}
	_, _, h = restCall(t, srv, "GET", "/gateway/bot", nil)
	if h.Get("X-RateLimit-Limit") != fmt.Sprint(bucketLimit) || h.Get("X-RateLimit-Reset-After") == "" || h.Get("X-RateLimit-Bucket") == "" {
		t.Errorf("headers = %v", h)
	}
}

// TestWebhookRules drives interactions with raw REST calls.
func TestWebhookRules(t *testing.T) {
	t.Parallel()
	srv := NewTest(t, Options{TokenTTL: 500 * time.Millisecond})
	ctx := ctxT(t)
	c, _ := identified(t, srv)
	if code, body, _ := restCall(t, srv, "PUT", "/applications/"+srv.AppID()+"/commands", []map[string]any{{"name": "ask", "description": "ask"}}); code != 200 {
		t.Fatalf("register: %d %v", code, body)
	}
	ix, err := srv.SlashCommand(ctx, "ask", nil, Member{}, "")
	if err != nil {
		t.Fatal(err)
	}
	f := c.expect(opDispatch, "INTERACTION_CREATE")
	var got discordgo.InteractionCreate
	if err := json.Unmarshal(f.D, &got); err != nil || got.Token != ix.Token || got.Member.User.ID != DefaultUserID {
		t.Fatalf("INTERACTION_CREATE = %s, %v", f.D, err)
	}
	hook := "/webhooks/" + srv.AppID() + "/" + ix.Token
	cb := "/interactions/" + ix.ID + "/" + ix.Token + "/callback"

	if code, body, _ := restCall(t, srv, "POST", hook, map[string]any{"content": "early"}); code != 404 || body["code"] != float64(codeUnknownWebhook) {
		t.Errorf("followup before the callback: %d %v; want 404 Unknown Webhook", code, body)
	}
	if code, body, _ := restCall(t, srv, "POST", cb, map[string]any{"type": 8, "data": map[string]any{}}); code != 400 {
		t.Errorf("type 8 for a command: %d %v; want 400", code, body)
	}
	if code, _, _ := restCall(t, srv, "POST", cb, map[string]any{"type": 5}); code != 204 {
		t.Fatalf("type 5: %d", code)
	}
	c.expect(opDispatch, "MESSAGE_CREATE") // the loading message
	emb := []map[string]any{{"title": strings.Repeat("t", 257), "fields": []map[string]any{{"name": "", "value": "v"}}, "url": "ftp://x"}}
	code, body, _ := restCall(t, srv, "PATCH", hook+"/messages/@original", map[string]any{"embeds": emb, "allowed_mentions": map[string]any{"parse": []string{}}})
	errs, _ := json.Marshal(body["errors"])
	if code != 400 || !strings.Contains(string(errs), `"title":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH"`) || !strings.Contains(string(errs), "URL_TYPE_INVALID_SCHEME") {
		t.Errorf("bad embed: %d %s", code, errs)
	}
	code, body, _ = restCall(t, srv, "POST", hook+"?wait=true", map[string]any{"content": "filled", "allowed_mentions": map[string]any{"parse": []string{}}})
	if code != 200 || body["content"] != "filled" {
		t.Errorf("first followup: %d %v", code, body)
	}
	m, err := ix.Final(ctx)
	if err != nil || m.Content != "filled" || m.Flags&discordgo.MessageFlagsLoading != 0 || len(ix.Followups()) != 0 {
		t.Errorf("after the first followup of a deferred response: Final() = %+v, %v; followups %d", m, err, len(ix.Followups()))
	}
	c.expect(opDispatch, "MESSAGE_UPDATE")
	if code, _, _ := restCall(t, srv, "DELETE", hook+"/messages/@original", nil); code != 204 {
		t.Errorf("DELETE @original: %d", code)
	}
	if code, _, _ := restCall(t, srv, "GET", hook+"/messages/@original", nil); code != 404 {
		t.Errorf("GET deleted @original: %d; want 404", code)
	}
	time.Sleep(600 * time.Millisecond)
	if code, body, _ := restCall(t, srv, "POST", hook, map[string]any{"content": "late"}); code != 401 || body["code"] != float64(codeInvalidWebhookTok) {
		t.Errorf("followup after the token expired: %d %v; want 401/50027", code, body)
	}
}

func TestValidateMessage(t *testing.T) {
	s := func(n int) string { return strings.Repeat("a", n) }
	button := func(id string) map[string]any {
		return map[string]any{"type": 2, "style": 1, "label": "b", "custom_id": id}
	}
	row := func(cs ...map[string]any) map[string]any { return map[string]any{"type": 1, "components": cs} }
	tests := []struct {
		name    string
		payload map[string]any
		want    string // substring of a violation detail; "" = valid
	}{
		{"ok", map[string]any{"content": s(2000)}, ""},
		{"content", map[string]any{"content": s(2001)}, "content: 2001 characters > 2000"},
		{"embeds", map[string]any{"embeds": make([]map[string]any, 11)}, "embeds: 11 embeds > 10"},
		{"title", map[string]any{"embeds": []map[string]any{{"title": s(257)}}}, "embeds.0.title: 257 characters > 256"},
		{"description", map[string]any{"embeds": []map[string]any{{"description": s(4097)}}}, "embeds.0.description: 4097"},
		{"fields", map[string]any{"embeds": []map[string]any{{"fields": make([]map[string]any, 26)}}}, "embeds.0.fields: 26 fields > 25"},
		{"field name", map[string]any{"embeds": []map[string]any{{"fields": []map[string]any{{"name": s(257), "value": "v"}}}}}, "fields.0.name: 257"},
		{"field value", map[string]any{"embeds": []map[string]any{{"fields": []map[string]any{{"name": "n", "value": s(1025)}}}}}, "fields.0.value: 1025"},
		{"empty field value", map[string]any{"embeds": []map[string]any{{"fields": []map[string]any{{"name": "n", "value": ""}}}}}, "fields.0.value: required"},
		{"footer", map[string]any{"embeds": []map[string]any{{"footer": map[string]any{"text": s(2049)}}}}, "footer.text: 2049"},
		{"author", map[string]any{"embeds": []map[string]any{{"author": map[string]any{"name": s(257)}}}}, "author.name: 257"},
		{"total", map[string]any{"embeds": []map[string]any{{"description": s(4000)}, {"description": s(2001)}}}, "6001 characters in total > 6000"},
		{"url scheme", map[string]any{"embeds": []map[string]any{{"url": "javascript:x"}}}, `scheme "javascript"`},
		{"relative url", map[string]any{"embeds": []map[string]any{{"url": "/docs/x"}}}, "is not a URL"},
		{"attachment image", map[string]any{"embeds": []map[string]any{{"image": map[string]any{"url": "attachment://a.png"}}}}, ""},
		{"rows", map[string]any{"components": []any{row(button("a")), row(button("b")), row(button("c")), row(button("d")), row(button("e")), row(button("f"))}}, "6 action rows > 5"},
		{"buttons per row", map[string]any{"components": []any{row(button("a"), button("b"), button("c"), button("d"), button("e"), button("f"))}}, "6 components in a row"},
		{"custom_id", map[string]any{"components": []any{row(button(s(101)))}}, "custom_id: 101 characters > 100"},
		{"duplicate custom_id", map[string]any{"components": []any{row(button("x"), button("x"))}}, `"x" used twice`},
		{"label", map[string]any{"components": []any{row(map[string]any{"type": 2, "style": 1, "label": s(81), "custom_id": "x"})}}, "label: 81 characters > 80"},
		{"link button without url", map[string]any{"components": []any{row(map[string]any{"type": 2, "style": 5, "label": "l"})}}, "url: required"},
		{"bare button", map[string]any{"components": []any{button("x")}}, "not an action row"},
		{"mentions conflict", map[string]any{"allowed_mentions": map[string]any{"parse": []string{"users"}, "users": []string{"1"}}}, "parse \"users\" together"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, _ := json.Marshal(tt.payload)
			f, err := parseMessageFields(raw)
			if err != nil {
				t.Fatal(err)
			}
			errs := validateMessage(f)
			var details []string
			for _, e := range errs {
				details = append(details, e.detail)
			}
			all := strings.Join(details, "; ")
			if tt.want == "" && len(errs) > 0 || tt.want != "" && !strings.Contains(all, tt.want) {
				t.Errorf("validateMessage(%s) = %q; want %q", raw, all, tt.want)
			}
		})
	}
}

func TestValidateCommands(t *testing.T) {
	opt := func(name string, typ discordgo.ApplicationCommandOptionType, required bool) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Name: name, Description: "d", Type: typ, Required: required}
	}
	str := discordgo.ApplicationCommandOptionString
	sub := discordgo.ApplicationCommandOptionSubCommand
	tests := []struct {
		name string
		cmd  *discordgo.ApplicationCommand
		want string
	}{
		{"ok", &discordgo.ApplicationCommand{Name: "ask", Description: "d", Options: []*discordgo.ApplicationCommandOption{opt("q", str, true), opt("private", discordgo.ApplicationCommandOptionBoolean, false)}}, ""},
		{"unicode name", &discordgo.ApplicationCommand{Name: "frage-ä_1", Description: "d"}, ""},
		{"uppercase", &discordgo.ApplicationCommand{Name: "Ask", Description: "d"}, `"Ask" is not`},
		{"space", &discordgo.ApplicationCommand{Name: "ask me", Description: "d"}, `"ask me" is not`},
		{"long name", &discordgo.ApplicationCommand{Name: strings.Repeat("a", 33), Description: "d"}, "is not 1-32"},
		{"no description", &discordgo.ApplicationCommand{Name: "ask"}, "description: length 0 not in 1-100"},
		{"long description", &discordgo.ApplicationCommand{Name: "ask", Description: strings.Repeat("d", 101)}, "length 101"},
		{"required after optional", &discordgo.ApplicationCommand{Name: "ask", Description: "d", Options: []*discordgo.ApplicationCommandOption{opt("a", str, false), opt("b", str, true)}}, "required option \"b\" after an optional one"},
		{"mixed subcommands", &discordgo.ApplicationCommand{Name: "kb", Description: "d", Options: []*discordgo.ApplicationCommandOption{opt("reload", sub, false), opt("x", str, false)}}, "subcommands mixed"},
		{"choices and autocomplete", &discordgo.ApplicationCommand{Name: "ask", Description: "d", Options: []*discordgo.ApplicationCommandOption{{Name: "q", Description: "d", Type: str, Autocomplete: true,
			Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "a", Value: "a"}}}}}, "both choices and autocomplete"},
		{"user command", &discordgo.ApplicationCommand{Name: "Ask About", Type: discordgo.UserApplicationCommand}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var details []string
			for _, e := range validateCommands([]*discordgo.ApplicationCommand{tt.cmd}) {
				details = append(details, e.detail)
			}
			all := strings.Join(details, "; ")
			if tt.want == "" && all != "" || tt.want != "" && !strings.Contains(all, tt.want) {
				t.Errorf("validateCommands(%s) = %q; want %q", tt.cmd.Name, all, tt.want)
			}
		})
	}
	dup := []*discordgo.ApplicationCommand{{Name: "ask", Description: "d"}, {Name: "ask", Description: "d"}}
	if errs := validateCommands(dup); len(errs) != 1 || errs[0].code != "APPLICATION_COMMANDS_DUPLICATE_NAME" {
		t.Errorf("duplicate names: %+v", errs)
	}
}

func TestFormErrors(t *testing.T) {
	got, _ := json.Marshal(formErrors("data", []fieldError{
		{path: "embeds.0.title", code: "A", message: "a"},
		{path: "embeds.0.title", code: "B", message: "b"},
		{path: "content", code: "C", message: "c"},
	}))
	want := `{"data":{"content":{"_errors":[{"code":"C","message":"c"}]},"embeds":{"0":{"title":{"_errors":[{"code":"A","message":"a"},{"code":"B","message":"b"}]}}}}}`
	if string(got) != want {
		t.Errorf("formErrors() = %s; want %s", got, want)
	}
}

func FuzzParseMessageFields(f *testing.F) {
	f.Add([]byte(`{"content":"hi","embeds":[{"title":"t","fields":[{"name":"n","value":"v"}]}],"components":[{"type":1,"components":[{"type":2,"style":1,"label":"x","custom_id":"c"}]}],"allowed_mentions":{"parse":[]}}`))
	f.Add([]byte(`{"attachments":[{"id":0},{"id":"123"}],"flags":64}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		mf, err := parseMessageFields(raw)
		if err != nil {
			return
		}
		validateMessage(mf)
		validateChoices(mf.Choices)
		validateModal(mf)
	})
}

func TestSlashCommandPayload(t *testing.T) {
	t.Parallel()
	srv := NewTest(t, Options{})
	ctx := ctxT(t)
	c, _ := identified(t, srv)
	kb := map[string]any{"name": "kb", "description": "knowledge base", "options": []map[string]any{
		{"type": 1, "name": "reload", "description": "reload"},
		{"type": 1, "name": "add", "description": "add a file", "options": []map[string]any{
			{"type": 11, "name": "file", "description": "the file", "required": true},
			{"type": 6, "name": "owner", "description": "who", "required": false},
			{"type": 4, "name": "weight", "description": "w", "choices": []map[string]any{{"name": "one", "value": 1}, {"name": "two", "value": 2}}},
		}},
	}}
	if code, body, _ := restCall(t, srv, "PUT", "/applications/"+srv.AppID()+"/guilds/"+srv.GuildID()+"/commands", []any{kb}); code != 200 {
		t.Fatalf("register: %d %v", code, body)
	}
	att := srv.AddAttachment("notes.md", []byte("# notes"))
	ix, err := srv.SlashCommand(ctx, "kb", []Option{{Name: "add", Options: []Option{
		{Name: "file", Value: att}, {Name: "owner", Value: "1185000000000000555"}, {Name: "weight", Value: 2},
	}}}, Member{UserID: "1185000000000000556", Username: "boss", Permissions: PermAdministrator, Roles: []string{"1185000000000000900"}}, "1185000000000000777")
	if err != nil {
		t.Fatal(err)
	}
	var got discordgo.InteractionCreate
	if err := json.Unmarshal(c.expect(opDispatch, "INTERACTION_CREATE").D, &got); err != nil {
		t.Fatal(err)
	}
	d := got.ApplicationCommandData()
	sub := d.Options[0]
	if d.Name != "kb" || sub.Name != "add" || sub.Type != discordgo.ApplicationCommandOptionSubCommand || len(sub.Options) != 3 {
		t.Fatalf("data = %+v, sub = %+v", d, sub)
	}
	if sub.Options[0].Type != discordgo.ApplicationCommandOptionAttachment || d.Resolved.Attachments[att.ID].URL != att.URL {
		t.Errorf("attachment option = %+v, resolved %+v", sub.Options[0], d.Resolved)
	}
	if sub.Options[1].Type != discordgo.ApplicationCommandOptionUser || d.Resolved.Users["1185000000000000555"] == nil {
		t.Errorf("user option = %+v, resolved users %+v", sub.Options[1], d.Resolved.Users)
	}
	if sub.Options[2].IntValue() != 2 {
		t.Errorf("integer option = %v", sub.Options[2].Value)
	}
	if got.ChannelID != "1185000000000000777" || got.GuildID != srv.GuildID() || got.Member.User.Username != "boss" ||
		got.Member.Permissions&PermManageServer == 0 || len(got.Member.Roles) != 1 || got.AppPermissions != DefaultBotPermissions || got.Locale != "en-US" || ix.UserID != "1185000000000000556" {
		t.Errorf("interaction = channel %s guild %s member %+v app perms %d locale %s", got.ChannelID, got.GuildID, got.Member, got.AppPermissions, got.Locale)
	}
	for _, bad := range [][]Option{
		{{Name: "add", Options: []Option{{Name: "file", Value: att}, {Name: "weight", Value: 3}}}}, // not a choice
		{{Name: "add", Options: []Option{{Name: "weight", Value: 1}}}},                             // required file missing
		{{Name: "add", Options: []Option{{Name: "file", Value: "not-an-id"}}}},
		{{Name: "reload"}, {Name: "add"}},
		{{Name: "nope"}},
	} {
		if _, err := srv.SlashCommand(ctx, "kb", bad, Member{}, ""); !errors.Is(err, ErrInvalidOption) {
			t.Errorf("SlashCommand(kb %+v) = %v; want ErrInvalidOption", bad, err)
		}
	}
}

func TestResetToken(t *testing.T) {
	t.Parallel()
	srv := NewTest(t, Options{})
	old := srv.Token()
	c, sessionID := identified(t, srv)
	srv.ResetToken("the-new-token")
	for {
		f, code := c.next()
		if f.Op == -1 {
			if code != closeAuthFailed {
				t.Errorf("connection closed with %d after the token reset; want %d", code, closeAuthFailed)
			}
			break
		}
	}
	// The old token can neither resume nor identify.
	r := dial(t, srv, "v=10&encoding=json")
	r.expect(opHello, "")
	r.send(opResume, map[string]any{"token": "Bot " + old, "session_id": sessionID, "seq": 1})
	if _, code := r.next(); code != closeAuthFailed {
		t.Errorf("RESUME with the old token: close %d; want %d", code, closeAuthFailed)
	}
	dg := newSession(t, srv, old)
	if _, err := dg.User("@me"); err == nil {
		t.Error("User(@me) with the old token succeeded; want 401")
	} else if status, _ := restCode(err); status != http.StatusUnauthorized {
		t.Errorf("User(@me) with the old token = %v; want 401", err)
	}
	if srv.Token() != "the-new-token" {
		t.Errorf("Token() = %q after the reset", srv.Token())
	}
	// The new one works.
	fresh := newSession(t, srv, "the-new-token")
	if _, err := fresh.User("@me"); err != nil {
		t.Errorf("User(@me) with the new token: %v", err)
	}
}
