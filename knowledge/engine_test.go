package knowledge_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/govbot-dev/govbot/knowledge"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

const lighthouse = `---
title: "The Lighthouse Keepers' Guild"
author: "A. Writer"
published: "2021-03-04"
---

The Lighthouse Keepers' Guild was founded in 1821 to train the keepers of coastal lights. Its members swore to keep every lamp burning through storms, and the guild's charter set out how keepers were chosen and paid.

In 1902 the guild refused to accept electric lamps, arguing that oil lamps were more reliable in the fierce winter gales that battered the northern coast.
`

const orchard = `# The Orchard Cooperative

The Orchard Cooperative pools the apple harvests of forty small farms in the valley. Each autumn its members press cider together and sell it under a shared label at the regional market.
`

func openDir(t *testing.T, corpus, index string) (*knowledge.Engine, knowledge.Report) {
	t.Helper()
	eng, rep, err := knowledge.Open(context.Background(), knowledge.Config{CorpusDir: corpus, IndexDir: index})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { eng.Close() })
	return eng, rep
}

func mustAsk(t *testing.T, eng *knowledge.Engine, q string) knowledge.Answer {
	t.Helper()
	ans, err := eng.Ask(context.Background(), q, knowledge.AskOptions{})
	if err != nil {
		t.Fatalf("Ask(%q): %v", q, err)
	}
	return ans
}

func TestOpenReusesAnUpToDateIndex(t *testing.T) {
	corpus, index := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(corpus, "lighthouse.md"), lighthouse)
	eng, rep := openDir(t, corpus, index)
	if !rep.Rebuilt || rep.Documents != 1 || rep.Passages != 2 {
		t.Fatalf("first Open report = %+v; want a build of 1 document, 2 passages", rep)
	}
	eng.Close()
	_, rep = openDir(t, corpus, index)
	if rep.Rebuilt {
		t.Errorf("second Open rebuilt an up-to-date index")
	}
}

func TestReloadPicksUpAddedChangedAndRemovedDocuments(t *testing.T) {
	corpus, index := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(corpus, "lighthouse.md"), lighthouse)
	writeFile(t, filepath.Join(corpus, "orchard.md"), orchard)
	eng, _ := openDir(t, corpus, index)
	if ans := mustAsk(t, eng, "What do the orchard cooperative members press?"); ans.Abstained {
		t.Fatalf("orchard question abstained before removal")
	}

	os.Remove(filepath.Join(corpus, "orchard.md"))
	writeFile(t, filepath.Join(corpus, "lighthouse.md"), strings.Replace(lighthouse, "1821", "1823", 1))
	writeFile(t, filepath.Join(corpus, "sub", "bees.txt"), "Beekeeping notes\n\nThe valley beekeepers move their hives to the heather moors every August, where the bees make a dark, strong honey prized by local bakers.\n")
	rep, err := eng.Reload(context.Background())
	if err != nil {
		t.Fatalf("Reload: %v", err)
	}
	if got, want := strings.Join(rep.Added, ","), "sub-bees"; got != want {
		t.Errorf("Added = %q; want %q", got, want)
	}
	if got, want := strings.Join(rep.Changed, ","), "lighthouse"; got != want {
		t.Errorf("Changed = %q; want %q", got, want)
	}
	if got, want := strings.Join(rep.Removed, ","), "orchard"; got != want {
		t.Errorf("Removed = %q; want %q", got, want)
	}
	if ans := mustAsk(t, eng, "What do the orchard cooperative members press?"); !ans.Abstained {
		t.Errorf("removed document still answers: %+v", ans.Citations[0].Excerpt)
	}
	ans := mustAsk(t, eng, "When was the Lighthouse Keepers' Guild founded?")
	if ans.Abstained || !strings.Contains(ans.Citations[0].Excerpt, "1823") {
		t.Errorf("changed document not re-indexed: %+v", ans)
	}
	if ans := mustAsk(t, eng, "Where do beekeepers move their hives?"); ans.Abstained {
		t.Errorf("added document not found")
	}
	// Old generations are deleted once the new one serves.
	entries, _ := os.ReadDir(index)
	gens := 0
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), "gen-") {
			gens++
		}
	}
	if gens != 1 {
		t.Errorf("index dir holds %d generations after reload; want 1", gens)
	}
}

func TestFailedReloadKeepsServing(t *testing.T) {
	root := t.TempDir()
	corpus := filepath.Join(root, "kb")
	writeFile(t, filepath.Join(corpus, "lighthouse.md"), lighthouse)
	eng, _ := openDir(t, corpus, t.TempDir())
	if err := os.RemoveAll(corpus); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Reload(context.Background()); err == nil {
		t.Fatal("Reload of a missing corpus directory succeeded")
	}
	if ans := mustAsk(t, eng, "When was the Lighthouse Keepers' Guild founded?"); ans.Abstained {
		t.Errorf("old index stopped answering after a failed reload")
	}
}

