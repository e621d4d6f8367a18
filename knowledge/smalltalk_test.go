package knowledge

import (
	"strings"
	"testing"
)

func TestIsSmallTalk(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"thanks!", true},
		{"Thank you so much", true},
		{"thx <@123456789012345678>", true},
		{"thaaanks", true},
		{"good bot", true},
		{"lol", true},
		{"hahaha ok ty", true},
		{"ok cool", true},
		{"👍", true},
		{"🙏🙏", true},
		{"<:pepe:123456789012345678>", true},
		{":)", true},
		{"hi", true},
		{"hey govbot", true},
		{"got it, makes sense", true},
		{"nice", true},
		{"", false},
		{"?!?", false},
		{"🙂?", true},
		{"thanks! and who drafted it?", false},
		{"why?", false},
		{"when?", false},
		{"what about China?", false},
		{"who is Lu Wei?", false},
		{"good governance", false},
		{"cool, what is the WIC?", false},
		{"ok so what happened to it", false},
		{"multilateral", false},
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
		{"ok ok ok ok ok ok ok ok ok", false},
		{strings.Repeat("lol", 40), false},
	}
	for _, tt := range tests {
		if got := IsSmallTalk(tt.text); got != tt.want {
			t.Errorf("IsSmallTalk(%q) = %v; want %v", tt.text, got, tt.want)
		}
	}
}

func FuzzIsSmallTalk(f *testing.F) {
	for _, s := range []string{"thanks!", "lol", "👍", "<:a:1>", "what is it?", "hahaha"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		IsSmallTalk(s) // must not panic
	})
}
