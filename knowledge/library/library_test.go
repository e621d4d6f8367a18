package library

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govbot-dev/govbot/knowledge"
	"github.com/govbot-dev/govbot/knowledge/corpus"
)

const (
	guildA = "111111111111111111"
	guildB = "222222222222222222"
)

var (
	scopeA = knowledge.Scope{Guild: guildA}
	scopeB = knowledge.Scope{Guild: guildB}
	base   = knowledge.Scope{}
)

// zorblax is a document no seed article could answer for.
const zorblax = "---\ntitle: The Zorblax Accord\n---\nThe Zorblax Accord on quantum telegraphy was signed in Quuxville in 2031 by eleven observatories.\n"

// seedDir copies the embedded corpus into a new directory.
func seedDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(corpus.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".txt") {
			return err
		}
		b, err := fs.ReadFile(corpus.FS(), p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, p), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func openLib(t testing.TB, corpusDir string, tune func(*Config)) *Library {
	t.Helper()
	cfg := Config{
		Base:    knowledge.Config{CorpusDir: corpusDir, IndexDir: t.TempDir()},
		DataDir: t.TempDir(),
	}
	if tune != nil {
		tune(&cfg)
	}
	l, _, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// cites reports whether an answer in scope cites document id.
func cites(t *testing.T, l *Library, scope knowledge.Scope, q, id string) bool {
	t.Helper()
	ans, err := l.Ask(context.Background(), scope, q, knowledge.AskOptions{Limit: 9})
	if err != nil {
		t.Fatalf("Ask(%v, %q): %v", scope, q, err)
	}
	for _, c := range ans.Citations {
		if c.Source.ID == id {
			return true
		}
	}
	return false
}

func listed(t *testing.T, l *Library, scope knowledge.Scope, id string) bool {
	t.Helper()
	srcs, err := l.Sources(context.Background(), scope)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		if s.ID == id {
			return true
		}
	}
	return false
}

