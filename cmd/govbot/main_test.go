package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govbot-dev/govbot/knowledge"
)

// env is a fake environment for run.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// runCmd runs govbot with args against a temp index and returns its output.
func runCmd(t *testing.T, vars map[string]string, args ...string) (string, string, error) {
	t.Helper()
	if vars == nil {
		vars = map[string]string{}
	}
	if vars["INDEX_DIR"] == "" {
		vars["INDEX_DIR"] = t.TempDir()
	}
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, env(vars), strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestAskJSON(t *testing.T) {
	out, _, err := runCmd(t, nil, "ask", "--json", "What was the Wuzhen Declaration?")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Question  string `json:"question"`
		Abstained bool   `json:"abstained"`
		Citations []struct {
			Rank       int      `json:"rank"`
			DocID      string   `json:"doc_id"`
			Title      string   `json:"title"`
			Passage    string   `json:"passage"`
			Excerpt    string   `json:"excerpt"`
			Highlights [][2]int `json:"highlights"`
			Score      float64  `json:"score"`
		} `json:"citations"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("ask --json printed %q: %v", out, err)
	}
	if dec.More() {
		t.Errorf("ask --json printed more than one JSON value")
	}
	if got.Abstained || len(got.Citations) == 0 || len(got.Citations) > 3 {
		t.Fatalf("answer = %+v; want 1-3 citations", got)
	}
	for i, c := range got.Citations {
		runes := []rune(c.Excerpt)
		if c.Rank != i+1 || c.DocID == "" || c.Title == "" || !strings.HasPrefix(c.Passage, c.DocID+"#") || len(runes) > 400 {
			t.Errorf("citation %d = %+v", i, c)
		}
		for _, h := range c.Highlights {
			if h[0] < 0 || h[1] > len(runes) || h[0] >= h[1] {
				t.Errorf("citation %d highlight %v outside the excerpt's %d characters", i, h, len(runes))
			}
		}
	}
	// Highlights are character offsets: the first marks a word of the question.
	c := got.Citations[0]
	if len(c.Highlights) == 0 {
		t.Fatal("no highlights")
	}
	word := strings.ToLower(string([]rune(c.Excerpt)[c.Highlights[0][0]:c.Highlights[0][1]]))
	if !strings.Contains("wuzhen declaration", word) {
		t.Errorf("first highlight %q is not a question word", word)
	}
}

func TestAskAbstainsInJSON(t *testing.T) {
	out, _, err := runCmd(t, nil, "ask", "--json", "What is the boiling point of water?")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"abstained": true`) || !strings.Contains(out, `"citations": []`) {
		t.Errorf("ask --json for an out-of-scope question printed %s", out)
	}
}

func TestAskForPeople(t *testing.T) {
	out, _, err := runCmd(t, nil, "ask", "Who hosted NetMundial?")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[1] ", "hosted by Brazil", "Sources", "passage diplomacy-is-the-point#"} {
		if !strings.Contains(out, want) {
			t.Errorf("ask output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Errorf("colour codes written to a non-terminal")
	}
	out, _, _ = runCmd(t, nil, "ask", "How do I reset my Discord password?")
	if !strings.Contains(out, "does not answer this question") {
		t.Errorf("abstention not stated plainly:\n%s", out)
	}
}

func TestSearchSourcesIndex(t *testing.T) {
	index := t.TempDir()
	vars := map[string]string{"INDEX_DIR": index}
	out, _, err := runCmd(t, vars, "search", "-n", "2", "multilateral")
	if err != nil || strings.Count(out, "\n    ") < 2 || !strings.Contains(out, " 2. ") {
		t.Errorf("search -n 2: err %v, output:\n%s", err, out)
	}
	out, _, err = runCmd(t, vars, "sources")
	if err != nil || !strings.Contains(out, "5 documents") || !strings.Contains(out, "Jessica Ludwig") {
		t.Errorf("sources: err %v, output:\n%s", err, out)
	}
	out, _, err = runCmd(t, vars, "index")
	if err != nil || !strings.Contains(out, "Index is up to date: 5 documents") {
		t.Errorf("index: err %v, output:\n%s", err, out)
	}
	out, _, err = runCmd(t, vars, "index", "--force")
	if err != nil || !strings.HasPrefix(out, "Indexed: 5 documents") {
		t.Errorf("index --force: err %v, output:\n%s", err, out)
	}
}

func TestIndexReportsSkippedFiles(t *testing.T) {
	corpus := t.TempDir()
	os.WriteFile(filepath.Join(corpus, "good.md"), []byte("# Good\n\nA perfectly good document about lighthouses and the people who keep them lit all night.\n"), 0o644)
	os.WriteFile(filepath.Join(corpus, "empty.txt"), nil, 0o644)
	out, _, err := runCmd(t, map[string]string{"KNOWLEDGE_DIR": corpus}, "index")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"1 documents", "Skipped 1 files", "empty.txt: empty"} {
		if !strings.Contains(out, want) {
			t.Errorf("index summary lacks %q:\n%s", want, out)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"no command", nil, nil},
		{"unknown command", []string{"frobnicate"}, nil},
		{"ask without a question", []string{"ask"}, nil},
		{"bad flag", []string{"search", "--nope", "x"}, nil},
		{"bad -n", []string{"search", "-n", "0", "x"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCmd(t, tt.env, tt.args...)
			var ue usageError
			if !errors.As(err, &ue) {
				t.Errorf("run(%q) error = %v; want a usage error", tt.args, err)
			}
		})
	}
}

