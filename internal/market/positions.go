package market

import (
	"math"
	"time"

	"carefit/internal/kit/factor"
	"carefit/internal/kit/taxonomy"
	"carefit/jobs"
)

// role is a kind of posting: the credentials and taxonomy codes it
// accepts, its title, whether it is worked in a hospital, and how often
// it is drawn.
type role struct {
	creds    []taxonomy.Credential
	codes    []string
	title    string
	hospital bool
	weight   int
	// urgent is a walk-in urgent-care role: worked in urgent care
	// whatever the organization, or by video for a telehealth one.
	urgent bool
}

var (
	physician = []taxonomy.Credential{taxonomy.MD, taxonomy.DO}
	np        = []taxonomy.Credential{taxonomy.NP}
	pa        = []taxonomy.Credential{taxonomy.PA}
	rnOnly    = []taxonomy.Credential{taxonomy.RN}
)

// roles groups the taxonomy codes a posting may accept by credential.
// Obstetrics is practised in clinics and on labour wards, so it has a
// hospital role (the laborist) as well as a clinic one.
var roles = []role{
	{physician, []string{"207Q00000X", "207R00000X"}, "Primary Care Physician", false, 22, false},
	{physician, []string{"208000000X"}, "Pediatrician", false, 6, false},
	{physician, []string{"208M00000X", "207R00000X"}, "Hospitalist", true, 8, false},
	{physician, []string{"207P00000X"}, "Emergency Physician", true, 5, false},
	{physician, []string{"2084P0800X"}, "Psychiatrist", false, 5, false},
	{physician, []string{"207V00000X"}, "OB/GYN", false, 3, false},
	{physician, []string{"207V00000X"}, "OB/GYN Hospitalist (Laborist)", true, 2, false},
	{np, []string{"363LF0000X", "363LP2300X", "363L00000X"}, "Family Nurse Practitioner", false, 14, false},
	{np, []string{"363LP0808X"}, "Psychiatric Nurse Practitioner", false, 4, false},
	{pa, []string{"363A00000X", "363AM0700X"}, "Physician Assistant", false, 10, false},
	{[]taxonomy.Credential{taxonomy.NP, taxonomy.PA}, []string{"363LF0000X", "363A00000X"}, "Advanced Practice Provider, Urgent Care", false, 6, true},
	{rnOnly, []string{"163W00000X", "163WM0705X"}, "Registered Nurse, Med-Surg", true, 12, false},
	{rnOnly, []string{"163WE0003X"}, "Emergency Department RN", true, 5, false},
	{rnOnly, []string{"163WP2201X", "163W00000X"}, "Ambulatory Care RN", false, 5, false},
}

var ehrs = []taxonomy.EHR{taxonomy.EHREpic, taxonomy.EHREpic, taxonomy.EHREpic, taxonomy.EHROracleHealth, taxonomy.EHRAthenahealth,
	taxonomy.EHREClinicalWorks, taxonomy.EHRNextGen, taxonomy.EHRMeditech, taxonomy.EHRVeradigm}

var languages = []taxonomy.Language{"es", "es", "es", "zh", "vi", "tl", "ar", "fr", "ru", "ko", "pt", "hi"}

func (g *gen) role() role {
	total := 0
	for _, r := range roles {
		total += r.weight
	}
	n := g.r.IntN(total)
	for _, r := range roles {
		if n < r.weight {
			return r
		}
		n -= r.weight
	}
	return roles[0]
}

func (g *gen) position(org jobs.Organization) jobs.Position {
	ro := g.role()
	loc := pick(g, org.Locations)
	rn := ro.creds[0] == taxonomy.RN
	start := g.now.AddDate(0, 0, 14+g.r.IntN(120)).Truncate(24 * time.Hour)
	expires := g.now.AddDate(0, 0, 30+g.r.IntN(90))
	setting := settingOf(ro, org)
	title := ro.title
	if ro.urgent && setting == taxonomy.SettingTelehealthOnly {
		title = "Advanced Practice Provider, Virtual Urgent Care"
	}
	p := jobs.Position{ID: g.id(), OrgID: org.ID, LocationID: loc.ID, Title: title + ", " + loc.City,
		Description: "Join our team in " + loc.City + ". Structured work-environment facts are listed below.",
		Credentials: ro.creds, Taxonomies: ro.codes, LicenceStates: []string{loc.State},
		EmploymentType: taxonomy.EmploymentPermanent, StartDate: start, Headcount: 1 + g.r.IntN(2),
		Status: jobs.StatusOpen, ExpiresAt: &expires}
	g.setTerms(&p, ro, rn, setting)
	g.setEnvironment(&p, ro, rn, setting)
	g.setWants(&p, rn)
	g.setLifecycle(&p)
	return p
}

// settingOf is where a role is worked: a hospital role in a hospital,
// others in the kind of place the organization runs, and an urgent-care
// role in urgent care unless the organization works only by video.
func settingOf(ro role, org jobs.Organization) taxonomy.Setting {
	switch {
	case ro.hospital:
		return taxonomy.SettingHospital
	case org.Kind == jobs.KindTelehealth:
		return taxonomy.SettingTelehealthOnly
	case ro.urgent, org.Kind == jobs.KindUrgentCare:
		return taxonomy.SettingUrgentCare
	case org.Kind == jobs.KindFQHC:
		return taxonomy.SettingFQHC
	}
	return taxonomy.SettingOutpatientClinic
}

