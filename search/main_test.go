package search

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"carefit/candidates"
	"carefit/internal/kit/taxonomy"
	"carefit/internal/platform/testenv"
	"carefit/jobs"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func ptr[T any](v T) *T { return &v }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// makeNPI returns the valid NPI whose first nine digits are 1 followed by
// n's last eight digits (Luhn over the 80840 prefix).
func makeNPI(n int) string {
	stem := fmt.Sprintf("1%08d", n%100_000_000)
	payload := "80840" + stem
	sum := 0
	for i := len(payload) - 1; i >= 0; i-- {
		d := int(payload[i] - '0')
		if (len(payload)-1-i)%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return stem + fmt.Sprint((10-sum%10)%10)
}

var npiSeq atomic.Int64

// newProfile returns a valid MD profile with private data that must never
// reach a document.
func newProfile() candidates.Profile {
	n := int(npiSeq.Add(1))
	return candidates.Profile{
		ID:         uuid.NewString(),
		Name:       candidates.Name{Given: "Ana", Family: "Lopez"},
		Contact:    candidates.Contact{Email: "ana.private@example.org", Phone: "+14145550123"},
		Credential: taxonomy.MD,
		NPI:        makeNPI(n),
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

func nurse(p *candidates.Profile) {
	p.Credential, p.NPI, p.Taxonomies, p.BoardCertifications = taxonomy.RN, "", []string{"163W00000X"}, nil
}

var testOrg = jobs.Organization{
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

// newPosition returns a valid open position of org at its location loc.
func newPosition(org jobs.Organization, loc int, now time.Time) jobs.Position {
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

// newClient returns a Client on this test's own index prefix, with the
// live indexes created.
func newClient(t testing.TB) *Client {
	t.Helper()
	m := testenv.MeiliSearch(t)
	c := New(m.Client, m.Prefix)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := c.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	return c
}

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
