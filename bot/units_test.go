package bot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/knowledge"
)

func TestMarkExcerpt(t *testing.T) {
	ex := "Cyber sovereignty is a concept. It means each state governs its own internet."
	in := strings.Index(ex, "internet")
	tests := []struct {
		name  string
		spans []knowledge.Span
		max   int
		want  string
	}{
		{"bold terms", []knowledge.Span{{Start: 0, End: 5}, {Start: 6, End: 17}}, 400, "**Cyber sovereignty** is a concept. It means each state governs its own internet."},
		{"separate terms", []knowledge.Span{{Start: 0, End: 5}, {Start: in, End: in + 8}}, 400, "**Cyber** sovereignty is a concept. It means each state governs its own **internet**."},
		{"bad spans ignored", []knowledge.Span{{Start: -1, End: 3}, {Start: 70, End: 900}, {Start: 10, End: 5}}, 400, ex},
		{"cut drops spans past it", []knowledge.Span{{Start: 0, End: 5}, {Start: in, End: in + 8}}, 40, "**Cyber** sovereignty is a concept. …"},
		{"newlines flattened", nil, 400, ex},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := markExcerpt(ex, tt.spans, tt.max); got != tt.want {
				t.Errorf("markExcerpt(%q, %v, %d) = %q; want %q", ex, tt.spans, tt.max, got, tt.want)
			}
		})
	}
	if got := markExcerpt("a *b*\nc", []knowledge.Span{{Start: 2, End: 5}}, 100); got != `a **\*b\*** c` {
		t.Errorf("markExcerpt with markdown in the span = %q", got)
	}
}

func TestLRU(t *testing.T) {
	now := time.Unix(0, 0)
	c := newLRU[int](2, time.Minute, func() time.Time { return now })
	c.Put("a", 1)
	c.Put("b", 2)
	c.Put("c", 3) // evicts a
	if _, ok := c.Get("a"); ok {
		t.Error("Get(a) after eviction: found")
	}
	if v, ok := c.Get("c"); !ok || v != 3 {
		t.Errorf("Get(c) = %d, %v; want 3, true", v, ok)
	}
	now = now.Add(time.Minute)
	if _, ok := c.Get("b"); ok {
		t.Error("Get(b) after its TTL: found")
	}
	if c.Len() > 2 {
		t.Errorf("Len() = %d; want ≤ 2", c.Len())
	}
}

func TestUserLimiter(t *testing.T) {
	now := time.Unix(0, 0)
	l := newUserLimiter(6, 2, func() time.Time { return now }) // one every 10 s, bursts of 2
	for i := range 2 {
		if ok, _, _ := l.Allow("u"); !ok {
			t.Fatalf("request %d within the burst refused", i+1)
		}
	}
	ok, retry, notify := l.Allow("u")
	if ok || !notify || retry <= 0 || retry > 10*time.Second {
		t.Errorf("third request: ok=%v retry=%v notify=%v; want refused with a notice and a retry ≤ 10s", ok, retry, notify)
	}
	if _, _, notify := l.Allow("u"); notify {
		t.Error("fourth request: notified again within the wait")
	}
	if ok, _, _ := l.Allow("other"); !ok {
		t.Error("another user was limited")
	}
	now = now.Add(10 * time.Second)
	if ok, _, _ := l.Allow("u"); !ok {
		t.Error("request after the wait refused")
	}
	// Idle users are forgotten: the map does not grow without bound.
	for i := range 1000 {
		l.Allow(strings.Repeat("x", i%50) + string(rune('a'+i%26)))
	}
	now = now.Add(time.Hour)
	l.Allow("late")
	if n := l.Len(); n != 1 {
		t.Errorf("after an idle hour Len() = %d; want 1", n)
	}
	if ok, _, _ := newUserLimiter(0, 0, nil).Allow("u"); !ok {
		t.Error("a disabled limiter refused")
	}
}

