package jobs_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"carefit/jobs"
	"carefit/jobs/jobstest"
)

func TestPositionJSONRoundTrip(t *testing.T) {
	for _, name := range []string{"full", "unknown facts"} {
		t.Run(name, func(t *testing.T) {
			p := jobstest.Position()
			if name == "unknown facts" {
				p.Environment = jobs.Environment{}
				p.Wants = jobs.Wants{}
			}
			b, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			var got jobs.Position
			if err := decodeStrict(t, string(b), &got); err != nil {
				t.Fatalf("decode: got %v, want nil", err)
			}
			if diff := cmp.Diff(p, got); diff != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPositionJSONUnknownVersusZero(t *testing.T) {
	p := jobstest.Position()
	p.Environment = jobs.Environment{CallOneInN: ptr(0), Scribe: ptr(false)}
	b, err := json.Marshal(p.Environment)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{`"call_one_in_n":0`, `"scribe":false`, `"panel_size":null`, `"ehr":null`} {
		if !strings.Contains(s, want) {
			t.Errorf("got %s, want it to contain %s", s, want)
		}
	}
	var e jobs.Environment
	if err := decodeStrict(t, `{"call_one_in_n":0,"panel_size":null}`, &e); err != nil {
		t.Fatal(err)
	}
	if e.CallOneInN == nil || *e.CallOneInN != 0 {
		t.Errorf("call_one_in_n: got %v, want known 0", e.CallOneInN)
	}
	if e.PanelSize != nil || e.Scribe != nil {
		t.Errorf("got panel %v scribe %v, want both unknown", e.PanelSize, e.Scribe)
	}
}

func TestJSONRejectsUnknownFields(t *testing.T) {
	tests := []struct {
		name string
		body string
		into any
	}{
		{"position top level", `{"title":"x","salary":1}`, &jobs.Position{}},
		{"position nested", `{"environment":{"panelSize":1}}`, &jobs.Position{}},
		{"pay nested", `{"pay":{"minimum":1}}`, &jobs.Position{}},
		{"organization", `{"name":"x","type":"fqhc"}`, &jobs.Organization{}},
		{"location", `{"locations":[{"zip":"53202"}]}`, &jobs.Organization{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := decodeStrict(t, tc.body, tc.into); err == nil {
				t.Errorf("got nil error, want unknown field error")
			}
		})
	}
}

func TestOrganizationJSONRoundTrip(t *testing.T) {
	o := jobstest.Org()
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"weight_overrides":{"languages":4,"pay":0}`) {
		t.Errorf("got %s, want weight_overrides keyed by factor name", b)
	}
	var got jobs.Organization
	if err := decodeStrict(t, string(b), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(o, got); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
}
