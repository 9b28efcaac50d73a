package candidates_test

import (
	"encoding/json"
	"strings"
	"testing"

	"carefit/candidates"
	"carefit/candidates/candidatestest"
	"carefit/internal/kit/domaintest"
	"carefit/internal/kit/factor"
)

func TestProfilePatchApply(t *testing.T) {
	later := candidatestest.Now.Add(1000)
	check := domaintest.Patching(t, candidatestest.Profile, func(pp candidates.ProfilePatch, p *candidates.Profile) error { return pp.Apply(p, later) })
	check("empty", `{}`, func(p *candidates.Profile) {}, "")
	check("absent wish unchanged", `{"wishes":{}}`, func(p *candidates.Profile) {}, "")
	check("null wish cleared", `{"wishes":{"panel_max":null}}`, func(p *candidates.Profile) { p.Wishes.PanelMax = nil }, "")
	check("zero wish is known", `{"wishes":{"inbox_max":0}}`, func(p *candidates.Profile) { p.Wishes.InboxMax = ptr(0) }, "")
	check("null wishes cleared", `{"wishes":null}`, func(p *candidates.Profile) { p.Wishes = candidates.Wishes{} }, "")
	check("email set", `{"contact":{"email":"a@b.org"}}`, func(p *candidates.Profile) { p.Contact.Email = "a@b.org" }, "")
	check("email null rejected", `{"contact":{"email":null}}`, func(p *candidates.Profile) {}, "contact.email")
	check("phone null cleared", `{"contact":{"phone":null}}`, func(p *candidates.Profile) { p.Contact.Phone = "" }, "")
	check("name null rejected", `{"name":null}`, func(p *candidates.Profile) {}, "name")
	check("credential null rejected", `{"credential":null}`, func(p *candidates.Profile) {}, "credential")
	check("home merges", `{"home":{"postal_code":"53704"}}`, func(p *candidates.Profile) { p.Home.PostalCode = "53704" }, "")
	check("home lat null rejected", `{"home":{"lat":null}}`, func(p *candidates.Profile) {}, "home.lat")
	check("pay floor hourly", `{"pay_floor":{"hourly":120}}`, func(p *candidates.Profile) { p.PayFloor.Hourly = ptr(120.0) }, "")
	check("schedule null", `{"schedule":null}`, func(p *candidates.Profile) { p.Schedule = candidates.ScheduleWish{} }, "")
	check("importance replace", `{"importance":{"pay":2}}`, func(p *candidates.Profile) {
		p.Importance = map[factor.Name]int{factor.Pay: 2}
	}, "")
	check("consent unchanged keeps timestamp", `{"visible_to_recruiters":true}`, func(p *candidates.Profile) {}, "")
	check("consent withdrawn stamps time", `{"visible_to_recruiters":false}`, func(p *candidates.Profile) {
		p.VisibleToRecruiters = false
		p.ConsentUpdatedAt = ptr(later)
	}, "")
}

func TestProfileJSONRoundTrip(t *testing.T) {
	t.Run("full", func(t *testing.T) { domaintest.CheckRoundTrip(t, candidatestest.Profile()) })
	t.Run("no wishes", func(t *testing.T) {
		p := candidatestest.Profile()
		p.Wishes, p.PayFloor = candidates.Wishes{}, candidates.PayFloor{}
		domaintest.CheckRoundTrip(t, p)
	})
}

func TestProfileJSONUnknownVersusZero(t *testing.T) {
	w := candidates.Wishes{InboxMax: ptr(0), NoCall: ptr(false)}
	b, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"inbox_max":0`, `"no_call":false`, `"panel_max":null`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("got %s, want it to contain %s", b, want)
		}
	}
}

func TestJSONRejectsUnknownFields(t *testing.T) {
	tests := []struct {
		name string
		body string
		into any
	}{
		{"profile", `{"ssn":"x"}`, &candidates.Profile{}},
		{"profile nested", `{"wishes":{"panelMax":1}}`, &candidates.Profile{}},
		{"licence", `{"licences":[{"state":"WI","issuer":"x"}]}`, &candidates.Profile{}},
		{"patch", `{"version":2}`, &candidates.ProfilePatch{}},
		{"patch consent time", `{"consent_updated_at":null}`, &candidates.ProfilePatch{}},
		{"patch nested", `{"wishes":{"panelmax":1}}`, &candidates.ProfilePatch{}},
		{"patch list element", `{"licences":[{"state":"WI","issuer":"x"}]}`, &candidates.ProfilePatch{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { domaintest.CheckRejected(t, tc.body, tc.into) })
	}
}
