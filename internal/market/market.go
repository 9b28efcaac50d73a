// Package market generates a synthetic but realistic staffing market —
// employers, their open positions with work-environment facts, and
// clinician profiles with credentials, licences and wishes — for the demo,
// the tests and the benchmarks. The distributions follow the domain
// primer (panels around 2,300, visits of 15 to 40 minutes, a share of
// facts unknown) and metros are weighted by population. Every value is
// valid by the domains' own validation; the same seed gives the same market.
package market

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"carefit/candidates"
	"carefit/internal/kit/factor"
	"carefit/internal/kit/geo"
	"carefit/internal/kit/taxonomy"
	"carefit/jobs"
)

// Market is a generated set of employers, positions and clinicians.
type Market struct {
	Organizations []jobs.Organization
	Positions     []jobs.Position
	Profiles      []candidates.Profile
}

// Size says how much to generate.
type Size struct {
	Organizations, Positions, Profiles int
}

type gen struct {
	r   *rand.Rand
	now time.Time
	cum []int // cumulative metro weights
	npi int
}

// Generate builds a market of the given size; positions are spread over the
// organizations, profiles over the metros.
func Generate(seed uint64, size Size, now time.Time) Market {
	g := &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), now: now.UTC()}
	total := 0
	for _, m := range metros {
		total += m.Weight
		g.cum = append(g.cum, total)
	}
	var mk Market
	for i := 0; i < size.Organizations; i++ {
		mk.Organizations = append(mk.Organizations, g.organization(i))
	}
	for i := 0; i < size.Positions && len(mk.Organizations) > 0; i++ {
		org := mk.Organizations[g.r.IntN(len(mk.Organizations))]
		mk.Positions = append(mk.Positions, g.position(org))
	}
	for i := 0; i < size.Profiles; i++ {
		mk.Profiles = append(mk.Profiles, g.profile(i))
	}
	return mk
}

func (g *gen) id() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(g.r.UintN(256))
	}
	u, _ := uuid.FromBytes(b[:])
	u[6] = (u[6] & 0x0f) | 0x40 // version 4
	u[8] = (u[8] & 0x3f) | 0x80 // RFC 4122 variant
	return u.String()
}

func (g *gen) metro() metro {
	n := g.r.IntN(g.cum[len(g.cum)-1])
	for i, c := range g.cum {
		if n < c {
			return metros[i]
		}
	}
	return metros[0]
}

func pick[T any](g *gen, xs []T) T { return xs[g.r.IntN(len(xs))] }

// chance is true with probability p.
func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// known returns v with probability p, else nil (an unknown fact).
func known[T any](g *gen, p float64, v T) *T {
	if g.chance(p) {
		return &v
	}
	return nil
}

func (g *gen) normal(mean, sd, lo, hi float64) float64 {
	return math.Max(lo, math.Min(hi, mean+sd*g.r.NormFloat64()))
}

var orgWords = []string{"Health", "Medical Group", "Community Health", "Family Care", "Physicians", "Clinic", "Care Partners", "Health Center"}
var orgPrefixes = []string{"Riverside", "Summit", "Lakeview", "Cedar", "Harbor", "Prairie", "Valley", "Northside", "Bayview", "Mesa", "Pinecrest", "Unity", "Beacon", "Meridian"}

