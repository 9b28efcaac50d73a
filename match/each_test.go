package match_test

import (
	"fmt"
	"testing"

	. "carefit/match"
)

// TestEachScoredTagged checks that every eligible clinician comes back
// with the tag it was indexed with, through a bulk build, replacements
// and the compaction that removing most of the index triggers.
func TestEachScoredTagged(t *testing.T) {
	ps, cs := marketData(21, 200, 6000)
	want := map[string]uint32{}
	ix := NewIndexOf(len(cs), func(i int) (Clinician, uint32) { return cs[i], uint32(i * 7) })
	for i, c := range cs {
		want[c.ID] = uint32(i * 7)
	}
	check := func(stage string) {
		t.Helper()
		seen := 0
		for _, p := range ps {
			ix.EachScoredTagged(p, testNow, Options{}, func(id string, tag uint32, _ float64) {
				seen++
				if w, ok := want[id]; !ok || w != tag {
					t.Fatalf("%s: clinician %s has tag %d, want %d (held %v)", stage, id, tag, w, ok)
				}
			})
		}
		if seen == 0 {
			t.Fatalf("%s: no clinician eligible for any of %d positions", stage, len(ps))
		}
	}
	check("built")
	// Remove two thirds (a compaction), and re-add some with new tags.
	for i, c := range cs {
		if i%3 != 0 {
			ix.Remove(c.ID)
			delete(want, c.ID)
		}
	}
	for i := 0; i < len(cs); i += 6 {
		c := cs[i]
		ix.UpsertTagged(c, uint32(1_000_000+i))
		want[c.ID] = uint32(1_000_000 + i)
	}
	if ix.Len() != len(want) {
		t.Fatalf("index holds %d, want %d", ix.Len(), len(want))
	}
	check(fmt.Sprintf("after removing %d", len(cs)-len(want)))
}
