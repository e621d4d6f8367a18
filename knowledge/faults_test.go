package knowledge_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govbot-dev/govbot/knowledge"
)

// TestCorpusWithBadFiles: a corpus directory full of unusable files loads
// everything that is good and names each bad file with its reason.
func TestCorpusWithBadFiles(t *testing.T) {
	corpus := t.TempDir()
	writeFile(t, filepath.Join(corpus, "good", "lighthouse.md"), lighthouse)
	writeFile(t, filepath.Join(corpus, "good", "orchard.md"), orchard)
	writeFile(t, filepath.Join(corpus, "binary.txt"), "PK\x03\x04\x00\x00 zip data")
	writeFile(t, filepath.Join(corpus, "latin1.txt"), "Caf\xe9 au lait, na\xefve text in Latin-1")
	writeFile(t, filepath.Join(corpus, "empty.md"), "")
	writeFile(t, filepath.Join(corpus, "blank.txt"), " \n\n\t\n")
	writeFile(t, filepath.Join(corpus, "broken.md"), "---\ntitle: \"unclosed\n---\nBody text that is fine.\n")
	big := filepath.Join(corpus, "huge.txt")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(50 << 20); err != nil { // sparse: 50 MiB on paper
		t.Fatal(err)
	}
	f.Close()
	if err := os.Symlink(".", filepath.Join(corpus, "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("self.md", filepath.Join(corpus, "self.md")); err != nil {
		t.Fatal(err)
	}
	unreadable := filepath.Join(corpus, "secret.md")
	writeFile(t, unreadable, orchard)
	os.Chmod(unreadable, 0)
	checkUnreadable := true
	if f, err := os.Open(unreadable); err == nil { // root reads anything
		f.Close()
		checkUnreadable = false
		os.Remove(unreadable)
	}

	eng, rep := openDir(t, corpus, t.TempDir())
	if rep.Documents != 2 {
		t.Errorf("Documents = %d; want the 2 good ones (skipped: %+v)", rep.Documents, rep.Skipped)
	}
	reasons := map[string]string{}
	for _, s := range rep.Skipped {
		reasons[s.Path] = s.Reason
	}
	want := map[string]string{
		"binary.txt": "binary", "latin1.txt": "UTF-8", "empty.md": "empty", "blank.txt": "empty",
		"broken.md": "front matter", "huge.txt": "larger than", "loop": "loop", "self.md": "loop",
	}
	if checkUnreadable {
		want["secret.md"] = "permission"
	}
	for path, frag := range want {
		if !strings.Contains(reasons[path], frag) {
			t.Errorf("skip reason for %s = %q; want it to mention %q", path, reasons[path], frag)
		}
	}
	if ans := mustAsk(t, eng, "What do the orchard cooperative members press?"); ans.Abstained {
		t.Errorf("good document not answering")
	}
}

// TestDeletedSegmentsAreRebuilt: an index whose segment files were deleted
// is rebuilt from the corpus at start-up, with the same answers.
func TestDeletedSegmentsAreRebuilt(t *testing.T) {
	corpus, index := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(corpus, "lighthouse.md"), lighthouse)
	eng, _ := openDir(t, corpus, index)
	before := mustAsk(t, eng, "When was the Lighthouse Keepers' Guild founded?")
	eng.Close()
	removed := 0
	filepath.WalkDir(index, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".zap") {
			os.Remove(p)
			removed++
		}
		return nil
	})
	if removed == 0 {
		t.Fatal("no segment files found to delete")
	}
	eng, rep := openDir(t, corpus, index)
	if !rep.Rebuilt {
		t.Errorf("index with deleted segments was not rebuilt")
	}
	after := mustAsk(t, eng, "When was the Lighthouse Keepers' Guild founded?")
	if after.Abstained || before.Citations[0].Excerpt != after.Citations[0].Excerpt {
		t.Errorf("answer changed after rebuild: %+v then %+v", before.Citations, after.Citations)
	}
}

// hostile are questions an attacker or a careless paste might send.
var hostile = []struct{ name, q string }{
	{"10,000 characters", strings.Repeat("sovereignty ", 833)},
	{"just under the limit", strings.Repeat("Wuzhen ", 142)},
	{"control characters", "What\x00 was\x07 the\x1b[31m Wuzhen\r\n Declaration?"},
	{"zero-width and RTL marks", "W\u200bu\u200cz\u200dh\ufeffen \u202eDeclaration\u202c \u2066sovereignty\u2069"},
	{"markdown injection", "**bold** __under__ ~~strike~~ `code` ```block``` [link](http://x) > quote ||spoiler||"},
	{"mention injection", "@everyone @here <@123456789012345678> <@&987654321098765432> <#111> Wuzhen?"},
	{"wildcards", "*e* ?u?h?n* w*"},
	{"fuzzy and boost syntax", "Wuzhen~2 Declaration^100 sovereignty~"},
	{"regexp", "/.*/ /[a-z]+(e|n)*/ /(((a*)*)*)*/"},
	{"field and boolean syntax", "+text:wuzhen -title:x doc_id:* _all:* AND OR NOT ( ) { } [ TO ]"},
	{"many distinct words", strings.Join(strings.Fields(lighthouse+orchard+lighthouse), " ")[:990]},
	{"emoji and symbols", "🤔🔥💯 ⚠️ ∑∫≈ ©®™ ← → ⇒"},
	{"mixed scripts", "Что такое 网络主权 und Souveränität? ما هي السيادة"},
}

func TestHostileQuestions(t *testing.T) {
	eng := openEmbedded(t)
	ctx := context.Background()
	for _, tt := range hostile {
		t.Run(tt.name, func(t *testing.T) {
			ans, err := eng.Ask(ctx, tt.q, knowledge.AskOptions{})
			switch {
			case err == nil:
				for i, c := range ans.Citations {
					checkCitation(t, i, c)
				}
			case len([]rune(tt.q)) > knowledge.MaxQuestionRunes:
				if !strings.Contains(err.Error(), "too long") {
					t.Errorf("Ask error = %v; want ErrQuestionTooLong", err)
				}
			default:
				if !strings.Contains(err.Error(), "no searchable words") {
					t.Errorf("Ask error = %v; want an answer or ErrEmptyQuestion", err)
				}
			}
			if _, err := eng.Search(ctx, tt.q, 5); err != nil && len([]rune(tt.q)) <= knowledge.MaxQuestionRunes &&
				!strings.Contains(err.Error(), "no searchable words") {
				t.Errorf("Search error = %v", err)
			}
		})
	}
}

// BenchmarkAskHostile measures the hostile questions; the bound is
// 50 ms per question on the embedded corpus (see max_ms).
func BenchmarkAskHostile(b *testing.B) {
	eng := openEmbedded(b)
	ctx := context.Background()
	var worst time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := hostile[i%len(hostile)].q
		t0 := time.Now()
		eng.Ask(ctx, q, knowledge.AskOptions{})
		if d := time.Since(t0); d > worst {
			worst = d
		}
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "max_ms")
}
