package bot_test

// One bot in two servers: each server's questions, gaps, votes, status
// and reloads are its own; buttons survive a restart in the server they
// were made in; commands are never registered twice; only the operator
// changes the base.

import (
	"context"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/bot"
	"github.com/govbot-dev/govbot/bot/discordtest"
	"github.com/govbot-dev/govbot/knowledge"
)

var (
	// adminB administers the second server only.
	adminB  = discordtest.Member{UserID: "1185000000000000203", Username: "bee-admin", Permissions: discordtest.PermManageServer}
	memberB = discordtest.Member{UserID: "1185000000000000201", Username: "bee-student"}
)

// twoServers starts a bot with global commands in both of the emulator's
// guilds.
func twoServers(t *testing.T, s setup) *harness {
	t.Helper()
	if s.srv == nil {
		s.srv = discordtest.NewTest(t, discordtest.Options{SecondGuild: true, AckTimeout: loadedAckTimeout})
	}
	s.global = true
	return start(t, s)
}

// in runs a slash command in channel (the first server's default when "")
// and returns what the user sees.
func (h *harness) in(ctx context.Context, channel string, who discordtest.Member, name string, opts ...discordtest.Option) *discordgo.Message {
	h.t.Helper()
	ix, err := h.srv.SlashCommand(ctx, name, opts, who, channel)
	if err != nil {
		h.t.Fatalf("/%s in %s: %v", name, channel, err)
	}
	_, msg := h.final(ctx, ix)
	return msg
}

func kbSub(sub string, opts ...discordtest.Option) discordtest.Option {
	return discordtest.Option{Name: sub, Options: opts}
}

func TestTwoServersKeepTheirFeedbackAndStatusApart(t *testing.T) {
	store := openStore(t)
	h := twoServers(t, setup{botOpts: []bot.Option{bot.WithFeedback(store), bot.WithButtonStore(store)}})
	ctx := ctxT(t)
	chB := h.srv.SecondChannelID()
	const askedInA = "Who won the 1998 football world cup final?"
	const askedInB = "What is the airspeed velocity of an unladen swallow?"

	h.in(ctx, "", member, "ask", discordtest.Option{Name: "question", Value: askedInA})
	answerB := h.in(ctx, chB, memberB, "ask", discordtest.Option{Name: "question", Value: askedInB})

	// /kb gaps in each server lists only that server's questions.
	gapsA := embedText(h.in(ctx, "", admin, "kb", kbSub("gaps")))
	gapsB := embedText(h.in(ctx, chB, adminB, "kb", kbSub("gaps")))
	if !strings.Contains(gapsA, askedInA) || strings.Contains(gapsA, "swallow") {
		t.Errorf("/kb gaps in A:\n%s\nwant A's question only", gapsA)
	}
	if !strings.Contains(gapsB, "swallow") || strings.Contains(gapsB, "1998") {
		t.Errorf("/kb gaps in B:\n%s\nwant B's question only", gapsB)
	}

	// An admin of A reloads A; B's status shows nothing of it, and no
	// status shows a path on the host.
	h.in(ctx, "", admin, "kb", kbSub("reload"))
	statusA := embedText(h.in(ctx, "", admin, "kb", kbSub("status")))
	statusB := embedText(h.in(ctx, chB, adminB, "kb", kbSub("status")))
	if !strings.Contains(statusA, admin.Username) {
		t.Errorf("/kb status in A does not show A's reload:\n%s", statusA)
	}
	if strings.Contains(statusB, admin.Username) || strings.Contains(statusB, admin.UserID) {
		t.Errorf("/kb status in B shows A's admin:\n%s", statusB)
	}
	for _, st := range []string{statusA, statusB} {
		if strings.Contains(st, "/tmp") || strings.Contains(st, "index") && strings.Contains(st, "/") && strings.Contains(st, "govbot-bot-test") {
			t.Errorf("/kb status shows a path:\n%s", st)
		}
	}

	// An admin of A is no admin in B: B's /kb refuses them.
	adminAinB := discordtest.Member{UserID: admin.UserID, Username: admin.Username}
	if text := h.in(ctx, chB, adminAinB, "kb", kbSub("reload")).Content; !strings.Contains(text, "admins") {
		t.Errorf("/kb reload in B by A's admin: %q; want a refusal", text)
	}

	// A vote on B's answer counts in B.
	down := buttons(answerB)["👎 Not helpful"]
	ix, err := h.srv.ClickButton(ctx, answerB, down, memberB)
	if err != nil {
		t.Fatal(err)
	}
	if _, thanks := h.final(ctx, ix); !strings.Contains(thanks.Content, "Thanks for the 👎") {
		t.Errorf("vote in B: %q", thanks.Content)
	}
	gapsB = embedText(h.in(ctx, chB, adminB, "kb", kbSub("gaps")))
	if !strings.Contains(gapsB, "👎 1") {
		t.Errorf("/kb gaps in B after a 👎:\n%s", gapsB)
	}
}

