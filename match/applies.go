package match

import "math"

// Facts that do not apply. Some facts do not exist in some settings: an
// inpatient has no panel and no scheduled visit, a walk-in clinic no
// continuity, a telehealth-only role no commute and no call. Scoring such
// a fact as unknown (a neutral ½) ranked hospital roles that could never
// state a panel above clinics that disclosed a near miss. A factor that
// does not apply is dropped instead, like a wish not stated, and shown
// with the reason. It is dropped only when the position does not state
// the fact: a hospital-based clinic that states its panel is scored on it.

// naRule is one row of the table: in setting, factors do not apply, for
// the reason given (a sentence, voice-neutral).
type naRule struct {
	setting Setting
	factors []Factor
	reason  string
}

// notApplicable is the table of facts that do not apply, by setting.
var notApplicable = []naRule{
	{Hospital, []Factor{FactorPanel},
		"Hospital patients are not assigned to a clinician's panel, so panel size does not apply."},
	{Hospital, []Factor{FactorVisitNew, FactorVisitFollowUp},
		"Inpatient care has no scheduled visits, so visit length does not apply."},
	{Hospital, []Factor{FactorContinuity, FactorContinuityModel},
		"Continuity of care is measured over an outpatient panel, so it does not apply in a hospital."},
	{UrgentCare, []Factor{FactorPanel},
		"Urgent care patients walk in and are not assigned to a panel, so panel size does not apply."},
	{UrgentCare, []Factor{FactorVisitNew, FactorVisitFollowUp},
		"Urgent care visits are walk-ins, not scheduled, so visit length does not apply."},
	{UrgentCare, []Factor{FactorContinuity, FactorContinuityModel},
		"Walk-in care has no continuity of care, so it does not apply."},
	{UrgentCare, []Factor{FactorCall},
		"Urgent care centers close at night, so there is no call."},
	{TelehealthOnly, []Factor{FactorCall},
		"A telehealth-only role has no call."},
	{TelehealthOnly, []Factor{FactorCommute},
		"A telehealth-only role has no commute, so distance does not matter."},
	{TelehealthOnly, []Factor{FactorMAs},
		"Video and phone visits have no medical assistant, so medical assistant support does not apply."},
}

// naGroups are the settings with rows in the table; a position's group
// (1 to naGroups, 0 for none) picks the clinician's weight sum without
// that setting's factors (Index.naInv), so the scan drops them without a
// correction per row.
var naGroups = [...]Setting{Hospital, UrgentCare, TelehealthOnly}

// numNAGroups is len(naGroups).
const numNAGroups = len(naGroups)

// naSets holds, per group, the clinician-side factors that may not apply
// there, as a bit set by Factor.
var naSets = func() (m [numNAGroups]uint32) {
	for g, s := range naGroups {
		for _, r := range notApplicable {
			if r.setting == s {
				for _, f := range r.factors {
					m[g] |= 1 << f
				}
			}
		}
	}
	return m
}()

// naSet is naSets of group g (1-based).
func naSet(g int) uint32 { return naSets[g-1] }

// naReason is why f does not apply in setting s; "" when it applies.
func naReason(s Setting, f Factor) string {
	for _, r := range notApplicable {
		if r.setting != s {
			continue
		}
		for _, g := range r.factors {
			if g == f {
				return r.reason
			}
		}
	}
	return ""
}

// compileApplies marks the factors that do not apply to p: those its
// setting's rows name whose fact p does not state; the commute of a
// telehealth-only role always. It zeroes their weights, so call it after
// compileWeights. A telehealth-only role that states no telehealth share
// has all its visits by video or phone.
func (f *posFacts) compileApplies(p *Position) {
	for g, s := range naGroups {
		if p.Setting == s {
			f.naGroup = uint8(g + 1)
		}
	}
	if p.Setting == TelehealthOnly {
		f.remote = true
		if math.IsNaN(f.tele) {
			f.tele = 100
		}
	}
	if f.naGroup == 0 {
		return
	}
	for g := Factor(0); g < firstEmployer; g++ {
		if naSet(int(f.naGroup))&(1<<g) != 0 && !f.states(g) {
			f.na |= 1 << g
			f.w[g] = 0
		}
	}
}

// states reports whether the position states the fact factor g compares;
// the commute has no stated fact.
func (f *posFacts) states(g Factor) bool {
	switch g {
	case FactorPanel:
		return !math.IsNaN(f.panel)
	case FactorVisitNew:
		return !math.IsNaN(f.visitNew)
	case FactorVisitFollowUp:
		return !math.IsNaN(f.visitFU)
	case FactorContinuity:
		return !math.IsNaN(f.cont)
	case FactorContinuityModel:
		return f.contModel != 0
	case FactorCall:
		return !math.IsNaN(f.callFreq)
	case FactorMAs:
		return !math.IsNaN(f.mas)
	}
	return false
}

// applies reports whether clinician-side factor g applies to the position.
func (f *posFacts) applies(g Factor) bool { return f.na&(1<<g) == 0 }
