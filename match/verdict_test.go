package match_test

import (
	"slices"
	"testing"

	. "carefit/match"
)

func TestVerdicts(t *testing.T) {
	tests := []struct {
		name string
		f    Factor
		edit func(p *Position, c *Clinician)
		want Verdict
	}{
		{"inside the range", FactorPanel, func(p *Position, c *Clinician) { p.PanelSize, c.PanelMax = Ptr(1500), Ptr(1800) }, Meets},
		{"on the limit", FactorPanel, func(p *Position, c *Clinician) { p.PanelSize, c.PanelMax = Ptr(1800), Ptr(1800) }, Meets},
		{"a little over", FactorPanel, func(p *Position, c *Clinician) { p.PanelSize, c.PanelMax = Ptr(1900), Ptr(1800) }, Close},
		{"one width over is still close", FactorPanel, func(p *Position, c *Clinician) { p.PanelSize, c.PanelMax = Ptr(2200), Ptr(1800) }, Close},
		{"past one width", FactorPanel, func(p *Position, c *Clinician) { p.PanelSize, c.PanelMax = Ptr(2225), Ptr(1800) }, Misses},
		{"15-minute follow-ups for 30", FactorVisitFollowUp, func(p *Position, c *Clinician) {
			p.VisitMinutesFollowUp, c.VisitMinFollowUp = Ptr(15), Ptr(30)
		}, Misses},
		{"not stated", FactorPanel, func(p *Position, c *Clinician) { c.PanelMax = Ptr(1800) }, Unknown},
		{"another shift", FactorShift, func(p *Position, c *Clinician) { p.Shift, c.Shifts = ShiftNight, []Shift{ShiftDay} }, Misses},
		{"an EHR never used", FactorEHR, func(p *Position, c *Clinician) { p.EHR, c.EHRsUsed = Epic, []EHR{NextGen} }, Close},
		{"an EHR to avoid", FactorEHR, func(p *Position, c *Clinician) { p.EHR, c.EHRsAvoid = Epic, []EHR{Epic} }, Misses},
		{"commute within the limit", FactorCommute, func(_ *Position, c *Clinician) { c.Home = &Point{30.62, -97.70} }, Meets},
		{"relocation", FactorCommute, func(_ *Position, c *Clinician) { c.Home, c.WillingStates = &Point{40.71, -74.0}, []string{"TX"} }, Close},
		{"all ages for adults", FactorPopulation, func(p *Position, c *Clinician) {
			p.Population, c.Populations = PopulationAll, []Population{Adult}
		}, Close},
		{"a year short", FactorExperience, func(p *Position, c *Clinician) { p.MinYears, c.Years = Ptr(5.0), Ptr(4.0) }, Close},
		{"not certified", FactorBoardCert, func(p *Position, c *Clinician) { p.BoardCertRequired, c.BoardCertified = true, Ptr(false) }, Misses},
		{"half the languages", FactorLanguages, func(p *Position, c *Clinician) {
			p.LanguagesWanted, c.Languages = []string{"es", "vi"}, []string{"es"}
		}, Close},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, c := basePosition(), baseClinician()
			tc.edit(&p, &c)
			got := factorOf(t, Explain(p, c, testNow, Options{}), tc.f)
			if got.Verdict != tc.want {
				t.Errorf("got %s (fit %v), want %s", got.Verdict, got.Fit, tc.want)
			}
		})
	}
}

// TestStrongestAndWeakest: a row leads with the factors that meet best and
// those that cost the most, in that order.
func TestStrongestAndWeakest(t *testing.T) {
	p, c := basePosition(), baseClinician()
	p.PanelSize, c.PanelMax = Ptr(1500), Ptr(1800)
	p.VisitMinutesFollowUp, c.VisitMinFollowUp = Ptr(15), Ptr(30)
	p.PatientsPerDay, c.PatientsPerDayMax = Ptr(20), Ptr(18)
	c.InboxMax = Ptr(100)
	c.Importance = map[Factor]int{FactorPanel: 3}
	ex := Explain(p, c, testNow, Options{Reader: ReaderClinician})
	strong, weak := ex.Strongest(2), ex.Weakest(3)
	if len(strong) != 2 || strong[0].Factor != FactorPanel || strong[1].Factor != FactorCommute {
		t.Errorf("strongest: got %v, want panel then commute", names(strong))
	}
	if len(weak) != 3 || weak[0].Factor != FactorVisitFollowUp || weak[1].Factor != FactorInbox || weak[2].Factor != FactorPatientsPerDay {
		t.Errorf("weakest: got %v, want follow-up, inbox (unknown), patients a day", names(weak))
	}
	// With wants, the sides take turns, the reader's own first.
	p.MinYears, c.Years = Ptr(5.0), Ptr(10.0)
	p.BoardCertRequired, c.BoardCertified = true, Ptr(false)
	for reader, want := range map[Reader][]Factor{
		ReaderClinician: {FactorPanel, FactorExperience, FactorCommute},
		ReaderRecruiter: {FactorExperience, FactorPanel, FactorCommute},
	} {
		ex := Explain(p, c, testNow, Options{Reader: reader})
		var got []Factor
		for _, f := range ex.Strongest(3) {
			got = append(got, f.Factor)
		}
		if !slices.Equal(got, want) {
			t.Errorf("reader %d: strongest %v, want %v", reader, names(ex.Strongest(3)), want)
		}
		if w := ex.Weakest(2); len(w) != 2 || w[0].Factor != map[Reader]Factor{ReaderClinician: FactorVisitFollowUp, ReaderRecruiter: FactorBoardCert}[reader] {
			t.Errorf("reader %d: weakest %v", reader, names(w))
		}
	}
}

func names(fs []FactorResult) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Factor.String() + ":" + string(f.Verdict)
	}
	return out
}