// TestAskJSONWithoutAQuestion: ask --json always prints its one object,
// even for "" or no question, and the error is said once ("ask: ...",
// not "ask: ask: ...").
func TestAskJSONWithoutAQuestion(t *testing.T) {
	for _, args := range [][]string{{"ask", "--json", ""}, {"ask", "--json"}, {"ask", "--json", "?!"}} {
		out, _, err := runCmd(t, nil, args...)
		if err == nil || strings.Count(err.Error(), "ask:") != 1 {
			t.Errorf("run(%q) error = %v; want one \"ask:\"", args, err)
		}
		var obj struct {
			Abstained bool              `json:"abstained"`
			Citations []json.RawMessage `json:"citations"`
			Error     string            `json:"error"`
		}
		if jerr := json.Unmarshal([]byte(out), &obj); jerr != nil || !obj.Abstained || obj.Citations == nil || obj.Error != "question has no searchable words" {
			t.Errorf("run(%q) printed %q (%v); want the JSON error object", args, out, jerr)
		}
	}
}

func TestConfigErrorsNameTheVariable(t *testing.T) {
	tests := []struct {
		name, key, value string
	}{
		{"size", "MAX_FILE_SIZE", "lots"},
		{"level", "LOG_LEVEL", "loud"},
		{"format", "LOG_FORMAT", "xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCmd(t, map[string]string{tt.key: tt.value}, "ask", "Wuzhen")
			if err == nil || !strings.Contains(err.Error(), tt.key) {
				t.Errorf("%s=%q: error %v; want one naming %s", tt.key, tt.value, err, tt.key)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{{"10MiB", 10 << 20}, {"512KiB", 512 << 10}, {"2G", 2 << 30}, {"1000", 1000}, {"5 mb", 5 << 20}}
	for _, tt := range tests {
		if got, err := parseSize(tt.in); err != nil || got != tt.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "-1", "ten", "0"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) succeeded", bad)
		}
	}
}

func TestWrapText(t *testing.T) {
	text := "Lu Wei, the head of the State Internet Information Office, is the ringleader."
	spans := []knowledge.Span{{Start: 0, End: 6}, {Start: 58, End: 64}} // "Lu Wei", "Office"
	got, moved := wrapText(text, spans, 30, "    ")
	for _, line := range strings.Split(got, "\n") {
		if n := len([]rune(line)); n > 30 {
			t.Errorf("line %q has %d runes; want at most 30", line, n)
		}
	}
	if strings.ReplaceAll(strings.ReplaceAll(got, "\n    ", " "), "  ", " ") != text {
		t.Errorf("wrapText changed the words: %q", got)
	}
	for i, sp := range moved {
		if got[sp.Start:sp.End] != text[spans[i].Start:spans[i].End] {
			t.Errorf("span %d marks %q; want %q", i, got[sp.Start:sp.End], text[spans[i].Start:spans[i].End])
		}
	}
}

func TestAskJSONForUnusableQuestions(t *testing.T) {
	for _, q := range []string{"what is the?", strings.Repeat("word ", 300)} {
		out, _, err := runCmd(t, nil, "ask", "--json", q)
		if err == nil {
			t.Errorf("ask --json %.20q succeeded; want an error exit", q)
		}
		var got struct {
			Abstained bool   `json:"abstained"`
			Error     string `json:"error"`
		}
		if jerr := json.Unmarshal([]byte(out), &got); jerr != nil || !got.Abstained || got.Error == "" {
			t.Errorf("ask --json %.20q printed %q; want one object, abstained, with the error", q, out)
		}
	}
}

func TestAskBatchFromStdin(t *testing.T) {
	vars := map[string]string{"INDEX_DIR": t.TempDir()}
	in := strings.Join([]string{
		"What was the Wuzhen Declaration?",
		"",
		"What is the boiling point of water?",
		strings.Repeat("word ", 300),
		"Who hosted NetMundial?\r",
	}, "\n") // the last line has no newline
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"ask", "--json", "-"}, env(vars), strings.NewReader(in), &out, &errOut); err != nil {
		t.Fatalf("ask --json -: %v\n%s", err, errOut.String())
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("ask --json - printed %d lines for 5 questions:\n%s", len(lines), out.String())
	}
	type answer struct {
		Question  string `json:"question"`
		Abstained bool   `json:"abstained"`
		Citations []struct {
			Passage string `json:"passage"`
		} `json:"citations"`
		Error string `json:"error"`
	}
	var got []answer
	for i, l := range lines {
		var a answer
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatalf("line %d %q: %v", i+1, l, err)
		}
		got = append(got, a)
	}
	for _, tc := range []struct {
		line      int
		abstained bool
		err       bool
	}{{1, false, false}, {2, true, true}, {3, true, false}, {4, true, true}, {5, false, false}} {
		a := got[tc.line-1]
		if a.Abstained != tc.abstained || (a.Error != "") != tc.err || (!tc.abstained && len(a.Citations) == 0) {
			t.Errorf("line %d: %+v; want abstained=%v, error=%v", tc.line, a, tc.abstained, tc.err)
		}
	}
	// The same object as a single `ask --json`, on one line.
	single, _, err := runCmd(t, vars, "ask", "--json", "Who hosted NetMundial?")
	if err != nil {
		t.Fatal(err)
	}
	var one answer
	if err := json.Unmarshal([]byte(single), &one); err != nil {
		t.Fatal(err)
	}
	if fmtAnswer(one) != fmtAnswer(got[4]) {
		t.Errorf("batch answer %+v; single ask --json %+v", got[4], one)
	}
}

