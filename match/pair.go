package match

import "math"

// A pair's fits in float64, factor by factor: what Explain, Scorer,
// TopPositions and the must-have rule read.

// pairFits computes every factor's fit, weight and missing flag in float64.
// The scan's tables are built from the same functions, so scores agree to
// float32 precision.
func (p *posFacts) pairFits(r *clinRow) (fit, w [NumFactors]float64, missing [NumFactors]bool) {
	for f := Factor(0); f < NumFactors; f++ {
		if f < firstEmployer {
			w[f] = p.w[f] * float64(r.imp[f])
		} else {
			w[f] = p.w[f]
		}
		if w[f] != 0 {
			fit[f], missing[f] = p.factorFit(f, r)
		}
	}
	return fit, w, missing
}

// factorFit is factor f's fit for row r and whether its fact is unknown
// (the fit is then fitUnknown). An employer-side factor whose want is not
// stated may give NaN: callers weigh or test only stated ones.
func (p *posFacts) factorFit(f Factor, r *clinRow) (float64, bool) {
	switch f {
	case FactorEHR:
		if i := p.ehrIndex(r); i >= 0 {
			return ehrFits[i], false
		}
		return fitUnknown, true
	case FactorPay:
		if math.IsNaN(p.payTop) {
			return fitUnknown, true
		}
		return payFit(p.payTop * float64(r.invFloor[p.period])), false
	case FactorCommute:
		fit, _ := commuteFit(r, p.chord2(r), r.willing&p.stateBit != 0)
		return fit, false
	case FactorLanguages:
		return p.langFit(r), r.langs == 0
	case FactorEHRExperience:
		return p.ehrExpFit(r), r.ehrUsed == 0
	}
	fit := p.part(f, r.code[slotOf[f]])
	if s2 := slot2Of(f); s2 >= 0 {
		fit *= p.part2(f, r.code[s2])
	}
	return fit, p.factMissing(f, r)
}

// factMissing reports whether the fact a code-slot factor compares is
// unknown.
func (p *posFacts) factMissing(f Factor, r *clinRow) bool {
	switch f {
	case FactorPanel:
		return math.IsNaN(p.panel)
	case FactorVisitNew:
		return math.IsNaN(p.visitNew)
	case FactorVisitFollowUp:
		return math.IsNaN(p.visitFU)
	case FactorPatientsPerDay:
		return math.IsNaN(p.ppd)
	case FactorContinuity:
		return math.IsNaN(p.cont)
	case FactorContinuityModel:
		return p.contModel == 0
	case FactorInbox:
		return math.IsNaN(p.inbox)
	case FactorMAs:
		return math.IsNaN(p.mas)
	case FactorScribe:
		return p.scribe < 0
	case FactorNurseRatio:
		return math.IsNaN(p.nurse)
	case FactorTelehealth:
		return math.IsNaN(p.tele)
	case FactorCall:
		return math.IsNaN(p.callFreq)
	case FactorDays:
		return math.IsNaN(p.days)
	case FactorShift:
		return p.shift == 0
	case FactorFTE:
		return math.IsNaN(p.fte)
	case FactorSetting:
		return p.setting == 0
	case FactorPopulation:
		return p.pop == 0
	case FactorCareModel:
		return p.team < 0
	case FactorExperience:
		return r.code[slotYears] == codeUnknown
	case FactorBoardCert:
		return r.code[slotBoard] == 2
	}
	return false
}
