package metrics

import (
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
)

// find returns the sample of metric name whose labels include want, or nil.
func find(t *testing.T, m *Metrics, name string, want map[string]string) *dto.Metric {
	t.Helper()
	families, err := m.registry.Gather()
	if err != nil {
		t.Fatalf("Gather: %v", err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	next:
		for _, s := range f.GetMetric() {
			got := map[string]string{}
			for _, l := range s.GetLabel() {
				got[l.GetName()] = l.GetValue()
			}
			for k, v := range want {
				if got[k] != v {
					continue next
				}
			}
			return s
		}
	}
	return nil
}

func TestObserveQuestion(t *testing.T) {
	tests := []struct {
		name        string
		command     Command
		outcome     Outcome
		d           time.Duration
		wantCommand string
		wantOutcome string
		wantLatency bool
		wantSum     float64
	}{
		{"answered ask", CommandAsk, OutcomeAnswered, 250 * time.Millisecond, "ask", "answered", true, 0.25},
		{"abstained search", CommandSearch, OutcomeAbstained, 2 * time.Millisecond, "search", "abstained", true, 0.002},
		{"error mention", CommandMention, OutcomeError, 5 * time.Second, "mention", "error", true, 5},
		{"rate limited auto", CommandAuto, OutcomeRateLimited, time.Millisecond, "auto", "rate_limited", false, 0},
		{"invalid ask", CommandAsk, OutcomeInvalid, time.Millisecond, "ask", "invalid", false, 0},
		{"negative duration", CommandAsk, OutcomeAnswered, -time.Second, "ask", "answered", true, 0},
		{"unknown command", Command("slash"), OutcomeAnswered, time.Second, "unknown", "answered", true, 1},
		{"unknown outcome", CommandAsk, Outcome("maybe"), time.Second, "ask", "unknown", true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(Options{})
			m.ObserveQuestion(tt.command, tt.outcome, tt.d)

			q := find(t, m, "govbot_questions_total", map[string]string{"command": tt.wantCommand, "outcome": tt.wantOutcome})
			if q == nil || q.GetCounter().GetValue() != 1 {
				t.Fatalf("ObserveQuestion(%q, %q): govbot_questions_total{command=%q,outcome=%q} = %v; want 1",
					tt.command, tt.outcome, tt.wantCommand, tt.wantOutcome, q.GetCounter().GetValue())
			}

			h := find(t, m, "govbot_answer_duration_seconds", map[string]string{"command": tt.wantCommand})
			var count uint64
			var sum float64
			if h != nil {
				count, sum = h.GetHistogram().GetSampleCount(), h.GetHistogram().GetSampleSum()
			}
			wantCount := uint64(0)
			if tt.wantLatency {
				wantCount = 1
			}
			if count != wantCount || sum != tt.wantSum {
				t.Errorf("ObserveQuestion(%q, %q, %v): latency{command=%q} count, sum = %d, %v; want %d, %v",
					tt.command, tt.outcome, tt.d, tt.wantCommand, count, sum, wantCount, tt.wantSum)
			}
		})
	}
}

func TestLatencyBuckets(t *testing.T) {
	b := latencyBuckets()
	if b[0] != 0.001 || b[len(b)-1] != 5 {
		t.Errorf("latencyBuckets() = %v; want 0.001 … 5", b)
	}
	for i := 1; i < len(b); i++ {
		if b[i] <= b[i-1] {
			t.Errorf("latencyBuckets() = %v; not increasing at %d", b, i)
		}
	}
}

