// Command fts5cli is the benchmark's cold-start peer: the smallest useful
// SQLite FTS5 question answerer, as a Go user would write it. It opens an
// index that govbench built and prints the three best passages for a
// question, by BM25, each with a snippet.
//
//	fts5cli INDEX.db "What was the Wuzhen Declaration?"
package main

import (
	"database/sql"
	"fmt"
	"os"
	"strings"

	"github.com/govbot-dev/govbot/cmd/govbench/internal/ftsq"
	_ "modernc.org/sqlite"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: fts5cli INDEX.db QUESTION")
		os.Exit(2)
	}
	if err := ask(os.Args[1], strings.Join(os.Args[2:], " ")); err != nil {
		fmt.Fprintln(os.Stderr, "fts5cli:", err)
		os.Exit(1)
	}
}

func ask(path, question string) error {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	q := ftsq.Query(question)
	if q == "" {
		fmt.Println("no words to search for")
		return nil
	}
	rows, err := db.Query(ftsq.Search, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, snippet string
		if err := rows.Scan(&id, &snippet); err != nil {
			return err
		}
		n++
		fmt.Printf("[%d] %s\n    %s\n", n, id, snippet)
	}
	if n == 0 {
		fmt.Println("nothing found")
	}
	return rows.Err()
}
