package knowledge

import (
	"fmt"
	"testing"
)

func TestSentenceSpans(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"simple", "One. Two! Three?", []string{"One.", "Two!", "Three?"}},
		{"abbreviations", "The U.S. National Security Agency spied. Lu went to Washington D.C. and Silicon Valley.", []string{"The U.S. National Security Agency spied.", "Lu went to Washington D.C. and Silicon Valley."}},
		{"times", "At 11p.m. on November 20, they found a form. They had until 8 a.m. the next morning.", []string{"At 11p.m. on November 20, they found a form.", "They had until 8 a.m. the next morning."}},
		{"closing quotes", "He said “this is free.” Then he left.", []string{"He said “this is free.”", "Then he left."}},
		{"decimals and initials", "Version 2.5 shipped. J. Nye wrote it.", []string{"Version 2.5 shipped.", "J. Nye wrote it."}},
		{"possessive before a full stop", "On par with Iran’s. Tech firms left. As were the US's. Then more.", []string{"On par with Iran’s.", "Tech firms left.", "As were the US's.", "Then more."}},
		{"line breaks", "Heading\nBody text here.", []string{"Heading", "Body text here."}},
		{"chinese", "多边主义。这是第二句！", []string{"多边主义。", "这是第二句！"}},
		{"lower case after full stop", "It cost 5 vs. 6 dollars.", []string{"It cost 5 vs. 6 dollars."}},
		{"empty", "   ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, s := range sentenceSpans(tt.text) {
				got = append(got, tt.text[s[0]:s[1]])
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("sentenceSpans(%q) = %q; want %q", tt.text, got, tt.want)
			}
		})
	}
}
