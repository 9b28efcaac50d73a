package api

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"carefit/access"
	"carefit/candidates"
	"carefit/search"
)

// nearbyProfile creates a family physician living near organization A's
// clinic (so eligible for posA) with values found nowhere else, indexes it
// for search and refreshes the feature store.
func (f *fixture) nearbyProfile(t *testing.T, visible bool) candidates.Profile {
	t.Helper()
	body := f.profilePayload("Zebulon", visible)
	body["name"] = map[string]any{"given": "Zebulon", "family": "Quillfeather"}
	body["contact"] = map[string]any{"email": "zq.private@example.org", "phone": "+14145559876"}
	body["licences"] = []any{map[string]any{"state": "WI", "number": "LIC-777-913", "expires": "2029-10-31T00:00:00Z"}}
	body["home"] = map[string]any{"lat": 43.0731, "lng": -87.9012, "state": "WI", "postal_code": "53211"}
	p := f.mustCreate(t, "/v1/profiles", body).profile(t)
	doc, err := search.NewProfileDoc(p)
	if err != nil {
		t.Fatal(err)
	}
	// The index's copy says the clinician consents: hits must not trust it.
	doc.VisibleToRecruiters, doc.Name = true, "Zebulon Quillfeather"
	if err := f.search.UpsertProfiles(context.Background(), []search.ProfileDoc{doc}); err != nil {
		t.Fatal(err)
	}
	f.refresh(t)
	return p
}

// TestNoConsentNothingIdentifying reads a clinician without consent
// through every recruiter-facing response and looks at the raw JSON: no
// name, NPI, contact details, licence number, postal code or coordinates.
func TestNoConsentNothingIdentifying(t *testing.T) {
	f := newFixture(t)
	p := f.nearbyProfile(t, false)
	secrets := []string{"Zebulon", "Quillfeather", p.NPI, "zq.private", "5559876", "LIC-777-913", "53211", "43.0731", "87.9012", `"lat"`, `"lng"`, `"_geo"`}
	reads := []struct{ name, path string }{
		{"single read", "/v1/profiles/" + p.ID},
		{"list", "/v1/profiles?limit=200"},
		{"search hit", "/v1/search/profiles?limit=100"},
		{"ranked row", "/v1/positions/" + f.posA.ID + "/candidates?limit=100"},
		{"explain", "/v1/positions/" + f.posA.ID + "/candidates/" + p.ID},
	}
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			rec := f.do(t, f.recA, http.MethodGet, r.path, nil)
			wantStatus(t, rec, http.StatusOK)
			body := rec.Body.String()
			if !strings.Contains(body, p.ID) {
				t.Fatalf("the clinician is not in the response, so it proves nothing: %s", body)
			}
			for _, s := range secrets {
				if strings.Contains(body, s) {
					t.Errorf("the response carries %s: %s", s, body)
				}
			}
			if (r.name == "ranked row" || r.name == "explain") && !strings.Contains(body, `"distance_miles":`) {
				t.Errorf("a ranked row gives no distance: %s", body)
			}
		})
	}
	// The admin's create revealed the contact details (audited); the
	// recruiters' single reads are in the log as profile reads, never as
	// reveals.
	profileReads := 0
	for _, e := range f.auditEntries(t, p.ID) {
		switch {
		case e.Role == access.Admin:
		case e.Action == access.ActionContactRead:
			t.Errorf("a recruiter's read was audited as a reveal: %+v", e)
		default:
			profileReads++
		}
	}
	if profileReads != 2 {
		t.Errorf("profile reads audited: got %d, want 2 (the single read and the explanation)", profileReads)
	}
}

// TestClinicianSeesPublishedHistory: a clinician reading an open
// position's history sees no draft and no key ID; the owner sees both.
func TestClinicianSeesPublishedHistory(t *testing.T) {
	f := newFixture(t)
	path := "/v1/positions/" + f.posA.ID + "/versions"
	wantStatus(t, f.do(t, f.recA, http.MethodPatch, "/v1/positions/"+f.posA.ID, map[string]any{"headcount": 2}, "If-Match", etag(f.posA.Version)), http.StatusOK)
	body := f.positionPayload(f.orgA, "draft")
	body["expires_at"] = f.now().AddDate(0, 0, 30).UTC().Format(time.RFC3339)
	draft := f.mustCreate(t, "/v1/positions", body).position(t)
	wantStatus(t, f.do(t, f.recA, http.MethodPost, "/v1/positions/"+draft.ID+"/status",
		map[string]any{"status": "open"}, "If-Match", etag(draft.Version)), http.StatusOK)
	rec := f.do(t, f.clin1, http.MethodGet, "/v1/positions/"+draft.ID+"/versions", nil)
	wantStatus(t, rec, http.StatusOK)
	if body := rec.Body.String(); strings.Contains(body, `"draft"`) || strings.Contains(body, "changed_by_key") {
		t.Errorf("a clinician sees a draft or a key: %s", body)
	}
	if n := len(decode[struct{ Items []any }](t, rec).Items); n != 1 {
		t.Errorf("published versions: got %d, want 1", n)
	}
	owner := f.do(t, f.recA, http.MethodGet, "/v1/positions/"+draft.ID+"/versions", nil)
	if body := owner.Body.String(); !strings.Contains(body, `"draft"`) || !strings.Contains(body, f.keyID(t, f.recA)) {
		t.Errorf("the owner does not see the draft and the key: %s", body)
	}
	if body := f.do(t, f.clin1, http.MethodGet, path, nil).Body.String(); strings.Contains(body, "changed_by_key") {
		t.Errorf("a clinician sees key IDs: %s", body)
	}
}

