package jobs_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"carefit/internal/kit/factor"
	"carefit/jobs"
	"carefit/jobs/jobstest"
)

// decodeStrict decodes the way the API does: unknown members are errors.
func decodeStrict(t *testing.T, in string, v any) error {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(in)))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func TestPositionPatchApply(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		want  func(p *jobs.Position) // edits validPosition into the expected result
		field string                 // expected error field, "" for none
	}{
		{"empty keeps everything", `{}`, func(p *jobs.Position) {}, ""},
		{"absent fact unchanged", `{"environment":{}}`, func(p *jobs.Position) {}, ""},
		{"null fact becomes unknown", `{"environment":{"panel_size":null}}`, func(p *jobs.Position) {
			p.Environment.PanelSize = nil
		}, ""},
		{"zero fact is known zero", `{"environment":{"panel_size":0,"scribe":true}}`, func(p *jobs.Position) {
			p.Environment.PanelSize = ptr(0)
			p.Environment.Scribe = ptr(true)
		}, ""},
		{"null environment clears all", `{"environment":null}`, func(p *jobs.Position) {
			p.Environment = jobs.Environment{}
		}, ""},
		{"title set", `{"title":"Lead Physician"}`, func(p *jobs.Position) { p.Title = "Lead Physician" }, ""},
		{"title null rejected", `{"title":null}`, func(p *jobs.Position) {}, "title"},
		{"description null empties", `{"description":null}`, func(p *jobs.Position) { p.Description = "" }, ""},
		{"pay merges", `{"pay":{"max":320000}}`, func(p *jobs.Position) { p.Pay.Max = 320000 }, ""},
		{"pay null rejected", `{"pay":null}`, func(p *jobs.Position) {}, "pay"},
		{"pay.min null rejected", `{"pay":{"min":null}}`, func(p *jobs.Position) {}, "pay.min"},
		{"schedule merges", `{"schedule":{"shift":"night"}}`, func(p *jobs.Position) { p.Schedule.Shift = "night" }, ""},
		{"expires null", `{"expires_at":null}`, func(p *jobs.Position) { p.ExpiresAt = nil }, ""},
		{"wants null", `{"wants":null}`, func(p *jobs.Position) { p.Wants = jobs.Wants{} }, ""},
		{"wants min years", `{"wants":{"min_years":5}}`, func(p *jobs.Position) { p.Wants.MinYears = ptr(5) }, ""},
		{"taxonomies replace", `{"taxonomies":["207R00000X"]}`, func(p *jobs.Position) {
			p.Taxonomies = []string{"207R00000X"}
		}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var pp jobs.PositionPatch
			if err := decodeStrict(t, tc.body, &pp); err != nil {
				t.Fatalf("decode: got %v, want nil", err)
			}
			got := jobstest.Position()
			err := pp.Apply(&got)
			want := jobstest.Position()
			tc.want(&want)
			assertField(t, err, tc.field)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("position mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPositionPatchRejectsUnpatchable(t *testing.T) {
	for _, body := range []string{`{"status":"open"}`, `{"version":3}`, `{"id":"x"}`, `{"environment":{"panelsize":3}}`} {
		t.Run(body, func(t *testing.T) {
			var pp jobs.PositionPatch
			if err := decodeStrict(t, body, &pp); err == nil {
				t.Errorf("got nil error, want unknown field error")
			}
		})
	}
}

func TestPositionPatchEncodeOmitsAbsent(t *testing.T) {
	var pp jobs.PositionPatch
	if err := decodeStrict(t, `{"environment":{"ehr":null,"panel_size":1500}}`, &pp); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(pp)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"environment":{"panel_size":1500,"ehr":null}}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestOrganizationPatchApply(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		want  func(o *jobs.Organization)
		field string
	}{
		{"rename", `{"name":"New Name"}`, func(o *jobs.Organization) { o.Name = "New Name" }, ""},
		{"kind null rejected", `{"kind":null}`, func(o *jobs.Organization) {}, "kind"},
		{"overrides null clears", `{"weight_overrides":null}`, func(o *jobs.Organization) { o.WeightOverrides = nil }, ""},
		{"overrides replace", `{"weight_overrides":{"pay":2}}`, func(o *jobs.Organization) {
			o.WeightOverrides = map[factor.Name]float64{factor.Pay: 2}
		}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var op jobs.OrganizationPatch
			if err := decodeStrict(t, tc.body, &op); err != nil {
				t.Fatalf("decode: got %v, want nil", err)
			}
			got := jobstest.Org()
			err := op.Apply(&got)
			want := jobstest.Org()
			tc.want(&want)
			assertField(t, err, tc.field)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("organization mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
