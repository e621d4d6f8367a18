package document_test

import (
	"context"
	"fmt"
	"testing/fstest"

	"github.com/govbot-dev/govbot/knowledge/document"
)

func ExampleParse() {
	doc, err := document.Parse("Reports/WIC 2015.md", []byte(`---
# Comments are allowed in front matter.
title: "Framing the Agenda"
author: Jessica Ludwig
date: December 22, 2015
---

Last week in Wuzhen, China, ...
`))
	if err != nil {
		fmt.Println("skip:", err)
		return
	}
	fmt.Printf("%s | %s | %s | %s\n%q\n", doc.ID, doc.Title, doc.Author, doc.Published, doc.Body)

	_, err = document.Parse("scan.txt", []byte("%PDF-1.4\x00\x01"))
	fmt.Println("skip:", err)
	// Output:
	// reports-wic-2015 | Framing the Agenda | Jessica Ludwig | 2015-12-22
	// "Last week in Wuzhen, China, ..."
	// skip: binary file
}

func ExampleLoadFS() {
	fsys := fstest.MapFS{
		"a.md":          {Data: []byte("# A title\n\nText.\n")},
		"a.txt":         {Data: []byte("Same slug as a.md.\n")},
		"b.html":        {Data: []byte("<title>B</title><nav>Menu</nav><p>Hello &amp; welcome.</p>")},
		"bad.txt":       {Data: []byte("caf\xe9")},
		"synonyms.yaml": {Data: []byte("- [WIC, World Internet Conference]\n")},
	}
	// The caller reads synonyms.yaml itself; other files that are not
	// documents are reported.
	docs, skipped, err := document.LoadFS(context.Background(), fsys, document.Options{Ignore: []string{"synonyms.yaml"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range docs {
		fmt.Printf("%s %s %q %q\n", d.Path, d.ID, d.Title, d.Body)
	}
	for _, s := range skipped {
		fmt.Printf("skipped %s: %s\n", s.Path, s.Reason)
	}
	// Output:
	// a.md a "A title" "A title\n\nText."
	// a.txt a-2 "Same slug as a.md." "Same slug as a.md.\n"
	// b.html b "B" "Hello & welcome."
	// skipped bad.txt: not valid UTF-8
}
