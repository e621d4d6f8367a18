// Package thesaurus tells which words mean the same as a question's words,
// so that a lexical search can find "denied" when a user asks "refused".
//
// A Table maps base forms to synonyms, best first, and lemmatises the
// words it is asked about the way WordNet's morphy does: "refused" is
// looked up as "refuse", "companies" as "company", "went" as "go".
// WordNet returns the table that ships with govbot, derived from WordNet
// 3.0 by internal/gen (run by `go generate`; see LICENSE-WordNet), with
// a few curated groups WordNet lacks ("firm", "company"); Parse reads a
// table in the same format.
//
// Tables are immutable values, safe for concurrent use and cheap to copy.
// WordNet costs nothing at start-up: its data is embedded as one string
// and searched in place, by binary search over its sorted lines. Lookups
// never fail: a word the table does not know has no synonyms and no
// lemmas (nil). Returned slices belong to the caller; their strings share
// memory with the table.
//
// # Format
//
// A table is UTF-8 text, one entry per line, sorted by word in byte order
// with no word twice, after optional comment lines starting with "#":
//
//	word<TAB>synonyms[<TAB>parts of speech[<TAB>base forms]]
//
// Words are lowercase and contain no space, tab, comma or colon. Synonyms
// is a comma-separated list, best first, possibly empty; each synonym may
// end in ":" and the parts of speech in which it is one ("deny:v"),
// otherwise it is one in all of the word's. Parts of speech are letters
// from "nvar" (noun, verb, adjective, adverb) in which word is a base
// form, or "-" when it is only an inflected form; omitted means all four.
// Base forms, for irregular forms only ("went" -> "go:v"), is the
// complete comma-separated list of the word's base forms, each a word of
// the table, tagged like synonyms with the parts of speech in which it is
// one; when present it replaces the detachment rules. For example:
//
//	refuse	decline:v,reject:v	nv
//	went		-	go:v
package thesaurus
