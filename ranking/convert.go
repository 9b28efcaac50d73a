// Package ranking serves the ranked lists: the eligible clinicians for a
// position ranked by mutual fit, and the open positions that fit a
// clinician. It keeps every clinician's and position's fit features in
// memory (match.Index), loaded from Postgres and kept fresh by following
// the outbox, so a ranking is computed by the fit engine over the whole
// eligible set — never over a first page of search hits. Meilisearch only
// narrows that set by free text. The package reads through the small
// interfaces in sources.go and imports no database driver; package
// rankingdb adapts the Postgres stores and the outbox to them.
package ranking

import (
	"carefit/candidates"
	"carefit/internal/kit/factor"
	"carefit/jobs"
	"carefit/match"
)

// factorMap maps the API's factor names, in which clinicians state
// importance and organizations override weights, to the engine's finer
// factors.
var factorMap = map[factor.Name][]match.Factor{
	factor.PanelSize:          {match.FactorPanel},
	factor.VisitLength:        {match.FactorVisitNew, match.FactorVisitFollowUp},
	factor.PatientsPerDay:     {match.FactorPatientsPerDay},
	factor.Continuity:         {match.FactorContinuity, match.FactorContinuityModel},
	factor.EHR:                {match.FactorEHR},
	factor.Inbox:              {match.FactorInbox},
	factor.Support:            {match.FactorMAs, match.FactorScribe},
	factor.PatientsPerNurse:   {match.FactorNurseRatio},
	factor.Telehealth:         {match.FactorTelehealth},
	factor.Call:               {match.FactorCall},
	factor.Schedule:           {match.FactorDays, match.FactorShift, match.FactorFTE},
	factor.Pay:                {match.FactorPay},
	factor.Place:              {match.FactorCommute},
	factor.Setting:            {match.FactorSetting},
	factor.Population:         {match.FactorPopulation},
	factor.CareModel:          {match.FactorCareModel},
	factor.Experience:         {match.FactorExperience},
	factor.BoardCertification: {match.FactorBoardCert},
	factor.Languages:          {match.FactorLanguages},
	factor.EHRExperience:      {match.FactorEHRExperience},
}

// FactorName is the API name of an engine factor, for explanations.
func FactorName(f match.Factor) factor.Name {
	for n, fs := range factorMap {
		for _, x := range fs {
			if x == f {
				return n
			}
		}
	}
	return factor.Name(f.String())
}

func ptr[T any](v T) *T { return &v }

