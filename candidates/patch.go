package candidates

import (
	"time"

	"carefit/internal/kit/errs"
	"carefit/internal/kit/factor"
	"carefit/internal/kit/patch"
	"carefit/internal/kit/taxonomy"
)

// ProfilePatch is the body of PATCH /profiles/{id}, with JSON merge patch
// (RFC 7396) semantics: an absent member leaves the field alone, null
// clears it (a wish becomes "no preference") and a value sets it. Nested
// objects merge member by member; "wishes", "schedule" or "pay_floor": null
// clears the whole object. Lists replace the whole list. IDs, version,
// timestamps and consent_updated_at are not patchable: decoding with
// DisallowUnknownFields rejects them.
type ProfilePatch struct {
	Name                patch.Optional[NamePatch]                 `json:"name,omitzero"`
	Contact             patch.Optional[ContactPatch]              `json:"contact,omitzero"`
	Credential          patch.Optional[taxonomy.Credential]       `json:"credential,omitzero"`
	NPI                 patch.Optional[string]                    `json:"npi,omitzero"`
	Taxonomies          patch.Optional[[]string]                  `json:"taxonomies,omitzero"`
	BoardCertifications patch.Optional[[]BoardCertification]      `json:"board_certifications,omitzero"`
	Licences            patch.Optional[[]Licence]                 `json:"licences,omitzero"`
	YearsExperience     patch.Optional[int]                       `json:"years_experience,omitzero"`
	Languages           patch.Optional[[]taxonomy.Language]       `json:"languages,omitzero"`
	EHRsUsed            patch.Optional[[]taxonomy.EHR]            `json:"ehrs_used,omitzero"`
	EHRsAvoid           patch.Optional[[]taxonomy.EHR]            `json:"ehrs_avoid,omitzero"`
	Home                patch.Optional[HomePatch]                 `json:"home,omitzero"`
	MaxCommuteMiles     patch.Optional[int]                       `json:"max_commute_miles,omitzero"`
	WillingToMoveStates patch.Optional[[]string]                  `json:"willing_to_move_states,omitzero"`
	AvailableFrom       patch.Optional[time.Time]                 `json:"available_from,omitzero"`
	EmploymentTypes     patch.Optional[[]taxonomy.EmploymentType] `json:"employment_types,omitzero"`
	Schedule            patch.Optional[ScheduleWishPatch]         `json:"schedule,omitzero"`
	PayFloor            patch.Optional[PayFloorPatch]             `json:"pay_floor,omitzero"`
	Wishes              patch.Optional[WishesPatch]               `json:"wishes,omitzero"`
	Importance          patch.Optional[map[factor.Name]int]       `json:"importance,omitzero"`
	VisibleToRecruiters patch.Optional[bool]                      `json:"visible_to_recruiters,omitzero"`
}

// NamePatch patches a Name; null clears the family name and is rejected
// for the given name.
type NamePatch struct {
	Given  patch.Optional[string] `json:"given,omitzero"`
	Family patch.Optional[string] `json:"family,omitzero"`
}

// ContactPatch patches Contact; null clears the phone and is rejected for
// the email.
type ContactPatch struct {
	Email patch.Optional[string] `json:"email,omitzero"`
	Phone patch.Optional[string] `json:"phone,omitzero"`
}

// HomePatch patches Home; null clears the postal code and is rejected for
// the other fields.
type HomePatch struct {
	Lat        patch.Optional[float64] `json:"lat,omitzero"`
	Lng        patch.Optional[float64] `json:"lng,omitzero"`
	State      patch.Optional[string]  `json:"state,omitzero"`
	PostalCode patch.Optional[string]  `json:"postal_code,omitzero"`
}

// ScheduleWishPatch patches a ScheduleWish; null clears a limit.
type ScheduleWishPatch struct {
	MaxDaysPerWeek patch.Optional[int]              `json:"max_days_per_week,omitzero"`
	Shifts         patch.Optional[[]taxonomy.Shift] `json:"shifts,omitzero"`
	FTEMin         patch.Optional[float64]          `json:"fte_min,omitzero"`
	FTEMax         patch.Optional[float64]          `json:"fte_max,omitzero"`
}

