package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkColdAsk times `govbot ask QUESTION` as a user runs it: a new
// process each time, on the embedded corpus with an index that is already
// up to date (target: under 150 ms). It builds the binary, runs `govbot
// index` once, then runs ask over the development questions in turn,
// timing each process from start to exit (wall clock). Besides ns/op (the
// mean) it reports the median and 95th percentile (p50-ns/op, p95-ns/op),
// the CPU time of the process (user+system, cpu-ns/op: less sensitive to
// a busy machine than wall time) and its peak resident memory
// (maxRSS-MiB). The "help" case is the same binary printing its usage:
// the cost of starting a process, for comparison.
//
//	go test -run '^$' -bench ColdAsk -count 5 ./cmd/govbot
func BenchmarkColdAsk(b *testing.B) {
	bin := buildGovbot(b)
	dir := b.TempDir() // working directory: no .env in it
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		"INDEX_DIR=" + filepath.Join(dir, "index"),
		"LOG_LEVEL=warn",
	}
	if out, err := runGovbot(bin, dir, env, "index"); err != nil {
		b.Fatalf("govbot index: %v\n%s", err, out)
	}
	questions := benchQuestions(b)
	b.Run("ask", func(b *testing.B) {
		i := 0
		benchProcesses(b, func() *exec.Cmd {
			q := questions[i%len(questions)]
			i++
			return govbotCmd(bin, dir, env, "ask", q)
		})
	})
	b.Run("help", func(b *testing.B) {
		benchProcesses(b, func() *exec.Cmd { return govbotCmd(bin, dir, env, "help") })
	})
}

// benchProcesses runs the command that next makes, once per iteration,
// and reports the latency distribution, CPU time and peak memory.
func benchProcesses(b *testing.B, next func() *exec.Cmd) {
	if out, err := next().CombinedOutput(); err != nil { // warm the page cache
		b.Fatalf("%v\n%s", err, out)
	}
	var wall []time.Duration
	var cpu time.Duration
	var maxRSS int64
	for b.Loop() {
		cmd := next()
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		err := cmd.Run()
		wall = append(wall, time.Since(start))
		if err != nil || out.Len() == 0 {
			b.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out.String())
		}
		ps := cmd.ProcessState
		cpu += ps.UserTime() + ps.SystemTime()
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			maxRSS = max(maxRSS, int64(ru.Maxrss)) // KiB on Linux
		}
	}
	slices.Sort(wall)
	pct := func(p int) time.Duration { return wall[max((len(wall)*p+99)/100-1, 0)] }
	b.ReportMetric(float64(pct(50)), "p50-ns/op")
	b.ReportMetric(float64(pct(95)), "p95-ns/op")
	b.ReportMetric(float64(cpu)/float64(len(wall)), "cpu-ns/op")
	if maxRSS > 0 {
		b.ReportMetric(float64(maxRSS)/1024, "maxRSS-MiB")
	}
}

// buildGovbot builds this command into a temporary directory.
func buildGovbot(b *testing.B) string {
	b.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(b.TempDir(), "govbot")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func govbotCmd(bin, dir string, env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Dir, cmd.Env = dir, env
	return cmd
}

func runGovbot(bin, dir string, env []string, args ...string) ([]byte, error) {
	return govbotCmd(bin, dir, env, args...).CombinedOutput()
}

// benchQuestions are the development questions of the knowledge package.
func benchQuestions(b *testing.B) []string {
	b.Helper()
	f, err := os.Open("../../knowledge/testdata/eval/dev.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var it struct {
			Q string `json:"q"`
		}
		if json.Unmarshal(sc.Bytes(), &it) == nil && it.Q != "" {
			qs = append(qs, it.Q)
		}
	}
	if len(qs) == 0 {
		b.Fatal("dev.jsonl: no questions")
	}
	return qs
}
