package jobs_test

import (
	"strings"
	"testing"

	"carefit/internal/kit/domaintest"
	"carefit/internal/kit/factor"
	"carefit/jobs"
	"carefit/jobs/jobstest"
)

func TestOrganizationValidate(t *testing.T) {
	check := domaintest.Validation(t, jobstest.Org, jobs.Organization.Validate)
	check("valid", func(o *jobs.Organization) {}, "")
	check("valid no locations", func(o *jobs.Organization) { o.Locations = nil }, "")
	check("no name", func(o *jobs.Organization) { o.Name = "" }, "name")
	check("long name", func(o *jobs.Organization) { o.Name = strings.Repeat("n", 201) }, "name")
	check("bad kind", func(o *jobs.Organization) { o.Kind = "clinic" }, "kind")
	check("too many locations", func(o *jobs.Organization) {
		o.Locations = make([]jobs.Location, 101)
		for i := range o.Locations {
			o.Locations[i] = jobstest.Org().Locations[0]
			o.Locations[i].ID = ""
		}
	}, "locations")
	check("dup location id", func(o *jobs.Organization) { o.Locations = append(o.Locations, o.Locations[0]) }, "locations[1].id")
	check("bad state", func(o *jobs.Organization) { o.Locations[0].State = "XX" }, "locations[0].state")
	check("lat 91", func(o *jobs.Organization) { o.Locations[0].Lat = 91 }, "locations[0].lat")
	check("lng -181", func(o *jobs.Organization) { o.Locations[0].Lng = -181 }, "locations[0].lng")
	check("null island", func(o *jobs.Organization) { o.Locations[0].Lat, o.Locations[0].Lng = 0, 0 }, "locations[0].lat")
	check("bad zip", func(o *jobs.Organization) { o.Locations[0].PostalCode = "5320" }, "locations[0].postal_code")
	check("zip+4", func(o *jobs.Organization) { o.Locations[0].PostalCode = "53202-1234" }, "")
	check("no tz", func(o *jobs.Organization) { o.Locations[0].TimeZone = "" }, "locations[0].time_zone")
	check("Local tz", func(o *jobs.Organization) { o.Locations[0].TimeZone = "Local" }, "locations[0].time_zone")
	check("bad tz", func(o *jobs.Organization) { o.Locations[0].TimeZone = "America/Atlantis" }, "locations[0].time_zone")
	check("location name", func(o *jobs.Organization) { o.Locations[0].Name = "" }, "locations[0].name")
	check("unknown factor", func(o *jobs.Organization) { o.WeightOverrides["vibes"] = 1 }, "weight_overrides.vibes")
	check("weight 5.5", func(o *jobs.Organization) { o.WeightOverrides[factor.Pay] = 5.5 }, "weight_overrides.pay")
	check("weight -1", func(o *jobs.Organization) { o.WeightOverrides[factor.Pay] = -1 }, "weight_overrides.pay")
}

func TestApplyDefaults(t *testing.T) {
	org := jobstest.Org()
	p := jobstest.Position()
	p.LicenceStates = nil
	p.Pay.Currency = ""
	if err := p.ApplyDefaults(org); err != nil {
		t.Fatalf("got %v, want nil", err)
	}
	if got, want := strings.Join(p.LicenceStates, ","), "WI"; got != want {
		t.Errorf("licence_states: got %v, want %v", got, want)
	}
	if got, want := p.Pay.Currency, jobs.CurrencyUSD; got != want {
		t.Errorf("currency: got %v, want %v", got, want)
	}

	p = jobstest.Position()
	p.LicenceStates = []string{"IL", "WI"}
	if err := p.ApplyDefaults(org); err != nil || len(p.LicenceStates) != 2 {
		t.Errorf("got %v %v, want explicit states kept", p.LicenceStates, err)
	}

	p = jobstest.Position()
	p.LocationID = "00000000-0000-4000-8000-000000000000"
	assertField(t, p.ApplyDefaults(org), "location_id")

	p = jobstest.Position()
	p.OrgID = "00000000-0000-4000-8000-000000000000"
	assertField(t, p.ApplyDefaults(org), "org_id")
}