func TestCustomIDRoundTrip(t *testing.T) {
	id := customID(kindAsk, newID(), 2)
	if len(id) > maxCustomID {
		t.Fatalf("customID is %d long", len(id))
	}
	p, v, n, err := parseCustomID(id)
	if err != nil || p != kindAsk || v == "" || n != 2 {
		t.Errorf("parseCustomID(%q) = %q, %q, %d, %v", id, p, v, n, err)
	}
	for _, bad := range []string{"", "ask", "ask:x", "ask:x:-1", "ask::1", "ask:x:y", "a:b:c:d"} {
		if _, _, _, err := parseCustomID(bad); err == nil {
			t.Errorf("parseCustomID(%q): no error", bad)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	ok := Config{Token: "t"}
	tests := []struct {
		name    string
		mod     func(*Config)
		wantErr string
	}{
		{"minimal", func(*Config) {}, ""},
		{"no token", func(c *Config) { c.Token = "" }, "token"},
		{"bad url", func(c *Config) { c.APIURL = "ftp://x" }, "API URL"},
		{"url with query", func(c *Config) { c.APIURL = "http://x/?a=b" }, "API URL"},
		{"bad guild", func(c *Config) { c.GuildID = "abc" }, "guild"},
		{"bad role", func(c *Config) { c.AdminRoleIDs = []string{"1", "x"} }, "snowflake"},
		{"shard out of range", func(c *Config) { c.ShardID, c.ShardCount = 2, 2 }, "shard"},
		{"auto-answer without channels", func(c *Config) { c.StudyAutoAnswer = true }, "study"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.mod(&c)
			err := c.Validate()
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("Validate() = %v; want error containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestCommandsAreValid checks the declarations against Discord's rules, so
// that the bulk overwrite is never refused.
func TestCommandsAreValid(t *testing.T) {
	name := regexp.MustCompile(`^[-_\p{Ll}\p{N}]{1,32}$`)
	var check func(string, []*discordgo.ApplicationCommandOption)
	check = func(path string, opts []*discordgo.ApplicationCommandOption) {
		if len(opts) > 25 {
			t.Errorf("%s: %d options", path, len(opts))
		}
		seenOptional := false
		for _, o := range opts {
			p := path + " " + o.Name
			if !name.MatchString(o.Name) {
				t.Errorf("%s: bad name", p)
			}
			if n := len([]rune(o.Description)); n < 1 || n > 100 {
				t.Errorf("%s: description is %d characters", p, n)
			}
			if o.Required && seenOptional {
				t.Errorf("%s: required option after an optional one", p)
			}
			seenOptional = seenOptional || !o.Required
			check(p, o.Options)
		}
	}
	seen := map[string]bool{}
	for _, c := range Commands() {
		if !name.MatchString(c.Name) || seen[c.Name] {
			t.Errorf("command %q: bad or duplicate name", c.Name)
		}
		seen[c.Name] = true
		if n := len([]rune(c.Description)); n < 1 || n > 100 {
			t.Errorf("/%s: description is %d characters", c.Name, n)
		}
		check("/"+c.Name, c.Options)
	}
	for _, want := range []string{cmdAsk, cmdSearch, cmdSource, cmdKB} {
		if !seen[want] {
			t.Errorf("no /%s command", want)
		}
	}
}

func TestKBCommandNeedsManageServer(t *testing.T) {
	for _, c := range Commands() {
		perm := c.DefaultMemberPermissions
		if c.Name == cmdKB {
			if perm == nil || *perm != discordgo.PermissionManageGuild {
				t.Errorf("/kb default_member_permissions = %v; want Manage Server (32)", perm)
			}
		} else if perm != nil {
			t.Errorf("/%s default_member_permissions = %d; want everyone", c.Name, *perm)
		}
	}
}

func TestIsAdmin(t *testing.T) {
	a := newAuthority([]string{"77"}, []string{"900"})
	tests := []struct {
		name string
		m    *discordgo.Member
		want bool
	}{
		{"no member (DM)", nil, false},
		{"plain member", &discordgo.Member{Permissions: discordgo.PermissionSendMessages}, false},
		{"manage server", &discordgo.Member{Permissions: discordgo.PermissionManageGuild}, true},
		{"administrator", &discordgo.Member{Permissions: discordgo.PermissionAdministrator}, true},
		{"admin role", &discordgo.Member{Roles: []string{"5", "77"}}, true},
		{"other role", &discordgo.Member{Roles: []string{"5"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := &interaction{Interaction: &discordgo.Interaction{GuildID: "1185000000000000002", Member: tt.m}}
			if got := a.isAdmin(ix); got != tt.want {
				t.Errorf("isAdmin(%+v) = %v; want %v", tt.m, got, tt.want)
			}
			ix.GuildID = "" // a DM: nobody administers it
			if a.isAdmin(ix) {
				t.Errorf("isAdmin(%+v) in a DM = true; want false", tt.m)
			}
		})
	}
}

func TestIsOperator(t *testing.T) {
	a := newAuthority(nil, []string{"900"})
	a.setOwners(applicationOwners(&discordgo.Application{
		Owner: &discordgo.User{ID: "901"},
		Team:  &discordgo.Team{OwnerID: "902", Members: []*discordgo.TeamMember{{User: &discordgo.User{ID: "903"}}, nil}},
	}))
	for _, tt := range []struct {
		user string
		want bool
	}{
		{"900", true}, {"901", true}, {"902", true}, {"903", true}, {"904", false}, {"", false},
	} {
		if got := a.isOperator(tt.user); got != tt.want {
			t.Errorf("isOperator(%q) = %v; want %v", tt.user, got, tt.want)
		}
	}
}

func TestQuestionText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<@42> what is cyber sovereignty?", "what is cyber sovereignty?"},
		{"what is <@!42> this", "what is this"},
		{"<@42>", ""},
		{"<@7> and <@42>\nwhy?", "<@7> and why?"},
	}
	for _, tt := range tests {
		if got := questionText(tt.in, "42"); got != tt.want {
			t.Errorf("questionText(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestQuestionShaped(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"what is cyber sovereignty", true},
		{"Does China regulate the internet?", true},
		{"the wuzhen summit, right?", true},
		{"lol", false},
		{"ok?", false},
		{"see you tomorrow everyone", false},
		{"https://example.org is it?", false},
		{"中国的网络主权是什么？", true},
	}
	for _, tt := range tests {
		if got := questionShaped(tt.in); got != tt.want {
			t.Errorf("questionShaped(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
}

func TestSourceChoices(t *testing.T) {
	var srcs []knowledge.Source
	for i := range 40 {
		srcs = append(srcs, knowledge.Source{ID: "doc-" + string(rune('a'+i%26)) + strings.Repeat("x", i), Title: "Document " + strings.Repeat("long title ", 20)})
	}
	srcs = append(srcs, knowledge.Source{ID: "soft-power", Title: "Soft Power Is Hard", Author: "Jane Doe"})
	got := sourceChoices(srcs, "")
	if len(got) != maxChoices {
		t.Errorf("sourceChoices(all) gave %d choices; want %d", len(got), maxChoices)
	}
	for _, c := range got {
		if textLen(c.Name) > maxChoiceName || len(c.Value.(string)) > maxChoiceValue {
			t.Errorf("choice %q over Discord's limits", c.Name)
		}
	}
	got = sourceChoices(srcs, "soft")
	if len(got) != 1 || got[0].Value != "soft-power" || !strings.Contains(got[0].Name, "Jane Doe") {
		t.Errorf("sourceChoices(soft) = %+v; want the one document", got)
	}
	if s, ok := findSource(srcs, "soft power is hard"); !ok || s.ID != "soft-power" {
		t.Errorf("findSource(title) = %v, %v", s.ID, ok)
	}
	if _, ok := findSource(srcs, "Document"); ok {
		t.Error("findSource(ambiguous) found one")
	}
}

func TestRewriteTransport(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.Path+"|"+r.Header.Get("Authorization"))
	}))
	defer srv.Close()
	rt, err := newRewriteTransport(srv.URL+"/prefix/", nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Transport: rt}
	for _, u := range []string{discordgo.EndpointGateway, "https://cdn.discordapp.com/avatars/1/a.png"} {
		req, _ := http.NewRequest("GET", u, nil)
		req.Header.Set("Authorization", "Bot x")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		resp.Body.Close()
	}
	want := []string{"/prefix/api/v9/gateway|Bot x", "/prefix/avatars/1/a.png|Bot x"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("requests reached %q; want %q", got, want)
	}
}

func FuzzParseCustomID(f *testing.F) {
	f.Add("ask:ABCDEF:1")
	f.Add("psg::")
	f.Fuzz(func(t *testing.T, s string) {
		p, id, n, err := parseCustomID(s)
		if err != nil {
			return
		}
		if p == "" || id == "" || n < 0 {
			t.Fatalf("parseCustomID(%q) = %q, %q, %d", s, p, id, n)
		}
		if p2, id2, n2, err := parseCustomID(customID(p, id, n)); err != nil || p2 != p || id2 != id || n2 != n {
			t.Fatalf("round trip of %q: %q, %q, %d, %v", s, p2, id2, n2, err)
		}
	})
}

func FuzzQuestionText(f *testing.F) {
	f.Add("<@42> what is <@!42> cyber sovereignty? <@&1> @everyone")
	f.Fuzz(func(t *testing.T, s string) {
		q := questionText(s, "42")
		if strings.Contains(q, "<@42>") || strings.Contains(q, "<@!42>") || strings.ContainsAny(q, "\n\r\t") {
			t.Fatalf("questionText(%q) = %q keeps the mention or a line break", s, q)
		}
		if m := withoutMentions(q); anyMention.MatchString(m) {
			t.Fatalf("withoutMentions(%q) = %q keeps a mention", q, m)
		}
	})
}

func TestCitationLineShowsPageAndSection(t *testing.T) {
	src := knowledge.Source{ID: "report", Title: "Annual *Report*", Author: "ICANN", URL: "https://example.org/r"}
	for _, tt := range []struct {
		p    knowledge.Passage
		want string
	}{
		{knowledge.Passage{ID: "report#3"}, "**[1]** [*Annual \\*Report\\**](https://example.org/r) — ICANN · passage `report#3`"},
		{knowledge.Passage{ID: "report#3", Page: 12}, "**[1]** [*Annual \\*Report\\**](https://example.org/r) — ICANN · p. 12 · passage `report#3`"},
		{knowledge.Passage{ID: "report#3", Page: 2, Section: "Background › History"}, "**[1]** [*Annual \\*Report\\* › Background › History*](https://example.org/r) — ICANN · p. 2 · passage `report#3`"},
	} {
		if got := citationLine(knowledge.Citation{Rank: 1, Source: src, Passage: tt.p}); got != tt.want {
			t.Errorf("citationLine(%+v) =\n%s\nwant\n%s", tt.p, got, tt.want)
		}
	}
}

// A configuration printed, logged or encoded whole never shows the token.
func TestSecretNeverShown(t *testing.T) {
	const token = "MTIz.secret-token-value"
	cfg := Config{Token: token, APIURL: "https://discord.example"}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("config", "cfg", cfg, "token", cfg.Token)
	js, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), fmt.Sprintf("%s", cfg.Token), logged.String(), string(js)} {
		if strings.Contains(s, "secret-token") {
			t.Errorf("token shown: %s", s)
		}
	}
	if string(cfg.Token) != token {
		t.Errorf("string(Token) = %q, want the value", string(cfg.Token))
	}
}
