package discordtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// noPings is what every bot message should carry.
var noPings = &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}

// connect starts an emulator and a real discordgo session against it.
// setup runs before Open (to add handlers or change intents).
func connect(t *testing.T, opts Options, setup func(*discordgo.Session)) (*Server, *discordgo.Session) {
	t.Helper()
	srv := NewTest(t, opts)
	dg := newSession(t, srv, srv.Token())
	if setup != nil {
		setup(dg)
	}
	if err := dg.Open(); err != nil {
		t.Fatalf("Open() = %v", err)
	}
	return srv, dg
}

func newSession(t *testing.T, srv *Server, token string) *discordgo.Session {
	t.Helper()
	dg, err := discordgo.New("Bot " + token)
	if err != nil {
		t.Fatal(err)
	}
	dg.Client = &http.Client{Transport: Transport(srv.URL(), nil), Timeout: 10 * time.Second}
	t.Cleanup(func() {
		// Under the session lock, so the race detector sees it ordered
		// before any reconnect that reads it.
		dg.Lock()
		dg.ShouldReconnectOnError = false
		dg.Unlock()
		dg.Close()
	})
	return dg
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// register bulk-overwrites the guild commands used by the tests.
func register(t *testing.T, srv *Server, dg *discordgo.Session, cmds ...*discordgo.ApplicationCommand) {
	t.Helper()
	if _, err := dg.ApplicationCommandBulkOverwrite(srv.AppID(), srv.GuildID(), cmds); err != nil {
		t.Fatalf("ApplicationCommandBulkOverwrite: %v", err)
	}
}

func cmd(name string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommand {
	return &discordgo.ApplicationCommand{Name: name, Description: "test command " + name, Options: opts}
}

func restCode(err error) (status, code int) {
	var re *discordgo.RESTError
	if errors.As(err, &re) {
		status = re.Response.StatusCode
		if re.Message != nil {
			code = re.Message.Code
		}
	}
	return status, code
}

func hasViolation(srv *Server, substr string) bool {
	for _, v := range srv.Violations() {
		if strings.Contains(v, substr) {
			return true
		}
	}
	return false
}

func TestReady(t *testing.T) {
	t.Parallel()
	// discordgo's state keeps the guilds of READY and overwrites them in
	// place on GUILD_CREATE, racing with a Ready handler that reads them
	// in its own goroutine: this test handles events synchronously.
	type readyInfo struct {
		userID, sessionID, appID string
		bot                      bool
		version                  int
		guilds                   []discordgo.Guild
	}
	ready := make(chan readyInfo, 1)
	guild := make(chan discordgo.Guild, 1)
	srv, dg := connect(t, Options{}, func(dg *discordgo.Session) {
		dg.SyncEvents = true
		dg.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
			info := readyInfo{r.User.ID, r.SessionID, r.Application.ID, r.User.Bot, r.Version, nil}
			for _, g := range r.Guilds {
				info.guilds = append(info.guilds, discordgo.Guild{ID: g.ID, Unavailable: g.Unavailable})
			}
			ready <- info
		})
		dg.AddHandler(func(_ *discordgo.Session, g *discordgo.GuildCreate) {
			guild <- discordgo.Guild{ID: g.ID, Channels: append([]*discordgo.Channel(nil), g.Channels...)}
		})
	})
	ctx := ctxT(t)
	if err := srv.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-ready:
		if r.userID != srv.BotUserID() || !r.bot || r.sessionID == "" || r.appID != srv.AppID() || r.version != 9 {
			t.Errorf("READY = %+v", r)
		}
		if len(r.guilds) != 1 || r.guilds[0].ID != srv.GuildID() || !r.guilds[0].Unavailable {
			t.Errorf("READY guilds = %+v; want one unavailable guild %s", r.guilds, srv.GuildID())
		}
	case <-ctx.Done():
		t.Fatal("no READY")
	}
	select {
	case g := <-guild:
		if g.ID != srv.GuildID() || len(g.Channels) == 0 {
			t.Errorf("GUILD_CREATE = %s with %d channels", g.ID, len(g.Channels))
		}
	case <-ctx.Done():
		t.Fatal("no GUILD_CREATE")
	}
	if got := srv.Identifies(); got != 1 {
		t.Errorf("Identifies() = %d; want 1", got)
	}
	if got := srv.Intents(); got != discordgo.IntentsAllWithoutPrivileged {
		t.Errorf("Intents() = %d; want %d (discordgo's default)", got, discordgo.IntentsAllWithoutPrivileged)
	}
	me, err := dg.User("@me")
	if err != nil || me.ID != srv.BotUserID() {
		t.Errorf("User(@me) = %v, %v", me, err)
	}
}

