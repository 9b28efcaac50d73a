// Package jobstest holds valid jobs values for the tests of the jobs
// domain and its store.
package jobstest

import (
	"time"

	"carefit/internal/kit/domaintest"
	"carefit/internal/kit/factor"
	"carefit/internal/kit/taxonomy"
	"carefit/jobs"
)

// Now is the clock of the tests of the jobs domain and its store:
// domaintest.Now, which every domain's tests share.
var Now = domaintest.Now

// Position returns an open family-medicine position of Org at its
// location that passes Validate at Now; each test changes what it tests.
func Position() jobs.Position {
	return jobs.Position{
		ID:             "0b7f3c1e-2a4d-4c8e-9f10-1a2b3c4d5e6f",
		OrgID:          "6f1c2d3e-4b5a-4978-8a6b-5c4d3e2f1a0b",
		LocationID:     "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
		Title:          "Family Physician",
		Description:    "Full-scope outpatient family medicine.\n\tNo OB.",
		Credentials:    []taxonomy.Credential{taxonomy.MD, taxonomy.DO},
		Taxonomies:     []string{"207Q00000X", "207R00000X"},
		LicenceStates:  []string{"WI"},
		EmploymentType: taxonomy.EmploymentPermanent,
		StartDate:      time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
		Schedule:       jobs.Schedule{DaysPerWeek: 4, Shift: taxonomy.ShiftDay, FTE: 0.9},
		Pay:            jobs.Pay{Min: 250000, Max: 300000, Period: jobs.PayAnnual, Currency: jobs.CurrencyUSD},
		Headcount:      1,
		Status:         jobs.StatusOpen,
		ExpiresAt:      domaintest.Ptr(Now.AddDate(0, 2, 0)),
		Environment: jobs.Environment{
			PanelSize:       domaintest.Ptr(1800),
			VisitMinutesNew: domaintest.Ptr(40),
			EHR:             domaintest.Ptr(taxonomy.EHREpic),
			CallOneInN:      domaintest.Ptr(0),
			Scribe:          domaintest.Ptr(false),
			LanguagesNeeded: []taxonomy.Language{"es"},
		},
		Wants: jobs.Wants{MinYears: domaintest.Ptr(2), LanguagesWanted: []taxonomy.Language{"es"}},
	}
}

// Org returns a valid organisation with one location in Wisconsin.
func Org() jobs.Organization {
	return jobs.Organization{
		ID:   "6f1c2d3e-4b5a-4978-8a6b-5c4d3e2f1a0b",
		Name: "Lakeshore Community Health",
		Kind: jobs.KindFQHC,
		Locations: []jobs.Location{{
			ID:          "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
			Name:        "Lakeshore East Clinic",
			AddressLine: "100 E Main St",
			City:        "Milwaukee",
			PostalCode:  "53202",
			State:       "WI",
			Lat:         43.04,
			Lng:         -87.90,
			TimeZone:    "America/Chicago",
		}},
		WeightOverrides: map[factor.Name]float64{factor.Languages: 4, factor.Pay: 0},
	}
}
