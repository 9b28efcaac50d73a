package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/meilisearch/meilisearch-go"

	"carefit/access"
	"carefit/access/accessdb"
	"carefit/internal/kit/errs"
	"carefit/internal/platform/testenv"
	"carefit/ranking"
	"carefit/search"
)

// postgresWords are fragments of Postgres and driver messages that must
// never reach a client.
var postgresWords = []string{"SQLSTATE", "duplicate key", "violates", "relation ", "pgx", "pgconn", "Key (", "closed pool", "constraint"}

// TestEveryErrorKindThroughTheServer sends a request that fails with each
// kind of error through the real server (and real Postgres), and checks the
// status and problem type against the one table, the problem+json body,
// and that no database text is answered. A kind added to errs without a
// case here fails the test.
func TestEveryErrorKindThroughTheServer(t *testing.T) {
	f := newFixture(t)
	pos := "/v1/positions/" + f.posA.ID
	dup := f.profilePayload("Dup", false)
	f.mustCreate(t, "/v1/profiles", dup)

	cases := map[errs.Kind]func(t *testing.T) *httptest.ResponseRecorder{
		errs.Internal: func(t *testing.T) *httptest.ResponseRecorder {
			// A database missing a table it needs: Postgres says
			// `relation "positions" does not exist`; the client must not.
			pool := testenv.DB(t)
			keys := &accessdb.Store{DB: pool, Now: time.Now}
			_, key, err := keys.Create(context.Background(), access.NewKey{Role: access.Admin})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := pool.Exec(context.Background(), `DROP TABLE positions CASCADE`); err != nil {
				t.Fatal(err)
			}
			return serve(New(testDeps(pool, time.Now, nil, nil)), newRequest(t, key, "GET", "/v1/positions", nil))
		},
		errs.Malformed: func(t *testing.T) *httptest.ResponseRecorder {
			return f.do(t, f.admin, "GET", "/v1/positions?limit=abc", nil)
		},
		errs.Invalid: func(t *testing.T) *httptest.ResponseRecorder {
			body := f.positionPayload(f.orgA, "draft")
			body["headcount"] = 0
			return f.do(t, f.recA, "POST", "/v1/positions", body)
		},
		errs.Unauthenticated: func(t *testing.T) *httptest.ResponseRecorder { return f.do(t, "nope", "GET", "/v1/me", nil) },
		errs.Forbidden:       func(t *testing.T) *httptest.ResponseRecorder { return f.do(t, f.clin1, "GET", "/v1/audit", nil) },
		errs.NotFound: func(t *testing.T) *httptest.ResponseRecorder {
			return f.do(t, f.recB, "GET", pos, nil) // another tenant's position
		},
		errs.NotAllowed: func(t *testing.T) *httptest.ResponseRecorder { return f.do(t, f.admin, "POST", "/healthz", nil) },
		errs.Conflict: func(t *testing.T) *httptest.ResponseRecorder {
			return f.do(t, f.admin, "POST", "/v1/profiles", dup) // the same NPI again
		},
		errs.PreconditionFailed: func(t *testing.T) *httptest.ResponseRecorder {
			return f.do(t, f.recA, "PATCH", pos, map[string]any{"headcount": 2}, "If-Match", `"v999"`)
		},
		errs.PreconditionRequired: func(t *testing.T) *httptest.ResponseRecorder {
			return f.do(t, f.recA, "PATCH", pos, map[string]any{"headcount": 2})
		},
		errs.TooLarge: func(t *testing.T) *httptest.ResponseRecorder {
			body := map[string]any{"title": strings.Repeat("x", 2<<20)}
			return f.do(t, f.recA, "POST", "/v1/positions", body)
		},
		errs.Unsupported: func(t *testing.T) *httptest.ResponseRecorder {
			return f.do(t, f.recA, "POST", "/v1/positions", "title=x", "Content-Type", "text/plain")
		},
		errs.RateLimited: func(t *testing.T) *httptest.ResponseRecorder {
			d := testDeps(f.pool, f.now, f.features, f.search)
			d.RateLimit = 1 // burst 2
			srv := New(d)
			var rec *httptest.ResponseRecorder
			for range 5 {
				rec = serve(srv, newRequest(t, f.admin, "GET", "/v1/me", nil))
			}
			return rec
		},
		errs.Unavailable: func(t *testing.T) *httptest.ResponseRecorder {
			// Postgres gone: the pool is closed under a running server.
			pool := testenv.DB(t)
			keys := &accessdb.Store{DB: pool, Now: time.Now}
			_, key, err := keys.Create(context.Background(), access.NewKey{Role: access.Admin})
			if err != nil {
				t.Fatal(err)
			}
			srv := New(testDeps(pool, time.Now, nil, nil))
			pool.Close()
			return serve(srv, newRequest(t, key, "GET", "/v1/positions", nil))
		},
	}
	for _, kind := range errs.Kinds() {
		t.Run(kind.String(), func(t *testing.T) {
			send, ok := cases[kind]
			if !ok {
				t.Fatalf("no request fails with kind %v: add one", kind)
			}
			row := kindProblem[kind]
			rec := send(t)
			if rec.Code != row.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, row.status, rec.Body)
			}
			if ct := rec.Header().Get(echo.HeaderContentType); ct != "application/problem+json" {
				t.Errorf("Content-Type %q, want application/problem+json", ct)
			}
			var p Problem
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
				t.Fatalf("body is not a problem: %v: %s", err, rec.Body)
			}
			if want := problemType + row.slug; p.Type != want || p.Status != row.status || p.Title != http.StatusText(row.status) {
				t.Errorf("got type %q status %d title %q, want %q %d %q", p.Type, p.Status, p.Title, want, row.status, http.StatusText(row.status))
			}
			if p.Detail == "" || p.RequestID == "" {
				t.Errorf("problem lacks a detail or request ID: %+v", p)
			}
			for _, w := range postgresWords {
				if bytes.Contains(rec.Body.Bytes(), []byte(w)) {
					t.Errorf("the answer holds database text %q: %s", w, rec.Body)
				}
			}
			if kind == errs.Unavailable && rec.Header().Get("Retry-After") == "" {
				t.Error("503 without Retry-After")
			}
			if kind == errs.RateLimited && rec.Header().Get("Retry-After") != "1" {
				t.Errorf("429 at 1 request a second: Retry-After %q, want 1", rec.Header().Get("Retry-After"))
			}
		})
	}
}

