// Package corpus holds govbot's default knowledge base: the documents it
// must know, embedded in the binary, and the default synonyms list.
//
// The documents are data: their bodies are the source articles verbatim
// (page furniture such as stray dates and photo credits dropped), and their
// front matter states only what the text itself states.
package corpus

import (
	"embed"
	"io/fs"
)

//go:embed *.txt synonyms.yaml
var files embed.FS

// FS returns the embedded corpus as a read-only file system: one document
// per .txt file and the synonyms list in synonyms.yaml.
func FS() fs.FS { return files }
