package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"

	"carefit/access"
	"carefit/access/accessdb"
	"carefit/api/idemstore"
	"carefit/app"
	"carefit/candidates"
	"carefit/candidates/candidatesdb"
	"carefit/internal/platform/pg"
	"carefit/internal/platform/testenv"
	"carefit/intro/introdb"
	"carefit/jobs"
	"carefit/jobs/jobsdb"
	"carefit/pipeline/pipelinedb"
	"carefit/ranking"
	"carefit/ranking/rankingdb"
	"carefit/rematch/rematchdb"
	"carefit/search"
	"carefit/webhook/webhookdb"
)

// fixture is a server on a fresh database with two tenants:
//
//   - organizations A and B, each with one location and a recruiter key;
//   - profile 1 (visible to recruiters by name) and profile 2 (anonymous),
//     each with a clinician key, both eligible for posA;
//   - posA, an open position of A expiring in 60 days, and posB, a draft
//     of B: recruiter B's organization may see no clinician.
type fixture struct {
	pool  *pgxpool.Pool
	srv   *echo.Echo
	keys  *accessdb.Store
	skew  atomic.Int64 // added to the wall clock, to move time forward
	seq   atomic.Int64 // makes generated NPIs, emails and names unique
	admin string

	features *ranking.Store
	search   *search.Client
	// app is the server's application service, for tests that change a
	// setting (the introductions' daily limit).
	app *app.Service
	// redis is the test's Redis database: the queue of rematch runs.
	redis string

	orgA, orgB   jobs.Organization
	recA, recB   string
	prof1, prof2 candidates.Profile
	clin1, clin2 string
	posA, posB   jobs.Position
}

// now is the fixture's clock: the wall clock plus the skew.
func (f *fixture) now() time.Time { return time.Now().Add(time.Duration(f.skew.Load())) }

// newFixture builds the fixture; everything is dropped with the test's
// database.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{pool: testenv.DB(t)}
	f.keys = &accessdb.Store{DB: f.pool, Now: f.now}
	ctx := context.Background()
	m := testenv.MeiliSearch(t)
	sc := search.New(m.Client, m.Prefix)
	if err := sc.EnsureIndexes(ctx); err != nil {
		t.Fatalf("search indexes: %v", err)
	}
	features, err := loadFeatures(ctx, f.pool, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("feature store: %v", err)
	}
	f.features, f.search = features, sc
	d := testDeps(f.pool, f.now, features, sc)
	f.redis = testenv.Redis(t)
	d.App.RunQueue = newRunQueue(t, f.redis)
	f.app = d.App
	f.srv = checkedJSON(New(d))
	f.admin = f.mustKey(t, access.NewKey{Role: access.Admin, Label: "fixture admin"})

	f.orgA = f.mustCreate(t, "/v1/organizations", orgPayload("Lakeshore Community Health", "WI")).org(t)
	f.orgB = f.mustCreate(t, "/v1/organizations", orgPayload("Prairie Family Practice", "MN")).org(t)
	f.recA = f.mustKey(t, access.NewKey{Role: access.Recruiter, OrgID: f.orgA.ID, Label: "recruiter A"})
	f.recB = f.mustKey(t, access.NewKey{Role: access.Recruiter, OrgID: f.orgB.ID, Label: "recruiter B"})

	f.prof1 = f.mustCreate(t, "/v1/profiles", f.profilePayload("Ana", true)).profile(t)
	f.prof2 = f.mustCreate(t, "/v1/profiles", f.profilePayload("Ben", false)).profile(t)
	f.clin1 = f.mustKey(t, access.NewKey{Role: access.Clinician, ProfileID: f.prof1.ID, Label: "clinician 1"})
	f.clin2 = f.mustKey(t, access.NewKey{Role: access.Clinician, ProfileID: f.prof2.ID, Label: "clinician 2"})

	f.posA = f.mustCreate(t, "/v1/positions", f.positionPayload(f.orgA, jobs.StatusOpen)).position(t)
	f.posB = f.mustCreate(t, "/v1/positions", f.positionPayload(f.orgB, jobs.StatusDraft)).position(t)
	f.refresh(t)
	// The admin's creates above answered contact details and were audited;
	// tests count the reveals they make themselves.
	if _, err := f.pool.Exec(ctx, `DELETE FROM audit_log`); err != nil {
		t.Fatalf("clear the fixture's audit entries: %v", err)
	}
	return f
}

