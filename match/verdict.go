package match

import (
	"cmp"
	"slices"
)

// Verdict is a factor's result in words a reader takes in without numbers.
type Verdict string

// Verdicts. A fact inside the wished range meets it; one fall-off width or
// more outside it (a fit below ½) misses it, as does a category the
// clinician did not ask for; anything between is close. A must-have is
// missed exactly when its verdict is Misses.
const (
	Meets         Verdict = "meets"
	Close         Verdict = "close"
	Misses        Verdict = "misses"
	Unknown       Verdict = "unknown"        // the fact is not stated
	NotApplicable Verdict = "not_applicable" // the fact does not exist in the position's setting
)

// missBelow is the fit below which a factor misses: the fit at one
// fall-off width outside the wished range.
const missBelow = 0.5

// verdictOf is the verdict of a known fact's fit; a commute within the
// clinician's limit meets it whatever its fit (the fit only prefers the
// nearer of two places the clinician would both go to).
func verdictOf(f Factor, fit float64, within bool) Verdict {
	switch {
	case f == FactorCommute && within, fit >= 1-1e-9:
		return Meets
	case fit < missBelow:
		return Misses
	}
	return Close
}

// Strongest returns up to n factors that meet their wish or want, the
// most points first (ties in factor order): what a reader hears first in
// favour of the pair.
func (e Explanation) Strongest(n int) []FactorResult {
	var out []FactorResult
	for _, f := range e.Factors {
		if f.Verdict == Meets {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b FactorResult) int { return cmp.Compare(b.Contribution, a.Contribution) })
	return out[:min(n, len(out))]
}

// Weakest returns up to n factors that miss, are close or are unknown,
// the most points lost on their side first (ties in factor order): what
// speaks against the pair.
func (e Explanation) Weakest(n int) []FactorResult {
	var total [2]float64
	for _, f := range e.Factors {
		total[f.Side] += f.Weight
	}
	lost := func(f FactorResult) float64 { return 100 * f.Weight / total[f.Side] * (1 - f.Fit) }
	var out []FactorResult
	for _, f := range e.Factors {
		if f.Verdict == Misses || f.Verdict == Close || f.Verdict == Unknown {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b FactorResult) int { return cmp.Compare(lost(b), lost(a)) })
	return out[:min(n, len(out))]
}
