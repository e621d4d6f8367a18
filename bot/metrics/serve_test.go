package metrics

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"syscall"
	"testing"
)

func TestListenAddr(t *testing.T) {
	tests := []struct {
		addr    string
		want    string
		wantErr bool
	}{
		{":9090", "127.0.0.1:9090", false},
		{":0", "127.0.0.1:0", false},
		{"127.0.0.1:9090", "127.0.0.1:9090", false},
		{"0.0.0.0:9090", "0.0.0.0:9090", false},
		{"[::]:9090", "[::]:9090", false},
		{"[::1]:9090", "[::1]:9090", false},
		{"localhost:9090", "localhost:9090", false},
		{"10.0.0.5:9090", "10.0.0.5:9090", false},
		{"", "", true},
		{"9090", "", true},
		{"127.0.0.1", "", true},
		{":http", "", true},
		{":65536", "", true},
		{":-1", "", true},
		{"::9090", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			got, err := ListenAddr(tt.addr)
			if tt.wantErr {
				if !errors.Is(err, ErrBadAddr) {
					t.Errorf("ListenAddr(%q) = %q, %v; want an error wrapping ErrBadAddr", tt.addr, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ListenAddr(%q) = %q, %v; want %q, nil", tt.addr, got, err, tt.want)
			}
		})
	}
}

// logSink is a slog.Handler that hands each record to the test.
type logSink chan slog.Record

func (s logSink) Enabled(context.Context, slog.Level) bool      { return true }
func (s logSink) Handle(_ context.Context, r slog.Record) error { s <- r.Clone(); return nil }
func (s logSink) WithAttrs([]slog.Attr) slog.Handler            { return s }
func (s logSink) WithGroup(string) slog.Handler                 { return s }

// await returns the value of attr key on the next record with message msg.
func (s logSink) await(t *testing.T, msg, key string) string {
	t.Helper()
	for r := range s {
		if r.Message != msg {
			continue
		}
		var v string
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == key {
				v = a.Value.String()
			}
			return true
		})
		return v
	}
	t.Fatalf("log closed before %q", msg)
	return ""
}

// TestServe runs Serve on ":0", checks that it bound loopback and serves, and
// that cancelling its context stops it cleanly.
func TestServe(t *testing.T) {
	m := New(Options{})
	logs := make(logSink, 64)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ":0", m.Handler(nil), slog.New(logs)) }()

	addr := logs.await(t, "metrics listening", "addr")
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("logged addr %q: %v", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		t.Errorf("Serve(%q) bound %s; want a loopback address", ":0", addr)
	}

	res, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatalf("GET /healthz: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz = %d; want 200", res.StatusCode)
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve after cancel = %v; want nil", err)
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Errorf("GET /healthz after shutdown succeeded; want the listener closed")
	}
}

// TestServeDrains cancels Serve while a request is in flight; the request
// still completes and Serve returns nil once it has.
func TestServeDrains(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(started)
		<-release
		io.WriteString(w, "done")
	})
	logs := make(logSink, 64)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, "127.0.0.1:0", h, slog.New(logs)) }()
	addr := logs.await(t, "metrics listening", "addr")

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		res, err := http.Get("http://" + addr + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		got <- result{string(b), err}
	}()

	<-started
	cancel()
	logs.await(t, "metrics shutting down", "addr")
	close(release)

	if r := <-got; r.err != nil || r.body != "done" {
		t.Errorf("request in flight at shutdown = %q, %v; want %q, nil", r.body, r.err, "done")
	}
	if err := <-done; err != nil {
		t.Errorf("Serve after cancel = %v; want nil", err)
	}
}

func TestServeErrors(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	defer busy.Close()

	tests := []struct {
		name string
		addr string
		want error
	}{
		{"address in use", busy.Addr().String(), syscall.EADDRINUSE},
		{"no port", "localhost", ErrBadAddr},
		{"empty", "", ErrBadAddr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Serve(t.Context(), tt.addr, http.NotFoundHandler(), nil)
			if !errors.Is(err, tt.want) {
				t.Errorf("Serve(%q) = %v; want an error wrapping %v", tt.addr, err, tt.want)
			}
		})
	}
}

func TestServeCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := Serve(ctx, ":0", http.NotFoundHandler(), nil); err != nil {
		t.Errorf("Serve with a cancelled context = %v; want nil", err)
	}
}
