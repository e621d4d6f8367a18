package document

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
)

// LoadDir loads every document file under the directory dir on disk,
// recursively, in sorted path order. Paths are relative to dir and
// slash-separated.
//
// Files and directories whose names start with "." and files without a
// document extension are ignored. Symbolic links to files and directories
// are followed, also out of dir; a link that leads back to a directory it
// is in (itself or an ancestor, compared by device and inode) is skipped
// as a "symlink loop". A directory reached by several links is loaded
// once per path, as find -L does. A document file or directory that
// cannot be used is returned in skipped with the reason: unreadable files
// and directories, broken links and loops, files over the size limit
// (never read), binary, invalid or empty files, bad front matter. A broken
// or looping link whose name has an extension that is not a document
// extension is ignored like any other such file.
//
// The error is non-nil only when dir cannot be read or ctx is done (it
// wraps ctx.Err()); the slices are then nil. ctx is checked between
// files.
func LoadDir(ctx context.Context, dir string, opts Options) (docs []Document, skipped []Skipped, err error) {
	return loadListed(ctx, func() (*Listing, error) { return ListDir(ctx, dir, opts) })
}

// loadListed reads every file of the listing list returns: LoadDir and
// LoadFS are their listings, read whole.
func loadListed(ctx context.Context, list func() (*Listing, error)) ([]Document, []Skipped, error) {
	l, err := list()
	if err != nil {
		return nil, nil, err
	}
	defer l.Close()
	docs, skipped, err := loadAll(ctx, l)
	if err != nil {
		return nil, nil, fmt.Errorf("load documents: %w", err)
	}
	return docs, skipped, nil
}

// ListDir finds the document files under the directory dir on disk as
// LoadDir does, without reading them, except those whose IDs depend on
// whether others can be read (paths with the same slug), which are read
// once. Read the files with the Listing, in order, to get what LoadDir
// returns: Listing.Skipped and the files Read refuses are LoadDir's
// skipped files. The error is non-nil only when dir cannot be read or ctx
// is done (it wraps ctx.Err()).
func ListDir(ctx context.Context, dir string, opts Options) (*Listing, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("load documents: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("load documents: %s: not a directory", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("load documents: %w", err)
	}
	c := newCollector(opts)
	if err := c.walk(ctx, dir, "", []fs.FileInfo{info}, entries); err != nil {
		return nil, fmt.Errorf("load documents: %w", err)
	}
	l, err := c.listing(ctx, nil, opts)
	if err != nil {
		return nil, fmt.Errorf("load documents: %w", err)
	}
	return l, nil
}

// walk loads the entries of the directory at osPath, whose path relative
// to the root is rel. ancestors holds the directories from the root down
// to this one. It returns an error only when ctx is done.
func (c *collector) walk(ctx context.Context, osPath, rel string, ancestors []fs.FileInfo, entries []os.DirEntry) error {
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return err
		}
		name := e.Name()
		if hidden(name) {
			continue
		}
		childOS, childRel := filepath.Join(osPath, name), path.Join(rel, name)
		t := e.Type()
		if t&fs.ModeSymlink == 0 && !t.IsDir() && !Supported(name) {
			c.unsupported(childRel)
			continue // not worth a stat
		}
		var info fs.FileInfo
		var err error
		if t&fs.ModeSymlink != 0 {
			info, err = os.Stat(childOS)
		} else {
			info, err = e.Info()
		}
		if err != nil {
			if t.IsDir() || reportable(name) {
				c.skip(childRel, linkReason(t, err))
			}
			continue
		}

		if !info.IsDir() {
			if Supported(name) {
				c.loadDirFile(childOS, childRel, info)
			} else {
				c.unsupported(childRel)
			}
			continue
		}
		if inAncestors(info, ancestors) {
			c.skip(childRel, "symlink loop")
			continue
		}
		sub, err := os.ReadDir(childOS)
		if err != nil {
			c.skip(childRel, ioReason(err))
			// Go on with whatever was read before the error.
		}
		if err := c.walk(ctx, childOS, childRel, append(ancestors, info), sub); err != nil {
			return err
		}
	}
	return nil
}

func inAncestors(dir fs.FileInfo, ancestors []fs.FileInfo) bool {
	for _, a := range ancestors {
		if os.SameFile(dir, a) {
			return true
		}
	}
	return false
}

// loadDirFile lists the document file at osPath, which stat described as
// info.
func (c *collector) loadDirFile(osPath, rel string, info fs.FileInfo) {
	if !info.Mode().IsRegular() {
		c.skip(rel, "not a regular file")
		return
	}
	if c.tooLarge(rel, info.Size()) {
		return
	}
	c.add(rel, osPath, info)
}
