package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/bot"
	"github.com/govbot-dev/govbot/bot/discordtest"
	"github.com/govbot-dev/govbot/knowledge/corpus"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseServeConfig(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string // substring; "" for success
	}{
		{"token only", map[string]string{"DISCORD_TOKEN": "abc.def"}, ""},
		{"missing token", map[string]string{}, "DISCORD_TOKEN is required"},
		{"bad guild", map[string]string{"DISCORD_TOKEN": "t", "DISCORD_GUILD_ID": "my-server"}, "config: DISCORD_GUILD_ID: \"my-server\" is not a snowflake"},
		{"bad api url", map[string]string{"DISCORD_TOKEN": "t", "DISCORD_API_URL": "discord.com"}, "config: DISCORD_API_URL"},
		{"bad role", map[string]string{"DISCORD_TOKEN": "t", "ADMIN_ROLE_IDS": "1, admins"}, "config: ADMIN_ROLE_IDS"},
		{"bad channel", map[string]string{"DISCORD_TOKEN": "t", "STUDY_CHANNEL_IDS": "#general"}, "config: STUDY_CHANNEL_IDS"},
		{"auto-answer without channels", map[string]string{"DISCORD_TOKEN": "t", "STUDY_AUTO_ANSWER": "true"}, "config: STUDY_AUTO_ANSWER"},
		{"bad bool", map[string]string{"DISCORD_TOKEN": "t", "STUDY_AUTO_ANSWER": "yes please"}, "config: STUDY_AUTO_ANSWER"},
		{"bad message content", map[string]string{"DISCORD_TOKEN": "t", "MESSAGE_CONTENT": "maybe"}, "config: MESSAGE_CONTENT"},
		{"study threads without channels", map[string]string{"DISCORD_TOKEN": "t", "STUDY_THREADS": "true"}, "config: STUDY_THREADS"},
		{"shard id alone", map[string]string{"DISCORD_TOKEN": "t", "SHARD_ID": "0"}, "SHARD_ID and SHARD_COUNT"},
		{"shard out of range", map[string]string{"DISCORD_TOKEN": "t", "SHARD_ID": "2", "SHARD_COUNT": "2"}, "config: SHARD_ID"},
		{"bad rate", map[string]string{"DISCORD_TOKEN": "t", "RATE_LIMIT_PER_MINUTE": "-1"}, "config: RATE_LIMIT_PER_MINUTE"},
		{"bad burst", map[string]string{"DISCORD_TOKEN": "t", "RATE_LIMIT_BURST": "0"}, "config: RATE_LIMIT_BURST"},
		{"metrics port only", map[string]string{"DISCORD_TOKEN": "t", "METRICS_ADDR": ":9090"}, ""},
		{"metrics without port", map[string]string{"DISCORD_TOKEN": "t", "METRICS_ADDR": "localhost"}, "config: METRICS_ADDR"},
		{"metrics bad port", map[string]string{"DISCORD_TOKEN": "t", "METRICS_ADDR": ":http-alt"}, "config: METRICS_ADDR"},
		{"upload size", map[string]string{"DISCORD_TOKEN": "t", "UPLOAD_MAX_SIZE": "512KiB"}, ""},
		{"bad upload size", map[string]string{"DISCORD_TOKEN": "t", "UPLOAD_MAX_SIZE": "big"}, "config: UPLOAD_MAX_SIZE"},
		{"operators", map[string]string{"DISCORD_TOKEN": "t", "OPERATOR_USER_IDS": "1185000000000000001,1185000000000000009"}, ""},
		{"bad operator", map[string]string{"DISCORD_TOKEN": "t", "OPERATOR_USER_IDS": "@me"}, "config: OPERATOR_USER_IDS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig(envOf(withHome(tt.env)))
			if err == nil {
				err = c.forServe()
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("parseConfig() = %v; want no error", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("parseConfig() = %v; want an error containing %q", err, tt.wantErr)
			}
			if err != nil && tt.env["DISCORD_TOKEN"] != "" && strings.Contains(err.Error(), tt.env["DISCORD_TOKEN"]) && len(tt.env["DISCORD_TOKEN"]) > 2 {
				t.Errorf("error %q contains the token", err)
			}
		})
	}
}

// withHome adds a HOME, so that the default DATA_DIR exists.
func withHome(env map[string]string) map[string]string {
	out := map[string]string{"HOME": "/home/govbot"}
	for k, v := range env {
		out[k] = v
	}
	return out
}