func TestSetIndex(t *testing.T) {
	built := time.Date(2025, 3, 1, 12, 0, 0, 500_000_000, time.UTC)
	tests := []struct {
		name      string
		docs      int
		passages  int
		built     time.Time
		wantBuilt float64
	}{
		{"built", 42, 1234, built, float64(built.Unix()) + 0.5},
		{"unknown build time", 3, 7, time.Time{}, 0},
		{"empty", 0, 0, time.Time{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(Options{})
			m.SetIndex(99, 99, time.Unix(1, 0)) // overwritten below
			m.SetIndex(tt.docs, tt.passages, tt.built)
			if got := testutil.ToFloat64(m.documents); got != float64(tt.docs) {
				t.Errorf("govbot_index_documents = %v; want %d", got, tt.docs)
			}
			if got := testutil.ToFloat64(m.passages); got != float64(tt.passages) {
				t.Errorf("govbot_index_passages = %v; want %d", got, tt.passages)
			}
			if got := testutil.ToFloat64(m.built); got != tt.wantBuilt {
				t.Errorf("govbot_index_built_timestamp_seconds = %v; want %v", got, tt.wantBuilt)
			}
		})
	}
}

func TestCounters(t *testing.T) {
	tests := []struct {
		name   string
		record func(*Metrics)
		metric string
		labels map[string]string
		want   float64
	}{
		{"reload ok", func(m *Metrics) { m.Reload(ResultOK); m.Reload(ResultOK) }, "govbot_reloads_total", map[string]string{"result": "ok"}, 2},
		{"reload unchanged", func(m *Metrics) { m.Reload(ResultUnchanged) }, "govbot_reloads_total", map[string]string{"result": "unchanged"}, 1},
		{"reload failed", func(m *Metrics) { m.Reload(ResultFailed) }, "govbot_reloads_total", map[string]string{"result": "failed"}, 1},
		{"reload unknown", func(m *Metrics) { m.Reload("partial") }, "govbot_reloads_total", map[string]string{"result": "unknown"}, 1},
		{"upload ok", func(m *Metrics) { m.Upload(ResultOK) }, "govbot_uploads_total", map[string]string{"result": "ok"}, 1},
		{"upload rejected", func(m *Metrics) { m.Upload(ResultRejected) }, "govbot_uploads_total", map[string]string{"result": "rejected"}, 1},
		{"upload not a reload", func(m *Metrics) { m.Upload(ResultOK) }, "govbot_reloads_total", map[string]string{"result": "ok"}, 0},
		{"vote up", func(m *Metrics) { m.Vote(true) }, "govbot_feedback_votes_total", map[string]string{"vote": "up"}, 1},
		{"vote down", func(m *Metrics) { m.Vote(false); m.Vote(false) }, "govbot_feedback_votes_total", map[string]string{"vote": "down"}, 2},
		{"reconnects", func(m *Metrics) { m.GatewayReconnect(); m.GatewayReconnect() }, "govbot_gateway_reconnects_total", nil, 2},
		{"reconnect leaves connected alone", func(m *Metrics) { m.GatewayReconnect() }, "govbot_gateway_connected", nil, 0},
		{"connected", func(m *Metrics) { m.GatewayConnected(true) }, "govbot_gateway_connected", nil, 1},
		{"disconnected", func(m *Metrics) { m.GatewayConnected(true); m.GatewayConnected(false) }, "govbot_gateway_connected", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(Options{})
			tt.record(m)
			s := find(t, m, tt.metric, tt.labels)
			if s == nil {
				t.Fatalf("%s%v: not exported", tt.metric, tt.labels)
			}
			got := s.GetCounter().GetValue() + s.GetGauge().GetValue()
			if got != tt.want {
				t.Errorf("%s%v = %v; want %v", tt.metric, tt.labels, got, tt.want)
			}
		})
	}
}

