package match_test

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	. "carefit/match"
)

// agreesWithCheck fails unless ix ranks every position's eligible
// clinicians (by Check over cs) in Explain's order, and EachEligible
// visits each of them once.
func agreesWithCheck(t *testing.T, ix *Index, ps []Position, cs []Clinician, opts Options) (eligible int) {
	t.Helper()
	for _, p := range ps {
		var want []Ranked
		for _, c := range cs {
			if Check(p, c, testNow, opts).Eligible {
				want = append(want, Ranked{ID: c.ID, Score: Explain(p, c, testNow, opts).Score})
			}
		}
		slices.SortFunc(want, func(a, b Ranked) int {
			return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.ID, b.ID))
		})
		got := ix.TopClinicians(p, len(cs)+1, testNow, opts, nil)
		if len(got) != len(want) {
			t.Fatalf("position %s (%s, %v, %s): the index ranks %d eligible, Check finds %d", p.ID, p.State, p.Location, p.Setting, len(got), len(want))
		}
		for i := range got {
			if got[i].ID != want[i].ID && math.Abs(got[i].Score-want[i].Score) > 0.01 {
				t.Fatalf("position %s rank %d: index %v, Explain %v", p.ID, i, got[i], want[i])
			}
		}
		var visited []string
		ix.EachEligible(p, testNow, opts, func(id string) { visited = append(visited, id) })
		if len(visited) != len(want) || len(visited) != len(slices.Compact(slices.Sorted(slices.Values(visited)))) {
			t.Fatalf("position %s: EachEligible visited %d (some twice?), Check finds %d", p.ID, len(visited), len(want))
		}
		eligible += len(want)
	}
	return eligible
}

// spatialMarket is a market whose places stress the spatial block:
// clinicians and positions crowded into a few spots, among them either
// side of the antimeridian (Alaska's Aleutians reach past it) and near the
// pole; homes unknown; commutes from none to the longest allowed; and
// clinicians who would move to other states.
func spatialMarket(seed uint64, nPositions, nProfiles int) ([]Position, []Clinician) {
	ps, cs := marketData(seed, nPositions, nProfiles)
	r := rand.New(rand.NewPCG(seed, 99))
	spots := []Point{{Lat: 51.88, Lng: 179.95}, {Lat: 51.9, Lng: -179.95}, {Lat: 89.7, Lng: 10}, {Lat: -0.01, Lng: 0.01},
		{Lat: 43.04, Lng: -87.91}, {Lat: 43.07, Lng: -89.40}, {Lat: 42.1, Lng: -87.9}}
	near := func() *Point {
		s := spots[r.IntN(len(spots))]
		lat := math.Max(-90, math.Min(90, s.Lat+r.NormFloat64()*0.6))
		lng := s.Lng + r.NormFloat64()*0.8
		if lng > 180 {
			lng -= 360
		}
		if lng < -180 {
			lng += 360
		}
		return &Point{Lat: lat, Lng: lng}
	}
	states := []string{"WI", "IL", "AK", "MN", "NY", "CA"}
	for i := range cs {
		c := &cs[i]
		switch r.IntN(10) {
		case 0:
			c.Home = nil
		case 1, 2, 3, 4, 5, 6:
			c.Home = near()
		}
		c.MaxCommuteMiles = []float64{0, 5, 30, 60, 99.9, 100, 100.1, 150, 500}[r.IntN(9)]
		c.WillingStates = nil
		if r.IntN(3) == 0 {
			c.WillingStates = []string{states[r.IntN(len(states))], states[r.IntN(len(states))]}
		}
		// Licensed where the spots are, so the crowding makes pairs.
		for j := range c.Licences {
			if r.IntN(2) == 0 {
				c.Licences[j].State = states[r.IntN(len(states))]
			}
		}
	}
	for i := range ps {
		p := &ps[i]
		switch r.IntN(8) {
		case 0:
			p.Location = nil
		case 1:
			p.Setting = TelehealthOnly
		default:
			p.Location = near()
		}
		if r.IntN(2) == 0 {
			p.State = states[r.IntN(len(states))]
			p.LicenceStates = nil
		}
	}
	return ps, cs
}

// TestSpatialBlockAgreesWithCheck: ranking through the grid, far and
// willing lists finds exactly the clinicians Check finds eligible, in
// Explain's order, for an index built at once and for one built by
// upserts, removals and moves after it.
func TestSpatialBlockAgreesWithCheck(t *testing.T) {
	opts := Options{AvailabilitySlackDays: 14}
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			ps, cs := spatialMarket(seed, 90, 3000)
			if n := agreesWithCheck(t, NewIndex(cs), ps, cs, opts); n < 200 {
				t.Fatalf("only %d eligible pairs: the market is too thin to test the spatial block", n)
			}

			// Half at once, the rest one by one (their grids' tails,
			// then rebuilt cells), then moves and removals.
			ix := NewIndex(cs[:len(cs)/2])
			for _, c := range cs[len(cs)/2:] {
				ix.Upsert(c)
			}
			agreesWithCheck(t, ix, ps, cs, opts)
			r := rand.New(rand.NewPCG(seed, 7))
			live := slices.Clone(cs)
			for i := 0; i < 600; i++ {
				j := r.IntN(len(live))
				if i%3 == 0 {
					ix.Remove(live[j].ID)
					live = slices.Delete(live, j, j+1)
					continue
				}
				c := live[j]
				c.Home = &Point{Lat: 43 + r.Float64(), Lng: -88 - r.Float64()}
				c.MaxCommuteMiles = []float64{10, 120}[r.IntN(2)]
				c.WillingStates = []string{"WI"}
				live[j] = c
				ix.Upsert(c)
			}
			agreesWithCheck(t, ix, ps, live, opts)
		})
	}
}

// TestResultOrder: a ranking is best first with ties (equal scores) in ID
// order, whatever order the scan found the rows in; clinicians identical
// but for their IDs tie.
func TestResultOrder(t *testing.T) {
	ps, cs := marketData(5, 40, 2000)
	// Twins of clinicians some position ranks.
	base := NewIndex(cs)
	byID := map[string]Clinician{}
	for _, c := range cs {
		byID[c.ID] = c
	}
	var twins []Clinician
	for _, p := range ps {
		for j, r := range base.TopClinicians(p, 3, testNow, Options{}, nil) {
			for i := range 20 {
				c := byID[r.ID]
				c.ID = fmt.Sprintf("twin-%s-%02d-%d", p.ID[:8], 19-i, j)
				twins = append(twins, c)
			}
		}
		if len(twins) > 0 {
			break
		}
	}
	all := append(slices.Clone(cs), twins...)
	ix := NewIndex(all)
	ties := 0
	for _, p := range ps {
		got := ix.TopClinicians(p, len(all), testNow, Options{}, nil)
		for i := 1; i < len(got); i++ {
			a, b := got[i-1], got[i]
			if a.Score < b.Score || a.Score == b.Score && a.ID > b.ID {
				t.Fatalf("position %s: %v ranks before %v", p.ID, a, b)
			}
			if a.Score == b.Score {
				ties++
			}
		}
	}
	if ties == 0 {
		t.Fatal("no ties: the twins tested nothing")
	}
}
