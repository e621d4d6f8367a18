package bot

import (
	"strings"
	"testing"
)

func TestEscapeMarkdown(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Internet governance", "Internet governance"},
		{"emphasis", "*bold* _it_ ~~s~~ `code` ||spoiler||", `\*bold\* \_it\_ \~\~s\~\~ \` + "`code\\`" + ` \|\|spoiler\|\|`},
		{"masked link", "[click](https://evil.example)", `\[click\](<https://evil.example>)`},
		{"bare link wrapped", "see https://example.org/a_b.html.", "see <https://example.org/a_b.html>."},
		{"link in parentheses", "(see https://example.org/x)", "(see <https://example.org/x>)"},
		{"heading", "# Title\n## Sub", "\\# Title\n\\## Sub"},
		{"quote and list", "> quoted\n- item\n1. first", "\\> quoted\n\\- item\n1\\. first"},
		{"mid-line markers kept", "a - b > c # d", "a - b > c # d"},
		{"backslash", `a\b`, `a\\b`},
		{"everyone", "hi @everyone and @here", "hi @\u200beveryone and @\u200bhere"},
		{"user and role mentions", "<@123> <@!456> <@&789>", "<@\u200b123> <@\u200b!456> <@\u200b&789>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escapeMarkdown(tt.in); got != tt.want {
				t.Errorf("escapeMarkdown(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNeutralizeMentionsIsIdempotent(t *testing.T) {
	in := "@everyone <@123> @here <@&5>"
	once := neutralizeMentions(in)
	if twice := neutralizeMentions(once); twice != once {
		t.Errorf("neutralizeMentions twice = %q; once = %q", twice, once)
	}
}

func FuzzEscapeMarkdown(f *testing.F) {
	f.Add("**x** @everyone <@1> https://a.b/c_d")
	f.Fuzz(func(t *testing.T, s string) {
		got := escapeMarkdown(s)
		if strings.Contains(got, "@everyone") || strings.Contains(got, "@here") {
			t.Fatalf("escapeMarkdown(%q) = %q still pings", s, got)
		}
		if mentionPattern.MatchString(got) {
			t.Fatalf("escapeMarkdown(%q) = %q still mentions", s, got)
		}
	})
}
