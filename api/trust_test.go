package api

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"carefit/access"
	"carefit/app"
	"carefit/match"
	"carefit/search"
)

// pairRows are one pair explained to both audiences: the recruiter of
// the position's organization and the clinician.
type pairRows struct {
	recruiter candidateRow
	clinician roleRow
}

// explainPair creates a position of organization A and a profile from the
// fixture's payloads as edited, and explains the pair to both audiences.
func (f *fixture) explainPair(t *testing.T, position, profile func(p map[string]any)) pairRows {
	t.Helper()
	pp := f.positionPayload(f.orgA, "open")
	position(pp)
	pos := f.mustCreate(t, "/v1/positions", pp).position(t)
	cp := f.profilePayload("Cleo", true)
	// In Milwaukee, a few miles from the position, and licensed there.
	cp["home"] = map[string]any{"lat": 43.07, "lng": -87.93, "state": "WI", "postal_code": "53212"}
	cp["available_from"] = time.Now().UTC().Format("2006-01-02") + "T00:00:00Z"
	profile(cp)
	prof := f.mustCreate(t, "/v1/profiles", cp).profile(t)
	key := f.mustKey(t, access.NewKey{Role: access.Clinician, ProfileID: prof.ID})
	f.refresh(t)
	// Staff's explanation is read with the admin key: a recruiter may
	// explain only clinicians their organization may see ([8]), and a
	// pair ineligible for every one of its positions is not one of them.
	rec := f.do(t, f.admin, http.MethodGet, "/v1/positions/"+pos.ID+"/candidates/"+prof.ID, nil)
	wantStatus(t, rec, http.StatusOK)
	own := f.do(t, key, http.MethodGet, "/v1/me/roles/"+pos.ID, nil)
	wantStatus(t, own, http.StatusOK)
	return pairRows{decode[candidateRow](t, rec), decode[roleRow](t, own)}
}

// trustFactorView returns the explanation's factor named name.
func trustFactorView(t *testing.T, e app.Explanation, name string) app.FactorView {
	t.Helper()
	for _, f := range e.Factors {
		if f.Factor == name {
			return f
		}
	}
	t.Fatalf("no factor %s in %+v", name, e.Factors)
	return app.FactorView{}
}

// reason returns the message of the first reason (or note) with rule.
func reason(rs []app.ReasonView, rule string) string {
	for _, r := range rs {
		if r.Rule == rule {
			return r.Message
		}
	}
	return ""
}

// trustCase is a pair to explain: edits of the fixture's position and
// profile payloads, and the checks of both audiences' explanations.
type trustCase struct {
	name     string
	position func(p map[string]any)
	profile  func(p map[string]any)
	check    func(t *testing.T, r pairRows)
}

func env(p map[string]any) map[string]any    { return p["environment"].(map[string]any) }
func wishes(p map[string]any) map[string]any { return p["wishes"].(map[string]any) }

// runTrust explains each case's pair on a fresh fixture and checks it.
func runTrust(t *testing.T, cases []trustCase) {
	f := newFixture(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, f.explainPair(t, tc.position, tc.profile)) })
	}
}

