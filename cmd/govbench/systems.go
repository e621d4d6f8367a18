package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/govbot-dev/govbot/cmd/govbench/internal/ftsq"
	"github.com/govbot-dev/govbot/knowledge"
	_ "modernc.org/sqlite"
)

// system is one search engine under test. build indexes the corpus in
// corpusDir into index (a path it creates); open opens that index for
// questions. Each runs in a process of its own (worker.go).
type system interface {
	build(ctx context.Context, corpusDir, index string) (passages int, err error)
	open(ctx context.Context, corpusDir, index string) (asker, error)
}

// asker answers one question; close releases the index.
type asker interface {
	ask(ctx context.Context, question string) (hits int, err error)
	close() error
}

var systems = map[string]system{"govbot": govbotSystem{}, "fts5": fts5System{}, "bleve": bleveSystem{}}

// systemOrder is the order of the table's rows.
var systemOrder = []string{"govbot", "fts5", "bleve"}

// govbotSystem is govbot's engine, as `govbot index` and `govbot ask` use it.
type govbotSystem struct{}

func (govbotSystem) build(ctx context.Context, corpusDir, index string) (int, error) {
	eng, rep, err := knowledge.Open(ctx, knowledge.Config{CorpusDir: corpusDir, IndexDir: index})
	if err != nil {
		return 0, err
	}
	if !rep.Rebuilt {
		eng.Close()
		return 0, errors.New("govbot: index was not rebuilt")
	}
	return rep.Passages, eng.Close()
}

func (govbotSystem) open(ctx context.Context, corpusDir, index string) (asker, error) {
	eng, rep, err := knowledge.Open(ctx, knowledge.Config{CorpusDir: corpusDir, IndexDir: index})
	if err != nil {
		return nil, err
	}
	if rep.Rebuilt {
		eng.Close()
		return nil, errors.New("govbot: the index had to be rebuilt at open")
	}
	return govbotAsker{eng}, nil
}

type govbotAsker struct{ eng *knowledge.Engine }

func (a govbotAsker) ask(ctx context.Context, q string) (int, error) {
	ans, err := a.eng.Ask(ctx, q, knowledge.AskOptions{})
	if errors.Is(err, knowledge.ErrEmptyQuestion) || errors.Is(err, knowledge.ErrQuestionTooLong) {
		return 0, nil
	}
	return len(ans.Citations), err
}

func (a govbotAsker) close() error { return a.eng.Close() }

// fts5System is SQLite FTS5 through modernc.org/sqlite: porter stemming over
// unicode61, all passages inserted in one transaction, then 'optimize'.
type fts5System struct{}

func (fts5System) build(ctx context.Context, corpusDir, index string) (int, error) {
	if err := os.MkdirAll(filepath.Dir(index), 0o755); err != nil {
		return 0, err
	}
	db, err := sql.Open("sqlite", "file:"+index)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, s := range []string{`PRAGMA journal_mode = WAL`, `PRAGMA synchronous = NORMAL`, ftsq.Schema} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return 0, fmt.Errorf("fts5: %s: %w", s, err)
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, ftsq.Insert)
	if err != nil {
		return 0, err
	}
	n := 0
	err = walkPassages(ctx, corpusDir, func(p knowledge.Passage) error {
		n++
		_, err := ins.ExecContext(ctx, p.Text, p.ID)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("fts5: insert: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	for _, s := range []string{`INSERT INTO passages(passages) VALUES('optimize')`, `PRAGMA wal_checkpoint(TRUNCATE)`} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return 0, fmt.Errorf("fts5: %s: %w", s, err)
		}
	}
	return n, db.Close()
}

func (fts5System) open(ctx context.Context, _, index string) (asker, error) {
	if _, err := os.Stat(index); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", "file:"+index+"?mode=ro")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	stmt, err := db.PrepareContext(ctx, ftsq.Search) // opens the file, reads the schema
	if err != nil {
		db.Close()
		return nil, err
	}
	return fts5Asker{db, stmt}, nil
}

type fts5Asker struct {
	db   *sql.DB
	stmt *sql.Stmt
}

func (a fts5Asker) ask(ctx context.Context, q string) (int, error) {
	match := ftsq.Query(q)
	if match == "" {
		return 0, nil
	}
	rows, err := a.stmt.QueryContext(ctx, match)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, snippet string
		if err := rows.Scan(&id, &snippet); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

func (a fts5Asker) close() error { a.stmt.Close(); return a.db.Close() }

// bleveSystem is bleve v2 (scorch) with BM25 and the English analyser,
// text stored with term vectors, queried with a match query of the
// question and its default highlighter: what a Go user would set up.
type bleveSystem struct{}

type bleveDoc struct {
	Text string `json:"text"`
}

func (bleveSystem) build(ctx context.Context, corpusDir, index string) (int, error) {
	text := bleve.NewTextFieldMapping()
	text.Analyzer = en.AnalyzerName
	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt("text", text)
	m := bleve.NewIndexMapping()
	m.DefaultMapping = dm
	m.DefaultAnalyzer = en.AnalyzerName
	m.ScoringModel = "bm25"
	idx, err := bleve.New(index, m)
	if err != nil {
		return 0, err
	}
	batch := idx.NewBatch()
	n := 0
	err = walkPassages(ctx, corpusDir, func(p knowledge.Passage) error {
		n++
		if err := batch.Index(p.ID, bleveDoc{p.Text}); err != nil {
			return err
		}
		if batch.Size() >= 1000 {
			err := idx.Batch(batch)
			batch.Reset()
			return err
		}
		return nil
	})
	if err == nil {
		err = idx.Batch(batch)
	}
	if cerr := idx.Close(); err == nil {
		err = cerr
	}
	return n, err
}

func (bleveSystem) open(_ context.Context, _, index string) (asker, error) {
	idx, err := bleve.OpenUsing(index, map[string]interface{}{"read_only": true})
	if err != nil {
		return nil, err
	}
	return bleveAsker{idx}, nil
}

type bleveAsker struct{ idx bleve.Index }

func (a bleveAsker) ask(ctx context.Context, q string) (int, error) {
	mq := bleve.NewMatchQuery(q)
	mq.SetField("text")
	req := bleve.NewSearchRequestOptions(mq, 3, 0, false)
	req.Highlight = bleve.NewHighlight()
	res, err := a.idx.SearchInContext(ctx, req)
	if err != nil {
		return 0, err
	}
	return len(res.Hits), nil
}

func (a bleveAsker) close() error { return a.idx.Close() }