func TestAddInOneGuildNeverAnswersInAnother(t *testing.T) {
	l := openLib(t, seedDir(t), nil)
	ctx := context.Background()
	ch, err := l.Add(ctx, scopeA, "zorblax.md", []byte(zorblax), AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Action != Added || ch.Source.ID != "uploads-zorblax" || ch.Source.Origin != knowledge.OriginGuild || ch.Source.Passages == 0 {
		t.Fatalf("Add = %+v", ch)
	}
	q := "Where was the Zorblax Accord signed?"
	if !cites(t, l, scopeA, q, ch.Source.ID) {
		t.Errorf("guild A: %q does not cite its own upload", q)
	}
	for _, s := range []knowledge.Scope{scopeB, base} {
		if cites(t, l, s, q, ch.Source.ID) || listed(t, l, s, ch.Source.ID) {
			t.Errorf("%v sees guild A's upload", s)
		}
		if _, _, err := l.Source(ctx, s, ch.Source.ID); !errors.Is(err, knowledge.ErrNotFound) {
			t.Errorf("%v: Source(%s) = %v; want ErrNotFound", s, ch.Source.ID, err)
		}
		if _, err := l.Passage(ctx, s, ch.Source.ID+"#1"); !errors.Is(err, knowledge.ErrNotFound) {
			t.Errorf("%v: Passage(%s#1) = %v; want ErrNotFound", s, ch.Source.ID, err)
		}
	}
	// Base documents still answer in A, next to its own.
	if !cites(t, l, scopeA, "What was the Wuzhen Declaration?", "china-first-world-internet-conference") {
		t.Errorf("guild A lost the base")
	}
	// Removing it in A deletes it.
	rm, err := l.Remove(ctx, scopeA, ch.Source.ID)
	if err != nil || rm.Action != Removed {
		t.Fatalf("Remove = %+v, %v", rm, err)
	}
	if cites(t, l, scopeA, q, ch.Source.ID) || listed(t, l, scopeA, ch.Source.ID) {
		t.Errorf("guild A still has its removed document")
	}
}

func TestHideInOneGuildNeverHidesInAnother(t *testing.T) {
	l := openLib(t, seedDir(t), nil)
	ctx := context.Background()
	const doc = "china-first-world-internet-conference"
	q := "What was the Wuzhen Declaration?"
	ch, err := l.Remove(ctx, scopeB, doc)
	if err != nil || ch.Action != Hid || ch.Source.ID != doc {
		t.Fatalf("Remove(B, base doc) = %+v, %v; want hidden", ch, err)
	}
	if cites(t, l, scopeB, q, doc) || listed(t, l, scopeB, doc) {
		t.Errorf("guild B still sees the document it hid")
	}
	if _, _, err := l.Source(ctx, scopeB, doc); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("guild B: Source(hidden) = %v; want ErrNotFound", err)
	}
	for _, s := range []knowledge.Scope{scopeA, base} {
		if !cites(t, l, s, q, doc) || !listed(t, l, s, doc) {
			t.Errorf("%v lost a document guild B hid", s)
		}
	}
	hidden, err := l.Hidden(ctx, scopeB)
	if err != nil || len(hidden) != 1 || hidden[0].ID != doc {
		t.Errorf("Hidden(B) = %v, %v", hidden, err)
	}
	if _, err := l.Remove(ctx, scopeB, doc); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("hiding twice: %v; want ErrNotFound", err)
	}
	if _, err := l.Restore(ctx, scopeA, doc); !errors.Is(err, ErrNotHidden) {
		t.Errorf("Restore in A of what B hid: %v; want ErrNotHidden", err)
	}
	// Survives a restart.
	l.Close()
	l2 := openLib(t, l.cfg.Base.CorpusDir, func(c *Config) { c.DataDir = l.cfg.DataDir; c.Base.IndexDir = l.cfg.Base.IndexDir })
	if listed(t, l2, scopeB, doc) {
		t.Errorf("guild B's hidden document is back after a restart")
	}
	if _, err := l2.Restore(ctx, scopeB, doc); err != nil {
		t.Fatal(err)
	}
	if !cites(t, l2, scopeB, q, doc) {
		t.Errorf("restored document does not answer in guild B")
	}
}

func TestGuildIDsAndNamesNeverEscape(t *testing.T) {
	l := openLib(t, seedDir(t), nil)
	ctx := context.Background()
	for _, g := range []string{"../x", "..", "1/2", "", "0123", "12a", "99999999999999999999999", "1\x00"} {
		if g == "" {
			continue
		}
		if _, err := l.Add(ctx, knowledge.Scope{Guild: g}, "x.md", []byte(zorblax), AddOptions{}); !errors.Is(err, ErrInvalidGuild) {
			t.Errorf("Add in guild %q: %v; want ErrInvalidGuild", g, err)
		}
		if _, err := l.Ask(ctx, knowledge.Scope{Guild: g}, "Who is Lu Wei?", knowledge.AskOptions{}); !errors.Is(err, ErrInvalidGuild) {
			t.Errorf("Ask in guild %q: %v; want ErrInvalidGuild", g, err)
		}
	}
	for _, name := range []string{"../../../etc/evil.md", `..\..\evil.md`, "/abs/evil.md", "uploads/../../evil.md"} {
		ch, err := l.Add(ctx, scopeA, name, []byte(zorblax+name), AddOptions{Replace: true})
		if err != nil {
			t.Fatalf("Add(%q): %v", name, err)
		}
		if ch.Source.Path != "uploads/evil.md" {
			t.Errorf("Add(%q) stored at %q", name, ch.Source.Path)
		}
	}
	var outside []string
	filepath.WalkDir(filepath.Dir(l.cfg.DataDir), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == "evil.md" && !strings.Contains(p, filepath.Join("guilds", guildA, "docs", "uploads")) {
			outside = append(outside, p)
		}
		return nil
	})
	if len(outside) > 0 {
		t.Errorf("files escaped the guild's folder: %v", outside)
	}
}

