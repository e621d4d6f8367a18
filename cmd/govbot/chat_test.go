package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestChatReadsFollowUpsInContext(t *testing.T) {
	in := strings.Join([]string{
		"What was the Wuzhen Declaration?",
		"when did people get it?",
		"thanks!",
		"/new",
		"why?",
		"Who hosted NetMundial?",
	}, "\n") + "\n"
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"chat"}, env(map[string]string{"INDEX_DIR": t.TempDir()}), strings.NewReader(in), &out, &errOut)
	if err != nil {
		t.Fatalf("chat: %v\n%s", err, errOut.String())
	}
	got := out.String()
	for _, want := range []string{
		"(read together with: What was the Wuzhen Declaration?)",
		"slipped under their doors",
		"🙂",
		"(a new conversation)",
		"question has no searchable words", // "why?" with nothing before it
		"hosted by Brazil",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("chat output lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "read together with"); n != 1 {
		t.Errorf("%d answers read in context; want 1:\n%s", n, got)
	}
}

func TestAskAfter(t *testing.T) {
	out, _, err := runCmd(t, nil, "ask", "--json", "--after", "Who is Lu Wei?", "how old is he?")
	if err != nil {
		t.Fatalf("ask --after: %v", err)
	}
	var a answerOut
	if err := json.Unmarshal([]byte(out), &a); err != nil || !a.Abstained {
		t.Errorf("ask --after \"Who is Lu Wei?\" \"how old is he?\" = %s (%v); want an abstention", out, err)
	}
	out, _, err = runCmd(t, nil, "ask", "--json", "--after", "Who proposed the International Code of Conduct for Information Security?", "to whom?")
	if err != nil {
		t.Fatalf("ask --after: %v", err)
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil || a.Abstained || a.FollowUp == "" || !strings.Contains(out, "United Nations") {
		t.Errorf("to whom? after the Code of Conduct = %s; want the United Nations, read in context", out)
	}
}