// TestExposition scrapes /metrics and checks the names, labels and values an
// operator's dashboards and alerts depend on.
func TestExposition(t *testing.T) {
	m := New(Options{Version: "v1.2.3"})
	m.ObserveQuestion(CommandAsk, OutcomeAnswered, 30*time.Millisecond)
	m.ObserveQuestion(CommandMention, OutcomeRateLimited, 0)
	m.SetIndex(12, 345, time.Unix(1700000000, 0))
	m.Reload(ResultOK)
	m.Upload(ResultFailed)
	m.GatewayConnected(true)
	m.GatewayReconnect()
	m.Vote(true)

	srv := httptest.NewServer(m.Handler(nil))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatalf("GET /metrics: %v", err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read /metrics: %v", err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: status %d; want 200", res.StatusCode)
	}
	text := string(body)

	want := []string{
		`# TYPE govbot_questions_total counter`,
		`govbot_questions_total{command="ask",outcome="answered"} 1`,
		`govbot_questions_total{command="mention",outcome="rate_limited"} 1`,
		`govbot_questions_total{command="auto",outcome="error"} 0`, // pre-created
		`# TYPE govbot_answer_duration_seconds histogram`,
		`govbot_answer_duration_seconds_bucket{command="ask",le="0.05"} 1`,
		`govbot_answer_duration_seconds_bucket{command="ask",le="0.025"} 0`,
		`govbot_answer_duration_seconds_count{command="ask"} 1`,
		`govbot_answer_duration_seconds_count{command="mention"} 0`,
		`govbot_index_documents 12`,
		`govbot_index_passages 345`,
		`govbot_index_built_timestamp_seconds 1.7e+09`,
		`govbot_reloads_total{result="ok"} 1`,
		`govbot_reloads_total{result="failed"} 0`,
		`govbot_uploads_total{result="failed"} 1`,
		`govbot_gateway_reconnects_total 1`,
		`govbot_gateway_connected 1`,
		`govbot_feedback_votes_total{vote="up"} 1`,
		`govbot_feedback_votes_total{vote="down"} 0`,
		`govbot_build_info{version="v1.2.3"} 1`,
		`# TYPE go_goroutines gauge`,
	}
	if runtime.GOOS == "linux" {
		want = append(want, `# TYPE process_resident_memory_bytes gauge`)
	}
	for _, w := range want {
		if !strings.Contains(text, w+"\n") {
			t.Errorf("GET /metrics: no line %q", w)
		}
	}
	if t.Failed() {
		t.Logf("GET /metrics:\n%s", text)
	}
}

func TestBuildInfoUnknownVersion(t *testing.T) {
	m := New(Options{})
	if find(t, m, "govbot_build_info", map[string]string{"version": "unknown"}) == nil {
		t.Errorf(`New(Options{}): no govbot_build_info{version="unknown"}`)
	}
}

// TestRegistriesIndependent guards against package-level state: two Metrics
// do not share series.
func TestRegistriesIndependent(t *testing.T) {
	a, b := New(Options{}), New(Options{})
	a.Vote(true)
	if got := testutil.ToFloat64(b.votes.WithLabelValues("up")); got != 0 {
		t.Errorf("vote on a seen by b: %v; want 0", got)
	}
}

// TestNil calls every method on a nil *Metrics; none may panic.
func TestNil(t *testing.T) {
	var m *Metrics
	m.ObserveQuestion(CommandAsk, OutcomeAnswered, time.Second)
	m.SetIndex(1, 2, time.Now())
	m.Reload(ResultOK)
	m.Upload(ResultFailed)
	m.GatewayConnected(true)
	m.GatewayReconnect()
	m.Vote(true)

	rec := httptest.NewRecorder()
	m.Handler(nil).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("nil Metrics: GET /metrics status %d; want 404", rec.Code)
	}
}

func TestConcurrentUse(t *testing.T) {
	m := New(Options{})
	srv := httptest.NewServer(m.Handler(nil))
	defer srv.Close()
	done := make(chan struct{})
	for i := range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 100 {
				m.ObserveQuestion(CommandAsk, OutcomeAnswered, time.Millisecond)
				m.GatewayConnected(i%2 == 0)
				m.SetIndex(i, i, time.Now())
			}
		}()
	}
	for range 3 {
		res, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatalf("GET /readyz: %v", err)
		}
		res.Body.Close()
	}
	for range 8 {
		<-done
	}
	if got := testutil.ToFloat64(m.questions.WithLabelValues("ask", "answered")); got != 800 {
		t.Errorf("questions{ask,answered} = %v; want 800", got)
	}
}
