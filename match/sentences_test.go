package match_test

import (
	"testing"

	. "carefit/match"
)

// TestSentencesSpeakToTheClinician: a clinician reading their own pair is
// "you"; both halves of a sentence carry their units.
func TestSentencesSpeakToTheClinician(t *testing.T) {
	tests := []struct {
		name string
		f    Factor
		edit func(p *Position, c *Clinician)
		want string
	}{
		{"panel", FactorPanel, func(p *Position, c *Clinician) { p.PanelSize, c.PanelMax = Ptr(1500), Ptr(1800) },
			"The panel is 1,500 patients; you asked for at most 1,800 patients."},
		{"follow-ups", FactorVisitFollowUp, func(p *Position, c *Clinician) { p.VisitMinutesFollowUp, c.VisitMinFollowUp = Ptr(15), Ptr(30) },
			"Follow-up visits are 15 minutes; you asked for at least 30 minutes."},
		{"not stated", FactorVisitNew, func(p *Position, c *Clinician) { c.VisitMinNew = Ptr(45) },
			"The new-patient visit length is not stated; you asked for at least 45 minutes."},
		{"continuity model", FactorContinuityModel, func(p *Position, c *Clinician) { p.ContinuityModel, c.ContinuityModel = TeamBased, AssignedPanel },
			"The practice uses team-based continuity; you prefer assigned panels."},
		{"ehr used", FactorEHR, func(p *Position, c *Clinician) { p.EHR, c.EHRsUsed = Epic, []EHR{Epic} },
			"The EHR is Epic, which you have used."},
		{"ehr avoided", FactorEHR, func(p *Position, c *Clinician) { p.EHR, c.EHRsAvoid = Meditech, []EHR{Meditech} },
			"The EHR is MEDITECH, which you asked to avoid."},
		{"telehealth minimum only", FactorTelehealth, func(p *Position, c *Clinician) { p.TelehealthPct, c.TelehealthMin = Ptr(20.0), Ptr(50.0) },
			"20% of visits are by video or phone; you asked for at least 50%."},
		{"telehealth range", FactorTelehealth, func(p *Position, c *Clinician) {
			p.TelehealthPct, c.TelehealthMin, c.TelehealthMax = Ptr(20.0), Ptr(10.0), Ptr(40.0)
		}, "20% of visits are by video or phone; you asked for 10% to 40%."},
		{"fte range", FactorFTE, func(p *Position, c *Clinician) { p.FTE, c.FTEMin, c.FTEMax = Ptr(1.0), Ptr(0.6), Ptr(0.8) },
			"The position is 1 FTE; you asked for 0.6 to 0.8 FTE."},
		{"fte minimum", FactorFTE, func(p *Position, c *Clinician) { p.FTE, c.FTEMin = Ptr(0.5), Ptr(0.8) },
			"The position is 0.5 FTE; you asked for at least 0.8 FTE."},
		{"call", FactorCall, func(p *Position, c *Clinician) { p.CallOneInN, c.CallMaxOneInN = Ptr(4), Ptr(0) },
			"Call is 1 in 4 nights or weekends; you accept no call."},
		{"pay", FactorPay, func(p *Position, c *Clinician) { p.PayMax, c.PayFloorAnnual = Ptr(180000.0), Ptr(200000.0) },
			"Pay is up to $180,000 a year; your floor is $200,000 a year."},
		{"commute", FactorCommute, func(*Position, *Clinician) {},
			"The position is 3 miles from your home; your commute limit is 30 miles."},
		{"relocation", FactorCommute, func(_ *Position, c *Clinician) { c.Home, c.WillingStates = &Point{40.71, -74.0}, []string{"TX"} },
			"The position is in Texas, beyond commuting distance; you would move there."},
		{"care model", FactorCareModel, func(p *Position, c *Clinician) { p.TeamBasedCare, c.TeamBasedWanted = Ptr(false), Ptr(true) },
			"Care is not team-based; you want team-based care."},
		{"experience", FactorExperience, func(p *Position, c *Clinician) { p.MinYears, c.Years = Ptr(5.0), Ptr(1.0) },
			"You have 1 year of experience; the position wants at least 5 years."},
		{"board certification", FactorBoardCert, func(p *Position, c *Clinician) { p.BoardCertRequired, c.BoardCertified = true, Ptr(false) },
			"You are not board certified; the position requires it."},
		{"one language spoken", FactorLanguages, func(p *Position, c *Clinician) { p.LanguagesNeeded, c.Languages = []string{"es"}, []string{"en", "es"} },
			"Patients here need Spanish; you speak it."},
		{"one language not spoken", FactorLanguages, func(p *Position, c *Clinician) { p.LanguagesNeeded, c.Languages = []string{"es"}, []string{"en"} },
			"Patients here need Spanish; you do not speak it."},
		{"two languages, neither spoken", FactorLanguages, func(p *Position, c *Clinician) {
			p.LanguagesWanted, c.Languages = []string{"es", "vi"}, []string{"en"}
		}, "The position wants Spanish and Vietnamese; you speak neither."},
		{"two languages, both spoken", FactorLanguages, func(p *Position, c *Clinician) {
			p.LanguagesWanted, c.Languages = []string{"es", "vi"}, []string{"vi", "es"}
		}, "The position wants Spanish and Vietnamese; you speak both."},
		{"ehr experience", FactorEHRExperience, func(p *Position, c *Clinician) { p.EHRExperienceWanted, c.EHRsUsed = []EHR{Epic}, []EHR{Epic} },
			"You have used Epic; the position wants experience with Epic."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, c := basePosition(), baseClinician()
			tc.edit(&p, &c)
			got := factorOf(t, Explain(p, c, testNow, Options{Reader: ReaderClinician}), tc.f)
			if got.Sentence != tc.want {
				t.Errorf("got %q, want %q", got.Sentence, tc.want)
			}
		})
	}
}

// TestRulesSpeakToTheClinician: eligibility reasons use the reader's
// words too.
func TestRulesSpeakToTheClinician(t *testing.T) {
	tests := []struct {
		name string
		edit func(p *Position, c *Clinician)
		want string
	}{
		{"credential", func(_ *Position, c *Clinician) { c.Credential = NP },
			"The position accepts MD or DO; your credential is NP."},
		{"licence", func(_ *Position, c *Clinician) { c.Licences[0].State = "OK" },
			"You have no licence valid in Texas on April 1, 2026."},
		{"employment", func(p *Position, _ *Clinician) { p.EmploymentType = LocumTenens },
			"The position is locum tenens; you want permanent work."},
		{"location", func(_ *Position, c *Clinician) { c.Home = &Point{29.4241, -98.4936} },
			"The position is 74 miles away, beyond your 30-mile commute, and Texas is not among the states you would move to."},
		{"home unknown", func(_ *Position, c *Clinician) { c.Home = nil },
			"Your home location is not known and Texas is not among the states you would move to."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, c := basePosition(), baseClinician()
			tc.edit(&p, &c)
			got := Check(p, c, testNow, Options{Reader: ReaderClinician})
			if len(got.Reasons) != 1 || got.Reasons[0].Message != tc.want {
				t.Errorf("got %+v, want %q", got.Reasons, tc.want)
			}
		})
	}
}
