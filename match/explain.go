package match

import (
	"time"
)

// FactorResult is one factor's part in a score.
type FactorResult struct {
	Factor Factor
	Side   Side
	// Fit is 0 to 1: 1 inside the wished range, falling off outside it.
	Fit float64
	// Weight is the default weight scaled by the organisation's override
	// and, on the clinician side, the clinician's importance.
	Weight float64
	// Contribution is the factor's points on its side: 100 × Weight × Fit
	// ÷ the side's total weight. A side's contributions add up to that side
	// (ClinicianSide or EmployerSide), and the same fit at the same weight
	// is worth the same points in every pair that weighs the same factors.
	// They do not add up to Score, which multiplies the two sides.
	Contribution float64
	// Missing is set when the fact was not known and Fit is the neutral
	// fitUnknown (0.5).
	Missing bool
	// Verdict says in a word how the fact meets the wish (verdict.go).
	Verdict Verdict
	// MustHave is set when the clinician (or, for a want, the position)
	// marked the factor a must-have; a must-have that misses makes the pair
	// ineligible.
	MustHave bool
	Sentence string
}

// Explanation is a scored pair with its reasons.
type Explanation struct {
	PositionID  string
	ClinicianID string
	Eligibility Eligibility
	// Score is the mutual fit, 0 to 100: 100·(ε+(1−ε)C)·(ε+(1−ε)E) with
	// ε = 0.05, where C and E are the weighted mean fits of the clinician
	// and employer sides. It rises strictly with each side, so a side that
	// fits not at all (0) still leaves the other side's order. A side with
	// no weighted factor counts as 1 (the score is then the other side
	// alone); with none on either side the score is 0.
	Score         float64
	ClinicianSide float64 // C × 100
	EmployerSide  float64 // E × 100
	// Reader is who the sentences speak to (Options.Reader).
	Reader Reader
	// Factors lists every factor with a positive weight, in Factor order,
	// and the clinician's wishes that do not apply to the position's
	// setting (Verdict NotApplicable, no weight, fit or points).
	Factors []FactorResult
}

// Explain scores clinician c for position p with a sentence per factor, and
// reports eligibility at now too; an ineligible pair is still scored so a
// recruiter can see why it would or would not fit.
func Explain(p Position, c Clinician, now time.Time, opts Options) Explanation {
	var lt langTable
	r, lic := compileClinician(&c, &lt)
	pf := compilePosition(&p, &lt, true)
	ex := explain(&pf, &r, &p, &c, voiceOf(opts.Reader))
	ex.Reader = opts.Reader
	ex.Eligibility = check(&pf, &p, &r, lic, &c, now, opts)
	return ex
}

// Score combination; doc.go gives the reasons.
const (
	// sideFloor is ε: a side's mean fit m counts as ε + (1−ε)·m, so a side
	// that fits not at all still leaves the other side's ordering intact.
	sideFloor = 0.05
)

// floorSide maps a side's weighted mean fit m in [0, 1] to ε + (1−ε)·m.
func floorSide(m float64) float64 { return sideFloor + (1-sideFloor)*m }

// combine turns fits and weights into the mutual score, both sides and
// each factor's points: score = 100·(ε+(1−ε)C)·(ε+(1−ε)E), a side with no
// weight counting as 1; a factor's points are 100·w·fit / W on its side,
// so each side's points add up to that side (C or E times 100).
func combine(fit, w *[NumFactors]float64) (score, c, e float64, points [NumFactors]float64) {
	var sum, wsum [2]float64
	for f := Factor(0); f < NumFactors; f++ {
		s := f.Side()
		sum[s] += w[f] * fit[f]
		wsum[s] += w[f]
	}
	if wsum[0] == 0 && wsum[1] == 0 {
		return 0, 0, 0, points
	}
	mean, floored := [2]float64{1, 1}, [2]float64{1, 1}
	for s := range 2 {
		if wsum[s] > 0 {
			mean[s] = min(1, max(0, sum[s]/wsum[s]))
			floored[s] = floorSide(mean[s])
		}
	}
	score = 100 * floored[0] * floored[1]
	for f := Factor(0); f < NumFactors; f++ {
		if w[f] > 0 {
			points[f] = 100 * w[f] * fit[f] / wsum[f.Side()]
		}
	}
	return score, 100 * mean[0], 100 * mean[1], points
}

func explain(pf *posFacts, r *clinRow, p *Position, c *Clinician, v voice) Explanation {
	fit, w, missing := pf.pairFits(r)
	score, cs, es, contrib := combine(&fit, &w)
	ex := Explanation{PositionID: p.ID, ClinicianID: c.ID, Score: score, ClinicianSide: cs, EmployerSide: es}
	// Sized once: every row of a ranked page is explained.
	n := 0
	for f := Factor(0); f < NumFactors; f++ {
		if w[f] != 0 || f < firstEmployer && r.imp[f] > 0 && !pf.applies(f) {
			n++
		}
	}
	if n > 0 {
		ex.Factors = make([]FactorResult, 0, n)
	}
	for f := Factor(0); f < NumFactors; f++ {
		if w[f] == 0 {
			if f < firstEmployer && r.imp[f] > 0 && !pf.applies(f) {
				ex.Factors = append(ex.Factors, FactorResult{Factor: f, Side: SideClinician, Verdict: NotApplicable,
					Sentence: naReason(p.Setting, f)})
			}
			continue
		}
		verdict := Unknown
		if !missing[f] {
			verdict = verdictOf(f, fit[f], r.commute2 >= pf.chord2(r))
		}
		ex.Factors = append(ex.Factors, FactorResult{
			Factor:       f,
			Side:         f.Side(),
			Fit:          fit[f],
			Weight:       w[f],
			Contribution: contrib[f],
			Missing:      missing[f],
			Verdict:      verdict,
			MustHave:     (uint32(r.must)|pf.must)&(1<<f) != 0,
			Sentence:     sentence(f, p, c, pf, r, v, missing[f]),
		})
	}
	return ex
}
