package bot

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

func TestTruncate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"fits", "Short text.", 20, "Short text."},
		{"exact", "abcde", 5, "abcde"},
		{"sentence boundary", "The first sentence is here. The second one goes on and on.", 40, "The first sentence is here. …"},
		{"word boundary", "one two three four five six seven", 20, "one two three four…"},
		{"trailing comma dropped", "alpha beta, gamma delta epsilon", 17, "alpha beta…"},
		{"no boundary: whole characters", "abcdefghijklmnopqrstuvwxyz", 10, "abcdefghi…"},
		{"multibyte never split", "ééééééééééé", 5, "éééé…"},
		{"CJK full stop", "互联网治理很重要。网络主权是一个概念，在中国被广泛讨论。", 16, "互联网治理很重要。 …"},
		{"emoji counts as two", "😀😀😀😀😀", 5, "😀😀…"},
		{"combining mark kept whole", "abcde\u0301fgh", 6, "abcd…"},
		{"zero", "abc", 0, ""},
		{"one", "abc", 1, "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := truncate(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("truncate(%q, %d) = %q; want %q", tt.in, tt.max, got, tt.want)
			}
			if textLen(got) > tt.max && tt.max >= 0 {
				t.Errorf("truncate(%q, %d) is %d long", tt.in, tt.max, textLen(got))
			}
			if !utf8.ValidString(got) {
				t.Errorf("truncate(%q, %d) = %q is not valid UTF-8", tt.in, tt.max, got)
			}
		})
	}
}

func FuzzTruncate(f *testing.F) {
	f.Add("The first sentence. The second one.", 10)
	f.Add("互联网治理很重要。", 3)
	f.Add("😀\u200d😀 x", 2)
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 0 || max > 5000 {
			return
		}
		got := truncate(s, max)
		if textLen(got) > max {
			t.Fatalf("truncate(%q, %d) = %q, %d long", s, max, got, textLen(got))
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("truncate(%q, %d) = %q: invalid UTF-8", s, max, got)
		}
		if textLen(s) <= max && got != s {
			t.Fatalf("truncate(%q, %d) = %q changed text that fits", s, max, got)
		}
	})
}

func TestTruncateMarkdownClosesBold(t *testing.T) {
	s := "plain text then **a bold phrase that runs long** and more"
	got := truncateMarkdown(s, 30)
	if strings.Count(got, "**")%2 != 0 {
		t.Errorf("truncateMarkdown(%q, 30) = %q leaves bold open", s, got)
	}
	if textLen(got) > 30 {
		t.Errorf("truncateMarkdown(%q, 30) = %q is %d long", s, got, textLen(got))
	}
}

func TestFitEmbedsRespectsEveryLimit(t *testing.T) {
	long := strings.Repeat("Sentence with words. ", 800)
	var fields []*discordgo.MessageEmbedField
	for range 40 {
		fields = append(fields, &discordgo.MessageEmbedField{Name: long, Value: long})
	}
	embeds := []*discordgo.MessageEmbed{
		{Title: long, Description: long, Fields: fields, Footer: &discordgo.MessageEmbedFooter{Text: long}, Author: &discordgo.MessageEmbedAuthor{Name: long}},
		{Title: long, Description: long},
	}
	got := fitEmbeds(embeds)
	if n := embedsLen(got); n > maxEmbedTotal {
		t.Errorf("fitEmbeds: total %d > %d", n, maxEmbedTotal)
	}
	for _, e := range got {
		if textLen(e.Title) > maxEmbedTitle || textLen(e.Description) > maxEmbedDescription ||
			len(e.Fields) > maxEmbedFields {
			t.Errorf("fitEmbeds: embed over a limit: title %d, description %d, fields %d",
				textLen(e.Title), textLen(e.Description), len(e.Fields))
		}
		for _, f := range e.Fields {
			if textLen(f.Name) > maxFieldName || textLen(f.Value) > maxFieldValue || f.Value == "" {
				t.Errorf("fitEmbeds: field over a limit: name %d, value %d", textLen(f.Name), textLen(f.Value))
			}
		}
		if e.Footer != nil && textLen(e.Footer.Text) > maxFooter {
			t.Errorf("fitEmbeds: footer %d", textLen(e.Footer.Text))
		}
	}
}
