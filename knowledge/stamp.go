package knowledge

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
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
	var lines []string
	settled := time.Now().Add(-stampSettle)
	trusted := true
	var walk func(osPath, rel string, depth int) error
	walk = func(osPath, rel string, depth int) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		entries, err := os.ReadDir(osPath)
		if err != nil {
			lines = append(lines, rel+"\x00unreadable")
			return nil
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			t := e.Type()
			if t&fs.ModeSymlink == 0 && !t.IsDir() && !document.Supported(name) {
				continue
			}
			childOS, childRel := filepath.Join(osPath, name), path.Join(rel, name)
			var info fs.FileInfo
			if t&fs.ModeSymlink != 0 {
				info, err = os.Stat(childOS)
			} else {
				info, err = e.Info()
			}
			if err != nil {
				lines = append(lines, childRel+"\x00"+err.Error())
				continue
			}
			if info.IsDir() {
				if depth >= 40 { // a symlink loop: the loader reports it
					lines = append(lines, childRel+"\x00deep")
					continue
				}
				if err := walk(childOS, childRel, depth+1); err != nil {
					return err
				}
				continue
			}
			if info.ModTime().After(settled) {
				trusted = false
			}
			lines = append(lines, fmt.Sprintf("%s\x00%d\x00%d\x00%v", childRel, info.Size(), info.ModTime().UnixNano(), info.Mode()))
		}
		return nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("stamp corpus: %w", err)
	}
	if _, err := os.Stat(abs); err != nil {
		return "", fmt.Errorf("stamp corpus: %w", err)
	}
	if err := walk(abs, "", 0); err != nil {
		return "", fmt.Errorf("stamp corpus: %w", err)
	}
	if !trusted {
		return "", nil
	}
	sort.Strings(lines)
	fmt.Fprintf(h, "%s\n", abs)
	for _, l := range lines {
		fmt.Fprintf(h, "%s\n", l)
	}
	return "dir-" + hex.EncodeToString(h.Sum(nil)), nil
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
