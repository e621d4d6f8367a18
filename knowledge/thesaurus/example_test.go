package thesaurus_test

import (
	"fmt"

	"github.com/govbot-dev/govbot/knowledge/thesaurus"
)

func ExampleTable_Synonyms() {
	t := thesaurus.WordNet()
	fmt.Println(t.Synonyms("Refused", 0))
	fmt.Println(t.Synonyms("companies", 2))
	fmt.Println(t.Synonyms("xyzzy", 0) == nil)
	// Output:
	// [deny decline reject]
	// [firm corporation]
	// true
}

func ExampleTable_Lemmas() {
	t := thesaurus.WordNet()
	fmt.Println(t.Lemmas("went"), t.Lemmas("children"), t.Lemmas("glasses"))
	// Output: [go] [child] [glasses glass]
}

func ExampleParse() {
	t, err := thesaurus.Parse("go\tmove,travel\tv\nwent\t\t-\tgo:v\n")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(t.Synonyms("going", 0), t.Synonyms("went", 1))
	// Output: [move travel] [move]
}