// TestMustHavesThroughTheAPI: a must-have the pair misses, the clinician's
// or the position's, excludes it and is named to both audiences.
func TestMustHavesThroughTheAPI(t *testing.T) {
	runTrust(t, []trustCase{
		{"a missed must-have excludes the pair and is named, in each reader's words",
			func(p map[string]any) { env(p)["visit_minutes_follow_up"] = 15 },
			func(p map[string]any) {
				wishes(p)["visit_min_follow_up"] = 30
				p["importance"] = map[string]any{"visit_length": 4}
			},
			func(t *testing.T, r pairRows) {
				for _, e := range []app.Explanation{r.recruiter.Explanation, r.clinician.Explanation} {
					if e.Eligible || e.Score != nil || e.Band != nil || e.ScoreIfEligible == nil || e.BandIfEligible == nil {
						t.Errorf("an excluded pair shows eligible %v, score %v, band %v, if eligible %v %v",
							e.Eligible, e.Score, e.Band, e.ScoreIfEligible, e.BandIfEligible)
					}
				}
				if got, want := reason(r.recruiter.Explanation.Reasons, "must_have"), "The clinician marked follow-up visits of at least 30 minutes as a must-have, and this position misses it: follow-up visits are 15 minutes."; got != want {
					t.Errorf("recruiter reads %q, want %q", got, want)
				}
				if got, want := reason(r.clinician.Explanation.Reasons, "must_have"), "You marked follow-up visits of at least 30 minutes as a must-have, and this position misses it: follow-up visits are 15 minutes."; got != want {
					t.Errorf("clinician reads %q, want %q", got, want)
				}
				if fu := trustFactorView(t, r.clinician.Explanation, "visit_follow_up"); !fu.MustHave || fu.Verdict != "misses" {
					t.Errorf("follow-ups: must-have %v, verdict %s", fu.MustHave, fu.Verdict)
				}
			}},
		{"a position's must-have want", func(p map[string]any) {
			p["wants"] = map[string]any{"min_years": 12, "must_have": []string{"experience"}}
		}, func(map[string]any) {}, func(t *testing.T, r pairRows) {
			if got, want := reason(r.recruiter.Explanation.Reasons, "must_have"), "This position requires at least 12 years of experience as a must-have, and the clinician misses it: the clinician has 7 years of experience."; got != want {
				t.Errorf("recruiter reads %q, want %q", got, want)
			}
			if got := reason(r.clinician.Explanation.Reasons, "must_have"); !strings.HasSuffix(got, "and you miss it: you have 7 years of experience.") {
				t.Errorf("clinician reads %q", got)
			}
		}},
	})
}

// TestExplanationsPeopleCanTrust checks the other points of a fit people
// can trust on the API's answers, for both audiences.
func TestExplanationsPeopleCanTrust(t *testing.T) {
	start := time.Now().UTC().AddDate(0, 3, 0).Truncate(24 * time.Hour)
	runTrust(t, []trustCase{
		{"an eligible pair shows its score and band, led by its strongest and weakest factors",
			func(p map[string]any) { env(p)["panel_size"] = 2300 }, func(map[string]any) {},
			func(t *testing.T, r pairRows) {
				e := r.recruiter.Explanation
				if !e.Eligible || e.Score == nil || e.Band == nil || *e.Band != string(match.BandOf(*e.Score)) || e.ScoreIfEligible != nil {
					t.Fatalf("eligible %v, score %v, band %v, if eligible %v", e.Eligible, e.Score, e.Band, e.ScoreIfEligible)
				}
				if len(e.Strongest) == 0 || e.Strongest[0].Verdict != "meets" || len(e.Weakest) == 0 || e.Weakest[0].Factor != "panel_size" {
					t.Errorf("strongest %+v, weakest %+v; want the panel first among the weakest", e.Strongest, e.Weakest)
				}
				if panel := trustFactorView(t, e, "panel_size"); panel.Verdict != "misses" ||
					panel.Sentence != "The panel is 2,300 patients; the clinician asked for at most 1,800 patients." {
					t.Errorf("panel: %s, %q", panel.Verdict, panel.Sentence)
				}
				if got := trustFactorView(t, r.clinician.Explanation, "panel_size").Sentence; got != "The panel is 2,300 patients; you asked for at most 1,800 patients." {
					t.Errorf("the clinician reads %q", got)
				}
			}},
		{"the availability allowance is said when used", func(p map[string]any) {
			p["start_date"] = start.Format(time.RFC3339)
		}, func(p map[string]any) { p["available_from"] = start.AddDate(0, 0, 10).Format(time.RFC3339) },
			func(t *testing.T, r pairRows) {
				if got := reason(r.recruiter.Explanation.Notes, "availability"); !r.recruiter.Explanation.Eligible ||
					!strings.Contains(got, "10 days after the start date") || !strings.HasSuffix(got, "within the 14-day allowance.") {
					t.Errorf("eligible %v, note %q", r.recruiter.Explanation.Eligible, got)
				}
			}},
		{"past the allowance, the reason names it", func(p map[string]any) {
			p["start_date"] = start.Format(time.RFC3339)
		}, func(p map[string]any) { p["available_from"] = start.AddDate(0, 0, 20).Format(time.RFC3339) },
			func(t *testing.T, r pairRows) {
				if got := reason(r.clinician.Explanation.Reasons, "availability"); !strings.HasPrefix(got, "You are available from") ||
					!strings.HasSuffix(got, "20 days after the start date of "+start.Format("January 2, 2006")+"; the allowance is 14 days.") {
					t.Errorf("got %q", got)
				}
			}},
		{"a fact that does not apply is dropped, not unknown", func(p map[string]any) {
			p["environment"] = map[string]any{"setting": "hospital", "ehr": "epic"}
		}, func(map[string]any) {}, func(t *testing.T, r pairRows) {
			panel := trustFactorView(t, r.recruiter.Explanation, "panel_size")
			if panel.Verdict != "not_applicable" || panel.Weight != 0 || panel.Missing || !strings.Contains(panel.Sentence, "not assigned to a clinician's panel") {
				t.Errorf("panel in a hospital: %+v", panel)
			}
		}},
		{"a want every clinician meets is no factor", func(p map[string]any) { p["wants"] = map[string]any{"min_years": 0} },
			func(map[string]any) {}, func(t *testing.T, r pairRows) {
				for _, fv := range r.recruiter.Explanation.Factors {
					if fv.Factor == "experience" {
						t.Errorf("at least 0 years is a factor worth %v points", fv.Contribution)
					}
				}
				if r.recruiter.Explanation.EmployerSide != 100 {
					t.Errorf("employer side %v with no want, want 100", r.recruiter.Explanation.EmployerSide)
				}
			}},
		{"specialties by name", func(map[string]any) {}, func(map[string]any) {}, func(t *testing.T, r pairRows) {
			if s := r.recruiter.Specialties; len(s) != 1 || s[0].Name != "Family Medicine Physician" {
				t.Errorf("candidate row specialties %+v", s)
			}
			if s := r.clinician.Specialties; len(s) != 2 || s[1].Name != "Internal Medicine Physician" {
				t.Errorf("role row specialties %+v", s)
			}
		}},
	})
}