func TestParseServeConfigValues(t *testing.T) {
	c, err := parseConfig(envOf(map[string]string{
		"OPERATOR_USER_IDS":     "555 666",
		"DISCORD_TOKEN":         "Bot secret",
		"DISCORD_API_URL":       "http://127.0.0.1:9999",
		"DISCORD_GUILD_ID":      "111",
		"ADMIN_ROLE_IDS":        "222, 333",
		"STUDY_CHANNEL_IDS":     "444",
		"STUDY_AUTO_ANSWER":     "true",
		"MESSAGE_CONTENT":       "true",
		"STUDY_THREADS":         "1",
		"SHARD_ID":              "1",
		"SHARD_COUNT":           "3",
		"RATE_LIMIT_PER_MINUTE": "2.5",
		"RATE_LIMIT_BURST":      "4",
		"METRICS_ADDR":          ":9090",
		"UPLOAD_MAX_SIZE":       "1MiB",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.MetricsAddr != "127.0.0.1:9090" {
		t.Errorf("METRICS_ADDR :9090 = %q; want loopback 127.0.0.1:9090", c.MetricsAddr)
	}
	if c.Bot.MaxUploadSize != 1<<20 {
		t.Errorf("UPLOAD_MAX_SIZE 1MiB = %d bytes", c.Bot.MaxUploadSize)
	}
	if c := c.Bot; c.Token != "secret" || c.APIURL != "http://127.0.0.1:9999" || c.GuildID != "111" ||
		strings.Join(c.AdminRoleIDs, ",") != "222,333" || strings.Join(c.StudyChannelIDs, ",") != "444" ||
		!c.StudyAutoAnswer || c.ShardID != 1 || c.ShardCount != 3 || c.RatePerMinute != 2.5 || c.RateBurst != 4 {
		t.Errorf("parseConfig() = %+v", c)
	}
	if !c.Bot.MessageContent || !c.Bot.StudyThreads {
		t.Errorf("MESSAGE_CONTENT, STUDY_THREADS = %v, %v; want true, true", c.Bot.MessageContent, c.Bot.StudyThreads)
	}
	if strings.Join(c.Bot.OperatorIDs, ",") != "555,666" {
		t.Errorf("OPERATOR_USER_IDS = %q", c.Bot.OperatorIDs)
	}
	d, _ := parseConfig(envOf(map[string]string{"DISCORD_TOKEN": "t"}))
	if d.Bot.RatePerMinute != defaultRatePerMinute || d.Bot.RateBurst != defaultRateBurst {
		t.Errorf("defaults: %v per minute, burst %d", d.Bot.RatePerMinute, d.Bot.RateBurst)
	}
	if d.MetricsAddr != "" || d.Bot.MaxUploadSize != bot.DefaultMaxUploadSize {
		t.Errorf("defaults: metrics %q, upload size %d; want off and %d", d.MetricsAddr, d.Bot.MaxUploadSize, bot.DefaultMaxUploadSize)
	}
}

func TestServeNeedsAToken(t *testing.T) {
	err := runServe(context.Background(), nil, envOf(map[string]string{"INDEX_DIR": t.TempDir()}), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "DISCORD_TOKEN") {
		t.Errorf("runServe without a token = %v; want an error naming DISCORD_TOKEN", err)
	}
}

// TestServeEndToEnd runs govbot serve as main would, against the Discord
// emulator: it answers, reloads on SIGHUP, and exits cleanly when its
// context is cancelled (SIGINT/SIGTERM in main).
func TestServeEndToEnd(t *testing.T) {
	srv := discordtest.NewTest(t, discordtest.Options{})
	dataDir := t.TempDir()
	env := map[string]string{
		"DISCORD_TOKEN":    srv.Token(),
		"DISCORD_API_URL":  srv.URL(),
		"DISCORD_GUILD_ID": srv.GuildID(),
		"INDEX_DIR":        t.TempDir(),
		"DATA_DIR":         dataDir,
		"LOG_LEVEL":        "info", // the metrics server logs its address at info
		"METRICS_ADDR":     "127.0.0.1:0",
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sv := startServe(ctx, t, srv, env)
	stderr, stop, done := &sv.stderr, sv.stop, sv.done
	member := discordtest.Member{UserID: "1185000000000000201", Username: "student"}
	admin := discordtest.Member{UserID: "1185000000000000202", Username: "admin", Permissions: discordtest.PermManageServer}

	ix, err := srv.SlashCommand(ctx, "ask", []discordtest.Option{{Name: "question", Value: "What is cyber sovereignty?"}}, member, "")
	if err != nil {
		t.Fatal(err)
	}
	cb, err := ix.Callback(ctx)
	if err != nil || cb.Latency > 3*time.Second {
		t.Fatalf("/ask acknowledged after %v: %v", cb.Latency, err)
	}
	msg, err := ix.Final(ctx)
	if err != nil || len(msg.Embeds) == 0 || !strings.Contains(msg.Embeds[0].Description, "[1]") {
		t.Fatalf("/ask answer: %v %+v", err, msg)
	}
	if !hasButton(msg, "👎 Not helpful") {
		t.Error("the answer has no 👍/👎 buttons with a usable DATA_DIR")
	}
	if _, err := os.Stat(filepath.Join(dataDir, "feedback.db")); err != nil {
		t.Errorf("no feedback database in DATA_DIR: %v", err)
	}

	// Metrics: the answer is counted, the index exported, and govbot is
	// ready (gateway connected, index open).
	base := "http://" + metricsAddr(ctx, t, stderr)
	if code, body := get(t, base+"/readyz"); code != 200 {
		t.Errorf("/readyz = %d %q; want 200 once connected", code, body)
	}
	if code, _ := get(t, base+"/healthz"); code != 200 {
		t.Errorf("/healthz = %d; want 200", code)
	}
	// The answer is counted just after it is sent: poll briefly.
	var text string
	for deadline := time.Now().Add(10 * time.Second); ; {
		_, text = get(t, base+"/metrics")
		if strings.Contains(text, `govbot_answer_duration_seconds_count{command="ask"} 1`) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, want := range []string{
		`govbot_questions_total{command="ask",outcome="answered"} 1`,
		`govbot_gateway_connected 1`,
		`govbot_answer_duration_seconds_count{command="ask"} 1`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(text, "govbot_index_documents 0") || !strings.Contains(text, "govbot_index_documents ") {
		t.Errorf("/metrics does not export the index size:\n%s", grepLines(text, "govbot_index"))
	}

	// SIGHUP reloads, and /kb status says so.
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	for {
		ix, err := srv.SlashCommand(ctx, "kb", []discordtest.Option{{Name: "status"}}, admin, "")
		if err != nil {
			t.Fatal(err)
		}
		m, err := ix.Final(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Embeds) > 0 && strings.Contains(fieldValues(m.Embeds[0]), "by SIGHUP") {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("/kb status never showed the SIGHUP reload: %s", fieldValues(m.Embeds[0]))
		case <-time.After(50 * time.Millisecond):
		}
	}

	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("runServe after cancel = %v; want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("runServe did not return within 10 s of cancel")
	}
	if strings.Contains(stderr.String(), srv.Token()) {
		t.Error("the token was logged")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("the metrics server still answers after serve returned")
	}
	if v := srv.Violations(); len(v) > 0 {
		t.Errorf("violations of Discord's rules:\n%s", strings.Join(v, "\n"))
	}
}

// TestServeAnswersWithoutAUsableDataDir: feedback storage that cannot be
// opened is a warning, not a failure; answers come without vote buttons.
func TestServeAnswersWithoutAUsableDataDir(t *testing.T) {
	srv := discordtest.NewTest(t, discordtest.Options{})
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"DISCORD_TOKEN": srv.Token(), "DISCORD_API_URL": srv.URL(), "DISCORD_GUILD_ID": srv.GuildID(),
		"INDEX_DIR": t.TempDir(), "DATA_DIR": filepath.Join(file, "data"), "LOG_LEVEL": "warn",
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sv := startServe(ctx, t, srv, env)
	stderr, stop, done := &sv.stderr, sv.stop, sv.done
	ix, err := srv.SlashCommand(ctx, "ask", []discordtest.Option{{Name: "question", Value: "What is cyber sovereignty?"}}, discordtest.Member{}, "")
	if err != nil {
		t.Fatal(err)
	}
	msg, err := ix.Final(ctx)
	if err != nil || len(msg.Embeds) == 0 || !strings.Contains(msg.Embeds[0].Description, "[1]") {
		t.Fatalf("/ask answer without feedback storage: %v %+v", err, msg)
	}
	if hasButton(msg, "👎 Not helpful") {
		t.Error("vote buttons on an answer that could not be recorded")
	}
	if !strings.Contains(stderr.String(), "feedback: storage disabled") {
		t.Errorf("no warning about the disabled feedback storage:\n%s", stderr.String())
	}
	stop()
	if err := <-done; err != nil {
		t.Errorf("runServe = %v; want nil", err)
	}
}

// TestServeUploadsIntoTheServersCollection: /kb add stores into the
// server's own collection under DATA_DIR, never into KNOWLEDGE_DIR (the
// operator's), and honours UPLOAD_MAX_SIZE.
func TestServeUploadsIntoTheServersCollection(t *testing.T) {
	srv := discordtest.NewTest(t, discordtest.Options{})
	dir, dataDir := t.TempDir(), t.TempDir()
	if err := os.CopyFS(dir, corpus.FS()); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"DISCORD_TOKEN": srv.Token(), "DISCORD_API_URL": srv.URL(), "DISCORD_GUILD_ID": srv.GuildID(),
		"KNOWLEDGE_DIR": dir, "INDEX_DIR": t.TempDir(), "DATA_DIR": dataDir, "LOG_LEVEL": "warn",
		"UPLOAD_MAX_SIZE": "1KiB",
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sv := startServe(ctx, t, srv, env)
	stop, done := sv.stop, sv.done
	admin := discordtest.Member{UserID: "1185000000000000202", Username: "admin", Permissions: discordtest.PermManageServer}
	add := func(name, body string) string {
		att := srv.AddAttachment(name, []byte(body))
		ix, err := srv.SlashCommand(ctx, "kb", []discordtest.Option{{Name: "add", Options: []discordtest.Option{{Name: "file", Value: att}}}}, admin, "")
		if err != nil {
			t.Fatal(err)
		}
		m, err := ix.Final(ctx)
		if err != nil || len(m.Embeds) == 0 {
			t.Fatalf("/kb add %s: %v %+v", name, err, m)
		}
		return m.Embeds[0].Title + "\n" + m.Embeds[0].Description
	}
	if got := add("quokka.md", "# Quokka rules\n\nQuokka telemetry must be published twice a year.\n"); !strings.Contains(got, "Document added") {
		t.Errorf("/kb add of a small document: %s", got)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "guilds", srv.GuildID(), "docs", "uploads", "quokka.md")); err != nil {
		t.Errorf("not stored in the server's collection: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "uploads")); err == nil {
		t.Error("a server's upload went into KNOWLEDGE_DIR")
	}
	if got := add("big.md", strings.Repeat("Quokka telemetry. ", 100)); !strings.Contains(got, "at most 1.0 KiB") {
		t.Errorf("/kb add over UPLOAD_MAX_SIZE: %s", got)
	}
	stop()
	if err := <-done; err != nil {
		t.Errorf("runServe = %v; want nil", err)
	}
	if v := srv.Violations(); len(v) > 0 {
		t.Errorf("violations of Discord's rules:\n%s", strings.Join(v, "\n"))
	}
}

// serving is govbot serve running in the background against an emulator.
type serving struct {
	stderr syncBuffer
	stop   context.CancelFunc // asks serve to shut down
	done   chan error         // receives serve's result
}

// startServe runs runServe with env in the background and waits until the
// bot is connected and its commands are registered (or ctx ends).
func startServe(ctx context.Context, t *testing.T, srv *discordtest.Server, env map[string]string) *serving {
	t.Helper()
	runCtx, stop := context.WithCancel(context.Background())
	t.Cleanup(stop)
	s := &serving{stop: stop, done: make(chan error, 1)}
	go func() { s.done <- runServe(runCtx, nil, envOf(env), io.Discard, &s.stderr) }()
	if err := srv.WaitReady(ctx); err != nil {
		t.Fatalf("the bot did not connect: %v\n%s", err, s.stderr.String())
	}
	for len(srv.Commands(srv.GuildID())) == 0 {
		select {
		case <-ctx.Done():
			t.Fatal("commands were never registered")
		case <-time.After(20 * time.Millisecond):
		}
	}
	return s
}

func hasButton(m *discordgo.Message, label string) bool {
	for _, row := range m.Components {
		if r, ok := row.(*discordgo.ActionsRow); ok {
			for _, c := range r.Components {
				if b, ok := c.(*discordgo.Button); ok && b.Label == label {
					return true
				}
			}
		}
	}
	return false
}

// metricsAddr waits for the metrics server's "metrics listening" log line
// and returns the address it bound.
func metricsAddr(ctx context.Context, t *testing.T, logs *syncBuffer) string {
	t.Helper()
	re := regexp.MustCompile(`msg="metrics listening" addr=(\S+)`)
	for {
		if m := re.FindStringSubmatch(logs.String()); m != nil {
			return m[1]
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the metrics server never said where it listens:\n%s", logs.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func grepLines(text, substr string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func fieldValues(e *discordgo.MessageEmbed) string {
	var b strings.Builder
	for _, f := range e.Fields {
		b.WriteString(f.Name + ": " + f.Value + "\n")
	}
	return b.String()
}

// syncBuffer is a bytes.Buffer safe for the logger and the test at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
