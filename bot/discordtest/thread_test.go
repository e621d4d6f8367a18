package discordtest

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// events collects MESSAGE_CREATE and THREAD_CREATE as the real client sees them.
type events struct {
	msgs    chan *discordgo.MessageCreate
	threads chan *discordgo.ThreadCreate
}

func collect(dg *discordgo.Session) *events {
	ev := &events{msgs: make(chan *discordgo.MessageCreate, 20), threads: make(chan *discordgo.ThreadCreate, 5)}
	dg.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) { ev.msgs <- m })
	dg.AddHandler(func(_ *discordgo.Session, c *discordgo.ThreadCreate) { ev.threads <- c })
	return ev
}

func TestDirectMessages(t *testing.T) {
	t.Parallel()
	var ev *events
	srv, dg := connect(t, Options{}, func(dg *discordgo.Session) {
		ev = collect(dg)
		dg.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	})
	ctx := ctxT(t)
	dm := srv.DMChannel(DefaultUserID)
	if ch, err := dg.UserChannelCreate(DefaultUserID); err != nil || ch.ID != dm || ch.Type != discordgo.ChannelTypeDM ||
		len(ch.Recipients) != 1 || ch.Recipients[0].ID != DefaultUserID {
		t.Fatalf("UserChannelCreate = %+v, %v; want the DM channel %s", ch, err, dm)
	}
	posted, err := srv.PostMessage(ctx, &discordgo.Message{ChannelID: dm, Content: "what is a budget?"})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-ev.msgs:
		// No Message Content intent, yet a DM keeps its content; no guild, no member.
		if m.ID != posted.ID || m.GuildID != "" || m.Member != nil || m.Content != "what is a budget?" {
			t.Errorf("DM MESSAGE_CREATE = %+v", m.Message)
		}
	case <-ctx.Done():
		t.Fatal("no MESSAGE_CREATE for the DM")
	}
	sent, err := dg.ChannelMessageSendComplex(dm, &discordgo.MessageSend{Content: "an answer", Reference: posted.Reference(), AllowedMentions: noPings})
	if err != nil || sent.ChannelID != dm || sent.GuildID != "" {
		t.Fatalf("reply in the DM = %+v, %v", sent, err)
	}
	if err := dg.MessageReactionAdd(dm, posted.ID, "👍"); err != nil {
		t.Fatal(err)
	}
	if got := srv.Reactions(posted.ID); len(got) != 1 || got[0] != "👍" {
		t.Errorf("Reactions = %q; want [👍]", got)
	}
	// Without the Direct Messages intent a session gets no DMs.
	if got := len(srv.Messages(dm)); got != 2 {
		t.Errorf("%d messages in the DM; want 2", got)
	}
}