// TestRolesInTheClinicianOwnOrder: a clinician's roles come by their own
// side of the fit unless they ask for the mutual order, and each row
// shows both numbers; a cursor of one order is refused by the other.
func TestRolesInTheClinicianOwnOrder(t *testing.T) {
	f := newFixture(t)
	mine := f.positionPayload(f.orgA, "open") // meets the clinician, wants far more experience
	mine["environment"] = map[string]any{"panel_size": 1500, "visit_minutes_new": 45}
	mine["wants"] = map[string]any{"min_years": 30}
	theirs := f.positionPayload(f.orgA, "open") // misses the panel, wants nothing
	theirs["environment"] = map[string]any{"panel_size": 2600, "visit_minutes_new": 45}
	theirs["wants"] = map[string]any{}
	m := f.mustCreate(t, "/v1/positions", mine).position(t)
	o := f.mustCreate(t, "/v1/positions", theirs).position(t)
	cp := f.profilePayload("Dana", true)
	cp["home"] = map[string]any{"lat": 43.07, "lng": -87.93, "state": "WI", "postal_code": "53212"}
	cp["available_from"] = time.Now().UTC().Format("2006-01-02") + "T00:00:00Z"
	prof := f.mustCreate(t, "/v1/profiles", cp).profile(t)
	key := f.mustKey(t, access.NewKey{Role: access.Clinician, ProfileID: prof.ID})
	f.refresh(t)
	order := func(query string) []string {
		t.Helper()
		page := decode[app.RankedPage[roleRow]](t, f.do(t, key, http.MethodGet, "/v1/me/roles?"+query, nil))
		var ids []string
		for i, r := range page.Items {
			if r.Explanation.Score == nil {
				t.Fatalf("row %d has no score", i)
			}
			if i > 0 {
				prev := page.Items[i-1].Explanation
				if query == "" && r.Explanation.ClinicianSide > prev.ClinicianSide || query == "sort=mutual" && *r.Explanation.Score > *prev.Score {
					t.Fatalf("%q: row %d ranks above row %d", query, i, i-1)
				}
			}
			if r.ID() == m.ID || r.ID() == o.ID {
				ids = append(ids, r.ID())
			}
		}
		return ids
	}
	if got := order(""); len(got) != 2 || got[0] != m.ID {
		t.Errorf("by the clinician's fit: got %v, want %s first", got, m.ID)
	}
	if got := order("sort=mutual"); len(got) != 2 || got[0] != o.ID {
		t.Errorf("by the mutual score: got %v, want %s first", got, o.ID)
	}
	page := decode[app.RankedPage[roleRow]](t, f.do(t, key, http.MethodGet, "/v1/me/roles?limit=1", nil))
	if page.NextCursor == "" {
		t.Fatal("one role a page leaves no cursor")
	}
	wantProblem(t, f.do(t, key, http.MethodGet, "/v1/me/roles?sort=mutual&cursor="+page.NextCursor, nil), http.StatusBadRequest, "cursor")
	wantProblem(t, f.do(t, key, http.MethodGet, "/v1/me/roles?sort=best", nil), http.StatusUnprocessableEntity, "sort")
}

