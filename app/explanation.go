package app

import (
	"carefit/internal/kit/taxonomy"
	"carefit/match"
)

// An explanation as the API shows it: in the reader's words (recruiters
// read about "the clinician", a clinician about "you"), led by what speaks
// for and against the pair, with a verdict and a band a person reads
// without numbers. An ineligible pair shows no score: the rules it fails
// and, labelled so, the score it would have had.

// FactorView is one factor of an explanation.
type FactorView struct {
	Factor string  `json:"factor"`
	Side   string  `json:"side"`
	Fit    float64 `json:"fit"`
	Weight float64 `json:"weight"`
	// Contribution is the factor's points on its side (match.FactorResult).
	Contribution float64 `json:"contribution"`
	Missing      bool    `json:"missing"`
	// Verdict is meets, close, misses, unknown or not_applicable.
	Verdict  string `json:"verdict"`
	MustHave bool   `json:"must_have"`
	Sentence string `json:"sentence"`
}

// FactorNote is a factor a row leads with: its name, verdict and sentence.
type FactorNote struct {
	Factor   string `json:"factor"`
	Verdict  string `json:"verdict"`
	Sentence string `json:"sentence"`
}

// ReasonView is a failed eligibility rule, or a note on one passed only
// thanks to an allowance.
type ReasonView struct {
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// Explanation is the fit of one pair as the API shows it.
type Explanation struct {
	Eligible bool `json:"eligible"`
	// Score and Band are the mutual fit and what it means; nil for an
	// ineligible pair, which is not offered.
	Score *float64 `json:"score"`
	Band  *string  `json:"band"`
	// Reasons are the rules an ineligible pair fails; Notes say when an
	// eligible pair passes a rule only thanks to an allowance.
	Reasons []ReasonView `json:"reasons"`
	Notes   []ReasonView `json:"notes"`
	// Strongest and Weakest are what a reader hears first: the factors
	// that meet the wish with the most points, and those that cost the
	// most.
	Strongest []FactorNote `json:"strongest"`
	Weakest   []FactorNote `json:"weakest"`
	// ScoreIfEligible and BandIfEligible are, for an ineligible pair
	// only, the fit it would have had.
	ScoreIfEligible *float64     `json:"score_if_eligible"`
	BandIfEligible  *string      `json:"band_if_eligible"`
	ClinicianSide   float64      `json:"clinician_side"`
	EmployerSide    float64      `json:"employer_side"`
	Factors         []FactorView `json:"factors"`
}

// shownFactors is how many factors a row leads with on each side of the
// verdict (Strongest, Weakest).
const shownFactors = 3

func explanationView(e match.Explanation) Explanation {
	out := Explanation{Eligible: e.Eligibility.Eligible, Reasons: reasonViews(e.Eligibility.Reasons),
		Notes: reasonViews(e.Eligibility.Notes), Strongest: notes(e.Strongest(shownFactors)), Weakest: notes(e.Weakest(shownFactors)),
		ClinicianSide: round(e.ClinicianSide, 2), EmployerSide: round(e.EmployerSide, 2), Factors: make([]FactorView, 0, len(e.Factors))}
	score := round(e.Score, 2)
	band := string(match.BandOf(score))
	if out.Eligible {
		out.Score, out.Band = &score, &band
	} else {
		out.ScoreIfEligible, out.BandIfEligible = &score, &band
	}
	for _, f := range e.Factors {
		out.Factors = append(out.Factors, FactorView{Factor: f.Factor.String(), Side: f.Side.String(), Fit: round(f.Fit, 4),
			Weight: round(f.Weight, 4), Contribution: round(f.Contribution, 4), Missing: f.Missing, Verdict: string(f.Verdict),
			MustHave: f.MustHave, Sentence: f.Sentence})
	}
	return out
}

func reasonViews(rs []match.Reason) []ReasonView {
	out := make([]ReasonView, 0, len(rs))
	for _, r := range rs {
		out = append(out, ReasonView{Rule: string(r.Rule), Message: r.Message})
	}
	return out
}

func notes(fs []match.FactorResult) []FactorNote {
	out := make([]FactorNote, 0, len(fs))
	for _, f := range fs {
		out = append(out, FactorNote{Factor: f.Factor.String(), Verdict: string(f.Verdict), Sentence: f.Sentence})
	}
	return out
}

// Specialty is a NUCC taxonomy code with its name.
type Specialty struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// specialties names codes; a code carefit does not support keeps its code
// as its name.
func specialties(codes []string) []Specialty {
	out := make([]Specialty, 0, len(codes))
	for _, c := range codes {
		out = append(out, Specialty{Code: c, Name: specialtyName(c)})
	}
	return out
}

// specialtyName is a NUCC code's name, or the code when carefit does not
// support it.
func specialtyName(code string) string {
	if t, ok := taxonomy.Lookup(code); ok {
		return t.Name
	}
	return code
}

// labelled names the facets whose values are codes: specialties (ranked
// lists count them under "taxonomy", searches under "taxonomies") and
// languages.
var facetNamers = map[string]func(string) string{
	"taxonomy":   specialtyName,
	"taxonomies": specialtyName,
	"languages":  languageName,
}

func languageName(code string) string {
	if n := taxonomy.Language(code).Name(); n != "" {
		return n
	}
	return code
}

// facetLabels names the coded values of facets: each counted value of a
// labelled facet maps to its name.
func facetLabels(facets map[string]map[string]int) map[string]map[string]string {
	out := map[string]map[string]string{}
	for facet, values := range facets {
		name, ok := facetNamers[facet]
		if !ok {
			continue
		}
		names := make(map[string]string, len(values))
		for code := range values {
			names[code] = name(code)
		}
		out[facet] = names
	}
	return out
}
