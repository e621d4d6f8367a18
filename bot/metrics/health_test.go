package metrics

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestReadyz(t *testing.T) {
	errIndex := errors.New("index closed")
	tests := []struct {
		name       string
		connect    []bool // GatewayConnected calls, in order
		indexCheck func() error
		wantStatus int
		wantBody   string
	}{
		{"before the gateway connects", nil, nil, 503, "gateway not connected\n"},
		{"connected, no index check", []bool{true}, nil, 200, "ok\n"},
		{"connected, index open", []bool{true}, func() error { return nil }, 200, "ok\n"},
		{"connected, index failing", []bool{true}, func() error { return errIndex }, 503, "index: index closed\n"},
		{"index error on one line", []bool{true}, func() error { return errors.New("open index\n  /data: locked") }, 503, "index: open index /data: locked\n"},
		{"disconnected again", []bool{true, false}, func() error { return nil }, 503, "gateway not connected\n"},
		{"gateway checked first", nil, func() error { return errIndex }, 503, "gateway not connected\n"},
		{"reconnected", []bool{true, false, true}, func() error { return nil }, 200, "ok\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(Options{})
			for _, up := range tt.connect {
				m.GatewayConnected(up)
			}
			status, body, header := get(t, m.Handler(tt.indexCheck), http.MethodGet, "/readyz")
			if status != tt.wantStatus || body != tt.wantBody {
				t.Errorf("GET /readyz = %d %q; want %d %q", status, body, tt.wantStatus, tt.wantBody)
			}
			if ct := header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
				t.Errorf("GET /readyz Content-Type = %q; want text/plain; charset=utf-8", ct)
			}
			if cc := header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("GET /readyz Cache-Control = %q; want no-store", cc)
			}
		})
	}
}

func TestRoutes(t *testing.T) {
	failing := func() error { return errors.New("down") }
	tests := []struct {
		name       string
		method     string
		path       string
		wantStatus int
	}{
		{"healthz while not ready", http.MethodGet, "/healthz", 200},
		{"healthz HEAD", http.MethodHead, "/healthz", 200},
		{"readyz HEAD", http.MethodHead, "/readyz", 503},
		{"metrics", http.MethodGet, "/metrics", 200},
		{"POST healthz", http.MethodPost, "/healthz", 405},
		{"root", http.MethodGet, "/", 404},
		{"unknown path", http.MethodGet, "/debug/pprof/", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(Options{}) // never connected, index failing: only /readyz cares
			status, _, _ := get(t, m.Handler(failing), tt.method, tt.path)
			if status != tt.wantStatus {
				t.Errorf("%s %s = %d; want %d", tt.method, tt.path, status, tt.wantStatus)
			}
		})
	}
}

// get sends one request to h over a real HTTP server.
func get(t *testing.T, h http.Handler, method, path string) (int, string, http.Header) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, nil)
	if err != nil {
		t.Fatalf("NewRequest: %v", err)
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return res.StatusCode, string(body), res.Header
}
