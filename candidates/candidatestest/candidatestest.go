// Package candidatestest holds valid profiles for the tests of the
// candidates domain and its store.
package candidatestest

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"carefit/candidates"
	"carefit/internal/kit/domaintest"
	"carefit/internal/kit/factor"
	"carefit/internal/kit/taxonomy"
)

// Now is the clock of the tests of the candidates domain and its store:
// domaintest.Now, which every domain's tests share.
var Now = domaintest.Now

// Day is midnight UTC of a calendar date.
func Day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Profile returns a family physician's profile that passes Validate at
// Now; each test changes what it tests.
func Profile() candidates.Profile {
	return candidates.Profile{
		ID:         "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a9f",
		Name:       candidates.Name{Given: "Ana", Family: "López"},
		Contact:    candidates.Contact{Email: "ana@example.org", Phone: "+14145550123"},
		Credential: taxonomy.MD,
		NPI:        "1234567893",
		Taxonomies: []string{"207Q00000X"},
		BoardCertifications: []candidates.BoardCertification{
			{Board: "American Board of Family Medicine", Specialty: "207Q00000X", Expires: domaintest.Ptr(Day(2030, 12, 31))},
		},
		Licences:            []candidates.Licence{{State: "WI", Number: "12345-20", Expires: Day(2027, 10, 31)}},
		YearsExperience:     7,
		Languages:           []taxonomy.Language{"en", "es"},
		EHRsUsed:            []taxonomy.EHR{taxonomy.EHREpic},
		EHRsAvoid:           []taxonomy.EHR{taxonomy.EHRMeditech},
		Home:                candidates.Home{Lat: 43.07, Lng: -89.40, State: "WI", PostalCode: "53703"},
		MaxCommuteMiles:     40,
		WillingToMoveStates: []string{"MN"},
		AvailableFrom:       Day(2026, 5, 1),
		EmploymentTypes:     []taxonomy.EmploymentType{taxonomy.EmploymentPermanent},
		Schedule:            candidates.ScheduleWish{MaxDaysPerWeek: domaintest.Ptr(4), Shifts: []taxonomy.Shift{taxonomy.ShiftDay}, FTEMin: domaintest.Ptr(0.8), FTEMax: domaintest.Ptr(1.0)},
		PayFloor:            candidates.PayFloor{Annual: domaintest.Ptr(240000.0)},
		Wishes: candidates.Wishes{
			PanelMax:      domaintest.Ptr(1800),
			VisitMinNew:   domaintest.Ptr(40),
			ContinuityMin: domaintest.Ptr(60.0),
			ScribeWanted:  domaintest.Ptr(true),
			NoCall:        domaintest.Ptr(false),
			CallMaxOneInN: domaintest.Ptr(6),
			TelehealthMin: domaintest.Ptr(0.0),
			TelehealthMax: domaintest.Ptr(30.0),
			Settings:      []taxonomy.Setting{taxonomy.SettingOutpatientClinic, taxonomy.SettingFQHC},
		},
		Importance:          map[factor.Name]int{factor.PanelSize: 3, factor.Call: 0},
		VisibleToRecruiters: true,
		ConsentUpdatedAt:    domaintest.Ptr(Now),
	}
}

// Nurse turns p into a valid RN profile.
func Nurse(p *candidates.Profile) {
	p.Credential = taxonomy.RN
	p.NPI = ""
	p.Taxonomies = []string{"163W00000X", "163WE0003X"}
	p.BoardCertifications = nil
}

// NPI returns the valid NPI whose first nine digits are 1 followed by n's
// last eight digits (Luhn over the 80840 prefix).
func NPI(n int) string {
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

var npiSeq int

// NewProfile returns a valid profile with a fresh ID and NPI.
func NewProfile() candidates.Profile {
	npiSeq++
	p := Profile()
	p.ID = uuid.NewString()
	p.NPI = NPI(npiSeq)
	return p
}

// Line is p as one line of an NDJSON import.
func Line(t testing.TB, p candidates.Profile) string {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Importable returns a new profile without the fields the store sets.
func Importable() candidates.Profile {
	p := NewProfile()
	p.ID, p.Version, p.CreatedAt, p.UpdatedAt = "", 0, time.Time{}, time.Time{}
	return p
}
