package candidates

import (
	"time"

	"carefit/internal/kit/check"
	"carefit/internal/kit/errs"
	"carefit/internal/kit/factor"
	"carefit/internal/kit/geo"
	"carefit/internal/kit/taxonomy"
)

// Limits on a profile. They are generous bounds that catch typos and abuse.
const (
	MaxTaxonomies   = 20
	MaxLanguages    = 20
	MaxEHRs         = 8
	MaxLicences     = 60
	MaxBoardCerts   = 20
	MaxStates       = 56
	MaxCommuteMiles = 500
	MaxYears        = 60
	// MaxImportance is the largest importance: 0 to 3 weigh a factor and
	// MustHave marks it a must-have.
	MaxImportance = MustHave
	// MustHave is the importance of a must-have wish: a position that
	// misses it by one fall-off width or more is not offered, and the
	// explanation names the must-have (package match). Place cannot be a
	// must-have: the commute and the states to move to are already rules.
	MustHave          = 4
	MaxHourlyPayFloor = 1000.0
	MaxAnnualPayFloor = 5_000_000.0
)

// Length caps, in characters (runes).
const (
	maxNameLen      = 200
	maxEmailLen     = 254
	maxLicenceNoLen = 40
)

// latestDate bounds expiry and availability dates; later dates are typos.
var latestDate = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)

// Validate checks every field of the profile. now is unused by today's rules
// but taken for symmetry with jobs and for future date rules (expired
// licences are allowed: they are kept as history and ignored by
// eligibility). It returns an Invalid *errs.Error listing every problem, or
// nil.
func (p Profile) Validate(now time.Time) error {
	_ = now
	var ve errs.Validation
	check.ID(&ve, "id", p.ID, false)
	check.Text(&ve, "name.given", p.Name.Given, maxNameLen, true, false)
	check.Text(&ve, "name.family", p.Name.Family, maxNameLen, false, false)
	if !ValidEmail(p.Contact.Email) {
		ve.Add("contact.email", "must be an email address like name@example.org (at most %d characters)", maxEmailLen)
	}
	if p.Contact.Phone != "" && !ValidPhone(p.Contact.Phone) {
		ve.Add("contact.phone", "must be in E.164 form like +14155550123")
	}

	credOK := p.Credential.Valid()
	if !credOK {
		ve.Add("credential", "must be one of %v, got %q", taxonomy.Credentials(), p.Credential)
	}
	switch {
	case p.NPI == "" && credOK && p.Credential != taxonomy.RN:
		ve.Add("npi", "is required for %s", p.Credential)
	case p.NPI != "" && !ValidNPI(p.NPI):
		ve.Add("npi", "must be a valid 10-digit NPI (starts with 1 or 2, check digit per CMS)")
	}
	p.validateTaxonomies(&ve, credOK)
	p.validateBoardCerts(&ve, credOK)
	p.validateLicences(&ve)

	if p.YearsExperience < 0 || p.YearsExperience > MaxYears {
		ve.Add("years_experience", "must be between 0 and %d, got %d", MaxYears, p.YearsExperience)
	}
	check.Enum(&ve, "languages", p.Languages, MaxLanguages)
	check.Enum(&ve, "ehrs_used", p.EHRsUsed, MaxEHRs)
	check.Enum(&ve, "ehrs_avoid", p.EHRsAvoid, MaxEHRs)
	for i, e := range p.EHRsAvoid {
		for _, u := range p.EHRsUsed {
			if e == u {
				ve.Add(check.Indexed("ehrs_avoid", i), "%s is also in ehrs_used", e)
			}
		}
	}

	ve.Merge("home", p.Home.Validate())
	if p.MaxCommuteMiles < 0 || p.MaxCommuteMiles > MaxCommuteMiles {
		ve.Add("max_commute_miles", "must be between 0 and %d, got %d", MaxCommuteMiles, p.MaxCommuteMiles)
	}
	check.States(&ve, "willing_to_move_states", p.WillingToMoveStates, MaxStates)
	checkDate(&ve, "available_from", p.AvailableFrom)
	if len(p.EmploymentTypes) == 0 {
		ve.Add("employment_types", "must list at least one employment type")
	}
	check.Enum(&ve, "employment_types", p.EmploymentTypes, len(taxonomy.EmploymentTypes()))
	ve.Merge("schedule", p.Schedule.Validate())
	ve.Merge("pay_floor", p.PayFloor.Validate())
	ve.Merge("wishes", p.Wishes.validate(p.Credential))
	for name, v := range p.Importance {
		field := "importance." + string(name)
		switch {
		case !name.Valid():
			ve.Add(field, "unknown fit factor %q", name)
		case name.SideOf() != factor.Clinician:
			ve.Add(field, "is an employer-side factor; clinicians rank only their own wishes")
		case v < 0 || v > MaxImportance:
			ve.Add(field, "must be between 0 and %d (%d marks a must-have), got %d", MaxImportance, MustHave, v)
		case v == MustHave && name == factor.Place:
			ve.Add(field, "cannot be a must-have: the commute limit and the states you would move to are already rules")
		}
	}
	if p.Version < 0 {
		ve.Add("version", "must not be negative")
	}
	return ve.Err()
}

