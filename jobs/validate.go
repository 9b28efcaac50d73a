package jobs

import (
	"fmt"
	"slices"
	"time"

	"carefit/internal/kit/check"
	"carefit/internal/kit/errs"
	"carefit/internal/kit/factor"
	"carefit/internal/kit/taxonomy"
)

// Length caps, in characters (runes).
const (
	maxNameLen        = 200
	maxTitleLen       = 200
	maxDescriptionLen = 10000
	maxAddressLen     = 200
)

// Limits on a position. They are generous bounds that catch typos and
// abuse, not policy.
const (
	MaxCredentials   = 5
	MaxTaxonomies    = 20
	MaxLanguages     = 20
	MaxEHRs          = 8
	MaxLicenceStates = 56
	MaxHeadcount     = 1000
	MaxDurationWeeks = 260
	MaxHourlyPay     = 1000.0
	MaxAnnualPay     = 5_000_000.0
	// MaxStartAhead is how far in the future a start date may be.
	MaxStartAhead = 5 * 366 * 24 * time.Hour
)

// Validate checks every field of the position at time now (injected so
// tests are deterministic). Call ApplyDefaults first. It returns an
// Invalid *errs.Error listing every problem, or nil.
func (p Position) Validate(now time.Time) error {
	var ve errs.Validation
	check.ID(&ve, "id", p.ID, false)
	check.ID(&ve, "org_id", p.OrgID, true)
	check.ID(&ve, "location_id", p.LocationID, true)
	check.Text(&ve, "title", p.Title, maxTitleLen, true, false)
	check.Text(&ve, "description", p.Description, maxDescriptionLen, false, true)

	if len(p.Credentials) == 0 {
		ve.Add("credentials", "must accept at least one credential")
	}
	check.Enum(&ve, "credentials", p.Credentials, MaxCredentials)
	p.validateTaxonomies(&ve)

	if len(p.LicenceStates) == 0 {
		ve.Add("licence_states", "must list at least one state")
	}
	check.States(&ve, "licence_states", p.LicenceStates, MaxLicenceStates)

	if !p.EmploymentType.Valid() {
		ve.Add("employment_type", "must be one of %v, got %q", taxonomy.EmploymentTypes(), p.EmploymentType)
	}
	switch {
	case p.EmploymentType.Temporary() && p.DurationWeeks == nil:
		ve.Add("duration_weeks", "is required for %s positions", p.EmploymentType)
	case !p.EmploymentType.Temporary() && p.DurationWeeks != nil:
		ve.Add("duration_weeks", "applies only to locum_tenens and travel positions")
	default:
		check.IntRange(&ve, "duration_weeks", p.DurationWeeks, 1, MaxDurationWeeks)
	}
	switch {
	case p.StartDate.IsZero():
		ve.Add("start_date", "is required")
	case p.StartDate.Before(check.EarliestDate):
		ve.Add("start_date", "must not be before 2000-01-01")
	case p.StartDate.After(now.Add(MaxStartAhead)):
		ve.Add("start_date", "must be within 5 years of today")
	}

	ve.Merge("schedule", p.Schedule.Validate())
	ve.Merge("pay", p.Pay.Validate())
	if p.Headcount < 1 || p.Headcount > MaxHeadcount {
		ve.Add("headcount", "must be between 1 and %d, got %d", MaxHeadcount, p.Headcount)
	}

	if !p.Status.Valid() {
		ve.Add("status", "must be one of %v, got %q", statuses, p.Status)
	}
	switch {
	case p.ExpiresAt != nil && p.ExpiresAt.Before(check.EarliestDate):
		ve.Add("expires_at", "must not be before 2000-01-01")
	case p.Status == StatusOpen && p.ExpiresAt == nil:
		ve.Add("expires_at", "is required for an open position, so that it cannot go stale")
	case p.Status == StatusOpen && !p.ExpiresAt.After(now):
		ve.Add("expires_at", "must be in the future for an open position")
	}

	ve.Merge("environment", p.Environment.validate(p))
	ve.Merge("wants", p.Wants.Validate())
	if p.Version < 0 {
		ve.Add("version", "must not be negative")
	}
	return ve.Err()
}

func (p Position) validateTaxonomies(ve *errs.Validation) {
	if len(p.Taxonomies) == 0 {
		ve.Add("taxonomies", "must accept at least one taxonomy code")
	}
	check.List(ve, "taxonomies", p.Taxonomies, MaxTaxonomies)
	for i, code := range p.Taxonomies {
		field := fmt.Sprintf("taxonomies[%d]", i)
		c, ok := taxonomy.Lookup(code)
		if !ok {
			ve.Add(field, "unsupported NUCC taxonomy code %q", code)
			continue
		}
		applies := false
		for _, cr := range p.Credentials {
			applies = applies || taxonomy.AppliesTo(code, cr)
		}
		if !applies {
			ve.Add(field, "%s (%s) is for %v, not an accepted credential", code, c.Name, c.Credentials)
		}
	}
}

