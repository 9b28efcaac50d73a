package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"carefit/access"
	"carefit/access/accessdb"
)

// TestPostgresDownAnswers503 stops Postgres under a serving process: every
// /v1 request, read or write, answers 503 problem+json with Retry-After,
// never a 500 and never the driver's words, and readiness says so.
func TestPostgresDownAnswers503(t *testing.T) {
	s, cfg := privateStack(t)
	ctx := context.Background()
	a, srv := servingApp(t, cfg)
	_, key, err := (&accessdb.Store{DB: a.pool, Now: time.Now}).Create(ctx, access.NewKey{Role: access.Admin, Label: "outage"})
	if err != nil {
		t.Fatal(err)
	}
	send := func(method, path, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec
	}
	if rec := send("GET", "/v1/positions", ""); rec.Code != http.StatusOK {
		t.Fatalf("before the outage: got %d %s", rec.Code, rec.Body)
	}
	if err := s.Postgres.Stop(); err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct{ method, path, body string }{
		{"GET", "/v1/me", ""},
		{"GET", "/v1/positions", ""},
		{"GET", "/v1/profiles?limit=5", ""},
		{"GET", "/v1/search/positions?q=clinic", ""},
		{"POST", "/v1/organizations", `{"name":"Down Clinic","kind":"fqhc","locations":[]}`},
		{"GET", "/v1/audit", ""},
	} {
		rec := send(r.method, r.path, r.body)
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" ||
			rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s %s with Postgres down: got %d (Retry-After %q, %s) %s, want 503 problem+json with Retry-After",
				r.method, r.path, rec.Code, rec.Header().Get("Retry-After"), rec.Header().Get("Content-Type"), rec.Body)
		}
		for _, w := range []string{"dial", "connect", "SQLSTATE", "pgx", "127.0.0.1"} {
			if strings.Contains(rec.Body.String(), w) {
				t.Errorf("%s %s: the answer carries %q: %s", r.method, r.path, w, rec.Body)
			}
		}
	}
	code, checks := readyz(t, srv)
	if code != http.StatusServiceUnavailable || status(checks, "postgres") != "down" {
		t.Errorf("readyz with Postgres down: got %d %v", code, checks)
	}
}

// TestServeStartsWithoutMeilisearch starts the server while Meilisearch is
// down: it serves (ranked lists and records need no search index) and
// readiness names Meilisearch, instead of refusing to start.
func TestServeStartsWithoutMeilisearch(t *testing.T) {
	s, cfg := privateStack(t)
	vars := map[string]string{"CAREFIT_DATABASE_URL": cfg.DatabaseURL, "CAREFIT_REDIS_URL": cfg.RedisURL,
		"CAREFIT_MEILI_URL": cfg.MeiliURL, "CAREFIT_MEILI_KEY": cfg.MeiliKey, "CAREFIT_HTTP_ADDR": "127.0.0.1:0",
		"CAREFIT_SHUTDOWN_TIMEOUT": "2s"}
	e, _, errb := testEnv(vars)
	if code := run(context.Background(), e, []string{"migrate", "up"}); code != 0 {
		t.Fatalf("migrate up: exit %d: %s", code, errb)
	}
	if err := s.Meili.Stop(); err != nil {
		t.Fatal(err)
	}
	srv := startChild(t, vars, "serve")
	base := srv.addr(t)
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Checks map[string]any `json:"checks"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusServiceUnavailable || status(body.Checks, "meilisearch") != "down" || status(body.Checks, "postgres") != "ok" {
		t.Errorf("readyz with Meilisearch down: %d %v", resp.StatusCode, body.Checks)
	}
}
