package document

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

// meta is the metadata a document states about itself.
type meta struct {
	Title, Author, Translator, Publication, Published, URL string
}

// fill sets every empty field of m from o.
func (m *meta) fill(o meta) {
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&m.Title, o.Title}, {&m.Author, o.Author}, {&m.Translator, o.Translator},
		{&m.Publication, o.Publication}, {&m.Published, o.Published}, {&m.URL, o.URL},
	} {
		if *f.dst == "" {
			*f.dst = f.src
		}
	}
}

// frontMatter splits text (BOM removed, LF line ends) into its front matter
// and the rest. Without front matter it returns the zero meta and text
// unchanged. With it, rest is what follows the closing line, less any run of
// blank lines directly after it. Errors wrap ErrFrontMatter.
func frontMatter(text string) (meta, string, error) {
	first, after, ok := cutLine(text)
	if !ok || !isFence(first) {
		return meta{}, text, nil
	}
	// Find the closing fence. The YAML given to the parser keeps the
	// opening "---" (a YAML document start) so that its line numbers count
	// from the first line of the file. (yaml.v3 itself places some parser
	// errors a line early; its messages are passed on unchanged.)
	var yamlEnd, rest int
	found := false
	for pos := len(text) - len(after); pos < len(text); {
		line, _, _ := cutLine(text[pos:])
		next := pos + len(line) + 1
		if isFence(line) {
			yamlEnd, rest, found = pos, min(next, len(text)), true
			break
		}
		pos = next
	}
	if !found {
		return meta{}, "", fmt.Errorf("%w: no closing \"---\" line", ErrFrontMatter)
	}
	m, err := decodeFrontMatter(text[:yamlEnd])
	if err != nil {
		return meta{}, "", fmt.Errorf("%w: %w", ErrFrontMatter, err)
	}
	return m, trimBlankLines(text[rest:]), nil
}

// cutLine returns the first line of s without its "\n" and what follows
// it; ok is false when s has no "\n".
func cutLine(s string) (line, after string, ok bool) {
	return strings.Cut(s, "\n")
}

// isFence reports whether line is "---", allowing trailing blanks.
func isFence(line string) bool {
	return strings.TrimRight(line, " \t") == "---"
}

// trimBlankLines drops the leading lines of s that hold only blanks.
func trimBlankLines(s string) string {
	for {
		line, after, ok := cutLine(s)
		if !ok || strings.Trim(line, " \t\r") != "" {
			return s
		}
		s = after
	}
}

// field returns the field of m that key sets, or nil for an unknown key.
// "date" is handled by the caller as a fallback for "published".
func (m *meta) field(key string) *string {
	switch key {
	case "title":
		return &m.Title
	case "author":
		return &m.Author
	case "translator":
		return &m.Translator
	case "publication":
		return &m.Publication
	case "published":
		return &m.Published
	case "url":
		return &m.URL
	}
	return nil
}

// decodeFrontMatter reads the YAML of a front matter block.
func decodeFrontMatter(src string) (meta, error) {
	dec := yaml.NewDecoder(strings.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return meta{}, nil
		}
		return meta{}, err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return meta{}, err
		}
		return meta{}, fmt.Errorf("line %d: more than one YAML document", extra.Line)
	}
	if len(doc.Content) == 0 {
		return meta{}, nil
	}
	root := doc.Content[0]
	switch {
	case root.Kind == yaml.ScalarNode && root.Tag == "!!null":
		return meta{}, nil // only comments, or nothing
	case root.Kind != yaml.MappingNode:
		return meta{}, fmt.Errorf("line %d: want \"key: value\" lines, not %s", root.Line, describe(root))
	}

	var m meta
	var date string
	seen := map[string]int{} // key -> line it was given on
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			continue
		}
		key := strings.ToLower(strings.TrimSpace(k.Value))
		field := m.field(key)
		if field == nil && key != "date" {
			continue
		}
		if line, dup := seen[key]; dup {
			return meta{}, fmt.Errorf("line %d: %s already given on line %d", k.Line, key, line)
		}
		seen[key] = k.Line
		s, err := scalarText(key, v)
		if err != nil {
			return meta{}, err
		}
		if field == nil {
			date = s
			continue
		}
		*field = s
	}
	if m.Published == "" {
		m.Published = date
	}
	m.Published = normaliseDate(m.Published)
	return m, nil
}

// scalarText returns the text of a front matter value, or an error naming
// key when the value is not a scalar.
func scalarText(key string, v *yaml.Node) (string, error) {
	n := v
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!binary" {
		return "", fmt.Errorf("line %d: %s must be text, not %s", v.Line, key, describe(n))
	}
	if n.Tag == "!!null" {
		return "", nil
	}
	return collapseSpace(n.Value), nil
}

// describe names the YAML type of n for an error message.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		if n.Tag == "!!binary" {
			return "binary data"
		}
		return fmt.Sprintf("the single value %q", n.Value)
	}
	return "an unknown YAML node"
}
