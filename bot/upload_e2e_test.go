package bot_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/bot"
	"github.com/govbot-dev/govbot/bot/discordtest"
	"github.com/govbot-dev/govbot/bot/metrics"
	"github.com/govbot-dev/govbot/knowledge"
	"github.com/govbot-dev/govbot/knowledge/corpus"
	"github.com/govbot-dev/govbot/knowledge/library"
)

// testLibrary is a Library over a copy of the embedded corpus as
// KNOWLEDGE_DIR (the base), with its index and the servers' collections in
// temporary directories.
type testLibrary struct {
	lib                          *library.Library
	corpusDir, indexDir, dataDir string
}

func openLibrary(t testing.TB) *testLibrary {
	t.Helper()
	tl := &testLibrary{corpusDir: t.TempDir(), indexDir: t.TempDir(), dataDir: t.TempDir()}
	if err := os.CopyFS(tl.corpusDir, corpus.FS()); err != nil {
		t.Fatal(err)
	}
	lib, _, err := library.Open(context.Background(), library.Config{
		Base:    knowledge.Config{CorpusDir: tl.corpusDir, IndexDir: tl.indexDir},
		DataDir: tl.dataDir,
		Logger:  testLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	tl.lib = lib
	return tl
}

// uploads lists the files in a server's uploads folder, hidden ones too.
func (tl *testLibrary) uploads(t *testing.T, guild string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(tl.dataDir, "guilds", guild, "docs", "uploads"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// sources lists the documents scope sees.
func (tl *testLibrary) sources(t testing.TB, guild string) []knowledge.Source {
	t.Helper()
	srcs, err := tl.lib.Sources(context.Background(), knowledge.Scope{Guild: guild})
	if err != nil {
		t.Fatal(err)
	}
	return srcs
}

// zorblax is a document about something the embedded corpus never
// mentions, so that answers about it come from the upload alone.
const zorblax = `# The Zorblax Accord

The Zorblax Accord is a fictional treaty on quokka telemetry, signed in Vantaa in 2031 by forty delegations.

It requires every quokka telemetry exchange to publish its routing tables twice a year.
`

const zorblaxQuestion = "What does the Zorblax Accord require of quokka telemetry exchanges?"

// kb runs /kb <sub> with options as who and returns what they see.
func (h *harness) kbCmd(ctx context.Context, who discordtest.Member, sub string, opts ...discordtest.Option) (discordtest.Callback, *discordgo.Message) {
	h.t.Helper()
	ix, err := h.srv.SlashCommand(ctx, "kb", []discordtest.Option{{Name: sub, Options: opts}}, who, "")
	if err != nil {
		h.t.Fatalf("/kb %s: %v", sub, err)
	}
	return h.final(ctx, ix)
}

func cites(m *discordgo.Message, docID string) bool {
	return strings.Contains(embedText(m), "`"+docID+"#")
}

func TestKBAddAnswersFromTheUploadAndRemoveForgetsIt(t *testing.T) {
	tl := openLibrary(t)
	h := start(t, setup{lib: bot.FromLibrary(tl.lib)})
	ctx := ctxT(t)
	g := h.srv.GuildID()

	if _, msg := h.ask(ctx, zorblaxQuestion, member); cites(msg, "uploads-zorblax") {
		t.Fatal("answered from the upload before it was uploaded")
	}
	att := h.srv.AddAttachment("zorblax.md", []byte(zorblax))
	cb, msg := h.kbCmd(ctx, admin, "add", discordtest.Option{Name: "file", Value: att})
	text := embedText(msg)
	if !isEphemeral(cb) || !strings.Contains(text, "Document added") || !strings.Contains(text, "uploads-zorblax") ||
		!strings.Contains(text, "The Zorblax Accord") {
		t.Fatalf("/kb add: ephemeral=%v\n%s", isEphemeral(cb), text)
	}
	if got := tl.uploads(t, g); !slices.Equal(got, []string{"zorblax.md"}) {
		t.Errorf("uploads folder = %q; want just zorblax.md", got)
	}
	if _, err := os.Stat(filepath.Join(tl.dataDir, "guilds", g, "docs", "uploads", "zorblax.md")); err != nil {
		t.Errorf("stored upload: %v", err)
	}
	_, answer := h.ask(ctx, zorblaxQuestion, member)
	if !cites(answer, "uploads-zorblax") {
		t.Errorf("the uploaded document is not cited:\n%s", embedText(answer))
	}

	// The same name again: kept beside it, never overwritten.
	att2 := h.srv.AddAttachment("Zorblax.MD", []byte(zorblax+"\nA second edition adds wombat telemetry.\n"))
	_, msg = h.kbCmd(ctx, admin, "add", discordtest.Option{Name: "file", Value: att2})
	if text := embedText(msg); !strings.Contains(text, "uploads-zorblax-2") || !strings.Contains(text, "replace:true") {
		t.Errorf("second upload of the same name:\n%s", text)
	}
	// replace:true replaces it; title: names the file and the document.
	att3 := h.srv.AddAttachment("notes.txt", []byte("Wombat telemetry is regulated by the Zorblax Accord's annex.\n"))
	_, msg = h.kbCmd(ctx, admin, "add", discordtest.Option{Name: "file", Value: att3},
		discordtest.Option{Name: "title", Value: "Zorblax-2"}, discordtest.Option{Name: "replace", Value: true})
	if text := embedText(msg); !strings.Contains(text, "Document replaced") || !strings.Contains(text, "*Zorblax-2*") {
		t.Errorf("replacing upload:\n%s", text)
	}
	if got := tl.uploads(t, g); !slices.Equal(got, []string{"zorblax-2.txt", "zorblax.md"}) {
		t.Errorf("uploads folder after replace = %q; want zorblax-2.txt and zorblax.md", got)
	}

	// /kb remove: autocomplete offers it, a button confirms, then it is gone.
	ix, err := h.srv.Autocomplete(ctx, "kb", []discordtest.Option{{Name: "remove", Options: []discordtest.Option{{Name: "document", Value: "zorbl", Focused: true}}}}, admin, "")
	if err != nil {
		t.Fatal(err)
	}
	cb, err = ix.Callback(ctx)
	if err != nil || cb.Data == nil || !slices.ContainsFunc(cb.Data.Choices, func(c *discordgo.ApplicationCommandOptionChoice) bool {
		return c.Value == "uploads-zorblax"
	}) {
		t.Fatalf("autocomplete of /kb remove: %v %+v", err, cb.Data)
	}
	cb, confirm := h.kbCmd(ctx, admin, "remove", discordtest.Option{Name: "document", Value: "uploads-zorblax"})
	if !isEphemeral(cb) || !strings.Contains(embedText(confirm), "Remove this document?") {
		t.Fatalf("/kb remove asks: %s", embedText(confirm))
	}
	// Only the admin who asked can confirm.
	ix, err = h.srv.ClickButton(ctx, confirm, buttons(confirm)["Remove"], member)
	if err != nil {
		t.Fatal(err)
	}
	if _, refused := h.final(ctx, ix); !strings.Contains(refused.Content, "Manage Server") {
		t.Errorf("a member confirming a removal: %q", refused.Content)
	}
	ix, err = h.srv.ClickButton(ctx, confirm, buttons(confirm)["Remove"], admin)
	if err != nil {
		t.Fatal(err)
	}
	_, done := h.final(ctx, ix)
	if text := embedText(done); !strings.Contains(text, "Document removed") || !strings.Contains(text, "uploads-zorblax") {
		t.Errorf("removal outcome:\n%s", text)
	}
	if got := tl.uploads(t, g); !slices.Equal(got, []string{"zorblax-2.txt"}) {
		t.Errorf("uploads folder after removal = %q; want only zorblax-2.txt", got)
	}
	if _, answer := h.ask(ctx, zorblaxQuestion, member); cites(answer, "uploads-zorblax") {
		t.Errorf("a removed document is still cited:\n%s", embedText(answer))
	}
	// A second click on the same confirmation does nothing more.
	ix, err = h.srv.ClickButton(ctx, done, "", admin)
	if err == nil {
		t.Errorf("the removal outcome still has buttons")
	}
}

func TestKBAddRefusesWhatItMustNotKeep(t *testing.T) {
	tl := openLibrary(t)
	m := metrics.New(metrics.Options{})
	h := start(t, setup{lib: bot.FromLibrary(tl.lib), cfg: bot.Config{MaxUploadSize: 8 << 10},
		botOpts: []bot.Option{bot.WithMetrics(m)}})
	ctx := ctxT(t)
	g := h.srv.GuildID()
	before := len(tl.sources(t, g))
	big := strings.Repeat("Quokka telemetry is a fine thing to regulate. ", 400) // 18 KiB
	cases := []struct {
		name string
		who  discordtest.Member
		att  func() *discordgo.MessageAttachment
		want string
	}{
		{"not an admin", member, func() *discordgo.MessageAttachment { return h.srv.AddAttachment("a.md", []byte(zorblax)) }, "Manage Server"},
		{"binary", admin, func() *discordgo.MessageAttachment {
			return h.srv.AddAttachment("evil.md", []byte("MZ\x90\x00\x03\x00\x00\x00binary"))
		}, "binary file"},
		{"not UTF-8", admin, func() *discordgo.MessageAttachment {
			return h.srv.AddAttachment("latin1.txt", []byte("caf\xe9 au lait"))
		}, "not valid UTF-8"},
		{"empty", admin, func() *discordgo.MessageAttachment { return h.srv.AddAttachment("empty.md", []byte("  \n\n")) }, "empty"},
		{"broken front matter", admin, func() *discordgo.MessageAttachment {
			return h.srv.AddAttachment("fm.md", []byte("---\ntitle: [unclosed\n---\nText.\n"))
		}, "front matter"},
		{"unsupported type", admin, func() *discordgo.MessageAttachment {
			return h.srv.AddAttachment("report.doc", []byte("\xd0\xcf\x11\xe0"))
		}, ".pdf, .docx, .odt"},
		{"damaged PDF", admin, func() *discordgo.MessageAttachment { return h.srv.AddAttachment("report.pdf", []byte("%PDF-1.4")) }, "damaged"},
		{"declared too large", admin, func() *discordgo.MessageAttachment { return h.srv.AddAttachment("big.md", []byte(big)) }, "at most 8.0 KiB"},
		{"lies about its size", admin, func() *discordgo.MessageAttachment {
			return h.srv.ForgeAttachment("big.md", []byte(big), discordgo.MessageAttachment{Size: 100})
		}, "over 8.0 KiB"},
		{"URL on another host", admin, func() *discordgo.MessageAttachment {
			return h.srv.ForgeAttachment("z.md", []byte(zorblax), discordgo.MessageAttachment{URL: "https://evil.example.com/attachments/1/2/z.md"})
		}, "only download attachments from Discord"},
		{"plain http CDN", admin, func() *discordgo.MessageAttachment {
			return h.srv.ForgeAttachment("z.md", []byte(zorblax), discordgo.MessageAttachment{URL: "http://cdn.discordapp.com/attachments/1/2/z.md"})
		}, "only download attachments from Discord"},
		{"already there", admin, func() *discordgo.MessageAttachment {
			raw, _ := fs.ReadFile(corpus.FS(), "framing-the-agenda.txt")
			return h.srv.AddAttachment("copy.txt", raw)
		}, "already in the knowledge base"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			cb, msg := h.kbCmd(ctx, tt.who, "add", discordtest.Option{Name: "file", Value: tt.att()})
			text := embedText(msg)
			if !isEphemeral(cb) || !strings.Contains(text, tt.want) {
				t.Errorf("ephemeral=%v; reply lacks %q:\n%s", isEphemeral(cb), tt.want, text)
			}
			if got := tl.uploads(t, g); len(got) != 0 {
				t.Errorf("files kept: %q", got)
			}
		})
	}
	if n := len(tl.sources(t, g)); n != before {
		t.Errorf("%d documents after refused uploads; want %d", n, before)
	}
	waitMetric(ctx, t, m.Handler(nil), `govbot_uploads_total{result="rejected"}`, float64(len(cases)))
	waitMetric(ctx, t, m.Handler(nil), `govbot_uploads_total{result="ok"}`, 0)
}

func TestKBAddStoresHostileNamesSafely(t *testing.T) {
	tl := openLibrary(t)
	h := start(t, setup{lib: bot.FromLibrary(tl.lib)})
	ctx := ctxT(t)
	dir := filepath.Join(tl.dataDir, "guilds", h.srv.GuildID(), "docs")
	parent := filepath.Dir(tl.dataDir)
	for _, tt := range []struct{ filename, title, want string }{
		{"../../etc/passwd.md", "", "uploads/passwd.md"},
		{`..\..\windows\win.ini.txt`, "", "uploads/win-ini.txt"},
		{"/abs/path/.hidden.md", "", "uploads/hidden.md"},
		{"über résumé.MARKDOWN", "", "uploads/uber-resume.markdown"},
		{"多边.md", "", "uploads/document.md"},
		{"x.md", "../../<@123> @everyone\u200b\u202e", "uploads/123-everyone.md"},
	} {
		t.Run(tt.filename, func(t *testing.T) {
			body := "# Note\n\nA note about " + strings.Repeat("quokkas ", 3) + tt.want + ".\n"
			att := h.srv.AddAttachment(tt.filename, []byte(body))
			opts := []discordtest.Option{{Name: "file", Value: att}}
			if tt.title != "" {
				opts = append(opts, discordtest.Option{Name: "title", Value: tt.title})
			}
			_, msg := h.kbCmd(ctx, admin, "add", opts...)
			id := strings.ReplaceAll(strings.TrimSuffix(tt.want, filepath.Ext(tt.want)), "/", "-")
			if text := embedText(msg); !strings.Contains(text, "Document added") || !strings.Contains(text, id) {
				t.Errorf("reply lacks %q:\n%s", id, text)
			}
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(tt.want))); err != nil {
				t.Errorf("not stored as %s: %v", tt.want, err)
			}
			if msg.MentionEveryone || len(msg.Mentions) > 0 {
				t.Error("the reply pings")
			}
		})
	}
	// Nothing was written outside the server's collection.
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		if e.Name() == "etc" || e.Name() == "windows" || e.Name() == "abs" {
			t.Errorf("an upload escaped the knowledge directory: %s", filepath.Join(parent, e.Name()))
		}
	}
}

