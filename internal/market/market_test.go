package market

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"carefit/candidates"
	"carefit/internal/kit/taxonomy"
	"carefit/jobs"
)

func TestGeneratedMarketIsValid(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	mk := Generate(7, Size{Organizations: 60, Positions: 3000, Profiles: 6000}, now)
	orgs := map[string]int{}
	for i, o := range mk.Organizations {
		if err := o.Validate(); err != nil {
			t.Fatalf("organization %d: %v", i, err)
		}
		orgs[o.ID] = i
	}
	for i, p := range mk.Positions {
		org := mk.Organizations[orgs[p.OrgID]]
		if err := p.ApplyDefaults(org); err != nil {
			t.Fatalf("position %d defaults: %v", i, err)
		}
		if err := p.Validate(postedAt(p, now)); err != nil {
			t.Fatalf("position %d: %v", i, err)
		}
	}
	npis := map[string]bool{}
	creds := map[taxonomy.Credential]int{}
	for i, p := range mk.Profiles {
		if err := p.Validate(now); err != nil {
			t.Fatalf("profile %d: %v", i, err)
		}
		if p.NPI != "" {
			if npis[p.NPI] {
				t.Fatalf("profile %d: duplicate NPI %s", i, p.NPI)
			}
			npis[p.NPI] = true
		}
		creds[p.Credential]++
	}
	for _, c := range []taxonomy.Credential{taxonomy.MD, taxonomy.DO, taxonomy.NP, taxonomy.PA, taxonomy.RN} {
		if creds[c] < len(mk.Profiles)/20 {
			t.Errorf("only %d %s profiles of %d", creds[c], c, len(mk.Profiles))
		}
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	a := Generate(3, Size{Organizations: 5, Positions: 50, Profiles: 50}, now)
	b := Generate(3, Size{Organizations: 5, Positions: 50, Profiles: 50}, now)
	for i := range a.Profiles {
		if a.Profiles[i].ID != b.Profiles[i].ID || a.Profiles[i].NPI != b.Profiles[i].NPI {
			t.Fatalf("profile %d differs between runs with the same seed", i)
		}
	}
	if a.Positions[7].ID != b.Positions[7].ID || a.Positions[7].Pay != b.Positions[7].Pay {
		t.Fatal("positions differ between runs with the same seed")
	}
}

func TestNPICheckDigit(t *testing.T) {
	for n := 0; n < 2000; n++ {
		if !candidates.ValidNPI(npi(n)) {
			t.Fatalf("npi(%d) = %s is not valid", n, npi(n))
		}
	}
}

// TestMarketLooksLikeTheRealOne checks the distributions a new user sees
// in the demo against their public sources (pay.go, metros.go).
func TestMarketLooksLikeTheRealOne(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	mk := Generate(9, Size{Organizations: 80, Positions: 4000, Profiles: 8000}, now)
	hourly := map[string][]float64{}
	states := map[jobs.Status]int{}
	expired, obgynHospital, mustPositions := 0, 0, 0
	for i, p := range mk.Positions {
		key := string(p.Credentials[0])
		if p.Taxonomies[0] == "2084P0800X" {
			key = "psychiatry"
		}
		if p.Pay.Period == jobs.PayHourly {
			hourly[key] = append(hourly[key], p.Pay.Max)
		}
		setting := *p.Environment.Setting
		// A title names no other kind of place than the setting.
		if strings.Contains(p.Title, "Urgent Care") && setting != taxonomy.SettingUrgentCare &&
			!(setting == taxonomy.SettingTelehealthOnly && strings.Contains(p.Title, "Virtual")) {
			t.Errorf("position %d is titled %q in a %s", i, p.Title, setting)
		}
		if (setting == taxonomy.SettingHospital || setting == taxonomy.SettingUrgentCare) && p.Environment.PanelSize != nil {
			t.Errorf("position %d states a panel in a %s", i, setting)
		}
		want := float64(p.Schedule.DaysPerWeek) / 5
		if setting == taxonomy.SettingHospital {
			want = math.Min(1, float64(p.Schedule.DaysPerWeek*3)/10) // 12-hour shifts
		}
		// The FTE a person would write: no 0.8999999999999999.
		if shown := strconv.FormatFloat(p.Schedule.FTE, 'f', -1, 64); p.Schedule.FTE != want || len(shown) > 4 {
			t.Errorf("position %d: %v FTE at %d days a week in a %s", i, p.Schedule.FTE, p.Schedule.DaysPerWeek, setting)
		}
		if p.Taxonomies[0] == "207V00000X" && setting == taxonomy.SettingHospital {
			obgynHospital++
		}
		states[p.Status]++
		if p.Status == jobs.StatusOpen && !p.Listed(now) {
			expired++
		}
		if len(p.Wants.MustHave) > 0 {
			mustPositions++
		}
	}
	for _, tc := range []struct {
		what    string
		lo, hi  float64 // bounds of the median of the top of the range
		ceiling float64 // nothing above
	}{
		{"NP", 65, 95, 130}, {"PA", 65, 95, 130}, {"RN", 40, 65, 100}, {"psychiatry", 150, 200, 260},
	} {
		v := hourly[tc.what]
		slices.Sort(v)
		if len(v) < 10 || v[len(v)/2] < tc.lo || v[len(v)/2] > tc.hi || v[len(v)-1] > tc.ceiling {
			t.Errorf("%s hourly pay: %d postings, median %v, top %v; want a median in [%v, %v], none above %v",
				tc.what, len(v), v[len(v)/2], v[len(v)-1], tc.lo, tc.hi, tc.ceiling)
		}
	}
	if states[jobs.StatusDraft] == 0 || states[jobs.StatusFilled] == 0 || states[jobs.StatusClosed] == 0 || expired == 0 ||
		states[jobs.StatusOpen]-expired < len(mk.Positions)*3/4 {
		t.Errorf("lifecycle: %v with %d expired; want every state and most listed", states, expired)
	}
	if obgynHospital == 0 || mustPositions == 0 {
		t.Errorf("%d OB/GYN roles in a hospital and %d positions with a must-have; want some", obgynHospital, mustPositions)
	}
	checkProfiles(t, mk.Profiles)
}

// checkProfiles checks that specialty pairs are ones clinicians hold,
// postal codes belong to the home state, and some wishes are must-haves.
func checkProfiles(t *testing.T, ps []candidates.Profile) {
	t.Helper()
	zip := map[string][][2]int{}
	for _, m := range metros {
		zip[m.State] = append(zip[m.State], m.Zip3)
	}
	must := 0
	for i, p := range ps {
		if len(p.Taxonomies) == 2 && !slices.Contains(related[p.Taxonomies[0]], p.Taxonomies[1]) {
			t.Errorf("profile %d holds %v, an implausible pair", i, p.Taxonomies)
		}
		prefix, _ := strconv.Atoi(p.Home.PostalCode[:3])
		if !slices.ContainsFunc(zip[p.Home.State], func(r [2]int) bool { return prefix >= r[0] && prefix <= r[1] }) {
			t.Errorf("profile %d: postal code %s is not in %s", i, p.Home.PostalCode, p.Home.State)
		}
		for _, v := range p.Importance {
			if v == candidates.MustHave {
				must++
			}
		}
	}
	if must < len(ps)/10 {
		t.Errorf("%d of %d clinicians mark a must-have; want about one in five", must, len(ps))
	}
}