func TestDamagedIndexIsRebuilt(t *testing.T) {
	corpus, index := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(corpus, "lighthouse.md"), lighthouse)
	eng, _ := openDir(t, corpus, index)
	eng.Close()
	// Truncate every segment and the root file of the index.
	filepath.WalkDir(index, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".zap") || strings.HasSuffix(p, "root.bolt")) {
			os.Truncate(p, 10)
		}
		return nil
	})
	eng, rep := openDir(t, corpus, index)
	if !rep.Rebuilt {
		t.Errorf("damaged index was not rebuilt")
	}
	if ans := mustAsk(t, eng, "When was the Lighthouse Keepers' Guild founded?"); ans.Abstained {
		t.Errorf("rebuilt index does not answer")
	}
}

func TestBrokenFilesAreSkippedWithReasons(t *testing.T) {
	corpus := t.TempDir()
	writeFile(t, filepath.Join(corpus, "lighthouse.md"), lighthouse)
	writeFile(t, filepath.Join(corpus, "empty.txt"), "")
	writeFile(t, filepath.Join(corpus, "bad.md"), "---\ntitle: [unclosed\n---\nbody text\n")
	writeFile(t, filepath.Join(corpus, "binary.txt"), "\x00\x01\x02 not text")
	_, rep := openDir(t, corpus, t.TempDir())
	if rep.Documents != 1 {
		t.Errorf("Documents = %d; want 1", rep.Documents)
	}
	reasons := map[string]string{}
	for _, s := range rep.Skipped {
		reasons[s.Path] = s.Reason
	}
	for _, p := range []string{"empty.txt", "bad.md", "binary.txt"} {
		if reasons[p] == "" {
			t.Errorf("%s not reported as skipped (skipped: %+v)", p, rep.Skipped)
		}
	}
}

func TestSynonymsListIsEditable(t *testing.T) {
	corpus := t.TempDir()
	writeFile(t, filepath.Join(corpus, "lighthouse.md"), lighthouse)
	eng, _ := openDir(t, corpus, t.TempDir())
	q := "What is the LKG?"
	if ans := mustAsk(t, eng, q); !ans.Abstained {
		t.Fatalf("answered %q before LKG was a synonym", q)
	}
	writeFile(t, filepath.Join(corpus, knowledge.SynonymsFile), "- [LKG, Lighthouse Keepers' Guild]\n")
	rep, err := eng.Reload(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rebuilt {
		t.Errorf("a synonyms change rebuilt the index; it should apply at query time")
	}
	ans := mustAsk(t, eng, q)
	if ans.Abstained || !strings.Contains(ans.Citations[0].Excerpt, "Lighthouse Keepers") {
		t.Errorf("Ask(%q) after adding the synonym = %+v", q, ans)
	}
}

func TestAsk(t *testing.T) {
	eng := openEmbedded(t)
	yes, no := true, false
	tests := []struct {
		name      string
		q         string
		abstain   *bool  // nil: either is fine
		inExcerpt string // in the first citation's excerpt
	}{
		{"plain", "What was the Wuzhen Declaration?", &no, "Declaration"},
		{"misspelt", "What was the Wuzhen Declaraton?", &no, "Declaration"},
		{"lower case, no punctuation", "who hosted netmundial", &no, "hosted by Brazil"},
		{"acronym from the synonyms list", "What does the ITU do?", &no, "International Telecommunications Union"},
		{"paraphrase through WordNet", "Which newspaper was refused entry to the 2015 conference?", &no, "denied entry"},
		{"irregular verb", "When did Google leave China?", &no, "left China in 2010"},
		{"Chinese", "网络主权", &no, "网络主权"},
		{"word in corpus, answer not", "What is the capital of Kazakhstan?", &yes, ""},
		{"long question with scene-setting words", "How did Xinhua broadcast Xi's speech, given those platforms are banned in China?", &no, "live on Twitter and YouTube"},
		{"long off-topic question", "What penalties did the European Union impose on Google for antitrust violations in 2018?", &yes, ""},
		{"author of a document named by its title", "Who wrote Framing the Agenda?", &no, "by Jessica Ludwig"},
		{"the paragraph a lead-in announces", "What joke did Chinese internet users make about the second conference?", &no, "Third World Internet Conference"},
		{"off topic", "How do I reset my Discord password?", &yes, ""},
		{"query syntax is plain text", `+text:wuzhen* /regex.*/ "declaration"~2 title:x^5`, nil, "eclaration"},
		{"control and invisible characters", "What\u200b was\u202e the\x00 Wuzhen\tDeclaration?", &no, "Declaration"},
		{"markdown", "**What** was the _Wuzhen_ `Declaration`?", &no, "Declaration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ans := mustAsk(t, eng, tt.q)
			if tt.abstain != nil && ans.Abstained != *tt.abstain {
				t.Fatalf("Ask(%q).Abstained = %v; want %v", tt.q, ans.Abstained, *tt.abstain)
			}
			if ans.Abstained {
				if len(ans.Citations) != 0 {
					t.Errorf("abstained with %d citations", len(ans.Citations))
				}
				return
			}
			if len(ans.Citations) == 0 || len(ans.Citations) > knowledge.DefaultLimit {
				t.Fatalf("%d citations; want 1 to %d", len(ans.Citations), knowledge.DefaultLimit)
			}
			c := ans.Citations[0]
			if !strings.Contains(c.Excerpt, tt.inExcerpt) {
				t.Errorf("first excerpt %q; want it to contain %q", c.Excerpt, tt.inExcerpt)
			}
			for i, c := range ans.Citations {
				checkCitation(t, i, c)
			}
		})
	}
}