func (g *gen) organization(i int) jobs.Organization {
	m := g.metro()
	kinds := []jobs.OrgKind{jobs.KindHealthSystem, jobs.KindGroupPractice, jobs.KindFQHC, jobs.KindHospital, jobs.KindUrgentCare, jobs.KindTelehealth}
	o := jobs.Organization{ID: g.id(), Name: fmt.Sprintf("%s %s %s", pick(g, orgPrefixes), m.City, pick(g, orgWords)),
		Kind: pick(g, kinds), WeightOverrides: map[factor.Name]float64{}}
	nLoc := 1 + g.r.IntN(3)
	for j := 0; j < nLoc; j++ {
		o.Locations = append(o.Locations, jobs.Location{ID: g.id(), Name: fmt.Sprintf("%s site %d", m.City, j+1),
			AddressLine: fmt.Sprintf("%d %s St", 100+g.r.IntN(9000), pick(g, orgPrefixes)), City: m.City,
			PostalCode: fmt.Sprintf("%05d", 10000+g.r.IntN(89999)), State: m.State,
			Lat: m.Lat + g.normal(0, 0.08, -0.3, 0.3), Lng: m.Lng + g.normal(0, 0.08, -0.3, 0.3), TimeZone: m.TimeZone})
	}
	if g.chance(0.2) {
		o.WeightOverrides[factor.Experience] = 2
	}
	return o
}

// role is a kind of posting: the credentials and taxonomy codes it
// accepts, its title and how often it is drawn.
type role struct {
	creds  []taxonomy.Credential
	codes  []string
	title  string
	weight int
}

// roles groups the taxonomy codes a posting may accept by credential.
var roles = []role{
	{[]taxonomy.Credential{taxonomy.MD, taxonomy.DO}, []string{"207Q00000X", "207R00000X"}, "Primary Care Physician", 22},
	{[]taxonomy.Credential{taxonomy.MD, taxonomy.DO}, []string{"208000000X"}, "Pediatrician", 6},
	{[]taxonomy.Credential{taxonomy.MD, taxonomy.DO}, []string{"208M00000X", "207R00000X"}, "Hospitalist", 8},
	{[]taxonomy.Credential{taxonomy.MD, taxonomy.DO}, []string{"207P00000X"}, "Emergency Physician", 5},
	{[]taxonomy.Credential{taxonomy.MD, taxonomy.DO}, []string{"2084P0800X"}, "Psychiatrist", 5},
	{[]taxonomy.Credential{taxonomy.MD, taxonomy.DO}, []string{"207V00000X"}, "OB/GYN", 4},
	{[]taxonomy.Credential{taxonomy.NP}, []string{"363LF0000X", "363LP2300X", "363L00000X"}, "Family Nurse Practitioner", 14},
	{[]taxonomy.Credential{taxonomy.NP}, []string{"363LP0808X"}, "Psychiatric Nurse Practitioner", 4},
	{[]taxonomy.Credential{taxonomy.PA}, []string{"363A00000X", "363AM0700X"}, "Physician Assistant", 10},
	{[]taxonomy.Credential{taxonomy.NP, taxonomy.PA}, []string{"363LF0000X", "363A00000X"}, "Advanced Practice Provider, Urgent Care", 6},
	{[]taxonomy.Credential{taxonomy.RN}, []string{"163W00000X", "163WM0705X"}, "Registered Nurse, Med-Surg", 12},
	{[]taxonomy.Credential{taxonomy.RN}, []string{"163WE0003X"}, "Emergency Department RN", 5},
	{[]taxonomy.Credential{taxonomy.RN}, []string{"163WP2201X", "163W00000X"}, "Ambulatory Care RN", 5},
}

var ehrs = []taxonomy.EHR{taxonomy.EHREpic, taxonomy.EHREpic, taxonomy.EHREpic, taxonomy.EHROracleHealth, taxonomy.EHRAthenahealth,
	taxonomy.EHREClinicalWorks, taxonomy.EHRNextGen, taxonomy.EHRMeditech, taxonomy.EHRVeradigm}

var languages = []taxonomy.Language{"es", "es", "es", "zh", "vi", "tl", "ar", "fr", "ru", "ko", "pt", "hi"}

func (g *gen) role() int {
	total := 0
	for _, r := range roles {
		total += r.weight
	}
	n := g.r.IntN(total)
	for i, r := range roles {
		if n < r.weight {
			return i
		}
		n -= r.weight
	}
	return 0
}

