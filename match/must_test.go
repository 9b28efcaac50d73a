package match_test

import (
	"math"
	"slices"
	"testing"

	. "carefit/match"
)

// mustHaveCases are pairs with a must-have, missed or not.
var mustHaveCases = []struct {
	name     string
	edit     func(p *Position, c *Clinician)
	eligible bool
	msg      string // the must-have reason, for the clinician reading
}{
	{"follow-ups missed", func(p *Position, c *Clinician) {
		p.VisitMinutesFollowUp, c.VisitMinFollowUp = Ptr(15), Ptr(30)
		c.Importance = map[Factor]int{FactorVisitFollowUp: MustHave}
	}, false, "You marked follow-up visits of at least 30 minutes as a must-have, and this position misses it: follow-up visits are 15 minutes."},
	{"follow-ups close enough", func(p *Position, c *Clinician) {
		p.VisitMinutesFollowUp, c.VisitMinFollowUp = Ptr(26), Ptr(30)
		c.Importance = map[Factor]int{FactorVisitFollowUp: MustHave}
	}, true, ""},
	{"follow-ups not stated", func(p *Position, c *Clinician) {
		c.VisitMinFollowUp, c.Importance = Ptr(30), map[Factor]int{FactorVisitFollowUp: MustHave}
	}, true, ""},
	{"the same miss as a nice-to-have", func(p *Position, c *Clinician) {
		p.VisitMinutesFollowUp, c.VisitMinFollowUp = Ptr(15), Ptr(30)
		c.Importance = map[Factor]int{FactorVisitFollowUp: MaxImportance}
	}, true, ""},
	{"pay", func(p *Position, c *Clinician) {
		p.PayMax, c.PayFloorAnnual, c.Importance = Ptr(170000.0), Ptr(200000.0), map[Factor]int{FactorPay: MustHave}
	}, false, "You marked pay of at least $200,000 a year as a must-have, and this position misses it: pay is up to $170,000 a year."},
	{"pay within a tenth", func(p *Position, c *Clinician) {
		p.PayMax, c.PayFloorAnnual, c.Importance = Ptr(185000.0), Ptr(200000.0), map[Factor]int{FactorPay: MustHave}
	}, true, ""},
	{"an EHR to avoid", func(p *Position, c *Clinician) {
		p.EHR, c.EHRsAvoid, c.Importance = OracleHealth, []EHR{OracleHealth}, map[Factor]int{FactorEHR: MustHave}
	}, false, "You marked an EHR other than Oracle Health (Cerner) as a must-have, and this position misses it: the EHR is Oracle Health (Cerner), which you asked to avoid."},
	{"telehealth above the range", func(p *Position, c *Clinician) {
		p.TelehealthPct, c.TelehealthMax, c.Importance = Ptr(60.0), Ptr(20.0), map[Factor]int{FactorTelehealth: MustHave}
	}, false, "You marked a telehealth share of at most 20% as a must-have, and this position misses it: 60% of visits are by video or phone."},
	{"FTE below the range", func(p *Position, c *Clinician) {
		p.FTE, c.FTEMin, c.FTEMax, c.Importance = Ptr(0.5), Ptr(0.8), Ptr(1.0), map[Factor]int{FactorFTE: MustHave}
	}, false, "You marked 0.8 to 1 FTE as a must-have, and this position misses it: the position is 0.5 FTE."},
	{"a setting", func(p *Position, c *Clinician) {
		p.Setting, c.Settings, c.Importance = UrgentCare, []Setting{OutpatientClinic, FQHC}, map[Factor]int{FactorSetting: MustHave}
	}, false, "You marked an outpatient clinic or a community health center (FQHC) as a must-have, and this position misses it: the setting is an urgent care center."},
	{"a panel that does not apply", func(p *Position, c *Clinician) {
		p.Setting, c.PanelMax, c.Importance = Hospital, Ptr(1200), map[Factor]int{FactorPanel: MustHave}
	}, true, ""},
	{"the position's years", func(p *Position, c *Clinician) {
		p.MinYears, p.MustHave, c.Years = Ptr(8.0), []Factor{FactorExperience}, Ptr(3.0)
	}, false, "This position requires at least 8 years of experience as a must-have, and you miss it: you have 3 years of experience."},
	{"the position's years, nearly", func(p *Position, c *Clinician) {
		p.MinYears, p.MustHave, c.Years = Ptr(8.0), []Factor{FactorExperience}, Ptr(7.0)
	}, true, ""},
	{"board certification", func(p *Position, c *Clinician) {
		p.BoardCertRequired, p.MustHave, c.BoardCertified = true, []Factor{FactorBoardCert}, Ptr(false)
	}, false, "This position requires board certification as a must-have, and you miss it: you are not board certified."},
	{"a language", func(p *Position, c *Clinician) {
		p.LanguagesNeeded, p.MustHave, c.Languages = []string{"es"}, []Factor{FactorLanguages}, []string{"en"}
	}, false, "This position requires Spanish as a must-have, and you miss it: you do not speak it."},
	{"languages not stated", func(p *Position, c *Clinician) {
		p.LanguagesNeeded, p.MustHave = []string{"es"}, []Factor{FactorLanguages}
	}, true, ""},
	{"EHR experience", func(p *Position, c *Clinician) {
		p.EHRExperienceWanted, p.MustHave, c.EHRsUsed = []EHR{Epic}, []Factor{FactorEHRExperience}, []EHR{NextGen}
	}, false, "This position requires experience with Epic as a must-have, and you miss it: you have used NextGen."},
	{"a must-have want not stated", func(p *Position, c *Clinician) { p.MustHave, c.Years = []Factor{FactorExperience}, Ptr(0.0) }, true, ""},
}

