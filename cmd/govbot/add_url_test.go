package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestAddURLIsGuarded: govbot add takes web addresses through the guarded
// fetcher, which refuses loopback, private and metadata addresses and
// schemes other than http(s), saying why. (Fetching and extracting a page
// is tested against a local server in knowledge/webpage, through its
// test-only override.)
func TestAddURLIsGuarded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the guarded fetcher reached the local server: %s", r.URL)
	}))
	defer srv.Close()
	dir := t.TempDir()
	for _, tt := range []struct{ url, want string }{
		{srv.URL + "/page", "not on the public internet"},
		{"http://169.254.169.254/latest/meta-data/", "not on the public internet"},
		{"http://localhost:8080/", "not on the public internet"},
		{"ftp://example.org/file.pdf", "only http:// and https://"},
	} {
		_, _, err := runCmd(t, map[string]string{"KNOWLEDGE_DIR": dir}, "add", tt.url)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("add %s: error = %v; want %q", tt.url, err, tt.want)
		}
	}
}