// Validate checks the schedule. It returns an Invalid *errs.Error or nil.
func (s Schedule) Validate() error {
	var ve errs.Validation
	if s.DaysPerWeek < 1 || s.DaysPerWeek > 7 {
		ve.Add("days_per_week", "must be between 1 and 7, got %d", s.DaysPerWeek)
	}
	if !s.Shift.Valid() {
		ve.Add("shift", "must be one of %v, got %q", taxonomy.Shifts(), s.Shift)
	}
	check.FloatRange(&ve, "fte", &s.FTE, 0.1, 1.0)
	return ve.Err()
}

// Validate checks the pay range: non-negative, min ≤ max, in USD, and
// plausible for the period (an annual salary entered as hourly is caught).
// It returns an Invalid *errs.Error or nil.
func (p Pay) Validate() error {
	var ve errs.Validation
	limit := MaxAnnualPay
	switch p.Period {
	case PayAnnual:
	case PayHourly:
		limit = MaxHourlyPay
	default:
		ve.Add("period", "must be annual or hourly, got %q", p.Period)
	}
	check.FloatRange(&ve, "min", &p.Min, 0, limit)
	check.FloatRange(&ve, "max", &p.Max, 0, limit)
	if p.Min > p.Max {
		ve.Add("min", "must not exceed max (%g > %g)", p.Min, p.Max)
	}
	if p.Currency != CurrencyUSD {
		ve.Add("currency", "must be USD, got %q", p.Currency)
	}
	return ve.Err()
}

// validate checks the facts' ranges and that credential-specific facts fit
// the position's credentials.
func (e Environment) validate(p Position) error {
	var ve errs.Validation
	check.IntRange(&ve, "panel_size", e.PanelSize, 0, 6000)
	check.IntRange(&ve, "visit_minutes_new", e.VisitMinutesNew, 5, 120)
	check.IntRange(&ve, "visit_minutes_follow_up", e.VisitMinutesFollowUp, 5, 120)
	check.IntRange(&ve, "patients_per_day", e.PatientsPerDay, 0, 80)
	check.FloatRange(&ve, "continuity_rate", e.ContinuityRate, 0, 100)
	check.EnumPtr(&ve, "continuity_model", e.ContinuityModel)
	check.EnumPtr(&ve, "ehr", e.EHR)
	check.IntRange(&ve, "inbox_messages_per_week", e.InboxMessagesPerWeek, 0, 2000)
	check.FloatRange(&ve, "mas_per_clinician", e.MAsPerClinician, 0, 10)
	check.FloatRange(&ve, "telehealth_pct", e.TelehealthPct, 0, 100)
	check.IntRange(&ve, "call_one_in_n", e.CallOneInN, 0, 30)
	check.EnumPtr(&ve, "setting", e.Setting)
	check.EnumPtr(&ve, "population", e.Population)
	check.Enum(&ve, "languages_needed", e.LanguagesNeeded, MaxLanguages)
	if e.CollaborativePractice != nil && !p.Accepts(taxonomy.NP) && !p.Accepts(taxonomy.PA) {
		ve.Add("collaborative_practice", "applies only to positions accepting NP or PA")
	}
	check.IntRange(&ve, "patients_per_nurse", e.PatientsPerNurse, 1, 20)
	if e.PatientsPerNurse != nil && !p.Accepts(taxonomy.RN) {
		ve.Add("patients_per_nurse", "applies only to positions accepting RN")
	}
	return ve.Err()
}

// Validate checks the employer's wants. It returns an Invalid *errs.Error or
// nil.
func (w Wants) Validate() error {
	var ve errs.Validation
	check.IntRange(&ve, "min_years", w.MinYears, 0, 60)
	check.Enum(&ve, "languages_wanted", w.LanguagesWanted, MaxLanguages)
	check.Enum(&ve, "ehr_experience_wanted", w.EHRExperienceWanted, MaxEHRs)
	for i, name := range w.MustHave {
		field := fmt.Sprintf("must_have[%d]", i)
		switch {
		case name.SideOf() != factor.Employer:
			ve.Add(field, "must be one of %v, got %q", factor.Names(factor.Employer), name)
		case slices.Contains(w.MustHave[:i], name):
			ve.Add(field, "repeats %q", name)
		case !w.states(name):
			ve.Add(field, "names %s, a want the position does not state", name)
		}
	}
	return ve.Err()
}

// states reports whether the wants state the want of employer-side
// factor n, so that it can be a must-have.
func (w Wants) states(n factor.Name) bool {
	switch n {
	case factor.Experience:
		return w.MinYears != nil && *w.MinYears > 0
	case factor.BoardCertification:
		return w.BoardCertRequired != nil && *w.BoardCertRequired
	case factor.Languages:
		return len(w.LanguagesWanted) > 0
	case factor.EHRExperience:
		return len(w.EHRExperienceWanted) > 0
	}
	return false
}
