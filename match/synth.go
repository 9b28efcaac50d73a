package match

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// synthState is a jurisdiction's approximate population (millions, 2020
// census) and population centre, used to place synthetic people.
type synthState struct {
	code     string
	pop      float64
	lat, lng float64
}

var synthStates = []synthState{
	{"AK", 0.73, 61.2, -149.9}, {"AL", 5.0, 33.0, -86.8}, {"AR", 3.0, 35.0, -92.4}, {"AS", 0.05, -14.3, -170.7},
	{"AZ", 7.2, 33.4, -112.1}, {"CA", 39.5, 35.5, -119.4}, {"CO", 5.8, 39.5, -105.0}, {"CT", 3.6, 41.5, -72.9},
	{"DC", 0.69, 38.9, -77.0}, {"DE", 1.0, 39.4, -75.6}, {"FL", 21.5, 27.8, -81.6}, {"GA", 10.7, 33.3, -84.0},
	{"GU", 0.15, 13.4, 144.8}, {"HI", 1.5, 21.3, -157.8}, {"IA", 3.2, 41.9, -93.0}, {"ID", 1.8, 43.6, -115.9},
	{"IL", 12.8, 41.3, -88.4}, {"IN", 6.8, 39.9, -86.3}, {"KS", 2.9, 38.5, -97.0}, {"KY", 4.5, 37.8, -85.3},
	{"LA", 4.7, 30.7, -91.5}, {"MA", 7.0, 42.3, -71.3}, {"MD", 6.2, 39.1, -76.8}, {"ME", 1.4, 44.2, -69.9},
	{"MI", 10.1, 42.8, -84.2}, {"MN", 5.7, 45.2, -93.6}, {"MO", 6.2, 38.4, -92.2}, {"MP", 0.05, 15.2, 145.7},
	{"MS", 3.0, 32.6, -89.6}, {"MT", 1.1, 46.7, -110.7}, {"NC", 10.4, 35.6, -79.7}, {"ND", 0.78, 47.4, -99.3},
	{"NE", 2.0, 41.0, -97.4}, {"NH", 1.4, 43.0, -71.5}, {"NJ", 9.3, 40.4, -74.4}, {"NM", 2.1, 34.6, -106.4},
	{"NV", 3.1, 37.2, -115.6}, {"NY", 20.2, 41.5, -74.6}, {"OH", 11.8, 40.5, -82.6}, {"OK", 4.0, 35.6, -96.8},
	{"OR", 4.2, 44.7, -122.6}, {"PA", 13.0, 40.5, -77.0}, {"PR", 3.3, 18.3, -66.4}, {"RI", 1.1, 41.8, -71.4},
	{"SC", 5.1, 34.0, -81.0}, {"SD", 0.89, 44.0, -99.0}, {"TN", 6.9, 35.8, -86.4}, {"TX", 29.1, 30.9, -97.4},
	{"UT", 3.3, 40.4, -111.9}, {"VA", 8.6, 38.0, -77.6}, {"VI", 0.09, 18.3, -64.9}, {"VT", 0.64, 44.1, -72.8},
	{"WA", 7.7, 47.3, -121.6}, {"WI", 5.9, 43.7, -89.0}, {"WV", 1.8, 38.8, -80.9}, {"WY", 0.58, 42.7, -107.2},
}

// synthRoles are credentials with their share of the workforce and the
// taxonomies they hold (first is the most common).
var synthRoles = []struct {
	cred  Credential
	share float64
	taxa  []string
}{
	{MD, 0.26, []string{"207Q00000X", "207R00000X", "208000000X", "207P00000X", "208M00000X", "207V00000X", "2084P0800X", "208D00000X"}},
	{DO, 0.07, []string{"207Q00000X", "207R00000X", "208000000X", "207P00000X", "208M00000X"}},
	{NP, 0.20, []string{"363LF0000X", "363L00000X", "363LP0808X"}},
	{PA, 0.10, []string{"363A00000X"}},
	{RN, 0.37, []string{"163W00000X"}},
}

var synthEHRs = []EHR{Epic, Epic, Epic, OracleHealth, Athenahealth, EClinicalWorks, NextGen, Meditech, Veradigm}
var synthLangs = []string{"Spanish", "Spanish", "Spanish", "Chinese", "Vietnamese", "Tagalog", "Arabic", "French", "Korean", "Russian", "Hindi"}

type synthGen struct {
	r        *rand.Rand
	cumState []float64
	cumRole  []float64
	now      time.Time
}

func newSynthGen(seed uint64, now time.Time) *synthGen {
	g := &synthGen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), now: now}
	acc := 0.0
	for _, s := range synthStates {
		acc += s.pop
		g.cumState = append(g.cumState, acc)
	}
	acc = 0
	for _, r := range synthRoles {
		acc += r.share
		g.cumRole = append(g.cumRole, acc)
	}
	return g
}

