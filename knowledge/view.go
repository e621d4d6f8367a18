package knowledge

import (
	"context"
	"fmt"
)

// A View reads an engine's corpus (the base) together with a second
// engine's (a server's own documents) as one corpus, leaving out some of
// the base's documents. A passage ranks the same in a View whichever of
// the two engines holds it: term statistics are summed over both (see
// union.go). A document of Own whose id the base also has shadows the
// base's.
//
// A View holds nothing itself: it is a value made per question, cheap to
// build, and valid as long as its engines are open. The question is
// answered from the base's synonyms list. Its methods are safe for
// concurrent use, also while either engine reloads.
type View struct {
	Base *Engine // required
	Own  *Engine // nil: the base alone
	// Hidden lists base document ids to leave out; the View reads it
	// and never changes it, and the caller must not change it while a
	// method of the View runs.
	Hidden map[string]bool
}

// read runs f with a reader over the view's live generations, holding
// both engines' read locks (the base's first, always, so that views
// sharing a base never wait on each other in a cycle).
func (v View) read(f func(r reader) error) error {
	if v.Base == nil {
		return fmt.Errorf("view without a base: %w", ErrClosed)
	}
	v.Base.mu.RLock()
	defer v.Base.mu.RUnlock()
	if v.Base.closed {
		return ErrClosed
	}
	parts := []*generation{v.Base.gen}
	if v.Own != nil && v.Own != v.Base {
		v.Own.mu.RLock()
		defer v.Own.mu.RUnlock()
		if v.Own.closed {
			return ErrClosed
		}
		parts = append(parts, v.Own.gen)
	}
	u, err := newUnion(v.Base.an, parts, v.Hidden)
	if err != nil {
		return err
	}
	return f(u)
}

// Ask is Engine.Ask over the view.
func (v View) Ask(ctx context.Context, question string, opts AskOptions) (Answer, error) {
	var ans Answer
	err := v.read(func(r reader) error {
		var err error
		ans, err = v.Base.ask(ctx, r, question, opts)
		return err
	})
	return ans, err
}

// Search is Engine.Search over the view.
func (v View) Search(ctx context.Context, query string, limit int) ([]Citation, error) {
	var out []Citation
	err := v.read(func(r reader) error {
		var err error
		out, err = v.Base.search(ctx, r, query, limit)
		return err
	})
	return out, err
}

// Sources lists the view's documents (the base's not left out, and
// Own's), ordered by title.
func (v View) Sources() ([]Source, error) {
	var out []Source
	err := v.read(func(r reader) error {
		u := r.(*union)
		all := map[string]Source{}
		for i, g := range u.parts {
			srcs, err := g.catalog.all()
			if err != nil {
				return err
			}
			for _, s := range srcs {
				if !u.excluded(i, s.ID) {
					s.Origin = origin(i)
					all[s.ID] = s
				}
			}
		}
		out = sortedSources(all)
		return nil
	})
	return out, err
}

// Source is Engine.Source over the view: ErrNotFound for a document left
// out.
func (v View) Source(ctx context.Context, id string) (Source, []Passage, error) {
	var (
		src Source
		ps  []Passage
	)
	err := v.read(func(r reader) error {
		u := r.(*union)
		i := u.owner(id)
		if i < 0 {
			return fmt.Errorf("document %q: %w", id, ErrNotFound)
		}
		var err error
		src, ps, err = u.parts[i].document(ctx, id)
		src.Origin = origin(i)
		return err
	})
	return src, ps, err
}

// Passage is Engine.Passage over the view: ErrNotFound for a passage of a
// document left out.
func (v View) Passage(ctx context.Context, id string) (Passage, error) {
	var p Passage
	err := v.read(func(r reader) error {
		var err error
		p, err = passageIn(ctx, r, id)
		return err
	})
	return p, err
}

// Origins of a View's documents (Source.Origin).
const (
	OriginBase  = "base"
	OriginGuild = "guild"
)

func origin(part int) string {
	if part == 0 {
		return OriginBase
	}
	return OriginGuild
}
