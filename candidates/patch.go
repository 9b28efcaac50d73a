package candidates

import (
	"time"

	"carefit/internal/kit/factor"
	"carefit/internal/kit/patch"
	"carefit/internal/kit/taxonomy"
)

// ProfilePatch is the body of PATCH /profiles/{id}, with JSON merge patch
// (RFC 7396) semantics, applied by patch.Apply: an absent member leaves the
// field alone, null clears it (a wish becomes "no preference") and a value
// sets it. Null is rejected for the members tagged `patch:"required"`.
// Nested objects merge member by member; "wishes", "schedule" or
// "pay_floor": null clears the whole object. Lists replace the whole list.
// IDs, version, timestamps and consent_updated_at are not patchable:
// decoding with DisallowUnknownFields rejects them.
type ProfilePatch struct {
	Name                patch.Optional[NamePatch]                 `json:"name,omitzero" patch:"required"`
	Contact             patch.Optional[ContactPatch]              `json:"contact,omitzero" patch:"required"`
	Credential          patch.Optional[taxonomy.Credential]       `json:"credential,omitzero" patch:"required"`
	NPI                 patch.Optional[string]                    `json:"npi,omitzero"`
	Taxonomies          patch.Optional[[]string]                  `json:"taxonomies,omitzero"`
	BoardCertifications patch.Optional[[]BoardCertification]      `json:"board_certifications,omitzero"`
	Licences            patch.Optional[[]Licence]                 `json:"licences,omitzero"`
	YearsExperience     patch.Optional[int]                       `json:"years_experience,omitzero" patch:"required"`
	Languages           patch.Optional[[]taxonomy.Language]       `json:"languages,omitzero"`
	EHRsUsed            patch.Optional[[]taxonomy.EHR]            `json:"ehrs_used,omitzero"`
	EHRsAvoid           patch.Optional[[]taxonomy.EHR]            `json:"ehrs_avoid,omitzero"`
	Home                patch.Optional[HomePatch]                 `json:"home,omitzero" patch:"required"`
	MaxCommuteMiles     patch.Optional[int]                       `json:"max_commute_miles,omitzero" patch:"required"`
	WillingToMoveStates patch.Optional[[]string]                  `json:"willing_to_move_states,omitzero"`
	AvailableFrom       patch.Optional[time.Time]                 `json:"available_from,omitzero" patch:"required"`
	EmploymentTypes     patch.Optional[[]taxonomy.EmploymentType] `json:"employment_types,omitzero"`
	Schedule            patch.Optional[ScheduleWishPatch]         `json:"schedule,omitzero"`
	PayFloor            patch.Optional[PayFloorPatch]             `json:"pay_floor,omitzero"`
	Wishes              patch.Optional[WishesPatch]               `json:"wishes,omitzero"`
	Importance          patch.Optional[map[factor.Name]int]       `json:"importance,omitzero"`
	VisibleToRecruiters patch.Optional[bool]                      `json:"visible_to_recruiters,omitzero" patch:"required"`
}

// Apply applies the patch to p at time now. When visible_to_recruiters
// changes, ConsentUpdatedAt is set to now so that consent changes are
// traceable. It returns an Invalid *errs.Error, leaving p unchanged, when a
// field that cannot be cleared is null; it does not validate values, so
// call Validate on the result.
func (pp ProfilePatch) Apply(p *Profile, now time.Time) error {
	consent := p.VisibleToRecruiters
	if err := patch.Apply(pp, p); err != nil {
		return err
	}
	if p.VisibleToRecruiters != consent {
		t := now
		p.ConsentUpdatedAt = &t
	}
	return nil
}

// The nested patches, one for each nested object of a Profile.
type (
	// NamePatch patches a Name; null clears the family name and is
	// rejected for the given name.
	NamePatch struct {
		Given  patch.Optional[string] `json:"given,omitzero" patch:"required"`
		Family patch.Optional[string] `json:"family,omitzero"`
	}

	// ContactPatch patches Contact; null clears the phone and is rejected
	// for the email.
	ContactPatch struct {
		Email patch.Optional[string] `json:"email,omitzero" patch:"required"`
		Phone patch.Optional[string] `json:"phone,omitzero"`
	}

	// HomePatch patches Home; null clears the postal code and is rejected
	// for the other fields.
	HomePatch struct {
		Lat        patch.Optional[float64] `json:"lat,omitzero" patch:"required"`
		Lng        patch.Optional[float64] `json:"lng,omitzero" patch:"required"`
		State      patch.Optional[string]  `json:"state,omitzero" patch:"required"`
		PostalCode patch.Optional[string]  `json:"postal_code,omitzero"`
	}

	// ScheduleWishPatch patches a ScheduleWish; null clears a limit.
	ScheduleWishPatch struct {
		MaxDaysPerWeek patch.Optional[int]              `json:"max_days_per_week,omitzero"`
		Shifts         patch.Optional[[]taxonomy.Shift] `json:"shifts,omitzero"`
		FTEMin         patch.Optional[float64]          `json:"fte_min,omitzero"`
		FTEMax         patch.Optional[float64]          `json:"fte_max,omitzero"`
	}

	// PayFloorPatch patches a PayFloor; null clears a floor.
	PayFloorPatch struct {
		Annual patch.Optional[float64] `json:"annual,omitzero"`
		Hourly patch.Optional[float64] `json:"hourly,omitzero"`
	}

	// WishesPatch patches Wishes; null clears a wish.
	WishesPatch struct {
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
)