// queryCounter counts the statements and batches sent on a pool: each is
// one round trip to Postgres.
type queryCounter struct{ auth, other atomic.Int64 }

func (q *queryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	if strings.Contains(d.SQL, "api_keys") {
		q.auth.Add(1)
	} else {
		q.other.Add(1)
	}
	return ctx
}
func (q *queryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (q *queryCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	q.other.Add(1)
	return ctx
}
func (q *queryCounter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (q *queryCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}

// TestRankedRoundTrips counts the Postgres round trips of ranked requests
// on a server whose pool is traced: the position, the caller's features and
// the ranking come from the feature store, the page's profiles or positions
// from one query. Authentication is one statement (accessdb.Store's
// Authenticate), whether or not the key was already used this minute
// (when it skips stamping last_used_at); both cases are measured, so a
// ranked request makes at most two round trips, and an explanation (a
// single read, always audited for the clinician's access log) three.
// Rows carry their pipeline states, and what the organization may see of
// them (introduced, blocked, related), from the same query as their
// profiles;
// filtered by state, the profiles in those states are read in one query
// before ranking and the page is built from them.
func TestRankedRoundTrips(t *testing.T) {
	f := newFixture(t)
	anon := f.nearbyProfile(t, false)
	consenting := f.nearbyProfile(t, true)
	wantStatus(t, f.putPipeline(t, f.recA, f.posA.ID, anon.ID, "shortlisted", ""), http.StatusCreated)
	cfg, err := pgxpool.ParseConfig(f.pool.Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	counter := &queryCounter{}
	cfg.ConnConfig.Tracer = counter
	traced, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(traced.Close)
	f.srv = newServer(traced, f.now, f.features, f.search)
	clin := f.mustKey(t, access.NewKey{Role: access.Clinician, ProfileID: anon.ID})

	cases := []struct {
		name, key, path string
		useCase         int64 // round trips besides authentication
	}{
		{"candidates", f.recA, "/v1/positions/" + f.posA.ID + "/candidates?limit=100", 1},
		{"candidates with text", f.recA, "/v1/positions/" + f.posA.ID + "/candidates?q=spanish", 1},
		{"candidates by pipeline state", f.recA, "/v1/positions/" + f.posA.ID + "/candidates?pipeline=shortlisted,contacted", 1},
		{"roles", clin, "/v1/me/roles?limit=100", 1},
		{"explain anonymous (audited)", f.recA, "/v1/positions/" + f.posA.ID + "/candidates/" + anon.ID, 2},
		{"explain named (audited)", f.recA, "/v1/positions/" + f.posA.ID + "/candidates/" + consenting.ID, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, warm := range []bool{false, true} {
				if !warm {
					f.skew.Add(int64(2 * time.Minute)) // the key's first use this minute
				}
				counter.auth.Store(0)
				counter.other.Store(0)
				rec := f.do(t, tc.key, http.MethodGet, tc.path, nil)
				wantStatus(t, rec, http.StatusOK)
				if strings.Contains(tc.path, "candidates?") && !strings.Contains(rec.Body.String(), anon.ID) {
					t.Fatalf("the page is empty, so the count proves nothing: %s", rec.Body)
				}
				shows := strings.Contains(tc.path, "candidates?") || strings.HasSuffix(tc.path, anon.ID)
				if shows && !strings.Contains(rec.Body.String(), `"pipeline_state":"shortlisted"`) {
					t.Fatalf("the rows carry no pipeline state, so the count proves nothing: %s", rec.Body)
				}
				auth, other := counter.auth.Load(), counter.other.Load()
				t.Logf("%s (key used this minute: %v): %d round trips = %d authentication + %d use case",
					tc.name, warm, auth+other, auth, other)
				if other > tc.useCase {
					t.Errorf("use case round trips: got %d, want at most %d", other, tc.useCase)
				}
				if auth > 1 {
					t.Errorf("authentication round trips: got %d, want at most 1", auth)
				}
				if total, most := auth+other, 1+tc.useCase; total > most {
					t.Errorf("round trips: got %d, want at most %d", total, most)
				}
			}
		})
	}
}
