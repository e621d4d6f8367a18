package knowledge

// surfaceASCII calls emit with the surface words of text (the terms of the
// surface analyser: Unicode word segmentation, possessive 's removed,
// lower-cased) when text is pure ASCII, and reports false without calling
// emit otherwise. It is the word list's fast path while indexing: the
// general analyser's segmenter costs about a third of a build, and most
// corpora are mostly ASCII. A test checks it against the analyser.
//
// For ASCII, Unicode word segmentation (UAX #29) joins letters and digits
// (and the connector _), letters across one of : . ' between letters, and
// digits across one of , ; . ' between digits; everything else separates
// words and is dropped.
func surfaceASCII(text string, emit func(word []byte)) bool {
	for i := 0; i < len(text); i++ {
		if text[i] >= 0x80 {
			return false
		}
	}
	var buf []byte
	n := len(text)
	for i := 0; i < n; {
		if !wordByte(text[i]) {
			i++
			continue
		}
		start := i
		for i < n {
			c := text[i]
			if wordByte(c) {
				i++
				continue
			}
			if i+1 < n && i > start {
				prev, next := text[i-1], text[i+1]
				if isLetterASCII(prev) && isLetterASCII(next) && (c == ':' || c == '.' || c == '\'') ||
					isDigitASCII(prev) && isDigitASCII(next) && (c == ',' || c == ';' || c == '.' || c == '\'') {
					i += 2
					continue
				}
			}
			break
		}
		w := text[start:i]
		if l := len(w); l >= 2 && (w[l-1] == 's' || w[l-1] == 'S') && w[l-2] == '\'' {
			w = w[:l-2]
		}
		buf = buf[:0]
		for j := 0; j < len(w); j++ {
			c := w[j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf = append(buf, c)
		}
		emit(buf)
	}
	return true
}

func wordByte(c byte) bool { return isLetterASCII(c) || isDigitASCII(c) || c == '_' }

func isLetterASCII(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isDigitASCII(c byte) bool { return '0' <= c && c <= '9' }
