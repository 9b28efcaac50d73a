package jobs

import (
	"time"

	"carefit/internal/kit/errs"
	"carefit/internal/kit/factor"
	"carefit/internal/kit/patch"
	"carefit/internal/kit/taxonomy"
)

// PositionPatch is the body of PATCH /positions/{id}, with JSON merge patch
// (RFC 7396) semantics: an absent member leaves the field alone, null
// clears it (a work-environment fact becomes unknown) and a value sets it.
// Nested objects merge member by member; "environment": null or
// "wants": null clears every fact or want. Status, IDs, version and
// timestamps are not patchable: decoding with DisallowUnknownFields rejects
// them, and status changes go through Position.Transition.
type PositionPatch struct {
	LocationID     patch.Optional[string]                  `json:"location_id,omitzero"`
	Title          patch.Optional[string]                  `json:"title,omitzero"`
	Description    patch.Optional[string]                  `json:"description,omitzero"`
	Credentials    patch.Optional[[]taxonomy.Credential]   `json:"credentials,omitzero"`
	Taxonomies     patch.Optional[[]string]                `json:"taxonomies,omitzero"`
	LicenceStates  patch.Optional[[]string]                `json:"licence_states,omitzero"`
	EmploymentType patch.Optional[taxonomy.EmploymentType] `json:"employment_type,omitzero"`
	StartDate      patch.Optional[time.Time]               `json:"start_date,omitzero"`
	DurationWeeks  patch.Optional[int]                     `json:"duration_weeks,omitzero"`
	Schedule       patch.Optional[SchedulePatch]           `json:"schedule,omitzero"`
	Pay            patch.Optional[PayPatch]                `json:"pay,omitzero"`
	Headcount      patch.Optional[int]                     `json:"headcount,omitzero"`
	ExpiresAt      patch.Optional[time.Time]               `json:"expires_at,omitzero"`
	Environment    patch.Optional[EnvironmentPatch]        `json:"environment,omitzero"`
	Wants          patch.Optional[WantsPatch]              `json:"wants,omitzero"`
}

// SchedulePatch patches a Schedule; its fields cannot be null.
type SchedulePatch struct {
	DaysPerWeek patch.Optional[int]            `json:"days_per_week,omitzero"`
	Shift       patch.Optional[taxonomy.Shift] `json:"shift,omitzero"`
	FTE         patch.Optional[float64]        `json:"fte,omitzero"`
}

// PayPatch patches a Pay; its fields cannot be null.
type PayPatch struct {
	Min      patch.Optional[float64]   `json:"min,omitzero"`
	Max      patch.Optional[float64]   `json:"max,omitzero"`
	Period   patch.Optional[PayPeriod] `json:"period,omitzero"`
	Currency patch.Optional[string]    `json:"currency,omitzero"`
}

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
}

// Apply applies the patch to p. It returns an Invalid *errs.Error, leaving p
// unchanged, when a field that cannot be cleared is null; it does not
// validate values, so call ApplyDefaults and Validate on the result.
func (pp PositionPatch) Apply(p *Position) error {
	var ve errs.Validation
	next := *p
	required := func(ok bool, field string) {
		if !ok {
			ve.Add(field, "must not be null")
		}
	}
	required(pp.LocationID.ApplyRequired(&next.LocationID), "location_id")
	required(pp.Title.ApplyRequired(&next.Title), "title")
	pp.Description.ApplyValue(&next.Description)
	pp.Credentials.ApplyValue(&next.Credentials)
	pp.Taxonomies.ApplyValue(&next.Taxonomies)
	pp.LicenceStates.ApplyValue(&next.LicenceStates)
	required(pp.EmploymentType.ApplyRequired(&next.EmploymentType), "employment_type")
	required(pp.StartDate.ApplyRequired(&next.StartDate), "start_date")
	pp.DurationWeeks.ApplyPtr(&next.DurationWeeks)
	required(pp.Headcount.ApplyRequired(&next.Headcount), "headcount")
	pp.ExpiresAt.ApplyPtr(&next.ExpiresAt)

	switch {
	case pp.Schedule.Null:
		ve.Add("schedule", "must not be null")
	case pp.Schedule.Present:
		ve.Merge("schedule", pp.Schedule.Value.apply(&next.Schedule))
	}
	switch {
	case pp.Pay.Null:
		ve.Add("pay", "must not be null")
	case pp.Pay.Present:
		ve.Merge("pay", pp.Pay.Value.apply(&next.Pay))
	}
	switch {
	case pp.Environment.Null:
		next.Environment = Environment{}
	case pp.Environment.Present:
		pp.Environment.Value.Apply(&next.Environment)
	}
	switch {
	case pp.Wants.Null:
		next.Wants = Wants{}
	case pp.Wants.Present:
		pp.Wants.Value.Apply(&next.Wants)
	}
	if err := ve.Err(); err != nil {
		return err
	}
	*p = next
	return nil
}

