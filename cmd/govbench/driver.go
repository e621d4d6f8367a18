package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// options are the driver's flags.
type options struct {
	sizes     []int
	corpus    string // an operator's corpus instead of synthetic sizes
	questions string // questions file (one a line, or .jsonl)
	nq        int    // synthetic questions per size
	runs      int    // ask processes per system
	cold      int    // cold-start processes per system
	dir       string
	systems   []string
	govbot    string
	fts5cli   string
	reuse     bool
	markdown  bool
}

func parseOptions(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("govbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := options{}
	sizes := fs.String("sizes", "1k,10k,100k", "synthetic corpus sizes in passages (k and m suffixes), comma-separated")
	fs.StringVar(&o.corpus, "corpus", "", "benchmark this corpus directory instead of synthetic ones (needs -questions)")
	fs.StringVar(&o.questions, "questions", "", "questions, one a line (or .jsonl with \"q\"); default: synthetic questions")
	fs.IntVar(&o.nq, "n", 1000, "synthetic questions per size")
	fs.IntVar(&o.runs, "runs", 3, "ask processes per system and size (medians are reported)")
	fs.IntVar(&o.cold, "cold", 10, "cold `govbot ask` and fts5cli processes per size (0: skip)")
	fs.StringVar(&o.dir, "dir", filepath.Join(os.TempDir(), "govbench"), "work directory: corpora and indexes are kept here")
	sys := fs.String("systems", strings.Join(systemOrder, ","), "systems to run")
	fs.StringVar(&o.govbot, "govbot", "", "govbot binary for cold starts (default: next to govbench, then $PATH)")
	fs.StringVar(&o.fts5cli, "fts5cli", "", "fts5cli binary for cold starts (default: next to govbench, then $PATH)")
	fs.BoolVar(&o.reuse, "reuse", false, "reuse indexes already built in -dir (no build figures)")
	fs.BoolVar(&o.markdown, "markdown", false, "also print govbot's ratios as a Markdown table")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.corpus == "" {
		for _, s := range strings.Split(*sizes, ",") {
			n, err := parseCount(s)
			if err != nil {
				return o, fmt.Errorf("-sizes: %w", err)
			}
			o.sizes = append(o.sizes, n)
		}
	} else if o.questions == "" {
		return o, errors.New("-corpus needs -questions")
	}
	for _, s := range strings.Split(*sys, ",") {
		if _, ok := systems[s]; !ok {
			return o, fmt.Errorf("-systems: unknown system %q", s)
		}
		o.systems = append(o.systems, s)
	}
	if o.runs < 1 {
		return o, errors.New("-runs must be at least 1")
	}
	return o, nil
}

// parseCount reads 1000, 10k or 1m.
func parseCount(s string) (int, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	mult := 1
	switch {
	case strings.HasSuffix(s, "k"):
		mult, s = 1000, strings.TrimSuffix(s, "k")
	case strings.HasSuffix(s, "m"):
		mult, s = 1000_000, strings.TrimSuffix(s, "m")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%q is not a passage count", s)
	}
	return n * mult, nil
}

// figures are one system's results at one size.
type figures struct {
	buildRate, buildPeakMiB, indexMiB float64
	buildCPU                          float64 // user+system seconds of the build process
	openMS, p50, p95, p99             float64 // milliseconds
	askPeakMiB, askAnonMiB            float64
	coldMS, coldPeakMiB               float64
	hits                              int
}

// driver runs the side-by-side benchmark.
type driver struct {
	o      options
	self   string
	stdout io.Writer
	stderr io.Writer
}

func runDriver(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseOptions(args, stderr)
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(o.dir, 0o755); err != nil {
		return err
	}
	d := driver{o: o, self: self, stdout: stdout, stderr: stderr}
	d.o.govbot = findBinary(o.govbot, self, "govbot")
	d.o.fts5cli = findBinary(o.fts5cli, self, "fts5cli")
	host, _ := os.Hostname()
	fmt.Fprintf(stdout, "govbench %s on %s: %s/%s, %d CPUs, %s\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"), host, runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	if o.corpus != "" {
		return d.size(ctx, o.corpus, o.questions, fmt.Sprintf("corpus %s", o.corpus))
	}
	for _, n := range o.sizes {
		fmt.Fprintf(stderr, "govbench: preparing the synthetic corpus of %d passages\n", n)
		dir, c, err := syntheticCorpus(o.dir, n)
		if err != nil {
			return err
		}
		qfile := o.questions
		if qfile == "" {
			qfile = filepath.Join(o.dir, fmt.Sprintf("questions-%d.txt", n))
			var b strings.Builder
			for _, q := range c.Questions(o.nq, 1) {
				b.WriteString(strings.ReplaceAll(q.Text, "\n", " ") + "\n")
			}
			if err := os.WriteFile(qfile, []byte(b.String()), 0o644); err != nil {
				return err
			}
		}
		if err := d.size(ctx, dir, qfile, fmt.Sprintf("%d synthetic passages", n)); err != nil {
			return err
		}
	}
	return nil
}

// findBinary returns flagValue, or name next to self, or name on $PATH, or "".
func findBinary(flagValue, self, name string) string {
	if flagValue != "" {
		return flagValue
	}
	if p := filepath.Join(filepath.Dir(self), name); fileExists(p) {
		return p
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	return ""
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// indexPath is where system keeps its index of the corpus in corpusDir.
func (d driver) indexPath(corpusDir, system string) string {
	base := filepath.Join(d.o.dir, "index-"+filepath.Base(corpusDir))
	if d.o.corpus != "" {
		base = filepath.Join(d.o.dir, "index-corpus")
	}
	if system == "fts5" {
		return filepath.Join(base, "fts5.db")
	}
	return filepath.Join(base, system)
}

// size benchmarks every system on one corpus and prints its table.
func (d driver) size(ctx context.Context, corpusDir, qfile, label string) error {
	figs := map[string]*figures{}
	for _, s := range d.o.systems {
		figs[s] = &figures{}
	}
	for _, s := range d.o.systems {
		index := d.indexPath(corpusDir, s)
		if d.o.reuse && fileExists(index) {
			continue
		}
		if err := removeIndex(index); err != nil {
			return err
		}
		fmt.Fprintf(d.stderr, "govbench: %s: building %s\n", label, s)
		var br buildResult
		ps, err := d.worker(ctx, &br, "build", s, corpusDir, index)
		if err != nil {
			return err
		}
		f := figs[s]
		f.buildRate = float64(br.Passages) / br.Seconds
		f.buildCPU = (ps.UserTime() + ps.SystemTime()).Seconds()
		f.buildPeakMiB = float64(peakRSSKiB(ps)) / 1024
		f.indexMiB = float64(dirSize(index)) / (1 << 20)
	}
	runs := map[string][]askResult{}
	peaks := map[string][]float64{}
	for r := 0; r < d.o.runs; r++ { // interleaved, so all see the same load
		for _, s := range d.o.systems {
			fmt.Fprintf(d.stderr, "govbench: %s: asking %s (run %d of %d)\n", label, s, r+1, d.o.runs)
			var ar askResult
			ps, err := d.worker(ctx, &ar, "ask", s, corpusDir, d.indexPath(corpusDir, s), qfile)
			if err != nil {
				return err
			}
			runs[s] = append(runs[s], ar)
			peaks[s] = append(peaks[s], float64(peakRSSKiB(ps))/1024)
		}
	}
	for _, s := range d.o.systems {
		f := figs[s]
		var open, p50, p95, p99, anon []float64
		for _, ar := range runs[s] {
			open = append(open, ar.OpenMS)
			p50 = append(p50, percentile(ar.Latencies, 50)/1000)
			p95 = append(p95, percentile(ar.Latencies, 95)/1000)
			p99 = append(p99, percentile(ar.Latencies, 99)/1000)
			anon = append(anon, float64(ar.RSSAnonKB)/1024)
			f.hits = ar.Hits
		}
		f.openMS, f.p50, f.p95, f.p99 = median(open), median(p50), median(p95), median(p99)
		f.askAnonMiB, f.askPeakMiB = median(anon), median(peaks[s])
	}
	if d.o.cold > 0 {
		qs, err := readQuestions(qfile)
		if err != nil {
			return err
		}
		if f := figs["govbot"]; f != nil && d.o.govbot != "" {
			env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + d.o.dir, "KNOWLEDGE_DIR=" + corpusDir,
				"INDEX_DIR=" + d.indexPath(corpusDir, "govbot"), "LOG_LEVEL=warn"}
			f.coldMS, f.coldPeakMiB, err = d.cold(ctx, qs, func(q string) *exec.Cmd {
				cmd := exec.CommandContext(ctx, d.o.govbot, "ask", "--json", q)
				cmd.Env, cmd.Dir = env, d.o.dir
				return cmd
			})
			if err != nil {
				return fmt.Errorf("cold govbot ask: %w", err)
			}
		}
		if f := figs["fts5"]; f != nil && d.o.fts5cli != "" {
			f.coldMS, f.coldPeakMiB, err = d.cold(ctx, qs, func(q string) *exec.Cmd {
				return exec.CommandContext(ctx, d.o.fts5cli, d.indexPath(corpusDir, "fts5"), q)
			})
			if err != nil {
				return fmt.Errorf("cold fts5cli: %w", err)
			}
		}
	}
	d.print(label, qfile, figs)
	return nil
}

func removeIndex(p string) error {
	for _, q := range []string{p, p + "-wal", p + "-shm"} {
		if err := os.RemoveAll(q); err != nil {
			return err
		}
	}
	return os.MkdirAll(filepath.Dir(p), 0o755)
}

// worker runs `govbench worker JOB SYSTEM ARGS...` and decodes its result into out.
func (d driver) worker(ctx context.Context, out any, job, system string, args ...string) (*os.ProcessState, error) {
	cmd := exec.CommandContext(ctx, d.self, append([]string{"worker", job, system}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s %s: %v\n%s", job, system, err, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		return nil, fmt.Errorf("%s %s: bad result %q: %w", job, system, stdout.String(), err)
	}
	return cmd.ProcessState, nil
}

// cold runs one process per question (after one untimed run that warms the
// page cache) and returns the median wall time and the largest peak RSS.
func (d driver) cold(ctx context.Context, qs []string, next func(string) *exec.Cmd) (ms, peakMiB float64, err error) {
	var wall []float64
	for i := 0; i <= d.o.cold; i++ {
		cmd := next(qs[i%len(qs)])
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		if err := cmd.Run(); err != nil {
			return 0, 0, fmt.Errorf("%v\n%s", err, out.String())
		}
		if i > 0 {
			wall = append(wall, float64(time.Since(start).Microseconds())/1000)
			peakMiB = max(peakMiB, float64(peakRSSKiB(cmd.ProcessState))/1024)
		}
	}
	return median(wall), peakMiB, nil
}

func (d driver) print(label, qfile string, figs map[string]*figures) {
	fmt.Fprintf(d.stdout, "\n%s; questions %s; medians of %d ask processes\n", label, qfile, d.o.runs)
	tw := tabwriter.NewWriter(d.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "system\tbuild/s\tbuild CPU s\tbuild peak MiB\tindex MiB\topen ms\tp50 ms\tp95 ms\tp99 ms\task peak MiB\task anon MiB\tcold ms\tcold MiB\thits\t")
	for _, s := range d.o.systems {
		f := figs[s]
		fmt.Fprintf(tw, "%s\t%.0f\t%.1f\t%.0f\t%.0f\t%.1f\t%.3f\t%.3f\t%.3f\t%.0f\t%.0f\t%.1f\t%.0f\t%d\t\n", s,
			f.buildRate, f.buildCPU, f.buildPeakMiB, f.indexMiB, f.openMS, f.p50, f.p95, f.p99, f.askPeakMiB, f.askAnonMiB, f.coldMS, f.coldPeakMiB, f.hits)
	}
	g := figs["govbot"]
	for _, s := range d.o.systems {
		if s == "govbot" || g == nil {
			continue
		}
		f := figs[s]
		fmt.Fprintf(tw, "govbot/%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\t\n", s,
			ratio(g.buildRate, f.buildRate), ratio(g.buildCPU, f.buildCPU), ratio(g.buildPeakMiB, f.buildPeakMiB), ratio(g.indexMiB, f.indexMiB),
			ratio(g.openMS, f.openMS), ratio(g.p50, f.p50), ratio(g.p95, f.p95), ratio(g.p99, f.p99),
			ratio(g.askPeakMiB, f.askPeakMiB), ratio(g.askAnonMiB, f.askAnonMiB), ratio(g.coldMS, f.coldMS), ratio(g.coldPeakMiB, f.coldPeakMiB))
	}
	tw.Flush()
	fmt.Fprintln(d.stdout, "(ratios are govbot's figure over the peer's: above 1 is more for govbot; build/s above 1 is faster)")
	if d.o.markdown && g != nil {
		fts, blv := figs["fts5"], figs["bleve"]
		if fts != nil && blv != nil {
			fmt.Fprintf(d.stdout, "\n| %s | build rate vs FTS5 | vs bleve | build peak vs bleve | answering peak vs FTS5 | vs bleve | open | p50 vs bleve | p99 vs bleve | p50 vs FTS5 | p99 vs FTS5 | cold ask vs FTS5 CLI |\n", label)
			fmt.Fprintln(d.stdout, "|---|---|---|---|---|---|---|---|---|---|---|---|")
			fmt.Fprintf(d.stdout, "| | %s× | %s× | %s× | %s× | %s× | %.1f ms | %s× | %s× | %s× | %s× | %s× (%.0f vs %.0f ms) |\n",
				ratio(g.buildRate, fts.buildRate), ratio(g.buildRate, blv.buildRate), ratio(g.buildPeakMiB, blv.buildPeakMiB),
				ratio(g.askPeakMiB, fts.askPeakMiB), ratio(g.askPeakMiB, blv.askPeakMiB), g.openMS,
				ratio(g.p50, blv.p50), ratio(g.p99, blv.p99), ratio(g.p50, fts.p50), ratio(g.p99, fts.p99),
				ratio(g.coldMS, fts.coldMS), g.coldMS, fts.coldMS)
		}
	}
}

func ratio(a, b float64) string {
	if a == 0 || b == 0 {
		return "-"
	}
	return strconv.FormatFloat(a/b, 'f', 2, 64)
}
