package match_test

import (
	"slices"
	"testing"

	. "carefit/match"
)

// TestEachEligibleAgreesWithCheck: the unscored scan visits exactly the
// clinicians Check finds eligible, each once, including positions that
// accept any specialty, need two licences or are closed.
func TestEachEligibleAgreesWithCheck(t *testing.T) {
	ps, cs := marketData(9, 80, 3000)
	ps[0].Taxonomies = nil
	ps[1].LicenceStates = []string{ps[1].State, "NY"}
	ps[2].Status = StatusClosed
	ix := NewIndex(cs)
	opts := Options{AvailabilitySlackDays: 14}
	nonEmpty := 0
	for _, p := range ps {
		var want []string
		for _, c := range cs {
			if Check(p, c, testNow, opts).Eligible {
				want = append(want, c.ID)
			}
		}
		var got []string
		ix.EachEligible(p, testNow, opts, func(id string) { got = append(got, id) })
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("position %s: EachEligible visited %d %v, Check finds %d %v", p.ID, len(got), got, len(want), want)
		}
		if len(got) > 0 {
			nonEmpty++
		}
	}
	if nonEmpty < 10 {
		t.Fatalf("only %d positions have eligible clinicians: the market is too thin to test anything", nonEmpty)
	}
}
