package thesaurus

import (
	_ "embed"
	"strings"
)

//go:generate go run ./internal/gen -wordnet /usr/share/wordnet -out wordnet.txt

// wordnetData is the generated table; never modified.
//
//go:embed wordnet.txt
var wordnetData string

// WordNet returns the table derived from WordNet 3.0 that ships with
// govbot. It neither copies nor checks the embedded data (a test does),
// so it is cheap enough to call wherever a table is needed.
func WordNet() Table {
	return Table{data: skipComments(wordnetData)}
}

// skipComments returns data without its leading comment lines.
func skipComments(data string) string {
	for strings.HasPrefix(data, "#") {
		i := strings.IndexByte(data, '\n')
		if i < 0 {
			return ""
		}
		data = data[i+1:]
	}
	return data
}