func TestCompressedDispatches(t *testing.T) {
	t.Parallel()
	ready := make(chan string, 1)
	srv, _ := connect(t, Options{Compress: true}, func(dg *discordgo.Session) {
		dg.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { ready <- r.User.ID })
	})
	select {
	case id := <-ready:
		if id != srv.BotUserID() {
			t.Errorf("READY user = %s", id)
		}
	case <-ctxT(t).Done():
		t.Fatal("no READY over zlib-compressed frames")
	}
}

func TestWrongToken(t *testing.T) {
	t.Parallel()
	srv := NewTest(t, Options{Token: "right-token"})
	dg := newSession(t, srv, "wrong-token")
	err := dg.Open()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != 4004 {
		t.Errorf("Open() with a wrong token = %v; want close 4004", err)
	}
	_, err = dg.User("@me")
	if status, _ := restCode(err); status != http.StatusUnauthorized {
		t.Errorf("User(@me) with a wrong token = %v; want 401", err)
	}
	if srv.Identifies() != 0 {
		t.Errorf("Identifies() = %d; want 0", srv.Identifies())
	}
}

func TestDeniedIntents(t *testing.T) {
	t.Parallel()
	srv := NewTest(t, Options{DeniedIntents: discordgo.IntentMessageContent})
	dg := newSession(t, srv, srv.Token())
	dg.Identify.Intents |= discordgo.IntentMessageContent
	var ce *websocket.CloseError
	if err := dg.Open(); !errors.As(err, &ce) || ce.Code != 4014 {
		t.Errorf("Open() asking for a denied intent = %v; want close 4014", err)
	}
}

func TestCommandsBulkOverwrite(t *testing.T) {
	t.Parallel()
	srv := NewTest(t, Options{})
	dg := newSession(t, srv, srv.Token())
	perm := PermManageServer
	cmds := []*discordgo.ApplicationCommand{
		cmd("ask", &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "question",
			Description: "what to ask", Required: true, Autocomplete: true}),
		{Name: "reindex", Description: "rebuild the index", DefaultMemberPermissions: &perm},
	}
	first, err := dg.ApplicationCommandBulkOverwrite(srv.AppID(), srv.GuildID(), cmds)
	if err != nil {
		t.Fatal(err)
	}
	second, err := dg.ApplicationCommandBulkOverwrite(srv.AppID(), srv.GuildID(), cmds)
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Commands(srv.GuildID())
	if len(got) != 2 || len(second) != 2 {
		t.Fatalf("after two overwrites: %d commands stored, %d returned; want 2", len(got), len(second))
	}
	for i := range first {
		if first[i].ID == "" || first[i].ID != second[i].ID || got[i].ID != first[i].ID {
			t.Errorf("command %q ids: first %q, second %q, stored %q; want equal", first[i].Name, first[i].ID, second[i].ID, got[i].ID)
		}
	}
	if got[1].DefaultMemberPermissions == nil || *got[1].DefaultMemberPermissions != PermManageServer {
		t.Errorf("reindex default_member_permissions = %v; want %d", got[1].DefaultMemberPermissions, PermManageServer)
	}
	if len(srv.Commands("")) != 0 {
		t.Errorf("global commands = %d; want 0", len(srv.Commands("")))
	}
	listed, err := dg.ApplicationCommands(srv.AppID(), srv.GuildID())
	if err != nil || len(listed) != 2 {
		t.Errorf("ApplicationCommands() = %d commands, %v; want 2", len(listed), err)
	}

	// Replacing the set drops what is not in it.
	if _, err := dg.ApplicationCommandBulkOverwrite(srv.AppID(), srv.GuildID(), cmds[:1]); err != nil {
		t.Fatal(err)
	}
	if got := srv.Commands(srv.GuildID()); len(got) != 1 || got[0].ID != first[0].ID {
		t.Errorf("after overwrite with one command: %v", got)
	}

	bad := []*discordgo.ApplicationCommand{{Name: "Ask Me", Description: strings.Repeat("x", 101)}}
	_, err = dg.ApplicationCommandBulkOverwrite(srv.AppID(), srv.GuildID(), bad)
	if status, code := restCode(err); status != 400 || code != 50035 {
		t.Errorf("invalid command: err = %v; want 400 with code 50035", err)
	}
	if !hasViolation(srv, `0.name: "Ask Me"`) || !hasViolation(srv, "0.description: length 101") {
		t.Errorf("Violations() = %q; want name and description", srv.Violations())
	}
	if got := srv.Commands(srv.GuildID()); len(got) != 1 {
		t.Errorf("a rejected overwrite changed the set: %d commands", len(got))
	}
}

