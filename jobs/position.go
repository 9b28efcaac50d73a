package jobs

import (
	"slices"
	"time"

	"carefit/internal/kit/errs"
	"carefit/internal/kit/factor"
	"carefit/internal/kit/taxonomy"
)

// PayPeriod says whether pay amounts are per year or per hour.
type PayPeriod string

// Pay periods.
const (
	PayAnnual PayPeriod = "annual"
	PayHourly PayPeriod = "hourly"
)

// Valid reports whether p is a known pay period.
func (p PayPeriod) Valid() bool { return p == PayAnnual || p == PayHourly }

// CurrencyUSD is the only currency supported; positions are in the US.
const CurrencyUSD = "USD"

// Position is an opening at one location of an organisation.
//
// Work-environment facts (Environment) and employer wants (Wants) are
// optional: a nil pointer means unknown, which is shown as unknown and is
// distinct from a known zero (a panel of 0, no call). In Postgres,
// Schedule, Pay, Environment and Wants fit JSONB columns (or flattened
// columns with NULL for unknown).
type Position struct {
	// ID is a UUID assigned by the store; empty on create.
	ID          string `json:"id"`
	OrgID       string `json:"org_id"`
	LocationID  string `json:"location_id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	// Credentials are the credentials accepted, e.g. [MD, DO].
	Credentials []taxonomy.Credential `json:"credentials"`
	// Taxonomies are the accepted NUCC codes; each must be supported and
	// apply to one of Credentials.
	Taxonomies []string `json:"taxonomies"`
	// LicenceStates are the states where a licence is needed; ApplyDefaults
	// sets it to the location's state when empty.
	LicenceStates  []string                `json:"licence_states"`
	EmploymentType taxonomy.EmploymentType `json:"employment_type"`
	// StartDate is the first day of work; only the date part matters.
	StartDate time.Time `json:"start_date"`
	// DurationWeeks is required for locum tenens and travel positions and
	// must be unset otherwise.
	DurationWeeks *int     `json:"duration_weeks"`
	Schedule      Schedule `json:"schedule"`
	Pay           Pay      `json:"pay"`
	Headcount     int      `json:"headcount"`
	// Status is changed only through Transition, never by PATCH.
	Status Status `json:"status"`
	// ExpiresAt is when an open position stops being listed; required
	// while open.
	ExpiresAt   *time.Time  `json:"expires_at"`
	Environment Environment `json:"environment"`
	Wants       Wants       `json:"wants"`
	// Version increases on every update and is the ETag.
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Schedule is the working pattern a position offers.
type Schedule struct {
	DaysPerWeek int            `json:"days_per_week"`
	Shift       taxonomy.Shift `json:"shift"`
	// FTE is the full-time equivalent, 0.1 to 1.0.
	FTE float64 `json:"fte"`
}

// Pay is the pay range a position states up front, in whole currency units
// (dollars) per Period.
type Pay struct {
	Min      float64   `json:"min"`
	Max      float64   `json:"max"`
	Period   PayPeriod `json:"period"`
	Currency string    `json:"currency"`
}

// Environment holds the work-environment facts of a position; every field
// is optional and nil means unknown.
type Environment struct {
	// PanelSize is patients assigned to one full-time clinician, 0 to 6000.
	PanelSize *int `json:"panel_size"`
	// VisitMinutesNew and VisitMinutesFollowUp are scheduled visit lengths,
	// 5 to 120.
	VisitMinutesNew      *int `json:"visit_minutes_new"`
	VisitMinutesFollowUp *int `json:"visit_minutes_follow_up"`
	// PatientsPerDay is the usual number of patients seen a day, 0 to 80.
	PatientsPerDay *int `json:"patients_per_day"`
	// ContinuityRate is the percentage of visits with the patient's own
	// clinician, 0 to 100.
	ContinuityRate  *float64                  `json:"continuity_rate"`
	ContinuityModel *taxonomy.ContinuityModel `json:"continuity_model"`
	EHR             *taxonomy.EHR             `json:"ehr"`
	// InboxMessagesPerWeek is per clinician, 0 to 2000.
	InboxMessagesPerWeek *int `json:"inbox_messages_per_week"`
	// MAsPerClinician is medical assistants per clinician, 0 to 10.
	MAsPerClinician *float64 `json:"mas_per_clinician"`
	// Scribe is whether a scribe or ambient documentation is provided.
	Scribe *bool `json:"scribe"`
	// TelehealthPct is the percentage of visits by video or phone, 0 to 100.
	TelehealthPct *float64 `json:"telehealth_pct"`
	// CallOneInN is night/weekend call 1 in N (1 to 30); 0 means no call.
	CallOneInN *int                 `json:"call_one_in_n"`
	Setting    *taxonomy.Setting    `json:"setting"`
	Population *taxonomy.Population `json:"population"`
	// LanguagesNeeded are languages patients need; empty means none stated.
	LanguagesNeeded      []taxonomy.Language `json:"languages_needed"`
	TeamBasedCare        *bool               `json:"team_based_care"`
	SharedDecisionMaking *bool               `json:"shared_decision_making"`
	// CollaborativePractice is whether NPs and PAs work under a
	// collaborative practice agreement; only for positions accepting NP or
	// PA.
	CollaborativePractice *bool `json:"collaborative_practice"`
	// PatientsPerNurse is the nurse-to-patient ratio, 1 to 20; only for
	// positions accepting RN.
	PatientsPerNurse *int `json:"patients_per_nurse"`
}

// Wants are what the employer looks for in a clinician; every field is
// optional and nil or empty means no preference.
type Wants struct {
	// MinYears is the minimum years of experience, 0 to 60.
	MinYears            *int                `json:"min_years"`
	BoardCertRequired   *bool               `json:"board_cert_required"`
	LanguagesWanted     []taxonomy.Language `json:"languages_wanted"`
	EHRExperienceWanted []taxonomy.EHR      `json:"ehr_experience_wanted"`
	// MustHave lists the wants the position requires, by employer-side
	// factor name: a clinician who misses one by one fall-off width or
	// more (under the minimum years by more than two, not certified, fewer
	// than half of the languages, none of the EHRs) is not offered it.
	// Each must name a want the position states.
	MustHave []factor.Name `json:"must_have"`
}

// ApplyDefaults fills fields whose default depends on the organisation: the
// licence states default to the location's state, and the currency to USD.
// It returns an Invalid *errs.Error when the position names another
// organisation or a location that is not one of org's.
func (p *Position) ApplyDefaults(org Organization) error {
	var ve errs.Validation
	if p.OrgID != org.ID {
		ve.Add("org_id", "does not match the organisation %s", org.ID)
	}
	loc, ok := org.Location(p.LocationID)
	if !ok {
		ve.Add("location_id", "is not a location of the organisation")
	}
	if err := ve.Err(); err != nil {
		return err
	}
	if len(p.LicenceStates) == 0 {
		p.LicenceStates = []string{loc.State}
	}
	if p.Pay.Currency == "" {
		p.Pay.Currency = CurrencyUSD
	}
	return nil
}

// Accepts reports whether the position accepts credential c.
func (p Position) Accepts(c taxonomy.Credential) bool { return slices.Contains(p.Credentials, c) }

// Check applies the defaults of org (when found) to p and validates p at
// now, as every write of a position does, listing each field's problem
// once; an organisation that was not found is a problem of org_id. It
// returns p's location in org, and an Invalid *errs.Error listing the
// problems.
func (p *Position) Check(org Organization, found bool, now time.Time) (Location, error) {
	var ve errs.Validation
	var loc Location
	if found {
		ve.Merge("", p.ApplyDefaults(org))
		loc, _ = org.Location(p.LocationID)
	} else {
		ve.Add("org_id", "no such organisation")
	}
	for _, f := range errs.Fields(p.Validate(now)) {
		if !ve.Has(f.Path) {
			ve.Fields = append(ve.Fields, f)
		}
	}
	return loc, ve.Err()
}

// PositionVersion is one stored state of a position.
type PositionVersion struct {
	Version   int       `json:"version"`
	Position  Position  `json:"position"`
	ChangedAt time.Time `json:"changed_at"`
	// ChangedByKey is the API key that made the change; empty for system
	// changes.
	ChangedByKey string `json:"changed_by_key"`
}
