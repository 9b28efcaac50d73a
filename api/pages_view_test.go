package api

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"carefit/app"
	"carefit/candidates"
	"carefit/internal/kit/factor"
	"carefit/internal/kit/taxonomy"
	"carefit/jobs"
)

// The pages' view models, without a server.

func TestFormatCountAndPlural(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {1234567, "1,234,567"}, {-4200, "-4,200"}} {
		if got := formatCount(tc.n); got != tc.want {
			t.Errorf("formatCount(%d): got %q, want %q", tc.n, got, tc.want)
		}
	}
	if got := plural(1, "candidate", "candidates"); got != "1 candidate" {
		t.Errorf("plural(1): got %q", got)
	}
	if got := plural(1200, "candidate", "candidates"); got != "1,200 candidates" {
		t.Errorf("plural(1200): got %q", got)
	}
}

func TestEnvironmentFactsSayUnknownAndNotApplicable(t *testing.T) {
	panel, call := 1900, 0
	facts := environmentFacts(jobs.Environment{PanelSize: &panel, CallOneInN: &call}, []taxonomy.Credential{"MD"})
	got := map[string]factView{}
	for _, f := range facts {
		got[f.Label] = f
	}
	want := map[string]factView{
		"Panel size":             {Label: "Panel size", Value: "1,900 patients"},
		"Call":                   {Label: "Call", Value: "None"},
		"EHR":                    {Label: "EHR", Value: "Unknown", Class: "unknown"},
		"Collaborative practice": {Label: "Collaborative practice", Value: "Not applicable", Class: "na"},
		"Patients per nurse":     {Label: "Patients per nurse", Value: "Not applicable", Class: "na"},
	}
	for label, w := range want {
		if got[label] != w {
			t.Errorf("%s: got %+v, want %+v", label, got[label], w)
		}
	}
	np := environmentFacts(jobs.Environment{}, []taxonomy.Credential{"NP"})
	for _, f := range np {
		if f.Label == "Collaborative practice" && f.Value != "Unknown" {
			t.Errorf("an NP position's collaborative practice: got %q, want Unknown", f.Value)
		}
	}
}

func TestWithCursorKeepsTheFilters(t *testing.T) {
	q := url.Values{"q": {"spanish"}, "credential": {"NP"}, "state": {""}, "cursor": {"old"}}
	if got, want := withCursor(q, "next"), "?credential=NP&cursor=next&q=spanish"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestProfilePatchBody(t *testing.T) {
	body, problems := profilePatchBody(map[string]string{"wishes.visit_min_new": "60", "wishes.panel_max": "",
		"max_commute_miles": "25", "importance.visit_length": "3"})
	if problems != nil {
		t.Fatalf("problems: %v", problems)
	}
	want := `{"importance":{"visit_length":3},"max_commute_miles":25,"wishes":{"call_max_one_in_n":null,` +
		`"continuity_min":null,"inbox_max":null,"panel_max":null,"patients_per_day_max":null,"visit_min_follow_up":null,"visit_min_new":60}}`
	if diff := cmp.Diff(want, string(body)); diff != "" {
		t.Errorf("patch (-want +got):\n%s", diff)
	}
	_, problems = profilePatchBody(map[string]string{"wishes.visit_min_new": "sixty"})
	if problems["wishes.visit_min_new"] == "" {
		t.Errorf("a word for a number: got problems %v, want one on the field", problems)
	}
}

func TestCSRFTokensDifferPerKey(t *testing.T) {
	a, b := csrfToken("cf_one"), csrfToken("cf_two")
	if a == b || a != csrfToken("cf_one") {
		t.Errorf("tokens: %q and %q; want stable per key and different across keys", a, b)
	}
	if sameToken("", "") || !sameToken(a, a) {
		t.Error("sameToken: an empty token must never match, an equal one must")
	}
}

// TestMustHaveToggle: a ticked must-have sends the API's importance 4
// whatever the weight says, an unticked one the weight; a stored
// must-have reads back as the highest weight with the box ticked, and the
// place, which cannot be one, has no box.
func TestMustHaveToggle(t *testing.T) {
	body, problems := profilePatchBody(map[string]string{"importance.visit_length": "1", "must.visit_length": "1",
		"importance.pay": "2", "must.place": "1"})
	if problems != nil {
		t.Fatalf("problems: %v", problems)
	}
	var patch struct{ Importance map[string]int }
	if err := json.Unmarshal(body, &patch); err != nil {
		t.Fatal(err)
	}
	// The place's must-have goes to the API as asked, which refuses it
	// next to the place's field.
	want := map[string]int{"visit_length": candidates.MustHave, "pay": 2, "place": candidates.MustHave}
	if diff := cmp.Diff(want, patch.Importance); diff != "" {
		t.Errorf("importance (-want +got):\n%s", diff)
	}
	values := profileValues(app.FullProfile{ClinicianFacts: app.ClinicianFacts{
		Importance: map[factor.Name]int{factor.VisitLength: candidates.MustHave, factor.Pay: 2}}})
	form := profileForm("Ana", 3, values, nil)
	got := map[string]string{}
	for _, iv := range form.Importance {
		sel := ""
		for _, o := range iv.Options {
			if o.Selected {
				sel = o.Value
			}
		}
		got[iv.Name] = fmt.Sprintf("%s must=%v can=%v", sel, iv.Must, iv.CanMust)
	}
	for name, w := range map[string]string{"importance.visit_length": "3 must=true can=true", "importance.pay": "2 must=false can=true",
		"importance.place": " must=false can=false"} {
		if got[name] != w {
			t.Errorf("%s: got %q, want %q", name, got[name], w)
		}
	}
}
