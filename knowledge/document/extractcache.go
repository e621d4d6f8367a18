package document

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
)

// extractVersion changes whenever what the PDF, DOCX or ODT readers
// extract changes, so that cached extractions are not reused.
const extractVersion = "extract-v1"

// extractCache keeps what was extracted from PDF, DOCX and ODT files,
// keyed by the hash of their bytes, so that opening an index over a
// corpus of PDFs does not read every PDF again. A damaged or unreadable
// cache entry is ignored. Entries are small (the text) and are not
// removed when the file goes away.
type extractCache struct{ dir string }

// cachedExtraction is an entry: the extraction, or the reason the file
// cannot be used (for the reasons that do not change on a second try).
type cachedExtraction struct {
	Title, Author, Published string
	Body                     string
	Anchors                  []Anchor
	Reason                   string // "encrypted", "no text layer" or "damaged"
}

func (c extractCache) path(kind kind, data []byte) string {
	h := sha256.New()
	h.Write([]byte(extractVersion))
	h.Write([]byte{byte(kind)})
	h.Write(data)
	return filepath.Join(c.dir, hex.EncodeToString(h.Sum(nil))+".json")
}

// get returns the cached extraction of data, if any.
func (c extractCache) get(k kind, data []byte) (extracted, error, bool) {
	if c.dir == "" {
		return extracted{}, nil, false
	}
	raw, err := os.ReadFile(c.path(k, data))
	if err != nil {
		return extracted{}, nil, false
	}
	var e cachedExtraction
	if json.Unmarshal(raw, &e) != nil {
		return extracted{}, nil, false
	}
	switch e.Reason {
	case "":
		return extracted{meta: meta{Title: e.Title, Author: e.Author, Published: e.Published}, body: e.Body, anchors: e.Anchors}, nil, true
	case "encrypted":
		return extracted{}, ErrEncrypted, true
	case "no text layer":
		return extracted{}, ErrNoTextLayer, true
	}
	return extracted{}, nil, false
}

// put stores the outcome of an extraction, when it is worth keeping.
func (c extractCache) put(k kind, data []byte, ex extracted, err error) {
	if c.dir == "" {
		return
	}
	e := cachedExtraction{Title: ex.meta.Title, Author: ex.meta.Author, Published: ex.meta.Published, Body: ex.body, Anchors: ex.anchors}
	switch {
	case err == nil:
	case errors.Is(err, ErrEncrypted):
		e = cachedExtraction{Reason: "encrypted"}
	case errors.Is(err, ErrNoTextLayer):
		e = cachedExtraction{Reason: "no text layer"}
	default:
		return // a time limit or a damaged file may go otherwise next time
	}
	raw, merr := json.Marshal(e)
	if merr != nil {
		return
	}
	if os.MkdirAll(c.dir, 0o755) != nil {
		return
	}
	p := c.path(k, data)
	tmp, terr := os.CreateTemp(c.dir, ".tmp-*")
	if terr != nil {
		return
	}
	_, werr := tmp.Write(raw)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), p) != nil {
		os.Remove(tmp.Name())
	}
}
