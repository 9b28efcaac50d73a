package match

import "time"

// Credential is a clinician's licensed profession.
type Credential string

// Credentials the engine knows. Any other value never matches a position
// that lists its accepted credentials.
const (
	MD Credential = "MD"
	DO Credential = "DO"
	NP Credential = "NP"
	PA Credential = "PA"
	RN Credential = "RN"
)

// Status is where a position is in its lifecycle. Only open positions are
// ever eligible.
type Status string

// Position statuses.
const (
	StatusDraft  Status = "draft"
	StatusOpen   Status = "open"
	StatusFilled Status = "filled"
	StatusClosed Status = "closed"
)

// EmploymentType is the contract form of a position.
type EmploymentType string

// Employment types.
const (
	Permanent   EmploymentType = "permanent"
	LocumTenens EmploymentType = "locum_tenens"
	Travel      EmploymentType = "travel"
	PerDiem     EmploymentType = "per_diem"
)

// Shift is the part of the day a position is worked.
type Shift string

// Shifts.
const (
	ShiftDay      Shift = "day"
	ShiftEvening  Shift = "evening"
	ShiftNight    Shift = "night"
	ShiftRotating Shift = "rotating"
)

// PayPeriod says whether pay figures are annual salaries or hourly rates.
type PayPeriod string

// Pay periods. HoursPerYear converts between them.
const (
	Annual PayPeriod = "annual"
	Hourly PayPeriod = "hourly"
)

// HoursPerYear converts an hourly rate to an annual equivalent (40 hours ×
// 52 weeks) when a clinician states a floor in the other period.
const HoursPerYear = 2080

// ContinuityModel is how a practice organises who sees a patient.
type ContinuityModel string

// Continuity models.
const (
	AssignedPanel ContinuityModel = "assigned_panel"
	TeamBased     ContinuityModel = "team_based"
	NoContinuity  ContinuityModel = "none"
)

// EHR is an electronic health record product family.
type EHR string

// EHRs the engine distinguishes; anything else is EHROther.
const (
	Epic           EHR = "epic"
	OracleHealth   EHR = "oracle_health"
	Athenahealth   EHR = "athenahealth"
	EClinicalWorks EHR = "eclinicalworks"
	NextGen        EHR = "nextgen"
	Meditech       EHR = "meditech"
	Veradigm       EHR = "veradigm"
	EHROther       EHR = "other"
)

// Setting is the kind of place a position is worked in.
type Setting string

// Settings.
const (
	OutpatientClinic Setting = "outpatient_clinic"
	FQHC             Setting = "fqhc"
	Hospital         Setting = "hospital"
	UrgentCare       Setting = "urgent_care"
	TelehealthOnly   Setting = "telehealth_only"
)

// Population is the patient age group a position serves.
type Population string

// Populations. PopulationAll means patients of every age.
const (
	Pediatric     Population = "pediatric"
	Adult         Population = "adult"
	Geriatric     Population = "geriatric"
	PopulationAll Population = "all"
)

// Point is a location in decimal degrees.
type Point struct {
	Lat, Lng float64
}

// Licence is one state licence held by a clinician.
type Licence struct {
	State string // USPS code, e.g. "TX"
	// Expires is the last day the licence is valid; the zero time means the
	// expiry is not recorded and the licence is taken as valid.
	Expires time.Time
	// Multistate marks a Nurse Licensure Compact multistate licence. It only
	// widens eligibility for an RN whose licence State is a compact member.
	Multistate bool
}

