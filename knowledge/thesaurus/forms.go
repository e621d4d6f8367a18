package thesaurus

import (
	_ "embed"
	"sort"
	"strings"
)

//go:generate go run ./internal/formsgen -in wordnet.txt -out forms.txt

// formsData maps base forms to their irregular inflections; never modified.
//
//go:embed forms.txt
var formsData string

// Forms returns the irregular inflected forms of word's base forms, so a
// search for "wrote" can also find "written" and "leave" can find "left":
// for "wrote" it returns ["write", "written", "wrote"] minus word itself.
// Regular inflections are left to the stemmer. Nil when word has no base
// form or irregular form other than itself.
func (t Table) Forms(word string) []string {
	w := normalize(word)
	data := skipComments(formsData)
	bases := append([]string{w}, t.Lemmas(w)...)
	var out []string
	add := func(s string) {
		if s != w && !contains(out, s) {
			out = append(out, s)
		}
	}
	for _, b := range bases {
		add(b)
		if list, ok := lookupLine(data, b); ok {
			for _, f := range strings.Split(list, ",") {
				add(f)
			}
		}
	}
	return out
}

// lookupLine finds "key\tvalue" in sorted lines by binary search.
func lookupLine(data, key string) (string, bool) {
	i := sort.Search(len(data), func(i int) bool {
		start := strings.LastIndexByte(data[:i], '\n') + 1
		end := strings.IndexByte(data[start:], '\t')
		if end < 0 {
			return true
		}
		return data[start:start+end] >= key
	})
	rest := data[strings.LastIndexByte(data[:i], '\n')+1:]
	if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
		rest = rest[:nl]
	}
	k, v, ok := strings.Cut(rest, "\t")
	if !ok || k != key {
		return "", false
	}
	return v, true
}
