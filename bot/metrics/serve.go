package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Server limits. Scrapes and probes are small and come from a trusted
// network; these only stop a stuck or slow client from holding a connection.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 60 * time.Second
	maxHeaderBytes    = 16 << 10
	shutdownTimeout   = 5 * time.Second
)

// ErrBadAddr is wrapped by the errors ListenAddr and Serve return for an
// address that is not host:port.
var ErrBadAddr = errors.New("not host:port")

// ListenAddr returns the address Serve listens on for addr, the value of
// METRICS_ADDR. Metrics are bound to loopback by default: an address without
// a host (":9090") becomes "127.0.0.1:9090". Any host the operator writes is
// kept as written, so "0.0.0.0:9090" or "[::]:9090" listen on every interface
// and "10.0.0.5:9090" on one. The port must be a number from 0 to 65535 (0
// picks a free port). An empty addr, or one without a port, is an error
// wrapping ErrBadAddr.
func ListenAddr(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("metrics address %q: %w", addr, ErrBadAddr)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return "", fmt.Errorf("metrics address %q: port %q: %w", addr, port, ErrBadAddr)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port), nil
}

// Serve listens on ListenAddr(addr) and serves h until ctx is cancelled, then
// shuts down gracefully: it stops accepting, lets requests in flight finish
// for up to a few seconds, and returns. It returns nil after a clean shutdown
// (or at once if ctx is already done), and a wrapped error if addr is bad, it
// cannot listen, serving fails, or shutdown times out. The bound address is
// logged as "addr" in the "metrics listening" record. A nil logger discards.
func Serve(ctx context.Context, addr string, h http.Handler, logger *slog.Logger) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	listen, err := ListenAddr(addr)
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return nil
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", listen)
	if err != nil {
		return fmt.Errorf("listen for metrics on %s: %w", listen, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	bound := ln.Addr().String()
	logger.Info("metrics listening", "addr", bound)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }() // closes ln when it returns

	select {
	case err := <-served:
		return fmt.Errorf("serve metrics on %s: %w", bound, err)
	case <-ctx.Done():
	}

	logger.Info("metrics shutting down", "addr", bound)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		<-served
		return fmt.Errorf("shut down metrics server on %s: %w", bound, err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve metrics on %s: %w", bound, err)
	}
	return nil
}
