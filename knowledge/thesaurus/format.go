package thesaurus

import (
	"errors"
	"fmt"
	"strings"
)

// ErrMalformed is wrapped by Parse's errors, which also name the line.
var ErrMalformed = errors.New("malformed thesaurus data")

// Parse builds a table from data in the format described in the package
// documentation, for tests and for admins' own tables. It checks every
// line, so that lookups can trust the data, and returns an error wrapping
// ErrMalformed that names the first bad line. The table shares data's
// memory.
func Parse(data string) (Table, error) {
	body := skipComments(data)
	first := strings.Count(data[:len(data)-len(body)], "\n") + 1 // line number of body's first line
	type irregular struct {
		line  int
		word  string
		bases string
	}
	var checkLater []irregular
	prev := ""
	for n, rest := first, body; rest != ""; n++ {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		e, err := checkEntry(line)
		if err != nil {
			return Table{}, fmt.Errorf("%w: line %d: %v", ErrMalformed, n, err)
		}
		if prev != "" && e.word <= prev {
			return Table{}, fmt.Errorf("%w: line %d: %q is not after %q: lines must be sorted by word, each word once", ErrMalformed, n, e.word, prev)
		}
		prev = e.word
		if e.bases != "" {
			checkLater = append(checkLater, irregular{n, e.word, e.bases})
		}
	}
	for _, ir := range checkLater {
		for _, it := range strings.Split(ir.bases, ",") {
			w, _, _ := strings.Cut(it, ":")
			if b, ok := find(body, w, ""); !ok || b.pos == 0 {
				return Table{}, fmt.Errorf("%w: line %d: base form %q of %q is no base form of the table", ErrMalformed, ir.line, w, ir.word)
			}
		}
	}
	return Table{data: body}, nil
}

// checkEntry checks one line and returns its entry.
func checkEntry(line string) (entry, error) {
	fields := strings.Split(line, "\t")
	if len(fields) < 2 || len(fields) > 4 {
		return entry{}, fmt.Errorf("want word<TAB>synonyms[<TAB>parts of speech[<TAB>base forms]], got %d fields", len(fields))
	}
	word := fields[0]
	if err := checkWord(word); err != nil {
		return entry{}, fmt.Errorf("word: %w", err)
	}
	pos := anyPOS
	if len(fields) > 2 {
		switch letters := fields[2]; letters {
		case "-":
			pos = 0
		default:
			var ok bool
			if pos, ok = parsePOS(letters); !ok {
				return entry{}, fmt.Errorf("word %q: parts of speech %q: want distinct letters from \"nvar\", or \"-\"", word, letters)
			}
		}
	}
	if err := checkList(fields[1], word, pos, false); err != nil {
		return entry{}, fmt.Errorf("word %q: synonyms: %w", word, err)
	}
	if pos == 0 && fields[1] != "" {
		return entry{}, fmt.Errorf("word %q: is no base form (\"-\") but has synonyms", word)
	}
	if len(fields) == 4 {
		if fields[3] == "" {
			return entry{}, fmt.Errorf("word %q: empty base forms; omit the field instead", word)
		}
		if err := checkList(fields[3], word, pos, true); err != nil {
			return entry{}, fmt.Errorf("word %q: base forms: %w", word, err)
		}
	} else if pos == 0 {
		return entry{}, fmt.Errorf("word %q: is no base form (\"-\") but lists no base forms", word)
	}
	return splitEntry(line), nil
}

// checkList checks a comma-separated list of synonyms or (bases) base
// forms of word, a base form in parts of speech pos.
func checkList(list, word string, pos posSet, bases bool) error {
	if list == "" {
		return nil
	}
	items := strings.Split(list, ",")
	for i, it := range items {
		w, tag, tagged := strings.Cut(it, ":")
		if err := checkWord(w); err != nil {
			return fmt.Errorf("item %d: %w", i+1, err)
		}
		if tagged {
			p, ok := parsePOS(tag)
			if !ok {
				return fmt.Errorf("%q: parts of speech %q: want distinct letters from \"nvar\"", w, tag)
			}
			if !bases && p&^pos != 0 {
				return fmt.Errorf("%q: parts of speech %q are not all the word's", w, tag)
			}
		}
		if w == word && !bases {
			return fmt.Errorf("lists the word itself")
		}
		if w == word && pos == 0 {
			return fmt.Errorf("lists the word itself, which is no base form")
		}
		for _, prev := range items[:i] {
			if p, _, _ := strings.Cut(prev, ":"); p == w {
				return fmt.Errorf("%q twice", w)
			}
		}
	}
	return nil
}

// checkWord checks that w can be a word of a table.
func checkWord(w string) error {
	if w == "" {
		return errors.New("empty word")
	}
	if strings.HasPrefix(w, "#") {
		return fmt.Errorf("%q: a word cannot start with \"#\" (comments go before the first entry)", w)
	}
	if strings.ContainsAny(w, " \t\r,:") {
		return fmt.Errorf("%q: a word cannot contain spaces, commas or colons", w)
	}
	if w != normalize(w) {
		return fmt.Errorf("%q: words must be lowercase", w)
	}
	return nil
}
