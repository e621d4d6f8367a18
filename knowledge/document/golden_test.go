package document

import (
	"fmt"
	"strings"
)

// render writes the metadata and body of doc for a golden file.
func render(doc Document) string {
	var b strings.Builder
	for _, f := range []struct{ k, v string }{
		{"id", doc.ID}, {"title", doc.Title}, {"author", doc.Author}, {"translator", doc.Translator},
		{"publication", doc.Publication}, {"published", doc.Published}, {"url", doc.URL},
	} {
		if f.v != "" {
			fmt.Fprintf(&b, "%s: %s\n", f.k, f.v)
		}
	}
	b.WriteString("-- body --\n")
	b.WriteString(doc.Body)
	b.WriteString("\n-- end --\n")
	return b.String()
}
