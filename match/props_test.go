package match_test

import (
	"math"
	"reflect"
	"testing"
	"time"

	. "carefit/match"
)

// checkExplanation checks the properties every explanation has: a score
// in 0..100, fits in 0..1, a sentence per factor, each side's points adding
// up to that side, and the score the product of the floored sides.
func checkExplanation(t testing.TB, ex Explanation) {
	t.Helper()
	if math.IsNaN(ex.Score) || ex.Score < 0 || ex.Score > 100 {
		t.Fatalf("score %v out of 0..100", ex.Score)
	}
	var sum, weight [2]float64
	for _, f := range ex.Factors {
		if math.IsNaN(f.Fit) || f.Fit < 0 || f.Fit > 1 || math.IsNaN(f.Contribution) {
			t.Fatalf("factor %s fit %v contribution %v", f.Factor, f.Fit, f.Contribution)
		}
		if f.Sentence == "" {
			t.Fatalf("factor %s has no sentence", f.Factor)
		}
		if f.Verdict == NotApplicable {
			if f.Weight != 0 || f.Contribution != 0 {
				t.Fatalf("factor %s does not apply but weighs %v for %v points", f.Factor, f.Weight, f.Contribution)
			}
			continue
		}
		if f.Missing != (f.Verdict == Unknown) || (f.Verdict == Misses) != (!f.Missing && f.Fit < 0.5) ||
			f.Verdict == Meets && f.Fit < 1-1e-9 && f.Factor != FactorCommute {
			t.Fatalf("factor %s: verdict %s for fit %v (missing %v)", f.Factor, f.Verdict, f.Fit, f.Missing)
		}
		sum[f.Side] += f.Contribution
		weight[f.Side] += f.Weight
	}
	sides := [2]float64{ex.ClinicianSide, ex.EmployerSide}
	floored := [2]float64{1, 1}
	for s := range sides {
		if weight[s] == 0 {
			continue
		}
		if math.Abs(sum[s]-sides[s]) > 1e-9*math.Max(1, sides[s]) {
			t.Fatalf("%s points sum to %v, side %v", Side(s), sum[s], sides[s])
		}
		floored[s] = 0.05 + 0.95*sides[s]/100
	}
	want := 100 * floored[0] * floored[1]
	if weight[0] == 0 && weight[1] == 0 {
		want = 0
	}
	if math.Abs(ex.Score-want) > 1e-9*math.Max(1, want) {
		t.Fatalf("score %v, want the product of the floored sides %v", ex.Score, want)
	}
}

func TestScoreProperties(t *testing.T) {
	ps, cs := marketData(11, 200, 200)
	for i, p := range ps {
		for j := 0; j < len(cs); j += 7 {
			ex := Explain(p, cs[(i+j)%len(cs)], testNow, Options{})
			checkExplanation(t, ex)
			if again := Explain(p, cs[(i+j)%len(cs)], testNow, Options{}); !reflect.DeepEqual(ex, again) {
				t.Fatalf("Explain is not deterministic")
			}
		}
	}
}

