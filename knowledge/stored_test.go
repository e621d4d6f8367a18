package knowledge

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/govbot-dev/govbot/knowledge/synthetic"
)

// segmentPassages reads what bleve's documents give (documentPassages),
// from an index of several segments in which some passages were indexed
// again (so that older segments hold deleted copies), for ids in the
// index, ids not in it and repeated ids.
func TestSegmentPassagesMatchDocuments(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "bleve")
	idx, err := bleve.NewUsing(dir, newMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	src := Source{ID: "doc", Title: "A document"}
	passage := func(i, version int) Passage {
		return Passage{
			ID: fmt.Sprintf("doc#%d", i), DocID: "doc", Ordinal: i, Start: i * 100, End: i*100 + 90,
			Page: i % 3, Section: fmt.Sprintf("Part %d", i%4),
			Text: fmt.Sprintf("Passage %d, version %d: the conference in Wuzhen (乌镇) %s.", i, version, strings.Repeat("word ", i%7)),
		}
	}
	var ids []string
	for b := 0; b < 4; b++ { // a batch each: several segments
		batch := idx.NewBatch()
		for i := b * 30; i < b*30+30; i++ {
			if err := batch.Index(passage(i, 1).ID, newPassageDoc(passage(i, 1), src)); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, passage(i, 1).ID)
		}
		if b > 0 { // again, passages of the batch before: their old copies are deleted
			for i := (b-1)*30 + 5; i < (b-1)*30+10; i++ {
				if err := batch.Index(passage(i, 2).ID, newPassageDoc(passage(i, 2), src)); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := idx.Batch(batch); err != nil {
			t.Fatal(err)
		}
	}
	ids = append(ids, "doc#999", "nothing", ids[7], ids[0])
	adv, err := idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		t.Fatalf("reader is %T; want *scorch.IndexSnapshot", r)
	}
	t.Logf("%d segments", len(snap.Segments()))
	got, err := segmentPassages(ctx, snap, ids)
	if err != nil {
		t.Fatal(err)
	}
	want, err := documentPassages(ctx, r, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 120 {
		t.Fatalf("documentPassages read %d passages; want 120", len(want))
	}
	if !reflect.DeepEqual(got, want) {
		for id, w := range want {
			if g := got[id]; !reflect.DeepEqual(g, w) {
				t.Errorf("segmentPassages: %s = %+v; want %+v", id, g, w)
			}
		}
		t.Errorf("segmentPassages read %d passages; want %d", len(got), len(want))
	}
	if p := got["doc#7"]; !strings.Contains(p.Text, "version 2") {
		t.Errorf("doc#7 = %q; want the version indexed last", p.Text)
	}
}

// TestBuiltIndexHasOneSegment: a built index serves from a single segment
// (mergeSegments), although its batches made several: each clause of a
// question then reads one dictionary and one postings list.
func TestBuiltIndexHasOneSegment(t *testing.T) {
	ctx := context.Background()
	corpus := t.TempDir()
	if _, err := synthetic.New(5000, 1).Write(corpus); err != nil {
		t.Fatal(err)
	}
	e, _, err := Open(ctx, Config{CorpusDir: corpus, IndexDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	adv, err := e.gen.idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.(*scorch.Scorch).Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	segs := r.(*scorch.IndexSnapshot).Segments()
	if len(segs) != 1 || segs[0].Count() != 5000 {
		counts := make([]uint64, len(segs))
		for i, s := range segs {
			counts[i] = s.Count()
		}
		t.Errorf("segments hold %v passages; want one segment of 5000", counts)
	}
}
