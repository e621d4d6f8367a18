package knowledge

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

const ellipsis = "…"

// excerpt picks at most maxRunes runes of text around the sentences that
// best match: the run of whole sentences covering the most (rarity-
// weighted) concepts, with a bonus for a sentence with the kind of answer
// the question wants (cue, may be nil), widened with neighbouring
// sentences while it fits. A single sentence too long to fit is cut at
// word boundaries around its matches, with "…" at each cut. It returns
// the excerpt and the matches inside it, as byte spans of the excerpt.
func excerpt(text string, occ []occurrence, idfs []float64, maxRunes int, cue func(sentence string, occ []occurrence) bool) (string, []Span) {
	sents := sentenceSpans(text)
	if len(sents) == 0 {
		return "", nil
	}
	// Which sentences have an answer cue, worth one average concept.
	cueSent := make([]bool, len(sents))
	cueValue := 0.0
	if cue != nil && len(idfs) > 0 {
		for _, x := range idfs {
			cueValue += x
		}
		cueValue /= float64(len(idfs))
		for i, st := range sents {
			var in []occurrence
			for _, o := range occ {
				if o.start >= st[0] && o.end <= st[1] {
					o.start, o.end = o.start-st[0], o.end-st[0]
					in = append(in, o)
				}
			}
			cueSent[i] = len(in) > 0 && cue(text[st[0]:st[1]], in)
		}
	}
	runes := func(s, e int) int { return utf8.RuneCountInString(text[s:e]) }
	// weigh adds the occurrences inside [s, e) to w, the best weight per
	// concept, and reports whether there were any.
	weigh := func(w map[int]float64, s, e int) bool {
		any := false
		for _, o := range occ {
			if o.start >= s && o.end <= e {
				any = true
				if o.weight > w[o.concept] {
					w[o.concept] = o.weight
				}
			}
		}
		return any
	}
	value := func(s, e int) float64 {
		w := map[int]float64{}
		weigh(w, s, e)
		v := 0.0
		for c, x := range w {
			v += idfs[c] * x
		}
		for i, st := range sents {
			if cueSent[i] && st[0] >= s && st[1] <= e {
				return v + cueValue
			}
		}
		return v
	}
	// announced is the value of a window that starts with the text a
	// lead-in announces ("A joke made the rounds that went like this:",
	// then a paragraph) when the lead-in cannot be added to it: the
	// lead-in's matches describe that text, so they count for it, and a
	// little more, because what a lead-in announces is the answer it
	// leads to. The window must match something of the question that the
	// lead-in does not: otherwise the lead-in is the answer itself.
	announced := func(i, j int) (float64, bool) {
		if i == 0 || !isLeadIn(text, sents[i-1], sents[i]) || runes(sents[i-1][0], sents[j][1]) <= maxRunes {
			return 0, false
		}
		sum := func(w map[int]float64) float64 {
			v := 0.0
			for c, x := range w {
				v += idfs[c] * x
			}
			return v
		}
		w := map[int]float64{}
		if !weigh(w, sents[i-1][0], sents[i-1][1]) {
			return 0, false
		}
		lead := sum(w)
		weigh(w, sents[i][0], sents[j][1])
		if v := sum(w); v > lead+1e-9 {
			return v + 1e-6, true
		}
		return 0, false
	}
	// Best window of whole sentences that fits; ties go to the shorter.
	bi, bj, bv, bn := -1, -1, -1.0, 0
	for i := range sents {
		for j := i; j < len(sents); j++ {
			n := runes(sents[i][0], sents[j][1])
			if n > maxRunes {
				break
			}
			v := value(sents[i][0], sents[j][1])
			if av, ok := announced(i, j); ok {
				v = max(v, av)
			}
			if v > bv+1e-9 || (v > bv-1e-9 && n < bn) {
				bi, bj, bv, bn = i, j, v, n
			}
		}
	}
	// A sentence too long to fit whole may still match better than any
	// window that fits: then cut it.
	longV := -1.0
	for _, st := range sents {
		if runes(st[0], st[1]) > maxRunes {
			longV = max(longV, value(st[0], st[1]))
		}
	}
	if bi < 0 || longV > bv+1e-9 {
		return cutSentence(text, sents, occ, idfs, maxRunes)
	}
	// Widen with neighbours, the following sentence first (answers tend to
	// follow the sentence that names the topic), while it fits.
	for {
		grown := false
		if bj+1 < len(sents) && runes(sents[bi][0], sents[bj+1][1]) <= maxRunes {
			bj++
			grown = true
		}
		if bi > 0 && runes(sents[bi-1][0], sents[bj][1]) <= maxRunes {
			bi--
			grown = true
		}
		if !grown {
			break
		}
	}
	s, e := sents[bi][0], sents[bj][1]
	return text[s:e], spansIn(occ, s, e, 0)
}