func intToFloat(p *int) *float64 {
	if p == nil {
		return nil
	}
	return ptr(float64(*p))
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func strs[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

func conv[U ~string, T ~string](in []T) []U {
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = U(v)
	}
	return out
}

// FromPosition converts a position and its organization (for the
// location and the weight overrides) into the engine's view.
func FromPosition(p jobs.Position, org jobs.Organization) match.Position {
	mp := match.Position{
		ID: p.ID, OrgID: p.OrgID, Status: match.Status(p.Status), StartDate: p.StartDate,
		Credentials: conv[match.Credential](p.Credentials), Taxonomies: p.Taxonomies,
		LicenceStates: p.LicenceStates, EmploymentType: match.EmploymentType(p.EmploymentType),
		DaysPerWeek: ptr(p.Schedule.DaysPerWeek), Shift: match.Shift(p.Schedule.Shift), FTE: ptr(p.Schedule.FTE),
		PayMin: ptr(p.Pay.Min), PayMax: ptr(p.Pay.Max), PayPeriod: match.PayPeriod(p.Pay.Period),
	}
	if p.ExpiresAt != nil {
		mp.ExpiresAt = *p.ExpiresAt
	}
	if loc, ok := org.Location(p.LocationID); ok {
		mp.State = loc.State
		mp.Location = &match.Point{Lat: loc.Lat, Lng: loc.Lng}
	}
	e := p.Environment
	mp.PanelSize, mp.VisitMinutesNew, mp.VisitMinutesFollowUp = e.PanelSize, e.VisitMinutesNew, e.VisitMinutesFollowUp
	mp.PatientsPerDay, mp.ContinuityRate = e.PatientsPerDay, e.ContinuityRate
	mp.ContinuityModel = match.ContinuityModel(deref(e.ContinuityModel))
	mp.EHR = match.EHR(deref(e.EHR))
	mp.InboxPerWeek, mp.MAsPerClinician, mp.Scribe = e.InboxMessagesPerWeek, e.MAsPerClinician, e.Scribe
	mp.TelehealthPct, mp.CallOneInN = e.TelehealthPct, e.CallOneInN
	mp.Setting, mp.Population = match.Setting(deref(e.Setting)), match.Population(deref(e.Population))
	mp.LanguagesNeeded, mp.TeamBasedCare = strs(e.LanguagesNeeded), e.TeamBasedCare
	mp.PatientsPerNurse = intToFloat(e.PatientsPerNurse)
	w := p.Wants
	mp.MinYears, mp.BoardCertRequired = intToFloat(w.MinYears), deref(w.BoardCertRequired)
	mp.LanguagesWanted = strs(w.LanguagesWanted)
	mp.EHRExperienceWanted = conv[match.EHR](w.EHRExperienceWanted)
	for _, name := range w.MustHave {
		mp.MustHave = append(mp.MustHave, factorMap[name]...)
	}
	if len(org.WeightOverrides) > 0 {
		mp.Weights = map[match.Factor]float64{}
		for name, v := range org.WeightOverrides {
			for _, f := range factorMap[name] {
				mp.Weights[f] = v * match.DefaultWeight(f)
			}
		}
	}
	return mp
}

// FromProfile converts a clinician profile into the engine's view. Name,
// contact details and every other identifying or protected attribute are
// left out: the fit never sees them.
func FromProfile(p candidates.Profile) match.Clinician {
	c := match.Clinician{
		ID: p.ID, Credential: match.Credential(p.Credential), Taxonomies: p.Taxonomies,
		Years: ptr(float64(p.YearsExperience)), BoardCertified: ptr(len(p.BoardCertifications) > 0),
		Languages: strs(p.Languages), EHRsUsed: conv[match.EHR](p.EHRsUsed), EHRsAvoid: conv[match.EHR](p.EHRsAvoid),
		Home: &match.Point{Lat: p.Home.Lat, Lng: p.Home.Lng}, MaxCommuteMiles: float64(p.MaxCommuteMiles),
		WillingStates: p.WillingToMoveStates, AvailableFrom: p.AvailableFrom,
		EmploymentTypes: conv[match.EmploymentType](p.EmploymentTypes),
		MaxDaysPerWeek:  p.Schedule.MaxDaysPerWeek, Shifts: conv[match.Shift](p.Schedule.Shifts),
		FTEMin: p.Schedule.FTEMin, FTEMax: p.Schedule.FTEMax,
		PayFloorAnnual: p.PayFloor.Annual, PayFloorHourly: p.PayFloor.Hourly,
	}
	for _, l := range p.Licences {
		c.Licences = append(c.Licences, match.Licence{State: l.State, Expires: l.Expires, Multistate: l.Multistate})
	}
	w := p.Wishes
	c.PanelMax, c.VisitMinNew, c.VisitMinFollowUp, c.PatientsPerDayMax = w.PanelMax, w.VisitMinNew, w.VisitMinFollowUp, w.PatientsPerDayMax
	c.ContinuityMin, c.InboxMax, c.MAsMin = w.ContinuityMin, w.InboxMax, w.MAsMin
	if len(w.ContinuityModels) > 0 {
		c.ContinuityModel = match.ContinuityModel(w.ContinuityModels[0])
	}
	c.ScribeWanted = deref(w.ScribeWanted)
	c.PatientsPerNurseMax = intToFloat(w.PatientsPerNurseMax)
	c.TelehealthMin, c.TelehealthMax = w.TelehealthMin, w.TelehealthMax
	c.CallMaxOneInN = w.CallMaxOneInN
	if deref(w.NoCall) {
		c.CallMaxOneInN = ptr(0)
	}
	c.Settings = conv[match.Setting](w.Settings)
	c.Populations = conv[match.Population](w.Populations)
	c.TeamBasedWanted = w.TeamBasedWanted
	packFacts(&c)
	if len(p.Importance) > 0 {
		c.Importance = map[match.Factor]int{}
		for name, v := range p.Importance {
			for _, f := range factorMap[name] {
				c.Importance[f] = v
			}
		}
	}
	return c
}

// facts holds the values of a clinician's stated facts and wishes in one
// allocation: the feature store keeps every clinician for as long as it
// runs, and a pointer to each value on its own (as decoded) cost the
// collector up to twenty objects a clinician on every cycle.
type facts struct {
	years, fteMin, fteMax, payAnnual, payHourly, continuity, mas, perNurse, teleMin, teleMax float64
	maxDays, panel, visitNew, visitFollowUp, perDay, inbox, call                             int
	board, teamBased                                                                         bool
	home                                                                                     match.Point
}

// packFacts moves c's stated values into one facts and points c at it.
func packFacts(c *match.Clinician) {
	v := new(facts)
	move := func(dst **float64, slot *float64) {
		if *dst != nil {
			*slot = **dst
			*dst = slot
		}
	}
	moveInt := func(dst **int, slot *int) {
		if *dst != nil {
			*slot = **dst
			*dst = slot
		}
	}
	moveBool := func(dst **bool, slot *bool) {
		if *dst != nil {
			*slot = **dst
			*dst = slot
		}
	}
	move(&c.Years, &v.years)
	move(&c.FTEMin, &v.fteMin)
	move(&c.FTEMax, &v.fteMax)
	move(&c.PayFloorAnnual, &v.payAnnual)
	move(&c.PayFloorHourly, &v.payHourly)
	move(&c.ContinuityMin, &v.continuity)
	move(&c.MAsMin, &v.mas)
	move(&c.PatientsPerNurseMax, &v.perNurse)
	move(&c.TelehealthMin, &v.teleMin)
	move(&c.TelehealthMax, &v.teleMax)
	moveInt(&c.MaxDaysPerWeek, &v.maxDays)
	moveInt(&c.PanelMax, &v.panel)
	moveInt(&c.VisitMinNew, &v.visitNew)
	moveInt(&c.VisitMinFollowUp, &v.visitFollowUp)
	moveInt(&c.PatientsPerDayMax, &v.perDay)
	moveInt(&c.InboxMax, &v.inbox)
	moveInt(&c.CallMaxOneInN, &v.call)
	moveBool(&c.BoardCertified, &v.board)
	moveBool(&c.TeamBasedWanted, &v.teamBased)
	if c.Home != nil {
		v.home = *c.Home
		c.Home = &v.home
	}
}