func TestButtonsWorkAfterARestart(t *testing.T) {
	store := openStore(t)
	srv := discordtest.NewTest(t, discordtest.Options{SecondGuild: true, AckTimeout: loadedAckTimeout})
	opts := []bot.Option{bot.WithFeedback(store), bot.WithButtonStore(store)}
	h := twoServers(t, setup{srv: srv, botOpts: opts})
	ctx := ctxT(t)
	_, answer := h.ask(ctx, answeredQuestion, member)
	more := buttons(answer)["More sources ▸"]
	show := buttons(answer)["Show passage 1"]
	if more == "" || show == "" {
		t.Fatalf("answer buttons %v", buttons(answer))
	}
	h.shutdown()

	h2 := twoServers(t, setup{srv: srv, botOpts: opts})
	ix, err := srv.ClickButton(ctx, answer, show, other)
	if err != nil {
		t.Fatal(err)
	}
	if _, passage := h2.final(ctx, ix); len(passage.Embeds) == 0 || len(passage.Embeds[0].Description) < 100 {
		t.Errorf("Show passage after a restart:\n%s", embedText(passage))
	}
	ix, err = srv.ClickButton(ctx, answer, more, member)
	if err != nil {
		t.Fatal(err)
	}
	if _, page := h2.final(ctx, ix); strings.Contains(page.Content, "ask again") || len(page.Embeds) == 0 || !strings.Contains(embedText(page), "[4]") {
		t.Errorf("More sources after a restart:\n%s", embedText(page))
	}
}

func TestSwitchingCommandScopeDeletesTheOtherSet(t *testing.T) {
	srv := discordtest.NewTest(t, discordtest.Options{SecondGuild: true, AckTimeout: loadedAckTimeout})
	h := start(t, setup{srv: srv}) // guild commands in the first guild
	if n := len(srv.Commands(srv.GuildID())); n == 0 {
		t.Fatal("no guild commands registered")
	}
	h.shutdown()

	h = twoServers(t, setup{srv: srv}) // now global
	ctx := ctxT(t)
	waitFor(ctx, t, "guild commands deleted", func() bool { return len(srv.Commands(srv.GuildID())) == 0 })
	if n := len(srv.Commands("")); n == 0 {
		t.Error("no global commands registered")
	}
	h.shutdown()

	start(t, setup{srv: srv}) // back to guild commands
	waitFor(ctx, t, "global commands deleted", func() bool { return len(srv.Commands("")) == 0 })
	if n := len(srv.Commands(srv.GuildID())); n == 0 {
		t.Error("no guild commands registered")
	}
}