func pick(r *rand.Rand, cum []float64) int {
	x := r.Float64() * cum[len(cum)-1]
	for i, c := range cum {
		if x < c {
			return i
		}
	}
	return len(cum) - 1
}

func (g *synthGen) chance(p float64) bool { return g.r.Float64() < p }

func (g *synthGen) place() (string, *Point) {
	s := synthStates[pick(g.r, g.cumState)]
	return s.code, &Point{s.lat + g.r.NormFloat64()*0.8, s.lng + g.r.NormFloat64()*1.0}
}

func (g *synthGen) intIn(lo, hi int) *int { return Ptr(lo + g.r.IntN(hi-lo+1)) }

func (g *synthGen) maybeInt(p float64, lo, hi int) *int {
	if g.chance(p) {
		return g.intIn(lo, hi)
	}
	return nil
}

func (g *synthGen) day(fromDays, spanDays int) time.Time {
	return g.now.Truncate(24*time.Hour).AddDate(0, 0, fromDays+g.r.IntN(spanDays))
}

// Synthetic returns deterministic, realistic test data: nPositions open
// positions and nClinicians clinicians with credentials in workforce
// proportions, states weighted by population, and facts and wishes in the
// ranges of the domain primer. The same seed and now give the same data;
// benchmarks, the demo seeder and search tests share it.
func Synthetic(seed uint64, nPositions, nClinicians int, now time.Time) ([]Position, []Clinician) {
	g := newSynthGen(seed, now)
	ps := make([]Position, nPositions)
	for i := range ps {
		ps[i] = g.position(i)
	}
	cs := make([]Clinician, nClinicians)
	for i := range cs {
		cs[i] = g.clinician(i)
	}
	return ps, cs
}

func (g *synthGen) position(i int) Position {
	role := synthRoles[pick(g.r, g.cumRole)]
	state, loc := g.place()
	p := Position{
		ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), OrgID: fmt.Sprintf("org-%03d", g.r.IntN(500)),
		Status: StatusOpen, ExpiresAt: g.now.AddDate(0, 2, 0), StartDate: g.day(14, 90),
		Credentials: []Credential{role.cred}, Taxonomies: []string{role.taxa[g.r.IntN(len(role.taxa))]},
		State: state, Location: loc,
		EmploymentType: []EmploymentType{Permanent, Permanent, Permanent, LocumTenens, Travel, PerDiem}[g.r.IntN(6)],
		DaysPerWeek:    g.intIn(3, 5), Shift: ShiftDay, FTE: Ptr(float64(6+g.r.IntN(5)) / 10),
		PayPeriod: Annual,
	}
	if role.cred == MD || role.cred == DO {
		p.Credentials = []Credential{MD, DO}
		p.PayMax = Ptr(float64(220+g.r.IntN(180)) * 1000)
	} else if role.cred == RN {
		p.PayPeriod, p.PayMax = Hourly, Ptr(float64(38+g.r.IntN(40)))
		p.Shift = []Shift{ShiftDay, ShiftNight, ShiftEvening, ShiftRotating}[g.r.IntN(4)]
		p.PatientsPerNurse = Ptr(float64(3 + g.r.IntN(4)))
		p.Setting = Hospital
	} else {
		p.PayMax = Ptr(float64(110+g.r.IntN(60)) * 1000)
	}
	if role.cred != RN {
		p.PanelSize = g.maybeInt(0.7, 1200, 2800)
		p.VisitMinutesNew = g.maybeInt(0.7, 20, 60)
		p.VisitMinutesFollowUp = g.maybeInt(0.8, 10, 40)
		p.PatientsPerDay = g.maybeInt(0.6, 12, 28)
		if g.chance(0.5) {
			p.ContinuityRate = Ptr(float64(40 + g.r.IntN(55)))
		}
		p.InboxPerWeek = g.maybeInt(0.4, 40, 250)
		if g.chance(0.6) {
			p.MAsPerClinician = Ptr(float64(5+g.r.IntN(20)) / 10)
		}
		if g.chance(0.5) {
			p.Scribe = Ptr(g.chance(0.4))
		}
		if g.chance(0.5) {
			p.TelehealthPct = Ptr(float64(g.r.IntN(50)))
		}
		p.CallOneInN = g.maybeInt(0.6, 0, 10)
		p.Setting = []Setting{OutpatientClinic, OutpatientClinic, FQHC, Hospital, UrgentCare, TelehealthOnly}[g.r.IntN(6)]
	}
	if g.chance(0.8) {
		p.EHR = synthEHRs[g.r.IntN(len(synthEHRs))]
	}
	p.Population = []Population{Adult, Pediatric, Geriatric, PopulationAll}[g.r.IntN(4)]
	if g.chance(0.5) {
		p.TeamBasedCare = Ptr(g.chance(0.6))
	}
	if g.chance(0.5) {
		p.MinYears = Ptr(float64(g.r.IntN(8)))
	}
	p.BoardCertRequired = (role.cred == MD || role.cred == DO) && g.chance(0.6)
	if g.chance(0.3) {
		p.LanguagesWanted = []string{synthLangs[g.r.IntN(len(synthLangs))]}
	}
	if g.chance(0.3) {
		p.EHRExperienceWanted = []EHR{p.EHR}
	}
	return p
}

