package document

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// collector gathers the documents and skipped files of one load.
type collector struct {
	ctx     context.Context
	max     int64
	parser  *Parser
	ignore  map[string]bool
	docs    []Document
	skipped []Skipped
}

func newCollector(ctx context.Context, opts Options) *collector {
	ignore := map[string]bool{}
	for _, p := range opts.Ignore {
		ignore[p] = true
	}
	return &collector{ctx: ctx, max: opts.maxFileSize(), parser: NewParser(opts), ignore: ignore}
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

// read reads the file at p from r, which stat said is not over the limit,
// and adds it. It reads at most one byte more than the limit, in case the
// file has grown since.
func (c *collector) read(p string, r io.Reader, modTime time.Time) {
	data, err := io.ReadAll(io.LimitReader(r, c.max+1))
	if err != nil {
		c.skip(p, ioReason(err))
		return
	}
	if int64(len(data)) > c.max {
		c.skip(p, fmt.Sprintf("larger than %s limit", formatSize(c.max)))
		return
	}
	doc, err := c.parser.Parse(c.ctx, p, data)
	if err != nil {
		c.skip(p, err.Error())
		return
	}
	doc.ModTime = modTime
	c.docs = append(c.docs, doc)
}

// result sorts what was gathered by path and makes document IDs unique.
// It releases the parser.
func (c *collector) result() ([]Document, []Skipped) {
	c.parser.Close()
	slices.SortFunc(c.docs, func(a, b Document) int { return cmp.Compare(a.Path, b.Path) })
	slices.SortFunc(c.skipped, func(a, b Skipped) int { return cmp.Compare(a.Path, b.Path) })
	assignIDs(c.docs)
	return c.docs, c.skipped
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
