package match

// defaultWeights are the weights of a factor before a clinician's importance
// and an organisation's overrides; doc.go explains each.
var defaultWeights = [NumFactors]float64{
	FactorPanel:           1.0,
	FactorVisitNew:        1.0,
	FactorVisitFollowUp:   1.0,
	FactorPatientsPerDay:  0.8,
	FactorContinuity:      0.6,
	FactorContinuityModel: 0.4,
	FactorEHR:             0.6,
	FactorInbox:           0.6,
	FactorMAs:             0.5,
	FactorScribe:          0.5,
	FactorNurseRatio:      1.0,
	FactorTelehealth:      0.4,
	FactorCall:            0.8,
	FactorDays:            0.6,
	FactorShift:           0.8,
	FactorFTE:             0.6,
	FactorPay:             1.0,
	FactorCommute:         0.6,
	FactorSetting:         0.6,
	FactorPopulation:      0.8,
	FactorCareModel:       0.4,
	FactorExperience:      1.0,
	FactorBoardCert:       1.0,
	FactorLanguages:       1.0,
	FactorEHRExperience:   0.5,
}

// DefaultWeight returns the documented default weight of f, or 0 for an
// unknown factor.
func DefaultWeight(f Factor) float64 {
	if f < NumFactors {
		return defaultWeights[f]
	}
	return 0
}

// MaxImportance is the largest importance a clinician can give a factor.
const MaxImportance = 3

// positionWeights resolves the organisation's overrides on top of the
// defaults. Negative, NaN and infinite overrides are ignored so a bad
// setting cannot break the score's range.
func positionWeights(over map[Factor]float64) [NumFactors]float64 {
	w := defaultWeights
	for f, v := range over {
		if f < NumFactors && v >= 0 && v <= 1e6 {
			w[f] = v
		}
	}
	return w
}

// importance returns the clinician's importance for f clamped to 0..3, or 1
// when none is stated.
func importance(m map[Factor]int, f Factor) uint8 {
	v, ok := m[f]
	if !ok {
		return 1
	}
	if v < 0 {
		return 0
	}
	if v > MaxImportance {
		return MaxImportance
	}
	return uint8(v)
}
