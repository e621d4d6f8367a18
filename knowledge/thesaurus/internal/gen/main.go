// Command gen derives govbot's synonym table, wordnet.txt, from the
// WordNet 3.0 database files. Developers run it with
//
//	apt-get install wordnet-base wamerican-small
//	go generate ./knowledge/thesaurus
//
// and commit its output, so builds and CI never need WordNet. Flags name
// the WordNet directory (-wordnet, default /usr/share/wordnet), the table
// to write (-out), a list of common English words (-common, SCOWL's
// size-35 list from wamerican-small) that tells rare synonyms from
// everyday ones that WordNet's small tagged corpus happens to lack, and
// curated synonym groups that WordNet lacks (-extra, extra.txt beside
// this file; paths are relative to the thesaurus package, where go
// generate runs). With -show w1,w2 it prints the synonyms of those base
// forms instead of writing the table, to help tune the policy in
// policy.go.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("wordnet", "/usr/share/wordnet", "directory of the WordNet 3.0 database files")
	out := fs.String("out", "wordnet.txt", "file to write the table to")
	common := fs.String("common", "/usr/share/dict/american-english-small", "list of common English words, one a line (Debian package wamerican-small)")
	extra := fs.String("extra", "internal/gen/extra.txt", "curated synonym groups that WordNet lacks")
	show := fs.String("show", "", "comma-separated base forms whose synonyms to print instead of writing the table")
	allLemmas := fs.Bool("all-lemmas", false, "list every single-word base form, not only those with synonyms or tagged uses")
	symmetric := fs.Bool("symmetric", false, "make the relation symmetric")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return errors.New("unexpected arguments")
	}
	db, err := loadDatabase(*dir)
	if err != nil {
		return fmt.Errorf("load wordnet: %w", err)
	}
	p := defaultPolicy()
	p.Symmetric = *symmetric
	if p.Extra, err = loadGroups(*extra); err != nil {
		return fmt.Errorf("load extra synonyms: %w", err)
	}
	for _, g := range p.Extra {
		for _, w := range g.words {
			if db.index[posIndex(g.pos)][w] == nil {
				return fmt.Errorf("extra synonyms: %q is no WordNet base form of part of speech %c", w, g.pos)
			}
		}
	}
	if p.Common, err = loadWords(*common); err != nil {
		return fmt.Errorf("load common words: %w", err)
	}
	if *show != "" {
		for _, w := range strings.Split(*show, ",") {
			var words []string
			for _, s := range p.synonyms(db, w) {
				words = append(words, s.word+":"+s.pos)
			}
			fmt.Fprintf(stdout, "%s\t%s\n", w, strings.Join(words, ","))
		}
		return nil
	}
	lines := buildTable(db, p, *allLemmas)
	f, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("create table: %w", err)
	}
	if err := writeTable(f, lines); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close table: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %d lines to %s\n", len(lines), *out)
	return nil
}

// loadWords reads a word list, one word a line, lowercased; lines with
// anything but letters and hyphens (possessives, accents) are skipped.
func loadWords(path string) (map[string]bool, error) {
	words := make(map[string]bool)
	err := eachLine(path, func(_ int, line string) error {
		if w := strings.ToLower(strings.TrimSpace(line)); isWord(w) {
			words[w] = true
		}
		return nil
	})
	return words, err
}

// loadGroups reads curated synonym groups: lines "pos<TAB>word,word,...",
// after comment lines starting with "#".
func loadGroups(path string) ([]group, error) {
	var groups []group
	err := eachLine(path, func(_ int, line string) error {
		if line == "" || strings.HasPrefix(line, "#") {
			return nil
		}
		pos, words, ok := strings.Cut(line, "\t")
		if !ok || len(pos) != 1 || strings.IndexByte("nvar", pos[0]) < 0 {
			return errors.New("want a part of speech (n, v, a, r), a tab and words")
		}
		g := group{pos: pos[0], words: strings.Split(words, ",")}
		for _, w := range g.words {
			if !isWord(w) {
				return fmt.Errorf("%q is not a single lowercase word", w)
			}
		}
		groups = append(groups, g)
		return nil
	})
	return groups, err
}
