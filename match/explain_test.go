package match_test

import (
	"math"
	"testing"

	. "carefit/match"
)

func factorOf(t *testing.T, ex Explanation, f Factor) FactorResult {
	t.Helper()
	for _, r := range ex.Factors {
		if r.Factor == f {
			return r
		}
	}
	t.Fatalf("factor %s not in explanation %+v", f, ex.Factors)
	return FactorResult{}
}

func TestFactors(t *testing.T) {
	tests := []struct {
		name     string
		f        Factor
		edit     func(p *Position, c *Clinician)
		fit      float64
		missing  bool
		sentence string
	}{
		{"panel inside", FactorPanel, func(p *Position, c *Clinician) { p.PanelSize, c.PanelMax = Ptr(1500), Ptr(1800) },
			1, false, "The panel is 1,500 patients; the clinician asked for at most 1,800 patients."},
		{"panel one width over", FactorPanel, func(p *Position, c *Clinician) { p.PanelSize, c.PanelMax = Ptr(2200), Ptr(1800) },
			0.5, false, "The panel is 2,200 patients; the clinician asked for at most 1,800 patients."},
		{"panel unknown", FactorPanel, func(p *Position, c *Clinician) { c.PanelMax = Ptr(1800) },
			0.5, true, "The panel size is not stated; the clinician asked for at most 1,800 patients."},
		{"new visit long enough", FactorVisitNew, func(p *Position, c *Clinician) { p.VisitMinutesNew, c.VisitMinNew = Ptr(40), Ptr(30) },
			1, false, "New-patient visits are 40 minutes; the clinician asked for at least 30 minutes."},
		{"new visit 20 short", FactorVisitNew, func(p *Position, c *Clinician) { p.VisitMinutesNew, c.VisitMinNew = Ptr(20), Ptr(40) },
			0.2, false, "New-patient visits are 20 minutes; the clinician asked for at least 40 minutes."},
		{"follow-up", FactorVisitFollowUp, func(p *Position, c *Clinician) { p.VisitMinutesFollowUp, c.VisitMinFollowUp = Ptr(30), Ptr(20) },
			1, false, "Follow-up visits are 30 minutes; the clinician asked for at least 20 minutes."},
		{"follow-up short", FactorVisitFollowUp, func(p *Position, c *Clinician) { p.VisitMinutesFollowUp, c.VisitMinFollowUp = Ptr(15), Ptr(20) },
			0.5, false, "Follow-up visits are 15 minutes; the clinician asked for at least 20 minutes."},
		{"patients per day", FactorPatientsPerDay, func(p *Position, c *Clinician) { p.PatientsPerDay, c.PatientsPerDayMax = Ptr(22), Ptr(18) },
			0.5, false, "The schedule has 22 patients a day; the clinician asked for at most 18 patients a day."},
		{"continuity", FactorContinuity, func(p *Position, c *Clinician) { p.ContinuityRate, c.ContinuityMin = Ptr(55.0), Ptr(70.0) },
			0.5, false, "Patients see their own clinician 55% of the time; the clinician asked for at least 70%."},
		{"continuity model", FactorContinuityModel, func(p *Position, c *Clinician) { p.ContinuityModel, c.ContinuityModel = TeamBased, AssignedPanel },
			0.2, false, "The practice uses team-based continuity; the clinician prefers assigned panels."},
		{"ehr used", FactorEHR, func(p *Position, c *Clinician) { p.EHR, c.EHRsUsed = Epic, []EHR{Epic} },
			1, false, "The EHR is Epic, which the clinician has used."},
		{"ehr avoided", FactorEHR, func(p *Position, c *Clinician) {
			p.EHR, c.EHRsUsed, c.EHRsAvoid = OracleHealth, []EHR{Epic}, []EHR{OracleHealth}
		},
			0.05, false, "The EHR is Oracle Health (Cerner), which the clinician asked to avoid."},
		{"ehr neutral", FactorEHR, func(p *Position, c *Clinician) { p.EHR, c.EHRsUsed = Athenahealth, []EHR{Epic} },
			0.7, false, "The EHR is athenahealth, which the clinician has not used."},
		{"ehr unknown", FactorEHR, func(p *Position, c *Clinician) { c.EHRsUsed = []EHR{Epic} },
			0.5, true, "The EHR is not stated; the clinician has used Epic."},
		{"inbox", FactorInbox, func(p *Position, c *Clinician) { p.InboxPerWeek, c.InboxMax = Ptr(150), Ptr(100) },
			0.5, false, "The inbox brings 150 messages a week; the clinician asked for at most 100 messages a week."},
		{"medical assistants", FactorMAs, func(p *Position, c *Clinician) { p.MAsPerClinician, c.MAsMin = Ptr(1.5), Ptr(2.0) },
			0.5, false, "There are 1.5 medical assistants per clinician; the clinician asked for at least 2 medical assistants."},
		{"scribe missing", FactorScribe, func(p *Position, c *Clinician) { p.Scribe, c.ScribeWanted = Ptr(false), true },
			0.3, false, "No scribe or ambient documentation is available; the clinician asked for one."},
		{"scribe", FactorScribe, func(p *Position, c *Clinician) { p.Scribe, c.ScribeWanted = Ptr(true), true },
			1, false, "A scribe or ambient documentation is available; the clinician asked for one."},
		{"nurse ratio", FactorNurseRatio, func(p *Position, c *Clinician) { p.PatientsPerNurse, c.PatientsPerNurseMax = Ptr(5.0), Ptr(4.0) },
			0.5, false, "Each nurse has 5 patients; the clinician asked for at most 4 patients per nurse."},
		{"telehealth above range", FactorTelehealth, func(p *Position, c *Clinician) { p.TelehealthPct, c.TelehealthMax = Ptr(35.0), Ptr(20.0) },
			0.5, false, "35% of visits are by video or phone; the clinician asked for at most 20%."},
		{"telehealth below range", FactorTelehealth, func(p *Position, c *Clinician) {
			p.TelehealthPct, c.TelehealthMin, c.TelehealthMax = Ptr(5.0), Ptr(20.0), Ptr(50.0)
		}, 0.5, false, "5% of visits are by video or phone; the clinician asked for 20% to 50%."},
		{"call", FactorCall, func(p *Position, c *Clinician) { p.CallOneInN, c.CallMaxOneInN = Ptr(4), Ptr(4) },
			1, false, "Call is 1 in 4 nights or weekends; the clinician accepts call up to 1 in 4 nights or weekends."},
		{"call when none wanted", FactorCall, func(p *Position, c *Clinician) { p.CallOneInN, c.CallMaxOneInN = Ptr(10), Ptr(0) },
			0.5, false, "Call is 1 in 10 nights or weekends; the clinician accepts no call."},
		{"no call", FactorCall, func(p *Position, c *Clinician) { p.CallOneInN, c.CallMaxOneInN = Ptr(0), Ptr(0) },
			1, false, "There is no call; the clinician accepts no call."},
		{"days", FactorDays, func(p *Position, c *Clinician) { p.DaysPerWeek, c.MaxDaysPerWeek = Ptr(5), Ptr(4) },
			0.5, false, "The position is 5 days a week; the clinician asked for at most 4 days a week."},
		{"shift", FactorShift, func(p *Position, c *Clinician) { p.Shift, c.Shifts = ShiftNight, []Shift{ShiftDay, ShiftEvening} },
			0.2, false, "The position works night shifts; the clinician asked for day or evening shifts."},
		{"fte", FactorFTE, func(p *Position, c *Clinician) { p.FTE, c.FTEMin, c.FTEMax = Ptr(1.0), Ptr(0.6), Ptr(0.8) },
			0.5, false, "The position is 1 FTE; the clinician asked for 0.6 to 0.8 FTE."},
		{"pay above floor", FactorPay, func(p *Position, c *Clinician) {
			p.PayMin, p.PayMax, c.PayFloorAnnual = Ptr(230000.0), Ptr(260000.0), Ptr(250000.0)
		}, 1, false, "Pay is up to $260,000 a year; the clinician's floor is $250,000 a year."},
		{"pay 10% short", FactorPay, func(p *Position, c *Clinician) { p.PayMax, c.PayFloorAnnual = Ptr(180000.0), Ptr(200000.0) },
			0.5, false, "Pay is up to $180,000 a year; the clinician's floor is $200,000 a year."},
		{"pay hourly from annual floor", FactorPay, func(p *Position, c *Clinician) {
			p.PayMax, p.PayPeriod, c.PayFloorAnnual = Ptr(110.0), Hourly, Ptr(208000.0)
		}, 1, false, "Pay is up to $110 an hour; the clinician's floor is $100 an hour."},
		{"pay unknown", FactorPay, func(p *Position, c *Clinician) { c.PayFloorAnnual = Ptr(200000.0) },
			0.5, true, "Pay is not stated; the clinician's floor is $200,000 a year."},
		{"commute near", FactorCommute, func(*Position, *Clinician) {},
			1, false, "The position is 3 miles from the clinician's home; the clinician's commute limit is 30 miles."},
		{"relocation", FactorCommute, func(_ *Position, c *Clinician) { c.Home, c.WillingStates = &Point{40.71, -74.0}, []string{"TX"} },
			0.7, false, "The position is in Texas, beyond commuting distance; the clinician would move there."},
		{"setting", FactorSetting, func(p *Position, c *Clinician) { p.Setting, c.Settings = FQHC, []Setting{FQHC, Hospital} },
			1, false, "The setting is a community health center (FQHC); the clinician asked for a community health center (FQHC) or a hospital."},
		{"population all ages", FactorPopulation, func(p *Position, c *Clinician) { p.Population, c.Populations = PopulationAll, []Population{Adult} },
			0.6, false, "The position serves patients of all ages; the clinician asked to see adults."},
		{"care model", FactorCareModel, func(p *Position, c *Clinician) { p.TeamBasedCare, c.TeamBasedWanted = Ptr(true), Ptr(true) },
			1, false, "Care is team-based; the clinician wants team-based care."},
		{"experience short", FactorExperience, func(p *Position, c *Clinician) { p.MinYears, c.Years = Ptr(5.0), Ptr(3.0) },
			0.5, false, "The clinician has 3 years of experience; the position wants at least 5 years."},
		{"experience unknown", FactorExperience, func(p *Position, c *Clinician) { p.MinYears = Ptr(5.0) },
			0.5, true, "The clinician's years of experience are not stated; the position wants at least 5 years."},
		{"board cert", FactorBoardCert, func(p *Position, c *Clinician) { p.BoardCertRequired, c.BoardCertified = true, Ptr(true) },
			1, false, "The clinician is board certified; the position requires it."},
		{"board cert missing", FactorBoardCert, func(p *Position, c *Clinician) { p.BoardCertRequired, c.BoardCertified = true, Ptr(false) },
			0.2, false, "The clinician is not board certified; the position requires it."},
		{"languages half", FactorLanguages, func(p *Position, c *Clinician) {
			p.LanguagesWanted, p.LanguagesNeeded, c.Languages = []string{"Spanish"}, []string{"Vietnamese", "spanish"}, []string{"English", "Spanish"}
		}, 0.5, false, "The position wants Spanish, and patients here need Vietnamese; the clinician speaks Spanish but not Vietnamese."},
		{"languages by code", FactorLanguages, func(p *Position, c *Clinician) {
			p.LanguagesWanted, c.Languages = []string{"ru"}, []string{"en", "es"}
		}, 0, false, "The position wants Russian; the clinician does not speak it."},
		{"languages codes and names", FactorLanguages, func(p *Position, c *Clinician) {
			p.LanguagesWanted, p.LanguagesNeeded, c.Languages = []string{"es"}, []string{"vi", "ht", "ES"}, []string{"vi"}
		}, 1.0 / 3, false, "The position wants Spanish, and patients here need Vietnamese and Haitian Creole; the clinician speaks Vietnamese but not Spanish or Haitian Creole."},
		{"languages unknown", FactorLanguages, func(p *Position, c *Clinician) { p.LanguagesNeeded = []string{"zh"} },
			0.5, true, "Patients here need Chinese; the clinician's languages are not stated."},
		{"ehr veradigm neutral", FactorEHR, func(p *Position, c *Clinician) { p.EHR, c.EHRsUsed = Veradigm, []EHR{Meditech} },
			0.7, false, "The EHR is Veradigm (Allscripts), which the clinician has not used."},
		{"ehr eclinicalworks used", FactorEHR, func(p *Position, c *Clinician) { p.EHR, c.EHRsUsed = EClinicalWorks, []EHR{EClinicalWorks} },
			1, false, "The EHR is eClinicalWorks, which the clinician has used."},
		{"ehr experience names", FactorEHRExperience, func(p *Position, c *Clinician) {
			p.EHRExperienceWanted, c.EHRsUsed = []EHR{OracleHealth, Meditech}, []EHR{Veradigm, NextGen, EClinicalWorks}
		}, 0.4, false, "The clinician has used Veradigm (Allscripts), NextGen and eClinicalWorks; the position wants experience with Oracle Health (Cerner) or MEDITECH."},
		{"population children", FactorPopulation, func(p *Position, c *Clinician) {
			p.Population, c.Populations = Pediatric, []Population{Adult, Geriatric}
		},
			0.2, false, "The position serves children; the clinician asked to see adults or older adults."},
		{"setting telehealth", FactorSetting, func(p *Position, c *Clinician) {
			p.Setting, c.Settings = TelehealthOnly, []Setting{OutpatientClinic, UrgentCare, Hospital}
		}, 0.2, false, "The setting is telehealth only; the clinician asked for an outpatient clinic, an urgent care center or a hospital."},
		{"continuity model none", FactorContinuityModel, func(p *Position, c *Clinician) { p.ContinuityModel, c.ContinuityModel = NoContinuity, TeamBased },
			0.2, false, "The practice uses no continuity model; the clinician prefers team-based continuity."},
		{"one year", FactorExperience, func(p *Position, c *Clinician) { p.MinYears, c.Years = Ptr(1.0), Ptr(1.0) },
			1, false, "The clinician has 1 year of experience; the position wants at least 1 year."},
		{"one medical assistant", FactorMAs, func(p *Position, c *Clinician) { p.MAsPerClinician, c.MAsMin = Ptr(1.0), Ptr(1.0) },
			1, false, "There is 1 medical assistant per clinician; the clinician asked for at least 1 medical assistant."},
		{"rotating shift", FactorShift, func(p *Position, c *Clinician) { p.Shift, c.Shifts = ShiftRotating, []Shift{ShiftRotating} },
			1, false, "The position works rotating shifts; the clinician asked for rotating shifts."},
		{"ehr experience", FactorEHRExperience, func(p *Position, c *Clinician) { p.EHRExperienceWanted, c.EHRsUsed = []EHR{Epic}, []EHR{NextGen} },
			0.4, false, "The clinician has used NextGen; the position wants experience with Epic."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, c := basePosition(), baseClinician()
			tc.edit(&p, &c)
			got := factorOf(t, Explain(p, c, testNow, Options{}), tc.f)
			if math.Abs(got.Fit-tc.fit) > 1e-6 { // pay floors are float32
				t.Errorf("got fit %v, want %v", got.Fit, tc.fit)
			}
			if got.Missing != tc.missing {
				t.Errorf("got missing %v, want %v", got.Missing, tc.missing)
			}
			if got.Sentence != tc.sentence {
				t.Errorf("got sentence %q, want %q", got.Sentence, tc.sentence)
			}
			if got.Side != tc.f.Side() {
				t.Errorf("got side %v, want %v", got.Side, tc.f.Side())
			}
		})
	}
}

