package match_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	. "carefit/match"
)

// update rewrites the golden file: go test ./match -run Golden -update.
// Review the new file by reading it before committing it.
var update = flag.Bool("update", false, "rewrite testdata/explanations.golden from the current engine")

const goldenFile = "testdata/explanations.golden"

// goldenPair is one representative pair, explained to one reader.
type goldenPair struct {
	title  string
	reader Reader
	edit   func(p *Position, c *Clinician)
}

// primaryCare makes the base pair a primary-care job that states most
// facts, and a clinician who states most wishes.
func primaryCare(p *Position, c *Clinician) {
	p.PanelSize, p.VisitMinutesNew, p.VisitMinutesFollowUp, p.PatientsPerDay = Ptr(1900), Ptr(40), Ptr(20), Ptr(18)
	p.EHR, p.CallOneInN, p.Setting, p.Population = Epic, Ptr(6), OutpatientClinic, Adult
	p.PayMin, p.PayMax, p.DaysPerWeek, p.Shift, p.FTE = Ptr(240000.0), Ptr(270000.0), Ptr(4), ShiftDay, Ptr(0.8)
	p.MinYears, p.BoardCertRequired, p.LanguagesNeeded = Ptr(3.0), true, []string{"es"}
	c.PanelMax, c.VisitMinNew, c.VisitMinFollowUp, c.PatientsPerDayMax = Ptr(1800), Ptr(40), Ptr(20), Ptr(20)
	c.EHRsUsed, c.CallMaxOneInN, c.Settings = []EHR{Epic}, Ptr(5), []Setting{OutpatientClinic, FQHC}
	c.PayFloorAnnual, c.MaxDaysPerWeek = Ptr(250000.0), Ptr(4)
	c.Years, c.BoardCertified, c.Languages = Ptr(9.0), Ptr(true), []string{"en", "es"}
}

var goldenPairs = []goldenPair{
	{"Primary care, a close fit", ReaderRecruiter, primaryCare},
	{"Primary care, a close fit", ReaderClinician, primaryCare},
	{"A hospitalist role for a clinician with clinic wishes: panel and visits do not apply", ReaderClinician, func(p *Position, c *Clinician) {
		primaryCare(p, c)
		p.Setting, p.PanelSize, p.VisitMinutesNew, p.VisitMinutesFollowUp = Hospital, nil, nil, nil
		p.Taxonomies, c.Settings = []string{"208M00000X", "207Q00000X"}, nil
	}},
	{"A telehealth-only role, 180 miles from home: no commute, no call", ReaderRecruiter, func(p *Position, c *Clinician) {
		primaryCare(p, c)
		p.Setting, p.CallOneInN, c.Home, c.TelehealthMin = TelehealthOnly, nil, &Point{32.7767, -96.7970}, Ptr(50.0)
		c.Settings = []Setting{TelehealthOnly}
	}},
	{"A missed must-have: 15-minute follow-ups for a clinician who needs 30", ReaderClinician, func(p *Position, c *Clinician) {
		primaryCare(p, c)
		p.VisitMinutesFollowUp, c.VisitMinFollowUp = Ptr(15), Ptr(30)
		c.Importance = map[Factor]int{FactorVisitFollowUp: MustHave, FactorVisitNew: MustHave}
	}},
	{"A missed must-have: 15-minute follow-ups for a clinician who needs 30", ReaderRecruiter, func(p *Position, c *Clinician) {
		primaryCare(p, c)
		p.VisitMinutesFollowUp, c.VisitMinFollowUp = Ptr(15), Ptr(30)
		c.Importance = map[Factor]int{FactorVisitFollowUp: MustHave, FactorVisitNew: MustHave}
	}},
	{"The position's must-have: board certification, not held", ReaderRecruiter, func(p *Position, c *Clinician) {
		primaryCare(p, c)
		p.MustHave, c.BoardCertified = []Factor{FactorBoardCert}, Ptr(false)
	}},
	{"Available nine days after the start, within the allowance", ReaderRecruiter, func(p *Position, c *Clinician) {
		primaryCare(p, c)
		c.AvailableFrom = date(2026, 4, 10)
	}},
	{"Not eligible on several rules at once", ReaderRecruiter, func(p *Position, c *Clinician) {
		primaryCare(p, c)
		c.Credential, c.Taxonomies = NP, []string{"363LF0000X"}
		c.Licences, c.Home = []Licence{{State: "OK", Expires: date(2027, 1, 1)}}, &Point{35.4676, -97.5164}
	}},
	{"Languages the patients need and the employer wants; a pay floor just missed", ReaderClinician, func(p *Position, c *Clinician) {
		primaryCare(p, c)
		p.LanguagesWanted, p.LanguagesNeeded, c.Languages = []string{"vi"}, []string{"es"}, []string{"en", "es"}
		p.PayMax, c.PayFloorAnnual = Ptr(230000.0), Ptr(250000.0)
	}},
	{"A posting that hides most facts", ReaderRecruiter, func(p *Position, c *Clinician) {
		primaryCare(p, c)
		p.PanelSize, p.VisitMinutesNew, p.VisitMinutesFollowUp, p.PatientsPerDay, p.EHR, p.PayMin, p.PayMax = nil, nil, nil, nil, "", nil, nil
	}},
	{"A night-shift travel nurse role", ReaderClinician, func(p *Position, c *Clinician) {
		p.Credentials, p.Taxonomies, p.EmploymentType, p.Setting = []Credential{RN}, []string{"163W00000X"}, Travel, Hospital
		p.Shift, p.DaysPerWeek, p.FTE, p.PatientsPerNurse, p.PayMax, p.PayPeriod = ShiftNight, Ptr(3), Ptr(0.9), Ptr(6.0), Ptr(68.0), Hourly
		c.Credential, c.Taxonomies, c.EmploymentTypes = RN, []string{"163W00000X"}, []EmploymentType{Permanent, Travel}
		c.Shifts, c.PatientsPerNurseMax, c.PayFloorHourly = []Shift{ShiftDay, ShiftEvening}, Ptr(4.0), Ptr(55.0)
		c.Importance = map[Factor]int{FactorNurseRatio: 3}
	}},
	{"An urgent care role without call for a clinician who takes none", ReaderRecruiter, func(p *Position, c *Clinician) {
		primaryCare(p, c)
		p.Setting, p.CallOneInN, p.PanelSize, p.VisitMinutesNew, p.VisitMinutesFollowUp = UrgentCare, nil, nil, nil, nil
		c.CallMaxOneInN, c.Settings, c.Populations = Ptr(0), []Setting{UrgentCare}, []Population{Adult}
	}},
}

