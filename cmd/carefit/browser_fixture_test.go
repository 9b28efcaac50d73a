package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"carefit/candidates"
	"carefit/internal/kit/factor"
	"carefit/internal/kit/taxonomy"
	"carefit/internal/market"
	"carefit/internal/platform/testenv"
	"carefit/jobs"
)

// The fit fixture: a small hand-written market added to the browser
// tests' generated one, so that how a clinician's roles rank follows from
// the data rather than from a seed. One clinic in Bozeman, Montana (no
// generated metro), three geriatrics positions (a specialty the generator
// never draws) that differ only in their pay and the length of a
// new-patient visit, and one geriatrician living next to the clinic who is
// eligible for exactly these three. She states a pay floor of $250,000 a
// year and no visit length:
//
//	position                pay up to   new-patient visit
//	short visits            $245,000    30 minutes
//	medium visits           $235,000    55 minutes
//	long visits             $228,000    60 minutes
//
// Her side of the fit weighs pay (1.0), the commute (0.6, met by all) and
// the EHR (0.6, Epic, used by her and all), so her roles rank by pay:
// short, medium, long. Asking for new-patient visits of at least 60
// minutes, weighted 3, adds a factor that the long visits meet, the medium
// ones come close to (5 minutes short: a fit of 0.8 at the engine's
// 10-minute width) and the short ones miss (30 minutes short: 0.1), which
// outweighs the pay: long (C ≈ 0.92), medium (0.83), short (0.47). Made a
// must-have, it takes the short visits out of her roles (a miss of a
// width or more), and the medium ones stay.
type fitFixture struct {
	Clinician        candidates.Profile
	Short, Med, Long jobs.Position
	// VisitMin is the visit length she then asks for, the long visits'.
	VisitMin int
}

// fitFixtureData builds the fixture as of now.
func fitFixtureData(now time.Time) (market.Market, fitFixture) {
	now = now.UTC()
	loc := jobs.Location{ID: uuid.NewString(), Name: "Gallatin Valley Clinic, Main Street", AddressLine: "300 W Main St",
		City: "Bozeman", PostalCode: "59715", State: "MT", Lat: 45.6793, Lng: -111.0429, TimeZone: "America/Denver"}
	org := jobs.Organization{ID: uuid.NewString(), Name: "Gallatin Valley Geriatrics", Kind: jobs.KindGroupPractice,
		Locations: []jobs.Location{loc}}
	const code = "207QG0300X" // Geriatric Medicine (Family Medicine)
	epic, clinic := taxonomy.EHREpic, taxonomy.SettingOutpatientClinic
	expires := now.AddDate(0, 0, 60)
	position := func(minutes int, payMax float64) jobs.Position {
		return jobs.Position{ID: uuid.NewString(), OrgID: org.ID, LocationID: loc.ID,
			Title:       fmt.Sprintf("Geriatrician, %d-minute first visits", minutes),
			Description: "Outpatient geriatrics in Bozeman.", Credentials: []taxonomy.Credential{taxonomy.MD, taxonomy.DO},
			Taxonomies: []string{code}, LicenceStates: []string{"MT"}, EmploymentType: taxonomy.EmploymentPermanent,
			StartDate: now.AddDate(0, 0, 30).Truncate(24 * time.Hour), Headcount: 1, Status: jobs.StatusOpen,
			ExpiresAt: &expires, Schedule: jobs.Schedule{DaysPerWeek: 4, Shift: taxonomy.ShiftDay, FTE: 0.8},
			Pay:         jobs.Pay{Min: 200000, Max: payMax, Period: jobs.PayAnnual, Currency: jobs.CurrencyUSD},
			Environment: jobs.Environment{VisitMinutesNew: &minutes, EHR: &epic, Setting: &clinic}}
	}
	floor := 250000.0
	fx := fitFixture{Short: position(30, 245000), Med: position(55, 235000), Long: position(60, 228000), VisitMin: 60}
	fx.Clinician = candidates.Profile{ID: uuid.NewString(), Name: candidates.Name{Given: "Rosa", Family: "Whitfield"},
		Contact:    candidates.Contact{Email: "rosa.whitfield@example.org", Phone: "+14065550142"},
		Credential: taxonomy.MD, NPI: validNPI(77001234), Taxonomies: []string{code}, YearsExperience: 12,
		Licences:  []candidates.Licence{{State: "MT", Number: "MD-77012", Expires: now.AddDate(2, 0, 0).Truncate(24 * time.Hour)}},
		Languages: []taxonomy.Language{"en"}, EHRsUsed: []taxonomy.EHR{epic},
		Home:            candidates.Home{Lat: 45.6770, Lng: -111.0500, State: "MT", PostalCode: "59715"},
		MaxCommuteMiles: 30, AvailableFrom: now.Truncate(24 * time.Hour),
		EmploymentTypes: []taxonomy.EmploymentType{taxonomy.EmploymentPermanent},
		PayFloor:        candidates.PayFloor{Annual: &floor}, Importance: map[factor.Name]int{}, VisibleToRecruiters: true}
	return market.Market{Organizations: []jobs.Organization{org}, Positions: []jobs.Position{fx.Short, fx.Med, fx.Long},
		Profiles: []candidates.Profile{fx.Clinician}}, fx
}

// validNPI is the NPI 1 followed by n in eight digits and its check digit.
func validNPI(n int) string {
	base := fmt.Sprintf("1%08d", n%100_000_000)
	for d := 0; d <= 9; d++ {
		if s := base + fmt.Sprint(d); candidates.ValidNPI(s) {
			return s
		}
	}
	panic("no check digit for " + base)
}

// loadFitFixture stores the fit fixture in the running site's database,
// gives its clinician a key, and waits until the feature store ranks her
// three roles.
func (s site) loadFitFixture(t *testing.T) (fitFixture, string) {
	t.Helper()
	mk, fx := fitFixtureData(time.Now())
	if err := market.Load(context.Background(), s.DB, mk, time.Now, nil); err != nil {
		t.Fatal(err)
	}
	var created struct{ Secret string }
	s.api(t, s.Keys["admin"], "POST", "/v1/keys", map[string]any{"role": "clinician", "profile_id": fx.Clinician.ID, "label": "fit fixture"},
		http.StatusCreated, &created)
	// Until the feature store has followed the outbox to her, her roles
	// are not found.
	testenv.WaitFor(t, 30*time.Second, "the fixture clinician's three roles are ranked", func() bool {
		req, _ := http.NewRequest("GET", s.URL+"/v1/me/roles?limit=10", nil)
		req.Header.Set("Authorization", "Bearer "+created.Secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var roles page
		return res.StatusCode == http.StatusOK && json.NewDecoder(res.Body).Decode(&roles) == nil && roles.Total == 3
	})
	return fx, created.Secret
}