func TestWeights(t *testing.T) {
	p, c := basePosition(), baseClinician()
	p.PanelSize, c.PanelMax = Ptr(1500), Ptr(1800)
	p.VisitMinutesNew, c.VisitMinNew = Ptr(20), Ptr(30)
	c.Importance = map[Factor]int{FactorPanel: 3, FactorVisitNew: 0}
	ex := Explain(p, c, testNow, Options{})
	if got := factorOf(t, ex, FactorPanel).Weight; got != 3 {
		t.Errorf("panel weight got %v, want 3", got)
	}
	for _, r := range ex.Factors {
		if r.Factor == FactorVisitNew {
			t.Errorf("importance 0 kept the factor: %+v", r)
		}
	}
	p.Weights = map[Factor]float64{FactorPanel: 0.5, FactorCommute: 0}
	ex = Explain(p, c, testNow, Options{})
	if got := factorOf(t, ex, FactorPanel).Weight; got != 1.5 {
		t.Errorf("panel weight with override got %v, want 1.5", got)
	}
	for _, r := range ex.Factors {
		if r.Factor == FactorCommute {
			t.Errorf("org weight 0 kept the factor: %+v", r)
		}
	}
}

func TestScoreCombinesSides(t *testing.T) {
	p, c := basePosition(), baseClinician()
	p.PanelSize, c.PanelMax = Ptr(1500), Ptr(1800)
	p.MinYears, c.Years = Ptr(10.0), Ptr(10.0)
	good := Explain(p, c, testNow, Options{})
	c.Years = Ptr(2.0) // a poor fit for the employer
	poor := Explain(p, c, testNow, Options{})
	if !(poor.Score < good.Score) || poor.ClinicianSide != good.ClinicianSide {
		t.Fatalf("got poor %v (C %v), good %v (C %v)", poor.Score, poor.ClinicianSide, good.Score, good.ClinicianSide)
	}
	const eps = 0.05 // the side floor ε of the package documentation
	floor := func(side float64) float64 { return eps + (1-eps)*side/100 }
	want := 100 * floor(poor.ClinicianSide) * floor(poor.EmployerSide)
	if math.Abs(poor.Score-want) > 1e-9 {
		t.Errorf("got score %v, want the product of the floored sides %v", poor.Score, want)
	}
}

