package feedback

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"question mark and case", "What is the WIC?", "what is the wic"},
		{"already normal", "what is the wic", "what is the wic"},
		{"spaces collapse", "  what   is\tthe\n wic ?? ", "what is the wic"},
		{"markdown", "What is the **WIC**? `code` _it_ ~~x~~ > quote", "what is the wic code it x quote"},
		{"markdown link", "see [the WIC](https://wic.example/x?y=1) now", "see the wic now"},
		{"unclosed link", "a [b](c", "a b c"},
		{"apostrophes vanish", "China’s and China's view", "chinas and chinas view"},
		{"hyphens separate", "multi-stakeholder/multilateral", "multi stakeholder multilateral"},
		{"mentions dropped", "<@123456789012345678> what is <#42>? ask <@&7> <@!9>", "what is ask"},
		{"not a mention", "<@abc> a<b", "abc a b"},
		{"full-width folds (NFKC)", "ＷＩＣ？", "wic"},
		{"Chinese kept", "多边 是什么意思？", "多边 是什么意思"},
		{"accents kept", "Qu'est-ce que la souveraineté d'Internet ?", "quest ce que la souveraineté dinternet"},
		{"only punctuation", "?!…", ""},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Normalize(tc.in); got != tc.want {
				t.Errorf("Normalize(%q) = %q; want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestStoredQuestion(t *testing.T) {
	long := strings.Repeat("é", MaxQuestionRunes+5)
	for _, tc := range []struct {
		name, in, want string
	}{
		{"kept as asked", " What is the **WIC**? ", "What is the **WIC**?"},
		{"mentions scrubbed", "<@123456789012345678> who is <@!42> in <#7> for <@&9>?", "@user who is @user in #channel for @role?"},
		{"invalid UTF-8 replaced", "a\xffb", "a\uFFFDb"},
		{"bounded", long, long[:2*MaxQuestionRunes]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := storedQuestion(tc.in); got != tc.want {
				t.Errorf("storedQuestion(%.40q) = %.40q; want %.40q", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzNormalize checks the properties grouping relies on: the key is
// stable under re-normalising, lower case, single-spaced, and valid UTF-8.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"What is the WIC?", "[a](b) **c** <@1> <#2>", "ＷＩＣ？", "多边 是什么意思？", "İstanbul ΣΑΣ", "a\xffb", "ǅ ß ﬁ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := Normalize(in)
		if again := Normalize(got); again != got {
			t.Errorf("Normalize(Normalize(%q)) = %q; want %q", in, again, got)
		}
		if !utf8.ValidString(got) {
			t.Errorf("Normalize(%q) = %q: not valid UTF-8", in, got)
		}
		if strings.Contains(got, "  ") || strings.TrimSpace(got) != got {
			t.Errorf("Normalize(%q) = %q: stray spaces", in, got)
		}
		for _, r := range got {
			if unicode.IsUpper(r) {
				t.Errorf("Normalize(%q) = %q: upper case %q", in, got, r)
				break
			}
		}
		if s := storedQuestion(in); utf8.RuneCountInString(s) > MaxQuestionRunes || !utf8.ValidString(s) {
			t.Errorf("storedQuestion(%q) = %q: too long or invalid", in, s)
		}
	})
}
