package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"

	"carefit/access"
	"carefit/access/accessdb"
	"carefit/candidates"
	"carefit/internal/kit/factor"
	"carefit/internal/kit/geo"
	"carefit/internal/kit/taxonomy"
	"carefit/internal/platform/testenv"
	"carefit/jobs"
	"carefit/pipeline"
)

func mustLoadSpec(t *testing.T) *apiSpec {
	t.Helper()
	sp, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func TestSpecIsValid(t *testing.T) {
	sp := mustLoadSpec(t)
	if err := sp.doc.Validate(context.Background()); err != nil {
		t.Fatalf("doc.Validate: %v", err)
	}
	for path, item := range sp.doc.Paths.Map() {
		for method, op := range item.Operations() {
			if strings.HasPrefix(path, "/v1/") && !strings.Contains(op.Description, "Roles: ") {
				t.Errorf("%s %s: description does not name the roles", method, path)
			}
			if op.Responses.Status(http.StatusTooManyRequests) == nil {
				t.Errorf("%s %s: 429 (rate limiter) is not documented", method, path)
			}
		}
	}
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// TestSpecEnumsMatchGo keeps the document's enumerations and limits equal
// to the Go constants the domains validate with.
func TestSpecEnumsMatchGo(t *testing.T) {
	sp := mustLoadSpec(t)
	var states, codes []string
	for _, j := range geo.Jurisdictions() {
		states = append(states, j.Code)
	}
	for _, c := range taxonomy.Supported() {
		codes = append(codes, c.Code)
	}
	enums := map[string][]string{
		"Credential":      strs(taxonomy.Credentials()),
		"EmploymentType":  strs(taxonomy.EmploymentTypes()),
		"Shift":           strs(taxonomy.Shifts()),
		"EHR":             strs(taxonomy.EHRs()),
		"Setting":         strs(taxonomy.Settings()),
		"Population":      strs(taxonomy.Populations()),
		"ContinuityModel": strs(taxonomy.ContinuityModels()),
		"Language":        strs(taxonomy.Languages()),
		"State":           states,
		"TaxonomyCode":    codes,
		"OrgKind":         strs(jobs.OrgKinds()),
		"Status":          strs(jobs.Statuses()),
		"PipelineState":   strs(pipeline.States()),
		"PayPeriod":       {string(jobs.PayAnnual), string(jobs.PayHourly)},
		"Role":            {string(access.Admin), string(access.Recruiter), string(access.Clinician)},
	}
	for name, want := range enums {
		s := sp.doc.Components.Schemas[name]
		if s == nil {
			t.Errorf("schema %s is missing", name)
			continue
		}
		var got []string
		for _, v := range s.Value.Enum {
			got = append(got, v.(string))
		}
		slices.Sort(got)
		want = slices.Clone(want)
		slices.Sort(want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("enum %s (-go +spec):\n%s", name, diff)
		}
	}

	props := func(schema string) []string {
		return sortedKeys(sp.doc.Components.Schemas[schema].Value.Properties)
	}
	var all []string
	for _, f := range factor.All() {
		all = append(all, string(f.Name))
	}
	slices.Sort(all)
	clin := strs(factor.Names(factor.Clinician))
	slices.Sort(clin)
	if diff := cmp.Diff(all, props("WeightOverrides")); diff != "" {
		t.Errorf("WeightOverrides factors (-go +spec):\n%s", diff)
	}
	if diff := cmp.Diff(clin, props("Importance")); diff != "" {
		t.Errorf("Importance factors (-go +spec):\n%s", diff)
	}

	prop := func(schema, name string) *openapi3.Schema {
		return sp.doc.Components.Schemas[schema].Value.Properties[name].Value
	}
	limits := []struct {
		what string
		got  any
		want any
	}{
		{"Limit maximum", *sp.doc.Components.Parameters["Limit"].Value.Schema.Value.Max, float64(jobs.MaxPageLimit)},
		{"candidates page limit", float64(candidates.MaxPageLimit), float64(jobs.MaxPageLimit)},
		{"Organization.locations", *prop("Organization", "locations").MaxItems, uint64(jobs.MaxLocations)},
		{"WeightOverrides maximum", *prop("WeightOverrides", "pay").Max, jobs.MaxWeightOverride},
		{"Importance maximum", *prop("Importance", "pay").Max, float64(candidates.MaxImportance)},
		{"Position.credentials", *prop("Position", "credentials").MaxItems, uint64(jobs.MaxCredentials)},
		{"Position.taxonomies", *prop("Position", "taxonomies").MaxItems, uint64(jobs.MaxTaxonomies)},
		{"Position.licence_states", *prop("Position", "licence_states").MaxItems, uint64(jobs.MaxLicenceStates)},
		{"Position.headcount", *prop("Position", "headcount").Max, float64(jobs.MaxHeadcount)},
		{"Position.duration_weeks", *prop("Position", "duration_weeks").Max, float64(jobs.MaxDurationWeeks)},
		{"Pay.max", *prop("Pay", "max").Max, jobs.MaxAnnualPay},
		{"Wants.ehr_experience_wanted", *prop("Wants", "ehr_experience_wanted").MaxItems, uint64(jobs.MaxEHRs)},
		{"Environment.languages_needed", *prop("Environment", "languages_needed").MaxItems, uint64(jobs.MaxLanguages)},
		{"Profile.taxonomies", *prop("Profile", "taxonomies").MaxItems, uint64(candidates.MaxTaxonomies)},
		{"Profile.licences", *prop("Profile", "licences").MaxItems, uint64(candidates.MaxLicences)},
		{"Profile.board_certifications", *prop("Profile", "board_certifications").MaxItems, uint64(candidates.MaxBoardCerts)},
		{"Profile.languages", *prop("Profile", "languages").MaxItems, uint64(candidates.MaxLanguages)},
		{"Profile.ehrs_used", *prop("Profile", "ehrs_used").MaxItems, uint64(candidates.MaxEHRs)},
		{"Profile.willing_to_move_states", *prop("Profile", "willing_to_move_states").MaxItems, uint64(candidates.MaxStates)},
		{"Profile.max_commute_miles", *prop("Profile", "max_commute_miles").Max, float64(candidates.MaxCommuteMiles)},
		{"Profile.years_experience", *prop("Profile", "years_experience").Max, float64(candidates.MaxYears)},
		{"PayFloor.annual", *prop("PayFloor", "annual").Max, candidates.MaxAnnualPayFloor},
		{"PayFloor.hourly", *prop("PayFloor", "hourly").Max, candidates.MaxHourlyPayFloor},
		{"ImportReport.errors", *prop("ImportReport", "errors").MaxItems, uint64(candidates.MaxImportErrors)},
		{"PipelineChange.note", *prop("PipelineChange", "note").MaxLength, uint64(pipeline.MaxNote)},
	}
	for _, l := range limits {
		if l.got != l.want {
			t.Errorf("%s: spec %v, Go %v", l.what, l.got, l.want)
		}
	}
}

// specServer is a server on a fresh database with an admin key.
func specServer(t *testing.T) (*echo.Echo, *accessdb.Store, string) {
	t.Helper()
	pool := testenv.DB(t)
	srv := newServer(pool, time.Now, nil, nil)
	keys := &accessdb.Store{DB: pool, Now: time.Now}
	_, admin, err := keys.Create(context.Background(), access.NewKey{Role: access.Admin})
	if err != nil {
		t.Fatal(err)
	}
	return srv, keys, admin
}

// specDo serves one request and checks the response against the document.
func specDo(t *testing.T, srv *echo.Echo, key, method, path, ctype, body string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if ctype != "" {
		req.Header.Set(echo.HeaderContentType, ctype)
	}
	if key != "" {
		req.Header.Set(echo.HeaderAuthorization, "Bearer "+key)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if err := validateResponse(req, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
		t.Errorf("response does not match openapi.yaml: %v\nbody: %s", err, rec.Body)
	}
	return rec
}

// TestSpecCoversRoutes checks that every route echo serves is in the
// document, and every operation of the document is served.
func TestSpecCoversRoutes(t *testing.T) {
	srv, _, _ := specServer(t)
	sp := mustLoadSpec(t)
	pages := map[string]bool{"GET " + assetsPath: true}
	for _, r := range (&Server{}).pageRoutes() {
		pages[r.method+" "+r.path] = r.path != "/" // the sign-in page is documented
	}
	served := map[string]bool{}
	for _, r := range srv.Routes() {
		if r.Method == echo.RouteNotFound || pages[r.Method+" "+r.Path] {
			continue
		}
		served[r.Method+" "+r.Path] = true
	}
	for key := range served {
		if sp.ops[key] == nil {
			t.Errorf("%s is served but not in openapi.yaml", key)
		}
	}
	for key := range sp.ops {
		if !served[key] {
			t.Errorf("%s is in openapi.yaml but not served", key)
		}
	}
}

func TestSpecAndDocsServed(t *testing.T) {
	srv := New(Deps{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	rec := specDo(t, srv, "", http.MethodGet, "/openapi.yaml", "", "")
	if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), openapiYAML) {
		t.Errorf("GET /openapi.yaml: got %d with %d bytes, want 200 with the embedded document", rec.Code, rec.Body.Len())
	}
	if ct := rec.Header().Get(echo.HeaderContentType); ct != "application/yaml" {
		t.Errorf("GET /openapi.yaml: Content-Type %q, want application/yaml", ct)
	}

	rec = specDo(t, srv, "", http.MethodGet, "/docs", "", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /docs: got %d, want 200", rec.Code)
	}
	page := rec.Body.String()
	for _, want := range []string{"/v1/positions/{id}", `id="schema-Problem"`, `id="op-patchProfile"`, "Roles: admin, clinician (own profile).",
		"panel_size", "If-Match", "0 to 6000"} {
		if !strings.Contains(page, want) {
			t.Errorf("GET /docs: page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "src=", "http://", "<link"} {
		if strings.Contains(page, bad) {
			t.Errorf("GET /docs: page contains %q; it must be self-contained", bad)
		}
	}
}

func TestRequestValidation(t *testing.T) {
	srv, keys, admin := specServer(t)
	const js = "application/json"
	org := `{"name":"Lakeshore","kind":"fqhc","locations":[{"name":"East","state":"WI","lat":43.04,"lng":-87.9,"time_zone":"America/Chicago"}]}`
	tests := []struct {
		name         string
		method, path string
		ctype, body  string
		headers      []string
		wantStatus   int
		wantField    string
	}{
		{"enum in body", "POST", "/v1/organizations", js, `{"name":"x","kind":"clinic"}`, nil, 422, "kind"},
		{"wrong type", "POST", "/v1/organizations", js, `{"name":5,"kind":"fqhc"}`, nil, 400, "name"},
		{"unknown field", "POST", "/v1/organizations", js, `{"name":"x","kind":"fqhc","colour":"red"}`, nil, 400, "colour"},
		{"nested field", "POST", "/v1/organizations", js, strings.Replace(org, `"WI"`, `"XX"`, 1), nil, 422, "locations[0].state"},
		{"required field", "POST", "/v1/organizations", js, `{"kind":"fqhc"}`, nil, 422, "name"},
		{"map value out of range", "POST", "/v1/organizations", js, `{"name":"x","kind":"fqhc","weight_overrides":{"pay":9}}`, nil, 422, "weight_overrides.pay"},
		{"not JSON", "POST", "/v1/organizations", js, `{"name":`, nil, 400, "body"},
		{"empty body", "POST", "/v1/organizations", js, ``, nil, 400, "body"},
		{"wrong media type", "POST", "/v1/organizations", "text/plain", org, nil, 415, ""},
		{"long Idempotency-Key", "POST", "/v1/organizations", js, org, []string{"Idempotency-Key", strings.Repeat("k", 201)}, 400, "Idempotency-Key"},
		{"limit out of range", "GET", "/v1/organizations?limit=0", "", "", nil, 400, "limit"},
		{"limit not a number", "GET", "/v1/organizations?limit=ten", "", "", nil, 400, "limit"},
		{"unknown status filter", "GET", "/v1/positions?status=archived", "", "", nil, 422, "status"},
		{"patch fact out of range", "PATCH", "/v1/positions/0b8e6f0c-8c4a-4f7e-9a53-5d0c3c1f2a10", "application/merge-patch+json",
			`{"environment":{"panel_size":99999}}`, []string{"If-Match", `"v1"`}, 422, "environment.panel_size"},
		{"patch null on a required field", "PATCH", "/v1/profiles/0b8e6f0c-8c4a-4f7e-9a53-5d0c3c1f2a10", js,
			`{"years_experience":null}`, []string{"If-Match", `"v1"`}, 422, "years_experience"},
		{"nullable enum", "PATCH", "/v1/positions/0b8e6f0c-8c4a-4f7e-9a53-5d0c3c1f2a10", js,
			`{"environment":{"ehr":"paper"}}`, []string{"If-Match", `"v1"`}, 422, "environment.ehr"},
		{"bad date", "PATCH", "/v1/positions/0b8e6f0c-8c4a-4f7e-9a53-5d0c3c1f2a10", js,
			`{"start_date":"next week"}`, []string{"If-Match", `"v1"`}, 400, "start_date"},
		{"consent required", "PUT", "/v1/profiles/0b8e6f0c-8c4a-4f7e-9a53-5d0c3c1f2a10/consent", js, `{}`, nil, 422, "visible_to_recruiters"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := specDo(t, srv, admin, tc.method, tc.path, tc.ctype, tc.body, tc.headers...)
			if rec.Code != tc.wantStatus {
				t.Fatalf("got %d, want %d: %s", rec.Code, tc.wantStatus, rec.Body)
			}
			if ct := rec.Header().Get(echo.HeaderContentType); ct != "application/problem+json" {
				t.Errorf("Content-Type %q, want application/problem+json", ct)
			}
			var p Problem
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
				t.Fatal(err)
			}
			if p.Status != tc.wantStatus || p.RequestID == "" && rec.Header().Get(echo.HeaderXRequestID) != "" {
				t.Errorf("problem %+v: want status %d and the request ID", p, tc.wantStatus)
			}
			if tc.wantField == "" {
				return
			}
			var fields []string
			for _, f := range p.Errors {
				fields = append(fields, f.Path)
				if f.Message == "" {
					t.Errorf("field %s has no message", f.Path)
				}
			}
			if !slices.Contains(fields, tc.wantField) {
				t.Errorf("problem names %v, want %s: %s", fields, tc.wantField, rec.Body)
			}
		})
	}

	t.Run("valid requests pass", func(t *testing.T) {
		rec := specDo(t, srv, admin, "POST", "/v1/organizations", js, org, "Idempotency-Key", "spec-1")
		if rec.Code != http.StatusCreated {
			t.Fatalf("create: got %d, want 201: %s", rec.Code, rec.Body)
		}
		var o jobs.Organization
		if err := json.Unmarshal(rec.Body.Bytes(), &o); err != nil {
			t.Fatal(err)
		}
		// A replay must match the document too.
		if rec := specDo(t, srv, admin, "POST", "/v1/organizations", js, org, "Idempotency-Key", "spec-1"); rec.Code != http.StatusCreated {
			t.Errorf("replay: got %d, want 201", rec.Code)
		}
		// Echoing the record back, id and version included, is accepted.
		back, _ := json.Marshal(map[string]any{"name": "Lakeshore CHC", "locations": o.Locations, "weight_overrides": nil})
		rec = specDo(t, srv, admin, "PATCH", "/v1/organizations/"+o.ID, "application/merge-patch+json", string(back), "If-Match", `"v1"`)
		if rec.Code != http.StatusOK {
			t.Fatalf("patch: got %d, want 200: %s", rec.Code, rec.Body)
		}
		for _, path := range []string{"/v1/organizations/" + o.ID, "/v1/organizations?limit=5&cursor=", "/v1/me", "/v1/keys", "/v1/audit", "/v1/positions", "/v1/profiles?visible_only=true"} {
			if rec := specDo(t, srv, admin, "GET", path, "", ""); rec.Code != http.StatusOK {
				t.Errorf("GET %s: got %d, want 200: %s", path, rec.Code, rec.Body)
			}
		}
		if rec := specDo(t, srv, admin, "PATCH", "/v1/organizations/"+o.ID, js, `{"name":"y"}`); rec.Code != http.StatusPreconditionRequired {
			t.Errorf("patch without If-Match: got %d, want 428", rec.Code)
		}
		if rec := specDo(t, srv, admin, "DELETE", "/v1/organizations/"+o.ID, "", ""); rec.Code != http.StatusNoContent {
			t.Errorf("delete: got %d, want 204: %s", rec.Code, rec.Body)
		}
		if rec := specDo(t, srv, admin, "GET", "/v1/organizations/"+o.ID, "", ""); rec.Code != http.StatusNotFound {
			t.Errorf("get deleted: got %d, want 404", rec.Code)
		}
		if rec := specDo(t, srv, admin, "POST", "/v1/import/profiles?atomic=true", "application/x-ndjson", "{\"name\":1}\n"); rec.Code != http.StatusOK {
			t.Errorf("import: got %d, want 200: %s", rec.Code, rec.Body)
		}
	})

	t.Run("roles come before validation", func(t *testing.T) {
		rec := specDo(t, srv, admin, "POST", "/v1/organizations", js, org)
		if rec.Code != http.StatusCreated {
			t.Fatalf("create: got %d, want 201: %s", rec.Code, rec.Body)
		}
		var o jobs.Organization
		if err := json.Unmarshal(rec.Body.Bytes(), &o); err != nil {
			t.Fatal(err)
		}
		_, recruiter, err := keys.Create(context.Background(), access.NewKey{Role: access.Recruiter, OrgID: o.ID})
		if err != nil {
			t.Fatal(err)
		}
		// Only admins create organizations and keys: 403 whatever the body.
		for _, path := range []string{"/v1/organizations", "/v1/keys"} {
			if rec := specDo(t, srv, recruiter, "POST", path, js, `{"kind":1}`); rec.Code != http.StatusForbidden {
				t.Errorf("recruiter POST %s: got %d, want 403: %s", path, rec.Code, rec.Body)
			}
		}
		if rec := specDo(t, srv, "", "POST", "/v1/organizations", js, `{"kind":1}`); rec.Code != http.StatusUnauthorized {
			t.Errorf("no key: got %d, want 401", rec.Code)
		}
	})
}

// TestValidateResponse checks that the response check catches what it is
// for.
func TestValidateResponse(t *testing.T) {
	problem := []byte(`{"type":"https://carefit.dev/problems/not-found","title":"Not Found","status":404,"detail":"x","request_id":"r"}`)
	pj := http.Header{echo.HeaderContentType: {"application/problem+json"}}
	js := http.Header{echo.HeaderContentType: {"application/json"}}
	withETag := http.Header{echo.HeaderContentType: {"application/json"}, "Etag": {`"v1"`}}
	org := []byte(`{"id":"a","name":"n","kind":"fqhc","locations":[],"weight_overrides":{},"version":1,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}`)
	tests := []struct {
		name   string
		method string
		path   string
		status int
		header http.Header
		body   []byte
		ok     bool
	}{
		{"health", "GET", "/healthz", 200, js, []byte(`{"status":"ok","version":"dev"}`), true},
		{"undocumented status", "GET", "/healthz", 418, pj, problem, false},
		{"problem", "GET", "/v1/organizations/a", 404, pj, problem, true},
		{"problem as plain JSON", "GET", "/v1/organizations/a", 404, js, problem, false},
		{"problem missing status", "GET", "/v1/organizations/a", 404, pj, []byte(`{"type":"t","title":"x"}`), false},
		{"record", "GET", "/v1/organizations/a", 200, withETag, org, true},
		{"record without ETag", "GET", "/v1/organizations/a", 200, js, org, false},
		{"record with an extra field", "GET", "/v1/organizations/a", 200, withETag, bytes.Replace(org, []byte(`"name"`), []byte(`"secret":1,"name"`), 1), false},
		{"204 with a body", "DELETE", "/v1/keys/a", 204, js, []byte(`{}`), false},
		{"204", "DELETE", "/v1/keys/a", 204, http.Header{}, nil, true},
		{"unknown route 404", "GET", "/nope", 404, pj, problem, true},
		{"unknown route 200", "GET", "/nope", 200, js, []byte(`{}`), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.path, nil)
			err := validateResponse(req, tc.status, tc.header, tc.body)
			if (err == nil) != tc.ok {
				t.Errorf("got %v, want ok=%v", err, tc.ok)
			}
		})
	}
}