// TestOneSidedJobDoesNotWin: a job perfect for the clinician that the
// clinician barely qualifies for (C = 1, E = 0.2) ranks below a job that is
// fair for both (C = E = 0.5), and far below a perfect pair.
func TestOneSidedJobDoesNotWin(t *testing.T) {
	p, c := basePosition(), baseClinician()
	p.Weights = map[Factor]float64{FactorCommute: 0}
	p.PanelSize, c.PanelMax = Ptr(1500), Ptr(1800)
	p.MinYears, c.Years = Ptr(10.0), Ptr(2.0) // 8 years short: fit 1/17
	p.BoardCertRequired, c.BoardCertified = true, Ptr(false)
	lopsided := Explain(p, c, testNow, Options{})
	p.PanelSize = Ptr(2200)                   // fit ½
	c.Years, c.BoardCertified = Ptr(8.0), nil // fits ½ and unknown ½
	fair := Explain(p, c, testNow, Options{})
	if lopsided.ClinicianSide != 100 || lopsided.EmployerSide > 20 || fair.EmployerSide != 50 || fair.ClinicianSide != 50 {
		t.Fatalf("setup: lopsided C %v E %v, fair C %v E %v", lopsided.ClinicianSide, lopsided.EmployerSide, fair.ClinicianSide, fair.EmployerSide)
	}
	if !(lopsided.Score < fair.Score) {
		t.Errorf("lopsided %v ranks above fair %v", lopsided.Score, fair.Score)
	}
}

