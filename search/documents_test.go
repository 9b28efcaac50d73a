package search

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"carefit/candidates"
	"carefit/internal/kit/geo"
	"carefit/jobs"
	"carefit/search/searchtest"
)

func TestProfileDocHasNoPrivateData(t *testing.T) {
	for _, consent := range []bool{false, true} {
		p := searchtest.NewProfile()
		p.VisibleToRecruiters = consent
		d, err := NewProfileDoc(p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(d)
		for _, secret := range []string{p.Contact.Email, p.Contact.Phone, p.NPI, p.Licences[0].Number, "contact", "npi", "number", "postal"} {
			if strings.Contains(strings.ToLower(string(b)), strings.ToLower(secret)) {
				t.Errorf("consent %v: document contains %q: %s", consent, secret, b)
			}
		}
		hasName := strings.Contains(string(b), "Lopez")
		if hasName != consent {
			t.Errorf("consent %v: name in document %v, want %v: %s", consent, hasName, consent, b)
		}
	}
}

func TestProfileDocLicenceStates(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *candidates.Profile)
		want   func(states []string) bool
	}{
		{"single state", func(p *candidates.Profile) {}, func(s []string) bool { return slices.Equal(s, []string{"WI"}) }},
		{"multistate RN from a compact state gets every compact state", func(p *candidates.Profile) {
			searchtest.Nurse(p)
			p.Licences = []candidates.Licence{{State: "WI", Number: "R1", Expires: day(2030, 1, 1), Multistate: true},
				{State: "CA", Number: "R2", Expires: day(2030, 1, 1)}}
		}, func(s []string) bool {
			return len(s) == len(geo.NLCMembers())+1 && slices.Contains(s, "TX") && slices.Contains(s, "CA") && !slices.Contains(s, "NY")
		}},
		{"multistate flag on an MD does not expand", func(p *candidates.Profile) {
			p.Licences[0].Multistate = true
		}, func(s []string) bool { return slices.Equal(s, []string{"WI"}) }},
		{"multistate from a non-compact state does not expand", func(p *candidates.Profile) {
			searchtest.Nurse(p)
			p.Licences = []candidates.Licence{{State: "NY", Number: "R1", Expires: day(2030, 1, 1), Multistate: true}}
		}, func(s []string) bool { return slices.Equal(s, []string{"NY"}) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := searchtest.NewProfile()
			tc.mutate(&p)
			d, err := NewProfileDoc(p)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.want(d.LicenceStates) {
				t.Errorf("licence states %v", d.LicenceStates)
			}
		})
	}
}

func TestPositionDoc(t *testing.T) {
	now := time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)
	org := searchtest.Org
	org.ID = "6f1c2d3e-4b5a-4978-8a6b-5c4d3e2f1a0b"
	org.Locations = slices.Clone(org.Locations)
	org.Locations[0].ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
	p := searchtest.NewPosition(org, 0, now)
	p.ID = "0b7f3c1e-2a4d-4c8e-9f10-1a2b3c4d5e6f"
	p.Description = strings.Repeat("é", MaxDescription+10)
	place := PositionPlace{OrgName: org.Name, City: "Milwaukee", State: "WI", Lat: 43.04, Lng: -87.90}
	d, err := NewPositionDoc(p, place, now)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Listed || d.TaxonomyNames[0] != "Family Medicine Physician" || d.LanguageNames[0] != "Spanish" || d.Setting != "fqhc" {
		t.Errorf("got %+v", d)
	}
	if n := len([]rune(d.Description)); n != MaxDescription {
		t.Errorf("description has %d characters, want %d", n, MaxDescription)
	}
	if d.ExpiresAt != p.ExpiresAt.Unix() || d.StartDate != p.StartDate.Unix() {
		t.Errorf("times %d %d", d.ExpiresAt, d.StartDate)
	}
	p.Status = jobs.StatusClosed
	if d, _ := NewPositionDoc(p, place, now); d.Listed {
		t.Error("closed position is listed")
	}
	p.Status = jobs.StatusOpen
	if d, _ := NewPositionDoc(p, place, now.AddDate(1, 0, 0)); d.Listed {
		t.Error("expired position is listed")
	}
	for _, bad := range []Geo{{math.NaN(), 1}, {1, math.Inf(1)}, {91, 0}, {0, -181}, {0, 0}} {
		place.Lat, place.Lng = bad.Lat, bad.Lng
		if _, err := NewPositionDoc(p, place, now); err == nil {
			t.Errorf("geo %v accepted", bad)
		}
	}
}