func TestRefusedAddChangesNothing(t *testing.T) {
	dir := seedDir(t)
	l := openLib(t, dir, nil)
	ctx := context.Background()
	before, _ := l.Sources(ctx, scopeA)
	seed, _ := os.ReadFile(filepath.Join(dir, "framing-the-agenda.txt"))
	tests := []struct {
		name, file string
		data       []byte
		want       error
	}{
		{"binary", "x.md", []byte("\x00\x01\x02binary"), ErrInvalidDocument},
		{"not utf-8", "x.txt", []byte("caf\xe9 au lait"), ErrInvalidDocument},
		{"empty", "x.md", []byte("   \n"), ErrInvalidDocument},
		{"bad front matter", "x.md", []byte("---\ntitle: [unclosed\n---\nText.\n"), ErrInvalidDocument},
		{"wrong type", "x.exe", []byte("MZ"), ErrUnsupported},
		{"no extension", "README", []byte("text"), ErrUnsupported},
		{"already in the base", "copy.txt", seed, ErrDuplicate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := l.Add(ctx, scopeA, tt.file, tt.data, AddOptions{})
			var re *RefusedError
			if !errors.Is(err, tt.want) || !errors.As(err, &re) || re.Reason == "" {
				t.Fatalf("Add(%q) = %v; want a RefusedError wrapping %v", tt.file, err, tt.want)
			}
		})
	}
	after, _ := l.Sources(ctx, scopeA)
	if len(after) != len(before) {
		t.Errorf("refused adds changed the sources: %d, then %d", len(before), len(after))
	}
	docs, _, _ := l.store.Folders(ctx, guildA)
	if has, _ := hasDocuments(docs); has {
		t.Errorf("a refused file was kept")
	}
}