// TestZeroSideKeepsOrder: the employer's only want is a language no
// candidate speaks (E = 0 for both), and the candidates are still ordered
// by how well the job fits each of them, by Explain and by the index.
func TestZeroSideKeepsOrder(t *testing.T) {
	p := basePosition()
	p.LanguagesWanted = []string{"ru"}
	p.PanelSize, p.VisitMinutesNew = Ptr(2000), Ptr(30)
	good, poor := baseClinician(), baseClinician()
	good.ID, poor.ID = "z-good", "a-poor" // a tie would put a-poor first
	good.Languages, poor.Languages = []string{"es"}, []string{"vi"}
	good.PanelMax, good.VisitMinNew = Ptr(2000), Ptr(30)
	poor.PanelMax, poor.VisitMinNew = Ptr(1200), Ptr(45)
	eg, ep := Explain(p, good, testNow, Options{}), Explain(p, poor, testNow, Options{})
	if eg.EmployerSide != 0 || ep.EmployerSide != 0 {
		t.Fatalf("setup: employer sides %v, %v, want 0", eg.EmployerSide, ep.EmployerSide)
	}
	if !(eg.ClinicianSide > ep.ClinicianSide) || !(eg.Score > ep.Score) || !(ep.Score > 0) {
		t.Fatalf("got good %v (C %v), poor %v (C %v)", eg.Score, eg.ClinicianSide, ep.Score, ep.ClinicianSide)
	}
	if eg.Score > 25 {
		t.Errorf("a side that fits not at all left the score at %v; it must pull it down strongly", eg.Score)
	}
	for _, ex := range []Explanation{eg, ep} {
		checkExplanation(t, ex)
		if lang := factorOf(t, ex, FactorLanguages); lang.Contribution != 0 || lang.Fit != 0 {
			t.Errorf("languages fit %v contribution %v", lang.Fit, lang.Contribution)
		}
	}
	ix := NewIndex([]Clinician{poor, good})
	got := ix.TopClinicians(p, 2, testNow, Options{}, nil)
	if len(got) != 2 || got[0].ID != "z-good" || math.Abs(got[0].Score-eg.Score) > 0.01 || math.Abs(got[1].Score-ep.Score) > 0.01 {
		t.Fatalf("TopClinicians got %v, want z-good %v then a-poor %v", got, eg.Score, ep.Score)
	}
}