// Position is the feature view of a job that the engine scores. Callers
// convert their domain objects into it. Pointer fields are optional facts:
// nil means unknown, which is different from zero. Empty string enums mean
// unknown too.
type Position struct {
	ID     string
	OrgID  string
	Status Status
	// ExpiresAt is when the posting lapses; zero means it does not expire.
	ExpiresAt time.Time
	// StartDate is when the clinician would start; zero means now.
	StartDate time.Time

	Credentials []Credential // accepted; empty accepts any
	Taxonomies  []string     // accepted NUCC codes; empty accepts any
	State       string       // USPS code of the work site
	Location    *Point
	// LicenceStates lists every state a licence is needed in; empty means
	// just State.
	LicenceStates  []string
	EmploymentType EmploymentType

	DaysPerWeek *int
	Shift       Shift
	FTE         *float64
	PayMin      *float64
	PayMax      *float64
	PayPeriod   PayPeriod // empty means Annual

	PanelSize            *int
	VisitMinutesNew      *int
	VisitMinutesFollowUp *int
	PatientsPerDay       *int
	ContinuityRate       *float64 // percent, 0 to 100
	ContinuityModel      ContinuityModel
	EHR                  EHR
	InboxPerWeek         *int
	MAsPerClinician      *float64
	Scribe               *bool
	TelehealthPct        *float64 // percent of visits, 0 to 100
	CallOneInN           *int     // 0 means no call
	Setting              Setting
	Population           Population
	LanguagesNeeded      []string // languages the patients speak
	TeamBasedCare        *bool
	PatientsPerNurse     *float64 // for RN positions

	// Employer wants.
	MinYears            *float64
	BoardCertRequired   bool
	LanguagesWanted     []string
	EHRExperienceWanted []EHR

	// MustHave lists the employer-side wants the position requires: a
	// clinician who misses one (must.go) is not eligible. Other factors
	// and wants the position does not state are ignored.
	MustHave []Factor

	// Weights overrides the default weight of a factor for this position's
	// organisation; 0 removes the factor. Negative values are ignored.
	Weights map[Factor]float64
}

// Clinician is the feature view of a clinician's profile that the engine
// scores. It deliberately has no name, gender, age, race or other protected
// attribute, so neither eligibility nor fit can use one. Pointer fields are
// optional wishes or facts: nil means not stated.
type Clinician struct {
	ID             string
	Credential     Credential
	Taxonomies     []string
	Licences       []Licence
	Years          *float64 // years of experience
	BoardCertified *bool
	Languages      []string
	EHRsUsed       []EHR
	EHRsAvoid      []EHR

	Home *Point
	// MaxCommuteMiles is the longest commute accepted; 0 means
	// DefaultCommuteMiles.
	MaxCommuteMiles float64
	WillingStates   []string // states the clinician would move to
	// AvailableFrom is the first day the clinician can start; zero means now.
	AvailableFrom   time.Time
	EmploymentTypes []EmploymentType // empty accepts any

	MaxDaysPerWeek *int
	Shifts         []Shift // empty means no preference
	FTEMin, FTEMax *float64
	PayFloorAnnual *float64
	PayFloorHourly *float64

	PanelMax            *int
	VisitMinNew         *int
	VisitMinFollowUp    *int
	PatientsPerDayMax   *int
	ContinuityMin       *float64        // percent
	ContinuityModel     ContinuityModel // preferred; empty means none
	InboxMax            *int
	MAsMin              *float64
	ScribeWanted        bool
	PatientsPerNurseMax *float64
	TelehealthMin       *float64 // percent
	TelehealthMax       *float64 // percent
	CallMaxOneInN       *int     // 0 means no call at all
	Settings            []Setting
	Populations         []Population
	TeamBasedWanted     *bool

	// Importance scales the default weight of a clinician-side factor: 0
	// removes it, 1 is normal (also when absent), 2 and 3 weigh it double and
	// triple. MustHave (4) marks a must-have: it weighs as 3, and a pair
	// that misses it is not eligible (must.go). Values below 0 count as 0
	// and above MustHave as MustHave.
	Importance map[Factor]int
}

// Ptr returns a pointer to v, for filling optional fields.
func Ptr[T any](v T) *T { return &v }

// Options tunes eligibility and says who reads the explanations.
type Options struct {
	// AvailabilitySlackDays lets a clinician who becomes available up to
	// this many days after the start date still be eligible.
	AvailabilitySlackDays int
	// Reader is who reads the sentences of Check and Explain: the
	// recruiter (the default, third person) or the clinician ("you").
	Reader Reader
}

// DefaultCommuteMiles is the commute assumed when a clinician states none.
const DefaultCommuteMiles = 30