func TestMessageLimitsREST(t *testing.T) {
	t.Parallel()
	srv := NewTest(t, Options{})
	dg := newSession(t, srv, srv.Token())
	ch := srv.ChannelID()
	_, err := dg.ChannelMessageSendComplex(ch, &discordgo.MessageSend{Content: strings.Repeat("é", 2001), AllowedMentions: noPings})
	if status, code := restCode(err); status != 400 || code != 50035 {
		t.Errorf("2001-rune message: err = %v; want 400/50035", err)
	}
	if !hasViolation(srv, "content: 2001 characters > 2000") {
		t.Errorf("Violations() = %q", srv.Violations())
	}
	ok, err := dg.ChannelMessageSendComplex(ch, &discordgo.MessageSend{Content: strings.Repeat("é", 2000), AllowedMentions: noPings})
	if err != nil || ok.ID == "" {
		t.Fatalf("2000-rune message: %v", err)
	}
	if _, err := dg.ChannelMessageSend(ch, "no allowed mentions here"); err != nil {
		t.Errorf("message without allowed_mentions: %v; want accepted", err)
	}
	if !hasViolation(srv, "no allowed_mentions") {
		t.Errorf("Violations() = %q; want no allowed_mentions", srv.Violations())
	}
	if _, err := dg.ChannelMessageSend("1185000000000009999", "x"); err == nil {
		t.Error("message to an unknown channel: want 404")
	} else if _, code := restCode(err); code != 10003 {
		t.Errorf("message to an unknown channel: %v; want code 10003", err)
	}
	// Unknown routes are 404 JSON and logged.
	if _, err := dg.Request("GET", discordgo.EndpointAPI+"nonsense/route", nil); err == nil {
		t.Error("unknown route: want 404")
	}
	reqs := srv.Requests()
	last := reqs[len(reqs)-1]
	if last.Status != 404 || last.Route != "" || last.Path != "/api/v9/nonsense/route" {
		t.Errorf("last request = %+v", last)
	}
	for _, r := range reqs {
		if strings.Contains(string(r.Body), srv.Token()) {
			t.Errorf("request %s %s stores the token", r.Method, r.Path)
		}
	}
}

