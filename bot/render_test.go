package bot

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/knowledge"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var (
	srcFraming = knowledge.Source{ID: "framing-the-agenda", Path: "framing-the-agenda.txt", Title: "Framing the Agenda: *China* and the [World] Internet Conference",
		Author: "Jane Doe", Published: "2015-12-22", URL: "https://example.org/framing_agenda", Passages: 14}
	srcSoft = knowledge.Source{ID: "soft-power-is-hard", Path: "soft-power-is-hard.txt", Title: "Soft Power Is Hard", Author: "A. Writer", Published: "2016-03-01", Passages: 9}
)

func cite(rank int, src knowledge.Source, ord int, text string, terms ...string) knowledge.Citation {
	c := knowledge.Citation{Rank: rank, Source: src, Score: 1 / float64(rank),
		Passage: knowledge.Passage{ID: src.ID + "#" + itoa(ord), DocID: src.ID, Ordinal: ord, Text: text + "\n\nThe passage goes on beyond the excerpt."},
		Excerpt: text}
	for _, t := range terms {
		if i := strings.Index(text, t); i >= 0 {
			c.Highlights = append(c.Highlights, knowledge.Span{Start: i, End: i + len(t)})
		}
	}
	return c
}

func itoa(n int) string { return strconv.Itoa(n) }

func sampleAnswer() knowledge.Answer {
	return knowledge.Answer{
		Question: "What is cyber sovereignty? @everyone <@123>",
		Citations: []knowledge.Citation{
			cite(1, srcFraming, 3, "Cyber sovereignty holds that each state governs the internet within its borders. Critics call it a *cover* for censorship — see https://example.org/a_b.", "Cyber sovereignty", "internet"),
			cite(2, srcSoft, 7, "# Not a heading\nThe Wuzhen summit promoted cyber sovereignty to foreign guests, @everyone included.", "cyber sovereignty"),
			cite(3, srcFraming, 4, "互联网主权（网络主权）是中国提出的概念。", "网络主权"),
			cite(4, srcSoft, 8, "A fourth source that only shows on the second page.", "source"),
			cite(5, srcFraming, 9, "A fifth source.", "fifth"),
		},
	}
}

func TestRenderGolden(t *testing.T) {
	ans := sampleAnswer()
	askView := &view{ID: "VIEWID", Kind: kindAsk, Owner: "1", Question: ans.Question, Answer: ans}
	abst := &view{ID: "VIEWID", Kind: kindAsk, Question: "Who won the 1998 World Cup? ||spoiler||", Answer: knowledge.Answer{
		Abstained: true, Closest: []knowledge.Citation{ans.Citations[0], ans.Citations[2], ans.Citations[1]}}}
	followUp := &view{ID: "VIEWID", Kind: kindAsk, Question: "and who criticised it?", FollowUp: "what is cyber sovereignty?", Answer: knowledge.Answer{Citations: ans.Citations[:1]}}
	search := &view{ID: "VIEWID", Kind: kindSearch, Question: "cyber sovereignty", Hits: ans.Citations}
	var passages []knowledge.Passage
	for i := 1; i <= 7; i++ {
		passages = append(passages, knowledge.Passage{ID: srcFraming.ID + "#" + itoa(i), Ordinal: i, Text: strings.Repeat("Passage text with _markdown_ and <@99>. ", i*10)})
	}
	at := time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)
	st := Status{
		Base: Summary{Documents: 5, Passages: 60, BuiltAt: at.Add(-time.Hour)},
		Own: Summary{Documents: 2, Passages: 9, BuiltAt: at,
			Skipped: []knowledge.Skipped{{Path: "notes/bad.pdf", Reason: "unsupported format"}}},
		Hidden: []knowledge.Source{srcFraming},
	}
	rep := knowledge.Report{Documents: 6, Passages: 66, Added: []string{"new-doc"}, Changed: []string{"framing-the-agenda"}, Rebuilt: true, Duration: 1234 * time.Millisecond,
		Skipped: []knowledge.Skipped{{Path: "huge.txt", Reason: "larger than MAX_FILE_SIZE"}}}
	tests := []struct {
		name string
		r    reply
	}{
		{"answer", renderAnswer(askView, 0)},
		{"answer_page2", renderAnswer(askView, 1)},
		{"answer_private", renderAnswer(&view{ID: "VIEWID", Kind: kindAsk, Private: true, Question: "q", Answer: knowledge.Answer{Citations: ans.Citations[:2]}}, 0)},
		{"answer_followup", renderAnswer(followUp, 0)},
		{"abstained", renderAnswer(abst, 0)},
		{"search", renderSearch(search, 0)},
		{"search_none", renderSearch(&view{ID: "VIEWID", Kind: kindSearch, Question: "zzz"}, 0)},
		{"source", renderSource(&view{ID: "VIEWID", Kind: kindSource}, srcFraming, passages, 2)},
		{"passage", renderPassage(srcFraming, ans.Citations[0].Passage)},
		{"status", renderStatus(st, &reloadRecord{By: "alice (42)", At: at, Report: rep}, &reloadRecord{By: "SIGHUP", At: at, Report: rep})},
		{"status_never", renderStatus(st, nil, nil)},
		{"status_failed", renderStatus(st, &reloadRecord{By: "alice (42)", At: at, Err: errors.New("read corpus: permission denied")}, nil)},
		{"reload", renderReload(&reloadRecord{By: "alice (42)", At: at, Report: rep}, Scope{Guild: "1185000000000000002"})},
		{"reload_failed", renderReload(&reloadRecord{By: "alice (42)", At: at, Err: errors.New("read corpus: permission denied")}, Scope{Guild: "1185000000000000002"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.r.responseData()
			assertWithinLimits(t, data.Content, data.Embeds)
			got, err := json.MarshalIndent(data, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", tt.name+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./bot -run TestRenderGolden -update)", err)
			}
			if string(got) != string(want) {
				t.Errorf("%s differs from %s:\n%s", tt.name, path, got)
			}
		})
	}
}

