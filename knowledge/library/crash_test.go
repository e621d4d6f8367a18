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
	"remove-base": func(ctx context.Context, l *Library) error {
		_, err := l.Remove(ctx, base, "soft-power-is-hard")
		return err
	},
}

var crashSteps = []string{"staged", "journal", "aside", "placed", "applied", "rebuilt"}

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
				if got := snapshot(t, l); got != before {
					t.Errorf("after a crash at %s the collections are\n%s\nwant them as they were\n%s", step, got, before)
				}
				leftovers(t, dir)
				if _, err := l.Ask(ctx, scopeA, "Where are the observatories of Quuxville?", knowledge.AskOptions{}); err != nil {
					t.Errorf("Ask after the crash: %v", err)
				}
				// And the change can be made again.
				if err := crashOps[op](ctx, l); err != nil {
					t.Errorf("%s after recovery: %v", op, err)
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
