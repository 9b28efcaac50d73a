package app

import (
	"time"

	"carefit/access"
	"carefit/candidates"
	"carefit/internal/kit/factor"
	"carefit/internal/kit/taxonomy"
)

// Who sees what of a clinician's profile. Each audience has its own
// response type, built by one function that copies the allowed fields one
// by one, so a field added to candidates.Profile later is shown to no one
// until it is placed (views_test.go fails until it is):
//
//   - the clinician, reading their own profile: FullProfile, everything;
//   - an admin: FullProfile; contact details and licence numbers only on
//     a single-profile read, which is audited;
//   - a recruiter whose organization the clinician accepted an
//     introduction with (not revoked): RecruiterProfile: name, NPI, home
//     state and postal code, and on a single read (audited) contact
//     details and licence numbers; never coordinates, since a ranked row
//     gives the distance;
//   - any other recruiter, when the clinician lets recruiters see them by
//     name (visible_to_recruiters): RecruiterProfile without contact
//     details or licence numbers, offering the introduction that shows
//     them;
//   - any other recruiter: AnonymousProfile: no name, NPI, contact
//     details, licence numbers, postal code or coordinates; the home
//     state, and in a ranked row or explanation the distance to the
//     position in whole miles; it says why and offers the introduction.
//
// Which clinicians a recruiter sees at all is decided before a view is
// built (app/reach.go). Every audience sees ClinicianFacts, what a
// placement decision needs.

// ClinicianView is one of FullProfile, RecruiterProfile and
// AnonymousProfile.
type ClinicianView interface{ clinicianView() }

// ClinicianFacts is the part of a profile every audience sees: what fit
// and a hiring decision need, nothing that identifies the clinician.
type ClinicianFacts struct {
	ID                  string                          `json:"id"`
	Credential          taxonomy.Credential             `json:"credential"`
	Taxonomies          []string                        `json:"taxonomies"`
	Specialties         []Specialty                     `json:"specialties"`
	BoardCertifications []candidates.BoardCertification `json:"board_certifications"`
	YearsExperience     int                             `json:"years_experience"`
	Languages           []taxonomy.Language             `json:"languages"`
	EHRsUsed            []taxonomy.EHR                  `json:"ehrs_used"`
	EHRsAvoid           []taxonomy.EHR                  `json:"ehrs_avoid"`
	MaxCommuteMiles     int                             `json:"max_commute_miles"`
	WillingToMoveStates []string                        `json:"willing_to_move_states"`
	AvailableFrom       time.Time                       `json:"available_from"`
	EmploymentTypes     []taxonomy.EmploymentType       `json:"employment_types"`
	Schedule            candidates.ScheduleWish         `json:"schedule"`
	PayFloor            candidates.PayFloor             `json:"pay_floor"`
	Wishes              candidates.Wishes               `json:"wishes"`
	Importance          map[factor.Name]int             `json:"importance"`
	VisibleToRecruiters bool                            `json:"visible_to_recruiters"`
	ConsentUpdatedAt    *time.Time                      `json:"consent_updated_at"`
	Version             int                             `json:"version"`
	CreatedAt           time.Time                       `json:"created_at"`
	UpdatedAt           time.Time                       `json:"updated_at"`
}

// LicenceView is a licence; Number is left out where the audience may not
// see it (lists, recruiters without consent).
type LicenceView struct {
	State      string    `json:"state"`
	Number     string    `json:"number,omitempty"`
	Expires    time.Time `json:"expires"`
	Multistate bool      `json:"multistate"`
}

// FullProfile is the clinician's own profile, and an admin's view.
// Contact is nil, and licence numbers empty, in lists.
type FullProfile struct {
	ClinicianFacts
	Name     candidates.Name     `json:"name"`
	Contact  *candidates.Contact `json:"contact,omitempty"`
	NPI      string              `json:"npi"`
	Licences []LicenceView       `json:"licences"`
	Home     candidates.Home     `json:"home"`
}

// RecruiterHome is where a consenting clinician lives, as a recruiter
// sees it.
type RecruiterHome struct {
	State      string `json:"state"`
	PostalCode string `json:"postal_code"`
}

// RecruiterProfile is a recruiter's view of a clinician seen by name.
// Contact is nil, and licence numbers empty, in lists and until the
// clinician accepts an introduction with the organization; Introduction
// then offers one.
type RecruiterProfile struct {
	ClinicianFacts
	Name         candidates.Name     `json:"name"`
	Contact      *candidates.Contact `json:"contact,omitempty"`
	NPI          string              `json:"npi"`
	Licences     []LicenceView       `json:"licences"`
	Home         RecruiterHome       `json:"home"`
	Introduction *IntroductionOffer  `json:"introduction,omitempty"`
}

// IntroductionOffer tells a recruiter why a clinician's details are
// withheld and how to ask the clinician for them.
type IntroductionOffer struct {
	Reason string `json:"reason"`
	// Request is the route that asks, with ClinicianID and (for a ranked
	// row or pair) PositionID as its body.
	Request     string `json:"request"`
	ClinicianID string `json:"clinician_id"`
	PositionID  string `json:"position_id,omitempty"`
}

// The reasons an offer gives.
const (
	reasonAnonymous = "This clinician shares their name only through an introduction: request one, and they decide."
	reasonContact   = "This clinician shares contact details only through an introduction they accept: request one, and they decide."
)

func offer(reason string, p candidates.Profile, r Reading) *IntroductionOffer {
	return &IntroductionOffer{Reason: reason, Request: "POST /v1/introductions", ClinicianID: p.ID, PositionID: r.PositionID}
}