func TestUploadAndAttachments(t *testing.T) {
	t.Parallel()
	srv := NewTest(t, Options{})
	dg := newSession(t, srv, srv.Token())
	m, err := dg.ChannelMessageSendComplex(srv.ChannelID(), &discordgo.MessageSend{
		Content: "see file", AllowedMentions: noPings,
		Files: []*discordgo.File{{Name: "notes.txt", ContentType: "text/plain", Reader: strings.NewReader("hello file")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Filename != "notes.txt" || m.Attachments[0].Size != 10 {
		t.Fatalf("attachments = %+v", m.Attachments)
	}
	// The CDN URL is served by the emulator; through Transport too.
	att := srv.AddAttachment("doc.md", []byte("# Title\n"))
	for _, u := range []string{m.Attachments[0].URL, att.URL, strings.Replace(att.URL, srv.URL(), "https://cdn.discordapp.com", 1)} {
		resp, err := dg.Client.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(body) == 0 {
			t.Errorf("GET %s = %d %q", u, resp.StatusCode, body)
		}
	}
	if att.ContentType != "text/markdown; charset=utf-8" && !strings.HasPrefix(att.ContentType, "text/") {
		t.Errorf("AddAttachment content type = %q", att.ContentType)
	}
}

// respondScript answers interactions by command name or custom_id and
// reports handler errors.
type respondScript map[string]func(*discordgo.Session, *discordgo.InteractionCreate) error

func (rs respondScript) install(dg *discordgo.Session, errs chan<- error) {
	dg.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		var name string
		switch i.Type {
		case discordgo.InteractionMessageComponent:
			name = i.MessageComponentData().CustomID
		default:
			name = i.ApplicationCommandData().Name
		}
		f := rs[name]
		if f == nil {
			errs <- fmt.Errorf("no script for %q", name)
			return
		}
		errs <- f(s, i)
	})
}

func reply(content string) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: content, AllowedMentions: noPings}}
}

