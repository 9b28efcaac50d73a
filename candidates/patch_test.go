package candidates_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"carefit/candidates"
	"carefit/candidates/candidatestest"
	"carefit/internal/kit/factor"
)

func decodeStrict(t *testing.T, in string, v any) error {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(in)))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func TestProfilePatchApply(t *testing.T) {
	later := candidatestest.Now.Add(1000)
	tests := []struct {
		name  string
		body  string
		want  func(p *candidates.Profile)
		field string
	}{
		{"empty", `{}`, func(p *candidates.Profile) {}, ""},
		{"absent wish unchanged", `{"wishes":{}}`, func(p *candidates.Profile) {}, ""},
		{"null wish cleared", `{"wishes":{"panel_max":null}}`, func(p *candidates.Profile) { p.Wishes.PanelMax = nil }, ""},
		{"zero wish is known", `{"wishes":{"inbox_max":0}}`, func(p *candidates.Profile) { p.Wishes.InboxMax = ptr(0) }, ""},
		{"null wishes cleared", `{"wishes":null}`, func(p *candidates.Profile) { p.Wishes = candidates.Wishes{} }, ""},
		{"email set", `{"contact":{"email":"a@b.org"}}`, func(p *candidates.Profile) { p.Contact.Email = "a@b.org" }, ""},
		{"email null rejected", `{"contact":{"email":null}}`, func(p *candidates.Profile) {}, "contact.email"},
		{"phone null cleared", `{"contact":{"phone":null}}`, func(p *candidates.Profile) { p.Contact.Phone = "" }, ""},
		{"name null rejected", `{"name":null}`, func(p *candidates.Profile) {}, "name"},
		{"credential null rejected", `{"credential":null}`, func(p *candidates.Profile) {}, "credential"},
		{"home merges", `{"home":{"postal_code":"53704"}}`, func(p *candidates.Profile) { p.Home.PostalCode = "53704" }, ""},
		{"home lat null rejected", `{"home":{"lat":null}}`, func(p *candidates.Profile) {}, "home.lat"},
		{"pay floor hourly", `{"pay_floor":{"hourly":120}}`, func(p *candidates.Profile) { p.PayFloor.Hourly = ptr(120.0) }, ""},
		{"schedule null", `{"schedule":null}`, func(p *candidates.Profile) { p.Schedule = candidates.ScheduleWish{} }, ""},
		{"importance replace", `{"importance":{"pay":2}}`, func(p *candidates.Profile) {
			p.Importance = map[factor.Name]int{factor.Pay: 2}
		}, ""},
		{"consent unchanged keeps timestamp", `{"visible_to_recruiters":true}`, func(p *candidates.Profile) {}, ""},
		{"consent withdrawn stamps time", `{"visible_to_recruiters":false}`, func(p *candidates.Profile) {
			p.VisibleToRecruiters = false
			p.ConsentUpdatedAt = ptr(later)
		}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var pp candidates.ProfilePatch
			if err := decodeStrict(t, tc.body, &pp); err != nil {
				t.Fatalf("decode: got %v, want nil", err)
			}
			got := candidatestest.Profile()
			err := pp.Apply(&got, later)
			want := candidatestest.Profile()
			tc.want(&want)
			assertField(t, err, tc.field)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("profile mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProfileJSONRoundTrip(t *testing.T) {
	for _, name := range []string{"full", "no wishes"} {
		t.Run(name, func(t *testing.T) {
			p := candidatestest.Profile()
			if name == "no wishes" {
				p.Wishes = candidates.Wishes{}
				p.PayFloor = candidates.PayFloor{}
			}
			b, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			var got candidates.Profile
			if err := decodeStrict(t, string(b), &got); err != nil {
				t.Fatalf("decode: got %v, want nil", err)
			}
			if diff := cmp.Diff(p, got); diff != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s", diff)
			}
		})
	}
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
		t.Run(tc.name, func(t *testing.T) {
			if err := decodeStrict(t, tc.body, tc.into); err == nil {
				t.Errorf("got nil error, want unknown field error")
			}
		})
	}
}