// refresh brings the feature store up to date with every committed change,
// as following the outbox does within a poll interval in a real process.
func (f *fixture) refresh(t testing.TB) {
	t.Helper()
	if _, err := f.features.Refresh(context.Background()); err != nil {
		t.Fatalf("refresh the feature store: %v", err)
	}
}

// loadFeatures loads the feature store from pool and the outbox, as
// cmd/carefit does.
func loadFeatures(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) (*ranking.Store, error) {
	src, err := rankingdb.Sources(ctx, pool)
	if err != nil {
		return nil, err
	}
	src.Text = ranking.Texts{Profile: search.ProfileText, Position: search.PositionText}
	return ranking.Load(ctx, src, log, ranking.DefaultOptions())
}

// newServer wires the API on pool as cmd/carefit does: the stores, the
// application service over them, the feature store and the search client.
func newServer(pool *pgxpool.Pool, now func() time.Time, features *ranking.Store, sc *search.Client) *echo.Echo {
	return checkedJSON(New(testDeps(pool, now, features, sc)))
}

// testDeps is the wiring of newServer, for tests that change an option.
func testDeps(pool *pgxpool.Pool, now func() time.Time, features *ranking.Store, sc *search.Client) Deps {
	db := pg.Ambient{DB: pool} // as cmd/carefit wires it
	js, cs := jobsdb.NewStore(db), candidatesdb.NewStore(db)
	js.Now, cs.Now = now, now
	keys := &accessdb.Store{DB: db, Now: now}
	svc := &app.Service{Profiles: cs, Positions: js, Audit: keys, Imports: testImporter{pool}, Now: now}
	// Runs and alerts read the stored matches; starting a run needs a
	// queue, which tests that start one give (rematch_test.go).
	svc.Rematches, svc.Rematch = rematchdb.New(db), app.RematchSettings{K: 100, AlertMinScore: 80}
	svc.Webhooks = webhookdb.New(db)
	pl := pipelinedb.NewStore(db)
	pl.Now = now
	svc.Pipeline = pl
	intros := introdb.NewStore(db)
	intros.Now = now
	svc.Intros, svc.Records, svc.Organizations = intros, keys, js
	if features != nil { // a typed nil would make the interface non-nil
		svc.Features = features
	}
	if sc != nil {
		svc.Search = sc
	}
	return Deps{App: svc, Jobs: js, Candidates: cs, Keys: keys, Idempotency: idemstore.New(pool), Now: now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BodyLimit: "1M"}
}

// testImporter runs the NDJSON imports on a pool.
type testImporter struct{ pool *pgxpool.Pool }

func (i testImporter) ImportProfiles(ctx context.Context, r io.Reader, opts candidates.ImportOptions) (candidates.ImportReport, error) {
	return candidatesdb.ImportProfiles(ctx, i.pool, r, opts)
}

func (i testImporter) ImportPositions(ctx context.Context, orgID string, r io.Reader, opts jobs.ImportOptions) (jobs.ImportReport, error) {
	return jobsdb.ImportPositions(ctx, i.pool, orgID, r, opts)
}

// mustKey creates an API key directly in the store and returns its secret.
func (f *fixture) mustKey(t testing.TB, n access.NewKey) string {
	t.Helper()
	_, secret, err := f.keys.Create(context.Background(), n)
	if err != nil {
		t.Fatalf("create %s key: %v", n.Role, err)
	}
	return secret
}

// keyID returns the ID of the key with secret.
func (f *fixture) keyID(t testing.TB, secret string) string {
	t.Helper()
	p, err := f.keys.Authenticate(context.Background(), secret)
	if err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	return p.KeyID
}

// response wraps a recorded response with typed decoders.
type response struct{ *httptest.ResponseRecorder }

func (r response) org(t testing.TB) jobs.Organization {
	return decode[jobs.Organization](t, r.ResponseRecorder)
}
func (r response) position(t testing.TB) jobs.Position {
	return decode[jobs.Position](t, r.ResponseRecorder)
}
func (r response) profile(t testing.TB) candidates.Profile {
	return decode[candidates.Profile](t, r.ResponseRecorder)
}

// mustCreate POSTs body as the admin and fails the test unless it is 201.
func (f *fixture) mustCreate(t testing.TB, path string, body any) response {
	t.Helper()
	rec := f.do(t, f.admin, http.MethodPost, path, body)
	if rec.Code != http.StatusCreated {
		t.Fatalf("POST %s: got %d, want 201: %s", path, rec.Code, rec.Body)
	}
	return response{rec}
}

