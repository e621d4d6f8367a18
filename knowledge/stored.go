package knowledge

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/numeric"
)

// segmentPassages reads the stored passages ids from the segments of
// snap: one lookup of all the ids per segment, then a visit of each
// passage's stored fields straight into a Passage. (IndexSnapshot.Document
// looks each id up alone and builds a bleve document of copied fields
// first: 15% of Ask's CPU on the embedded corpus.) It reads what Document
// would: the first live document with each id, in segment order. Ids not
// in the index are left out.
func segmentPassages(ctx context.Context, snap *scorch.IndexSnapshot, ids []string) (map[string]Passage, error) {
	out := make(map[string]Passage, len(ids))
	for _, seg := range snap.Segments() {
		if len(out) == len(ids) {
			break
		}
		nums, err := seg.DocNumbers(ids)
		if err != nil {
			return nil, fmt.Errorf("load passages: %w", err)
		}
		for it := nums.Iterator(); it.HasNext(); {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			var p Passage
			err := seg.VisitDocument(uint64(it.Next()), func(field string, typ byte, val []byte, _ []uint64) bool {
				switch typ {
				case 't':
					switch field {
					case "_id":
						p.ID = string(val)
					case fieldText:
						p.Text = string(val)
					case fieldDocID:
						p.DocID = string(val)
					case fieldSection:
						p.Section = string(val)
					}
				case 'n':
					i64, err := numeric.PrefixCoded(val).Int64()
					if err != nil {
						return true
					}
					n := int(numeric.Int64ToFloat64(i64))
					switch field {
					case fieldOrdinal:
						p.Ordinal = n
					case fieldStart:
						p.Start = n
					case fieldEnd:
						p.End = n
					case fieldPage:
						p.Page = n
					}
				}
				return true
			})
			if err != nil {
				return nil, fmt.Errorf("load passage %s: %w", p.ID, err)
			}
			if _, seen := out[p.ID]; !seen {
				out[p.ID] = p
			}
		}
	}
	return out, nil
}