func (g *gen) position(org jobs.Organization) jobs.Position {
	ro := roles[g.role()]
	loc := pick(g, org.Locations)
	rn := ro.creds[0] == taxonomy.RN
	hospital := ro.title == "Hospitalist" || ro.title == "Emergency Physician" || rn && ro.title != "Ambulatory Care RN"
	start := g.now.AddDate(0, 0, 14+g.r.IntN(120)).Truncate(24 * time.Hour)
	expires := g.now.AddDate(0, 0, 30+g.r.IntN(90))
	p := jobs.Position{ID: g.id(), OrgID: org.ID, LocationID: loc.ID, Title: ro.title + ", " + loc.City,
		Description: "Join our team in " + loc.City + ". Structured work-environment facts are listed below.",
		Credentials: ro.creds, Taxonomies: ro.codes, LicenceStates: []string{loc.State},
		EmploymentType: taxonomy.EmploymentPermanent, StartDate: start, Headcount: 1 + g.r.IntN(2),
		Status: jobs.StatusOpen, ExpiresAt: &expires}
	g.setTerms(&p, ro, rn, hospital)
	g.setEnvironment(&p, org, ro, rn, hospital)
	g.setWants(&p, rn)
	return p
}

// setTerms draws the employment type, schedule and pay of p.
func (g *gen) setTerms(p *jobs.Position, ro role, rn, hospital bool) {
	switch x := g.r.Float64(); {
	case x < 0.12:
		p.EmploymentType, p.DurationWeeks = taxonomy.EmploymentLocumTenens, known(g, 1, 4+g.r.IntN(20))
	case x < 0.2 && rn:
		p.EmploymentType, p.DurationWeeks = taxonomy.EmploymentTravel, known(g, 1, 13)
	case x < 0.25:
		p.EmploymentType = taxonomy.EmploymentPerDiem
	}
	shift := taxonomy.ShiftDay
	if hospital && g.chance(0.4) {
		shift = pick(g, []taxonomy.Shift{taxonomy.ShiftNight, taxonomy.ShiftRotating, taxonomy.ShiftEvening})
	}
	p.Schedule = jobs.Schedule{DaysPerWeek: 3 + g.r.IntN(3), Shift: shift, FTE: pick(g, []float64{1, 1, 1, 0.8, 0.6})}
	if rn || p.EmploymentType != taxonomy.EmploymentPermanent {
		lo := math.Round(g.normal(60, 15, 35, 200))
		if !rn {
			lo = math.Round(g.normal(150, 30, 90, 300))
		}
		p.Pay = jobs.Pay{Min: lo, Max: lo + float64(5+g.r.IntN(30)), Period: jobs.PayHourly, Currency: jobs.CurrencyUSD}
	} else {
		base := 120000.0
		switch ro.creds[0] {
		case taxonomy.MD:
			base = 260000
		case taxonomy.NP, taxonomy.PA:
			base = 125000
		}
		lo := math.Round(g.normal(base, base*0.12, base*0.6, base*1.8)/1000) * 1000
		p.Pay = jobs.Pay{Min: lo, Max: lo + float64(10+g.r.IntN(60))*1000, Period: jobs.PayAnnual, Currency: jobs.CurrencyUSD}
	}
}

