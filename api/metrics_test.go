package api

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
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
