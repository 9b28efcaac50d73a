// Package searchtest holds the profiles and positions the tests of the
// search index and its relay write: valid, and with private data that
// must never reach a document.
package searchtest

import (
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"carefit/candidates"
	"carefit/candidates/candidatestest"
	"carefit/internal/kit/taxonomy"
	"carefit/jobs"
)

func ptr[T any](v T) *T { return &v }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

var npiSeq atomic.Int64

// NewProfile returns a valid MD profile with private data that must never
// reach a document.
func NewProfile() candidates.Profile {
	n := int(npiSeq.Add(1))
	return candidates.Profile{
		ID:         uuid.NewString(),
		Name:       candidates.Name{Given: "Ana", Family: "Lopez"},
		Contact:    candidates.Contact{Email: "ana.private@example.org", Phone: "+14145550123"},
		Credential: taxonomy.MD,
		NPI:        candidatestest.NPI(n),
		Taxonomies: []string{"207Q00000X"},
		BoardCertifications: []candidates.BoardCertification{
			{Board: "American Board of Family Medicine", Specialty: "207Q00000X", Expires: ptr(day(2030, 12, 31))},
		},
		Licences:        []candidates.Licence{{State: "WI", Number: "LIC-SECRET-77", Expires: day(2030, 10, 31)}},
		YearsExperience: 7,
		Languages:       []taxonomy.Language{"en", "es"},
		EHRsUsed:        []taxonomy.EHR{taxonomy.EHREpic},
		Home:            candidates.Home{Lat: 43.07, Lng: -89.40, State: "WI", PostalCode: "53703"},
		MaxCommuteMiles: 40,
		AvailableFrom:   day(2026, 5, 1),
		EmploymentTypes: []taxonomy.EmploymentType{taxonomy.EmploymentPermanent},
	}
}

// Nurse turns p into a registered nurse without NPI or board
// certifications.
func Nurse(p *candidates.Profile) {
	p.Credential, p.NPI, p.Taxonomies, p.BoardCertifications = taxonomy.RN, "", []string{"163W00000X"}, nil
}

// Org is an organization with three clinics, two in Wisconsin and one in
// Texas; CreateOrganization assigns its IDs.
var Org = jobs.Organization{
	Name: "Lakeshore Community Health",
	Kind: jobs.KindFQHC,
	Locations: []jobs.Location{{
		Name: "Lakeshore East Clinic", AddressLine: "100 E Main St", City: "Milwaukee", PostalCode: "53202",
		State: "WI", Lat: 43.04, Lng: -87.90, TimeZone: "America/Chicago",
	}, {
		Name: "Madison Clinic", City: "Madison", State: "WI", Lat: 43.07, Lng: -89.40, TimeZone: "America/Chicago",
	}, {
		Name: "Austin Clinic", City: "Austin", State: "TX", Lat: 30.27, Lng: -97.74, TimeZone: "America/Chicago",
	}},
}

// NewPosition returns a valid open position of org at its location loc.
func NewPosition(org jobs.Organization, loc int, now time.Time) jobs.Position {
	return jobs.Position{
		OrgID:          org.ID,
		LocationID:     org.Locations[loc].ID,
		Title:          "Family Physician",
		Description:    "Full-scope outpatient family medicine. No OB.",
		Credentials:    []taxonomy.Credential{taxonomy.MD, taxonomy.DO},
		Taxonomies:     []string{"207Q00000X"},
		EmploymentType: taxonomy.EmploymentPermanent,
		StartDate:      now.AddDate(0, 3, 0),
		Schedule:       jobs.Schedule{DaysPerWeek: 4, Shift: taxonomy.ShiftDay, FTE: 0.9},
		Pay:            jobs.Pay{Min: 250000, Max: 300000, Period: jobs.PayAnnual},
		Headcount:      1,
		Status:         jobs.StatusOpen,
		ExpiresAt:      ptr(now.AddDate(0, 2, 0)),
		Environment: jobs.Environment{
			EHR:             ptr(taxonomy.EHREpic),
			Setting:         ptr(taxonomy.SettingFQHC),
			LanguagesNeeded: []taxonomy.Language{"es"},
		},
	}
}
