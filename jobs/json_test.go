package jobs_test

import (
	"encoding/json"
	"strings"
	"testing"

	"carefit/internal/kit/domaintest"
	"carefit/jobs"
	"carefit/jobs/jobstest"
)

func TestPositionJSONRoundTrip(t *testing.T) {
	t.Run("full", func(t *testing.T) { domaintest.CheckRoundTrip(t, jobstest.Position()) })
	t.Run("unknown facts", func(t *testing.T) {
		p := jobstest.Position()
		p.Environment = jobs.Environment{}
		p.Wants = jobs.Wants{}
		domaintest.CheckRoundTrip(t, p)
	})
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
	if err := domaintest.DecodeStrict(`{"call_one_in_n":0,"panel_size":null}`, &e); err != nil {
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
		t.Run(tc.name, func(t *testing.T) { domaintest.CheckRejected(t, tc.body, tc.into) })
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
	domaintest.CheckRoundTrip(t, o)
}
