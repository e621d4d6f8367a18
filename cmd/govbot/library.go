package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/govbot-dev/govbot/knowledge/webpage"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/govbot-dev/govbot/knowledge"
	"github.com/govbot-dev/govbot/knowledge/library"
)

// The operator's commands for collections: add, remove, restore, list.
// Without --guild they change the base collection (KNOWLEDGE_DIR); with
// it, one server's own collection under DATA_DIR. Nothing checks
// authority here: whoever runs govbot on the host is the operator.

// guildFlag adds --guild to fs and returns the parser of the command's
// arguments: its words (flags may come between them) and the scope
// --guild names, or a usage error for an id that is not a snowflake.
func guildFlag(fs *flag.FlagSet) func(args []string) ([]string, knowledge.Scope, error) {
	g := fs.String("guild", "", "a Discord server id: use that server's collection (base minus what it hid, plus its own documents)")
	return func(args []string) ([]string, knowledge.Scope, error) {
		words, err := parseInterspersed(fs, args)
		if err != nil {
			return nil, knowledge.Scope{}, err
		}
		id := strings.TrimSpace(*g)
		if id != "" && !library.ValidGuild(id) {
			return nil, knowledge.Scope{}, usageError{fmt.Sprintf("%s: --guild %q is not a server id (a snowflake: digits only)", fs.Name(), id)}
		}
		return words, knowledge.Scope{Guild: id}, nil
	}
}

// openLibrary opens the Library from config, logging to stderr.
func openLibrary(ctx context.Context, getenv func(string) string, stderr io.Writer, progress func(done, total int)) (*library.Library, knowledge.Report, error) {
	cfg, err := parseConfig(getenv)
	if err != nil {
		return nil, knowledge.Report{}, err
	}
	log := newLogger(stderr, cfg)
	kc := cfg.Knowledge
	kc.Logger = log
	kc.Progress = progress
	return library.Open(ctx, library.Config{Base: kc, DataDir: cfg.DataDir, Logger: log})
}

func runAdd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("add", stderr)
	parseScoped := guildFlag(fs)
	title := fs.String("title", "", "the document's title (also names its file)")
	replace := fs.Bool("replace", false, "replace the document of the same name")
	words, scope, err := parseScoped(args)
	if err != nil {
		return err
	}
	if len(words) != 1 {
		return usageError{"add: give one file or web address, e.g. govbot add notes.md [--guild ID]"}
	}
	name := filepath.Base(words[0])
	var data []byte
	if strings.Contains(words[0], "://") {
		// A web page: fetched through the guarded fetcher (public
		// addresses only), its article kept with its address.
		page, err := webpage.New(webpage.Options{}).Fetch(ctx, words[0])
		if err != nil {
			return fmt.Errorf("add %s: %w", words[0], err)
		}
		name, data = page.Name, page.HTML
	} else if data, err = readDocument(words[0]); err != nil {
		return fmt.Errorf("add: %w", err)
	}
	lib, _, err := openLibrary(ctx, getenv, stderr, nil)
	if err != nil {
		return err
	}
	defer lib.Close()
	ch, err := lib.Add(ctx, scope, name, data, library.AddOptions{Title: *title, Replace: *replace})
	if err != nil {
		return fmt.Errorf("add %s: %w", words[0], explain(err))
	}
	return renderChange(stdout, ch)
}

// readDocument reads a file the operator names, refusing anything but a
// regular file and anything larger than a document can be.
func readDocument(name string) ([]byte, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", name)
	}
	if fi.Size() > 1<<30 {
		return nil, fmt.Errorf("%s is too large", name)
	}
	return os.ReadFile(name)
}

func runRemove(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return runDocChange(ctx, "remove", (*library.Library).Remove, false,
		"remove: give one document id (see govbot list), e.g. govbot remove uploads-notes [--guild ID]",
		args, getenv, stdout, stderr)
}

func runRestore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return runDocChange(ctx, "restore", (*library.Library).Restore, true,
		"restore: give a base document id a server hid and the server, e.g. govbot restore framing-the-agenda --guild ID",
		args, getenv, stdout, stderr)
}