func TestInteractionResponses(t *testing.T) {
	t.Parallel()
	handlerErrs := make(chan error, 100)
	script := respondScript{
		"reply": func(s *discordgo.Session, i *discordgo.InteractionCreate) error {
			if got := i.Member.Permissions; got != DefaultMemberPermissions {
				return fmt.Errorf("member permissions = %d", got)
			}
			return s.InteractionRespond(i.Interaction, reply("hello "+i.ApplicationCommandData().Options[0].StringValue()))
		},
		"defer": func(s *discordgo.Session, i *discordgo.InteractionCreate) error {
			err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}})
			if err != nil {
				return err
			}
			content := "done"
			_, err = s.InteractionResponseEdit(i.Interaction, &discordgo.WebhookEdit{Content: &content, AllowedMentions: noPings,
				Embeds: &[]*discordgo.MessageEmbed{{Title: "Source", Description: "excerpt", URL: "https://example.org/doc"}}})
			return err
		},
		"twice": func(s *discordgo.Session, i *discordgo.InteractionCreate) error {
			if err := s.InteractionRespond(i.Interaction, reply("one")); err != nil {
				return err
			}
			err := s.InteractionRespond(i.Interaction, reply("two"))
			if _, code := restCode(err); code != 40060 {
				return fmt.Errorf("second callback: %v; want 40060", err)
			}
			_, err = s.FollowupMessageCreate(i.Interaction, true, &discordgo.WebhookParams{Content: "more", AllowedMentions: noPings})
			return err
		},
		"toolong": func(s *discordgo.Session, i *discordgo.InteractionCreate) error {
			err := s.InteractionRespond(i.Interaction, reply(strings.Repeat("x", 2001)))
			if status, code := restCode(err); status != 400 || code != 50035 {
				return fmt.Errorf("2001 characters: %v; want 400/50035", err)
			}
			return s.InteractionRespond(i.Interaction, reply("shorter"))
		},
		"badflags": func(s *discordgo.Session, i *discordgo.InteractionCreate) error {
			err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsSuppressEmbeds}})
			if status, _ := restCode(err); status != 400 {
				return fmt.Errorf("type 5 with flags 4: %v; want 400", err)
			}
			return s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
		},
		"buttons": func(s *discordgo.Session, i *discordgo.InteractionCreate) error {
			return s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: "page 1", AllowedMentions: noPings,
					Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
						discordgo.Button{Label: "More", CustomID: "more"},
						discordgo.Button{Label: "Docs", Style: discordgo.LinkButton, URL: "https://example.org"},
					}}}}})
		},
		"more": func(s *discordgo.Session, i *discordgo.InteractionCreate) error {
			if i.Message == nil || i.Message.Content != "page 1" {
				return fmt.Errorf("component interaction message = %+v", i.Message)
			}
			return s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage,
				Data: &discordgo.InteractionResponseData{Content: "page 2", AllowedMentions: noPings}})
		},
	}
	srv, dg := connect(t, Options{}, func(dg *discordgo.Session) { script.install(dg, handlerErrs) })
	register(t, srv, dg,
		cmd("reply", &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "who", Description: "name", Required: true}),
		cmd("defer"), cmd("twice"), cmd("toolong"), cmd("badflags"), cmd("buttons"))
	ctx := ctxT(t)
	handled := func() {
		t.Helper()
		select {
		case err := <-handlerErrs:
			if err != nil {
				t.Error(err)
			}
		case <-ctx.Done():
			t.Fatal("handler did not finish")
		}
	}

	t.Run("type 4", func(t *testing.T) {
		ix, err := srv.SlashCommand(ctx, "reply", []Option{{Name: "who", Value: "ada"}}, Member{}, "")
		if err != nil {
			t.Fatal(err)
		}
		cb, err := ix.Callback(ctx)
		if err != nil || cb.Type != discordgo.InteractionResponseChannelMessageWithSource || cb.Data.Content != "hello ada" {
			t.Fatalf("Callback() = %+v, %v", cb, err)
		}
		if cb.Latency <= 0 || cb.Latency > 3*time.Second {
			t.Errorf("Latency = %v", cb.Latency)
		}
		m, err := ix.Final(ctx)
		if err != nil || m.Content != "hello ada" || m.Author.ID != srv.BotUserID() || m.Flags&discordgo.MessageFlagsEphemeral != 0 {
			t.Fatalf("Final() = %+v, %v", m, err)
		}
		if am := srv.AllowedMentions(m.ID); am == nil || len(am.Parse) != 0 {
			t.Errorf("AllowedMentions(%s) = %+v; want parse []", m.ID, am)
		}
		handled()
	})

	t.Run("type 5 then edit", func(t *testing.T) {
		ix, err := srv.SlashCommand(ctx, "defer", nil, Member{UserID: "1185000000000000077", Permissions: PermAdministrator}, "")
		if err != nil {
			t.Fatal(err)
		}
		cb, err := ix.Callback(ctx)
		if err != nil || cb.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
			t.Fatalf("Callback() = %+v, %v", cb, err)
		}
		m, err := ix.Final(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if m.Content != "done" || len(m.Embeds) != 1 || m.Embeds[0].Title != "Source" ||
			m.Flags&discordgo.MessageFlagsEphemeral == 0 || m.Flags&discordgo.MessageFlagsLoading != 0 {
			t.Errorf("Final() = content %q embeds %d flags %d", m.Content, len(m.Embeds), m.Flags)
		}
		handled()
	})

	t.Run("second callback and followup", func(t *testing.T) {
		ix, err := srv.SlashCommand(ctx, "twice", nil, Member{}, "")
		if err != nil {
			t.Fatal(err)
		}
		handled()
		if got := ix.Callbacks(); len(got) != 2 || got[0].Status != 204 || got[1].Status != 400 {
			t.Errorf("Callbacks() = %+v", got)
		}
		if f := ix.Followups(); len(f) != 1 || f[0].Content != "more" {
			t.Errorf("Followups() = %+v", f)
		}
	})

	t.Run("over-long reply", func(t *testing.T) {
		ix, err := srv.SlashCommand(ctx, "toolong", nil, Member{}, "")
		if err != nil {
			t.Fatal(err)
		}
		handled()
		if m, err := ix.Final(ctx); err != nil || m.Content != "shorter" {
			t.Errorf("Final() = %v, %v", m, err)
		}
		if !hasViolation(srv, "data.content") && !hasViolation(srv, "content: 2001 characters > 2000") {
			t.Errorf("Violations() = %q", srv.Violations())
		}
	})

	t.Run("type 5 flags", func(t *testing.T) {
		if _, err := srv.SlashCommand(ctx, "badflags", nil, Member{}, ""); err != nil {
			t.Fatal(err)
		}
		handled()
		if !hasViolation(srv, "type-5 callback flags other than 64") {
			t.Errorf("Violations() = %q", srv.Violations())
		}
	})

	t.Run("button", func(t *testing.T) {
		ix, err := srv.SlashCommand(ctx, "buttons", nil, Member{}, "")
		if err != nil {
			t.Fatal(err)
		}
		handled()
		m, err := ix.Final(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := srv.ClickButton(ctx, m, "nope", Member{}); !errors.Is(err, ErrNoComponent) {
			t.Errorf("ClickButton(nope) = %v; want ErrNoComponent", err)
		}
		click, err := srv.ClickButton(ctx, m, "more", Member{})
		if err != nil {
			t.Fatal(err)
		}
		handled()
		updated, err := click.Final(ctx)
		if err != nil || updated.ID != m.ID || updated.Content != "page 2" || updated.EditedTimestamp == nil {
			t.Errorf("after click: Final() = %+v, %v", updated, err)
		}
	})

	t.Run("unknown command", func(t *testing.T) {
		if _, err := srv.SlashCommand(ctx, "nope", nil, Member{}, ""); !errors.Is(err, ErrUnknownCommand) {
			t.Errorf("SlashCommand(nope) = %v; want ErrUnknownCommand", err)
		}
		if _, err := srv.SlashCommand(ctx, "reply", nil, Member{}, ""); !errors.Is(err, ErrInvalidOption) {
			t.Errorf("SlashCommand(reply) without its required option = %v; want ErrInvalidOption", err)
		}
	})
}

