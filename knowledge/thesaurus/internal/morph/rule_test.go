package morph

import (
	"slices"
	"testing"
)

func TestDetach(t *testing.T) {
	tests := []struct {
		name string
		pos  byte
		word string
		want []string // stem+ending, in order
	}{
		{name: "noun plural", pos: Noun, word: "firms", want: []string{"firm"}},
		{name: "noun ies", pos: Noun, word: "companies", want: []string{"companie", "company"}},
		{name: "noun ches", pos: Noun, word: "churches", want: []string{"churche", "church"}},
		{name: "noun men", pos: Noun, word: "chairmen", want: []string{"chairman"}},
		{name: "noun ss is not detached", pos: Noun, word: "glass", want: nil},
		{name: "verb ed", pos: Verb, word: "refused", want: []string{"refuse", "refus"}},
		{name: "verb ied", pos: Verb, word: "denied", want: []string{"denie", "deni"}},
		{name: "verb ing", pos: Verb, word: "hosting", want: []string{"hoste", "host"}},
		{name: "verb es", pos: Verb, word: "publishes", want: []string{"publishe", "publishe", "publish"}},
		{name: "adjective er", pos: Adjective, word: "larger", want: []string{"larg", "large"}},
		{name: "adjective est", pos: Adjective, word: "finest", want: []string{"fin", "fine"}},
		{name: "adverbs have no rules", pos: Adverb, word: "faster", want: nil},
		{name: "short words are not detached", pos: Verb, word: "is", want: nil},
		{name: "no empty stem", pos: Verb, word: "ing", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			Detach(tt.pos, tt.word, func(stem, ending string) bool {
				got = append(got, stem+ending)
				return true
			})
			if !slices.Equal(got, tt.want) {
				t.Errorf("Detach(%q, %q) = %q; want %q", tt.pos, tt.word, got, tt.want)
			}
		})
	}
}

func TestDetachStops(t *testing.T) {
	calls := 0
	Detach(Verb, "refused", func(string, string) bool {
		calls++
		return false
	})
	if calls != 1 {
		t.Errorf("Detach called yield %d times after it returned false; want 1", calls)
	}
}