func TestRenderAnswerShowsCitationsAndAbstention(t *testing.T) {
	ans := sampleAnswer()
	r := renderAnswer(&view{ID: "V", Kind: kindAsk, Question: ans.Question, Answer: ans}, 0)
	d := r.Embeds[0].Description
	for _, want := range []string{"**[1]**", "**[2]**", "**[3]**", "**Cyber sovereignty**", "*Jane Doe*", "`framing-the-agenda#3`"} {
		if want == "*Jane Doe*" {
			want = "Jane Doe, 2015-12-22"
		}
		if !strings.Contains(d, want) {
			t.Errorf("answer description lacks %q:\n%s", want, d)
		}
	}
	if strings.Contains(d, "[4]") {
		t.Errorf("first page shows the fourth citation:\n%s", d)
	}
	if strings.Contains(r.Embeds[0].Title, "@everyone") || strings.Contains(r.Embeds[0].Title, "<@123>") {
		t.Errorf("title echoes a live mention: %q", r.Embeds[0].Title)
	}
	a := renderAnswer(&view{ID: "V", Kind: kindAsk, Question: "q", Answer: knowledge.Answer{Abstained: true, Closest: ans.Citations[:2]}}, 0)
	e := a.Embeds[0]
	if e.Title != abstainTitle || len(e.Fields) != 1 || e.Fields[0].Name != closestHeading {
		t.Errorf("abstention = %+v; want the abstention title and a closest-documents field", e)
	}
	if strings.Contains(e.Description+e.Fields[0].Value, "[1]") || len(a.Components) != 0 {
		t.Error("abstention carries citation numbers or buttons")
	}
}

// assertWithinLimits fails t when a message breaks one of Discord's limits.
func assertWithinLimits(t *testing.T, content string, embeds []*discordgo.MessageEmbed) {
	t.Helper()
	if textLen(content) > maxContent {
		t.Errorf("content is %d long", textLen(content))
	}
	if len(embeds) > maxEmbeds || embedsLen(embeds) > maxEmbedTotal {
		t.Errorf("%d embeds, %d characters in all", len(embeds), embedsLen(embeds))
	}
	for _, e := range embeds {
		if textLen(e.Title) > maxEmbedTitle || textLen(e.Description) > maxEmbedDescription || len(e.Fields) > maxEmbedFields {
			t.Errorf("embed over a limit: title %d, description %d, fields %d", textLen(e.Title), textLen(e.Description), len(e.Fields))
		}
		for _, f := range e.Fields {
			if textLen(f.Name) > maxFieldName || textLen(f.Value) > maxFieldValue || f.Name == "" || f.Value == "" {
				t.Errorf("field %q over a limit or empty", f.Name)
			}
		}
	}
}