// TestTrivialWantsAreNoFactor: a want or wish that every pair meets (a
// minimum of zero, the whole telehealth range) is no factor, so it can
// neither carry points nor dilute the ones that matter.
func TestTrivialWantsAreNoFactor(t *testing.T) {
	tests := []struct {
		name string
		f    Factor
		edit func(p *Position, c *Clinician)
	}{
		{"at least 0 years", FactorExperience, func(p *Position, c *Clinician) { p.MinYears, c.Years = Ptr(0.0), Ptr(12.0) }},
		{"negative years", FactorExperience, func(p *Position, c *Clinician) { p.MinYears = Ptr(-1.0) }},
		{"new visits of at least 0", FactorVisitNew, func(p *Position, c *Clinician) { p.VisitMinutesNew, c.VisitMinNew = Ptr(30), Ptr(0) }},
		{"follow-ups of at least 0", FactorVisitFollowUp, func(p *Position, c *Clinician) { c.VisitMinFollowUp = Ptr(0) }},
		{"continuity of at least 0", FactorContinuity, func(p *Position, c *Clinician) { c.ContinuityMin = Ptr(0.0) }},
		{"no medical assistants needed", FactorMAs, func(p *Position, c *Clinician) { c.MAsMin = Ptr(0.0) }},
		{"any telehealth share", FactorTelehealth, func(p *Position, c *Clinician) { c.TelehealthMin, c.TelehealthMax = Ptr(0.0), Ptr(100.0) }},
		{"telehealth up to 100", FactorTelehealth, func(p *Position, c *Clinician) { c.TelehealthMax = Ptr(100.0) }},
		{"any FTE", FactorFTE, func(p *Position, c *Clinician) { c.FTEMin = Ptr(0.0) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, c := basePosition(), baseClinician()
			tc.edit(&p, &c)
			ex := Explain(p, c, testNow, Options{})
			for _, r := range ex.Factors {
				if r.Factor == tc.f {
					t.Fatalf("got factor %s with %v points, want no factor", r.Factor, r.Contribution)
				}
			}
			checkExplanation(t, ex)
		})
	}
	// A stated minimum above zero still counts.
	p, c := basePosition(), baseClinician()
	p.MinYears, c.Years = Ptr(1.0), Ptr(12.0)
	if got := factorOf(t, Explain(p, c, testNow, Options{}), FactorExperience).Fit; got != 1 {
		t.Errorf("at least 1 year: got fit %v, want 1", got)
	}
}

