package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// posNames are WordNet's file suffixes per part of speech, in the order in
// which the generator considers them.
var posNames = [...]struct {
	pos  byte
	name string
}{{'n', "noun"}, {'v', "verb"}, {'a', "adj"}, {'r', "adv"}}

// synsetID names a synset: its part of speech and its byte offset in that
// part of speech's data file.
type synsetID struct {
	pos    byte
	offset int64
}

// synset is one WordNet synset: its lexicographer file and its lemmas in
// WordNet's order, as written in the data file (case kept, spaces as "_",
// adjective markers such as "(a)" removed).
type synset struct {
	lexFile int
	words   []string
}

// entry is one lemma of an index file: its synsets in sense order (most
// frequent first) and the semantic-concordance tag count of each sense.
type entry struct {
	senses []synsetID
	counts []int
}

// database is the part of WordNet 3.0 the generator uses.
type database struct {
	synsets    map[synsetID]*synset
	index      [4]map[string]*entry   // per posNames index: lemma -> entry
	exceptions [4]map[string][]string // per posNames index: inflected form -> base forms
}

// loadDatabase reads the index, data, exception and cntlist.rev files of
// the WordNet database in dir.
func loadDatabase(dir string) (*database, error) {
	db := &database{synsets: make(map[synsetID]*synset)}
	for i, p := range posNames {
		if err := db.loadData(filepath.Join(dir, "data."+p.name), p.pos); err != nil {
			return nil, err
		}
		idx, err := loadIndex(filepath.Join(dir, "index."+p.name))
		if err != nil {
			return nil, err
		}
		db.index[i] = idx
		exc, err := loadExceptions(filepath.Join(dir, p.name+".exc"))
		if err != nil {
			return nil, err
		}
		db.exceptions[i] = exc
	}
	if err := db.loadCounts(filepath.Join(dir, "cntlist.rev")); err != nil {
		return nil, err
	}
	return db, nil
}

// eachLine calls f with each line of the file at path and its number,
// stopping at the first error.
func eachLine(path string, f func(n int, line string) error) error {
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open wordnet file: %w", err)
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	n := 0
	for sc.Scan() {
		n++
		if err := f(n, sc.Text()); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}

// loadData reads a data.pos file: "offset lex_filenum ss_type w_cnt word
// lex_id [word lex_id...] p_cnt ... | gloss". Lines starting with a space
// are the licence header.
func (db *database) loadData(path string, pos byte) error {
	return eachLine(path, func(_ int, line string) error {
		if strings.HasPrefix(line, " ") {
			return nil
		}
		f := strings.Fields(line)
		if len(f) < 4 {
			return fmt.Errorf("short data line")
		}
		offset, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return fmt.Errorf("synset offset: %w", err)
		}
		lexFile, err := strconv.Atoi(f[1])
		if err != nil {
			return fmt.Errorf("lexicographer file: %w", err)
		}
		count, err := strconv.ParseInt(f[3], 16, 0)
		if err != nil {
			return fmt.Errorf("word count: %w", err)
		}
		if len(f) < 4+2*int(count) {
			return fmt.Errorf("data line has fewer than %d words", count)
		}
		s := &synset{lexFile: lexFile}
		for i := range int(count) {
			w := f[4+2*i]
			if j := strings.IndexByte(w, '('); j > 0 { // adjective marker: (a), (p), (ip)
				w = w[:j]
			}
			s.words = append(s.words, w)
		}
		db.synsets[synsetID{pos, offset}] = s
		return nil
	})
}

// loadIndex reads an index.pos file: "lemma pos synset_cnt p_cnt
// [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...", offsets in
// sense order.
func loadIndex(path string) (map[string]*entry, error) {
	idx := make(map[string]*entry)
	err := eachLine(path, func(_ int, line string) error {
		if strings.HasPrefix(line, " ") {
			return nil
		}
		f := strings.Fields(line)
		if len(f) < 6 {
			return fmt.Errorf("short index line")
		}
		n, err := strconv.Atoi(f[2])
		if err != nil || n < 1 || n > len(f)-4 {
			return fmt.Errorf("synset count %q", f[2])
		}
		pos := f[1][0]
		e := &entry{counts: make([]int, n)}
		for _, o := range f[len(f)-n:] {
			offset, err := strconv.ParseInt(o, 10, 64)
			if err != nil {
				return fmt.Errorf("synset offset: %w", err)
			}
			e.senses = append(e.senses, synsetID{pos, offset})
		}
		idx[f[0]] = e
		return nil
	})
	return idx, err
}

// loadExceptions reads a pos.exc file: "inflected base [base...]".
func loadExceptions(path string) (map[string][]string, error) {
	exc := make(map[string][]string)
	err := eachLine(path, func(_ int, line string) error {
		f := strings.Fields(line)
		if len(f) < 2 {
			return fmt.Errorf("short exception line")
		}
		exc[f[0]] = append(exc[f[0]], f[1:]...)
		return nil
	})
	return exc, err
}

// loadCounts reads cntlist.rev: "sense_key sense_number tag_cnt", where
// sense_key is "lemma%ss_type:...", and records each count on its sense.
func (db *database) loadCounts(path string) error {
	return eachLine(path, func(_ int, line string) error {
		f := strings.Fields(line)
		if len(f) != 3 {
			return fmt.Errorf("want 3 fields")
		}
		lemma, rest, ok := strings.Cut(f[0], "%")
		if !ok || rest == "" {
			return fmt.Errorf("sense key %q", f[0])
		}
		var i int
		switch rest[0] {
		case '1':
			i = 0
		case '2':
			i = 1
		case '3', '5':
			i = 2
		case '4':
			i = 3
		default:
			return fmt.Errorf("sense key %q: synset type", f[0])
		}
		sense, err := strconv.Atoi(f[1])
		if err != nil {
			return fmt.Errorf("sense number: %w", err)
		}
		count, err := strconv.Atoi(f[2])
		if err != nil {
			return fmt.Errorf("tag count: %w", err)
		}
		e := db.index[i][lemma]
		if e == nil || sense < 1 || sense > len(e.counts) {
			return nil // a few sense keys name lemmas or senses the index lacks
		}
		e.counts[sense-1] += count
		return nil
	})
}

// count returns the tag count of lemma (lowercase, "_" for spaces) in
// synset id, 0 when untagged or when lemma is not in id.
func (db *database) count(lemma string, id synsetID) int {
	e := db.index[posIndex(id.pos)][lemma]
	if e == nil {
		return 0
	}
	for i, s := range e.senses {
		if s == id {
			return e.counts[i]
		}
	}
	return 0
}

// frequency returns the total tag count of lemma over all its senses in
// all parts of speech.
func (db *database) frequency(lemma string) int {
	total := 0
	for _, idx := range db.index {
		if e := idx[lemma]; e != nil {
			for _, c := range e.counts {
				total += c
			}
		}
	}
	return total
}

// posIndex maps a part of speech or synset type to its posNames index;
// adjective satellites ('s') count as adjectives.
func posIndex(pos byte) int {
	switch pos {
	case 'n':
		return 0
	case 'v':
		return 1
	case 'a', 's':
		return 2
	default:
		return 3
	}
}
