package bot

import (
	"net/url"
	"testing"
)

func TestDownloadAllowed(t *testing.T) {
	tests := []struct {
		api, url string
		want     bool
	}{
		{"", "https://cdn.discordapp.com/attachments/1/2/a.md?ex=1&hm=2", true},
		{"", "https://media.discordapp.net/attachments/1/2/a.md", true},
		{"", "https://CDN.discordapp.com/attachments/1/2/a.md", true},
		{"", "http://cdn.discordapp.com/attachments/1/2/a.md", false},
		{"", "https://cdn.discordapp.com:8443/a.md", false},
		{"", "https://cdn.discordapp.com.evil.example/a.md", false},
		{"", "https://user:pw@cdn.discordapp.com/a.md", false},
		{"", "https://evil.example/a.md", false},
		{"", "file:///etc/passwd", false},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080/attachments/1/2/a.md", true},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8081/attachments/1/2/a.md", false},
		{"http://127.0.0.1:8080", "https://127.0.0.1:8080/a.md", false},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		if got := newDownloader(tt.api, 1).allowed(u); got != tt.want {
			t.Errorf("allowed(%q) with API %q = %v; want %v", tt.url, tt.api, got, tt.want)
		}
	}
}
