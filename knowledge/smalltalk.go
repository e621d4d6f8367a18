package knowledge

// IsSmallTalk reports whether text is small talk rather than a question.
func IsSmallTalk(text string) bool { return false }