// setEnvironment draws the work-environment facts of p, each known with
// its own chance; clinic facts only for clinic roles.
func (g *gen) setEnvironment(p *jobs.Position, org jobs.Organization, ro role, rn, hospital bool) {
	e := &p.Environment
	if !hospital && !rn {
		e.PanelSize = known(g, 0.75, int(math.Round(g.normal(2200, 450, 800, 3500)/50)*50))
		e.VisitMinutesNew = known(g, 0.7, pick(g, []int{30, 40, 45, 60}))
		e.VisitMinutesFollowUp = known(g, 0.8, pick(g, []int{15, 15, 20, 20, 20, 30, 40}))
		e.ContinuityRate = known(g, 0.5, math.Round(g.normal(65, 15, 20, 95)))
		e.ContinuityModel = known(g, 0.6, pick(g, []taxonomy.ContinuityModel{taxonomy.ContinuityAssignedPanel, taxonomy.ContinuityTeamBased, taxonomy.ContinuityNone}))
		e.InboxMessagesPerWeek = known(g, 0.4, int(g.normal(150, 60, 20, 600)))
		e.TelehealthPct = known(g, 0.6, math.Round(g.normal(15, 12, 0, 80)))
	}
	e.PatientsPerDay = known(g, 0.6, int(g.normal(19, 4, 6, 35)))
	e.EHR = known(g, 0.85, pick(g, ehrs))
	e.MAsPerClinician = known(g, 0.5, pick(g, []float64{0.5, 1, 1, 1.5, 2}))
	e.Scribe = known(g, 0.6, g.chance(0.35))
	e.CallOneInN = known(g, 0.7, pick(g, []int{0, 0, 4, 5, 6, 8, 10}))
	setting := taxonomy.SettingOutpatientClinic
	switch {
	case hospital:
		setting = taxonomy.SettingHospital
	case org.Kind == jobs.KindFQHC:
		setting = taxonomy.SettingFQHC
	case org.Kind == jobs.KindUrgentCare:
		setting = taxonomy.SettingUrgentCare
	case org.Kind == jobs.KindTelehealth:
		setting = taxonomy.SettingTelehealthOnly
	}
	e.Setting = &setting
	pop := taxonomy.PopulationAdult
	if ro.title == "Pediatrician" {
		pop = taxonomy.PopulationPediatric
	} else if g.chance(0.4) {
		pop = taxonomy.PopulationAll
	}
	e.Population = known(g, 0.8, pop)
	if g.chance(0.3) {
		e.LanguagesNeeded = []taxonomy.Language{pick(g, languages)}
	}
	e.TeamBasedCare = known(g, 0.5, g.chance(0.6))
	if rn {
		e.PatientsPerNurse = known(g, 0.7, 3+g.r.IntN(4))
	}
	if ro.creds[0] == taxonomy.NP || ro.creds[0] == taxonomy.PA {
		e.CollaborativePractice = known(g, 0.5, true)
	}
}

// setWants draws the employer's wants of p, after its environment.
func (g *gen) setWants(p *jobs.Position, rn bool) {
	e := &p.Environment
	w := &p.Wants
	w.MinYears = known(g, 0.5, g.r.IntN(6))
	w.BoardCertRequired = known(g, 0.4, !rn && g.chance(0.6))
	if e.EHR != nil && g.chance(0.3) {
		w.EHRExperienceWanted = []taxonomy.EHR{*e.EHR}
	}
	if len(e.LanguagesNeeded) > 0 && g.chance(0.5) {
		w.LanguagesWanted = e.LanguagesNeeded
	}
}