// TestMonotone moves a fact toward the wish and checks the factor's fit
// never drops.
func TestMonotone(t *testing.T) {
	tests := []struct {
		name string
		f    Factor
		set  func(p *Position, c *Clinician, x int)
		from int
		to   int
		step int
	}{
		{"longer new visits", FactorVisitNew, func(p *Position, c *Clinician, x int) { c.VisitMinNew, p.VisitMinutesNew = Ptr(30), Ptr(x) }, 5, 120, 1},
		{"longer follow-ups", FactorVisitFollowUp, func(p *Position, c *Clinician, x int) { c.VisitMinFollowUp, p.VisitMinutesFollowUp = Ptr(20), Ptr(x) }, 5, 120, 1},
		{"smaller panel", FactorPanel, func(p *Position, c *Clinician, x int) { c.PanelMax, p.PanelSize = Ptr(1800), Ptr(6000-x) }, 0, 6000, 50},
		{"fewer patients a day", FactorPatientsPerDay, func(p *Position, c *Clinician, x int) { c.PatientsPerDayMax, p.PatientsPerDay = Ptr(18), Ptr(60-x) }, 0, 60, 1},
		{"smaller inbox", FactorInbox, func(p *Position, c *Clinician, x int) { c.InboxMax, p.InboxPerWeek = Ptr(80), Ptr(500-x) }, 0, 500, 5},
		{"higher pay", FactorPay, func(p *Position, c *Clinician, x int) { c.PayFloorAnnual, p.PayMax = Ptr(250000.0), Ptr(float64(x)) }, 5000, 400000, 5000},
		{"rarer call", FactorCall, func(p *Position, c *Clinician, x int) { c.CallMaxOneInN, p.CallOneInN = Ptr(6), Ptr(x) }, 1, 30, 1},
		{"more experience", FactorExperience, func(p *Position, c *Clinician, x int) { p.MinYears, c.Years = Ptr(8.0), Ptr(float64(x)) }, 0, 40, 1},
		{"closer to the wished telehealth", FactorTelehealth, func(p *Position, c *Clinician, x int) {
			c.TelehealthMin, c.TelehealthMax, p.TelehealthPct = Ptr(20.0), Ptr(40.0), Ptr(float64(min(x, 30)))
		}, 0, 100, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prev := -1.0
			for x := tc.from; x <= tc.to; x += tc.step {
				p, c := basePosition(), baseClinician()
				tc.set(&p, &c, x)
				ex := Explain(p, c, testNow, Options{})
				fit := factorOf(t, ex, tc.f).Fit
				if fit < prev-1e-12 {
					t.Fatalf("at %d fit fell from %v to %v", x, prev, fit)
				}
				prev = fit
			}
			if prev != 1 {
				t.Errorf("got final fit %v, want 1 inside the wish", prev)
			}
		})
	}
}

// TestUnknownNeverBeatsKnownGood clears one fact at a time from a position
// that meets every wish and checks the score does not rise.
func TestUnknownNeverBeatsKnownGood(t *testing.T) {
	c := baseClinician()
	c.PanelMax, c.VisitMinNew, c.VisitMinFollowUp, c.PatientsPerDayMax = Ptr(1800), Ptr(30), Ptr(20), Ptr(18)
	c.ContinuityMin, c.ContinuityModel, c.EHRsUsed = Ptr(70.0), AssignedPanel, []EHR{Epic}
	c.InboxMax, c.MAsMin, c.ScribeWanted, c.TelehealthMax = Ptr(100), Ptr(1.0), true, Ptr(20.0)
	c.CallMaxOneInN, c.MaxDaysPerWeek, c.Shifts, c.FTEMin = Ptr(0), Ptr(4), []Shift{ShiftDay}, Ptr(0.8)
	c.PayFloorAnnual, c.Settings, c.Populations, c.TeamBasedWanted = Ptr(200000.0), []Setting{FQHC}, []Population{Adult}, Ptr(true)
	c.Years, c.BoardCertified, c.Languages = Ptr(10.0), Ptr(true), []string{"Spanish"}
	good := basePosition()
	good.PanelSize, good.VisitMinutesNew, good.VisitMinutesFollowUp, good.PatientsPerDay = Ptr(1500), Ptr(40), Ptr(20), Ptr(16)
	good.ContinuityRate, good.ContinuityModel, good.EHR = Ptr(80.0), AssignedPanel, Epic
	good.InboxPerWeek, good.MAsPerClinician, good.Scribe, good.TelehealthPct = Ptr(50), Ptr(2.0), Ptr(true), Ptr(10.0)
	good.CallOneInN, good.DaysPerWeek, good.Shift, good.FTE = Ptr(0), Ptr(4), ShiftDay, Ptr(0.9)
	good.PayMax, good.Setting, good.Population, good.TeamBasedCare = Ptr(220000.0), FQHC, Adult, Ptr(true)
	good.MinYears, good.BoardCertRequired, good.LanguagesWanted = Ptr(5.0), true, []string{"Spanish"}
	best := Explain(good, c, testNow, Options{})
	if best.Score < 99.99 {
		t.Fatalf("got score %v for a position that meets every wish", best.Score)
	}
	v := reflect.ValueOf(&good).Elem()
	for i := range v.NumField() {
		fv := v.Field(i)
		name := v.Type().Field(i).Name
		if fv.Kind() != reflect.Pointer && fv.Kind() != reflect.String || name == "ID" || name == "State" || name == "OrgID" || name == "Status" || name == "EmploymentType" {
			continue
		}
		p := good
		reflect.ValueOf(&p).Elem().Field(i).Set(reflect.Zero(fv.Type()))
		ex := Explain(p, c, testNow, Options{})
		if ex.Score > best.Score+1e-9 {
			t.Errorf("clearing %s raised the score from %v to %v", name, best.Score, ex.Score)
		}
	}
	// And for the employer side: a clinician who hides their years.
	c2 := c
	c2.Years = nil
	if ex := Explain(good, c2, testNow, Options{}); ex.Score >= best.Score {
		t.Errorf("unknown years scored %v, known good %v", ex.Score, best.Score)
	}
}

