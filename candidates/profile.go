// Package candidates holds clinician profiles: credentials, licences, and
// what the clinician wants from a workplace. Types map to the API's JSON
// and to Postgres columns (nested objects such as wishes map to JSONB);
// the package validates them, patches them with merge-patch semantics and
// redacts them for recruiters who lack the clinician's consent. It does no
// I/O.
package candidates

import (
	"slices"
	"time"

	"carefit/internal/kit/factor"
	"carefit/internal/kit/geo"
	"carefit/internal/kit/taxonomy"
)

// Profile is a clinician's profile.
type Profile struct {
	// ID is a UUID assigned by the store; empty on create.
	ID string `json:"id"`
	// Name is shown to people only; it never feeds fit or eligibility.
	Name    Name    `json:"name"`
	Contact Contact `json:"contact"`
	// Credential is the clinician's profession.
	Credential taxonomy.Credential `json:"credential"`
	// NPI is the National Provider Identifier; required for MD, DO, NP and
	// PA, optional for RN (many staff nurses have none).
	NPI string `json:"npi"`
	// Taxonomies are the clinician's NUCC codes; each must apply to
	// Credential.
	Taxonomies          []string             `json:"taxonomies"`
	BoardCertifications []BoardCertification `json:"board_certifications"`
	Licences            []Licence            `json:"licences"`
	YearsExperience     int                  `json:"years_experience"`
	Languages           []taxonomy.Language  `json:"languages"`
	// EHRsUsed are EHRs the clinician has worked in; EHRsAvoid are EHRs
	// they do not want to work in. The two are disjoint.
	EHRsUsed  []taxonomy.EHR `json:"ehrs_used"`
	EHRsAvoid []taxonomy.EHR `json:"ehrs_avoid"`
	Home      Home           `json:"home"`
	// MaxCommuteMiles is the farthest the clinician will travel from home,
	// 0 to 500; 0 means only remote work or relocation.
	MaxCommuteMiles int `json:"max_commute_miles"`
	// WillingToMoveStates are states the clinician would relocate to.
	WillingToMoveStates []string `json:"willing_to_move_states"`
	// AvailableFrom is the first day the clinician can start.
	AvailableFrom   time.Time                 `json:"available_from"`
	EmploymentTypes []taxonomy.EmploymentType `json:"employment_types"`
	Schedule        ScheduleWish              `json:"schedule"`
	PayFloor        PayFloor                  `json:"pay_floor"`
	Wishes          Wishes                    `json:"wishes"`
	// Importance is how much each clinician-side fit factor matters, 0
	// (ignore) to 3, or MustHave (4) for a must-have; absent factors use
	// the default. Stored as JSONB.
	Importance map[factor.Name]int `json:"importance"`
	// VisibleToRecruiters is whether recruiters who may see the clinician
	// see them by name (true) or anonymously. Contact details and licence
	// numbers reach an organization only through an introduction the
	// clinician accepts (package intro).
	VisibleToRecruiters bool       `json:"visible_to_recruiters"`
	ConsentUpdatedAt    *time.Time `json:"consent_updated_at"`
	// Version increases on every update and is the ETag.
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Name is a clinician's name, for display.
type Name struct {
	Given  string `json:"given"`
	Family string `json:"family"`
}

// Contact holds private contact details, shown to recruiters only with
// consent.
type Contact struct {
	// Email is required.
	Email string `json:"email"`
	// Phone is optional, E.164 (+14155550123).
	Phone string `json:"phone"`
}

// BoardCertification is a current or past specialty board certification.
type BoardCertification struct {
	// Board is the certifying board, e.g. "American Board of Family
	// Medicine" or "AANP Certification Board".
	Board string `json:"board"`
	// Specialty is the NUCC code the certification is in.
	Specialty string `json:"specialty"`
	// Expires is nil for a lifetime certification.
	Expires *time.Time `json:"expires"`
}

// Licence is a state licence to practise.
type Licence struct {
	State  string `json:"state"`
	Number string `json:"number"`
	// Expires is the licence's expiry date; a licence expiring before a
	// position's start date does not count.
	Expires time.Time `json:"expires"`
	// Multistate marks an RN licence issued under the Nurse Licensure
	// Compact by a compact state, valid in every compact state.
	Multistate bool `json:"multistate"`
}

// Home is where the clinician lives, for commute distance.
type Home struct {
	Lat        float64 `json:"lat"`
	Lng        float64 `json:"lng"`
	State      string  `json:"state"`
	PostalCode string  `json:"postal_code"`
}

// What the clinician accepts and wants, compared with a position's
// schedule, pay and work environment.
type (
	// ScheduleWish is the working pattern the clinician accepts; nil or
	// empty means no limit stated.
	ScheduleWish struct {
		MaxDaysPerWeek *int             `json:"max_days_per_week"`
		Shifts         []taxonomy.Shift `json:"shifts"`
		FTEMin         *float64         `json:"fte_min"`
		FTEMax         *float64         `json:"fte_max"`
	}

	// PayFloor is the least pay the clinician accepts, per year and/or per
	// hour (dollars); nil means not stated.
	PayFloor struct {
		Annual *float64 `json:"annual"`
		Hourly *float64 `json:"hourly"`
	}

	// Wishes are what the clinician wants from the work environment,
	// compared with a position's facts. Every field is optional: nil or
	// empty means no preference.
	Wishes struct {
		PanelMax          *int `json:"panel_max"`
		VisitMinNew       *int `json:"visit_min_new"`
		VisitMinFollowUp  *int `json:"visit_min_follow_up"`
		PatientsPerDayMax *int `json:"patients_per_day_max"`
		// ContinuityMin is the lowest acceptable continuity rate, 0 to 100.
		ContinuityMin    *float64                   `json:"continuity_min"`
		ContinuityModels []taxonomy.ContinuityModel `json:"continuity_models"`
		InboxMax         *int                       `json:"inbox_max"`
		MAsMin           *float64                   `json:"mas_min"`
		ScribeWanted     *bool                      `json:"scribe_wanted"`
		TelehealthMin    *float64                   `json:"telehealth_min"`
		TelehealthMax    *float64                   `json:"telehealth_max"`
		// CallMaxOneInN is the most frequent call accepted: call 1 in N
		// nights with N at least this (1 to 30). NoCall true means no call
		// at all; the two are exclusive.
		CallMaxOneInN       *int                  `json:"call_max_one_in_n"`
		NoCall              *bool                 `json:"no_call"`
		Settings            []taxonomy.Setting    `json:"settings"`
		Populations         []taxonomy.Population `json:"populations"`
		TeamBasedWanted     *bool                 `json:"team_based_wanted"`
		PatientsPerNurseMax *int                  `json:"patients_per_nurse_max"`
	}
)

// LicensedIn reports whether the clinician holds a licence valid in state
// on day: a licence issued by state, or for an RN a multistate licence from
// a compact state when state is also a compact state. Only the date part of
// the expiry is compared, so a licence expiring on day still counts.
func (p Profile) LicensedIn(state string, day time.Time) bool {
	for _, l := range p.Licences {
		if dateBefore(l.Expires, day) {
			continue
		}
		if l.State == state {
			return true
		}
		if p.Credential == taxonomy.RN && l.Multistate && geo.NLC.Has(l.State) && geo.NLC.Has(state) {
			return true
		}
	}
	return false
}

// dateBefore reports whether a's calendar date (in UTC) is before b's.
func dateBefore(a, b time.Time) bool {
	ay, am, ad := a.UTC().Date()
	by, bm, bd := b.UTC().Date()
	return time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC).Before(time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC))
}

// Redacted returns a copy of p fit for a recruiter without the clinician's
// consent: contact details and licence numbers are cleared. Licence states,
// expiries and multistate flags stay, because eligibility needs them. p is
// not modified.
func (p Profile) Redacted() Profile {
	p.Contact = Contact{}
	p.Licences = slices.Clone(p.Licences)
	for i := range p.Licences {
		p.Licences[i].Number = ""
	}
	return p
}
