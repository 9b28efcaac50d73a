package match_test

import (
	"carefit/internal/market"
	"carefit/jobs"
	. "carefit/match"
	"carefit/ranking"
)

// marketData is a generated market (internal/market, the generator the
// demo and every other package's tests use) of nPositions positions and
// nProfiles clinicians at testNow, in the engine's view as the feature
// store converts it. The same seed gives the same data. Positions are
// spread over one organization per 50 of them, as in the API benchmarks.
func marketData(seed uint64, nPositions, nProfiles int) ([]Position, []Clinician) {
	mk := market.Generate(seed, market.Size{Organizations: max(1, nPositions/50), Positions: nPositions, Profiles: nProfiles}, testNow)
	orgs := make(map[string]jobs.Organization, len(mk.Organizations))
	for _, o := range mk.Organizations {
		orgs[o.ID] = o
	}
	ps := make([]Position, len(mk.Positions))
	for i, p := range mk.Positions {
		ps[i] = ranking.FromPosition(p, orgs[p.OrgID])
	}
	cs := make([]Clinician, len(mk.Profiles))
	for i, p := range mk.Profiles {
		cs[i] = ranking.FromProfile(p)
	}
	return ps, cs
}
