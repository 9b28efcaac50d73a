package match_test

import (
	"math"
	"testing"

	. "carefit/match"
)

// hospitalist is an inpatient role in Austin: no panel, no scheduled
// visits, no continuity stated.
func hospitalist() Position {
	p := basePosition()
	p.Setting, p.Taxonomies = Hospital, []string{"208M00000X", "207Q00000X"}
	p.PatientsPerDay, p.Shift = Ptr(16), ShiftDay
	return p
}

// clinicWisher wants what a clinic gives: a small panel, long visits,
// continuity.
func clinicWisher() Clinician {
	c := baseClinician()
	c.PanelMax, c.VisitMinNew, c.VisitMinFollowUp = Ptr(1800), Ptr(40), Ptr(20)
	c.ContinuityMin, c.PatientsPerDayMax = Ptr(70.0), Ptr(18)
	return c
}

func TestFactsThatDoNotApply(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(p *Position, c *Clinician)
		na      []Factor
		applies []Factor
		reason  string // of the first factor in na
	}{
		{"hospital", func(*Position, *Clinician) {},
			[]Factor{FactorPanel, FactorVisitNew, FactorVisitFollowUp, FactorContinuity}, []Factor{FactorPatientsPerDay},
			"Hospital patients are not assigned to a clinician's panel, so panel size does not apply."},
		{"a hospital that states a panel is scored on it", func(p *Position, _ *Clinician) { p.PanelSize = Ptr(1500) },
			[]Factor{FactorVisitNew}, []Factor{FactorPanel}, "Inpatient care has no scheduled visits, so visit length does not apply."},
		{"urgent care without call", func(p *Position, c *Clinician) { p.Setting, c.CallMaxOneInN = UrgentCare, Ptr(0) },
			[]Factor{FactorCall, FactorPanel}, nil, "Urgent care centers close at night, so there is no call."},
		{"urgent care stating call", func(p *Position, c *Clinician) { p.Setting, c.CallMaxOneInN, p.CallOneInN = UrgentCare, Ptr(0), Ptr(8) },
			[]Factor{FactorPanel}, []Factor{FactorCall}, ""},
		{"telehealth only", func(p *Position, c *Clinician) {
			p.Setting, c.CallMaxOneInN, c.MAsMin = TelehealthOnly, Ptr(4), Ptr(1.0)
		},
			[]Factor{FactorCall, FactorMAs, FactorCommute}, []Factor{FactorPanel, FactorVisitNew}, "A telehealth-only role has no call."},
		{"an outpatient clinic", func(p *Position, _ *Clinician) { p.Setting = OutpatientClinic },
			nil, []Factor{FactorPanel, FactorVisitNew, FactorVisitFollowUp, FactorContinuity}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, c := hospitalist(), clinicWisher()
			tc.edit(&p, &c)
			ex := Explain(p, c, testNow, Options{})
			checkExplanation(t, ex)
			for i, f := range tc.na {
				got := factorOf(t, ex, f)
				if got.Verdict != NotApplicable || got.Weight != 0 || got.Missing {
					t.Errorf("%s: got %s, weight %v, missing %v; want not applicable", f, got.Verdict, got.Weight, got.Missing)
				}
				if i == 0 && tc.reason != "" && got.Sentence != tc.reason {
					t.Errorf("%s: got %q, want %q", f, got.Sentence, tc.reason)
				}
			}
			for _, f := range tc.applies {
				if got := factorOf(t, ex, f); got.Verdict == NotApplicable || !(got.Weight > 0) {
					t.Errorf("%s: got %s with weight %v, want it weighed", f, got.Verdict, got.Weight)
				}
			}
		})
	}
}

// TestNotApplicableIsDroppedNotUnknown: a fact that does not apply scores
// as if the clinician had not stated the wish, where an unknown fact in a
// clinic scores ½.
func TestNotApplicableIsDroppedNotUnknown(t *testing.T) {
	p, c := hospitalist(), clinicWisher()
	bare := c
	bare.PanelMax, bare.VisitMinNew, bare.VisitMinFollowUp, bare.ContinuityMin = nil, nil, nil, nil
	got, want := Explain(p, c, testNow, Options{}), Explain(p, bare, testNow, Options{})
	if math.Abs(got.Score-want.Score) > 1e-9 || got.ClinicianSide != want.ClinicianSide {
		t.Errorf("got %v (C %v), want %v as without the wishes", got.Score, got.ClinicianSide, want.Score)
	}
	clinic := p
	clinic.Setting = OutpatientClinic
	if unknown := Explain(clinic, c, testNow, Options{}); !(unknown.Score < got.Score) {
		t.Errorf("a clinic hiding its panel scores %v, the hospital where it does not apply %v", unknown.Score, got.Score)
	}
	ix := NewIndex([]Clinician{c})
	if top := ix.TopClinicians(p, 1, testNow, Options{}, nil); len(top) != 1 || math.Abs(top[0].Score-got.Score) > 0.01 {
		t.Errorf("index scores %v, Explain %v", top, got.Score)
	}
}

// TestTelehealthOnlyHasNoCommute: a telehealth-only role is open to a
// licensed clinician however far away, and all its visits are remote.
func TestTelehealthOnlyHasNoCommute(t *testing.T) {
	p, c := basePosition(), baseClinician()
	p.Setting = TelehealthOnly
	c.Home = &Point{32.7767, -96.7970} // Dallas, 180 miles away
	c.TelehealthMin = Ptr(80.0)
	if got := Check(p, c, testNow, Options{}); !got.Eligible {
		t.Fatalf("got %+v, want eligible", got.Reasons)
	}
	ex := Explain(p, c, testNow, Options{})
	if tele := factorOf(t, ex, FactorTelehealth); tele.Fit != 1 || tele.Sentence != "All visits are by video or phone; the clinician asked for at least 80%." {
		t.Errorf("telehealth: fit %v, %q", tele.Fit, tele.Sentence)
	}
	ix := NewIndex([]Clinician{c})
	if top := ix.TopClinicians(p, 1, testNow, Options{}, nil); len(top) != 1 || math.Abs(top[0].Score-ex.Score) > 0.01 {
		t.Errorf("index got %v, want the clinician at %v", top, ex.Score)
	}
	if top := TopPositions(c, []Position{p}, 1, testNow, Options{}, ByFit); len(top) != 1 {
		t.Errorf("TopPositions got %v, want the role", top)
	}
	p.Setting = OutpatientClinic
	if Check(p, c, testNow, Options{}).Eligible {
		t.Errorf("the same role in a clinic is eligible 180 miles away")
	}
}