// fmtAnswer renders any value for comparison.
func fmtAnswer(v any) string { b, _ := json.Marshal(v); return string(b) }

// TestAskBatchAnswersAsRead checks that each answer is written before the
// next question is read: a script can hold a conversation over the pipes.
func TestAskBatchAnswersAsRead(t *testing.T) {
	vars := map[string]string{"INDEX_DIR": t.TempDir()}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(context.Background(), []string{"ask", "--json", "-"}, env(vars), inR, outW, io.Discard)
		outW.CloseWithError(err)
		done <- err
	}()
	answers := bufio.NewScanner(outR)
	for _, q := range []string{"What was the Wuzhen Declaration?", "Who hosted NetMundial?"} {
		if _, err := io.WriteString(inW, q+"\n"); err != nil {
			t.Fatal(err)
		}
		if !answers.Scan() {
			t.Fatalf("no answer to %q before the next question: %v", q, answers.Err())
		}
		if !strings.Contains(answers.Text(), `"question":`) {
			t.Errorf("answer to %q: %s", q, answers.Text())
		}
	}
	inW.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if answers.Scan() {
		t.Errorf("extra output after the questions: %s", answers.Text())
	}
}

func TestAskDashNeedsJSON(t *testing.T) {
	_, _, err := runCmd(t, nil, "ask", "-")
	var ue usageError
	if !errors.As(err, &ue) {
		t.Errorf("ask - without --json: %v; want a usage error", err)
	}
}

// TestCorpusCheckIndex: with CORPUS_CHECK=index, ask opens the index as it
// is (a document added since is not seen) until govbot index compares the
// corpus; the default compares at every start.
func TestCorpusCheckIndex(t *testing.T) {
	corpus := t.TempDir()
	old := time.Now().Add(-time.Hour)
	write := func(name, text string) {
		p := filepath.Join(corpus, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, old, old) // settled: stamps younger than 2 s are not trusted
	}
	write("lighthouses.md", "# Lighthouses\n\nThe keepers of the northern lighthouses trimmed the wicks of their oil lamps every four hours through the night.\n")
	vars := map[string]string{"KNOWLEDGE_DIR": corpus, "INDEX_DIR": t.TempDir(), "CORPUS_CHECK": "index"}
	if _, _, err := runCmd(t, vars, "index"); err != nil {
		t.Fatal(err)
	}
	write("orchards.md", "# Orchards\n\nThe cooperative presses cider from the apples of forty valley farms each autumn.\n")
	const q = "Who presses cider from the apples?"
	if out, _, err := runCmd(t, vars, "ask", q); err != nil || !strings.Contains(out, "does not answer") {
		t.Errorf("CORPUS_CHECK=index: ask saw a document added after the index (err %v):\n%s", err, out)
	}
	if out, _, err := runCmd(t, vars, "index"); err != nil || !strings.Contains(out, "2 documents") {
		t.Errorf("index did not compare the corpus (err %v):\n%s", err, out)
	}
	if out, _, err := runCmd(t, vars, "ask", q); err != nil || !strings.Contains(out, "cooperative") {
		t.Errorf("after govbot index, ask does not answer from the new document (err %v):\n%s", err, out)
	}
	write("tides.md", "# Tides\n\nThe harbour master posts the times of the spring tides on the quay every Monday morning.\n")
	delete(vars, "CORPUS_CHECK")
	if out, _, err := runCmd(t, vars, "ask", "When are the spring tide times posted?"); err != nil || !strings.Contains(out, "harbour master") {
		t.Errorf("default CORPUS_CHECK: ask did not compare the corpus (err %v):\n%s", err, out)
	}
	vars["CORPUS_CHECK"] = "sometimes"
	if _, _, err := runCmd(t, vars, "ask", q); err == nil || !strings.Contains(err.Error(), "CORPUS_CHECK") {
		t.Errorf("CORPUS_CHECK=sometimes: err %v, want a config error naming it", err)
	}
}
