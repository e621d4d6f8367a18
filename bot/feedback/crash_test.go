package feedback

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// helperEnv names the directory the helper process writes to; the helper
// does nothing without it.
const helperEnv = "GOVBOT_FEEDBACK_HELPER_DIR"

// TestHelperProcess is not a test: TestKillMidWrite runs the test binary
// again with only this test selected and helperEnv set. It records answers
// (with citations and a vote each) as fast as it can and prints the id of
// each one after its commit returned, until it is killed.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv(helperEnv)
	if dir == "" {
		t.Skip("helper process for TestKillMidWrite")
	}
	ctx := context.Background()
	s, err := Open(ctx, Config{Dir: dir})
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(2)
	}
	w := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		id, err := s.RecordAnswer(ctx, Record{Command: "ask", UserID: "u" + strconv.Itoa(i%7),
			Question: fmt.Sprintf("question number %d about the WIC?", i), Abstained: i%3 == 0,
			Citations: []string{"wic#1", "wic#2", "wic#3"}})
		if err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			os.Exit(3)
		}
		if err := s.Vote(ctx, "", id, "voter", false); err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			os.Exit(3)
		}
		fmt.Fprintf(w, "%d\n", id)
		w.Flush()
	}
}

// TestKillMidWrite kills a process that is writing as fast as it can
// (SIGKILL: no deferred code, no Close), then reopens the database: every
// answer the process saw committed must be there, with its vote and its
// citations, and the database must pass SQLite's integrity check.
func TestKillMidWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })

	// Read committed ids until enough are in, then kill mid-stream: the
	// child is always inside a write when the signal lands, or close to it.
	const want = 300
	var committed []int64
	sc := bufio.NewScanner(out)
	for len(committed) < want && sc.Scan() {
		id, err := strconv.ParseInt(sc.Text(), 10, 64)
		if err != nil {
			t.Fatalf("helper printed %q", sc.Text())
		}
		committed = append(committed, id)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix
		t.Fatal(err)
	}
	for sc.Scan() { // ids printed before the kill landed are committed too
		if id, err := strconv.ParseInt(sc.Text(), 10, 64); err == nil {
			committed = append(committed, id)
		}
	}
	cmd.Wait()
	if len(committed) < want {
		t.Fatalf("helper committed %d answers before it stopped; want %d (see its stderr above)", len(committed), want)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := Open(ctx, Config{Dir: dir})
	if err != nil {
		t.Fatalf("reopen after kill -9: %v", err)
	}
	defer s.Close()
	var check string
	if err := s.writer.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("PRAGMA integrity_check = %q, %v; want ok", check, err)
	}
	missing := 0
	for _, id := range committed {
		var citations, votes int
		err := s.reader.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM citations WHERE answer_id = a.id),
			(SELECT COUNT(*) FROM votes WHERE answer_id = a.id)
			FROM answers a WHERE a.id = ?`, id).Scan(&citations, &votes)
		if err != nil || citations != 3 || votes != 1 {
			missing++
			if missing <= 5 {
				t.Errorf("committed answer %d after reopen: %d citations, %d votes, %v; want 3, 1", id, citations, votes, err)
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d committed answers lost or incomplete", missing, len(committed))
	}
	// The store still works after the crash.
	if _, err := s.RecordAnswer(ctx, Record{Command: "ask", Question: "after the crash"}); err != nil {
		t.Errorf("RecordAnswer() after reopen = %v", err)
	}
}
