package knowledge_test

// Benchmarks for the performance targets. Compare runs with
// benchstat; nothing here asserts a time.
//
//	go test -run '^$' -bench 'Embedded' -count 10 ./knowledge | tee embedded.txt
//	go test -run '^$' -bench 'Build100k' -benchtime 1x -count 3 ./knowledge
//	go test -run '^$' -bench 'Ask100k' -count 6 ./knowledge
//	benchstat embedded.txt
//
// Besides ns/op (the mean), latency benchmarks report the median and 99th
// percentile of the individual operations as p50-ns/op and p99-ns/op.
//
// The 100k benchmarks run only when -bench names them ("100k" in the
// pattern) or GOVBOT_BENCH_LARGE=1, so that `go test -bench .` stays quick.
// Their synthetic corpus (about 50 MB) and index (about 300 MB) are kept
// under $GOVBOT_BENCH_DIR (default $TMPDIR/govbot-bench) and reused by
// later runs; delete the directory to start afresh.

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/govbot-dev/govbot/knowledge"
	"github.com/govbot-dev/govbot/knowledge/synthetic"
)

// Size and seeds of the large synthetic corpus and its questions.
const (
	largePassages      = 100_000 // GOVBOT_BENCH_PASSAGES overrides it (largeSize)
	largeSeed          = 1
	largeQuestions     = 300
	largeQuestionsSeed = 1
)

// latencies collects the duration of each operation of a benchmark.
type latencies []time.Duration

// report adds the median and 99th percentile to the benchmark's results.
func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	s := slices.Clone(l)
	slices.Sort(s)
	b.ReportMetric(float64(percentile(s, 50)), "p50-ns/op")
	b.ReportMetric(float64(percentile(s, 99)), "p99-ns/op")
}

// percentile returns the p-th percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	return sorted[max(i-1, 0)]
}

// devQuestions are the questions of the development set (answerable and
// out of scope), in file order.
func devQuestions(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open("testdata/eval/dev.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var it struct {
			Q string `json:"q"`
		}
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			tb.Fatalf("dev.jsonl: %v", err)
		}
		qs = append(qs, it.Q)
	}
	if err := sc.Err(); err != nil || len(qs) == 0 {
		tb.Fatalf("dev.jsonl: %d questions, %v", len(qs), err)
	}
	return qs
}

// openBench opens an engine and closes it when the benchmark ends.
func openBench(b *testing.B, cfg knowledge.Config) (*knowledge.Engine, knowledge.Report) {
	b.Helper()
	eng, rep, err := knowledge.Open(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { eng.Close() })
	return eng, rep
}

// askAll asks every question once: the warm-up before timing, so that
// what is built on first use (spelling automata) is not in the results.
func askAll(b *testing.B, eng *knowledge.Engine, qs []string) []knowledge.Answer {
	b.Helper()
	out := make([]knowledge.Answer, len(qs))
	for i, q := range qs {
		ans, err := eng.Ask(context.Background(), q, knowledge.AskOptions{})
		if err != nil {
			b.Fatalf("Ask(%q): %v", q, err)
		}
		out[i] = ans
	}
	return out
}

