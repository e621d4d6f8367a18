package metrics

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Handler serves:
//
//   - GET /metrics: the registry in the Prometheus text or OpenMetrics format;
//   - GET /healthz: 200 "ok" whenever the process can answer;
//   - GET /readyz: 200 "ok" when the gateway is connected (see
//     GatewayConnected) and indexCheck returns nil, else 503 with a one-line
//     reason ("gateway not connected", "index: <error>").
//
// indexCheck is called on every /readyz request and must be cheap and safe
// for concurrent use; nil means the index is not checked. Other paths get 404.
// On a nil *Metrics, Handler returns a handler that answers 404 to everything.
func (m *Metrics) Handler(indexCheck func() error) http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.InstrumentMetricHandler(m.registry,
		promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{
			Registry:          m.registry, // counts promhttp_metric_handler_errors_total
			ErrorHandling:     promhttp.ContinueOnError,
			EnableOpenMetrics: true,
		})))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		plain(w, http.StatusOK, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if ok, reason := m.ready(indexCheck); !ok {
			plain(w, http.StatusServiceUnavailable, reason)
			return
		}
		plain(w, http.StatusOK, "ok")
	})
	return mux
}

// ready reports whether govbot can answer questions and, if not, why.
func (m *Metrics) ready(indexCheck func() error) (bool, string) {
	if !m.gateway.Load() {
		return false, "gateway not connected"
	}
	if indexCheck != nil {
		if err := indexCheck(); err != nil {
			return false, "index: " + strings.Join(strings.Fields(err.Error()), " ")
		}
	}
	return true, ""
}

// plain writes a one-line text/plain response that no cache keeps.
func plain(w http.ResponseWriter, status int, body string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	fmt.Fprintln(w, body)
}