func TestOnlyTheOperatorChangesTheBase(t *testing.T) {
	srv := discordtest.NewTest(t, discordtest.Options{SecondGuild: true, AckTimeout: loadedAckTimeout})
	kb := &slowKB{engineKB: openEngine(t)}
	h := twoServers(t, setup{srv: srv, kb: kb, cfg: bot.Config{OperatorIDs: []string{"1185000000000000300"}}})
	ctx := ctxT(t)
	base := discordtest.Option{Name: "collection", Value: "base"}

	// A server admin who is not the operator is refused, and nothing reloads.
	text := h.in(ctx, "", admin, "kb", kbSub("reload", base)).Content
	if !strings.Contains(text, "operator") || !strings.Contains(text, "Nothing was changed") {
		t.Errorf("/kb reload collection:base by a server admin: %q; want a refusal naming the operator", text)
	}
	if n := kb.reloads(); n != 0 {
		t.Errorf("%d reloads after a refused command; want 0", n)
	}
	// The application's owner (read from Discord) and a configured
	// operator may, when they run it as admins of a server.
	for _, op := range []discordtest.Member{
		{UserID: srv.OwnerID(), Username: "owner", Permissions: discordtest.PermManageServer},
		{UserID: "1185000000000000300", Username: "configured", Permissions: discordtest.PermManageServer},
	} {
		msg := h.in(ctx, h.srv.SecondChannelID(), op, "kb", kbSub("reload", base))
		if text := embedText(msg); !strings.Contains(text, "base knowledge base") {
			t.Errorf("/kb reload collection:base by %s:\n%s", op.Username, text)
		}
	}
	if n := kb.reloads(); n != 2 {
		t.Errorf("%d base reloads by the operators; want 2", n)
	}
}

// waitFor polls cond until it holds or ctx ends.
func waitFor(ctx context.Context, t *testing.T, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("%s: timed out", what)
		case <-timeAfter():
		}
	}
}

