package library

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/govbot-dev/govbot/knowledge/document"
)

// A folder is a directory of document files that the Library changes
// only through journaled steps, so that a crash at any moment leaves it
// as it was before the change or, once committed, as it should be after:
//
//  1. the new file is written whole to a hidden temporary file and synced;
//  2. a journal naming every step to come is written (atomically);
//  3. files replaced or removed are renamed to hidden backups, and the
//     temporary file is renamed into place;
//  4. the caller rebuilds the index;
//  5. commit deletes the backups, then the journal; rollback deletes the
//     new file, renames the backups back, then deletes the journal.
//
// recover rolls back whatever a crash interrupted before step 5: the
// journal is the single commit point. Hidden names (starting with ".")
// are ignored by the corpus loaders, so the index never sees the
// temporary file or a backup.
type folder struct {
	dir string
}

const (
	journalFile = ".govbot-change.json"
	lockFile    = ".govbot-lock"
)

// journal is one change in progress. Paths are slash-separated and
// relative to the folder.
type journal struct {
	Put   string  `json:"put,omitempty"`  // where the new file goes
	Temp  string  `json:"temp,omitempty"` // the new file until it is in place
	Aside []aside `json:"aside,omitempty"`
}

// aside is a file moved out of the way, to a hidden backup.
type aside struct {
	Orig   string `json:"orig"`
	Backup string `json:"backup"`
}

// errOutside: a path does not lead to a document file inside the folder.
var errOutside = errors.New("not a document file inside the collection")

func (f folder) abs(rel string) string { return filepath.Join(f.dir, filepath.FromSlash(rel)) }

// inside checks that rel names a regular file (or a link to one) whose
// folder is inside f, lexically and once links are resolved.
func (f folder) inside(rel string) error {
	osRel := filepath.FromSlash(rel)
	if rel == "" || !filepath.IsLocal(osRel) || !document.Supported(rel) {
		return errOutside
	}
	target := f.abs(rel)
	realDir, err := filepath.EvalSymlinks(f.dir)
	if err != nil {
		return fmt.Errorf("collection folder: %w", err)
	}
	realParent, err := filepath.EvalSymlinks(filepath.Dir(target))
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	if r, err := filepath.Rel(realDir, realParent); err != nil || !filepath.IsLocal(r) && r != "." {
		return errOutside
	}
	fi, err := os.Lstat(target)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	if !fi.Mode().IsRegular() && fi.Mode()&fs.ModeSymlink == 0 {
		return errOutside
	}
	return nil
}

// sameStem lists the visible document files in the folder's subfolder
// sub ("" for the top) named stem plus a document extension, in any case.
func (f folder) sameStem(sub, stem string) ([]string, error) {
	entries, err := os.ReadDir(f.abs(sub))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", sub, err)
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || !document.Supported(name) {
			continue
		}
		if strings.EqualFold(strings.TrimSuffix(name, path.Ext(name)), stem) {
			out = append(out, path.Join(sub, name))
		}
	}
	return out, nil
}

// stage writes data to a new hidden temporary file in the folder,
// synced, mode 0644, and returns its relative path.
func (f folder) stage(data []byte) (string, error) {
	if err := os.MkdirAll(f.dir, 0o755); err != nil {
		return "", fmt.Errorf("create collection folder: %w", err)
	}
	tmp, err := os.CreateTemp(f.dir, ".pending-*.tmp")
	if err != nil {
		return "", fmt.Errorf("store document: %w", err)
	}
	_, werr := tmp.Write(data)
	if werr == nil {
		werr = tmp.Chmod(0o644)
	}
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("store document: %w", werr)
	}
	return filepath.Base(tmp.Name()), nil
}

