package knowledge

import "testing"

// The question cues decide what kind of answer a question wants, which
// moves a passage with that kind of answer up and keeps the sentence with
// it in the excerpt. Each row is a form of question users write.
func TestClassify(t *testing.T) {
	tests := []struct {
		q    string
		want answerKind
	}{
		{"When did the Normans invade Ireland?", kindTime},
		{"What year was the colony founded?", kindTime},
		{"In what year did Warsaw become the capital?", kindTime},
		{"谷歌是哪一年退出中国的?", kindTime},
		{"宣言是什么时候发布的?", kindTime},
		{"Who invented the steam turbine?", kindPerson},
		{"Who is the author of the article?", kindPerson}, // a role: wants a name
		{"谁主办了大会?", kindPerson},
		{"Who is Lu Wei?", kindDefinition}, // a name: wants a description
		{"鲁炜是谁?", kindDefinition},          // the same in Chinese: X 是谁
		{"What is internet sovereignty?", kindDefinition},
		{"什么是网络主权?", kindDefinition},
		{"Where is Wuzhen?", kindPlace},
		{"大会在哪里召开?", kindPlace},
		{"How many Huguenots were killed?", kindNumber},
		{"中国有多少网民?", kindNumber},
		{"提出了几项原则?", kindNumber},
		{"Which countries attended?", kindList},
		{"哪些公司参加了大会?", kindList},
		{"Why did the firms decline?", kindOther},
	}
	for _, tt := range tests {
		if got := classify(tt.q); got != tt.want {
			t.Errorf("classify(%q) = %d; want %d", tt.q, got, tt.want)
		}
	}
}

// An answer cue counts only near the question's words, in the same
// sentence: a date elsewhere in the passage answers nothing.
func TestHasCue(t *testing.T) {
	text := "the Bandung meeting took place in 1955. Many things happened in 1999."
	at := func(word string) []occurrence {
		i := indexOf(text, word)
		return []occurrence{{start: i, end: i + len(word)}}
	}
	if !hasCue(kindTime, text, at("Bandung"), 80) {
		t.Errorf("hasCue(time) near %q = false; want true", "Bandung")
	}
	if hasCue(kindTime, text, at("Bandung"), 5) {
		t.Errorf("hasCue(time) with reach 5 = true; want false (the year is 30 bytes away)")
	}
	if hasCue(kindPerson, text, at("Bandung"), 80) {
		t.Errorf("hasCue(person) = true; want false: no name but the matched words")
	}
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
