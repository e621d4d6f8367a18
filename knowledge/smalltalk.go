package knowledge

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Small talk: what people say to a bot between questions: thanks,
// acknowledgements, laughter, praise, greetings, emoji. It is no question
// for the knowledge base: a chat answers it with at most a reaction, and
// it is never recorded as a question or a coverage gap.

// phatic are the words small talk is made of, in English chat: greetings
// and farewells, thanks, acknowledgements and agreement, praise,
// interjections, and ways of addressing the bot. A message made only of
// these (and emoji, emoticons and punctuation) is small talk; a message
// with one other word ("thanks! and who drafted it?") is not.
var phatic = phaticSet(strings.Join([]string{
	// greetings and farewells
	"hi hii hello hey heya hiya yo howdy greetings morning evening afternoon night gm gn bye goodbye cya later see ya you soon welcome there",
	// thanks
	"thanks thank thx tx ty tysm tyvm thnx thanx thank-you cheers appreciate appreciated appreciation much so very lot lots a alot again all for the this that help heaps many kind",
	// acknowledgement and agreement
	"ok okay okey k kk alright right sure got gotcha i see understood understand makes make sense yes yeah yea yep yup ya no nope nah fine fair enough true indeed noted will do done it is that's thats its it's",
	// praise and reactions
	"cool nice great awesome perfect neat wow interesting amazing excellent fantastic brilliant sweet good well job love lovely wonderful helpful useful super best smart bot robot really just too very very",
	// interjections and laughter
	"oh ah aha ahh hmm hm huh uh um mhm well welp lol lolol lmao lmfao rofl haha hahaha hehe heh xd kek omg wow",
	// address
	"govbot buddy friend mate man dude guys folks everyone y'all yall sir",
}, " "))

var (
	// laughter and elongated words: "hahaha", "lolol", "thaaanks", "sooo".
	laughter = regexp.MustCompile(`^(?:(?:ha|he|hi|ah|lo)+h?l?|l+o+l+(?:o+l+)*|x+d+|a*h+a+h*)$`)
	// Discord's custom emoji (<:name:id>, <a:name:id>), emoji shortcodes
	// (:thumbsup:) and emoticons (:) :D <3 ^^ xD).
	customEmoji = regexp.MustCompile(`<a?:\w+:\d+>|:[a-z0-9_+-]+:|[:;=8]-?[)(DPpOo3/\\|\]\[]+|<3+|\^\^|\bxD+\b`)
	// mentions are addressing, not words.
	mentionRE = regexp.MustCompile(`<(?:@[!&]?|#)\d+>`)
)

// Longer messages are treated as questions, whatever their words: more
// than maxSmallTalkWords words or maxSmallTalkRunes characters; a word is
// read as an elongated small-talk word up to maxElongated bytes.
const (
	maxSmallTalkWords = 8
	maxSmallTalkRunes = 80
	maxElongated      = 20
)

// IsSmallTalk reports whether text is small talk rather than a question:
// at most a few words, all of them greetings, thanks, acknowledgements,
// praise, laughter or ways of addressing the bot, or only emoji (with
// punctuation). Empty text and punctuation alone are not small talk.
func IsSmallTalk(text string) bool {
	text = mentionRE.ReplaceAllString(text, " ")
	if strings.TrimSpace(normalizeQuestion(text)) == "" {
		return false
	}
	emoji := customEmoji.MatchString(text) || strings.IndexFunc(text, func(r rune) bool { return unicode.Is(unicode.So, r) }) >= 0
	text = customEmoji.ReplaceAllString(text, " ")
	text = strings.ToLower(normalizeQuestion(text))
	words := strings.FieldsFunc(text, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' || r == '-')
	})
	if len(words) > maxSmallTalkWords || utf8.RuneCountInString(text) > maxSmallTalkRunes {
		return false
	}
	for _, w := range words {
		w = strings.Trim(strings.ReplaceAll(w, "’", "'"), "'-")
		if w == "" || phatic[w] || laughter.MatchString(w) {
			continue
		}
		// "thaaanks", "sooo", "niiice": elongated small-talk words (not
		// "aaaaaaaa", which squeezes to the "a" of "thanks a lot").
		if short := squeeze(w); len(w) <= maxElongated && utf8.RuneCountInString(short) > 1 && phatic[short] {
			continue
		}
		return false
	}
	// Only small-talk words, or emoji (punctuation alone, "?!?", is a
	// question with nothing to search for, not small talk).
	return len(words) > 0 || emoji
}

// squeeze collapses runs of one letter: "thaaanks" -> "thanks", "niiice" -> "nice".
func squeeze(w string) string {
	var b strings.Builder
	var last rune
	for _, r := range w {
		if r != last {
			b.WriteRune(r)
		}
		last = r
	}
	return b.String()
}

func phaticSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}
