package api

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"carefit/app"
	"carefit/search"
)

// TestSpecialtiesByName: every read that carries NUCC codes names them:
// positions (the owner's view, the published one and both histories),
// profiles (each audience's view) and the facets of both free searches.
// A read posted back is still accepted, the names ignored.
func TestSpecialtiesByName(t *testing.T) {
	f := newFixture(t)
	family := app.Specialty{Code: "207Q00000X", Name: "Family Medicine Physician"}
	internal := app.Specialty{Code: "207R00000X", Name: "Internal Medicine Physician"}
	posNames := []app.Specialty{family, internal} // positionPayload's taxonomies, in order
	named := func(t *testing.T, what string, got, want []app.Specialty) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s: specialties %v, want %v", what, got, want)
		}
	}
	type withNames struct {
		Specialties []app.Specialty `json:"specialties"`
	}
	type versions struct {
		Items []struct {
			Position withNames `json:"position"`
		} `json:"items"`
	}
	// posA is open, so the clinician reads its published view.
	for _, tc := range []struct{ who, key string }{{"owner", f.recA}, {"admin", f.admin}, {"clinician", f.clin1}} {
		named(t, tc.who+" position", decode[withNames](t, f.do(t, tc.key, http.MethodGet, "/v1/positions/"+f.posA.ID, nil)).Specialties, posNames)
		vs := decode[versions](t, f.do(t, tc.key, http.MethodGet, "/v1/positions/"+f.posA.ID+"/versions", nil))
		if len(vs.Items) == 0 {
			t.Fatalf("%s: no versions", tc.who)
		}
		for _, v := range vs.Items {
			named(t, tc.who+" version", v.Position.Specialties, posNames)
		}
	}
	list := decode[struct{ Items []withNames }](t, f.do(t, f.recA, http.MethodGet, "/v1/positions?limit=10", nil))
	if len(list.Items) == 0 {
		t.Fatal("the recruiter lists no positions")
	}
	named(t, "listed position", list.Items[0].Specialties, posNames)

	// prof1 is visible by name, prof2 anonymous; both are eligible for
	// posA, so organization A's recruiter reaches them.
	for _, tc := range []struct{ who, key, id string }{
		{"own", f.clin1, f.prof1.ID}, {"admin", f.admin, f.prof1.ID},
		{"recruiter named", f.recA, f.prof1.ID}, {"recruiter anonymous", f.recA, f.prof2.ID},
	} {
		named(t, tc.who+" profile", decode[withNames](t, f.do(t, tc.key, http.MethodGet, "/v1/profiles/"+tc.id, nil)).Specialties, []app.Specialty{family})
	}

	// Free search: facets keyed by code, labelled by name.
	f.index(t, f.prof1, f.prof2)
	doc, err := search.NewPositionDoc(f.posA, search.PositionPlace{OrgName: f.orgA.Name, City: f.orgA.Locations[0].City,
		State: f.orgA.Locations[0].State, Lat: f.orgA.Locations[0].Lat, Lng: f.orgA.Locations[0].Lng}, f.now())
	if err != nil {
		t.Fatal(err)
	}
	if err := f.search.UpsertPositions(context.Background(), []search.PositionDoc{doc}); err != nil {
		t.Fatal(err)
	}
	type labelled struct {
		Facets      map[string]map[string]int    `json:"facets"`
		FacetLabels map[string]map[string]string `json:"facet_labels"`
	}
	for _, tc := range []struct {
		what, key, path string
		want            map[string]string // facet: code counted and its label
	}{
		{"profiles", f.recA, "/v1/search/profiles", map[string]string{"taxonomies": family.Code, "languages": "es"}},
		{"positions", f.clin1, "/v1/search/positions", map[string]string{"taxonomies": internal.Code}},
	} {
		res := decode[labelled](t, f.do(t, tc.key, http.MethodGet, tc.path, nil))
		for facet, code := range tc.want {
			wantName := map[string]string{family.Code: family.Name, internal.Code: internal.Name, "es": "Spanish"}[code]
			if res.Facets[facet][code] == 0 || res.FacetLabels[facet][code] != wantName {
				t.Errorf("%s: facet %s counts %v, labels %v; want %s named %q", tc.what, facet, res.Facets[facet], res.FacetLabels[facet], code, wantName)
			}
		}
		if _, ok := res.FacetLabels["credential"]; ok {
			t.Errorf("%s: credentials are labelled, but their codes are their names: %v", tc.what, res.FacetLabels)
		}
	}

	// specialties is read-only: a write that sends it is refused, naming
	// the field, as for the other fields the server sets.
	pp := f.positionPayload(f.orgA, "open")
	pp["specialties"] = []app.Specialty{family}
	rec := f.do(t, f.recA, http.MethodPost, "/v1/positions", pp)
	wantStatus(t, rec, http.StatusBadRequest)
	if p := decode[Problem](t, rec); len(p.Errors) != 1 || p.Errors[0].Path != "specialties" {
		t.Errorf("a write with specialties: %+v", p)
	}
}