// newRequest builds a request. body may be nil, []byte, string, an
// io.Reader (sent as is, without a length unless one is known) or any
// value to encode as JSON; a body gets Content-Type application/json
// unless headers set another. headers are name, value pairs.
func newRequest(t testing.TB, key, method, path string, body any, headers ...string) *http.Request {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	case string:
		r = strings.NewReader(b)
	case io.Reader:
		r = b
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("encode body: %v", err)
		}
		r = bytes.NewReader(buf)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	}
	if key != "" {
		req.Header.Set(echo.HeaderAuthorization, "Bearer "+key)
	}
	if len(headers)%2 != 0 {
		t.Fatalf("headers must be name, value pairs: %q", headers)
	}
	for i := 0; i < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	return req
}

// do sends a request with API key key ("" for none) and returns the
// recorded response, after checking it against the OpenAPI document.
func (f *fixture) do(t testing.TB, key, method, path string, body any, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	return f.send(t, newRequest(t, key, method, path, body, headers...))
}

// send serves req and checks every response: a problem is
// application/problem+json with its status in the body, and no answer is
// a 5xx.
func (f *fixture) send(t testing.TB, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	if rec.Code >= 500 {
		t.Errorf("%s %s: got %d, want no 5xx: %s", req.Method, req.URL, rec.Code, rec.Body)
	}
	if rec.Code >= 400 && req.Method != http.MethodHead {
		if ct := rec.Header().Get(echo.HeaderContentType); ct != "application/problem+json" {
			t.Errorf("%s %s: %d with Content-Type %q, want application/problem+json", req.Method, req.URL, rec.Code, ct)
		}
	}
	checkSpec(t, req, rec)
	return rec
}

// decode reads a JSON response body into a T, failing the test when it
// cannot.
func decode[T any](t testing.TB, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %T from %q: %v", v, rec.Body.String(), err)
	}
	return v
}

// wantStatus fails the test unless rec has status want.
func wantStatus(t testing.TB, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("status: got %d, want %d: %s", rec.Code, want, rec.Body)
	}
}

// wantProblem checks that rec is an RFC 9457 problem with status (any 4xx
// when status is 0) and, when field is not empty, an errors[] entry whose
// field contains it.
func wantProblem(t testing.TB, rec *httptest.ResponseRecorder, status int, field string) Problem {
	t.Helper()
	if status == 0 && (rec.Code < 400 || rec.Code > 499) || status != 0 && rec.Code != status {
		want := fmt.Sprint(status)
		if status == 0 {
			want = "4xx"
		}
		t.Errorf("status: got %d, want %s: %s", rec.Code, want, rec.Body)
	}
	if ct := rec.Header().Get(echo.HeaderContentType); ct != "application/problem+json" {
		t.Errorf("Content-Type: got %q, want application/problem+json", ct)
	}
	var p Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("problem body %q: %v", rec.Body, err)
	}
	if p.Status != rec.Code {
		t.Errorf("problem status: got %d, want %d", p.Status, rec.Code)
	}
	if field != "" {
		found := false
		for _, e := range p.Errors {
			if strings.Contains(e.Path, field) {
				found = true
			}
		}
		if !found {
			t.Errorf("problem errors: got %+v, want an entry naming %q", p.Errors, field)
		}
	}
	return p
}

// etagOf returns the ETag of the record at path, read by the admin.
func (f *fixture) etagOf(t testing.TB, path string) string {
	t.Helper()
	rec := f.do(t, f.admin, http.MethodGet, path, nil)
	wantStatus(t, rec, http.StatusOK)
	return rec.Header().Get("ETag")
}

// countedTables are the tables a failed write must leave untouched.
var countedTables = []string{"organizations", "locations", "positions", "position_versions", "profiles", "outbox", "api_keys", "audit_log"}

// counts returns the number of rows of each counted table.
func (f *fixture) counts(t testing.TB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tbl := range countedTables {
		var n int
		if err := f.pool.QueryRow(context.Background(), "SELECT count(*) FROM "+tbl).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", tbl, err)
		}
		out[tbl] = n
	}
	return out
}

// ---- Payloads: valid, realistic requests as JSON maps, so tests can
// break them field by field. ----

