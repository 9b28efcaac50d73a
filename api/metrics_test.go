package api

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

func TestMetricsCountRequestsByRoute(t *testing.T) {
	srv := New(Deps{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BodyLimit: "1M"})
	for _, path := range []string{"/healthz", "/healthz", "/no-such-page"} {
		srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`carefit_http_requests_total{code="200",host="example.com",method="GET",url="/healthz"} 2`,
		`url="/no-such-page"`, // never: 404s share one label, see below
	} {
		has := strings.Contains(body, want)
		if want == `url="/no-such-page"` {
			if has {
				t.Fatal("a 404 path became a label: unknown paths must not grow the metric's cardinality")
			}
			continue
		}
		if !has {
			t.Fatalf("metrics lack %s", want)
		}
	}
	if !strings.Contains(body, "go_goroutines") {
		t.Fatal("metrics lack the Go runtime collector")
	}
}

// TestMetricsLabelEachErrorWithItsStatus sends one request of each error
// status through the real server and reads /metrics: each is counted under
// its own code, and none as a 500.
func TestMetricsLabelEachErrorWithItsStatus(t *testing.T) {
	f := newFixture(t)
	pos := "/v1/positions/" + f.posA.ID
	cases := []struct {
		status int
		send   func() *httptest.ResponseRecorder
	}{
		{http.StatusBadRequest, func() *httptest.ResponseRecorder { return f.do(t, f.admin, "GET", "/v1/positions?limit=abc", nil) }},
		{http.StatusUnauthorized, func() *httptest.ResponseRecorder { return f.do(t, "", "GET", "/v1/me", nil) }},
		{http.StatusForbidden, func() *httptest.ResponseRecorder { return f.do(t, f.clin1, "GET", "/v1/keys", nil) }},
		{http.StatusNotFound, func() *httptest.ResponseRecorder {
			return f.do(t, f.admin, "GET", "/v1/positions/00000000-0000-4000-8000-000000000000", nil)
		}},
		{http.StatusPreconditionRequired, func() *httptest.ResponseRecorder {
			return f.do(t, f.recA, "PATCH", pos, map[string]any{"title": "x"})
		}},
		{http.StatusPreconditionFailed, func() *httptest.ResponseRecorder {
			return f.do(t, f.recA, "PATCH", pos, map[string]any{"title": "x"}, "If-Match", `"v999"`)
		}},
	}
	for _, tc := range cases {
		if rec := tc.send(); rec.Code != tc.status {
			t.Fatalf("setup: got %d, want %d: %s", rec.Code, tc.status, rec.Body)
		}
	}
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	var counted []string
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if strings.HasPrefix(line, "carefit_http_requests_total{") {
			counted = append(counted, line)
		}
	}
	for _, tc := range cases {
		want := `code="` + strconv.Itoa(tc.status) + `"`
		found := false
		for _, l := range counted {
			found = found || strings.Contains(l, want)
		}
		if !found {
			t.Errorf("no request counted with %s; counted:\n%s", want, strings.Join(counted, "\n"))
		}
	}
	for _, l := range counted {
		if strings.Contains(l, `code="500"`) {
			t.Errorf("a client error was counted as a 500: %s", l)
		}
	}
}

// TestLandingPageLinksOnward checks / answers a page, not a 404 problem,
// and that its links lead somewhere that answers.
func TestLandingPageLinksOnward(t *testing.T) {
	srv := New(Deps{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BodyLimit: "1M"})
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	for _, link := range []string{"/docs", "/openapi.yaml", "/healthz"} {
		if !strings.Contains(rec.Body.String(), `href="`+link+`"`) {
			t.Errorf("the page does not link %s", link)
		}
		r := httptest.NewRecorder()
		srv.ServeHTTP(r, httptest.NewRequest(http.MethodGet, link, nil))
		if r.Code != http.StatusOK {
			t.Errorf("GET %s: %d", link, r.Code)
		}
	}
	if !strings.Contains(rec.Body.String(), `href="/readyz"`) {
		t.Error("the page does not link /readyz")
	}
}