// HomeState is where a clinician lives as a recruiter without consent
// sees it: the state alone.
type HomeState struct {
	State string `json:"state"`
}

// AnonymousProfile is a recruiter's view of a clinician seen anonymously:
// nothing that identifies them, and why, with the introduction to ask for.
type AnonymousProfile struct {
	ClinicianFacts
	Licences     []LicenceView      `json:"licences"`
	Home         HomeState          `json:"home"`
	Anonymous    string             `json:"anonymous"`
	Introduction *IntroductionOffer `json:"introduction"`
}

func (FullProfile) clinicianView()      {}
func (RecruiterProfile) clinicianView() {}
func (AnonymousProfile) clinicianView() {}

// facts copies what every audience sees.
func facts(p candidates.Profile) ClinicianFacts {
	return ClinicianFacts{
		ID:                  p.ID,
		Credential:          p.Credential,
		Taxonomies:          p.Taxonomies,
		Specialties:         specialties(p.Taxonomies),
		BoardCertifications: p.BoardCertifications,
		YearsExperience:     p.YearsExperience,
		Languages:           p.Languages,
		EHRsUsed:            p.EHRsUsed,
		EHRsAvoid:           p.EHRsAvoid,
		MaxCommuteMiles:     p.MaxCommuteMiles,
		WillingToMoveStates: p.WillingToMoveStates,
		AvailableFrom:       p.AvailableFrom,
		EmploymentTypes:     p.EmploymentTypes,
		Schedule:            p.Schedule,
		PayFloor:            p.PayFloor,
		Wishes:              p.Wishes,
		Importance:          p.Importance,
		VisibleToRecruiters: p.VisibleToRecruiters,
		ConsentUpdatedAt:    p.ConsentUpdatedAt,
		Version:             p.Version,
		CreatedAt:           p.CreatedAt,
		UpdatedAt:           p.UpdatedAt,
	}
}

// licences copies licences, with their numbers only when numbers is true.
func licences(ls []candidates.Licence, numbers bool) []LicenceView {
	if ls == nil {
		return nil
	}
	out := make([]LicenceView, len(ls))
	for i, l := range ls {
		out[i] = LicenceView{State: l.State, Expires: l.Expires, Multistate: l.Multistate}
		if numbers {
			out[i].Number = l.Number
		}
	}
	return out
}

// fullProfile is the clinician's own view and the admin's; private says
// whether contact details and licence numbers are included.
func fullProfile(p candidates.Profile, private bool) FullProfile {
	v := FullProfile{ClinicianFacts: facts(p), Name: p.Name, NPI: p.NPI, Licences: licences(p.Licences, private),
		Home: candidates.Home{Lat: p.Home.Lat, Lng: p.Home.Lng, State: p.Home.State, PostalCode: p.Home.PostalCode}}
	if private {
		v.Contact = &candidates.Contact{Email: p.Contact.Email, Phone: p.Contact.Phone}
	}
	return v
}

// recruiterProfile is a recruiter's view of a clinician seen by name;
// private as for fullProfile; an offer when contact details are withheld.
func recruiterProfile(p candidates.Profile, private bool, o *IntroductionOffer) RecruiterProfile {
	v := RecruiterProfile{ClinicianFacts: facts(p), Name: p.Name, NPI: p.NPI, Licences: licences(p.Licences, private),
		Home: RecruiterHome{State: p.Home.State, PostalCode: p.Home.PostalCode}, Introduction: o}
	if private {
		v.Contact = &candidates.Contact{Email: p.Contact.Email, Phone: p.Contact.Phone}
	}
	return v
}

// anonymousProfile is a recruiter's view of a clinician seen anonymously.
func anonymousProfile(p candidates.Profile, o *IntroductionOffer) AnonymousProfile {
	return AnonymousProfile{ClinicianFacts: facts(p), Licences: licences(p.Licences, false), Home: HomeState{State: p.Home.State},
		Anonymous: reasonAnonymous, Introduction: o}
}

// Reading says how a profile is read. Single is a read of one profile
// (lists, search hits and ranked rows are not); Introduced says the
// reader's organization and the clinician have an accepted, unrevoked
// introduction; PositionID is the position the read is for (a ranked row
// or pair), named in the introduction a withheld view offers.
type Reading struct {
	Single     bool
	Introduced bool
	PositionID string
}

// ProfileFor returns p as who may see it, read as r: admins see contact
// details and licence numbers on single reads, recruiters only on single
// reads after the clinician accepted an introduction with their
// organization. reveals reports that the view holds them, so the read
// must be audited before it is answered. Anyone not named below (a
// clinician reading another's profile) gets the anonymous view. Whether
// a recruiter may see p at all is the caller's check (app/reach.go).
func ProfileFor(who access.Principal, p candidates.Profile, r Reading) (view ClinicianView, reveals bool) {
	switch {
	case who.Role == access.Clinician && who.ProfileID == p.ID:
		return fullProfile(p, true), false
	case who.Role == access.Admin:
		return fullProfile(p, r.Single), r.Single
	case who.Role == access.Recruiter && r.Introduced:
		return recruiterProfile(p, r.Single, nil), r.Single
	case who.Role == access.Recruiter && p.VisibleToRecruiters:
		return recruiterProfile(p, false, offer(reasonContact, p, r)), false
	default:
		return anonymousProfile(p, offer(reasonAnonymous, p, r)), false
	}
}
