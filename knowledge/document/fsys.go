package document

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
)

// LoadFS loads every document file under fsys (such as the embedded
// corpus), in sorted path order. Paths are those of fsys.
//
// Files and directories whose names start with "." and files without a
// document extension are ignored. A document file that cannot be used is
// returned in skipped with the reason; so is a directory that cannot be
// read. A symbolic link to a file is loaded as the file; links to
// directories are not followed, because an fs.FS cannot tell a loop (use
// LoadDir for a directory on disk).
//
// The error is non-nil only when the root of fsys cannot be read or ctx is
// done (it wraps ctx.Err()); the slices are then nil. ctx is checked
// between files.
func LoadFS(ctx context.Context, fsys fs.FS, opts Options) (docs []Document, skipped []Skipped, err error) {
	return loadListed(ctx, func() (*Listing, error) { return ListFS(ctx, fsys, opts) })
}

// ListFS finds the document files under fsys as LoadFS does, without
// reading them (see ListDir).
func ListFS(ctx context.Context, fsys fs.FS, opts Options) (*Listing, error) {
	c := newCollector(opts)
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if p == "." {
			return err // the root: reading it is the one thing that must work
		}
		if hidden(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if err != nil { // a directory that cannot be read
			c.skip(p, ioReason(err))
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !Supported(p) {
			if d.Type()&fs.ModeSymlink == 0 {
				c.unsupported(p) // a link may be to a directory, which is not followed
			}
			return nil
		}
		c.loadFile(fsys, p, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load documents: %w", err)
	}
	l, err := c.listing(ctx, fsys, opts)
	if err != nil {
		return nil, fmt.Errorf("load documents: %w", err)
	}
	return l, nil
}

// loadFile lists the document file at p, found as d.
func (c *collector) loadFile(fsys fs.FS, p string, d fs.DirEntry) {
	info, err := fs.Stat(fsys, p) // follows a symbolic link
	if err != nil {
		c.skip(p, linkReason(d.Type(), err))
		return
	}
	if !info.Mode().IsRegular() {
		c.skip(p, irregular(info.Mode()))
		return
	}
	if c.tooLarge(p, info.Size()) {
		return
	}
	c.add(p, p, info)
}

// linkReason is the reason for skipping a file of type t that could not
// be stat'ed.
func linkReason(t fs.FileMode, err error) string {
	if t&fs.ModeSymlink != 0 && errors.Is(err, fs.ErrNotExist) {
		return "broken symlink"
	}
	return ioReason(err)
}

// irregular is the reason for skipping something that is not a regular
// file.
func irregular(m fs.FileMode) string {
	if m.IsDir() {
		return "symlink to a directory (not followed)"
	}
	return "not a regular file"
}

// reportable reports whether an entry named name that cannot be resolved
// may be a document file or directory, and so is worth reporting.
func reportable(name string) bool {
	return Supported(name) || path.Ext(name) == ""
}
