package match_test

import (
	"math"
	"testing"

	. "carefit/match"
)

// TestScorerAgreesWithExplain scores generated pairs both ways: one
// compiled position against many clinicians must give Explain's score,
// sides and contributions.
func TestScorerAgreesWithExplain(t *testing.T) {
	ps, cs := marketData(11, 10, 300)
	for _, p := range ps {
		s := NewScorer(p)
		for _, c := range cs {
			got, want := s.Score(c), Explain(p, c, testNow, Options{})
			if math.Abs(got.Score-want.Score) > 1e-9 || math.Abs(got.ClinicianSide-want.ClinicianSide) > 1e-9 ||
				math.Abs(got.EmployerSide-want.EmployerSide) > 1e-9 {
				t.Fatalf("%s × %s: got %.6f (%.4f, %.4f), want %.6f (%.4f, %.4f)", p.ID, c.ID,
					got.Score, got.ClinicianSide, got.EmployerSide, want.Score, want.ClinicianSide, want.EmployerSide)
			}
			var sum [2]float64
			for _, f := range want.Factors {
				if d := math.Abs(got.Contributions[f.Factor] - f.Contribution); d > 1e-9 {
					t.Fatalf("%s × %s %v: contribution %.6f, want %.6f", p.ID, c.ID, f.Factor, got.Contributions[f.Factor], f.Contribution)
				}
			}
			for f, v := range got.Contributions {
				sum[Factor(f).Side()] += v
			}
			if math.Abs(sum[0]-got.ClinicianSide) > 1e-6 || (sum[1] > 0 && math.Abs(sum[1]-got.EmployerSide) > 1e-6) {
				t.Fatalf("points add up to %.6f and %.6f, sides %.6f and %.6f", sum[0], sum[1], got.ClinicianSide, got.EmployerSide)
			}
		}
	}
}

// TestScorersAgreeWithScorer: a set of scorers, which compiles each
// clinician once for all its positions and shares one language table,
// gives every pair the breakdown a scorer of its own gives, whatever order
// the positions and clinicians come in.
func TestScorersAgreeWithScorer(t *testing.T) {
	ps, cs := marketData(8, 30, 400)
	set := NewScorers()
	for round := range 2 { // the second round reads the compiled clinicians
		for i, p := range ps {
			sc := set.Position(p)
			for j := range cs {
				c := cs[(j+i*7+round)%len(cs)]
				if got, want := sc.Score(c), NewScorer(p).Score(c); got != want {
					t.Fatalf("round %d, position %s, clinician %s: the set gives %+v, a scorer %+v", round, p.ID, c.ID, got, want)
				}
			}
		}
	}
}
