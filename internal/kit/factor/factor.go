// Package factor names the fit factors that organisations weight and
// clinicians rank by importance. It is the one list of factor names shared by
// jobs (organisation weight overrides), candidates (importance) and the fit
// engine, which maps these names onto its own scoring types.
package factor

import "slices"

// Name is a fit factor's stable identifier; it appears as a JSON object key
// and in the database, so names are never renamed, only added.
type Name string

// Side says whose wishes a factor measures.
type Side string

const (
	// Clinician factors measure how well the position fits the clinician's
	// wishes; clinicians state an importance for them.
	Clinician Side = "clinician"
	// Employer factors measure how well the clinician fits the employer's
	// wants (experience, certification, languages, EHR experience).
	Employer Side = "employer"
)

// Clinician-side factors.
const (
	PanelSize        Name = "panel_size"
	VisitLength      Name = "visit_length"
	PatientsPerDay   Name = "patients_per_day"
	Continuity       Name = "continuity"
	EHR              Name = "ehr"
	Inbox            Name = "inbox"
	Support          Name = "support"
	PatientsPerNurse Name = "patients_per_nurse"
	Telehealth       Name = "telehealth"
	Call             Name = "call"
	Schedule         Name = "schedule"
	Pay              Name = "pay"
	Place            Name = "place"
	Setting          Name = "setting"
	Population       Name = "population"
	CareModel        Name = "care_model"
)

// Employer-side factors.
const (
	Experience         Name = "experience"
	BoardCertification Name = "board_certification"
	Languages          Name = "languages"
	EHRExperience      Name = "ehr_experience"
)

// Info describes one factor.
type Info struct {
	Name        Name   `json:"name"`
	Side        Side   `json:"side"`
	Description string `json:"description"`
}

var all = []Info{
	{PanelSize, Clinician, "Patients assigned to one full-time clinician against the clinician's maximum."},
	{VisitLength, Clinician, "Minutes per new-patient and follow-up visit against the clinician's minimums."},
	{PatientsPerDay, Clinician, "Patients seen per day against the clinician's cap."},
	{Continuity, Clinician, "How often patients see their own clinician, and the continuity model."},
	{EHR, Clinician, "The position's EHR against the EHRs the clinician has used or avoids."},
	{Inbox, Clinician, "Inbox messages per week against the clinician's maximum."},
	{Support, Clinician, "Medical assistants per clinician and scribe or ambient documentation."},
	{PatientsPerNurse, Clinician, "Patients per nurse against the nurse's maximum (RN positions)."},
	{Telehealth, Clinician, "Share of visits by video or phone against the clinician's wanted range."},
	{Call, Clinician, "Night and weekend call frequency against the most the clinician accepts."},
	{Schedule, Clinician, "Days per week, shift and FTE against the clinician's wanted schedule."},
	{Pay, Clinician, "The position's pay range against the clinician's floor."},
	{Place, Clinician, "Commute distance from home, or a state the clinician would move to."},
	{Setting, Clinician, "Care setting (clinic, FQHC, hospital, urgent care, telehealth-only)."},
	{Population, Clinician, "Patient population (pediatric, adult, geriatric)."},
	{CareModel, Clinician, "Team-based care, shared decision-making and collaborative practice."},
	{Experience, Employer, "Clinician's years of experience against the employer's minimum."},
	{BoardCertification, Employer, "Current board certification when the employer requires it."},
	{Languages, Employer, "Languages the clinician speaks against those patients need."},
	{EHRExperience, Employer, "Clinician's experience with the EHRs the employer wants."},
}

// All returns every factor, clinician side first, in a stable order. The
// returned slice is a copy.
func All() []Info { return slices.Clone(all) }

// Names returns the names of the factors on side, in the order of All.
func Names(side Side) []Name {
	var out []Name
	for _, f := range all {
		if f.Side == side {
			out = append(out, f.Name)
		}
	}
	return out
}

// Lookup returns the factor called n and whether it exists.
func Lookup(n Name) (Info, bool) {
	for _, f := range all {
		if f.Name == n {
			return f, true
		}
	}
	return Info{}, false
}

// Valid reports whether n names a known factor.
func (n Name) Valid() bool {
	_, ok := Lookup(n)
	return ok
}

// SideOf returns the side of factor n, or "" when n is unknown.
func (n Name) SideOf() Side {
	f, _ := Lookup(n)
	return f.Side
}
