package main

import "testing"

// Clean keeps what maps a question's word to English text: a short word
// or phrase; references, classifiers and remarks go.
func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"declaration", "declaration"},
		{"to organize", "organize"},
		{"draft (legislation, proposal etc)", "draft"},
		{"media, esp. news media", "media"},
		{"Xi Jinping (1953-), PRC politician", "Xi Jinping"},
		{"CL:個|个[ge4]", ""},
		{"variant of 谷歌[Gu3 ge1]", ""},
		{"surname Lu", ""},
		{"how can one help", ""}, // longer than three words
		{"", ""},
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestToneless(t *testing.T) {
	for in, want := range map[string]string{"Wu1": "wu", "lu:4": "lv", "zhen4": "zhen", "r5": "r", "A A": ""} {
		if got := toneless(in); got != want {
			t.Errorf("toneless(%q) = %q; want %q", in, got, want)
		}
	}
}
