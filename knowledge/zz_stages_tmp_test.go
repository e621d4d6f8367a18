package knowledge

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"testing"
	"time"
)

func TestZZStages(t *testing.T) {
	if os.Getenv("ZZSTAGES") == "" {
		t.Skip()
	}
	ctx := context.Background()
	cfg := Config{IndexDir: t.TempDir()}
	if d := os.Getenv("ZZCORPUS"); d != "" {
		cfg = Config{CorpusDir: d, IndexDir: os.Getenv("ZZINDEX")}
	}
	e, _, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	var qs []string
	f, _ := os.Open(os.Getenv("ZZQ"))
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var it struct{ Q string }
		json.Unmarshal(sc.Bytes(), &it)
		qs = append(qs, it.Q)
	}
	for _, q := range qs { // warm
		e.Ask(ctx, q, AskOptions{})
	}
	const reps = 30
	var tp, tr, tc, tl time.Duration
	type row struct {
		q              string
		p, r, c, l     time.Duration
		concepts, alts int
		hits           int
	}
	var rows []row
	for _, qt := range qs {
		var rw row
		rw.q = qt
		for range reps {
			e.mu.RLock()
			t0 := time.Now()
			q, err := parseQuestion(e.an, e.syn, e.thesaurus, e.stats(), qt)
			t1 := time.Now()
			if err != nil {
				e.mu.RUnlock()
				break
			}
			hits, _ := rank(ctx, e.gen, q)
			t2 := time.Now()
			want := min(len(hits), 16)
			ids := make([]string, want)
			for i := range ids {
				ids[i] = hits[i].id
			}
			e.gen.passages(ctx, ids)
			t3 := time.Now()
			e.citations(ctx, q, hits, 3)
			t4 := time.Now()
			e.mu.RUnlock()
			rw.p += t1.Sub(t0)
			rw.r += t2.Sub(t1)
			rw.l += t3.Sub(t2)
			rw.c += t4.Sub(t3)
			rw.concepts = len(q.concepts)
			rw.alts = 0
			for _, c := range q.concepts {
				rw.alts += len(c.alts)
			}
			rw.hits = len(hits)
		}
		tp += rw.p
		tr += rw.r
		tc += rw.c
		tl += rw.l
		rows = append(rows, rw)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].p+rows[i].r+rows[i].c > rows[j].p+rows[j].r+rows[j].c })
	us := func(d time.Duration) float64 { return float64(d.Microseconds()) / reps }
	fmt.Printf("%8s %8s %8s %8s  %3s %4s %3s  %s\n", "parse", "rank", "load16", "citations", "con", "alts", "hit", "question")
	for _, r := range rows {
		fmt.Printf("%8.0f %8.0f %8.0f %8.0f  %3d %4d %3d  %.60s\n", us(r.p), us(r.r), us(r.l), us(r.c), r.concepts, r.alts, r.hits, r.q)
	}
	n := float64(len(qs))
	fmt.Printf("mean µs: parse %.0f rank %.0f load16 %.0f citations(incl. load) %.0f\n", us(tp)/n, us(tr)/n, us(tl)/n, us(tc)/n)
}

func BenchmarkZZStage(b *testing.B) {
	ctx := context.Background()
	cfg := Config{IndexDir: b.TempDir()}
	if d := os.Getenv("ZZCORPUS"); d != "" {
		cfg = Config{CorpusDir: d, IndexDir: os.Getenv("ZZINDEX")}
	}
	e, _, err := Open(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	var qs []string
	f, _ := os.Open(os.Getenv("ZZQ"))
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var it struct{ Q string }
		json.Unmarshal(sc.Bytes(), &it)
		qs = append(qs, it.Q)
	}
	var parsed []parsedQuestion
	var hitss [][]ranked
	for _, qt := range qs {
		q, err := parseQuestion(e.an, e.syn, e.thesaurus, e.stats(), qt)
		if err != nil {
			continue
		}
		h, _ := rank(ctx, e.gen, q)
		parsed = append(parsed, q)
		hitss = append(hitss, h)
	}
	b.Run("parse", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			parseQuestion(e.an, e.syn, e.thesaurus, e.stats(), qs[i%len(qs)])
		}
	})
	b.Run("rank", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			rank(ctx, e.gen, parsed[i%len(parsed)])
		}
	})
	b.Run("load16", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			h := hitss[i%len(hitss)]
			ids := make([]string, min(len(h), 16))
			for j := range ids {
				ids[j] = h[j].id
			}
			e.gen.passages(ctx, ids)
		}
	})
	b.Run("citations", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			e.citations(ctx, parsed[i%len(parsed)], hitss[i%len(hitss)], 3)
		}
	})
}