// PayFloorPatch patches a PayFloor; null clears a floor.
type PayFloorPatch struct {
	Annual patch.Optional[float64] `json:"annual,omitzero"`
	Hourly patch.Optional[float64] `json:"hourly,omitzero"`
}

// WishesPatch patches Wishes; null clears a wish.
type WishesPatch struct {
	PanelMax            patch.Optional[int]                        `json:"panel_max,omitzero"`
	VisitMinNew         patch.Optional[int]                        `json:"visit_min_new,omitzero"`
	VisitMinFollowUp    patch.Optional[int]                        `json:"visit_min_follow_up,omitzero"`
	PatientsPerDayMax   patch.Optional[int]                        `json:"patients_per_day_max,omitzero"`
	ContinuityMin       patch.Optional[float64]                    `json:"continuity_min,omitzero"`
	ContinuityModels    patch.Optional[[]taxonomy.ContinuityModel] `json:"continuity_models,omitzero"`
	InboxMax            patch.Optional[int]                        `json:"inbox_max,omitzero"`
	MAsMin              patch.Optional[float64]                    `json:"mas_min,omitzero"`
	ScribeWanted        patch.Optional[bool]                       `json:"scribe_wanted,omitzero"`
	TelehealthMin       patch.Optional[float64]                    `json:"telehealth_min,omitzero"`
	TelehealthMax       patch.Optional[float64]                    `json:"telehealth_max,omitzero"`
	CallMaxOneInN       patch.Optional[int]                        `json:"call_max_one_in_n,omitzero"`
	NoCall              patch.Optional[bool]                       `json:"no_call,omitzero"`
	Settings            patch.Optional[[]taxonomy.Setting]         `json:"settings,omitzero"`
	Populations         patch.Optional[[]taxonomy.Population]      `json:"populations,omitzero"`
	TeamBasedWanted     patch.Optional[bool]                       `json:"team_based_wanted,omitzero"`
	PatientsPerNurseMax patch.Optional[int]                        `json:"patients_per_nurse_max,omitzero"`
}