// TestFacetsNameSpecialties: the taxonomy facet of a position's candidates
// is labelled with specialty names.
func TestFacetsNameSpecialties(t *testing.T) {
	f := newFixture(t)
	cp := f.profilePayload("Eve", true)
	cp["home"] = map[string]any{"lat": 43.07, "lng": -87.93, "state": "WI", "postal_code": "53212"}
	cp["available_from"] = time.Now().UTC().Format("2006-01-02") + "T00:00:00Z"
	f.mustCreate(t, "/v1/profiles", cp)
	f.refresh(t)
	page := decode[app.RankedPage[candidateRow]](t, f.do(t, f.recA, http.MethodGet, "/v1/positions/"+f.posA.ID+"/candidates", nil))
	if page.Total == 0 || page.Facets["taxonomy"]["207Q00000X"] == 0 || page.FacetLabels["taxonomy"]["207Q00000X"] != "Family Medicine Physician" {
		t.Errorf("facets %v, labels %v", page.Facets, page.FacetLabels)
	}
}

// TestRolesTextMatchesEveryWord: q narrows a clinician's roles to those
// matching every word, so "san diego" keeps San Diego and not San
// Francisco.
func TestRolesTextMatchesEveryWord(t *testing.T) {
	f := newFixture(t)
	loc := func(name, city string, lat, lng float64) map[string]any {
		return map[string]any{"name": name, "address_line": "1 Main St", "city": city, "postal_code": "94103", "state": "CA",
			"lat": lat, "lng": lng, "time_zone": "America/Los_Angeles"}
	}
	org := f.mustCreate(t, "/v1/organizations", map[string]any{"name": "Pacific Health", "kind": "health_system",
		"locations": []any{loc("SF Clinic", "San Francisco", 37.77, -122.42), loc("SD Clinic", "San Diego", 32.72, -117.16)}}).org(t)
	var docs []search.PositionDoc
	for _, l := range org.Locations {
		pp := f.positionPayload(org, "open")
		pp["location_id"], pp["title"] = l.ID, "Family Physician, "+l.City
		pos := f.mustCreate(t, "/v1/positions", pp).position(t)
		d, err := search.NewPositionDoc(pos, search.PositionPlace{OrgName: org.Name, City: l.City, State: l.State, Lat: l.Lat, Lng: l.Lng}, f.now())
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	if err := f.search.UpsertPositions(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	cp := f.profilePayload("Fay", true)
	cp["licences"] = []any{map[string]any{"state": "CA", "number": "A-1", "expires": "2030-10-31T00:00:00Z"}}
	cp["home"] = map[string]any{"lat": 34.05, "lng": -118.24, "state": "CA", "postal_code": "90012"}
	cp["willing_to_move_states"] = []string{"CA"}
	cp["available_from"] = time.Now().UTC().Format("2006-01-02") + "T00:00:00Z"
	prof := f.mustCreate(t, "/v1/profiles", cp).profile(t)
	key := f.mustKey(t, access.NewKey{Role: access.Clinician, ProfileID: prof.ID})
	f.refresh(t)
	for _, tc := range []struct {
		q    string
		want []string
	}{{"", []string{docs[0].ID, docs[1].ID}}, {"san diego", []string{docs[1].ID}}, {"san francisco", []string{docs[0].ID}}} {
		page := decode[app.RankedPage[roleRow]](t, f.do(t, key, http.MethodGet, "/v1/me/roles?"+url.Values{"q": {tc.q}}.Encode(), nil))
		var got []string
		for _, r := range page.Items {
			got = append(got, r.ID())
		}
		slices.Sort(got)
		slices.Sort(tc.want)
		if !slices.Equal(got, tc.want) {
			t.Errorf("q=%q: got %v, want %v", tc.q, got, tc.want)
		}
	}
}
