package jobs

import (
	"time"

	"carefit/internal/kit/factor"
	"carefit/internal/kit/patch"
	"carefit/internal/kit/taxonomy"
)

// PositionPatch is the body of PATCH /positions/{id}, with JSON merge patch
// (RFC 7396) semantics, applied by patch.Apply: an absent member leaves the
// field alone, null clears it (a work-environment fact becomes unknown) and
// a value sets it. Null is rejected for the members tagged
// `patch:"required"`, listed last. Nested objects merge member by member;
// "environment": null or "wants": null clears every fact or want. Status,
// IDs, version and timestamps are not patchable: decoding with
// DisallowUnknownFields rejects them, and status changes go through
// Position.Transition.
type PositionPatch struct {
	Description   patch.Optional[string]                `json:"description,omitzero"`
	Credentials   patch.Optional[[]taxonomy.Credential] `json:"credentials,omitzero"`
	Taxonomies    patch.Optional[[]string]              `json:"taxonomies,omitzero"`
	LicenceStates patch.Optional[[]string]              `json:"licence_states,omitzero"`
	DurationWeeks patch.Optional[int]                   `json:"duration_weeks,omitzero"`
	ExpiresAt     patch.Optional[time.Time]             `json:"expires_at,omitzero"`
	Environment   patch.Optional[EnvironmentPatch]      `json:"environment,omitzero"`
	Wants         patch.Optional[WantsPatch]            `json:"wants,omitzero"`

	LocationID     patch.Optional[string]                  `json:"location_id,omitzero" patch:"required"`
	Title          patch.Optional[string]                  `json:"title,omitzero" patch:"required"`
	EmploymentType patch.Optional[taxonomy.EmploymentType] `json:"employment_type,omitzero" patch:"required"`
	StartDate      patch.Optional[time.Time]               `json:"start_date,omitzero" patch:"required"`
	Headcount      patch.Optional[int]                     `json:"headcount,omitzero" patch:"required"`
	Schedule       patch.Optional[SchedulePatch]           `json:"schedule,omitzero" patch:"required"`
	Pay            patch.Optional[PayPatch]                `json:"pay,omitzero" patch:"required"`
}

// Apply applies the patch to p. It returns an Invalid *errs.Error, leaving p
// unchanged, when a field that cannot be cleared is null; it does not
// validate values, so call ApplyDefaults and Validate on the result.
func (pp PositionPatch) Apply(p *Position) error { return patch.Apply(pp, p) }

// EnvironmentPatch patches an Environment; null makes a fact unknown.
type EnvironmentPatch struct {
	PanelSize             patch.Optional[int]                      `json:"panel_size,omitzero"`
	VisitMinutesNew       patch.Optional[int]                      `json:"visit_minutes_new,omitzero"`
	VisitMinutesFollowUp  patch.Optional[int]                      `json:"visit_minutes_follow_up,omitzero"`
	PatientsPerDay        patch.Optional[int]                      `json:"patients_per_day,omitzero"`
	ContinuityRate        patch.Optional[float64]                  `json:"continuity_rate,omitzero"`
	ContinuityModel       patch.Optional[taxonomy.ContinuityModel] `json:"continuity_model,omitzero"`
	EHR                   patch.Optional[taxonomy.EHR]             `json:"ehr,omitzero"`
	InboxMessagesPerWeek  patch.Optional[int]                      `json:"inbox_messages_per_week,omitzero"`
	MAsPerClinician       patch.Optional[float64]                  `json:"mas_per_clinician,omitzero"`
	Scribe                patch.Optional[bool]                     `json:"scribe,omitzero"`
	TelehealthPct         patch.Optional[float64]                  `json:"telehealth_pct,omitzero"`
	CallOneInN            patch.Optional[int]                      `json:"call_one_in_n,omitzero"`
	Setting               patch.Optional[taxonomy.Setting]         `json:"setting,omitzero"`
	Population            patch.Optional[taxonomy.Population]      `json:"population,omitzero"`
	LanguagesNeeded       patch.Optional[[]taxonomy.Language]      `json:"languages_needed,omitzero"`
	TeamBasedCare         patch.Optional[bool]                     `json:"team_based_care,omitzero"`
	SharedDecisionMaking  patch.Optional[bool]                     `json:"shared_decision_making,omitzero"`
	CollaborativePractice patch.Optional[bool]                     `json:"collaborative_practice,omitzero"`
	PatientsPerNurse      patch.Optional[int]                      `json:"patients_per_nurse,omitzero"`
}

// WantsPatch patches Wants; null clears a want.
type WantsPatch struct {
	MinYears            patch.Optional[int]                 `json:"min_years,omitzero"`
	BoardCertRequired   patch.Optional[bool]                `json:"board_cert_required,omitzero"`
	LanguagesWanted     patch.Optional[[]taxonomy.Language] `json:"languages_wanted,omitzero"`
	EHRExperienceWanted patch.Optional[[]taxonomy.EHR]      `json:"ehr_experience_wanted,omitzero"`
	MustHave            patch.Optional[[]factor.Name]       `json:"must_have,omitzero"`
}

// SchedulePatch patches a Schedule; its fields cannot be null.
type SchedulePatch struct {
	DaysPerWeek patch.Optional[int]            `json:"days_per_week,omitzero" patch:"required"`
	Shift       patch.Optional[taxonomy.Shift] `json:"shift,omitzero" patch:"required"`
	FTE         patch.Optional[float64]        `json:"fte,omitzero" patch:"required"`
}

// PayPatch patches a Pay; its fields cannot be null.
type PayPatch struct {
	Min      patch.Optional[float64]   `json:"min,omitzero" patch:"required"`
	Max      patch.Optional[float64]   `json:"max,omitzero" patch:"required"`
	Period   patch.Optional[PayPeriod] `json:"period,omitzero" patch:"required"`
	Currency patch.Optional[string]    `json:"currency,omitzero" patch:"required"`
}