// TestKBChangesThatCannotBeMade: without DATA_DIR servers keep no
// documents of their own, and the built-in base cannot change, even for
// the operator; each refusal says why.
func TestKBChangesThatCannotBeMade(t *testing.T) {
	lib, _, err := library.Open(context.Background(), library.Config{Base: knowledge.Config{IndexDir: t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	srv := discordtest.NewTest(t, discordtest.Options{AckTimeout: loadedAckTimeout})
	h := start(t, setup{srv: srv, lib: bot.FromLibrary(lib)})
	ctx := ctxT(t)
	_, msg := h.kbCmd(ctx, admin, "add", discordtest.Option{Name: "file", Value: h.srv.AddAttachment("z.md", []byte(zorblax))})
	if text := embedText(msg); !strings.Contains(text, "DATA") || !strings.Contains(text, "Not added") {
		t.Errorf("/kb add without DATA_DIR:\n%s", text)
	}
	operator := discordtest.Member{UserID: srv.OwnerID(), Username: "owner", Permissions: discordtest.PermManageServer}
	_, msg = h.kbCmd(ctx, operator, "add", discordtest.Option{Name: "file", Value: h.srv.AddAttachment("z.md", []byte(zorblax))},
		discordtest.Option{Name: "collection", Value: "base"})
	if text := embedText(msg); !strings.Contains(text, "built-in") {
		t.Errorf("/kb add collection:base over the embedded corpus:\n%s", text)
	}
}

// A knowledge directory govbot cannot write to fails the upload with a
// reply that says so, keeps nothing and keeps answering.
func TestKBAddIntoAnUnwritableDirSaysSo(t *testing.T) {
	tl := openLibrary(t)
	// uploads/ as a file: nothing can be stored there, even as root.
	docs := filepath.Join(tl.dataDir, "guilds", discordtest.DefaultGuildID, "docs")
	if err := os.MkdirAll(docs, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(docs, "uploads"), []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := start(t, setup{lib: bot.FromLibrary(tl.lib)})
	ctx := ctxT(t)
	_, msg := h.kbCmd(ctx, admin, "add", discordtest.Option{Name: "file", Value: h.srv.AddAttachment("z.md", []byte(zorblax))})
	if text := embedText(msg); !strings.Contains(text, "Not added") || !strings.Contains(text, "log") {
		t.Errorf("upload into an unwritable directory:\n%s", text)
	}
	if _, answer := h.ask(ctx, answeredQuestion, member); !strings.Contains(embedText(answer), "[1]") {
		t.Error("no answer after a failed upload")
	}
}