func (g *synthGen) clinician(i int) Clinician {
	ri := pick(g.r, g.cumRole)
	role := synthRoles[ri]
	state, home := g.place()
	c := Clinician{
		ID: fmt.Sprintf("10000000-0000-4000-8000-%012d", i), Credential: role.cred,
		Taxonomies:      []string{role.taxa[g.r.IntN(len(role.taxa))]},
		Licences:        []Licence{{State: state, Expires: g.day(-30, 900), Multistate: role.cred == RN && g.chance(0.6)}},
		Years:           Ptr(float64(g.r.IntN(30))),
		Home:            home,
		MaxCommuteMiles: float64(15 + g.r.IntN(50)),
		AvailableFrom:   g.day(-60, 150),
		Languages:       []string{"English"},
	}
	if g.chance(0.3) {
		c.Licences = append(c.Licences, Licence{State: synthStates[pick(g.r, g.cumState)].code, Expires: g.day(100, 700)})
	}
	if g.chance(0.2) {
		c.WillingStates = []string{synthStates[pick(g.r, g.cumState)].code, synthStates[pick(g.r, g.cumState)].code}
	}
	if g.chance(0.25) {
		c.Languages = append(c.Languages, synthLangs[g.r.IntN(len(synthLangs))])
	}
	if g.chance(0.6) {
		c.BoardCertified = Ptr(g.chance(0.8))
	}
	if g.chance(0.7) {
		c.EHRsUsed = []EHR{synthEHRs[g.r.IntN(len(synthEHRs))]}
	}
	if g.chance(0.2) {
		c.EHRsAvoid = []EHR{synthEHRs[g.r.IntN(len(synthEHRs))]}
	}
	if g.chance(0.5) {
		c.EmploymentTypes = []EmploymentType{Permanent}
	}
	c.MaxDaysPerWeek = g.maybeInt(0.5, 3, 5)
	if g.chance(0.5) {
		c.FTEMin, c.FTEMax = Ptr(0.5), Ptr(float64(8+g.r.IntN(3))/10)
	}
	switch role.cred {
	case RN:
		c.PayFloorHourly = Ptr(float64(35 + g.r.IntN(35)))
		c.PatientsPerNurseMax = Ptr(float64(3 + g.r.IntN(3)))
		if g.chance(0.6) {
			c.Shifts = []Shift{[]Shift{ShiftDay, ShiftNight, ShiftEvening}[g.r.IntN(3)]}
		}
	case MD, DO:
		c.PayFloorAnnual = Ptr(float64(200+g.r.IntN(150)) * 1000)
	default:
		c.PayFloorAnnual = Ptr(float64(100+g.r.IntN(50)) * 1000)
	}
	if role.cred != RN {
		c.PanelMax = g.maybeInt(0.6, 1200, 2500)
		c.VisitMinNew = g.maybeInt(0.6, 30, 60)
		c.VisitMinFollowUp = g.maybeInt(0.7, 15, 30)
		c.PatientsPerDayMax = g.maybeInt(0.5, 14, 24)
		if g.chance(0.4) {
			c.ContinuityMin = Ptr(float64(50 + g.r.IntN(40)))
		}
		c.InboxMax = g.maybeInt(0.4, 50, 150)
		if g.chance(0.3) {
			c.MAsMin = Ptr(float64(10+g.r.IntN(15)) / 10)
		}
		c.ScribeWanted = g.chance(0.3)
		if g.chance(0.4) {
			c.TelehealthMax = Ptr(float64(10 + g.r.IntN(40)))
		}
		c.CallMaxOneInN = g.maybeInt(0.6, 0, 8)
		if g.chance(0.5) {
			c.Settings = []Setting{OutpatientClinic, FQHC}
		}
	}
	if g.chance(0.4) {
		c.Populations = []Population{[]Population{Adult, Pediatric, Geriatric}[g.r.IntN(3)]}
	}
	if g.chance(0.3) {
		c.TeamBasedWanted = Ptr(g.chance(0.7))
	}
	if g.chance(0.3) {
		c.Importance = map[Factor]int{Factor(g.r.IntN(int(firstEmployer))): g.r.IntN(4)}
	}
	return c
}