// TestMustHaves: a must-have the pair misses makes it ineligible, named as
// a rule in the reader's words; one it meets (or cannot judge) does not.
// The index and a clinician's roles agree with Check.
func TestMustHaves(t *testing.T) {
	tests := mustHaveCases
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, c := basePosition(), baseClinician()
			tc.edit(&p, &c)
			got := Check(p, c, testNow, Options{Reader: ReaderClinician})
			if got.Eligible != tc.eligible {
				t.Fatalf("got eligible %v (%+v), want %v", got.Eligible, got.Reasons, tc.eligible)
			}
			if !tc.eligible {
				if len(got.Reasons) != 1 || got.Reasons[0].Rule != RuleMustHave || got.Reasons[0].Message != tc.msg {
					t.Errorf("got %+v, want one must_have reason %q", got.Reasons, tc.msg)
				}
			}
			top := NewIndex([]Clinician{c}).TopClinicians(p, 1, testNow, Options{}, nil)
			roles := TopPositions(c, []Position{p}, 1, testNow, Options{}, ByMutual)
			if (len(top) == 1) != tc.eligible || (len(roles) == 1) != tc.eligible {
				t.Errorf("index ranks %v and the roles hold %v, want eligible %v", top, roles, tc.eligible)
			}
			if tc.eligible {
				ex := Explain(p, c, testNow, Options{})
				if math.Abs(top[0].Score-ex.Score) > 0.01 {
					t.Errorf("index scores %v, Explain %v", top[0].Score, ex.Score)
				}
			}
		})
	}
}

// TestMustHaveWeighsAsThree: a met must-have is a wish of importance 3
// and is flagged in the explanation.
func TestMustHaveWeighsAsThree(t *testing.T) {
	p, c := basePosition(), baseClinician()
	p.PanelSize, c.PanelMax = Ptr(1500), Ptr(1800)
	c.Importance = map[Factor]int{FactorPanel: MustHave}
	panel := factorOf(t, Explain(p, c, testNow, Options{}), FactorPanel)
	if panel.Weight != 3*DefaultWeight(FactorPanel) || !panel.MustHave || panel.Verdict != Meets {
		t.Errorf("got %+v, want weight 3, a met must-have", panel)
	}
}

// TestMustHaveRuleOnEveryExcludedPair: over a generated market with
// must-haves, every pair the must-have rule excludes names it, and the
// index's eligible set is Check's.
func TestMustHaveRuleOnEveryExcludedPair(t *testing.T) {
	ps, cs := marketData(3, 60, 3000)
	for i := range cs {
		switch i % 4 {
		case 0:
			cs[i].Importance = map[Factor]int{FactorVisitFollowUp: MustHave, FactorPay: MustHave}
			cs[i].VisitMinFollowUp = Ptr(30)
		case 1:
			cs[i].Importance = map[Factor]int{FactorPanel: MustHave, FactorCall: MustHave, FactorEHR: MustHave}
		}
	}
	for i := range ps {
		if i%3 == 0 {
			ps[i].MustHave = []Factor{FactorExperience, FactorBoardCert, FactorLanguages, FactorEHRExperience}
		}
	}
	ix := NewIndex(cs)
	excluded := 0
	for _, p := range ps {
		var want []string
		for _, c := range cs {
			ex := Explain(p, c, testNow, Options{})
			if mustHaveExcludes(t, p, c, ex) {
				excluded++
			}
			if ex.Eligibility.Eligible {
				want = append(want, c.ID)
			}
		}
		var got []string
		for _, r := range ix.TopClinicians(p, len(cs), testNow, Options{}, nil) {
			got = append(got, r.ID)
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("position %s: the index ranks %d clinicians, Check finds %d eligible", p.ID, len(got), len(want))
		}
	}
	if excluded == 0 {
		t.Fatal("no pair was excluded by a must-have alone: nothing was tested")
	}
	t.Logf("%d pairs excluded by must-haves alone", excluded)
}

// mustHaveExcludes checks one pair's explanation: it names a must_have
// reason for each must-have factor whose verdict is misses and for no
// other, and a pair that would be eligible without its must-haves is
// ineligible exactly when one is missed. It reports whether the
// must-haves alone exclude the pair.
func mustHaveExcludes(t *testing.T, p Position, c Clinician, ex Explanation) bool {
	t.Helper()
	missed := 0
	for _, f := range ex.Factors {
		if f.MustHave && f.Verdict == Misses && f.Factor != FactorCommute {
			missed++
		}
	}
	named := 0
	for _, r := range ex.Eligibility.Reasons {
		if r.Rule == RuleMustHave {
			named++
		}
	}
	if named != missed {
		t.Fatalf("%s × %s: %d must-haves missed, %d named: %+v", p.ID, c.ID, missed, named, ex.Eligibility.Reasons)
	}
	p.MustHave, c.Importance = nil, nil
	without := Check(p, c, testNow, Options{})
	if without.Eligible && ex.Eligibility.Eligible == (missed > 0) {
		t.Fatalf("%s × %s: eligible without must-haves; with them eligible %v, %d missed", p.ID, c.ID, ex.Eligibility.Eligible, missed)
	}
	return without.Eligible && missed > 0
}
