package bot

import (
	"strings"
	"testing"

	"github.com/govbot-dev/govbot/knowledge"
)

func TestMarkSnippetKeepsTheMatches(t *testing.T) {
	long := strings.Repeat("Words that say nothing in particular fill this opening sentence. ", 4)
	tests := []struct {
		name, excerpt string
		word          string
		wantEllipsis  bool
	}{
		{"match at the start", "Multilateral governance is the aim. " + long, "Multilateral", false},
		{"match in a late sentence", long + "The multilateral model puts states first. And more text follows here.", "multilateral", true},
		{"match late in one long sentence", strings.Repeat("word ", 60) + "multilateral at last", "multilateral", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := strings.Index(tt.excerpt, tt.word)
			got := markSnippet(tt.excerpt, []knowledge.Span{{Start: i, End: i + len(tt.word)}}, searchSnippetChars)
			if !strings.Contains(got, "**"+tt.word+"**") {
				t.Errorf("markSnippet(…) = %q; want %q in bold", got, tt.word)
			}
			if n := textLen(got); n > searchSnippetChars+4 { // bold markers
				t.Errorf("markSnippet(…) is %d characters", n)
			}
			if strings.HasPrefix(got, ellipsis) != tt.wantEllipsis {
				t.Errorf("markSnippet(…) = %q; ellipsis at the start: %v", got, !tt.wantEllipsis)
			}
		})
	}
}