// runDocChange runs a change of one document named by its id (remove,
// restore): in the base, or in the server --guild names (required when
// needGuild), then prints what changed.
func runDocChange(ctx context.Context, name string, change func(*library.Library, context.Context, knowledge.Scope, string) (library.Change, error),
	needGuild bool, usage string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags(name, stderr)
	parseScoped := guildFlag(fs)
	words, scope, err := parseScoped(args)
	if err != nil {
		return err
	}
	if len(words) != 1 || (needGuild && scope.IsBase()) {
		return usageError{usage}
	}
	lib, _, err := openLibrary(ctx, getenv, stderr, nil)
	if err != nil {
		return err
	}
	defer lib.Close()
	ch, err := change(lib, ctx, scope, words[0])
	if err != nil {
		return fmt.Errorf("%s %s: %w", name, words[0], explain(err))
	}
	return renderChange(stdout, ch)
}

func runList(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("list", stderr)
	parseScoped := guildFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	_, scope, err := parseScoped(args)
	if err != nil {
		return err
	}
	lib, _, err := openLibrary(ctx, getenv, stderr, nil)
	if err != nil {
		return err
	}
	defer lib.Close()
	srcs, err := lib.Sources(ctx, scope)
	if err != nil {
		return fmt.Errorf("list: %w", explain(err))
	}
	hidden, err := lib.Hidden(ctx, scope)
	if err != nil {
		return fmt.Errorf("list: %w", explain(err))
	}
	if *asJSON {
		if hidden == nil {
			hidden = []knowledge.Source{}
		}
		return writeJSON(stdout, map[string]any{"guild": scope.Guild, "sources": srcs, "hidden": hidden})
	}
	return renderList(stdout, scope, srcs, hidden, isTerminal(stdout))
}

// explain turns the Library's refusals into what the operator can act on.
func explain(err error) error {
	var re *library.RefusedError
	switch {
	case errors.As(err, &re):
		return errors.New(re.Reason)
	case errors.Is(err, library.ErrReadOnlyBase):
		return errors.New("the built-in corpus cannot be changed: set KNOWLEDGE_DIR to a folder of documents (or use --guild ID for a server's own collection)")
	case errors.Is(err, library.ErrNoGuildData):
		return errors.New("server collections need a data directory: set DATA_DIR")
	case errors.Is(err, knowledge.ErrNotFound):
		return fmt.Errorf("no such document in this collection (see govbot list): %w", err)
	}
	return err
}

func renderChange(w io.Writer, ch library.Change) error {
	where := "the base"
	if !ch.Scope.IsBase() {
		where = "server " + ch.Scope.Guild
	}
	var b strings.Builder
	s := ch.Source
	switch ch.Action {
	case library.Added, library.Replaced:
		fmt.Fprintf(&b, "%s %s “%s” (%d passages) in %s", ch.Action, s.ID, s.Title, s.Passages, where)
		if ch.Renamed {
			b.WriteString("; the name was taken, so it got a number")
		}
	case library.Removed:
		fmt.Fprintf(&b, "removed %s “%s” from %s", s.ID, s.Title, where)
	case library.Hid:
		fmt.Fprintf(&b, "hid base document %s “%s” for %s only (govbot restore %s --guild %s undoes it)", s.ID, s.Title, where, s.ID, ch.Scope.Guild)
	case library.Restored:
		fmt.Fprintf(&b, "restored base document %s “%s” for %s", s.ID, s.Title, where)
	}
	b.WriteString("\n")
	if r := ch.Report; r.Rebuilt {
		fmt.Fprintf(&b, "Indexed %d documents, %d passages in %s\n", r.Documents, r.Passages, r.Duration.Round(1e6))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func renderList(w io.Writer, scope knowledge.Scope, srcs, hidden []knowledge.Source, color bool) error {
	st := newStyle(color)
	var b strings.Builder
	own := 0
	for _, s := range srcs {
		origin := ""
		if s.Origin == knowledge.OriginGuild {
			origin, own = " · this server's", own+1
		}
		fmt.Fprintf(&b, "%s%s%s\n    id %s · %d passages%s", st.bold, s.Title, st.reset, s.ID, s.Passages, origin)
		if by := byline(s); by != "" {
			fmt.Fprintf(&b, " · %s", by)
		}
		b.WriteString("\n")
	}
	if scope.IsBase() {
		fmt.Fprintf(&b, "%d documents in the base\n", len(srcs))
	} else {
		fmt.Fprintf(&b, "%d documents for server %s: %d of the base, %d its own\n", len(srcs), scope.Guild, len(srcs)-own, own)
	}
	if len(hidden) > 0 {
		fmt.Fprintf(&b, "Hidden in this server (%d):\n", len(hidden))
		for _, s := range hidden {
			fmt.Fprintf(&b, "  %s · %s\n", s.ID, s.Title)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
