package market

import (
	"testing"
	"time"

	"carefit/candidates"
	"carefit/internal/kit/taxonomy"
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
		if err := p.Validate(now); err != nil {
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