// isLeadIn reports whether sentence lead ends with a colon and the next
// sentence, next, starts a new paragraph: lead announces that paragraph.
func isLeadIn(text string, lead, next [2]int) bool {
	return strings.HasSuffix(text[lead[0]:lead[1]], ":") && strings.Contains(text[lead[1]:next[0]], "\n")
}

// cutSentence cuts the best-matching sentence down to maxRunes runes at
// word boundaries, centred on its matches.
func cutSentence(text string, sents [][2]int, occ []occurrence, idfs []float64, maxRunes int) (string, []Span) {
	best, bestV := sents[0], -1.0
	for _, s := range sents {
		v := 0.0
		seen := map[int]bool{}
		for _, o := range occ {
			if o.start >= s[0] && o.end <= s[1] && !seen[o.concept] {
				seen[o.concept] = true
				v += idfs[o.concept] * o.weight
			}
		}
		if v > bestV {
			best, bestV = s, v
		}
	}
	s, e := best[0], best[1]
	if utf8.RuneCountInString(text[s:e]) <= maxRunes {
		return text[s:e], spansIn(occ, s, e, 0)
	}
	budget := maxRunes - 2*utf8.RuneCountInString(ellipsis)
	// Centre on the middle of the matches in this sentence.
	centre := s
	var in []occurrence
	for _, o := range occ {
		if o.start >= s && o.end <= e {
			in = append(in, o)
		}
	}
	if len(in) > 0 {
		centre = (in[0].start + in[len(in)-1].end) / 2
	}
	ws, we := runeWindow(text, s, e, centre, budget)
	ws, we = wordBounds(text, s, e, ws, we)
	var b strings.Builder
	shift := 0
	if ws > s {
		b.WriteString(ellipsis)
		shift = len(ellipsis)
	}
	b.WriteString(text[ws:we])
	if we < e {
		b.WriteString(ellipsis)
	}
	return b.String(), spansIn(occ, ws, we, shift)
}

// runeWindow returns [ws, we) within [s, e) of at most n runes around centre.
func runeWindow(text string, s, e, centre, n int) (int, int) {
	ws, we := centre, centre
	for ws > s && !utf8.RuneStart(text[ws]) {
		ws--
	}
	we = ws
	count := 0
	for count < n && (ws > s || we < e) {
		if we < e {
			_, size := utf8.DecodeRuneInString(text[we:])
			we += size
			count++
		}
		if count < n && ws > s {
			_, size := utf8.DecodeLastRuneInString(text[s:ws])
			ws -= size
			count++
		}
	}
	return ws, we
}

// wordBounds shrinks [ws, we) so that it neither starts nor ends inside a
// word. Text without spaces nearby (Chinese, say) is cut between
// characters instead.
func wordBounds(text string, s, e, ws, we int) (int, int) {
	const maxShift = 24 // bytes given up to find a space
	if ws > s {
		prev, _ := utf8.DecodeLastRuneInString(text[:ws])
		if !unicode.IsSpace(prev) {
			if i := strings.IndexFunc(text[ws:min(we, ws+maxShift)], unicode.IsSpace); i >= 0 {
				ws += i
			}
		}
	}
	if we < e {
		next, _ := utf8.DecodeRuneInString(text[we:])
		if !unicode.IsSpace(next) {
			if i := strings.LastIndexFunc(text[max(ws, we-maxShift):we], unicode.IsSpace); i >= 0 {
				we = max(ws, we-maxShift) + i
			}
		}
	}
	return trimSpan(text, ws, we)
}

// spansIn converts occurrences inside [s, e) to spans of the excerpt
// text[s:e] (shifted by shift bytes), merged and in order.
func spansIn(occ []occurrence, s, e, shift int) []Span {
	var out []Span
	for _, o := range occ {
		if o.start >= s && o.end <= e {
			out = append(out, Span{o.start - s + shift, o.end - s + shift})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	merged := out[:0]
	for _, sp := range out {
		if n := len(merged); n > 0 && sp.Start <= merged[n-1].End {
			merged[n-1].End = max(merged[n-1].End, sp.End)
			continue
		}
		merged = append(merged, sp)
	}
	return merged
}
