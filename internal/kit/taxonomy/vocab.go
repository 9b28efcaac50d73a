package taxonomy

import "slices"

// EHR is an electronic health record vendor.
type EHR string

// EHR vendors, named as clinicians know them (Oracle Health was Cerner,
// Veradigm was Allscripts).
const (
	EHREpic           EHR = "epic"
	EHROracleHealth   EHR = "oracle_health"
	EHRAthenahealth   EHR = "athenahealth"
	EHREClinicalWorks EHR = "eclinicalworks"
	EHRNextGen        EHR = "nextgen"
	EHRMeditech       EHR = "meditech"
	EHRVeradigm       EHR = "veradigm"
	EHROther          EHR = "other"
)

var ehrs = []EHR{EHREpic, EHROracleHealth, EHRAthenahealth, EHREClinicalWorks, EHRNextGen, EHRMeditech, EHRVeradigm, EHROther}

// EHRs returns every EHR value.
func EHRs() []EHR { return slices.Clone(ehrs) }

// Valid reports whether e is a known EHR value.
func (e EHR) Valid() bool { return slices.Contains(ehrs, e) }

// Setting is where care is delivered.
type Setting string

// Care settings.
const (
	SettingOutpatientClinic Setting = "outpatient_clinic"
	SettingFQHC             Setting = "fqhc"
	SettingHospital         Setting = "hospital"
	SettingUrgentCare       Setting = "urgent_care"
	SettingTelehealthOnly   Setting = "telehealth_only"
)

var settings = []Setting{SettingOutpatientClinic, SettingFQHC, SettingHospital, SettingUrgentCare, SettingTelehealthOnly}

// Settings returns every Setting value.
func Settings() []Setting { return slices.Clone(settings) }

// Valid reports whether s is a known setting.
func (s Setting) Valid() bool { return slices.Contains(settings, s) }

// Population is the patient population a position serves.
type Population string

// Patient populations; PopulationAll is a position serving every age.
const (
	PopulationPediatric Population = "pediatric"
	PopulationAdult     Population = "adult"
	PopulationGeriatric Population = "geriatric"
	PopulationAll       Population = "all"
)

var populations = []Population{PopulationPediatric, PopulationAdult, PopulationGeriatric, PopulationAll}

// Populations returns every Population value.
func Populations() []Population { return slices.Clone(populations) }

// Valid reports whether p is a known population.
func (p Population) Valid() bool { return slices.Contains(populations, p) }

// Shift is the time of day a position works.
type Shift string

// Shifts.
const (
	ShiftDay      Shift = "day"
	ShiftEvening  Shift = "evening"
	ShiftNight    Shift = "night"
	ShiftRotating Shift = "rotating"
)

var shifts = []Shift{ShiftDay, ShiftEvening, ShiftNight, ShiftRotating}

// Shifts returns every Shift value.
func Shifts() []Shift { return slices.Clone(shifts) }

// Valid reports whether s is a known shift.
func (s Shift) Valid() bool { return slices.Contains(shifts, s) }

// EmploymentType is the contract a position offers.
type EmploymentType string

// Employment types. Locum tenens and travel positions have a duration.
const (
	EmploymentPermanent   EmploymentType = "permanent"
	EmploymentLocumTenens EmploymentType = "locum_tenens"
	EmploymentTravel      EmploymentType = "travel"
	EmploymentPerDiem     EmploymentType = "per_diem"
)

var employmentTypes = []EmploymentType{EmploymentPermanent, EmploymentLocumTenens, EmploymentTravel, EmploymentPerDiem}

// EmploymentTypes returns every EmploymentType value.
func EmploymentTypes() []EmploymentType { return slices.Clone(employmentTypes) }

// Valid reports whether e is a known employment type.
func (e EmploymentType) Valid() bool { return slices.Contains(employmentTypes, e) }

// Temporary reports whether e is a fixed-term contract that states a
// duration (locum tenens or travel).
func (e EmploymentType) Temporary() bool {
	return e == EmploymentLocumTenens || e == EmploymentTravel
}

// ContinuityModel is how patients are attached to clinicians.
type ContinuityModel string

// Continuity models.
const (
	ContinuityAssignedPanel ContinuityModel = "assigned_panel"
	ContinuityTeamBased     ContinuityModel = "team_based"
	ContinuityNone          ContinuityModel = "none"
)

var continuityModels = []ContinuityModel{ContinuityAssignedPanel, ContinuityTeamBased, ContinuityNone}

// ContinuityModels returns every ContinuityModel value.
func ContinuityModels() []ContinuityModel { return slices.Clone(continuityModels) }

// Valid reports whether m is a known continuity model.
func (m ContinuityModel) Valid() bool { return slices.Contains(continuityModels, m) }