// TestGoldenExplanations renders a dozen representative pairs, both
// audiences, eligible and not, and compares them with the reviewed text in
// testdata; -update rewrites it.
func TestGoldenExplanations(t *testing.T) {
	var b strings.Builder
	b.WriteString("# Explanations of representative pairs, as each reader gets them (match.Explain).\n")
	b.WriteString("# Regenerate with: go test ./match -run Golden -update; then read the diff.\n")
	for i, g := range goldenPairs {
		p, c := basePosition(), baseClinician()
		g.edit(&p, &c)
		ex := Explain(p, c, testNow, Options{AvailabilitySlackDays: 14, Reader: g.reader})
		checkExplanation(t, ex)
		reader := "recruiter"
		if g.reader == ReaderClinician {
			reader = "clinician"
		}
		fmt.Fprintf(&b, "\n## %d. %s (read by the %s)\n", i+1, g.title, reader)
		render(&b, ex)
	}
	got := b.String()
	if *update {
		if err := os.WriteFile(goldenFile, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if d := cmp.Diff(string(want), got); d != "" {
		t.Errorf("explanations differ from %s (-want +got); if the change is intended, run -update and review:\n%s", goldenFile, d)
	}
}

// render writes an explanation as a reader would take it in: the verdict
// on eligibility and the score with its band, what leads the row, the
// reasons and notes, then every factor.
func render(b *strings.Builder, ex Explanation) {
	band := BandOf(ex.Score)
	if ex.Eligibility.Eligible {
		fmt.Fprintf(b, "eligible; score %.2f (%s); clinician side %.2f, employer side %.2f\n", ex.Score, band, ex.ClinicianSide, ex.EmployerSide)
	} else {
		fmt.Fprintf(b, "not eligible; no score; score if eligible %.2f (%s)\n", ex.Score, band)
	}
	for _, r := range ex.Eligibility.Reasons {
		fmt.Fprintf(b, "reason %s: %s\n", r.Rule, r.Message)
	}
	for _, r := range ex.Eligibility.Notes {
		fmt.Fprintf(b, "note %s: %s\n", r.Rule, r.Message)
	}
	for _, f := range ex.Strongest(3) {
		fmt.Fprintf(b, "strongest: %s\n", f.Sentence)
	}
	for _, f := range ex.Weakest(3) {
		fmt.Fprintf(b, "weakest: %s\n", f.Sentence)
	}
	for _, f := range ex.Factors {
		must := ""
		if f.MustHave {
			must = " must-have"
		}
		fmt.Fprintf(b, "  %-19s %-14s fit %.2f  weight %.2f  points %5.2f%s  %s\n",
			f.Factor, f.Verdict, f.Fit, f.Weight, f.Contribution, must, f.Sentence)
	}
}
