package jobs

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPositionJSONRoundTrip(t *testing.T) {
	for _, name := range []string{"full", "unknown facts"} {
		t.Run(name, func(t *testing.T) {
			p := validPosition()
			if name == "unknown facts" {
				p.Environment = Environment{}
				p.Wants = Wants{}
			}
			b, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			var got Position
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
	p := validPosition()
	p.Environment = Environment{CallOneInN: ptr(0), Scribe: ptr(false)}
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
	var e Environment
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
		{"position top level", `{"title":"x","salary":1}`, &Position{}},
		{"position nested", `{"environment":{"panelSize":1}}`, &Position{}},
		{"pay nested", `{"pay":{"minimum":1}}`, &Position{}},
		{"organization", `{"name":"x","type":"fqhc"}`, &Organization{}},
		{"location", `{"locations":[{"zip":"53202"}]}`, &Organization{}},
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
	o := validOrg()
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"weight_overrides":{"languages":4,"pay":0}`) {
		t.Errorf("got %s, want weight_overrides keyed by factor name", b)
	}
	var got Organization
	if err := decodeStrict(t, string(b), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(o, got); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
}