func FuzzScore(f *testing.F) {
	f.Add(1500, 30, 20, 2000.0, 40.0, 1.5, 4, 3, int64(0), "TX", "Spanish", uint8(1), uint8(2))
	f.Add(-5, 0, 999999, math.NaN(), math.Inf(1), -1.0, 0, -3, int64(-1e12), "", "", uint8(255), uint8(0))
	f.Fuzz(func(t *testing.T, panel, visit, wish int, pay, tele, mas float64, call, imp int, days int64, state, lang string, creds, emp uint8) {
		p, c := basePosition(), baseClinician()
		p.PanelSize, c.PanelMax = Ptr(panel), Ptr(wish)
		p.VisitMinutesNew, c.VisitMinNew = Ptr(visit), Ptr(wish)
		p.PayMax, c.PayFloorAnnual, c.PayFloorHourly = Ptr(pay), Ptr(pay*float64(wish)), Ptr(mas)
		p.TelehealthPct, c.TelehealthMin, c.TelehealthMax = Ptr(tele), Ptr(mas), Ptr(pay)
		p.MAsPerClinician, c.MAsMin = Ptr(mas), Ptr(tele)
		p.CallOneInN, c.CallMaxOneInN = Ptr(call), Ptr(imp)
		p.FTE, c.FTEMin, c.FTEMax = Ptr(mas), Ptr(tele), Ptr(pay)
		p.MinYears, c.Years = Ptr(tele), Ptr(pay)
		p.DaysPerWeek, c.MaxDaysPerWeek = Ptr(call), Ptr(imp)
		p.ContinuityRate, c.ContinuityMin = Ptr(pay), Ptr(tele)
		p.PatientsPerNurse, c.PatientsPerNurseMax = Ptr(mas), Ptr(pay)
		p.StartDate = testNow.Add(timeDays(days))
		c.AvailableFrom = testNow.Add(timeDays(-days))
		p.State, p.LicenceStates = state, []string{state}
		p.Location = &Point{tele, pay}
		c.MaxCommuteMiles = pay
		c.Languages, p.LanguagesWanted, p.LanguagesNeeded = []string{lang}, []string{lang, "x"}, []string{lang}
		c.Importance = map[Factor]int{Factor(creds % uint8(NumFactors)): imp}
		p.Weights = map[Factor]float64{Factor(emp % uint8(NumFactors)): pay}
		p.Credentials = []Credential{[]Credential{MD, DO, NP, PA, RN, ""}[int(creds)%6]}
		c.EmploymentTypes = []EmploymentType{[]EmploymentType{Permanent, Travel, ""}[int(emp)%3]}
		ex := Explain(p, c, testNow, Options{AvailabilitySlackDays: call})
		checkExplanation(t, ex)
		ix := NewIndex([]Clinician{c})
		for _, r := range ix.TopClinicians(p, 3, testNow, Options{AvailabilitySlackDays: call}, nil) {
			if math.IsNaN(r.Score) || r.Score < 0 || r.Score > 100 || math.Abs(r.Score-ex.Score) > 0.01 {
				t.Fatalf("index score %v, Explain %v", r.Score, ex.Score)
			}
		}
		TopPositions(c, []Position{p}, 3, testNow, Options{}, ByFit)
	})
}

func timeDays(d int64) time.Duration {
	d = max(-1e6, min(1e6, d))
	return time.Duration(d) * 24 * time.Hour
}