var givenNames = []string{"Alex", "Sam", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn", "Maria", "Wei", "Aisha", "Diego", "Priya", "Kofi", "Elena", "Hiro", "Fatima", "Noah"}
var familyNames = []string{"Garcia", "Smith", "Nguyen", "Patel", "Johnson", "Kim", "Okafor", "Rossi", "Cohen", "Silva", "Brown", "Lopez", "Chen", "Williams", "Haddad", "Novak", "Singh", "Murphy", "Tanaka", "Jones"}

// npi returns the n-th valid NPI: 1 followed by eight digits of n and the
// CMS check digit (Luhn over 80840 and the first nine digits).
func npi(n int) string {
	stem := fmt.Sprintf("1%08d", n%100000000)
	digits := "80840" + stem
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if (len(digits)-1-i)%2 == 0 { // doubled positions, counting from the right of the payload
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return stem + fmt.Sprint((10-sum%10)%10)
}

func (g *gen) profile(i int) candidates.Profile {
	m := g.metro()
	cred := g.credential()
	tax := g.specialties(cred)
	p := g.identity(i, m, cred, tax)
	g.addEmployment(&p, cred)
	g.addLicences(&p, m, cred, tax)
	g.addLanguagesAndEHRs(&p)
	g.addWishes(&p, cred)
	return p
}

// credential draws a profession in roughly the US mix of the four.
func (g *gen) credential() taxonomy.Credential {
	var cred taxonomy.Credential
	switch x := g.r.Float64(); {
	case x < 0.33:
		cred = taxonomy.MD
	case x < 0.40:
		cred = taxonomy.DO
	case x < 0.62:
		cred = taxonomy.NP
	case x < 0.74:
		cred = taxonomy.PA
	default:
		cred = taxonomy.RN
	}
	return cred
}

// specialties draws one or two NUCC codes of the roles cred can fill.
func (g *gen) specialties(cred taxonomy.Credential) []string {
	var codes []string
	for _, r := range roles {
		for _, c := range r.creds {
			if c == cred || (cred == taxonomy.DO && c == taxonomy.MD) {
				for _, code := range r.codes {
					if taxonomy.AppliesTo(code, cred) {
						codes = append(codes, code)
					}
				}
			}
		}
	}
	tax := []string{pick(g, codes)}
	if g.chance(0.3) {
		if t := pick(g, codes); t != tax[0] {
			tax = append(tax, t)
		}
	}
	return tax
}

// identity draws the name, contact, home and availability of profile i.
func (g *gen) identity(i int, m metro, cred taxonomy.Credential, tax []string) candidates.Profile {
	given, family := pick(g, givenNames), pick(g, familyNames)
	p := candidates.Profile{ID: g.id(), Name: candidates.Name{Given: given, Family: family},
		Contact: candidates.Contact{Email: fmt.Sprintf("%s.%s.%d@example.org", lower(given), lower(family), i),
			Phone: fmt.Sprintf("+1%d%02d555%04d", 2+g.r.IntN(8), g.r.IntN(100), g.r.IntN(10000))},
		Credential: cred, Taxonomies: tax, YearsExperience: g.r.IntN(30),
		Home: candidates.Home{Lat: m.Lat + g.normal(0, 0.1, -0.4, 0.4), Lng: m.Lng + g.normal(0, 0.1, -0.4, 0.4), State: m.State,
			PostalCode: fmt.Sprintf("%05d", 10000+g.r.IntN(89999))},
		MaxCommuteMiles: pick(g, []int{10, 20, 25, 30, 40, 60}),
		AvailableFrom:   g.now.AddDate(0, 0, g.r.IntN(150)).Truncate(24 * time.Hour),
		EmploymentTypes: []taxonomy.EmploymentType{taxonomy.EmploymentPermanent},
		Importance:      map[factor.Name]int{}, VisibleToRecruiters: g.chance(0.7)}
	if cred != taxonomy.RN || g.chance(0.6) {
		p.NPI = npi(g.npi + i*7 + 1)
	}
	return p
}

// addEmployment adds locum, per-diem and travel work to some profiles.
func (g *gen) addEmployment(p *candidates.Profile, cred taxonomy.Credential) {
	if g.chance(0.3) {
		p.EmploymentTypes = append(p.EmploymentTypes, pick(g, []taxonomy.EmploymentType{taxonomy.EmploymentLocumTenens, taxonomy.EmploymentPerDiem}))
	}
	if cred == taxonomy.RN && g.chance(0.3) {
		p.EmploymentTypes = append(p.EmploymentTypes, taxonomy.EmploymentTravel)
	}
}

// addLicences licenses p in its home state, sometimes in a second state
// it would move to, and board-certifies most physicians and APPs.
func (g *gen) addLicences(p *candidates.Profile, m metro, cred taxonomy.Credential, tax []string) {
	p.Licences = []candidates.Licence{{State: m.State, Number: fmt.Sprintf("%s-%06d", m.State, g.r.IntN(1000000)),
		Expires:    g.now.AddDate(1+g.r.IntN(3), 0, 0).Truncate(24 * time.Hour),
		Multistate: cred == taxonomy.RN && geo.NLC.Has(m.State) && g.chance(0.7)}}
	if g.chance(0.25) {
		other := g.metro().State
		if other != m.State {
			p.Licences = append(p.Licences, candidates.Licence{State: other, Number: fmt.Sprintf("%s-%06d", other, g.r.IntN(1000000)),
				Expires: g.now.AddDate(1, 0, 0).Truncate(24 * time.Hour)})
			if g.chance(0.5) {
				p.WillingToMoveStates = []string{other}
			}
		}
	}
	if cred != taxonomy.RN && g.chance(0.7) {
		exp := g.now.AddDate(2+g.r.IntN(8), 0, 0).Truncate(24 * time.Hour)
		p.BoardCertifications = []candidates.BoardCertification{{Board: "American Board of Medical Specialties member board", Specialty: tax[0], Expires: &exp}}
	}
}

// addLanguagesAndEHRs gives p English, sometimes a second language, an EHR
// used and sometimes one to avoid.
func (g *gen) addLanguagesAndEHRs(p *candidates.Profile) {
	p.Languages = []taxonomy.Language{"en"}
	if g.chance(0.3) {
		if l := pick(g, languages); l != "en" {
			p.Languages = append(p.Languages, l)
		}
	}
	used := pick(g, ehrs)
	p.EHRsUsed = []taxonomy.EHR{used}
	if g.chance(0.2) {
		if avoid := pick(g, ehrs); avoid != used {
			p.EHRsAvoid = []taxonomy.EHR{avoid}
		}
	}
}

// addWishes draws work-environment wishes, importances and a pay floor.
func (g *gen) addWishes(p *candidates.Profile, cred taxonomy.Credential) {
	w := &p.Wishes
	w.PanelMax = known(g, 0.5, int(math.Round(g.normal(1900, 300, 1000, 3000)/50)*50))
	w.VisitMinFollowUp = known(g, 0.5, pick(g, []int{15, 20, 20, 30}))
	w.VisitMinNew = known(g, 0.3, pick(g, []int{30, 40, 45, 60}))
	w.PatientsPerDayMax = known(g, 0.4, int(g.normal(20, 3, 10, 30)))
	w.ContinuityMin = known(g, 0.3, math.Round(g.normal(60, 10, 30, 90)))
	w.InboxMax = known(g, 0.2, int(g.normal(150, 40, 50, 400)))
	w.ScribeWanted = known(g, 0.3, true)
	lo := math.Round(g.normal(5, 5, 0, 30))
	w.TelehealthMin, w.TelehealthMax = known(g, 0.3, lo), known(g, 0.3, lo+math.Round(g.normal(30, 15, 5, 70)))
	if w.TelehealthMin != nil && w.TelehealthMax != nil && *w.TelehealthMax > 100 {
		*w.TelehealthMax = 100
	}
	if g.chance(0.4) {
		w.CallMaxOneInN = known(g, 1, pick(g, []int{4, 5, 6, 8}))
	} else if g.chance(0.2) {
		w.NoCall = known(g, 1, true)
	}
	if cred == taxonomy.RN {
		w.PatientsPerNurseMax = known(g, 0.5, 4+g.r.IntN(3))
	}
	if g.chance(0.4) {
		p.Importance[factor.VisitLength] = 2 + g.r.IntN(2)
	}
	if g.chance(0.3) {
		p.Importance[factor.PanelSize] = 2
	}
	if g.chance(0.2) {
		p.Importance[factor.Pay] = 3
	}
	if cred == taxonomy.RN || cred == taxonomy.PA {
		p.PayFloor.Hourly = known(g, 0.5, math.Round(g.normal(55, 10, 30, 120)))
	} else {
		p.PayFloor.Annual = known(g, 0.5, math.Round(g.normal(180000, 50000, 80000, 400000)/1000)*1000)
	}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}