func TestAddNamesReplaceAndTitle(t *testing.T) {
	l := openLib(t, seedDir(t), nil)
	ctx := context.Background()
	first, err := l.Add(ctx, scopeA, "notes.md", []byte("First notes about Quuxville.\n"), AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := l.Add(ctx, scopeA, "notes.txt", []byte("Second notes about Quuxville.\n"), AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !second.Renamed || second.Source.ID != "uploads-notes-2" || first.Source.ID != "uploads-notes" {
		t.Errorf("ids %q, %q (renamed %v); want uploads-notes, uploads-notes-2", first.Source.ID, second.Source.ID, second.Renamed)
	}
	rep, err := l.Add(ctx, scopeA, "notes.html", []byte("<html><body><p>Third notes about Quuxville.</p></body></html>"), AddOptions{Replace: true})
	if err != nil || rep.Action != Replaced || rep.Source.ID != "uploads-notes" {
		t.Fatalf("replace = %+v, %v", rep, err)
	}
	titled, err := l.Add(ctx, scopeA, "x.md", []byte("Body of a titled note.\n"), AddOptions{Title: "Meeting Minutes: June"})
	if err != nil || titled.Source.Title != "Meeting Minutes: June" || titled.Source.ID != "uploads-meeting-minutes-june" {
		t.Fatalf("titled = %+v, %v", titled.Source, err)
	}
	srcs, _ := l.Sources(ctx, scopeA)
	n := 0
	for _, s := range srcs {
		if s.Origin == knowledge.OriginGuild {
			n++
		}
	}
	if n != 3 {
		t.Errorf("guild A has %d documents of its own; want 3 (notes, notes-2, meeting minutes)", n)
	}
	// The base's ids are taken too: a guild document never shadows one by accident.
	base, err := l.Add(ctx, scopeA, "framing-the-agenda.md", []byte("A different text on agendas.\n"), AddOptions{})
	if err != nil || base.Source.ID == "framing-the-agenda" {
		t.Errorf("Add named like a base document = %+v, %v", base.Source, err)
	}
}

func TestEmbeddedBaseIsReadOnly(t *testing.T) {
	l := openLib(t, "", nil)
	ctx := context.Background()
	if _, err := l.Add(ctx, base, "x.md", []byte(zorblax), AddOptions{}); !errors.Is(err, ErrReadOnlyBase) {
		t.Errorf("Add to embedded base: %v; want ErrReadOnlyBase", err)
	}
	if _, err := l.Remove(ctx, base, "framing-the-agenda"); !errors.Is(err, ErrReadOnlyBase) {
		t.Errorf("Remove from embedded base: %v; want ErrReadOnlyBase", err)
	}
	// Guilds still have collections of their own.
	if _, err := l.Add(ctx, scopeA, "x.md", []byte(zorblax), AddOptions{}); err != nil {
		t.Errorf("Add in a guild over the embedded base: %v", err)
	}
}

func TestNoDataDir(t *testing.T) {
	l := openLib(t, seedDir(t), func(c *Config) { c.DataDir = "" })
	ctx := context.Background()
	if _, err := l.Add(ctx, scopeA, "x.md", []byte(zorblax), AddOptions{}); !errors.Is(err, ErrNoGuildData) {
		t.Errorf("Add without DataDir: %v; want ErrNoGuildData", err)
	}
	if !cites(t, l, scopeA, "What was the Wuzhen Declaration?", "china-first-world-internet-conference") {
		t.Errorf("a guild without DataDir does not read the base")
	}
}

func TestBaseAddAndRemove(t *testing.T) {
	dir := seedDir(t)
	l := openLib(t, dir, nil)
	ctx := context.Background()
	ch, err := l.Add(ctx, base, "zorblax.md", []byte(zorblax), AddOptions{})
	if err != nil || ch.Source.ID != "zorblax" || ch.Source.Origin != knowledge.OriginBase {
		t.Fatalf("Add to base = %+v, %v", ch, err)
	}
	q := "Where was the Zorblax Accord signed?"
	for _, s := range []knowledge.Scope{base, scopeA, scopeB} {
		if !cites(t, l, s, q, "zorblax") {
			t.Errorf("%v does not see a base addition", s)
		}
	}
	if _, err := l.Remove(ctx, base, "zorblax"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "zorblax.md")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("removed base file still there: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*"))
	for _, p := range left {
		if !strings.HasSuffix(p, lockFile) {
			t.Errorf("left behind: %s", p)
		}
	}
}

func TestGuildCollectionsOpenLazilyAndBounded(t *testing.T) {
	l := openLib(t, seedDir(t), func(c *Config) { c.MaxOpen = 2; c.IdleAfter = time.Hour })
	ctx := context.Background()
	guilds := []string{"300000000000000001", "300000000000000002", "300000000000000003", "300000000000000004"}
	for i, g := range guilds {
		if _, err := l.Add(ctx, knowledge.Scope{Guild: g}, "n.md", []byte(zorblax+strings.Repeat("x", i)), AddOptions{}); err != nil {
			t.Fatal(err)
		}
		if n := l.openGuilds(); n > 2 {
			t.Errorf("%d guild collections open; MaxOpen is 2", n)
		}
	}
	// A guild without documents opens nothing.
	if _, err := l.Ask(ctx, knowledge.Scope{Guild: "399999999999999999"}, "Who is Lu Wei?", knowledge.AskOptions{}); err != nil {
		t.Fatal(err)
	}
	if n := l.openGuilds(); n > 2 {
		t.Errorf("%d open after a question in a guild without documents", n)
	}
	// Closed ones reopen on use, with their documents.
	for _, g := range guilds {
		if !cites(t, l, knowledge.Scope{Guild: g}, "Where was the Zorblax Accord signed?", "uploads-n") {
			t.Errorf("guild %s lost its document after being closed", g)
		}
	}
	// Idle ones close.
	l.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	l.closeIdleNow()
	if n := l.openGuilds(); n != 0 {
		t.Errorf("%d guild collections open after they were idle", n)
	}
}

func TestStatusHasNoPathsAndNothingOfOtherGuilds(t *testing.T) {
	dir := seedDir(t)
	l := openLib(t, dir, nil)
	ctx := context.Background()
	if _, err := l.Add(ctx, scopeA, "zorblax.md", []byte(zorblax), AddOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Remove(ctx, scopeA, "soft-power-is-hard"); err != nil {
		t.Fatal(err)
	}
	a, err := l.Status(ctx, scopeA)
	if err != nil || a.Documents != 1 || a.Hidden != 1 || a.Base.Documents != 5 {
		t.Errorf("Status(A) = %+v, %v", a, err)
	}
	b, err := l.Status(ctx, scopeB)
	if err != nil || b.Documents != 0 || b.Hidden != 0 {
		t.Errorf("Status(B) = %+v, %v", b, err)
	}
	for _, s := range []Status{a, b} {
		for _, p := range []string{dir, l.cfg.DataDir, l.cfg.Base.IndexDir} {
			if strings.Contains(strings.ReplaceAll(fmtStatus(s), "\\", "/"), filepath.ToSlash(p)) {
				t.Errorf("Status shows a path: %+v", s)
			}
		}
	}
}

func fmtStatus(s Status) string {
	var b strings.Builder
	b.WriteString(s.Guild)
	for _, sk := range s.Skipped {
		b.WriteString(sk.Path + sk.Reason)
	}
	return b.String()
}

// TestSyncAdoptsChangesOfAnotherProcess: govbot add --guild and govbot
// remove --guild run beside a serving process, which sees them on Sync.
func TestSyncAdoptsChangesOfAnotherProcess(t *testing.T) {
	dir := seedDir(t)
	serving := openLib(t, dir, nil)
	ctx := context.Background()
	q := "Where was the Zorblax Accord signed?"
	// The serving process has both guilds loaded.
	cites(t, serving, scopeA, q, "uploads-zorblax")
	cites(t, serving, scopeB, q, "uploads-zorblax")
	cli := openLib(t, dir, func(c *Config) { c.DataDir = serving.cfg.DataDir; c.Base.IndexDir = serving.cfg.Base.IndexDir })
	if _, err := cli.Add(ctx, scopeA, "zorblax.md", []byte(zorblax), AddOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Remove(ctx, scopeB, "soft-power-is-hard"); err != nil {
		t.Fatal(err)
	}
	cli.Close()
	if changed, err := serving.Sync(ctx); err != nil || !changed {
		t.Fatalf("Sync = %v, %v", changed, err)
	}
	if !cites(t, serving, scopeA, q, "uploads-zorblax") {
		t.Errorf("after Sync, guild A does not answer from the document another process added")
	}
	if listed(t, serving, scopeB, "soft-power-is-hard") {
		t.Errorf("after Sync, guild B still lists the document another process hid")
	}
	if changed, err := serving.Sync(ctx); err != nil || changed {
		t.Errorf("second Sync = %v, %v; want no change", changed, err)
	}
}

// TestQuestionsDuringChanges: questions in two guilds and DMs keep being
// answered while one guild's admin adds and removes documents; the
// other guild never sees them. Run with -race.
func TestQuestionsDuringChanges(t *testing.T) {
	l := openLib(t, seedDir(t), func(c *Config) { c.MaxOpen = 1 })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	q := "Where was the Zorblax Accord signed?"
	errs := make(chan error, 8)
	done := make(chan struct{})
	for _, s := range []knowledge.Scope{scopeA, scopeB, base} {
		go func() {
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				ans, err := l.Ask(ctx, s, q, knowledge.AskOptions{})
				if err != nil {
					errs <- err
					return
				}
				if s != scopeA {
					for _, c := range ans.Citations {
						if strings.HasPrefix(c.Source.ID, "uploads-") {
							errs <- errors.New(s.String() + " cited " + c.Source.ID)
							return
						}
					}
				}
			}
		}()
	}
	for i := range 5 {
		ch, err := l.Add(ctx, scopeA, "zorblax.md", []byte(zorblax+strings.Repeat(" more", i)), AddOptions{Replace: true})
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 1 {
			if _, err := l.Remove(ctx, scopeA, ch.Source.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	close(done)
	for range 3 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