// TestRateLimitedRoutesSayWhenToRetry: once a client spends its burst,
// every route it calls, the ranked lists among them, answers 429 with a
// Retry-After in whole seconds until its next request is allowed.
func TestRateLimitedRoutesSayWhenToRetry(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		rate float64
		want string
	}{{1, "1"}, {50, "1"}, {0.25, "4"}} {
		d := testDeps(f.pool, f.now, f.features, f.search)
		d.RateLimit = tc.rate
		srv := New(d)
		routes := []struct{ key, path string }{
			{f.recA, "/v1/positions/" + f.posA.ID + "/candidates"},
			{f.recA, "/v1/positions/" + f.posA.ID + "/candidates?q=spanish"},
			{f.clin1, "/v1/me/roles"},
			{f.admin, "/v1/me"},
			{f.admin, "/healthz"},
		}
		limited := 0
		for i := 0; i < 2*int(2*tc.rate)+2*len(routes); i++ {
			r := routes[i%len(routes)]
			rec := serve(srv, newRequest(t, r.key, "GET", r.path, nil))
			switch rec.Code {
			case http.StatusOK:
				if ra := rec.Header().Get("Retry-After"); ra != "" {
					t.Errorf("rate %v: GET %s answered 200 with Retry-After %q", tc.rate, r.path, ra)
				}
			case http.StatusTooManyRequests:
				limited++
				if ra := rec.Header().Get("Retry-After"); ra != tc.want {
					t.Errorf("rate %v: GET %s: 429 with Retry-After %q, want %q", tc.rate, r.path, ra, tc.want)
				}
			default:
				t.Fatalf("rate %v: GET %s: %d %s", tc.rate, r.path, rec.Code, rec.Body)
			}
		}
		if limited < len(routes) {
			t.Errorf("rate %v: %d answers were 429, want every route limited at least once", tc.rate, limited)
		}
	}
}

// TestKindTableIsComplete checks that every kind has a row with a status
// and a problem type of its own.
func TestKindTableIsComplete(t *testing.T) {
	slugs := map[string]errs.Kind{}
	for _, k := range errs.Kinds() {
		row, ok := kindProblem[k]
		if !ok || row.status == 0 || row.slug == "" || row.detail == "" {
			t.Errorf("kind %v has no complete row: %+v", k, row)
			continue
		}
		if prev, dup := slugs[row.slug]; dup {
			t.Errorf("kinds %v and %v share the problem type %q", prev, k, row.slug)
		}
		slugs[row.slug] = k
	}
}

func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestTextSearchDownAnswers503 points the server's search client at an
// address where nothing listens: free search answers 503 with Retry-After
// saying text search is unavailable, while the ranked lists, narrowed by
// text or not, still answer: they match text in the feature store and
// never ask the index.
func TestTextSearchDownAnswers503(t *testing.T) {
	rf := newRankedFixture(t)
	dead := search.New(meilisearch.New("http://127.0.0.1:9", meilisearch.WithCustomClient(search.HTTPClient(2*time.Second))), "down")
	srv := New(testDeps(rf.pool, rf.now, rf.features, dead))
	cand := "/v1/positions/" + rf.positionWithMost(t) + "/candidates"
	clin := ""
	for _, p := range rf.mk.Profiles {
		c, _ := rf.features.Clinician(p.ID)
		if page, err := rf.features.Roles(c.ID, ranking.RoleFilter{Limit: 1}, time.Now()); err == nil && page.Total > 0 {
			clin = rf.mustKey(t, access.NewKey{Role: access.Clinician, ProfileID: p.ID})
			break
		}
	}
	if clin == "" {
		t.Fatal("no clinician of the market has an eligible role")
	}
	for _, tc := range []struct{ key, path string }{
		{rf.rec, "/v1/search/profiles?q=spanish"},
		{rf.clin, "/v1/search/positions?q=clinic"},
	} {
		rec := serve(srv, newRequest(t, tc.key, "GET", tc.path, nil))
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
			t.Errorf("GET %s: got %d (Retry-After %q), want 503 with Retry-After: %.300s", tc.path, rec.Code, rec.Header().Get("Retry-After"), rec.Body)
			continue
		}
		if p := decode[Problem](t, rec); !strings.Contains(p.Detail, "text search is unavailable") {
			t.Errorf("GET %s: detail %q does not say text search is unavailable", tc.path, p.Detail)
		}
	}
	for _, tc := range []struct{ key, path string }{
		{rf.rec, cand},
		{rf.rec, cand + "?q=family"},
		{clin, "/v1/me/roles?q=physician"},
	} {
		if rec := serve(srv, newRequest(t, tc.key, "GET", tc.path, nil)); rec.Code != http.StatusOK {
			t.Errorf("GET %s: got %d, want 200: %.300s", tc.path, rec.Code, rec.Body)
		}
	}
}
