package bot

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"

	"github.com/govbot-dev/govbot/knowledge/document"
)

// uploadsDir is the folder of the knowledge directory that /kb add writes
// to; it is part of the corpus like any other folder.
const uploadsDir = "uploads"

// maxStem bounds the generated part of an upload's file name.
const maxStem = 60

// uploadName returns the name an upload is stored under, within
// uploadsDir: a slug of title when it has one, else of the attachment's
// file name without folders or extension, followed by the attachment's
// extension in lower case. The slug keeps only a-z, 0-9 and single "-"
// (accents are dropped, other scripts are not kept), at most maxStem
// bytes; "document" when nothing is left. Nothing of filename's folders
// ("../", "C:\") survives. ok is false when the extension is not one
// document.Supported accepts.
func uploadName(title, filename string) (stem, ext string, ok bool) {
	base := path.Base(strings.ReplaceAll(filename, `\`, "/"))
	ext = strings.ToLower(path.Ext(base))
	if !document.Supported("x"+ext) || base == ext {
		return "", "", false
	}
	stem = slugASCII(title)
	if stem == "" {
		stem = slugASCII(strings.TrimSuffix(base, path.Ext(base)))
	}
	if stem == "" {
		stem = "document"
	}
	return stem, ext, true
}

// slugASCII is s in lower case with accents dropped and every run of
// other characters than a-z and 0-9 replaced by one "-", without "-" at
// either end, cut to maxStem bytes.
func slugASCII(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			if b.Len() >= maxStem {
				break
			}
			continue
		}
		dash = true
	}
	return strings.TrimRight(b.String(), "-")
}

// titleLine matches a front matter "title:" key and the indented lines
// that continue its value.
var titleLine = regexp.MustCompile(`(?i)^title\s*:`)

// withTitle returns the file data with title as its front matter title:
// an existing title is replaced, other front matter is kept, and a file
// without front matter gets some. The title is put on one line, without
// control or invisible characters, at most maxTitleOption characters.
// Data that is not UTF-8 is returned unchanged (the parser rejects it).
func withTitle(data []byte, title string) []byte {
	title = cleanTitle(title)
	if title == "" || !utf8.Valid(data) {
		return data
	}
	fm, err := yaml.Marshal(map[string]string{"title": title})
	if err != nil {
		return data
	}
	text := strings.ReplaceAll(strings.TrimPrefix(string(data), "\uFEFF"), "\r\n", "\n")
	lines := strings.SplitAfter(text, "\n")
	if len(lines) > 1 && strings.TrimRight(lines[0], " \t\n") == "---" {
		for i := 1; i < len(lines); i++ {
			if strings.TrimRight(lines[i], " \t\n") != "---" {
				continue
			}
			var kept []string
			skipping := false
			for _, l := range lines[1:i] {
				if titleLine.MatchString(l) {
					skipping = true
					continue
				}
				if skipping && (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) {
					continue
				}
				skipping = false
				kept = append(kept, l)
			}
			return []byte("---\n" + string(fm) + strings.Join(kept, "") + strings.Join(lines[i:], ""))
		}
	}
	return []byte("---\n" + string(fm) + "---\n\n" + text)
}

// cleanTitle is a title typed by a user, fit for front matter.
func cleanTitle(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, s)
	s = oneLine(s)
	if r := []rune(s); len(r) > maxTitleOption {
		s = strings.TrimSpace(string(r[:maxTitleOption]))
	}
	return s
}

// placed is a file put into the corpus that can be undone until it is
// kept: replaced files wait in hidden backups (the corpus loaders ignore
// names starting with ".").
type placed struct {
	path    string            // the new file
	rel     string            // its slash-separated path within the corpus
	backups map[string]string // replaced file → its hidden backup
}

// keep drops the backups: the change is final.
func (p *placed) keep() {
	for _, bak := range p.backups {
		_ = os.Remove(bak)
	}
}

// undo removes the new file and restores the ones it replaced.
func (p *placed) undo() error {
	var errs []error
	if p.path != "" {
		if err := os.Remove(p.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	for orig, bak := range p.backups {
		if err := os.Rename(bak, orig); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// placeUpload writes data into dir/uploads as stem+ext (created 0644).
// Without replace it never overwrites: when a file of that stem exists
// (whatever its extension, since the loaders would derive the same
// document id) it tries stem-2, stem-3, ... With replace, the files of
// that stem are replaced. The data is written to a hidden temporary file
// first and moved into place whole, so a reload never reads half a file.
func placeUpload(dir, stem, ext string, data []byte, replace bool) (*placed, error) {
	up := filepath.Join(dir, uploadsDir)
	if err := os.MkdirAll(up, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", uploadsDir, err)
	}
	if fi, err := os.Lstat(up); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", uploadsDir)
	}
	tmp, err := writeTemp(up, data)
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp) // a no-op once it is renamed
	if replace {
		p := &placed{backups: map[string]string{}}
		same, err := sameStem(up, stem)
		if err != nil {
			return nil, err
		}
		for _, name := range same {
			orig := filepath.Join(up, name)
			bak := filepath.Join(up, ".replaced-"+randomHex()+"-"+name)
			if err := os.Rename(orig, bak); err != nil {
				_ = p.undo()
				return nil, fmt.Errorf("set aside %s: %w", name, err)
			}
			p.backups[orig] = bak
		}
		p.path = filepath.Join(up, stem+ext)
		if err := os.Rename(tmp, p.path); err != nil {
			p.path = ""
			_ = p.undo()
			return nil, fmt.Errorf("store upload: %w", err)
		}
		p.rel = uploadsDir + "/" + stem + ext
		return p, nil
	}
	for n := 1; n <= 1000; n++ {
		name := stem
		if n > 1 {
			name = stem + "-" + strconv.Itoa(n)
		}
		if same, err := sameStem(up, name); err != nil {
			return nil, err
		} else if len(same) > 0 {
			continue
		}
		target := filepath.Join(up, name+ext)
		switch err := os.Link(tmp, target); {
		case err == nil:
		case errors.Is(err, fs.ErrExist):
			continue
		default:
			// No hard links on this file system: the stem was free a
			// moment ago and the corpus lock keeps govbot from racing
			// itself, so a rename is safe enough.
			if err := os.Rename(tmp, target); err != nil {
				return nil, fmt.Errorf("store upload: %w", err)
			}
		}
		return &placed{path: target, rel: uploadsDir + "/" + name + ext}, nil
	}
	return nil, errors.New("store upload: too many documents with that name")
}

// writeTemp writes data to a new hidden file in dir, synced, mode 0644.
func writeTemp(dir string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, ".upload-*.tmp")
	if err != nil {
		return "", fmt.Errorf("store upload: %w", err)
	}
	_, werr := f.Write(data)
	if werr == nil {
		werr = f.Sync()
	}
	if werr == nil {
		werr = f.Chmod(0o644)
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("store upload: %w", werr)
	}
	return f.Name(), nil
}

// sameStem lists the visible document files in dir named stem plus a
// document extension, in any case.
func sameStem(dir, stem string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", uploadsDir, err)
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || !document.Supported(name) {
			continue
		}
		if strings.EqualFold(strings.TrimSuffix(name, path.Ext(name)), stem) {
			out = append(out, name)
		}
	}
	return out, nil
}

// errOutsideCorpus: a document's path does not lead to a file inside the
// knowledge directory.
var errOutsideCorpus = errors.New("not a file inside the knowledge directory")

// setAside moves the document file at rel (slash-separated, relative to
// dir) to a hidden backup beside it, so that a reload no longer sees it;
// undo puts it back, keep deletes it. It refuses paths that leave dir,
// lexically or through a symbolic link to a folder elsewhere, and
// anything that is not a regular file or a link to one.
func setAside(dir, rel string) (*placed, error) {
	osRel := filepath.FromSlash(rel)
	if rel == "" || !filepath.IsLocal(osRel) {
		return nil, errOutsideCorpus
	}
	target := filepath.Join(dir, osRel)
	realDir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, fmt.Errorf("knowledge directory: %w", err)
	}
	realParent, err := filepath.EvalSymlinks(filepath.Dir(target))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	if r, err := filepath.Rel(realDir, realParent); err != nil || !filepath.IsLocal(r) && r != "." {
		return nil, errOutsideCorpus
	}
	fi, err := os.Lstat(target)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	if !fi.Mode().IsRegular() && fi.Mode()&fs.ModeSymlink == 0 {
		return nil, errOutsideCorpus
	}
	bak := filepath.Join(filepath.Dir(target), ".removed-"+randomHex()+"-"+filepath.Base(target))
	if err := os.Rename(target, bak); err != nil {
		return nil, fmt.Errorf("remove %s: %w", rel, err)
	}
	return &placed{rel: rel, backups: map[string]string{target: bak}}, nil
}

func randomHex() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
