package knowledge

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/govbot-dev/govbot/knowledge/internal/golden"
)

func TestSplitPassages(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"empty", "  \n\n ", nil},
		{
			"heading joins the paragraph after it",
			"Multilateral VS Multi-stakeholder\nIn the language of global internet governance, the word multilateral stands in opposition to the word multi-stakeholder.",
			[]string{"Multilateral VS Multi-stakeholder\nIn the language of global internet governance, the word multilateral stands in opposition to the word multi-stakeholder."},
		},
		{
			"a long headline and a dated byline join the paragraph after them",
			"Framing the Agenda: China’s Use of International Fora to Promote ‘Internet Sovereignty’\n\nDecember 22, 2015 | by Jessica Ludwig\n\nLast week in Wuzhen, China, President Xi Jinping made clear the theme of the conference.",
			[]string{"Framing the Agenda: China’s Use of International Fora to Promote ‘Internet Sovereignty’\n\nDecember 22, 2015 | by Jessica Ludwig\n\nLast week in Wuzhen, China, President Xi Jinping made clear the theme of the conference."},
		},
		{
			"byline at the end joins the last paragraph",
			"The conference ended on a Friday, and the delegates left Wuzhen for Shanghai on the morning train.\n\nDavid Bandurski\n\nCMP Director\n",
			[]string{"The conference ended on a Friday, and the delegates left Wuzhen for Shanghai on the morning train.\n\nDavid Bandurski\n\nCMP Director"},
		},
		{
			"introduction ending in a colon joins its quotation",
			"A joke made the rounds on social media that went like this, in the words of one user online:\n\nFirst, let me warmly welcome this lofty event, which is attended by Uncle Xi himself and many more guests.",
			[]string{"A joke made the rounds on social media that went like this, in the words of one user online:\n\nFirst, let me warmly welcome this lofty event, which is attended by Uncle Xi himself and many more guests."},
		},
		{
			"hard-wrapped paragraph stays whole",
			"This paragraph was wrapped by an editor at a fixed\nwidth, so its lines run on into each other and\nnone of them ends a sentence until the last one.\n\nA second paragraph follows after a blank line and is long enough to stand alone.",
			[]string{
				"This paragraph was wrapped by an editor at a fixed\nwidth, so its lines run on into each other and\nnone of them ends a sentence until the last one.",
				"A second paragraph follows after a blank line and is long enough to stand alone.",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := splitPassages("doc", tt.body)
			var got []string
			for _, p := range ps {
				got = append(got, p.Text)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("splitPassages(%q) =\n%q\nwant\n%q", tt.body, got, tt.want)
			}
			checkPassages(t, "doc", tt.body, ps)
		})
	}
}

func TestSplitLongParagraph(t *testing.T) {
	body := strings.Repeat("This sentence is about internet governance and it is fairly long. ", 60)
	ps := splitPassages("doc", body)
	if len(ps) < 3 {
		t.Fatalf("a %d-rune paragraph gave %d passages; want it split", utf8.RuneCountInString(body), len(ps))
	}
	for _, p := range ps {
		if n := utf8.RuneCountInString(p.Text); n > maxPassageRunes {
			t.Errorf("passage %s has %d runes; want at most %d", p.ID, n, maxPassageRunes)
		}
		if !strings.HasSuffix(p.Text, ".") {
			t.Errorf("passage %s does not end at a sentence boundary: %q", p.ID, p.Text[len(p.Text)-20:])
		}
	}
	checkPassages(t, "doc", body, ps)
}

// checkPassages asserts the contract: contiguous slices of body, in order,
// with ids doc#1..N.
func checkPassages(t *testing.T, doc, body string, ps []Passage) {
	t.Helper()
	last := 0
	for i, p := range ps {
		if p.ID != fmt.Sprintf("%s#%d", doc, i+1) || p.Ordinal != i+1 || p.DocID != doc {
			t.Errorf("passage %d has id %q, ordinal %d", i, p.ID, p.Ordinal)
		}
		if p.Start < last || p.End > len(body) || body[p.Start:p.End] != p.Text {
			t.Errorf("passage %s offsets [%d,%d) do not match its text", p.ID, p.Start, p.End)
		}
		if strings.TrimSpace(p.Text) != p.Text || p.Text == "" {
			t.Errorf("passage %s is empty or has surrounding space", p.ID)
		}
		last = p.End
	}
}

// TestCorpusPassages pins how the embedded corpus is split: any change to
// the chunker shows up as a reviewable diff (and needs a mappingVersion bump).
func TestCorpusPassages(t *testing.T) {
	lc, err := loadCorpus(context.Background(), "", DefaultMaxFileSize)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, d := range lc.docs {
		fmt.Fprintf(&b, "## %s (%s)\n", d.Source.ID, d.Source.Title)
		for _, p := range d.Passages {
			text := p.Text
			if len(text) > 90 {
				text = text[:strings.LastIndex(text[:90], " ")] + " …"
			}
			fmt.Fprintf(&b, "%-46s %5d-%-5d %4d runes  %q\n", p.ID, p.Start, p.End, utf8.RuneCountInString(p.Text), text)
			if n := utf8.RuneCountInString(p.Text); n < shortParagraphRunes {
				t.Errorf("passage %s has only %d runes: short lines must not stand alone", p.ID, n)
			}
		}
	}
	golden.Check(t, filepath.Join("testdata", "corpus-passages.golden"), b.String())
}

func FuzzSplitPassages(f *testing.F) {
	f.Add("Title\n\nA paragraph of text. Another sentence!\n\nByline")
	f.Add("one line only")
	f.Add(strings.Repeat("Long sentence here. ", 200))
	f.Add("Intro:\n\nQuote.\n\n\n\n“Quoted” (中文) text.\r\n")
	f.Fuzz(func(t *testing.T, body string) {
		if !utf8.ValidString(body) {
			t.Skip()
		}
		checkPassages(t, "d", body, splitPassages("d", body))
	})
}

func mustLoadEmbedded(t testing.TB) loadedCorpus {
	t.Helper()
	lc, err := loadCorpus(context.Background(), "", DefaultMaxFileSize)
	if err != nil {
		t.Fatal(err)
	}
	return lc
}
