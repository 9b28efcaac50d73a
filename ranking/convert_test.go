package ranking_test

import (
	"slices"
	"testing"

	"carefit/candidates"
	"carefit/internal/kit/factor"
	"carefit/jobs"
	"carefit/match"
	"carefit/ranking"
)

// TestMustHavesReachTheEngine: a profile's must-have importance and a
// position's must-have wants become the engine's, factor by factor.
func TestMustHavesReachTheEngine(t *testing.T) {
	prof := candidates.Profile{Importance: map[factor.Name]int{factor.VisitLength: candidates.MustHave, factor.Pay: 2}}
	c := ranking.FromProfile(prof)
	for f, want := range map[match.Factor]int{match.FactorVisitNew: match.MustHave, match.FactorVisitFollowUp: match.MustHave, match.FactorPay: 2} {
		if got := c.Importance[f]; got != want {
			t.Errorf("importance of %s: got %d, want %d", f, got, want)
		}
	}
	p := jobs.Position{Wants: jobs.Wants{MustHave: []factor.Name{factor.Experience, factor.Languages}}}
	mp := ranking.FromPosition(p, jobs.Organization{})
	if want := []match.Factor{match.FactorExperience, match.FactorLanguages}; !slices.Equal(mp.MustHave, want) {
		t.Errorf("got must-haves %v, want %v", mp.MustHave, want)
	}
}