// Apply applies the patch to p at time now. When visible_to_recruiters
// changes, ConsentUpdatedAt is set to now so that consent changes are
// traceable. It returns an Invalid *errs.Error, leaving p unchanged, when a
// field that cannot be cleared is null; it does not validate values, so
// call Validate on the result.
func (pp ProfilePatch) Apply(p *Profile, now time.Time) error {
	var ve errs.Validation
	next := *p
	required := func(ok bool, field string) {
		if !ok {
			ve.Add(field, "must not be null")
		}
	}
	switch {
	case pp.Name.Null:
		ve.Add("name", "must not be null")
	case pp.Name.Present:
		required(pp.Name.Value.Given.ApplyRequired(&next.Name.Given), "name.given")
		pp.Name.Value.Family.ApplyValue(&next.Name.Family)
	}
	switch {
	case pp.Contact.Null:
		ve.Add("contact", "must not be null")
	case pp.Contact.Present:
		required(pp.Contact.Value.Email.ApplyRequired(&next.Contact.Email), "contact.email")
		pp.Contact.Value.Phone.ApplyValue(&next.Contact.Phone)
	}
	required(pp.Credential.ApplyRequired(&next.Credential), "credential")
	pp.NPI.ApplyValue(&next.NPI)
	pp.Taxonomies.ApplyValue(&next.Taxonomies)
	pp.BoardCertifications.ApplyValue(&next.BoardCertifications)
	pp.Licences.ApplyValue(&next.Licences)
	required(pp.YearsExperience.ApplyRequired(&next.YearsExperience), "years_experience")
	pp.Languages.ApplyValue(&next.Languages)
	pp.EHRsUsed.ApplyValue(&next.EHRsUsed)
	pp.EHRsAvoid.ApplyValue(&next.EHRsAvoid)
	switch {
	case pp.Home.Null:
		ve.Add("home", "must not be null")
	case pp.Home.Present:
		h := pp.Home.Value
		required(h.Lat.ApplyRequired(&next.Home.Lat), "home.lat")
		required(h.Lng.ApplyRequired(&next.Home.Lng), "home.lng")
		required(h.State.ApplyRequired(&next.Home.State), "home.state")
		h.PostalCode.ApplyValue(&next.Home.PostalCode)
	}
	required(pp.MaxCommuteMiles.ApplyRequired(&next.MaxCommuteMiles), "max_commute_miles")
	pp.WillingToMoveStates.ApplyValue(&next.WillingToMoveStates)
	required(pp.AvailableFrom.ApplyRequired(&next.AvailableFrom), "available_from")
	pp.EmploymentTypes.ApplyValue(&next.EmploymentTypes)
	switch {
	case pp.Schedule.Null:
		next.Schedule = ScheduleWish{}
	case pp.Schedule.Present:
		s := pp.Schedule.Value
		s.MaxDaysPerWeek.ApplyPtr(&next.Schedule.MaxDaysPerWeek)
		s.Shifts.ApplyValue(&next.Schedule.Shifts)
		s.FTEMin.ApplyPtr(&next.Schedule.FTEMin)
		s.FTEMax.ApplyPtr(&next.Schedule.FTEMax)
	}
	switch {
	case pp.PayFloor.Null:
		next.PayFloor = PayFloor{}
	case pp.PayFloor.Present:
		pp.PayFloor.Value.Annual.ApplyPtr(&next.PayFloor.Annual)
		pp.PayFloor.Value.Hourly.ApplyPtr(&next.PayFloor.Hourly)
	}
	switch {
	case pp.Wishes.Null:
		next.Wishes = Wishes{}
	case pp.Wishes.Present:
		pp.Wishes.Value.Apply(&next.Wishes)
	}
	pp.Importance.ApplyValue(&next.Importance)
	required(pp.VisibleToRecruiters.ApplyRequired(&next.VisibleToRecruiters), "visible_to_recruiters")
	if err := ve.Err(); err != nil {
		return err
	}
	if next.VisibleToRecruiters != p.VisibleToRecruiters {
		t := now
		next.ConsentUpdatedAt = &t
	}
	*p = next
	return nil
}

// Apply applies the patch to w; null clears a wish.
func (wp WishesPatch) Apply(w *Wishes) {
	wp.PanelMax.ApplyPtr(&w.PanelMax)
	wp.VisitMinNew.ApplyPtr(&w.VisitMinNew)
	wp.VisitMinFollowUp.ApplyPtr(&w.VisitMinFollowUp)
	wp.PatientsPerDayMax.ApplyPtr(&w.PatientsPerDayMax)
	wp.ContinuityMin.ApplyPtr(&w.ContinuityMin)
	wp.ContinuityModels.ApplyValue(&w.ContinuityModels)
	wp.InboxMax.ApplyPtr(&w.InboxMax)
	wp.MAsMin.ApplyPtr(&w.MAsMin)
	wp.ScribeWanted.ApplyPtr(&w.ScribeWanted)
	wp.TelehealthMin.ApplyPtr(&w.TelehealthMin)
	wp.TelehealthMax.ApplyPtr(&w.TelehealthMax)
	wp.CallMaxOneInN.ApplyPtr(&w.CallMaxOneInN)
	wp.NoCall.ApplyPtr(&w.NoCall)
	wp.Settings.ApplyValue(&w.Settings)
	wp.Populations.ApplyValue(&w.Populations)
	wp.TeamBasedWanted.ApplyPtr(&w.TeamBasedWanted)
	wp.PatientsPerNurseMax.ApplyPtr(&w.PatientsPerNurseMax)
}
