// Package metrics exports govbot's Prometheus metrics and its health checks.
//
// A *Metrics owns its own prometheus.Registry: nothing is registered with the
// client library's default registry, and two Metrics in one process (as in
// tests) do not see each other. A nil *Metrics is valid and every method on it
// does nothing, so the bot runs unchanged when metrics are off.
//
// Handler serves /metrics, /healthz and /readyz; Serve runs it on an address,
// bound to loopback by default (see ListenAddr), until its context ends.
package metrics

import (
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Options configures New. The zero value is ready to use.
type Options struct {
	// Version is exported as the "version" label of govbot_build_info.
	// Empty means "unknown".
	Version string
}

// Metrics records what govbot does. All methods are safe for concurrent use,
// and all are no-ops on a nil *Metrics.
type Metrics struct {
	registry *prometheus.Registry

	questions *prometheus.CounterVec   // command, outcome
	latency   *prometheus.HistogramVec // command
	documents prometheus.Gauge
	passages  prometheus.Gauge
	built     prometheus.Gauge
	reloads   *prometheus.CounterVec // result
	uploads   *prometheus.CounterVec // result
	reconnect prometheus.Counter
	connected prometheus.Gauge
	votes     *prometheus.CounterVec // vote

	// gateway mirrors govbot_gateway_connected for /readyz.
	gateway atomic.Bool
}

// latencyBuckets spans 1 ms (a cached answer) to 5 s (a slow search under
// load), in seconds.
func latencyBuckets() []float64 {
	return []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}
}

// New returns Metrics registered with a new registry that also holds the Go
// runtime and process collectors. Every known label combination starts at 0,
// so rates and alerts work before the first event.
func New(opts Options) *Metrics {
	version := opts.Version
	if version == "" {
		version = unknown
	}
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		questions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govbot_questions_total",
			Help: "Questions received, by command (ask, search, mention, auto) and outcome (answered, abstained, rate_limited, error, invalid).",
		}, []string{"command", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "govbot_answer_duration_seconds",
			Help:    "Time from receiving a question to replying, by command; questions refused as rate_limited or invalid are not observed.",
			Buckets: latencyBuckets(),
		}, []string{"command"}),
		documents: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "govbot_index_documents",
			Help: "Documents in the serving index.",
		}),
		passages: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "govbot_index_passages",
			Help: "Passages in the serving index.",
		}),
		built: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "govbot_index_built_timestamp_seconds",
			Help: "Unix time the serving index was built; 0 if unknown.",
		}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govbot_reloads_total",
			Help: "Knowledge base reloads, by result (ok, unchanged, rejected, failed).",
		}, []string{"result"}),
		uploads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govbot_uploads_total",
			Help: "Document uploads, by result (ok, unchanged, rejected, failed).",
		}, []string{"result"}),
		reconnect: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "govbot_gateway_reconnects_total",
			Help: "Times the Discord gateway connection was re-established.",
		}),
		connected: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "govbot_gateway_connected",
			Help: "1 while the Discord gateway is connected, else 0.",
		}),
		votes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govbot_feedback_votes_total",
			Help: "Feedback votes on answers, by vote (up, down).",
		}, []string{"vote"}),
	}
	buildInfo := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "govbot_build_info",
		Help:        "Always 1; the version label names the running build.",
		ConstLabels: prometheus.Labels{"version": version},
	})
	buildInfo.Set(1)

	m.registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		buildInfo,
		m.questions, m.latency,
		m.documents, m.passages, m.built,
		m.reloads, m.uploads,
		m.reconnect, m.connected,
		m.votes,
	)

	for _, c := range allCommands() {
		m.latency.WithLabelValues(string(c))
		for _, o := range allOutcomes() {
			m.questions.WithLabelValues(string(c), string(o))
		}
	}
	for _, r := range allResults() {
		m.reloads.WithLabelValues(string(r))
		m.uploads.WithLabelValues(string(r))
	}
	m.votes.WithLabelValues("up")
	m.votes.WithLabelValues("down")
	return m
}

// ObserveQuestion counts one question by command and outcome and, unless it
// was refused or small talk (OutcomeRateLimited, OutcomeInvalid,
// OutcomeSmallTalk) and so never searched,
// observes d, the time from receiving it to replying, in the latency
// histogram. Unknown commands and outcomes are recorded as "unknown"; a
// negative d is recorded as 0.
func (m *Metrics) ObserveQuestion(c Command, o Outcome, d time.Duration) {
	if m == nil {
		return
	}
	cmd := label(c, allCommands())
	m.questions.WithLabelValues(cmd, label(o, allOutcomes())).Inc()
	if o == OutcomeRateLimited || o == OutcomeInvalid || o == OutcomeSmallTalk {
		return
	}
	m.latency.WithLabelValues(cmd).Observe(max(d, 0).Seconds())
}

// SetIndex records the size of the index now serving and when it was built.
// A zero built time is exported as 0.
func (m *Metrics) SetIndex(docs, passages int, built time.Time) {
	if m == nil {
		return
	}
	m.documents.Set(float64(docs))
	m.passages.Set(float64(passages))
	if built.IsZero() {
		m.built.Set(0)
		return
	}
	m.built.Set(float64(built.UnixNano()) / 1e9)
}

// Reload counts one knowledge base reload by result.
func (m *Metrics) Reload(r Result) {
	if m == nil {
		return
	}
	m.reloads.WithLabelValues(label(r, allResults())).Inc()
}

// Upload counts one document upload by result.
func (m *Metrics) Upload(r Result) {
	if m == nil {
		return
	}
	m.uploads.WithLabelValues(label(r, allResults())).Inc()
}

// GatewayConnected records whether the Discord gateway is connected; call it
// with true on READY or RESUMED and false on disconnect. /readyz fails until
// it has been called with true.
func (m *Metrics) GatewayConnected(up bool) {
	if m == nil {
		return
	}
	m.gateway.Store(up)
	if up {
		m.connected.Set(1)
	} else {
		m.connected.Set(0)
	}
}

// GatewayReconnect counts one re-established gateway connection (not the
// first). It does not change the connected state; call GatewayConnected too.
func (m *Metrics) GatewayReconnect() {
	if m == nil {
		return
	}
	m.reconnect.Inc()
}

// Vote counts one feedback vote on an answer: up when true, down when false.
func (m *Metrics) Vote(up bool) {
	if m == nil {
		return
	}
	v := "down"
	if up {
		v = "up"
	}
	m.votes.WithLabelValues(v).Inc()
}
