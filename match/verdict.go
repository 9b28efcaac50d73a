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
// favour of the pair. The two sides take turns, the reader's own first (a
// clinician's wishes for the clinician, the employer's wants for a
// recruiter): points compare only within a side, and a side with few
// factors would otherwise fill the list.
func (e Explanation) Strongest(n int) []FactorResult {
	return e.lead(n, func(f FactorResult) bool { return f.Verdict == Meets },
		func(f FactorResult, _ float64) float64 { return f.Contribution })
}

// Weakest returns up to n factors that miss, are close or are unknown,
// the most points lost on their side first (ties in factor order), the
// sides taking turns as in Strongest: what speaks against the pair.
func (e Explanation) Weakest(n int) []FactorResult {
	return e.lead(n, func(f FactorResult) bool { return f.Verdict == Misses || f.Verdict == Close || f.Verdict == Unknown },
		func(f FactorResult, total float64) float64 { return 100 * f.Weight / total * (1 - f.Fit) })
}

// lead picks up to n factors that keep, ordered on each side by rank
// (given the side's total weight), highest first, the sides taking turns.
//
// Each side is sorted as the factors' positions, not copies of them: an
// explanation of every row of a ranked page calls this twice per row.
func (e Explanation) lead(n int, keep func(FactorResult) bool, rank func(FactorResult, float64) float64) []FactorResult {
	var total [2]float64
	var buf [2][32]int32
	sides := [2][]int32{buf[0][:0], buf[1][:0]}
	for _, f := range e.Factors {
		total[f.Side] += f.Weight
	}
	for i, f := range e.Factors {
		if keep(f) {
			sides[f.Side] = append(sides[f.Side], int32(i))
		}
	}
	for s := range sides {
		slices.SortStableFunc(sides[s], func(a, b int32) int {
			return cmp.Compare(rank(e.Factors[b], total[s]), rank(e.Factors[a], total[s]))
		})
	}
	first := SideEmployer
	if e.Reader == ReaderClinician {
		first = SideClinician
	}
	var out []FactorResult
	for i := 0; len(out) < n && (i < len(sides[0]) || i < len(sides[1])); i++ {
		for _, s := range [2]Side{first, 1 - first} {
			if i < len(sides[s]) && len(out) < n {
				if out == nil {
					out = make([]FactorResult, 0, n)
				}
				out = append(out, e.Factors[sides[s][i]])
			}
		}
	}
	return out
}
