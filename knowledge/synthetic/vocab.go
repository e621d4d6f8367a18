package synthetic

import (
	_ "embed"
	"strconv"
	"strings"
)

//go:generate go run mkwords.go

// wordsData is the vocabulary, commonest first; see mkwords.go.
//
//go:embed words.txt
var wordsData string

// vocabulary is the parsed word list.
type vocabulary struct {
	words     []string        // commonest first
	functions int             // words[:functions] are function words
	known     map[string]bool // every word and name part, lower-cased
}

func parseVocabulary() vocabulary {
	var v vocabulary
	v.known = map[string]bool{}
	for line := range strings.Lines(wordsData) {
		line = strings.TrimSpace(line)
		switch {
		case line == "# content words":
			v.functions = len(v.words)
		case line == "" || strings.HasPrefix(line, "#"):
		default:
			v.words = append(v.words, line)
			v.known[line] = true
		}
	}
	for _, n := range append(append([]string(nil), givenNames...), surnames...) {
		v.known[strings.ToLower(n)] = true
	}
	return v
}

// Names: common given names and surnames from several languages, combined
// into a few thousand people.
var (
	givenNames = strings.Fields(`James Maria Wei Fatima Olga Ahmed Priya Carlos Yuki Anna
		Mohammed Sofia Li Hannah Pedro Amara Ivan Chloe Kwame Elena Hiroshi Laila
		Daniel Mei Tomas Aisha Rahul Ingrid Jorge Nadia Samuel Ling Omar Greta
		David Zainab Luca Irina Kenji Rosa Ali Clara Thabo Jun Miguel Sara Arjun Eva`)
	surnames = strings.Fields(`Smith Wang Garcia Okafor Petrov Nakamura Khan Muller
		Rossi Chen Silva Kowalski Haddad Nguyen Johansson Mensah Ivanova Tanaka Lopez
		Zhang Novak Fischer Kim Ali Dubois Singh Park Costa Yilmaz Hassan Andersen
		Moreau Sato Ortiz Liu Schmidt Banerjee Popescu Alvarez Huang Jensen Kaplan
		Mwangi Bauer Romero Zhou Lindqvist Nasser Takahashi Ferreira Patel Hughes
		Volkov Herrera Yamamoto Gruber Osei Castillo Lin Weber Adeyemi Sokolov Reyes`)
)

// cjkWords are common Chinese words of the kind found in the corpus.
var cjkWords = strings.Fields(`网络 主权 治理 互联网 国家 中国 政府 安全 信息 发展
	合作 国际 世界 会议 管理 技术 经济 社会 政策 法律 人民 企业 文化 媒体
	数据 空间 平台 标准 组织 公司 市场 创新 开放 共享 规则 秩序 和平 领导
	宣言 代表 原则 改革 网民 审查 新闻 自由 透明 责任`)

// Syllables of invented words. Corpus words are built from inventSyllables
// only, which contain no q, x or z; absent words always contain one of
// those letters and are checked against the vocabulary, so they occur
// nowhere in any corpus.
var (
	inventSyllables = strings.Fields(`ba ce di fo gu ka le mi no pu ra se ti vo wa ny
		an el in or us ar en is on ul ber cor dan fen gal hor kel lin mar nor pel ran
		sor tan vel wen tha shi bro cla dre fri gor lum`)
	inventEndings   = strings.Fields(`a en ia on us el ine or ant ism ate ity`)
	absentSyllables = strings.Fields(`quo zix xan zor qua vex jaz oxi zef qel brix
		zan quil xeno zub`)
)

// invented returns the k-th invented word: an ending chosen by k, then at
// least two syllables chosen by the remaining digits of k.
func invented(k uint64) string {
	ending := inventEndings[k%uint64(len(inventEndings))]
	k /= uint64(len(inventEndings))
	n := uint64(len(inventSyllables))
	var b strings.Builder
	b.WriteString(inventSyllables[k%n])
	k /= n
	for {
		b.WriteString(inventSyllables[k%n])
		k /= n
		if k == 0 {
			break
		}
		k--
	}
	b.WriteString(ending)
	return b.String()
}

// person returns the k-th personal name, "Given Surname".
func person(k uint64) string {
	g := givenNames[k%uint64(len(givenNames))]
	s := surnames[(k/uint64(len(givenNames)))%uint64(len(surnames))]
	return g + " " + s
}

// capitalize upper-cases the first letter of an ASCII word.
func capitalize(w string) string {
	if w == "" || w[0] < 'a' || w[0] > 'z' {
		return w
	}
	return string(w[0]-'a'+'A') + w[1:]
}

// itoaGrouped formats n with thousands separators: 12,345.
func itoaGrouped(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
