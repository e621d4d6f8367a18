package knowledge

// SplitPassages splits a document body into passages exactly as the
// engine indexes them (passage.go), with ids "docID#N". It returns nil for
// a body with no text. Benchmarks use it to give other search engines the
// same passages as govbot.
func SplitPassages(docID, body string) []Passage { return splitPassages(docID, body) }
