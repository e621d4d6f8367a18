package library

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/govbot-dev/govbot/knowledge"
)

// The crash test runs a change in a child process (this test binary,
// running TestCrashHelper), stops it with SIGKILL at a step of the
// change, and checks that the collections, reopened, are whole: exactly
// as they were (every interrupted change is rolled back), with no
// temporary file, backup or journal left, and still answering.

const (
	crashDirEnv  = "GOVBOT_CRASH_DIR"
	crashOpEnv   = "GOVBOT_CRASH_OP"
	crashStepEnv = "GOVBOT_CRASH_STEP"
)

// crashOps are the changes killed mid-way, each run against a fresh copy
// of the same starting state.
var crashOps = map[string]func(context.Context, *Library) error{
	"add-guild": func(ctx context.Context, l *Library) error {
		_, err := l.Add(ctx, scopeA, "zorblax.md", []byte(zorblax), AddOptions{})
		return err
	},
	"replace-guild": func(ctx context.Context, l *Library) error {
		_, err := l.Add(ctx, scopeA, "notes.html", []byte("<html><body><p>New notes about Quuxville.</p></body></html>"), AddOptions{Replace: true})
		return err
	},
	"remove-guild": func(ctx context.Context, l *Library) error {
		_, err := l.Remove(ctx, scopeA, "uploads-notes")
		return err
	},
	"add-base": func(ctx context.Context, l *Library) error {
		_, err := l.Add(ctx, base, "zorblax.md", []byte(zorblax), AddOptions{})
		return err
	},
	"hide-guild": func(ctx context.Context, l *Library) error {
		_, err := l.Remove(ctx, scopeA, "framing-the-agenda")
		return err
	},
	"remove-base": func(ctx context.Context, l *Library) error {
		_, err := l.Remove(ctx, base, "soft-power-is-hard")
		return err
	},
}

// crashSteps are the points of a change where the child is killed; a
// change killed at "committed" must be there after a restart, one killed
// earlier must not.
var crashSteps = []string{"staged", "journal", "aside", "placed", "applied", "rebuilt", "committed"}

// crashConfig is the Library configuration both processes use in dir.
func crashConfig(dir string, hook func(string)) Config {
	return Config{
		Base:    knowledge.Config{CorpusDir: filepath.Join(dir, "kb"), IndexDir: filepath.Join(dir, "index")},
		DataDir: filepath.Join(dir, "data"),
		Store:   DirStore{Root: filepath.Join(dir, "data", "guilds"), hook: hook},
	}
}

// TestCrashHelper is the child: it runs one change and stops at a step,
// telling the parent it is there.
func TestCrashHelper(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("run by TestCrashMidChange")
	}
	step := os.Getenv(crashStepEnv)
	hook := func(s string) {
		if s == step {
			fmt.Println("AT", s)
			time.Sleep(time.Hour) // the parent kills us here
		}
	}
	ctx := context.Background()
	l, _, err := Open(ctx, crashConfig(dir, hook))
	if err != nil {
		t.Fatal(err)
	}
	l.hook = hook
	err = crashOps[os.Getenv(crashOpEnv)](ctx, l)
	fmt.Println("DONE", err) // the step was never reached
}

