package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govbot-dev/govbot/knowledge/corpus"
)

// TestLibraryCommands walks the operator's commands through two servers:
// what one server adds or hides never shows in the other or the base.
func TestLibraryCommands(t *testing.T) {
	kb := t.TempDir()
	for _, name := range []string{"framing-the-agenda.txt", "soft-power-is-hard.txt"} {
		b, err := corpus.FS().Open(name)
		if err != nil {
			t.Fatal(err)
		}
		data := make([]byte, 1<<20)
		n, _ := b.Read(data)
		b.Close()
		if err := os.WriteFile(filepath.Join(kb, name), data[:n], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(t.TempDir(), "zorblax.md")
	if err := os.WriteFile(file, []byte("---\ntitle: The Zorblax Accord\n---\nThe Zorblax Accord was signed in Quuxville in 2031.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"KNOWLEDGE_DIR": kb, "INDEX_DIR": t.TempDir(), "DATA_DIR": t.TempDir()}
	const a, b = "123456789012345678", "876543210987654321"
	q := "Where was the Zorblax Accord signed?"

	out, _, err := runCmd(t, vars, "add", file, "--guild", a)
	if err != nil || !strings.Contains(out, "added uploads-zorblax") {
		t.Fatalf("add --guild: %q, %v", out, err)
	}
	for _, tc := range []struct {
		args   []string
		answer bool
	}{
		{[]string{"ask", "--json", "--guild", a, q}, true},
		{[]string{"ask", "--json", "--guild", b, q}, false},
		{[]string{"ask", "--json", q}, false},
	} {
		out, _, err := runCmd(t, vars, tc.args...)
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		var ans answerOut
		if err := json.Unmarshal([]byte(out), &ans); err != nil {
			t.Fatal(err)
		}
		got := !ans.Abstained && len(ans.Citations) > 0 && ans.Citations[0].DocID == "uploads-zorblax"
		if got != tc.answer {
			t.Errorf("%v: answered from the upload %v; want %v", tc.args, got, tc.answer)
		}
	}

	out, _, err = runCmd(t, vars, "remove", "--guild", b, "framing-the-agenda")
	if err != nil || !strings.Contains(out, "hid base document framing-the-agenda") {
		t.Fatalf("remove --guild: %q, %v", out, err)
	}
	listOf := func(args ...string) string {
		out, _, err := runCmd(t, vars, append([]string{"list", "--json"}, args...)...)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if l := listOf("--guild", b); !strings.Contains(l, `"hidden": [`) || strings.Count(l, `"id": "framing-the-agenda"`) != 1 {
		t.Errorf("list --guild B does not show framing-the-agenda as hidden only:\n%s", l)
	}
	if l := listOf("--guild", a); !strings.Contains(l, `"id": "framing-the-agenda"`) || !strings.Contains(l, `"origin": "guild"`) {
		t.Errorf("list --guild A:\n%s", l)
	}
	if l := listOf(); strings.Contains(l, "zorblax") || !strings.Contains(l, "framing-the-agenda") {
		t.Errorf("list (base):\n%s", l)
	}
	if _, _, err := runCmd(t, vars, "restore", "framing-the-agenda", "--guild", b); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, vars, "index", "--guild", a); err != nil {
		t.Fatal(err)
	}

	// Usage errors change nothing.
	for _, args := range [][]string{
		{"add", file, "--guild", "../../etc"},
		{"restore", "framing-the-agenda"},
		{"remove"},
		{"ask", "--guild", "abc", "x"},
	} {
		_, _, err := runCmd(t, vars, args...)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("%v: %v; want a usage error", args, err)
		}
	}
	// The embedded corpus cannot change.
	_, _, err = runCmd(t, map[string]string{"DATA_DIR": t.TempDir()}, "add", file)
	if err == nil || !strings.Contains(err.Error(), "KNOWLEDGE_DIR") {
		t.Errorf("add to the embedded corpus: %v", err)
	}
}
