package bot_test

// The soak test: many askers at once, through the emulator and the real
// discordgo client, over the real engine on a KNOWLEDGE_DIR, while admins
// reload and upload. Every question must end in an answer, an explicit
// abstention or a polite notice; old indexes must be closed and deleted.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/bot"
	"github.com/govbot-dev/govbot/bot/discordtest"
	"github.com/govbot-dev/govbot/bot/feedback"
	"github.com/govbot-dev/govbot/bot/metrics"
	"github.com/govbot-dev/govbot/knowledge"
)

// hostileQuestions are inputs meant to break something: very long,
// control and invisible characters, markdown and mention injection, and
// bleve's query-string syntax, which govbot never passes to bleve.
var hostileQuestions = []struct{ name, q string }{
	{"10,000 characters", strings.Repeat("sovereignty ", 834)},
	{"1,000 characters of one word", strings.Repeat("a", 1000)},
	{"1,000 characters of words", strings.Repeat("internet ", 111)},
	{"control characters", "What is\x00 cyber\x07 sovereignty\x1b[31m?\r\n\t"},
	{"zero-width and RTL marks", "What\u200b is cy\u200dber sov\u2060ereignty\u202e?\u200f\u2066\ufeff"},
	{"markdown injection", "**What** is `cyber` ~~sovereignty~~ [click](https://evil.example) > quote ||spoiler|| # heading"},
	{"mention injection", "@everyone @here <@123456789012345678> <@&456789012345678901> <#789012345678901234> what is cyber sovereignty?"},
	{"wildcards", "* cyber* *e* ?overeignty"},
	{"fuzzy", "sovereignty~2 internet~"},
	{"regex", "/.*/ /[a-z]+/ sovereignty"},
	{"field and boolean syntax", "+text:cyber -text:china title:framing^10 AND OR NOT"},
	{"ranges and groups", `{[( "unclosed phrase ranges:>5 date:[2014 TO 2015] \`},
	{"only punctuation", "?!?"},
	{"emoji and CJK", "网络主权 是什么? 🇨🇳👨‍👩‍👧 sovereignty"},
	{"lone surrogate bytes", "sovereignty \xed\xa0\x80 \xff\xfe"},
}

// answerableQuestions and outOfScope make up the ordinary traffic.
var (
	answerableQuestions = []string{
		"What is cyber sovereignty?",
		"What was the Wuzhen Declaration?",
		"What is internet sovereignty?",
		"What is the multi-stakeholder model of internet governance?",
		"Who is Lu Wei?",
		"When was the first World Internet Conference held?",
	}
	outOfScope = []string{
		"Who won the 1998 football world cup final?",
		"How do I bake sourdough bread?",
	}
)

// verdict is how a question ended, as its asker sees it.
type verdict string

const (
	vAnswered   verdict = "answered"
	vAbstained  verdict = "abstained"
	vValidation verdict = "validation" // a polite notice about the question itself
	vFailed     verdict = "failed"
)

// verdictOf classifies what a user sees in answer to a question.
func verdictOf(m *discordgo.Message) verdict {
	text := embedText(m)
	switch {
	case strings.HasPrefix(m.Content, "Sorry") || strings.Contains(m.Content, "restarting"):
		return vFailed
	case len(m.Embeds) > 0 && strings.Contains(m.Embeds[0].Title, "couldn't find this in the knowledge base"):
		return vAbstained
	case len(m.Embeds) > 0 && strings.Contains(text, "**[1]**"):
		return vAnswered
	case strings.Contains(m.Content, "Please ask a question") || strings.Contains(m.Content, "characters") ||
		strings.Contains(m.Content, "too long"):
		return vValidation
	}
	return vFailed
}

// audit counts the knowledge base's answers and its errors other than
// the two that mean an unusable question.
type audit struct {
	asks, faults atomic.Int64
	mu           sync.Mutex
	lastFault    error
	slowest      time.Duration
}

func (k *audit) note(start time.Time, err error) {
	d := time.Since(start)
	k.asks.Add(1)
	k.mu.Lock()
	defer k.mu.Unlock()
	k.slowest = max(k.slowest, d)
	if err != nil && !errors.Is(err, knowledge.ErrEmptyQuestion) && !errors.Is(err, knowledge.ErrQuestionTooLong) {
		k.faults.Add(1)
		k.lastFault = err
	}
}

// auditKB audits an engine.
type auditKB struct {
	engineKB
	audit
}

func (k *auditKB) Ask(ctx context.Context, q string, o knowledge.AskOptions) (knowledge.Answer, error) {
	start := time.Now()
	a, err := k.engineKB.Ask(ctx, q, o)
	k.note(start, err)
	return a, err
}

// auditLib audits a Library.
type auditLib struct {
	bot.Library
	audit
}

func (k *auditLib) Ask(ctx context.Context, s bot.Scope, q string, o knowledge.AskOptions) (knowledge.Answer, error) {
	start := time.Now()
	a, err := k.Library.Ask(ctx, s, q, o)
	k.note(start, err)
	return a, err
}

// soakConfig sizes a soak run.
type soakConfig struct {
	askers, perAsker int // questions: askers × perAsker
	reloads, uploads int
	feedback         bool // record answers in a real feedback store
}

// soakResult is what a soak run measured.
type soakResult struct {
	verdicts      map[verdict]int
	latencies     []time.Duration // acknowledgement, per /ask
	took          time.Duration
	reloadReplies map[string]int
	fdsBefore     int
	fdsAfter      int
	generations   int
}

func openFDs() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(entries)
}

// runSoak runs one soak with the bot in two servers: askers ask perAsker
// questions each (one in ten as a mention, the rest as /ask; even askers
// in their own channel of the first server, odd ones in the second's),
// while the operator edits the base and reloads it, alternating with an
// admin of the first server reloading that server's documents, and
// another admin of the first server uploads documents there. It fails tb
// on anything a user would see as a failure, and if an upload reaches the
// second server.
func runSoak(tb testing.TB, sc soakConfig) soakResult {
	tl := openLibrary(tb)
	dir, indexDir := tl.corpusDir, tl.indexDir
	kb := &auditLib{Library: bot.FromLibrary(tl.lib)}
	m := metrics.New(metrics.Options{})
	opts := []bot.Option{bot.WithMetrics(m)}
	if sc.feedback {
		store, err := feedback.Open(context.Background(), feedback.Config{Dir: tb.TempDir()})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { store.Close() })
		opts = append(opts, bot.WithFeedback(store))
	}
	h := start(tb, setup{lib: kb, botOpts: opts, global: true,
		opts: discordtest.Options{AckTimeout: loadedAckTimeout, SecondGuild: true}})
	operator := discordtest.Member{UserID: h.srv.OwnerID(), Username: "operator", Permissions: discordtest.PermManageServer}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	// Warm up (spelling automata, connections) before counting files.
	if _, err := askOnce(ctx, h, discordtest.Member{UserID: "1185000000000009999"}, "", answerableQuestions[0]); err != nil {
		tb.Fatal(err)
	}
	res := soakResult{verdicts: map[verdict]int{}, reloadReplies: map[string]int{}, fdsBefore: openFDs()}

	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		errs []error
	)
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	t0 := time.Now()
	for a := range sc.askers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			from := discordtest.Member{UserID: fmt.Sprintf("11850000000003%04d", a), Username: fmt.Sprintf("asker%d", a)}
			channel := fmt.Sprintf("11850000000004%04d", a)
			if a%2 == 1 {
				channel = h.srv.SecondChannelID()
			}
			for i := range sc.perAsker {
				q := soakQuestion(a, i)
				var (
					msg *discordgo.Message
					lat time.Duration
					err error
				)
				if i%10 == 9 {
					msg, err = mentionOnce(ctx, h, from, channel, q)
				} else {
					var cb discordtest.Callback
					cb, msg, err = askOnceCB(ctx, h, from, channel, q)
					lat = cb.Latency
				}
				if err != nil {
					fail(fmt.Errorf("asker %d question %d %q: %w", a, i, trunc(q), err))
					continue
				}
				v := verdictOf(msg)
				mu.Lock()
				res.verdicts[v]++
				if lat > 0 {
					res.latencies = append(res.latencies, lat)
				}
				mu.Unlock()
				if v == vFailed {
					fail(fmt.Errorf("asker %d question %q failed: %q %s", a, trunc(q), msg.Content, trunc(embedText(msg))))
				}
			}
		}()
	}
	wg.Add(2)
	go func() { // an admin editing files in KNOWLEDGE_DIR and reloading
		defer wg.Done()
		for i := range sc.reloads {
			if i%2 == 0 {
				body := fmt.Sprintf("# Edited note\n\nRevision %d of the operator's note on xylophone quotas.\n", i)
				if err := os.WriteFile(filepath.Join(dir, "edited.md"), []byte(body), 0o644); err != nil {
					fail(err)
				}
			}
			who, opts := admin, []discordtest.Option{{Name: "reload"}}
			if i%2 == 0 {
				who, opts = operator, []discordtest.Option{{Name: "reload", Options: []discordtest.Option{{Name: "collection", Value: "base"}}}}
			}
			ix, err := h.srv.SlashCommand(ctx, "kb", opts, who, "")
			if err == nil {
				var msg *discordgo.Message
				if msg, err = ix.Final(ctx); err == nil {
					text := embedText(msg)
					switch {
					case strings.Contains(text, "Knowledge base reloaded"):
						mu.Lock()
						res.reloadReplies["rebuilt"]++
						mu.Unlock()
					case strings.Contains(text, "already up to date"):
						mu.Lock()
						res.reloadReplies["up to date"]++
						mu.Unlock()
					default:
						err = fmt.Errorf("reload %d: %s", i, trunc(text))
					}
				}
			}
			if err != nil {
				fail(err)
			}
			time.Sleep(time.Duration(i%3) * 50 * time.Millisecond)
		}
	}()
	go func() { // another admin uploading
		defer wg.Done()
		for i := range sc.uploads {
			body := fmt.Sprintf("# Soak note %d\n\nThe soak accord number %d binds the zyzzyva%d delegation to publish quokka ledgers.\n", i, i, i)
			att := h.srv.AddAttachment(fmt.Sprintf("soak-%d.md", i), []byte(body))
			ix, err := h.srv.SlashCommand(ctx, "kb", []discordtest.Option{{Name: "add", Options: []discordtest.Option{{Name: "file", Value: att}}}}, admin, "")
			if err == nil {
				var msg *discordgo.Message
				if msg, err = ix.Final(ctx); err == nil && !strings.Contains(embedText(msg), "Document added") {
					err = fmt.Errorf("upload %d: %s", i, trunc(embedText(msg)))
				}
			}
			if err != nil {
				fail(err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	wg.Wait()
	res.took = time.Since(t0)
	for _, err := range errs {
		tb.Error(err)
	}

	total := sc.askers * sc.perAsker
	if n := res.verdicts[vAnswered] + res.verdicts[vAbstained] + res.verdicts[vValidation]; n != total {
		tb.Errorf("%d of %d questions answered, abstained or refused politely: %v", n, total, res.verdicts)
	}
	if n := kb.faults.Load(); n > 0 {
		tb.Errorf("the engine failed %d questions; last: %v", n, kb.lastFault)
	}
	if got := scrape(tb, m.Handler(nil), `govbot_questions_total{command="ask",outcome="error"}`) +
		scrape(tb, m.Handler(nil), `govbot_questions_total{command="mention",outcome="error"}`); got != 0 {
		tb.Errorf("metrics count %v questions in error", got)
	}
	for _, g := range []struct {
		guild string
		want  int
	}{{h.srv.GuildID(), sc.uploads}, {h.srv.SecondGuildID(), 0}, {"", 0}} {
		var soakDocs int
		for _, s := range tl.sources(tb, g.guild) {
			if strings.HasPrefix(s.ID, "uploads-soak-") {
				soakDocs++
			}
		}
		if soakDocs != g.want {
			tb.Errorf("%d uploaded documents seen in scope %q; want %d", soakDocs, g.guild, g.want)
		}
	}

	// Old generations are closed and deleted: one index on disk, and no
	// more files open than before, give or take connections settling.
	gens, _ := filepath.Glob(filepath.Join(indexDir, "gen-*"))
	res.generations = len(gens)
	if len(gens) != 1 {
		tb.Errorf("%d index generations on disk after the soak; want 1: %q", len(gens), gens)
	}
	// One open index generation holds two files; twenty swaps that
	// leaked would add forty. Connections may take a moment to settle.
	const fdMargin = 12
	deadline := time.Now().Add(10 * time.Second)
	for res.fdsAfter = openFDs(); res.fdsAfter > res.fdsBefore+fdMargin && time.Now().Before(deadline); res.fdsAfter = openFDs() {
		time.Sleep(100 * time.Millisecond)
	}
	if res.fdsAfter > res.fdsBefore+fdMargin {
		tb.Errorf("open files grew from %d to %d during the soak", res.fdsBefore, res.fdsAfter)
	}
	if left, _ := filepath.Glob(filepath.Join(tl.dataDir, "guilds", h.srv.GuildID(), "docs", "uploads", ".*")); len(left) > 0 {
		tb.Errorf("temporary files left in uploads: %q", left)
	}
	slices.Sort(res.latencies)
	tb.Logf("soak: %d questions from %d askers in %v (%.0f/s): %v; reloads %v; %d uploads; ack p50 %v p99 %v max %v; slowest engine answer %v; open files %d → %d; generations %d",
		total, sc.askers, res.took.Round(time.Millisecond), float64(total)/res.took.Seconds(), res.verdicts, res.reloadReplies, sc.uploads,
		pct(res.latencies, 50), pct(res.latencies, 99), pct(res.latencies, 100), kb.slowest.Round(time.Millisecond),
		res.fdsBefore, res.fdsAfter, res.generations)
	return res
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := min(len(sorted)-1, len(sorted)*p/100)
	return sorted[i].Round(time.Millisecond)
}

// soakQuestion is question i of asker a: mostly answerable, some out of
// scope, some hostile.
func soakQuestion(a, i int) string {
	switch k := (a*7 + i) % 10; {
	case k < 5:
		return answerableQuestions[(a+i)%len(answerableQuestions)]
	case k < 7:
		return outOfScope[(a+i)%len(outOfScope)]
	default:
		return hostileQuestions[(a*3+i)%len(hostileQuestions)].q
	}
}

func trunc(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}

func askOnce(ctx context.Context, h *harness, from discordtest.Member, channel, q string) (*discordgo.Message, error) {
	_, m, err := askOnceCB(ctx, h, from, channel, q)
	return m, err
}

// askOnceCB runs /ask and returns what the user finally sees; safe to call
// from any goroutine.
func askOnceCB(ctx context.Context, h *harness, from discordtest.Member, channel, q string) (discordtest.Callback, *discordgo.Message, error) {
	ix, err := h.srv.SlashCommand(ctx, "ask", []discordtest.Option{{Name: "question", Value: q}}, from, channel)
	if err != nil {
		return discordtest.Callback{}, nil, err
	}
	cb, err := ix.Callback(ctx)
	if err != nil {
		return cb, nil, err
	}
	m, err := ix.Final(ctx)
	return cb, m, err
}

// mentionOnce asks q by mentioning the bot in channel and returns its reply.
func mentionOnce(ctx context.Context, h *harness, from discordtest.Member, channel, q string) (*discordgo.Message, error) {
	p, err := h.srv.PostMessage(ctx, &discordgo.Message{ChannelID: channel,
		Author: &discordgo.User{ID: from.UserID, Username: from.Username}, Content: "<@" + h.srv.BotUserID() + "> " + q})
	if err != nil {
		return nil, err
	}
	return h.srv.WaitMessage(ctx, channel, func(r *discordgo.Message) bool {
		return r.MessageReference != nil && r.MessageReference.MessageID == p.ID
	})
}

// TestSoak: 2,000 questions from 20 askers while 20 reloads and 10
// uploads happen, under -race in CI. BenchmarkSoak runs the same with
// every answer recorded in a feedback database. See the README,
// "Operating govbot".
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test skipped in -short mode")
	}
	// 1,000 questions: in two servers over the Library under -race, the
	// full 2,000 (BenchmarkSoak) take over ten minutes on a shared 2-core
	// machine; half keeps every concurrent path and fits CI's budget.
	sc := soakConfig{askers: 20, perAsker: 50, reloads: 20, uploads: 10, feedback: true}
	runSoak(t, sc)
}

// BenchmarkSoak runs the full soak, 2,000 questions with every answer
// recorded in a real feedback database, once per iteration:
//
//	go test ./bot -run '^$' -bench Soak -benchtime 1x
func BenchmarkSoak(b *testing.B) {
	for range b.N {
		r := runSoak(b, soakConfig{askers: 20, perAsker: 100, reloads: 20, uploads: 10, feedback: true})
		b.ReportMetric(float64(20*100)/r.took.Seconds(), "questions/s")
		b.ReportMetric(float64(pct(r.latencies, 99).Milliseconds()), "p99-ack-ms")
	}
}

// TestHostileQuestionsAreAnsweredSafely asks each hostile input through
// /ask and a mention: each gets an answer, an abstention or a polite
// notice, none pings anyone, and the engine never fails on one.
func TestHostileQuestionsAreAnsweredSafely(t *testing.T) {
	kb := &auditKB{engineKB: engine}
	h := start(t, setup{kb: &slowKB{engineKB: kb}})
	ctx := ctxT(t)
	for _, tt := range hostileQuestions {
		t.Run(tt.name, func(t *testing.T) {
			for _, how := range []string{"ask", "mention"} {
				var msg *discordgo.Message
				var err error
				start := time.Now()
				if how == "ask" {
					msg, err = askOnce(ctx, h, member, "", tt.q)
				} else {
					msg, err = mentionOnce(ctx, h, member, h.srv.ChannelID(), tt.q)
				}
				if err != nil {
					t.Fatalf("%s: %v", how, err)
				}
				v := verdictOf(msg)
				if v == vFailed {
					t.Errorf("%s: failed: %q\n%s", how, msg.Content, embedText(msg))
				}
				if msg.MentionEveryone || len(msg.Mentions) > 0 || len(msg.MentionRoles) > 0 {
					t.Errorf("%s: the reply pings", how)
				}
				text := embedText(msg)
				for _, live := range []string{"@everyone", "@here", "<@123456789012345678>", "<@&456789012345678901>", "](https://evil.example)"} {
					if strings.Contains(text, live) {
						t.Errorf("%s: the reply echoes %q live:\n%s", how, live, text)
					}
				}
				t.Logf("%s: %s in %v", how, v, time.Since(start).Round(time.Millisecond))
			}
		})
	}
	if n := kb.faults.Load(); n > 0 {
		t.Errorf("the engine failed %d hostile questions; last: %v", n, kb.lastFault)
	}
	t.Logf("slowest engine answer to a hostile question: %v", kb.slowest)
}