func (p Profile) validateTaxonomies(ve *errs.Validation, credOK bool) {
	if len(p.Taxonomies) == 0 {
		ve.Add("taxonomies", "must list at least one taxonomy code")
	}
	check.List(ve, "taxonomies", p.Taxonomies, MaxTaxonomies)
	for i, code := range p.Taxonomies {
		checkCode(ve, check.Indexed("taxonomies", i), code, p.Credential, credOK)
	}
}

// checkCode checks that code is supported and, when the credential is
// valid, applies to it.
func checkCode(ve *errs.Validation, field, code string, cred taxonomy.Credential, credOK bool) {
	c, ok := taxonomy.Lookup(code)
	switch {
	case !ok:
		ve.Add(field, "unsupported NUCC taxonomy code %q", code)
	case credOK && !taxonomy.AppliesTo(code, cred):
		ve.Add(field, "%s (%s) is for %v, not %s", code, c.Name, c.Credentials, cred)
	}
}

func (p Profile) validateBoardCerts(ve *errs.Validation, credOK bool) {
	if len(p.BoardCertifications) > MaxBoardCerts {
		ve.Add("board_certifications", "must have at most %d entries, got %d", MaxBoardCerts, len(p.BoardCertifications))
	}
	for i, b := range p.BoardCertifications {
		field := check.Indexed("board_certifications", i)
		check.Text(ve, field+".board", b.Board, maxNameLen, true, false)
		checkCode(ve, field+".specialty", b.Specialty, p.Credential, credOK)
		if b.Expires != nil {
			checkDate(ve, field+".expires", *b.Expires)
		}
	}
}

func (p Profile) validateLicences(ve *errs.Validation) {
	if len(p.Licences) > MaxLicences {
		ve.Add("licences", "must have at most %d entries, got %d", MaxLicences, len(p.Licences))
	}
	type key struct{ state, number string }
	seen := map[key]bool{}
	for i, l := range p.Licences {
		field := check.Indexed("licences", i)
		check.State(ve, field+".state", l.State)
		if !ValidLicenceNumber(l.Number) {
			ve.Add(field+".number", "must be 1 to %d letters, digits or hyphens", maxLicenceNoLen)
		}
		checkDate(ve, field+".expires", l.Expires)
		if l.Multistate {
			switch {
			case p.Credential != taxonomy.RN:
				ve.Add(field+".multistate", "only RN licences can be multistate")
			case !geo.NLC.Has(l.State):
				ve.Add(field+".multistate", "%s is not a Nurse Licensure Compact state", l.State)
			}
		}
		k := key{l.State, l.Number}
		if seen[k] {
			ve.Add(field, "duplicates an earlier licence")
		}
		seen[k] = true
	}
}