// TestTwoServersKeepTheirDocumentsApart shows each point of issue 10's
// "Why" fixed: an upload in A answers only in A; removing a base article
// in B hides it in B only (and can be undone); reload and status in A say
// nothing of B; DMs read the base alone.
func TestTwoServersKeepTheirDocumentsApart(t *testing.T) {
	tl := openLibrary(t)
	h := twoServers(t, setup{lib: bot.FromLibrary(tl.lib)})
	ctx := ctxT(t)
	chB := h.srv.SecondChannelID()
	askIn := func(channel string, who discordtest.Member, q string) *discordgo.Message {
		return h.in(ctx, channel, who, "ask", discordtest.Option{Name: "question", Value: q})
	}

	// An admin of A adds a document: A cites it, B and DMs never do.
	msg := h.in(ctx, "", admin, "kb", kbSub("add", discordtest.Option{Name: "file", Value: h.srv.AddAttachment("zorblax.md", []byte(zorblax))}))
	if text := embedText(msg); !strings.Contains(text, "Document added") || !strings.Contains(text, "this server's") {
		t.Fatalf("/kb add in A:\n%s", text)
	}
	if a := askIn("", member, zorblaxQuestion); !cites(a, "uploads-zorblax") {
		t.Errorf("A does not cite its own upload:\n%s", embedText(a))
	}
	if b := askIn(chB, memberB, zorblaxQuestion); cites(b, "uploads-zorblax") {
		t.Errorf("B cites A's upload:\n%s", embedText(b))
	}
	dm, err := h.srv.PostMessage(ctx, &discordgo.Message{ChannelID: h.srv.DMChannel(memberB.UserID),
		Author: &discordgo.User{ID: memberB.UserID, Username: memberB.Username}, Content: zorblaxQuestion})
	if err != nil {
		t.Fatal(err)
	}
	if r := h.waitReplyTo(ctx, dm); cites(r, "uploads-zorblax") {
		t.Errorf("a DM cites A's upload:\n%s", embedText(r))
	}
	// B's autocomplete of /kb remove does not offer A's document.
	ix, err := h.srv.Autocomplete(ctx, "kb", []discordtest.Option{{Name: "remove", Options: []discordtest.Option{{Name: "document", Value: "zorbl", Focused: true}}}}, adminB, chB)
	if err != nil {
		t.Fatal(err)
	}
	if cb, err := ix.Callback(ctx); err != nil || cb.Data == nil || len(cb.Data.Choices) != 0 {
		t.Errorf("B's /kb remove offers %+v; want none of A's documents (err %v)", cb.Data, err)
	}

	// An admin of B removes a base article: hidden in B only.
	const wuzhen = "What was the Wuzhen Declaration?"
	before := askIn("", member, wuzhen)
	if len(before.Embeds) == 0 || !strings.Contains(embedText(before), "[1]") {
		t.Fatalf("the base does not answer %q:\n%s", wuzhen, embedText(before))
	}
	docID := citedDoc(t, before)
	confirm := h.in(ctx, chB, adminB, "kb", kbSub("remove", discordtest.Option{Name: "document", Value: docID}))
	if text := embedText(confirm); !strings.Contains(text, "hidden in this server only") {
		t.Errorf("/kb remove of a base document in B asks:\n%s", text)
	}
	ix, err = h.srv.ClickButton(ctx, confirm, buttons(confirm)["Remove"], adminB)
	if err != nil {
		t.Fatal(err)
	}
	if _, done := h.final(ctx, ix); !strings.Contains(embedText(done), "hidden in this server") {
		t.Errorf("removal outcome in B:\n%s", embedText(done))
	}
	if b := askIn(chB, memberB, wuzhen); cites(b, docID) {
		t.Errorf("B still cites the base document it removed:\n%s", embedText(b))
	}
	if a := askIn("", member, wuzhen); !cites(a, docID) {
		t.Errorf("A lost the base document B removed:\n%s", embedText(a))
	}
	statusB := embedText(h.in(ctx, chB, adminB, "kb", kbSub("status")))
	statusA := embedText(h.in(ctx, "", admin, "kb", kbSub("status")))
	if !strings.Contains(statusB, docID) || strings.Contains(statusA, docID) {
		t.Errorf("hidden documents: status in B\n%s\nstatus in A\n%s", statusB, statusA)
	}
	if !strings.Contains(statusA, "Documents of this server\n1") || !strings.Contains(statusB, "Documents of this server\n0") {
		t.Errorf("own documents: status in A\n%s\nstatus in B\n%s", statusA, statusB)
	}
	for _, st := range []string{statusA, statusB} {
		if strings.Contains(st, tl.dataDir) || strings.Contains(st, tl.corpusDir) || strings.Contains(st, tl.indexDir) {
			t.Errorf("/kb status shows a path on the host:\n%s", st)
		}
	}
	// A reload in A reloads A only, and B's status says nothing of it.
	h.in(ctx, "", admin, "kb", kbSub("reload"))
	if st := embedText(h.in(ctx, chB, adminB, "kb", kbSub("status"))); strings.Contains(st, admin.Username) {
		t.Errorf("B's status shows A's reload:\n%s", st)
	}
	// /kb restore undoes B's removal.
	msg = h.in(ctx, chB, adminB, "kb", kbSub("restore", discordtest.Option{Name: "document", Value: docID}))
	if !strings.Contains(embedText(msg), "Document restored") {
		t.Errorf("/kb restore in B:\n%s", embedText(msg)+msg.Content)
	}
	if b := askIn(chB, memberB, wuzhen); !cites(b, docID) {
		t.Errorf("B does not cite the base document it restored:\n%s", embedText(b))
	}
	// A server admin cannot remove from the base itself.
	msg = h.in(ctx, "", admin, "kb", kbSub("remove", discordtest.Option{Name: "document", Value: docID}, discordtest.Option{Name: "collection", Value: "base"}))
	if !strings.Contains(msg.Content, "operator") {
		t.Errorf("/kb remove collection:base by a server admin: %q", msg.Content)
	}
	if srcs := tl.sources(t, ""); !hasSource(srcs, docID) {
		t.Errorf("the base lost %s after a refused removal", docID)
	}
}

// citedDoc is the document id of an answer's first citation.
func citedDoc(t *testing.T, m *discordgo.Message) string {
	t.Helper()
	text := embedText(m)
	i := strings.Index(text, "`")
	for i >= 0 {
		rest := text[i+1:]
		j := strings.Index(rest, "`")
		if j < 0 {
			break
		}
		if id, _, ok := strings.Cut(rest[:j], "#"); ok && id != "" {
			return id
		}
		text = rest[j+1:]
		i = strings.Index(text, "`")
	}
	t.Fatalf("no cited passage in:\n%s", embedText(m))
	return ""
}

func hasSource(srcs []knowledge.Source, id string) bool {
	for _, s := range srcs {
		if s.ID == id {
			return true
		}
	}
	return false
}
