package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// buildResult is what a build worker prints.
type buildResult struct {
	Passages int     `json:"passages"`
	Seconds  float64 `json:"seconds"`
}

// askResult is what an ask worker prints. Latencies are of each question
// of the timed pass, in microseconds; memory is read from /proc/self/status
// after the timed pass (0 where there is none).
type askResult struct {
	OpenMS    float64   `json:"open_ms"`
	Latencies []float64 `json:"latencies_us"`
	Hits      int       `json:"hits"` // passages returned over the timed pass
	RSSAnonKB int64     `json:"rss_anon_kib"`
	RSSFileKB int64     `json:"rss_file_kib"`
}

// runWorker is `govbench worker build|ask SYSTEM CORPUS INDEX [QUESTIONS]`:
// one system, one job, in a process of its own, its result as one JSON
// object on stdout.
func runWorker(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) < 4 {
		return fmt.Errorf("worker: want build|ask SYSTEM CORPUS INDEX [QUESTIONS]")
	}
	op, name, corpusDir, index := args[0], args[1], args[2], args[3]
	sys, ok := systems[name]
	if !ok {
		return fmt.Errorf("worker: unknown system %q", name)
	}
	enc := json.NewEncoder(stdout)
	switch op {
	case "build":
		start := time.Now()
		n, err := sys.build(ctx, corpusDir, index)
		if err != nil {
			return fmt.Errorf("%s: build: %w", name, err)
		}
		return enc.Encode(buildResult{Passages: n, Seconds: time.Since(start).Seconds()})
	case "ask":
		if len(args) < 5 {
			return fmt.Errorf("worker ask: no questions file")
		}
		qs, err := readQuestions(args[4])
		if err != nil {
			return err
		}
		start := time.Now()
		a, err := sys.open(ctx, corpusDir, index)
		if err != nil {
			return fmt.Errorf("%s: open: %w", name, err)
		}
		defer a.close()
		res := askResult{OpenMS: float64(time.Since(start).Microseconds()) / 1000}
		for _, q := range qs { // warm-up: what is built on first use is not timed
			if _, err := a.ask(ctx, q); err != nil {
				return fmt.Errorf("%s: ask %q: %w", name, q, err)
			}
		}
		res.Latencies = make([]float64, 0, len(qs))
		for _, q := range qs {
			t := time.Now()
			n, err := a.ask(ctx, q)
			res.Latencies = append(res.Latencies, float64(time.Since(t).Nanoseconds())/1000)
			if err != nil {
				return fmt.Errorf("%s: ask %q: %w", name, q, err)
			}
			res.Hits += n
		}
		res.RSSAnonKB, _ = procStatusKiB("RssAnon")
		res.RSSFileKB, _ = procStatusKiB("RssFile")
		return enc.Encode(res)
	default:
		return fmt.Errorf("worker: unknown job %q", op)
	}
}

// procStatusKiB reads a "Field:  1234 kB" line of /proc/self/status.
func procStatusKiB(field string) (int64, bool) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// percentile is the p-th percentile of xs (nearest rank); xs is sorted in place.
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	i := int(float64(len(xs))*p/100+0.999999) - 1
	return xs[min(max(i, 0), len(xs)-1)]
}

// median of xs (sorted in place); 0 for none.
func median(xs []float64) float64 { return percentile(xs, 50) }
