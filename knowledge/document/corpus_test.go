package document

import (
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/govbot-dev/govbot/knowledge/corpus"
)

// TestLoadEmbeddedCorpus checks that the default corpus loads whole, with
// the metadata its front matter states, and that each Body is the file
// after its front matter, byte for byte.
func TestLoadEmbeddedCorpus(t *testing.T) {
	fsys := corpus.FS()
	docs, skipped, err := LoadFS(t.Context(), fsys, Options{Ignore: []string{"synonyms.yaml"}})
	if err != nil {
		t.Fatalf("LoadFS(corpus): %v", err)
	}
	if len(skipped) != 0 {
		t.Errorf("LoadFS(corpus) skipped %q; want none", skipped)
	}
	want := []Document{
		{
			ID: "china-first-world-internet-conference", Path: "china-first-world-internet-conference.txt",
			Title: "China’s first ever World Internet Conference", Author: "Molly Bradtke", Published: "2014-11-21",
		},
		{
			ID: "diplomacy-is-the-point", Path: "diplomacy-is-the-point.txt",
			Title: "Diplomacy is the Point of China’s World Internet Conference", Author: "Fang Kecheng (方可成)",
			Translator: "David Bandurski", Publication: "The Initium",
		},
		{
			ID: "framing-the-agenda", Path: "framing-the-agenda.txt",
			Title:  "Framing the Agenda: China’s Use of International Fora to Promote ‘Internet Sovereignty’",
			Author: "Jessica Ludwig", Published: "2015-12-22",
		},
		{
			ID: "internet-with-chinese-characteristics", Path: "internet-with-chinese-characteristics.txt",
			Title: "How the 'Internet with Chinese Characteristics' Is Rupturing the Web",
		},
		{
			ID: "soft-power-is-hard", Path: "soft-power-is-hard.txt",
			Title: "Soft Power is Hard: The World Internet Conference Behind the Great Firewall",
		},
	}
	if len(docs) != len(want) {
		t.Fatalf("LoadFS(corpus) loaded %d documents; want %d", len(docs), len(want))
	}
	for i, w := range want {
		d := docs[i]
		t.Run(w.ID, func(t *testing.T) {
			raw, err := fs.ReadFile(fsys, w.Path)
			if err != nil {
				t.Fatal(err)
			}
			w.Body = afterFrontMatter(t, string(raw))
			w.Hash, w.Size, w.ModTime = d.Hash, int64(len(raw)), d.ModTime
			if !reflect.DeepEqual(d, w) {
				t.Errorf("document %d =\n%+v\nwant\n%+v", i, brief(d), brief(w))
			}
			if d.Body != w.Body {
				t.Errorf("Body is not the file after its front matter (len %d, want %d)", len(d.Body), len(w.Body))
			}
		})
	}
}

// afterFrontMatter finds the body of a corpus file independently of the
// parser: everything after the second "---" line and the blank line after
// it.
func afterFrontMatter(t *testing.T, raw string) string {
	t.Helper()
	if !strings.HasPrefix(raw, "---\n") {
		t.Fatalf("corpus file does not start with front matter")
	}
	_, after, ok := strings.Cut(raw[len("---\n"):], "\n---\n")
	if !ok {
		t.Fatalf("corpus file has no closing front matter line")
	}
	return strings.TrimLeft(after, "\n")
}

// brief is d with a shortened Body, for error messages.
func brief(d Document) Document {
	if len(d.Body) > 60 {
		d.Body = d.Body[:60] + "..."
	}
	return d
}