func TestAutocomplete(t *testing.T) {
	t.Parallel()
	handlerErrs := make(chan error, 10)
	script := respondScript{"ask": func(s *discordgo.Session, i *discordgo.InteractionCreate) error {
		var typed string
		for _, o := range i.ApplicationCommandData().Options {
			if o.Focused {
				typed = o.StringValue()
			}
		}
		n := 3
		if typed == "many" {
			n = 30
		}
		var choices []*discordgo.ApplicationCommandOptionChoice
		for k := range n {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: fmt.Sprint("doc ", k), Value: fmt.Sprint(k)})
		}
		err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: choices}})
		if n > 25 {
			if status, _ := restCode(err); status != 400 {
				return fmt.Errorf("30 choices: %v; want 400", err)
			}
			return nil
		}
		return err
	}}
	srv, dg := connect(t, Options{}, func(dg *discordgo.Session) { script.install(dg, handlerErrs) })
	register(t, srv, dg, cmd("ask", &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString,
		Name: "question", Description: "what to ask", Required: true, Autocomplete: true}))
	ctx := ctxT(t)
	ix, err := srv.Autocomplete(ctx, "ask", []Option{{Name: "question", Value: "bud", Focused: true}}, Member{}, "")
	if err != nil {
		t.Fatal(err)
	}
	cb, err := ix.Callback(ctx)
	if err != nil || cb.Type != discordgo.InteractionApplicationCommandAutocompleteResult || len(cb.Data.Choices) != 3 {
		t.Fatalf("Callback() = %+v, %v", cb, err)
	}
	if _, err := ix.Final(ctx); !errors.Is(err, ErrNoMessage) {
		t.Errorf("Final() of autocomplete = %v; want ErrNoMessage", err)
	}
	if err := <-handlerErrs; err != nil {
		t.Error(err)
	}
	if _, err := srv.Autocomplete(ctx, "ask", []Option{{Name: "question", Value: "many", Focused: true}}, Member{}, ""); err != nil {
		t.Fatal(err)
	}
	if err := <-handlerErrs; err != nil {
		t.Error(err)
	}
	if !hasViolation(srv, "choices: 30 choices > 25") {
		t.Errorf("Violations() = %q", srv.Violations())
	}
}