// orgPayload is an organization with one location in state (WI or MN).
func orgPayload(name, state string) map[string]any {
	loc := map[string]any{"name": "Lakeshore East Clinic", "address_line": "100 E Main St", "city": "Milwaukee",
		"postal_code": "53202", "state": "WI", "lat": 43.04, "lng": -87.90, "time_zone": "America/Chicago"}
	if state == "MN" {
		loc = map[string]any{"name": "Prairie North Clinic", "address_line": "2500 Nicollet Ave", "city": "Minneapolis",
			"postal_code": "55404", "state": "MN", "lat": 44.96, "lng": -93.28, "time_zone": "America/Chicago"}
	}
	return map[string]any{"name": name, "kind": "fqhc", "locations": []any{loc},
		"weight_overrides": map[string]any{"languages": 4}}
}

// positionPayload is a family-medicine position at org's first location;
// an open one expires in 60 days.
func (f *fixture) positionPayload(org jobs.Organization, status jobs.Status) map[string]any {
	now := f.now().UTC()
	p := map[string]any{
		"org_id": org.ID, "location_id": org.Locations[0].ID,
		"title": "Family Physician", "description": "Full-scope outpatient family medicine.\n\tNo OB.",
		"credentials": []string{"MD", "DO"}, "taxonomies": []string{"207Q00000X", "207R00000X"},
		"employment_type": "permanent",
		"start_date":      now.AddDate(0, 3, 0).Format("2006-01-02") + "T00:00:00Z",
		"schedule":        map[string]any{"days_per_week": 4, "shift": "day", "fte": 0.9},
		"pay":             map[string]any{"min": 250000, "max": 300000, "period": "annual", "currency": "USD"},
		"headcount":       1,
		"status":          string(status),
		"environment":     map[string]any{"panel_size": 1800, "visit_minutes_new": 40, "ehr": "epic", "call_one_in_n": 0, "scribe": false},
		"wants":           map[string]any{"min_years": 2, "languages_wanted": []string{"es"}},
	}
	if status == jobs.StatusOpen {
		p["expires_at"] = now.AddDate(0, 0, 60).Format(time.RFC3339)
	}
	return p
}

// profilePayload is a family physician in Wisconsin with a unique NPI and
// email.
func (f *fixture) profilePayload(given string, visible bool) map[string]any {
	n := f.seq.Add(1)
	return map[string]any{
		"name":       map[string]any{"given": given, "family": "López"},
		"contact":    map[string]any{"email": fmt.Sprintf("%s.%d@example.org", strings.ToLower(given), n), "phone": "+14145550123"},
		"credential": "MD", "npi": npi(n), "taxonomies": []string{"207Q00000X"},
		"board_certifications": []any{map[string]any{"board": "American Board of Family Medicine", "specialty": "207Q00000X",
			"expires": "2030-12-31T00:00:00Z"}},
		"licences":               []any{map[string]any{"state": "WI", "number": fmt.Sprintf("%d-20", 12345+n), "expires": "2029-10-31T00:00:00Z"}},
		"years_experience":       7,
		"languages":              []string{"en", "es"},
		"ehrs_used":              []string{"epic"},
		"home":                   map[string]any{"lat": 43.07, "lng": -89.40, "state": "WI", "postal_code": "53703"},
		"max_commute_miles":      100, // Madison to posA's Milwaukee clinic: eligible
		"willing_to_move_states": []string{"MN"},
		"available_from":         "2026-05-01T00:00:00Z",
		"employment_types":       []string{"permanent"},
		"schedule":               map[string]any{"max_days_per_week": 4, "shifts": []string{"day"}},
		"pay_floor":              map[string]any{"annual": 240000},
		"wishes":                 map[string]any{"panel_max": 1800, "visit_min_new": 40},
		"visible_to_recruiters":  visible,
	}
}

// npi returns a valid NPI for n: 1 followed by n in 8 digits and the
// check digit (Luhn over the prefix 80840).
func npi(n int64) string {
	base := fmt.Sprintf("1%08d", n%100_000_000)
	for d := 0; d <= 9; d++ {
		if s := base + fmt.Sprint(d); candidates.ValidNPI(s) {
			return s
		}
	}
	panic("no check digit for " + base)
}

// createPosition creates a position of org as the admin.
func (f *fixture) createPosition(t testing.TB, org jobs.Organization, status jobs.Status) jobs.Position {
	t.Helper()
	return f.mustCreate(t, "/v1/positions", f.positionPayload(org, status)).position(t)
}

// checkSpec validates a response against the OpenAPI document.
func checkSpec(t testing.TB, req *http.Request, rec *httptest.ResponseRecorder) {
	t.Helper()
	if err := validateResponse(req, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
		t.Errorf("%s %s: %d response does not match the OpenAPI document: %v", req.Method, req.URL, rec.Code, err)
	}
}

// mustJSON encodes v.
func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return string(b)
}
