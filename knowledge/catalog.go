package knowledge

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/blevesearch/vellum"
)

// A generation's catalogue of documents is kept on disk and read one
// document at a time, so that opening an index costs the same for five
// documents or ten thousand, and memory does not grow with the corpus:
// sources.jsonl holds one Source a line, in corpus order, and sources.fst
// maps each document id to where its line is.
const (
	sourcesFile      = "sources.jsonl"
	sourcesIndexFile = "sources.fst"
	lineLengthBits   = 24 // a catalogue line is shorter than 16 MiB
)

// catalog reads a generation's sources. Safe for concurrent use.
type catalog struct {
	f     *os.File    // sources.jsonl
	index *vellum.FST // id -> offset<<lineLengthBits | length
	n     int
}

// writeCatalog writes sources (in corpus order) into gdir.
func writeCatalog(gdir string, sources []Source) error {
	var lines bytes.Buffer
	type entry struct {
		id  string
		pos uint64
	}
	entries := make([]entry, 0, len(sources))
	for _, s := range sources {
		b, err := json.Marshal(s)
		if err != nil {
			return fmt.Errorf("catalogue: %w", err)
		}
		if len(b) >= 1<<lineLengthBits {
			return fmt.Errorf("catalogue: document %s: metadata too long", s.ID)
		}
		entries = append(entries, entry{s.ID, uint64(lines.Len())<<lineLengthBits | uint64(len(b))})
		lines.Write(b)
		lines.WriteByte('\n')
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].id < entries[j].id })
	var idx bytes.Buffer
	b, err := vellum.New(&idx, nil)
	if err != nil {
		return fmt.Errorf("catalogue: %w", err)
	}
	for i, e := range entries {
		if i > 0 && e.id == entries[i-1].id {
			return fmt.Errorf("catalogue: document id %s twice", e.id)
		}
		if err := b.Insert([]byte(e.id), e.pos); err != nil {
			return fmt.Errorf("catalogue: %w", err)
		}
	}
	if err := b.Close(); err != nil {
		return fmt.Errorf("catalogue: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(gdir, sourcesFile), lines.Bytes()); err != nil {
		return fmt.Errorf("catalogue: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(gdir, sourcesIndexFile), idx.Bytes()); err != nil {
		return fmt.Errorf("catalogue: %w", err)
	}
	return nil
}

// openCatalog opens the catalogue of gdir, which lists n documents.
func openCatalog(gdir string, n int) (*catalog, error) {
	idx, err := vellum.Open(filepath.Join(gdir, sourcesIndexFile))
	if err != nil {
		return nil, fmt.Errorf("open catalogue: %w", err)
	}
	if idx.Len() != n {
		idx.Close()
		return nil, fmt.Errorf("open catalogue: %d documents, manifest says %d", idx.Len(), n)
	}
	f, err := os.Open(filepath.Join(gdir, sourcesFile))
	if err != nil {
		idx.Close()
		return nil, fmt.Errorf("open catalogue: %w", err)
	}
	return &catalog{f: f, index: idx, n: n}, nil
}

func (c *catalog) close() error {
	if c == nil {
		return nil
	}
	return errors.Join(c.index.Close(), c.f.Close())
}

// source returns the document with id; ok is false when there is none or
// its line cannot be read.
func (c *catalog) source(id string) (Source, bool) {
	if c == nil {
		return Source{}, false
	}
	pos, ok, err := c.index.Get([]byte(id))
	if err != nil || !ok {
		return Source{}, false
	}
	buf := make([]byte, pos&(1<<lineLengthBits-1))
	if _, err := c.f.ReadAt(buf, int64(pos>>lineLengthBits)); err != nil {
		return Source{}, false
	}
	var s Source
	if json.Unmarshal(buf, &s) != nil {
		return Source{}, false
	}
	return s, true
}

// all reads every document, in corpus order.
func (c *catalog) all() ([]Source, error) {
	if c == nil {
		return nil, nil
	}
	out := make([]Source, 0, c.n)
	sc := bufio.NewScanner(&readerAt{r: c.f})
	sc.Buffer(make([]byte, 0, 64<<10), 1<<lineLengthBits)
	for sc.Scan() {
		var s Source
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			return nil, fmt.Errorf("read catalogue: %w", err)
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read catalogue: %w", err)
	}
	return out, nil
}

// first reads the first document of the catalogue.
func (c *catalog) first() (Source, error) {
	sc := bufio.NewScanner(&readerAt{r: c.f})
	sc.Buffer(make([]byte, 0, 4<<10), 1<<lineLengthBits)
	if !sc.Scan() {
		return Source{}, fmt.Errorf("read catalogue: empty: %v", sc.Err())
	}
	var s Source
	if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
		return Source{}, fmt.Errorf("read catalogue: %w", err)
	}
	return s, nil
}

// byID reads every document into a map by id.
func (c *catalog) byID() (map[string]Source, error) {
	all, err := c.all()
	if err != nil {
		return nil, err
	}
	m := make(map[string]Source, len(all))
	for _, s := range all {
		m[s.ID] = s
	}
	return m, nil
}

// readerAt reads a file from the start through ReadAt, so that concurrent
// readers of one *os.File do not share an offset.
type readerAt struct {
	r   *os.File
	off int64
}

func (r *readerAt) Read(p []byte) (int, error) {
	n, err := r.r.ReadAt(p, r.off)
	r.off += int64(n)
	if n > 0 && err != nil {
		err = nil // io.EOF comes with the next call
	}
	return n, err
}
