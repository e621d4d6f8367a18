package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/govbot-dev/govbot/knowledge"
	"github.com/govbot-dev/govbot/knowledge/document"
	"github.com/govbot-dev/govbot/knowledge/synthetic"
)

// walkPassages calls fn with every passage of the corpus in dir, split as
// govbot splits them, one document at a time (so peers never hold the whole
// corpus in memory): files are read, parsed and split the way govbot does.
func walkPassages(ctx context.Context, dir string, fn func(knowledge.Passage) error) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		name := d.Name()
		if strings.HasPrefix(name, ".") && path != dir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !document.Supported(name) {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		doc, err := document.Parse(filepath.ToSlash(rel), data)
		if err != nil {
			return nil // govbot skips it too
		}
		for _, p := range knowledge.SplitPassages(filepath.ToSlash(rel), doc.Body) {
			if err := fn(p); err != nil {
				return err
			}
		}
		return nil
	})
}

// syntheticCorpus writes the synthetic corpus of n passages (seed 1) under
// root unless a complete copy is there, and returns its directory. The
// marker file starts with "." so no system indexes it.
func syntheticCorpus(root string, n int) (string, *synthetic.Corpus, error) {
	c := synthetic.New(n, 1)
	dir := filepath.Join(root, fmt.Sprintf("corpus-%d", n))
	marker := filepath.Join(dir, ".complete")
	if _, err := os.Stat(marker); err == nil {
		return dir, c, nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", nil, err
	}
	st, err := c.Write(dir)
	if err != nil {
		return "", nil, fmt.Errorf("write synthetic corpus: %w", err)
	}
	if err := os.WriteFile(marker, fmt.Appendf(nil, "%+v\n", st), 0o644); err != nil {
		return "", nil, err
	}
	// govbot does not trust a corpus stamp while a file is younger than
	// its settle time (2 s, knowledge/stamp.go): built right away, the
	// index would record no stamp and its first open would compare the
	// whole corpus by content. A corpus is never built the instant it is
	// written in real use, so the benchmark lets it settle first.
	time.Sleep(corpusSettle)
	return dir, c, nil
}

// corpusSettle is longer than knowledge's stamp settle time.
const corpusSettle = 3 * time.Second

// readQuestions reads one question a line; a .jsonl file gives the "q" or
// "question" field of each object. Blank lines are skipped.
func readQuestions(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	jsonl := strings.HasSuffix(path, ".jsonl")
	var qs []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if jsonl {
			var it struct {
				Q        string `json:"q"`
				Question string `json:"question"`
			}
			if err := json.Unmarshal([]byte(line), &it); err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			line = it.Q + it.Question
			if line == "" {
				continue
			}
		}
		qs = append(qs, line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(qs) == 0 {
		return nil, fmt.Errorf("%s: no questions", path)
	}
	return qs, nil
}

// dirSize is the total size of the files under path (a file or a directory).
func dirSize(path string) int64 {
	var n int64
	filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