// benchAsk times eng.Ask over qs in turn, after asking each once.
func benchAsk(b *testing.B, eng *knowledge.Engine, qs []string) {
	ctx := context.Background()
	askAll(b, eng, qs)
	var lat latencies
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := eng.Ask(ctx, qs[i%len(qs)], knowledge.AskOptions{}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	lat.report(b)
}

// BenchmarkAskEmbedded: in-process Ask over the embedded corpus, cycling
// through the development questions.
func BenchmarkAskEmbedded(b *testing.B) {
	eng, _ := openBench(b, knowledge.Config{IndexDir: b.TempDir()})
	benchAsk(b, eng, devQuestions(b))
}

// BenchmarkAskCorpus: in-process Ask over the corpus in
// $GOVBOT_BENCH_CORPUS with the questions in $GOVBOT_BENCH_QUESTIONS (one
// a line), e.g. a corpus and questions govbench generated, so that a
// profile shows where its sizes spend the time:
//
//	GOVBOT_BENCH_CORPUS=/tmp/govbench/corpus-1000 GOVBOT_BENCH_QUESTIONS=/tmp/govbench/questions-1000.txt \
//	  go test -run '^$' -bench 'AskCorpus$' -cpuprofile cpu.out ./knowledge
//
// The index is kept in $GOVBOT_BENCH_INDEX when set. Skipped without
// the corpus.
func BenchmarkAskCorpus(b *testing.B) {
	dir, file := os.Getenv("GOVBOT_BENCH_CORPUS"), os.Getenv("GOVBOT_BENCH_QUESTIONS")
	if dir == "" || file == "" {
		b.Skip("set GOVBOT_BENCH_CORPUS and GOVBOT_BENCH_QUESTIONS")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	var qs []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			qs = append(qs, l)
		}
	}
	if len(qs) == 0 {
		b.Fatalf("%s: no questions", file)
	}
	idx := os.Getenv("GOVBOT_BENCH_INDEX")
	if idx == "" {
		idx = b.TempDir()
	}
	eng, _ := openBench(b, knowledge.Config{CorpusDir: dir, IndexDir: idx})
	benchAsk(b, eng, qs)
}

// plainDoc is what the baseline indexes for a passage.
type plainDoc struct {
	Text  string `json:"text"`
	Title string `json:"title"`
}

// plainIndex builds, in dir, a bleve index with the default mapping
// (scorch on disk, standard analyser, tf-idf, dynamic fields stored and
// indexed into _all) of the engine's passages and their titles, in
// batches of 1,000 as the engine does. Like the engine's, it is then
// closed and reopened read-only, so no merging goes on while it is timed.
func plainIndex(b *testing.B, eng *knowledge.Engine, dir string) bleve.Index {
	b.Helper()
	ctx := context.Background()
	idx, err := bleve.New(dir, bleve.NewIndexMapping())
	if err != nil {
		b.Fatal(err)
	}
	batch := idx.NewBatch()
	for _, s := range eng.Sources() {
		_, ps, err := eng.Source(ctx, s.ID)
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range ps {
			if err := batch.Index(p.ID, plainDoc{Text: p.Text, Title: s.Title}); err != nil {
				b.Fatal(err)
			}
			if batch.Size() >= 1000 {
				if err := idx.Batch(batch); err != nil {
					b.Fatal(err)
				}
				batch.Reset()
			}
		}
	}
	if err := idx.Batch(batch); err != nil {
		b.Fatal(err)
	}
	return reopenReadOnly(b, idx, dir)
}