func TestAckDeadline(t *testing.T) {
	t.Parallel()
	late := make(chan error, 1)
	srv, dg := connect(t, Options{AckTimeout: 200 * time.Millisecond}, func(dg *discordgo.Session) {
		dg.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
			time.Sleep(400 * time.Millisecond)
			late <- s.InteractionRespond(i.Interaction, reply("too late"))
		})
	})
	register(t, srv, dg, cmd("slow"))
	ctx := ctxT(t)
	ix, err := srv.SlashCommand(ctx, "slow", nil, Member{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Callback(ctx); !errors.Is(err, ErrNotAcknowledged) {
		t.Errorf("Callback() = %v; want ErrNotAcknowledged", err)
	}
	if status, code := restCode(<-late); status != 404 || code != 10062 {
		t.Errorf("late callback: %d/%d; want 404/10062", status, code)
	}
	if !hasViolation(srv, "interaction not acknowledged within 200ms") {
		t.Errorf("Violations() = %q", srv.Violations())
	}
	if _, err := ix.Final(ctx); !errors.Is(err, ErrNotAcknowledged) {
		t.Errorf("Final() = %v; want ErrNotAcknowledged", err)
	}
}

func TestDropGatewayResumes(t *testing.T) {
	t.Parallel()
	srv, dg := connect(t, Options{}, func(dg *discordgo.Session) {
		dg.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
			s.InteractionRespond(i.Interaction, reply("pong"))
		})
	})
	register(t, srv, dg, cmd("ping"))
	ctx := ctxT(t)
	srv.DropGateway()
	// Dispatched while the client is away: buffered, replayed on RESUME.
	during, err := srv.SlashCommand(ctx, "ping", nil, Member{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := srv.SlashCommand(ctx, "ping", nil, Member{}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, ix := range []*Interaction{during, after} {
		if m, err := ix.Final(ctx); err != nil || m.Content != "pong" {
			t.Errorf("interaction %s: Final() = %v, %v", ix.ID, m, err)
		}
	}
	if srv.Resumes() != 1 || srv.Identifies() != 1 {
		t.Errorf("Resumes() = %d, Identifies() = %d; want 1, 1", srv.Resumes(), srv.Identifies())
	}
	// Op 7: discordgo closes with 1012 (which keeps the session) and resumes.
	srv.RequestReconnect()
	for srv.Resumes() < 2 && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
	if srv.Resumes() != 2 || srv.Identifies() != 1 {
		t.Errorf("after op 7: Resumes() = %d, Identifies() = %d; want 2, 1", srv.Resumes(), srv.Identifies())
	}
	if m, err := srv.SlashCommand(ctx, "ping", nil, Member{}, ""); err != nil {
		t.Fatal(err)
	} else if _, err := m.Final(ctx); err != nil {
		t.Errorf("after op 7: %v", err)
	}
	if v := srv.Violations(); len(v) != 0 {
		t.Errorf("Violations() = %q", v)
	}
}

func TestPostMessage(t *testing.T) {
	t.Parallel()
	created := make(chan *discordgo.MessageCreate, 10)
	srv, dg := connect(t, Options{}, func(dg *discordgo.Session) {
		dg.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) { created <- m })
	})
	ctx := ctxT(t)
	next := func() *discordgo.MessageCreate {
		t.Helper()
		select {
		case m := <-created:
			return m
		case <-ctx.Done():
			t.Fatal("no MESSAGE_CREATE")
			return nil
		}
	}
	posted, err := srv.PostMessage(ctx, &discordgo.Message{Content: "<@" + srv.BotUserID() + "> what is a budget?"})
	if err != nil {
		t.Fatal(err)
	}
	got := next()
	if got.ID != posted.ID || got.GuildID != srv.GuildID() || got.Author.ID != DefaultUserID ||
		len(got.Mentions) != 1 || got.Mentions[0].ID != srv.BotUserID() || !strings.Contains(got.Content, "budget") {
		t.Errorf("MESSAGE_CREATE = %+v", got.Message)
	}
	// Without the Message Content intent (discordgo's default) other
	// messages arrive without content.
	if _, err := srv.PostMessage(ctx, &discordgo.Message{Content: "chatter"}); err != nil {
		t.Fatal(err)
	}
	if got := next(); got.Content != "" {
		t.Errorf("content without the intent = %q; want empty", got.Content)
	}
	// A reply by the bot comes back to it as MESSAGE_CREATE too.
	sent, err := dg.ChannelMessageSendComplex(srv.ChannelID(), &discordgo.MessageSend{Content: "an answer <@" + DefaultUserID + ">",
		Reference: posted.Reference(), AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}, RepliedUser: true}})
	if err != nil {
		t.Fatal(err)
	}
	echo := next()
	if echo.ID != sent.ID || echo.Author.ID != srv.BotUserID() || echo.ReferencedMessage == nil || echo.ReferencedMessage.ID != posted.ID {
		t.Errorf("echo of the bot's reply = %+v", echo.Message)
	}
	if len(sent.Mentions) != 1 || sent.Mentions[0].ID != DefaultUserID {
		t.Errorf("reply mentions = %+v; want only the replied-to user (parse [])", sent.Mentions)
	}
	w, err := srv.WaitMessage(ctx, srv.ChannelID(), func(m *discordgo.Message) bool { return strings.HasPrefix(m.Content, "an answer") })
	if err != nil || w.ID != sent.ID || w.MessageReference == nil || w.MessageReference.MessageID != posted.ID {
		t.Errorf("WaitMessage() = %+v, %v", w, err)
	}
	if v := srv.Violations(); len(v) != 0 {
		t.Errorf("Violations() = %q", v)
	}
}