// TestScoreReadsAsAGrade: with one side weighed, the score is that side as
// it is (floored), not its square root; a bad miss costs what it weighs.
func TestScoreReadsAsAGrade(t *testing.T) {
	p, c := basePosition(), baseClinician()
	p.Weights = map[Factor]float64{FactorCommute: 0}
	p.VisitMinutesFollowUp, c.VisitMinFollowUp = Ptr(5), Ptr(30) // fit 1/26
	p.PanelSize, c.PanelMax = Ptr(1500), Ptr(1800)               // fit 1
	ex := Explain(p, c, testNow, Options{})
	if ex.EmployerSide != 100 || math.Abs(ex.ClinicianSide-(100+100.0/26)/2) > 1e-9 {
		t.Fatalf("setup: sides %v and %v", ex.ClinicianSide, ex.EmployerSide)
	}
	if want := 100 * (0.05 + 0.95*ex.ClinicianSide/100); math.Abs(ex.Score-want) > 1e-9 || ex.Score > 55 {
		t.Errorf("got score %v, want %v (the clinician side as it is)", ex.Score, want)
	}
}

// TestPointsCompareAcrossRows: the same fit at the same weight is worth
// the same points in every row that weighs the same factors, whatever the
// other factors' fits and the other side.
func TestPointsCompareAcrossRows(t *testing.T) {
	p := basePosition()
	p.Weights = map[Factor]float64{FactorCommute: 0}
	p.PanelSize, p.VisitMinutesNew, p.MinYears = Ptr(2000), Ptr(30), Ptr(5.0)
	a, b := baseClinician(), baseClinician()
	a.PanelMax, b.PanelMax = Ptr(1800), Ptr(1800)   // the same fit
	a.VisitMinNew, b.VisitMinNew = Ptr(30), Ptr(60) // different fits
	a.Years, b.Years = Ptr(10.0), Ptr(1.0)          // different employer sides
	ea, eb := Explain(p, a, testNow, Options{}), Explain(p, b, testNow, Options{})
	pa, pb := factorOf(t, ea, FactorPanel), factorOf(t, eb, FactorPanel)
	if pa.Fit != pb.Fit || math.Abs(pa.Contribution-pb.Contribution) > 1e-12 {
		t.Errorf("panel: fit %v gives %v points in one row, %v in the other", pa.Fit, pa.Contribution, pb.Contribution)
	}
	if ea.Score == eb.Score {
		t.Fatalf("setup: both rows score %v", ea.Score)
	}
}