// reopenReadOnly closes idx and opens it again read-only.
func reopenReadOnly(b *testing.B, idx bleve.Index, dir string) bleve.Index {
	b.Helper()
	if err := idx.Close(); err != nil {
		b.Fatal(err)
	}
	idx, err := bleve.OpenUsing(dir, map[string]interface{}{"read_only": true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { idx.Close() })
	return idx
}

// plainSearch is the baseline query: a match query over _all with the
// default request (10 hits, no stored fields, no locations).
func plainSearch(idx bleve.Index, q string) error {
	_, err := idx.SearchInContext(context.Background(), bleve.NewSearchRequest(bleve.NewMatchQuery(q)))
	return err
}

func benchPlain(b *testing.B, idx bleve.Index, qs []string, search func(bleve.Index, string) error) {
	for _, q := range qs {
		if err := search(idx, q); err != nil {
			b.Fatal(err)
		}
	}
	var lat latencies
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if err := search(idx, qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	lat.report(b)
}

// BenchmarkPlainBleveEmbedded is the baseline: plain bleve with
// its default mapping over the same passages, queried with a match query
// of the question, the same questions in the same order.
func BenchmarkPlainBleveEmbedded(b *testing.B) {
	eng, _ := openBench(b, knowledge.Config{IndexDir: b.TempDir()})
	idx := plainIndex(b, eng, filepath.Join(b.TempDir(), "plain"))
	benchPlain(b, idx, devQuestions(b), plainSearch)
}

// BenchmarkPlainBleveHighlightEmbedded is the baseline that also shows
// text: the same query with bleve's default highlighter, which loads the
// stored fields of the 10 hits and cuts fragments around the matches, as
// an answer with excerpts must.
func BenchmarkPlainBleveHighlightEmbedded(b *testing.B) {
	eng, _ := openBench(b, knowledge.Config{IndexDir: b.TempDir()})
	idx := plainIndex(b, eng, filepath.Join(b.TempDir(), "plain"))
	benchPlain(b, idx, devQuestions(b), func(idx bleve.Index, q string) error {
		req := bleve.NewSearchRequest(bleve.NewMatchQuery(q))
		req.Highlight = bleve.NewHighlight()
		_, err := idx.SearchInContext(context.Background(), req)
		return err
	})
}

// BenchmarkAskOverPlainEmbedded measures the ratio directly: each
// operation asks one question both ways, back to back, so that the two
// see the same machine load. It reports the ratio of the medians, of the
// 99th percentiles and of the means (target: at most 1.5).
func BenchmarkAskOverPlainEmbedded(b *testing.B) {
	ctx := context.Background()
	eng, _ := openBench(b, knowledge.Config{IndexDir: b.TempDir()})
	idx := plainIndex(b, eng, filepath.Join(b.TempDir(), "plain"))
	qs := devQuestions(b)
	askAll(b, eng, qs)
	var ask, plain latencies
	for i := 0; b.Loop(); i++ {
		q := qs[i%len(qs)]
		start := time.Now()
		if err := plainSearch(idx, q); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		if _, err := eng.Ask(ctx, q, knowledge.AskOptions{}); err != nil {
			b.Fatal(err)
		}
		plain = append(plain, mid.Sub(start))
		ask = append(ask, time.Since(mid))
	}
	slices.Sort(ask)
	slices.Sort(plain)
	var sa, sp time.Duration
	for i := range ask {
		sa += ask[i]
		sp += plain[i]
	}
	b.ReportMetric(float64(percentile(ask, 50))/float64(percentile(plain, 50)), "p50-ratio")
	b.ReportMetric(float64(percentile(ask, 99))/float64(percentile(plain, 99)), "p99-ratio")
	b.ReportMetric(float64(sa)/float64(sp), "mean-ratio")
}

// largeSelected skips a benchmark of the 100k corpus unless it was asked
// for by name or GOVBOT_BENCH_LARGE is set.
func largeSelected(b *testing.B) {
	b.Helper()
	if os.Getenv("GOVBOT_BENCH_LARGE") != "" {
		return
	}
	if f := flag.Lookup("test.bench"); f != nil && strings.Contains(strings.ToLower(f.Value.String()), "100k") {
		return
	}
	b.Skip("100k corpus: name the benchmark in -bench or set GOVBOT_BENCH_LARGE=1")
}

// largeSize is the number of passages of the "100k" benchmarks:
// largePassages, or GOVBOT_BENCH_PASSAGES (the same synthetic corpus as
// govbench's of that size, seed 1), to measure found@3 and latency at
// other sizes with the same code.
func largeSize(b *testing.B) int {
	b.Helper()
	v := os.Getenv("GOVBOT_BENCH_PASSAGES")
	if v == "" {
		return largePassages
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		b.Fatalf("GOVBOT_BENCH_PASSAGES=%q: want a positive number of passages", v)
	}
	return n
}

// benchDir is where the large corpus and its indexes are kept between runs.
func benchDir(b *testing.B) string {
	b.Helper()
	dir := os.Getenv("GOVBOT_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "govbot-bench")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	return dir
}

// largeCorpus returns the directory of the 100k-passage synthetic corpus,
// writing it first when no complete copy is there. The marker file starts
// with "." so the corpus loader ignores it.
func largeCorpus(b *testing.B) (string, *synthetic.Corpus) {
	b.Helper()
	c := synthetic.New(largeSize(b), largeSeed)
	dir := filepath.Join(benchDir(b), fmt.Sprintf("corpus-%d-seed%d", largeSize(b), largeSeed))
	marker := filepath.Join(dir, ".complete")
	if _, err := os.Stat(marker); err == nil {
		return dir, c
	}
	if err := os.RemoveAll(dir); err != nil {
		b.Fatal(err)
	}
	st, err := c.Write(dir)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(marker, fmt.Appendf(nil, "%+v\n", st), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir, c
}

// procStatusKiB reads a "VmXXX:  1234 kB" line of /proc/self/status; ok is
// false where there is none (not Linux).
func procStatusKiB(field string) (int64, bool) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(data)) {
		if rest, found := strings.CutPrefix(line, field+":"); found {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// resetPeakRSS returns freed memory to the system and resets the
// process's peak resident set size (VmHWM) to its current size (Linux 4.0
// or later), so that VmHWM afterwards is the peak of what follows only.
func resetPeakRSS() bool {
	runtime.GC()
	debug.FreeOSMemory()
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// dirSize is the total size of the files under dir.
func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// BenchmarkBuild100k builds the index of the 100,000-passage synthetic
// corpus from scratch, as `govbot index` does for a new corpus: loading
// and splitting the files, indexing, reopening. It reports passages/s
// (target: 3,000 or more) and the peak resident memory of the process
// during the build, peak-RSS-MiB (target: under 1,024). The peak is
// VmHWM, reset before each build through /proc/self/clear_refs, so
// earlier benchmarks in the same process do not count; where that reset
// is refused the benchmark says so and reports the process-wide peak.
// load-s is the part of the time spent loading and splitting the corpus;
// cpu-s/op the CPU time of the build (all goroutines).
func BenchmarkBuild100k(b *testing.B) {
	largeSelected(b)
	ctx := context.Background()
	corpusDir, _ := largeCorpus(b)
	root := benchDir(b)
	var peakKiB, indexBytes int64
	var loading, total, cpu time.Duration
	passages := 0
	for b.Loop() {
		b.StopTimer()
		indexDir, err := os.MkdirTemp(root, "build-")
		if err != nil {
			b.Fatal(err)
		}
		if !resetPeakRSS() {
			b.Log("cannot reset VmHWM: peak-RSS-MiB is the peak of the whole process")
		}
		b.StartTimer()
		start, cpuStart := time.Now(), cpuTime()
		eng, rep, err := knowledge.Open(ctx, knowledge.Config{CorpusDir: corpusDir, IndexDir: indexDir})
		if err != nil {
			b.Fatal(err)
		}
		elapsed := time.Since(start)
		cpu += cpuTime() - cpuStart
		b.StopTimer()
		if hwm, ok := procStatusKiB("VmHWM"); ok {
			peakKiB = max(peakKiB, hwm)
		}
		if !rep.Rebuilt || rep.Passages != largeSize(b) {
			b.Fatalf("Open: rebuilt=%v passages=%d; want a new index of %d", rep.Rebuilt, rep.Passages, largeSize(b))
		}
		total += elapsed
		loading += elapsed - rep.Duration
		passages += rep.Passages
		eng.Close()
		indexBytes = dirSize(indexDir)
		if err := os.RemoveAll(indexDir); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(passages)/total.Seconds(), "passages/s")
	b.ReportMetric(float64(peakKiB)/1024, "peak-RSS-MiB")
	b.ReportMetric(loading.Seconds()/float64(b.N), "load-s")
	b.ReportMetric(float64(indexBytes)/(1<<20), "index-MiB")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkAsk100k asks synthetic questions of the 100k index (target:
// p99 at most 10 ms): all of them in turn, then each kind alone. The index
// is built once and kept in the bench directory. "all" also reports how
// often the passage a question was made from is among the citations
// (found@3) and how often Ask abstains, per kind: a check that the
// questions exercise the real paths rather than abstaining at once.
func BenchmarkAsk100k(b *testing.B) {
	largeSelected(b)
	corpusDir, c := largeCorpus(b)
	indexDir := filepath.Join(benchDir(b), fmt.Sprintf("index-%d-seed%d", largeSize(b), largeSeed))
	eng, _ := openBench(b, knowledge.Config{CorpusDir: corpusDir, IndexDir: indexDir})
	questions := c.Questions(largeQuestions, largeQuestionsSeed)
	byKind := map[synthetic.Kind][]string{}
	var all []string
	for _, q := range questions {
		all = append(all, q.Text)
		byKind[q.Kind] = append(byKind[q.Kind], q.Text)
	}
	b.Run("all", func(b *testing.B) {
		answers := askAll(b, eng, all)
		benchAsk(b, eng, all)
		// Reported after the loop: b.Loop's first call deletes metrics.
		found, abstained := map[synthetic.Kind]int{}, map[synthetic.Kind]int{}
		for i, ans := range answers {
			q := questions[i]
			if ans.Abstained {
				abstained[q.Kind]++
			}
			for _, cit := range ans.Citations {
				if cit.Passage.DocID == q.DocID && cit.Passage.Ordinal == q.Ordinal {
					found[q.Kind]++
				}
			}
		}
		for _, k := range []synthetic.Kind{synthetic.Exact, synthetic.Paraphrased, synthetic.Misspelt, synthetic.Absent} {
			n := float64(max(len(byKind[k]), 1))
			if k != synthetic.Absent {
				b.ReportMetric(float64(found[k])/n, "found@3-"+k.String())
			}
			b.ReportMetric(float64(abstained[k])/n, "abstain-"+k.String())
		}
	})
	for _, k := range []synthetic.Kind{synthetic.Exact, synthetic.Paraphrased, synthetic.Misspelt, synthetic.Absent} {
		b.Run(k.String(), func(b *testing.B) { benchAsk(b, eng, byKind[k]) })
	}
}

// BenchmarkPlainBleve100k is the baseline at scale, for comparison with
// BenchmarkAsk100k/all: plain bleve's default mapping over the same
// 100,000 passages (text only), the same synthetic questions as match
// queries. Its
// index is built once (several minutes) and kept in the bench directory.
func BenchmarkPlainBleve100k(b *testing.B) {
	largeSelected(b)
	_, c := largeCorpus(b)
	dir := filepath.Join(benchDir(b), fmt.Sprintf("plain-%d-seed%d", largePassages, largeSeed))
	idx, err := bleve.OpenUsing(dir, map[string]interface{}{"read_only": true})
	if err != nil {
		if err := os.RemoveAll(dir); err != nil {
			b.Fatal(err)
		}
		if idx, err = bleve.New(dir, bleve.NewIndexMapping()); err != nil {
			b.Fatal(err)
		}
		batch := idx.NewBatch()
		for i := range c.Passages() {
			text, docID, ord := c.Passage(i)
			if err := batch.Index(docID+"#"+strconv.Itoa(ord), plainDoc{Text: text}); err != nil {
				b.Fatal(err)
			}
			if batch.Size() >= 1000 || i == c.Passages()-1 {
				if err := idx.Batch(batch); err != nil {
					b.Fatal(err)
				}
				batch.Reset()
			}
		}
		idx = reopenReadOnly(b, idx, dir)
	} else {
		b.Cleanup(func() { idx.Close() })
	}
	if n, err := idx.DocCount(); err != nil || n != largePassages {
		b.Fatalf("plain index in %s: %d passages, %v; delete it to rebuild", dir, n, err)
	}
	var qs []string
	for _, q := range c.Questions(largeQuestions, largeQuestionsSeed) {
		qs = append(qs, q.Text)
	}
	benchPlain(b, idx, qs, plainSearch)
}

// BenchmarkOpen100k opens the up-to-date 100k index, as `govbot ask` does
// at every start (target: at most 50 ms, independent of the corpus size).
func BenchmarkOpen100k(b *testing.B) {
	largeSelected(b)
	corpusDir, _ := largeCorpus(b)
	indexDir := filepath.Join(benchDir(b), fmt.Sprintf("index-%d-seed%d", largeSize(b), largeSeed))
	eng, _ := openBench(b, knowledge.Config{CorpusDir: corpusDir, IndexDir: indexDir}) // build once
	eng.Close()
	for _, trust := range []bool{false, true} {
		name := map[bool]string{false: "compare", true: "trust"}[trust]
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				eng, rep, err := knowledge.Open(context.Background(), knowledge.Config{CorpusDir: corpusDir, IndexDir: indexDir, TrustIndex: trust})
				if err != nil {
					b.Fatal(err)
				}
				if rep.Rebuilt {
					b.Fatal("Open rebuilt the index")
				}
				eng.Close()
			}
		})
	}
}