// checkCitation asserts what every citation promises.
func checkCitation(t *testing.T, i int, c knowledge.Citation) {
	t.Helper()
	if c.Rank != i+1 {
		t.Errorf("citation %d has rank %d", i, c.Rank)
	}
	if n := len([]rune(c.Excerpt)); n == 0 || n > knowledge.MaxExcerptRunes {
		t.Errorf("citation %d excerpt has %d runes", i, n)
	}
	if !strings.Contains(c.Passage.Text, strings.Trim(c.Excerpt, "…")) {
		t.Errorf("citation %d excerpt is not from its passage", i)
	}
	if c.Source.Title == "" || c.Source.ID != c.Passage.DocID || !strings.HasPrefix(c.Passage.ID, c.Source.ID+"#") {
		t.Errorf("citation %d source %+v does not match passage %s", i, c.Source, c.Passage.ID)
	}
	last := 0
	for _, h := range c.Highlights {
		if h.Start < last || h.End <= h.Start || h.End > len(c.Excerpt) {
			t.Errorf("citation %d highlight %v out of order or range", i, h)
		}
		last = h.End
	}
}

func TestAskRejectsUnusableQuestions(t *testing.T) {
	eng := openEmbedded(t)
	tests := []struct {
		name string
		q    string
		want error
	}{
		{"empty", "", knowledge.ErrEmptyQuestion},
		{"only stop words", "what is the", knowledge.ErrEmptyQuestion},
		{"only punctuation", "?!*~", knowledge.ErrEmptyQuestion},
		{"too long", strings.Repeat("sovereignty ", 1000), knowledge.ErrQuestionTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := eng.Ask(context.Background(), tt.q, knowledge.AskOptions{})
			if !errors.Is(err, tt.want) {
				t.Errorf("Ask(%.40q) error = %v; want %v", tt.q, err, tt.want)
			}
		})
	}
}

func TestManyTermsAreBounded(t *testing.T) {
	eng := openEmbedded(t)
	// About 140 words of real text: parsed, bounded, answered.
	var words []string
	for _, w := range strings.Fields(lighthouse + orchard) {
		words = append(words, strings.Trim(w, `.,'"#:-`))
	}
	if _, err := eng.Ask(context.Background(), strings.Join(words, " "), knowledge.AskOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestQuestionsAreAnsweredDuringReloads(t *testing.T) {
	corpus := t.TempDir()
	writeFile(t, filepath.Join(corpus, "lighthouse.md"), lighthouse)
	eng, _ := openDir(t, corpus, t.TempDir())
	ctx := context.Background()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 100)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				ans, err := eng.Ask(ctx, "When was the Lighthouse Keepers' Guild founded?", knowledge.AskOptions{})
				if err != nil || ans.Abstained {
					errs <- errors.Join(err, errors.New("question not answered during reload"))
					return
				}
			}
		}()
	}
	for i := range 5 {
		writeFile(t, filepath.Join(corpus, "orchard.md"), orchard+strings.Repeat("\nMore cider. ", i+1))
		if _, err := eng.Reload(ctx); err != nil {
			t.Errorf("Reload %d: %v", i, err)
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestSourcesAndPassages(t *testing.T) {
	eng := openEmbedded(t)
	ctx := context.Background()
	srcs := eng.Sources()
	if len(srcs) != 5 {
		t.Fatalf("Sources() = %d documents; want 5", len(srcs))
	}
	for _, s := range srcs {
		src, ps, err := eng.Source(ctx, s.ID)
		if err != nil {
			t.Fatalf("Source(%q): %v", s.ID, err)
		}
		if len(ps) != src.Passages || len(ps) == 0 {
			t.Errorf("Source(%q) has %d passages; Sources says %d", s.ID, len(ps), src.Passages)
		}
		for i, p := range ps {
			if p.Ordinal != i+1 || p.DocID != s.ID {
				t.Errorf("passage %d of %s = %+v", i, s.ID, p)
			}
			got, err := eng.Passage(ctx, p.ID)
			if err != nil || got.Text != p.Text {
				t.Errorf("Passage(%q) = %v, %v", p.ID, got.ID, err)
			}
		}
	}
	if _, _, err := eng.Source(ctx, "no-such-document"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("Source(missing) error = %v; want ErrNotFound", err)
	}
	if _, err := eng.Passage(ctx, "framing-the-agenda#999"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("Passage(missing) error = %v; want ErrNotFound", err)
	}
}

func TestClosedEngine(t *testing.T) {
	eng := openEmbedded(t)
	if err := eng.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Ask(context.Background(), "Wuzhen", knowledge.AskOptions{}); !errors.Is(err, knowledge.ErrClosed) {
		t.Errorf("Ask after Close: %v; want ErrClosed", err)
	}
	if err := eng.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