// apply writes j as the journal, then moves the files aside and the new
// file into place. On an error it rolls back what it did.
func (f folder) apply(j journal, hook func(string)) error {
	b, err := json.Marshal(j)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if err := writeFileAtomic(f.abs(journalFile), b); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	hook("journal")
	for _, a := range j.Aside {
		if err := os.Rename(f.abs(a.Orig), f.abs(a.Backup)); err != nil {
			return errors.Join(fmt.Errorf("set aside %s: %w", a.Orig, err), f.rollback(j))
		}
		hook("aside")
	}
	if j.Put != "" {
		if err := os.MkdirAll(filepath.Dir(f.abs(j.Put)), 0o755); err != nil {
			return errors.Join(fmt.Errorf("store document: %w", err), f.rollback(j))
		}
		if err := os.Rename(f.abs(j.Temp), f.abs(j.Put)); err != nil {
			return errors.Join(fmt.Errorf("store document: %w", err), f.rollback(j))
		}
		hook("placed")
	}
	return syncDir(f.dir)
}

// commit makes a change applied with j final.
func (f folder) commit(j journal) error {
	var errs []error
	for _, a := range j.Aside {
		if err := os.Remove(f.abs(a.Backup)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := os.Remove(f.abs(journalFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		errs = append(errs, err)
	}
	errs = append(errs, syncDir(f.dir))
	return errors.Join(errs...)
}

// rollback undoes whatever part of j was applied: the new file is
// removed only once it has left its temporary name (rename is atomic, so
// the temporary file still existing means it never reached Put), and
// backups that exist go back to their names.
func (f folder) rollback(j journal) error {
	var errs []error
	if j.Temp != "" {
		_, err := os.Lstat(f.abs(j.Temp))
		switch {
		case err == nil:
			errs = append(errs, os.Remove(f.abs(j.Temp)))
		case errors.Is(err, fs.ErrNotExist) && j.Put != "":
			if err := os.Remove(f.abs(j.Put)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	for _, a := range j.Aside {
		if _, err := os.Lstat(f.abs(a.Backup)); err != nil {
			continue // never moved
		}
		if err := os.Rename(f.abs(a.Backup), f.abs(a.Orig)); err != nil {
			errs = append(errs, fmt.Errorf("put back %s: %w", a.Orig, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("undo change: %w", err) // keep the journal: recover tries again
	}
	if err := os.Remove(f.abs(journalFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("undo change: %w", err)
	}
	return syncDir(f.dir)
}

// recover rolls back a change a crash interrupted, if any, and removes
// temporary files left by a crash before the journal was written. It
// reports whether there was a change to roll back.
func (f folder) recover() (bool, error) {
	b, err := os.ReadFile(f.abs(journalFile))
	if errors.Is(err, fs.ErrNotExist) {
		return false, f.removeStrayTemps()
	}
	if err != nil {
		return false, fmt.Errorf("read journal: %w", err)
	}
	var j journal
	if err := json.Unmarshal(b, &j); err != nil {
		// Written atomically, so never half a journal; refuse to guess.
		return false, fmt.Errorf("journal %s: %w", journalFile, err)
	}
	for _, p := range append([]string{j.Put, j.Temp}, backups(j)...) {
		if p != "" && !filepath.IsLocal(filepath.FromSlash(p)) {
			return false, fmt.Errorf("journal %s names %q: %w", journalFile, p, errOutside)
		}
	}
	if err := f.rollback(j); err != nil {
		return true, err
	}
	return true, f.removeStrayTemps()
}

func backups(j journal) []string {
	var out []string
	for _, a := range j.Aside {
		out = append(out, a.Orig, a.Backup)
	}
	return out
}

// removeStrayTemps deletes temporary files of changes that crashed before
// their journal was written.
func (f folder) removeStrayTemps() error {
	matches, err := filepath.Glob(filepath.Join(f.dir, ".pending-*.tmp"))
	if err != nil {
		return err
	}
	var errs []error
	for _, m := range matches {
		if err := os.Remove(m); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// backupName is a hidden name beside rel for a file set aside.
func backupName(rel string) string {
	return path.Join(path.Dir(rel), ".aside-"+randomHex()+"-"+path.Base(rel))
}

func randomHex() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func hashOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// writeFileAtomic writes data to p through a synced temporary file and a
// rename, then syncs the folder.
func writeFileAtomic(p string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-"+filepath.Base(p)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.Write(data)
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return werr
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		return err
	}
	return syncDir(filepath.Dir(p))
}

// syncDir makes renames in dir durable. File systems that cannot sync a
// directory are not an error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer d.Close()
	_ = d.Sync()
	return nil
}