// setTerms draws the employment type, schedule and pay of p. A clinic day
// is a fifth of a full-time week; hospital shifts are 12 hours, so three a
// week are 0.9 FTE and four are full time.
func (g *gen) setTerms(p *jobs.Position, ro role, rn bool, setting taxonomy.Setting) {
	switch x := g.r.Float64(); {
	case x < 0.12:
		p.EmploymentType, p.DurationWeeks = taxonomy.EmploymentLocumTenens, known(g, 1, 4+g.r.IntN(20))
	case x < 0.2 && rn:
		p.EmploymentType, p.DurationWeeks = taxonomy.EmploymentTravel, known(g, 1, 13)
	case x < 0.25:
		p.EmploymentType = taxonomy.EmploymentPerDiem
	}
	shift := taxonomy.ShiftDay
	days := 3 + g.r.IntN(3)
	fte := float64(days) / 5
	if setting == taxonomy.SettingHospital {
		if g.chance(0.4) {
			shift = pick(g, []taxonomy.Shift{taxonomy.ShiftNight, taxonomy.ShiftRotating, taxonomy.ShiftEvening})
		}
		days = 3 + g.r.IntN(2)
		fte = math.Min(1, float64(days*3)/10)
	}
	p.Schedule = jobs.Schedule{DaysPerWeek: days, Shift: shift, FTE: fte}
	g.setPay(p, ro, rn)
}

// setEnvironment draws the work-environment facts of p, each known with
// its own chance, and only where they exist: panels, scheduled visits and
// continuity in clinics (not in hospitals or walk-in urgent care), call
// but no medical assistants away from telehealth-only roles, and nurse
// ratios for nurses.
func (g *gen) setEnvironment(p *jobs.Position, ro role, rn bool, setting taxonomy.Setting) {
	e := &p.Environment
	clinic := setting == taxonomy.SettingOutpatientClinic || setting == taxonomy.SettingFQHC
	remote := setting == taxonomy.SettingTelehealthOnly
	if (clinic || remote) && !rn {
		e.PanelSize = known(g, 0.75, int(math.Round(g.normal(2200, 450, 800, 3500)/50)*50))
		e.VisitMinutesNew = known(g, 0.7, pick(g, []int{30, 40, 45, 60}))
		e.VisitMinutesFollowUp = known(g, 0.8, pick(g, []int{15, 15, 20, 20, 20, 30, 40}))
		e.ContinuityRate = known(g, 0.5, math.Round(g.normal(65, 15, 20, 95)))
		e.ContinuityModel = known(g, 0.6, pick(g, []taxonomy.ContinuityModel{taxonomy.ContinuityAssignedPanel, taxonomy.ContinuityTeamBased, taxonomy.ContinuityNone}))
		e.InboxMessagesPerWeek = known(g, 0.4, int(g.normal(150, 60, 20, 600)))
	}
	switch {
	case remote:
		e.TelehealthPct = known(g, 0.5, 100.0)
	case clinic && !rn:
		e.TelehealthPct = known(g, 0.6, math.Round(g.normal(15, 12, 0, 80)))
	}
	e.PatientsPerDay = known(g, 0.6, int(g.normal(19, 4, 6, 35)))
	e.EHR = known(g, 0.85, pick(g, ehrs))
	if !remote {
		e.MAsPerClinician = known(g, 0.5, pick(g, []float64{0.5, 1, 1, 1.5, 2}))
	}
	e.Scribe = known(g, 0.6, g.chance(0.35))
	if setting != taxonomy.SettingUrgentCare && !remote {
		e.CallOneInN = known(g, 0.7, pick(g, []int{0, 0, 4, 5, 6, 8, 10}))
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

// setWants draws the employer's wants of p, after its environment: a
// minimum of experience (never a trivial zero), board certification for
// physicians, the EHR and the patients' language, and for one position in
// six a must-have among them.
func (g *gen) setWants(p *jobs.Position, rn bool) {
	e := &p.Environment
	w := &p.Wants
	w.MinYears = known(g, 0.5, 1+g.r.IntN(5))
	w.BoardCertRequired = known(g, 0.4, !rn && g.chance(0.6))
	if e.EHR != nil && g.chance(0.3) {
		w.EHRExperienceWanted = []taxonomy.EHR{*e.EHR}
	}
	if len(e.LanguagesNeeded) > 0 && g.chance(0.5) {
		w.LanguagesWanted = e.LanguagesNeeded
	}
	if !g.chance(1.0 / 6) {
		return
	}
	switch {
	case w.BoardCertRequired != nil && *w.BoardCertRequired:
		w.MustHave = []factor.Name{factor.BoardCertification}
	case len(w.LanguagesWanted) > 0:
		w.MustHave = []factor.Name{factor.Languages}
	case w.MinYears != nil:
		w.MustHave = []factor.Name{factor.Experience}
	}
}

// setLifecycle moves some positions out of the open state, so that every
// state of the lifecycle is seen: 6 % drafts, 5 % filled, 5 % closed, and
// 4 % open but expired a few weeks ago (Load stores those as they were
// when posted, postedAt).
func (g *gen) setLifecycle(p *jobs.Position) {
	switch x := g.r.Float64(); {
	case x < 0.06:
		p.Status = jobs.StatusDraft
	case x < 0.11:
		p.Status = jobs.StatusFilled
	case x < 0.16:
		p.Status = jobs.StatusClosed
	case x < 0.20:
		expired := g.now.AddDate(0, 0, -1-g.r.IntN(30))
		p.ExpiresAt = &expired
		p.StartDate = expired.AddDate(0, 0, 14).Truncate(24 * time.Hour)
	}
}

// postedAt is when a position was written: now, except for a position
// already expired at now, which was posted while it was listed, 60 days
// before it lapsed.
func postedAt(p jobs.Position, now time.Time) time.Time {
	if p.ExpiresAt != nil && !p.ExpiresAt.After(now) {
		return p.ExpiresAt.AddDate(0, 0, -60)
	}
	return now
}
