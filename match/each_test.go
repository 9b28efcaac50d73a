package match_test

import (
	"slices"
	"testing"

	. "carefit/match"
)

// TestEachScoredIsTheWholeRanking: EachScored visits every clinician
// TopClinicians ranks for a position, each once, with the same score, and
// nothing for a closed position.
func TestEachScoredIsTheWholeRanking(t *testing.T) {
	ps, cs := marketData(9, 80, 3000)
	ps[0].Taxonomies = nil
	ps[2].Status = StatusClosed
	ix := NewIndex(cs)
	opts := Options{AvailabilitySlackDays: 14}
	nonEmpty := 0
	for _, p := range ps {
		want := ix.TopClinicians(p, ix.Len(), testNow, opts, nil)
		var got []Ranked
		ix.EachScored(p, testNow, opts, func(id string, score float64) { got = append(got, Ranked{ID: id, Score: score}) })
		slices.SortFunc(got, ByMutual.Compare)
		if !slices.Equal(got, want) {
			t.Fatalf("position %s: EachScored visited %d %v, TopClinicians ranks %d %v", p.ID, len(got), got, len(want), want)
		}
		if p.Status == StatusClosed && len(got) > 0 {
			t.Fatalf("closed position %s has %d scored clinicians", p.ID, len(got))
		}
		if len(got) > 0 {
			nonEmpty++
		}
	}
	if nonEmpty < 10 {
		t.Fatalf("only %d positions have eligible clinicians: the market is too thin to test anything", nonEmpty)
	}
}
