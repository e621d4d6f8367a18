package bot_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/bot"
	"github.com/govbot-dev/govbot/bot/discordtest"
	"github.com/govbot-dev/govbot/bot/metrics"
)

// scrape reads one sample from the metrics handler's text exposition:
// the value of the series "name{labels}" (labels as written, sorted by
// name), 0 when it is absent.
func scrape(t testing.TB, h http.Handler, series string) float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`)
	m := re.FindSubmatch(body)
	if m == nil {
		return 0
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		t.Fatalf("%s: %v", series, err)
	}
	return v
}

func probe(h http.Handler, path string) int {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code
}

// waitMetric waits until the series reaches want: some are recorded just
// after the user sees the reply.
func waitMetric(ctx context.Context, t *testing.T, h http.Handler, series string, want float64) {
	t.Helper()
	for {
		got := scrape(t, h, series)
		if got == want {
			return
		}
		select {
		case <-ctx.Done():
			t.Errorf("%s = %v; want %v", series, got, want)
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func TestMetricsCountQuestionsReloadsAndTheGateway(t *testing.T) {
	m := metrics.New(metrics.Options{})
	h := m.Handler(nil)
	if code := probe(h, "/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz before connecting = %d; want 503", code)
	}
	hs := start(t, setup{cfg: bot.Config{RatePerMinute: 1, RateBurst: 1}, botOpts: []bot.Option{bot.WithMetrics(m)}})
	ctx := ctxT(t)
	user := func(i int) discordtest.Member {
		return discordtest.Member{UserID: fmt.Sprintf("11850000000002%04d", i), Username: fmt.Sprintf("asker%d", i)}
	}
	if code := probe(h, "/readyz"); code != http.StatusOK {
		t.Errorf("/readyz once connected = %d; want 200", code)
	}
	if got := scrape(t, h, "govbot_index_documents"); got != float64(len(engine.Sources())) {
		t.Errorf("govbot_index_documents = %v; want %d", got, len(engine.Sources()))
	}

	hs.ask(ctx, answeredQuestion, user(1))
	hs.ask(ctx, "Who won the 1998 football world cup final?", user(2))
	hs.ask(ctx, "   ", user(3))
	hs.ask(ctx, answeredQuestion, user(4)) // user 4's only token
	hs.ask(ctx, answeredQuestion, user(4)) // over the limit
	ix, err := hs.srv.SlashCommand(ctx, "search", []discordtest.Option{{Name: "query", Value: "internet sovereignty"}}, user(5), "")
	if err != nil {
		t.Fatal(err)
	}
	hs.final(ctx, ix)
	q, err := hs.srv.PostMessage(ctx, &discordgo.Message{ChannelID: hs.srv.ChannelID(),
		Author: &discordgo.User{ID: user(6).UserID}, Content: "<@" + hs.srv.BotUserID() + "> " + answeredQuestion})
	if err != nil {
		t.Fatal(err)
	}
	hs.waitReplyTo(ctx, q)

	for series, want := range map[string]float64{
		`govbot_questions_total{command="ask",outcome="answered"}`:     2,
		`govbot_questions_total{command="ask",outcome="abstained"}`:    1,
		`govbot_questions_total{command="ask",outcome="invalid"}`:      1,
		`govbot_questions_total{command="ask",outcome="rate_limited"}`: 1,
		`govbot_questions_total{command="ask",outcome="error"}`:        0,
		`govbot_questions_total{command="search",outcome="answered"}`:  1,
		`govbot_questions_total{command="mention",outcome="answered"}`: 1,
		`govbot_answer_duration_seconds_count{command="ask"}`:          3,
		`govbot_answer_duration_seconds_count{command="mention"}`:      1,
		`govbot_gateway_connected`:                                     1,
		`govbot_gateway_reconnects_total`:                              0,
	} {
		waitMetric(ctx, t, h, series, want)
	}

	// An admin's reload of an unchanged corpus; a member's is refused.
	for _, who := range []discordtest.Member{admin, member} {
		ix, err := hs.srv.SlashCommand(ctx, "kb", []discordtest.Option{{Name: "reload"}}, who, "")
		if err != nil {
			t.Fatal(err)
		}
		hs.final(ctx, ix)
	}
	waitMetric(ctx, t, h, `govbot_reloads_total{result="unchanged"}`, 1)
	waitMetric(ctx, t, h, `govbot_reloads_total{result="rejected"}`, 1)

	// A dropped gateway: disconnected, then resumed and counted.
	hs.srv.DropGateway()
	hs.ask(ctx, answeredQuestion, user(7))
	waitMetric(ctx, t, h, `govbot_gateway_reconnects_total`, 1)
	waitMetric(ctx, t, h, `govbot_gateway_connected`, 1)
	if code := probe(h, "/readyz"); code != http.StatusOK {
		t.Errorf("/readyz after the resume = %d; want 200", code)
	}
	hs.shutdown()
	waitMetric(ctx, t, h, `govbot_gateway_connected`, 0)
	if code := probe(h, "/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz after shutdown = %d; want 503", code)
	}
	waitMetric(ctx, t, h, `govbot_questions_total{command="ask",outcome="answered"}`, 3)
}
