package knowledge

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/govbot-dev/govbot/knowledge/corpus"
	"github.com/govbot-dev/govbot/knowledge/document"
)

// A corpus stamp tells, without reading any document, whether a corpus is
// still the one an index was built from: a hash of the path, size and
// modification time of every file the loader would consider. Opening an
// index whose stamp matches the corpus skips loading, parsing and hashing
// every document (which is what building needs, and what made opening
// grow with the corpus). When the stamps differ the corpus is loaded and
// compared by content as before, so a touched but unchanged file costs one
// slow open, after which the new stamp is recorded.
//
// A file modified within stampSettle of the stamp is not trusted (a second
// change in the same clock tick would keep its size and time): the stamp
// is then "" and the corpus is loaded and compared by content.
const (
	stampFile   = "STAMP"
	stampSettle = 2 * time.Second
)

// corpusStamp returns the stamp of the corpus in dir ("" for the embedded
// corpus, whose stamp is a hash of its contents), or "" when it cannot be
// trusted.
func corpusStamp(ctx context.Context, dir string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", mappingVersion)
	if dir == "" {
		// The embedded corpus is in memory: hashing it costs microseconds.
		err := fs.WalkDir(corpus.FS(), ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(corpus.FS(), p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(data)
			fmt.Fprintf(h, "%s\x00%x\n", p, sum)
			return nil
		})
		if err != nil {
			return "", fmt.Errorf("stamp embedded corpus: %w", err)
		}
		return "embedded-" + hex.EncodeToString(h.Sum(nil)), nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("stamp corpus: %w", err)
	}
	if _, err := os.Stat(abs); err != nil {
		return "", fmt.Errorf("stamp corpus: %w", err)
	}
	w := stampWalker{ctx: ctx, settled: time.Now().Add(-stampSettle), sem: make(chan struct{}, 2*runtime.GOMAXPROCS(0))}
	sum, trusted, err := w.dir(abs, 0)
	if err != nil {
		return "", fmt.Errorf("stamp corpus: %w", err)
	}
	if !trusted {
		return "", nil
	}
	fmt.Fprintf(h, "%s\n%x\n", abs, sum)
	return "dir-" + hex.EncodeToString(h.Sum(nil)), nil
}

// stampWalker hashes a directory tree's names, sizes, times and modes,
// statting subdirectories in parallel (a corpus of a million passages has
// ten thousand files, and stat calls are most of the cost of a stamp).
type stampWalker struct {
	ctx     context.Context
	settled time.Time     // files modified after this are not trusted
	sem     chan struct{} // bounds the directories read at once
}

// dir returns the digest of the tree at osPath (entries in name order, as
// os.ReadDir returns them) and whether all its files are settled.
func (w stampWalker) dir(osPath string, depth int) ([sha256.Size]byte, bool, error) {
	h := sha256.New()
	if err := w.ctx.Err(); err != nil {
		return [sha256.Size]byte{}, false, err
	}
	entries, err := os.ReadDir(osPath)
	if err != nil {
		fmt.Fprintf(h, "unreadable\n")
	}
	type sub struct {
		name    string
		sum     [sha256.Size]byte
		trusted bool
		err     error
		done    chan struct{}
	}
	var subs []*sub
	trusted := true
	buf := make([]byte, 0, 128)
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		t := e.Type()
		if t&fs.ModeSymlink == 0 && !t.IsDir() && !document.Supported(name) {
			continue
		}
		childOS := filepath.Join(osPath, name)
		var info fs.FileInfo
		if t&fs.ModeSymlink != 0 {
			info, err = os.Stat(childOS)
		} else {
			info, err = e.Info()
		}
		if err != nil {
			fmt.Fprintf(h, "%s\x00%v\n", name, err)
			continue
		}
		if info.IsDir() {
			s := &sub{name: name, done: make(chan struct{})}
			subs = append(subs, s)
			if depth >= 40 { // a symlink loop: the loader reports it
				close(s.done)
				continue
			}
			select {
			case w.sem <- struct{}{}:
				go func() {
					defer func() { <-w.sem; close(s.done) }()
					s.sum, s.trusted, s.err = w.dir(childOS, depth+1)
				}()
			default: // enough in flight: do it here
				s.sum, s.trusted, s.err = w.dir(childOS, depth+1)
				close(s.done)
			}
			continue
		}
		if info.ModTime().After(w.settled) {
			trusted = false
		}
		buf = append(buf[:0], name...)
		buf = append(buf, 0)
		buf = strconv.AppendInt(buf, info.Size(), 10)
		buf = append(buf, 0)
		buf = strconv.AppendInt(buf, info.ModTime().UnixNano(), 10)
		buf = append(buf, 0)
		buf = strconv.AppendUint(buf, uint64(info.Mode()), 10)
		buf = append(buf, '\n')
		h.Write(buf)
	}
	var firstErr error
	for _, s := range subs {
		<-s.done
		if s.err != nil && firstErr == nil {
			firstErr = s.err
		}
		trusted = trusted && (s.trusted || depth >= 40)
		fmt.Fprintf(h, "%s/\x00%x\n", s.name, s.sum)
	}
	var out [sha256.Size]byte
	copy(out[:], h.Sum(nil))
	return out, trusted, firstErr
}

// readStamp returns the stamp recorded in a generation directory, or "".
func readStamp(gdir string) string {
	b, err := os.ReadFile(filepath.Join(gdir, stampFile))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// writeStamp records stamp in a generation directory; "" records nothing.
func writeStamp(gdir, stamp string) error {
	if stamp == "" {
		return nil
	}
	return writeFileAtomic(filepath.Join(gdir, stampFile), []byte(stamp+"\n"))
}
