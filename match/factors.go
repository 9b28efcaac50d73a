package match

// Factor names one graded comparison between a position and a clinician.
type Factor uint8

// Clinician-side factors: how well the job meets the clinician's wishes.
const (
	FactorPanel Factor = iota
	FactorVisitNew
	FactorVisitFollowUp
	FactorPatientsPerDay
	FactorContinuity
	FactorContinuityModel
	FactorEHR
	FactorInbox
	FactorMAs
	FactorScribe
	FactorNurseRatio
	FactorTelehealth
	FactorCall
	FactorDays
	FactorShift
	FactorFTE
	FactorPay
	FactorCommute
	FactorSetting
	FactorPopulation
	FactorCareModel
	// Employer-side factors: how well the clinician meets the job's wants.
	FactorExperience
	FactorBoardCert
	FactorLanguages
	FactorEHRExperience

	// NumFactors is the number of factors; Factor values are 0..NumFactors-1.
	NumFactors
)

// firstEmployer is the first employer-side factor.
const firstEmployer = FactorExperience

// Side says whose wishes a factor measures.
type Side uint8

// Sides.
const (
	SideClinician Side = iota // the job against the clinician's wishes
	SideEmployer              // the clinician against the job's wants
)

// String returns "clinician" or "employer".
func (s Side) String() string {
	if s == SideEmployer {
		return "employer"
	}
	return "clinician"
}

var factorNames = [NumFactors]string{
	"panel_size", "visit_new", "visit_follow_up", "patients_per_day",
	"continuity", "continuity_model", "ehr", "inbox", "medical_assistants",
	"scribe", "patients_per_nurse", "telehealth", "call", "days_per_week",
	"shift", "fte", "pay", "commute", "setting", "population", "care_model",
	"experience", "board_certification", "languages", "ehr_experience",
}

// String returns the factor's snake_case name, e.g. "panel_size".
func (f Factor) String() string {
	if f < NumFactors {
		return factorNames[f]
	}
	return "unknown"
}

// ParseFactor returns the factor named s and whether the name is known.
func ParseFactor(s string) (Factor, bool) {
	for i, n := range factorNames {
		if n == s {
			return Factor(i), true
		}
	}
	return 0, false
}

// Side returns the side the factor belongs to.
func (f Factor) Side() Side {
	if f >= firstEmployer {
		return SideEmployer
	}
	return SideClinician
}

// Factors returns every factor in order.
func Factors() []Factor {
	out := make([]Factor, NumFactors)
	for i := range out {
		out[i] = Factor(i)
	}
	return out
}

// Fall-off widths: the distance outside the wished range at which a factor's
// fit has dropped to one half. doc.go gives the evidence for each.
const (
	widthPanel      = 400  // patients
	widthVisitNew   = 10   // minutes
	widthVisitFU    = 5    // minutes
	widthPPD        = 4    // patients a day
	widthContinuity = 15   // percentage points
	widthInbox      = 50   // messages a week
	widthMAs        = 0.5  // medical assistants per clinician
	widthNurse      = 1    // patients per nurse
	widthTelehealth = 15   // percentage points
	widthCall       = 0.1  // call nights per night worked (1/N)
	widthDays       = 1    // days a week
	widthFTE        = 0.2  // FTE
	widthPay        = 0.10 // fraction of the clinician's floor
	widthYears      = 2    // years of experience
)

// Fits of categorical factors.
const (
	// fitUnknown is the neutral fit of a factor whose fact is not known. It
	// sits below every fit inside the wished range (1) so that a posting
	// that hides a fact never outranks one that states a good value.
	fitUnknown    = 0.5
	fitMismatch   = 0.2  // a category the clinician did not ask for
	fitEHRUsed    = 1.0  // the clinician has used this EHR
	fitEHRNeutral = 0.7  // neither used nor avoided
	fitEHRAvoid   = 0.05 // the clinician asked to avoid this EHR
	fitRelocate   = 0.7  // beyond commute, in a state the clinician would move to
	fitAllAges    = 0.6  // all-ages population when a subset was asked for
	fitNoScribe   = 0.3  // scribe wanted, none provided
	fitNoEHRExp   = 0.4  // none of the wanted EHRs used before
	fitNoCert     = 0.2  // board certification required, not held
)

// falloff is the fit at distance d ≥ 0 outside the wished range for a width
// w: 1/(1+(d/w)²). It is 1 at d = 0, 1/2 at d = w, 1/5 at d = 2w, smooth,
// never negative, and decreasing in d. A rational function rather than a
// Gaussian keeps a little credit for far misses and costs one division.
func falloff(d, w float64) float64 {
	if d <= 0 {
		return 1
	}
	r := d / w
	return 1 / (1 + r*r)
}

// atMost is the fit of fact x against a wish of at most m.
func atMost(x, m, w float64) float64 { return falloff(x-m, w) }

// atLeast is the fit of fact x against a wish of at least m.
func atLeast(x, m, w float64) float64 { return falloff(m-x, w) }
