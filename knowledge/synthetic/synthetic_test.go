package synthetic_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/govbot-dev/govbot/knowledge"
	"github.com/govbot-dev/govbot/knowledge/synthetic"
)

// treeHash hashes every file of dir, names and contents, in walk order.
func treeHash(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		h.Write([]byte(filepath.ToSlash(rel) + "\x00"))
		h.Write(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestWriteIsDeterministic(t *testing.T) {
	write := func(passages int, seed uint64) (synthetic.Stats, string) {
		dir := t.TempDir()
		st, err := synthetic.Write(dir, passages, seed)
		if err != nil {
			t.Fatal(err)
		}
		return st, treeHash(t, dir)
	}
	st1, h1 := write(500, 7)
	st2, h2 := write(500, 7)
	if st1 != st2 || h1 != h2 {
		t.Errorf("Write(500, 7) twice: %+v %s, then %+v %s; want the same", st1, h1, st2, h2)
	}
	if _, h3 := write(500, 8); h3 == h1 {
		t.Errorf("Write(500, 8) wrote the same files as seed 7")
	}
	if st1.Passages != 500 || st1.Documents < 500/synthetic.MaxDocPassages || st1.Words < 500*60 {
		t.Errorf("Write(500, 7) = %+v; want 500 passages of 60 words or more", st1)
	}
}

// TestCorpusIsStable pins the bytes of one corpus: benchmark results are
// comparable across commits only while it holds. Change the hash only
// when the generator is meant to change, and say so in the commit.
func TestCorpusIsStable(t *testing.T) {
	dir := t.TempDir()
	if _, err := synthetic.Write(dir, 300, 1); err != nil {
		t.Fatal(err)
	}
	const want = "29187384b18dcf17bbd253cf1692acdc1e16aeb3be2a4103e583d0dd30c89f9c"
	if got := treeHash(t, dir); got != want {
		t.Errorf("Write(300, 1) hashes to %s; want %s", got, want)
	}
}

func TestPassageShape(t *testing.T) {
	c := synthetic.New(3000, 3)
	cjk := 0
	for i := range c.Passages() {
		text, docID, ord := c.Passage(i)
		n := utf8.RuneCountInString(text)
		words := len(strings.Fields(text))
		if n < 80 || n > 1400 || strings.Contains(text, "\n") || words < 60 || words > 150 ||
			!strings.HasSuffix(text, ".") || docID == "" || ord < 1 {
			t.Fatalf("Passage(%d) = %q (%d runes, %d fields), %q, %d; want one line of 60-120 words and 80-1400 runes ending in '.'",
				i, text, n, words, docID, ord)
		}
		if strings.ContainsRune(text, '网') || strings.ContainsRune(text, '国') {
			cjk++
		}
	}
	if cjk == 0 {
		t.Errorf("no passage of 3000 has Chinese")
	}
}

func TestQuestions(t *testing.T) {
	c := synthetic.New(1000, 5)
	qs := c.Questions(400, 9)
	again := c.Questions(400, 9)
	kinds := map[synthetic.Kind]int{}
	for i, q := range qs {
		if q != again[i] {
			t.Fatalf("Questions(400, 9)[%d] = %+v, then %+v; want the same", i, q, again[i])
		}
		kinds[q.Kind]++
		if q.Text == "" || (q.Kind == synthetic.Absent) != (q.DocID == "") {
			t.Errorf("question %d = %+v; want text, and a passage unless Absent", i, q)
		}
	}
	for _, k := range []synthetic.Kind{synthetic.Exact, synthetic.Paraphrased, synthetic.Misspelt, synthetic.Absent} {
		if kinds[k] < 400/20 {
			t.Errorf("%d %s questions of 400; want more", kinds[k], k)
		}
	}
	if d := c.Questions(50, 10); d[0] == qs[0] && d[1] == qs[1] {
		t.Errorf("Questions with seeds 9 and 10 begin the same")
	}
	// Every Absent question has a word that is in no passage at all.
	var all strings.Builder
	for i := range c.Passages() {
		text, _, _ := c.Passage(i)
		all.WriteString(strings.ToLower(text))
		all.WriteByte(' ')
	}
	corpus := " " + strings.NewReplacer(".", " ", ",", " ").Replace(all.String())
	for _, q := range qs {
		if q.Kind != synthetic.Absent {
			continue
		}
		absent := 0
		for _, w := range strings.FieldsFunc(strings.ToLower(q.Text), func(r rune) bool { return r < 'a' || r > 'z' }) {
			if !strings.Contains(corpus, " "+w+" ") {
				absent++
			}
		}
		if absent == 0 {
			t.Errorf("absent question %q: every word occurs in the corpus", q.Text)
		}
	}
}

// TestEngineReadsOnePassagePerParagraph checks the corpus against the
// engine's loader and chunker: every paragraph becomes one passage, with
// the document ids and ordinals that Passage and Questions report.
func TestEngineReadsOnePassagePerParagraph(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := synthetic.New(400, 11)
	st, err := c.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	eng, rep, err := knowledge.Open(ctx, knowledge.Config{CorpusDir: dir, IndexDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	if rep.Passages != st.Passages || rep.Documents != st.Documents || len(rep.Skipped) != 0 {
		t.Fatalf("Open: %d documents, %d passages, skipped %v; want %d, %d, none",
			rep.Documents, rep.Passages, rep.Skipped, st.Documents, st.Passages)
	}
	for i := 0; i < c.Passages(); i += 37 {
		text, docID, ord := c.Passage(i)
		p, err := eng.Passage(ctx, docID+"#"+strconv.Itoa(ord))
		if err != nil {
			t.Fatalf("Passage(%d): engine: %v", i, err)
		}
		if p.Text != text {
			t.Errorf("passage %s: engine has %q; generator %q", p.ID, p.Text, text)
		}
	}
	for _, s := range eng.Sources() {
		if s.Title == "" || s.Author == "" || s.Published == "" {
			t.Errorf("source %s = %+v; want title, author and date from front matter", s.ID, s)
		}
	}
}
