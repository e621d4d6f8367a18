package library

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/govbot-dev/govbot/knowledge"
	"github.com/govbot-dev/govbot/knowledge/synthetic"
)

// guildDocs returns n documents of about 300 words each, different for
// every seed, as a server's own documents would be.
func guildDocs(n int, seed uint64) [][]byte {
	c := synthetic.New(n*4, seed)
	out := make([][]byte, n)
	for i := range out {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: Notes %d of server %d\n---\n", i, seed)
		for p := i * 4; p < i*4+4; p++ {
			text, _, _ := c.Passage(p)
			b.WriteString(text + "\n\n")
		}
		out[i] = []byte(b.String())
	}
	return out
}

// fillGuilds gives each of n guilds docs documents of its own.
func fillGuilds(b *testing.B, l *Library, n, docs int) []string {
	b.Helper()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = strconv.Itoa(400000000000000000 + i)
		for j, d := range guildDocs(docs, uint64(i+1)) {
			if _, err := l.Add(context.Background(), knowledge.Scope{Guild: ids[i]}, fmt.Sprintf("notes-%d.md", j), d, AddOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	}
	return ids
}

// BenchmarkGuildMemory reports what one loaded guild collection of 10
// documents costs: Go heap and resident memory (the index's segments are
// memory-mapped, so RSS counts what heap does not), per guild, over 40
// guilds loaded from disk into a fresh Library.
func BenchmarkGuildMemory(b *testing.B) {
	const guilds, docs = 40, 10
	kb := seedDir(b)
	data, index := b.TempDir(), b.TempDir()
	cfg := Config{Base: knowledge.Config{CorpusDir: kb, IndexDir: index}, DataDir: data, MaxOpen: guilds}
	ctx := context.Background()
	l, _, err := Open(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	ids := fillGuilds(b, l, guilds, docs)
	l.Close()
	for b.Loop() {
		l, _, err := Open(ctx, cfg)
		if err != nil {
			b.Fatal(err)
		}
		// Warm the base and one guild, so that only per-guild costs count.
		if _, err := l.Ask(ctx, knowledge.Scope{Guild: ids[0]}, "What was the Wuzhen Declaration?", knowledge.AskOptions{}); err != nil {
			b.Fatal(err)
		}
		heap0, rss0 := memNow()
		for _, id := range ids[1:] {
			if _, err := l.Ask(ctx, knowledge.Scope{Guild: id}, "What was the Wuzhen Declaration?", knowledge.AskOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		heap1, rss1 := memNow()
		if n := l.openGuilds(); n != guilds {
			b.Fatalf("%d guild collections open; want %d", n, guilds)
		}
		b.ReportMetric(float64(heap1-heap0)/float64(guilds-1)/(1<<20), "heap-MiB/guild")
		b.ReportMetric(float64(rss1-rss0)/float64(guilds-1)/(1<<20), "rss-MiB/guild")
		l.Close()
	}
}

// memNow returns the Go heap in use after a collection and the resident
// set size, in bytes.
func memNow() (heap, rss int64) {
	runtime.GC()
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	heap = int64(ms.HeapAlloc)
	if b, err := os.ReadFile("/proc/self/statm"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 1 {
			pages, _ := strconv.ParseInt(f[1], 10, 64)
			rss = pages * int64(os.Getpagesize())
		}
	}
	return heap, rss
}

// BenchmarkAskScopes compares ask latency in the base scope (a DM), in a
// guild that only hid a document, and in a guild with 10 documents of its
// own (read with the base as one corpus), over the dev questions.
func BenchmarkAskScopes(b *testing.B) {
	ctx := context.Background()
	l, _, err := Open(ctx, Config{Base: knowledge.Config{CorpusDir: seedDir(b), IndexDir: b.TempDir()}, DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	own := fillGuilds(b, l, 1, 10)[0]
	const hider = "499999999999999999"
	if _, err := l.Remove(ctx, knowledge.Scope{Guild: hider}, "soft-power-is-hard"); err != nil {
		b.Fatal(err)
	}
	questions := devQuestions(b)
	for _, sc := range []struct {
		name  string
		scope knowledge.Scope
	}{
		{"base", knowledge.Scope{}},
		{"guild-hidden-only", knowledge.Scope{Guild: hider}},
		{"guild-10-docs", knowledge.Scope{Guild: own}},
	} {
		b.Run(sc.name, func(b *testing.B) {
			var lat []time.Duration
			for b.Loop() {
				for _, q := range questions {
					start := time.Now()
					if _, err := l.Ask(ctx, sc.scope, q, knowledge.AskOptions{}); err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(start))
				}
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

func devQuestions(b *testing.B) []string {
	f, err := os.Open("../testdata/eval/dev.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var it struct {
			Q string `json:"q"`
		}
		if json.Unmarshal(sc.Bytes(), &it) == nil && it.Q != "" {
			out = append(out, it.Q)
		}
	}
	return out
}