// snapshot is what a user would see of the collections.
func snapshot(t *testing.T, l *Library) string {
	t.Helper()
	var b strings.Builder
	for _, s := range []knowledge.Scope{base, scopeA} {
		srcs, err := l.Sources(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		for _, src := range srcs {
			fmt.Fprintf(&b, "%s %s %s %s\n", s, src.ID, src.Path, src.Hash[:12])
		}
	}
	return b.String()
}

func TestCrashMidChange(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	start := t.TempDir()
	seed := seedDir(t)
	if err := os.Rename(seed, filepath.Join(start, "kb")); err != nil {
		copyDir(t, seed, filepath.Join(start, "kb"))
	}
	ctx := context.Background()
	l, _, err := Open(ctx, crashConfig(start, nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Add(ctx, scopeA, "notes.md", []byte("Old notes about Quuxville and its observatories.\n"), AddOptions{}); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, l)
	l.Close()
	// What each change leaves when it completes.
	after := map[string]string{}
	for op, run := range crashOps {
		dir := t.TempDir()
		copyDir(t, start, dir)
		l, _, err := Open(ctx, crashConfig(dir, nil))
		if err != nil {
			t.Fatal(err)
		}
		if err := run(ctx, l); err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		after[op] = snapshot(t, l)
		l.Close()
	}

	ops := make([]string, 0, len(crashOps))
	for op := range crashOps {
		ops = append(ops, op)
	}
	slices.Sort(ops)
	for _, op := range ops {
		for _, step := range crashSteps {
			t.Run(op+"/"+step, func(t *testing.T) {
				dir := t.TempDir()
				copyDir(t, start, dir)
				reached := runAndKill(t, dir, op, step)
				if !reached {
					t.Skipf("%s never reaches %s", op, step)
				}
				l, _, err := Open(ctx, crashConfig(dir, nil))
				if err != nil {
					t.Fatalf("reopen after a crash at %s: %v", step, err)
				}
				defer l.Close()
				want := before
				if step == "committed" {
					want = after[op]
				}
				if got := snapshot(t, l); got != want {
					t.Errorf("after a crash at %s the collections are\n%s\nwant\n%s", step, got, want)
				}
				leftovers(t, dir)
				if _, err := l.Ask(ctx, scopeA, "Where are the observatories of Quuxville?", knowledge.AskOptions{}); err != nil {
					t.Errorf("Ask after the crash: %v", err)
				}
				// And the change can be made again.
				if step != "committed" {
					if err := crashOps[op](ctx, l); err != nil {
						t.Errorf("%s after recovery: %v", op, err)
					}
				}
			})
		}
	}
}

// runAndKill starts the child on dir and kills it with SIGKILL once it
// reports reaching step; false when it finished without reaching it.
func runAndKill(t *testing.T, dir, op, step string) bool {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.v")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, crashOpEnv+"="+op, crashStepEnv+"="+step)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	reached := false
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "AT ") {
			reached = true
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			break
		}
		if strings.HasPrefix(line, "DONE") {
			break
		}
	}
	go func() { _, _ = bufio.NewReader(out).WriteTo(nopWriter{}) }()
	_ = cmd.Wait()
	return reached
}

type nopWriter struct{}

func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }

// leftovers fails on temporary files, backups and journals left in the
// collections' folders.
func leftovers(t *testing.T, dir string) {
	t.Helper()
	for _, root := range []string{filepath.Join(dir, "kb"), filepath.Join(dir, "data", "guilds", guildA, "docs")} {
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			name := d.Name()
			if strings.HasPrefix(name, ".pending-") || strings.HasPrefix(name, ".aside-") || name == journalFile || strings.HasPrefix(name, ".tmp-") {
				t.Errorf("left behind: %s", p)
			}
			return nil
		})
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestOpenNeverRollsBackAChangeInProgress: a second process (govbot ask
// beside govbot serve) opening the library while the first is in the
// middle of a change waits for it instead of taking it for a crash.
func TestOpenNeverRollsBackAChangeInProgress(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	if err := os.Rename(seedDir(t), filepath.Join(dir, "kb")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.v")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, crashOpEnv+"=add-base", crashStepEnv+"=applied")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	sc := bufio.NewScanner(out)
	for sc.Scan() && !strings.HasPrefix(sc.Text(), "AT ") {
	}
	// The child holds the base's lock with its change applied.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if l, _, err := Open(ctx, crashConfig(dir, nil)); err == nil {
		l.Close()
		t.Fatal("Open during another process's change did not wait for it")
	}
	if _, err := os.Stat(filepath.Join(dir, "kb", "zorblax.md")); err != nil {
		t.Fatalf("the change in progress was touched: %v", err)
	}
	// Once that process dies, the next Open rolls its change back.
	cmd.Process.Kill()
	cmd.Wait()
	l, _, err := Open(context.Background(), crashConfig(dir, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := os.Stat(filepath.Join(dir, "kb", "zorblax.md")); !os.IsNotExist(err) {
		t.Errorf("interrupted change not rolled back: %v", err)
	}
}