// Validate checks the home location. It returns an Invalid *errs.Error or nil.
func (h Home) Validate() error {
	var ve errs.Validation
	check.FloatRange(&ve, "lat", &h.Lat, -90, 90)
	check.FloatRange(&ve, "lng", &h.Lng, -180, 180)
	if h.Lat == 0 && h.Lng == 0 {
		ve.Add("lat", "coordinates 0,0 are missing, not a US location")
	}
	check.State(&ve, "state", h.State)
	check.PostalCode(&ve, "postal_code", h.PostalCode)
	return ve.Err()
}

// Validate checks the schedule wish. It returns an Invalid *errs.Error or nil.
func (s ScheduleWish) Validate() error {
	var ve errs.Validation
	check.IntRange(&ve, "max_days_per_week", s.MaxDaysPerWeek, 1, 7)
	check.Enum(&ve, "shifts", s.Shifts, len(taxonomy.Shifts()))
	check.FloatRange(&ve, "fte_min", s.FTEMin, 0.1, 1.0)
	check.FloatRange(&ve, "fte_max", s.FTEMax, 0.1, 1.0)
	if s.FTEMin != nil && s.FTEMax != nil && *s.FTEMin > *s.FTEMax {
		ve.Add("fte_min", "must not exceed fte_max (%g > %g)", *s.FTEMin, *s.FTEMax)
	}
	return ve.Err()
}

// Validate checks the pay floor. It returns an Invalid *errs.Error or nil.
func (f PayFloor) Validate() error {
	var ve errs.Validation
	check.FloatRange(&ve, "annual", f.Annual, 0, MaxAnnualPayFloor)
	check.FloatRange(&ve, "hourly", f.Hourly, 0, MaxHourlyPayFloor)
	return ve.Err()
}

// validate checks ranges, that ranges are ordered, and that nurse-only
// wishes come from nurses.
func (w Wishes) validate(cred taxonomy.Credential) error {
	var ve errs.Validation
	check.Enum(&ve, "continuity_models", w.ContinuityModels, len(taxonomy.ContinuityModels()))
	check.IntRange(&ve, "panel_max", w.PanelMax, 0, 6000)
	check.IntRange(&ve, "visit_min_new", w.VisitMinNew, 5, 120)
	check.IntRange(&ve, "visit_min_follow_up", w.VisitMinFollowUp, 5, 120)
	check.IntRange(&ve, "patients_per_day_max", w.PatientsPerDayMax, 0, 80)
	check.FloatRange(&ve, "continuity_min", w.ContinuityMin, 0, 100)
	check.IntRange(&ve, "inbox_max", w.InboxMax, 0, 2000)
	check.FloatRange(&ve, "mas_min", w.MAsMin, 0, 10)
	check.FloatRange(&ve, "telehealth_min", w.TelehealthMin, 0, 100)
	check.FloatRange(&ve, "telehealth_max", w.TelehealthMax, 0, 100)
	if w.TelehealthMin != nil && w.TelehealthMax != nil && *w.TelehealthMin > *w.TelehealthMax {
		ve.Add("telehealth_min", "must not exceed telehealth_max (%g > %g)", *w.TelehealthMin, *w.TelehealthMax)
	}
	check.IntRange(&ve, "call_max_one_in_n", w.CallMaxOneInN, 1, 30)
	if w.NoCall != nil && *w.NoCall && w.CallMaxOneInN != nil {
		ve.Add("call_max_one_in_n", "must be unset when no_call is true")
	}
	check.Enum(&ve, "settings", w.Settings, len(taxonomy.Settings()))
	check.Enum(&ve, "populations", w.Populations, len(taxonomy.Populations()))
	check.IntRange(&ve, "patients_per_nurse_max", w.PatientsPerNurseMax, 1, 20)
	if w.PatientsPerNurseMax != nil && cred != taxonomy.RN {
		ve.Add("patients_per_nurse_max", "applies only to RN profiles")
	}
	return ve.Err()
}

func checkDate(ve *errs.Validation, field string, t time.Time) {
	switch {
	case t.IsZero():
		ve.Add(field, "is required")
	case t.Before(check.EarliestDate):
		ve.Add(field, "must not be before 2000-01-01")
	case !t.Before(latestDate):
		ve.Add(field, "must be before 2100-01-01")
	}
}
