package document

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// collector gathers the document files and skipped files of one listing.
type collector struct {
	max     int64
	ignore  map[string]bool
	files   []File
	skipped []Skipped
}

func newCollector(opts Options) *collector {
	ignore := map[string]bool{}
	for _, p := range opts.Ignore {
		ignore[p] = true
	}
	return &collector{max: opts.maxFileSize(), ignore: ignore}
}

// unsupported reports a file that is not a document, unless the caller
// uses it itself.
func (c *collector) unsupported(p string) {
	if c.ignore[p] {
		return
	}
	ext := path.Ext(p)
	if ext == "" {
		c.skip(p, ErrUnsupported.Error()+" (no extension)")
		return
	}
	c.skip(p, fmt.Sprintf("%s %s", ErrUnsupported, strings.ToLower(ext)))
}

func (c *collector) skip(p, reason string) {
	c.skipped = append(c.skipped, Skipped{Path: p, Reason: reason})
}

// tooLarge reports whether a file of size bytes is over the limit, and
// skips it if so.
func (c *collector) tooLarge(p string, size int64) bool {
	if size <= c.max {
		return false
	}
	c.skip(p, fmt.Sprintf("larger than %s limit (%s)", formatSize(c.max), formatSize(size)))
	return true
}

// add lists the document file at p (name is how to open it), which stat
// described as info.
func (c *collector) add(p, name string, info fs.FileInfo) {
	c.files = append(c.files, File{Path: p, Size: info.Size(), ModTime: info.ModTime(), name: name})
}

// listing sorts what was gathered by path and assigns IDs: reading the
// files whose IDs depend on whether others can be read (see entangled).
func (c *collector) listing(ctx context.Context, fsys fs.FS, opts Options) (*Listing, error) {
	slices.SortFunc(c.files, func(a, b File) int { return cmp.Compare(a.Path, b.Path) })
	slices.SortFunc(c.skipped, func(a, b Skipped) int { return cmp.Compare(a.Path, b.Path) })
	l := &Listing{Files: c.files, Skipped: c.skipped, fsys: fsys, max: c.max, parser: NewParser(opts)}
	slugs := make([]string, len(l.Files))
	for i, f := range l.Files {
		slugs[i] = slug(f.Path)
	}
	var readable []string
	var at []int
	for i, e := range entangled(slugs) {
		if e {
			if err := ctx.Err(); err != nil {
				l.Close()
				return nil, err
			}
			if _, err := l.read(ctx, l.Files[i]); err != nil {
				if l.failed == nil {
					l.failed = map[string]string{}
				}
				l.failed[l.Files[i].Path] = err.Error()
				continue
			}
		}
		readable = append(readable, l.Files[i].Path)
		at = append(at, i)
	}
	for k, id := range uniqueIDs(readable) {
		l.Files[at[k]].ID = id
	}
	return l, nil
}

// File is a document file found by ListDir or ListFS and not yet read.
type File struct {
	Path    string // slash-separated path relative to the corpus root
	ID      string // the ID its Document gets (see IDs in the package doc); "" when it is known to be unusable
	Size    int64  // as stat said when listed
	ModTime time.Time
	name    string // how to open it: a path on disk, or in the listing's fs.FS
}

// Listing is the document files of a corpus, found without reading them,
// so that a caller can read, use and release one document at a time.
// Read and Hash are safe for concurrent use. Close it when done.
type Listing struct {
	Files   []File    // in sorted Path order
	Skipped []Skipped // files found unusable while listing, in sorted Path order
	fsys    fs.FS     // nil: Files are on disk
	max     int64
	parser  *Parser
	failed  map[string]string // reasons of files read while assigning IDs that could not be used, by path
}

// Close releases the PDF reader, if one was started.
func (l *Listing) Close() error { return l.parser.Close() }

// Read reads and parses f, one of l.Files, into a Document with f's ID.
// On failure the error's text is the reason to show for skipping the file
// (as LoadDir reports it).
func (l *Listing) Read(ctx context.Context, f File) (Document, error) {
	if reason, ok := l.failed[f.Path]; ok {
		return Document{}, errors.New(reason)
	}
	doc, err := l.read(ctx, f)
	if err != nil {
		return Document{}, err
	}
	doc.ID = f.ID
	return doc, nil
}

func (l *Listing) read(ctx context.Context, f File) (Document, error) {
	data, err := l.bytes(f)
	if err != nil {
		return Document{}, err
	}
	doc, err := l.parser.Parse(ctx, f.Path, data)
	if err != nil {
		return Document{}, err
	}
	doc.ModTime = f.ModTime
	return doc, nil
}

// Hash returns the hex SHA-256 of the bytes of f, one of l.Files: the
// Hash its Document would have. The error's text is a reason to skip it.
func (l *Listing) Hash(f File) (string, error) {
	data, err := l.bytes(f)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}

// bytes reads the content of f, at most one byte more than the limit, in
// case the file has grown since it was listed.
func (l *Listing) bytes(f File) ([]byte, error) {
	var r io.ReadCloser
	var err error
	if l.fsys != nil {
		r, err = l.fsys.Open(f.name)
	} else {
		r, err = os.Open(f.name)
	}
	if err != nil {
		return nil, errors.New(ioReason(err))
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, l.max+1))
	if err != nil {
		return nil, errors.New(ioReason(err))
	}
	if int64(len(data)) > l.max {
		return nil, fmt.Errorf("larger than %s limit", formatSize(l.max))
	}
	return data, nil
}

// loadAll reads every file of l, in order: what LoadDir and LoadFS return.
func loadAll(ctx context.Context, l *Listing) ([]Document, []Skipped, error) {
	var docs []Document
	skipped := slices.Clone(l.Skipped)
	for _, f := range l.Files {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		doc, err := l.Read(ctx, f)
		if err != nil {
			skipped = append(skipped, Skipped{Path: f.Path, Reason: err.Error()})
			continue
		}
		docs = append(docs, doc)
	}
	slices.SortStableFunc(skipped, func(a, b Skipped) int { return cmp.Compare(a.Path, b.Path) })
	return docs, skipped, nil
}

// hidden reports whether a file or directory name is hidden from loading.
func hidden(name string) bool { return strings.HasPrefix(name, ".") }

// ioReason turns an error from opening, reading or resolving a file into a
// short skip reason.
func ioReason(err error) string {
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, syscall.ELOOP):
		return "symlink loop"
	case errors.Is(err, fs.ErrNotExist):
		return "no longer exists"
	case errors.As(err, &pe):
		return "cannot read: " + pe.Err.Error()
	}
	return "cannot read: " + err.Error()
}

// formatSize writes a byte count for people: "900 B", "10 MiB", "52.4 MiB".
func formatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	v, prefix := float64(n)/unit, 0
	for v >= unit && prefix < len("KMGTPE")-1 {
		v /= unit
		prefix++
	}
	s := strings.TrimSuffix(strconv.FormatFloat(v, 'f', 1, 64), ".0")
	return s + " " + "KMGTPE"[prefix:prefix+1] + "iB"
}
