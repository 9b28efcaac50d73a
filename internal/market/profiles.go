package market

import (
	"fmt"
	"math"
	"time"

	"carefit/candidates"
	"carefit/internal/kit/factor"
	"carefit/internal/kit/geo"
	"carefit/internal/kit/taxonomy"
)

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

// related lists the specialties a clinician may hold alongside a first
// one: neighbours in training or practice (family and internal medicine,
// internal medicine and hospital medicine, the nurse practitioner
// primary-care codes), never pairs no one holds, such as internal medicine
// with obstetrics or emergency medicine with psychiatry.
var related = map[string][]string{
	"207Q00000X": {"207R00000X"},
	"207R00000X": {"207Q00000X", "208M00000X"},
	"208M00000X": {"207R00000X"},
	"363LF0000X": {"363LP2300X", "363L00000X"},
	"363LP2300X": {"363LF0000X", "363L00000X"},
	"363L00000X": {"363LF0000X"},
	"363A00000X": {"363AM0700X"},
	"363AM0700X": {"363A00000X"},
	"163W00000X": {"163WM0705X", "163WE0003X", "163WP2201X"},
	"163WM0705X": {"163W00000X"},
	"163WE0003X": {"163W00000X"},
	"163WP2201X": {"163W00000X"},
}

// specialties draws one NUCC code of the roles cred can fill and, for
// three clinicians in ten, a related second one.
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
	if more := related[tax[0]]; len(more) > 0 && g.chance(0.3) {
		tax = append(tax, pick(g, more))
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
			PostalCode: g.postalCode(m)},
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
	p.PayFloor = g.payFloor(cred)
	if g.chance(0.2) {
		w.Settings = g.settingsWanted(p.Taxonomies[0], cred)
	}
	g.addMustHaves(p)
}

// settingsWanted draws the settings a clinician asks for: hospitals for
// hospital specialties and most nurses, clinics and telehealth otherwise.
func (g *gen) settingsWanted(code string, cred taxonomy.Credential) []taxonomy.Setting {
	switch {
	case code == "208M00000X" || code == "207P00000X" || cred == taxonomy.RN && g.chance(0.7):
		return []taxonomy.Setting{taxonomy.SettingHospital}
	case g.chance(0.3):
		return []taxonomy.Setting{taxonomy.SettingTelehealthOnly, taxonomy.SettingOutpatientClinic}
	}
	return []taxonomy.Setting{taxonomy.SettingOutpatientClinic, taxonomy.SettingFQHC}
}

// addMustHaves marks, for one clinician in four, one stated wish a
// must-have: most often the pay floor, then visit length, the setting or
// call.
func (g *gen) addMustHaves(p *candidates.Profile) {
	if !g.chance(0.25) {
		return
	}
	w := &p.Wishes
	var stated []factor.Name
	if p.PayFloor.Annual != nil || p.PayFloor.Hourly != nil {
		stated = append(stated, factor.Pay, factor.Pay)
	}
	if w.VisitMinFollowUp != nil || w.VisitMinNew != nil {
		stated = append(stated, factor.VisitLength)
	}
	if len(w.Settings) > 0 {
		stated = append(stated, factor.Setting)
	}
	if w.CallMaxOneInN != nil || w.NoCall != nil {
		stated = append(stated, factor.Call)
	}
	if len(stated) > 0 {
		p.Importance[pick(g, stated)] = candidates.MustHave
	}
}