func TestThreads(t *testing.T) {
	t.Parallel()
	var ev *events
	srv, dg := connect(t, Options{}, func(dg *discordgo.Session) { ev = collect(dg) })
	ctx := ctxT(t)
	question, err := srv.PostMessage(ctx, &discordgo.Message{Content: "<@" + srv.BotUserID() + "> what is a budget?"})
	if err != nil {
		t.Fatal(err)
	}
	<-ev.msgs
	answer, err := dg.ChannelMessageSendComplex(srv.ChannelID(), &discordgo.MessageSend{Content: "an answer", Reference: question.Reference(), AllowedMentions: noPings})
	if err != nil {
		t.Fatal(err)
	}
	<-ev.msgs
	// The bot opens a thread on its answer: the thread has the answer's ID.
	th, err := dg.MessageThreadStartComplex(srv.ChannelID(), answer.ID, &discordgo.ThreadStart{Name: "what is a budget?", AutoArchiveDuration: 1440})
	if err != nil || th.ID != answer.ID || th.ParentID != srv.ChannelID() || th.Type != discordgo.ChannelTypeGuildPublicThread || th.OwnerID != srv.BotUserID() {
		t.Fatalf("MessageThreadStartComplex = %+v, %v", th, err)
	}
	select {
	case c := <-ev.threads:
		if c.ID != answer.ID || !c.NewlyCreated {
			t.Errorf("THREAD_CREATE = %+v", c.Channel)
		}
	case <-ctx.Done():
		t.Fatal("no THREAD_CREATE")
	}
	if ch, err := dg.State.Channel(th.ID); err != nil || !ch.IsThread() {
		t.Errorf("state.Channel(thread) = %+v, %v", ch, err)
	}
	if m, _ := srv.Message(answer.ID); m.Thread == nil || m.Thread.ID != th.ID || m.Flags&discordgo.MessageFlagsHasThread == 0 {
		t.Errorf("starter message = %+v; want its thread and HAS_THREAD", m)
	}
	if _, err := dg.MessageThreadStart(srv.ChannelID(), answer.ID, "again", 60); err == nil {
		t.Error("a second thread on one message was accepted")
	} else if _, code := restCode(err); code != codeThreadExists {
		t.Errorf("second thread: %v; want code %d", err, codeThreadExists)
	}
	// A message in the thread, without Message Content and without a
	// mention, arrives empty; one that mentions the bot keeps its content.
	if _, err := srv.PostMessage(ctx, &discordgo.Message{ChannelID: th.ID, Content: "and who wrote it?"}); err != nil {
		t.Fatal(err)
	}
	if m := <-ev.msgs; m.ChannelID != th.ID || m.GuildID != srv.GuildID() || m.Content != "" {
		t.Errorf("plain message in the thread = %+v; want it empty without Message Content", m.Message)
	}
	if _, err := srv.PostMessage(ctx, &discordgo.Message{ChannelID: th.ID, Content: "<@" + srv.BotUserID() + "> and who wrote it?"}); err != nil {
		t.Fatal(err)
	}
	if m := <-ev.msgs; !strings.Contains(m.Content, "who wrote it") {
		t.Errorf("mention in the thread = %q", m.Content)
	}
	if _, err := dg.ChannelMessageSendComplex(th.ID, &discordgo.MessageSend{Content: "in the thread", AllowedMentions: noPings}); err != nil {
		t.Fatal(err)
	}
	<-ev.msgs
	// A user starts a thread on a message; the bot learns of it.
	other, _ := srv.PostMessage(ctx, &discordgo.Message{Content: "<@" + srv.BotUserID() + "> hi"})
	<-ev.msgs
	uth, err := srv.StartThread(ctx, srv.ChannelID(), other.ID, "chat", "")
	if err != nil || uth.OwnerID != DefaultUserID {
		t.Fatalf("StartThread = %+v, %v", uth, err)
	}
	if c := <-ev.threads; c.ID != other.ID || c.OwnerID != DefaultUserID {
		t.Errorf("THREAD_CREATE = %+v", c.Channel)
	}
	if _, err := srv.StartThread(ctx, uth.ID, "", "nested", ""); err == nil {
		t.Error("a thread in a thread was accepted")
	}
	if got := srv.Threads(); len(got) != 2 {
		t.Errorf("Threads() = %d; want 2", len(got))
	}
	if v := srv.Violations(); len(v) != 0 {
		t.Errorf("Violations() = %q", v)
	}
}

func TestThreadPermissions(t *testing.T) {
	t.Parallel()
	srv, dg := connect(t, Options{BotPermissions: DefaultBotPermissions &^ (PermCreatePublicThreads | PermSendInThreads)}, nil)
	ctx := ctxT(t)
	m, err := srv.PostMessage(ctx, &discordgo.Message{Content: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dg.MessageThreadStart(srv.ChannelID(), m.ID, "t", 60); err == nil {
		t.Error("thread opened without Create Public Threads")
	} else if status, _ := restCode(err); status != 403 {
		t.Errorf("thread without permission: %v; want 403", err)
	}
	th, err := srv.StartThread(ctx, srv.ChannelID(), m.ID, "t", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dg.ChannelMessageSendComplex(th.ID, &discordgo.MessageSend{Content: "x", AllowedMentions: noPings}); err == nil {
		t.Error("message in a thread without Send Messages in Threads")
	}
}

func TestReplyToDeletedMessage(t *testing.T) {
	t.Parallel()
	srv, dg := connect(t, Options{}, nil)
	ctx := ctxT(t)
	sent, err := dg.ChannelMessageSendComplex(srv.ChannelID(), &discordgo.MessageSend{Content: "an answer", AllowedMentions: noPings})
	if err != nil {
		t.Fatal(err)
	}
	if err := dg.ChannelMessageDelete(srv.ChannelID(), sent.ID); err != nil {
		t.Fatal(err)
	}
	r, err := srv.PostMessage(ctx, &discordgo.Message{Content: "?", MessageReference: sent.Reference()})
	if err != nil {
		t.Fatal(err)
	}
	if r.MessageReference == nil || r.MessageReference.MessageID != sent.ID || r.ReferencedMessage != nil || r.Type != discordgo.MessageTypeReply {
		t.Errorf("reply to a deleted message = %+v; want the reference and referenced_message null", r)
	}
	if len(r.Mentions) != 0 {
		t.Errorf("mentions = %+v", r.Mentions)
	}
}