func TestConcurrentInteractions(t *testing.T) {
	t.Parallel()
	const n = 50
	srv, dg := connect(t, Options{}, func(dg *discordgo.Session) {
		dg.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
			s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
			q := i.ApplicationCommandData().Options[0].StringValue()
			content := "answer to " + q
			s.InteractionResponseEdit(i.Interaction, &discordgo.WebhookEdit{Content: &content, AllowedMentions: noPings})
		})
	})
	register(t, srv, dg, cmd("ask", &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString,
		Name: "question", Description: "what to ask", Required: true}))
	ctx := ctxT(t)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for k := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := fmt.Sprint("q", k)
			ix, err := srv.SlashCommand(ctx, "ask", []Option{{Name: "question", Value: q}}, Member{UserID: fmt.Sprint(1185000000000001000 + k)}, "")
			if err != nil {
				errs <- err
				return
			}
			m, err := ix.Final(ctx)
			if err == nil && m.Content != "answer to "+q {
				err = fmt.Errorf("interaction %d: content %q", k, m.Content)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if v := srv.Violations(); len(v) != 0 {
		t.Errorf("Violations() = %q", v)
	}
}

func TestTransport(t *testing.T) {
	t.Parallel()
	var got []string
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = append(got, r.URL.String())
		return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
	})
	rt := Transport("http://127.0.0.1:1234", base)
	for _, u := range []string{
		"https://discord.com/api/v9/users/@me?x=1",
		"https://cdn.discordapp.com/attachments/1/2/a.txt",
		"https://media.discordapp.net/x",
		"https://example.org/y",
	} {
		req, _ := http.NewRequest("GET", u, nil)
		if _, err := rt.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		"http://127.0.0.1:1234/api/v9/users/@me?x=1",
		"http://127.0.0.1:1234/attachments/1/2/a.txt",
		"http://127.0.0.1:1234/x",
		"https://example.org/y",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("rewritten = %q; want %q", got, want)
	}
	req, _ := http.NewRequest("GET", "https://discord.com/api/v9/gateway", nil)
	if _, err := Transport("not a url", base).RoundTrip(req); err == nil {
		t.Error("Transport with a bad origin: want an error")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