func (sp SchedulePatch) apply(s *Schedule) error {
	var ve errs.Validation
	if !sp.DaysPerWeek.ApplyRequired(&s.DaysPerWeek) {
		ve.Add("days_per_week", "must not be null")
	}
	if !sp.Shift.ApplyRequired(&s.Shift) {
		ve.Add("shift", "must not be null")
	}
	if !sp.FTE.ApplyRequired(&s.FTE) {
		ve.Add("fte", "must not be null")
	}
	return ve.Err()
}

func (pp PayPatch) apply(p *Pay) error {
	var ve errs.Validation
	if !pp.Min.ApplyRequired(&p.Min) {
		ve.Add("min", "must not be null")
	}
	if !pp.Max.ApplyRequired(&p.Max) {
		ve.Add("max", "must not be null")
	}
	if !pp.Period.ApplyRequired(&p.Period) {
		ve.Add("period", "must not be null")
	}
	if !pp.Currency.ApplyRequired(&p.Currency) {
		ve.Add("currency", "must not be null")
	}
	return ve.Err()
}

// Apply applies the patch to e; null makes a fact unknown.
func (ep EnvironmentPatch) Apply(e *Environment) {
	ep.PanelSize.ApplyPtr(&e.PanelSize)
	ep.VisitMinutesNew.ApplyPtr(&e.VisitMinutesNew)
	ep.VisitMinutesFollowUp.ApplyPtr(&e.VisitMinutesFollowUp)
	ep.PatientsPerDay.ApplyPtr(&e.PatientsPerDay)
	ep.ContinuityRate.ApplyPtr(&e.ContinuityRate)
	ep.ContinuityModel.ApplyPtr(&e.ContinuityModel)
	ep.EHR.ApplyPtr(&e.EHR)
	ep.InboxMessagesPerWeek.ApplyPtr(&e.InboxMessagesPerWeek)
	ep.MAsPerClinician.ApplyPtr(&e.MAsPerClinician)
	ep.Scribe.ApplyPtr(&e.Scribe)
	ep.TelehealthPct.ApplyPtr(&e.TelehealthPct)
	ep.CallOneInN.ApplyPtr(&e.CallOneInN)
	ep.Setting.ApplyPtr(&e.Setting)
	ep.Population.ApplyPtr(&e.Population)
	ep.LanguagesNeeded.ApplyValue(&e.LanguagesNeeded)
	ep.TeamBasedCare.ApplyPtr(&e.TeamBasedCare)
	ep.SharedDecisionMaking.ApplyPtr(&e.SharedDecisionMaking)
	ep.CollaborativePractice.ApplyPtr(&e.CollaborativePractice)
	ep.PatientsPerNurse.ApplyPtr(&e.PatientsPerNurse)
}

// Apply applies the patch to w; null clears a want.
func (wp WantsPatch) Apply(w *Wants) {
	wp.MinYears.ApplyPtr(&w.MinYears)
	wp.BoardCertRequired.ApplyPtr(&w.BoardCertRequired)
	wp.LanguagesWanted.ApplyValue(&w.LanguagesWanted)
	wp.EHRExperienceWanted.ApplyValue(&w.EHRExperienceWanted)
}

// OrganizationPatch is the body of PATCH /organizations/{id} with the same
// merge-patch semantics as PositionPatch. Locations replace the whole list
// (locations are edited in place by ID, so the client sends the list it
// wants); "weight_overrides": null removes every override.
type OrganizationPatch struct {
	Name            patch.Optional[string]                  `json:"name,omitzero"`
	Kind            patch.Optional[OrgKind]                 `json:"kind,omitzero"`
	Locations       patch.Optional[[]Location]              `json:"locations,omitzero"`
	WeightOverrides patch.Optional[map[factor.Name]float64] `json:"weight_overrides,omitzero"`
}

// Apply applies the patch to o. It returns an Invalid *errs.Error, leaving o
// unchanged, when name or kind is null; call Validate on the result.
func (op OrganizationPatch) Apply(o *Organization) error {
	var ve errs.Validation
	next := *o
	if !op.Name.ApplyRequired(&next.Name) {
		ve.Add("name", "must not be null")
	}
	if !op.Kind.ApplyRequired(&next.Kind) {
		ve.Add("kind", "must not be null")
	}
	op.Locations.ApplyValue(&next.Locations)
	op.WeightOverrides.ApplyValue(&next.WeightOverrides)
	if err := ve.Err(); err != nil {
		return err
	}
	*o = next
	return nil
}
